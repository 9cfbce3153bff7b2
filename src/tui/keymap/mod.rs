//! Key bindings: `assets/keymap.toml` embedded, user overrides merged over
//! it, one section per layer that reads keys ([`Context`]). The status-bar
//! hints, the help overlay and the command palette read the same map.

mod action;
mod chord;
mod context;
mod hints;

use std::collections::{BTreeMap, HashMap};

use anyhow::{Context as _, anyhow, bail};
use crossterm::event::KeyEvent;

pub use action::Action;
pub use chord::Chord;
pub use context::Context;

use super::screen::{Id, Registry};

const DEFAULT: &str = include_str!("../../../assets/keymap.toml");

/// The merged key bindings.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: BTreeMap<Context, BTreeMap<Action, Vec<Chord>>>,
    lookup: HashMap<(Context, Chord), Action>,
    /// The keys that open each screen (`[screens]`).
    openers: BTreeMap<Id, Vec<Chord>>,
}

/// A status-bar hint: the keys and what they do.
pub type Hint = (String, &'static str);

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
            .merge(&defaults, "", &ids)
            .context("the built-in keymap")?;
        keymap.merge(overrides, "keymap.", &ids)?;
        for (&ctx, actions) in &keymap.bindings {
            for (&action, chords) in actions {
                for &chord in chords {
                    keymap.lookup.insert((ctx, chord), action);
                }
            }
        }
        Ok(keymap)
    }

    /// Merges `table` (sections of `action = [keys]`, and `[screens]`);
    /// errors name the section as the user wrote it (`prefix`: `keymap.` in
    /// the config file).
    fn merge(&mut self, table: &toml::Table, prefix: &str, screens: &[Id]) -> anyhow::Result<()> {
        let mut table = table.clone();
        if let Some(openers) = table.remove(Context::Screens.section()) {
            let at = format!("[{prefix}{}]", Context::Screens.section());
            let openers = openers
                .as_table()
                .ok_or_else(|| anyhow!("{at} must be a table of screen = [keys]"))?;
            for (name, keys) in openers {
                let id = screens
                    .iter()
                    .find(|id| id.section == name)
                    .ok_or_else(|| anyhow!("{at} unknown screen {name:?}"))?;
                let chords = chords(&at, name, keys)?;
                for other in self.openers.values_mut() {
                    other.retain(|c| !chords.contains(c));
                }
                self.openers.insert(*id, chords);
            }
        }
        merge(&mut self.bindings, &table, prefix, screens)
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

    /// The screens that have keys, with them.
    pub fn openers(&self) -> impl Iterator<Item = (Id, &[Chord])> {
        self.openers.iter().map(|(id, c)| (*id, c.as_slice()))
    }

    /// The built-in bindings alone.
    pub fn defaults() -> Keymap {
        #[allow(clippy::expect_used)]
        Keymap::new(&toml::Table::new()).expect("the built-in keymap parses")
    }

    /// The action for `key` in `ctx`; in the panes, falling back to the
    /// bindings that hold everywhere.
    pub fn action(&self, ctx: Context, key: &KeyEvent) -> Option<Action> {
        let chord = Chord::from_event(key);
        self.lookup
            .get(&(ctx, chord))
            .or_else(|| {
                ctx.falls_back()
                    .then(|| self.lookup.get(&(Context::Global, chord)))
                    .flatten()
            })
            .copied()
    }

    /// The keys bound to `action` in `ctx`.
    pub fn keys(&self, ctx: Context, action: Action) -> &[Chord] {
        self.bindings
            .get(&ctx)
            .and_then(|a| a.get(&action))
            .map_or(&[], Vec::as_slice)
    }

    /// The first `n` keys of `action` in `ctx`, as the status bar shows them
    /// (`y/Enter`); `None` when it has none.
    pub fn label(&self, ctx: Context, action: Action, n: usize) -> Option<String> {
        let keys = self.keys(ctx, action);
        (!keys.is_empty()).then(|| join(keys.iter().take(n), "/"))
    }

    /// The keys of `actions` in `ctx` for a hint: the first two of one
    /// action (`y/Enter`), the first of each of several (`k/j`).
    pub fn spell(&self, ctx: Context, actions: &[Action]) -> Option<String> {
        match actions {
            [one] => self.label(ctx, *one, 2),
            _ => {
                let firsts: Vec<String> = actions
                    .iter()
                    .filter_map(|a| self.label(ctx, *a, 1))
                    .collect();
                (!firsts.is_empty()).then(|| firsts.join("/"))
            }
        }
    }

    /// Status-bar hints for a mode: for each entry, the first key of each
    /// of its actions (`↑/↓ history`); entries with no key bound are left out.
    pub fn pick(&self, ctx: Context, wanted: &[(&[Action], &'static str)]) -> Vec<Hint> {
        wanted
            .iter()
            .filter_map(|(actions, what)| {
                let firsts: Vec<String> = actions
                    .iter()
                    .filter_map(|a| self.label(ctx, *a, 1))
                    .collect();
                (!firsts.is_empty()).then(|| (firsts.join("/"), *what))
            })
            .collect()
    }

    /// The actions `ctx` names, with their keys (none when unbound by the user).
    pub fn actions(&self, ctx: Context) -> impl Iterator<Item = (Action, &[Chord])> {
        self.bindings
            .get(&ctx)
            .into_iter()
            .flatten()
            .map(|(a, c)| (*a, c.as_slice()))
    }

    /// Every binding by context, for the help overlay: the fixed layers,
    /// then each screen's own, then the keys that open the screens.
    pub fn help(&self) -> Vec<(Context, Vec<(String, &'static str)>)> {
        let screens = self
            .bindings
            .keys()
            .filter(|c| matches!(c, Context::Screen(_)));
        let mut sections: Vec<_> = Context::ALL
            .iter()
            .chain(screens)
            .filter_map(|&ctx| {
                let rows: Vec<_> = self
                    .actions(ctx)
                    .filter(|(_, c)| !c.is_empty())
                    .map(|(a, c)| (join(c.iter(), " "), a.describe_in(ctx)))
                    .collect();
                (!rows.is_empty()).then_some((ctx, rows))
            })
            .collect();
        let openers: Vec<_> = self
            .openers()
            .filter(|(_, c)| !c.is_empty())
            .map(|(id, c)| (join(c.iter(), " "), id.name))
            .collect();
        if !openers.is_empty() {
            sections.push((Context::Screens, openers));
        }
        sections
    }
}

fn join<'a>(chords: impl Iterator<Item = &'a Chord>, sep: &str) -> String {
    chords.map(Chord::to_string).collect::<Vec<_>>().join(sep)
}

/// The chords `keys` names (one key or a list), for `name` in section `at`.
fn chords(at: &str, name: &str, keys: &toml::Value) -> anyhow::Result<Vec<Chord>> {
    let keys = match keys {
        toml::Value::String(s) => vec![s.as_str()],
        toml::Value::Array(a) => a
            .iter()
            .map(|v| {
                v.as_str()
                    .ok_or_else(|| anyhow!("{at} {name}: keys must be strings"))
            })
            .collect::<anyhow::Result<_>>()?,
        _ => bail!("{at} {name}: expected a key or a list of keys"),
    };
    keys.into_iter()
        .map(|k| Chord::parse(k).with_context(|| format!("{at} {name}")))
        .collect()
}

/// Merges `table` (sections of `action = [keys]`) into `into`; errors name
/// the section as the user wrote it (`prefix`: `keymap.` in the config file).
fn merge(
    into: &mut BTreeMap<Context, BTreeMap<Action, Vec<Chord>>>,
    table: &toml::Table,
    prefix: &str,
    screens: &[Id],
) -> anyhow::Result<()> {
    for (section, entries) in table {
        let ctx = Context::from_section(section, screens)
            .filter(|c| *c != Context::Screens)
            .ok_or_else(|| {
                let known: Vec<_> = Context::ALL
                    .iter()
                    .map(|c| c.section())
                    .chain(screens.iter().map(|id| id.section))
                    .collect();
                anyhow!(
                    "unknown section [{prefix}{section}] (expected one of: {})",
                    known.join(", ")
                )
            })?;
        let at = format!("[{prefix}{section}]");
        let entries = entries
            .as_table()
            .ok_or_else(|| anyhow!("{at} must be a table of action = [keys]"))?;
        let actions = into.entry(ctx).or_default();
        for (name, keys) in entries {
            let action: Action = toml::Value::String(name.clone())
                .try_into()
                .map_err(|_| anyhow!("{at} unknown action {name:?}"))?;
            let chords = chords(&at, name, keys)?;
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
    use crossterm::event::{KeyCode, KeyModifiers};

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
            (
                "[keys]\nfly = [\"x\"]",
                "[keymap.keys] unknown action \"fly\"",
            ),
            (
                "[nowhere]\nquit = [\"x\"]",
                "unknown section [keymap.nowhere]",
            ),
            (
                "[console]\nsend = [\"ctrl-\"]",
                "[keymap.console] send: unknown key \"ctrl-\"",
            ),
            (
                "[dialog]\nconfirm = [3]",
                "[keymap.dialog] confirm: keys must be strings",
            ),
            ("[keys]\nrescan = [\"hyper-x\"]", "unknown key \"hyper-x\""),
            ("[keys]\nrescan = 3", "rescan: expected a key or a list"),
        ] {
            let t: toml::Table = text.parse().expect("toml");
            let err = format!("{:#}", Keymap::new(&t).expect_err(text));
            assert!(err.contains(want), "{err}");
        }
    }

    #[test]
    fn every_layer_has_its_section_and_overrides_stay_in_theirs() {
        let km = Keymap::defaults();
        let enter = key(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(km.action(Context::Console, &enter), Some(Action::Send));
        assert_eq!(km.action(Context::Filter, &enter), Some(Action::Apply));
        assert_eq!(km.action(Context::Form, &enter), Some(Action::Submit));
        assert_eq!(km.action(Context::Dialog, &enter), Some(Action::Confirm));
        assert_eq!(km.action(Context::Palette, &enter), Some(Action::Apply));
        // Typing layers do not fall back to the keys that hold everywhere.
        let q = key(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(km.action(Context::Console, &q), None);
        assert_eq!(km.action(Context::Help, &q), Some(Action::Quit));
        let over: toml::Table = "[console]\nsend = [\"ctrl-j\"]\n[dialog]\nconfirm = [\"o\"]"
            .parse()
            .expect("toml");
        let km = Keymap::new(&over).expect("override");
        let ctrl_j = key(KeyCode::Char('j'), KeyModifiers::CONTROL);
        assert_eq!(km.action(Context::Console, &ctrl_j), Some(Action::Send));
        assert_eq!(km.action(Context::Console, &enter), None);
        assert_eq!(km.action(Context::Filter, &enter), Some(Action::Apply));
        let y = key(KeyCode::Char('y'), KeyModifiers::NONE);
        let o = key(KeyCode::Char('o'), KeyModifiers::NONE);
        assert_eq!(km.action(Context::Dialog, &y), None);
        assert_eq!(km.action(Context::Dialog, &o), Some(Action::Confirm));
        assert_eq!(
            km.label(Context::Dialog, Action::Confirm, 2).as_deref(),
            Some("o")
        );
    }

    #[test]
    fn every_action_has_a_name_the_file_takes() {
        for ctx in Context::ALL {
            for (action, _) in Keymap::defaults().actions(ctx) {
                let name = action.name();
                let parsed: Action = toml::Value::String(name.clone())
                    .try_into()
                    .expect("the name parses back");
                assert_eq!(parsed, action, "{name}");
            }
        }
    }
}
