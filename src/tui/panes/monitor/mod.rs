//! The Monitor pane's state: the monitor's [`Engine`], the one tick that may
//! be in flight, the queues the recognisers suggest for watching and the
//! scan for more of them. Ticks are
//! asked for by a timer message, run as an effect, and come back as one
//! message with the tick's replies and what the client recorded meanwhile.

mod component;
mod cost;
pub mod format;
mod queues;
pub mod sweep;
pub mod view;

use std::time::Instant;

use crate::monitor::tick::Ticked;
use crate::monitor::{Engine, Level, Settings};
use crate::recognise::Suggestion;
use crate::tui::app::Health;
use crate::tui::msg::Effect;

/// The Monitor pane's state.
#[derive(Debug)]
pub struct State {
    engine: Engine,
    in_flight: bool,
    ticked: bool,
    /// When the last tick ended: the view's "now", so that a screen drawn
    /// between ticks shows the figures as of that tick.
    now: Instant,
    suggestions: Vec<Suggestion>,
    /// The scan for queues the user asked for.
    pub sweep: sweep::Sweeping,
    /// Lines scrolled past at the top of the pane.
    offset: usize,
}

impl State {
    /// A monitor with `settings`, starting at `now`.
    pub fn new(settings: Settings, now: Instant) -> State {
        State {
            engine: Engine::new(settings, now),
            in_flight: false,
            ticked: false,
            now,
            suggestions: Vec::new(),
            sweep: sweep::Sweeping::default(),
            offset: 0,
        }
    }

    /// Lines scrolled past at the top of the pane.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Scrolls by `delta` lines, within `max` (the content's lines less the
    /// pane's).
    pub fn scroll(&mut self, delta: isize, max: usize) {
        self.offset = self.offset.min(max).saturating_add_signed(delta).min(max);
    }

    /// The monitor's figures.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The instant the figures are as of.
    pub fn now(&self) -> Instant {
        self.now
    }

    /// The tick to run now, unless one is still in flight (a slow endpoint
    /// must not pile up probes).
    pub fn due(&mut self) -> Option<Effect> {
        if self.in_flight {
            return None;
        }
        self.in_flight = true;
        Some(Effect::MonitorTick {
            plan: self.engine.plan(),
            cursor: self.engine.cursor(),
        })
    }

    /// Takes a finished tick; returns the timer for the next one.
    pub fn on_ticked(&mut self, ticked: Ticked) -> Effect {
        let Ticked {
            at,
            report,
            recorded,
        } = ticked;
        self.in_flight = false;
        self.ticked = true;
        self.now = self.now.max(at);
        self.engine.take(at, recorded);
        self.engine.apply(at, report);
        Effect::ScheduleMonitor(self.engine.next_delay())
    }

    /// The health for the title bar's dot.
    pub fn title_health(&self) -> Health {
        let h = self.engine.health();
        match h.level() {
            _ if !self.ticked => Health::Unknown,
            Level::Degraded | Level::Down if h.misconfigured().is_some() => Health::Refused {
                note: h.misconfigured().unwrap_or_default(),
                reason: h.reason().to_owned(),
            },
            Level::Ok => Health::Up(self.engine.last_rtt()),
            Level::Degraded => Health::Degraded(h.reason().to_owned()),
            Level::Down => Health::Down(h.reason().to_owned()),
        }
    }

    /// The timer to arm after keys were added, so that they are read soon
    /// rather than an interval later; nothing while a tick is out (its
    /// answer arms the timer).
    pub fn soon(&self) -> Option<Effect> {
        (!self.in_flight && self.ticked)
            .then_some(Effect::ScheduleMonitor(self.engine.next_delay()))
    }

    /// Watches `key`, or stops watching it; returns whether it is watched now.
    pub fn toggle_watch(&mut self, key: &[u8]) -> bool {
        if self.is_watched(key) {
            self.engine.unwatch(key);
            false
        } else {
            self.engine.watch(key.to_vec(), None);
            true
        }
    }

    /// Watches `key` with an alert at `threshold` (again, if it was watched).
    pub fn watch(&mut self, key: Vec<u8>, threshold: Option<u64>) {
        self.engine.watch(key, threshold);
    }

    /// Whether `key` is watched.
    pub fn is_watched(&self, key: &[u8]) -> bool {
        self.engine.queues().iter().any(|q| q.key() == key)
    }

    /// Counts a prefetch's requests and commands in the cost meter.
    pub fn record_prefetch(&mut self, at: Instant, requests: u64, commands: u64) {
        self.engine.record_prefetch(at, requests, commands);
    }

    /// Sets the commands a minute of the other periodic reads (auto-refresh).
    pub fn set_others(&mut self, per_minute: u64) {
        self.engine.set_others(per_minute);
    }

    /// Keeps the recognisers' suggestions to offer for watching.
    pub fn suggest(&mut self, found: Vec<Suggestion>) {
        self.suggestions = found;
    }

    /// The suggested keys that are not watched yet.
    pub fn suggestions(&self) -> impl Iterator<Item = &Suggestion> {
        self.suggestions.iter().filter(|s| !self.is_watched(&s.key))
    }

    /// Watches every suggested key; returns how many were added.
    pub fn watch_suggested(&mut self) -> usize {
        let new: Vec<Vec<u8>> = self.suggestions().map(|s| s.key.clone()).collect();
        for key in &new {
            self.engine.watch(key.clone(), None);
        }
        new.len()
    }
}
