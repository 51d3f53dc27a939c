//! The README's quick start: `guard run examples/sample` reports the risks the
//! sample project was built to hold, from every layer in this build.

mod common;

use common::{guard, run};
use serde_json::Value;
use std::path::Path;

#[test]
fn sample_project_reports_each_planted_risk() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/sample");
    let (code, out, err) = run(guard()
        .arg("run")
        .arg(&sample)
        .args(["--format", "json", "-q"]));
    assert_eq!(code, 1, "findings at or above high expected; stderr: {err}");
    let report: Value = serde_json::from_str(&out).expect("JSON report");
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule_id"].as_str())
        .collect();
    for expected in [
        "INFRA-IAM-001",   // Action "*" on Resource "*"
        "INFRA-IAM-006",   // bucket policy Principal "*"
        "INFRA-NET-001",   // SSH open to the world
        "INFRA-DATA-001",  // force_destroy
        "AGENT-AUDIT-011", // bypassPermissions
        "AGENT-AUDIT-012", // Bash(*)
        "AGENT-AUDIT-002", // vague CLAUDE.md rule
        "NET-FW-001",      // no IPv6 policy in the firewall script
        "NET-FW-002",      // DNS open to any host
        "NET-CAP-001",     // the capture reaches a paste site
        "NET-CAP-002",     // and a bare IP address
        "OWASP-SQLI-001",  // webapp/app.py: request argument into SQL
        "OWASP-CMDI-001",  // webapp/app.py: request argument into a shell
        "STRIDE-I-001",    // guard-model.yaml: plain HTTP from the internet
        "STRIDE-I-003",    // guard-model.yaml: orders database not encrypted at rest
    ] {
        assert!(ids.contains(&expected), "{expected} missing from {ids:?}");
    }
    let owasp_paths: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["layer"] == "owasp")
        .filter_map(|f| f["location"]["path"].as_str())
        .collect();
    assert!(
        owasp_paths.iter().all(|p| *p == "webapp/app.py"),
        "the safe variant must stay clean: {owasp_paths:?}"
    );
    for layer in report["layers"].as_array().expect("layers") {
        // The review layer reads a change; a plain run has none.
        let want = if layer["id"] == "review" {
            "skipped"
        } else {
            "completed"
        };
        assert_eq!(layer["outcome"]["status"], want, "{layer}");
    }
}
