//! "Scan for queues": a `SCAN` of the whole database whose pages go to the
//! recognisers only, asked for by the user once its cost is shown. It can be
//! stopped between pages and goes on from there.

use std::time::Duration;

use crate::scan::{Budget, Found, Pace, Query, Request, Scan, Status};
use crate::upstash::{Error, Reply};

/// What a sweep will cost, told before it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    /// Keys it examines (the database's DBSIZE, less what a stopped sweep
    /// already examined).
    pub keys: u64,
    /// HTTP requests, one a page, as the pages' COUNT grows while they
    /// come back quick and small (the Keys pane's adaptive COUNT).
    pub requests: u64,
    /// Billed commands: one `SCAN` per request.
    pub commands: u64,
}

impl Cost {
    /// The cost of examining `keys` keys from the first page.
    pub fn of(keys: u64) -> Cost {
        Cost::paced(keys, Pace::default().pages_for(keys))
    }

    fn paced(keys: u64, requests: u64) -> Cost {
        let requests = requests.max(1);
        Cost {
            keys,
            requests,
            commands: requests,
        }
    }
}

/// A whole-database scan for the recognisers.
#[derive(Debug)]
pub struct Sweep {
    scan: Scan,
    /// The database's size when the sweep was asked for.
    dbsize: u64,
}

impl Sweep {
    /// A sweep of a database of `dbsize` keys; `types` is whether the server
    /// is known to answer `WITHTYPE` (`None`: try it).
    pub fn new(dbsize: u64, types: Option<bool>) -> Sweep {
        let query = Query {
            pattern: None,
            kind: None,
            count: None,
        };
        let mut scan = Scan::new(query, Budget::UNLIMITED);
        if types == Some(false) {
            scan = scan.without_types();
        }
        Sweep { scan, dbsize }
    }

    /// What the rest of the sweep will cost, for a database of `dbsize` keys.
    pub fn cost(&self, dbsize: u64) -> Cost {
        let keys = dbsize.saturating_sub(self.scan.examined());
        Cost::paced(keys, self.scan.requests_for(keys))
    }

    /// Goes on with a stopped sweep, on a database now of `dbsize` keys.
    pub fn resume(&mut self, dbsize: u64) {
        self.dbsize = dbsize;
        self.scan.unlimited();
    }

    /// Stops between pages; [`Sweep::resume`] goes on.
    pub fn stop(&mut self) {
        self.scan.pause();
    }

    /// The next page to ask for, or `None` when done or stopped.
    pub fn next_request(&self) -> Option<Request> {
        self.scan.next_request()
    }

    /// Takes a page, which took `elapsed` from sending to answer; returns
    /// its keys.
    pub fn apply(
        &mut self,
        request: &Request,
        replies: Result<Vec<Reply>, Error>,
        elapsed: Duration,
    ) -> Result<Vec<Found>, Error> {
        self.scan.apply(request, replies, elapsed)
    }

    /// Whether every key was examined.
    pub fn done(&self) -> bool {
        self.scan.status() == Status::Done
    }

    /// Keys examined so far (the sum of the COUNT hints sent).
    pub fn examined(&self) -> u64 {
        self.scan.examined().min(self.dbsize.max(self.scan.found()))
    }

    /// The database's size the sweep goes by.
    pub fn dbsize(&self) -> u64 {
        self.dbsize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cost_is_one_request_and_one_command_a_growing_page() {
        // COUNT 100, 1 000, 10 000, then about 1 MiB of keys a page.
        assert_eq!(
            Cost::of(100_000),
            Cost {
                keys: 100_000,
                requests: 7,
                commands: 7
            }
        );
        assert_eq!(Cost::of(11_100).requests, 3);
        assert_eq!(Cost::of(11_101).requests, 4);
        assert_eq!(Cost::of(0).requests, 1);
        assert_eq!(Cost::of(5).commands, 1);
    }

    #[test]
    fn a_stopped_sweep_costs_what_is_left_at_its_pace() {
        let mut sweep = Sweep::new(100_000, Some(false));
        let request = sweep.next_request().expect("a page");
        let page = Reply::Array(vec![Reply::Bytes(b"17".to_vec()), Reply::Array(vec![])]);
        sweep
            .apply(&request, Ok(vec![page]), Duration::from_millis(100))
            .expect("a page");
        // 99 900 left from COUNT 1 000: 1 000 + 10 000 + 88 900.
        assert_eq!(sweep.cost(100_000).keys, 99_900);
        assert_eq!(sweep.cost(100_000).requests, 3);
    }

    #[test]
    fn pages_ask_for_everything_from_a_screenful() {
        let sweep = Sweep::new(10, Some(false));
        let Some(Request::Scan { cmd, with_type }) = sweep.next_request() else {
            panic!("a SCAN first");
        };
        assert!(!with_type);
        assert_eq!(cmd, crate::upstash::cmd(["SCAN", "0", "COUNT", "100"]));
    }
}
