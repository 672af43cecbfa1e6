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
