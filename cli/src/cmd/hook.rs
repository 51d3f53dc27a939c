//! `guard hook claude`: the PreToolUse hook. Never exits 1.

use clap::Args;

#[derive(Debug, Args)]
pub struct HookArgs {
    /// Agent whose hook protocol to speak.
    pub agent: String,
}

/// Returns the process exit code: 0 with a decision on stdout, or 2 on deny.
pub fn run(_args: HookArgs) -> u8 {
    println!(
        r#"{{"hookSpecificOutput":{{"hookEventName":"PreToolUse","permissionDecision":"ask","permissionDecisionReason":"guard hook under construction"}}}}"#
    );
    0
}
