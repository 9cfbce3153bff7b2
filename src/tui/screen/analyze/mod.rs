//! The Analyze screen: what the database holds, per prefix and per key,
//! what never expires and what will, with what the analysis costs said
//! before it runs and asked about above the configured budget.

mod state;
mod table;
mod view;

pub use state::{Analyze, DEFAULT_BUDGET, ENTRY, ID};
