//! The report as tables for people: totals and what they rest on, the
//! prefix tree, the top keys, the TTL spread and the expiry forecast.

use std::fmt::Write as _;

use crate::analyze::{Memory, Options, PrefixStats, Report, TopKey};
use crate::value::escape;
use crate::value::human;

/// Prefix rows printed; `--json` lists them all.
const PREFIX_ROWS: usize = 60;

/// The whole report.
pub fn report(r: &Report, opts: &Options) -> String {
    let mut out = String::new();
    totals(&mut out, r);
    prefixes(&mut out, r, opts);
    keys(&mut out, "Biggest keys by memory", &r.top);
    keys(
        &mut out,
        "Longest keys of each type (elements; bytes for a string)",
        &r.top_len,
    );
    keys(&mut out, "Biggest keys that never expire", &r.no_ttl);
    ttl(&mut out, r);
    out
}

/// The factor per-prefix figures were scaled by, to compare them with totals.
fn scale(r: &Report, opts: &Options) -> f64 {
    if r.sampled.is_some() && opts.pattern.is_none() && r.keys > 0 {
        r.dbsize as f64 / r.keys as f64
    } else {
        1.0
    }
}

fn totals(out: &mut String, r: &Report) {
    let _ = writeln!(
        out,
        "Keys analysed: {} of {} (DBSIZE)",
        human::count(r.keys),
        human::count(r.dbsize)
    );
    let explained = match r.used_memory {
        Some(used) if used > 0 => format!(
            "; used_memory {} ({:.1} % explained by the keys read)",
            human::bytes(used),
            r.bytes as f64 * 100.0 / used as f64
        ),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "Memory of the keys read: {}{explained}",
        human::bytes(r.bytes)
    );
    let _ = match r.memory {
        Memory::Measured => writeln!(out, "Bytes measured with MEMORY USAGE key SAMPLES 0"),
        Memory::Estimated => writeln!(
            out,
            "Bytes ESTIMATED from lengths: the server refused MEMORY USAGE \
             (key overhead plus STRLEN, or elements times a typical size)"
        ),
    };
    if let Some(s) = &r.sampled {
        let _ = writeln!(out, "SAMPLED: {}", s.method);
    }
    if !r.complete {
        let _ = writeln!(
            out,
            "STOPPED before the end: the figures cover the keys read so far"
        );
    }
    let _ = writeln!(
        out,
        "Cost: {} commands in {} requests (${:.4}), {:.1}s",
        human::count(r.commands),
        human::count(r.requests),
        crate::analyze::PRICE_PER_100K_USD * r.commands as f64 / 100_000.0,
        r.elapsed.as_secs_f64()
    );
}

fn prefixes(out: &mut String, r: &Report, opts: &Options) {
    let f = scale(r, opts);
    let (all_keys, all_bytes) = ((r.keys as f64 * f).max(1.0), (r.bytes as f64 * f).max(1.0));
    let _ = writeln!(
        out,
        "\nPrefixes (down to {} levels of {:?}, biggest first)",
        opts.depth,
        String::from_utf8_lossy(&opts.delimiter)
    );
    if r.prefixes.is_empty() {
        let _ = writeln!(out, "  (no key has a prefix)");
        return;
    }
    let _ = writeln!(
        out,
        "{:>10} {:>6} {:>10} {:>6} {:>9}  {:<24} PREFIX",
        "KEYS", "KEYS%", "BYTES", "MEM%", "NO TTL", "TYPES"
    );
    for p in tree(&r.prefixes, &opts.delimiter)
        .into_iter()
        .take(PREFIX_ROWS)
    {
        let types = p
            .types
            .iter()
            .map(|(k, n)| format!("{} {}", k.name(), human::count(*n)))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            out,
            "{:>10} {:>5.1}% {:>10} {:>5.1}% {:>9}  {:<24} {}{}",
            human::count(p.keys),
            p.keys as f64 * 100.0 / all_keys,
            human::bytes(p.bytes),
            p.bytes as f64 * 100.0 / all_bytes,
            human::count(p.no_ttl),
            types,
            "  ".repeat(p.depth.saturating_sub(1)),
            escape::line(&p.prefix)
        );
    }
    if r.prefixes.len() > PREFIX_ROWS {
        let _ = writeln!(
            out,
            "  … {} more prefixes (--json lists them all)",
            r.prefixes.len() - PREFIX_ROWS
        );
    }
}

/// The prefixes as a tree: each level biggest first, children under their
/// parent (the engine's order is biggest first across levels).
fn tree<'p>(all: &'p [PrefixStats], delimiter: &[u8]) -> Vec<&'p PrefixStats> {
    let mut out = Vec::with_capacity(all.len());
    let mut stack: Vec<&PrefixStats> = all.iter().filter(|p| p.depth == 1).rev().collect();
    while let Some(p) = stack.pop() {
        out.push(p);
        let mut parent = p.prefix.clone();
        parent.extend_from_slice(delimiter);
        stack.extend(
            all.iter()
                .filter(|c| c.depth == p.depth + 1 && c.prefix.starts_with(&parent))
                .rev(),
        );
    }
    // Entries no parent leads to (the folded "(other)" of a deeper level).
    if out.len() < all.len() {
        let shown: std::collections::HashSet<*const PrefixStats> =
            out.iter().map(|p| *p as *const _).collect();
        out.extend(all.iter().filter(|p| !shown.contains(&(*p as *const _))));
    }
    out
}

fn keys(out: &mut String, title: &str, list: &[TopKey]) {
    let _ = writeln!(out, "\n{title}");
    if list.is_empty() {
        let _ = writeln!(out, "  (none)");
        return;
    }
    let _ = writeln!(
        out,
        "{:>10} {:>10} {:<10} {:>8}  KEY",
        "BYTES", "LEN", "TYPE", "TTL"
    );
    for t in list {
        let _ = writeln!(
            out,
            "{:>10} {:>10} {:<10} {:>8}  {}",
            human::bytes(t.bytes),
            t.len.map_or("-".into(), human::count),
            t.kind.name(),
            t.ttl_ms.map_or("never".into(), |ms| human::ttl(
                i64::try_from(ms).unwrap_or(i64::MAX)
            )),
            escape::line(&t.key)
        );
    }
}

fn ttl(out: &mut String, r: &Report) {
    let t = r.ttl;
    let rows = [
        ("within a minute", t.minute),
        ("within an hour", t.hour),
        ("within a day", t.day),
        ("later", t.later),
        ("never", t.never),
    ];
    let most = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let _ = writeln!(out, "\nTTL spread (keys that expire…)");
    for (label, n) in rows {
        let bar = "#".repeat((n * 40).div_ceil(most) as usize);
        let _ = writeln!(out, "  {label:<16} {:>10}  {bar}", human::count(n));
    }
    let f = r.forecast;
    let _ = writeln!(
        out,
        "\nExpiry forecast: {} keys ({}) within the hour, {} keys ({}) within the day",
        human::count(f.hour_keys),
        human::bytes(f.hour_bytes),
        human::count(f.day_keys),
        human::bytes(f.day_bytes)
    );
}
