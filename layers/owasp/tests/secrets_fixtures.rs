//! One fixture per secret detector under `tests/secrets_fixtures/`, each with
//! positive, negative and placeholder lines. Credentials are `@@NAME@@`
//! markers filled in at run time, so the repository holds none; the snapshot
//! records rule, place, severity, confidence and the redacted evidence.

use guard_owasp::secrets::{self, testkit, ScanOptions, SecretHit};
use serde::Serialize;
use std::path::Path;

#[derive(Serialize)]
struct Row<'a> {
    rule: &'a str,
    line: u32,
    cols: String,
    severity: String,
    confidence: String,
    evidence: &'a str,
    snippet: &'a str,
    notes: &'a [String],
    fingerprint: &'a str,
}

fn rows(hits: &[SecretHit]) -> Vec<Row<'_>> {
    hits.iter()
        .map(|h| Row {
            rule: h.rule_id,
            line: h.start.line,
            cols: format!(
                "{}:{}-{}:{} (bytes {}-{})",
                h.start.line,
                h.start.col_char,
                h.end.line,
                h.end.col_char,
                h.start.col_byte,
                h.end.col_byte
            ),
            severity: h.severity.to_string(),
            confidence: format!("{:?}", h.confidence),
            evidence: &h.evidence,
            snippet: &h.snippet,
            notes: &h.notes,
            fingerprint: &h.fingerprint,
        })
        .collect()
}

fn check(name: &str, expected_rules: &[&str]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/secrets_fixtures")
        .join(name);
    let template = std::fs::read_to_string(&path).expect("fixture readable");
    let text = testkit::render(&template, 7);
    let hits = secrets::scan_text(name, &text, &ScanOptions::default());
    for h in &hits {
        let secret = &text[h.byte_range.clone()];
        assert!(!h.evidence.contains(secret), "{name}: evidence leaks");
        assert!(!h.snippet.contains(secret), "{name}: snippet leaks");
    }
    let got: Vec<&str> = hits.iter().map(|h| h.rule_id).collect();
    assert_eq!(got, expected_rules, "{name}");
    insta::assert_yaml_snapshot!(name.replace('.', "_"), rows(&hits));
}

#[test]
fn aws_credentials() {
    check("aws_credentials.ini", &["OWASP-SECRET-001"]);
}

#[test]
fn aws_key_id() {
    check("aws_key_id.py", &["OWASP-SECRET-002"]);
}

#[test]
fn github_classic() {
    check("github_classic.py", &["OWASP-SECRET-003"]);
}

#[test]
fn github_fine_grained() {
    check("github_fine_grained.yml", &["OWASP-SECRET-004"]);
}

#[test]
fn npm_token() {
    check("npm_token.npmrc", &["OWASP-SECRET-005"]);
}

#[test]
fn gitlab() {
    check("gitlab.sh", &["OWASP-SECRET-006"]);
}

#[test]
fn slack() {
    check("slack.py", &["OWASP-SECRET-007", "OWASP-SECRET-008"]);
}

#[test]
fn stripe() {
    check("stripe.js", &["OWASP-SECRET-009", "OWASP-SECRET-009"]);
}

#[test]
fn google() {
    check("google.js", &["OWASP-SECRET-010"]);
}

#[test]
fn anthropic() {
    check("anthropic.py", &["OWASP-SECRET-011"]);
}

#[test]
fn openai() {
    check("openai.ts", &["OWASP-SECRET-012"]);
}

#[test]
fn private_key() {
    check("private_key.pem", &["OWASP-SECRET-013"]);
}

#[test]
fn jwt() {
    check("jwt.js", &["OWASP-SECRET-014"]);
}

#[test]
fn database_urls() {
    check(
        "database_urls.py",
        &["OWASP-SECRET-015", "OWASP-SECRET-015", "OWASP-SECRET-015"],
    );
}

#[test]
fn generic_code() {
    check("generic.py", &["OWASP-SECRET-016", "OWASP-SECRET-016"]);
}

#[test]
fn generic_env() {
    check("generic.env", &["OWASP-SECRET-016"]);
}

#[test]
fn rule_rows_cover_every_hit_rule() {
    let ids: Vec<&str> = secrets::RULES.iter().map(|r| r.id).collect();
    assert_eq!(ids.len(), 16);
    for id in ids {
        assert!(secrets::rules::rule(id).is_some());
    }
}
