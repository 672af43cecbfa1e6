//! Rendering: decides nothing. An assessment as text, Markdown or JSON
//! (`assessment`), what-if, reform and diff views (`whatif`), and output
//! escaping per format (`crate::text::escape`, re-exported here).

pub mod assessment;
pub use crate::text::escape;
pub mod whatif;
