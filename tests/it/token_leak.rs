//! The token never shows: the real binary runs with a distinctive token
//! through every output path (trace-level logs, the TUI's screens, the
//! errors of `exec`, `scan`, `doctor` and `watch` with a wrong token, a
//! wrong URL and a 401, and the panic hook's output), and neither the token
//! nor its base64 or percent-encoded forms appear in any of them. Each
//! output is also checked for what it should say, so the search has
//! something to search.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

use base64::Engine as _;
use common::Harness;
use common::tmux::Tmux;
use upstash_tui::redis_server::free_port;
use upstash_tui::upstash::{Client, ClientConfig, Error};

/// Holds characters that base64 and percent-encoding both change.
const SECRET: &str = "LeakCheck+Tok3n/7f3a=9c2e1b";
const CHILD: &str = "UPSTASH_TUI_TOKEN_LEAK_CHILD";
const PROMPT: &str = "e2e-prompt$";

fn forms() -> Vec<String> {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    let encoded: String =
        percent_encoding::utf8_percent_encode(SECRET, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
    vec![
        SECRET.to_string(),
        STANDARD.encode(SECRET),
        URL_SAFE_NO_PAD.encode(SECRET),
        STANDARD.encode(format!("Bearer {SECRET}")),
        encoded,
    ]
}

fn assert_clean(what: &str, text: &str) {
    for form in forms() {
        assert!(
            !text.contains(&form),
            "{what} shows the token as {form}:\n{text}"
        );
    }
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(crate::common::BIN)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .env("XDG_STATE_HOME", dir)
        .env("RUST_LOG", "trace")
        .current_dir(dir)
        .arg("--log-file")
        .arg(dir.join("cli.log"))
        .args(args)
        .output()
        .expect("the binary runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_and_their_errors_never_show_the_token() {
    let h = Harness::start_with(|g| g.token = SECRET.into()).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let url = h.url.as_str();
    let wrong = format!("{SECRET}-wrong");
    let closed = format!("http://127.0.0.1:{}", free_port().expect("port"));
    let with_token = format!("{url}/?_token={SECRET}");
    // (arguments, what stdout + stderr must say)
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["exec", "--url", url, "--token", SECRET, "SET", "k", SECRET],
            "OK",
        ),
        (
            vec!["exec", "--url", url, "--token", SECRET, "GET", "k"],
            "Tok3n",
        ),
        (
            vec!["exec", "--url", url, "--token", &wrong, "PING"],
            "unauthorized",
        ),
        (
            vec!["exec", "--url", &with_token, "--token", SECRET, "PING"],
            "not usable",
        ),
        (
            vec!["exec", "--url", &closed, "--token", SECRET, "PING"],
            "cannot reach",
        ),
        (
            vec![
                "exec",
                "--url",
                "https://upstash-tui.invalid",
                "--token",
                SECRET,
                "PING",
            ],
            "error",
        ),
        (vec!["scan", "--url", url, "--token", SECRET], "k"),
        (
            vec!["scan", "--url", url, "--token", &wrong],
            "unauthorized",
        ),
        (
            vec!["scan", "--url", &closed, "--token", SECRET],
            "cannot reach",
        ),
        (vec!["doctor", "--url", url, "--token", SECRET], "token"),
        (vec!["doctor", "--url", url, "--token", &wrong], "401"),
        (
            vec!["doctor", "--url", &closed, "--token", SECRET],
            "refused",
        ),
        (
            vec!["doctor", "--url", &with_token, "--token", SECRET],
            "not usable",
        ),
        (
            vec![
                "watch", "--count", "1", "--url", url, "--token", &wrong, "k",
            ],
            "unauthorized",
        ),
        (
            vec![
                "watch", "--count", "1", "--url", &closed, "--token", SECRET, "k",
            ],
            "cannot reach",
        ),
    ];
    for (args, says) in &cases {
        let out = run(d, args);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        // What was printed is shown with the token as it reached the screen.
        let shown = text.replace(SECRET, "<TOKEN>");
        assert!(
            text.to_lowercase().contains(&says.to_lowercase()),
            "{args:?} should say {says:?}:\n{shown}"
        );
        // `GET k` prints the value, which is the token's text on purpose.
        if args.contains(&"GET") {
            continue;
        }
        assert_clean(&format!("{:?}", args.first()), &text);
    }
    let log = std::fs::read_to_string(d.join("cli.log")).expect("the log");
    assert!(log.contains("TRACE") && log.contains("request"), "{log}");
    assert!(log.contains("connecting"), "{log}");
    assert_clean("the trace log of the commands", &log);
}

async fn tui(h: &Harness, dir: &Path, name: &str, token: &str) -> (Tmux, Vec<String>) {
    std::fs::write(
        dir.join(format!("{name}.env")),
        format!(
            "UPSTASH_REDIS_REST_URL={}\nUPSTASH_REDIS_REST_TOKEN={token}\n",
            h.url
        ),
    )
    .expect(".env");
    let tmux = Tmux::start(name, dir);
    tmux.wait("the shell prompt", |s| s.contains(PROMPT)).await;
    let command = format!(
        "HOME={d} XDG_CONFIG_HOME={d} XDG_STATE_HOME={d} RUST_LOG=trace {bin} --env-file {name}.env --log-file {d}/tui.log",
        d = dir.display(),
        bin = crate::common::BIN,
    );
    tmux.send(&[&command, "Enter"]);
    tmux.wait("the TUI", |s| s.contains("1 Keys")).await;
    let screen = tmux.screen();
    (tmux, vec![screen])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tui_and_its_log_never_show_the_token() {
    let h = Harness::start_with(|g| g.token = SECRET.into()).await;
    let mut conn = h.redis_conn().await;
    let () = redis::cmd("SET")
        .arg("leak:key")
        .arg("v")
        .query_async(&mut conn)
        .await
        .expect("seed");
    let dir = tempfile::tempdir().expect("tempdir");

    let (tmux, mut screens) = tui(&h, dir.path(), "good", SECRET).await;
    tmux.wait("the key", |s| s.contains("leak")).await;
    tmux.send(&["?"]);
    tmux.wait("the help", |s| s.contains("Quit") || s.contains("quit"))
        .await;
    screens.push(tmux.screen());
    tmux.send(&["Escape"]);
    tmux.send(&["3"]);
    tmux.send(&["-l", "CONFIG GET requirepass"]);
    tmux.send(&["Enter"]);
    tmux.wait("the console's reply", |s| s.contains("requirepass"))
        .await;
    screens.push(tmux.screen());
    tmux.send(&["C-c"]);
    tmux.wait("the shell", |s| s.matches(PROMPT).count() >= 2)
        .await;
    screens.push(tmux.screen());
    drop(tmux);

    let wrong = format!("{SECRET}-wrong");
    let (tmux, mut more) = tui(&h, dir.path(), "wrong", &wrong).await;
    tmux.wait("the 401 in the TUI", |s| s.contains("unauthorized"))
        .await;
    // The server answered: the title names the token, never "unreachable".
    tmux.wait("the title names the token", |s| {
        s.lines()
            .next()
            .is_some_and(|l| l.contains("token refused"))
    })
    .await;
    assert!(!tmux.screen().contains("unreachable"), "{}", tmux.screen());
    more.push(tmux.screen());
    tmux.send(&["4"]);
    more.push(tmux.screen());
    tmux.send(&["C-c"]);
    drop(tmux);
    screens.extend(more);

    for (i, s) in screens.iter().enumerate() {
        assert_clean(&format!("screen {i}"), s);
    }
    let log = std::fs::read_to_string(dir.path().join("tui.log")).expect("the log");
    assert!(log.contains("TRACE") && log.contains("request"), "{log}");
    assert!(log.contains("401") || log.contains("nauthorized"), "{log}");
    assert_clean("the TUI's trace log", &log);
}

/// The panic hook prints the panic's message: the client and its settings,
/// which a panic message might format, print without the token.
#[test]
fn panic_output_never_shows_the_token() {
    if std::env::var_os(CHILD).is_some() {
        upstash_tui::tui::install_panic_hook(Some("/tmp/upstash-tui-leak.log".into()));
        let cfg = ClientConfig {
            url: "http://127.0.0.1:1".into(),
            token: SECRET.into(),
            connect_timeout: std::time::Duration::from_secs(1),
            request_timeout: std::time::Duration::from_secs(1),
            allow_insecure_http: false,
        };
        let client = Client::new(cfg.clone()).expect("client");
        panic!("bad state: {cfg:?} {client:?} {}", Error::Unauthorized);
    }
    let out = common::run_alone(
        module_path!(),
        "panic_output_never_shows_the_token",
        &[(CHILD, "1")],
    );
    assert!(!out.status.success(), "the child panicked");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("upstash-tui crashed: "), "{stderr}");
    assert!(
        stderr.contains("ClientConfig") && stderr.contains("unauthorized"),
        "{stderr}"
    );
    assert_clean("the panic output", &stderr);
    assert_clean("the panic output", &String::from_utf8_lossy(&out.stdout));
}
