//! Assessment of arbitrary facts with the shipped pack: every file that
//! loads assesses without a panic, and the fast path agrees with the full one.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tiers::case::{load_bytes, LoadOptions};

thread_local! {
    static PACK: tiers::RulePack = tiers::load_pack(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/tvpa")))
        .unwrap_or_else(|f| panic!("the shipped pack must check:\n{}", f.render()));
}

fuzz_target!(|data: &[u8]| {
    PACK.with(|pack| {
        // fuzz inputs rarely hold `country` and `year`: add them when absent
        let mut bytes = data.to_vec();
        if !data.starts_with(b"country:") {
            let mut head = b"country: Fuzzland\nyear: 2023\n".to_vec();
            head.extend_from_slice(data);
            bytes = head;
        }
        if let Ok(facts) = load_bytes(pack, "fuzz.yaml", &bytes, LoadOptions::default()) {
            let a = tiers::evaluate(pack, &facts);
            let _ = tiers::explain::render(&a, tiers::explain::Format::Text);
            let _ = tiers::explain::render(&a, tiers::explain::Format::Json);
            let d = tiers::eval::decide(pack, &facts);
            assert_eq!(d.tier.as_deref(), a.tier.as_deref());
        }
    });
});
