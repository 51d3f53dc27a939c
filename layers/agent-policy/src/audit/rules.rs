//! The audit's rule table (`AGENT-AUDIT-*`).

use guard_core::{Rule, Severity};

const CC_MEMORY: &str = "https://code.claude.com/docs/en/memory";
const CC_PERMISSIONS: &str = "https://code.claude.com/docs/en/permissions";
const CC_HOOKS: &str = "https://code.claude.com/docs/en/hooks";
const CC_SETTINGS: &str = "https://code.claude.com/docs/en/settings";

pub const NO_INSTRUCTIONS: Rule = Rule {
    id: "AGENT-AUDIT-001",
    severity: Severity::Medium,
    title: "No CLAUDE.md: the agent gets no project rules",
    rationale: "Without CLAUDE.md (or .claude/CLAUDE.md) Claude Code starts every session knowing nothing of which commands are off limits in this project.",
    remediation: "Run `guard init --agent claude` to write concrete rules into CLAUDE.md and enforce them in .claude/settings.json.",
    tags: &["CWE-1188", "STRIDE:Tampering"],
    references: &[CC_MEMORY],
};

pub const VAGUE_RULE: Rule = Rule {
    id: "AGENT-AUDIT-002",
    severity: Severity::Low,
    title: "Vague rule in CLAUDE.md",
    rationale: "Phrases like \"be careful\" or \"avoid dangerous commands\" name no command, so the agent cannot tell what is forbidden and nothing can enforce them.",
    remediation: "Name the command and the alternative, e.g. \"Never run `terraform apply -auto-approve`; run `terraform plan` and ask\"; `guard init --agent claude` writes such rules.",
    tags: &["CWE-1059"],
    references: &[CC_MEMORY],
};

pub const MISSING_CRITICAL: Rule = Rule {
    id: "AGENT-AUDIT-003",
    severity: Severity::Medium,
    title: "CLAUDE.md says nothing about critical commands",
    rationale: "The catalogue's critical rules (recursive deletes of /, force pushes, terraform destroy, ...) are not mentioned, so the agent is never told to avoid them.",
    remediation: "Run `guard init --agent claude`; it adds a managed block with every rule of the catalogue, grouped by pack.",
    tags: &["CWE-1188"],
    references: &[CC_MEMORY],
};

pub const STALE_BLOCK: Rule = Rule {
    id: "AGENT-AUDIT-004",
    severity: Severity::Low,
    title: "guard block in CLAUDE.md is out of date",
    rationale: "The managed block differs from what guard.toml and the catalogue produce now, so the agent reads rules that are no longer the ones enforced.",
    remediation: "Run `guard init --agent claude` to regenerate the block.",
    tags: &["CWE-1059"],
    references: &[CC_MEMORY],
};

pub const DAMAGED_MARKERS: Rule = Rule {
    id: "AGENT-AUDIT-005",
    severity: Severity::Medium,
    title: "guard block markers in CLAUDE.md are damaged",
    rationale: "A begin marker without its end (or the reverse, or two blocks) means guard cannot update the rules without risking the user's text; the rules stay stale.",
    remediation: "Restore the `<!-- guard:begin ... -->` / `<!-- guard:end -->` pair (or delete the block) and run `guard init --agent claude`.",
    tags: &["CWE-1059"],
    references: &[],
};

pub const INVALID_SETTINGS: Rule = Rule {
    id: "AGENT-AUDIT-010",
    severity: Severity::High,
    title: "Claude Code settings file is invalid",
    rationale: "Claude Code skips a settings file that is not valid JSON, or entries of the wrong type, so none of its deny rules or hooks are in force.",
    remediation: "Fix the JSON at the reported line; `guard init --agent claude` refuses to touch the file until it parses.",
    tags: &["CWE-1284"],
    references: &[CC_SETTINGS],
};

pub const BYPASS_PERMISSIONS: Rule = Rule {
    id: "AGENT-AUDIT-011",
    severity: Severity::High,
    title: "Permission prompts switched off (bypassPermissions)",
    rationale: "`defaultMode: \"bypassPermissions\"`, `--dangerously-skip-permissions` or `--permission-mode bypassPermissions` run every tool call without asking; only deny rules and hooks remain between the agent and the machine.",
    remediation: "Use `default` or `acceptEdits`; for unattended runs use a sandbox or devcontainer, and set `permissions.disableBypassPermissionsMode` to \"disable\" in managed settings.",
    tags: &["CWE-284", "OWASP:A01:2021", "STRIDE:Elevation"],
    references: &[CC_PERMISSIONS],
};

pub const BROAD_ALLOW: Rule = Rule {
    id: "AGENT-AUDIT-012",
    severity: Severity::High,
    title: "Allow rule that permits arbitrary commands",
    rationale: "`Bash`, `Bash(*)` or an allowed shell, interpreter or wrapper (`Bash(bash *)`, `Bash(python *)`, `Bash(sudo *)`) lets the agent run anything without a prompt.",
    remediation: "Allow the specific commands the work needs (`Bash(npm run test *)`), and keep the guard hook registered to judge the rest.",
    tags: &["CWE-284", "OWASP:A01:2021", "STRIDE:Elevation"],
    references: &[CC_PERMISSIONS],
};

pub const BYPASSABLE_DENY: Rule = Rule {
    id: "AGENT-AUDIT-013",
    severity: Severity::Medium,
    title: "Deny or ask rule that another spelling of the command gets past",
    rationale: "Permission rules match the command text by prefix: `Bash(rm -rf /)` matches only that exact command, and `Bash(git push --force *)` misses `git push -f` and `git -C . push --force`. The rule gives a false sense of protection.",
    remediation: "Keep the rule as a first line, and register the guard hook (`guard init --agent claude`): it parses the command (wrappers, option order and spelling, `bash -c`) and catches every form.",
    tags: &["CWE-184", "CWE-693"],
    references: &[CC_PERMISSIONS],
};

pub const IGNORED_RULE: Rule = Rule {
    id: "AGENT-AUDIT-014",
    severity: Severity::Medium,
    title: "Permission rule that Claude Code skips or never consults",
    rationale: "Malformed rules (wildcard outside the parentheses, unknown tool, empty parentheses) are skipped with a startup warning; `Write(path)` rules and `Bash(command:...)` rules are accepted but never matched. Either way the protection is not there.",
    remediation: "Write `Tool` or `Tool(specifier)` with the wildcard inside the parentheses; use `Edit(path)` for file writes.",
    tags: &["CWE-1284", "CWE-693"],
    references: &[CC_PERMISSIONS],
};

pub const NO_PRETOOLUSE_HOOK: Rule = Rule {
    id: "AGENT-AUDIT-020",
    severity: Severity::High,
    title: "No PreToolUse hook in the project settings",
    rationale: "Written rules are followed most of the time, not always; without a PreToolUse hook nothing checks a command before it runs beyond Claude Code's prefix-matching permission rules.",
    remediation: concat!(
        "Run `guard init --agent claude` to register `guard hook claude` with the matcher `",
        crate::init::settings::guard_hook_matcher!(),
        "`."
    ),
    tags: &["CWE-693", "STRIDE:Tampering"],
    references: &[CC_HOOKS],
};

pub const MILLISECOND_TIMEOUT: Rule = Rule {
    id: "AGENT-AUDIT-021",
    severity: Severity::Medium,
    title: "Hook timeout written in milliseconds",
    rationale: "Hook `timeout` is in seconds; 5000 means 83 minutes. A hung hook then stalls the session, and a timed-out hook does not block the tool call.",
    remediation: "Write the timeout in seconds (e.g. 10).",
    tags: &["CWE-1284"],
    references: &[CC_HOOKS],
};

pub const MISSING_HOOK_COMMAND: Rule = Rule {
    id: "AGENT-AUDIT-022",
    severity: Severity::High,
    title: "Hook command that does not exist",
    rationale: "Claude Code treats a hook that cannot start (exit 127) as a non-blocking error and lets the tool call run: a mistyped path silently disables the gate.",
    remediation: "Fix the path or install the program; use `$CLAUDE_PROJECT_DIR/...` for scripts in the repository. guard resolves the program on its own PATH, which may differ from Claude Code's.",
    tags: &["CWE-693"],
    references: &[CC_HOOKS],
};

pub const BASH_NOT_COVERED: Rule = Rule {
    id: "AGENT-AUDIT-023",
    severity: Severity::High,
    title: "No PreToolUse hook sees Bash commands",
    rationale: "PreToolUse hooks are registered, but no matcher matches the Bash tool, so shell commands, the riskiest calls, are never checked.",
    remediation: "Add `Bash` (and `PowerShell`) to the matcher, e.g. `Bash|PowerShell|Edit|Write|MultiEdit|Read|Grep|WebFetch`.",
    tags: &["CWE-693"],
    references: &[CC_HOOKS],
};

pub const GUARD_HOOK_PARTIAL: Rule = Rule {
    id: "AGENT-AUDIT-024",
    severity: Severity::Low,
    title: "guard hook does not see every tool it checks",
    rationale: "The guard hook also judges file writes (IAM and security-group content), secret reads and fetches; a matcher without those tools skips those checks.",
    remediation: "Run `guard init --agent claude` to widen the matcher.",
    tags: &["CWE-693"],
    references: &[CC_HOOKS],
};

pub const HOOKS_DISABLED: Rule = Rule {
    id: "AGENT-AUDIT-025",
    severity: Severity::High,
    title: "All hooks disabled (disableAllHooks)",
    rationale: "`disableAllHooks: true` switches off every user and project hook, including the guard hook.",
    remediation: "Remove `disableAllHooks`, or set it to false.",
    tags: &["CWE-693"],
    references: &[CC_HOOKS],
};

pub const HOOK_FAILS_OPEN: Rule = Rule {
    id: "AGENT-AUDIT-026",
    severity: Severity::Medium,
    title: "guard hook lets the tool call run when the hook fails",
    rationale: "Claude Code runs the tool call when a hook cannot start, crashes, exits with a code other than 0 or 2, or times out, unless the handler says `\"onFailure\": \"block\"` (Claude Code 2.1.295 and later). Without it a missing binary or a stalled hook silently removes the gate.",
    remediation: "Add `\"onFailure\": \"block\"` to the guard hook's handler, or run `guard init --agent claude`, which adds it.",
    tags: &["CWE-636", "CWE-693"],
    references: &[CC_HOOKS],
};

/// Every audit rule, in id order.
pub static AUDIT_RULES: &[Rule] = &[
    NO_INSTRUCTIONS,
    VAGUE_RULE,
    MISSING_CRITICAL,
    STALE_BLOCK,
    DAMAGED_MARKERS,
    INVALID_SETTINGS,
    BYPASS_PERMISSIONS,
    BROAD_ALLOW,
    BYPASSABLE_DENY,
    IGNORED_RULE,
    NO_PRETOOLUSE_HOOK,
    MILLISECOND_TIMEOUT,
    MISSING_HOOK_COMMAND,
    BASH_NOT_COVERED,
    GUARD_HOOK_PARTIAL,
    HOOKS_DISABLED,
    HOOK_FAILS_OPEN,
];
