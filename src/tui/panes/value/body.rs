//! The lines of the Value pane's body: table rows per type, and text, JSON,
//! hex and kombu bodies, for the window on screen only.

use std::ops::Range;

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

use crate::tui::text::{escape, fit};
use crate::tui::theme::Theme;
use crate::value::Session;
use crate::value::format::json::{Pretty, Token};
use crate::value::format::{Body, hex, kombu};
use crate::value::page::Rows;

/// The style that marks search matches.
fn matched(t: &Theme) -> Style {
    t.warn.add_modifier(Modifier::REVERSED)
}

/// `text` as spans with the ranges in `marks` styled as matches.
fn marked(text: String, marks: &[Range<usize>], base: Style, t: &Theme) -> Vec<Span<'static>> {
    if marks.is_empty() {
        return vec![Span::styled(text, base)];
    }
    let mut out = Vec::new();
    let mut at = 0;
    for r in marks {
        if r.start < at
            || r.end > text.len()
            || !text.is_char_boundary(r.start)
            || !text.is_char_boundary(r.end)
        {
            continue;
        }
        out.push(Span::styled(text[at..r.start].to_string(), base));
        out.push(Span::styled(text[r.clone()].to_string(), matched(t)));
        at = r.end;
    }
    out.push(Span::styled(text[at..].to_string(), base));
    out
}

/// The first row shown so that `selected` stays in a window of `height`.
pub fn top(selected: usize, height: usize) -> usize {
    (selected + 1).saturating_sub(height.max(1))
}

/// Table rows for hash, list, set, zset and stream pages.
pub fn rows(
    s: &Session,
    rows: &Rows,
    height: usize,
    width: usize,
    t: &Theme,
) -> Vec<Line<'static>> {
    let first = top(s.selected(), height);
    let cells: Vec<(String, String)> = match rows {
        Rows::Fields(r) => window(r, first, height)
            .map(|(f, v)| (escape(f), cell(v)))
            .collect(),
        Rows::Items { start, items } => window(items, first, height)
            .enumerate()
            .map(|(i, v)| ((start + (first + i) as u64).to_string(), cell(v)))
            .collect(),
        Rows::Members(m) => window(m, first, height)
            .map(|v| (String::new(), escape(v)))
            .collect(),
        Rows::Scored { rows, .. } => window(rows, first, height)
            .map(|(m, score)| (crate::value::score::display(score), escape(m)))
            .collect(),
        Rows::Entries(e) => window(e, first, height)
            .map(|e| {
                let fields: Vec<String> = e
                    .fields
                    .iter()
                    .map(|(f, v)| format!("{}={}", escape(f), escape(v)))
                    .collect();
                (escape(&e.id), fields.join(" "))
            })
            .collect(),
        Rows::Unavailable(why) => return vec![Line::styled(why.clone(), t.warn)],
        Rows::Chunk { .. } | Rows::Json(_) => return Vec::new(),
    };
    if cells.is_empty() {
        return vec![Line::styled("(empty)", t.dim)];
    }
    let left = cells
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0)
        .min(width / 3);
    cells
        .into_iter()
        .enumerate()
        .map(|(i, (l, r))| {
            let index = first + i;
            let mut base = if s.changed().contains(&index) {
                t.warn
            } else {
                Style::new()
            };
            if index == s.selected() {
                base = base.patch(t.selected);
            }
            let mut spans = Vec::new();
            if left > 0 {
                let l = format!("{:<left$} │ ", fit(&l, left));
                let marks = s.highlights(l.as_bytes());
                spans.extend(marked(l, &marks, base.patch(t.dim), t));
            }
            let r = fit(
                &r,
                width.saturating_sub(left + if left > 0 { 3 } else { 0 }),
            );
            let marks = s.highlights(r.as_bytes());
            spans.extend(marked(r, &marks, base, t));
            Line::from(spans)
        })
        .collect()
}

/// A table cell: a Celery/kombu message as its task call, anything else escaped.
fn cell(bytes: &[u8]) -> String {
    match kombu::decode(bytes) {
        Some(m) => format!(
            "{} args={} kwargs={}",
            m.task.as_deref().unwrap_or("?"),
            m.args.as_deref().unwrap_or("?"),
            m.kwargs.as_deref().unwrap_or("?")
        ),
        None => escape(bytes),
    }
}

fn window<T>(rows: &[T], first: usize, height: usize) -> impl Iterator<Item = &T> {
    rows.iter().skip(first).take(height)
}

/// The lines `top..top+height` of a rendered body, cut to `width`.
pub fn text(
    body: &Body,
    top: usize,
    height: usize,
    width: usize,
    t: &Theme,
    marks: &dyn Fn(&str) -> Vec<Range<usize>>,
) -> Vec<Line<'static>> {
    match body {
        Body::Text(text) => text
            .split('\n')
            .skip(top)
            .take(height)
            .map(|l| {
                let l = fit(&l.replace('\t', "    "), width);
                let m = marks(&l);
                Line::from(marked(l, &m, Style::new(), t))
            })
            .collect(),
        Body::Json(p) => json_lines(p, top, height, t),
        Body::Hex(bytes) => {
            // A 16-byte line takes 78 columns; narrow panes get 8 bytes a
            // line, and the selection (counted in 16-byte lines) maps onto them.
            let (per_line, first) = if width >= 78 {
                (hex::WIDTH, top)
            } else {
                (hex::WIDTH / 2, top * 2)
            };
            let count = bytes.len().div_ceil(per_line);
            (first..count.min(first + height))
                .map(|i| Line::raw(hex::line_of(bytes, i, 0, per_line)))
                .collect()
        }
        Body::Kombu(m) => m
            .summary()
            .into_iter()
            .skip(top)
            .take(height)
            .map(|(label, v)| {
                Line::from(vec![
                    Span::styled(format!("{label:<9}"), t.dim),
                    Span::raw(fit(&v, width.saturating_sub(9))),
                ])
            })
            .collect(),
    }
}

fn token_style(token: Token, t: &Theme) -> Style {
    if t.mono {
        return Style::new();
    }
    match token {
        Token::Key => Style::new().fg(Color::Cyan),
        Token::String => Style::new().fg(Color::Green),
        Token::Number => Style::new().fg(Color::Magenta),
        Token::Literal => Style::new().fg(Color::Yellow),
        Token::Punct => Style::new(),
    }
}

/// Coloured JSON lines, using the spans the printer produced.
fn json_lines(p: &Pretty, top: usize, height: usize, t: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (n, line) in p.text.split('\n').enumerate() {
        let end = start + line.len();
        if n >= top + height {
            break;
        }
        if n >= top {
            let mut spans = Vec::new();
            let mut at = start;
            let first = p.spans.partition_point(|s| s.range.end <= start);
            for s in p.spans[first..].iter().take_while(|s| s.range.start < end) {
                let (a, b) = (s.range.start.max(start), s.range.end.min(end));
                if a > at {
                    spans.push(Span::raw(p.text[at..a].to_string()));
                }
                spans.push(Span::styled(
                    p.text[a..b].to_string(),
                    token_style(s.token, t),
                ));
                at = b;
            }
            if at < end {
                spans.push(Span::raw(p.text[at..end].to_string()));
            }
            out.push(Line::from(spans));
        }
        start = end + 1;
    }
    out
}
