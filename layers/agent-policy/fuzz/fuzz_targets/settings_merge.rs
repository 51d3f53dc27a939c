//! Any settings text: merging never panics; a merged file is valid JSON, keeps
//! parsing to the same tree, and merging it again changes nothing.
#![no_main]

use guard_agent_policy::init::{json, settings};
use guard_agent_policy::PolicyConfig;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = json::parse(text);
    let rules = PolicyConfig::default().effective_rules();
    let hook = settings::HookSpec::default();
    if let Ok(Some(merged)) = settings::merge(Some(text), &rules, &hook) {
        assert!(
            serde_json::from_str::<serde_json::Value>(&merged).is_ok(),
            "{merged}"
        );
        assert_eq!(
            settings::merge(Some(&merged), &rules, &hook),
            Ok(None),
            "{merged}"
        );
    }
});
