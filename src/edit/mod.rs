//! Safe editing, free of any UI: checked writes that never overwrite someone
//! else's change, creation that never replaces a key unasked, rename, TTL,
//! delete and bulk delete with an undo trash, and a read-only policy that
//! stops every write before it is sent.
//!
//! Every write goes through [`Editor`], which refuses it in read-only mode
//! and switches read-only mode on when the server refuses a write. Writes are
//! sent once: the client never retries EVAL, EVALSHA or any other write.
//!
//! The flows:
//! - edit: [`Editor::apply`] with a [`Change`] holding what the user saw;
//!   on [`Outcome::Conflict`] show `current` beside the user's text, and to
//!   overwrite, apply again with `current` as the seen value. Every applied
//!   edit keeps its [`Inverse`] in the trash, itself a checked change.
//! - create: [`Editor::create`] with [`Overwrite::Never`]; on
//!   [`Created::Exists`] confirm, then again with [`Overwrite::WithUndo`].
//! - delete: [`Editor::prepare_delete`] gives type, size and [`Undo`] for
//!   the confirmation; [`Editor::delete`] acts on it.
//! - bulk delete: [`Editor::bulk_dry_run`], then [`Editor::bulk_delete`] with
//!   a [`Control`] for pause and cancel.
//! - undo: [`Editor::undo`] reverses the last action; [`Editor::trash_items`]
//!   lists what can still be restored.

pub mod bulk;
pub mod change;
pub mod create;
pub mod inverse;
pub mod keys;
mod lua;
pub mod policy;
pub mod readback;
pub mod script;
pub mod snapshot;
pub mod trash;
pub mod ttl;

use std::sync::{Arc, Mutex, MutexGuard};

pub use bulk::{Control, DryRun, Progress, Report, folder_pattern};
pub use change::{Change, Outcome, Write};
pub use create::{Created, Initial, Overwrite};
pub use inverse::Inverse;
pub use keys::{Deletion, KeyInfo, Renamed, Undo, Undone};
pub use policy::ReadOnly;
pub use readback::{Now, may_have_run};
pub use snapshot::Snapshot;
pub use trash::{DEFAULT_CAP, Item};
pub use ttl::Ttl;

use crate::upstash::{Client, Cmd, Error, Reply};
use change::Scripts;
use script::Script;
use trash::Trash;

/// The editing engine: cheap to clone, every clone shares the read-only
/// policy and the trash.
#[derive(Debug, Clone)]
pub struct Editor {
    client: Client,
    read_only: ReadOnly,
    scripts: Arc<Scripts>,
    trash: Arc<Mutex<Trash>>,
    undo_cap: usize,
}

impl Editor {
    /// An editor writing through `client` under `read_only`.
    pub fn new(client: Client, read_only: ReadOnly) -> Editor {
        Editor {
            client,
            read_only,
            scripts: Arc::new(Scripts::default()),
            trash: Arc::default(),
            undo_cap: DEFAULT_CAP,
        }
    }

    /// The same editor with another limit on what one action may capture for undo.
    pub fn with_undo_cap(mut self, bytes: usize) -> Editor {
        self.undo_cap = bytes;
        self
    }

    /// The read-only policy, shared with whoever shows the badge.
    pub fn read_only(&self) -> &ReadOnly {
        &self.read_only
    }

    /// The client the editor writes through.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Applies one checked edit to `key` in one atomic request and keeps the
    /// way back in the trash, so that `undo` reverses it.
    pub async fn apply(&self, key: &[u8], change: &Change) -> Result<Outcome, Error> {
        Ok(self.apply_undoable(key, change, None).await?.0)
    }

    /// Applies one checked edit and keeps its inverse in the trash under
    /// `label` (by default what the change does, e.g. `edit field f of h`).
    /// Returns the outcome and whether `undo` can reverse it: not when what
    /// it replaced is over the undo cap.
    pub async fn apply_undoable(
        &self,
        key: &[u8],
        change: &Change,
        label: Option<String>,
    ) -> Result<(Outcome, bool), Error> {
        let (outcome, context) = self.apply_checked(key, change).await?;
        let inverse = match &outcome {
            Outcome::Added { id } => Some(Inverse::Change(Change::StreamDelete { id: id.clone() })),
            Outcome::Applied => Inverse::of(change, &context),
            Outcome::Conflict { .. } | Outcome::Missing => None,
        };
        let undo = match inverse {
            Some(inverse) if inverse.size() <= self.undo_cap => {
                let label = label.unwrap_or_else(|| inverse::label(change, key));
                let key = key.to_vec();
                self.trash()
                    .push(label, trash::Reversal::Edit { key, inverse });
                true
            }
            _ => false,
        };
        Ok((outcome, undo))
    }

    /// Applies one checked edit, recording nothing; the outcome and what the
    /// script reported for undo.
    async fn apply_checked(
        &self,
        key: &[u8],
        change: &Change,
    ) -> Result<(Outcome, Vec<Reply>), Error> {
        let (script, args) = self.scripts.plan(change)?;
        let reply = match self.script(script, key, &args).await {
            // Redis does not name the command, but only JSON_SET calls a module.
            Err(Error::Command(text))
                if matches!(change, Change::JsonSet { .. })
                    && text.contains("Unknown Redis command") =>
            {
                return Err(Error::Input(
                    "ReJSON is not available on this database (no JSON.GET); nothing was written"
                        .into(),
                ));
            }
            other => other?,
        };
        change::outcome(change, reply)
    }

    /// Whether the database has the ReJSON module, so JSON edits can be offered.
    pub async fn has_json(&self) -> Result<bool, Error> {
        let reply = self
            .client
            .command(&[b"COMMAND".as_slice(), b"INFO", b"JSON.SET"])
            .await?;
        Ok(reply
            .as_array()
            .and_then(|a| a.first())
            .is_some_and(|r| !r.is_nil()))
    }

    /// Runs a write script on one key, under the policy.
    async fn script(&self, script: &Script, key: &[u8], args: &[Vec<u8>]) -> Result<Reply, Error> {
        self.read_only.check()?;
        let args: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
        self.read_only
            .observe(script.run(&self.client, &[key], &args).await)
    }

    /// Sends one write command, under the policy.
    async fn write(&self, argv: &[Vec<u8>]) -> Result<Reply, Error> {
        self.read_only.check()?;
        self.read_only.observe(self.client.command(argv).await)
    }

    /// Sends writes in one `/pipeline` request, under the policy; a refusal
    /// inside the list counts as a refusal.
    async fn write_pipeline(&self, cmds: &[Cmd]) -> Result<Vec<Reply>, Error> {
        self.read_only.check()?;
        let replies = self.read_only.observe(self.client.pipeline(cmds).await)?;
        for r in &replies {
            if let Reply::Error(text) = r {
                let e = Error::from_server(200, text.clone());
                if e.is_write_refused() {
                    return self.read_only.observe(Err(e));
                }
            }
        }
        Ok(replies)
    }

    fn trash(&self) -> MutexGuard<'_, Trash> {
        // Held only to push or pop an entry, never across an await.
        self.trash.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// What can still be restored, most recent first.
    pub fn trash_items(&self) -> Vec<Item> {
        self.trash().list()
    }
}
