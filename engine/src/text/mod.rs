//! Text at the bottom of the crate: how a number is written (`num`) and how
//! a string is escaped for where it goes (`escape`: terminal, Markdown,
//! HTML). Every stage above may use it; it uses nothing of the crate.

pub mod escape;
pub mod num;

/// A sentence with the spaces an empty placeholder left behind removed:
/// runs of spaces become one, and none lead or trail. (`"{a} {b}"` with an
/// empty `a` would otherwise start with a space.) Only the ASCII space is
/// touched; a line break a template writes stays.
pub fn tidy_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim_matches(' ').chars() {
        if !(c == ' ' && out.ends_with(' ')) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::tidy_spaces;

    #[test]
    fn empty_placeholders_leave_no_double_space() {
        assert_eq!(tidy_spaces("Efforts.  Because x."), "Efforts. Because x.");
        assert_eq!(tidy_spaces(" A  b   c "), "A b c");
        assert_eq!(tidy_spaces("line\n  next"), "line\n next");
        assert_eq!(tidy_spaces(""), "");
    }
}
