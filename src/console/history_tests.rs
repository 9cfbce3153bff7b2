use super::*;

#[test]
fn up_and_down_walk_the_entries_and_give_back_the_draft() {
    let mut h = History::in_memory();
    for l in ["GET a", "GET b", "GET c"] {
        h.push(l).expect("in memory");
    }
    assert_eq!(h.up("SET x"), Some("GET c"));
    assert_eq!(h.up(""), Some("GET b"));
    assert_eq!(h.up(""), Some("GET a"));
    assert_eq!(h.up(""), None, "nothing older");
    assert_eq!(h.down(), Some("GET b"));
    assert_eq!(h.down(), Some("GET c"));
    assert_eq!(h.down(), Some("SET x"), "back to the draft");
    assert_eq!(h.down(), None);
    assert_eq!(History::in_memory().up("x"), None);
}

#[test]
fn consecutive_repeats_and_blank_lines_are_not_kept() {
    let mut h = History::in_memory();
    for l in ["PING", "PING", "  ", "GET a", "PING"] {
        h.push(l).expect("in memory");
    }
    assert_eq!(h.entries(), ["PING", "GET a", "PING"]);
}

#[test]
fn the_history_is_capped() {
    let mut h = History::in_memory();
    for i in 0..CAP + 5 {
        h.push(&format!("GET k{i}")).expect("in memory");
    }
    assert_eq!(h.entries().len(), CAP);
    assert_eq!(h.entries()[0], "GET k5");
}

#[test]
fn reverse_search_finds_older_matches_in_turn() {
    let mut h = History::in_memory();
    for l in ["HGETALL user:1", "GET a", "hget user:2 name", "PING"] {
        h.push(l).expect("in memory");
    }
    let mut s = Search {
        query: "USER".into(),
        found: None,
    };
    s.update(&h);
    assert_eq!(s.found, Some(2));
    s.older(&h);
    assert_eq!(s.found, Some(0));
    s.older(&h);
    assert_eq!(s.found, Some(0), "stays on the oldest match");
    s.query = "nothing like it".into();
    s.update(&h);
    assert_eq!(s.found, None);
}

#[test]
fn secrets_are_never_kept() {
    let token = "AYQgASQgYjQ2ZDdlNjYtOTk5OS00ZDhiLWFlNWEtZjE1ZDg3ZTk0OTI4";
    for line in [
        "AUTH hunter2".to_string(),
        "auth default hunter2".to_string(),
        "ACL SETUSER bob on >pw".to_string(),
        "HELLO 3 AUTH default pw".to_string(),
        "CONFIG SET requirepass pw".to_string(),
        format!("SET token {token}"),
        "SET k 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".to_string(),
        "PING\nAUTH pw".to_string(),
    ] {
        assert!(is_secret(&line), "{line}");
        let mut h = History::in_memory();
        h.push(&line).expect("in memory");
        assert!(h.entries().is_empty(), "{line}");
    }
    for line in [
        "GET celery-task-meta-0b1c4f8e-9a8d-4a47-9a55-2f2d1c2e7f10",
        "HGETALL session:user_session_with_a_rather_long_name",
        "SET greeting hello",
    ] {
        assert!(!is_secret(line), "{line}");
    }
}

#[test]
fn the_history_survives_a_restart_and_skips_secrets_in_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nested/console_history");
    let mut h = History::open(path.clone()).expect("missing file is empty");
    assert!(h.entries().is_empty());
    h.push("SET a 1").expect("saves");
    h.push("SET \"x\\ny\" 2\nGET a").expect("saves");
    h.push("AUTH secret").expect("saves");
    let again = History::open(path.clone()).expect("loads");
    assert_eq!(again.entries(), ["SET a 1", "SET \"x\\ny\" 2\nGET a"]);
    let text = std::fs::read_to_string(&path).expect("file exists");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "only the user reads the history");
    }
    assert!(!text.contains("secret"));
    // A line written by hand (or by an older version) is filtered on load.
    std::fs::write(&path, "GET a\nAUTH pw\n").expect("writes");
    assert_eq!(History::open(path).expect("loads").entries(), ["GET a"]);
}

#[test]
fn each_database_has_its_own_file_named_by_host_only() {
    if let Some(p) = path_for("eu1-x.upstash.io") {
        assert!(p.ends_with("upstash-tui/history/eu1-x.upstash.io"), "{p:?}");
    }
    assert_eq!(file_name("127.0.0.1:8079"), "127.0.0.1_8079");
    assert_eq!(file_name("[::1]:8079"), "___1__8079");
    assert_eq!(
        file_name("../../etc/x"),
        "_.._etc_x",
        "never leaves the folder"
    );
    assert_eq!(file_name(""), "default");
    assert_eq!(file_name(".."), "default");
}

#[test]
fn a_huge_line_is_sent_but_not_kept() {
    let mut h = History::in_memory();
    h.push(&format!("SET big {}", "x".repeat(MAX_LINE)))
        .expect("in memory");
    h.push("GET big").expect("in memory");
    assert_eq!(h.entries(), ["GET big"]);
}
