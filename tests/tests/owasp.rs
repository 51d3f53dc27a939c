//! End-to-end tests of `guard owasp` and the owasp layer under `guard run`:
//! findings with traces, change sets, config errors, fix diffs and bad input.
#![allow(clippy::unwrap_used)]

mod common;

use common::{guard, run, tree};
use serde_json::Value;
use std::path::Path;

const VULN: &str = r#"from flask import request
import os

@app.route("/x")
def x():
    cmd = request.args.get("c")
    os.system("ls " + cmd)
"#;

fn owasp(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let (code, out, err) = run(guard()
        .current_dir(dir)
        .arg("owasp")
        .args(args)
        .args(["--format", "json", "-q"]));
    (code, serde_json::from_str(&out).unwrap_or(Value::Null), err)
}

fn ids(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .map(|fs| {
            fs.iter()
                .map(|f| f["rule_id"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn reports_flow_with_cwe_first_and_trace() {
    let dir = tree(&[("app.py", VULN.as_bytes())]);
    let (code, report, err) = owasp(dir.path(), &["."]);
    assert_eq!(code, 1, "{err}");
    let f = &report["findings"][0];
    assert_eq!(f["rule_id"], "OWASP-CMDI-001");
    assert_eq!(f["tags"][0], "CWE-78");
    let trace = f["trace"].as_array().unwrap();
    assert_eq!(trace.first().unwrap()["location"]["start_line"], 6);
    assert_eq!(trace.last().unwrap()["location"]["start_line"], 7);
    // text shows the trace, SARIF carries it as codeFlows
    let (_, text, _) = run(guard().current_dir(dir.path()).args(["owasp", ".", "-q"]));
    assert!(text.contains("source: request"), "{text}");
    let (_, sarif, _) = run(guard()
        .current_dir(dir.path())
        .args(["owasp", ".", "--format", "sarif", "-q"]));
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let flows = &sarif["runs"][0]["results"][0]["codeFlows"][0]["threadFlows"][0]["locations"];
    assert_eq!(flows.as_array().unwrap().len(), 2, "{sarif}");
}

#[test]
fn run_layer_owasp_and_rules_listing() {
    let dir = tree(&[("app.py", VULN.as_bytes())]);
    let (code, out, _) = run(guard()
        .args(["run", "--layer", "owasp", "--format", "json", "-q"])
        .arg(dir.path()));
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(ids(&report), vec!["OWASP-CMDI-001"]);
    let (code, out, _) = run(guard().args(["rules", "owasp"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("OWASP-SQLI-001") && out.contains("OWASP-JWT-001"),
        "{out}"
    );
    let (code, out, _) = run(guard().args(["explain", "OWASP-SSRF-001"]));
    assert_eq!(code, 0);
    assert!(out.contains("CWE-918"), "{out}");
}

#[test]
fn patch_limits_findings_to_changed_lines() {
    let dir = tree(&[("app.py", VULN.as_bytes())]);
    let touching = "--- a/app.py\n+++ b/app.py\n@@ -7,1 +7,1 @@\n-    os.system(\"ls\")\n+    os.system(\"ls \" + cmd)\n";
    let elsewhere =
        "--- a/app.py\n+++ b/app.py\n@@ -1,1 +1,1 @@\n-import flask\n+from flask import request\n";
    std::fs::write(dir.path().join("touch.patch"), touching).unwrap();
    std::fs::write(dir.path().join("other.patch"), elsewhere).unwrap();
    let (code, report, _) = owasp(dir.path(), &[".", "--patch", "touch.patch"]);
    assert_eq!(
        (code, ids(&report)),
        (1, vec!["OWASP-CMDI-001".to_string()])
    );
    let (code, report, _) = owasp(dir.path(), &[".", "--patch", "other.patch"]);
    assert_eq!((code, ids(&report)), (0, vec![]));
}

#[test]
fn config_disable_and_errors_with_line() {
    let dir = tree(&[
        ("app.py", VULN.as_bytes()),
        (
            "guard.toml",
            b"[layers.owasp]\ndisable = [\"OWASP-CMDI-001\"]\n",
        ),
    ]);
    let (code, report, _) = owasp(dir.path(), &["."]);
    assert_eq!((code, ids(&report)), (0, vec![]));
    let bad = tree(&[
        ("app.py", VULN.as_bytes()),
        (
            "guard.toml",
            b"[layers.owasp]\n[[layers.owasp.sinks]]\npattern = \"x.y\"\nkind = \"sqlx\"\n",
        ),
    ]);
    let (code, _, err) = owasp(bad.path(), &["."]);
    assert_eq!(code, 2);
    assert!(
        err.contains("guard.toml") && err.contains("line 4") && err.contains("sqlx"),
        "{err}"
    );
}

#[test]
fn user_declared_sink_and_sanitizer() {
    let src = "from flask import request\n@app.route('/')\ndef f():\n    v = request.args['v']\n    legacy.run_raw(v)\n    legacy.run_raw(clean_it(v))\n";
    let dir = tree(&[
        ("app.py", src.as_bytes()),
        ("guard.toml", b"[layers.owasp]\n[[layers.owasp.sinks]]\npattern = \"legacy.run_raw\"\nkind = \"sql\"\n[[layers.owasp.sanitizers]]\npattern = \"clean_it\"\ncleans = \"sql\"\n"),
    ]);
    let (_, report, _) = owasp(dir.path(), &["."]);
    let lines: Vec<i64> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["location"]["start_line"].as_i64().unwrap())
        .collect();
    assert_eq!(lines, vec![5]);
}

#[test]
fn fix_diff_prints_and_never_writes() {
    let src = "import yaml, requests\nd = yaml.load(s)\nrequests.get(u, verify=False)\n";
    let dir = tree(&[("a.py", src.as_bytes())]);
    let (code, out, _) = run(guard()
        .current_dir(dir.path())
        .args(["owasp", ".", "--fix-diff"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("+d = yaml.safe_load(s)") && out.contains("+requests.get(u)"),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.py")).unwrap(),
        src
    );
}

#[test]
fn bad_input_is_skipped_and_counted_never_a_crash() {
    let mut deep = String::from("from flask import request\nx = ");
    deep.push_str(&"(".repeat(10_000));
    deep.push('1');
    deep.push_str(&")".repeat(10_000));
    deep.push('\n');
    let minified = format!("var a=1;{}\n", "eval(location.hash);".repeat(250_000)); // ~5 MB on one line
    let dir = tree(&[
        ("app.py", VULN.as_bytes()),
        ("deep.py", deep.as_bytes()),
        ("binary.py", b"\x00\x01\x02request\xff\xfe\x00"),
        ("latin1.py", b"import os\nrequest = '\xe9t\xe9'\n"),
        ("big.min.js", minified.as_bytes()),
        ("web/bundle.js", minified.as_bytes()),
    ]);
    let (code, report, err) = owasp(dir.path(), &["."]);
    assert_eq!(code, 1, "{err}");
    let found = ids(&report);
    assert!(found.contains(&"OWASP-CMDI-001".to_string()), "{found:?}");
    // files that could not be analysed are named in the report's skipped
    // list, as every layer's are, not as findings
    assert!(
        found.iter().all(|id| id.starts_with("OWASP-CMDI")),
        "{found:?}"
    );
    let skipped: Vec<String> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| format!("{} {}", s["path"], s["reason"]))
        .collect();
    for name in ["deep.py", "binary.py", "latin1.py"] {
        assert!(
            skipped.iter().any(|s| s.contains(name)),
            "{name} not reported: {skipped:?}"
        );
    }
    // the large files are passed over by the walk's size limit or as minified
    for name in ["big.min.js", "web/bundle.js"] {
        assert!(
            skipped.iter().any(|s| s.contains(name)),
            "{name} not reported: {skipped:?}"
        );
    }
    assert_eq!(
        report["summary"]["skipped_files"].as_u64().unwrap() as usize,
        skipped.len()
    );
}

#[test]
fn file_vanishing_mid_walk_is_an_error_for_that_file_only() {
    // A dangling symlink stands for a file deleted between the walk and the read.
    let dir = tree(&[("app.py", VULN.as_bytes())]);
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("gone.py"), dir.path().join("vanished.py")).unwrap();
    let (code, report, err) = owasp(dir.path(), &["."]);
    assert!(code == 1 || code == 2, "{err}");
    assert!(
        ids(&report).contains(&"OWASP-CMDI-001".to_string()),
        "{report}"
    );
}

/// A tree with a GitHub token (valid checksum) in YAML and in a Python file
/// the source pass's prefilter passes over, an AWS key pair in a .env, and
/// values that must not fire: placeholders, a token with a bad checksum, a
/// lock file. Every secret is built at run time.
fn secrets_tree() -> (tempfile::TempDir, Vec<String>) {
    use guard_owasp::secrets::testkit;
    let gh1 = testkit::github_classic(11);
    let gh2 = testkit::github_classic(12);
    let gh3 = testkit::github_classic(13);
    let key_id = testkit::aws_key_id(14);
    let key = testkit::aws_secret(15);
    let yaml = format!("deploy:\n  region: eu-west-1\n  token: \"{gh1}\"\n");
    let py = format!("TIMEOUT = 30\nTOKEN = \"{gh2}\"\n");
    let env = format!("AWS_ACCESS_KEY_ID={key_id}\nAWS_SECRET_ACCESS_KEY={key}\n");
    let placeholders = format!(
        "api_key = \"your_api_key_here\"\nsecret_key = \"${{SECRET_KEY}}\"\ngh = \"ghp_{}\"\n",
        "x".repeat(36)
    );
    // a well-formed token with its last checksum character changed
    let mut bad = gh3.clone();
    let last = if bad.ends_with('A') { 'B' } else { 'A' };
    bad.pop();
    bad.push(last);
    let lock = format!("{{\"name\": \"x\", \"token\": \"{gh3}\"}}\n");
    let dir = tree(&[
        ("config/app.yaml", yaml.as_bytes()),
        ("app/keys.py", py.as_bytes()),
        (".env", env.as_bytes()),
        ("settings.toml", placeholders.as_bytes()),
        ("notes.txt", format!("old: {bad}\n").as_bytes()),
        ("package-lock.json", lock.as_bytes()),
    ]);
    (dir, vec![gh1, gh2, gh3, key_id, key])
}

fn located(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["location"]["path"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn secrets_in_every_text_file_redacted_in_every_format() {
    let (dir, secrets) = secrets_tree();
    let (code, report, err) = owasp(dir.path(), &["."]);
    assert_eq!(code, 1, "{err}");
    let mut got = located(&report);
    got.sort();
    let want: Vec<(String, String)> = [
        ("OWASP-SECRET-001", ".env"),
        ("OWASP-SECRET-003", "app/keys.py"),
        ("OWASP-SECRET-003", "config/app.yaml"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(got, want, "{report}");
    let f = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["location"]["path"] == "config/app.yaml")
        .unwrap();
    assert_eq!(f["tags"][0], "CWE-798");
    assert_eq!(f["location"]["start_line"], 3);
    assert!(
        f["evidence"]
            .as_str()
            .unwrap()
            .starts_with("ghp_...(40 chars"),
        "{f}"
    );
    // no secret in clear in any format, snippets and evidence included
    for format in ["text", "json", "sarif", "markdown"] {
        let (code, out, err) = run(guard()
            .current_dir(dir.path())
            .args(["owasp", ".", "-q", "--format", format]));
        assert_eq!(code, 1, "{format}: {err}");
        assert!(out.contains("OWASP-SECRET-003"), "{format}: {out}");
        for s in &secrets {
            assert!(
                !out.contains(s.as_str()),
                "{format} prints a secret:\n{out}"
            );
            assert!(!err.contains(s.as_str()), "{format} logs a secret:\n{err}");
        }
    }
    // -v logs name files, never their secrets
    let (_, _, log) = run(guard()
        .current_dir(dir.path())
        .args(["owasp", ".", "-v", "--format", "json"]));
    for s in &secrets {
        assert!(!log.contains(s.as_str()), "log prints a secret:\n{log}");
    }
}

#[test]
fn secret_rules_are_in_the_layer_table_and_config() {
    let (code, out, _) = run(guard().args(["rules", "owasp"]));
    assert_eq!(code, 0);
    for id in ["OWASP-SQLI-001", "OWASP-SECRET-001", "OWASP-SECRET-016"] {
        assert!(out.contains(id), "{id} not listed:\n{out}");
    }
    let (code, out, _) = run(guard().args(["explain", "OWASP-SECRET-003"]));
    assert_eq!(code, 0);
    assert!(out.contains("CWE-798"), "{out}");
    // [layers.owasp] disable and [rules] entries accept secret rule ids
    let (dir, _) = secrets_tree();
    std::fs::write(
        dir.path().join("guard.toml"),
        "[layers.owasp]\ndisable = [\"OWASP-SECRET-003\"]\n",
    )
    .unwrap();
    let (code, report, err) = owasp(dir.path(), &["."]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(ids(&report), vec!["OWASP-SECRET-001"]);
    std::fs::write(
        dir.path().join("guard.toml"),
        "[rules]\ndisable = [\"OWASP-SECRET-001\", \"OWASP-SECRET-003\"]\n",
    )
    .unwrap();
    let (code, report, err) = owasp(dir.path(), &["."]);
    assert_eq!((code, ids(&report)), (0, vec![]), "{err}");
    std::fs::write(
        dir.path().join("guard.toml"),
        "[layers.owasp]\ndisable = [\"OWASP-SECRET-099\"]\n",
    )
    .unwrap();
    let (code, _, err) = owasp(dir.path(), &["."]);
    assert_eq!(code, 2);
    assert!(
        err.contains("OWASP-SECRET-099") && err.contains("line 2"),
        "{err}"
    );
}

fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.email=t@t", "-c", "user.name=t"])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("git");
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

#[test]
fn history_finds_a_secret_committed_then_removed() {
    use guard_owasp::secrets::testkit;
    let token = testkit::github_classic(21);
    let dir = tree(&[("README.md", b"# app\n")]);
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-qm", "first"]);
    std::fs::write(
        dir.path().join("deploy.sh"),
        format!("#!/bin/sh\nexport GH_TOKEN={token}\n"),
    )
    .unwrap();
    git(dir.path(), &["add", "deploy.sh"]);
    git(dir.path(), &["commit", "-qm", "deploy script"]);
    let added = String::from_utf8(
        std::process::Command::new("git")
            .arg("-C")
            .arg(dir.path())
            .args(["rev-parse", "HEAD"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .to_string();
    std::fs::write(
        dir.path().join("deploy.sh"),
        "#!/bin/sh\nexport GH_TOKEN=\"$(cat /run/secrets/gh)\"\n",
    )
    .unwrap();
    git(
        dir.path(),
        &["commit", "-qam", "read the token from a file"],
    );

    // the working tree is clean
    let (code, report, err) = owasp(dir.path(), &["."]);
    assert_eq!((code, ids(&report)), (0, vec![]), "{err}");
    // the history is not
    let (code, report, err) = owasp(dir.path(), &[".", "--history"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(ids(&report), vec!["OWASP-SECRET-003"], "{report}");
    let f = &report["findings"][0];
    assert_eq!(f["resource"], format!("commit:{added}"), "{f}");
    assert_eq!(f["location"]["path"], "deploy.sh");
    for format in ["text", "json", "sarif", "markdown"] {
        let (_, out, err) = run(guard().current_dir(dir.path()).args([
            "owasp",
            ".",
            "--history",
            "-q",
            "--format",
            format,
        ]));
        assert!(!out.contains(&token), "{format} prints the secret:\n{out}");
        assert!(!err.contains(&token), "{format} logs the secret:\n{err}");
    }
    // one commit back from HEAD does not reach the commit that added it;
    // the cut is named in the report
    let (code, report, err) = owasp(dir.path(), &[".", "--history", "--max-commits", "1"]);
    assert_eq!((code, ids(&report)), (0, vec![]), "{err}");
    let skipped = report["skipped"].to_string();
    assert!(
        skipped.contains("git history") && skipped.contains("1 commits"),
        "{skipped}"
    );
    // `history = true` in guard.toml does the same under `guard run`
    std::fs::write(
        dir.path().join("guard.toml"),
        "[layers.owasp]\nhistory = true\n",
    )
    .unwrap();
    let (code, out, err) = run(guard()
        .args(["run", "--layer", "owasp", "--format", "json", "-q"])
        .arg(dir.path()));
    assert_eq!(code, 1, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(ids(&report), vec!["OWASP-SECRET-003"]);
}

#[test]
fn history_outside_a_repository_is_an_input_error() {
    let dir = tree(&[("app.py", VULN.as_bytes())]);
    let (code, out, err) = run(guard()
        .current_dir(dir.path())
        .args(["owasp", ".", "--history"]));
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("not a git repository"), "{err}");
    assert!(out.is_empty(), "{out}");
    let (code, _, err) =
        run(guard()
            .current_dir(dir.path())
            .args(["owasp", ".", "--max-commits", "3"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--history"), "{err}");
}
