//! How the TUI looks, as the config file says: the colour theme and a
//! profile's colour, read once with the other settings.

use ratatui::style::Color;

use super::ConfigError;

/// The colour themes, by the names `theme` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeName {
    /// Colours for a dark terminal (the default).
    #[default]
    Dark,
    /// Colours for a light terminal.
    Light,
    /// No colours at all: bold and reverse only.
    Mono,
}

impl ThemeName {
    /// Reads `dark` (or `default`), `light` or `mono` (or `none`).
    pub fn parse(text: &str) -> Result<ThemeName, ConfigError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "dark" | "default" => Ok(ThemeName::Dark),
            "light" => Ok(ThemeName::Light),
            "mono" | "none" => Ok(ThemeName::Mono),
            _ => Err(ConfigError::BadValue {
                setting: "theme".into(),
                value: text.into(),
                expected: "dark, light or mono",
            }),
        }
    }
}

/// Reads a profile's `color`: a colour name like `red` or `lightblue`, an
/// index like `208`, or `#rrggbb`.
pub fn parse_color(text: &str, profile: &str) -> Result<Color, ConfigError> {
    text.trim().parse().map_err(|_| ConfigError::BadValue {
        setting: format!("profile \"{profile}\" color"),
        value: text.into(),
        expected: "a colour like red, lightblue, 208 or #ff8800",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn themes_and_colours_parse_or_say_what_they_take() {
        assert_eq!(ThemeName::parse("dark"), Ok(ThemeName::Dark));
        assert_eq!(ThemeName::parse(" Light "), Ok(ThemeName::Light));
        assert_eq!(ThemeName::parse("none"), Ok(ThemeName::Mono));
        assert_eq!(
            ThemeName::parse("neon").unwrap_err().to_string(),
            "config file: theme \"neon\" is not dark, light or mono"
        );
        assert_eq!(parse_color("red", "p"), Ok(Color::Red));
        assert_eq!(parse_color("#ff8800", "p"), Ok(Color::Rgb(255, 136, 0)));
        assert_eq!(
            parse_color("blu", "prod").unwrap_err().to_string(),
            "config file: profile \"prod\" color \"blu\" is not a colour like red, \
             lightblue, 208 or #ff8800"
        );
    }
}
