//! Every output format: JSON validates against `schemas/report.schema.json`,
//! SARIF against the official SARIF 2.1.0 schema with what GitHub code
//! scanning reads, text and Markdown are snapshotted.

mod common;

use common::{guard_with_test_layers, run};
use serde_json::Value;
use std::path::PathBuf;

fn sample() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_iam_policy\" \"p\" {}\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("notes.md"),
        "# guard:ignore[TEST-FILE-001] docs\n",
    )
    .expect("write");
    dir
}

fn output(format: &str, extra: &[&str]) -> (i32, String) {
    let dir = sample();
    let mut cmd = guard_with_test_layers();
    cmd.arg("run")
        .arg(dir.path())
        .args([
            "--format",
            format,
            "--layer",
            "test-findings",
            "--layer",
            "test-error",
        ])
        .args(extra);
    let (code, out, err) = run(&mut cmd);
    assert!(!out.is_empty(), "no output; stderr: {err}");
    (code, out)
}

fn load_json(path: PathBuf) -> Value {
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("schema is JSON")
}

fn repo_file(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The official SARIF 2.1.0 schema, fetched by `tests/fetch-sarif-schema.sh`
/// (third-party text, so it is not committed).
fn sarif_schema() -> Option<PathBuf> {
    let path = std::env::var_os("GUARD_SARIF_SCHEMA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_file("../target/schemas/sarif-schema-2.1.0.json"));
    path.exists().then_some(path)
}

fn assert_valid(schema: &Value, instance: &Value) {
    let validator = jsonschema::validator_for(schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "invalid document:\n{}",
        errors.join("\n")
    );
}

#[test]
fn json_report_validates_against_committed_schema() {
    let (code, out) = output("json", &[]);
    assert_eq!(code, 2, "test-error fails the run");
    let report: Value = serde_json::from_str(&out).expect("json");
    assert_valid(
        &load_json(repo_file("../schemas/report.schema.json")),
        &report,
    );
    assert_eq!(report["summary"]["suppressed"]["inline"], 1);
    let f = &report["findings"][0];
    assert_eq!(f["layer"], "test-findings");
    assert_eq!(f["fingerprint"].as_str().map(str::len), Some(16));
}

#[test]
fn sarif_validates_and_carries_what_github_reads() {
    let (_, out) = output("sarif", &[]);
    let sarif: Value = serde_json::from_str(&out).expect("json");
    match sarif_schema() {
        Some(path) => {
            let schema = load_json(path);
            assert_valid(&schema, &sarif);
            // The schema really constrains: a wrong version is rejected.
            let mut wrong = sarif.clone();
            wrong["version"] = "2.0.0".into();
            assert!(!jsonschema::is_valid(&schema, &wrong));
        }
        // CI always has it (.ci/run fetches it); a local run without it still
        // checks everything GitHub reads below.
        None if std::env::var_os("CI").is_some() => {
            panic!("SARIF schema missing: run tests/fetch-sarif-schema.sh")
        }
        None => eprintln!(
            "note: SARIF schema not fetched, skipping schema validation \
             (run tests/fetch-sarif-schema.sh)"
        ),
    }

    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let file_rule = rules
        .iter()
        .find(|r| r["id"] == "TEST-FILE-001")
        .expect("rule");
    assert_eq!(file_rule["properties"]["security-severity"], "8.0");
    let tags: Vec<&str> = file_rule["properties"]["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        tags.contains(&"security") && tags.contains(&"external/cwe/cwe-20"),
        "{tags:?}"
    );
    assert!(file_rule["help"]["markdown"].as_str().is_some());

    let results = run["results"].as_array().expect("results");
    for r in results {
        assert!(
            r["partialFingerprints"]["guardFingerprint/v1"].is_string(),
            "{r}"
        );
        let idx = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
    }
    let located = results
        .iter()
        .find(|r| r["ruleId"] == "TEST-FILE-001")
        .expect("file result");
    let phys = &located["locations"][0]["physicalLocation"];
    assert_eq!(phys["artifactLocation"]["uri"], "main.tf");
    assert_eq!(phys["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(phys["region"]["startLine"], 1);
    // The failed layer is reported as a tool notification, not hidden.
    let inv = &run["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    assert!(inv["toolExecutionNotifications"][0]["message"]["text"]
        .as_str()
        .unwrap_or_default()
        .contains("test-error"));
}

/// Timings vary run to run: the number before each `ms` becomes `T`.
fn redact_times(s: &str) -> String {
    let mut out = String::new();
    for line in s.lines() {
        let words: Vec<&str> = line.split(' ').collect();
        let kept: Vec<&str> = words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let before_ms = words.get(i + 1).is_some_and(|n| n.starts_with("ms"));
                if before_ms && w.parse::<f64>().is_ok() {
                    "T"
                } else {
                    w
                }
            })
            .collect();
        out.push_str(&kept.join(" "));
        out.push('\n');
    }
    out
}

#[test]
fn text_report_snapshot() {
    let (_, out) = output("text", &[]);
    insta::assert_snapshot!(redact_times(&out));
}

#[test]
fn markdown_report_snapshot() {
    let (_, out) = output("markdown", &[]);
    insta::assert_snapshot!(redact_times(&out));
}
