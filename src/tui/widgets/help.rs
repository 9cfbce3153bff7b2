//! The help overlay, generated from the keymap: the keys that work
//! everywhere and those of the focused pane first, then the other panes',
//! then those of the prompts and dialogs, then the editing keys every input
//! shares; in columns while they fit, scrolled when they do not.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use crate::tui::keymap::{Action, Context, Keymap};
use crate::tui::theme::Theme;
use crate::tui::widgets::editor;

/// A section: its heading and its (keys, what they do) rows.
type Section = (&'static str, Vec<(String, &'static str)>);

/// Every binding, by context, the focused pane's first.
pub struct Help<'a> {
    pub keymap: &'a Keymap,
    pub theme: &'a Theme,
    /// The focused pane's context.
    pub focus: Context,
    /// Lines scrolled past, when the help does not fit.
    pub offset: usize,
}

/// The heading of the editing keys every input shares.
const TYPING: &str = "Typing in an input";

/// The widest the keys of a row may be before they go on to the next row.
const KEYS: usize = 9;

/// A row whose keys are wider than [`KEYS`] as several rows, the
/// description on the first: the columns stay narrow enough to sit side by side.
fn wrap((keys, what): (String, &'static str)) -> Vec<(String, &'static str)> {
    let mut rows: Vec<(String, &'static str)> = Vec::new();
    for key in keys.split(' ') {
        match rows.last_mut() {
            Some((line, _)) if line.chars().count() + 1 + key.chars().count() <= KEYS => {
                line.push(' ');
                line.push_str(key);
            }
            _ => rows.push((key.to_owned(), if rows.is_empty() { what } else { "" })),
        }
    }
    rows
}

/// The widest a description may be before it is cut.
const MAX_WHAT: usize = 28;

/// Where the help goes on a screen and how it is cut into columns.
struct Shape {
    lines: Vec<Line<'static>>,
    col_width: u16,
    columns: usize,
    /// Lines per column.
    rows: usize,
    /// Whether the lines do not all fit, so the help scrolls.
    scrolls: bool,
}

impl Help<'_> {
    /// The sections in display order: everywhere, the focused pane, the rest.
    fn sections(&self) -> Vec<Section> {
        let mut all = self.keymap.help();
        let rank = |ctx: Context| match ctx {
            Context::Global => 0,
            c if c == self.focus => 1,
            c if Context::PANES.contains(&c) => 2,
            _ => 3,
        };
        all.sort_by_key(|(ctx, _)| rank(*ctx));
        let typing = editor::HELP.iter().map(|(k, w)| ((*k).to_owned(), *w));
        all.into_iter()
            .map(|(ctx, rows)| (ctx.title(), rows))
            .chain([(TYPING, typing.collect())])
            .map(|(title, rows)| (title, rows.into_iter().flat_map(wrap).collect()))
            .collect()
    }

    fn shape(&self, area: Rect) -> Shape {
        let t = self.theme;
        let sections = self.sections();
        let key_width = sections
            .iter()
            .flat_map(|(_, rows)| rows.iter().map(|(k, _)| k.chars().count()))
            .max()
            .unwrap_or(0);
        let what_width = sections
            .iter()
            .flat_map(|(_, rows)| rows.iter().map(|(_, w)| w.chars().count()))
            .max()
            .unwrap_or(0)
            .min(MAX_WHAT);
        let col_width = ((key_width + what_width + 5) as u16).min(area.width.saturating_sub(2));
        let mut lines: Vec<Line<'static>> = Vec::new();
        for (title, entries) in &sections {
            lines.push(Line::styled(*title, t.title));
            for (keys, what) in entries {
                let what: String = what.chars().take(what_width).collect();
                lines.push(Line::from(vec![
                    Span::styled(format!("  {keys:<key_width$}  "), t.hint_key),
                    Span::raw(what),
                ]));
            }
        }
        // Border above and below; a line for the scroll note if needed.
        let rows = area.height.saturating_sub(2).max(1) as usize;
        let max_columns = (area.width.saturating_sub(2) / col_width.max(1)).max(1) as usize;
        if lines.len() <= rows * max_columns {
            let columns = lines.len().div_ceil(rows).max(1);
            let rows = lines.len().div_ceil(columns).max(1);
            return Shape {
                lines,
                col_width,
                columns,
                rows,
                scrolls: false,
            };
        }
        Shape {
            lines,
            col_width,
            columns: max_columns,
            rows: area.height.saturating_sub(3).max(1) as usize,
            scrolls: true,
        }
    }

    /// The furthest the help can scroll on a screen of `area`.
    pub fn max_offset(&self, area: Rect) -> usize {
        let shape = self.shape(area);
        if !shape.scrolls {
            return 0;
        }
        shape.lines.len().saturating_sub(shape.rows * shape.columns)
    }
}

impl Widget for Help<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let Shape {
            lines,
            col_width,
            columns,
            rows,
            scrolls,
        } = self.shape(area);
        let total = lines.len();
        let offset = if scrolls {
            self.offset.min(total.saturating_sub(rows * columns))
        } else {
            0
        };
        let shown = &lines[offset..(offset + rows * columns).min(total)];
        let used_columns = shown.len().div_ceil(rows).max(1) as u16;
        let footer = u16::from(scrolls);
        let width = (col_width * used_columns + 2).min(area.width);
        let height = (rows as u16 + 2 + footer).min(area.height);
        let popup = Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + (area.height - height) / 2,
            width,
            height,
        };
        Clear.render(popup, buf);
        let title = format!(" Help: {} (Esc closes) ", self.focus.title());
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(t.border_focused)
            .title(Span::styled(title, t.title));
        let inner = block.inner(popup);
        block.render(popup, buf);
        let body = Rect {
            height: inner.height.saturating_sub(footer),
            ..inner
        };
        for (i, chunk) in shown.chunks(rows).enumerate() {
            let x = body.x + i as u16 * col_width;
            if x >= body.right() {
                break;
            }
            let column = Rect {
                x,
                width: col_width.min(body.right() - x),
                ..body
            };
            Paragraph::new(chunk.to_vec()).render(column, buf);
        }
        if scrolls {
            let end = offset + shown.len();
            let keys = [
                self.keymap
                    .spell(Context::Help, &[Action::Down, Action::Up]),
                self.keymap.label(Context::Help, Action::PageDown, 1),
            ];
            let keys: Vec<String> = keys.into_iter().flatten().collect();
            let note = format!(
                "{}-{end} of {total} · {} scroll",
                offset + 1,
                keys.join(" ")
            );
            let line = Rect {
                y: inner.bottom().saturating_sub(1),
                height: 1,
                ..inner
            };
            Paragraph::new(Line::styled(
                crate::tui::text::fit(&note, line.width as usize),
                t.dim,
            ))
            .render(line, buf);
        }
    }
}
