//! The engine's layout keeps the promises of docs/architecture.md:
//! no import cycle between the library's stages, no source file over
//! `MAX_FILE_LINES` lines, no function over `MAX_FN_LINES` lines.
//!
//! A stage is a top-level module of `engine/src` (`check`, `eval`,
//! `facts`, ...; a directory and its files are one stage). A stage uses
//! another when one of its files names `crate::other` (in a `use` or a
//! path). The crate root (`lib.rs`) wires the stages together and is not a
//! stage; `bin/` is the command-line program, outside the library.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use tiers_tests::root;

const MAX_FILE_LINES: usize = 700;
const MAX_FN_LINES: usize = 120;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("engine/src is readable")
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn src() -> PathBuf {
    root().join("engine/src")
}

/// The stage a file belongs to: `check/names.rs` -> `check`, `eval.rs` ->
/// `eval`; `None` for the crate root and the binary.
fn stage_of(rel: &Path) -> Option<String> {
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    if first == "bin" || first == "lib.rs" {
        return None;
    }
    Some(first.trim_end_matches(".rs").to_string())
}

/// Code without comments (line comments and doc comments), so a doc link
/// such as [`crate::diag::Failure::render`] is not a dependency.
fn code_lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect()
}

fn uses(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in code_lines(text) {
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            let after = &rest[i + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
                out.insert(name);
            }
            rest = after;
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = vec![];
    sources(&src(), &mut files);
    let stages: BTreeSet<String> = files
        .iter()
        .filter_map(|p| stage_of(p.strip_prefix(src()).unwrap()))
        .collect();
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for p in &files {
        let Some(stage) = stage_of(p.strip_prefix(src()).unwrap()) else {
            continue;
        };
        let text = std::fs::read_to_string(p).unwrap();
        let entry = g.entry(stage.clone()).or_default();
        for u in uses(&text) {
            if u != stage && stages.contains(&u) {
                entry.insert(u);
            }
        }
    }
    g
}

/// Every cycle's stages, as found by a depth-first search (one per
/// back edge).
fn cycles(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        found: &mut Vec<Vec<String>>,
    ) {
        if let Some(i) = stack.iter().position(|s| s == n) {
            let mut c = stack[i..].to_vec();
            c.push(n.to_string());
            found.push(c);
            return;
        }
        if done.contains(n) {
            return;
        }
        stack.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            visit(m, g, stack, done, found);
        }
        stack.pop();
        done.insert(n.to_string());
    }
    let mut found = vec![];
    let mut done = BTreeSet::new();
    for n in g.keys() {
        visit(n, g, &mut vec![], &mut done, &mut found);
    }
    found
}

#[test]
fn no_import_cycle_between_stages() {
    let g = graph();
    let found = cycles(&g);
    let shown: Vec<String> = found.iter().map(|c| c.join(" -> ")).collect();
    assert!(
        found.is_empty(),
        "import cycles between stages of engine/src:\n  {}\n(the graph: {g:#?})",
        shown.join("\n  ")
    );
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.entry("a".into()).or_default().insert("b".into());
    g.entry("b".into()).or_default().insert("c".into());
    g.entry("c".into()).or_default().insert("a".into());
    g.entry("d".into()).or_default().insert("a".into());
    assert_eq!(cycles(&g), vec![vec!["a", "b", "c", "a"]]);
    g.get_mut("c").unwrap().clear();
    assert!(cycles(&g).is_empty());
    assert_eq!(
        uses("use crate::diag::Span; // crate::eval is only named here\nlet x = crate::text::num::fmt_num(1.0);"),
        ["diag", "text"].into_iter().map(String::from).collect()
    );
}

#[test]
fn no_source_file_is_too_long() {
    let mut files = vec![];
    sources(&src(), &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|p| {
            let n = std::fs::read_to_string(p).unwrap().lines().count();
            (n > MAX_FILE_LINES).then(|| format!("{} ({n} lines)", p.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_FILE_LINES} lines (split them by concern, see docs/architecture.md):\n  {}",
        long.join("\n  ")
    );
}

/// Functions as (name, first line, length): from a line whose code starts
/// with `fn` (after `pub`, `pub(crate)`, `const`, ...) to the line that
/// closes its body at the same indentation.
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = vec![];
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        let indent = l.len() - t.len();
        let t2 = t
            .trim_start_matches("pub(crate) ")
            .trim_start_matches("pub(super) ")
            .trim_start_matches("pub ")
            .trim_start_matches("const ")
            .trim_start_matches("unsafe ");
        let Some(rest) = t2.strip_prefix("fn ") else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let close = format!("{}}}", " ".repeat(indent));
        if l.trim_end().ends_with(';') || l.trim_end().ends_with('}') {
            continue; // a declaration or a one-line body
        }
        if let Some(end) = lines[i + 1..].iter().position(|m| m.trim_end() == close) {
            out.push((name, i + 1, end + 2));
        }
    }
    out
}

#[test]
fn no_function_is_too_long() {
    let mut files = vec![];
    sources(&src(), &mut files);
    let mut long = vec![];
    for p in &files {
        let text = std::fs::read_to_string(p).unwrap();
        for (name, line, len) in functions(&text) {
            if len > MAX_FN_LINES {
                long.push(format!("{}:{line} fn {name} ({len} lines)", p.display()));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FN_LINES} lines (split them into named steps):\n  {}",
        long.join("\n  ")
    );
}

#[test]
fn the_function_measure_counts_a_body() {
    let text = "impl X {\n    pub fn a(&self) -> u8 {\n        1\n    }\n}\nfn b() {}\nfn c(\n    x: u8,\n) {\n    x;\n}\n";
    assert_eq!(
        functions(text),
        vec![("a".to_string(), 2, 3), ("c".to_string(), 7, 5)]
    );
}
