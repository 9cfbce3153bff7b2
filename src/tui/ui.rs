//! Draws the whole screen from `&App`; reads, never writes.

use ratatui::Frame;

use super::app::{App, Mode};
use super::keymap::{Action, Context, Hint};
use super::layout::Areas;
use super::panes::{Pane, View, console, value};
use super::widgets::bars::{Status, Title};
use super::widgets::help::Help;

/// The help overlay for the open screen or the focused pane.
pub fn help(app: &App) -> Help<'_> {
    let screen = app.screens().top().map(|s| Context::Screen(s.id()));
    Help {
        keymap: app.keymap(),
        theme: app.theme(),
        focus: screen.unwrap_or(context(app.focus())),
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
        _ => match app.screens().top() {
            Some(screen) => km.hints(Context::Screen(screen.id())),
            None if app.focus() == Pane::Console => console::view::hints(app.console(), km),
            None => km.hints(context(app.focus())),
        },
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

/// The title bar.
fn title(app: &App) -> Title<'_> {
    Title {
        host: app.host(),
        health: app.health(),
        read_only: app.read_only(),
        frugal: app.cost().frugal,
        profile: app.profile(),
        theme: app.theme(),
    }
}

/// Renders every part of the screen: the open screen, or the Browser.
pub fn draw(app: &App, frame: &mut Frame) {
    let areas = Areas::new(frame.area());
    let t = app.theme();
    let view = View {
        theme: t,
        focused: true,
        keymap: app.keymap(),
    };
    frame.render_widget(title(app), areas.title);
    match app.screens().top() {
        Some(screen) => screen.draw(frame, super::screen::body(frame.area()), &view),
        None => browser(app, frame, &areas),
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
                dialog.draw(frame, frame.area(), &view);
            }
        }
    }
}

/// Draws the four panes.
fn browser(app: &App, frame: &mut Frame, areas: &Areas) {
    let t = app.theme();
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
}
