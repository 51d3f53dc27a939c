//! `--format aws-network-firewall`: input for
//! `aws network-firewall create-rule-group --cli-input-json file://...`.

use super::folded_domains;
use crate::allowlist::Allowlist;
use serde_json::json;

pub fn rule_group(list: &Allowlist) -> String {
    let targets = folded_domains(list);
    // Each target becomes one rule per target type and direction.
    let capacity = (targets.len() * 4).max(100);
    let name = match list.region() {
        Some(r) => format!("guard-egress-{}-{r}", list.provider()),
        None => format!("guard-egress-{}", list.provider()),
    };
    let doc = json!({
        "RuleGroupName": name,
        "Type": "STATEFUL",
        "Capacity": capacity,
        "Description": format!("Claude Code egress allowlist, provider {}, groups {}", list.provider(), list.groups().join(" ")),
        "RuleGroup": {
            "RulesSource": {
                "RulesSourceList": {
                    "Targets": targets,
                    "TargetTypes": ["TLS_SNI", "HTTP_HOST"],
                    "GeneratedRulesType": "ALLOWLIST"
                }
            },
            "StatefulRuleOptions": { "RuleOrder": "DEFAULT_ACTION_ORDER" }
        }
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
