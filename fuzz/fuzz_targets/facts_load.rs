//! Facts loading against the shipped pack on arbitrary bytes: never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tiers::case::{load_bytes, LoadOptions};

thread_local! {
    static PACK: tiers::RulePack = tiers::load_pack(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/tvpa")))
        .unwrap_or_else(|f| panic!("the shipped pack must check:\n{}", f.render()));
}

fuzz_target!(|data: &[u8]| {
    PACK.with(|pack| {
        let _ = load_bytes(pack, "fuzz.yaml", data, LoadOptions::default());
    });
});
