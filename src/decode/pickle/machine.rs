//! The opcode reader: runs a pickle's opcodes over a stack, a mark stack and
//! a memo, building objects in the arena instead of calling anything.

mod ops;

use std::collections::{HashMap, HashSet};

use super::Error;
use super::arena::{Arena, Args, How, Id, Obj};
use super::input::Input;
use super::op;
use super::safety;
use super::text;
use ops::py2_str;

/// What reading a whole pickle left: its objects and the one `STOP` returned.
pub(super) struct Run {
    pub arena: Arena,
    pub root: Id,
    pub protocol: u8,
    /// Callables loading would run that are not known to be harmless.
    pub flagged: Vec<String>,
}

/// The newest protocol this reader knows.
const HIGHEST_PROTOCOL: u8 = 5;

struct Machine<'a> {
    input: Input<'a>,
    arena: Arena,
    stack: Vec<Id>,
    /// Stack lengths at each `MARK`.
    marks: Vec<usize>,
    memo: HashMap<u64, Id>,
    buffers: usize,
    protocol: u8,
    flagged: Vec<String>,
    seen_flags: HashSet<String>,
}

/// Reads the whole pickle; anything after `STOP` is an error, so that a
/// value that only starts with a pickle is not taken for one.
pub(super) fn run(bytes: &[u8]) -> Result<Run, Error> {
    let mut m = Machine {
        input: Input::new(bytes),
        arena: Arena::default(),
        stack: Vec::new(),
        marks: Vec::new(),
        memo: HashMap::new(),
        buffers: 0,
        protocol: 0,
        flagged: Vec::new(),
        seen_flags: HashSet::new(),
    };
    let root = m.read()?;
    if m.input.remaining() > 0 {
        let reason = format!("{} more bytes after STOP", m.input.remaining());
        return Err(Error::new("pickle", m.input.pos(), reason));
    }
    Ok(Run {
        arena: m.arena,
        root,
        protocol: m.protocol,
        flagged: m.flagged,
    })
}

impl Machine<'_> {
    fn read(&mut self) -> Result<Id, Error> {
        loop {
            let at = self.input.pos();
            self.input.op_at = at;
            if self.input.remaining() == 0 {
                return Err(self.input.error("the value ends before STOP"));
            }
            let code = self.input.u8()?;
            let Some(name) = op::name(code) else {
                return Err(self.input.error(format!("unknown opcode 0x{code:02x}")));
            };
            self.input.op_name = name;
            if code == op::STOP {
                return self.pop();
            }
            self.step(code)?;
        }
    }

    fn step(&mut self, code: u8) -> Result<(), Error> {
        match code {
            op::MARK => self.marks.push(self.stack.len()),
            op::POP => {
                if self.stack.len() > self.mark_floor() {
                    self.stack.pop();
                } else {
                    self.pop_mark()?;
                }
            }
            op::POP_MARK => {
                self.pop_mark()?;
            }
            op::DUP => {
                let top = self.top()?;
                self.stack.push(top);
            }
            op::FLOAT => {
                let line = self.input.line()?;
                let v =
                    text::float(line).ok_or_else(|| self.input.error("FLOAT is not a float"))?;
                self.push(Obj::Float(v));
            }
            op::BINFLOAT => {
                let b = self.input.take(8)?;
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                self.push(Obj::Float(f64::from_be_bytes(a)));
            }
            op::INT => {
                let line = self.input.line()?;
                let obj = match line {
                    b"00" => Obj::Bool(false),
                    b"01" => Obj::Bool(true),
                    _ => self.int_text(line)?,
                };
                self.push(obj);
            }
            op::LONG => {
                let line = self.input.line()?;
                let line = line.strip_suffix(b"L").unwrap_or(line);
                let obj = self.int_text(line)?;
                self.push(obj);
            }
            op::BININT => {
                let v = self.input.i32()?;
                self.push(Obj::Int(v.into()));
            }
            op::BININT1 | op::BININT2 => {
                let v = self.input.uint(op::width(code))?;
                self.push(Obj::Int(v as i64));
            }
            op::LONG1 => {
                let n = self.input.u8()?;
                let b = self.input.take(n.into())?;
                self.push(Obj::Long(b.to_vec()));
            }
            op::LONG4 => {
                let n = self.length_i32()?;
                let b = self.input.take(n)?;
                self.push(Obj::Long(b.to_vec()));
            }
            op::NONE => {
                self.push(Obj::None);
            }
            op::NEWTRUE => {
                self.push(Obj::Bool(true));
            }
            op::NEWFALSE => {
                self.push(Obj::Bool(false));
            }
            op::STRING => {
                let line = self.input.line()?;
                let raw = text::quoted(line).map_err(|e| self.input.error(e))?;
                self.push(py2_str(raw));
            }
            op::BINSTRING => {
                let n = self.length_i32()?;
                let raw = self.input.take(n)?.to_vec();
                self.push(py2_str(raw));
            }
            op::SHORT_BINSTRING => {
                let n = self.input.u8()?;
                let raw = self.input.take(n.into())?.to_vec();
                self.push(py2_str(raw));
            }
            op::UNICODE => {
                let line = self.input.line()?;
                let s = text::raw_unicode_escape(line).map_err(|e| self.input.error(e))?;
                self.push(Obj::Str(s));
            }
            op::SHORT_BINUNICODE | op::BINUNICODE | op::BINUNICODE8 => {
                let n = self.input.uint(op::width(code))?;
                self.utf8(n)?;
            }
            op::SHORT_BINBYTES | op::BINBYTES | op::BINBYTES8 => {
                let n = self.input.uint(op::width(code))?;
                self.bytes(n, Obj::Bytes)?;
            }
            op::BYTEARRAY8 => {
                let n = self.input.u64()?;
                self.bytes(n, Obj::ByteArray)?;
            }
            op::EMPTY_LIST => {
                self.push(Obj::List(Vec::new()));
            }
            op::EMPTY_TUPLE => {
                self.push(Obj::Tuple(Vec::new()));
            }
            op::EMPTY_DICT => {
                self.push(Obj::Dict(Vec::new()));
            }
            op::EMPTY_SET => {
                self.push(Obj::Set(Vec::new()));
            }
            op::LIST => {
                let items = self.pop_mark()?;
                self.push(Obj::List(items));
            }
            op::TUPLE => {
                let items = self.pop_mark()?;
                self.push(Obj::Tuple(items));
            }
            op::TUPLE1 | op::TUPLE2 | op::TUPLE3 => {
                let n = usize::from(code - op::TUPLE1 + 1);
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.pop()?);
                }
                items.reverse();
                self.push(Obj::Tuple(items));
            }
            op::DICT => {
                let items = self.pop_mark()?;
                let pairs = self.pairs(items)?;
                self.push(Obj::Dict(pairs));
            }
            op::FROZENSET => {
                let items = self.pop_mark()?;
                self.push(Obj::FrozenSet(items));
            }
            op::APPEND => {
                let item = self.pop()?;
                self.add_items(vec![item])?;
            }
            op::APPENDS | op::ADDITEMS => {
                let items = self.pop_mark()?;
                self.add_items(items)?;
            }
            op::SETITEM => {
                let value = self.pop()?;
                let key = self.pop()?;
                self.add_pairs(vec![(key, value)])?;
            }
            op::SETITEMS => {
                let items = self.pop_mark()?;
                let pairs = self.pairs(items)?;
                self.add_pairs(pairs)?;
            }
            op::GET => {
                let line = self.input.line()?;
                let key = self.memo_index(line)?;
                self.get(key)?;
            }
            op::BINGET | op::LONG_BINGET => {
                let key = self.input.uint(op::width(code))?;
                self.get(key)?;
            }
            op::PUT => {
                let line = self.input.line()?;
                let key = self.memo_index(line)?;
                self.put(key)?;
            }
            op::BINPUT | op::LONG_BINPUT => {
                let key = self.input.uint(op::width(code))?;
                self.put(key)?;
            }
            op::MEMOIZE => {
                let key = self.memo.len() as u64;
                self.put(key)?;
            }
            op::GLOBAL => {
                let module = self.name_line()?;
                let name = self.name_line()?;
                self.push(Obj::Global(safety::qualified(&module, &name)));
            }
            op::STACK_GLOBAL => {
                let name = self.pop()?;
                let module = self.pop()?;
                match (self.arena.get(module), self.arena.get(name)) {
                    (Obj::Str(module), Obj::Str(name)) => {
                        let global = safety::qualified(module, name);
                        self.push(Obj::Global(global));
                    }
                    _ => {
                        return Err(self
                            .input
                            .error("STACK_GLOBAL's module and name are not text"));
                    }
                }
            }
            op::REDUCE => {
                let args = self.pop()?;
                let callee = self.pop()?;
                self.call(callee, Args::Of(args), None, How::Call);
            }
            op::NEWOBJ => {
                let args = self.pop()?;
                let cls = self.pop()?;
                self.call(cls, Args::Of(args), None, How::New);
            }
            op::NEWOBJ_EX => {
                let kwargs = self.pop()?;
                let args = self.pop()?;
                let cls = self.pop()?;
                self.call(cls, Args::Of(args), Some(kwargs), How::New);
            }
            op::INST => {
                let module = self.name_line()?;
                let name = self.name_line()?;
                let args = self.pop_mark()?;
                let cls = self.alloc(Obj::Global(safety::qualified(&module, &name)));
                self.call(cls, Args::Items(args), None, How::Call);
            }
            op::OBJ => {
                let mut items = self.pop_mark()?.into_iter();
                let Some(cls) = items.next() else {
                    return Err(self.input.error("OBJ without a class after its MARK"));
                };
                self.call(cls, Args::Items(items.collect()), None, How::Call);
            }
            op::BUILD => {
                let state = self.pop()?;
                let target = self.top()?;
                self.build(target, state);
            }
            op::PERSID => {
                let line = self.input.line()?;
                let Ok(pid) = std::str::from_utf8(line) else {
                    return Err(self.input.error("PERSID's id is not text"));
                };
                let pid = self.alloc(Obj::Str(pid.to_owned()));
                self.push(Obj::PersId(pid));
            }
            op::BINPERSID => {
                let pid = self.pop()?;
                self.push(Obj::PersId(pid));
            }
            op::EXT1 | op::EXT2 | op::EXT4 => {
                let code = self.input.uint(op::width(code))?;
                self.ext(code)?;
            }
            op::PROTO => {
                let v = self.input.u8()?;
                if v > HIGHEST_PROTOCOL {
                    return Err(self.input.error(format!("unsupported protocol {v}")));
                }
                self.protocol = v;
            }
            op::FRAME => {
                // Frames only group opcodes for buffered reading; their
                // contents follow inline, so only the length is checked.
                let n = self.input.u64()?;
                if n > self.input.remaining() as u64 {
                    return Err(self.input.error(format!(
                        "FRAME of {n} bytes, but only {} are left",
                        self.input.remaining()
                    )));
                }
            }
            op::NEXT_BUFFER => {
                let index = self.buffers;
                self.buffers += 1;
                self.push(Obj::Buffer {
                    index,
                    readonly: false,
                });
            }
            op::READONLY_BUFFER => {
                let top = self.top()?;
                if let Obj::Buffer { readonly, .. } = self.arena.get_mut(top) {
                    *readonly = true;
                }
            }
            _ => {
                return Err(self.input.op_error("is not read here"));
            }
        }
        Ok(())
    }
}
