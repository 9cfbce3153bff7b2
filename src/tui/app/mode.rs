//! What has the keyboard besides the panes: nothing, the help overlay, or
//! one dialog, each variant its own type.

use super::dialogs::{
    Waiting, ask::Ask, bulk::Bulk, create::Create, delete::Delete, edit::Edit, filter::Filter,
    rename::Rename, search::Search, trash::Trash, ttl::Ttl,
};
use crate::tui::panes::Component;
use crate::tui::panes::value::save;
use crate::tui::widgets::dialog::Dialog;

/// The open dialog, if any.
#[derive(Debug)]
pub enum Mode {
    Normal,
    Help,
    /// Typing a MATCH pattern.
    Filter(Filter),
    /// Typing a search within the open value.
    Search(Search),
    /// Editing, adding or deleting in the Value pane.
    Edit(Box<Edit>),
    /// Saving the open value to a file (`o`).
    Save(Box<save::Prompt>),
    /// A costly action waits for a yes (the frugal profile).
    Ask(Box<Ask>),
    Create(Box<Create>),
    Rename(Box<Rename>),
    Ttl(Box<Ttl>),
    Delete(Box<Delete>),
    Bulk(Box<Bulk>),
    /// The undo list.
    Trash(Box<Trash>),
    /// The command palette.
    Palette(Box<crate::tui::palette::State>),
}

impl Mode {
    /// The open dialog.
    pub fn dialog(&self) -> Option<&dyn Component> {
        Some(match self {
            Mode::Normal | Mode::Help => return None,
            Mode::Filter(d) => d,
            Mode::Search(d) => d,
            Mode::Edit(d) => d.as_ref(),
            Mode::Save(d) => d.as_ref(),
            Mode::Ask(d) => d.as_ref(),
            Mode::Create(d) => d.as_ref(),
            Mode::Rename(d) => d.as_ref(),
            Mode::Ttl(d) => d.as_ref(),
            Mode::Delete(d) => d.as_ref(),
            Mode::Bulk(d) => d.as_ref(),
            Mode::Trash(d) => d.as_ref(),
            Mode::Palette(d) => d.as_ref(),
        })
    }

    /// The open dialog, to hand it a key.
    pub fn dialog_mut(&mut self) -> Option<&mut dyn Component> {
        Some(match self {
            Mode::Normal | Mode::Help => return None,
            Mode::Filter(d) => d,
            Mode::Search(d) => d,
            Mode::Edit(d) => d.as_mut(),
            Mode::Save(d) => d.as_mut(),
            Mode::Ask(d) => d.as_mut(),
            Mode::Create(d) => d.as_mut(),
            Mode::Rename(d) => d.as_mut(),
            Mode::Ttl(d) => d.as_mut(),
            Mode::Delete(d) => d.as_mut(),
            Mode::Bulk(d) => d.as_mut(),
            Mode::Trash(d) => d.as_mut(),
            Mode::Palette(d) => d.as_mut(),
        })
    }

    /// The open key-level dialog, to hand it an answer.
    pub fn waiting_mut(&mut self) -> Option<&mut dyn Waiting> {
        Some(match self {
            Mode::Create(d) => d.as_mut(),
            Mode::Rename(d) => d.as_mut(),
            Mode::Ttl(d) => d.as_mut(),
            Mode::Delete(d) => d.as_mut(),
            Mode::Bulk(d) => d.as_mut(),
            Mode::Trash(d) => d.as_mut(),
            _ => return None,
        })
    }

    /// The box a dialog shows, for those drawn as one.
    pub fn boxed(&self) -> Option<&Dialog> {
        Some(match self {
            Mode::Save(d) => &d.dialog,
            Mode::Ask(d) => &d.dialog,
            Mode::Create(d) => d.dialog(),
            Mode::Rename(d) => d.dialog(),
            Mode::Ttl(d) => d.dialog(),
            Mode::Delete(d) => d.dialog(),
            Mode::Bulk(d) => d.dialog(),
            Mode::Trash(d) => d.dialog(),
            _ => return None,
        })
    }

    /// Whether nothing but the panes has the keyboard.
    pub fn is_normal(&self) -> bool {
        matches!(self, Mode::Normal)
    }
}
