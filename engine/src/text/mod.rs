//! Text at the bottom of the crate: how a number is written (`num`) and how
//! a string is escaped for where it goes (`escape`: terminal, Markdown,
//! HTML). Every stage above may use it; it uses nothing of the crate.

pub mod escape;
pub mod num;
