//! What `tiers whatif` and `tiers assess` do with a scenario file and
//! `--set` arguments, on arbitrary input. The first line holds `--set`
//! arguments (`PATH=VALUE`, several separated by `;;`), the rest is a
//! scenario file read as if it were `cases/scenarios/fuzz.yaml`, so its
//! `base:` can name the shipped cases (`../2017/jamaica.yaml`) or anything
//! else. Never a panic; a change that is accepted leaves facts that load
//! as a facts file would; text and Markdown, escaped for the terminal,
//! hold no control character; JSON parses.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tiers::case::{load_bytes, LoadOptions};
use tiers::explain::Format;

thread_local! {
    static PACK: tiers::RulePack = tiers::load_pack(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/tvpa")))
        .unwrap_or_else(|f| panic!("the shipped pack must check:\n{}", f.render()));
}

const AS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../cases/scenarios/fuzz.yaml");

fn clean(text: &str) {
    let shown = tiers::escape::terminal(text);
    assert!(
        !shown.chars().any(tiers::escape::is_unsafe),
        "unsafe output: {shown:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    let (sets, scenario) = match data.iter().position(|b| *b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let sets = String::from_utf8_lossy(sets);
    PACK.with(|pack| {
        // the scenario file, as `tiers assess` loads it
        let opts = LoadOptions::default();
        let Ok(before) = load_bytes(pack, AS, scenario, opts) else {
            return;
        };
        // the --set arguments, as `tiers whatif` parses and applies them
        let changes: Vec<_> = sets
            .split(";;")
            .filter(|s| !s.is_empty())
            .filter_map(|s| tiers::scenario::parse_set(pack, s, opts.this_year).ok())
            .collect();
        let mut after = before.clone();
        if tiers::scenario::apply_all(pack, &mut after, &changes, opts.this_year).is_err() {
            return;
        }
        // accepted changes leave facts a facts file could hold
        if let Err(ds) = tiers::facts::recheck(pack, &after, opts.this_year) {
            panic!(
                "accepted changes made facts that do not load: {}",
                ds[0].message
            );
        }
        let (a, b) = (
            tiers::evaluate(pack, &before),
            tiers::evaluate(pack, &after),
        );
        for f in [Format::Text, Format::Md] {
            clean(&tiers::explain::render(&b, f));
        }
        let json = tiers::explain::render(&b, Format::Json);
        assert!(
            serde_json::from_str::<serde_json::Value>(&json).is_ok(),
            "bad JSON"
        );
        let shown: Vec<String> = changes.iter().map(|c| c.path.clone()).collect();
        let delta = tiers::whatif::compare(a, b);
        for f in [Format::Text, Format::Md] {
            clean(&tiers::report::delta(&delta, &shown, None, f));
        }
    });
});
