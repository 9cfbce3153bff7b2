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
    let s = resolve(&Overrides::default(), &e).unwrap();
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
    let s = resolve(&Overrides::default(), &e).unwrap();
    assert_eq!(
        (s.url.as_str(), s.token.expose()),
        ("https://dotenv", "tdot")
    );
    assert!(matches!(&s.token_source, Source::DotEnv { var, .. } if var == "KV_REST_API_TOKEN"));

    let e = env(&[("KV_REST_API_URL", "https://env")], dir.path());
    let s = resolve(&Overrides::default(), &e).unwrap();
    assert_eq!(s.url, "https://env");
    assert_eq!(s.url_source, Source::Env("KV_REST_API_URL".into()));

    let args = Overrides {
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
    let args = Overrides {
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
    let err = resolve(&Overrides::default(), &env(&[], dir.path())).unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("no REST URL: pass --url or set UPSTASH_REDIS_REST_URL (or KV_REST_API_URL); looked in: flags, the environment, "), "{text}");
    assert!(text.contains(".env (not found)"), "{text}");
    assert!(!text.contains('\n'));

    let e = env(&[("UPSTASH_REDIS_REST_URL", "https://x")], dir.path());
    let err = resolve(&Overrides::default(), &e).unwrap_err();
    assert!(matches!(err, ConfigError::NoToken { .. }), "{err:?}");
    assert!(err.to_string().starts_with("no REST token: "), "{err}");
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
    let args = Overrides {
        profile: Some("b".into()),
        ..Default::default()
    };
    let err = resolve(&args, &e).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "unknown profile \"b\" ({}; profiles: a)",
            dir.path().join("config.toml").display()
        )
    );

    std::fs::write(dir.path().join("config.toml"), "[profiles.a\n").unwrap();
    let err = resolve(&Overrides::default(), &e).unwrap_err();
    assert!(
        matches!(
            &err,
            ConfigError::Syntax {
                at: Some((1, _)),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("config.toml:1:"), "{err}");

    let args = Overrides {
        env_file: Some("missing.env".into()),
        ..Default::default()
    };
    let err = resolve(&args, &env(&[], tempfile::tempdir().unwrap().path())).unwrap_err();
    assert!(
        matches!(&err, ConfigError::Unreadable { role: FileRole::DotEnv, path, .. } if path.ends_with("missing.env")),
        "{err:?}"
    );
    assert!(
        err.to_string().starts_with("cannot read env file ")
            && err.to_string().contains("missing.env: "),
        "{err}"
    );
}

#[test]
fn plain_http_only_to_loopback() {
    assert!(check_url("http://127.0.0.1:8079", false).is_ok());
    assert!(check_url("http://localhost:8079", false).is_ok());
    assert!(check_url("http://[::1]:8079", false).is_ok());
    assert!(check_url("https://eu1.upstash.io", false).is_ok());
    let err = check_url("http://example.com", false).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("refusing plain http:// to example.com"),
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
    let s = resolve(&Overrides::default(), &e).unwrap();
    assert_eq!(s.monitor_interval, Some(Duration::from_secs(2)));
    assert_eq!(s.monitor_budget, Some(120));
    assert_eq!(s.max_string_bytes, Some(1_048_576));

    write("");
    let s = resolve(&Overrides::default(), &e).unwrap();
    assert_eq!(
        (s.monitor_interval, s.monitor_budget, s.max_string_bytes),
        (None, None, None)
    );

    write("[monitor]\ninterval = \"soon\"\n");
    let err = resolve(&Overrides::default(), &e).unwrap_err();
    assert_eq!(
        err.to_string(),
        "config file: [monitor] interval \"soon\" is not a duration like 5s or 1m"
    );

    write("[value]\nmax_string_bytes = 0\n");
    let err = resolve(&Overrides::default(), &e).unwrap_err();
    assert_eq!(
        err.to_string(),
        "config file: [value] max_string_bytes must be more than zero"
    );
}

#[test]
fn the_frugal_profile_comes_from_the_flag_a_profile_or_the_cost_table() {
    let dir = tempfile::tempdir().unwrap();
    let write = |text: &str| std::fs::write(dir.path().join("config.toml"), text).unwrap();
    let e = with_db(dir.path());
    let frugal = Overrides {
        frugal: true,
        ..Default::default()
    };

    // Normal: the usual interval and budget, no questions, prefetch on.
    write("");
    let s = resolve(&Overrides::default(), &e).unwrap();
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
    assert!(resolve(&Overrides::default(), &e).unwrap().cost.frugal);
    let profile = |name: &str| Overrides {
        profile: Some(name.into()),
        ..Default::default()
    };
    assert!(!resolve(&profile("paid"), &e).unwrap().cost.frugal);
    assert!(resolve(&profile("free"), &e).unwrap().cost.frugal);
    write("[profiles.free]\ncost = \"frugal\"\n");
    assert!(resolve(&profile("free"), &e).unwrap().cost.frugal);
    // The flag wins over a profile's `normal`.
    write("[profiles.paid]\ncost = \"normal\"\n");
    let args = Overrides {
        frugal: true,
        ..profile("paid")
    };
    assert!(resolve(&args, &e).unwrap().cost.frugal);

    write("[profiles.p]\ncost = \"cheap\"\n");
    let err = resolve(&profile("p"), &e).unwrap_err();
    assert_eq!(
        err.to_string(),
        "config file: profile \"p\" cost \"cheap\" is not \"normal\" or \"frugal\""
    );
}

#[test]
fn the_theme_and_the_profile_colour_are_read_with_the_settings() {
    let dir = tempfile::tempdir().unwrap();
    let write = |text: &str| std::fs::write(dir.path().join("config.toml"), text).unwrap();
    let e = with_db(dir.path());
    let profile = Overrides {
        profile: Some("prod".into()),
        ..Default::default()
    };

    write("");
    let s = resolve(&Overrides::default(), &e).unwrap();
    assert_eq!((s.theme, s.color), (ThemeName::Dark, None));

    write("theme = \"mono\"\n[profiles.prod]\ncolor = \"#ff0000\"\n");
    let s = resolve(&profile, &e).unwrap();
    assert_eq!(s.theme, ThemeName::Mono);
    assert_eq!(s.color, Some(Color::Rgb(255, 0, 0)));

    // Both are refused when the settings are read, before any terminal.
    write("theme = \"neon\"\n");
    let err = resolve(&Overrides::default(), &e).unwrap_err();
    assert_eq!(
        err.to_string(),
        "config file: theme \"neon\" is not dark, light or mono"
    );
    write("[profiles.prod]\ncolor = \"blu\"\n");
    let err = resolve(&profile, &e).unwrap_err();
    assert!(
        matches!(&err, ConfigError::BadValue { setting, value, .. }
            if setting == "profile \"prod\" color" && value == "blu"),
        "{err:?}"
    );
}

#[test]
fn the_places_looked_in_are_named_exactly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), "[profiles.p]\n").unwrap();
    let args = Overrides {
        profile: Some("p".into()),
        ..Default::default()
    };
    let err = resolve(&args, &env(&[], dir.path())).unwrap_err();
    let (dotenv, config) = (dir.path().join(".env"), dir.path().join("config.toml"));
    assert_eq!(
        err.to_string(),
        format!(
            "no REST URL: pass --url or set UPSTASH_REDIS_REST_URL (or KV_REST_API_URL); \
             looked in: flags, the environment, {} (not found), profile \"p\" in {}",
            dotenv.display(),
            config.display()
        )
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
    let s = resolve(&Overrides::default(), &e).unwrap();
    let ctrl_j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::CONTROL);
    assert_eq!(
        s.keymap.action(Context::Console, &ctrl_j),
        Some(Action::Send)
    );
    let o = KeyEvent::new(KeyCode::Char('o'), KeyModifiers::NONE);
    assert_eq!(s.keymap.action(Context::Dialog, &o), Some(Action::Confirm));
}
