use crate::{Finding, LayerInfo, Report, Rule};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFO_URI: &str = "https://github.com/guard-rs/guard";

/// SARIF 2.1.0 as GitHub code scanning reads it: rule descriptors with help,
/// `security-severity` and CWE tags, results with `partialFingerprints`.
pub fn render_sarif(report: &Report, layers: &[LayerInfo]) -> String {
    let catalogue: BTreeMap<&str, &Rule> = layers
        .iter()
        .flat_map(|l| l.rules.iter())
        .map(|r| (r.id, r))
        .collect();
    // Only rules that have results, in a stable order; ruleIndex points here.
    let mut rule_ids: Vec<&str> = report.findings.iter().map(|f| f.rule_id.as_str()).collect();
    rule_ids.sort_unstable();
    rule_ids.dedup();
    let rules: Vec<Value> = rule_ids
        .iter()
        .map(|id| match catalogue.get(id) {
            Some(rule) => rule_descriptor(rule),
            None => fallback_descriptor(report.findings.iter().find(|f| f.rule_id == *id)),
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| result(f, rule_ids.binary_search(&f.rule_id.as_str()).unwrap_or(0)))
        .collect();
    let notifications: Vec<Value> = report
        .layers
        .iter()
        .filter(|l| l.outcome.is_failure())
        .map(|l| {
            json!({
                "level": "error",
                "message": { "text": format!("layer {} {}: {}", l.id, l.outcome.label(),
                    l.outcome.detail().unwrap_or_default()) },
                "descriptor": { "id": l.id },
            })
        })
        .chain(report.input_errors.iter().map(|e| {
            json!({
                "level": "error",
                "message": { "text": format!("{}: {}", e.path, e.message) },
            })
        }))
        .collect();
    let root_uri = root_uri(&report.root);
    let mut run = json!({
        "tool": { "driver": {
            "name": "guard",
            "semanticVersion": report.tool.version,
            "informationUri": INFO_URI,
            "rules": rules,
        }},
        "invocations": [{
            "executionSuccessful": report.summary.exit_code != 2,
            "toolExecutionNotifications": notifications,
        }],
        "results": results,
        "columnKind": "unicodeCodePoints",
    });
    if let Some(uri) = root_uri {
        run["originalUriBaseIds"] = json!({ "%SRCROOT%": { "uri": uri } });
    }
    let doc = json!({ "$schema": SCHEMA, "version": "2.1.0", "runs": [run] });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

fn rule_descriptor(rule: &Rule) -> Value {
    let mut tags: Vec<String> = vec!["security".into()];
    for t in rule.tags {
        match t.strip_prefix("CWE-") {
            Some(n) => tags.push(format!("external/cwe/cwe-{n}")),
            None => tags.push((*t).to_string()),
        }
    }
    let mut help_md = format!("{}\n\n**Fix:** {}", rule.rationale, rule.remediation);
    for r in rule.references {
        help_md.push_str(&format!("\n\n- <{r}>"));
    }
    let mut d = json!({
        "id": rule.id,
        "name": pascal(rule.title),
        "shortDescription": { "text": rule.title },
        "fullDescription": { "text": rule.rationale },
        "help": {
            "text": format!("{}\n\nFix: {}", rule.rationale, rule.remediation),
            "markdown": help_md,
        },
        "defaultConfiguration": { "level": rule.severity.sarif_level() },
        "properties": {
            "tags": tags,
            "security-severity": rule.severity.security_score(),
            "precision": "high",
        },
    });
    if let Some(first) = rule.references.first() {
        d["helpUri"] = json!(first);
    }
    d
}

fn fallback_descriptor(f: Option<&Finding>) -> Value {
    let Some(f) = f else {
        return json!({ "id": "unknown" });
    };
    json!({
        "id": f.rule_id,
        "shortDescription": { "text": f.title },
        "defaultConfiguration": { "level": f.severity.sarif_level() },
        "properties": { "tags": ["security"], "security-severity": f.severity.security_score() },
    })
}

fn result(f: &Finding, rule_index: usize) -> Value {
    let mut r = json!({
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": f.severity.sarif_level(),
        "message": { "text": message_text(f) },
        "partialFingerprints": { "guardFingerprint/v1": f.fingerprint },
        "properties": {
            "layer": f.layer,
            "severity": f.severity.as_str(),
            "confidence": f.confidence.sarif_precision(),
            "security-severity": f.severity.security_score(),
        },
    });
    if let Some(loc) = &f.location {
        let mut region = json!({
            "startLine": loc.start_line,
            "startColumn": loc.start_col,
            "endLine": loc.end_line,
        });
        if loc.end_col > 1 || loc.end_line > loc.start_line {
            region["endColumn"] = json!(loc.end_col.max(1));
        }
        if let Some(s) = &loc.snippet {
            region["snippet"] = json!({ "text": s });
        }
        let mut physical = json!({
            "artifactLocation": { "uri": uri_path(&loc.path), "uriBaseId": "%SRCROOT%" },
            "region": region,
        });
        if let Some(res) = &f.resource {
            physical["properties"] = json!({ "resource": res });
        }
        r["locations"] = json!([{ "physicalLocation": physical }]);
    } else if let Some(res) = &f.resource {
        r["locations"] = json!([{ "logicalLocations": [{ "fullyQualifiedName": res }] }]);
    }
    if let Some(res) = &f.resource {
        r["properties"]["resource"] = json!(res);
    }
    if !f.trace.is_empty() {
        r["codeFlows"] = code_flows(f);
    }
    r
}

/// The finding's trace as one thread flow, source first, sink last.
fn code_flows(f: &Finding) -> Value {
    let locations: Vec<Value> = f
        .trace
        .iter()
        .map(|step| {
            let loc = &step.location;
            let mut region = json!({
                "startLine": loc.start_line.max(1),
                "startColumn": loc.start_col.max(1),
            });
            if loc.end_line >= loc.start_line && (loc.end_col > 1 || loc.end_line > loc.start_line) {
                region["endLine"] = json!(loc.end_line);
                region["endColumn"] = json!(loc.end_col.max(1));
            }
            json!({
                "location": {
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri_path(&loc.path), "uriBaseId": "%SRCROOT%" },
                        "region": region,
                    },
                    "message": { "text": step.message },
                }
            })
        })
        .collect();
    json!([{ "threadFlows": [{ "locations": locations }] }])
}

fn message_text(f: &Finding) -> String {
    let mut m = f.message.clone();
    if let Some(e) = &f.evidence {
        m.push_str(&format!(" (evidence: {e})"));
    }
    m
}

/// Percent-encodes what a URI reference may not hold.
fn uri_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn root_uri(root: &str) -> Option<String> {
    let abs = std::path::Path::new(root).canonicalize().ok()?;
    let abs = if abs.is_file() {
        abs.parent()?.to_path_buf()
    } else {
        abs
    };
    let s = abs.to_string_lossy().replace('\\', "/");
    let s = if s.starts_with('/') {
        s
    } else {
        format!("/{s}")
    };
    Some(format!("file://{}/", uri_path(s.trim_end_matches('/'))))
}

fn pascal(title: &str) -> String {
    title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect()
}
