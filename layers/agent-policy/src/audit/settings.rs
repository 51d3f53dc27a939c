//! Audit of `.claude/settings.json` and `.claude/settings.local.json`: modes,
//! permission rules and hooks, each finding located at the offending key or value.

use super::command;
use super::permission_rule::{self, PermissionRule, RuleFormError};
use super::rules::*;
use crate::init::json::{self, Json, Node, Span};
use crate::init::settings::{
    hook_tools, is_guard_hook_command, matcher_is_all, matcher_names, ON_FAILURE_BLOCK,
    ON_FAILURE_KEY,
};
use guard_core::{Finding, Location, Rule};
use std::ffi::OsStr;
use std::path::Path;

/// The project settings files Claude Code reads, in precedence order (local first).
pub const SETTINGS_FILES: &[&str] = &[".claude/settings.local.json", ".claude/settings.json"];

const OUR_HOOK: &str = "guard hook claude";

/// Programs an allow rule must never open wholesale: shells, `eval`,
/// privilege and exec wrappers, interpreters.
const ARBITRARY_CODE: &[&str] = &[
    "bash",
    "sh",
    "zsh",
    "dash",
    "fish",
    "ksh",
    "eval",
    "exec",
    "sudo",
    "doas",
    "su",
    "env",
    "xargs",
    "python",
    "python3",
    "node",
    "perl",
    "ruby",
    "deno",
    "bun",
    "npx",
    "pwsh",
    "powershell",
    "iex",
    "Invoke-Expression",
];

/// Programs with global options that may come before the subcommand
/// (`git -C dir push`, `terraform -chdir=x destroy`, `kubectl --context c delete`).
const GLOBAL_OPTIONS: &[&str] = &[
    "git",
    "terraform",
    "tofu",
    "terragrunt",
    "kubectl",
    "helm",
    "docker",
    "podman",
    "aws",
    "gcloud",
    "az",
    "npm",
    "cargo",
    "gh",
];

pub struct SettingsFile<'a> {
    pub path: &'a str,
    pub text: &'a str,
}

/// What the audit needs from outside the files.
pub struct Env<'a> {
    pub root: &'a Path,
    /// PATH used to resolve hook programs.
    pub path_var: Option<&'a OsStr>,
    /// Permission rule strings the catalogue generates.
    pub catalogue_strings: &'a [&'a str],
}

struct Parsed<'a> {
    path: &'a str,
    text: &'a str,
    root: Node,
}

impl Parsed<'_> {
    fn loc(&self, span: Span) -> Location {
        let start = json::line_col(self.text, span.start);
        let end = json::line_col(self.text, span.end);
        Location::span(self.path, start, end)
    }

    fn finding(&self, rule: &Rule, span: Span, message: impl Into<String>) -> Finding {
        Finding::new(rule, message).at(self.loc(span))
    }

    fn wrong_type(&self, node: &Node, what: &str, expected: &str) -> Finding {
        self.finding(
            &INVALID_SETTINGS,
            node.span,
            format!(
                "{what} must be {expected}, found {}; Claude Code ignores it",
                node.kind()
            ),
        )
    }
}

/// Hook facts gathered over every settings file.
#[derive(Default)]
struct Hooks {
    pre_tool_use: usize,
    bash_covered: bool,
    /// The guard hook's group: whether it sees Bash, and the tools its matcher misses.
    guard: Option<GuardHook>,
    first_pre_key: Option<(usize, Span)>,
}

struct GuardHook {
    file: usize,
    span: Span,
    covers_bash: bool,
    missing: Vec<&'static str>,
}

/// Whether a hook matcher selects the tool `tool`.
pub fn matcher_matches(matcher: Option<&str>, tool: &str) -> bool {
    if matcher_is_all(matcher) {
        return true;
    }
    let Some(m) = matcher else {
        return true;
    };
    match matcher_names(m) {
        Some(names) => names.contains(&tool),
        // Claude Code tests other matchers as unanchored JavaScript regular
        // expressions; the regex crate agrees on the syntax such matchers use.
        None => regex::Regex::new(m).is_ok_and(|re| re.is_match(tool)),
    }
}

pub fn audit(files: &[SettingsFile<'_>], env: &Env<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut parsed: Vec<Parsed<'_>> = Vec::new();
    for f in files {
        match json::parse(f.text) {
            Ok(root) if matches!(root.value, Json::Object(_)) => parsed.push(Parsed {
                path: f.path,
                text: f.text,
                root,
            }),
            Ok(root) => out.push(
                Finding::new(
                    &INVALID_SETTINGS,
                    format!(
                        "the top level must be an object, found {}; Claude Code ignores the file",
                        root.kind()
                    ),
                )
                .at(Location::line(f.path, 1)),
            ),
            Err(e) => out.push(
                Finding::new(
                    &INVALID_SETTINGS,
                    format!(
                        "not valid JSON: {}; Claude Code ignores the file",
                        e.message
                    ),
                )
                .at(Location::span(
                    f.path,
                    (e.line, e.column),
                    (e.line, e.column),
                )),
            ),
        }
    }

    let mut hooks = Hooks::default();
    for (i, p) in parsed.iter().enumerate() {
        collect_hooks(i, p, &mut hooks, &mut out);
    }
    for p in &parsed {
        check_modes(p, &mut out);
        check_permissions(p, env, &mut out);
        check_handlers(p, env, &mut out);
    }

    if hooks.pre_tool_use == 0 {
        let msg = "no PreToolUse hook: nothing checks a command before it runs, and deny rules alone match by prefix, so other spellings get past (user-level settings are not read by guard)";
        out.push(match parsed.first() {
            Some(p) => Finding::new(&NO_PRETOOLUSE_HOOK, msg).at(Location::line(p.path, 1)),
            None if files.is_empty() => Finding::new(
                &NO_PRETOOLUSE_HOOK,
                format!("{msg}; there is no .claude/settings.json"),
            )
            .resource(".claude/settings.json")
            .artifact(".claude/settings.json"),
            None => Finding::new(&NO_PRETOOLUSE_HOOK, msg)
                .resource(".claude/settings.json")
                .artifact(".claude/settings.json"),
        });
    } else if !hooks.bash_covered {
        if let Some((i, span)) = hooks.first_pre_key {
            if let Some(p) = parsed.get(i) {
                out.push(p.finding(
                    &BASH_NOT_COVERED,
                    span,
                    "PreToolUse hooks are registered, but no matcher matches the Bash tool",
                ));
            }
        }
    }
    if let Some(g) = &hooks.guard {
        if !g.missing.is_empty() {
            if let Some(p) = parsed.get(g.file) {
                out.push(p.finding(
                    &GUARD_HOOK_PARTIAL,
                    g.span,
                    format!(
                        "the guard hook's matcher leaves out {}",
                        g.missing.join(", ")
                    ),
                ));
            }
        }
    }
    out
}

fn collect_hooks(i: usize, p: &Parsed<'_>, hooks: &mut Hooks, out: &mut Vec<Finding>) {
    let Some(h) = p.root.get("hooks") else {
        return;
    };
    if !matches!(h.value, Json::Object(_)) {
        out.push(p.wrong_type(h, "hooks", "an object"));
        return;
    }
    let Some(pre_member) = h.member("PreToolUse") else {
        return;
    };
    let Some(groups) = pre_member.value.as_array() else {
        out.push(p.wrong_type(&pre_member.value, "hooks.PreToolUse", "an array"));
        return;
    };
    hooks.first_pre_key.get_or_insert((i, pre_member.key_span));
    for g in groups {
        let matcher_node = g.get("matcher");
        let matcher = matcher_node.and_then(Node::as_str);
        let Some(handlers) = g.get("hooks").and_then(Node::as_array) else {
            continue;
        };
        if handlers.is_empty() {
            continue;
        }
        hooks.pre_tool_use += handlers.len();
        let covers_bash = matcher_matches(matcher, "Bash");
        hooks.bash_covered |= covers_bash;
        let guard_handlers: Vec<&Node> = handlers
            .iter()
            .filter(|h| {
                h.get("command")
                    .and_then(Node::as_str)
                    .is_some_and(|c| is_guard_hook_command(c, OUR_HOOK))
            })
            .collect();
        let is_guard = !guard_handlers.is_empty();
        for h in guard_handlers {
            match h.get(ON_FAILURE_KEY) {
                Some(v) if v.as_str() == Some(ON_FAILURE_BLOCK) => {}
                Some(v) => out.push(p.finding(
                    &HOOK_FAILS_OPEN,
                    v.span,
                    format!(
                        "the guard hook's `{ON_FAILURE_KEY}` is not \"{ON_FAILURE_BLOCK}\": a guard hook that crashes or times out lets the tool call run"
                    ),
                )),
                None => out.push(p.finding(
                    &HOOK_FAILS_OPEN,
                    h.span,
                    format!(
                        "the guard hook has no `\"{ON_FAILURE_KEY}\": \"{ON_FAILURE_BLOCK}\"`: if it cannot start, crashes or times out, Claude Code runs the tool call unchecked"
                    ),
                )),
            }
        }
        if is_guard && hooks.guard.as_ref().is_none_or(|g| !g.covers_bash) {
            let missing = hook_tools()
                .filter(|t| !matcher_matches(matcher, t))
                .collect();
            hooks.guard = Some(GuardHook {
                file: i,
                span: matcher_node.map_or(g.span, |m| m.span),
                covers_bash,
                missing,
            });
        }
    }
}

fn check_modes(p: &Parsed<'_>, out: &mut Vec<Finding>) {
    if let Some(m) = p
        .root
        .get("permissions")
        .and_then(|perms| perms.get("defaultMode"))
    {
        if m.as_str() == Some("bypassPermissions") {
            out.push(p.finding(
                &BYPASS_PERMISSIONS,
                m.span,
                "defaultMode is bypassPermissions: every tool call runs without a prompt",
            ));
        }
    }
    if let Some(m) = p.root.get("skipDangerousModePermissionPrompt") {
        if m.as_bool() == Some(true) {
            out.push(p.finding(
                &BYPASS_PERMISSIONS,
                m.span,
                "skipDangerousModePermissionPrompt hides the warning before bypass mode starts",
            ));
        }
    }
    if let Some(d) = p.root.get("disableAllHooks") {
        if d.as_bool() == Some(true) {
            out.push(p.finding(
                &HOOKS_DISABLED,
                d.span,
                "disableAllHooks is true: no hook runs, the guard hook included",
            ));
        }
    }
}

fn check_permissions(p: &Parsed<'_>, env: &Env<'_>, out: &mut Vec<Finding>) {
    // Rule lists outside `permissions` are ignored by Claude Code.
    for list in ["allow", "ask", "deny"] {
        if let Some(m) = p.root.member(list) {
            out.push(p.finding(
                &IGNORED_RULE,
                m.key_span,
                format!("top-level `{list}` is ignored; rule lists belong under `permissions`"),
            ));
        }
    }
    let Some(perms) = p.root.get("permissions") else {
        return;
    };
    if !matches!(perms.value, Json::Object(_)) {
        out.push(p.wrong_type(perms, "permissions", "an object"));
        return;
    }
    for list in ["allow", "ask", "deny"] {
        let Some(node) = perms.get(list) else {
            continue;
        };
        let Some(items) = node.as_array() else {
            out.push(p.wrong_type(node, &format!("permissions.{list}"), "an array"));
            continue;
        };
        for item in items {
            let Some(s) = item.as_str() else {
                out.push(p.wrong_type(item, &format!("permissions.{list}[]"), "a string"));
                continue;
            };
            let rule = match permission_rule::parse(s) {
                Ok(r) => r,
                Err(e) => {
                    let message = match &e {
                        RuleFormError::Malformed(why) => {
                            format!("`{s}` is skipped by Claude Code: {why}")
                        }
                        RuleFormError::Ignored(why) => {
                            format!("`{s}` is accepted but never matches: {why}")
                        }
                    };
                    out.push(p.finding(&IGNORED_RULE, item.span, message));
                    continue;
                }
            };
            if list == "allow" {
                if let Some(why) = broad_allow(&rule) {
                    out.push(p.finding(&BROAD_ALLOW, item.span, format!("`{s}` {why}")));
                }
            } else if rule.is_shell() {
                // guard's own strings are one half of a pair with the hook;
                // without the hook, AGENT-AUDIT-020/023 report the real gap.
                let generated = env.catalogue_strings.contains(&s);
                if let (false, Some(why)) = (generated, bypassable(&rule)) {
                    out.push(p.finding(
                        &BYPASSABLE_DENY,
                        item.span,
                        format!("{list} rule `{s}` {why}"),
                    ));
                }
            }
        }
    }
}

fn normalize_spec(spec: &str) -> String {
    let spec = spec.trim();
    match spec.strip_suffix(":*") {
        Some(head) => format!("{head} *"),
        None => spec.to_string(),
    }
}

fn broad_allow(rule: &PermissionRule<'_>) -> Option<String> {
    if rule.tool() == "*" {
        return Some("allows every tool".into());
    }
    if !rule.is_shell() {
        return None;
    }
    let Some(spec) = rule.specifier() else {
        return Some("allows every shell command".into());
    };
    let spec = normalize_spec(spec);
    if spec.chars().all(|c| matches!(c, '*' | ' ' | ':')) {
        return Some("allows every shell command".into());
    }
    if !spec.contains('*') {
        return None;
    }
    let first = spec.split_whitespace().next().unwrap_or("");
    let program = first.trim_end_matches('*');
    let program = program.rsplit('/').next().unwrap_or(program);
    if ARBITRARY_CODE.contains(&program) {
        return Some(format!(
            "allows `{program}` with any arguments, which runs any code without a prompt"
        ));
    }
    if first.starts_with('*') {
        return Some("starts with a wildcard and so matches any command".into());
    }
    None
}

fn bypassable(rule: &PermissionRule<'_>) -> Option<String> {
    let spec = normalize_spec(rule.specifier()?);
    let words: Vec<&str> = spec.split_whitespace().collect();
    let program = *words.first()?;
    if !spec.contains('*') {
        return Some(format!(
            "matches only the exact command `{spec}`: any extra argument, another flag spelling or order (e.g. `{}`) gets past",
            variant(&words)
        ));
    }
    let before_wildcard: Vec<&str> = words
        .iter()
        .copied()
        .take_while(|w| !w.contains('*'))
        .collect();
    if let Some(opt) = before_wildcard.iter().skip(1).find(|w| w.starts_with('-')) {
        return Some(format!(
            "depends on `{opt}` being spelled and placed exactly so: another spelling (short or long form, combined flags) or position gets past"
        ));
    }
    if GLOBAL_OPTIONS.contains(&program) && before_wildcard.len() >= 2 {
        return Some(format!(
            "misses global options before the subcommand (e.g. `{program} {} {}`)",
            global_option_example(program),
            before_wildcard[1..].join(" ")
        ));
    }
    None
}

fn global_option_example(program: &str) -> &'static str {
    match program {
        "git" => "-C .",
        "terraform" | "tofu" | "terragrunt" => "-chdir=.",
        "kubectl" | "helm" => "--context c",
        "aws" => "--profile p",
        "docker" | "podman" => "--log-level info",
        _ => "--verbose",
    }
}

/// Another spelling of an exact-match command, to show what slips through.
fn variant(words: &[&str]) -> String {
    let swapped: Vec<String> = words
        .iter()
        .map(|w| match *w {
            "-rf" => "-fr".to_string(),
            "-fr" => "-rf".to_string(),
            "--force" => "-f".to_string(),
            "-f" => "--force".to_string(),
            w => w.to_string(),
        })
        .collect();
    if swapped.iter().zip(words).any(|(a, b)| a != b) {
        swapped.join(" ")
    } else {
        format!("{} --verbose", words.join(" "))
    }
}

fn check_handlers(p: &Parsed<'_>, env: &Env<'_>, out: &mut Vec<Finding>) {
    let Some(events) = p.root.get("hooks").and_then(Node::as_object) else {
        return;
    };
    for event in events {
        let Some(groups) = event.value.as_array() else {
            if event.key != "PreToolUse" {
                out.push(p.wrong_type(&event.value, &format!("hooks.{}", event.key), "an array"));
            }
            continue;
        };
        for g in groups {
            if !matches!(g.value, Json::Object(_)) {
                out.push(p.wrong_type(g, &format!("hooks.{}[]", event.key), "an object"));
                continue;
            }
            if let Some(m) = g.get("matcher") {
                if m.as_str().is_none() {
                    out.push(p.wrong_type(
                        m,
                        &format!("hooks.{}[].matcher", event.key),
                        "a string",
                    ));
                }
            }
            let Some(hs) = g.get("hooks") else {
                continue;
            };
            let Some(handlers) = hs.as_array() else {
                out.push(p.wrong_type(hs, &format!("hooks.{}[].hooks", event.key), "an array"));
                continue;
            };
            for h in handlers {
                check_handler(p, env, &event.key, h, out);
            }
        }
    }
}

fn check_handler(p: &Parsed<'_>, env: &Env<'_>, event: &str, h: &Node, out: &mut Vec<Finding>) {
    if !matches!(h.value, Json::Object(_)) {
        out.push(p.wrong_type(h, &format!("hooks.{event}[].hooks[]"), "an object"));
        return;
    }
    if let Some(t) = h.get("timeout") {
        match t.as_f64() {
            Some(secs) if secs >= 1000.0 => out.push(p.finding(
                &MILLISECOND_TIMEOUT,
                t.span,
                format!(
                    "timeout {secs} is in seconds ({:.0} minutes); it looks like milliseconds were meant",
                    secs / 60.0
                ),
            )),
            Some(_) => {}
            None => out.push(p.wrong_type(t, &format!("hooks.{event}[].hooks[].timeout"), "a number of seconds")),
        }
    }
    let is_command = h
        .get("type")
        .and_then(Node::as_str)
        .is_none_or(|t| t == "command");
    if !is_command {
        return;
    }
    let Some(c) = h.get("command") else {
        return;
    };
    let Some(cmd) = c.as_str() else {
        out.push(p.wrong_type(c, &format!("hooks.{event}[].hooks[].command"), "a string"));
        return;
    };
    if let Some(why) = command::missing(cmd, env.root, env.path_var) {
        out.push(p.finding(
            &MISSING_HOOK_COMMAND,
            c.span,
            format!("{event} hook cannot start: {why}; Claude Code then lets every call through"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matcher_semantics() {
        assert!(matcher_matches(None, "Bash"));
        assert!(matcher_matches(Some("*"), "Bash"));
        assert!(matcher_matches(Some("Edit|Bash"), "Bash"));
        assert!(matcher_matches(Some("Edit, Bash"), "Bash"));
        assert!(!matcher_matches(Some("Edit|Write"), "Bash"));
        assert!(!matcher_matches(Some("Bas"), "Bash"));
        assert!(matcher_matches(Some("Ba.*"), "Bash"));
        assert!(matcher_matches(Some("Edit.*"), "NotebookEdit"));
        assert!(!matcher_matches(Some("^Edit$"), "NotebookEdit"));
        assert!(!matcher_matches(Some("(("), "Bash"));
    }

    fn parse_rule(s: &str) -> PermissionRule<'_> {
        permission_rule::parse(s).unwrap()
    }

    #[test]
    fn broad_allows() {
        for s in [
            "Bash",
            "Bash(*)",
            "Bash(:*)",
            "Bash(bash *)",
            "Bash(sudo:*)",
            "Bash(/usr/bin/python3 *)",
            "Bash(*rm*)",
            "PowerShell",
        ] {
            assert!(broad_allow(&parse_rule(s)).is_some(), "{s}");
        }
        for s in [
            "Bash(npm run test *)",
            "Bash(git status)",
            "Read(./src/**)",
            "Bash(env)",
        ] {
            assert!(broad_allow(&parse_rule(s)).is_none(), "{s}");
        }
    }

    #[test]
    fn bypassable_denies() {
        for s in [
            "Bash(rm -rf /)",
            "Bash(git push --force *)",
            "Bash(git push *)",
            "Bash(env)",
            "Bash(terraform destroy:*)",
        ] {
            assert!(bypassable(&parse_rule(s)).is_some(), "{s}");
        }
        for s in ["Bash(shred *)", "Bash(mkfs *)", "Bash(curl *)"] {
            assert!(bypassable(&parse_rule(s)).is_none(), "{s}");
        }
        let why = bypassable(&parse_rule("Bash(git push --force)")).unwrap();
        assert!(why.contains("git push -f"), "{why}");
    }
}
