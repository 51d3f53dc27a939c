//! Any bytes as hook input, and any command inside valid hook JSON.
#![no_main]

use guard_agent_policy::hook::{answer, HookEnv};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let env = HookEnv {
        home: Some("/home/dev".into()),
        cwd: Some("/nonexistent".into()),
        tmpdir: None,
    };
    let a = answer(data, &env);
    assert!(a.exit_code(true) == 0 || a.exit_code(false) == 2 || a.decision.is_none());
    let cmd = String::from_utf8_lossy(data);
    let input = serde_json::json!({"tool_name": "Bash", "cwd": "/nonexistent", "tool_input": {"command": cmd}});
    let a = answer(input.to_string().as_bytes(), &env);
    assert!(a.exit_code(true) == 0 || a.exit_code(false) == 2 || a.decision.is_none());
});
