//! Per-rule positive and negative fixtures (tests/fixtures/rules.yaml): every
//! catalogue rule has commands that must raise it and near misses that must not. The
//! decisions and matched details are snapshotted.

use guard_agent_policy::catalogue::catalogue;
use guard_agent_policy::shell::{analyse, Options};
use guard_agent_policy::PolicyConfig;
use std::collections::BTreeMap;

#[derive(serde::Deserialize)]
struct Fixture {
    positive: Vec<String>,
    negative: Vec<String>,
}

#[test]
fn every_rule_has_positive_and_negative_fixtures() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rules.yaml");
    let text = std::fs::read_to_string(path).expect("read");
    let fixtures: BTreeMap<String, Fixture> = serde_yaml::from_str(&text).expect("parse");
    let cfg = PolicyConfig::default();
    // Policy packs are off by default; their rules are checked with them on.
    let policy_cfg = PolicyConfig {
        packs: guard_agent_policy::catalogue::POLICY_PACKS
            .iter()
            .map(|s| s.to_string())
            .collect(),
        ..PolicyConfig::default()
    };
    let opts = Options {
        cwd: Some("/work/proj".into()),
        home: Some("/home/dev".into()),
        ..Options::default()
    };
    let mut report = String::new();
    for rule in catalogue() {
        let id = rule.rule.id;
        let f = fixtures
            .get(id)
            .unwrap_or_else(|| panic!("no fixture for {id}"));
        assert!(!f.positive.is_empty() && !f.negative.is_empty(), "{id}");
        report.push_str(&format!("{id}\n"));
        let cfg = if guard_agent_policy::catalogue::POLICY_PACKS.contains(&rule.pack) {
            &policy_cfg
        } else {
            &cfg
        };
        for cmd in &f.positive {
            let a = analyse(cmd, cfg, &opts);
            let hit = a.hits.iter().find(|h| h.rule_id == id);
            let hit = hit.unwrap_or_else(|| panic!("{id} not raised by `{cmd}`: {:?}", a.hits));
            report.push_str(&format!("  + {cmd}  => {} ({})\n", a.decision, hit.detail));
        }
        for cmd in &f.negative {
            let a = analyse(cmd, cfg, &opts);
            assert!(
                !a.hits.iter().any(|h| h.rule_id == id),
                "{id} raised by negative `{cmd}`"
            );
            report.push_str(&format!("  - {cmd}  => {}\n", a.decision));
        }
    }
    insta::assert_snapshot!("rule_fixtures", report);
}
