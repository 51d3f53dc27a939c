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
    let skips: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "OWASP-SKIP-001")
        .map(|f| format!("{} {}", f["location"]["path"], f["message"]))
        .collect();
    for name in ["deep.py", "binary.py", "latin1.py"] {
        assert!(
            skips.iter().any(|s| s.contains(name)),
            "{name} not reported: {skips:?}"
        );
    }
    // the large files are passed over by the walk's size limit or as minified, and counted
    let skipped = report["summary"]["skipped_files"].as_u64().unwrap();
    let minified_note = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["message"].as_str().unwrap_or("").contains("minified"));
    assert!(skipped >= 1 || minified_note, "{report}");
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
