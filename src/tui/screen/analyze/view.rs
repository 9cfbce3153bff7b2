//! Drawing the Analyze screen: what it costs or how far it got, the totals,
//! the prefix and top-keys tables, the TTL spread and the expiry forecast.

use std::time::{SystemTime, UNIX_EPOCH};

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Clear, Paragraph, Row, Table, TableState, Wrap};

use super::state::{Analyze, Phase, cost, dollars};
use super::table::{self, Table as Which};
use crate::analyze::{self, Memory, Report};
use crate::tui::panes::View;
use crate::tui::text::fit;
use crate::value::escape;
use crate::value::human::{bytes, count, ttl};

/// Draws the screen in `area`.
pub fn draw(a: &Analyze, frame: &mut Frame, area: Rect, view: &View) {
    let block = view.theme.pane_block(" Analyze ", true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let mut head = vec![status(a, view, width)];
    if let Some(done) = &a.last {
        head.push(Line::from(fit(&totals(&done.report), width)));
        head.push(Line::from(fit(&method(&done.report), width)));
        head.push(Line::styled(
            fit(&run(&done.report, done.at), width),
            view.theme.dim,
        ));
    }
    let bottom = if inner.height >= 18 && a.last.is_some() {
        7
    } else {
        0
    };
    let [head_area, tables, bottom_area] = Layout::vertical([
        Constraint::Length(head.len() as u16),
        Constraint::Min(0),
        Constraint::Length(bottom),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(head), head_area);
    if let Some(done) = &a.last {
        // Side by side where both fit; else the one with the cursor, Tab
        // showing the other.
        if tables.width >= 90 {
            let [left, right] = Layout::horizontal([Constraint::Percentage(50); 2]).areas(tables);
            prefixes(a, &done.report, frame, left, view);
            keys(a, &done.report, frame, right, view);
        } else if a.table == Which::Prefixes {
            prefixes(a, &done.report, frame, tables, view);
        } else {
            keys(a, &done.report, frame, tables, view);
        }
        if bottom > 0 {
            let [ttl_area, forecast_area] =
                Layout::horizontal([Constraint::Percentage(50); 2]).areas(bottom_area);
            frame.render_widget(Paragraph::new(histogram(&done.report, ttl_area)), ttl_area);
            frame.render_widget(forecast(&done.report), forecast_area);
        }
    }
    if let Phase::Asking { estimate, budget } = &a.phase {
        question(estimate, *budget, frame, inner, view);
    }
}

/// The first line: what it will cost, how far it got, or how it ended.
fn status(a: &Analyze, view: &View, width: usize) -> Line<'static> {
    let t = view.theme;
    let text = match &a.phase {
        Phase::Estimating { .. } => "reading DBSIZE for the estimate…".to_owned(),
        Phase::Asking { .. } => "over the budget: waiting for an answer".to_owned(),
        Phase::Running {
            progress, stopping, ..
        } => {
            let p = progress.unwrap_or(analyze::Progress {
                keys: 0,
                commands: 0,
                requests: 0,
                elapsed: std::time::Duration::ZERO,
            });
            let secs = p.elapsed.as_secs_f64();
            let rate = if secs > 0.0 {
                (p.keys as f64 / secs) as u64
            } else {
                0
            };
            let of = a
                .estimate
                .map(|e| format!(" of {}", count(e.keys)))
                .unwrap_or_default();
            let verb = if *stopping { "stopping" } else { "analysing" };
            format!(
                "{verb}: {} keys{of} · {} keys/s · {} commands spent · Esc stops",
                count(p.keys),
                count(rate),
                count(p.commands)
            )
        }
        Phase::Idle => match (&a.error, &a.estimate) {
            (Some(e), _) => return Line::styled(fit(e, width), t.error),
            (None, Some(e)) => format!(
                "r re-runs · {}: {}",
                if e.sampled {
                    "a sampled run"
                } else {
                    "an exact run"
                },
                cost(e.commands, Some(e.requests), e.price_usd)
            ),
            (None, None) => "r runs the analysis".to_owned(),
        },
    };
    Line::styled(fit(&text, width), t.title)
}

/// Keys of DBSIZE, bytes, used_memory, how it counted.
fn totals(r: &Report) -> String {
    let used = r
        .used_memory
        .map(|u| format!(" · used_memory {}", bytes(u)))
        .unwrap_or_default();
    let memory = match r.memory {
        Memory::Measured => "measured",
        Memory::Estimated => "estimated from lengths",
    };
    format!(
        "{} of {} keys · {} ({memory}){used}",
        count(r.keys),
        count(r.dbsize),
        bytes(r.bytes)
    )
}

/// Exact or sampled (and how), and whether it was stopped.
fn method(r: &Report) -> String {
    let how = match &r.sampled {
        Some(s) => format!(
            "sampled, per prefix extrapolated from {} keys: {}",
            count(s.size),
            s.method
        ),
        None => "exact: every key read".to_owned(),
    };
    let partial = if r.complete { "" } else { "stopped, partial: " };
    format!("{partial}{how}")
}

/// When it ran, how long it took, what it cost.
fn run(r: &Report, at: SystemTime) -> String {
    let secs = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let price = r.commands as f64 * analyze::PRICE_PER_100K_USD / 100_000.0;
    format!(
        "ran at {:02}:{:02}:{:02} UTC in {:.1} s · {} commands, {} requests, ${}",
        secs / 3600 % 24,
        secs / 60 % 60,
        secs % 60,
        r.elapsed.as_secs_f64(),
        count(r.commands),
        count(r.requests),
        dollars(price)
    )
}

/// The rows' highlight and the block of a table, lit when it has the cursor.
fn frame_table<'a>(
    table: Table<'a>,
    title: String,
    lit: bool,
    selected: usize,
    frame: &mut Frame,
    area: Rect,
    view: &View,
) {
    let block = view.theme.pane_block("", lit).title(title);
    let table = table.block(block).row_highlight_style(if lit {
        view.theme.selected
    } else {
        view.theme.dim
    });
    let mut state = TableState::default().with_selected(Some(selected));
    frame.render_stateful_widget(table, area, &mut state);
}

fn prefixes(a: &Analyze, r: &Report, frame: &mut Frame, area: Rect, view: &View) {
    let rows = table::prefixes(r, a.level(), a.sort);
    let total = r.bytes.max(1);
    let body: Vec<Row> = rows
        .iter()
        .map(|p| {
            let share = p.bytes as f64 * 100.0 / total as f64;
            Row::new([
                Cell::from(escape::line(&p.prefix)),
                Cell::from(count(p.keys)),
                Cell::from(bytes(p.bytes)),
                Cell::from(format!("{share:.1}%")),
                Cell::from(count(p.no_ttl)),
            ])
        })
        .collect();
    let widths = [
        Constraint::Min(8),
        Constraint::Length(9),
        Constraint::Length(10),
        Constraint::Length(6),
        Constraint::Length(6),
    ];
    let header = Row::new(["prefix", "keys", "bytes", "share", "no TTL"]).style(view.theme.title);
    let title = format!(
        " Prefixes ({}) · level {} · by {} ",
        count(rows.len() as u64),
        a.level(),
        a.sort.name()
    );
    let t = Table::new(body, widths).header(header);
    frame_table(
        t,
        title,
        a.table == Which::Prefixes,
        a.selected[0],
        frame,
        area,
        view,
    );
}

fn keys(a: &Analyze, r: &Report, frame: &mut Frame, area: Rect, view: &View) {
    let body: Vec<Row> = table::keys(r, a.list)
        .iter()
        .map(|k| {
            Row::new([
                Cell::from(escape::line(&k.key)),
                Cell::from(k.kind.to_string()),
                Cell::from(bytes(k.bytes)),
                Cell::from(k.len.map(count).unwrap_or_default()),
                Cell::from(
                    k.ttl_ms
                        .map_or_else(|| ttl(-1), |ms| ttl(i64::try_from(ms).unwrap_or(i64::MAX))),
                ),
            ])
        })
        .collect();
    let widths = [
        Constraint::Min(8),
        Constraint::Length(6),
        Constraint::Length(10),
        Constraint::Length(7),
        Constraint::Length(6),
    ];
    let header = Row::new(["key", "type", "bytes", "len", "TTL"]).style(view.theme.title);
    let t = Table::new(body, widths).header(header);
    frame_table(
        t,
        format!(" {} ({}) ", a.list.title(), table::keys(r, a.list).len()),
        a.table == Which::Keys,
        a.selected[1],
        frame,
        area,
        view,
    );
}

/// A bar of `n` out of `max` in `width` cells, in eighths.
fn bar(n: u64, max: u64, width: usize) -> String {
    const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    let eighths = (n as f64 / max.max(1) as f64 * (width * 8) as f64).round() as usize;
    let mut out = "█".repeat(eighths / 8);
    out.push_str(EIGHTHS[eighths % 8]);
    out
}

/// The TTL spread as bars: within a minute, an hour, a day, later, never.
fn histogram(r: &Report, area: Rect) -> Vec<Line<'static>> {
    let s = r.ttl;
    let rows = [
        ("< 1 min", s.minute),
        ("< 1 h", s.hour),
        ("< 1 day", s.day),
        ("later", s.later),
        ("never", s.never),
    ];
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let width = usize::from(area.width).saturating_sub(22);
    let mut lines = vec![Line::from("TTL of the keys")];
    lines.extend(rows.iter().map(|(label, n)| {
        Line::from(vec![
            Span::raw(format!("{label:>8} {:>10} ", count(*n))),
            Span::raw(bar(*n, max, width)),
        ])
    }));
    lines
}

/// What expires in the next hour and day.
fn forecast(r: &Report) -> Paragraph<'static> {
    let f = r.forecast;
    Paragraph::new(vec![
        Line::from("Expiring"),
        Line::from(format!(
            "within 1 h:   {} keys, {}",
            count(f.hour_keys),
            bytes(f.hour_bytes)
        )),
        Line::from(format!(
            "within 1 day: {} keys, {}",
            count(f.day_keys),
            bytes(f.day_bytes)
        )),
        Line::from(format!("never:        {} keys", count(r.ttl.never))),
    ])
    .wrap(Wrap { trim: false })
}

/// The question before a run over the budget.
fn question(e: &analyze::Estimate, budget: u64, frame: &mut Frame, area: Rect, view: &View) {
    let price = budget as f64 * analyze::PRICE_PER_100K_USD / 100_000.0;
    let width = area.width.clamp(20, 70);
    let text = vec![
        Line::from(format!(
            "An exact run reads {} keys: {}.",
            count(e.keys),
            cost(e.commands, Some(e.requests), e.price_usd)
        )),
        Line::from(format!(
            "That is over the budget of {} commands ([analyze] budget).",
            count(budget)
        )),
        Line::from(""),
        Line::from(format!(
            "Run a sampled analysis within {} commands (${})? y/n",
            count(budget),
            dollars(price)
        )),
    ];
    let height = 8.min(area.height);
    let rect = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + area.height.saturating_sub(height) / 2,
        width,
        height,
    );
    frame.render_widget(Clear, rect);
    let block = view.theme.pane_block(" Over the budget ", true);
    frame.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: false }),
        rect,
    );
}
