//! Runs `Effect`s as tokio tasks on the shared client; each task sends
//! exactly one `Msg` back, after the progress of a job or a save.
//!
//! Like the vocabulary it runs, it names UI-free code only (the client, the
//! editor, [`crate::jobs`], the value and monitor engines): never the model
//! (`tui::app`) or a pane (`tui::panes`). `crate::layers` checks it.

use std::time::Instant;

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

use super::msg::{Analysis, Effect, Msg};
use crate::analyze;
use crate::edit::Editor;
use crate::jobs;
use crate::monitor::tick;
use crate::scan;
use crate::upstash::{Error, cmd, is_read_only_command};
use crate::value::{self, Limits};

/// Spawns the task for one effect on the editor's client (writes go
/// through the editor, for its read-only policy and undo trash) and returns a handle to abort it if it is
/// superseded. `Quit`, the timers (`DebounceRows`, `DebouncePrefetch`,
/// `ScheduleMonitor`, `ValueTick`), `Copy`, `Repaint` and `EditExternal`
/// belong to the loop and do nothing here.
pub fn spawn(editor: &Editor, effect: Effect, tx: &UnboundedSender<Msg>) -> AbortHandle {
    let client = editor.client().clone();
    let editor = editor.clone();
    let tx = tx.clone();
    let task = tokio::spawn(async move {
        let msg = match effect {
            Effect::Scan { req, request } => {
                let (result, elapsed) = scan::send_timed(&client, &request).await;
                Msg::Scanned {
                    req,
                    request,
                    result,
                    elapsed,
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
            Effect::Value(fetch) => {
                let done = value::session::run(&client, fetch).await;
                Msg::ValueLoaded {
                    done,
                    at: Instant::now(),
                }
            }
            Effect::Prefetch { fetch, .. } => {
                let done = value::session::run(&client, fetch).await;
                Msg::Prefetched {
                    done,
                    at: Instant::now(),
                }
            }
            Effect::SaveValue { key, kind, to } => {
                let path = to.path.clone();
                let progress = |saved| {
                    let report = value::save::Report::Progress(saved);
                    let path = path.clone();
                    send(&tx, Msg::ValueSaved { path, report });
                };
                // A save reads the whole value, past the string cap: of the
                // limits it takes only the chunk and page sizes, which no
                // setting changes.
                let report =
                    value::save::save_file(&client, &key, &kind, &to, &Limits::default(), progress)
                        .await;
                Msg::ValueSaved { path, report }
            }
            Effect::ApplyEdit { req, write } => {
                // Sent once: a write is never retried.
                let (result, undo) = match editor
                    .apply_undoable(&write.key, &write.change, write.over)
                    .await
                {
                    Ok((outcome, undo)) => (Ok(outcome), undo),
                    Err(e) => (Err(e), false),
                };
                Msg::Edited { req, result, undo }
            }
            Effect::ReadBack { req, write } => Msg::ReadBack {
                req,
                result: editor.read_back(&write.key, &write.change).await,
            },
            Effect::ProbeJson { req } => Msg::JsonProbed {
                req,
                result: editor.has_json().await,
            },
            Effect::MonitorTick { plan, cursor } => {
                Msg::MonitorTicked(Box::new(tick::run_recorded(&client, plan, cursor).await))
            }
            Effect::Recognise(reads) => {
                let result = client.pipeline(&reads.cmds).await;
                Msg::Recognised { reads, result }
            }
            Effect::Sweep { req, request } => {
                let (result, elapsed) = scan::send_timed(&client, &request).await;
                Msg::Swept {
                    req,
                    request,
                    result,
                    elapsed,
                }
            }
            Effect::ConsoleSend { entry, cmds } => {
                let sent = crate::console::send(&client, &cmds).await;
                Msg::ConsoleSent { entry, cmds, sent }
            }
            Effect::DebounceRows
            | Effect::DebouncePrefetch
            | Effect::ScheduleMonitor(_)
            | Effect::ValueTick { .. }
            | Effect::Quit
            | Effect::Copy(_)
            | Effect::Repaint
            | Effect::EditExternal { .. } => {
                return;
            }
            Effect::ScreenRead { screen, req, cmds } => {
                let result = match cmds.iter().find(|c| !is_read_only_command(c)) {
                    Some(write) => Err(Error::Other(format!(
                        "{} may only read: {} is not sent",
                        screen.name,
                        String::from_utf8_lossy(write.first().map_or(&[][..], Vec::as_slice))
                    ))),
                    None => client.pipeline(&cmds).await,
                };
                Msg::ScreenRead {
                    screen,
                    req,
                    result,
                }
            }
            Effect::EstimateAnalysis { screen, req, opts } => {
                let event = Analysis::Estimated(analyze::estimate(&client, &opts).await);
                Msg::Analysis { screen, req, event }
            }
            Effect::Analyze {
                screen,
                req,
                opts,
                stop,
            } => {
                let progress = |p| {
                    let event = Analysis::Progress(p);
                    send(&tx, Msg::Analysis { screen, req, event });
                };
                let result = analyze::run(&client, &opts, &stop.0, progress).await;
                let event = Analysis::Done(result.map(Box::new));
                Msg::Analysis { screen, req, event }
            }
            Effect::Job { req, job } => {
                let progress = |progress| send(&tx, Msg::JobProgress { req, progress });
                let result = jobs::run(&editor, job, progress).await;
                Msg::JobDone { req, result }
            }
        };
        send(&tx, msg);
    });
    task.abort_handle()
}

/// Sends `msg` to the loop; once the TUI has closed, nobody is left to tell.
fn send(tx: &UnboundedSender<Msg>, msg: Msg) {
    if tx.send(msg).is_err() {
        tracing::debug!("a reply arrived after the TUI closed");
    }
}
