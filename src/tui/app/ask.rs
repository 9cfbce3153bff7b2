//! The frugal profile on the App's side: how freely commands are spent,
//! and the question about a walk the Value pane holds (the question itself
//! is [`super::dialogs::ask`]).

use super::{App, Mode};
use crate::config::Cost;
use crate::tui::panes::{Question, Then};

impl App {
    /// Sets how freely commands are spent: the prefetch, and the questions
    /// of the Value pane, the Console and `L`.
    pub fn set_cost(&mut self, cost: Cost) {
        self.cost = cost;
        self.value.set_ask_above(cost.ask_above());
        self.console.set_ask_above(cost.ask_above());
        if !cost.prefetch() {
            self.prefetch.forget();
        }
    }

    /// Sets how many commands an analysis may spend without asking.
    pub fn set_analyze_budget(&mut self, budget: Option<u64>) {
        self.analyze_budget = budget;
    }

    /// Asks about the walk the Value pane holds, if it holds one.
    pub(super) fn ask_walk(&mut self) {
        if let Some((what, cost)) = self.value.asking() {
            let question = Question {
                title: "Read on?".into(),
                what,
                cost,
                then: Then::Walk,
            };
            let cap = self.cost.ask_above().unwrap_or_default();
            self.mode = Mode::Ask(Box::new(super::dialogs::ask::Ask::new(question, cap)));
        }
    }
}
