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
    // Never 1: Claude Code runs the tool after any other exit code.
    assert!(a.exit_code(true) != 1 && a.exit_code(false) != 1);
    let cmd = String::from_utf8_lossy(data);
    let input = serde_json::json!({"tool_name": "Bash", "cwd": "/nonexistent", "tool_input": {"command": cmd}});
    let a = answer(input.to_string().as_bytes(), &env);
    // Never 1: Claude Code runs the tool after any other exit code.
    assert!(a.exit_code(true) != 1 && a.exit_code(false) != 1);
});
