//! Long operations on keys, free of any UI: create, rename, TTL, delete,
//! bulk delete, undo and the undo list, each run on the [`Editor`] (for its
//! read-only policy and undo trash).
//!
//! A job is a [`Job`] in, [`Progress`] reports on the way for the long ones,
//! and one [`Done`] out. Whoever runs it (the TUI's effects runner, a test)
//! decides what to do with the reports: [`run`] only calls `progress`. Writes
//! are sent once and never retried; a bulk delete is paused, resumed and
//! cancelled through the [`Control`](crate::edit::Control) it was given,
//! from outside the job.
//!
//! Nothing here knows of a terminal: no `crate::tui`, ratatui or crossterm
//! (`crate::layers` checks it).

mod input;
mod keys;
mod output;

pub use input::Job;
pub use output::{Done, Progress};

use crate::edit::Editor;
use crate::upstash::Error;

/// Runs `job` on `editor`, calling `progress` as it goes; a write is sent once.
pub async fn run(
    editor: &Editor,
    job: Job,
    mut progress: impl FnMut(Progress),
) -> Result<Done, Error> {
    match job {
        Job::Create {
            key,
            first,
            ttl,
            overwrite,
        } => keys::create(editor, key, first, ttl, overwrite).await,
        Job::Rename {
            from,
            to,
            overwrite,
        } => keys::rename(editor, from, to, overwrite).await,
        Job::Ttl { key, ttl } => keys::set_ttl(editor, key, ttl).await,
        Job::PrepareDelete(key) => editor.prepare_delete(&[key]).await.map(Done::Prepared),
        Job::Delete(deletion) => keys::delete(editor, deletion).await,
        Job::DryRun(pattern) => editor.bulk_dry_run(&pattern).await.map(Done::Counted),
        Job::Bulk {
            pattern,
            found,
            expected,
            undo,
            control,
        } => editor
            .bulk_delete(&pattern, found.as_deref(), expected, undo, &control, |p| {
                progress(Progress::Bulk(p))
            })
            .await
            .map(Done::Bulk),
        Job::Undo(id) => editor.undo_item(id).await.map(Done::Undone),
        Job::ListTrash => Ok(Done::Listed(editor.trash_items())),
    }
}
