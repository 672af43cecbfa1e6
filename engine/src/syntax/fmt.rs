//! `tiers fmt`: the canonical layout of a rule file. It changes only
//! whitespace, so comments stay where they are and the file parses to the
//! same syntax tree:
//!
//! - two spaces of indentation per open brace, parenthesis or bracket;
//! - a line that starts with `=>`, `and`, `or`, `because`, `then`, `else`
//!   or `??` (or `when` after a `say`) continues the line above and is
//!   indented one more level;
//! - no trailing spaces, at most one blank line in a row, a blank line
//!   after every top-level block, one newline at the end.

/// Formats rule-file text. Formatting formatted text changes nothing.
pub fn format(src: &str) -> String {
    let mut out: Vec<String> = vec![];
    let mut depth: usize = 0;
    let mut blank = false;
    let mut closed_block = false;
    let mut prev = String::new();
    for raw in src.lines() {
        let line = raw.trim();
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        let (opens, closes_first) = brace_balance(line);
        let level = depth.saturating_sub(closes_first);
        // a block that closed at the top level is followed by a blank line
        if closed_block && level == 0 {
            blank = true;
        }
        if blank && !out.is_empty() {
            out.push(String::new());
        }
        blank = false;
        // `say "..."` may put its `when` on the next line
        let continued =
            is_continuation(line) || (line.starts_with("when ") && prev.starts_with("say "));
        let indent = level + usize::from(continued);
        prev = line.to_string();
        out.push(format!("{}{}", "  ".repeat(indent), line));
        let after = (depth as isize + opens).max(0) as usize;
        closed_block = depth > 0 && after == 0;
        depth = after;
    }
    let mut s = out.join("\n");
    s.push('\n');
    s
}

/// Whether formatting would change the text.
pub fn is_formatted(src: &str) -> bool {
    format(src) == src
}

fn is_continuation(line: &str) -> bool {
    ["=>", "and ", "or ", "because ", "then ", "else ", "??"]
        .iter()
        .any(|p| line.starts_with(p))
}

/// The net change in nesting over a line, and how many closers the line
/// starts with (they dedent the line itself). Brackets in strings and
/// comments do not count.
fn brace_balance(line: &str) -> (isize, usize) {
    let mut net = 0isize;
    let mut leading = 0usize;
    let mut seen_other = false;
    let mut in_str = false;
    let mut escaped = false;
    let mut ph = 0usize;
    for c in line.chars() {
        if in_str {
            if escaped {
                escaped = false;
                continue;
            }
            match c {
                '\\' => escaped = true,
                '{' => ph += 1,
                '}' if ph > 0 => ph -= 1,
                '"' if ph == 0 => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '#' => break,
            '"' => {
                in_str = true;
                seen_other = true;
            }
            '{' | '(' | '[' => {
                net += 1;
                seen_other = true;
            }
            '}' | ')' | ']' => {
                net -= 1;
                if !seen_other {
                    leading += 1;
                }
            }
            c if c.is_whitespace() => {}
            _ => seen_other = true,
        }
    }
    (net, leading)
}
