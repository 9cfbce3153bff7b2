use super::*;

fn env(vars: &[(&str, &str)], dir: &Path) -> Environment {
    Environment {
        vars: vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        cwd: dir.to_owned(),
        default_config: Some(dir.join("config.toml")),
    }
}

#[test]
fn flags_beat_env_beat_dotenv_beat_profile() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "default_profile = \"p\"\n[profiles.p]\nurl = \"https://profile\"\ntoken = \"tp\"\ndelimiter = \"/\"\n",
    )
    .unwrap();
    let e = env(&[], dir.path());
    let s = resolve(&ConnectionArgs::default(), &e).unwrap();
    assert_eq!(
        (s.url.as_str(), s.token.expose()),
        ("https://profile", "tp")
    );
    assert!(matches!(s.url_source, Source::Profile { .. }));
    assert_eq!(s.delimiter, "/");

    std::fs::write(
        dir.path().join(".env"),
        "UPSTASH_REDIS_REST_URL=https://dotenv\nKV_REST_API_TOKEN=tdot\n",
    )
    .unwrap();
    let s = resolve(&ConnectionArgs::default(), &e).unwrap();
    assert_eq!(
        (s.url.as_str(), s.token.expose()),
        ("https://dotenv", "tdot")
    );
    assert!(matches!(&s.token_source, Source::DotEnv { var, .. } if var == "KV_REST_API_TOKEN"));

    let e = env(&[("KV_REST_API_URL", "https://env")], dir.path());
    let s = resolve(&ConnectionArgs::default(), &e).unwrap();
    assert_eq!(s.url, "https://env");
    assert_eq!(s.url_source, Source::Env("KV_REST_API_URL".into()));

    let args = ConnectionArgs {
        url: Some("https://flag".into()),
        ..Default::default()
    };
    let s = resolve(&args, &e).unwrap();
    assert_eq!(
        (s.url.as_str(), s.url_source),
        ("https://flag", Source::Flag("--url"))
    );
}

#[test]
fn token_env_names_a_variable() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "[profiles.p]\nurl = \"https://p\"\ntoken_env = \"MY_TOKEN\"\nread_only = true\n",
    )
    .unwrap();
    let args = ConnectionArgs {
        profile: Some("p".into()),
        ..Default::default()
    };
    let s = resolve(&args, &env(&[("MY_TOKEN", "secret")], dir.path())).unwrap();
    assert_eq!(s.token.expose(), "secret");
    assert!(s.read_only);
    assert_eq!(
        s.token_source,
        Source::ProfileEnv {
            name: "p".into(),
            var: "MY_TOKEN".into()
        }
    );
}

#[test]
fn missing_settings_say_where_they_were_looked_for() {
    let dir = tempfile::tempdir().unwrap();
    let err = resolve(&ConnectionArgs::default(), &env(&[], dir.path())).unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("no REST URL: pass --url or set UPSTASH_REDIS_REST_URL (or KV_REST_API_URL); looked in: flags, the environment, "), "{text}");
    assert!(text.contains(".env (not found)"), "{text}");
    assert!(!text.contains('\n'));

    let e = env(&[("UPSTASH_REDIS_REST_URL", "https://x")], dir.path());
    let err = resolve(&ConnectionArgs::default(), &e).unwrap_err();
    assert!(err.0.starts_with("no REST token: "), "{err}");
}

#[test]
fn unknown_profiles_and_bad_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let e = env(&[], dir.path());
    std::fs::write(
        dir.path().join("config.toml"),
        "[profiles.a]\nurl = \"https://a\"\n",
    )
    .unwrap();
    let args = ConnectionArgs {
        profile: Some("b".into()),
        ..Default::default()
    };
    let err = resolve(&args, &e).unwrap_err();
    assert!(
        err.0.starts_with("unknown profile \"b\" (") && err.0.ends_with("profiles: a)"),
        "{err}"
    );

    std::fs::write(dir.path().join("config.toml"), "[profiles.a\n").unwrap();
    let err = resolve(&ConnectionArgs::default(), &e).unwrap_err();
    assert!(err.0.contains("config.toml:1:"), "{err}");

    let args = ConnectionArgs {
        env_file: Some("missing.env".into()),
        ..Default::default()
    };
    let err = resolve(&args, &env(&[], tempfile::tempdir().unwrap().path())).unwrap_err();
    assert!(err.0.contains("missing.env"), "{err}");
}

#[test]
fn plain_http_only_to_loopback() {
    assert!(check_url("http://127.0.0.1:8079", false).is_ok());
    assert!(check_url("http://localhost:8079", false).is_ok());
    assert!(check_url("http://[::1]:8079", false).is_ok());
    assert!(check_url("https://eu1.upstash.io", false).is_ok());
    let err = check_url("http://example.com", false).unwrap_err();
    assert!(
        err.0.starts_with("refusing plain http:// to example.com"),
        "{err}"
    );
    assert!(check_url("http://example.com", true).is_ok());
    assert!(check_url("redis://x", false).is_err());
    assert!(check_url("not a url", false).is_err());
}

/// An environment with a URL and a token, whose config file is in `dir`.
fn with_db(dir: &Path) -> Environment {
    env(
        &[
            ("UPSTASH_REDIS_REST_URL", "https://db"),
            ("UPSTASH_REDIS_REST_TOKEN", "t"),
        ],
        dir,
    )
}

#[test]
fn monitor_and_value_sections_are_read_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let write = |text: &str| std::fs::write(dir.path().join("config.toml"), text).unwrap();
    let e = with_db(dir.path());
    write("[monitor]\ninterval = \"2s\"\nbudget = 120\n[value]\nmax_string_bytes = 1048576\n");
    let s = resolve(&ConnectionArgs::default(), &e).unwrap();
    assert_eq!(s.monitor_interval, Some(Duration::from_secs(2)));
    assert_eq!(s.monitor_budget, Some(120));
    assert_eq!(s.max_string_bytes, Some(1_048_576));

    write("");
    let s = resolve(&ConnectionArgs::default(), &e).unwrap();
    assert_eq!(
        (s.monitor_interval, s.monitor_budget, s.max_string_bytes),
        (None, None, None)
    );

    write("[monitor]\ninterval = \"soon\"\n");
    let err = resolve(&ConnectionArgs::default(), &e).unwrap_err();
    assert!(err.0.contains("[monitor] interval \"soon\""), "{err}");

    write("[value]\nmax_string_bytes = 0\n");
    let err = resolve(&ConnectionArgs::default(), &e).unwrap_err();
    assert!(err.0.contains("max_string_bytes"), "{err}");
}

#[test]
fn the_frugal_profile_comes_from_the_flag_a_profile_or_the_cost_table() {
    let dir = tempfile::tempdir().unwrap();
    let write = |text: &str| std::fs::write(dir.path().join("config.toml"), text).unwrap();
    let e = with_db(dir.path());
    let frugal = ConnectionArgs {
        frugal: true,
        ..Default::default()
    };

    // Normal: the usual interval and budget, no questions, prefetch on.
    write("");
    let s = resolve(&ConnectionArgs::default(), &e).unwrap();
    assert_eq!(s.cost, Cost::default());
    assert_eq!((s.monitor_interval, s.scan), (None, ScanBudget::default()));

    // --frugal: a probe every 30 s, a smaller scan budget, questions above 100.
    let s = resolve(&frugal, &e).unwrap();
    assert!(s.cost.frugal);
    assert_eq!(s.cost.ask_above(), Some(100));
    assert_eq!(s.monitor_interval, Some(Duration::from_secs(30)));
    assert_eq!(
        s.scan,
        ScanBudget {
            max_keys: 2_000,
            max_requests: 5
        }
    );

    // What the file sets itself wins over the frugal defaults.
    write(
        "[scan]\nmax_keys = 500\n[monitor]\ninterval = \"1m\"\nquota = 500000\n[cost]\nconfirm_above = 20\n",
    );
    let s = resolve(&frugal, &e).unwrap();
    assert_eq!((s.scan.max_keys, s.scan.max_requests), (500, 5));
    assert_eq!(s.monitor_interval, Some(Duration::from_secs(60)));
    assert_eq!(s.monitor_quota, Some(500_000));
    assert_eq!(s.cost.ask_above(), Some(20));

    // `[cost] default` for every profile; a profile's own `cost` wins.
    write("[cost]\ndefault = \"frugal\"\n[profiles.paid]\ncost = \"normal\"\n[profiles.free]\n");
    assert!(resolve(&ConnectionArgs::default(), &e).unwrap().cost.frugal);
    let profile = |name: &str| ConnectionArgs {
        profile: Some(name.into()),
        ..Default::default()
    };
    assert!(!resolve(&profile("paid"), &e).unwrap().cost.frugal);
    assert!(resolve(&profile("free"), &e).unwrap().cost.frugal);
    write("[profiles.free]\ncost = \"frugal\"\n");
    assert!(resolve(&profile("free"), &e).unwrap().cost.frugal);
    // The flag wins over a profile's `normal`.
    write("[profiles.paid]\ncost = \"normal\"\n");
    let args = ConnectionArgs {
        frugal: true,
        ..profile("paid")
    };
    assert!(resolve(&args, &e).unwrap().cost.frugal);

    write("[profiles.p]\ncost = \"cheap\"\n");
    let err = resolve(&profile("p"), &e).unwrap_err();
    assert_eq!(
        err.0,
        "config file: profile \"p\" cost \"cheap\" is not \"normal\" or \"frugal\""
    );
}

#[test]
fn key_bindings_are_resolved_with_the_settings() {
    use crate::tui::keymap::{Action, Context};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "[keymap.console]\nsend = [\"ctrl-j\"]\n[keymap.dialog]\nconfirm = [\"o\"]\n",
    )
    .unwrap();
    let e = env(
        &[
            ("UPSTASH_REDIS_REST_URL", "https://h"),
            ("UPSTASH_REDIS_REST_TOKEN", "t"),
        ],
        dir.path(),
    );
    let s = resolve(&ConnectionArgs::default(), &e).unwrap();
    let ctrl_j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::CONTROL);
    assert_eq!(
        s.keymap.action(Context::Console, &ctrl_j),
        Some(Action::Send)
    );
    let o = KeyEvent::new(KeyCode::Char('o'), KeyModifiers::NONE);
    assert_eq!(s.keymap.action(Context::Dialog, &o), Some(Action::Confirm));
}
