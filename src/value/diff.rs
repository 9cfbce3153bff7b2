//! What changed between two loads of the same page, for auto-refresh to
//! highlight: rows are matched by identity (hash field, list index, set
//! member, sorted-set member, stream id), not by position in a SCAN.

use std::collections::{HashMap, HashSet};

use super::page::Rows;

/// Indices of the rows of `new` that are new or changed since `old`. A
/// string chunk or document is one row (index 0) that changed or not; rows of
/// different shapes count as all changed.
pub fn changed(old: &Rows, new: &Rows) -> Vec<usize> {
    match (old, new) {
        (Rows::Chunk { bytes: a, .. }, Rows::Chunk { bytes: b, .. })
        | (Rows::Json(a), Rows::Json(b)) => {
            if a == b {
                vec![]
            } else {
                vec![0]
            }
        }
        (Rows::Fields(a), Rows::Fields(b))
        | (Rows::Scored { rows: a, .. }, Rows::Scored { rows: b, .. }) => {
            let before: HashMap<&[u8], &[u8]> = a
                .iter()
                .map(|(k, v)| (k.as_slice(), v.as_slice()))
                .collect();
            indices(
                b.iter()
                    .map(|(k, v)| before.get(k.as_slice()) != Some(&v.as_slice())),
            )
        }
        (
            Rows::Items {
                start: sa,
                items: a,
            },
            Rows::Items {
                start: sb,
                items: b,
            },
        ) => {
            indices(b.iter().enumerate().map(|(i, item)| {
                // The same list index in the old page, if it was loaded.
                let index = sb + i as u64;
                let old = index.checked_sub(*sa).and_then(|j| a.get(j as usize));
                old != Some(item)
            }))
        }
        (Rows::Members(a), Rows::Members(b)) => {
            let before: HashSet<&[u8]> = a.iter().map(Vec::as_slice).collect();
            indices(b.iter().map(|m| !before.contains(m.as_slice())))
        }
        (Rows::Entries(a), Rows::Entries(b)) => {
            let before: HashMap<&[u8], _> =
                a.iter().map(|e| (e.id.as_slice(), &e.fields)).collect();
            indices(
                b.iter()
                    .map(|e| before.get(e.id.as_slice()) != Some(&&e.fields)),
            )
        }
        _ => (0..new.len().max(1)).collect(),
    }
}

fn indices(flags: impl Iterator<Item = bool>) -> Vec<usize> {
    flags
        .enumerate()
        .filter_map(|(i, changed)| changed.then_some(i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::stream::Entry;

    fn v(s: &str) -> Vec<u8> {
        s.as_bytes().to_vec()
    }

    #[test]
    fn hash_fields_by_name() {
        let old = Rows::Fields(vec![(v("a"), v("1")), (v("b"), v("2"))]);
        let new = Rows::Fields(vec![(v("b"), v("2")), (v("a"), v("9")), (v("c"), v("3"))]);
        assert_eq!(changed(&old, &new), vec![1, 2]);
        assert_eq!(changed(&new, &new), Vec::<usize>::new());
    }

    #[test]
    fn list_items_by_index() {
        let old = Rows::Items {
            start: 0,
            items: vec![v("a"), v("b"), v("c")],
        };
        let new = Rows::Items {
            start: 1,
            items: vec![v("b"), v("x"), v("d")],
        };
        assert_eq!(changed(&old, &new), vec![1, 2]);
    }

    #[test]
    fn members_entries_and_chunks() {
        let old = Rows::Members(vec![v("a")]);
        let new = Rows::Members(vec![v("b"), v("a")]);
        assert_eq!(changed(&old, &new), vec![0]);
        let e = |id: &str| Entry {
            id: v(id),
            fields: vec![(v("f"), v("x"))],
        };
        let old = Rows::Entries(vec![e("1-0")]);
        let new = Rows::Entries(vec![e("1-0"), e("2-0")]);
        assert_eq!(changed(&old, &new), vec![1]);
        let c = |b: &str| Rows::Chunk {
            offset: 0,
            bytes: v(b),
        };
        assert_eq!(changed(&c("x"), &c("y")), vec![0]);
        assert_eq!(changed(&c("x"), &c("x")), Vec::<usize>::new());
        assert_eq!(
            changed(&c("x"), &Rows::Members(vec![v("a"), v("b")])),
            vec![0, 1]
        );
    }
}
