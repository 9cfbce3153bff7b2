//! Natural ordering of folder names, so `user:2` comes before `user:10`.

use std::cmp::Ordering;

/// Orders folder names naturally (runs of digits compare as numbers), then
/// bytewise, so that names that differ only in leading zeros stay distinct.
pub fn cmp(a: &[u8], b: &[u8]) -> Ordering {
    natural(a, b).then_with(|| a.cmp(b))
}

/// A folder name ordered naturally, to sort owned names with [`cmp`]. The
/// tree compares names in place, so only the tests need it.
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(pub Box<[u8]>);

#[cfg(test)]
impl Ord for Name {
    fn cmp(&self, other: &Name) -> Ordering {
        cmp(&self.0, &other.0)
    }
}

#[cfg(test)]
impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Name) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Compares digit runs by value (`9` < `10`) and everything else bytewise.
fn natural(a: &[u8], b: &[u8]) -> Ordering {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            let ea = i + a[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            let eb = j + b[j..].iter().take_while(|c| c.is_ascii_digit()).count();
            let na = trim_zeros(&a[i..ea]);
            let nb = trim_zeros(&b[j..eb]);
            let ord = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
            if ord != Ordering::Equal {
                return ord;
            }
            (i, j) = (ea, eb);
        } else {
            if a[i] != b[j] {
                return a[i].cmp(&b[j]);
            }
            i += 1;
            j += 1;
        }
    }
    (a.len() - i).cmp(&(b.len() - j))
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|&&c| c == b'0').count();
    &digits[zeros..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_sort_naturally() {
        let mut names: Vec<Name> = ["10", "9", "a2", "a10", "a", "007", "7", "b"]
            .iter()
            .map(|s| Name(s.as_bytes().into()))
            .collect();
        names.sort();
        let got: Vec<_> = names
            .iter()
            .map(|n| String::from_utf8_lossy(&n.0).into_owned())
            .collect();
        assert_eq!(got, ["007", "7", "9", "10", "a", "a2", "a10", "b"]);
    }
}
