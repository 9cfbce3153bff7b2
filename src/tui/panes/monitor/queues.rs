//! One watched key in the Monitor pane: its name, type and length in
//! aligned columns, a sparkline when there is room, then its rates, time to
//! drain and marks. A name too long for its column gets a line of its own,
//! and what does not fit goes on the next line, never cut mid-figure.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Sparkline, Widget};
use unicode_width::UnicodeWidthStr;

use super::format::{age, rate};
use super::view::Rows;
use crate::monitor::queue::Queue;
use crate::tui::text::{escape, fit};
use crate::tui::theme::Theme;

/// Samples shown in a queue's sparkline.
const SPARK: u16 = 16;

/// Panes narrower than this leave the sparkline out.
const SPARK_FROM: usize = 60;

/// A watched key's rows.
pub(super) struct Row<'a> {
    pub queue: &'a Queue,
    pub theme: &'a Theme,
}

/// Something placed on a line: text, or the sparkline.
enum Piece {
    Text(String, Style),
    Spark(Vec<u64>, Style),
}

impl Piece {
    fn width(&self) -> usize {
        match self {
            Piece::Text(s, _) => s.width(),
            Piece::Spark(..) => SPARK as usize,
        }
    }
}

impl Row<'_> {
    pub(super) fn render(self, rows: &mut Rows, buf: &mut Buffer) {
        let t = self.theme;
        let q = self.queue;
        let width = rows.width();
        let key = escape(q.key());
        let key_w = (width / 4).clamp(6, 40);
        // The name in its column when it fits; else on a line of its own,
        // whole, with the figures below it in their columns.
        let name = if key.width() <= key_w {
            format!("{key:<key_w$}")
        } else {
            if !rows.line(Line::raw(fit(&key, width)), buf) {
                return;
            }
            " ".repeat(key_w)
        };
        let length = q.last().map_or("-".into(), |r| r.length.to_string());
        let head = format!("{name} {:<6} {length:>7}", q.type_name());
        let mut pieces = Vec::new();
        if width >= SPARK_FROM {
            let data = q.sparkline();
            let tail = data[data.len().saturating_sub(SPARK as usize)..].to_vec();
            pieces.push(Piece::Spark(tail, t.ok));
        }
        let rates = q.rates().map_or("-".into(), |r| {
            let mut s = rate(r.net);
            if let (Some(i), Some(o)) = (r.enqueue, r.dequeue) {
                s.push_str(&format!(" in {i:.1} out {o:.1}"));
            }
            s
        });
        pieces.push(Piece::Text(rates, Style::new()));
        match q.drain_time() {
            Some(d) if d.is_zero() => pieces.push(Piece::Text("empty".into(), Style::new())),
            Some(d) => pieces.push(Piece::Text(format!("drains in {}", age(d)), Style::new())),
            None => {}
        }
        if q.stalled() {
            pieces.push(Piece::Text("STALLED".into(), t.error));
        }
        if q.alert() {
            pieces.push(Piece::Text("ALERT".into(), t.warn));
        }
        if let Some(err) = q.error() {
            pieces.push(Piece::Text(err.to_owned(), t.error));
        }
        let mut lines = vec![(head.width(), vec![Piece::Text(head, Style::new())])];
        for piece in pieces {
            let w = piece.width();
            let Some((used, line)) = lines.last_mut() else {
                break;
            };
            if *used + 1 + w <= width {
                *used += 1 + w;
                line.push(piece);
            } else {
                // Continuation lines are indented under the name.
                let piece = match piece {
                    Piece::Text(s, style) => Piece::Text(fit(&s, width.saturating_sub(2)), style),
                    spark => spark,
                };
                lines.push((
                    2 + piece.width(),
                    vec![Piece::Text(" ".into(), Style::new()), piece],
                ));
            }
        }
        for (_, line) in lines {
            let Some(area) = rows.take(1) else { return };
            draw(line, area, buf);
        }
    }
}

/// Draws one line's pieces, a space apart.
fn draw(pieces: Vec<Piece>, area: Rect, buf: &mut Buffer) {
    let mut x = area.x;
    for piece in pieces {
        let w = piece.width() as u16;
        if x >= area.right() {
            return;
        }
        let room = Rect::new(x, area.y, w.min(area.right() - x), 1);
        match piece {
            Piece::Text(s, style) => Line::from(Span::styled(s, style)).render(room, buf),
            Piece::Spark(data, style) => Sparkline::default()
                .data(&data)
                .style(style)
                .render(room, buf),
        }
        x = x.saturating_add(w + 1);
    }
}
