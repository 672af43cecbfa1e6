//! The small wording helpers the what-if explanations share: a fact as
//! YAML, a sentence with its full stop, a list cut short. Text only; they
//! decide nothing.

use crate::facts::Fact;

/// A fact as it would read in a facts file (`cumulative`, `20`,
/// `[adult_sex, child_sex]`; a record is `{...}`).
pub fn fact_text(f: &Fact) -> String {
    match f {
        Fact::Null => "null".into(),
        Fact::Bool(b) => b.to_string(),
        Fact::Num(n) => crate::text::num::fmt_num(*n),
        Fact::Text(t) => t.to_string(),
        Fact::List(xs) => format!(
            "[{}]",
            xs.iter().map(fact_text).collect::<Vec<_>>().join(", ")
        ),
        Fact::Record(_) => "{...}".into(),
    }
}

/// The text with a full stop at its end.
pub(super) fn sentence(text: &str) -> String {
    let t = text.trim_end();
    if t.ends_with(['.', '!', '?']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

/// Joins at most `n` items, then "and N more".
pub(super) fn join_limited(items: &[String], n: usize) -> String {
    if items.len() <= n {
        items.join(", ")
    } else {
        format!("{}, and {} more", items[..n].join(", "), items.len() - n)
    }
}
