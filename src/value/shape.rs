//! Reading replies of a known shape into bytes, lists and pairs; a reply of
//! another shape becomes one clear error naming the command.

use crate::upstash::{Error, Reply};

use super::page::Pair;

/// An error for a reply whose shape is not the one `what` returns.
pub(crate) fn shape(what: &str) -> Error {
    Error::Other(format!("unexpected reply shape for {what}"))
}

pub(crate) fn bytes_of(reply: Reply, what: &str) -> Result<Vec<u8>, Error> {
    reply.into_bytes().ok_or_else(|| shape(what))
}

pub(crate) fn byte_list(reply: Reply, what: &str) -> Result<Vec<Vec<u8>>, Error> {
    reply
        .into_array()
        .ok_or_else(|| shape(what))?
        .into_iter()
        .map(|r| bytes_of(r, what))
        .collect()
}

pub(crate) fn pairs(items: Vec<Vec<u8>>, what: &str) -> Result<Vec<Pair>, Error> {
    if !items.len().is_multiple_of(2) {
        return Err(shape(what));
    }
    let mut out = Vec::with_capacity(items.len() / 2);
    let mut it = items.into_iter();
    while let (Some(a), Some(b)) = (it.next(), it.next()) {
        out.push((a, b));
    }
    Ok(out)
}

pub(crate) fn scan_reply(reply: Reply, what: &str) -> Result<(Vec<u8>, Vec<Vec<u8>>), Error> {
    let mut parts = reply.into_array().ok_or_else(|| shape(what))?.into_iter();
    match (parts.next(), parts.next(), parts.next()) {
        (Some(cursor), Some(items), None) => Ok((bytes_of(cursor, what)?, byte_list(items, what)?)),
        _ => Err(shape(what)),
    }
}
