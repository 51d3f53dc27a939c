//! Any bytes as a Bash command: the analyser must return, never panic.
#![no_main]

use guard_agent_policy::shell::{analyse, Options};
use guard_agent_policy::PolicyConfig;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let cmd = String::from_utf8_lossy(data);
    let opts = Options {
        cwd: Some("/work/proj".into()),
        home: Some("/home/dev".into()),
        tmpdir: Some("/tmp".into()),
    };
    let a = analyse(&cmd, &PolicyConfig::default(), &opts);
    // The decision is the worst hit's.
    assert_eq!(
        a.decision,
        a.hits
            .iter()
            .map(|h| h.decision)
            .max()
            .unwrap_or(a.decision)
    );
});
