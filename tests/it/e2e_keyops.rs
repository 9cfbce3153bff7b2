//! The real binary in tmux against the harness: the Keys pane's create,
//! open, delete with its confirmation, undo and the undo list, rename and
//! TTL, and a bulk delete of a folder of thousands of keys with its dry run
//! and progress. Each step is checked on the screen and in redis directly.

use crate::common;

use std::path::Path;

use common::Harness;
use common::tmux::Tmux;
use redis::AsyncCommands;
use redis::aio::MultiplexedConnection;

use common::tmux::PROMPT;
/// Keys in the folder the bulk delete removes.
const BULK: usize = 3000;

/// Seeds a folder of [`BULK`] keys and a few others, starts the TUI and
/// waits for the folders to show.
async fn launch(h: &Harness, dir: &Path) -> Tmux {
    let mut conn = h.redis_conn().await;
    let mut pipe = redis::pipe();
    for i in 0..BULK {
        pipe.set(format!("bulk:{i}"), format!("value {i}")).ignore();
    }
    for i in 0..5 {
        pipe.set(format!("user:{i}"), "x").ignore();
    }
    let () = pipe.query_async(&mut conn).await.expect("seed");

    let tmux = Tmux::launch_tui("keyops", dir, &h.url, "", "").await;
    tmux.wait("the folders to appear", |s| {
        s.contains("bulk (3000)") && s.contains("user (5)")
    })
    .await;
    tmux
}

async fn hash(c: &mut MultiplexedConnection, key: &str) -> Vec<(String, String)> {
    c.hgetall(key).await.expect("HGETALL")
}

async fn ttl(c: &mut MultiplexedConnection, key: &str) -> i64 {
    c.ttl(key).await.expect("TTL")
}

async fn exists(c: &mut MultiplexedConnection, key: &str) -> bool {
    c.exists(key).await.expect("EXISTS")
}

/// The lines of the Keys pane (its column of the screen).
fn keys_pane(screen: &str) -> String {
    screen
        .lines()
        .map(|l| l.chars().take(40).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_open_delete_undo_rename_and_ttl_through_the_screen() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let tmux = launch(&h, dir.path()).await;
    let mut c = h.redis_conn().await;

    // n: a hash with a field, a value and a TTL.
    tmux.send(&["n"]);
    tmux.wait("the create form", |s| s.contains("New key"))
        .await;
    tmux.send(&["C-u"]);
    tmux.send(&["-l", "e2ehash"]);
    tmux.send(&["Tab", "Right"]);
    tmux.wait("the hash type and its fields", |s| {
        s.contains("‹ hash ›") && s.contains("field:") && s.contains("value:")
    })
    .await;
    tmux.send(&["Tab"]);
    tmux.send(&["-l", "colour"]);
    tmux.send(&["Tab"]);
    tmux.send(&["-l", "teal blue"]);
    tmux.send(&["Tab"]);
    tmux.send(&["-l", "10m"]);
    tmux.send(&["Enter"]);
    tmux.wait("the new key in the Keys pane", |s| {
        s.contains("created e2ehash (hash)") && keys_pane(s).contains("HASH e2ehash")
    })
    .await;
    assert_eq!(
        hash(&mut c, "e2ehash").await,
        [("colour".to_owned(), "teal blue".to_owned())]
    );
    let created_ttl = ttl(&mut c, "e2ehash").await;
    assert!((590..=600).contains(&created_ttl), "TTL {created_ttl}");

    // Narrow the list to it and open it.
    tmux.send(&["/"]);
    tmux.wait("the filter box", |s| s.contains("MATCH")).await;
    tmux.send(&["-l", "e2e*"]);
    tmux.send(&["Enter"]);
    tmux.wait("only the new key", |s| {
        s.contains("1 key") && !s.contains("bulk (3000)")
    })
    .await;
    tmux.send(&["Enter"]);
    tmux.wait("the Value pane to show the field", |s| {
        s.contains("HASH e2ehash") && s.contains("colour │ teal blue")
    })
    .await;

    // d: the confirmation shows type and size; y deletes.
    tmux.send(&["d"]);
    tmux.wait("the delete confirmation", |s| {
        s.contains("Delete key") && s.contains("e2ehash · hash · 1 field · TTL 9m")
    })
    .await;
    assert!(tmux.screen().contains("u undoes it"), "{}", tmux.screen());
    tmux.send(&["y"]);
    tmux.wait("the key to leave the screen", |s| {
        s.contains("deleted e2ehash (u undoes)") && !keys_pane(s).contains("e2ehash")
    })
    .await;
    assert!(!exists(&mut c, "e2ehash").await, "gone from redis");

    // U: the undo list has the delete.
    tmux.send(&["U"]);
    tmux.wait("the undo list", |s| {
        s.contains("Undo list") && s.contains("> delete e2ehash · 1 key")
    })
    .await;
    tmux.send(&["Escape"]);
    tmux.wait("the undo list to close", |s| !s.contains("Undo list"))
        .await;

    // u: back on screen and in redis, with its value and TTL.
    tmux.send(&["u"]);
    tmux.wait("the key to come back", |s| {
        s.contains("undone: delete e2ehash") && keys_pane(s).contains("e2ehash")
    })
    .await;
    assert_eq!(
        hash(&mut c, "e2ehash").await,
        [("colour".to_owned(), "teal blue".to_owned())]
    );
    let restored_ttl = ttl(&mut c, "e2ehash").await;
    assert!(
        (created_ttl - 30..=created_ttl).contains(&restored_ttl),
        "TTL {restored_ttl}, created with {created_ttl}"
    );

    // R: rename it.
    tmux.send(&["R"]);
    tmux.wait("the rename form", |s| {
        s.contains("Rename key") && s.contains("from e2ehash")
    })
    .await;
    tmux.send(&["C-u"]);
    tmux.send(&["-l", "e2erenamed"]);
    tmux.send(&["Enter"]);
    tmux.wait("the new name on screen", |s| {
        s.contains("renamed e2ehash to e2erenamed (u undoes)")
            && keys_pane(s).contains("e2erenamed")
    })
    .await;
    assert!(!exists(&mut c, "e2ehash").await);
    assert_eq!(
        hash(&mut c, "e2erenamed").await,
        [("colour".to_owned(), "teal blue".to_owned())]
    );

    // T: a new TTL.
    tmux.send(&["T"]);
    tmux.wait("the TTL form", |s| {
        s.contains("Set TTL") && s.contains("e2erenamed · TTL now")
    })
    .await;
    tmux.send(&["-l", "2h"]);
    tmux.send(&["Enter"]);
    tmux.wait("the TTL to be set", |s| {
        s.contains("TTL of e2erenamed is 2h0m")
    })
    .await;
    let t = ttl(&mut c, "e2erenamed").await;
    assert!((7190..=7200).contains(&t), "TTL {t}");

    // U lists the rename; u from the list undoes it.
    tmux.send(&["U"]);
    tmux.wait("the rename in the undo list", |s| {
        s.contains("> rename e2ehash to e2erenamed · 1 key")
    })
    .await;
    tmux.send(&["Enter"]);
    tmux.wait("the old name back", |s| {
        s.contains("undone: rename e2ehash to e2erenamed")
            && keys_pane(s).contains("e2ehash")
            && !keys_pane(s).contains("e2erenamed")
    })
    .await;
    assert!(!exists(&mut c, "e2erenamed").await);
    assert_eq!(
        hash(&mut c, "e2ehash").await,
        [("colour".to_owned(), "teal blue".to_owned())]
    );

    tmux.send(&["q"]);
    tmux.wait("the shell to come back", |s| s.matches(PROMPT).count() >= 2)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_delete_of_a_folder_shows_the_dry_run_and_progress() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let tmux = launch(&h, dir.path()).await;
    let mut c = h.redis_conn().await;

    // The first row is the bulk folder.
    tmux.send(&["D"]);
    tmux.wait("the dry run", |s| {
        s.contains("Bulk delete")
            && s.contains("3000 keys match bulk:*")
            && s.contains("… and 2995 more")
            && s.contains("Delete them all?")
    })
    .await;
    // Yes, and pause before the first batch, so the progress holds still.
    tmux.send(&["y", "p"]);
    tmux.wait("the paused progress", |s| {
        s.contains("paused bulk:*") && s.contains("of 3000 deleted")
    })
    .await;
    let left: usize = redis::cmd("DBSIZE").query_async(&mut c).await.unwrap();
    assert!(left > 5, "paused: the run holds ({left} keys left)");
    tmux.send(&["p"]);
    tmux.wait("the run to end", |s| {
        s.contains("bulk delete 3000 deleted, 0 left (u undoes)") && !s.contains("bulk (")
    })
    .await;
    let left: Vec<String> = c.keys("bulk:*").await.unwrap();
    assert!(left.is_empty(), "{} bulk keys left", left.len());
    let users: Vec<String> = c.keys("user:*").await.unwrap();
    assert_eq!(users.len(), 5, "the other folder is untouched");

    tmux.send(&["q"]);
    tmux.wait("the shell to come back", |s| s.matches(PROMPT).count() >= 2)
        .await;
}
