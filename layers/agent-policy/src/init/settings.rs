//! Merging guard's permission rules and hook into `.claude/settings.json`.
//!
//! The user's keys, their order and their entries are kept; guard only adds
//! what is missing, and moves or removes catalogue rule strings whose rule
//! guard.toml downgraded or disabled (guard.toml is their source of truth).
//! When nothing is missing the file is left byte for byte as it was.

use super::json::{self, Json, Node};
use crate::catalogue::{catalogue, Decision};
use crate::config::EffectiveRule;

/// The guard hook's matcher: every tool the hook judges. A macro so that texts
/// built at compile time (the AGENT-AUDIT-020 remediation) name the same list.
macro_rules! guard_hook_matcher {
    () => {
        "Bash|PowerShell|Edit|Write|MultiEdit|NotebookEdit|Read|Grep|WebFetch"
    };
}
pub(crate) use guard_hook_matcher;

/// The matcher `guard init` writes for its PreToolUse handler.
pub const HOOK_MATCHER: &str = guard_hook_matcher!();

/// Tools the guard hook judges; its matcher must name each of them.
pub fn hook_tools() -> impl Iterator<Item = &'static str> {
    HOOK_MATCHER.split('|')
}

/// The handler key that makes Claude Code (2.1.295 and later) block the call
/// when the hook cannot start, crashes or times out, instead of running it.
pub const ON_FAILURE_KEY: &str = "onFailure";
/// Its value.
pub const ON_FAILURE_BLOCK: &str = "block";

/// The PreToolUse handler guard registers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookSpec {
    /// Shell command Claude Code runs, e.g. `guard hook claude`.
    pub command: String,
    /// Seconds (Claude Code's unit), not milliseconds.
    pub timeout_secs: u32,
}

impl Default for HookSpec {
    fn default() -> Self {
        HookSpec {
            command: "guard hook claude".into(),
            timeout_secs: 10,
        }
    }
}

/// The settings file cannot be merged without losing the user's data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct SettingsError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

fn type_error(text: &str, node: &Node, what: &str) -> SettingsError {
    let (line, column) = json::line_col(text, node.span.start);
    SettingsError {
        line,
        column,
        message: format!("{what} must be {}, found {}", expected(what), node.kind()),
    }
}

fn expected(what: &str) -> &'static str {
    if what.ends_with(']') || what.ends_with("command") || what.ends_with("matcher") {
        "a string"
    } else if what.ends_with("deny")
        || what.ends_with("ask")
        || what.ends_with("PreToolUse")
        || what.ends_with(".hooks")
    {
        "an array"
    } else {
        "an object"
    }
}

/// Whether `command` runs the guard hook (`guard hook claude`, possibly by
/// path or quoted).
pub fn is_guard_hook_command(command: &str, ours: &str) -> bool {
    if command.trim() == ours.trim() {
        return true;
    }
    let words: Vec<String> = command
        .split_whitespace()
        .map(|w| w.trim_matches(|c| c == '"' || c == '\'').to_string())
        .collect();
    let Some(program) = words.first() else {
        return false;
    };
    let base = program.rsplit(['/', '\\']).next().unwrap_or(program);
    matches!(base, "guard" | "guard.exe")
        && words.get(1).map(String::as_str) == Some("hook")
        && words.get(2).map(String::as_str) == Some("claude")
}

/// A matcher made only of names (`Bash|Edit`, `Edit, Write`): its names.
/// `None` for a regular expression; `Some([])` never happens for "match all".
pub fn matcher_names(matcher: &str) -> Option<Vec<&str>> {
    let plain = matcher
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ' ' | ',' | '|'));
    if !plain {
        return None;
    }
    Some(
        matcher
            .split(['|', ','])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect(),
    )
}

/// Whether a matcher matches every tool (`*`, empty, or absent).
pub fn matcher_is_all(matcher: Option<&str>) -> bool {
    matches!(matcher.map(str::trim), None | Some("") | Some("*"))
}

/// The merged text, or `None` when the file already holds everything.
pub fn merge(
    existing: Option<&str>,
    rules: &[EffectiveRule],
    hook: &HookSpec,
) -> Result<Option<String>, SettingsError> {
    let text = existing.unwrap_or("");
    let mut root = match existing {
        Some(t) if !t.trim().is_empty() => json::parse(t).map_err(|e| SettingsError {
            line: e.line,
            column: e.column,
            message: format!("not valid JSON: {}", e.message),
        })?,
        _ => Node::object(),
    };
    if !matches!(root.value, Json::Object(_)) {
        return Err(type_error(text, &root, "the top level"));
    }
    let original = existing
        .filter(|t| !t.trim().is_empty())
        .map(|_| root.clone());
    let mut changed = existing.is_none_or(|t| t.trim().is_empty());

    let want = |d: Decision| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in rules.iter().filter(|r| r.decision == d) {
            for s in &r.settings {
                if !out.contains(s) {
                    out.push(s.clone());
                }
            }
        }
        out
    };
    let want_deny = want(Decision::Deny);
    let want_ask = want(Decision::Ask);
    let known: Vec<&str> = catalogue()
        .iter()
        .flat_map(|r| r.settings.iter().copied())
        .collect();

    changed |= merge_permissions(text, &mut root, &want_deny, &want_ask, &known)?;
    changed |= merge_hook(text, &mut root, hook)?;

    if !changed {
        return Ok(None);
    }
    let indent = existing
        .map(json::detect_indent)
        .unwrap_or_else(|| "  ".into());
    let mut out = match &original {
        Some(orig) => json::to_pretty_preserving(&root, &indent, orig, text),
        None => json::to_pretty(&root, &indent),
    };
    out.push('\n');
    if text.contains("\r\n") {
        // Verbatim subtrees already carry CRLF; normalise before converting.
        out = out.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    Ok(Some(out))
}

fn string_list<'a>(text: &str, node: &'a Node, what: &str) -> Result<Vec<&'a str>, SettingsError> {
    let items = node
        .as_array()
        .ok_or_else(|| type_error(text, node, what))?;
    items
        .iter()
        .map(|i| {
            i.as_str()
                .ok_or_else(|| type_error(text, i, &format!("{what}[]")))
        })
        .collect()
}

fn merge_permissions(
    text: &str,
    root: &mut Node,
    want_deny: &[String],
    want_ask: &[String],
    known: &[&str],
) -> Result<bool, SettingsError> {
    let had_permissions = root.get("permissions").is_some();
    if !had_permissions && want_deny.is_empty() && want_ask.is_empty() {
        return Ok(false);
    }
    let mut changed = !had_permissions;
    let Some(perms) = root.entry("permissions", Node::object()) else {
        return Ok(false);
    };
    if !matches!(perms.value, Json::Object(_)) {
        return Err(type_error(text, perms, "permissions"));
    }
    for (key, want) in [("deny", want_deny), ("ask", want_ask)] {
        let what = format!("permissions.{key}");
        if let Some(list) = perms.get(key) {
            string_list(text, list, &what)?;
        } else if want.is_empty() {
            continue;
        }
        let Some(list) = perms.entry(key, Node::array()) else {
            continue;
        };
        let Some(items) = list.as_array_mut() else {
            continue;
        };
        // Catalogue strings guard.toml no longer puts in this list (disabled,
        // or moved to the other list by a downgrade).
        let before = items.len();
        items.retain(|i| {
            i.as_str()
                .is_none_or(|s| !known.contains(&s) || want.iter().any(|w| w == s))
        });
        changed |= items.len() != before;
        for w in want {
            if !items.iter().any(|i| i.as_str() == Some(w.as_str())) {
                items.push(Node::string(w.clone()));
                changed = true;
            }
        }
    }
    Ok(changed)
}

fn merge_hook(text: &str, root: &mut Node, hook: &HookSpec) -> Result<bool, SettingsError> {
    // Validate the shapes we are about to walk, with positions.
    if let Some(hooks) = root.get("hooks") {
        if !matches!(hooks.value, Json::Object(_)) {
            return Err(type_error(text, hooks, "hooks"));
        }
        if let Some(pre) = hooks.get("PreToolUse") {
            let groups = pre
                .as_array()
                .ok_or_else(|| type_error(text, pre, "hooks.PreToolUse"))?;
            for g in groups {
                if !matches!(g.value, Json::Object(_)) {
                    return Err(type_error(text, g, "hooks.PreToolUse[]"));
                }
                if let Some(m) = g.get("matcher") {
                    if m.as_str().is_none() {
                        return Err(type_error(text, m, "hooks.PreToolUse[].matcher"));
                    }
                }
                if let Some(hs) = g.get("hooks") {
                    let handlers = hs
                        .as_array()
                        .ok_or_else(|| type_error(text, hs, "hooks.PreToolUse[].hooks"))?;
                    for h in handlers {
                        if !matches!(h.value, Json::Object(_)) {
                            return Err(type_error(text, h, "hooks.PreToolUse[].hooks[]"));
                        }
                        if let Some(c) = h.get("command") {
                            if c.as_str().is_none() {
                                return Err(type_error(
                                    text,
                                    c,
                                    "hooks.PreToolUse[].hooks[].command",
                                ));
                            }
                        }
                    }
                }
            }
        }
    }

    let Some(hooks) = root.entry("hooks", Node::object()) else {
        return Ok(false);
    };
    let mut changed = false;
    let Some(pre) = hooks.entry("PreToolUse", Node::array()) else {
        return Ok(false);
    };
    let Some(groups) = pre.as_array_mut() else {
        return Ok(false);
    };
    let ours = groups.iter().position(|g| {
        g.get("hooks").and_then(Node::as_array).is_some_and(|hs| {
            hs.iter().any(|h| {
                h.get("command")
                    .and_then(Node::as_str)
                    .is_some_and(|c| is_guard_hook_command(c, &hook.command))
            })
        })
    });
    match ours.and_then(|i| groups.get_mut(i)) {
        Some(group) => {
            changed |= widen_matcher(group);
            changed |= fix_timeouts(group, hook);
            changed |= block_on_failure(group, hook);
        }
        None => {
            groups.push(new_group(hook));
            changed = true;
        }
    }
    Ok(changed)
}

fn new_group(hook: &HookSpec) -> Node {
    let handler = Node::new(Json::Object(vec![
        member("type", Node::string("command")),
        member("command", Node::string(hook.command.clone())),
        member(
            "timeout",
            Node::new(Json::Number(hook.timeout_secs.to_string())),
        ),
        member(ON_FAILURE_KEY, Node::string(ON_FAILURE_BLOCK)),
    ]));
    Node::new(Json::Object(vec![
        member("matcher", Node::string(HOOK_MATCHER)),
        member("hooks", Node::new(Json::Array(vec![handler]))),
    ]))
}

fn member(key: &str, value: Node) -> json::Member {
    json::Member {
        key: key.to_string(),
        key_span: json::Span::default(),
        value,
    }
}

/// Add missing tool names to a plain `A|B` matcher; regular expressions and
/// match-all matchers are left as the user wrote them.
fn widen_matcher(group: &mut Node) -> bool {
    let current = group
        .get("matcher")
        .and_then(Node::as_str)
        .map(str::to_string);
    if matcher_is_all(current.as_deref()) {
        return false;
    }
    let Some(current) = current else {
        return false;
    };
    let Some(names) = matcher_names(&current) else {
        return false;
    };
    let missing: Vec<&str> = hook_tools().filter(|t| !names.contains(t)).collect();
    if missing.is_empty() {
        return false;
    }
    let mut all: Vec<&str> = names;
    all.extend(missing);
    let widened = all.join("|");
    if let Some(m) = group.get_mut("matcher") {
        *m = Node::string(widened);
    }
    true
}

/// guard's own handler gets `"onFailure": "block"` when it lacks it (or says
/// anything else): a guard hook that cannot answer must not let the call run.
fn block_on_failure(group: &mut Node, hook: &HookSpec) -> bool {
    let mut changed = false;
    let Some(handlers) = group.get_mut("hooks").and_then(Node::as_array_mut) else {
        return false;
    };
    for h in handlers.iter_mut() {
        let is_ours = h
            .get("command")
            .and_then(Node::as_str)
            .is_some_and(|c| is_guard_hook_command(c, &hook.command));
        if !is_ours || h.get(ON_FAILURE_KEY).and_then(Node::as_str) == Some(ON_FAILURE_BLOCK) {
            continue;
        }
        if let Some(v) = h.entry(ON_FAILURE_KEY, Node::string(ON_FAILURE_BLOCK)) {
            *v = Node::string(ON_FAILURE_BLOCK);
            changed = true;
        }
    }
    changed
}

/// Timeouts of guard's own handler written as milliseconds (>= 1000 s is
/// almost 17 minutes) are set to the intended seconds.
fn fix_timeouts(group: &mut Node, hook: &HookSpec) -> bool {
    let mut changed = false;
    let Some(handlers) = group.get_mut("hooks").and_then(Node::as_array_mut) else {
        return false;
    };
    for h in handlers.iter_mut() {
        let is_ours = h
            .get("command")
            .and_then(Node::as_str)
            .is_some_and(|c| is_guard_hook_command(c, &hook.command));
        if !is_ours {
            continue;
        }
        let bad = h
            .get("timeout")
            .is_some_and(|t| t.as_f64().is_none_or(|s| !(s > 0.0 && s < 1000.0)));
        if bad {
            if let Some(t) = h.get_mut("timeout") {
                *t = Node::new(Json::Number(hook.timeout_secs.to_string()));
                changed = true;
            }
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Vec<EffectiveRule> {
        let mk = |id: &str, d: Decision, s: &[&str]| EffectiveRule {
            id: id.into(),
            pack: "git".into(),
            decision: d,
            title: String::new(),
            reason: String::new(),
            alternative: String::new(),
            settings: s.iter().map(|x| x.to_string()).collect(),
            instruction: String::new(),
            custom: false,
        };
        vec![
            mk(
                "A",
                Decision::Deny,
                &["Bash(git reset --hard *)", "Read(./.env)"],
            ),
            mk("B", Decision::Ask, &["Bash(git branch -D *)"]),
        ]
    }

    #[test]
    fn fresh_file_then_idempotent() {
        let out = merge(None, &rules(), &HookSpec::default())
            .unwrap()
            .unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["permissions"]["deny"][1], "Read(./.env)");
        assert_eq!(v["permissions"]["ask"][0], "Bash(git branch -D *)");
        assert_eq!(v["hooks"]["PreToolUse"][0]["hooks"][0]["timeout"], 10);
        assert_eq!(
            v["hooks"]["PreToolUse"][0]["hooks"][0]["onFailure"],
            "block"
        );
        assert_eq!(
            merge(Some(&out), &rules(), &HookSpec::default()).unwrap(),
            None
        );
    }

    #[test]
    fn user_entries_and_order_are_kept() {
        let user = "{\n    \"model\": \"opus\",\n    \"permissions\": {\n        \"allow\": [\"Bash(npm test)\"],\n        \"deny\": [\"Bash(curl *)\", \"Read(./.env)\"]\n    }\n}\n";
        let out = merge(Some(user), &rules(), &HookSpec::default())
            .unwrap()
            .unwrap();
        assert!(
            out.starts_with(
                "{\n    \"model\": \"opus\",\n    \"permissions\": {\n        \"allow\": [\"Bash(npm test)\"],\n        \"deny\": [\n            \"Bash(curl *)\",\n            \"Read(./.env)\",\n            \"Bash(git reset --hard *)\"\n        ]"
            ),
            "{out}"
        );
    }

    #[test]
    fn existing_guard_hook_is_widened_and_fixed_not_duplicated() {
        let user = r#"{"hooks":{"PreToolUse":[{"matcher":"Bash","hooks":[{"type":"command","command":"/usr/local/bin/guard hook claude","timeout":5000}]}]}}"#;
        let out = merge(Some(user), &[], &HookSpec::default())
            .unwrap()
            .unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let groups = v["hooks"]["PreToolUse"].as_array().unwrap();
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0]["matcher"], HOOK_MATCHER);
        assert_eq!(groups[0]["hooks"][0]["timeout"], 10);
        assert_eq!(groups[0]["hooks"][0]["onFailure"], "block");
        assert_eq!(
            groups[0]["hooks"][0]["command"],
            "/usr/local/bin/guard hook claude"
        );
    }

    #[test]
    fn downgraded_catalogue_string_moves_lists() {
        let known = catalogue()[0].settings[0];
        let user = format!(r#"{{"permissions":{{"deny":["{known}","Bash(mine)"]}}}}"#);
        let mut r = rules();
        r.push(EffectiveRule {
            settings: vec![known.to_string()],
            decision: Decision::Ask,
            ..r[1].clone()
        });
        let out = merge(Some(&user), &r, &HookSpec::default())
            .unwrap()
            .unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let deny = v["permissions"]["deny"].as_array().unwrap();
        assert!(!deny.iter().any(|d| d == known));
        assert!(deny.iter().any(|d| d == "Bash(mine)"));
        assert!(v["permissions"]["ask"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d == known));
    }

    #[test]
    fn crlf_files_stay_crlf_without_doubling() {
        let user = "{\r\n  \"env\": {\r\n    \"A\": \"1\"\r\n  }\r\n}\r\n";
        let out = merge(Some(user), &rules(), &HookSpec::default())
            .unwrap()
            .unwrap();
        assert!(!out.contains("\r\r"), "{out:?}");
        assert!(!out.replace("\r\n", "").contains('\n'), "{out:?}");
        assert!(
            out.contains("\"env\": {\r\n    \"A\": \"1\"\r\n  }"),
            "{out:?}"
        );
        assert_eq!(merge(Some(&out), &rules(), &HookSpec::default()), Ok(None));
    }

    #[test]
    fn wrong_types_are_errors_with_positions() {
        let e = merge(
            Some("{\n  \"permissions\": {\n    \"deny\": \"Bash(*)\"\n  }\n}"),
            &rules(),
            &HookSpec::default(),
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (3, 13));
        assert!(
            e.message.contains("permissions.deny must be an array"),
            "{e}"
        );
        let e = merge(Some("[1]"), &rules(), &HookSpec::default()).unwrap_err();
        assert!(e.message.contains("top level must be an object"), "{e}");
        let e = merge(
            Some("{\"permissions\":{\"deny\":[1]}}"),
            &rules(),
            &HookSpec::default(),
        )
        .unwrap_err();
        assert!(
            e.message.contains("permissions.deny[] must be a string"),
            "{e}"
        );
        let e = merge(
            Some("{\"hooks\":{\"PreToolUse\":{}}}"),
            &rules(),
            &HookSpec::default(),
        )
        .unwrap_err();
        assert!(
            e.message.contains("hooks.PreToolUse must be an array"),
            "{e}"
        );
        let e = merge(Some("{\"a\": }"), &rules(), &HookSpec::default()).unwrap_err();
        assert!(e.message.starts_with("not valid JSON"), "{e}");
    }
}
