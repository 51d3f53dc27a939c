//! Per-rule fixtures: `RULE.posN.ext` must raise RULE, `RULE.negN.ext` (the
//! safe variant of the same code) must not. Findings are snapshotted.

#![allow(clippy::unwrap_used)]
use guard_core::Finding;
use guard_owasp::engine::{EngineError, Lang, Limits, Tables};
use guard_owasp::scan::analyze_text;
use std::path::Path;

fn findings(dir: &Path, name: &str) -> Vec<Finding> {
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    let lang = Lang::from_path(name).unwrap();
    analyze_text(
        name,
        lang,
        &text,
        &Tables::builtin(),
        &Limits::default(),
        &|| false,
    )
    .unwrap()
}

fn render(fs: &[Finding]) -> String {
    let mut out = String::new();
    for f in fs {
        let l = f.location.as_ref().unwrap();
        out.push_str(&format!(
            "{} {:?} {:?} {}:{} {}\n",
            f.rule_id, f.severity, f.confidence, l.path, l.start_line, f.message
        ));
        for s in &f.trace {
            out.push_str(&format!(
                "    {}:{} {}\n",
                s.location.start_line, s.location.start_col, s.message
            ));
        }
    }
    out
}

#[test]
fn per_rule_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut covered = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    for name in &names {
        let rule = name.split('.').next().unwrap();
        let fs = findings(&dir, name);
        let raised = fs.iter().any(|f| f.rule_id == rule);
        if name.split('.').nth(1).is_some_and(|k| k.starts_with("pos")) {
            if !raised {
                failures.push(format!("{name}: expected {rule}, got:\n{}", render(&fs)));
            }
            covered.insert(rule.to_string());
        } else if raised {
            failures.push(format!(
                "{name}: {rule} must not fire, got:\n{}",
                render(&fs)
            ));
        }
        insta::assert_snapshot!(name.replace('.', "_"), render(&fs));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for r in guard_owasp::rules::RULES {
        assert!(covered.contains(r.id), "no positive fixture for {}", r.id);
    }
}

#[test]
fn vanished_file_is_reported_not_fatal() {
    use guard_core::Layer;
    let dir = tempfile::tempdir().unwrap();
    let src = "from flask import request\nimport os\n@app.route('/')\ndef f():\n    os.system(request.args['c'])\n";
    std::fs::write(dir.path().join("a.py"), src).unwrap();
    std::fs::write(dir.path().join("b.py"), src).unwrap();
    let ctx = guard_core::Context::new(dir.path());
    assert_eq!(ctx.files().files.len(), 2);
    // the walk saw b.py; it disappears before it is read
    std::fs::remove_file(dir.path().join("b.py")).unwrap();
    let fs = guard_owasp::layer().run(&ctx).unwrap();
    let ids: Vec<(&str, &str)> = fs
        .iter()
        .map(|f| {
            (
                f.rule_id.as_str(),
                f.location.as_ref().unwrap().path.as_str(),
            )
        })
        .collect();
    assert_eq!(ids, vec![("OWASP-CMDI-001", "a.py")]);
    // the vanished file is an input error of the run, named with its path
    let (errors, _) = ctx.read_problems();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].path, "b.py");
    assert!(errors[0].message.starts_with("cannot read"), "{errors:?}");
}

#[test]
fn test_files_are_lowered_not_dropped() {
    let src = "from flask import request\nimport os\n@app.route('/')\ndef f():\n    os.system(request.args['c'])\n";
    let fs = analyze_text(
        "tests/test_app.py",
        Lang::Python,
        src,
        &Tables::builtin(),
        &Limits::default(),
        &|| false,
    )
    .unwrap();
    assert_eq!(fs.len(), 1);
    assert_eq!(fs[0].confidence, guard_core::Confidence::Low);
    assert_eq!(fs[0].severity, guard_core::Severity::High);
}

#[test]
fn truncated_and_spliced_fixtures_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut texts = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        texts.push((
            name.clone(),
            std::fs::read_to_string(dir.join(&name)).unwrap(),
        ));
    }
    texts.sort();
    for (i, (name, text)) in texts.iter().enumerate() {
        let lang = Lang::from_path(name).unwrap();
        let step = (text.len() / 12).max(1);
        let other = &texts[(i + 1) % texts.len()].1;
        for cut in (0..text.len()).step_by(step) {
            if !text.is_char_boundary(cut) {
                continue;
            }
            let mut spliced = text[..cut].to_string();
            spliced.push_str(&other[other.len() / 2..]);
            for t in [&text[..cut], spliced.as_str()] {
                // a panic fails the test; a broken file still parses (tree-sitter
                // recovers), so the only acceptable errors are budget ones
                match analyze_text(
                    name,
                    lang,
                    t,
                    &Tables::builtin(),
                    &Limits::default(),
                    &|| false,
                ) {
                    Ok(_) | Err(EngineError::TooDeep { .. }) | Err(EngineError::Budget { .. }) => {}
                    Err(e) => panic!("{name} cut at {cut}: {e}"),
                }
            }
        }
    }
}
