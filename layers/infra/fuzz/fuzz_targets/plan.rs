#![no_main]
//! Plan JSON parser and plan semantics: any input gives findings or an error.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = guard_infra::scan::scan_plan("fuzz.json", text, false);
    }
});
