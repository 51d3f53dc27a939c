//! The result of a run: every layer with its outcome and timing, the findings
//! that survived suppression, and a summary that decides the exit code.

use crate::walk::{InputError, SkippedFile};
use crate::{Finding, Severity};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the JSON report format.
pub const REPORT_VERSION: u32 = 1;

/// How a layer's run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum LayerOutcome {
    /// Ran to the end.
    Completed,
    /// The layer returned an error (bad input, bad config, ...).
    Failed {
        /// The error.
        message: String,
    },
    /// The layer panicked; the message and place of the panic.
    Panicked {
        /// The panic message and place.
        message: String,
    },
    /// The layer passed its deadline and was cancelled or killed.
    TimedOut {
        /// Milliseconds after which it was stopped.
        after_ms: u64,
    },
    /// The worker process died (signal, abort, bad response).
    Crashed {
        /// What killed it.
        message: String,
    },
    /// Nothing for the layer to do here, or not selected by config.
    Skipped {
        /// Why it did not run.
        reason: String,
    },
}

impl LayerOutcome {
    /// Whether the run is incomplete because of this layer (exit code 2).
    pub fn is_failure(&self) -> bool {
        !matches!(self, LayerOutcome::Completed | LayerOutcome::Skipped { .. })
    }

    /// Short name for text output.
    pub fn label(&self) -> &'static str {
        match self {
            LayerOutcome::Completed => "completed",
            LayerOutcome::Failed { .. } => "failed",
            LayerOutcome::Panicked { .. } => "panicked",
            LayerOutcome::TimedOut { .. } => "timed out",
            LayerOutcome::Crashed { .. } => "crashed",
            LayerOutcome::Skipped { .. } => "skipped",
        }
    }

    /// The message, reason or overrun, if any.
    pub fn detail(&self) -> Option<String> {
        match self {
            LayerOutcome::Completed => None,
            LayerOutcome::Failed { message }
            | LayerOutcome::Panicked { message }
            | LayerOutcome::Crashed { message } => Some(message.clone()),
            LayerOutcome::TimedOut { after_ms } => {
                Some(format!("deadline passed after {after_ms} ms"))
            }
            LayerOutcome::Skipped { reason } => Some(reason.clone()),
        }
    }
}

/// One layer of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LayerRun {
    /// Layer id.
    pub id: String,
    /// How its run ended.
    pub outcome: LayerOutcome,
    /// Wall time in milliseconds.
    pub duration_ms: f64,
    /// Findings of the layer in the report (after suppression).
    pub findings: usize,
    /// Findings of the layer dropped by inline ignores, config or baseline.
    #[serde(default)]
    pub suppressed: usize,
    /// Independent parts of the layer (the review layer's reviewers), each
    /// with its own outcome, as the layer recorded them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<PartRun>,
}

/// One independent part of a layer (a reviewer of the review layer): its
/// outcome, time and the findings it raised before suppression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PartRun {
    /// The part's name (`bug`, `llm-security`, ...).
    pub name: String,
    /// How the part ended.
    pub outcome: LayerOutcome,
    /// Wall time in milliseconds.
    pub duration_ms: f64,
    /// Findings the part raised (before suppression).
    pub findings: usize,
    /// Figures the part reports about its own run, by name: an LLM
    /// reviewer's `requests`, `retries`, `input_tokens`, `output_tokens`,
    /// `cost_usd`, `dropped_findings`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metrics: BTreeMap<String, f64>,
}

impl PartRun {
    /// The metrics as `name=value` pairs, for text reports.
    pub fn metrics_text(&self) -> String {
        self.metrics
            .iter()
            .map(|(k, v)| {
                if v.fract() == 0.0 && v.abs() < 1e15 {
                    format!("{k}={}", *v as i64)
                } else {
                    format!("{k}={v:.4}")
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Findings dropped, by mechanism.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SuppressedCounts {
    /// `guard:ignore[RULE]` comments.
    pub inline: usize,
    /// `[rules] disable` and `[[ignore]]` entries in guard.toml.
    pub config: usize,
    /// Fingerprints listed in the `--baseline` file.
    pub baseline: usize,
}

impl SuppressedCounts {
    /// All suppressed findings.
    pub fn total(&self) -> usize {
        self.inline + self.config + self.baseline
    }
}

/// Findings per severity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SeverityCounts {
    /// Critical findings.
    pub critical: usize,
    /// High findings.
    pub high: usize,
    /// Medium findings.
    pub medium: usize,
    /// Low findings.
    pub low: usize,
    /// Info findings.
    pub info: usize,
}

impl SeverityCounts {
    /// Counts one finding of severity `s`.
    pub fn add(&mut self, s: Severity) {
        *self.get_mut(s) += 1;
    }
    /// The count for `s`.
    pub fn get(&self, s: Severity) -> usize {
        match s {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Info => self.info,
        }
    }
    fn get_mut(&mut self, s: Severity) -> &mut usize {
        match s {
            Severity::Critical => &mut self.critical,
            Severity::High => &mut self.high,
            Severity::Medium => &mut self.medium,
            Severity::Low => &mut self.low,
            Severity::Info => &mut self.info,
        }
    }
}

/// Totals and the exit code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// Findings reported.
    pub total: usize,
    /// Findings reported, per severity.
    pub by_severity: SeverityCounts,
    /// Findings suppressed, per mechanism.
    pub suppressed: SuppressedCounts,
    /// Files passed over (too large, binary, not text, a symlink out of the
    /// root); each is listed in the report's `skipped`.
    pub skipped_files: usize,
    /// The `--fail-on` threshold used.
    pub fail_on: Severity,
    /// 0 clean, 1 findings at or above `fail_on`, 2 a layer or input failed.
    pub exit_code: u8,
    /// With a change under review (`--staged`, `--diff`): how many findings
    /// the change introduced and how many were already there before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<ChangeSplit>,
}

/// Tag a layer puts on a finding the change under review introduced.
pub const TAG_INTRODUCED: &str = "change:introduced";
/// Tag a layer puts on a finding already present before the change.
pub const TAG_EXISTING: &str = "change:existing";

/// Findings split by the change under review. Findings a layer does not
/// classify (no `change:` tag) count as introduced.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ChangeSplit {
    /// Findings the change introduced.
    pub introduced: usize,
    /// Findings already present before the change.
    pub existing: usize,
    /// Whether the existing findings are in the report (`--include-existing`).
    pub existing_reported: bool,
}

/// The result of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    /// [`REPORT_VERSION`].
    pub version: u32,
    /// The program that made it.
    pub tool: ToolInfo,
    /// The scanned root as given.
    pub root: String,
    /// Every layer with its outcome and timing.
    pub layers: Vec<LayerRun>,
    /// Sorted by severity (worst first), then path, line and rule.
    pub findings: Vec<Finding>,
    /// Inputs that could not be read; any of them makes the exit code 2.
    #[serde(default)]
    pub input_errors: Vec<InputError>,
    /// Files that were not checked, each with the reason.
    #[serde(default)]
    pub skipped: Vec<SkippedFile>,
    /// Totals and exit code.
    pub summary: Summary,
    /// Plugins loaded for this run: where each came from and the SHA-256 of
    /// the bytes that ran.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plugins: Vec<PluginRecord>,
    /// Every destination a packet capture reached, allowed or not
    /// (`guard net audit`); absent from other reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inventory: Option<Inventory>,
}

/// The destinations of one packet capture, with their verdicts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Inventory {
    /// The capture file.
    pub capture: String,
    /// Provider profile of the allowlist (with its region, if any).
    pub allowlist: String,
    /// Sorted by first frame.
    pub destinations: Vec<InventoryDestination>,
    /// DNS names queried, sorted by first frame.
    #[serde(default)]
    pub dns_names: Vec<InventoryDnsName>,
}

/// One destination of a capture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct InventoryDestination {
    /// Host name (lower case, no trailing dot) or address.
    pub name: String,
    /// How the name was learnt: `sni`, `http-host`, `dns-answer` or `address`.
    pub named_by: String,
    /// `tls`, `quic`, `http`, `dns`, `tcp` or `udp`.
    pub protocol: String,
    /// Server port.
    pub port: u16,
    /// Server address of the first flow.
    pub address: String,
    /// Packets to and from it.
    pub packets: u64,
    /// Flows (connections) to it.
    pub flows: u64,
    /// Frame number of its first packet.
    pub first_frame: u64,
    /// `allowed`, `not-allowed` or `local` (not egress).
    pub verdict: String,
    /// The allowlist entry that allowed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched: Option<String>,
    /// The ClientHello carried encrypted_client_hello (the SNI is the outer name).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ech: bool,
}

/// One DNS name queried in a capture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct InventoryDnsName {
    /// The name queried (lower case, no trailing dot).
    pub name: String,
    /// Query types by name (A, AAAA, TXT, ...).
    pub qtypes: Vec<String>,
    /// Queries for it.
    pub queries: u64,
    /// Frame number of its first query.
    pub first_frame: u64,
    /// Resolver of the first query.
    pub resolver: String,
    /// Whether the allowlist covers the name.
    pub allowed: bool,
}

/// A third-party layer loaded for a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PluginRecord {
    /// The layer id the plugin declared (or, if it could not be described,
    /// one derived from its file name).
    pub id: String,
    /// `dynamic` (a shared library) or `process` (a command speaking JSON).
    pub kind: String,
    /// Canonical path of the library, or of the script a process plugin runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Hex SHA-256 of that file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// The command of a process plugin.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    /// Where the plugin was named: `--plugin`, `GUARD_PLUGIN_PATH`, or a guard.toml.
    pub source: String,
}

/// The program that made a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ToolInfo {
    /// `guard`.
    pub name: String,
    /// Its version.
    pub version: String,
}

impl Report {
    /// Assemble a report; findings are sorted and the summary computed.
    pub fn new(
        root: String,
        layers: Vec<LayerRun>,
        findings: Vec<Finding>,
        input_errors: Vec<InputError>,
        suppressed: SuppressedCounts,
        skipped: Vec<SkippedFile>,
        fail_on: Severity,
    ) -> Report {
        // Findings are large: sort their positions, then move each once.
        // Paths are ranked once, so most comparisons are of integers.
        let mut paths: Vec<&str> = findings.iter().map(|f| loc_key(f).0).collect();
        paths.sort_unstable();
        paths.dedup();
        let mut order: Vec<(std::cmp::Reverse<Severity>, usize, u32, u32, usize)> = findings
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let (path, line, col) = loc_key(f);
                let rank = paths.binary_search(&path).unwrap_or_default();
                (std::cmp::Reverse(f.severity), rank, line, col, i)
            })
            .collect();
        order.sort_unstable_by(|a, b| {
            (a.0, a.1, a.2, a.3)
                .cmp(&(b.0, b.1, b.2, b.3))
                .then_with(|| {
                    let (x, y) = (&findings[a.4], &findings[b.4]);
                    x.rule_id
                        .cmp(&y.rule_id)
                        .then_with(|| x.fingerprint.cmp(&y.fingerprint))
                        .then(a.4.cmp(&b.4))
                })
        });
        let mut findings = findings;
        let mut from: Vec<usize> = order.into_iter().map(|(.., i)| i).collect();
        // Each cycle of the permutation is walked once: position `at`
        // takes the finding at `from[at]`.
        for start in 0..from.len() {
            let mut at = start;
            loop {
                let src = std::mem::replace(&mut from[at], at);
                if src == start || src == at {
                    break;
                }
                findings.swap(at, src);
                at = src;
            }
        }
        let mut by_severity = SeverityCounts::default();
        for f in &findings {
            by_severity.add(f.severity);
        }
        let incomplete = !input_errors.is_empty()
            || layers.iter().any(|l| l.outcome.is_failure())
            || layers
                .iter()
                .any(|l| l.parts.iter().any(|p| p.outcome.is_failure()))
            || !layers.iter().any(|l| l.outcome == LayerOutcome::Completed);
        let exit_code = if incomplete {
            2
        } else if findings.iter().any(|f| f.severity >= fail_on) {
            1
        } else {
            0
        };
        Report {
            version: REPORT_VERSION,
            tool: ToolInfo {
                name: "guard".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            root,
            summary: Summary {
                total: findings.len(),
                by_severity,
                suppressed,
                skipped_files: skipped.len(),
                fail_on,
                exit_code,
                change: None,
            },
            layers,
            findings,
            input_errors,
            skipped,
            plugins: Vec::new(),
            inventory: None,
        }
    }

    /// Splits the findings into those the change under review introduced and
    /// those already present (tagged [`TAG_EXISTING`] by their layer), drops
    /// the existing ones unless `include_existing`, and recomputes the
    /// summary and exit code from what stays.
    pub fn split_by_change(&mut self, include_existing: bool) {
        let existing = |f: &Finding| f.tags.iter().any(|t| t == TAG_EXISTING);
        let n_existing = self.findings.iter().filter(|f| existing(f)).count();
        let split = ChangeSplit {
            introduced: self.findings.len() - n_existing,
            existing: n_existing,
            existing_reported: include_existing,
        };
        if !include_existing {
            for l in &mut self.layers {
                let dropped = self
                    .findings
                    .iter()
                    .filter(|f| f.layer == l.id && existing(f))
                    .count();
                l.findings -= dropped;
            }
            self.findings.retain(|f| !existing(f));
        }
        let mut by_severity = SeverityCounts::default();
        for f in &self.findings {
            by_severity.add(f.severity);
        }
        self.summary.total = self.findings.len();
        self.summary.by_severity = by_severity;
        if self.summary.exit_code != 2 {
            self.summary.exit_code = u8::from(
                self.findings
                    .iter()
                    .any(|f| f.severity >= self.summary.fail_on),
            );
        }
        self.summary.change = Some(split);
    }

    /// No layer completed: nothing was checked.
    pub fn nothing_ran(&self) -> bool {
        !self
            .layers
            .iter()
            .any(|l| l.outcome == LayerOutcome::Completed)
    }
}

impl Report {
    /// A copy of the report without its findings (the bulk of a large one).
    pub fn without_findings(&self) -> Report {
        Report {
            version: self.version,
            tool: self.tool.clone(),
            root: self.root.clone(),
            layers: self.layers.clone(),
            findings: Vec::new(),
            input_errors: self.input_errors.clone(),
            skipped: self.skipped.clone(),
            summary: self.summary.clone(),
            plugins: self.plugins.clone(),
            inventory: self.inventory.clone(),
        }
    }
}

fn loc_key(f: &Finding) -> (&str, u32, u32) {
    match &f.location {
        Some(l) => (l.path.as_str(), l.start_line, l.start_col),
        None => (f.resource.as_deref().unwrap_or_default(), 0, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Findings come out worst first, then by place, rule and fingerprint,
    /// whatever order they went in.
    #[test]
    fn findings_are_ordered_by_severity_place_rule_and_fingerprint() {
        const RULE: crate::Rule = crate::Rule {
            id: "R-1",
            severity: Severity::Low,
            title: "t",
            rationale: "r",
            remediation: "",
            tags: &[],
            references: &[],
        };
        let sevs = [
            Severity::Low,
            Severity::High,
            Severity::Critical,
            Severity::Medium,
        ];
        let mut input = Vec::new();
        for i in 0..257u32 {
            // A scrambled order: 97 is coprime with 257.
            let k = (i * 97) % 257;
            let mut f = Finding::new(&RULE, "m")
                .severity(sevs[(k % 4) as usize])
                .at(crate::Location::line(format!("f{}.py", k % 3), k % 11 + 1));
            f.fingerprint = format!("{k:03}");
            input.push(f);
        }
        let key = |f: &Finding| {
            let l = f.location.as_ref().expect("loc");
            (
                std::cmp::Reverse(f.severity),
                l.path.clone(),
                l.start_line,
                f.fingerprint.clone(),
            )
        };
        let mut expected: Vec<_> = input.iter().map(key).collect();
        expected.sort();
        let report = Report::new(
            ".".into(),
            Vec::new(),
            input,
            Vec::new(),
            Default::default(),
            Vec::new(),
            Severity::High,
        );
        let got: Vec<_> = report.findings.iter().map(key).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn part_metrics_print_integers_plainly() {
        let part = PartRun {
            name: "llm-bug".into(),
            outcome: LayerOutcome::Completed,
            duration_ms: 1.0,
            findings: 0,
            metrics: BTreeMap::from([
                ("requests".to_string(), 2.0),
                ("cost_usd".to_string(), 0.00123),
            ]),
        };
        assert_eq!(part.metrics_text(), "cost_usd=0.0012 requests=2");
        let json = serde_json::to_value(&part).expect("json");
        assert_eq!(json["metrics"]["requests"], 2.0);
        let back: PartRun = serde_json::from_value(json).expect("round trip");
        assert_eq!(back, part);
    }
}
