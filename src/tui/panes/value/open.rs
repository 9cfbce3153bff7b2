//! Opening a key in the Value pane: by a load, with a value fetched ahead
//! (the Keys pane's prefetch), or on a prefetch still in flight; and the
//! walks that wait for a yes in the frugal profile.

use std::time::Instant;

use super::State;
use crate::tui::msg::{Effect, ReqId};
use crate::value::session::Done;
use crate::value::{Fetch, Kind, Opened, Session};

impl State {
    /// Makes walks estimated above `cap` requests ask first (`None`: never).
    pub fn set_ask_above(&mut self, cap: Option<u64>) {
        self.ask_above = cap;
        if let Some(s) = &mut self.session {
            s.set_ask_above(cap);
        }
    }

    /// Opens `key` (its type as the Keys pane knows it, if it does).
    pub fn open(&mut self, key: &[u8], kind: Option<Kind>, req: ReqId) -> Effect {
        Effect::Value(self.start(key, kind, req))
    }

    /// A new session on `key`, waiting for the load tagged `req`: anything
    /// still in flight for the previous key is now stale.
    fn start(&mut self, key: &[u8], kind: Option<Kind>, req: ReqId) -> Fetch {
        let mut session = Session::new(key, kind, self.limits.clone());
        session.set_width(self.width);
        session.set_ask_above(self.ask_above);
        let fetch = session.reload(req);
        self.session = Some(session);
        self.detail = None;
        self.tick = None;
        fetch
    }

    /// Opens `key` with its header and first page fetched ahead (as of
    /// `at`): shown at once, without a request; `again` loads it once more
    /// as well (it is no longer fresh).
    pub fn open_prefetched(
        &mut self,
        key: &[u8],
        opened: Box<Opened>,
        at: Instant,
        again: bool,
        ids: &mut dyn FnMut() -> ReqId,
    ) -> Vec<Effect> {
        let kind = Some(opened.header.kind.clone());
        let id = ids();
        self.start(key, kind, id);
        let done = Done::Opened {
            id,
            result: Ok(opened),
        };
        let mut effects = self.on_loaded(done, at, ids);
        if again && let Some(reload) = self.reload(ids()) {
            effects.push(reload);
        }
        effects
    }

    /// Opens `key` on a load already in flight (tagged `req`), sending nothing.
    pub fn open_in_flight(&mut self, key: &[u8], kind: Option<Kind>, req: ReqId) {
        self.start(key, kind, req);
    }

    /// Whether the open key waits for the load tagged `req`.
    pub fn waits_for(&self, req: ReqId) -> bool {
        self.session.as_ref().is_some_and(|s| s.waits_for(req))
    }

    /// The question a walk waits on, if one was held (see [`Session::asking`]).
    pub fn asking(&self) -> Option<(String, String)> {
        self.session.as_ref().and_then(Session::asking)
    }

    /// Starts the held walk: the user said yes.
    pub fn go_on(&mut self, req: ReqId) -> Vec<Effect> {
        let fetch = self.session.as_mut().and_then(|s| s.go_on(req));
        fetch.map(Effect::Value).into_iter().collect()
    }

    /// Drops the held walk: the user said no.
    pub fn hold_off(&mut self) {
        if let Some(s) = &mut self.session
            && s.hold_off()
        {
            self.notice = s.take_news();
        }
    }
}
