#![no_main]
//! IAM policy JSON (line-tracking parser + IAM rules) and `.tf.json`.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = guard_infra::check_content("policy.json", text);
        let _ = guard_infra::check_content("main.tf.json", text);
    }
});
