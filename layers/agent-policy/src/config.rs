//! The layer's `[layers.agent-policy]` table in guard.toml, and the effective rule set
//! it yields (built-in catalogue minus disabled rules, with downgrades, plus custom rules).
//!
//! ```toml
//! [layers.agent-policy]
//! disable = ["AGENT-GIT-004"]          # rule ids never enforced
//! disable_packs = ["publishing"]
//! packs = ["default-branch", "tags"]    # policy packs, off by default (see below)
//! downgrade = ["AGENT-TF-004"]          # deny -> ask
//! fail_closed = "ask"                   # decision when the hook itself fails
//! on_no_match = "pass"                  # "pass" leaves Claude Code's own permission flow in charge
//! production_markers = ["prod", "live"] # words that make a target look like production
//! platform = "macos"                    # linux | macos | windows (default: the one guard runs on)
//!
//! [[layers.agent-policy.rules]]
//! id = "TEAM-001"
//! command = "make deploy"               # program + leading words; `*` matches one word
//! decision = "deny"
//! reason = "Deploys go through CI."
//! alternative = "Push a tag; CI deploys it."
//! ```
//!
//! Policy packs are stricter team policies that are off unless listed in `packs`:
//! `default-branch` (pushes to main/master), `pull-requests` (merging or closing pull
//! requests, merge requests and issues), `tags` (deleting tags) and `project-rm`
//! (recursive deletes inside the project). An unknown name is an error.

use crate::catalogue::{catalogue, CommandRule, Decision};
use serde::{Deserialize, Serialize};

/// What the hook answers when no rule matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoMatch {
    /// No decision: Claude Code applies the user's settings as if there were no hook.
    #[default]
    Pass,
    /// Answer `allow` (skips Claude Code's prompt; deny/ask settings rules still apply).
    Allow,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyConfig {
    /// Rule ids never enforced nor written.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Whole packs never enforced nor written.
    #[serde(default)]
    pub disable_packs: Vec<String>,
    /// Policy packs switched on (they are off by default).
    #[serde(default)]
    pub packs: Vec<String>,
    /// Rule ids whose `deny` becomes `ask`.
    #[serde(default)]
    pub downgrade: Vec<String>,
    /// Decision when the hook cannot judge (internal error, unreadable input).
    #[serde(default = "default_fail_closed")]
    pub fail_closed: Decision,
    #[serde(default)]
    pub on_no_match: NoMatch,
    /// Case-insensitive words that make a database URL/host, kube context, cloud
    /// profile or environment name look like production (escalate ask to deny).
    #[serde(default = "default_markers")]
    pub production_markers: Vec<String>,
    /// Team-specific command rules.
    #[serde(default)]
    pub rules: Vec<CustomRule>,
    /// The platform the agent's commands run on: on `macos` and `windows` file
    /// systems are case-insensitive, so `RM` and `GIT.EXE` run `rm` and `git`.
    /// Unset: the platform guard itself runs on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
}

/// An operating system family, for how it resolves command names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Linux,
    Macos,
    Windows,
}

impl Platform {
    /// The platform this build runs on.
    pub fn detected() -> Platform {
        if cfg!(target_os = "macos") {
            Platform::Macos
        } else if cfg!(windows) {
            Platform::Windows
        } else {
            Platform::Linux
        }
    }

    /// Whether command names are matched without regard to case.
    pub fn case_insensitive(self) -> bool {
        matches!(self, Platform::Macos | Platform::Windows)
    }
}

impl Default for PolicyConfig {
    fn default() -> Self {
        PolicyConfig {
            disable: Vec::new(),
            disable_packs: Vec::new(),
            packs: Vec::new(),
            downgrade: Vec::new(),
            fail_closed: default_fail_closed(),
            on_no_match: NoMatch::default(),
            production_markers: default_markers(),
            rules: Vec::new(),
            platform: None,
        }
    }
}

fn default_fail_closed() -> Decision {
    Decision::Ask
}

fn default_markers() -> Vec<String> {
    ["prod", "production", "live", "prd"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// A user rule: a command prefix matched word by word on the parsed argv (after
/// wrappers are stripped), so `make deploy` also catches `sudo make deploy prod`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomRule {
    pub id: String,
    /// Program and leading words, e.g. `"make deploy"` or `"kubectl * delete"`.
    pub command: String,
    pub decision: Decision,
    pub reason: String,
    #[serde(default)]
    pub alternative: String,
    /// Words that, anywhere in the argv, make the rule match only when present.
    #[serde(default)]
    pub with_any: Vec<String>,
}

impl CustomRule {
    pub fn words(&self) -> Vec<&str> {
        self.command.split_whitespace().collect()
    }
}

/// One rule as it is enforced in this project: owned so custom rules fit beside
/// built-in ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EffectiveRule {
    pub id: String,
    pub pack: String,
    pub decision: Decision,
    pub title: String,
    pub reason: String,
    pub alternative: String,
    /// Claude Code permission rules, for `permissions.deny` or `.ask` by `decision`.
    pub settings: Vec<String>,
    pub instruction: String,
    pub custom: bool,
}

/// Errors in the table that serde cannot see.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PolicyError {
    #[error(
        "[layers.agent-policy] {field}: unknown rule id `{id}` (see `guard rules agent-policy`)"
    )]
    UnknownRule { field: &'static str, id: String },
    #[error("[layers.agent-policy] disable_packs: unknown pack `{0}`")]
    UnknownPack(String),
    #[error("[layers.agent-policy] packs: unknown policy pack `{0}` (known: {known})", known = crate::catalogue::POLICY_PACKS.join(", "))]
    UnknownPolicyPack(String),
    #[error("[layers.agent-policy] rules: custom rule `{0}` has an empty command")]
    EmptyCommand(String),
    #[error("[layers.agent-policy] rules: custom rule id `{0}` is used twice or clashes with a built-in rule")]
    DuplicateId(String),
    #[error("[layers.agent-policy] rules: custom rule `{0}` has decision `allow`; use `disable` to turn a rule off")]
    AllowRule(String),
}

impl PolicyConfig {
    pub fn validate(&self) -> Result<(), PolicyError> {
        for (field, ids) in [("disable", &self.disable), ("downgrade", &self.downgrade)] {
            for id in ids {
                let custom = self.rules.iter().any(|r| r.id.eq_ignore_ascii_case(id));
                if crate::catalogue::find(id).is_none() && !custom {
                    return Err(PolicyError::UnknownRule {
                        field,
                        id: id.clone(),
                    });
                }
            }
        }
        for p in &self.disable_packs {
            if !crate::catalogue::PACKS.contains(&p.as_str()) {
                return Err(PolicyError::UnknownPack(p.clone()));
            }
        }
        for p in &self.packs {
            if !crate::catalogue::POLICY_PACKS.contains(&p.as_str()) {
                return Err(PolicyError::UnknownPolicyPack(p.clone()));
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for r in &self.rules {
            if r.words().is_empty() {
                return Err(PolicyError::EmptyCommand(r.id.clone()));
            }
            if r.decision == Decision::Allow {
                return Err(PolicyError::AllowRule(r.id.clone()));
            }
            if crate::catalogue::find(&r.id).is_some() || !seen.insert(r.id.to_ascii_uppercase()) {
                return Err(PolicyError::DuplicateId(r.id.clone()));
            }
        }
        Ok(())
    }

    fn listed(list: &[String], id: &str) -> bool {
        list.iter().any(|d| d.eq_ignore_ascii_case(id))
    }

    /// Whether a built-in or custom rule is switched off.
    pub fn is_disabled(&self, id: &str, pack: &str) -> bool {
        Self::listed(&self.disable, id)
            || Self::listed(&self.disable_packs, pack)
            || (crate::catalogue::POLICY_PACKS.contains(&pack) && !Self::listed(&self.packs, pack))
    }

    /// Whether policy pack `pack` is switched on.
    pub fn policy_pack_on(&self, pack: &str) -> bool {
        Self::listed(&self.packs, pack) && !Self::listed(&self.disable_packs, pack)
    }

    /// The decision a rule hit turns into under this config (`None`: disabled).
    pub fn decide(&self, id: &str, pack: &str, decision: Decision) -> Option<Decision> {
        if self.is_disabled(id, pack) {
            return None;
        }
        if decision == Decision::Deny && Self::listed(&self.downgrade, id) {
            return Some(Decision::Ask);
        }
        Some(decision)
    }

    /// Whether `text` names something production-like.
    pub fn looks_production(&self, text: &str) -> bool {
        let lower = text.to_ascii_lowercase();
        // Whole words only: `product` or `reproduce` are not production.
        lower.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
            self.production_markers
                .iter()
                .any(|m| w.eq_ignore_ascii_case(m))
        })
    }

    /// Built-in rules (minus disabled, with downgrades) followed by custom rules.
    pub fn effective_rules(&self) -> Vec<EffectiveRule> {
        let mut out: Vec<EffectiveRule> = catalogue()
            .iter()
            .filter_map(|r| {
                let decision = self.decide(r.rule.id, r.pack, r.decision)?;
                Some(builtin(r, decision))
            })
            .collect();
        for c in &self.rules {
            if Self::listed(&self.disable, &c.id) {
                continue;
            }
            let decision = if Self::listed(&self.downgrade, &c.id) {
                Decision::Ask.min(c.decision)
            } else {
                c.decision
            };
            let cmd = c.words().join(" ");
            let verb = if decision == Decision::Deny {
                "Never run"
            } else {
                "Ask before running"
            };
            let mut instruction = format!("{verb} `{cmd}`: {}", c.reason.trim_end_matches('.'));
            if !c.alternative.is_empty() {
                instruction.push_str(&format!("; {}", c.alternative.trim_end_matches('.')));
            }
            instruction.push('.');
            // Claude Code rules cannot express the `with_any` words; leave those to the hook.
            let settings = if c.with_any.is_empty() && !cmd.contains(')') {
                vec![format!("Bash({cmd})"), format!("Bash({cmd} *)")]
            } else {
                Vec::new()
            };
            out.push(EffectiveRule {
                id: c.id.clone(),
                pack: "custom".into(),
                decision,
                title: format!("Running `{cmd}`"),
                reason: c.reason.clone(),
                alternative: c.alternative.clone(),
                settings,
                instruction,
                custom: true,
            });
        }
        out
    }
}

fn builtin(r: &CommandRule, decision: Decision) -> EffectiveRule {
    EffectiveRule {
        id: r.rule.id.into(),
        pack: r.pack.into(),
        decision,
        title: r.rule.title.into(),
        reason: r.rule.rationale.into(),
        alternative: r.rule.remediation.into(),
        settings: r.settings.iter().map(|s| s.to_string()).collect(),
        instruction: r.instruction.into(),
        custom: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use guard_core::LayerConfig;

    fn parse(src: &str) -> Result<PolicyConfig, String> {
        LayerConfig::from_toml("agent-policy", src)
            .parse::<PolicyConfig>()
            .map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_without_table() {
        let c = parse("[run]\n").expect("ok");
        assert_eq!(c, PolicyConfig::default());
        assert_eq!(c.fail_closed, Decision::Ask);
        let policy = catalogue()
            .iter()
            .filter(|r| crate::catalogue::POLICY_PACKS.contains(&r.pack))
            .count();
        assert!(policy >= 4);
        assert_eq!(c.effective_rules().len(), catalogue().len() - policy);
    }

    #[test]
    fn full_table() {
        let c = parse(
            r#"
[layers.agent-policy]
disable = ["AGENT-GIT-004"]
disable_packs = ["publishing"]
downgrade = ["AGENT-TF-001"]
fail_closed = "deny"
on_no_match = "allow"
production_markers = ["prod"]

[[layers.agent-policy.rules]]
id = "TEAM-001"
command = "make deploy"
decision = "deny"
reason = "Deploys go through CI."
alternative = "Push a tag."
"#,
        )
        .expect("ok");
        c.validate().expect("valid");
        let rules = c.effective_rules();
        assert!(!rules.iter().any(|r| r.id == "AGENT-GIT-004"));
        assert!(!rules.iter().any(|r| r.pack == "publishing"));
        let tf = rules.iter().find(|r| r.id == "AGENT-TF-001").expect("tf");
        assert_eq!(tf.decision, Decision::Ask);
        let team = rules.last().expect("custom");
        assert_eq!(team.id, "TEAM-001");
        assert_eq!(team.settings, ["Bash(make deploy)", "Bash(make deploy *)"]);
        assert_eq!(
            team.instruction,
            "Never run `make deploy`: Deploys go through CI; Push a tag."
        );
    }

    #[test]
    fn unknown_key_is_an_error_with_line() {
        let e = parse("[layers.agent-policy]\ndisabel = []\n").expect_err("unknown");
        assert!(e.contains("line 2") && e.contains("disabel"), "{e}");
    }

    #[test]
    fn semantic_errors() {
        let c = parse("[layers.agent-policy]\ndisable = [\"AGENT-NOPE-1\"]\n").expect("parses");
        assert!(matches!(c.validate(), Err(PolicyError::UnknownRule { .. })));
        let c = parse(
            "[[layers.agent-policy.rules]]\nid = \"X\"\ncommand = \" \"\ndecision = \"deny\"\nreason = \"r\"\n",
        )
        .expect("parses");
        assert_eq!(c.validate(), Err(PolicyError::EmptyCommand("X".into())));
        let c = parse(
            "[[layers.agent-policy.rules]]\nid = \"X\"\ncommand = \"a\"\ndecision = \"allow\"\nreason = \"r\"\n",
        )
        .expect("parses");
        assert_eq!(c.validate(), Err(PolicyError::AllowRule("X".into())));
    }

    #[test]
    fn policy_packs_are_off_until_named() {
        let c = parse("[layers.agent-policy]\npacks = [\"tags\", \"project-rm\"]\n").expect("ok");
        c.validate().expect("valid");
        let ids: Vec<String> = c.effective_rules().into_iter().map(|r| r.id).collect();
        assert!(ids.contains(&"AGENT-POLICY-003".to_string()));
        assert!(ids.contains(&"AGENT-POLICY-004".to_string()));
        assert!(!ids.contains(&"AGENT-POLICY-001".to_string()));
        assert!(!PolicyConfig::default()
            .effective_rules()
            .iter()
            .any(|r| r.id.starts_with("AGENT-POLICY-")));
        let c = parse("[layers.agent-policy]\npacks = [\"strict-git\"]\n").expect("parses");
        let err = c.validate().expect_err("unknown pack");
        assert_eq!(err, PolicyError::UnknownPolicyPack("strict-git".into()));
        assert!(err.to_string().contains("default-branch"), "{err}");
        // A built-in pack is not a policy pack.
        let c = parse("[layers.agent-policy]\npacks = [\"git\"]\n").expect("parses");
        assert!(c.validate().is_err());
    }

    #[test]
    fn production_words() {
        let c = PolicyConfig::default();
        assert!(c.looks_production("postgres://db.prod.internal/app"));
        assert!(c.looks_production("RAILS_ENV=production"));
        assert!(!c.looks_production("products-staging"));
    }
}
