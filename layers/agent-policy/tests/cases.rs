//! The labelled cases (every tests/cases/*.yaml) through the analyser: the issue's
//! targets, >= 99% of destructive commands denied or asked and <= 1% of safe ones
//! blocked, are checked here so the figures stay honest. A group may name the
//! policy packs (`packs: [...]`) that are switched on for it.

use guard_agent_policy::shell::{analyse, Options};
use guard_agent_policy::{Decision, PolicyConfig};
use std::collections::BTreeMap;

/// group -> `destructive` / `safe` / `packs` -> commands (or pack names).
type Cases = BTreeMap<String, BTreeMap<String, Vec<String>>>;

/// Every case file, by file name.
fn load() -> Vec<(String, Cases)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("read tests/cases")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("read case file");
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            let cases: Cases = serde_yaml::from_str(&text)
                .unwrap_or_else(|e| panic!("parse {}: {e}", p.display()));
            (name.unwrap_or_default(), cases)
        })
        .collect()
}

fn opts() -> Options {
    Options {
        cwd: Some("/work/proj".into()),
        home: Some("/home/dev".into()),
        ..Options::default()
    }
}

#[test]
fn cases_meet_the_targets() {
    let files = load();
    assert!(
        files.iter().any(|(f, _)| f == "core.yaml"),
        "core.yaml is missing"
    );
    let (mut d_total, mut d_blocked, mut s_total, mut s_blocked) = (0usize, 0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    for (file, cases) in &files {
        let (mut fd, mut fdb, mut fs, mut fsb) = (0usize, 0usize, 0usize, 0usize);
        for (pack, sets) in cases {
            let cfg = PolicyConfig {
                packs: sets.get("packs").cloned().unwrap_or_default(),
                ..PolicyConfig::default()
            };
            cfg.validate().expect("packs of the group are known");
            for cmd in sets.get("destructive").into_iter().flatten() {
                fd += 1;
                let a = analyse(cmd, &cfg, &opts());
                if a.decision >= Decision::Ask {
                    fdb += 1;
                } else {
                    misses.push(format!("[{file} {pack}] destructive passed: {cmd}"));
                }
            }
            for cmd in sets.get("safe").into_iter().flatten() {
                fs += 1;
                let a = analyse(cmd, &cfg, &opts());
                if a.decision >= Decision::Ask {
                    fsb += 1;
                    let why = a
                        .worst()
                        .map(|h| format!("{} {}", h.rule_id, h.detail))
                        .unwrap_or_default();
                    misses.push(format!("[{file} {pack}] safe blocked ({why}): {cmd}"));
                }
            }
            // Policy groups: with their packs off every command passes.
            if !cfg.packs.is_empty() {
                let off = PolicyConfig::default();
                for cmd in sets.get("destructive").into_iter().flatten() {
                    let a = analyse(cmd, &off, &opts());
                    if a.hits
                        .iter()
                        .any(|h| h.rule_id.starts_with("AGENT-POLICY-"))
                    {
                        misses.push(format!(
                            "[{file} {pack}] policy rule raised while off: {cmd}"
                        ));
                        fsb += 1;
                    }
                }
            }
        }
        eprintln!(
            "{file}: destructive {fdb}/{fd} ({:.1}%), safe blocked {fsb}/{fs} ({:.1}%)",
            100.0 * fdb as f64 / fd.max(1) as f64,
            100.0 * fsb as f64 / fs.max(1) as f64
        );
        d_total += fd;
        d_blocked += fdb;
        s_total += fs;
        s_blocked += fsb;
    }
    let recall = d_blocked as f64 / d_total as f64;
    let fpr = s_blocked as f64 / s_total as f64;
    eprintln!(
        "all: destructive {d_blocked}/{d_total} ({:.1}%), safe blocked {s_blocked}/{s_total} ({:.1}%)",
        recall * 100.0,
        fpr * 100.0
    );
    for m in &misses {
        eprintln!("{m}");
    }
    assert!(d_total > 1400 && s_total > 1400, "the case files shrank");
    assert!(recall >= 0.99, "destructive recall {recall:.3} < 0.99");
    assert!(fpr <= 0.01, "safe false-positive rate {fpr:.3} > 0.01");
}
