//! The opcode reader: runs a pickle's opcodes over a stack, a mark stack and
//! a memo, building objects in the arena instead of calling anything.

use std::collections::{HashMap, HashSet};

use super::Error;
use super::arena::{Arena, Call, How, Id, Obj};
use super::input::Input;
use super::op;
use super::safety;
use super::text;

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
        return Err(Error {
            offset: m.input.pos(),
            reason: format!("{} more bytes after STOP", m.input.remaining()),
        });
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
            op::BININT1 => {
                let v = self.input.u8()?;
                self.push(Obj::Int(v.into()));
            }
            op::BININT2 => {
                let v = self.input.u16()?;
                self.push(Obj::Int(v.into()));
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
            op::BINUNICODE => {
                let n = self.input.u32()?;
                self.utf8(n.into())?;
            }
            op::SHORT_BINUNICODE => {
                let n = self.input.u8()?;
                self.utf8(n.into())?;
            }
            op::BINUNICODE8 => {
                let n = self.input.u64()?;
                self.utf8(n)?;
            }
            op::BINBYTES => {
                let n = self.input.u32()?;
                self.bytes(n.into(), Obj::Bytes)?;
            }
            op::SHORT_BINBYTES => {
                let n = self.input.u8()?;
                self.bytes(n.into(), Obj::Bytes)?;
            }
            op::BINBYTES8 => {
                let n = self.input.u64()?;
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
            op::BINGET => {
                let key = self.input.u8()?;
                self.get(key.into())?;
            }
            op::LONG_BINGET => {
                let key = self.input.u32()?;
                self.get(key.into())?;
            }
            op::PUT => {
                let line = self.input.line()?;
                let key = self.memo_index(line)?;
                self.put(key)?;
            }
            op::BINPUT => {
                let key = self.input.u8()?;
                self.put(key.into())?;
            }
            op::LONG_BINPUT => {
                let key = self.input.u32()?;
                self.put(key.into())?;
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
                let args = self.spread(args);
                self.call(callee, args, None, How::Call);
            }
            op::NEWOBJ => {
                let args = self.pop()?;
                let cls = self.pop()?;
                let args = self.spread(args);
                self.call(cls, args, None, How::New);
            }
            op::NEWOBJ_EX => {
                let kwargs = self.pop()?;
                let args = self.pop()?;
                let cls = self.pop()?;
                let args = self.spread(args);
                self.call(cls, args, Some(kwargs), How::New);
            }
            op::INST => {
                let module = self.name_line()?;
                let name = self.name_line()?;
                let args = self.pop_mark()?;
                let cls = self.alloc(Obj::Global(safety::qualified(&module, &name)));
                self.call(cls, args, None, How::Call);
            }
            op::OBJ => {
                let mut items = self.pop_mark()?.into_iter();
                let Some(cls) = items.next() else {
                    return Err(self.input.error("OBJ without a class after its MARK"));
                };
                self.call(cls, items.collect(), None, How::Call);
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
            op::EXT1 => {
                let code = self.input.u8()?;
                self.ext(code.into())?;
            }
            op::EXT2 => {
                let code = self.input.u16()?;
                self.ext(code.into())?;
            }
            op::EXT4 => {
                let code = self.input.u32()?;
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
                let name = self.input.op_name;
                return Err(self.input.error(format!("{name} is not read here")));
            }
        }
        Ok(())
    }

    /// Adds an object and pushes it.
    fn push(&mut self, obj: Obj) -> Id {
        let id = self.arena.push(obj);
        self.stack.push(id);
        id
    }

    fn alloc(&mut self, obj: Obj) -> Id {
        self.arena.push(obj)
    }

    fn mark_floor(&self) -> usize {
        self.marks.last().copied().unwrap_or(0)
    }

    fn pop(&mut self) -> Result<Id, Error> {
        if self.stack.len() <= self.mark_floor() {
            let name = self.input.op_name;
            return Err(self.input.error(format!("{name} on an empty stack")));
        }
        self.stack
            .pop()
            .ok_or_else(|| self.input.error("the stack is empty"))
    }

    fn top(&self) -> Result<Id, Error> {
        match self.stack.last() {
            Some(&id) if self.stack.len() > self.mark_floor() => Ok(id),
            _ => {
                let name = self.input.op_name;
                Err(self.input.error(format!("{name} on an empty stack")))
            }
        }
    }

    /// The items pushed since the last `MARK`, which is removed.
    fn pop_mark(&mut self) -> Result<Vec<Id>, Error> {
        let Some(mark) = self.marks.pop() else {
            let name = self.input.op_name;
            return Err(self.input.error(format!("{name} without a MARK")));
        };
        Ok(self.stack.split_off(mark))
    }

    fn pairs(&self, items: Vec<Id>) -> Result<Vec<(Id, Id)>, Error> {
        if !items.len().is_multiple_of(2) {
            let name = self.input.op_name;
            return Err(self
                .input
                .error(format!("{name} with an odd number of items")));
        }
        Ok(items.chunks_exact(2).map(|p| (p[0], p[1])).collect())
    }

    fn length_i32(&mut self) -> Result<u64, Error> {
        let n = self.input.i32()?;
        u64::try_from(n).map_err(|_| {
            let name = self.input.op_name;
            self.input.error(format!("{name} with a negative length"))
        })
    }

    fn int_text(&self, line: &[u8]) -> Result<Obj, Error> {
        let Some(text) = text::decimal(line) else {
            let name = self.input.op_name;
            return Err(self.input.error(format!("{name} is not a decimal integer")));
        };
        Ok(match text.parse::<i64>() {
            Ok(v) => Obj::Int(v),
            Err(_) => Obj::IntText(text),
        })
    }

    fn utf8(&mut self, n: u64) -> Result<(), Error> {
        let raw = self.input.take(n)?;
        let obj = match std::str::from_utf8(raw) {
            Ok(s) => Obj::Str(s.to_owned()),
            Err(_) => Obj::BadText(raw.to_vec()),
        };
        self.push(obj);
        Ok(())
    }

    fn bytes(&mut self, n: u64, make: fn(Vec<u8>) -> Obj) -> Result<(), Error> {
        let raw = self.input.take(n)?.to_vec();
        self.push(make(raw));
        Ok(())
    }

    /// A `GLOBAL` or `INST` line: Python reads them as UTF-8.
    fn name_line(&mut self) -> Result<String, Error> {
        let line = self.input.line()?;
        match std::str::from_utf8(line) {
            Ok(s) => Ok(s.to_owned()),
            Err(_) => {
                let name = self.input.op_name;
                Err(self.input.error(format!("{name}'s name is not text")))
            }
        }
    }

    fn memo_index(&self, line: &[u8]) -> Result<u64, Error> {
        std::str::from_utf8(line)
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
            .ok_or_else(|| {
                let name = self.input.op_name;
                self.input
                    .error(format!("{name}'s memo index is not a number"))
            })
    }

    fn get(&mut self, key: u64) -> Result<(), Error> {
        let Some(&id) = self.memo.get(&key) else {
            let name = self.input.op_name;
            return Err(self
                .input
                .error(format!("{name} of memo slot {key}, which was never set")));
        };
        self.stack.push(id);
        Ok(())
    }

    fn put(&mut self, key: u64) -> Result<(), Error> {
        let top = self.top()?;
        self.memo.insert(key, top);
        Ok(())
    }

    fn ext(&mut self, code: u32) -> Result<(), Error> {
        if code == 0 {
            return Err(self.input.error("extension code 0"));
        }
        self.push(Obj::Ext(code));
        Ok(())
    }

    /// A call's arguments: a tuple's (or list's) items, else the one object.
    fn spread(&self, args: Id) -> Vec<Id> {
        match self.arena.get(args) {
            Obj::Tuple(items) | Obj::List(items) => items.clone(),
            _ => vec![args],
        }
    }

    fn call(&mut self, callee: Id, args: Vec<Id>, kwargs: Option<Id>, how: How) {
        let name = safety::describe(&self.arena, callee);
        if how == How::Call {
            for flag in safety::flags(&self.arena, &name, &args) {
                if self.seen_flags.insert(flag.clone()) {
                    self.flagged.push(flag);
                }
            }
        }
        self.push(Obj::Call(Call {
            callee: name,
            args,
            kwargs,
            states: Vec::new(),
            items: Vec::new(),
            pairs: Vec::new(),
        }));
    }

    fn add_items(&mut self, items: Vec<Id>) -> Result<(), Error> {
        let target = self.top()?;
        match self.arena.get_mut(target) {
            Obj::List(list) | Obj::Set(list) => list.extend(items),
            Obj::Call(call) => call.items.extend(items),
            other => {
                let (name, kind) = (self.input.op_name, other.kind());
                return Err(self.input.error(format!("{name} on a {kind}")));
            }
        }
        Ok(())
    }

    fn add_pairs(&mut self, pairs: Vec<(Id, Id)>) -> Result<(), Error> {
        let target = self.top()?;
        match self.arena.get_mut(target) {
            Obj::Dict(dict) => dict.extend(pairs),
            Obj::Call(call) => call.pairs.extend(pairs),
            other => {
                let (name, kind) = (self.input.op_name, other.kind());
                return Err(self.input.error(format!("{name} on a {kind}")));
            }
        }
        Ok(())
    }

    /// `BUILD`: a call's result keeps its state; anything else is wrapped,
    /// in place so that every reference to it sees the state.
    fn build(&mut self, target: Id, state: Id) {
        if let Obj::Call(call) = self.arena.get_mut(target) {
            call.states.push(state);
            return;
        }
        let old = self.arena.replace(target, Obj::None);
        let base = self.arena.push(old);
        self.arena.replace(target, Obj::Stated { base, state });
    }
}

/// Python 2's `str`: text when it is UTF-8, else bytes.
fn py2_str(raw: Vec<u8>) -> Obj {
    match String::from_utf8(raw) {
        Ok(s) => Obj::Str(s),
        Err(e) => Obj::Bytes(e.into_bytes()),
    }
}
