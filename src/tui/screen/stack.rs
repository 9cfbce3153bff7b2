//! The screens open over the Browser, the top one shown and given the keys.

use super::{Id, Registry, Screen};

/// The registry and the screens open, bottom first; empty means the Browser.
#[derive(Debug, Default)]
pub struct Stack {
    registry: Registry,
    open: Vec<Box<dyn Screen>>,
    /// Closed screens that asked to be kept ([`Screen::keep`]), shown as they
    /// were when opened again.
    kept: Vec<Box<dyn Screen>>,
}

impl Stack {
    /// No screen open, `registry`'s screens available.
    pub fn new(registry: Registry) -> Stack {
        Stack {
            registry,
            open: Vec::new(),
            kept: Vec::new(),
        }
    }

    /// The screens that can be opened.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The screen shown, if not the Browser.
    pub fn top(&self) -> Option<&dyn Screen> {
        self.open.last().map(|s| &**s)
    }

    /// The screen shown, to change.
    pub fn top_mut(&mut self) -> Option<&mut (dyn Screen + 'static)> {
        self.open.last_mut().map(|s| &mut **s)
    }

    /// The open screen `id`, wherever it is in the stack.
    pub fn get_mut(&mut self, id: Id) -> Option<&mut (dyn Screen + 'static)> {
        self.open
            .iter_mut()
            .find(|s| s.id() == id)
            .map(|s| &mut **s)
    }

    /// Shows screen `section`: brought to the top as it was if open or
    /// kept, else a new one pushed. `None` when no such screen is registered;
    /// `Some(true)` when it is new (and must be started).
    pub fn show(&mut self, section: &str) -> Option<bool> {
        if let Some(i) = self.open.iter().position(|s| s.id().section == section) {
            let screen = self.open.remove(i);
            self.open.push(screen);
            return Some(false);
        }
        if let Some(i) = self.kept.iter().position(|s| s.id().section == section) {
            let screen = self.kept.remove(i);
            self.open.push(screen);
            return Some(false);
        }
        let entry = self.registry.get(section)?;
        self.open.push((entry.open)());
        Some(true)
    }

    /// Closes the top screen; what was below shows again.
    pub fn pop(&mut self) {
        if let Some(screen) = self.open.pop() {
            self.park(screen);
        }
    }

    /// Closes screen `id` wherever it is in the stack.
    pub fn close(&mut self, id: Id) {
        if let Some(i) = self.open.iter().position(|s| s.id() == id) {
            let screen = self.open.remove(i);
            self.park(screen);
        }
    }

    /// Closes every screen: the Browser shows.
    pub fn clear(&mut self) {
        for screen in std::mem::take(&mut self.open) {
            self.park(screen);
        }
    }

    /// Keeps a closed screen that asks to be kept, else drops it.
    fn park(&mut self, screen: Box<dyn Screen>) {
        if screen.keep() {
            self.kept.retain(|s| s.id() != screen.id());
            self.kept.push(screen);
        }
    }

    /// The screens open, bottom first.
    pub fn ids(&self) -> Vec<Id> {
        self.open.iter().map(|s| s.id()).collect()
    }
}
