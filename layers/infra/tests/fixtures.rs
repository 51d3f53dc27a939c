//! Per-rule fixtures: `RULE.pos.*` must raise RULE, `RULE.neg.*` must not.
//! `.plan.json` files run with plan semantics; `RULE.*.base.tf` is the base
//! revision of `RULE.*.tf` for rules that compare against one. Findings are
//! snapshotted.

#![allow(clippy::unwrap_used)]
use guard_core::Finding;
use guard_infra::{base, check_content, scan, unparsed_finding};
use std::path::Path;

fn findings(dir: &Path, name: &str) -> Vec<Finding> {
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    if name.ends_with(".plan.json") {
        return scan::scan_plan(name, &text, false).unwrap();
    }
    let base_name = name.replace(".tf", ".base.tf");
    if dir.join(&base_name).exists() && base_name != name {
        let old = std::fs::read_to_string(dir.join(&base_name)).unwrap();
        return base::compare_with_base(name, &old, Some(&text));
    }
    // As in a walk: a file that cannot be parsed is a finding.
    check_content(name, &text).unwrap_or_else(|e| vec![unparsed_finding(&e)])
}

fn render(fs: &[Finding]) -> String {
    let mut out = String::new();
    for f in fs {
        let place = match (&f.location, &f.resource) {
            (Some(l), _) => format!("{}:{}-{}", l.path, l.start_line, l.end_line),
            (None, Some(r)) => r.clone(),
            _ => String::new(),
        };
        out.push_str(&format!(
            "{} {:?} {} {}\n",
            f.rule_id, f.severity, place, f.message
        ));
    }
    out
}

#[test]
fn per_rule_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.contains(".base."))
        .collect();
    names.sort();
    let mut covered = std::collections::BTreeSet::new();
    for name in &names {
        let rule = name.split('.').next().unwrap();
        let fs = findings(&dir, name);
        // Raised: above Info, or at all for rules that are Info by design
        // (a setting whose default is safe, shown for review).
        let info_rule = guard_infra::rules()
            .iter()
            .any(|r| r.id == rule && r.severity == guard_core::Severity::Info);
        let raised = fs
            .iter()
            .any(|f| f.rule_id == rule && (f.severity > guard_core::Severity::Info || info_rule));
        if name.split('.').nth(1).is_some_and(|k| k.starts_with("pos")) {
            assert!(raised, "{name}: expected {rule}, got:\n{}", render(&fs));
            covered.insert(rule.to_string());
        } else {
            assert!(
                !raised,
                "{name}: {rule} must not fire, got:\n{}",
                render(&fs)
            );
        }
        insta::assert_snapshot!(name.replace('.', "_"), render(&fs));
    }
    // Every rule has a positive fixture.
    for r in guard_infra::rules() {
        assert!(covered.contains(r.id), "no positive fixture for {}", r.id);
    }
}

#[test]
fn sensitive_values_never_in_output() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let fs = findings(&dir, "INFRA-DATA-004.pos.plan.json");
    let json = serde_json::to_string(&fs).unwrap();
    assert!(!json.contains("hunter2"));
}

/// Every row of the resource table has a positive fixture raising its rule on
/// one of its types at its path (for the unset default when the row has
/// one), and a negative fixture with a resource of that type.
#[test]
fn every_table_row_has_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut pos = Vec::new();
    let mut neg_text = String::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if !name.ends_with(".tf") || name.contains(".base.") {
            continue;
        }
        match name.split('.').nth(1) {
            Some(k) if k.starts_with("pos") => pos.extend(findings(&dir, &name)),
            Some(k) if k.starts_with("neg") => {
                neg_text.push_str(&std::fs::read_to_string(dir.join(&name)).unwrap())
            }
            _ => {}
        }
    }
    for row in guard_infra::checks::table::ROWS {
        let of_row = |f: &&Finding| {
            f.rule_id == row.rule.id
                && f.resource
                    .as_deref()
                    .is_some_and(|a| row.types.iter().any(|t| a.starts_with(&format!("{t}."))))
                && f.message.starts_with(&format!("`{}", row.path))
        };
        assert!(
            pos.iter().any(|f| of_row(&f)),
            "no positive fixture for {} {}",
            row.types[0],
            row.path
        );
        if row.default.is_some() {
            assert!(
                pos.iter()
                    .filter(of_row)
                    .any(|f| f.message.contains("not set (defaults to")),
                "no unset positive fixture for {} {}",
                row.types[0],
                row.path
            );
        }
        assert!(
            row.types
                .iter()
                .any(|t| neg_text.contains(&format!("resource \"{t}\""))),
            "no negative fixture for {} {}",
            row.types[0],
            row.path
        );
    }
}

/// Files `terraform fmt` accepts (checked with Terraform when it is on PATH)
/// are never INFRA-INPUT-001.
#[test]
fn terraform_accepted_files_parse() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/terraform-accepted");
    let tf = std::process::Command::new("terraform")
        .args(["fmt", "-check", "-list=true"])
        .arg(&dir)
        .env("TF_CLI_CONFIG_FILE", "/dev/null")
        .env("CHECKPOINT_DISABLE", "1")
        .output();
    match tf {
        Ok(out) => assert!(
            out.status.success(),
            "terraform fmt rejects the corpus:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => eprintln!("terraform not run ({e}); checking guard only"),
    }
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let fs = check_content(&name, &text).unwrap_or_else(|e| panic!("{name}: not parsed: {e}"));
        assert!(
            fs.iter().all(|f| f.rule_id != "INFRA-INPUT-001"),
            "{name}: {}",
            render(&fs)
        );
        n += 1;
    }
    assert!(n >= 4);
}
