//! Per-rule fixtures: `tests/fixtures/<RULE>/{pos,neg}[.before].<ext>`.
//! The `.before` file (empty when absent) and the other are diffed into a
//! patch, reviewed by all four reviewers against a folder holding the new
//! file, and the findings are snapshotted. A `pos` case must raise the rule,
//! a `neg` case must not.

use guard_core::diff::ChangeSet;
use guard_review::config::ReviewConfig;
use guard_review::input::{prepare, TextSource};
use guard_review::reviewers::{builtin, run_all, BUILTIN};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn unified(path: &str, before: &str, after: &str) -> String {
    let diff = similar::TextDiff::from_lines(before, after);
    let old = if before.is_empty() {
        "/dev/null".to_string()
    } else {
        format!("a/{path}")
    };
    let body = diff
        .unified_diff()
        .context_radius(3)
        .header(&old, &format!("b/{path}"))
        .to_string();
    body
}

struct Case {
    rule: String,
    name: String,
    after: PathBuf,
    before: Option<PathBuf>,
}

fn cases() -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.is_dir()
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("REVIEW-"))
        })
        .collect();
    dirs.sort();
    for dir in dirs {
        let rule = dir.file_name().expect("name").to_string_lossy().to_string();
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("rule dir")
            .map(|e| e.expect("entry").path())
            .collect();
        files.sort();
        for f in &files {
            let name = f.file_name().expect("name").to_string_lossy().to_string();
            if name.contains(".before.") {
                continue;
            }
            let (stem, ext) = name.split_once('.').expect("extension");
            let before = dir.join(format!("{stem}.before.{ext}"));
            out.push(Case {
                rule: rule.clone(),
                name,
                after: f.clone(),
                before: before.exists().then_some(before),
            });
        }
    }
    out
}

fn review(case: &Case) -> Vec<guard_core::Finding> {
    let after = std::fs::read_to_string(&case.after).expect("after");
    let before = case
        .before
        .as_ref()
        .map(|b| std::fs::read_to_string(b).expect("before"))
        .unwrap_or_default();
    let path = format!("src/{}", case.name);
    let patch = unified(&path, &before, &after);
    let cs = ChangeSet::parse(&patch, "fixture.diff").expect("fixture diff parses");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("src")).expect("mkdir");
    std::fs::write(dir.path().join(&path), &after).expect("write");
    let input = prepare(dir.path(), &cs, 0, &|| false).expect("prepare");
    assert_eq!(input.files.len(), 1, "{}", case.name);
    assert_eq!(input.files[0].source, TextSource::WorkTree);
    let reviewers: Vec<_> = BUILTIN.iter().filter_map(|id| builtin(id)).collect();
    let runs = run_all(
        &reviewers,
        Arc::new(input),
        Arc::new(ReviewConfig::default()),
        Instant::now() + Duration::from_secs(60),
    );
    let mut findings = Vec::new();
    for r in runs {
        assert_eq!(
            r.outcome,
            guard_core::LayerOutcome::Completed,
            "{} {}: {:?}",
            case.rule,
            case.name,
            r.outcome
        );
        findings.extend(r.findings);
    }
    findings.sort_by(|a, b| {
        let la = a.location.as_ref().map(|l| l.start_line);
        let lb = b.location.as_ref().map(|l| l.start_line);
        la.cmp(&lb).then_with(|| a.rule_id.cmp(&b.rule_id))
    });
    findings
}

#[test]
fn per_rule_fixtures() {
    let mut failures = Vec::new();
    let all = cases();
    assert!(all.len() >= 60, "only {} fixture cases", all.len());
    for case in &all {
        let findings = review(case);
        let of_rule = findings.iter().filter(|f| f.rule_id == case.rule).count();
        let positive = case.name.starts_with("pos");
        if positive && of_rule == 0 {
            failures.push(format!(
                "{}/{}: expected {} and got none",
                case.rule, case.name, case.rule
            ));
        }
        if !positive && of_rule > 0 {
            failures.push(format!(
                "{}/{}: {} raised on a negative case",
                case.rule, case.name, case.rule
            ));
        }
        let shown: Vec<String> = findings
            .iter()
            .map(|f| {
                let l = f.location.as_ref().map(|l| l.start_line).unwrap_or(0);
                format!(
                    "{} {:?} line {l} [{}]: {}",
                    f.rule_id,
                    f.severity,
                    f.part_name().unwrap_or("?"),
                    f.message
                )
            })
            .collect();
        insta::assert_snapshot!(
            format!("{}__{}", case.rule, case.name.replace('.', "_")),
            shown.join("\n")
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_a_positive_and_a_negative_fixture() {
    let all = cases();
    for rule in guard_review::rules::RULES {
        let has = |p: &str| {
            all.iter()
                .any(|c| c.rule == rule.id && c.name.starts_with(p))
        };
        // The taint kinds without a fixture of their own share the engine's.
        if matches!(rule.id, "REVIEW-SEC-008" | "REVIEW-SEC-010") {
            continue;
        }
        assert!(
            has("pos") && has("neg"),
            "{} lacks a pos or neg fixture",
            rule.id
        );
    }
}
