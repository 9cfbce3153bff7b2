//! Draws the whole screen from `&App`; reads, never writes.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::app::{App, Mode};
use super::keymap::Context;
use super::panes::{Pane, console, keys, monitor, value};
use super::widgets::bars::{Status, Title};
use super::widgets::filter::Filter;
use super::widgets::help::Help;

/// The help overlay for the open screen or the focused pane.
pub fn help(app: &App) -> Help<'_> {
    let screen = app.screens().top().map(|s| Context::Screen(s.id()));
    Help {
        keymap: &app.keymap,
        theme: &app.theme,
        focus: screen.unwrap_or(context(app.focus)),
        fixed: if screen.is_none() && app.focus == Pane::Console {
            console::view::hints()
        } else {
            Vec::new()
        },
        offset: app.help_offset,
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
        host: &app.host,
        health: &app.health,
        read_only: app.read_only,
        frugal: app.cost.frugal,
        profile: app.profile.as_ref(),
        theme: &app.theme,
    }
}

/// Renders every part of the screen: the open screen, or the Browser.
pub fn draw(app: &App, frame: &mut Frame) {
    let areas = super::layout::Areas::new(frame.area());
    if let Some(screen) = app.screens().top() {
        frame.render_widget(title(app), areas.title);
        let body = Rect::new(
            areas.title.x,
            areas.title.bottom(),
            areas.title.width,
            areas.status.y.saturating_sub(areas.title.bottom()),
        );
        screen.render(body, frame.buffer_mut(), &app.theme);
        let hints = app.keymap.hints(Context::Screen(screen.id()));
        frame.render_widget(
            Status {
                hints: &hints,
                notice: app.notice.as_ref(),
                theme: &app.theme,
            },
            areas.status,
        );
        if matches!(app.mode, Mode::Help) {
            frame.render_widget(help(app), frame.area());
        }
        return;
    }
    let t = &app.theme;
    frame.render_widget(title(app), areas.title);
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
        },
        areas.value,
    );
    frame.render_widget(
        console::view::View {
            state: &app.console,
            theme: t,
            focused: app.focus == Pane::Console,
        },
        areas.console,
    );
    if app.focus == Pane::Console && matches!(app.mode, Mode::Normal) {
        let view = console::view::View {
            state: &app.console,
            theme: t,
            focused: true,
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
    let ctx = context(app.focus);
    // The console's line takes every key, so the keymap's hints do not apply there.
    let hints = match (&app.mode, app.focus) {
        (Mode::Edit(form), _) => value::edit_view::hints(form),
        (_, Pane::Console) => console::view::hints(),
        _ => app.keymap.hints(ctx),
    };
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
                },
                screen,
            );
        }
        Mode::Ask(ask) => frame.render_widget(
            super::widgets::dialog::View {
                dialog: &ask.dialog,
                theme: t,
            },
            frame.area(),
        ),
        Mode::Help => frame.render_widget(help(app), frame.area()),
        Mode::Search(prompt) | Mode::Filter(prompt) => {
            let (pane, title) = if matches!(app.mode, Mode::Search(_)) {
                (areas.value, app.value.search_title())
            } else {
                (
                    areas.keys,
                    " MATCH (Enter applies, Esc cancels) ".to_string(),
                )
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
