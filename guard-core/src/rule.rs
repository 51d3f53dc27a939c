//! Rule metadata: the single source for `guard rules`, SARIF rule descriptors and
//! the text other layers write into agent instructions.

use crate::Severity;
use schemars::JsonSchema;
use serde::Serialize;

/// One entry of a layer's rule table. Layers declare these as `static` slices.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
pub struct Rule {
    /// Stable code, e.g. `INFRA-IAM-001`.
    pub id: &'static str,
    /// Default severity of its findings.
    pub severity: Severity,
    /// One line: what is wrong.
    pub title: &'static str,
    /// Why it matters.
    pub rationale: &'static str,
    /// What to do instead.
    pub remediation: &'static str,
    /// Taxonomy tags: `CWE-732`, `OWASP:A01:2021`, `STRIDE:Elevation`, ...
    pub tags: &'static [&'static str],
    /// Documentation links.
    pub references: &'static [&'static str],
}

impl Rule {
    /// CWE numbers among the tags (`CWE-79` gives `79`).
    pub fn cwes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.tags.iter().filter_map(|t| t.strip_prefix("CWE-"))
    }
}

/// What a layer is and which rules it can raise.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
pub struct LayerInfo {
    /// Layer id.
    pub id: &'static str,
    /// Human name.
    pub name: &'static str,
    /// One line.
    pub description: &'static str,
    /// Every rule the layer can raise.
    pub rules: &'static [Rule],
}

impl LayerInfo {
    /// The rule with this id (case-insensitive).
    pub fn rule(&self, id: &str) -> Option<&'static Rule> {
        self.rules.iter().find(|r| r.id.eq_ignore_ascii_case(id))
    }
}
