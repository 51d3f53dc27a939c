//! The SARIF of `guard run examples/sample` and of each layer's own
//! subcommand, checked result by result against what GitHub code scanning
//! requires of an upload ("SARIF support for code scanning"), beyond the
//! SARIF schema: a physical location with a relative artifact URI and a
//! `uriBaseId` on every result, regions from line and column 1, rule ids
//! present in the driver, string `security-severity`, the fingerprint
//! GitHub matches alerts by, and the documented upload limits.

mod common;

use common::{guard, run, tree};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Findings about a file that should exist and does not: their artifact is
/// that file, so it is not expected on disk.
const FILE_MISSING_RULES: &[&str] = &["AGENT-AUDIT-001", "AGENT-AUDIT-020"];

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel)
}

fn nonempty_str<'a>(v: &'a Value, what: &str) -> &'a str {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("{what}: expected a string, got {v}"));
    assert!(!s.trim().is_empty(), "{what}: empty string");
    s
}

/// Every check GitHub's upload makes of a SARIF file that guard can be
/// expected to meet. `root` is the directory the relative URIs are from;
/// returns the rule ids of the results.
fn assert_github_accepts(sarif: &Value, root: &Path, what: &str) -> Vec<String> {
    assert_eq!(sarif["version"], "2.1.0", "{what}");
    nonempty_str(&sarif["$schema"], what);
    let runs = sarif["runs"].as_array().expect("runs");
    assert!(!runs.is_empty() && runs.len() <= 20, "{what}: runs");
    let mut ids = Vec::new();
    for run in runs {
        let driver = &run["tool"]["driver"];
        nonempty_str(&driver["name"], what);
        let rules = driver["rules"].as_array().expect("rules");
        let mut rule_ids = BTreeSet::new();
        for r in rules {
            let id = nonempty_str(&r["id"], what);
            assert!(rule_ids.insert(id), "{what}: rule {id} twice");
            let ctx = format!("{what}: rule {id}");
            nonempty_str(&r["shortDescription"]["text"], &ctx);
            nonempty_str(&r["fullDescription"]["text"], &ctx);
            nonempty_str(&r["help"]["text"], &ctx);
            let tags: Vec<&str> = r["properties"]["tags"]
                .as_array()
                .unwrap_or_else(|| panic!("{ctx}: tags"))
                .iter()
                .filter_map(Value::as_str)
                .collect();
            assert_eq!(tags.first(), Some(&"security"), "{ctx}: {tags:?}");
            assert!(tags.len() <= 20, "{ctx}: {} tags", tags.len());
            let score: f64 = nonempty_str(&r["properties"]["security-severity"], &ctx)
                .parse()
                .unwrap_or_else(|e| panic!("{ctx}: security-severity: {e}"));
            assert!((0.0..=10.0).contains(&score), "{ctx}: {score}");
            let precision = nonempty_str(&r["properties"]["precision"], &ctx);
            assert!(
                ["very-high", "high", "medium", "low"].contains(&precision),
                "{ctx}: precision {precision}"
            );
        }
        let bases = &run["originalUriBaseIds"];
        let results = run["results"].as_array().expect("results");
        assert!(results.len() <= 25_000, "{what}: too many results");
        for (n, res) in results.iter().enumerate() {
            let id = nonempty_str(&res["ruleId"], what);
            let ctx = format!("{what}: result {n} ({id})");
            assert!(rule_ids.contains(id), "{ctx}: rule not in the driver");
            let idx = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(rules[idx]["id"], id, "{ctx}: ruleIndex");
            nonempty_str(&res["message"]["text"], &ctx);
            nonempty_str(&res["partialFingerprints"]["primaryLocationLineHash"], &ctx);
            let locations = res["locations"]
                .as_array()
                .unwrap_or_else(|| panic!("{ctx}: locations"));
            assert!(!locations.is_empty() && locations.len() <= 1000, "{ctx}");
            let phys = &locations[0]["physicalLocation"];
            let art = &phys["artifactLocation"];
            let uri = nonempty_str(&art["uri"], &ctx);
            assert!(
                !uri.starts_with('/') && !uri.contains("://") && !uri.starts_with(".."),
                "{ctx}: URI `{uri}` is not relative to the root"
            );
            let base = nonempty_str(&art["uriBaseId"], &ctx);
            assert!(
                bases.get(base).is_some(),
                "{ctx}: {base} not in originalUriBaseIds"
            );
            if !FILE_MISSING_RULES.contains(&id) {
                assert!(
                    root.join(uri).is_file(),
                    "{ctx}: {uri} is not a file under {}",
                    root.display()
                );
            }
            let region = &phys["region"];
            let start = region["startLine"]
                .as_u64()
                .unwrap_or_else(|| panic!("{ctx}: startLine"));
            assert!(start >= 1, "{ctx}: startLine {start}");
            let start_col = region["startColumn"].as_u64().unwrap_or(1);
            assert!(start_col >= 1, "{ctx}: startColumn {start_col}");
            let end = region["endLine"].as_u64().unwrap_or(start);
            assert!(end >= start, "{ctx}: endLine {end} < {start}");
            if let Some(end_col) = region["endColumn"].as_u64() {
                assert!(end_col >= 1, "{ctx}: endColumn");
                assert!(end > start || end_col >= start_col, "{ctx}: empty region");
            }
            if let Some(snippet) = region["snippet"]["text"].as_str() {
                let lines = snippet.lines().count() as u64;
                assert_eq!(
                    lines,
                    end - start + 1,
                    "{ctx}: snippet vs region {start}-{end}"
                );
            }
            ids.push(id.to_string());
        }
    }
    ids
}

fn sarif_of(cmd: &mut std::process::Command) -> Value {
    let (code, out, err) = run(cmd.args(["--format", "sarif"]));
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("SARIF is JSON: {e}\n{out}"))
}

#[test]
fn sample_run_sarif_is_accepted_by_github() {
    let sample = repo("examples/sample");
    let sarif = sarif_of(guard().arg("run").arg(&sample).arg("-q"));
    let ids = assert_github_accepts(&sarif, &sample, "guard run examples/sample");
    // Capture findings have no place in the file but still a physical location.
    for id in [
        "NET-CAP-001",
        "NET-CAP-002",
        "INFRA-IAM-006",
        "AGENT-AUDIT-011",
    ] {
        assert!(ids.iter().any(|i| i == id), "{id} missing: {ids:?}");
    }
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let cap = results
        .iter()
        .find(|r| r["ruleId"] == "NET-CAP-001")
        .expect("capture result");
    assert_eq!(
        cap["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "captures/agent-session.pcap"
    );
    // The logical location is kept beside the physical one.
    assert!(
        cap["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
            .as_str()
            .is_some_and(|n| n.contains("pastebin.com"))
    );
}

#[test]
fn layer_subcommand_sarif_is_accepted_by_github() {
    let sample = repo("examples/sample");
    // guard infra on a .tf file and on a plan (plan findings have no lines).
    let dir = tree(&[]);
    let plan = repo("layers/infra/tests/fixtures/INFRA-DATA-004.pos.plan.json");
    std::fs::copy(&plan, dir.path().join("tfplan.json")).expect("copy plan");
    std::fs::copy(sample.join("infra/main.tf"), dir.path().join("main.tf")).expect("copy tf");
    let sarif = sarif_of(
        guard()
            .current_dir(dir.path())
            .args(["infra", "tfplan.json", "main.tf"]),
    );
    let ids = assert_github_accepts(&sarif, dir.path(), "guard infra");
    assert!(ids.iter().any(|i| i == "INFRA-DATA-004"), "{ids:?}");
    let plan_result = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == "INFRA-DATA-004")
        .expect("plan result");
    assert_eq!(
        plan_result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "tfplan.json"
    );

    let sarif = sarif_of(guard().current_dir(&sample).args([
        "net",
        "audit",
        "captures/agent-session.pcap",
        "-q",
    ]));
    let ids = assert_github_accepts(&sarif, &sample, "guard net audit");
    assert!(ids.iter().any(|i| i == "NET-CAP-001"), "{ids:?}");

    let sarif = sarif_of(guard().current_dir(&sample).args([
        "net",
        "audit-firewall",
        ".devcontainer/init-firewall.sh",
    ]));
    let ids = assert_github_accepts(&sarif, &sample, "guard net audit-firewall");
    assert!(ids.iter().any(|i| i == "NET-FW-001"), "{ids:?}");

    let sarif = sarif_of(
        guard()
            .arg("run")
            .arg(&sample)
            .args(["--layer", "agent-policy", "-q"]),
    );
    let ids = assert_github_accepts(&sarif, &sample, "guard run --layer agent-policy");
    assert!(ids.iter().any(|i| i == "AGENT-AUDIT-011"), "{ids:?}");
}

#[test]
fn findings_about_missing_files_point_at_the_file_that_should_exist() {
    // No CLAUDE.md and no .claude/settings.json: AGENT-AUDIT-001 and 020.
    let dir = tree(&[("README.md", b"# project\n")]);
    let sarif =
        sarif_of(
            guard()
                .arg("run")
                .arg(dir.path())
                .args(["--layer", "agent-policy", "-q"]),
        );
    let ids = assert_github_accepts(&sarif, dir.path(), "agent-policy, no files");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let uri_of = |id: &str| {
        results
            .iter()
            .find(|r| r["ruleId"] == id)
            .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].clone())
            .unwrap_or_else(|| panic!("{id} missing: {ids:?}"))
    };
    assert_eq!(uri_of("AGENT-AUDIT-001"), "CLAUDE.md");
    assert_eq!(uri_of("AGENT-AUDIT-020"), ".claude/settings.json");
}
