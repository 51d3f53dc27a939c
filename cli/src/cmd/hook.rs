//! `guard hook claude`: the Claude Code PreToolUse hook.
//!
//! Exit codes follow the hook protocol, not guard's usual ones: 0 with the decision
//! as `hookSpecificOutput` JSON on stdout (deny included: Claude Code reads the JSON
//! only on exit 0, and shows a deny's `permissionDecisionReason` to the model), or
//! nothing, to leave the call to Claude Code's permission flow. Exit 2 with the
//! reason on stderr only when the JSON cannot be written (stdout closed), since
//! exit 2 blocks without it. Never 1: Claude Code runs the tool after any other
//! exit code, so every failure (bad input, a panic) is answered with the
//! fail-closed decision instead; a guard.toml that cannot be read keeps the
//! built-in rules in force and is reported on stderr.

use clap::Args;
use guard_agent_policy::hook::{self, HookAnswer, HookEnv};
use guard_agent_policy::Decision;
use std::io::{Read, Write};

#[derive(Debug, Args)]
pub struct HookArgs {
    /// Agent whose hook protocol to speak (`claude`).
    pub agent: String,
}

/// Stack for the analysis thread: deeply nested input must not overflow the stack.
const STACK_BYTES: usize = 64 << 20;

/// Returns the process exit code: 0 with a decision on stdout, or 2 on deny.
pub fn run(args: HookArgs) -> u8 {
    if args.agent != "claude" {
        eprintln!(
            "guard hook: unknown agent `{}` (supported: claude); blocking the tool call",
            args.agent
        );
        return 2;
    }
    // A panic must not print a backtrace into the agent's context, nor exit 101.
    std::panic::set_hook(Box::new(|_| {}));
    let answer = match read_stdin() {
        Ok(input) => judge(input),
        Err(why) => hook::fail_closed(Decision::Ask, &why),
    };
    emit(&answer)
}

fn read_stdin() -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    std::io::stdin()
        .lock()
        .take(hook::MAX_INPUT_BYTES as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("reading stdin failed: {e}"))?;
    Ok(buf)
}

/// Inputs up to this size are judged on the main thread: nothing in them can nest
/// deep enough to need the large stack, and a thread start is most of the cost of
/// answering a typical call.
const INLINE_INPUT_BYTES: usize = 4096;

fn judge(input: Vec<u8>) -> HookAnswer {
    let env = HookEnv::from_process();
    if input.len() <= INLINE_INPUT_BYTES {
        return match std::panic::catch_unwind(|| hook::answer(&input, &env)) {
            Ok(answer) => answer,
            Err(_) => hook::fail_closed(Decision::Ask, "internal error while analysing the input"),
        };
    }
    let worker = std::thread::Builder::new()
        .stack_size(STACK_BYTES)
        .spawn(move || std::panic::catch_unwind(|| hook::answer(&input, &env)));
    match worker.map(|h| h.join()) {
        Ok(Ok(Ok(answer))) => answer,
        Ok(_) => hook::fail_closed(Decision::Ask, "internal error while analysing the input"),
        Err(e) => hook::fail_closed(Decision::Ask, &format!("could not start the analysis: {e}")),
    }
}

fn emit(answer: &HookAnswer) -> u8 {
    for w in &answer.warnings {
        eprintln!("{w}");
    }
    let written = match answer.json() {
        Some(json) => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{json}").and_then(|_| out.flush()).is_ok()
        }
        None => true,
    };
    let code = answer.exit_code(written);
    if code == 2 {
        // Claude Code takes the reason of an exit-2 block from stderr.
        eprintln!("{}", answer.reason);
    }
    code
}
