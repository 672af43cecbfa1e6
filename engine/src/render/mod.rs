//! Rendering: decides nothing. An assessment as text, Markdown or JSON
//! (`assessment`), what-if, reform and diff views (`whatif`), and output
//! escaping per format (`escape`).

pub mod assessment;
pub mod escape;
pub mod whatif;
