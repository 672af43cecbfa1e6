//! Rule-file syntax: the grammar, the typed syntax tree, the parser (the
//! only place that sees pest) and the canonical layout (`tiers fmt`).

pub mod ast;
pub mod fmt;
pub mod parse;
