//! A screen for the tests alone: it lists the keys under `probe:` (one
//! read when it opens, another on `r`), moves with `j`/`k`, opens the
//! selected key in the Browser on Enter and, on `d`, tries a write that the
//! screens' read-only pipeline must refuse.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use upstash_tui::tui::msg::{Action, ReqId};
use upstash_tui::tui::panes::{Component, Ctx, Outcome, Request, View};
use upstash_tui::tui::screen::{self, Entry, Id, Screen};
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
    fn scan(&mut self, ctx: &mut Ctx) -> Outcome {
        let scan = cmd(["SCAN", "0", "MATCH", "probe:*", "COUNT", "1000"]);
        let (req, effect) = screen::read(ID, ctx, vec![scan]);
        self.waiting = Some(req);
        Outcome::run([effect])
    }
}

impl Component for Probe {
    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Outcome {
        match action {
            Action::Down => {
                self.selected = (self.selected + 1).min(self.keys.len().saturating_sub(1));
            }
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Rescan => return self.scan(ctx),
            Action::Open => {
                if let Some(key) = self.keys.get(self.selected) {
                    return Outcome::ask(Request::Open {
                        key: key.clone(),
                        kind: None,
                    });
                }
            }
            Action::DeleteKey => {
                if let Some(key) = self.keys.get(self.selected) {
                    let (_, effect) = screen::read(ID, ctx, vec![cmd([&b"DEL"[..], key])]);
                    return Outcome::run([effect]);
                }
            }
            _ => return Outcome::NotMine,
        }
        Outcome::used()
    }

    fn draw(&self, frame: &mut Frame, area: Rect, view: &View) {
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
        let block = view.theme.pane_block(" Probe ", view.focused);
        frame.render_widget(Paragraph::new(lines).block(block), area);
    }
}

impl Screen for Probe {
    fn id(&self) -> Id {
        ID
    }

    fn start(&mut self, ctx: &mut Ctx) -> Outcome {
        self.scan(ctx)
    }

    fn on_read(
        &mut self,
        req: ReqId,
        result: Result<Vec<Reply>, Error>,
        _ctx: &mut Ctx,
    ) -> Outcome {
        let replies = match result {
            Ok(replies) => replies,
            Err(e) => return Outcome::say(e.to_string(), true),
        };
        if self.waiting == Some(req) {
            self.waiting = None;
            let page = replies.first().and_then(Reply::as_array);
            let names = page.and_then(|p| p.get(1)).and_then(Reply::as_array);
            self.keys = names
                .unwrap_or_default()
                .iter()
                .filter_map(|k| k.as_bytes().map(<[u8]>::to_vec))
                .collect();
            self.keys.sort();
            self.reads += 1;
        }
        Outcome::used()
    }
}
