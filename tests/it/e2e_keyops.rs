//! The whole TUI on a test terminal against the harness: the Keys pane's create,
//! open, delete with its confirmation, undo and the undo list, rename and
//! TTL, and a bulk delete of a folder of thousands of keys with its dry run
//! and progress. Each step is checked on the screen and in redis directly.

use crate::common;

use common::Harness;
use common::headless::Tui;
use redis::AsyncCommands;
use redis::aio::MultiplexedConnection;
use upstash_tui::tui::Options;

/// Keys in the folder the bulk delete removes.
const BULK: usize = 3000;

/// Seeds a folder of [`BULK`] keys and a few others, starts the TUI and
/// waits for the folders to show.
async fn launch(h: &Harness) -> Tui {
    let mut conn = h.redis_conn().await;
    let mut pipe = redis::pipe();
    for i in 0..BULK {
        pipe.set(format!("bulk:{i}"), format!("value {i}")).ignore();
    }
    for i in 0..5 {
        pipe.set(format!("user:{i}"), "x").ignore();
    }
    let () = pipe.query_async(&mut conn).await.expect("seed");

    let mut tui = Tui::start(h.client(), &Options::default(), 120, 40);
    tui.wait("the folders to appear", |s| {
        s.contains("bulk (3000)") && s.contains("user (5)")
    })
    .await;
    tui
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
    let mut tui = launch(&h).await;
    let mut c = h.redis_conn().await;

    // n: a hash with a field, a value and a TTL.
    tui.send(&["n"]);
    tui.wait("the create form", |s| s.contains("New key")).await;
    tui.send(&["C-u"]);
    tui.send(&["-l", "e2ehash"]);
    tui.send(&["Tab", "Right"]);
    tui.wait("the hash type and its fields", |s| {
        s.contains("‹ hash ›") && s.contains("field:") && s.contains("value:")
    })
    .await;
    tui.send(&["Tab"]);
    tui.send(&["-l", "colour"]);
    tui.send(&["Tab"]);
    tui.send(&["-l", "teal blue"]);
    tui.send(&["Tab"]);
    tui.send(&["-l", "10m"]);
    tui.send(&["Enter"]);
    tui.wait("the new key in the Keys pane", |s| {
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
    tui.send(&["/"]);
    tui.wait("the filter box", |s| s.contains("MATCH")).await;
    tui.send(&["-l", "e2e*"]);
    tui.send(&["Enter"]);
    tui.wait("only the new key", |s| {
        s.contains("1 key") && !s.contains("bulk (3000)")
    })
    .await;
    tui.send(&["Enter"]);
    tui.wait("the Value pane to show the field", |s| {
        s.contains("HASH e2ehash") && s.contains("colour │ teal blue")
    })
    .await;

    // d: the confirmation shows type and size; y deletes.
    tui.send(&["d"]);
    tui.wait("the delete confirmation", |s| {
        s.contains("Delete key") && s.contains("e2ehash · hash · 1 field · TTL 9m")
    })
    .await;
    assert!(tui.screen().contains("u undoes it"), "{}", tui.screen());
    tui.send(&["y"]);
    tui.wait("the key to leave the screen", |s| {
        s.contains("deleted e2ehash (u undoes)") && !keys_pane(s).contains("e2ehash")
    })
    .await;
    assert!(!exists(&mut c, "e2ehash").await, "gone from redis");

    // U: the undo list has the delete.
    tui.send(&["U"]);
    tui.wait("the undo list", |s| {
        s.contains("Undo list") && s.contains("> delete e2ehash · 1 key")
    })
    .await;
    tui.send(&["Escape"]);
    tui.wait("the undo list to close", |s| !s.contains("Undo list"))
        .await;

    // u: back on screen and in redis, with its value and TTL.
    tui.send(&["u"]);
    tui.wait("the key to come back", |s| {
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
    tui.send(&["R"]);
    tui.wait("the rename form", |s| {
        s.contains("Rename key") && s.contains("from e2ehash")
    })
    .await;
    tui.send(&["C-u"]);
    tui.send(&["-l", "e2erenamed"]);
    tui.send(&["Enter"]);
    tui.wait("the new name on screen", |s| {
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
    tui.send(&["T"]);
    tui.wait("the TTL form", |s| {
        s.contains("Set TTL") && s.contains("e2erenamed · TTL now")
    })
    .await;
    tui.send(&["-l", "2h"]);
    tui.send(&["Enter"]);
    tui.wait("the TTL to be set", |s| {
        s.contains("TTL of e2erenamed is 2h0m")
    })
    .await;
    let t = ttl(&mut c, "e2erenamed").await;
    assert!((7190..=7200).contains(&t), "TTL {t}");

    // U lists the rename; u from the list undoes it.
    tui.send(&["U"]);
    tui.wait("the rename in the undo list", |s| {
        s.contains("> rename e2ehash to e2erenamed · 1 key")
    })
    .await;
    tui.send(&["Enter"]);
    tui.wait("the old name back", |s| {
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

    tui.send(&["q"]);
    tui.quits().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_delete_of_a_folder_shows_the_dry_run_and_progress() {
    let h = Harness::start().await;
    let mut tui = launch(&h).await;
    let mut c = h.redis_conn().await;

    // The first row is the bulk folder.
    tui.send(&["D"]);
    tui.wait("the dry run", |s| {
        s.contains("Bulk delete")
            && s.contains("3000 keys match bulk:*")
            && s.contains("… and 2995 more")
            && s.contains("Delete them all?")
    })
    .await;
    // Yes, and pause before the first batch, so the progress holds still.
    tui.send(&["y", "p"]);
    tui.wait("the paused progress", |s| {
        s.contains("paused bulk:*") && s.contains("of 3000 deleted")
    })
    .await;
    let left: usize = redis::cmd("DBSIZE").query_async(&mut c).await.unwrap();
    assert!(left > 5, "paused: the run holds ({left} keys left)");
    tui.send(&["p"]);
    tui.wait("the run to end", |s| {
        s.contains("bulk delete 3000 deleted, 0 left (u undoes)") && !s.contains("bulk (")
    })
    .await;
    let left: Vec<String> = c.keys("bulk:*").await.unwrap();
    assert!(left.is_empty(), "{} bulk keys left", left.len());
    let users: Vec<String> = c.keys("user:*").await.unwrap();
    assert_eq!(users.len(), 5, "the other folder is untouched");

    tui.send(&["q"]);
    tui.quits().await;
}
