//! Layer 1, agent-policy: concrete rules for coding agents, written into CLAUDE.md and
//! `.claude/settings.json` and enforced at run time by the PreToolUse hook.
//!
//! - [`catalogue`](mod@catalogue): the rule table (single source for text, settings rules and the hook).
//! - [`config`]: the `[layers.agent-policy]` table and the effective rule set.

pub mod audit;
pub mod catalogue;
pub mod config;
pub mod hook;
pub mod init;
pub mod shell;

use guard_core::{Context, Finding, Layer, LayerError, LayerInfo, Rule};

pub use catalogue::{catalogue, CommandRule, Decision};
pub use config::{EffectiveRule, PolicyConfig};

/// The agent-policy layer: audits CLAUDE.md and `.claude/settings.json`
/// against the command catalogue. Run it like any [`guard_core::Layer`]:
///
/// ```
/// use guard_core::{Context, Layer};
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("CLAUDE.md"), "Be careful with production.\n").unwrap();
/// let findings = guard_agent_policy::layer().run(&Context::new(dir.path())).unwrap();
/// assert!(findings.iter().all(|f| f.rule_id.starts_with("AGENT-")));
/// ```
pub struct AgentPolicyLayer;

/// The layer, for `guard run` and for embedding.
pub fn layer() -> AgentPolicyLayer {
    AgentPolicyLayer
}

/// Every rule this layer can raise: the command catalogue, then audit rules.
pub fn layer_rules() -> &'static [Rule] {
    static RULES: std::sync::OnceLock<Vec<Rule>> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        catalogue::rules()
            .iter()
            .chain(audit::AUDIT_RULES)
            .copied()
            .collect()
    })
}

impl Layer for AgentPolicyLayer {
    fn id(&self) -> &'static str {
        "agent-policy"
    }
    fn info(&self) -> LayerInfo {
        LayerInfo {
            id: "agent-policy",
            name: "Agent policy",
            description: "Concrete rules for coding agents: CLAUDE.md, .claude/settings.json and the PreToolUse hook",
            rules: layer_rules(),
        }
    }
    fn check_config(&self, ctx: &Context) -> Result<(), guard_core::ConfigError> {
        let cfg: PolicyConfig = ctx.config().parse()?;
        cfg.validate()
            .map_err(|e| guard_core::ConfigError::Invalid {
                path: ctx
                    .config()
                    .path
                    .clone()
                    .unwrap_or_else(|| "guard.toml".into()),
                message: e.to_string(),
            })
    }
    fn run(&self, ctx: &Context) -> Result<Vec<Finding>, LayerError> {
        let cfg: PolicyConfig = ctx.config().parse()?;
        cfg.validate()
            .map_err(|e| LayerError::Other(e.to_string()))?;
        audit::audit(ctx, &cfg.effective_rules())
    }
}
