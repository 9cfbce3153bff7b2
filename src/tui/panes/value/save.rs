//! `o`: saving the open value to a file. A dialog asks for the path
//! (prefilled with a name from the key in the current folder, `~` for the
//! home folder), asks again before replacing an existing file, shows the
//! progress of the save (`Esc` stops it) and keeps the path to correct when
//! the file cannot be written.

use std::path::{Path, PathBuf};

use crossterm::event::KeyEvent;

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tui::keymap::{Action, Context};
use crate::tui::msg::Effect;
use crate::tui::panes::{Component, Ctx, Outcome, View};
use crate::tui::widgets::dialog::{self, Dialog, Field, Hint, Reply};
use crate::value::save::{Destination, Report, Stop, expand_home};
use crate::value::{Kind, human};

/// The save dialog of the Value pane.
#[derive(Debug)]
pub struct Prompt {
    /// What is shown: the path form, the overwrite question, or progress.
    pub dialog: Dialog,
    key: Vec<u8>,
    kind: Kind,
    /// The path form, kept while the overwrite question is asked.
    form: Option<Box<Dialog>>,
    /// The existing file the overwrite question is about.
    confirming: Option<PathBuf>,
    /// The save under way and how to stop it.
    running: Option<Destination>,
    total: Option<u64>,
}

impl Prompt {
    /// The path form for `key`, prefilled with `name` in the current folder.
    pub fn new(key: &[u8], kind: Kind, name: String, total: Option<u64>) -> Prompt {
        let folder = std::env::current_dir()
            .map(|d| d.display().to_string())
            .unwrap_or_else(|_| "the current folder".into());
        let mut dialog = Dialog::form("Save to a file", vec![Field::text("path", &name)]);
        dialog.lines = vec![
            format!("{} · {}", kind, layout(&kind)),
            format!("relative to {folder} (~ is your home)"),
        ];
        dialog.hints = vec![
            Hint::new(Context::Form, &[Action::Submit], "save"),
            Hint::new(Context::Form, &[Action::Cancel], "cancel"),
        ];
        Prompt {
            dialog,
            key: key.to_vec(),
            kind,
            form: None,
            confirming: None,
            running: None,
            total,
        }
    }

    /// Handles a key: `action` is what the dialog's keymap section binds it to.
    fn key(&mut self, action: Option<Action>, key: KeyEvent) -> Outcome {
        if let Some(to) = &self.running {
            if action == Some(Action::Cancel) {
                to.stop.stop();
                self.dialog.busy = Some("stopping after the page in flight…".into());
            }
            return Outcome::used();
        }
        match (self.dialog.on_key(action, key), self.form.is_some()) {
            (Reply::Submit, true) => {
                let path = self.confirming.take().unwrap_or_default();
                self.back_to_form();
                self.start(path, true)
            }
            (Reply::Cancel, true) => {
                self.back_to_form();
                Outcome::used()
            }
            (Reply::Submit, false) => {
                let typed = self.dialog.text(0).trim().to_string();
                if typed.is_empty() {
                    self.dialog.error = Some("type a path to save to".into());
                    return Outcome::used();
                }
                let home = std::env::var_os("HOME").map(PathBuf::from);
                let mut path = expand_home(&typed, home.as_deref());
                if path.is_relative()
                    && let Ok(cwd) = std::env::current_dir()
                {
                    path = cwd.join(path);
                }
                self.start(path, false)
            }
            (Reply::Cancel, false) => Outcome::close("nothing saved", false),
            _ => Outcome::used(),
        }
    }

    fn back_to_form(&mut self) {
        self.confirming = None;
        if let Some(form) = self.form.take() {
            self.dialog = *form;
        }
    }

    fn start(&mut self, path: PathBuf, overwrite: bool) -> Outcome {
        let to = Destination {
            path,
            overwrite,
            stop: Stop::default(),
        };
        self.dialog.error = None;
        self.dialog.busy = Some(format!("saving to {}… (Esc stops)", to.path.display()));
        self.running = Some(to.clone());
        Outcome::run([Effect::SaveValue {
            key: self.key.clone(),
            kind: self.kind.clone(),
            to,
        }])
    }

    /// Takes a report of the save under way.
    pub fn on_report(&mut self, path: &Path, report: Report) -> Outcome {
        let shown = path.display();
        match report {
            Report::Progress(s) => {
                let of = match (self.total, &self.kind) {
                    (Some(t), Kind::String) => format!(" of {}", human::bytes(t)),
                    (Some(t), _) => {
                        format!(", {} of {} rows", human::count(s.rows), human::count(t))
                    }
                    (None, _) => String::new(),
                };
                self.dialog.busy = Some(format!(
                    "saving… {}{of}, {} (Esc stops)",
                    human::bytes(s.bytes),
                    requests(s.requests)
                ));
                Outcome::used()
            }
            Report::Done(s) => {
                self.running = None;
                let rows = match self.kind {
                    Kind::String | Kind::Json => String::new(),
                    _ => format!(", {} rows", human::count(s.rows)),
                };
                Outcome::close(
                    format!(
                        "saved {}{rows} to {shown} ({})",
                        human::bytes(s.bytes),
                        requests(s.requests)
                    ),
                    false,
                )
            }
            Report::Stopped => Outcome::close(
                format!("save stopped; the partial file {shown} was removed"),
                false,
            ),
            Report::Exists(size) => {
                self.running = None;
                let mut form = std::mem::replace(
                    &mut self.dialog,
                    Dialog::confirm(
                        "Replace the file?",
                        vec![
                            format!("{shown} exists ({}).", human::bytes(size)),
                            "Replace it with this value?".into(),
                        ],
                    ),
                );
                form.busy = None;
                self.form = Some(Box::new(form));
                self.confirming = Some(path.to_path_buf());
                Outcome::used()
            }
            Report::Failed(why) => {
                self.running = None;
                self.dialog.busy = None;
                self.dialog.error = Some(why);
                Outcome::used()
            }
        }
    }
}

impl Component for Prompt {
    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Outcome {
        self.key(ctx.action(self.dialog.context(), &key), key)
    }

    fn on_paste(&mut self, text: &str, _ctx: &mut Ctx) -> Outcome {
        self.dialog.paste(text);
        Outcome::used()
    }

    /// Drawn over the Value pane, the text cursor marked in place (the
    /// terminal's cursor stays where the screen puts it).
    fn draw(&self, frame: &mut Frame, screen: Rect, view: &View) {
        let area = crate::tui::layout::Areas::new(screen).value;
        let d = &self.dialog;
        frame.render_widget(
            dialog::View {
                dialog: d,
                theme: view.theme,
                keymap: view.keymap,
            },
            area,
        );
        if let Some((x, y)) = d.cursor(d.area(area))
            && let Some(cell) = frame.buffer_mut().cell_mut((x, y))
        {
            cell.set_style(view.theme.selected);
        }
    }
}

/// A report of a save whose dialog is closed: only its end is news.
pub fn orphan(path: &Path, report: Report) -> Outcome {
    match report {
        Report::Done(s) => Outcome::say(
            format!("saved {} to {}", human::bytes(s.bytes), path.display()),
            false,
        ),
        Report::Failed(why) => Outcome::say(why, true),
        _ => Outcome::used(),
    }
}

fn requests(n: usize) -> String {
    match n {
        1 => "1 request".into(),
        n => format!("{n} requests"),
    }
}

/// How a file of this kind is laid out, in a few words.
fn layout(kind: &Kind) -> &'static str {
    match kind {
        Kind::String | Kind::Json => "the bytes exactly as stored",
        Kind::Hash => "field<TAB>value per line, escaped",
        Kind::ZSet => "score<TAB>member per line, escaped",
        Kind::Stream => "id<TAB>field<TAB>value… per line, escaped",
        _ => "one element per line, escaped",
    }
}
