//! Per-rule fixtures of the audit: `tests/fixtures/audit/<RULE-ID>/<case>/` is a
//! small project; `positive*` cases must raise the rule, `negative*` cases must
//! not. The rule's findings are snapshotted.
//!
//! The audit runs against a small fixed rule set (not the live catalogue) so the
//! snapshots do not move when the catalogue grows, and with a pinned PATH that
//! holds a stand-in `guard` program.

#![allow(clippy::unwrap_used)]

mod common;

use common::fixed_rules;

use guard_agent_policy::audit::{self, AUDIT_RULES};
use guard_core::{Context, Finding};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit")
}

/// A directory holding an executable `guard`, first on the pinned PATH.
fn fake_path() -> (tempfile::TempDir, std::ffi::OsString) {
    let bin = tempfile::tempdir().unwrap();
    let guard = bin.path().join("guard");
    std::fs::write(&guard, "#!/bin/sh\nexit 0\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&guard, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path =
        std::env::join_paths([bin.path(), Path::new("/usr/bin"), Path::new("/bin")]).unwrap();
    (bin, path)
}

fn run(dir: &Path) -> Vec<Finding> {
    let (_bin, path) = fake_path();
    let options = audit::AuditOptions {
        path_var: Some(path),
        infra_rules: Vec::new(),
    };
    audit::audit_with(&Context::new(dir), &fixed_rules(), &options).unwrap()
}

fn brief(findings: &[&Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| {
            let place = match &f.location {
                Some(l) => format!(
                    "{}:{}:{}-{}:{}",
                    l.path, l.start_line, l.start_col, l.end_line, l.end_col
                ),
                None => f.resource.clone().unwrap_or_default(),
            };
            format!("{} {:?} {place}: {}", f.rule_id, f.severity, f.message)
        })
        .collect()
}

#[test]
fn every_audit_rule_has_positive_and_negative_fixtures() {
    for rule in AUDIT_RULES {
        let dir = fixtures().join(rule.id);
        assert!(
            dir.join("positive").is_dir(),
            "{}: no positive fixture",
            rule.id
        );
        assert!(
            dir.join("negative").is_dir(),
            "{}: no negative fixture",
            rule.id
        );
    }
}

#[test]
fn fixtures_raise_exactly_their_rule() {
    let mut ids: Vec<_> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    ids.sort();
    for id in ids {
        assert!(
            AUDIT_RULES.iter().any(|r| r.id == id),
            "fixture for unknown rule {id}"
        );
        let mut cases: Vec<_> = std::fs::read_dir(fixtures().join(&id))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        cases.sort();
        for case in cases {
            let findings = run(&fixtures().join(&id).join(&case));
            let hits: Vec<&Finding> = findings.iter().filter(|f| f.rule_id == id).collect();
            if case.starts_with("positive") {
                assert!(
                    !hits.is_empty(),
                    "{id}/{case}: expected {id}, got {:#?}",
                    brief(&findings.iter().collect::<Vec<_>>())
                );
                insta::assert_yaml_snapshot!(format!("{id}-{case}"), brief(&hits));
            } else {
                assert!(
                    hits.is_empty(),
                    "{id}/{case}: unexpected {:#?}",
                    brief(&hits)
                );
            }
        }
    }
}
