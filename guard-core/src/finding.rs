//! The one result type every layer produces.

use crate::{Confidence, Rule, Severity};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Tag prefix naming the part of a layer that raised a finding.
pub const PART_TAG_PREFIX: &str = "part:";

/// A place in a file. Lines and columns are 1-based; `path` is relative to the
/// scanned root and uses `/` separators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Location {
    /// Relative to the root, `/`-separated.
    pub path: String,
    /// First line (1-based).
    pub start_line: u32,
    /// First column (1-based, in characters).
    pub start_col: u32,
    /// Last line.
    pub end_line: u32,
    /// Column after the last character.
    pub end_col: u32,
    /// The source lines the finding covers (up to a bounded number, each
    /// trimmed to a bounded length).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    /// The line inside a multi-line span that holds the problem (the
    /// `Principal` of a policy attribute spanning lines 10-19); code frames
    /// show and mark it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus_line: Option<u32>,
}

impl Location {
    /// A whole-line location.
    pub fn line(path: impl Into<String>, line: u32) -> Self {
        Location {
            path: path.into(),
            start_line: line.max(1),
            start_col: 1,
            end_line: line.max(1),
            end_col: 1,
            snippet: None,
            focus_line: None,
        }
    }

    /// Marks `line` as the one that holds the problem, when it lies inside
    /// the span (and is not its first line, which frames mark anyway).
    pub fn focus(mut self, line: u32) -> Self {
        if line > self.start_line && line <= self.end_line {
            self.focus_line = Some(line);
        }
        self
    }

    /// A span from `(line, col)` to `(line, col)`.
    pub fn span(path: impl Into<String>, start: (u32, u32), end: (u32, u32)) -> Self {
        let (start_line, start_col) = (start.0.max(1), start.1.max(1));
        Location {
            path: path.into(),
            start_line,
            start_col,
            end_line: end.0.max(start_line),
            end_col: end.1.max(1),
            snippet: None,
            focus_line: None,
        }
    }
}

/// One step of a data-flow trace: where a value was and what happened to it
/// (source, assignment, call, sink).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TraceStep {
    /// Where.
    pub location: Location,
    /// What happened to the value there.
    pub message: String,
}

/// One problem a layer found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// Stable rule code, documented by `guard explain`.
    pub rule_id: String,
    /// Id of the layer that raised it.
    pub layer: String,
    /// How bad (after overrides).
    pub severity: Severity,
    /// How sure the rule is.
    pub confidence: Confidence,
    /// The rule's title.
    pub title: String,
    /// This occurrence, in one sentence.
    pub message: String,
    /// What to do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediation: Option<String>,
    /// Set for findings in a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Set for findings about a named thing rather than a file place:
    /// a Terraform address, a network destination, a hook event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The file a finding without a place in it is about: the plan JSON, the
    /// capture, the file that should exist. Relative to the scanned root.
    /// Reports that need a file for every result (SARIF) use it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact: Option<String>,
    /// Taxonomy tags: `CWE-89`, `OWASP:A03:2021`, `STRIDE:Tampering`, ...
    #[serde(default)]
    pub tags: Vec<String>,
    /// Stable across unrelated line moves; used by baselines and SARIF
    /// `partialFingerprints`.
    pub fingerprint: String,
    /// Small, redacted proof of the finding. Never a secret in clear text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// Data-flow trace from source to sink, for findings that have one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trace: Vec<TraceStep>,
}

impl Finding {
    /// A finding of `rule` carrying its severity, title, remediation and tags.
    pub fn new(rule: &Rule, message: impl Into<String>) -> Self {
        Finding {
            rule_id: rule.id.to_string(),
            layer: String::new(),
            severity: rule.severity,
            confidence: Confidence::High,
            title: rule.title.to_string(),
            message: message.into(),
            remediation: Some(rule.remediation.to_string()).filter(|r| !r.is_empty()),
            location: None,
            resource: None,
            artifact: None,
            tags: rule.tags.iter().map(|t| t.to_string()).collect(),
            fingerprint: String::new(),
            evidence: None,
            trace: Vec::new(),
        }
    }

    /// With a data-flow trace.
    pub fn trace(mut self, trace: Vec<TraceStep>) -> Self {
        self.trace = trace;
        self
    }

    /// At a place in a file.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// About a named thing (Terraform address, destination).
    pub fn resource(mut self, resource: impl Into<String>) -> Self {
        self.resource = Some(resource.into());
        self
    }

    /// The file the finding is about when it has no place in one.
    pub fn artifact(mut self, path: impl Into<String>) -> Self {
        self.artifact = Some(path.into());
        self
    }

    /// With another severity than the rule's.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// With a confidence.
    pub fn confidence(mut self, confidence: Confidence) -> Self {
        self.confidence = confidence;
        self
    }

    /// With redacted evidence.
    pub fn evidence(mut self, evidence: impl Into<String>) -> Self {
        self.evidence = Some(evidence.into());
        self
    }

    /// Marks the finding as raised by `part` of its layer (a reviewer of the
    /// review layer): the tag `part:<name>`, which reports use to count
    /// findings per part.
    pub fn part(self, part: &str) -> Self {
        self.tag(format!("{PART_TAG_PREFIX}{part}"))
    }

    /// The part of its layer that raised the finding, if one is named.
    pub fn part_name(&self) -> Option<&str> {
        self.tags
            .iter()
            .find_map(|t| t.strip_prefix(PART_TAG_PREFIX))
    }

    /// With one more tag.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push(tag.into());
        self
    }

    /// Fingerprint from a key the layer knows to be stable (e.g. a Terraform
    /// address and attribute path) instead of the default, which is derived
    /// from the path or resource and the text of the flagged lines.
    pub fn fingerprint_key(mut self, key: &str) -> Self {
        self.fingerprint = hash_parts(&[&self.rule_id, key]);
        self
    }

    /// [`Finding::fingerprint_key`] of `parts` joined by NULs, without
    /// building the joined key.
    pub fn fingerprint_parts(mut self, parts: &[&str]) -> Self {
        let mut all = Vec::with_capacity(parts.len() + 1);
        all.push(self.rule_id.as_str());
        all.extend_from_slice(parts);
        self.fingerprint = hash_parts(&all);
        self
    }

    /// The default fingerprint: rule, file or resource, and the flagged text
    /// with white space folded. Line numbers are left out on purpose so that
    /// lines moving elsewhere in the file do not change it.
    pub(crate) fn default_fingerprint(&self) -> String {
        let (place, text) = match &self.location {
            Some(loc) => (loc.path.as_str(), loc.snippet.as_deref().unwrap_or("")),
            None => (self.resource.as_deref().unwrap_or(""), ""),
        };
        let folded: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let text = if folded.is_empty() {
            self.message.as_str()
        } else {
            folded.as_str()
        };
        hash_parts(&[
            &self.rule_id,
            place,
            self.resource.as_deref().unwrap_or(""),
            text,
        ])
    }
}

/// The first 8 bytes of SHA-256 over `parts`, each followed by a NUL, in hex:
/// how fingerprints are made ([`Finding::fingerprint_key`]).
pub fn hash_parts(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    hex(&h.finalize()[..8])
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// Shows enough of a secret to recognise it and never the whole of it.
pub fn redact(secret: &str) -> String {
    let n = secret.chars().count();
    if n <= 8 {
        return format!("****({n} chars)");
    }
    let head: String = secret.chars().take(4).collect();
    format!("{head}****({n} chars)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_parts_equal_the_joined_key() {
        let rule = Rule {
            id: "R-1",
            severity: Severity::Low,
            title: "t",
            rationale: "r",
            remediation: "",
            tags: &[],
            references: &[],
        };
        let joined = Finding::new(&rule, "m").fingerprint_key("a.yaml\u{0}T-1");
        let parts = Finding::new(&rule, "m").fingerprint_parts(&["a.yaml", "T-1"]);
        assert_eq!(joined.fingerprint, parts.fingerprint);
    }

    const RULE: Rule = Rule {
        id: "TEST-001",
        severity: Severity::High,
        title: "t",
        rationale: "r",
        remediation: "fix it",
        tags: &["CWE-1"],
        references: &[],
    };

    #[test]
    fn fingerprint_ignores_line_numbers_and_whitespace() {
        let mut a = Location::line("a.tf", 3);
        a.snippet = Some("  Action = \"*\"".into());
        let mut b = Location::line("a.tf", 30);
        b.snippet = Some("Action   = \"*\"".into());
        let fa = Finding::new(&RULE, "m").at(a).default_fingerprint();
        let fb = Finding::new(&RULE, "m").at(b).default_fingerprint();
        assert_eq!(fa, fb);
        assert_eq!(fa.len(), 16);
    }

    #[test]
    fn fingerprint_differs_by_file_and_rule() {
        let f1 = Finding::new(&RULE, "m").at(Location::line("a", 1));
        let f2 = Finding::new(&RULE, "m").at(Location::line("b", 1));
        assert_ne!(f1.default_fingerprint(), f2.default_fingerprint());
    }

    #[test]
    fn redact_never_shows_whole_secret() {
        assert_eq!(redact("AKIAABCDEFGHIJKLMNOP"), "AKIA****(20 chars)");
        assert_eq!(redact("short"), "****(5 chars)");
    }
}
