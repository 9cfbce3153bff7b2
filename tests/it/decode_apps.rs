//! What real applications store, decoded: the keys django-redis,
//! Flask-Caching, Celery (JSON, pickle and msgpack serialisers), RQ and
//! BullMQ wrote (fixtures/decode/apps, made by the libraries themselves),
//! loaded byte for byte into the harness's redis-server and read back with
//! `upstash-tui view` through the gateway.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::Value;

use crate::common::Harness;
use crate::view::{stderr, stdout, view};

const APPS: &str = include_str!("fixtures/decode/apps/apps.json");

fn b64(v: &Value) -> Vec<u8> {
    B64.decode(v.as_str().expect("a base64 string"))
        .expect("base64")
}

/// Writes every key of the fixture, with its exact bytes.
async fn load(h: &Harness) {
    let apps: Value = serde_json::from_str(APPS).expect("the fixture is JSON");
    let mut conn = h.redis_conn().await;
    let mut pipe = redis::pipe();
    for k in apps["keys"].as_array().expect("keys") {
        let key = b64(&k["key"]);
        match k["type"].as_str().expect("a type") {
            "string" => {
                pipe.cmd("SET").arg(&key).arg(b64(&k["value"])).ignore();
            }
            "hash" => {
                for pair in k["fields"].as_array().expect("fields") {
                    pipe.cmd("HSET")
                        .arg(&key)
                        .arg(b64(&pair[0]))
                        .arg(b64(&pair[1]))
                        .ignore();
                }
            }
            "list" => {
                for e in k["elements"].as_array().expect("elements") {
                    pipe.cmd("RPUSH").arg(&key).arg(b64(e)).ignore();
                }
            }
            _ => {}
        }
    }
    let () = pipe
        .query_async(&mut conn)
        .await
        .expect("the fixture loads");
}

/// `view KEY`: what it printed, and the header line.
fn shown(h: &Harness, key: &str) -> (String, String) {
    let out = view(h, &[key.as_bytes()]);
    assert!(out.status.success(), "{key}: {}", stderr(&out));
    (stdout(&out), stderr(&out))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn caches_written_by_django_redis_and_flask_caching_are_shown_decoded() {
    let h = Harness::start().await;
    load(&h).await;
    let (out, head) = shown(&h, "dj:1:user:1");
    assert!(head.ends_with("· pickle\n"), "{head}");
    for part in [
        "'name': 'Ada Lovelace'",
        "'balance': decimal.Decimal('12.50')",
        "'id': uuid.UUID('12345678-1234-5678-1234-567812345678')",
        "'tags': {'admin'}",
        "'scores': (1, 2.5, None, True)",
        "tzinfo=datetime.timezone.utc",
    ] {
        assert!(out.contains(part), "{part}: {out}");
    }
    // django-redis stores integers as their digits.
    assert_eq!(shown(&h, "dj:1:visits").0, "42\n");
    let (out, head) = shown(&h, "djz:1:page:/home");
    assert!(head.contains("zlib › pickle"), "{head}");
    assert!(out.contains("'html': '<h1>Welcome</h1><h1>"), "{out}");
    let (out, head) = shown(&h, "djm:1:feed:1");
    assert!(head.ends_with("· msgpack\n"), "{head}");
    assert_eq!(out, "{\"items\": [1, 2, 3], \"next\": null}\n");
    let (out, head) = shown(&h, "flask_view//products");
    assert!(head.contains("Flask-Caching › pickle"), "{head}");
    assert_eq!(out, "{'count': 3, 'items': ['a', 'b', 'c']}\n");
    // Flask-Caching's integers are text too.
    assert_eq!(shown(&h, "flask_counter").0, "7\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn celery_messages_and_results_in_every_serialiser_are_read() {
    let h = Harness::start().await;
    load(&h).await;
    for (queue, args, kwargs) in [
        ("json_q", r#"[1234,"9.99"]"#, r#"{"currency":"EUR"}"#),
        (
            "pickle_q",
            "(1234, decimal.Decimal('9.99'))",
            "{'currency': 'EUR'}",
        ),
        ("msgpack_q", r#"[1234, "9.99"]"#, r#"{"currency": "EUR"}"#),
    ] {
        let (out, _) = shown(&h, queue);
        assert!(out.contains("task     shop.tasks.charge"), "{queue}: {out}");
        assert!(out.contains(&format!("args     {args}")), "{queue}: {out}");
        assert!(
            out.contains(&format!("kwargs   {kwargs}")),
            "{queue}: {out}"
        );
        assert!(out.contains("retries  1"), "{queue}: {out}");
    }
    let (out, head) = shown(&h, "celery-task-meta-result-pickle");
    assert!(head.ends_with("· pickle\n"), "{head}");
    assert!(
        out.contains("'result': {'charged': 999, 'ok': True}"),
        "{out}"
    );
    let (out, head) = shown(&h, "celery-task-meta-result-msgpack");
    assert!(head.ends_with("· msgpack\n"), "{head}");
    assert!(
        out.contains(r#""result": {"charged": 999, "ok": true}"#),
        "{out}"
    );
    let (out, _) = shown(&h, "celery-task-meta-result-failed");
    assert!(out.contains(r#""status": "FAILURE""#), "{out}");
    assert!(out.contains("ValueError: card declined"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rq_and_bullmq_jobs_show_their_calls_and_failures() {
    let h = Harness::start().await;
    load(&h).await;
    // RQ keeps the call as zlib-compressed pickle in the job hash.
    let (out, _) = shown(&h, "rq:job:welcome-1");
    assert!(
        out.contains("data: tasks.send_email('ada@example.com', 'Welcome', retries=2)\n"),
        "{out}"
    );
    let (out, _) = shown(&h, "rq:job:order-1234");
    assert!(out.contains("data: tasks.crash(1234)\n"), "{out}");
    assert!(out.contains("status: failed"), "{out}");
    // BullMQ's fields are JSON, shown pretty.
    let (out, _) = shown(&h, "bull:reports:b-1");
    assert!(out.contains("failedReason: no such month: nope"), "{out}");
    assert!(out.contains("\"month\": \"nope\""), "{out}");
    assert!(out.contains("\"Error: no such month: nope"), "{out}");
}

const EVIL: &[u8] = include_bytes!("fixtures/decode/pickle/evil_os.pickle");
/// The file the malicious pickle's command would create.
const EVIL_TOUCHES: &str = "/tmp/upstash-tui-pickle-was-run";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malicious_pickle_is_shown_with_a_warning_and_never_run() {
    use crate::common::headless::Tui;
    use upstash_tui::tui::Options;
    assert!(
        String::from_utf8_lossy(EVIL).contains(&format!("touch {EVIL_TOUCHES}")),
        "the fixture runs the command this test looks for"
    );
    let _ = std::fs::remove_file(EVIL_TOUCHES);
    let h = Harness::start().await;
    load(&h).await;
    let mut conn = h.redis_conn().await;
    let () = redis::cmd("SET")
        .arg("evil")
        .arg(EVIL)
        .query_async(&mut conn)
        .await
        .expect("seed");

    let (out, err) = {
        let o = view(&h, &[b"evil"]);
        (stdout(&o), stderr(&o))
    };
    assert_eq!(out, format!("os.system('touch {EVIL_TOUCHES}')\n"));
    assert!(
        err.starts_with("warning: this pickle would call os.system when loaded; nothing was run\n"),
        "{err}"
    );

    let mut tui = Tui::start(h.client(), &Options::default(), 100, 30);
    tui.wait("keys to appear", |s| s.contains("evil")).await;
    tui.send(&["1", "/", "C-u", "-l", "evil", "Enter"]);
    tui.wait("the key alone", |s| s.contains("1 key")).await;
    tui.send(&["Enter"]);
    tui.wait("the call and the warning in the Value pane", |s| {
        s.contains("│⚠ this pickle would call os.system when loaded; │")
            && s.contains("│nothing was run ")
            && s.contains("│os.system('touch /tmp/upstash-tui-pickle-was-run│")
            && s.contains("│pickle · read-only view")
    })
    .await;
    // f: the pickle reading forced, then the stored bytes as text.
    tui.send(&["2", "f"]);
    tui.wait("pickle forced", |s| s.contains("format pickle"))
        .await;
    tui.send(&["f"]);
    tui.wait("the stored text", |s| {
        s.contains("format text") && s.contains("│cos") && !s.contains("⚠")
    })
    .await;
    assert!(
        !std::path::Path::new(EVIL_TOUCHES).exists(),
        "nothing was run"
    );
}

/// A protocol 4 pickle of `n` strings, `['item 0', 'item 1', …]`.
fn big_pickle(n: usize) -> Vec<u8> {
    let mut p = vec![0x80, 4, b']', b'('];
    for i in 0..n {
        let s = format!("item {i}");
        p.push(0x8c);
        p.push(s.len() as u8);
        p.extend_from_slice(s.as_bytes());
    }
    p.extend_from_slice(b"e.");
    p
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pickle_larger_than_the_first_page_is_fetched_whole_and_shown_decoded() {
    use crate::common::headless::Tui;
    use upstash_tui::tui::Options;
    let h = Harness::start().await;
    let pickle = big_pickle(20_000);
    assert!(pickle.len() > 150_000, "more than two first pages");
    let mut conn = h.redis_conn().await;
    let () = redis::cmd("SET")
        .arg("bigpickle")
        .arg(&pickle)
        .query_async(&mut conn)
        .await
        .expect("seed");
    let mut tui = Tui::start(h.client(), &Options::default(), 100, 30);
    tui.wait("the key", |s| s.contains("bigpickle")).await;
    tui.send(&["1", "/", "C-u", "-l", "bigpickle", "Enter"]);
    tui.wait("the key looked up", |s| s.contains("1 key · looked up"))
        .await;
    tui.send(&["Enter"]);
    tui.wait("the pickle decoded whole", |s| {
        s.contains("│pickle · read-only view")
            && s.contains("'item 0',")
            && !s.contains("not a whole")
    })
    .await;
    tui.send(&["2", "G"]);
    tui.wait("its last element", |s| s.contains("'item 19999'"))
        .await;
}
