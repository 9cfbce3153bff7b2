//! The command palette (`Ctrl-P`): every action of the panes and every
//! screen by name with the keys bound to it, read from the keymap,
//! fuzzy-filtered as the user types; `Enter` runs the chosen one.

pub mod view;

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher};

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tui::keymap::{Action, Context, Keymap};
use crate::tui::panes::{self, Component, Ctx, Request};
use crate::tui::screen::{BROWSER, Id};
use crate::tui::widgets::editor::TextArea;

/// What an entry of the palette runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// An action, in the pane of `ctx` (which takes the focus first).
    Action { ctx: Context, action: Action },
    /// Opens a whole-screen view; the Browser's id goes back to the panes.
    Screen(Id),
}

/// One line of the palette.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub command: Command,
    /// What the user reads and types against: `Keys: rescan`.
    pub title: String,
    /// The keys bound to it, as the status bar shows them (may be empty).
    pub keys: String,
}

impl AsRef<str> for Entry {
    fn as_ref(&self) -> &str {
        &self.title
    }
}

/// What a key did to the palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Still open.
    Open,
    /// Closed without running anything.
    Closed,
    /// Closed to run this.
    Run(Command),
}

/// The palette's query, its entries and the chosen one.
#[derive(Debug, Clone)]
pub struct State {
    query: TextArea,
    entries: Vec<Entry>,
    /// Indices into `entries` that match the query, best first.
    shown: Vec<usize>,
    selected: usize,
}

impl State {
    /// A palette of every pane action in `keymap`, the focused pane's first,
    /// then `screens` (with the Browser when `open` is a screen's).
    pub fn new(keymap: &Keymap, focus: Context, screens: &[Id], open: Option<Id>) -> State {
        let mut order = Context::PANES.to_vec();
        order.sort_by_key(|c| u8::from(*c != focus && *c != Context::Global));
        let screens = open
            .map(|_| BROWSER)
            .into_iter()
            .chain(screens.iter().copied().filter(|id| Some(*id) != open))
            .map(|id| Entry {
                command: Command::Screen(id),
                title: format!("Screen: {}", id.name),
                keys: keymap
                    .screen_keys(id)
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" "),
            });
        let entries: Vec<Entry> = order
            .into_iter()
            .flat_map(|ctx| {
                keymap
                    .actions(ctx)
                    .filter(move |(a, _)| listed(ctx, *a))
                    .map(move |(action, chords)| Entry {
                        command: Command::Action { ctx, action },
                        title: title(ctx, action),
                        keys: chords
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(" "),
                    })
            })
            .chain(screens)
            .collect();
        let shown = (0..entries.len()).collect();
        State {
            query: TextArea::default(),
            entries,
            shown,
            selected: 0,
        }
    }

    /// What has been typed.
    pub fn query(&self) -> &TextArea {
        &self.query
    }

    /// The entries that match the query, best first.
    pub fn shown(&self) -> impl Iterator<Item = &Entry> {
        self.shown.iter().filter_map(|&i| self.entries.get(i))
    }

    /// The position of the chosen entry among those shown.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// Handles a key: `action` is what the `[palette]` section binds it to.
    pub fn on_key(&mut self, action: Option<Action>, key: &KeyEvent) -> Outcome {
        match action {
            Some(Action::Cancel) => return Outcome::Closed,
            Some(Action::Apply) => {
                return match self.shown.get(self.selected) {
                    Some(&i) => Outcome::Run(self.entries[i].command),
                    None => Outcome::Closed,
                };
            }
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::Down) => {
                self.selected = (self.selected + 1).min(self.shown.len().saturating_sub(1));
            }
            _ => {
                if self.query.input(key) {
                    self.refilter();
                }
            }
        }
        Outcome::Open
    }

    /// Pasted text, into the query.
    pub fn paste(&mut self, text: &str) {
        self.query.insert_str(&text.replace(['\r', '\n'], " "));
        self.refilter();
    }

    fn refilter(&mut self) {
        let pattern = Pattern::parse(
            &self.query.text(),
            CaseMatching::Ignore,
            Normalization::Smart,
        );
        let mut matcher = Matcher::new(Config::DEFAULT);
        let indexed: Vec<Indexed> = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| Indexed(i, &e.title))
            .collect();
        self.shown = pattern
            .match_list(indexed, &mut matcher)
            .into_iter()
            .map(|(Indexed(i, _), _)| i)
            .collect();
        self.selected = 0;
    }
}

impl Component for State {
    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> panes::Outcome {
        match State::on_key(self, ctx.action(Context::Palette, &key), &key) {
            Outcome::Open => panes::Outcome::used(),
            Outcome::Closed => panes::Outcome::ask(Request::Close),
            Outcome::Run(command) => {
                panes::Outcome::ask(Request::Close).then(Request::Run(command))
            }
        }
    }

    fn on_paste(&mut self, text: &str, _ctx: &mut Ctx) -> panes::Outcome {
        self.paste(text);
        panes::Outcome::used()
    }

    fn draw(&self, frame: &mut Frame, screen: Rect, look: &panes::View) {
        let key = |a| look.keymap.label(Context::Palette, a, 1);
        let title = match (key(Action::Apply), key(Action::Cancel)) {
            (Some(a), Some(c)) => format!(" Commands ({a} runs, {c} closes) "),
            _ => " Commands ".to_owned(),
        };
        let area = view::View::area(screen);
        let widget = view::View {
            state: self,
            theme: look.theme,
            title: &title,
        };
        let cursor = widget.cursor(area);
        frame.render_widget(widget, area);
        frame.set_cursor_position(cursor);
    }
}

/// An entry's title with its index, for the matcher.
struct Indexed<'a>(usize, &'a str);

impl AsRef<str> for Indexed<'_> {
    fn as_ref(&self) -> &str {
        self.1
    }
}

/// Whether the palette lists `action` of `ctx`: not the moves every list
/// has, not the palette itself, and of the Console only what acts on the
/// pane rather than on the line being typed.
fn listed(ctx: Context, action: Action) -> bool {
    match action {
        Action::Palette
        | Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom => false,
        _ if ctx == Context::Console => matches!(
            action,
            Action::HistorySearch | Action::OutputMode | Action::Clear
        ),
        _ => true,
    }
}

/// The name an entry is shown and found by.
fn title(ctx: Context, action: Action) -> String {
    let what = action.describe_in(ctx);
    match ctx {
        Context::Global => capitalise(what),
        _ => format!("{}: {what}", ctx.title()),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn typed(state: &mut State, keymap: &Keymap, text: &str) {
        for c in text.chars() {
            let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
            state.on_key(keymap.action(Context::Palette, &key), &key);
        }
    }

    #[test]
    fn lists_actions_with_their_keys_and_filters_as_typed() {
        let keymap = Keymap::defaults();
        let mut p = State::new(&keymap, Context::Keys, &[], None);
        let rescan = p
            .shown()
            .find(|e| e.title == "Keys: rescan")
            .expect("rescan is listed");
        assert_eq!(rescan.keys, "r");
        assert!(p.shown().all(|e| !e.title.contains("page up")));
        typed(&mut p, &keymap, "fullscan");
        let first = p.shown().next().expect("a match");
        assert_eq!(first.title, "Keys: full scan");
        assert_eq!(first.keys, "L");
        let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
        let action = keymap.action(Context::Palette, &enter);
        assert_eq!(
            p.on_key(action, &enter),
            Outcome::Run(Command::Action {
                ctx: Context::Keys,
                action: Action::FullScan
            })
        );
    }

    #[test]
    fn lists_screens_with_their_keys_and_the_browser_from_a_screen() {
        let analyze = Id {
            section: "analyze",
            name: "Analyze",
        };
        let keymap = Keymap::defaults();
        let p = State::new(&keymap, Context::Keys, &[analyze], None);
        let titles: Vec<_> = p.shown().map(|e| e.title.as_str()).collect();
        assert!(titles.contains(&"Screen: Analyze"), "{titles:?}");
        assert!(!titles.contains(&"Screen: Browser"), "{titles:?}");
        let mut p = State::new(&keymap, Context::Keys, &[analyze], Some(analyze));
        let titles: Vec<_> = p.shown().map(|e| e.title.as_str()).collect();
        assert!(titles.contains(&"Screen: Browser"), "{titles:?}");
        assert!(
            !titles.contains(&"Screen: Analyze"),
            "the open one: {titles:?}"
        );
        typed(&mut p, &keymap, "browser");
        let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(
            p.on_key(keymap.action(Context::Palette, &enter), &enter),
            Outcome::Run(Command::Screen(BROWSER))
        );
    }

    #[test]
    fn nothing_matching_runs_nothing() {
        let keymap = Keymap::defaults();
        let mut p = State::new(&keymap, Context::Value, &[], None);
        typed(&mut p, &keymap, "zzzzqqq");
        assert_eq!(p.shown().count(), 0);
        let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(
            p.on_key(keymap.action(Context::Palette, &enter), &enter),
            Outcome::Closed
        );
    }
}
