//! `guard review` and `guard run --layer review` end to end: change intake
//! (working tree, --staged, --diff, --patch, stdin), per-reviewer outcomes in
//! every format, and bad input (truncated, binary, huge, escaping paths, a
//! reviewer that panics or hangs).

mod common;

use common::{guard, run};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.email=t@example.com",
            "-c",
            "user.name=t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git")
        .status
        .success();
    assert!(ok, "git {args:?}");
}

const BEFORE: &str = "def f(x):\n    return x\n";
const AFTER: &str = "import os\nfrom flask import request\n\n\ndef f(x):\n    try:\n        os.system(\"ls \" + request.args[\"d\"])\n    except:\n        pass\n    return x\n";

/// A repository with one commit of `src/app.py` (BEFORE) and AFTER in the
/// working tree.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("src")).expect("mkdir");
    std::fs::write(dir.path().join("src/app.py"), BEFORE).expect("write");
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-qm", "init"]);
    std::fs::write(dir.path().join("src/app.py"), AFTER).expect("write");
    dir
}

fn with_stdin(cmd: &mut Command, input: &[u8]) -> (i32, String, String) {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let data = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait");
    let _ = writer.join();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn rule_ids(json: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(json).expect("json report");
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn working_tree_change_is_reviewed_and_blocks_on_critical() {
    let dir = repo();
    let (code, out, err) = run(guard()
        .current_dir(dir.path())
        .args(["review", "--format", "json"]));
    assert_eq!(code, 1, "{err}");
    let ids = rule_ids(&out);
    assert!(ids.contains(&"REVIEW-SEC-001".to_string()), "{ids:?}");
    assert!(ids.contains(&"REVIEW-BUG-001".to_string()), "{ids:?}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let parts = v["layers"][0]["parts"].as_array().expect("parts");
    let names: Vec<&str> = parts
        .iter()
        .map(|p| p["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(names, ["bug", "security", "performance", "quality"]);
    // --fail-on critical still blocks; a security-free selection passes.
    let (code, _, _) =
        run(guard()
            .current_dir(dir.path())
            .args(["review", "--fail-on", "critical"]));
    assert_eq!(code, 1);
    let (code, out, _) = run(guard().current_dir(dir.path()).args([
        "review",
        "--reviewer",
        "bug",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0, "{out}");
    assert_eq!(rule_ids(&out), ["REVIEW-BUG-001"]);
}

#[test]
fn staged_range_patch_and_stdin_agree() {
    let dir = repo();
    git(dir.path(), &["add", "."]);
    let staged = run(guard()
        .current_dir(dir.path())
        .args(["review", "--staged", "--format", "json"]));
    git(dir.path(), &["commit", "-qm", "change"]);
    let range = run(guard().current_dir(dir.path()).args([
        "review",
        "--diff",
        "HEAD~1..HEAD",
        "--format",
        "json",
    ]));
    let run_layer = run(guard().current_dir(dir.path()).args([
        "run",
        "--layer",
        "review",
        "--diff",
        "HEAD~1..HEAD",
        "--format",
        "json",
    ]));
    let patch = Command::new("git")
        .arg("-C")
        .arg(dir.path())
        .args(["diff", "HEAD~1..HEAD"])
        .output()
        .expect("git diff")
        .stdout;
    std::fs::write(dir.path().join("change.diff"), &patch).expect("write");
    let from_file = run(guard().current_dir(dir.path()).args([
        "review",
        "--patch",
        "change.diff",
        "--format",
        "json",
    ]));
    let from_stdin = with_stdin(
        guard()
            .current_dir(dir.path())
            .args(["review", "-", "--format", "json"]),
        &patch,
    );
    let want = rule_ids(&staged.1);
    assert!(!want.is_empty());
    for (name, got) in [
        ("range", range),
        ("run", run_layer),
        ("patch", from_file),
        ("stdin", from_stdin),
    ] {
        assert_eq!(got.0, 1, "{name}: {}", got.2);
        assert_eq!(rule_ids(&got.1), want, "{name}");
    }
}

#[test]
fn patch_whose_new_side_is_not_on_disk_is_reviewed_from_its_hunks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let patch = "--- a/svc/app.py\n+++ b/svc/app.py\n@@ -10,2 +10,5 @@ def handler():\n     x = 1\n+    try:\n+        run()\n+    except:\n+        pass\n     return x\n";
    let (code, out, err) = with_stdin(
        guard()
            .current_dir(dir.path())
            .args(["review", "-", "--format", "json"]),
        patch.as_bytes(),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(rule_ids(&out), ["REVIEW-BUG-001"]);
}

#[test]
fn findings_only_on_added_lines_unless_context_widens() {
    // The swallowed exception is old code; the change adds a line near it.
    let dir = tempfile::tempdir().expect("tempdir");
    let new = "def f():\n    try:\n        run()\n    except:\n        pass\n    log()\n";
    std::fs::write(dir.path().join("m.py"), new).expect("write");
    let patch =
        "--- a/m.py\n+++ b/m.py\n@@ -4,2 +4,3 @@\n     except:\n         pass\n+    log()\n";
    std::fs::write(dir.path().join("c.diff"), patch).expect("write");
    let (code, out, _) = run(guard()
        .current_dir(dir.path())
        .args(["review", "--patch", "c.diff", "--format", "json"]));
    assert_eq!(code, 0);
    assert!(rule_ids(&out).is_empty(), "{out}");
    let (_, out, _) = run(guard().current_dir(dir.path()).args([
        "review",
        "--patch",
        "c.diff",
        "--context",
        "2",
        "--format",
        "json",
    ]));
    assert_eq!(rule_ids(&out), ["REVIEW-BUG-001"]);
}

#[test]
fn markdown_and_sarif_show_each_reviewer() {
    let dir = repo();
    let (_, md, _) = run(guard()
        .current_dir(dir.path())
        .args(["review", "--format", "markdown"]));
    assert!(
        md.contains("| Part | Outcome | Critical | High | Medium | Low | Info | Time |"),
        "{md}"
    );
    assert!(
        md.contains("| security | completed | 1 | 0 | 0 | 0 | 0 |"),
        "{md}"
    );
    assert!(
        md.contains("| bug | completed | 0 | 0 | 1 | 0 | 0 |"),
        "{md}"
    );
    assert!(
        md.contains("<details open><summary><b>CRITICAL</b> (1)</summary>"),
        "{md}"
    );
    let (_, sarif, _) = run(guard()
        .current_dir(dir.path())
        .args(["review", "--format", "sarif"]));
    let v: serde_json::Value = serde_json::from_str(&sarif).expect("sarif");
    let parts = &v["runs"][0]["properties"]["guard"]["parts"]["review"];
    assert_eq!(parts.as_array().map(Vec::len), Some(4), "{sarif}");
    let sev = v["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .find(|r| r["id"] == "REVIEW-SEC-001")
        .map(|r| r["properties"]["security-severity"].clone());
    assert!(sev.is_some(), "{sarif}");
}

#[test]
fn a_panicking_or_hanging_reviewer_is_its_own_outcome() {
    let dir = repo();
    let (code, out, _) = run(guard()
        .current_dir(dir.path())
        .env("GUARD_REVIEW_TEST_PANIC", "quality")
        .args(["review", "--format", "json"]));
    assert_eq!(code, 2, "a reviewer that did not complete fails the run");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["layers"][0]["outcome"]["status"], "completed");
    let parts = v["layers"][0]["parts"].as_array().expect("parts");
    let quality = parts
        .iter()
        .find(|p| p["name"] == "quality")
        .expect("quality");
    assert_eq!(quality["outcome"]["status"], "panicked");
    assert!(quality["outcome"]["message"]
        .as_str()
        .unwrap_or("")
        .contains("panics"));
    // The other three still report.
    assert!(rule_ids(&out).contains(&"REVIEW-SEC-001".to_string()));

    let started = std::time::Instant::now();
    let (code, out, _) = run(guard()
        .current_dir(dir.path())
        .env("GUARD_REVIEW_TEST_HANG", "bug")
        .args(["review", "--timeout", "2", "--format", "json"]));
    assert!(started.elapsed().as_secs() < 10, "hung");
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let parts = v["layers"][0]["parts"].as_array().expect("parts");
    let bug = parts.iter().find(|p| p["name"] == "bug").expect("bug");
    assert_eq!(bug["outcome"]["status"], "timed_out", "{out}");
    assert!(rule_ids(&out).contains(&"REVIEW-SEC-001".to_string()));
}

#[test]
fn bad_diffs_are_clear_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: [(&str, Vec<u8>, &str); 4] = [
        (
            "truncated.diff",
            b"--- a/x.py\n+++ b/x.py\n@@ -1,3 +1,4 @@\n a\n+b\n".to_vec(),
            "truncated.diff:5: diff ends inside the hunk",
        ),
        (
            "binary.diff",
            b"GIT binary patch\x00\x01\x02literal 12\n".to_vec(),
            "binary data (NUL byte at offset 16)",
        ),
        (
            "escape.diff",
            b"--- a/../../etc/passwd\n+++ b/../../etc/passwd\n@@ -1 +1 @@\n-root\n+toor\n".to_vec(),
            "path `../../etc/passwd` in the diff escapes the reviewed root",
        ),
        (
            "absolute.diff",
            b"diff --git a/x b/x\n--- /etc/shadow\n+++ /etc/shadow\n@@ -1 +1 @@\n-a\n+b\n".to_vec(),
            "path `/etc/shadow` in the diff escapes the reviewed root",
        ),
    ];
    for (name, body, want) in cases {
        std::fs::write(dir.path().join(name), body).expect("write");
        let (code, out, err) = run(guard()
            .current_dir(dir.path())
            .args(["review", "--patch", name]));
        assert_eq!(code, 2, "{name}: {out}{err}");
        assert!(
            out.contains(want) || err.contains(want),
            "{name}: {out}{err}"
        );
    }
}

#[test]
fn a_git_binary_patch_entry_is_listed_as_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let patch = "diff --git a/logo.png b/logo.png\nindex 1..2 100644\nBinary files a/logo.png and b/logo.png differ\n";
    let (code, out, err) = with_stdin(
        guard()
            .current_dir(dir.path())
            .args(["review", "-", "--format", "json"]),
        patch.as_bytes(),
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["skipped"][0]["path"], "logo.png", "{out}");
}

#[test]
fn a_100_mb_diff_is_refused_quickly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut body = Vec::with_capacity(100 * 1024 * 1024 + 64);
    body.extend_from_slice(b"--- a/big.txt\n+++ b/big.txt\n@@ -0,0 +1,1638400 @@\n");
    let line = [b"+".as_slice(), &[b'x'; 63]].concat();
    while body.len() < 100 * 1024 * 1024 {
        body.extend_from_slice(&line);
        body.push(b'\n');
    }
    std::fs::write(dir.path().join("big.diff"), &body).expect("write");
    let started = std::time::Instant::now();
    let (code, out, err) = run(guard()
        .current_dir(dir.path())
        .args(["review", "--patch", "big.diff"]));
    assert!(started.elapsed().as_secs() < 30);
    assert_eq!(code, 2);
    assert!(
        err.contains("big.diff: diff larger than the limit of 32 MiB"),
        "{out}{err}"
    );
    // The same through standard input.
    let (code, _, err) = with_stdin(guard().current_dir(dir.path()).args(["review", "-"]), &body);
    assert_eq!(code, 2);
    assert!(err.contains("<stdin>: diff larger than the limit"), "{err}");
}

#[test]
fn unknown_reviewers_are_errors() {
    let dir = repo();
    let (code, _, err) =
        run(guard()
            .current_dir(dir.path())
            .args(["review", "--reviewer", "bug,style"]));
    assert_eq!(code, 2);
    assert!(err.contains("unknown reviewer `style`"), "{err}");
    std::fs::write(
        dir.path().join("guard.toml"),
        "[layers.review]\nreviewers = [\"speed\"]\n",
    )
    .expect("write");
    let (code, _, err) = run(guard().current_dir(dir.path()).args(["review"]));
    assert_eq!(code, 2);
    assert!(err.contains("unknown reviewer `speed`"), "{err}");
}

#[test]
fn rules_and_explain_document_the_layer() {
    let (code, out, _) = run(guard().args(["rules", "review"]));
    assert_eq!(code, 0);
    for id in [
        "REVIEW-BUG-001",
        "REVIEW-SEC-012",
        "REVIEW-PERF-001",
        "REVIEW-QUAL-002",
    ] {
        assert!(out.contains(id), "{id}: {out}");
    }
    let (code, out, _) = run(guard().args(["explain", "REVIEW-SEC-012"]));
    assert_eq!(code, 0);
    assert!(out.to_lowercase().contains("auth"), "{out}");
}

#[test]
fn run_without_a_change_skips_the_layer() {
    let dir = common::tree(&[("a.py", b"x = 1\n")]);
    let (code, out, _) = run(guard()
        .args(["run"])
        .arg(dir.path())
        .args(["--layer", "review", "--format", "json"]));
    assert_eq!(code, 2, "nothing ran: {out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["layers"][0]["outcome"]["status"], "skipped");
}
