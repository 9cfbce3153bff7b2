//! The loop's timers: each is armed by an effect and fires once as a
//! message; none runs on its own (no fixed-rate redraw).

use std::pin::Pin;
use std::time::Duration;

use tokio::time::{Instant, Sleep, sleep};

use super::app::prefetch;
use super::msg::{Msg, ReqId};

/// How long scrolling must pause before TTLs of the visible rows are fetched.
pub const ROWS_DEBOUNCE: Duration = Duration::from_millis(120);

/// One timer: a sleep, and whether it is armed.
struct Timer {
    sleep: Pin<Box<Sleep>>,
    armed: bool,
}

impl Timer {
    fn new() -> Timer {
        Timer {
            sleep: Box::pin(sleep(Duration::ZERO)),
            armed: false,
        }
    }

    /// Fires `after` from now, replacing any earlier time.
    fn arm(&mut self, after: Duration) {
        self.sleep.as_mut().reset(Instant::now() + after);
        self.armed = true;
    }
}

/// The rows' debounce, the prefetch's rest, the Monitor's next tick and
/// the Value pane's countdown.
pub struct Timers {
    rows: Timer,
    prefetch: Timer,
    monitor: Timer,
    value: Timer,
    /// The Value pane's tick the `value` timer is for (only the newest is awaited).
    value_req: ReqId,
}

impl Default for Timers {
    fn default() -> Self {
        Timers::new()
    }
}

impl Timers {
    /// All disarmed.
    pub fn new() -> Timers {
        Timers {
            rows: Timer::new(),
            prefetch: Timer::new(),
            monitor: Timer::new(),
            value: Timer::new(),
            value_req: 0,
        }
    }

    /// (Re)starts the debounce before [`Msg::RowsDue`].
    pub fn rows(&mut self) {
        self.rows.arm(ROWS_DEBOUNCE);
    }

    /// (Re)starts the rest before [`Msg::PrefetchDue`].
    pub fn prefetch(&mut self) {
        self.prefetch.arm(prefetch::REST);
    }

    /// Sets the Monitor's next [`Msg::MonitorDue`] `after` from now.
    pub fn monitor(&mut self, after: Duration) {
        self.monitor.arm(after);
    }

    /// Sends the Value pane's tick `req` `after` from now, in place of any
    /// earlier one (the pane waits for its newest only).
    pub fn value(&mut self, req: ReqId, after: Duration) {
        self.value.arm(after);
        self.value_req = req;
    }

    /// The message of the first armed timer to fire; pending forever while
    /// none is armed. Cancel-safe: a timer that has not fired stays armed.
    pub async fn next(&mut self) -> Msg {
        let Timers {
            rows,
            prefetch,
            monitor,
            value,
            value_req,
        } = self;
        tokio::select! {
            () = rows.sleep.as_mut(), if rows.armed => {
                rows.armed = false;
                Msg::RowsDue
            }
            () = prefetch.sleep.as_mut(), if prefetch.armed => {
                prefetch.armed = false;
                Msg::PrefetchDue
            }
            () = monitor.sleep.as_mut(), if monitor.armed => {
                monitor.armed = false;
                Msg::MonitorDue
            }
            () = value.sleep.as_mut(), if value.armed => {
                value.armed = false;
                Msg::ValueTick {
                    req: *value_req,
                    at: std::time::Instant::now(),
                }
            }
            else => std::future::pending().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use futures::FutureExt as _;

    use super::*;

    #[tokio::test]
    async fn each_armed_timer_fires_once_in_time_order_and_none_fires_unarmed() {
        let mut timers = Timers::new();
        assert!(timers.next().now_or_never().is_none(), "nothing is armed");
        timers.rows();
        timers.monitor(Duration::ZERO);
        assert!(matches!(timers.next().await, Msg::MonitorDue));
        assert!(matches!(timers.next().await, Msg::RowsDue));
        assert!(timers.next().now_or_never().is_none(), "each fires once");
    }

    #[tokio::test]
    async fn the_value_tick_armed_last_is_the_one_sent() {
        let mut timers = Timers::new();
        timers.value(7, Duration::ZERO);
        timers.value(8, Duration::from_millis(1));
        assert!(matches!(timers.next().await, Msg::ValueTick { req: 8, .. }));
        assert!(timers.next().now_or_never().is_none(), "7 was replaced");
    }
}
