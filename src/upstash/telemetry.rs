//! STUB: request telemetry shared with the monitor.

/// Shared, cheap-to-clone recorder of every request's round trip.
#[derive(Clone, Default)]
pub struct Telemetry {}
