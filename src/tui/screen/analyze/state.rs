//! The screen's state: the estimate, the question above the budget, the
//! run (its progress and its stop), and the last result with its tables.

use std::time::SystemTime;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::table::{self, KeyList, SortBy, Table};
use crate::analyze::{self, Estimate, Options, Progress, Report};
use crate::tui::keymap::Context;
use crate::tui::msg::{Action, Analysis, Effect, ReqId, Stop};
use crate::tui::panes::{Component, Ctx, Outcome, Request, View};
use crate::tui::screen::{Entry, Id, Screen};
use crate::upstash::{Error, Reply};
use crate::value::human::count;

/// Its name.
pub const ID: Id = Id {
    section: "analyze",
    name: "Analyze",
};

/// Its registry entry.
pub const ENTRY: Entry = Entry {
    id: ID,
    about: "what the database holds: prefixes, big keys, TTLs",
    open: || Box::<Analyze>::default(),
};

/// Commands a run may spend without asking, unless `[analyze] budget` says.
pub const DEFAULT_BUDGET: u64 = 20_000;

/// Where the screen is.
#[derive(Debug, Default)]
pub enum Phase {
    /// Nothing asked yet, or the last run ended.
    #[default]
    Idle,
    /// DBSIZE asked, for the estimate.
    Estimating { req: ReqId },
    /// The exact run would cost more than the budget: a sampled run within
    /// it is offered.
    Asking { estimate: Estimate, budget: u64 },
    /// Running; `stopping` once `Esc` asked it to stop.
    Running {
        req: ReqId,
        stop: Stop,
        progress: Option<Progress>,
        stopping: bool,
    },
}

/// The last result and when it came.
#[derive(Debug, Clone)]
pub struct Done {
    pub report: Report,
    pub at: SystemTime,
}

/// The Analyze screen.
#[derive(Debug, Default)]
pub struct Analyze {
    pub(super) phase: Phase,
    /// The estimate of the run that runs or ran.
    pub(super) estimate: Option<Estimate>,
    pub(super) last: Option<Done>,
    pub(super) error: Option<String>,
    pub(super) sort: SortBy,
    /// The list the key table shows.
    pub(super) list: KeyList,
    pub(super) table: Table,
    /// The prefix level shown (0: the report's first).
    pub(super) depth: usize,
    pub(super) selected: [usize; 2],
    pub(super) delimiter: Vec<u8>,
}

impl Drop for Analyze {
    /// A run whose screen is gone stops: nobody would read its result.
    fn drop(&mut self) {
        if let Phase::Running { stop, .. } = &self.phase {
            stop.0.cancel();
        }
    }
}

impl Analyze {
    /// The options of the next run, `budget` commands at most.
    fn options(&self, budget: Option<u64>) -> Options {
        Options {
            delimiter: self.delimiter.clone(),
            depth: self.depth.max(Options::default().depth),
            budget,
            ..Options::default()
        }
    }

    /// Asks what an exact run costs (one DBSIZE).
    fn estimate(&mut self, ctx: &mut Ctx) -> Outcome {
        if matches!(self.phase, Phase::Running { .. }) {
            return Outcome::say("an analysis is running: Esc stops it", false);
        }
        self.delimiter = ctx.delimiter().to_vec();
        let req = ctx.req();
        self.phase = Phase::Estimating { req };
        self.error = None;
        Outcome::run([Effect::EstimateAnalysis {
            screen: ID,
            req,
            opts: self.options(None),
        }])
    }

    /// Starts the run, `budget` commands at most.
    fn run(&mut self, budget: Option<u64>, ctx: &mut Ctx) -> Outcome {
        let req = ctx.req();
        let stop = Stop::default();
        self.phase = Phase::Running {
            req,
            stop: stop.clone(),
            progress: None,
            stopping: false,
        };
        Outcome::run([Effect::Analyze {
            screen: ID,
            req,
            opts: self.options(budget),
            stop,
        }])
    }

    /// The budget in force.
    fn budget(ctx: &Ctx) -> u64 {
        ctx.analyze_budget.unwrap_or(DEFAULT_BUDGET)
    }

    /// The level of prefixes shown.
    pub(super) fn level(&self) -> usize {
        self.depth.max(1)
    }

    /// Rows of the table with the cursor.
    fn rows(&self) -> usize {
        match (&self.last, self.table) {
            (None, _) => 0,
            (Some(d), Table::Prefixes) => table::prefixes(&d.report, self.level(), self.sort).len(),
            (Some(d), Table::Keys) => table::keys(&d.report, self.list).len(),
        }
    }

    fn cursor(&mut self) -> &mut usize {
        &mut self.selected[self.table as usize]
    }

    /// Moves the cursor to `to`, within the rows.
    fn go(&mut self, to: impl FnOnce(usize, usize) -> usize, page: usize) {
        let rows = self.rows();
        let at = *self.cursor();
        *self.cursor() = to(at, page).min(rows.saturating_sub(1));
    }

    /// `Enter`: the prefix's keys in the Browser, or the key itself.
    fn open(&self) -> Outcome {
        let Some(done) = &self.last else {
            return Outcome::used();
        };
        match self.table {
            Table::Prefixes => {
                let rows = table::prefixes(&done.report, self.level(), self.sort);
                match rows.get(self.selected[0]) {
                    Some(p) => {
                        let glob = crate::edit::bulk::folder_pattern(&p.prefix, &self.delimiter);
                        Outcome::ask(Request::FilterKeys(glob))
                    }
                    None => Outcome::used(),
                }
            }
            Table::Keys => match table::keys(&done.report, self.list).get(self.selected[1]) {
                Some(k) => Outcome::ask(Request::Open {
                    key: k.key.clone(),
                    kind: Some(k.kind.clone()),
                }),
                None => Outcome::used(),
            },
        }
    }

    /// `Esc`: stops a run (keeping what it saw), else not its own.
    fn cancel(&mut self) -> Outcome {
        match &mut self.phase {
            Phase::Running { stop, stopping, .. } if !*stopping => {
                stop.0.cancel();
                *stopping = true;
                Outcome::say("stopping the analysis: the partial result stays", false)
            }
            Phase::Asking { .. } => {
                self.phase = Phase::Idle;
                Outcome::say("analysis not run", false)
            }
            _ => Outcome::NotMine,
        }
    }

    fn set_depth(&mut self, deeper: bool) -> Outcome {
        let level = self.level();
        self.depth = if deeper {
            level + 1
        } else {
            level.saturating_sub(1).max(1)
        };
        self.selected[0] = 0;
        let counted = self.last.as_ref().map(|d| table::max_depth(&d.report));
        match counted {
            Some(max) if self.depth > max => Outcome::say(
                format!(
                    "prefixes of level {} are not counted: r re-runs",
                    self.depth
                ),
                false,
            ),
            _ => Outcome::used(),
        }
    }

    fn estimated(&mut self, estimate: Estimate, ctx: &mut Ctx) -> Outcome {
        self.estimate = Some(estimate);
        let budget = Self::budget(ctx);
        if estimate.commands > budget {
            self.phase = Phase::Asking { estimate, budget };
            return Outcome::used();
        }
        self.run(None, ctx)
    }

    fn done(&mut self, result: Result<Box<Report>, Error>) -> Outcome {
        self.phase = Phase::Idle;
        match result {
            Ok(report) => {
                let stopped = !report.complete;
                self.last = Some(Done {
                    report: *report,
                    at: SystemTime::now(),
                });
                self.selected = [0, 0];
                if stopped {
                    Outcome::say("analysis stopped: the figures are what it saw", false)
                } else {
                    Outcome::used()
                }
            }
            Err(e) => {
                self.error = Some(e.to_string());
                Outcome::say(format!("analysis failed: {e}"), true)
            }
        }
    }
}

impl Component for Analyze {
    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Outcome {
        let Phase::Asking { budget, .. } = self.phase else {
            return Outcome::NotMine;
        };
        match ctx.action(Context::Dialog, &key) {
            Some(Action::Confirm) => self.run(Some(budget), ctx),
            Some(Action::Cancel) => self.cancel(),
            _ => Outcome::used(),
        }
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Outcome {
        let page = usize::from(ctx.area.height.saturating_sub(8)).max(1);
        match action {
            Action::Cancel => return self.cancel(),
            Action::Rescan => return self.estimate(ctx),
            Action::Open => return self.open(),
            Action::Deeper => return self.set_depth(true),
            Action::Shallower => return self.set_depth(false),
            Action::Sort if self.table == Table::Keys => {
                self.list = self.list.next();
                self.selected[1] = 0;
                return Outcome::say(self.list.title().to_lowercase(), false);
            }
            Action::Sort => {
                self.sort = self.sort.next();
                self.selected[0] = 0;
                return Outcome::say(format!("prefixes by {}", self.sort.name()), false);
            }
            Action::SwitchTable => {
                self.table = match self.table {
                    Table::Prefixes => Table::Keys,
                    Table::Keys => Table::Prefixes,
                }
            }
            Action::Up => self.go(|at, _| at.saturating_sub(1), page),
            Action::Down => self.go(|at, _| at + 1, page),
            Action::PageUp => self.go(usize::saturating_sub, page),
            Action::PageDown => self.go(|at, p| at + p, page),
            Action::Top => self.go(|_, _| 0, page),
            Action::Bottom => self.go(|_, _| usize::MAX, page),
            _ => return Outcome::NotMine,
        }
        Outcome::used()
    }

    fn draw(&self, frame: &mut Frame, area: Rect, view: &View) {
        super::view::draw(self, frame, area, view);
    }
}

impl Screen for Analyze {
    fn id(&self) -> Id {
        ID
    }

    fn start(&mut self, ctx: &mut Ctx) -> Outcome {
        self.estimate(ctx)
    }

    /// A finished result stays for the next time the screen opens (`r`
    /// runs anew); a run in progress stops with the screen.
    fn keep(&self) -> bool {
        matches!(self.phase, Phase::Idle) && self.last.is_some()
    }

    fn on_read(&mut self, _: ReqId, _: Result<Vec<Reply>, Error>, _: &mut Ctx) -> Outcome {
        Outcome::NotMine
    }

    fn on_analysis(&mut self, req: ReqId, event: Analysis, ctx: &mut Ctx) -> Outcome {
        match (&mut self.phase, event) {
            (Phase::Estimating { req: r }, Analysis::Estimated(result)) if *r == req => {
                match result {
                    Ok(estimate) => self.estimated(estimate, ctx),
                    Err(e) => {
                        self.phase = Phase::Idle;
                        self.error = Some(e.to_string());
                        Outcome::say(format!("analysis not estimated: {e}"), true)
                    }
                }
            }
            (
                Phase::Running {
                    req: r, progress, ..
                },
                Analysis::Progress(p),
            ) if *r == req => {
                *progress = Some(p);
                Outcome::used()
            }
            (Phase::Running { req: r, .. }, Analysis::Done(result)) if *r == req => {
                self.done(result)
            }
            // A reply to a request superseded (a re-run) or given up.
            _ => Outcome::used(),
        }
    }
}

/// The estimate in words: "about 1 200 commands, 3 requests, $0.0024 at
/// $0.20 per 100 000".
pub fn cost(commands: u64, requests: Option<u64>, price: f64) -> String {
    let requests = requests
        .map(|r| format!(", {} requests", count(r)))
        .unwrap_or_default();
    format!(
        "about {} commands{requests}, ${} at ${:.2} per 100 000",
        count(commands),
        dollars(price),
        analyze::PRICE_PER_100K_USD
    )
}

/// A price with the digits that matter ("0.0024", "12.40").
pub fn dollars(usd: f64) -> String {
    if usd >= 1.0 {
        format!("{usd:.2}")
    } else {
        format!("{usd:.4}")
    }
}
