//! The part of the data set that grows with `--keys`: sessions, cached
//! summaries, task results, rate limits, profiles and activity feeds.

use anyhow::Result;
use rand::Rng;
use rand::rngs::StdRng;
use serde_json::json;

use super::writer::Writer;
use super::{celery, fake};

/// A family of keys and its share (in percent) of the scaled part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `session:<uuid>` hashes with TTLs.
    Sessions,
    /// `cache:doc:<id>:summary` JSON strings with TTLs.
    Cache,
    /// `celery-task-meta-<uuid>` JSON strings with a one-day TTL.
    Results,
    /// `ratelimit:<user>:<window>` counters with short TTLs.
    RateLimit,
    /// `ratelimit:sliding:<user>` zsets of request times with short TTLs.
    Sliding,
    /// `user:<id>:profile` hashes without TTL.
    Profiles,
    /// `feed:<id>` lists of recent activity.
    Feeds,
}

/// Every scaled family with its share; the shares add up to 100. Sessions and
/// caches dominate because that is what a large deployment mostly holds.
pub const SHARES: [(Family, u64); 7] = [
    (Family::Sessions, 32),
    (Family::Cache, 24),
    (Family::Results, 13),
    (Family::RateLimit, 12),
    (Family::Sliding, 4),
    (Family::Profiles, 11),
    (Family::Feeds, 4),
];

/// Splits `total` keys over the families; the rounding rest goes to sessions.
pub fn plan(total: u64) -> Vec<(Family, u64)> {
    let mut out: Vec<(Family, u64)> = SHARES.iter().map(|(f, s)| (*f, total * s / 100)).collect();
    let used: u64 = out.iter().map(|(_, n)| n).sum();
    if let Some(first) = out.first_mut() {
        first.1 += total - used;
    }
    out
}

/// Writes `count` keys of `family`.
pub async fn write(
    w: &mut Writer<'_>,
    rng: &mut StdRng,
    family: Family,
    count: u64,
    now_ms: u64,
) -> Result<()> {
    let now_s = now_ms / 1000;
    for i in 0..count {
        match family {
            Family::Sessions => session(w, rng, now_ms),
            Family::Cache => cache(w, rng, i, now_ms),
            Family::Results => {
                let (task, _) = celery::random_task(rng, now_ms);
                let age_ms = rng.random_range(0..80_000_000u64);
                let meta = celery::result_meta(rng, &task, now_ms.saturating_sub(age_ms));
                w.cmd("SET")
                    .arg(celery::result_key(&task.id))
                    .arg(meta)
                    .arg("EX")
                    .arg(celery::RESULT_TTL_SECS - age_ms / 1000);
            }
            Family::RateLimit => {
                // Half per-minute windows, half per-hour windows; the key
                // expires when its window closes.
                let (len, ttl) = if i % 2 == 0 {
                    (60, rng.random_range(20..=60u64))
                } else {
                    (3_600, rng.random_range(600..=3_600u64))
                };
                let window = now_s - now_s % len;
                w.cmd("SET")
                    .arg(format!("ratelimit:u{}:{window}", 10_000 + i))
                    .arg(rng.random_range(1..120u32))
                    .arg("EX")
                    .arg(ttl);
            }
            Family::Sliding => {
                let key = format!("ratelimit:sliding:u{}", 10_000 + i);
                let c = w.cmd("ZADD").arg(&key);
                for n in 0..rng.random_range(2..25u32) {
                    let t = now_ms.saturating_sub(rng.random_range(0..60_000u64));
                    c.arg(t).arg(format!("{t}-{n}"));
                }
                w.cmd("EXPIRE").arg(&key).arg(rng.random_range(30..=60u32));
            }
            Family::Profiles => profile(w, rng, i, now_ms),
            Family::Feeds => {
                let c = w.cmd("RPUSH").arg(format!("feed:{}", 1_000 + i));
                for _ in 0..rng.random_range(3..15u32) {
                    let ev = json!({
                        "type": fake::pick(rng, &["doc.uploaded", "doc.summarized", "doc.shared", "invoice.paid"]),
                        "doc_id": rng.random_range(10_000..99_999),
                        "at": fake::iso_time(now_ms.saturating_sub(rng.random_range(0..604_800_000u64))),
                    });
                    c.arg(ev.to_string());
                }
            }
        }
        w.key_done(family_name(family)).await?;
    }
    Ok(())
}

/// The name a family is reported under in [`super::SeedReport`].
pub fn family_name(f: Family) -> &'static str {
    match f {
        Family::Sessions => "sessions",
        Family::Cache => "cache",
        Family::Results => "results",
        Family::RateLimit => "ratelimit",
        Family::Sliding => "ratelimit-sliding",
        Family::Profiles => "profiles",
        Family::Feeds => "feeds",
    }
}

fn session(w: &mut Writer<'_>, rng: &mut StdRng, now_ms: u64) {
    let key = format!("session:{}", fake::uuid(rng));
    let user = rng.random_range(1_000..60_000u64);
    let name = fake::full_name(rng);
    let created = now_ms.saturating_sub(rng.random_range(0..86_400_000u64));
    let csrf = format!("{:032x}", rng.random::<u128>());
    w.cmd("HSET")
        .arg(&key)
        .arg("user_id")
        .arg(user)
        .arg("name")
        .arg(&name)
        .arg("email")
        .arg(fake::email(&name, user))
        .arg("plan")
        .arg(fake::pick(rng, fake::PLANS))
        .arg("ip")
        .arg(fake::ip(rng))
        .arg("user_agent")
        .arg(fake::pick(rng, fake::USER_AGENTS))
        .arg("created_at")
        .arg(fake::iso_time(created))
        .arg("csrf_token")
        .arg(csrf);
    w.cmd("EXPIRE")
        .arg(&key)
        .arg(rng.random_range(1_800..604_800u32));
}

fn cache(w: &mut Writer<'_>, rng: &mut StdRng, i: u64, now_ms: u64) {
    let doc = 100_000 + i;
    let n = rng.random_range(8..30);
    let keywords: Vec<&str> = (0..4).map(|_| fake::pick(rng, fake::WORDS)).collect();
    let v = json!({
        "doc_id": doc,
        "title": fake::title(rng),
        "lang": fake::pick(rng, fake::LANGUAGES),
        "pages": rng.random_range(1..80),
        "summary": fake::sentence(rng, n),
        "keywords": keywords,
        "model": "summarizer-v3",
        "generated_at": fake::iso_time(now_ms.saturating_sub(rng.random_range(0..3_600_000u64))),
    });
    w.cmd("SET")
        .arg(format!("cache:doc:{doc}:summary"))
        .arg(v.to_string())
        .arg("EX")
        .arg(rng.random_range(3_600..21_600u32));
}

fn profile(w: &mut Writer<'_>, rng: &mut StdRng, i: u64, now_ms: u64) {
    let id = 1_000 + i;
    let name = fake::full_name(rng);
    let since = now_ms.saturating_sub(rng.random_range(0..94_608_000_000u64));
    w.cmd("HSET")
        .arg(format!("user:{id}:profile"))
        .arg("name")
        .arg(&name)
        .arg("email")
        .arg(fake::email(&name, id))
        .arg("plan")
        .arg(fake::pick(rng, fake::PLANS))
        .arg("country")
        .arg(fake::pick(
            rng,
            &["DE", "ES", "FR", "GB", "JP", "NL", "SE", "US", "BR"],
        ))
        .arg("docs_uploaded")
        .arg(rng.random_range(0..4_000u32))
        .arg("member_since")
        .arg(fake::iso_time(since));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_adds_up() {
        for total in [0, 1, 99, 4_934, 1_000_000] {
            let p = plan(total);
            assert_eq!(p.iter().map(|(_, n)| n).sum::<u64>(), total);
        }
        assert_eq!(SHARES.iter().map(|(_, s)| s).sum::<u64>(), 100);
    }
}
