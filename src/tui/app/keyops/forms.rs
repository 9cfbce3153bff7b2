//! The dialogs of the key-level operations: building each form or
//! confirmation, and reading a form into a request (with a clear error and
//! the user's text kept when the input is wrong).

use std::time::Duration;

use crate::edit::{DryRun, Initial, KeyInfo, Overwrite, Ttl, Undo};
use crate::tui::text::{count, escape, ttl};
use crate::tui::widgets::dialog::{Dialog, Field};

/// The types a new key can have, in the order the choice cycles.
pub const TYPES: &[&str] = &["string", "hash", "list", "set", "zset", "stream"];

const NAME: usize = 0;
const TYPE: usize = 1;
const FIRST: usize = 2;
const SECOND: usize = 3;
const TTL: usize = 4;

/// How names are typed: as the Keys pane shows them, escapes included.
const NAMES: &str = "name as the list shows it: \\xNN for any byte, \\\\ for a backslash";

/// A name typed as the Keys pane shows it (`\xff`, `\n`, `\\`), as bytes.
fn name_bytes(text: &str) -> Result<Vec<u8>, String> {
    crate::value::escape::unescape(text)
        .ok_or_else(|| format!("{text:?} has a broken escape: use \\xNN, \\n, \\r, \\t or \\\\"))
}

/// The `n` form: name (prefilled with `prefix`), type, first content, TTL.
pub fn create(prefix: &[u8]) -> Dialog {
    let mut d = Dialog::form(
        "New key",
        vec![
            Field::text("name", &crate::value::escape::line(prefix)),
            Field::choice("type", TYPES),
            Field::text("value", ""),
            Field::text("", ""),
            Field::text("TTL", ""),
        ],
    );
    d.lines = vec![
        NAMES.into(),
        "TTL: empty for none, or 30, 10m, 2h, 1d".into(),
    ];
    sync_create(&mut d);
    d
}

/// Relabels and shows the content fields the chosen type needs.
pub fn sync_create(d: &mut Dialog) {
    let (first, second) = match d.choice(TYPE).unwrap_or("string") {
        "hash" | "stream" => ("field", Some("value")),
        "list" => ("element", None),
        "set" => ("member", None),
        "zset" => ("member", Some("score")),
        _ => ("value", None),
    };
    d.fields[FIRST].label = first.into();
    d.fields[SECOND].label = second.unwrap_or("").into();
    d.fields[SECOND].hidden = second.is_none();
}

/// Reads the `n` form: the key, its first content and TTL.
pub fn read_create(d: &Dialog) -> Result<(Vec<u8>, Initial, Option<Duration>), String> {
    let name = name_bytes(d.text(NAME))?;
    if name.is_empty() {
        return Err("the key needs a name".into());
    }
    let a = d.text(FIRST).as_bytes().to_vec();
    let b = d.text(SECOND).as_bytes().to_vec();
    let first = match d.choice(TYPE).unwrap_or("string") {
        "hash" => Initial::Hash { field: a, value: b },
        "list" => Initial::List(a),
        "set" => Initial::Set(a),
        "zset" => {
            let score = crate::value::score::parse(d.text(SECOND))?;
            Initial::Zset { member: a, score }
        }
        "stream" => {
            if a.is_empty() {
                return Err("a stream entry needs a field name".into());
            }
            Initial::Stream(vec![(a, b)])
        }
        _ => Initial::String(a),
    };
    let ttl = match d.text(TTL).trim() {
        "" => None,
        text => match Ttl::parse(text).map_err(|e| e.to_string())? {
            Ttl::Persist => None,
            Ttl::Expire(d) => Some(d),
        },
    };
    Ok((name, first, ttl))
}

/// The `R` form, prefilled with the current name.
pub fn rename(from: &[u8]) -> Dialog {
    let shown = crate::value::escape::line(from);
    let mut d = Dialog::form("Rename key", vec![Field::text("new name", &shown)]);
    d.lines = vec![format!("from {}", escape(from)), NAMES.into()];
    d
}

/// Reads the `R` form: the new name, different from the old one.
pub fn read_rename(d: &Dialog, from: &[u8]) -> Result<Vec<u8>, String> {
    let to = name_bytes(d.text(0))?;
    if to.is_empty() {
        Err("the new name is empty".into())
    } else if to == from {
        Err("the new name is the current one".into())
    } else {
        Ok(to)
    }
}

/// The `T` form, showing the current TTL when it is known.
pub fn ttl_form(key: &[u8], current_ms: Option<i64>) -> Dialog {
    let mut d = Dialog::form("Set TTL", vec![Field::text("TTL", "")]);
    let now = current_ms.map_or_else(|| "not loaded".to_owned(), ttl);
    d.lines = vec![
        format!("{} · TTL now {now}", escape(key)),
        "30 (seconds), 10m, 2h, 1d, or persist".into(),
    ];
    d
}

/// Reads the `T` form.
pub fn read_ttl(d: &Dialog) -> Result<Ttl, String> {
    Ttl::parse(d.text(0)).map_err(|e| e.to_string())
}

/// A line about an existing key: its type, size and TTL.
pub fn describe(info: &KeyInfo) -> String {
    let unit = match info.kind.as_str() {
        "string" => "byte",
        "hash" => "field",
        "set" | "zset" => "member",
        "stream" => "entry",
        _ => "element",
    };
    let plural = match (info.size, unit) {
        (1, _) => unit.to_owned(),
        (_, "entry") => "entries".to_owned(),
        _ => format!("{unit}s"),
    };
    let size = format!("{} {plural}", crate::value::human::count(info.size));
    let ttl = info
        .pttl
        .map_or_else(|| "no TTL".to_owned(), |ms| format!("TTL {}", ttl(ms)));
    format!("{} · {} · {size} · {ttl}", escape(&info.key), info.kind)
}

/// Whether undo will be possible, for a confirmation.
pub fn undo_line(undo: Undo) -> String {
    match undo {
        Undo::Available { bytes } => format!("u undoes it ({bytes} bytes kept for undo)"),
        Undo::TooLarge { bytes, cap } => {
            format!("undo is NOT available: {bytes} bytes is over the {cap} byte limit")
        }
    }
}

/// How an overwrite goes given what undo allows.
pub fn overwrite_for(undo: Undo) -> Overwrite {
    match undo {
        Undo::Available { .. } => Overwrite::WithUndo,
        Undo::TooLarge { .. } => Overwrite::WithoutUndo,
    }
}

/// The confirmation before replacing an existing key.
pub fn confirm_replace(title: &str, info: &KeyInfo, undo: Undo) -> Dialog {
    Dialog::confirm(
        title,
        vec![
            "The key exists already:".into(),
            describe(info),
            undo_line(undo),
            "Replace it?".into(),
        ],
    )
}

/// The confirmation before a delete.
pub fn confirm_delete(info: &KeyInfo, undo: Undo) -> Dialog {
    Dialog::confirm(
        "Delete key",
        vec![describe(info), undo_line(undo), "Delete it?".into()],
    )
}

/// The confirmation before a bulk delete: count, sample and cost.
pub fn confirm_bulk(pattern: &[u8], dry: &DryRun) -> Dialog {
    let mut lines = vec![
        format!(
            "{} {}",
            count(dry.keys, "key matches", "keys match"),
            escape(pattern)
        ),
        format!(
            "about {} (SCAN, capture, UNLINK)",
            count(dry.requests, "request", "requests")
        ),
        undo_line(dry.undo),
    ];
    for key in dry.sample.iter().take(5) {
        lines.push(format!("  {}", escape(key)));
    }
    if dry.keys > 5 {
        lines.push(format!("  … and {} more", dry.keys - 5.min(dry.keys)));
    }
    lines.push("Delete them all?".into());
    Dialog::confirm("Bulk delete", lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_name_their_unit_and_one_is_singular() {
        let info = |kind: &str, size| KeyInfo {
            key: b"k".to_vec(),
            kind: kind.into(),
            size,
            pttl: None,
        };
        assert_eq!(describe(&info("hash", 1)), "k · hash · 1 field · no TTL");
        assert_eq!(describe(&info("list", 3)), "k · list · 3 elements · no TTL");
        assert_eq!(describe(&info("string", 1)), "k · string · 1 byte · no TTL");
        assert_eq!(
            describe(&info("stream", 2)),
            "k · stream · 2 entries · no TTL"
        );
        assert_eq!(
            describe(&info("string", 0)),
            "k · string · 0 bytes · no TTL"
        );
    }

    #[test]
    fn names_are_typed_as_the_list_shows_them() {
        // A binary name comes back exactly from its prefilled form.
        let from = b"blob:bin:\xff\x00a\\b\n".to_vec();
        let d = rename(&from);
        assert_eq!(d.text(0), "blob:bin:\\xff\\x00a\\\\b\\n");
        assert_eq!(
            read_rename(&d, &from),
            Err("the new name is the current one".into())
        );
        let mut d = rename(&from);
        d.fields[0] = Field::text("new name", "copy:\\xfe");
        assert_eq!(read_rename(&d, &from), Ok(b"copy:\xfe".to_vec()));
        d.fields[0] = Field::text("new name", "bad\\q");
        assert!(read_rename(&d, &from).is_err_and(|e| e.contains("broken escape")));

        let mut d = create(b"cache:\xff:");
        assert_eq!(d.text(NAME), "cache:\\xff:");
        d.fields[NAME] = Field::text("name", "cache:\\xff:k");
        d.fields[FIRST] = Field::text("value", "v\\x41");
        let (name, first, _) = read_create(&d).expect("a valid form");
        assert_eq!(name, b"cache:\xff:k");
        // Values are taken as typed.
        assert_eq!(first, Initial::String(b"v\\x41".to_vec()));
    }

    #[test]
    fn a_new_zset_takes_scores_redis_takes() {
        let mut d = create(b"");
        d.fields[NAME] = Field::text("name", "z");
        d.fields[TYPE].value = crate::tui::widgets::dialog::Value::Choice {
            options: TYPES,
            index: 4,
        };
        assert_eq!(d.choice(TYPE), Some("zset"));
        d.fields[FIRST] = Field::text("member", "m");
        d.fields[SECOND] = Field::text("score", "1e400");
        let e = read_create(&d).expect_err("out of range");
        assert!(e.contains("1e400 is out of range"), "{e}");
        d.fields[SECOND] = Field::text("score", " 1e308 ");
        let (_, first, _) = read_create(&d).expect("a valid form");
        assert_eq!(
            first,
            Initial::Zset {
                member: b"m".to_vec(),
                score: 1e308
            }
        );
    }
}
