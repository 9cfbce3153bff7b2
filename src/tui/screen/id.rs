//! A screen's name, apart from the rest of the module so that the loop's
//! vocabulary (`Msg`, `Effect`) can name a screen without depending on it.

/// A screen's name: `section` names its keymap section and its entry in
/// `[screens]`; `name` is what the user reads (title bar, help, palette).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id {
    pub section: &'static str,
    pub name: &'static str,
}
