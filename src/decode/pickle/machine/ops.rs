//! What the opcodes do to the stack, the memo and the objects.

use super::super::Error;
use super::super::arena::{Args, Call, How, Id, Obj};
use super::super::{safety, text};
use super::Machine;

impl Machine<'_> {
    /// Adds an object and pushes it.
    pub(super) fn push(&mut self, obj: Obj) -> Id {
        let id = self.arena.push(obj);
        self.stack.push(id);
        id
    }

    pub(super) fn alloc(&mut self, obj: Obj) -> Id {
        self.arena.push(obj)
    }

    pub(super) fn mark_floor(&self) -> usize {
        self.marks.last().copied().unwrap_or(0)
    }

    pub(super) fn pop(&mut self) -> Result<Id, Error> {
        if self.stack.len() <= self.mark_floor() {
            return Err(self.input.op_error("on an empty stack"));
        }
        self.stack
            .pop()
            .ok_or_else(|| self.input.error("the stack is empty"))
    }

    pub(super) fn top(&self) -> Result<Id, Error> {
        match self.stack.last() {
            Some(&id) if self.stack.len() > self.mark_floor() => Ok(id),
            _ => Err(self.input.op_error("on an empty stack")),
        }
    }

    /// The items pushed since the last `MARK`, which is removed.
    pub(super) fn pop_mark(&mut self) -> Result<Vec<Id>, Error> {
        let Some(mark) = self.marks.pop() else {
            return Err(self.input.op_error("without a MARK"));
        };
        Ok(self.stack.split_off(mark))
    }

    pub(super) fn pairs(&self, items: Vec<Id>) -> Result<Vec<(Id, Id)>, Error> {
        if !items.len().is_multiple_of(2) {
            return Err(self.input.op_error("with an odd number of items"));
        }
        Ok(items.chunks_exact(2).map(|p| (p[0], p[1])).collect())
    }

    pub(super) fn length_i32(&mut self) -> Result<u64, Error> {
        let n = self.input.i32()?;
        u64::try_from(n).map_err(|_| self.input.op_error("with a negative length"))
    }

    pub(super) fn int_text(&self, line: &[u8]) -> Result<Obj, Error> {
        let Some(text) = text::decimal(line) else {
            return Err(self.input.op_error("is not a decimal integer"));
        };
        Ok(match text.parse::<i64>() {
            Ok(v) => Obj::Int(v),
            Err(_) => Obj::IntText(text),
        })
    }

    pub(super) fn utf8(&mut self, n: u64) -> Result<(), Error> {
        let raw = self.input.take(n)?;
        let obj = match std::str::from_utf8(raw) {
            Ok(s) => Obj::Str(s.to_owned()),
            Err(_) => Obj::BadText(raw.to_vec()),
        };
        self.push(obj);
        Ok(())
    }

    pub(super) fn bytes(&mut self, n: u64, make: fn(Vec<u8>) -> Obj) -> Result<(), Error> {
        let raw = self.input.take(n)?.to_vec();
        self.push(make(raw));
        Ok(())
    }

    /// A `GLOBAL` or `INST` line: Python reads them as UTF-8.
    pub(super) fn name_line(&mut self) -> Result<String, Error> {
        let line = self.input.line()?;
        match std::str::from_utf8(line) {
            Ok(s) => Ok(s.to_owned()),
            Err(_) => Err(self.input.op_error("has a name that is not text")),
        }
    }

    pub(super) fn memo_index(&self, line: &[u8]) -> Result<u64, Error> {
        std::str::from_utf8(line)
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
            .ok_or_else(|| self.input.op_error("has a memo index that is not a number"))
    }

    pub(super) fn get(&mut self, key: u64) -> Result<(), Error> {
        let Some(&id) = self.memo.get(&key) else {
            return Err(self
                .input
                .op_error(&format!("of memo slot {key}, which was never set")));
        };
        self.stack.push(id);
        Ok(())
    }

    pub(super) fn put(&mut self, key: u64) -> Result<(), Error> {
        let top = self.top()?;
        self.memo.insert(key, top);
        Ok(())
    }

    pub(super) fn ext(&mut self, code: u64) -> Result<(), Error> {
        // EXT4 is a signed int32: a negative one reads past i32::MAX here.
        if code == 0 || code > i32::MAX as u64 {
            return Err(self.input.op_error("names an extension code out of range"));
        }
        self.push(Obj::Ext(code));
        Ok(())
    }

    pub(super) fn call(&mut self, callee: Id, args: Args, kwargs: Option<Id>, how: How) {
        let name = safety::describe(&self.arena, callee);
        if how == How::Call {
            for flag in safety::flags(&self.arena, &name, self.arena.args(&args)) {
                if self.seen_flags.insert(flag.clone()) {
                    self.flagged.push(flag);
                }
            }
        }
        self.push(Obj::Call(Box::new(Call {
            callee: name,
            args,
            kwargs,
            states: Vec::new(),
            items: Vec::new(),
            pairs: Vec::new(),
        })));
    }

    pub(super) fn add_items(&mut self, items: Vec<Id>) -> Result<(), Error> {
        let target = self.top()?;
        match self.arena.get_mut(target) {
            Obj::List(list) | Obj::Set(list) => list.extend(items),
            Obj::Call(call) => call.items.extend(items),
            other => {
                return Err(self
                    .input
                    .op_error(&format!("on {}", other.kind_with_article())));
            }
        }
        Ok(())
    }

    pub(super) fn add_pairs(&mut self, pairs: Vec<(Id, Id)>) -> Result<(), Error> {
        let target = self.top()?;
        match self.arena.get_mut(target) {
            Obj::Dict(dict) => dict.extend(pairs),
            Obj::Call(call) => call.pairs.extend(pairs),
            other => {
                return Err(self
                    .input
                    .op_error(&format!("on {}", other.kind_with_article())));
            }
        }
        Ok(())
    }

    /// `BUILD`: a call's result keeps its state; anything else is wrapped,
    /// in place so that every reference to it sees the state.
    pub(super) fn build(&mut self, target: Id, state: Id) {
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
pub(super) fn py2_str(raw: Vec<u8>) -> Obj {
    match String::from_utf8(raw) {
        Ok(s) => Obj::Str(s),
        Err(e) => Obj::Bytes(e.into_bytes()),
    }
}
