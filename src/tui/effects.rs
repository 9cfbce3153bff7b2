//! Runs `Effect`s as tokio tasks on the shared client; each task sends
//! exactly one `Msg` back.

use std::time::Instant;

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

use super::msg::{Effect, Msg};
use crate::scan;
use crate::upstash::{Client, Error, cmd};

/// Spawns the task for one effect and returns a handle to abort it if it is
/// superseded. `Quit` and `DebounceRows` belong to the loop and do nothing here.
pub fn spawn(client: &Client, effect: Effect, tx: &UnboundedSender<Msg>) -> AbortHandle {
    let client = client.clone();
    let tx = tx.clone();
    let task = tokio::spawn(async move {
        let msg = match effect {
            Effect::Scan { req, request } => {
                let result = scan::send(&client, &request).await;
                Msg::Scanned {
                    req,
                    request,
                    result,
                }
            }
            Effect::Count { req } => {
                let result = client.command(&["DBSIZE"]).await.and_then(|r| {
                    r.as_int()
                        .ok_or_else(|| Error::Other("DBSIZE did not return a number".into()))
                });
                Msg::Counted { req, result }
            }
            Effect::Detail { req, keys } => {
                let cmds: Vec<_> = keys
                    .iter()
                    .flat_map(|k| [cmd([&b"TYPE"[..], k]), cmd([&b"PTTL"[..], k])])
                    .collect();
                let result = client.pipeline(&cmds).await;
                Msg::Detailed { req, keys, result }
            }
            Effect::Inspect { req, key } => {
                let cmds = [
                    cmd([&b"TYPE"[..], &key]),
                    cmd([&b"PTTL"[..], &key]),
                    cmd([&b"MEMORY"[..], b"USAGE", &key]),
                ];
                let result = client.pipeline(&cmds).await;
                Msg::Inspected { req, result }
            }
            Effect::ConsoleSend { entry, cmds } => {
                let sent = crate::console::send(&client, &cmds).await;
                Msg::ConsoleSent { entry, cmds, sent }
            }
            Effect::Ping => {
                let start = Instant::now();
                let result = client.command(&["PING"]).await.map(|_| start.elapsed());
                Msg::Pinged(result)
            }
            Effect::DebounceRows | Effect::Quit => return,
        };
        if tx.send(msg).is_err() {
            tracing::debug!("a reply arrived after the TUI closed");
        }
    });
    task.abort_handle()
}
