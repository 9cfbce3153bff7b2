//! Prefetch: when the cursor rests on a key in the Keys pane, its header and
//! first page are fetched ahead, so that `Enter` shows them at once. One
//! prefetch at most is in flight (a newer one aborts it), one value is kept,
//! the Monitor counts what they cost, and the frugal profile turns them off.

use std::time::{Duration, Instant};

use super::{App, Mode};
use crate::tui::msg::{Effect, Msg, ReqId};
use crate::tui::panes::{Pane, value};
use crate::value::session::Done;
use crate::value::{Fetch, Opened, header};

/// How long the cursor must rest on a key before it is fetched.
pub const REST: Duration = Duration::from_millis(150);

/// A prefetched value this young is shown on `Enter` without a request;
/// an older one is shown and loaded again.
pub const FRESH: Duration = Duration::from_secs(5);

/// The prefetch's state.
#[derive(Debug, Default)]
pub struct Prefetch {
    /// The selected key as last seen, to notice when the cursor moves.
    seen: Option<Vec<u8>>,
    /// The prefetch in flight: its id and key.
    flight: Option<(ReqId, Vec<u8>)>,
    /// The last value fetched ahead, with when it came back.
    ready: Option<Ready>,
}

#[derive(Debug)]
struct Ready {
    key: Vec<u8>,
    opened: Box<Opened>,
    at: Instant,
}

impl Prefetch {
    /// Forgets what was fetched and what is in flight (its reply will be
    /// dropped): a write may have changed it.
    pub fn forget(&mut self) {
        self.ready = None;
        self.flight = None;
    }

    /// Whether a value of `key` is kept, fetched at most `FRESH` before `now`.
    pub fn fresh(&self, key: &[u8], now: Instant) -> bool {
        self.ready
            .as_ref()
            .is_some_and(|r| r.key == key && now.saturating_duration_since(r.at) <= FRESH)
    }
}

impl App {
    /// After each message: when the cursor has moved to another key in the
    /// Keys pane, (re)start the rest before a prefetch.
    pub(super) fn follow_cursor(&mut self) -> Option<Effect> {
        let resting = self.cost.prefetch() && self.focus == Pane::Keys;
        let selected = self.keys.selected_key().filter(|_| resting);
        if selected == self.prefetch.seen.as_deref() {
            return None;
        }
        self.prefetch.seen = selected.map(<[u8]>::to_vec);
        selected.map(|_| Effect::DebouncePrefetch)
    }

    /// The cursor rested: fetch the selected key unless it is open, kept
    /// fresh, or already on its way.
    pub(super) fn prefetch_due(&mut self) -> Vec<Effect> {
        let idle = matches!(self.mode, Mode::Normal) && self.focus == Pane::Keys;
        if !self.cost.prefetch() || !idle {
            return Vec::new();
        }
        let Some(key) = self.keys.selected_key().map(<[u8]>::to_vec) else {
            return Vec::new();
        };
        let open = self.value.key() == Some(key.as_slice());
        let flying = self
            .prefetch
            .flight
            .as_ref()
            .is_some_and(|(_, k)| *k == key);
        if open || flying || self.prefetch.fresh(&key, Instant::now()) {
            return Vec::new();
        }
        let id = self.req();
        let kind = self.keys.selected_kind().and_then(value::known_kind);
        let supersedes = self
            .prefetch
            .flight
            .replace((id, key.clone()))
            .map(|(id, _)| id);
        let fetch = Fetch::Open {
            id,
            key,
            kind,
            order: Default::default(),
            limits: self.value.limits().clone(),
        };
        vec![Effect::Prefetch { fetch, supersedes }]
    }

    /// A prefetch came back: kept for `Enter`, or handed to the Value pane
    /// if `Enter` came first; counted in the Monitor either way.
    pub(super) fn on_prefetched(&mut self, done: Done, at: Instant) -> Vec<Effect> {
        let Done::Opened { id, result } = done else {
            return Vec::new();
        };
        let (requests, commands) = match &result {
            Ok(o) => (o.requests, commands(o)),
            Err(_) => (1, 1),
        };
        self.monitor
            .record_prefetch(at, requests as u64, commands as u64);
        if self.value.waits_for(id) {
            return self.update(Msg::ValueLoaded {
                done: Done::Opened { id, result },
                at,
            });
        }
        match (self.prefetch.flight.take_if(|(f, _)| *f == id), result) {
            (Some((_, key)), Ok(opened)) => self.prefetch.ready = Some(Ready { key, opened, at }),
            (Some(_), Err(e)) => tracing::debug!("prefetch failed: {e}"),
            (None, _) => {}
        }
        Vec::new()
    }

    /// `Enter` on `key`: shows its prefetched value at once (loaded again
    /// if older than [`FRESH`]), or waits for the prefetch in flight;
    /// `None` when there is neither.
    pub(super) fn open_prefetched(
        &mut self,
        key: &[u8],
        kind: Option<crate::value::Kind>,
    ) -> Option<Vec<Effect>> {
        if let Some(ready) = self.prefetch.ready.take_if(|r| r.key == key) {
            let stale = Instant::now().saturating_duration_since(ready.at) > FRESH;
            let next = &mut self.next_req;
            let mut ids = || {
                *next += 1;
                *next
            };
            let effects = self
                .value
                .open_prefetched(key, ready.opened, ready.at, stale, &mut ids);
            self.value_notice();
            return Some(effects);
        }
        let (id, _) = self.prefetch.flight.take_if(|(_, k)| k == key)?;
        self.value.open_in_flight(key, kind, id);
        Some(Vec::new())
    }
}

/// The commands an open spent: TYPE when the type was not known, the
/// header's commands and the first page.
fn commands(o: &Opened) -> usize {
    o.requests.saturating_sub(1)
        + header::command_count(&o.header.kind)
        + usize::from(o.page.is_some())
}
