//! The Value pane: one open key through [`crate::value::Session`], with a
//! detail view for the selected element, a TTL countdown and auto-refresh.
//! Views live in `view.rs` and `body.rs`; this file only changes state.

mod body;
mod component;
mod conflict;
pub mod edit;
pub mod edit_view;
mod open;
pub mod save;
pub mod target;
mod view;

use std::time::{Duration, Instant};

pub use view::{View, body_height};

use crate::tui::msg::{Action, Effect, ReqId};
use crate::tui::panes::{Outcome, Request};
use crate::value::format::{self, Format, Rendered, wrap};
use crate::value::session::{Done, body_lines};
use crate::value::{Kind, Limits, Session, clipboard};

/// What the pane says when asked for a value before a key is open.
const NO_KEY: &str = "no key is open: Enter on a key in the Keys pane opens it";

/// How often the countdown ticks while a key with a TTL (or auto-refresh) is open.
pub const TICK: Duration = Duration::from_secs(1);
/// Auto-refresh reloads every this many ticks (2 s).
const REFRESH_TICKS: u64 = 2;
/// Auto-refreshes in a minute.
const REFRESHES_PER_MINUTE: u64 = 60 / (TICK.as_secs() * REFRESH_TICKS);

/// The selected element shown whole, in its own format.
#[derive(Debug)]
pub struct Detail {
    /// The row shown.
    pub index: usize,
    /// Its format, cycled with `f` apart from the pane's.
    pub format: Format,
    /// The element in that format.
    pub rendered: Rendered,
    /// The first line on screen.
    pub scroll: usize,
    /// Its screen lines at the detail's width (text and JSON).
    pub wrap: Vec<std::ops::Range<usize>>,
    /// What identifies the element: its field, index, score or id.
    pub label: Vec<String>,
}

impl Detail {
    /// Lines the detail scrolls over.
    pub fn len(&self) -> usize {
        if self.wrap.is_empty() {
            body_lines(&self.rendered.body)
        } else {
            self.wrap.len()
        }
    }

    /// Whether it has no lines.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The Value pane's state.
#[derive(Debug, Default)]
pub struct State {
    session: Option<Session>,
    detail: Option<Detail>,
    limits: Limits,
    /// The id of the countdown tick being waited for, if one is running.
    tick: Option<ReqId>,
    ticks: u64,
    /// The clock as of the last message that carried it (for the countdown).
    now: Option<Instant>,
    notice: Option<(String, bool)>,
    /// Columns inside the pane's borders.
    width: usize,
    /// Rows of body on screen.
    height: usize,
    /// Walks estimated above this many requests ask first (the frugal profile).
    ask_above: Option<u64>,
}

impl State {
    /// An empty pane that fetches within `limits`.
    pub fn with_limits(limits: Limits) -> State {
        State {
            limits,
            ..State::default()
        }
    }

    /// How much of a value the pane fetches (`[value]` in the config file).
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Sets the pane's area (after a resize): text bodies wrap to its width.
    pub fn set_area(&mut self, area: ratatui::layout::Rect) {
        self.width = area.width.saturating_sub(2) as usize;
        self.height = body_height(area);
        if let Some(s) = &mut self.session {
            s.set_width(self.width);
            s.keep_page(self.height);
        }
        self.refresh_detail();
    }

    /// Loads the open key again after a write, keeping the place and the
    /// detail view.
    pub fn reload(&mut self, req: ReqId) -> Option<Effect> {
        self.session.as_mut().map(|s| Effect::Value(s.reload(req)))
    }

    /// Applies a finished load, sends the next step of a walk under way,
    /// and starts the countdown when the key expires.
    pub fn on_loaded(
        &mut self,
        done: Done,
        at: Instant,
        ids: &mut dyn FnMut() -> ReqId,
    ) -> Vec<Effect> {
        let Some(s) = &mut self.session else {
            return Vec::new();
        };
        if !s.apply(done, at) {
            return Vec::new();
        }
        self.now = Some(at);
        s.keep_page(self.height);
        let mut effects: Vec<Effect> = s
            .step(ids())
            .or_else(|| s.rest_to_decode(ids()))
            .map(Effect::Value)
            .into_iter()
            .collect();
        if let Some(e) = s.error() {
            self.notice = Some((e.to_string(), true));
        } else if let Some(news) = s.take_news() {
            self.notice = Some(news);
        }
        self.refresh_detail();
        effects.extend(self.arm_tick(ids()));
        effects
    }

    /// A countdown tick: moves the clock, auto-refreshes every 2 s, and
    /// schedules the next tick while it is needed.
    pub fn on_tick(
        &mut self,
        req: ReqId,
        at: Instant,
        ids: &mut dyn FnMut() -> ReqId,
    ) -> Vec<Effect> {
        if self.tick != Some(req) {
            return Vec::new();
        }
        self.tick = None;
        self.now = Some(at);
        self.ticks += 1;
        let mut effects = Vec::new();
        if let Some(s) = &mut self.session
            && s.auto_refresh()
            && self.ticks.is_multiple_of(REFRESH_TICKS)
            && let Some(f) = s.refresh(ids())
        {
            effects.push(Effect::Value(f));
        }
        effects.extend(self.arm_tick(ids()));
        effects
    }

    fn arm_tick(&mut self, req: ReqId) -> Option<Effect> {
        let s = self.session.as_ref()?;
        let wanted = s.auto_refresh() || s.header().is_some_and(|h| h.ttl_ms.is_some());
        if !wanted || self.tick.is_some() {
            return None;
        }
        self.tick = Some(req);
        Some(Effect::ValueTick { req, after: TICK })
    }

    /// Carries out an action while the pane has the focus; `page` is the
    /// number of rows on screen.
    fn act(&mut self, action: Action, page: usize, ids: &mut dyn FnMut() -> ReqId) -> Outcome {
        let page = page.max(1) as isize;
        if let Some(d) = &mut self.detail {
            let last = d.len().saturating_sub(page as usize);
            match action {
                Action::Up => d.scroll = d.scroll.saturating_sub(1),
                Action::Down => d.scroll = (d.scroll + 1).min(last),
                Action::PageUp => d.scroll = d.scroll.saturating_sub(page as usize),
                Action::PageDown => d.scroll = (d.scroll + page as usize).min(last),
                Action::Top => d.scroll = 0,
                Action::Bottom => d.scroll = last,
                Action::Open | Action::Cancel => self.detail = None,
                Action::CycleFormat => {
                    let sample = self.session.as_ref().and_then(|s| s.element(d.index));
                    d.format = d
                        .format
                        .cycle(sample.as_deref(), self.limits.decompress_cap);
                    self.refresh_detail();
                }
                Action::Copy => return Outcome::run(self.copy(false)),
                Action::CopyRaw => return Outcome::run(self.copy(true)),
                // The pane's other verbs close the element and act on the value.
                Action::Save
                | Action::Reload
                | Action::AutoRefresh
                | Action::Reverse
                | Action::SearchNext
                | Action::SearchPrev => {
                    self.detail = None;
                    return self.act(action, page as usize, ids);
                }
                _ => {}
            }
            return Outcome::used();
        }
        let Some(s) = &mut self.session else {
            return Outcome::say(NO_KEY, false);
        };
        let fetch = match action {
            Action::Up => s.move_by(-1, ids()),
            Action::Down => s.move_by(1, ids()),
            Action::PageUp => s.move_by(-page, ids()),
            Action::PageDown => s.move_by(page, ids()),
            Action::Top => s.top(ids()),
            Action::Bottom => s.bottom(ids()),
            Action::Reload => Some(s.reload(ids())),
            Action::Reverse => s.toggle_order(ids()),
            Action::SearchNext => s.find_next(false, ids()),
            Action::SearchPrev => s.find_next(true, ids()),
            Action::CycleFormat => {
                s.cycle_format();
                None
            }
            Action::Cancel => {
                if s.stop() {
                    None
                } else {
                    s.clear_search(ids())
                }
            }
            Action::AutoRefresh => {
                s.toggle_auto();
                let text = match s.refresh_commands() {
                    Some(n) => format!(
                        "auto-refresh on (every 2 s: {} commands a minute)",
                        n * REFRESHES_PER_MINUTE
                    ),
                    None => "auto-refresh off".to_owned(),
                };
                return Outcome::say(text, false).effects(self.arm_tick(ids()));
            }
            Action::Open => {
                self.open_detail();
                return Outcome::used();
            }
            Action::Copy => return Outcome::run(self.copy(false)),
            Action::CopyRaw => return Outcome::run(self.copy(true)),
            Action::Save => return self.save(),
            _ => None,
        };
        // A text body never scrolls past its last screen.
        s.keep_page(page as usize);
        if let Some(news) = s.take_news() {
            self.notice = Some(news);
        }
        Outcome::run(fetch.map(Effect::Value))
    }

    /// Runs a search typed in the search box.
    pub fn search(&mut self, needle: &str, req: ReqId) -> Vec<Effect> {
        let Some(s) = &mut self.session else {
            return Vec::new();
        };
        let fetch = s.search(needle.as_bytes(), req);
        if let Some(news) = s.take_news() {
            self.notice = Some(news);
        }
        fetch.map(Effect::Value).into_iter().collect()
    }

    /// The search box's title: what kind of search `/` starts here.
    pub fn search_title(&self) -> String {
        let kind = self.session.as_ref().map_or("text", Session::search_kind);
        format!("search: {kind}")
    }

    fn open_detail(&mut self) {
        let Some(s) = &self.session else { return };
        // Strings and documents are already shown whole.
        if s.rendered().is_some() {
            self.notice = Some((
                "the whole value is shown here already (f changes its format, o saves it)".into(),
                false,
            ));
            return;
        }
        if s.rows().is_none_or(|r| r.is_empty()) {
            self.notice = Some(("no element to open here".into(), false));
            return;
        }
        let index = s.selected();
        // The detail starts in the format the rows are shown in.
        let format = s.format();
        if let Some(bytes) = s.element(index) {
            self.detail = Some(Detail {
                index,
                format,
                rendered: format::render(&bytes, format, self.limits.decompress_cap),
                scroll: 0,
                wrap: Vec::new(),
                label: s.element_label(index),
            });
            self.refresh_detail();
        }
    }

    /// Re-renders the detail after a format change or a reload.
    fn refresh_detail(&mut self) {
        let (Some(s), Some(d)) = (&self.session, &mut self.detail) else {
            return;
        };
        match s.element(d.index) {
            Some(bytes) => {
                d.rendered = format::render(&bytes, d.format, self.limits.decompress_cap);
                // Inside the detail's own borders.
                let width = self.width.saturating_sub(2);
                d.wrap = wrap::text_of(&d.rendered.body)
                    .map(|t| wrap::lines(t, width))
                    .unwrap_or_default();
                d.label = s.element_label(d.index);
                d.scroll = d.scroll.min(d.len().saturating_sub(1));
            }
            None => self.detail = None,
        }
    }

    /// `y` copies what is shown (the detail, the body or the selected
    /// element in its format), `Y` the stored bytes; the status line says
    /// which, how much, and how to get the other.
    fn copy(&mut self, stored: bool) -> Vec<Effect> {
        let Some(s) = &self.session else {
            return Vec::new();
        };
        let index = self.detail.as_ref().map_or(s.selected(), |d| d.index);
        let Some(bytes) = s.element(index) else {
            self.notice = Some(("nothing to copy yet: the value is loading".into(), false));
            return Vec::new();
        };
        let rendered = match (&self.detail, s.rendered()) {
            (Some(d), _) => Some(d.rendered.clone()),
            (None, Some(r)) => Some(r.clone()),
            (None, None) => Some(format::render(
                &bytes,
                s.format(),
                self.limits.decompress_cap,
            )),
        };
        let shown = rendered.as_ref().map(|r| r.text().into_bytes());
        let size = |n: usize| crate::value::human::bytes(n as u64);
        let part = s
            .loaded_part()
            .map(|p| format!(" ({p}; o saves all of it)"))
            .unwrap_or_default();
        let (copied, text) = match shown {
            Some(shown) if !stored && shown != bytes => {
                let how = rendered.as_ref().map_or(String::new(), |r| {
                    let mut how = format!("as shown ({}", r.format_label());
                    if let Some(k) = r.inflated {
                        how.push_str(&format!(", decompressed from {}", k.label()));
                    }
                    how + ")"
                });
                let text = format!(
                    "copied {} {how}{part} to the clipboard; Y copies the stored {}",
                    size(shown.len()),
                    size(bytes.len())
                );
                (shown, text)
            }
            Some(shown) if stored && shown != bytes => {
                let text = format!(
                    "copied the stored bytes, {}{part}, to the clipboard; y copies them as shown",
                    size(bytes.len())
                );
                (bytes, text)
            }
            _ => {
                let text = format!("copied {}{part} to the clipboard", size(bytes.len()));
                (bytes, text)
            }
        };
        match clipboard::osc52(&copied, clipboard::DEFAULT_CAP) {
            Ok(seq) => {
                self.notice = Some((text, false));
                vec![Effect::Copy(seq)]
            }
            Err(e) => {
                self.notice = Some((e.to_string(), true));
                Vec::new()
            }
        }
    }

    /// `o`: the save dialog, prefilled with a name from the key.
    fn save(&mut self) -> Outcome {
        let Some(s) = self.session.as_ref() else {
            return Outcome::used();
        };
        let Some(kind) = s
            .kind()
            .filter(|k| !matches!(k, Kind::Missing | Kind::Other(_)))
        else {
            return Outcome::say(
                "nothing to save: the key holds no value that can be read",
                false,
            );
        };
        let total = s.header().and_then(|h| h.len);
        let name = file_name(s.key(), kind);
        let prompt = save::Prompt::new(s.key(), kind.clone(), name, total);
        Outcome::ask(Request::Save(Box::new(prompt)))
    }

    /// The line for the status bar, once.
    pub fn take_notice(&mut self) -> Option<(String, bool)> {
        self.notice.take()
    }

    /// Whether Esc has something to close or stop here (the detail, a
    /// search, a load or a walk under way).
    pub fn cancellable(&self) -> bool {
        self.detail.is_some()
            || self
                .session
                .as_ref()
                .is_some_and(|s| s.needle().is_some() || s.is_loading())
    }

    /// The open key.
    pub fn key(&self) -> Option<&[u8]> {
        self.session.as_ref().map(Session::key)
    }

    /// The open key's session.
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// The detail view, when open.
    pub fn detail(&self) -> Option<&Detail> {
        self.detail.as_ref()
    }

    /// The clock as of the last load or tick.
    pub fn now(&self) -> Option<Instant> {
        self.now
    }

    /// The commands auto-refresh sends a minute (0 when it is off).
    pub fn refresh_per_minute(&self) -> u64 {
        let per = self.session.as_ref().and_then(Session::refresh_commands);
        per.unwrap_or(0) * REFRESHES_PER_MINUTE
    }
}

/// The type the Keys pane knows, for the engine to open the key without
/// asking; `None` for a key gone or of a module type, which the engine
/// asks the server about first (it may have changed since).
pub fn known_kind(kind: Kind) -> Option<Kind> {
    (!matches!(kind, Kind::Missing | Kind::Other(_))).then_some(kind)
}

/// A file name for saving `key`: its safe characters, and an extension by type.
pub fn file_name(key: &[u8], kind: &Kind) -> String {
    let stem: String = key
        .iter()
        .take(80)
        .map(|&b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'_' => b as char,
            _ => '_',
        })
        .collect();
    let ext = match kind {
        Kind::String => "bin",
        Kind::Json => "json",
        Kind::Hash | Kind::ZSet | Kind::Stream => "tsv",
        _ => "txt",
    };
    format!("{}.{ext}", stem.trim_start_matches('.'))
}
