//! `guard init --agent claude` end to end: empty and existing projects,
//! idempotence, dry runs, guard.toml overrides, bad input, and the generated
//! configuration passing guard's own audit.

mod common;

use common::{guard, run, tree};
use serde_json::Value;
use std::path::Path;

fn init(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    run(guard()
        .arg("init")
        .arg(dir)
        .args(["--agent", "claude"])
        .args(extra))
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn settings(dir: &Path) -> Value {
    serde_json::from_str(&read(dir, ".claude/settings.json")).expect("settings.json is JSON")
}

/// Every file under `dir`, with its bytes, for before/after comparisons.
fn snapshot_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).expect("prefix").display().to_string();
                out.push((rel, std::fs::read(&p).expect("read")));
            }
        }
    }
    out.sort();
    out
}

/// Tool names the Claude Code settings schema accepts in a permission rule.
const TOOLS: &[&str] = &[
    "Agent",
    "Bash",
    "Cd",
    "Edit",
    "ExitPlanMode",
    "Glob",
    "Grep",
    "KillShell",
    "LSP",
    "Monitor",
    "MultiEdit",
    "NotebookEdit",
    "PowerShell",
    "Read",
    "Skill",
    "TaskCreate",
    "TaskGet",
    "TaskList",
    "TaskOutput",
    "TaskStop",
    "TaskUpdate",
    "TodoWrite",
    "ToolSearch",
    "WebFetch",
    "WebSearch",
    "Write",
];

/// The schema's `permissionRule` pattern,
/// `^((Tool)(\([^)]+\))?|mcp__.*)$`, checked by hand; plus the rules Claude Code
/// accepts but never consults (`Write(path)`).
fn accepted_rule_form(rule: &str) -> Result<(), String> {
    if rule.starts_with("mcp__") {
        return Ok(());
    }
    let (tool, rest) = match rule.find('(') {
        Some(i) => (&rule[..i], &rule[i..]),
        None => (rule, ""),
    };
    if !TOOLS.contains(&tool) {
        return Err(format!("unknown tool `{tool}`"));
    }
    if rest.is_empty() {
        return Ok(());
    }
    let inner = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .ok_or("parentheses not balanced or text after `)`")?;
    if inner.is_empty() || inner.contains(')') {
        return Err("specifier empty or holds `)`".into());
    }
    if matches!(tool, "Write" | "MultiEdit" | "NotebookEdit" | "Glob") {
        return Err(format!("`{tool}(path)` rules are never consulted"));
    }
    Ok(())
}

fn rules_in(v: &Value, list: &str) -> Vec<String> {
    v["permissions"][list]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| r.as_str().expect("rule is a string").to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn rule_form_checker_rejects_what_claude_code_skips() {
    for bad in [
        "Bash(rm -rf /)*",
        "bash(ls)",
        "Bash()",
        "Bash(ls",
        "Write(./.env)",
        "Bash(a) ",
    ] {
        assert!(accepted_rule_form(bad).is_err(), "{bad}");
    }
    for good in ["Bash", "Bash(git push *)", "Read(./.env)", "mcp__db__query"] {
        assert!(accepted_rule_form(good).is_ok(), "{good}");
    }
}

#[test]
fn empty_repo_gets_block_settings_hook_and_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, out, err) = init(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("created CLAUDE.md"), "{out}");
    assert!(out.contains("created .claude/settings.json"), "{out}");
    assert!(out.contains("created guard.toml"), "{out}");

    let md = read(dir.path(), "CLAUDE.md");
    assert!(md.starts_with("<!-- guard:begin"), "{md}");
    assert!(md.trim_end().ends_with("<!-- guard:end -->"));
    assert!(
        md.contains("### Git") && md.contains("(AGENT-GIT-001)"),
        "{md}"
    );
    assert!(
        md.contains("### Infrastructure code") && md.contains("(INFRA-IAM-001)"),
        "infra rules are stated as prohibitions: {md}"
    );

    let v = settings(dir.path());
    let deny = rules_in(&v, "deny");
    let ask = rules_in(&v, "ask");
    assert!(!deny.is_empty() && !ask.is_empty());
    for r in deny.iter().chain(&ask) {
        accepted_rule_form(r).unwrap_or_else(|e| panic!("`{r}`: {e}"));
    }
    let mut seen = std::collections::BTreeSet::new();
    for r in deny.iter().chain(&ask) {
        assert!(seen.insert(r), "duplicate rule {r}");
    }
    assert!(
        deny.iter().any(|r| r.starts_with("Read(")),
        "secret reads denied"
    );

    let groups = v["hooks"]["PreToolUse"].as_array().expect("PreToolUse");
    assert_eq!(groups.len(), 1);
    let matcher = groups[0]["matcher"].as_str().expect("matcher");
    let names: Vec<&str> = matcher.split('|').collect();
    for tool in [
        "Bash",
        "Edit",
        "Write",
        "MultiEdit",
        "Read",
        "Grep",
        "WebFetch",
    ] {
        assert!(names.contains(&tool), "matcher {matcher} misses {tool}");
    }
    let handler = &groups[0]["hooks"][0];
    assert_eq!(handler["type"], "command");
    assert_eq!(handler["command"], "guard hook claude");
    let timeout = handler["timeout"].as_u64().expect("timeout");
    assert!((1..=60).contains(&timeout), "timeout {timeout} is seconds");
    // A guard hook that crashes or times out blocks the call (Claude Code 2.1.295+).
    assert_eq!(handler["onFailure"], "block");
    // Pack headings are words, not ids.
    for heading in ["### HTTP APIs", "### CI", "### Self-protection"] {
        assert!(md.contains(&format!("{heading}\n")), "{heading}: {md}");
    }
    for id_like in [
        "### Http",
        "### Ci\n",
        "### Self protection",
        "### Pipe to shell",
    ] {
        assert!(!md.contains(id_like), "{id_like}: {md}");
    }
    // AGENT-AUDIT-020's fix names the tools init registers.
    let (code, explain, err) = run(guard().args(["explain", "AGENT-AUDIT-020"]));
    assert_eq!(code, 0, "{err}");
    assert!(explain.contains(matcher), "{matcher} not in: {explain}");

    let toml = read(dir.path(), "guard.toml");
    assert!(toml.contains("[layers.agent-policy]"));
}

#[test]
fn existing_files_keep_user_text_entries_and_order() {
    let user_md = "# Team notes\n\nUse pnpm.\n\n## Style\n\nTabs, not spaces.\n";
    let user_settings = r#"{
    "model": "opus",
    "permissions": {
        "allow": ["Bash(pnpm test *)"],
        "deny": ["Bash(curl *)", "Bash(git reset --hard)"]
    },
    "env": {"FOO": "1"},
    "hooks": {
        "PostToolUse": [
            {"matcher": "Edit", "hooks": [{"type": "command", "command": "pnpm fmt"}]}
        ]
    }
}
"#;
    let dir = tree(&[
        ("CLAUDE.md", user_md.as_bytes()),
        (".claude/settings.json", user_settings.as_bytes()),
    ]);
    let (code, out, err) = init(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("updated CLAUDE.md") && out.contains("updated .claude/settings.json"));

    let md = read(dir.path(), "CLAUDE.md");
    assert!(
        md.starts_with(user_md),
        "user text first and untouched:\n{md}"
    );
    assert_eq!(md.matches("<!-- guard:begin").count(), 1);

    let text = read(dir.path(), ".claude/settings.json");
    let v: Value = serde_json::from_str(&text).expect("json");
    let keys: Vec<&str> = ["\"model\"", "\"permissions\"", "\"env\"", "\"hooks\""]
        .into_iter()
        .collect();
    let positions: Vec<usize> = keys.iter().map(|k| text.find(k).expect(k)).collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "key order kept:\n{text}"
    );
    assert!(
        text.contains("\n    \"model\""),
        "4-space indent kept:\n{text}"
    );
    assert_eq!(v["model"], "opus");
    assert_eq!(v["env"]["FOO"], "1");
    assert_eq!(rules_in(&v, "allow"), ["Bash(pnpm test *)"]);
    let deny = rules_in(&v, "deny");
    assert_eq!(&deny[..2], ["Bash(curl *)", "Bash(git reset --hard)"]);
    assert_eq!(
        deny.iter()
            .filter(|r| *r == "Bash(git reset --hard)")
            .count(),
        1,
        "no duplicate of an entry the user already had"
    );
    assert_eq!(
        v["hooks"]["PostToolUse"][0]["hooks"][0]["command"],
        "pnpm fmt"
    );
    assert_eq!(v["hooks"]["PreToolUse"].as_array().expect("pre").len(), 1);
}

#[test]
fn second_run_changes_nothing() {
    let dir = tree(&[("CLAUDE.md", b"# Notes\r\n\r\nKeep CRLF.\r\n")]);
    let (code, _, err) = init(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    let first = snapshot_tree(dir.path());
    let (code, out, err) = init(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !out.contains("created") && !out.contains("updated"),
        "{out}"
    );
    assert_eq!(
        first,
        snapshot_tree(dir.path()),
        "byte-identical second run"
    );
    let (code, out, _) = init(dir.path(), &["--check"]);
    assert_eq!((code, out.as_str()), (0, ""));
    let md = read(dir.path(), "CLAUDE.md");
    assert!(
        !md.replace("\r\n", "").contains('\n'),
        "CRLF file stays CRLF"
    );
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let dir = tree(&[("CLAUDE.md", b"# Notes\n")]);
    let before = snapshot_tree(dir.path());
    let (code, out, err) = init(dir.path(), &["--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("--- a/CLAUDE.md\n+++ b/CLAUDE.md\n"), "{out}");
    assert!(
        out.contains("--- /dev/null\n+++ b/.claude/settings.json\n"),
        "{out}"
    );
    assert!(out.contains("+<!-- guard:begin"), "{out}");
    assert_eq!(before, snapshot_tree(dir.path()), "dry run wrote nothing");
    let (code, _, _) = init(dir.path(), &["--check"]);
    assert_eq!(code, 1, "--check fails while changes are pending");
}

#[test]
fn guard_toml_disables_and_downgrades_rules() {
    let dir = tree(&[(
        "guard.toml",
        b"[layers.agent-policy]\ndisable = [\"AGENT-GIT-002\"]\ndowngrade = [\"AGENT-GIT-001\"]\n",
    )]);
    let (code, out, err) = init(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !out.contains("guard.toml"),
        "an existing config is not touched: {out}"
    );
    let md = read(dir.path(), "CLAUDE.md");
    assert!(!md.contains("AGENT-GIT-002"));
    assert!(md.contains("(AGENT-GIT-001 *ask*)"), "{md}");
    let v = settings(dir.path());
    let (deny, ask) = (rules_in(&v, "deny"), rules_in(&v, "ask"));
    assert!(!deny
        .iter()
        .chain(&ask)
        .any(|r| r.starts_with("Bash(git reset --hard")));
    assert!(ask.iter().any(|r| r == "Bash(git push --force *)"));
    assert!(!deny.iter().any(|r| r == "Bash(git push --force *)"));

    // Re-enabling moves the strings back, without duplicates.
    std::fs::write(dir.path().join("guard.toml"), "[layers.agent-policy]\n").expect("write");
    let (code, _, err) = init(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    let v = settings(dir.path());
    let (deny, ask) = (rules_in(&v, "deny"), rules_in(&v, "ask"));
    assert!(deny.iter().any(|r| r == "Bash(git push --force *)"));
    assert!(!ask.iter().any(|r| r == "Bash(git push --force *)"));
    assert!(deny.iter().any(|r| r == "Bash(git reset --hard)"));
}

#[test]
fn generated_configuration_passes_the_audit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, _, err) = init(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    // A stand-in `guard` on PATH, as on a machine where guard is installed.
    let bin = tempfile::tempdir().expect("tempdir");
    let fake = bin.path().join("guard");
    std::fs::write(&fake, "#!/bin/sh\n").expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let (code, out, err) = run(guard()
        .env("PATH", bin.path())
        .arg("run")
        .arg(dir.path())
        .args(["--layer", "agent-policy", "--format", "json"]));
    let report: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule_id"].as_str().expect("id"))
        .collect();
    assert!(ids.is_empty(), "{ids:?}\n{err}");
    assert_eq!(code, 0);
}

#[test]
fn invalid_settings_is_an_error_with_position_and_the_file_is_kept() {
    for (body, want) in [
        (
            &b"{\n  \"permissions\": {\n    \"deny\": [\"Bash(x)\",]\n  }\n}\n"[..],
            ".claude/settings.json:3:",
        ),
        (
            b"{\n  \"permissions\": {\n    \"deny\": \"Bash(x)\"\n  }\n}\n",
            ".claude/settings.json:3:13: permissions.deny must be an array",
        ),
        (b"[1, 2]\n", "top level must be an object"),
        (
            b"{\"hooks\": {\"PreToolUse\": [{\"hooks\": [{\"command\": 7}]}]}}",
            "command must be a string",
        ),
        (
            b"{\"permissions\": {\"ask\": [1]}}",
            "permissions.ask[] must be a string",
        ),
        (b"\xFF\xFE{\0}\0", "UTF-16"),
        (b"{\"a\": \"\xC3\x28\"}", "not valid UTF-8"),
    ] {
        let dir = tree(&[(".claude/settings.json", body)]);
        let before = snapshot_tree(dir.path());
        let (code, _, err) = init(dir.path(), &[]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(want), "want `{want}` in: {err}");
        assert!(err.contains("left unchanged"), "{err}");
        assert_eq!(
            before,
            snapshot_tree(dir.path()),
            "nothing written on error"
        );
    }
}

#[test]
fn bad_claude_md_is_an_error() {
    let huge = vec![b'a'; 2 * 1024 * 1024];
    let deep_nesting = format!("{{\"a\":{}1{}}}", "[".repeat(5000), "]".repeat(5000));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("CLAUDE.md", b"# notes\0\x01\x02".to_vec(), "binary file"),
        ("CLAUDE.md", huge, "over the 1048576-byte limit"),
        (
            "CLAUDE.md",
            b"# notes\n<!-- guard:begin -->\n- rule\n".to_vec(),
            "CLAUDE.md: line 2: `<!-- guard:begin` has no matching",
        ),
        (
            "CLAUDE.md",
            b"<!-- guard:begin -->\n<!-- guard:end -->\n<!-- guard:begin -->\n<!-- guard:end -->\n"
                .to_vec(),
            "a second `<!-- guard:begin`",
        ),
        (
            "CLAUDE.md",
            b"text\n<!-- guard:end -->\n".to_vec(),
            "line 2",
        ),
        (
            "CLAUDE.md",
            b"# notes\n```sh\nmake\n".to_vec(),
            "line 2: code fence never closed",
        ),
        (
            ".claude/settings.json",
            deep_nesting.into_bytes(),
            ".claude/settings.json:1:",
        ),
    ];
    for (name, body, want) in cases {
        let dir = tree(&[(name, &body)]);
        let before = snapshot_tree(dir.path());
        let (code, _, err) = init(dir.path(), &[]);
        assert_eq!(code, 2, "{name}: {err}");
        assert!(err.contains(want), "want `{want}` in: {err}");
        assert_eq!(
            before,
            snapshot_tree(dir.path()),
            "nothing written on error"
        );
    }
}

#[test]
fn usage_errors() {
    let dir = tree(&[("file.txt", b"x")]);
    let (code, _, err) = init(&dir.path().join("file.txt"), &[]);
    assert_eq!(code, 2);
    assert!(err.contains("not a directory"), "{err}");
    let (code, _, _) = init(dir.path(), &["--hook-timeout", "5000"]);
    assert_eq!(code, 2, "timeouts are seconds, at most 600");
    let (code, _, err) = run(guard()
        .arg("init")
        .arg(dir.path())
        .args(["--agent", "cursor"]));
    assert_eq!(code, 2, "{err}");
    let bad = tree(&[("guard.toml", b"[layers.agent-policy]\ndisabel = []\n")]);
    let (code, _, err) = init(bad.path(), &[]);
    assert_eq!(code, 2);
    assert!(err.contains("disabel"), "{err}");
}

fn audit(dir: &Path) -> (i32, Value, String) {
    let (code, out, err) = run(guard()
        .env("PATH", "/nonexistent")
        .arg("run")
        .arg(dir)
        .args(["--layer", "agent-policy", "--format", "json"]));
    let report = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    (code, report, err)
}

#[test]
fn audit_in_guard_run_locates_settings_problems() {
    let dir = tree(&[
        ("CLAUDE.md", b"# Notes\n\nBe careful with production.\n"),
        (
            ".claude/settings.json",
            b"{\n  \"permissions\": {\n    \"defaultMode\": \"bypassPermissions\",\n    \"allow\": [\"Bash(*)\"]\n  }\n}\n",
        ),
    ]);
    let (code, report, err) = audit(dir.path());
    assert_eq!(code, 1, "{err}");
    let findings = report["findings"].as_array().expect("findings");
    let at = |id: &str| {
        findings
            .iter()
            .find(|f| f["rule_id"] == id)
            .map(|f| {
                let l = &f["location"];
                (
                    l["path"].as_str().unwrap_or("").to_string(),
                    l["start_line"].as_u64().unwrap_or(0),
                )
            })
            .unwrap_or_else(|| panic!("{id} missing: {report}"))
    };
    assert_eq!(at("AGENT-AUDIT-011"), (".claude/settings.json".into(), 3));
    assert_eq!(at("AGENT-AUDIT-012"), (".claude/settings.json".into(), 4));
    assert_eq!(at("AGENT-AUDIT-002"), ("CLAUDE.md".into(), 3));
    at("AGENT-AUDIT-020");
    at("AGENT-AUDIT-003");
}

#[test]
fn guard_hook_without_on_failure_block_is_flagged_and_init_adds_it() {
    let settings_text = br#"{
  "hooks": {
    "PreToolUse": [
      {
        "matcher": "Bash|PowerShell|Edit|Write|MultiEdit|NotebookEdit|Read|Grep|WebFetch",
        "hooks": [{ "type": "command", "command": "guard hook claude", "timeout": 10 }]
      }
    ]
  }
}
"#;
    let dir = tree(&[(".claude/settings.json", settings_text)]);
    let (_, report, err) = audit(dir.path());
    let hit = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule_id"] == "AGENT-AUDIT-026")
        .unwrap_or_else(|| panic!("AGENT-AUDIT-026 missing: {report}\n{err}"));
    assert_eq!(hit["location"]["path"], ".claude/settings.json");
    assert_eq!(hit["location"]["start_line"], 6);
    let (code, _, err) = init(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    let v = settings(dir.path());
    let groups = v["hooks"]["PreToolUse"].as_array().expect("groups");
    assert_eq!(
        groups.len(),
        1,
        "the existing handler is updated, not duplicated"
    );
    assert_eq!(groups[0]["hooks"][0]["onFailure"], "block");
    let (_, report, _) = audit(dir.path());
    assert!(
        !report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["rule_id"] == "AGENT-AUDIT-026"),
        "{report}"
    );
}

#[test]
fn audit_of_invalid_and_unreadable_files() {
    let dir = tree(&[
        ("CLAUDE.md", b"# Notes\n"),
        (".claude/settings.json", b"{\n  \"permissions\": {\n"),
    ]);
    let (code, report, _) = audit(dir.path());
    assert_eq!(code, 1);
    let f = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule_id"] == "AGENT-AUDIT-010")
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!(f["location"]["start_line"], 3);

    let dir = tree(&[("CLAUDE.md", b"\x00\x01binary")]);
    let (code, report, err) = audit(dir.path());
    assert_eq!(code, 2, "an unreadable input fails the layer: {err}");
    let text = report.to_string();
    assert!(
        text.contains("CLAUDE.md") && text.contains("binary"),
        "{text}"
    );
}

#[test]
fn inline_suppression_in_claude_md() {
    let dir = tree(&[(
        "CLAUDE.md",
        b"# Notes\n\n<!-- guard:ignore[AGENT-AUDIT-002] tone only, rules are below -->\nBe careful with production.\n",
    )]);
    let (_, report, _) = audit(dir.path());
    let vague = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule_id"] == "AGENT-AUDIT-002")
        .count();
    assert_eq!(vague, 0, "{report}");
}
