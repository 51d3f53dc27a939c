#![no_main]
//! HCL parsing and the static rules.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = guard_infra::check_content("main.tf", text);
    }
});
