//! Pipelined bulk writes: commands are gathered into large pipelines that
//! are sent while the next batch is being generated.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use redis::aio::MultiplexedConnection;
use tokio::task::JoinSet;

/// Commands per pipeline; large enough that round trips do not matter.
const BATCH_COMMANDS: usize = 4_000;

/// Pipelines in flight at once: one being applied by redis, one on the wire,
/// one queued, while the caller generates the next.
const MAX_IN_FLIGHT: usize = 3;

/// Gathers commands into pipelines and counts the keys they create.
pub struct Writer<'a> {
    conn: MultiplexedConnection,
    pipe: redis::Pipeline,
    in_flight: JoinSet<redis::RedisResult<()>>,
    keys: u64,
    commands: u64,
    total: u64,
    families: BTreeMap<&'static str, u64>,
    progress: &'a mut dyn FnMut(u64, u64),
}

impl<'a> Writer<'a> {
    /// A writer on `conn` that reports `(keys written, total)` to `progress`.
    pub fn new(
        conn: MultiplexedConnection,
        total: u64,
        progress: &'a mut dyn FnMut(u64, u64),
    ) -> Writer<'a> {
        Writer {
            conn,
            pipe: redis::pipe(),
            in_flight: JoinSet::new(),
            keys: 0,
            commands: 0,
            total,
            families: BTreeMap::new(),
            progress,
        }
    }

    /// Starts a command in the current pipeline; add its arguments with `.arg`.
    pub fn cmd(&mut self, name: &str) -> &mut redis::Pipeline {
        self.commands += 1;
        self.pipe.cmd(name)
    }

    /// Marks one key of `family` as complete. Pipelines are only cut here, so
    /// all commands for one key travel together and in order.
    pub async fn key_done(&mut self, family: &'static str) -> Result<()> {
        self.keys += 1;
        *self.families.entry(family).or_default() += 1;
        if self.pipe.len() >= BATCH_COMMANDS {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<()> {
        if self.pipe.is_empty() {
            return Ok(());
        }
        // Any server error in the batch fails exec_async as a whole.
        let pipe = std::mem::replace(&mut self.pipe, redis::pipe());
        let mut conn = self.conn.clone();
        self.in_flight
            .spawn(async move { pipe.exec_async(&mut conn).await });
        while self.in_flight.len() >= MAX_IN_FLIGHT {
            self.join_one().await?;
        }
        (self.progress)(self.keys, self.total);
        Ok(())
    }

    async fn join_one(&mut self) -> Result<()> {
        if let Some(done) = self.in_flight.join_next().await {
            done.context("a seeding batch was cancelled")?
                .context("writing a seeding batch to redis")?;
        }
        Ok(())
    }

    /// Sends what is left, waits for every batch, and returns
    /// `(keys, commands, keys per family)`.
    pub async fn finish(mut self) -> Result<(u64, u64, BTreeMap<&'static str, u64>)> {
        self.flush().await?;
        while !self.in_flight.is_empty() {
            self.join_one().await?;
        }
        (self.progress)(self.keys, self.total);
        Ok((self.keys, self.commands, self.families))
    }
}
