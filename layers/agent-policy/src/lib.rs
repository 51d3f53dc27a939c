//! Layer 1, agent-policy: CLAUDE.md rules, .claude/settings.json, PreToolUse hook.

use guard_core::{Context, Finding, Layer, LayerError, LayerInfo};

pub struct AgentPolicyLayer;

pub fn layer() -> AgentPolicyLayer {
    AgentPolicyLayer
}

impl Layer for AgentPolicyLayer {
    fn id(&self) -> &'static str {
        "agent-policy"
    }
    fn info(&self) -> LayerInfo {
        LayerInfo {
            id: "agent-policy",
            name: "Agent policy",
            description: "agent rules and settings",
            rules: &[],
        }
    }
    fn run(&self, _ctx: &Context) -> Result<Vec<Finding>, LayerError> {
        Err(LayerError::Other(
            "agent-policy layer under construction".into(),
        ))
    }
}
