//! The TOML config file: profiles, theme, key overrides, scan budget, the
//! Monitor's settings and the cost profile.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{ConfigError, FileRole};

/// The whole config file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    /// The profile used when `--profile` is not given.
    pub default_profile: Option<String>,
    /// The colour theme's name.
    pub theme: Option<String>,
    /// Keymap overrides (`[keymap.CONTEXT]`, shaped like
    /// `assets/keymap.toml`), turned into bindings by [`super::resolve`].
    /// `[keys]` is accepted as another name for it.
    #[serde(default, alias = "keys")]
    pub keymap: toml::Table,
    /// Scan budget overrides.
    #[serde(default)]
    pub scan: Scan,
    /// Monitor overrides.
    #[serde(default)]
    pub monitor: Monitor,
    /// Value pane overrides.
    #[serde(default)]
    pub value: Value,
    /// How freely commands are spent.
    #[serde(default)]
    pub cost: Cost,
    /// The Analyze screen's settings.
    #[serde(default)]
    pub analyze: Analyze,
    /// Named connection profiles.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// `[profiles.NAME]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub url: Option<String>,
    pub token: Option<String>,
    /// The name of an environment variable that holds the token.
    pub token_env: Option<String>,
    pub read_only: Option<bool>,
    pub delimiter: Option<String>,
    pub color: Option<String>,
    #[serde(default)]
    pub watch: Vec<String>,
    /// `normal` or `frugal`; wins over `[cost] default`.
    pub cost: Option<String>,
}

/// `[scan]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scan {
    pub max_keys: Option<u64>,
    pub max_requests: Option<u32>,
}

/// `[monitor]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Monitor {
    /// Time between probes and queue samples, like `5s` or `1m`.
    pub interval: Option<String>,
    /// Commands per minute that the periodic reads may spend.
    pub budget: Option<u32>,
    /// Commands per month the database's plan allows, for the idle projection.
    pub quota: Option<u64>,
}

/// `[cost]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cost {
    /// `normal` or `frugal`, for profiles that do not name one.
    pub default: Option<String>,
    /// In the frugal profile, actions estimated above this many commands ask first.
    pub confirm_above: Option<u64>,
}

/// `[analyze]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Analyze {
    /// Commands an analysis may spend before the TUI asks.
    pub budget: Option<u64>,
}

/// `[value]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Value {
    /// Strings larger than this are never fetched whole.
    pub max_string_bytes: Option<u64>,
}

/// `~/.config/upstash-tui/config.toml` (the XDG config folder), when a home
/// folder is known.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "upstash-tui")
        .map(|d| d.config_dir().join("config.toml"))
}

/// Reads and parses the file; errors name the path and the line.
pub fn load(path: &Path) -> Result<File, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Unreadable {
        role: FileRole::Config,
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    parse(&text).map_err(|(at, message)| ConfigError::Syntax {
        path: path.to_owned(),
        at,
        message,
    })
}

/// Parses the text; the error has the line and column when known, and a
/// message on one line.
fn parse(text: &str) -> Result<File, (Option<(usize, usize)>, String)> {
    toml::from_str(text).map_err(|e| {
        let message = e.message().trim().replace('\n', " ");
        let at = e.span().map(|span| {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            (line, column)
        });
        (at, message)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_file() {
        let f = parse(
            r#"
default_profile = "prod"
theme = "dark"
[keymap.global]
quit = ["Q"]
[scan]
max_keys = 500
[profiles.prod]
url = "https://x.upstash.io"
token_env = "PROD_TOKEN"
read_only = true
delimiter = "/"
color = "red"
watch = ["queue:*"]
cost = "frugal"
[cost]
default = "normal"
confirm_above = 50
[monitor]
quota = 500000
[analyze]
budget = 5000
"#,
        )
        .unwrap();
        assert_eq!(f.default_profile.as_deref(), Some("prod"));
        let global = f.keymap.get("global").and_then(|v| v.as_table()).unwrap();
        assert_eq!(global.get("quit"), Some(&toml::Value::from(vec!["Q"])));
        let aliased = parse("[keys.keys]\nrescan = [\"x\"]\n").unwrap();
        assert!(aliased.keymap.contains_key("keys"));
        assert_eq!(f.scan.max_keys, Some(500));
        let p = &f.profiles["prod"];
        assert_eq!(p.token_env.as_deref(), Some("PROD_TOKEN"));
        assert_eq!(p.read_only, Some(true));
        assert_eq!(p.watch, vec!["queue:*".to_string()]);
        assert_eq!(p.cost.as_deref(), Some("frugal"));
        assert_eq!(f.cost.default.as_deref(), Some("normal"));
        assert_eq!(f.cost.confirm_above, Some(50));
        assert_eq!(f.analyze.budget, Some(5000));
        assert_eq!(f.monitor.quota, Some(500_000));
    }

    #[test]
    fn errors_name_the_line() {
        let (at, _) = parse("theme = \"a\"\n[profiles.x]\nurl = 5\n").unwrap_err();
        assert_eq!(at, Some((3, 7)));
        let (at, message) = parse("[profiles.x]\nurl = \"u\"\ncolour = \"red\"\n").unwrap_err();
        assert_eq!(at, Some((3, 1)));
        assert!(message.contains("colour"), "{message}");
        assert!(!parse("[profiles\n").unwrap_err().1.contains('\n'));
    }
}
