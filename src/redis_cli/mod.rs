//! STUB: redis-cli compatible quoting and reply formatting.
