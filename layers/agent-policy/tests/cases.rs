//! The labelled cases (every `tests/cases/*.yaml`) through the analyser: the issue's
//! targets, >= 99% of destructive commands denied or asked and <= 1% of safe ones
//! blocked, are checked here so the figures stay honest.

use guard_agent_policy::shell::{analyse, Options};
use guard_agent_policy::{Decision, PolicyConfig};
use std::collections::BTreeMap;

type Cases = BTreeMap<String, BTreeMap<String, Vec<String>>>;

/// Every case file, groups named `file/group`.
fn load() -> Cases {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("read tests/cases")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut all = Cases::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read a case file");
        let cases: Cases =
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let stem = path.file_stem().map(|s| s.to_string_lossy().to_string());
        for (group, sets) in cases {
            all.insert(
                format!("{}/{group}", stem.clone().unwrap_or_default()),
                sets,
            );
        }
    }
    all
}

fn opts() -> Options {
    Options {
        cwd: Some("/work/proj".into()),
        home: Some("/home/dev".into()),
        ..Options::default()
    }
}

#[test]
fn core_cases_meet_the_targets() {
    let cfg = PolicyConfig::default();
    let cases = load();
    let (mut d_total, mut d_blocked, mut s_total, mut s_blocked) = (0usize, 0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    for (pack, sets) in &cases {
        for cmd in sets.get("destructive").into_iter().flatten() {
            d_total += 1;
            let a = analyse(cmd, &cfg, &opts());
            if a.decision >= Decision::Ask {
                d_blocked += 1;
            } else {
                misses.push(format!("[{pack}] destructive passed: {cmd}"));
            }
        }
        for cmd in sets.get("safe").into_iter().flatten() {
            s_total += 1;
            let a = analyse(cmd, &cfg, &opts());
            if a.decision >= Decision::Ask {
                s_blocked += 1;
                let why = a
                    .worst()
                    .map(|h| format!("{} {}", h.rule_id, h.detail))
                    .unwrap_or_default();
                misses.push(format!("[{pack}] safe blocked ({why}): {cmd}"));
            }
        }
    }
    let recall = d_blocked as f64 / d_total as f64;
    let fpr = s_blocked as f64 / s_total as f64;
    eprintln!(
        "destructive {d_blocked}/{d_total} ({:.1}%), safe blocked {s_blocked}/{s_total} ({:.1}%)",
        recall * 100.0,
        fpr * 100.0
    );
    for m in &misses {
        eprintln!("{m}");
    }
    assert!(d_total > 300 && s_total > 200, "the case file shrank");
    assert!(recall >= 0.99, "destructive recall {recall:.3} < 0.99");
    assert!(fpr <= 0.01, "safe false-positive rate {fpr:.3} > 0.01");
}
