//! Any settings text and permission rule string: the audit's parsers never panic.
#![no_main]

use guard_agent_policy::audit::{command, permission_rule, settings};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = permission_rule::parse(text);
    let _ = command::words(text);
    let root = std::path::Path::new("/nonexistent-guard-fuzz-root");
    let _ = command::missing(text, root, None);
    let _ = settings::matcher_matches(Some(text), "Bash");
    let env = settings::Env {
        root,
        path_var: None,
        catalogue_strings: &[],
    };
    let _ = settings::audit(
        &[settings::SettingsFile {
            path: ".claude/settings.json",
            text,
        }],
        &env,
    );
});
