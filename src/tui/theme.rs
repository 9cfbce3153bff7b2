//! Colours and the Redis type badges.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders};

use crate::config::ThemeName;

/// A Redis value type as the Keys pane shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    #[default]
    Unknown,
    String,
    Hash,
    List,
    Set,
    ZSet,
    Stream,
    Json,
    /// The key no longer exists (`TYPE` said `none`).
    Gone,
    Other,
}

impl Kind {
    /// The type filters `t` cycles through, `None` meaning all types.
    pub const FILTERS: [Option<&'static str>; 8] = [
        None,
        Some("string"),
        Some("hash"),
        Some("list"),
        Some("set"),
        Some("zset"),
        Some("stream"),
        Some("ReJSON-RL"),
    ];

    /// Reads the name `TYPE` or `WITHTYPE` returns.
    pub fn parse(name: &str) -> Kind {
        match name {
            "string" => Kind::String,
            "hash" => Kind::Hash,
            "list" => Kind::List,
            "set" => Kind::Set,
            "zset" => Kind::ZSet,
            "stream" => Kind::Stream,
            "ReJSON-RL" | "json" => Kind::Json,
            "none" => Kind::Gone,
            _ => Kind::Other,
        }
    }

    /// The four-cell badge drawn before a key.
    pub fn badge(self) -> &'static str {
        match self {
            Kind::Unknown => " ·  ",
            Kind::String => "STR ",
            Kind::Hash => "HASH",
            Kind::List => "LIST",
            Kind::Set => "SET ",
            Kind::ZSet => "ZSET",
            Kind::Stream => "STRM",
            Kind::Json => "JSON",
            Kind::Gone => "GONE",
            Kind::Other => "??? ",
        }
    }
}

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

    /// The badge style for a type.
    pub fn badge(&self, kind: Kind) -> Style {
        if self.mono {
            return Style::new().add_modifier(Modifier::BOLD);
        }
        let bg = match kind {
            Kind::Unknown => return self.dim,
            Kind::String => Color::Green,
            Kind::Hash => Color::Blue,
            Kind::List => Color::Magenta,
            Kind::Set => Color::Yellow,
            Kind::ZSet => Color::Cyan,
            Kind::Stream => Color::LightRed,
            Kind::Json => Color::LightBlue,
            Kind::Gone => Color::DarkGray,
            Kind::Other => Color::Gray,
        };
        Style::new().fg(Color::Black).bg(bg)
    }
}
