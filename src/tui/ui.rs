//! Draws the whole screen from `&App`; reads, never writes.

use ratatui::Frame;

use super::app::{App, Mode};
use super::keymap::{Action, Context, Hint};
use super::palette;
use super::panes::{Pane, console, keys, monitor, value};
use super::widgets::bars::{Status, Title};
use super::widgets::filter::Filter;
use super::widgets::help::Help;

/// The help overlay for the focused pane.
pub fn help(app: &App) -> Help<'_> {
    Help {
        keymap: &app.keymap,
        theme: &app.theme,
        focus: context(app.focus),
        offset: app.help_offset,
    }
}

/// The status bar's hints for what has the keyboard, from the keymap.
pub fn hints(app: &App) -> Vec<Hint> {
    let km = &app.keymap;
    match (&app.mode, app.focus) {
        (Mode::Edit(form), _) => value::edit_view::hints(form, km),
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
        (Mode::Normal, Pane::Console) => console::view::hints(&app.console, km),
        _ => km.hints(context(app.focus)),
    }
}

/// "Enter applies, Esc cancels" in the keys `[filter]` binds.
fn prompt_keys(app: &App, apply: &str, cancel: &str) -> String {
    let key = |a| app.keymap.label(Context::Filter, a, 1);
    match (key(Action::Apply), key(Action::Cancel)) {
        (Some(a), Some(c)) => format!("{a} {apply}, {c} {cancel}"),
        (Some(a), None) => format!("{a} {apply}"),
        (None, Some(c)) => format!("{c} {cancel}"),
        (None, None) => String::new(),
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
    let t = &app.theme;
    frame.render_widget(
        Title {
            host: &app.host,
            health: &app.health,
            read_only: app.read_only,
            frugal: app.cost.frugal,
            profile: app.profile.as_ref(),
            theme: t,
        },
        areas.title,
    );
    frame.render_widget(
        keys::view::View {
            state: &app.keys,
            theme: t,
            focused: app.focus == Pane::Keys,
        },
        areas.keys,
    );
    frame.render_widget(
        value::View {
            state: &app.value,
            theme: t,
            focused: app.focus == Pane::Value,
            keymap: &app.keymap,
        },
        areas.value,
    );
    frame.render_widget(
        console::view::View {
            state: &app.console,
            theme: t,
            focused: app.focus == Pane::Console,
            keymap: &app.keymap,
        },
        areas.console,
    );
    if app.focus == Pane::Console && matches!(app.mode, Mode::Normal) {
        let view = console::view::View {
            state: &app.console,
            theme: t,
            focused: true,
            keymap: &app.keymap,
        };
        if let Some(at) = view.cursor(areas.console) {
            frame.set_cursor_position(at);
        }
    }
    frame.render_widget(
        monitor::view::View {
            state: &app.monitor,
            theme: t,
            focused: app.focus == Pane::Monitor,
        },
        areas.monitor,
    );
    let hints = hints(app);
    frame.render_widget(
        Status {
            hints: &hints,
            notice: app.notice.as_ref(),
            theme: t,
        },
        areas.status,
    );
    match &app.mode {
        Mode::Normal => {}
        Mode::Edit(form) => {
            let view = value::edit_view::FormView { form, theme: t };
            let area = value::edit_view::FormView::area(areas.value);
            let cursor = view.cursor(area);
            frame.render_widget(view, area);
            if let Some(at) = cursor {
                frame.set_cursor_position(at);
            }
        }
        Mode::KeyOp(modal) => {
            let screen = frame.area();
            if let Some(at) = modal.dialog.cursor(modal.dialog.area(screen)) {
                frame.set_cursor_position(at);
            }
            frame.render_widget(
                super::widgets::dialog::View {
                    dialog: &modal.dialog,
                    theme: t,
                    keymap: &app.keymap,
                },
                screen,
            );
        }
        Mode::Ask(ask) => frame.render_widget(
            super::widgets::dialog::View {
                dialog: &ask.dialog,
                theme: t,
                keymap: &app.keymap,
            },
            frame.area(),
        ),
        Mode::Help => frame.render_widget(help(app), frame.area()),
        Mode::Palette(state) => {
            let area = palette::view::View::area(frame.area());
            let title = prompt_title(app);
            let view = palette::view::View {
                state,
                theme: t,
                title: &title,
            };
            let cursor = view.cursor(area);
            frame.render_widget(view, area);
            frame.set_cursor_position(cursor);
        }
        Mode::Search(prompt) | Mode::Filter(prompt) => {
            let (pane, title) = if matches!(app.mode, Mode::Search(_)) {
                let keys = prompt_keys(app, "searches", "cancels");
                (areas.value, app.value.search_title(&keys))
            } else {
                let keys = prompt_keys(app, "applies", "cancels");
                (areas.keys, format!(" MATCH ({keys}) "))
            };
            let area = Filter::area(pane);
            let filter = Filter {
                prompt,
                theme: t,
                title: &title,
            };
            let (x, y) = filter.cursor(area);
            frame.render_widget(filter, area);
            frame.set_cursor_position((x, y));
        }
    }
}

/// The palette's title: what it is and the keys that run and close it.
fn prompt_title(app: &App) -> String {
    let key = |a| app.keymap.label(Context::Palette, a, 1);
    match (key(Action::Apply), key(Action::Cancel)) {
        (Some(a), Some(c)) => format!(" Commands ({a} runs, {c} closes) "),
        _ => " Commands ".to_owned(),
    }
}
