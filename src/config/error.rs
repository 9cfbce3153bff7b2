//! What can be wrong with the settings, each a one-line message that says
//! where the setting came from and what would fix it.

use std::fmt;
use std::path::PathBuf;

use super::{TOKEN_VARS, URL_VARS};

/// A settings problem the user must fix (exit code 2); one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// No URL in the flags, the environment, `.env` or the profile.
    #[error(
        "no REST URL: pass --url or set {} (or {}); {looked}",
        URL_VARS[0],
        URL_VARS[1]
    )]
    NoUrl { looked: Looked },
    /// No token in the flags, the environment, `.env` or the profile.
    #[error(
        "no REST token: pass --token or set {} (or {}); {looked}",
        TOKEN_VARS[0],
        TOKEN_VARS[1]
    )]
    NoToken { looked: Looked },
    /// `--profile` or `default_profile` names a profile the file lacks.
    #[error(
        "unknown profile \"{name}\" ({}; profiles: {})",
        place(file),
        known_list(known)
    )]
    UnknownProfile {
        name: String,
        /// The config file read, if any.
        file: Option<PathBuf>,
        /// The profiles it has.
        known: Vec<String>,
    },
    /// The URL does not parse.
    #[error("invalid REST URL \"{url}\": {reason}")]
    BadUrl { url: String, reason: String },
    /// The URL is not `https://` (nor loopback `http://`).
    #[error("invalid REST URL \"{url}\": the scheme must be https:// (not {scheme}://)")]
    BadScheme { url: String, scheme: String },
    /// Plain `http://` to a host that is not loopback, without the flag.
    #[error(
        "refusing plain http:// to {host}: the token would travel in clear text; \
         use https:// or pass --allow-insecure-http"
    )]
    InsecureHttp { host: String },
    /// The config file (or `--env-file`) cannot be read.
    #[error("cannot read {role} {}: {reason}", path.display())]
    Unreadable {
        role: FileRole,
        path: PathBuf,
        reason: String,
    },
    /// The config file is not valid TOML or has an unknown or mistyped key.
    #[error("config file {}{}: {message}", path.display(), line_column(at))]
    Syntax {
        path: PathBuf,
        /// The line and column, when known.
        at: Option<(usize, usize)>,
        message: String,
    },
    /// A setting of the config file whose value is not one it takes.
    #[error("config file: {setting} {value:?} is not {expected}")]
    BadValue {
        /// Where it is written, like `[monitor] interval`.
        setting: String,
        value: String,
        /// What it takes, like `a duration like 5s or 1m`.
        expected: &'static str,
    },
    /// A number of the config file that must be above zero.
    #[error("config file: {setting} must be more than zero")]
    NotPositive { setting: &'static str },
    /// A `[keymap]` binding that names an unknown section, action or key.
    #[error("config file{}: {message}", path.as_ref().map(|p| format!(" {}", p.display())).unwrap_or_default())]
    Keymap {
        /// The config file, when one was read.
        path: Option<PathBuf>,
        /// The section, the action and what is wrong with it.
        message: String,
    },
}

/// What a file that could not be read was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRole {
    /// The TOML config file.
    Config,
    /// `--env-file` or `./.env`.
    DotEnv,
}

impl fmt::Display for FileRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileRole::Config => "config file",
            FileRole::DotEnv => "env file",
        })
    }
}

/// Where the URL and token were looked for, named in their errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Looked {
    /// The `.env` file read, or looked for.
    pub dotenv: PathBuf,
    /// Whether it was there.
    pub dotenv_found: bool,
    /// The config file read, if any.
    pub config: Option<PathBuf>,
    /// The profile selected in it, if any.
    pub profile: Option<String>,
}

impl fmt::Display for Looked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "looked in: flags, the environment, {}",
            self.dotenv.display()
        )?;
        if !self.dotenv_found {
            f.write_str(" (not found)")?;
        }
        match (&self.config, &self.profile) {
            (Some(p), Some(name)) => write!(f, ", profile \"{name}\" in {}", p.display()),
            (Some(p), None) => write!(f, ", {} (no profile selected)", p.display()),
            (None, _) => f.write_str(", no config file"),
        }
    }
}

fn place(file: &Option<PathBuf>) -> String {
    file.as_ref()
        .map_or("no config file".to_owned(), |p| p.display().to_string())
}

fn line_column(at: &Option<(usize, usize)>) -> String {
    at.map(|(line, column)| format!(":{line}:{column}"))
        .unwrap_or_default()
}

fn known_list(known: &[String]) -> String {
    if known.is_empty() {
        "none".into()
    } else {
        known.join(", ")
    }
}
