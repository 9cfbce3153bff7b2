//! The report as one JSON object, for scripts. Keys that are not UTF-8
//! come as `key_base64` (`prefix_base64`), as `scan --json` does.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Map, Value, json};

use crate::analyze::{Memory, Report, TopKey, TtlSpread};

/// The whole report.
pub fn report(r: &Report) -> Value {
    let mut obj = Map::new();
    obj.insert("keys".into(), r.keys.into());
    obj.insert("dbsize".into(), r.dbsize.into());
    obj.insert("commands".into(), r.commands.into());
    obj.insert("requests".into(), r.requests.into());
    obj.insert("sampled".into(), r.sampled.is_some().into());
    if let Some(s) = &r.sampled {
        obj.insert("sample_size".into(), s.size.into());
        obj.insert("sample_method".into(), s.method.clone().into());
    }
    obj.insert("complete".into(), r.complete.into());
    let memory = match r.memory {
        Memory::Measured => "measured",
        Memory::Estimated => "estimated",
    };
    obj.insert("memory".into(), memory.into());
    obj.insert("bytes".into(), r.bytes.into());
    obj.insert("used_memory".into(), r.used_memory.into());
    obj.insert(
        "prefixes".into(),
        r.prefixes
            .iter()
            .map(|p| {
                let mut o = Map::new();
                bytes_field(&mut o, "prefix", &p.prefix);
                o.insert("depth".into(), p.depth.into());
                o.insert("keys".into(), p.keys.into());
                o.insert("bytes".into(), p.bytes.into());
                o.insert("no_ttl".into(), p.no_ttl.into());
                let types: Map<String, Value> = p
                    .types
                    .iter()
                    .map(|(k, n)| (k.name().to_string(), (*n).into()))
                    .collect();
                o.insert("types".into(), types.into());
                o.insert("ttl".into(), ttl(&p.ttl));
                if let Some((key, bytes)) = &p.biggest {
                    let mut b = Map::new();
                    bytes_field(&mut b, "key", key);
                    b.insert("bytes".into(), (*bytes).into());
                    o.insert("biggest".into(), b.into());
                }
                Value::Object(o)
            })
            .collect(),
    );
    obj.insert("top".into(), keys(&r.top));
    obj.insert("top_len".into(), keys(&r.top_len));
    obj.insert("no_ttl".into(), keys(&r.no_ttl));
    obj.insert("ttl".into(), ttl(&r.ttl));
    obj.insert(
        "forecast".into(),
        json!({
            "hour": {"keys": r.forecast.hour_keys, "bytes": r.forecast.hour_bytes},
            "day": {"keys": r.forecast.day_keys, "bytes": r.forecast.day_bytes},
        }),
    );
    obj.insert("elapsed_ms".into(), (r.elapsed.as_millis() as u64).into());
    Value::Object(obj)
}

fn keys(list: &[TopKey]) -> Value {
    list.iter()
        .map(|t| {
            let mut o = Map::new();
            bytes_field(&mut o, "key", &t.key);
            o.insert("type".into(), t.kind.name().into());
            o.insert("bytes".into(), t.bytes.into());
            o.insert("len".into(), t.len.into());
            o.insert("ttl".into(), t.ttl_ms.into());
            Value::Object(o)
        })
        .collect()
}

fn ttl(t: &TtlSpread) -> Value {
    json!({
        "minute": t.minute, "hour": t.hour, "day": t.day, "later": t.later, "never": t.never,
    })
}

fn bytes_field(o: &mut Map<String, Value>, name: &str, bytes: &[u8]) {
    match std::str::from_utf8(bytes) {
        Ok(s) => o.insert(name.into(), s.into()),
        Err(_) => o.insert(format!("{name}_base64"), B64.encode(bytes).into()),
    };
}
