//! Draws the whole screen from `&App`; reads, never writes.

use ratatui::Frame;

use super::app::{App, Mode};
use super::keymap::{Action, Context, Hint};
use super::panes::{Pane, View, console, value};
use super::widgets::bars::{Status, Title};
use super::widgets::help::Help;

/// The help overlay for the focused pane.
pub fn help(app: &App) -> Help<'_> {
    Help {
        keymap: app.keymap(),
        theme: app.theme(),
        focus: context(app.focus()),
        offset: app.help_offset(),
    }
}

/// The status bar's hints for what has the keyboard, from the keymap.
pub fn hints(app: &App) -> Vec<Hint> {
    let km = app.keymap();
    match (app.mode(), app.focus()) {
        (Mode::Edit(edit), _) => value::edit_view::hints(&edit.form, km),
        (Mode::Filter(_) | Mode::Search(_), _) => km.pick(
            Context::Filter,
            &[
                (&[Action::Apply], "apply"),
                (&[Action::Cancel], "cancel"),
                (&[Action::HistoryPrev], "the pattern in use"),
            ],
        ),
        (Mode::Palette(_), _) => km.pick(
            Context::Palette,
            &[
                (&[Action::Apply], "run"),
                (&[Action::Up, Action::Down], "choose"),
                (&[Action::Cancel], "close"),
            ],
        ),
        (_, Pane::Console) => console::view::hints(app.console(), km),
        _ => km.hints(context(app.focus())),
    }
}

fn context(pane: Pane) -> Context {
    match pane {
        Pane::Keys => Context::Keys,
        Pane::Value => Context::Value,
        Pane::Console => Context::Console,
        Pane::Monitor => Context::Monitor,
    }
}

/// Renders every part of the screen.
pub fn draw(app: &App, frame: &mut Frame) {
    let areas = super::layout::Areas::new(frame.area());
    let t = app.theme();
    frame.render_widget(
        Title {
            host: app.host(),
            health: app.health(),
            read_only: app.read_only(),
            frugal: app.cost().frugal,
            profile: app.profile(),
            theme: t,
        },
        areas.title,
    );
    for pane in Pane::ALL {
        let area = match pane {
            Pane::Keys => areas.keys,
            Pane::Value => areas.value,
            Pane::Console => areas.console,
            Pane::Monitor => areas.monitor,
        };
        let view = View {
            theme: t,
            focused: app.focus() == pane,
            keymap: app.keymap(),
        };
        app.pane(pane).draw(frame, area, &view);
    }
    // The console's line has the terminal's cursor while nothing else is open.
    if app.focus() == Pane::Console && app.mode().is_normal() {
        let view = console::view::View {
            state: app.console(),
            theme: t,
            focused: true,
            keymap: app.keymap(),
        };
        if let Some(at) = view.cursor(areas.console) {
            frame.set_cursor_position(at);
        }
    }
    let hints = hints(app);
    frame.render_widget(
        Status {
            hints: &hints,
            notice: app.notice(),
            theme: t,
        },
        areas.status,
    );
    match app.mode() {
        Mode::Help => frame.render_widget(help(app), frame.area()),
        mode => {
            if let Some(dialog) = mode.dialog() {
                let view = View {
                    theme: t,
                    focused: true,
                    keymap: app.keymap(),
                };
                dialog.draw(frame, frame.area(), &view);
            }
        }
    }
}
