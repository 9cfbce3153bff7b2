//! A screen for the tests alone: it lists the keys under `probe:` (one
//! read when it opens, another on `r`), moves with `j`/`k`, opens the
//! selected key in the Browser on Enter and, on `d`, tries a write that the
//! screens' read-only pipeline must refuse.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};
use upstash_tui::tui::msg::{Action, ReqId};
use upstash_tui::tui::screen::{Cx, Entry, Id, Outcome, Screen};
use upstash_tui::tui::theme::Theme;
use upstash_tui::upstash::{Error, Reply, cmd};

/// Its name.
pub const ID: Id = Id {
    section: "probe",
    name: "Probe",
};

/// Its registry entry.
pub const ENTRY: Entry = Entry {
    id: ID,
    about: "the keys under probe:",
    open: || Box::new(Probe::default()),
};

/// The keys found and the cursor.
#[derive(Debug, Default)]
pub struct Probe {
    keys: Vec<Vec<u8>>,
    selected: usize,
    waiting: Option<ReqId>,
    reads: usize,
}

impl Probe {
    fn scan(&mut self, cx: &mut Cx) {
        let req = cx.read(vec![cmd([
            "SCAN", "0", "MATCH", "probe:*", "COUNT", "1000",
        ])]);
        self.waiting = Some(req);
    }
}

impl Screen for Probe {
    fn id(&self) -> Id {
        ID
    }

    fn start(&mut self, cx: &mut Cx) {
        self.scan(cx);
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Outcome {
        match action {
            Action::Down => {
                self.selected = (self.selected + 1).min(self.keys.len().saturating_sub(1))
            }
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Rescan => self.scan(cx),
            Action::Open => {
                return match self.keys.get(self.selected) {
                    Some(key) => Outcome::OpenKey(key.clone()),
                    None => Outcome::Done,
                };
            }
            Action::DeleteKey => {
                if let Some(key) = self.keys.get(self.selected) {
                    cx.read(vec![cmd([&b"DEL"[..], key])]);
                }
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Done
    }

    fn on_read(&mut self, req: ReqId, result: Result<Vec<Reply>, Error>, cx: &mut Cx) -> Outcome {
        if self.waiting != Some(req) {
            if let Err(e) = result {
                cx.say(e.to_string(), true);
            }
            return Outcome::Done;
        }
        self.waiting = None;
        match result {
            Ok(replies) => {
                let keys = replies
                    .first()
                    .and_then(|r| r.as_array())
                    .and_then(|page| page.get(1))
                    .and_then(|k| k.as_array())
                    .map(|ks| {
                        ks.iter()
                            .filter_map(|k| k.as_bytes().map(<[u8]>::to_vec))
                            .collect()
                    })
                    .unwrap_or_default();
                self.keys = keys;
                self.keys.sort();
                self.reads += 1;
            }
            Err(e) => cx.say(e.to_string(), true),
        }
        Outcome::Done
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let mut lines = vec![Line::from(format!(
            "Probe: {} keys, read {} times",
            self.keys.len(),
            self.reads
        ))];
        for (i, key) in self.keys.iter().enumerate() {
            let mark = if i == self.selected { "> " } else { "  " };
            lines.push(Line::from(format!(
                "{mark}{}",
                String::from_utf8_lossy(key)
            )));
        }
        Paragraph::new(lines)
            .block(theme.pane_block(" Probe ", true))
            .render(area, buf);
    }
}
