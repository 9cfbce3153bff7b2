//! The Monitor pane's cost lines: requests and commands per minute with the
//! monitor's and the prefetch's shares, the session's totals, and what the
//! idle TUI would spend in a day and a month, against the plan's quota when
//! the user states one (`[monitor] quota`).

use ratatui::buffer::Buffer;
use ratatui::style::Style;

use super::format::count;
use super::view::Rows;
use crate::monitor::Engine;
use crate::tui::theme::Theme;
use crate::value::human;

/// Draws the cost lines.
pub(super) fn render(e: &Engine, theme: &Theme, rows: &mut Rows, buf: &mut Buffer) {
    rows.wrapped(&meter(e), " · ", Style::new(), buf);
    let (parts, over) = idle(e);
    let style = if over { theme.warn } else { theme.dim };
    rows.wrapped(&parts, " · ", style, buf);
}

/// The meter: this minute, with the shares, and the session.
fn meter(e: &Engine) -> Vec<String> {
    let cost = e.cost();
    let (c, own, pre) = (cost.minute(), cost.own_minute(), cost.prefetch_minute());
    let (total, pre_total) = (cost.total(), cost.prefetch_total());
    let share = if pre_total.requests > 0 {
        format!("{} monitor, {} prefetch", own.requests, pre.requests)
    } else {
        format!("{} monitor", own.requests)
    };
    let mut parts = vec![
        format!("{} req/min ({share})", c.requests),
        format!("{} cmd/min", c.commands),
        format!(
            "total {} req {} cmd",
            count(total.requests),
            count(total.commands)
        ),
    ];
    if pre_total.requests > 0 {
        parts.push(format!(
            "prefetch {} req {} cmd",
            count(pre_total.requests),
            count(pre_total.commands)
        ));
    }
    if let Some(b) = e.settings().budget.commands_per_minute {
        parts.push(format!("budget {b} cmd/min"));
    }
    parts
}

/// The idle projection, `idle: 17 280 cmd/day · 518 400/month`, with a
/// quota `... of 500 000 quota (104 %)`; true when it is over the quota.
fn idle(e: &Engine) -> ([String; 2], bool) {
    let p = e.idle_projection();
    let day = format!("idle: {} cmd/day", human::count(p.per_day));
    let month = format!("{}/month", human::count(p.per_month));
    match e.settings().quota {
        None => ([day, month], false),
        Some(quota) => (
            [
                day,
                format!(
                    "{month} of {} quota ({} %)",
                    human::count(quota),
                    p.percent_of(quota)
                ),
            ],
            p.per_month > quota,
        ),
    }
}
