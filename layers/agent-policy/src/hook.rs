//! The Claude Code PreToolUse hook: one tool call in (JSON), one decision out.
//!
//! - Bash/PowerShell commands go through the shell analyser.
//! - Read (and Grep on a path) of secret files is denied.
//! - Edit/Write/MultiEdit/NotebookEdit of Claude Code settings or guard.toml is
//!   self-protection; `.tf`, `.tf.json`, `.hcl` and JSON policy content is checked by
//!   the infra layer's IAM and network rules with the edit applied, so a
//!   `Principal: "*"` is stopped before it reaches disk.
//! - `mcp__*` tools carrying SQL (`sql`, `query`, `statement`) get the database rules.
//!
//! When nothing matches the hook gives no decision (empty stdout, exit 0): Claude
//! Code's own permission flow continues exactly as without the hook, so the hook
//! never grants what the user's settings would not (an `allow` answer would skip
//! the prompt). `on_no_match = "allow"` opts into answering `allow`.
//!
//! A guard.toml that cannot be read never weakens the answer: the built-in
//! catalogue is applied at full strength (a deny stays a deny), and every answer
//! the config could have changed (no rule matched, or a built-in `ask` that a
//! custom rule might have made a deny) becomes the fail-closed `ask`. The config
//! error is reported in [`HookAnswer::warnings`] for stderr.

use crate::catalogue::{self, Decision};
use crate::config::{NoMatch, PolicyConfig};
use crate::shell::{self, packs, Analysis, Hit, Options};
use guard_core::LoadedConfig;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Largest hook input read from stdin.
pub const MAX_INPUT_BYTES: usize = 64 << 20;
/// Longest reason returned (Claude Code truncates output strings at 10,000 chars).
const MAX_REASON_CHARS: usize = 4000;

/// The hook's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookAnswer {
    /// `None`: no opinion; Claude Code's permission flow decides.
    pub decision: Option<Decision>,
    pub reason: String,
    /// Problems for the user's terminal (stderr), e.g. a guard.toml that does not
    /// parse; never part of the decision JSON.
    pub warnings: Vec<String>,
}

impl HookAnswer {
    fn pass() -> Self {
        HookAnswer {
            decision: None,
            reason: String::new(),
            warnings: Vec::new(),
        }
    }

    /// The PreToolUse JSON for stdout, when there is a decision.
    pub fn json(&self) -> Option<String> {
        let d = self.decision?;
        let v = serde_json::json!({
            "hookSpecificOutput": {
                "hookEventName": "PreToolUse",
                "permissionDecision": d.as_str(),
                "permissionDecisionReason": self.reason,
            }
        });
        Some(v.to_string())
    }

    /// The process exit code. Never 1 (Claude Code runs the tool after it).
    ///
    /// With the JSON on stdout it is 0, deny included: Claude Code reads stdout
    /// JSON only on exit 0 and ignores it on exit 2. When the JSON could not be
    /// written, a deny or ask becomes exit 2, which blocks the call with the reason
    /// taken from stderr.
    pub fn exit_code(&self, json_written: bool) -> u8 {
        match self.decision {
            Some(Decision::Deny | Decision::Ask) if !json_written => 2,
            _ => 0,
        }
    }
}

/// Where the hook process runs.
#[derive(Debug, Clone, Default)]
pub struct HookEnv {
    pub home: Option<PathBuf>,
    /// `$TMPDIR` of the agent's environment (the hook inherits it).
    pub tmpdir: Option<PathBuf>,
    /// Used when the input has no `cwd`.
    pub cwd: Option<PathBuf>,
}

impl HookEnv {
    pub fn from_process() -> Self {
        HookEnv {
            home: std::env::var_os("HOME").map(PathBuf::from),
            tmpdir: std::env::var_os("TMPDIR")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            cwd: std::env::current_dir().ok(),
        }
    }
}

/// The answer when the hook cannot judge (bad input, bad config, internal error).
pub fn fail_closed(decision: Decision, why: &str) -> HookAnswer {
    HookAnswer {
        decision: Some(decision.max(Decision::Ask)),
        reason: format!(
            "guard hook could not judge this tool call: {why}. Ask the user, or fix the cause."
        ),
        warnings: Vec::new(),
    }
}

/// Judges one hook input.
pub fn answer(input: &[u8], env: &HookEnv) -> HookAnswer {
    if input.iter().all(|b| b.is_ascii_whitespace()) {
        return fail_closed(
            Decision::Ask,
            "empty input on stdin (expected Claude Code PreToolUse JSON)",
        );
    }
    if input.len() > MAX_INPUT_BYTES {
        return fail_closed(
            Decision::Ask,
            &format!(
                "input of {} bytes is over the {} byte limit",
                input.len(),
                MAX_INPUT_BYTES
            ),
        );
    }
    let v: Value = match serde_json::from_slice(input) {
        Ok(v) => v,
        Err(e) => {
            return fail_closed(Decision::Ask, &format!("stdin is not valid JSON ({e})"));
        }
    };
    if !v.is_object() {
        return fail_closed(Decision::Ask, "stdin JSON is not an object");
    }
    let cwd = v
        .get("cwd")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .or_else(|| env.cwd.clone());
    if let Some(ev) = v.get("hook_event_name").and_then(Value::as_str) {
        if ev != "PreToolUse" {
            return HookAnswer::pass();
        }
    }
    let (config, config_error) = match load_config(cwd.as_deref()) {
        Ok(c) => (c, None),
        // The built-ins still apply at full strength; see `degraded`.
        Err(e) => (PolicyConfig::default(), Some(e)),
    };
    let mut answer = judge_input(&v, &config, cwd, env);
    if let Some(e) = config_error {
        answer = degraded(answer, &e);
    }
    answer
}

fn judge_input(
    v: &Value,
    config: &PolicyConfig,
    cwd: Option<PathBuf>,
    env: &HookEnv,
) -> HookAnswer {
    let Some(tool) = v.get("tool_name").and_then(Value::as_str) else {
        return fail_closed(config.fail_closed, "no `tool_name` in the input");
    };
    let input = v.get("tool_input").cloned().unwrap_or(Value::Null);
    let opts = Options {
        cwd,
        home: env.home.clone(),
        tmpdir: env.tmpdir.clone(),
    };
    match judge_tool(tool, &input, config, &opts) {
        Ok(a) => render(&a, config),
        Err(why) => fail_closed(config.fail_closed, &why),
    }
}

/// The answer under a guard.toml that could not be read, from the answer of the
/// built-in catalogue alone. A deny stands (nothing in a config could make it
/// stronger, and a broken config must not make it weaker). Anything else is an
/// answer the config could have changed (a custom rule could deny what no
/// built-in matches or what a built-in only asks about), so it becomes the
/// default fail-closed `ask`: the config that would name another fail-closed
/// decision is the one that cannot be read.
fn degraded(answer: HookAnswer, config_error: &str) -> HookAnswer {
    let warning = format!(
        "guard hook: guard.toml could not be used, so only the built-in rules apply and \
         every other call is answered `ask` until it is fixed: {config_error}"
    );
    let mut out = match answer.decision {
        Some(Decision::Deny) => HookAnswer {
            reason: format!(
                "{} Note: guard.toml could not be read ({config_error}); built-in rules apply.",
                answer.reason
            ),
            ..answer
        },
        _ => {
            let mut a = fail_closed(
                Decision::Ask,
                &format!("guard.toml could not be read ({config_error})"),
            );
            if answer.decision == Some(Decision::Ask) {
                a.reason
                    .push_str(&format!(" Built-in rules: {}", answer.reason));
            }
            a
        }
    };
    out.reason = clip_reason(out.reason);
    out.warnings.push(warning);
    out
}

fn clip_reason(reason: String) -> String {
    if reason.chars().count() > MAX_REASON_CHARS {
        reason
            .chars()
            .take(MAX_REASON_CHARS - 3)
            .collect::<String>()
            + "..."
    } else {
        reason
    }
}

fn load_config(cwd: Option<&Path>) -> Result<PolicyConfig, String> {
    let start = cwd.unwrap_or_else(|| Path::new("."));
    let loaded = LoadedConfig::discover(None, start).map_err(|e| e.to_string())?;
    let cfg: PolicyConfig = loaded
        .layer("agent-policy")
        .parse()
        .map_err(|e| e.to_string())?;
    cfg.validate().map_err(|e| e.to_string())?;
    Ok(cfg)
}

fn str_field<'a>(input: &'a Value, key: &str) -> Option<&'a str> {
    input.get(key).and_then(Value::as_str)
}

/// Runs the right checks for a tool.
pub fn judge_tool(
    tool: &str,
    input: &Value,
    config: &PolicyConfig,
    opts: &Options,
) -> Result<Analysis, String> {
    match tool {
        "PowerShell" => {
            let Some(cmd) = str_field(input, "command") else {
                return Err(format!("{tool} input has no `command` string"));
            };
            Ok(shell::analyse_powershell(cmd, config, opts))
        }
        "Bash" => {
            let Some(cmd) = str_field(input, "command") else {
                return Err(format!("{tool} input has no `command` string"));
            };
            if cmd.contains('\0') {
                let mut a = shell::analyse(&cmd.replace('\0', "\n"), config, opts);
                add(
                    &mut a,
                    config,
                    "AGENT-SHELL-001",
                    "the command contains NUL bytes",
                    cmd,
                );
                return Ok(a);
            }
            Ok(shell::analyse(cmd, config, opts))
        }
        "Read" => {
            let path = str_field(input, "file_path").unwrap_or("");
            let mut a = empty();
            secret_path(&mut a, config, path, "Read");
            Ok(a)
        }
        "Grep" | "Glob" => {
            let mut a = empty();
            for key in ["path", "glob", "pattern"] {
                if tool == "Grep" && key == "pattern" {
                    continue;
                }
                if let Some(p) = str_field(input, key) {
                    secret_path(&mut a, config, p, tool);
                }
            }
            if tool == "Glob" {
                // Listing names is harmless; only reading contents leaks.
                a = empty();
            }
            Ok(a)
        }
        "Write" | "Edit" | "MultiEdit" | "NotebookEdit" => Ok(file_write(tool, input, config)),
        t if t.starts_with("mcp__") => {
            let mut a = empty();
            for key in ["sql", "query", "statement"] {
                if let Some(sql) = str_field(input, key) {
                    for eff in shell::sql::effects(sql) {
                        match eff {
                            shell::sql::Effect::Destroy(w) => {
                                add(&mut a, config, "AGENT-DB-001", &w, t)
                            }
                            shell::sql::Effect::Unbounded(w) => {
                                add(&mut a, config, "AGENT-DB-002", &w, t)
                            }
                            shell::sql::Effect::Write(_) => {}
                        }
                    }
                }
            }
            Ok(a)
        }
        _ => Ok(empty()),
    }
}

fn empty() -> Analysis {
    Analysis {
        decision: Decision::Allow,
        hits: Vec::new(),
        notes: Vec::new(),
    }
}

/// Adds a catalogue rule hit under the config.
fn add(a: &mut Analysis, config: &PolicyConfig, id: &str, detail: &str, segment: &str) {
    let Some(rule) = catalogue::find(id) else {
        return;
    };
    let Some(decision) = config.decide(rule.rule.id, rule.pack, rule.decision) else {
        return;
    };
    push(
        a,
        Hit {
            rule_id: id.into(),
            pack: rule.pack.into(),
            decision,
            segment: segment.chars().take(160).collect(),
            detail: detail.into(),
            title: rule.rule.title.into(),
            alternative: rule.rule.remediation.into(),
        },
    );
}

fn push(a: &mut Analysis, hit: Hit) {
    a.decision = a.decision.max(hit.decision);
    a.hits.push(hit);
    a.hits.sort_by_key(|h| std::cmp::Reverse(h.decision));
}

fn secret_path(a: &mut Analysis, config: &PolicyConfig, path: &str, tool: &str) {
    if packs::secrets::is_dotenv(path) {
        add(
            a,
            config,
            "AGENT-SECRET-001",
            &format!("{tool} of a .env file"),
            path,
        );
    } else if packs::secrets::is_credential(path) {
        add(
            a,
            config,
            "AGENT-SECRET-002",
            &format!("{tool} of a credential file"),
            path,
        );
    } else if path.starts_with("/proc/") && path.ends_with("/environ") {
        add(
            a,
            config,
            "AGENT-SECRET-003",
            &format!("{tool} of a process environment"),
            path,
        );
    }
}

fn file_write(tool: &str, input: &Value, config: &PolicyConfig) -> Analysis {
    let mut a = empty();
    let path = str_field(input, "file_path")
        .or_else(|| str_field(input, "notebook_path"))
        .unwrap_or("");
    if let Some((id, what)) = packs::protect::protected(path) {
        add(&mut a, config, id, &format!("{tool} changes {what}"), path);
    }
    if matches!(tool, "Edit" | "MultiEdit") && packs::secrets::is_dotenv(path) {
        add(
            &mut a,
            config,
            "AGENT-SECRET-001",
            &format!("{tool} of a .env file shows its values"),
            path,
        );
    }
    if let Some(content) = new_content(tool, input, path) {
        infra_content(&mut a, path, &content);
    }
    a
}

/// The file content after the tool runs: `content` for Write; for Edit/MultiEdit the
/// file on disk with the replacements applied (or just the new strings if unreadable).
fn new_content(tool: &str, input: &Value, path: &str) -> Option<String> {
    if !packs::infra_write::is_infra_file(path) {
        return None;
    }
    match tool {
        "Write" => str_field(input, "content").map(String::from),
        "Edit" | "MultiEdit" => {
            let edits: Vec<(String, String, bool)> = if tool == "Edit" {
                vec![(
                    str_field(input, "old_string").unwrap_or("").to_string(),
                    str_field(input, "new_string").unwrap_or("").to_string(),
                    input
                        .get("replace_all")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                )]
            } else {
                input
                    .get("edits")
                    .and_then(Value::as_array)
                    .map(|es| {
                        es.iter()
                            .map(|e| {
                                (
                                    str_field(e, "old_string").unwrap_or("").to_string(),
                                    str_field(e, "new_string").unwrap_or("").to_string(),
                                    e.get("replace_all")
                                        .and_then(Value::as_bool)
                                        .unwrap_or(false),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let meta = std::fs::metadata(path).ok();
            let current = meta
                .filter(|m| m.len() <= 8 << 20)
                .and_then(|_| std::fs::read_to_string(path).ok());
            match current {
                Some(mut text) => {
                    for (old, new, all) in &edits {
                        if old.is_empty() {
                            continue;
                        }
                        text = if *all {
                            text.replace(old, new)
                        } else {
                            text.replacen(old, new, 1)
                        };
                    }
                    Some(text)
                }
                None => Some(
                    edits
                        .iter()
                        .map(|e| e.1.as_str())
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            }
        }
        _ => None,
    }
}

/// The infra layer's content checks; high and critical findings deny, medium asks.
fn infra_content(a: &mut Analysis, path: &str, content: &str) {
    for hit in packs::infra_write::content_hits(path, content, path) {
        push(a, hit);
    }
}

/// The decision and its reason for Claude (deny) or the user (ask).
pub fn render(a: &Analysis, config: &PolicyConfig) -> HookAnswer {
    let Some(worst) = a.worst() else {
        return match config.on_no_match {
            NoMatch::Pass => HookAnswer::pass(),
            NoMatch::Allow => HookAnswer {
                decision: Some(Decision::Allow),
                reason: "guard: no rule matched".into(),
                warnings: Vec::new(),
            },
        };
    };
    let mut reason = format!(
        "guard {} ({}): {}. Matched `{}`: {}. Instead: {}",
        worst.rule_id, worst.decision, worst.title, worst.segment, worst.detail, worst.alternative
    );
    let others: Vec<String> = a
        .hits
        .iter()
        .filter(|h| !std::ptr::eq(*h, worst) && h.rule_id != worst.rule_id)
        .take(4)
        .map(|h| format!("{} ({}): {}", h.rule_id, h.decision, h.detail))
        .collect();
    if !others.is_empty() {
        reason.push_str(&format!(" Also: {}.", others.join("; ")));
    }
    for n in &a.notes {
        reason.push_str(&format!(" Note: {n}."));
    }
    HookAnswer {
        decision: Some(a.decision),
        reason: clip_reason(reason),
        warnings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(json: &str) -> HookAnswer {
        let dir = tempfile::tempdir().expect("tmp");
        let env = HookEnv {
            home: Some("/home/u".into()),
            cwd: Some(dir.path().to_path_buf()),
            tmpdir: None,
        };
        answer(json.as_bytes(), &env)
    }

    #[test]
    fn bash_deny_and_pass() {
        let a = run(
            r#"{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"git push -f origin main"}}"#,
        );
        assert_eq!(a.decision, Some(Decision::Deny));
        assert!(
            a.reason.contains("AGENT-GIT-001") && a.reason.contains("force-with-lease"),
            "{}",
            a.reason
        );
        assert_eq!(a.exit_code(true), 0);
        assert_eq!(a.exit_code(false), 2);
        let a = run(r#"{"tool_name":"Bash","tool_input":{"command":"ls -la"}}"#);
        assert_eq!(a.decision, None);
        assert_eq!(a.json(), None);
        assert_eq!(a.exit_code(false), 0);
    }

    #[test]
    fn bad_input_fails_closed() {
        for input in [
            "",
            "   ",
            "not json",
            "[1,2]",
            "{\"tool_input\":{}}",
            "{\"tool_name\":\"Bash\",\"tool_input\":{}}",
        ] {
            let a = run(input);
            assert_eq!(a.decision, Some(Decision::Ask), "{input:?}");
            assert_eq!(a.exit_code(true), 0);
        }
    }

    #[test]
    fn read_and_write_tools() {
        let a = run(r#"{"tool_name":"Read","tool_input":{"file_path":"/p/.env"}}"#);
        assert_eq!(a.decision, Some(Decision::Deny));
        let a = run(r#"{"tool_name":"Read","tool_input":{"file_path":"/p/.env.example"}}"#);
        assert_eq!(a.decision, None);
        let a = run(
            r#"{"tool_name":"Edit","tool_input":{"file_path":"/p/.claude/settings.json","old_string":"a","new_string":"b"}}"#,
        );
        assert_eq!(a.decision, Some(Decision::Deny));
        let a = run(
            r#"{"tool_name":"Write","tool_input":{"file_path":"/p/src/main.rs","content":"fn main(){}"}}"#,
        );
        assert_eq!(a.decision, None);
        let a = run(r#"{"tool_name":"TodoWrite","tool_input":{}}"#);
        assert_eq!(a.decision, None);
    }

    #[test]
    fn wildcard_policy_written_is_denied() {
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
        let input = serde_json::json!({"tool_name":"Write","tool_input":{"file_path":"/p/policy.json","content":policy}});
        let a = run(&input.to_string());
        assert_eq!(a.decision, Some(Decision::Deny), "{}", a.reason);
    }
}
