//! Output escaping, per format: what facts, file names and keys carry
//! must not act on the terminal or on a Markdown page. JSON needs nothing
//! here: the serializer escapes control characters and the text stays exact.

use std::borrow::Cow;

/// Whether `c` would act on a terminal instead of showing: C0 and C1
/// control characters (ESC, BEL, CR, NUL...) other than newline and tab,
/// DEL, the bidirectional overrides, embeddings and isolates (which
/// reorder what follows them), and the Unicode line and paragraph
/// separators.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2028}' | '\u{2029}' | '\u{2066}'..='\u{2069}'
        )
}

/// Text for a terminal: every character [`is_unsafe`] is written as a
/// visible escape (`\u{1b}`, `\r`, `\u{202e}`); newlines and tabs stay.
pub fn terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One line of text for a terminal: [`terminal`], and newlines and tabs
/// written as `\n` and `\t` too (for a value shown inside a line).
pub fn terminal_line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) || c == '\n' || c == '\t') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe(c) || c == '\n' || c == '\t' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text inside a Markdown line or table cell: nothing in it can end the
/// cell, start a new line (a heading, a list), open HTML, a link or a code
/// span (`|`, newlines, `<`, `[`, `]`, `` ` ``, `\`); control characters are
/// escaped as for [`terminal`].
pub fn md_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => out.push(' '),
            '\\' => out.push_str("\\\\"),
            '|' => out.push_str("\\|"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '`' => out.push_str("\\`"),
            // `<` opens HTML and autolinks; `>` and `&` alone cannot
            '<' => out.push_str("&lt;"),
            c if is_unsafe(c) => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

/// Paragraphs of prose for Markdown: blank lines separate paragraphs as
/// they did; inside one, a line break becomes a space, and a paragraph
/// cannot start a heading, quote, list or table ([`md_inline`] escapes the
/// rest).
pub fn md_paragraphs(s: &str) -> String {
    s.split("\n\n")
        .map(|p| {
            let line = md_inline(p.trim_matches('\n'));
            let starts_block = line.starts_with(['#', '>', '-', '+', '*', '=', '~'])
                || line
                    .split_once(['.', ')'])
                    .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
            if starts_block {
                format!("\\{line}")
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The fence for a Markdown code block holding `body`: backticks, one more
/// than the longest run of them inside, and at least three.
pub fn md_fence(body: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat((longest + 1).max(3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_what_acts_on_a_terminal() {
        assert_eq!(terminal("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(terminal("bel\u{7}"), "bel\\u{7}");
        assert_eq!(terminal("cr\rnul\0"), "cr\\rnul\\u{0}");
        assert_eq!(terminal("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(terminal("line\nnext\tcol"), "line\nnext\tcol");
        assert_eq!(terminal("§108 → Tier 2"), "§108 → Tier 2");
        assert_eq!(terminal_line("a\nb"), "a\\nb");
    }

    #[test]
    fn markdown_cannot_break_out() {
        assert_eq!(md_inline("a|b\n# h"), "a\\|b # h");
        assert_eq!(md_inline("<img src=x>"), "&lt;img src=x>");
        assert_eq!(md_inline("[x](http://e)"), "\\[x\\](http://e)");
        assert_eq!(
            md_paragraphs("# not a heading\n\nok"),
            "\\# not a heading\n\nok"
        );
        assert_eq!(md_paragraphs("1. item"), "\\1. item");
        assert_eq!(md_fence("a ```` b"), "`````");
    }
}
