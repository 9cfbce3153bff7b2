//! The Value pane's engine, free of UI types: what a key holds, fetched in
//! bounded pages, and shown in formats that are exact on binary data.
//!
//! - [`open`] fetches the [`Header`] (type, TTL, length, encoding, memory)
//!   together with the first [`Page`] in one pipeline when the type is known
//!   (the Keys pane usually knows it), in two when it is not.
//! - [`fetch`] runs one [`PageReq`]: string ranges, HSCAN/SSCAN/ZSCAN with an
//!   optional MATCH, LRANGE and ZRANGE by index or rank, XRANGE/XREVRANGE with
//!   exclusive start ids, JSON.GET.
//! - [`format`] turns any byte string into text, pretty JSON with colour spans,
//!   a hex dump or a Celery/kombu summary, after gzip/zlib decompression.
//! - [`search`] finds matches in loaded rows and builds server-side patterns.
//! - [`tail`] fetches a key's last page for `G`, with its length.
//! - [`score`] reads and prints sorted-set scores as Redis does.
//! - [`save`] streams a whole value to a file; [`clipboard`] builds OSC 52;
//!   [`diff`] tells auto-refresh which rows changed.
//! - [`Session`] is one open key as the pane sees it: loaded rows, selection,
//!   format, search, and the request it waits for (stale replies dropped).

pub mod clipboard;
pub mod diff;
pub mod escape;
pub mod format;
pub mod header;
pub mod human;
pub mod kind;
pub mod limits;
pub mod load;
pub mod page;
pub mod save;
pub mod score;
pub mod search;
pub mod session;
mod shape;
pub mod stream;
pub mod tail;

pub use header::Header;
pub use kind::Kind;
pub use limits::Limits;
pub use load::{Opened, fetch, fetch_filled, open, open_at};
pub use page::{Page, PageReq};
pub use session::{Done, Fetch, Session};
