//! The lines of the Value pane's body: table rows per type, and text, JSON,
//! hex and kombu bodies, for the window on screen only.

use std::ops::Range;

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

use crate::tui::text::{escape, fit};
use crate::tui::theme::Theme;
use crate::value::Session;
use crate::value::format::json::{Pretty, Token};
use crate::value::format::{Body, cell, hex};
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
    let format = s.format();
    let cell = |v: &[u8]| cell::cell(v, format);
    let cells: Vec<(String, String)> = match rows {
        Rows::Fields(r) => window(r, first, height)
            .map(|(f, v)| (escape(f), cell(v)))
            .collect(),
        Rows::Items { start, items } => window(items, first, height)
            .enumerate()
            .map(|(i, v)| ((start + (first + i) as u64).to_string(), cell(v)))
            .collect(),
        Rows::Members(m) => window(m, first, height)
            .map(|v| (String::new(), cell(v)))
            .collect(),
        Rows::Scored { rows, .. } => window(rows, first, height)
            .map(|(m, score)| (crate::value::score::display(score), cell(m)))
            .collect(),
        Rows::Entries(e) => window(e, first, height)
            .map(|e| {
                let fields: Vec<String> = e
                    .fields
                    .iter()
                    .map(|(f, v)| format!("{}={}", escape(f), cell(v)))
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
    // Scores (17 significant digits at most) and stream ids are short and read whole.
    let cap = match rows {
        Rows::Scored { .. } | Rows::Entries(_) => (width / 3).max(24).min(width / 2),
        _ => width / 3,
    };
    let left = cells
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0)
        .min(cap);
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

fn window<T>(rows: &[T], first: usize, height: usize) -> impl Iterator<Item = &T> {
    rows.iter().skip(first).take(height)
}

/// Which screen lines of a body to draw, and how wide.
#[derive(Debug, Clone, Copy)]
pub struct Window<'a> {
    /// The screen lines of a text or JSON body (empty: not wrapped).
    pub wrap: &'a [Range<usize>],
    /// Where a hex dump's offsets start (a string window's offset).
    pub base: u64,
    /// The first line drawn.
    pub top: usize,
    /// Lines drawn at most.
    pub height: usize,
    /// Columns.
    pub width: usize,
}

/// The lines of a rendered body in `w`: the wrapped screen lines for text
/// and JSON, else lines cut to the width (a hex dump narrows to fit).
pub fn text(
    body: &Body,
    w: Window,
    t: &Theme,
    marks: &dyn Fn(&str) -> Vec<Range<usize>>,
) -> Vec<Line<'static>> {
    let Window {
        wrap,
        base,
        top,
        height,
        width,
    } = w;
    let shown = || wrap.iter().skip(top).take(height);
    match body {
        Body::Text(text) if !wrap.is_empty() => shown()
            .map(|r| {
                let l = text[r.clone()].replace('\t', "    ");
                let m = marks(&l);
                Line::from(marked(l, &m, Style::new(), t))
            })
            .collect(),
        Body::Json(_) | Body::Tree(_) if !wrap.is_empty() => match body.pretty() {
            Some(p) => shown().map(|r| json_line(p, r.clone(), t)).collect(),
            None => Vec::new(),
        },
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
        Body::Json(_) | Body::Tree(_) => {
            let Some(p) = body.pretty() else {
                return Vec::new();
            };
            let mut at = 0;
            let lines = p.text.split('\n').map(|l| {
                let r = at..at + l.len();
                at = r.end + 1;
                r
            });
            lines
                .skip(top)
                .take(height)
                .map(|r| json_line(p, r, t))
                .collect()
        }
        Body::Hex(bytes) => {
            // A line of n bytes takes 14 + 4n columns: 16 bytes need 78,
            // narrower panes get 8, 4 or 2, and the selection (counted in
            // 16-byte lines) maps onto them.
            let k = match width {
                78.. => 1,
                46.. => 2,
                30.. => 4,
                _ => 8,
            };
            let (per_line, first) = (hex::WIDTH / k, top * k);
            let count = bytes.len().div_ceil(per_line);
            (first..count.min(first + height))
                .map(|i| Line::raw(fit(&hex::line_of(bytes, i, base, per_line), width)))
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
        Token::Name => Style::new().fg(Color::Blue),
        Token::Note => Style::new().fg(Color::DarkGray),
        Token::Warn => Style::new().fg(Color::Red),
    }
}

/// One coloured JSON line (the bytes `line` of the text), using the spans
/// the printer produced.
fn json_line(p: &Pretty, line: Range<usize>, t: &Theme) -> Line<'static> {
    let (start, end) = (line.start, line.end);
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
    Line::from(spans)
}
