//! Shared by the layer's integration tests.
#![allow(dead_code)]

use guard_agent_policy::{Decision, EffectiveRule};

/// A small fixed rule set, so snapshots do not move when the catalogue grows.
pub fn fixed_rules() -> Vec<EffectiveRule> {
    let rule = |id: &str, pack: &str, decision: Decision, settings: &[&str], instruction: &str| {
        EffectiveRule {
            id: id.into(),
            pack: pack.into(),
            decision,
            title: String::new(),
            reason: String::new(),
            alternative: String::new(),
            settings: settings.iter().map(|s| s.to_string()).collect(),
            instruction: instruction.into(),
            custom: true,
        }
    };
    vec![
        rule(
            "TEST-FS-001",
            "filesystem",
            Decision::Deny,
            &["Bash(rm -rf /)", "Bash(rm -rf ~)"],
            "Never run `rm -rf` on `/` or `~`.",
        ),
        rule(
            "TEST-GIT-001",
            "git",
            Decision::Deny,
            &["Bash(git push --force *)"],
            "Never run `git push --force`; use `--force-with-lease`.",
        ),
        rule(
            "TEST-TF-001",
            "terraform",
            Decision::Ask,
            &["Bash(terraform apply *)"],
            "Ask before `terraform apply`.",
        ),
    ]
}
