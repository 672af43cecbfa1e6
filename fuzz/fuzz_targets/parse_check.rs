//! Rule parsing and checking on arbitrary bytes: never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tiers::load_pack_from(vec![("fuzz.rules".to_string(), data.to_vec())]);
    if let Ok(src) = std::str::from_utf8(data) {
        let formatted = tiers::fmt::format(src);
        assert_eq!(tiers::fmt::format(&formatted), formatted, "fmt is not idempotent");
    }
});
