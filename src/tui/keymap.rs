//! Key bindings: `assets/keymap.toml` embedded, user overrides merged over
//! it; the status-bar hints and the help overlay read the same map.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use anyhow::{Context as _, anyhow, bail};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::msg::Action;
use super::screen::{Id, Registry};

const DEFAULT: &str = include_str!("../../assets/keymap.toml");

/// Where a binding applies: everywhere, in one pane, or in one screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    Keys,
    Value,
    Console,
    Monitor,
    /// A whole-screen view; its section is named after it.
    Screen(Id),
}

/// The section that binds the keys opening each screen, by its section name.
const SCREENS: &str = "screens";

impl Context {
    const ALL: [Context; 5] = [
        Context::Global,
        Context::Keys,
        Context::Value,
        Context::Console,
        Context::Monitor,
    ];

    fn section(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Keys => "keys",
            Context::Value => "value",
            Context::Console => "console",
            Context::Monitor => "monitor",
            Context::Screen(id) => id.section,
        }
    }

    /// The heading shown in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Keys => "Keys",
            Context::Value => "Value",
            Context::Console => "Console",
            Context::Monitor => "Monitor",
            Context::Screen(id) => id.name,
        }
    }
}

/// One key with its modifiers, normalised so that `L` and `shift-l` agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    code: KeyCode,
    mods: KeyModifiers,
}

impl Chord {
    /// The chord a terminal key event stands for.
    pub fn from_event(ev: &KeyEvent) -> Chord {
        let mut mods = ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code = match ev.code {
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            KeyCode::Tab if ev.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            code => code,
        };
        if matches!(code, KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        Chord { code, mods }
    }

    /// Parses `q`, `L`, `ctrl-c`, `shift-tab`, `pagedown`, `f5`, ...
    pub fn parse(text: &str) -> anyhow::Result<Chord> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.chars().count() > 1 && lower.starts_with("ctrl-") {
                mods |= KeyModifiers::CONTROL;
                rest = &rest[5..];
            } else if rest.chars().count() > 1 && lower.starts_with("alt-") {
                mods |= KeyModifiers::ALT;
                rest = &rest[4..];
            } else if rest.chars().count() > 1 && lower.starts_with("shift-") {
                mods |= KeyModifiers::SHIFT;
                rest = &rest[6..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if mods.contains(KeyModifiers::SHIFT) => {
                KeyCode::Char(c.to_ascii_uppercase())
            }
            (Some(c), None) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "space" => KeyCode::Char(' '),
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" => KeyCode::PageDown,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                f if f.starts_with('f')
                    && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
                {
                    KeyCode::F(f[1..].parse().unwrap_or(1))
                }
                _ => bail!("unknown key {text:?}"),
            },
        };
        mods.remove(KeyModifiers::SHIFT);
        Ok(Chord { code, mods })
    }
}

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("C-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("M-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("S-Tab"),
            KeyCode::Backspace => f.write_str("BS"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// The merged key bindings.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: BTreeMap<Context, BTreeMap<Action, Vec<Chord>>>,
    lookup: HashMap<(Context, Chord), Action>,
    /// The keys that open each screen (`[screens]`).
    openers: BTreeMap<Id, Vec<Chord>>,
}

impl Keymap {
    /// The embedded defaults with `overrides` (same shape as the file) on
    /// top, for the screens the product ships.
    pub fn new(overrides: &toml::Table) -> anyhow::Result<Keymap> {
        Keymap::with_screens(overrides, &Registry::builtin())
    }

    /// The embedded defaults with `overrides` on top, where each of
    /// `screens` has a section of its own and a key in `[screens]`.
    pub fn with_screens(overrides: &toml::Table, screens: &Registry) -> anyhow::Result<Keymap> {
        let defaults: toml::Table = DEFAULT.parse().context("the built-in keymap")?;
        let ids: Vec<Id> = screens.entries().iter().map(|e| e.id).collect();
        let mut keymap = Keymap {
            bindings: BTreeMap::new(),
            lookup: HashMap::new(),
            openers: BTreeMap::new(),
        };
        keymap
            .merge(&defaults, &ids)
            .context("the built-in keymap")?;
        keymap.merge(overrides, &ids).context("keymap override")?;
        for (&ctx, actions) in &keymap.bindings {
            for (&action, chords) in actions {
                for &chord in chords {
                    keymap.lookup.insert((ctx, chord), action);
                }
            }
        }
        Ok(keymap)
    }

    fn merge(&mut self, table: &toml::Table, screens: &[Id]) -> anyhow::Result<()> {
        let mut table = table.clone();
        if let Some(openers) = table.remove(SCREENS) {
            let openers = openers
                .as_table()
                .ok_or_else(|| anyhow!("[{SCREENS}] must be a table of screen = [keys]"))?;
            for (name, keys) in openers {
                let id = screens
                    .iter()
                    .find(|id| id.section == name)
                    .ok_or_else(|| anyhow!("unknown screen {name:?} in [{SCREENS}]"))?;
                let chords = chords(SCREENS, name, keys)?;
                for other in self.openers.values_mut() {
                    other.retain(|c| !chords.contains(c));
                }
                self.openers.insert(*id, chords);
            }
        }
        merge(&mut self.bindings, &table, screens)
    }

    /// The screen `key` opens, if any.
    pub fn screen(&self, key: &KeyEvent) -> Option<Id> {
        let chord = Chord::from_event(key);
        self.openers
            .iter()
            .find(|(_, chords)| chords.contains(&chord))
            .map(|(id, _)| *id)
    }

    /// The keys that open screen `id`.
    pub fn screen_keys(&self, id: Id) -> &[Chord] {
        self.openers.get(&id).map_or(&[], Vec::as_slice)
    }

    /// The action for `key` in pane `ctx`, falling back to the global bindings.
    pub fn action(&self, ctx: Context, key: &KeyEvent) -> Option<Action> {
        let chord = Chord::from_event(key);
        self.lookup
            .get(&(ctx, chord))
            .or_else(|| self.lookup.get(&(Context::Global, chord)))
            .copied()
    }

    /// The keys bound to `action` in `ctx`.
    pub fn keys(&self, ctx: Context, action: Action) -> &[Chord] {
        self.bindings
            .get(&ctx)
            .and_then(|a| a.get(&action))
            .map_or(&[], Vec::as_slice)
    }

    /// Status-bar hints for pane `ctx`, most important first (help before
    /// all): its own bindings and a few global ones, in the bar's short words.
    pub fn hints(&self, ctx: Context) -> Vec<(String, &'static str)> {
        let global = match ctx {
            Context::Screen(_) => [Action::Help, Action::Cancel, Action::Quit],
            _ => [Action::Help, Action::FocusNext, Action::Quit],
        };
        let own = self.bindings.get(&ctx).into_iter().flatten();
        let globals = global.iter().filter_map(|a| {
            self.bindings
                .get(&Context::Global)
                .and_then(|g| g.get_key_value(a))
        });
        let mut hints: Vec<(usize, String, &'static str)> = own
            .chain(globals)
            // Paging and folder arrows are what every list does; the room
            // goes to the pane's own verbs.
            .filter(|(a, _)| {
                !matches!(
                    a,
                    Action::Down
                        | Action::PageUp
                        | Action::PageDown
                        | Action::Top
                        | Action::Bottom
                        | Action::Expand
                        | Action::Collapse
                )
            })
            .filter_map(|(a, chords)| {
                let label = match a {
                    Action::Up => join(
                        self.keys(ctx, Action::Up)
                            .first()
                            .into_iter()
                            .chain(self.keys(ctx, Action::Down).first()),
                        "/",
                    ),
                    _ => chords.first()?.to_string(),
                };
                let rank = HINTS.iter().position(|(h, _)| h == a);
                let what = match rank {
                    _ if *a == Action::Up && ctx == Context::Monitor => "scroll",
                    _ if *a == Action::Cancel && matches!(ctx, Context::Screen(_)) => "back",
                    Some(i) => HINTS[i].1,
                    None => a.describe(),
                };
                Some((rank.unwrap_or(HINTS.len()), label, what))
            })
            .collect();
        hints.sort_by_key(|(rank, _, _)| *rank);
        hints.into_iter().map(|(_, k, w)| (k, w)).collect()
    }

    /// Every binding by context, for the help overlay; the keys that open
    /// screens last.
    pub fn help(&self) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
        let mut sections: Vec<_> = self
            .bindings
            .iter()
            .filter_map(|(ctx, actions)| {
                let rows: Vec<_> = actions
                    .iter()
                    .filter(|(_, c)| !c.is_empty())
                    .map(|(a, c)| (join(c.iter(), " "), a.describe()))
                    .collect();
                (!rows.is_empty()).then_some((ctx.title(), rows))
            })
            .collect();
        let openers: Vec<_> = self
            .openers
            .iter()
            .filter(|(_, c)| !c.is_empty())
            .map(|(id, c)| (join(c.iter(), " "), id.name))
            .collect();
        if !openers.is_empty() {
            sections.push(("Screens", openers));
        }
        sections
    }
}

/// The status bar's hints in order of importance, in its short words:
/// help first, then each pane's everyday verbs, then the rest. Actions not
/// listed follow, with their help text.
const HINTS: &[(Action, &str)] = &[
    (Action::Help, "help"),
    (Action::Open, "open"),
    (Action::Filter, "filter"),
    (Action::Search, "search"),
    (Action::Edit, "edit"),
    (Action::Add, "add"),
    (Action::Delete, "delete"),
    (Action::CreateKey, "new"),
    (Action::DeleteKey, "delete"),
    (Action::RenameKey, "rename"),
    (Action::SetTtl, "TTL"),
    (Action::Copy, "copy"),
    (Action::CycleFormat, "format"),
    (Action::SearchNext, "next match"),
    (Action::Rescan, "rescan"),
    (Action::Reload, "reload"),
    (Action::Watch, "watch"),
    (Action::WatchSuggested, "watch suggested"),
    (Action::ScanQueues, "scan for queues"),
    (Action::Up, "move"),
    (Action::CycleType, "type"),
    (Action::ContinueScan, "more"),
    (Action::FullScan, "scan all"),
    (Action::ToggleView, "tree/flat"),
    (Action::Toggle, "fold"),
    (Action::BulkDelete, "bulk delete"),
    (Action::EditExternal, "$EDITOR"),
    (Action::Save, "save"),
    (Action::CopyRaw, "copy bytes"),
    (Action::SearchPrev, "previous match"),
    (Action::Reverse, "reverse"),
    (Action::AutoRefresh, "auto-refresh"),
    (Action::FocusNext, "next pane"),
    (Action::Quit, "quit"),
];

fn join<'a>(chords: impl Iterator<Item = &'a Chord>, sep: &str) -> String {
    chords.map(Chord::to_string).collect::<Vec<_>>().join(sep)
}

/// The chords `keys` names (one key or a list), for `section.name`.
fn chords(section: &str, name: &str, keys: &toml::Value) -> anyhow::Result<Vec<Chord>> {
    let keys = match keys {
        toml::Value::String(s) => vec![s.as_str()],
        toml::Value::Array(a) => a
            .iter()
            .map(|v| {
                v.as_str()
                    .ok_or_else(|| anyhow!("{section}.{name}: keys must be strings"))
            })
            .collect::<anyhow::Result<_>>()?,
        _ => bail!("{section}.{name}: expected a key or a list of keys"),
    };
    keys.into_iter()
        .map(|k| Chord::parse(k).with_context(|| format!("{section}.{name}")))
        .collect()
}

fn merge(
    into: &mut BTreeMap<Context, BTreeMap<Action, Vec<Chord>>>,
    table: &toml::Table,
    screens: &[Id],
) -> anyhow::Result<()> {
    for (section, entries) in table {
        let ctx = Context::ALL
            .into_iter()
            .chain(screens.iter().copied().map(Context::Screen))
            .find(|c| c.section() == section)
            .ok_or_else(|| {
                anyhow!(
                    "unknown section [{section}] (expected global, keys, value, console, monitor, screens or a screen's name)"
                )
            })?;
        let entries = entries
            .as_table()
            .ok_or_else(|| anyhow!("[{section}] must be a table of action = [keys]"))?;
        let actions = into.entry(ctx).or_default();
        for (name, keys) in entries {
            let action: Action = toml::Value::String(name.clone())
                .try_into()
                .map_err(|_| anyhow!("unknown action {name:?} in [{section}]"))?;
            let chords = chords(section, name, keys)?;
            for other in actions.values_mut() {
                other.retain(|c| !chords.contains(c));
            }
            actions.insert(action, chords);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn defaults_and_overrides() {
        let km = Keymap::new(&toml::Table::new()).expect("defaults parse");
        let shift_l = key(KeyCode::Char('L'), KeyModifiers::SHIFT);
        assert_eq!(km.action(Context::Keys, &shift_l), Some(Action::FullScan));
        let q = key(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(km.action(Context::Keys, &q), Some(Action::Quit));
        let over: toml::Table = "[keys]\nrescan = [\"x\", \"ctrl-r\"]"
            .parse()
            .expect("toml");
        let km = Keymap::new(&over).expect("override");
        let x = key(KeyCode::Char('x'), KeyModifiers::NONE);
        assert_eq!(km.action(Context::Keys, &x), Some(Action::Rescan));
        let r = key(KeyCode::Char('r'), KeyModifiers::NONE);
        assert_eq!(km.action(Context::Keys, &r), None);
    }

    #[test]
    fn bad_overrides_are_clear_errors() {
        for (text, want) in [
            ("[keys]\nfly = [\"x\"]", "unknown action \"fly\""),
            ("[nowhere]\nquit = [\"x\"]", "unknown section [nowhere]"),
            ("[keys]\nrescan = [\"hyper-x\"]", "unknown key \"hyper-x\""),
            ("[keys]\nrescan = 3", "expected a key or a list"),
        ] {
            let t: toml::Table = text.parse().expect("toml");
            let err = format!("{:#}", Keymap::new(&t).expect_err(text));
            assert!(err.contains(want), "{err}");
        }
    }
}
