//! Settings precedence and errors, through the real binary in a controlled
//! environment: an empty environment, a temporary HOME, cwd and config folder.

use std::path::Path;
use std::process::{Command, Output};

use upstash_tui::redis_server::free_port;

use crate::common::{BIN, printed};

/// Tokens with distinct first 4 characters, so the masked form names the source.
const FLAG_TOKEN: &str = "flag-token-0123456789abcdef";
const ENV_TOKEN: &str = "envv-token-0123456789abcdef";
const DOTENV_TOKEN: &str = "dotn-token-0123456789abcdef";
const PROFILE_TOKEN: &str = "prof-token-0123456789abcdef";

struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("home/.config/upstash-tui")).unwrap();
        Sandbox { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write_config(&self, text: &str) {
        std::fs::write(
            self.path().join("home/.config/upstash-tui/config.toml"),
            text,
        )
        .unwrap();
    }

    fn write_dotenv(&self, text: &str) {
        std::fs::write(self.path().join(".env"), text).unwrap();
    }

    /// Runs the binary with only `vars` in its environment (plus HOME).
    fn run(&self, args: &[&str], vars: &[(&str, &str)]) -> Output {
        Command::new(BIN)
            .args(args)
            .env_clear()
            .env("HOME", self.path().join("home"))
            .envs(vars.iter().copied())
            .current_dir(self.path())
            .output()
            .unwrap()
    }
}

/// A loopback URL where nothing listens: doctor prints its settings section
/// and then fails to connect, without any network access.
fn closed_url(tag: &str) -> String {
    format!("http://127.0.0.1:{}/{tag}", free_port().unwrap())
}

fn all_tokens() -> [&'static str; 4] {
    [FLAG_TOKEN, ENV_TOKEN, DOTENV_TOKEN, PROFILE_TOKEN]
}

#[test]
fn flags_beat_env_beat_dotenv_beat_profile() {
    let sb = Sandbox::new();
    let (flag_url, env_url, dotenv_url, profile_url) = (
        closed_url("flag"),
        closed_url("env"),
        closed_url("dotenv"),
        closed_url("profile"),
    );
    sb.write_config(&format!(
        "default_profile = \"p\"\n[profiles.p]\nurl = \"{profile_url}\"\ntoken = \"{PROFILE_TOKEN}\"\n"
    ));
    let out = sb.run(&["doctor"], &[]);
    let t = printed(&out);
    assert!(
        t.contains(&format!("URL    {profile_url}  (from profile \"p\" in ")),
        "{t}"
    );
    assert!(t.contains("token  prof****  (from profile \"p\""), "{t}");

    sb.write_dotenv(&format!(
        "UPSTASH_REDIS_REST_URL={dotenv_url}\nUPSTASH_REDIS_REST_TOKEN={DOTENV_TOKEN}\n"
    ));
    let t = printed(&sb.run(&["doctor"], &[]));
    assert!(
        t.contains(&format!(
            "URL    {dotenv_url}  (from UPSTASH_REDIS_REST_URL in "
        )),
        "{t}"
    );
    assert!(t.contains("token  dotn****"), "{t}");

    let env = [
        ("UPSTASH_REDIS_REST_URL", env_url.as_str()),
        ("UPSTASH_REDIS_REST_TOKEN", ENV_TOKEN),
    ];
    let t = printed(&sb.run(&["doctor"], &env));
    assert!(
        t.contains(&format!(
            "URL    {env_url}  (from the environment variable UPSTASH_REDIS_REST_URL)"
        )),
        "{t}"
    );
    assert!(t.contains("token  envv****"), "{t}");

    let t = printed(&sb.run(&["doctor", "--url", &flag_url, "--token", FLAG_TOKEN], &env));
    assert!(
        t.contains(&format!("URL    {flag_url}  (from the --url flag)")),
        "{t}"
    );
    assert!(
        t.contains("token  flag****  (from the --token flag)"),
        "{t}"
    );
    // Options before the subcommand count too.
    let t = printed(&sb.run(&["--url", &flag_url, "doctor"], &env));
    assert!(
        t.contains(&format!("URL    {flag_url}  (from the --url flag)")),
        "{t}"
    );

    for t in [printed(&out), t] {
        for token in all_tokens() {
            assert!(!t.contains(token), "token printed: {t}");
        }
    }
}

#[test]
fn kv_variables_are_fallbacks() {
    let sb = Sandbox::new();
    let (kv_url, up_url) = (closed_url("kv"), closed_url("upstash"));
    let t = printed(&sb.run(
        &["doctor"],
        &[
            ("KV_REST_API_URL", &kv_url),
            ("KV_REST_API_TOKEN", ENV_TOKEN),
        ],
    ));
    assert!(
        t.contains(&format!(
            "URL    {kv_url}  (from the environment variable KV_REST_API_URL)"
        )),
        "{t}"
    );
    assert!(
        t.contains("token  envv****  (from the environment variable KV_REST_API_TOKEN)"),
        "{t}"
    );
    let t = printed(&sb.run(
        &["doctor"],
        &[
            ("KV_REST_API_URL", &kv_url),
            ("UPSTASH_REDIS_REST_URL", &up_url),
            ("KV_REST_API_TOKEN", ENV_TOKEN),
        ],
    ));
    assert!(
        t.contains(&format!(
            "URL    {up_url}  (from the environment variable UPSTASH_REDIS_REST_URL)"
        )),
        "{t}"
    );
}

#[test]
fn env_file_and_token_env_profiles() {
    let sb = Sandbox::new();
    let url = closed_url("x");
    std::fs::write(
        sb.path().join("custom.env"),
        format!("KV_REST_API_URL={url}\n"),
    )
    .unwrap();
    sb.write_config("[profiles.work]\ntoken_env = \"WORK_TOKEN\"\ncolor = \"red\"\n");
    let t = printed(&sb.run(
        &["doctor", "--env-file", "custom.env", "--profile", "work"],
        &[("WORK_TOKEN", PROFILE_TOKEN)],
    ));
    assert!(
        t.contains("(from KV_REST_API_URL in ") && t.contains("custom.env)"),
        "{t}"
    );
    assert!(
        t.contains("token  prof****  (from the variable WORK_TOKEN named by profile \"work\")"),
        "{t}"
    );
}

#[test]
fn missing_settings_are_one_line_with_exit_code_2() {
    let sb = Sandbox::new();
    for args in [&["exec", "PING"][..], &["doctor"], &["scan"], &[]] {
        let out = sb.run(args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", printed(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with(
                "error: no REST URL: pass --url or set UPSTASH_REDIS_REST_URL (or KV_REST_API_URL); looked in: flags, the environment, "
            ),
            "{err}"
        );
        assert!(
            err.contains(".env (not found)") && err.contains("config.toml (no profile selected)"),
            "{err}"
        );
    }
    let url = closed_url("x");
    let out = sb.run(&["exec", "PING"], &[("UPSTASH_REDIS_REST_URL", &url)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).starts_with(
            "error: no REST token: pass --token or set UPSTASH_REDIS_REST_TOKEN (or KV_REST_API_TOKEN)"
        ),
        "{}",
        printed(&out)
    );
}

#[test]
fn config_file_errors_name_the_file_and_line() {
    let sb = Sandbox::new();
    sb.write_config("[profiles.a]\nurl = \"https://a.example\"\ncolour = \"red\"\n");
    let out = sb.run(&["exec", "PING"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("config.toml:3:1: ") && err.contains("colour"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");

    sb.write_config("[profiles.a]\nurl = \"https://a.example\"\n");
    let out = sb.run(&["exec", "--profile", "nope", "PING"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error: unknown profile \"nope\" (") && err.contains("profiles: a)"),
        "{err}"
    );

    let out = sb.run(&["--config", "missing.toml", "exec", "PING"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.toml"));
}

#[test]
fn plain_http_to_a_remote_host_is_refused() {
    let sb = Sandbox::new();
    let env = [
        ("UPSTASH_REDIS_REST_URL", "http://db.example.com"),
        ("UPSTASH_REDIS_REST_TOKEN", ENV_TOKEN),
    ];
    let out = sb.run(&["exec", "PING"], &env);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(
            "error: refusing plain http:// to db.example.com: the token would travel in clear text"
        ),
        "{err}"
    );
    assert!(!err.contains(ENV_TOKEN));
}

#[test]
fn the_token_is_never_printed() {
    let sb = Sandbox::new();
    let url = closed_url("x");
    let env = [
        ("UPSTASH_REDIS_REST_URL", url.as_str()),
        ("UPSTASH_REDIS_REST_TOKEN", ENV_TOKEN),
    ];
    let runs = [
        sb.run(&["doctor"], &env),
        sb.run(&["exec", "GET", "k"], &env),
        sb.run(&["--help"], &env),
        sb.run(&["exec", "--help"], &env),
        sb.run(
            &[
                "doctor",
                "--token",
                FLAG_TOKEN,
                "--url",
                "http://db.example.com",
            ],
            &[],
        ),
    ];
    for out in &runs {
        let t = printed(out);
        assert!(!t.is_empty());
        assert!(!t.contains(ENV_TOKEN) && !t.contains(FLAG_TOKEN), "{t}");
    }
    // Neither does the log.
    let log = std::fs::read_to_string(
        sb.path()
            .join("home/.local/state/upstash-tui/upstash-tui.log"),
    )
    .unwrap_or_default();
    assert!(!log.is_empty(), "the log file was written");
    assert!(
        !log.contains(ENV_TOKEN) && !log.contains(FLAG_TOKEN),
        "{log}"
    );
}

#[test]
fn a_wrong_cost_value_is_one_line_with_exit_code_2() {
    let sb = Sandbox::new();
    sb.write_config("[cost]\ndefault = \"cheap\"\n");
    let url = closed_url("cost");
    let out = sb.run(
        &["--frugal", "exec", "--url", &url, "--token", "t", "PING"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", printed(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim_end(),
        "error: config file: [cost] default \"cheap\" is not \"normal\" or \"frugal\""
    );
}

#[test]
fn a_wrong_theme_or_colour_is_a_settings_error_before_the_terminal() {
    let sb = Sandbox::new();
    let url = closed_url("look");
    let env = [
        ("UPSTASH_REDIS_REST_URL", url.as_str()),
        ("UPSTASH_REDIS_REST_TOKEN", ENV_TOKEN),
    ];
    // Without a terminal the TUI would refuse to start; the settings are
    // read, and refused, first.
    sb.write_config("theme = \"neon\"\n");
    let out = sb.run(&[], &env);
    assert_eq!(out.status.code(), Some(2), "{}", printed(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim_end(),
        "error: config file: theme \"neon\" is not dark, light or mono"
    );
    sb.write_config("default_profile = \"p\"\n[profiles.p]\ncolor = \"blu\"\n");
    let out = sb.run(&[], &env);
    assert_eq!(out.status.code(), Some(2), "{}", printed(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim_end(),
        "error: config file: profile \"p\" color \"blu\" is not a colour like red, \
         lightblue, 208 or #ff8800"
    );
    // A good one goes on to the terminal check.
    sb.write_config("theme = \"light\"\ndefault_profile = \"p\"\n[profiles.p]\ncolor = \"red\"\n");
    let out = sb.run(&[], &env);
    assert_eq!(out.status.code(), Some(1), "{}", printed(&out));
    assert!(
        printed(&out).contains("the TUI needs a terminal"),
        "{}",
        printed(&out)
    );
}

#[test]
fn a_bad_key_binding_is_a_config_error_before_the_terminal_is_touched() {
    let sb = Sandbox::new();
    sb.write_config("[keymap.console]\nsend = [\"ctrl-\"]\n");
    let url = closed_url("keymap");
    // The TUI itself: the error comes from the settings, with no escape
    // sequence written to set up a screen.
    let out = sb.run(&["--url", &url, "--token", "t"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", printed(&out));
    assert!(out.stdout.is_empty(), "{}", printed(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error: config file ")
            && err.contains("config.toml: [keymap.console] send: unknown key \"ctrl-\""),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");

    sb.write_config("[keymap.dialog]\nyes = [\"y\"]\n");
    let out = sb.run(&["--url", &url, "--token", "t"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", printed(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("[keymap.dialog] unknown action \"yes\""),
        "{err}"
    );
}
