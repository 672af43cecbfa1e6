//! The examples in docs/ are real: each ```rules block of
//! docs/language.md checks clean when added to the blocks before it, and
//! the README's quick start matches the binary's output.

use tiers_tests::root;

fn blocks(doc: &str, lang: &str) -> Vec<String> {
    let mut out = vec![];
    let mut cur: Option<String> = None;
    for line in doc.lines() {
        match &mut cur {
            None if line.trim() == format!("```{lang}") => cur = Some(String::new()),
            Some(b) if line.trim() == "```" => {
                out.push(std::mem::take(b));
                cur = None;
            }
            Some(b) => {
                b.push_str(line);
                b.push('\n');
            }
            None => {}
        }
    }
    out
}

#[test]
fn language_examples_check() {
    let doc = std::fs::read_to_string(root().join("docs/language.md")).expect("docs/language.md");
    let examples = blocks(&doc, "rules");
    assert!(
        examples.len() >= 5,
        "expected the examples of docs/language.md"
    );
    let mut acc = String::new();
    for (i, ex) in examples.iter().enumerate() {
        acc.push_str(ex);
        if let Err(f) =
            tiers::load_pack_from(vec![("docs/language.md".into(), acc.clone().into_bytes())])
        {
            panic!(
                "example {} of docs/language.md does not check:\n{}\n{ex}",
                i + 1,
                f.render()
            );
        }
    }
}

#[test]
fn readme_quick_start_is_current() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let shown = blocks(&readme, "text");
    let shown = shown.first().expect("a ```text block in the README");
    let pack = tiers_tests::tvpa();
    let facts = tiers::case::load(
        &pack,
        &root().join("cases/2017/jamaica.yaml"),
        Default::default(),
    )
    .unwrap_or_else(|e| panic!("{}", e.render()));
    let out = tiers::explain::render(
        &tiers::evaluate(&pack, &facts),
        tiers::explain::Format::Text,
    );
    for line in shown.lines().filter(|l| l.trim() != "...") {
        assert!(
            out.lines().any(|o| o == line),
            "README line not in `tiers assess` output:\n{line}\n\noutput:\n{out}"
        );
    }
}

/// Splits a command line on spaces, keeping 'single-quoted' words whole.
fn words(line: &str) -> Vec<String> {
    let mut out = vec![];
    let mut cur = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '\'' => quoted = !quoted,
            ' ' if !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Runs every `$ tiers ...` block of the guides and compares the output
/// (stdout, then stderr). A block with a `...` line compares the lines
/// before it with the start and the lines after it with the end. With
/// `TIERS_BLESS_DOCS=1`, blocks without `...` are rewritten instead: review
/// the result with `git diff docs/`.
#[test]
fn guide_commands_print_what_the_guides_show() {
    tiers_tests::stricter_pack(&root().join("target/guide-example/stricter"));
    for guide in [
        "docs/guide-legal-advisors.md",
        "docs/guide-rule-maintainers.md",
    ] {
        let doc = std::fs::read_to_string(root().join(guide)).expect("guide");
        let examples = blocks(&doc, "console");
        assert!(examples.len() >= 3, "{guide} should show commands");
        for ex in examples {
            let mut lines = ex.lines();
            let cmd = lines.next().unwrap_or_default();
            let args = words(
                cmd.strip_prefix("$ tiers ")
                    .unwrap_or_else(|| panic!("{guide}: `{cmd}` is not a tiers command")),
            );
            let out = std::process::Command::new(tiers_tests::bin())
                .args(&args)
                .current_dir(root())
                .output()
                .expect("runs");
            let got = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            let got: Vec<&str> = got.trim_end().lines().collect();
            let want: Vec<&str> = lines.collect();
            if std::env::var("TIERS_BLESS_DOCS").is_ok_and(|v| v == "1") && !want.contains(&"...") {
                // rewrite the block with what the command prints now
                let doc = std::fs::read_to_string(root().join(guide)).expect("guide");
                let old_block = format!("{cmd}\n{}", want.join("\n"));
                let new_block = format!("{cmd}\n{}", got.join("\n"));
                std::fs::write(root().join(guide), doc.replacen(&old_block, &new_block, 1))
                    .expect("write");
                continue;
            }
            match want.iter().position(|l| *l == "...") {
                // `...` elides the middle: the lines around it open and close the output
                Some(i) => {
                    assert!(
                        got.starts_with(&want[..i]),
                        "{guide}: `{cmd}` starts differently:\n{}",
                        got.join("\n")
                    );
                    assert!(
                        got.ends_with(&want[i + 1..]),
                        "{guide}: `{cmd}` ends differently:\n{}",
                        got.join("\n")
                    );
                }
                None => assert_eq!(got, want, "{guide}: `{cmd}` prints something else"),
            }
        }
    }
}

/// docs/sources.md lists every source the pack declares, with its address.
#[test]
fn sources_page_lists_every_declared_source() {
    let doc = std::fs::read_to_string(root().join("docs/sources.md")).expect("docs/sources.md");
    let pack = tiers_tests::tvpa();
    assert!(
        !pack.cite_sources.is_empty(),
        "the pack declares no sources"
    );
    for s in &pack.cite_sources {
        assert!(
            doc.contains(&format!("`{}`", s.id)) && doc.contains(&s.url),
            "docs/sources.md does not list `{}` ({})",
            s.id,
            s.url
        );
    }
}

/// Every cite in every shipped case's JSON starts with a source id that
/// the document's `sources` maps to a title and a public address.
#[test]
fn every_cite_in_every_case_names_a_source_with_a_url() {
    let pack = tiers_tests::tvpa();
    let mut files = vec![];
    let mut dirs = vec![root().join("cases")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("cases").flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml") {
                files.push(p);
            }
        }
    }
    assert!(files.len() > 10, "expected the shipped cases");
    for f in files {
        let Ok(facts) = tiers::case::load(&pack, &f, Default::default()) else {
            continue; // a scenario file, or one that does not load (tests/cases.rs reports it)
        };
        let json = tiers::explain::to_json(&tiers::evaluate(&pack, &facts));
        let sources = json["sources"].as_object().expect("a `sources` object");
        let cites = json["criteria"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(json["placement"]["steps"].as_array().into_iter().flatten())
            .flat_map(|c| c["cites"].as_array().cloned().unwrap_or_default());
        for cite in cites {
            let cite = cite.as_str().unwrap_or_default();
            let id = cite.split_whitespace().next().unwrap_or_default();
            let s = sources.get(id).unwrap_or_else(|| {
                panic!(
                    "{}: cite `{cite}` names no source in `sources`",
                    f.display()
                )
            });
            assert!(
                s["title"].as_str().is_some_and(|t| !t.is_empty())
                    && s["url"].as_str().is_some_and(|u| u.starts_with("https://")),
                "{}: source `{id}` lacks a title or an https address",
                f.display()
            );
            assert!(
                cite.len() > id.len() + 1,
                "{}: cite `{cite}` has no pinpoint",
                f.display()
            );
        }
    }
}
