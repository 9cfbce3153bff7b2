//! Colours and the Redis type badges.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders};

use crate::config::ThemeName;
use crate::value::Kind;

/// The palette every view draws with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub border: Style,
    pub border_focused: Style,
    pub title: Style,
    pub selected: Style,
    pub folder: Style,
    pub dim: Style,
    pub error: Style,
    pub ok: Style,
    pub warn: Style,
    pub hint_key: Style,
    /// No colours at all (type badges are plain text).
    pub mono: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            border: Style::new().fg(Color::DarkGray),
            border_focused: Style::new().fg(Color::Cyan),
            title: Style::new().add_modifier(Modifier::BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            folder: Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
            dim: Style::new().fg(Color::DarkGray),
            error: Style::new().fg(Color::Red),
            ok: Style::new().fg(Color::Green),
            warn: Style::new().fg(Color::Yellow),
            hint_key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            mono: false,
        }
    }
}

impl Theme {
    /// The bordered block of a pane, its border lit when the pane has focus.
    pub fn pane_block<'a>(&self, title: &'a str, focused: bool) -> Block<'a> {
        Block::default()
            .borders(Borders::ALL)
            .border_style(self.border(focused))
            .title(Span::styled(title, self.title))
    }

    /// The border style of a pane with or without focus.
    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.border_focused
        } else {
            self.border
        }
    }

    /// The palette of a theme named in the config file.
    pub fn of(name: ThemeName) -> Theme {
        let dark = Theme::default();
        match name {
            ThemeName::Dark => dark,
            ThemeName::Light => Theme {
                border: Style::new().fg(Color::Gray),
                border_focused: Style::new().fg(Color::Blue),
                dim: Style::new().fg(Color::DarkGray),
                folder: Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD),
                hint_key: Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
                ..dark
            },
            ThemeName::Mono => Theme {
                border: Style::new(),
                border_focused: Style::new().add_modifier(Modifier::BOLD),
                folder: Style::new().add_modifier(Modifier::BOLD),
                dim: Style::new(),
                error: Style::new().add_modifier(Modifier::BOLD),
                ok: Style::new(),
                warn: Style::new(),
                hint_key: Style::new().add_modifier(Modifier::BOLD),
                mono: true,
                ..dark
            },
        }
    }

    /// The four-cell badge drawn before a key of `kind` (`None`: not known yet).
    pub fn badge(&self, kind: Option<&Kind>) -> Span<'static> {
        let (text, bg) = match kind {
            None => return Span::styled(" ·  ", if self.mono { MONO_BADGE } else { self.dim }),
            Some(Kind::String) => ("STR ", Color::Green),
            Some(Kind::Hash) => ("HASH", Color::Blue),
            Some(Kind::List) => ("LIST", Color::Magenta),
            Some(Kind::Set) => ("SET ", Color::Yellow),
            Some(Kind::ZSet) => ("ZSET", Color::Cyan),
            Some(Kind::Stream) => ("STRM", Color::LightRed),
            Some(Kind::Json) => ("JSON", Color::LightBlue),
            Some(Kind::Missing) => ("GONE", Color::DarkGray),
            Some(Kind::Other(_)) => ("??? ", Color::Gray),
        };
        let style = if self.mono {
            MONO_BADGE
        } else {
            Style::new().fg(Color::Black).bg(bg)
        };
        Span::styled(text, style)
    }
}

/// Badges without colours: the type is in the text.
const MONO_BADGE: Style = Style::new().add_modifier(Modifier::BOLD);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_has_a_four_cell_badge() {
        let dark = Theme::default();
        let tsdb = Kind::Other("TSDB-TYPE".into());
        let cells = |kind: Option<&Kind>| dark.badge(kind).content.into_owned();
        assert_eq!(cells(None), " ·  ");
        assert_eq!(cells(Some(&Kind::ZSet)), "ZSET");
        assert_eq!(cells(Some(&Kind::Json)), "JSON");
        assert_eq!(cells(Some(&Kind::Missing)), "GONE");
        assert_eq!(cells(Some(&tsdb)), "??? ");
        assert_eq!(dark.badge(Some(&Kind::Hash)).style.bg, Some(Color::Blue));
        assert_eq!(dark.badge(None).style, dark.dim);
        let mono = Theme::of(ThemeName::Mono);
        assert_eq!(mono.badge(Some(&tsdb)).style, MONO_BADGE);
        assert_eq!(mono.badge(None).style, MONO_BADGE);
    }
}
