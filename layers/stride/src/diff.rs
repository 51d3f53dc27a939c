//! Threats that appear and disappear between two versions of a model,
//! compared by stable threat id. A threat that stays but becomes tracked
//! (accepted, mitigated, false positive) counts as closed.

use crate::rules::Threat;
use std::collections::BTreeMap;
use std::fmt::Write as _;

#[derive(Debug, Default)]
pub struct ThreatDiff<'a> {
    /// Open in NEW, absent or closed in OLD.
    pub appeared: Vec<&'a Threat>,
    /// Open in OLD, absent or closed in NEW.
    pub disappeared: Vec<&'a Threat>,
    /// Open in both.
    pub unchanged: usize,
}

fn is_open(t: &Threat) -> bool {
    !t.tracked.as_ref().is_some_and(|(s, _)| s.closes())
}

pub fn diff<'a>(old: &'a [Threat], new: &'a [Threat]) -> ThreatDiff<'a> {
    let o: BTreeMap<&str, &Threat> = old
        .iter()
        .filter(|t| is_open(t))
        .map(|t| (t.id.as_str(), t))
        .collect();
    let n: BTreeMap<&str, &Threat> = new
        .iter()
        .filter(|t| is_open(t))
        .map(|t| (t.id.as_str(), t))
        .collect();
    let mut d = ThreatDiff::default();
    for (id, t) in &n {
        if o.contains_key(id) {
            d.unchanged += 1;
        } else {
            d.appeared.push(t);
        }
    }
    for (id, t) in &o {
        if !n.contains_key(id) {
            d.disappeared.push(t);
        }
    }
    d
}

pub fn render_text(d: &ThreatDiff<'_>, old_name: &str, new_name: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "threats {old_name} -> {new_name}: {} appeared, {} disappeared, {} unchanged",
        d.appeared.len(),
        d.disappeared.len(),
        d.unchanged
    );
    for t in &d.appeared {
        let _ = writeln!(
            out,
            "+ {} {} {} {}: {}",
            t.id,
            t.rule.id,
            t.severity.as_str(),
            t.name,
            t.message
        );
    }
    for t in &d.disappeared {
        let _ = writeln!(
            out,
            "- {} {} {} {}: {}",
            t.id,
            t.rule.id,
            t.severity.as_str(),
            t.name,
            t.message
        );
    }
    out
}

pub fn render_json(d: &ThreatDiff<'_>) -> serde_json::Value {
    let one = |t: &&Threat| {
        serde_json::json!({
            "id": t.id,
            "rule_id": t.rule.id,
            "stride": t.rule.stride.as_str(),
            "severity": t.severity.as_str(),
            "subject": t.subject.key(),
            "message": t.message,
        })
    };
    serde_json::json!({
        "appeared": d.appeared.iter().map(one).collect::<Vec<_>>(),
        "disappeared": d.disappeared.iter().map(one).collect::<Vec<_>>(),
        "unchanged": d.unchanged,
    })
}
