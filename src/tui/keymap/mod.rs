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

const DEFAULT: &str = include_str!("../../../assets/keymap.toml");

/// The merged key bindings.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: BTreeMap<Context, BTreeMap<Action, Vec<Chord>>>,
    lookup: HashMap<(Context, Chord), Action>,
}

/// A status-bar hint: the keys and what they do.
pub type Hint = (String, &'static str);

impl Keymap {
    /// The embedded defaults with `overrides` (same shape as the file) on top.
    pub fn new(overrides: &toml::Table) -> anyhow::Result<Keymap> {
        let defaults: toml::Table = DEFAULT.parse().context("the built-in keymap")?;
        let mut bindings = BTreeMap::new();
        merge(&mut bindings, &defaults, "").context("the built-in keymap")?;
        merge(&mut bindings, overrides, "keymap.")?;
        let mut lookup = HashMap::new();
        for (&ctx, actions) in &bindings {
            for (&action, chords) in actions {
                for &chord in chords {
                    lookup.insert((ctx, chord), action);
                }
            }
        }
        Ok(Keymap { bindings, lookup })
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

    /// Every binding by context, for the help overlay.
    pub fn help(&self) -> Vec<(Context, Vec<(String, &'static str)>)> {
        Context::ALL
            .iter()
            .filter_map(|&ctx| {
                let rows: Vec<_> = self
                    .actions(ctx)
                    .filter(|(_, c)| !c.is_empty())
                    .map(|(a, c)| (join(c.iter(), " "), a.describe_in(ctx)))
                    .collect();
                (!rows.is_empty()).then_some((ctx, rows))
            })
            .collect()
    }
}

fn join<'a>(chords: impl Iterator<Item = &'a Chord>, sep: &str) -> String {
    chords.map(Chord::to_string).collect::<Vec<_>>().join(sep)
}

/// Merges `table` (sections of `action = [keys]`) into `into`; errors name
/// the section as the user wrote it (`prefix`: `keymap.` in the config file).
fn merge(
    into: &mut BTreeMap<Context, BTreeMap<Action, Vec<Chord>>>,
    table: &toml::Table,
    prefix: &str,
) -> anyhow::Result<()> {
    for (section, entries) in table {
        let ctx = Context::from_section(section).ok_or_else(|| {
            let known: Vec<_> = Context::ALL.iter().map(|c| c.section()).collect();
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
            let chords = keys
                .into_iter()
                .map(|k| Chord::parse(k).with_context(|| format!("{at} {name}")))
                .collect::<anyhow::Result<Vec<_>>>()?;
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
