//! Live traffic for the demo: a producer that enqueues Celery tasks the way
//! kombu does, and a worker that takes them off the queues, passes some
//! through `unacked`, stores results, bumps rate limits and logs order events.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use redis::aio::MultiplexedConnection;
use serde_json::Value;
use tokio::task::JoinHandle;
use tokio::time::{Instant, MissedTickBehavior};
use tokio_util::sync::CancellationToken;

use super::{celery, fixtures, kombu, now_ms};

/// How fast and how bursty the traffic is.
#[derive(Debug, Clone)]
pub struct TrafficOptions {
    /// Random seed for the generated tasks.
    pub seed: u64,
    /// Steady rate of new tasks per second.
    pub per_second: u32,
    /// Time between bursts.
    pub burst_every: Duration,
    /// Tasks enqueued at once in a burst.
    pub burst_size: u32,
}

impl Default for TrafficOptions {
    fn default() -> Self {
        TrafficOptions {
            seed: super::DEFAULT_SEED,
            per_second: 8,
            burst_every: Duration::from_secs(15),
            burst_size: 40,
        }
    }
}

/// Counts of what the traffic has done so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrafficStats {
    /// Tasks pushed onto the queues.
    pub produced: u64,
    /// Tasks taken off the queues.
    pub consumed: u64,
    /// Deliveries acknowledged after a stay in `unacked`.
    pub acked: u64,
}

#[derive(Default)]
struct Counters {
    produced: AtomicU64,
    consumed: AtomicU64,
    acked: AtomicU64,
}

/// Running producer and worker tasks; stopped by [`Traffic::stop`] or on drop.
pub struct Traffic {
    cancel: CancellationToken,
    tasks: Vec<JoinHandle<Result<()>>>,
    counters: Arc<Counters>,
}

impl Traffic {
    /// Starts traffic with the default rates against `redis_url`.
    pub async fn start(redis_url: &str) -> Result<Traffic> {
        Self::start_with(redis_url, TrafficOptions::default()).await
    }

    /// Starts traffic with the given rates against `redis_url`.
    pub async fn start_with(redis_url: &str, opts: TrafficOptions) -> Result<Traffic> {
        // Separate connections: the worker's BRPOP blocks its connection.
        let producer_conn = super::connect(redis_url).await?;
        let worker_conn = super::connect(redis_url).await?;
        let cancel = CancellationToken::new();
        let counters = Arc::new(Counters::default());
        let producer = Producer {
            conn: producer_conn,
            rng: StdRng::seed_from_u64(opts.seed.wrapping_add(1)),
            counters: counters.clone(),
        };
        let worker = Worker {
            conn: worker_conn,
            rng: StdRng::seed_from_u64(opts.seed.wrapping_add(2)),
            counters: counters.clone(),
            unacked: VecDeque::new(),
        };
        let tasks = vec![
            tokio::spawn(producer.run(opts.clone(), cancel.clone())),
            tokio::spawn(worker.run(opts, cancel.clone())),
        ];
        Ok(Traffic {
            cancel,
            tasks,
            counters,
        })
    }

    /// What has happened so far.
    pub fn stats(&self) -> TrafficStats {
        TrafficStats {
            produced: self.counters.produced.load(Ordering::Relaxed),
            consumed: self.counters.consumed.load(Ordering::Relaxed),
            acked: self.counters.acked.load(Ordering::Relaxed),
        }
    }

    /// Stops both tasks, waits for them, and returns the first error either
    /// of them met.
    pub async fn stop(mut self) -> Result<()> {
        self.cancel.cancel();
        let mut first = Ok(());
        for task in self.tasks.drain(..) {
            let res = task
                .await
                .context("a traffic task panicked")
                .and_then(|r| r);
            if first.is_ok() {
                first = res;
            }
        }
        first
    }
}

impl Drop for Traffic {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

struct Producer {
    conn: MultiplexedConnection,
    rng: StdRng,
    counters: Arc<Counters>,
}

impl Producer {
    async fn run(mut self, opts: TrafficOptions, cancel: CancellationToken) -> Result<()> {
        let mut steady = tokio::time::interval(Duration::from_secs(1) / opts.per_second.max(1));
        steady.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut burst =
            tokio::time::interval_at(Instant::now() + opts.burst_every, opts.burst_every);
        burst.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let res = loop {
            let n = tokio::select! {
                _ = cancel.cancelled() => break Ok(()),
                _ = steady.tick() => 1,
                _ = burst.tick() => opts.burst_size,
            };
            if let Err(e) = self.enqueue(n).await {
                if is_fatal(&e) {
                    break Err(e);
                }
                tracing::warn!("demo producer: {e:#}");
            }
        };
        if let Err(e) = &res {
            tracing::warn!("demo producer stopped: {e:#}");
        }
        res
    }

    async fn enqueue(&mut self, n: u32) -> Result<()> {
        let mut pipe = redis::pipe();
        for _ in 0..n {
            let (task, queue) = celery::random_task(&mut self.rng, now_ms());
            let tag = super::fake::uuid(&mut self.rng);
            let env = kombu::envelope(&task, queue, &tag);
            pipe.cmd("LPUSH")
                .arg(kombu::queue_key(queue, task.priority))
                .arg(env.to_string());
        }
        pipe.exec_async(&mut self.conn)
            .await
            .context("enqueueing demo tasks")?;
        self.counters
            .produced
            .fetch_add(u64::from(n), Ordering::Relaxed);
        Ok(())
    }
}

struct Worker {
    conn: MultiplexedConnection,
    rng: StdRng,
    counters: Arc<Counters>,
    /// Delivery tags in `unacked` and when to acknowledge them.
    unacked: VecDeque<(String, Instant)>,
}

impl Worker {
    async fn run(mut self, opts: TrafficOptions, cancel: CancellationToken) -> Result<()> {
        // Consume at the producer's average rate so the backlog rises during
        // bursts and drains afterwards.
        let per_sec = f64::from(opts.per_second)
            + f64::from(opts.burst_size) / opts.burst_every.as_secs_f64().max(1.0);
        let mut pace = tokio::time::interval(Duration::from_secs_f64(1.0 / per_sec.max(0.1)));
        pace.set_missed_tick_behavior(MissedTickBehavior::Delay);
        // kombu's order: every queue at priority 0, then every queue at 3, ...
        let keys: Vec<String> = kombu::PRIORITY_STEPS
            .iter()
            .flat_map(|p| celery::QUEUES.iter().map(|q| kombu::queue_key(q, *p)))
            .collect();
        let mut brpop = redis::cmd("BRPOP");
        brpop.arg(&keys).arg(1);
        let res = loop {
            tokio::select! {
                _ = cancel.cancelled() => break Ok(()),
                _ = pace.tick() => {}
            }
            let popped = tokio::select! {
                _ = cancel.cancelled() => break Ok(()),
                r = brpop.query_async::<Option<(String, Vec<u8>)>>(&mut self.conn) => r,
            };
            let step = match popped.context("taking a task off the demo queues") {
                Ok(Some((queue, payload))) => self.handle(&queue, &payload).await,
                Ok(None) => Ok(()),
                Err(e) => Err(e),
            };
            if let Err(e) = step.and(self.ack_due().await) {
                if is_fatal(&e) {
                    break Err(e);
                }
                tracing::warn!("demo worker: {e:#}");
                // Give whoever changed the key time to see the effect
                // before trying again, instead of logging at full rate.
                tokio::select! {
                    _ = cancel.cancelled() => break Ok(()),
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
            }
        };
        if let Err(e) = &res {
            tracing::warn!("demo worker stopped: {e:#}");
        }
        res
    }

    async fn handle(&mut self, queue_key: &str, payload: &[u8]) -> Result<()> {
        self.counters.consumed.fetch_add(1, Ordering::Relaxed);
        // Someone browsing the demo may push anything onto a queue; like a
        // Celery worker, log what cannot be a task and carry on.
        let Some((env, task)) = serde_json::from_slice::<Value>(payload)
            .ok()
            .map(|env| {
                let task = task_of(&env);
                (env, task)
            })
            .filter(|(_, task)| !task.id.is_empty())
        else {
            tracing::warn!("demo worker dropped a message on {queue_key:?} that is not a task");
            return Ok(());
        };
        let now = now_ms();
        let now_s = now / 1000;
        let queue = queue_key.split(kombu::SEP).next().unwrap_or(queue_key);
        let mut pipe = redis::pipe();
        if self.rng.random_bool(0.3) {
            let tag = env["properties"]["delivery_tag"]
                .as_str()
                .unwrap_or(&task.id)
                .to_string();
            pipe.cmd("HSET")
                .arg(kombu::UNACKED)
                .arg(&tag)
                .arg(kombu::unacked_entry(&env, "", queue));
            pipe.cmd("ZADD")
                .arg(kombu::UNACKED_INDEX)
                .arg(now as f64 / 1000.0)
                .arg(&tag);
            let hold = Duration::from_millis(self.rng.random_range(1_000..8_000));
            self.unacked.push_back((tag, Instant::now() + hold));
        }
        pipe.cmd("SET")
            .arg(celery::result_key(&task.id))
            .arg(celery::result_meta(&mut self.rng, &task, now))
            .arg("EX")
            .arg(celery::RESULT_TTL_SECS);
        let user = 10_000 + self.rng.random_range(0..40u32);
        let fixed = format!("ratelimit:u{user}:{}", now_s - now_s % 60);
        pipe.cmd("INCR").arg(&fixed);
        pipe.cmd("EXPIRE").arg(&fixed).arg(60).arg("NX");
        let sliding = format!("ratelimit:sliding:u{user}");
        pipe.cmd("ZADD")
            .arg(&sliding)
            .arg(now)
            .arg(format!("{now}-{}", task.id));
        pipe.cmd("ZREMRANGEBYSCORE")
            .arg(&sliding)
            .arg(0)
            .arg(now.saturating_sub(60_000));
        pipe.cmd("EXPIRE").arg(&sliding).arg(60);
        if self.rng.random_bool(0.4) {
            pipe.cmd("XADD")
                .arg(fixtures::STREAM)
                .arg("MAXLEN")
                .arg("~")
                .arg(5_000)
                .arg("*")
                .arg("order_id")
                .arg(format!("ord_{}", self.rng.random_range(600_000..999_999)))
                .arg("user_id")
                .arg(user)
                .arg("amount")
                .arg(format!(
                    "{}.{:02}",
                    self.rng.random_range(5..900),
                    self.rng.random_range(0..100)
                ))
                .arg("currency")
                .arg("EUR")
                .arg("status")
                .arg("created");
        }
        pipe.exec_async(&mut self.conn)
            .await
            .context("recording a demo task's outcome")
    }

    async fn ack_due(&mut self) -> Result<()> {
        let now = Instant::now();
        let mut pipe = redis::pipe();
        let mut n = 0u64;
        while self.unacked.front().is_some_and(|(_, due)| *due <= now) {
            if let Some((tag, _)) = self.unacked.pop_front() {
                pipe.cmd("ZREM").arg(kombu::UNACKED_INDEX).arg(&tag);
                pipe.cmd("HDEL").arg(kombu::UNACKED).arg(&tag);
                n += 1;
            }
        }
        if n > 0 {
            pipe.exec_async(&mut self.conn)
                .await
                .context("acknowledging demo tasks")?;
            self.counters.acked.fetch_add(n, Ordering::Relaxed);
        }
        Ok(())
    }
}

/// Whether an error means redis is out of reach (stop) rather than that
/// someone browsing the demo changed a key under the traffic (log and go on).
fn is_fatal(e: &anyhow::Error) -> bool {
    e.downcast_ref::<redis::RedisError>().is_none_or(|r| {
        r.is_io_error() || r.is_connection_refusal() || r.is_connection_dropped() || r.is_timeout()
    })
}

/// Rebuilds enough of a task from its envelope to record its result.
fn task_of(env: &Value) -> kombu::Task {
    let h = &env["headers"];
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    kombu::Task {
        id: s(&h["id"]),
        name: s(&h["task"]),
        args: Value::Null,
        kwargs: Value::Null,
        argsrepr: s(&h["argsrepr"]),
        kwargsrepr: s(&h["kwargsrepr"]),
        priority: 0,
        retries: 0,
        eta: None,
        origin: s(&h["origin"]),
        reply_to: String::new(),
    }
}
