//! Connection and UI settings, resolved highest first from: flags, the
//! process environment, a `.env` file, and a profile of the config file.

pub mod cost;
mod error;
mod file;
mod look;
mod secret;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use cost::Cost;
pub use error::{ConfigError, FileRole, Looked};
pub use file::{File, Profile, default_path};
pub use look::{ThemeName, parse_color};
pub use ratatui::style::Color;
pub use secret::Secret;

use crate::upstash::ClientConfig;

const URL_VARS: [&str; 2] = ["UPSTASH_REDIS_REST_URL", "KV_REST_API_URL"];
const TOKEN_VARS: [&str; 2] = ["UPSTASH_REDIS_REST_TOKEN", "KV_REST_API_TOKEN"];

/// What the command line says, the first layer of resolution: plain data,
/// so that anything (the CLI, a test) can fill it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub url: Option<String>,
    pub token: Option<String>,
    /// A `.env` file to read instead of `./.env` (it must exist).
    pub env_file: Option<PathBuf>,
    pub profile: Option<String>,
    /// A config file to read instead of the default one (it must exist).
    pub config: Option<PathBuf>,
    pub allow_insecure_http: bool,
    pub connect_timeout: Option<Duration>,
    pub timeout: Option<Duration>,
    pub read_only: bool,
    /// The frugal cost profile, whatever the file says.
    pub frugal: bool,
}

/// Where a setting came from, for `doctor` and error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A command-line flag.
    Flag(&'static str),
    /// A variable of the process environment.
    Env(String),
    /// A variable of a `.env` file.
    DotEnv { path: PathBuf, var: String },
    /// A profile of the config file.
    Profile { path: PathBuf, name: String },
    /// The variable named by a profile's `token_env`.
    ProfileEnv { name: String, var: String },
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(flag) => write!(f, "the {flag} flag"),
            Source::Env(var) => write!(f, "the environment variable {var}"),
            Source::DotEnv { path, var } => write!(f, "{var} in {}", path.display()),
            Source::Profile { path, name } => {
                write!(f, "profile \"{name}\" in {}", path.display())
            }
            Source::ProfileEnv { name, var } => {
                write!(f, "the variable {var} named by profile \"{name}\"")
            }
        }
    }
}

/// How much one scan may do before it pauses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanBudget {
    /// Stop after this many keys examined.
    pub max_keys: u64,
    /// Stop after this many SCAN requests.
    pub max_requests: u32,
}

impl Default for ScanBudget {
    fn default() -> ScanBudget {
        ScanBudget {
            max_keys: 10_000,
            max_requests: 20,
        }
    }
}

/// Everything the TUI and the subcommands need to know about the endpoint.
#[derive(Debug, Clone)]
pub struct Settings {
    pub url: String,
    pub url_source: Source,
    pub token: Secret,
    pub token_source: Source,
    pub allow_insecure_http: bool,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    pub read_only: bool,
    /// Separator of the key tree (default `:`).
    pub delimiter: String,
    /// The profile's colour, if any.
    pub color: Option<Color>,
    /// Key patterns the profile watches.
    pub watch: Vec<String>,
    /// The colour theme.
    pub theme: ThemeName,
    /// The key bindings: the built-in ones with `[keymap]` over them.
    pub keymap: crate::tui::keymap::Keymap,
    pub scan: ScanBudget,
    /// The Monitor's probe and sampling interval (`[monitor] interval`).
    pub monitor_interval: Option<Duration>,
    /// Commands per minute the Monitor's periodic reads may spend.
    pub monitor_budget: Option<u32>,
    /// Commands per month the plan allows (`[monitor] quota`).
    pub monitor_quota: Option<u64>,
    /// Strings larger than this are never fetched whole (`[value]`).
    pub max_string_bytes: Option<u64>,
    /// The profile in use, if any.
    pub profile: Option<String>,
    /// How freely the TUI spends commands (`--frugal`, `cost`, `[cost]`).
    pub cost: Cost,
    /// Commands an analysis may spend before the TUI asks (`[analyze] budget`).
    pub analyze_budget: Option<u64>,
}

impl Settings {
    /// The client's settings.
    pub fn client_config(&self) -> ClientConfig {
        ClientConfig {
            url: self.url.clone(),
            token: self.token.expose().to_owned(),
            connect_timeout: self.connect_timeout,
            request_timeout: self.request_timeout,
            allow_insecure_http: self.allow_insecure_http,
        }
    }
}

/// What resolution reads besides the flags; tests build it by hand.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// The process environment.
    pub vars: HashMap<String, String>,
    /// The folder whose `.env` is read.
    pub cwd: PathBuf,
    /// The config file read when `--config` is not given.
    pub default_config: Option<PathBuf>,
}

impl Environment {
    /// The real process environment, current folder and XDG config path.
    pub fn from_process() -> Environment {
        Environment {
            // Non-UTF-8 variables cannot hold a URL or token; skip them.
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
            cwd: std::env::current_dir().unwrap_or_default(),
            default_config: default_path(),
        }
    }
}

/// One layer of variables (the environment or a `.env` file).
struct Layer {
    vars: HashMap<String, String>,
    source: fn(&str, &Path) -> Source,
    path: PathBuf,
}

impl Layer {
    fn find(&self, names: &[&str]) -> Option<(String, Source)> {
        names.iter().find_map(|name| {
            let value = self.vars.get(*name).filter(|v| !v.trim().is_empty())?;
            Some((value.trim().to_owned(), (self.source)(name, &self.path)))
        })
    }
}

/// Resolves the settings; a missing URL or token, an unreadable file, an
/// unknown profile or a refused URL is a [`ConfigError`].
pub fn resolve(args: &Overrides, env: &Environment) -> Result<Settings, ConfigError> {
    let env_layer = Layer {
        vars: env.vars.clone(),
        source: |var, _| Source::Env(var.to_owned()),
        path: PathBuf::new(),
    };
    let (dotenv_layer, dotenv) = read_dotenv(args, env)?;
    let (config_path, file) = read_config(args, env)?;
    let profile_name = args
        .profile
        .clone()
        .or_else(|| file.default_profile.clone());
    let profile = match &profile_name {
        None => Profile::default(),
        Some(name) => {
            file.profiles
                .get(name)
                .cloned()
                .ok_or_else(|| ConfigError::UnknownProfile {
                    name: name.clone(),
                    file: config_path.clone(),
                    known: file.profiles.keys().cloned().collect(),
                })?
        }
    };
    let layers = [Some(&env_layer), dotenv_layer.as_ref()];
    let profile_source = |name: &String| Source::Profile {
        path: config_path.clone().unwrap_or_default(),
        name: name.clone(),
    };

    let url = args
        .url
        .clone()
        .map(|u| (u, Source::Flag("--url")))
        .or_else(|| layers.iter().flatten().find_map(|l| l.find(&URL_VARS)))
        .or_else(|| Some((profile.url.clone()?, profile_source(profile_name.as_ref()?))));
    let token = args
        .token
        .clone()
        .map(|t| (t, Source::Flag("--token")))
        .or_else(|| layers.iter().flatten().find_map(|l| l.find(&TOKEN_VARS)))
        .or_else(|| {
            Some((
                profile.token.clone()?,
                profile_source(profile_name.as_ref()?),
            ))
        })
        .or_else(|| {
            let var = profile.token_env.clone()?;
            let name = profile_name.clone()?;
            let value = layers
                .iter()
                .flatten()
                .find_map(|l| l.vars.get(&var).cloned())?;
            Some((value, Source::ProfileEnv { name, var }))
        });

    let looked = || Looked {
        dotenv_found: dotenv_layer.is_some(),
        dotenv: dotenv.clone(),
        config: config_path.clone(),
        profile: profile_name.clone(),
    };
    let (url, url_source) = url.ok_or_else(|| ConfigError::NoUrl { looked: looked() })?;
    let (token, token_source) = token.ok_or_else(|| ConfigError::NoToken { looked: looked() })?;
    check_url(&url, args.allow_insecure_http)?;
    let monitor_interval = match &file.monitor.interval {
        None => None,
        Some(text) => Some(
            crate::parse::duration(text).map_err(|_| ConfigError::BadValue {
                setting: "[monitor] interval".into(),
                value: text.clone(),
                expected: "a duration like 5s or 1m",
            })?,
        ),
    };
    let cost = resolve_cost(args, &file, &profile, profile_name.as_deref())?;
    let defaults = if cost.frugal {
        cost::FRUGAL_SCAN
    } else {
        ScanBudget::default()
    };
    let monitor_interval = monitor_interval.or(cost.frugal.then_some(cost::FRUGAL_INTERVAL));
    let keymap =
        crate::tui::keymap::Keymap::new(&file.keymap).map_err(|e| ConfigError::Keymap {
            path: config_path.clone(),
            message: format!("{e:#}"),
        })?;
    if file.value.max_string_bytes == Some(0) {
        return Err(ConfigError::NotPositive {
            setting: "[value] max_string_bytes",
        });
    }
    let theme = match &file.theme {
        Some(text) => ThemeName::parse(text)?,
        None => ThemeName::default(),
    };
    let color = match (&profile.color, &profile_name) {
        (Some(text), Some(name)) => Some(parse_color(text, name)?),
        _ => None,
    };

    Ok(Settings {
        url,
        url_source,
        token: Secret::new(token),
        token_source,
        allow_insecure_http: args.allow_insecure_http,
        connect_timeout: args.connect_timeout.unwrap_or(Duration::from_secs(5)),
        request_timeout: args.timeout.unwrap_or(Duration::from_secs(15)),
        read_only: args.read_only || profile.read_only.unwrap_or(false),
        delimiter: profile.delimiter.unwrap_or_else(|| ":".into()),
        color,
        watch: profile.watch,
        theme,
        keymap,
        scan: ScanBudget {
            max_keys: file.scan.max_keys.unwrap_or(defaults.max_keys),
            max_requests: file.scan.max_requests.unwrap_or(defaults.max_requests),
        },
        monitor_interval,
        monitor_budget: file.monitor.budget,
        monitor_quota: file.monitor.quota,
        max_string_bytes: file.value.max_string_bytes,
        profile: profile_name,
        cost,
        analyze_budget: file.analyze.budget,
    })
}

/// The cost profile: `--frugal`, else the profile's `cost`, else
/// `[cost] default`; what the file sets explicitly (`[scan]`, `[monitor]
/// interval`) wins over the frugal defaults.
fn resolve_cost(
    args: &Overrides,
    file: &File,
    profile: &Profile,
    name: Option<&str>,
) -> Result<Cost, ConfigError> {
    let from_profile = match (&profile.cost, name) {
        (Some(text), Some(name)) => {
            Some(cost::parse_mode(text, &format!("profile \"{name}\" cost"))?)
        }
        _ => None,
    };
    let from_file = match &file.cost.default {
        Some(text) => Some(cost::parse_mode(text, "[cost] default")?),
        None => None,
    };
    Ok(Cost {
        frugal: args.frugal || from_profile.or(from_file).unwrap_or(false),
        confirm_above: file.cost.confirm_above.unwrap_or(cost::CONFIRM_ABOVE),
    })
}

/// Reads `--env-file` (which must exist) or `./.env` (if present) without
/// touching the process environment. Returns the layer, if read, and the
/// path read or looked for.
fn read_dotenv(
    args: &Overrides,
    env: &Environment,
) -> Result<(Option<Layer>, PathBuf), ConfigError> {
    let (path, required) = match &args.env_file {
        Some(p) => (env.cwd.join(p), true),
        None => (env.cwd.join(".env"), false),
    };
    if !required && !path.is_file() {
        return Ok((None, path));
    }
    let bad = |e: dotenvy::Error| ConfigError::Unreadable {
        role: FileRole::DotEnv,
        path: path.clone(),
        reason: e.to_string(),
    };
    let mut vars = HashMap::new();
    for item in dotenvy::from_path_iter(&path).map_err(bad)? {
        let (k, v) = item.map_err(bad)?;
        vars.insert(k, v);
    }
    Ok((
        Some(Layer {
            vars,
            source: |var, path| Source::DotEnv {
                path: path.to_owned(),
                var: var.to_owned(),
            },
            path: path.clone(),
        }),
        path,
    ))
}

/// Reads `--config` (which must exist) or the default file (if present).
fn read_config(
    args: &Overrides,
    env: &Environment,
) -> Result<(Option<PathBuf>, File), ConfigError> {
    match (&args.config, &env.default_config) {
        (Some(p), _) => {
            let p = env.cwd.join(p);
            let f = file::load(&p)?;
            Ok((Some(p), f))
        }
        (None, Some(p)) if p.is_file() => Ok((Some(p.clone()), file::load(p)?)),
        (None, p) => Ok((p.clone(), File::default())),
    }
}

/// Refuses URLs the client cannot use, and plain `http://` to a host that is
/// not loopback unless allowed: the token would cross the network in clear.
pub fn check_url(url: &str, allow_insecure_http: bool) -> Result<(), ConfigError> {
    let parsed = url::Url::parse(url).map_err(|e| ConfigError::BadUrl {
        url: url.into(),
        reason: e.to_string(),
    })?;
    match parsed.scheme() {
        "https" => Ok(()),
        "http" => {
            let loopback = match parsed.host() {
                Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                None => false,
            };
            if loopback || allow_insecure_http {
                Ok(())
            } else {
                Err(ConfigError::InsecureHttp {
                    host: parsed.host_str().unwrap_or("?").into(),
                })
            }
        }
        other => Err(ConfigError::BadScheme {
            url: url.into(),
            scheme: other.into(),
        }),
    }
}

#[cfg(test)]
mod tests;
