//! The command line: exit codes, formats, config errors, suppressions,
//! baselines, change plumbing and bad input.

mod common;

use common::{guard, guard_with_test_layers, run, tree};
use serde_json::Value;
use std::path::Path;

fn json_run(dir: &Path, extra: &[&str]) -> (i32, Value, String) {
    let mut cmd = guard_with_test_layers();
    cmd.arg("run")
        .arg(dir)
        .args(["--format", "json"])
        .args(extra);
    let (code, out, err) = run(&mut cmd);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    (code, v, err)
}

#[test]
fn exit_codes_follow_fail_on() {
    let dir = tree(&[("a.tf", b"x\n")]);
    let (code, _, _) = json_run(dir.path(), &["--layer", "test-findings"]);
    assert_eq!(code, 1, "a high finding fails at the default fail-on high");
    let (code, _, _) = json_run(
        dir.path(),
        &["--layer", "test-findings", "--fail-on", "critical"],
    );
    assert_eq!(code, 0);
    let (code, _, _) = json_run(dir.path(), &["--layer", "test-noop-1"]);
    assert_eq!(code, 0);
}

#[test]
fn config_fail_on_and_severity_override() {
    let dir = tree(&[
        ("a.tf", b"x\n"),
        (
            "guard.toml",
            b"[run]\nfail_on = \"critical\"\n\n[rules.severity]\n\"TEST-RES-001\" = \"info\"\n",
        ),
    ]);
    let (code, report, _) = json_run(dir.path(), &["--layer", "test-findings"]);
    assert_eq!(code, 0);
    assert_eq!(report["summary"]["by_severity"]["info"], 1);
}

#[test]
fn unknown_layer_is_a_usage_error() {
    let dir = tree(&[]);
    let (code, _, err) = run(guard().arg("run").arg(dir.path()).args(["--layer", "nope"]));
    assert_eq!(code, 2);
    assert!(err.contains("unknown layer `nope`"), "{err}");
}

#[test]
fn no_layer_able_to_run_says_so() {
    let dir = tree(&[]);
    let (code, _, err) = run(guard_with_test_layers()
        .arg("run")
        .arg(dir.path())
        .args(["--layer", "test-skip"]));
    assert_eq!(code, 2);
    assert!(err.contains("no layer could run"), "{err}");
    assert!(err.contains("nothing for test-skip here"), "{err}");
}

#[test]
fn malformed_config_names_file_and_line() {
    let dir = tree(&[("guard.toml", b"[run]\nfail_on = \"high\"\ntimeout = [\n")]);
    let (code, out, err) = run(guard_with_test_layers()
        .arg("run")
        .arg(dir.path())
        .args(["--layer", "test-noop-1"]));
    assert_eq!(code, 2);
    assert!(out.is_empty(), "no results on a config error: {out}");
    assert!(err.contains("guard.toml"), "{err}");
    assert!(err.contains("line 3") || err.contains("line 4"), "{err}");
}

#[test]
fn unknown_config_key_has_a_hint() {
    let dir = tree(&[("guard.toml", b"[run]\nfail-on = \"high\"\n")]);
    let (code, _, err) = run(guard_with_test_layers()
        .arg("run")
        .arg(dir.path())
        .args(["--layer", "test-noop-1"]));
    assert_eq!(code, 2);
    assert!(err.contains("line 2"), "{err}");
    assert!(err.contains("unknown field `fail-on`"), "{err}");
    assert!(err.contains("hint:"), "{err}");
}

#[test]
fn unknown_layer_table_in_config() {
    let dir = tree(&[("guard.toml", b"[layers.test-findngs]\nx = 1\n")]);
    let (code, _, err) = run(guard_with_test_layers()
        .arg("run")
        .arg(dir.path())
        .args(["--layer", "test-noop-1"]));
    assert_eq!(code, 2);
    assert!(err.contains("unknown layer `test-findngs`"), "{err}");
}

#[test]
fn non_utf8_config_is_an_error() {
    let dir = tree(&[("guard.toml", b"[run]\n# caf\xe9\n")]);
    let (code, _, err) = run(guard_with_test_layers()
        .arg("run")
        .arg(dir.path())
        .args(["--layer", "test-noop-1"]));
    assert_eq!(code, 2);
    assert!(err.contains("not valid UTF-8 at byte"), "{err}");
}

#[test]
fn unreadable_path_is_an_error() {
    let (code, _, err) = run(guard().arg("run").arg("/nonexistent/guard/path"));
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot read /nonexistent/guard/path: "),
        "{err}"
    );
}

#[test]
fn non_utf8_file_read_by_a_layer_fails_it_with_file_and_offset() {
    let dir = tree(&[("ok.txt", b"fine\n"), ("latin1.txt", b"line\ncaf\xe9\n")]);
    let (code, report, _) = json_run(dir.path(), &["--layer", "test-read"]);
    assert_eq!(code, 2);
    let msg = report["layers"][0]["outcome"]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        msg.contains("latin1.txt: not valid UTF-8 at byte 8 (line 2)"),
        "{msg}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_an_input_error() {
    let dir = tree(&[("a/file.txt", b"x\n")]);
    std::os::unix::fs::symlink(dir.path().join("a"), dir.path().join("a/loop")).expect("symlink");
    let (code, report, _) = json_run(dir.path(), &["--layer", "test-findings"]);
    assert_eq!(code, 2);
    let errs = report["input_errors"].as_array().expect("input_errors");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("symlink loop"));
    // The rest of the tree was still checked.
    assert!(report["summary"]["total"].as_u64() >= Some(1));
}

#[test]
fn inline_and_config_suppressions_are_counted() {
    let dir = tree(&[
        ("a.tf", b"# guard:ignore[TEST-FILE-001] accepted risk\nx\n"),
        ("b.tf", b"x\n"),
        ("vendor/c.tf", b"x\n"),
        (
            "guard.toml",
            b"[[ignore]]\npaths = [\"vendor\"]\nreason = \"third party\"\n",
        ),
    ]);
    let (_, report, _) = json_run(dir.path(), &["--layer", "test-findings"]);
    let s = &report["summary"]["suppressed"];
    assert_eq!(s["inline"], 1, "{report}");
    assert_eq!(s["config"], 1, "{report}");
    let paths: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["location"]["path"].as_str())
        .collect();
    assert_eq!(paths, vec!["b.tf"]);
}

#[test]
fn baseline_reports_only_new_findings() {
    let dir = tree(&[("a.tf", b"x\n")]);
    let out = tempfile::tempdir().expect("tempdir");
    let base = out.path().join("baseline.json");
    let mut cmd = guard_with_test_layers();
    cmd.arg("run")
        .arg(dir.path())
        .args(["--layer", "test-findings", "--write-baseline"])
        .arg(&base);
    let (code, _, err) = run(&mut cmd);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("wrote 2 fingerprint(s)"), "{err}");

    std::fs::write(dir.path().join("new.tf"), b"y\n").expect("write");
    let (code, report, _) = json_run(
        dir.path(),
        &[
            "--layer",
            "test-findings",
            "--baseline",
            base.to_str().expect("utf8 path"),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["suppressed"]["baseline"], 2);
    let paths: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["location"]["path"].as_str())
        .collect();
    assert_eq!(paths, vec!["new.tf"]);
}

#[test]
fn bad_baseline_is_an_error() {
    let dir = tree(&[("baseline.json", b"{\"version\": 1, \"findings\": [")]);
    let mut cmd = guard_with_test_layers();
    cmd.arg("run")
        .arg(dir.path())
        .args(["--layer", "test-noop-1", "--baseline"])
        .arg(dir.path().join("baseline.json"));
    let (code, _, err) = run(&mut cmd);
    assert_eq!(code, 2);
    assert!(err.contains("not a guard baseline"), "{err}");
}

const PATCH: &[u8] = b"diff --git a/a.tf b/a.tf
--- a/a.tf
+++ b/a.tf
@@ -1,2 +1,3 @@
 one
+two
 three
";

#[test]
fn patch_reaches_layers_in_both_isolation_modes() {
    let dir = tree(&[("a.tf", b"one\ntwo\nthree\n"), ("change.diff", PATCH)]);
    for mode in ["thread", "process"] {
        let (_, report, _) = json_run(
            dir.path(),
            &[
                "--layer",
                "test-change",
                "--isolation",
                mode,
                "--patch",
                dir.path().join("change.diff").to_str().expect("utf8"),
            ],
        );
        let f = &report["findings"][0];
        assert_eq!(f["message"], "added line 2 of a.tf", "{mode}: {report}");
        assert_eq!(f["location"]["snippet"], "two", "{mode}");
    }
}

#[test]
fn malformed_patch_is_an_error_with_line() {
    let dir = tree(&[("bad.diff", b"--- a\n+++ b\n@@ -1,x +1 @@\n")]);
    let mut cmd = guard_with_test_layers();
    cmd.arg("run")
        .arg(dir.path())
        .args(["--layer", "test-change", "--patch"])
        .arg(dir.path().join("bad.diff"));
    let (code, _, err) = run(&mut cmd);
    assert_eq!(code, 2);
    assert!(err.contains("bad.diff:3: bad hunk header"), "{err}");
}

#[test]
fn staged_change_from_git() {
    let dir = tree(&[("a.tf", b"one\n")]);
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(dir.path())
            .args(["-c", "user.email=t@t", "-c", "user.name=t"])
            .args(args)
            .output()
            .expect("git")
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "init"]);
    std::fs::write(dir.path().join("a.tf"), b"one\nadded\n").expect("write");
    git(&["add", "a.tf"]);
    let (_, report, _) = json_run(dir.path(), &["--layer", "test-change", "--staged"]);
    assert_eq!(
        report["findings"][0]["message"], "added line 2 of a.tf",
        "{report}"
    );
}

#[test]
fn color_only_when_asked_or_on_a_terminal() {
    let dir = tree(&[("a.tf", b"x\n")]);
    let (_, plain, _) = run(guard_with_test_layers()
        .arg("run")
        .arg(dir.path())
        .args(["--layer", "test-findings"]));
    assert!(!plain.contains('\u{1b}'), "piped output has no escapes");
    let (_, colored, _) = run(guard_with_test_layers().arg("run").arg(dir.path()).args([
        "--layer",
        "test-findings",
        "--color",
        "always",
    ]));
    assert!(colored.contains('\u{1b}'), "--color always colours");
}

#[test]
fn listing_commands() {
    let (code, out, _) = run(guard_with_test_layers().args(["layers"]));
    assert_eq!(code, 0);
    assert!(out.contains("test-findings"));
    let (code, out, _) = run(guard_with_test_layers().args(["rules", "test-findings"]));
    assert_eq!(code, 0);
    assert!(out.contains("TEST-FILE-001"));
    let (code, out, _) = run(guard_with_test_layers().args(["explain", "test-file-001"]));
    assert_eq!(code, 0);
    assert!(out.contains("Why:") && out.contains("Fix:"), "{out}");
    let (code, _, err) = run(guard_with_test_layers().args(["explain", "NOPE-1"]));
    assert_eq!(code, 2);
    assert!(err.contains("unknown rule"));
    let (code, out, _) = run(guard().args(["schema"]));
    assert_eq!(code, 0);
    assert!(out.contains("report"));
    let (code, _, _) = run(guard().args(["schema", "nope"]));
    assert_eq!(code, 2);
}

#[test]
fn test_layers_need_the_environment_switch() {
    let (_, out, _) = run(guard().args(["layers", "--format", "json"]));
    assert!(!out.contains("test-findings"), "{out}");
}
