use crate::{Confidence, Finding, LayerInfo, Location, Report, Rule};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFO_URI: &str = "https://github.com/guard-rs/guard";
const BASE_ID: &str = "%SRCROOT%";

/// Files a finding without any file of its own is anchored to, in order.
const ANCHORS: &[&str] = &["guard.toml", "README.md", "README"];

/// SARIF 2.1.0 as GitHub code scanning reads it: rule descriptors with help,
/// `security-severity` and CWE tags; every result with a physical location
/// (relative URI, `uriBaseId`, region from line 1), `partialFingerprints`
/// including `primaryLocationLineHash`; skipped files and failed layers as
/// tool notifications.
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
        .map(|id| {
            let results = report.findings.iter().filter(|f| f.rule_id == *id);
            // The rule's precision is that of its least certain result here.
            let precision = results.clone().map(|f| f.confidence).min();
            match catalogue.get(id) {
                Some(rule) => rule_descriptor(rule, precision),
                None => fallback_descriptor(id, results.clone().next(), precision),
            }
        })
        .collect();
    let places = Places::new(&report.root);
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            // A rule id is in `rule_ids` by construction.
            let index = rule_ids.binary_search(&f.rule_id.as_str()).unwrap_or(0);
            result(f, index, &places)
        })
        .collect();
    let mut run = json!({
        "tool": { "driver": {
            "name": "guard",
            "semanticVersion": report.tool.version,
            "informationUri": INFO_URI,
            "rules": rules,
        }},
        "invocations": [{
            "executionSuccessful": report.summary.exit_code != 2,
            "toolExecutionNotifications": notifications(report),
        }],
        "results": results,
        "columnKind": "unicodeCodePoints",
    });
    let parts: BTreeMap<&str, Value> = report
        .layers
        .iter()
        .filter(|l| !l.parts.is_empty())
        .map(|l| (l.id.as_str(), json!(l.parts)))
        .collect();
    let mut properties = serde_json::Map::new();
    if !parts.is_empty() {
        properties.insert("guard".into(), json!({ "parts": parts }));
    }
    if let Some(inv) = &report.inventory {
        properties.insert("inventory".into(), json!(inv));
    }
    if !properties.is_empty() {
        run["properties"] = Value::Object(properties);
    }
    if let Some(uri) = root_uri(&report.root) {
        run["originalUriBaseIds"] = json!({ BASE_ID: { "uri": uri } });
    }
    let doc = json!({ "$schema": SCHEMA, "version": "2.1.0", "runs": [run] });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// Failed layers and input errors (level error), then every file the walk
/// passed over, with its reason (level note).
fn notifications(report: &Report) -> Vec<Value> {
    let layers = report
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
        });
    let parts = report.layers.iter().flat_map(|l| {
        l.parts
            .iter()
            .filter(|p| p.outcome.is_failure())
            .map(move |p| {
                json!({
                    "level": "error",
                    "message": { "text": format!("layer {} part {} {}: {}", l.id, p.name,
                        p.outcome.label(), p.outcome.detail().unwrap_or_default()) },
                    "descriptor": { "id": format!("{}/{}", l.id, p.name) },
                })
            })
    });
    let inputs = report.input_errors.iter().map(|e| {
        json!({
            "level": "error",
            "message": { "text": format!("{}: {}", e.path, e.message) },
            "locations": [{ "physicalLocation": {
                "artifactLocation": { "uri": uri_path(&e.path), "uriBaseId": BASE_ID },
            }}],
        })
    });
    let skipped = report.skipped.iter().map(|s| {
        json!({
            "level": "note",
            "message": { "text": format!("skipped {}: {}", s.path, s.reason) },
            "descriptor": { "id": "skipped-file" },
            "locations": [{ "physicalLocation": {
                "artifactLocation": { "uri": uri_path(&s.path), "uriBaseId": BASE_ID },
            }}],
        })
    });
    layers.chain(parts).chain(inputs).chain(skipped).collect()
}

fn tags(rule_tags: &[&str]) -> Vec<String> {
    let mut tags: Vec<String> = vec!["security".into()];
    for t in rule_tags {
        match t.strip_prefix("CWE-") {
            Some(n) => tags.push(format!("external/cwe/cwe-{n}")),
            None => tags.push((*t).to_string()),
        }
    }
    tags
}

fn rule_descriptor(rule: &Rule, precision: Option<Confidence>) -> Value {
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
            "tags": tags(rule.tags),
            "security-severity": rule.severity.security_score(),
            "precision": precision.unwrap_or(Confidence::High).sarif_precision(),
        },
    });
    if let Some(first) = rule.references.first() {
        d["helpUri"] = json!(first);
    }
    d
}

/// A rule missing from the catalogue (a plugin that did not describe it):
/// described from its finding so the result still has a driver rule.
fn fallback_descriptor(id: &str, f: Option<&Finding>, precision: Option<Confidence>) -> Value {
    let title = f.map(|f| f.title.as_str()).filter(|t| !t.is_empty());
    let title = title.unwrap_or(id);
    let tag_refs: Vec<&str> = f
        .map(|f| f.tags.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let severity = f.map(|f| f.severity).unwrap_or(crate::Severity::Medium);
    json!({
        "id": id,
        "shortDescription": { "text": title },
        "fullDescription": { "text": title },
        "help": { "text": f.and_then(|f| f.remediation.clone()).unwrap_or_else(|| title.to_string()) },
        "defaultConfiguration": { "level": severity.sarif_level() },
        "properties": {
            "tags": tags(&tag_refs),
            "security-severity": severity.security_score(),
            "precision": precision.unwrap_or(Confidence::High).sarif_precision(),
        },
    })
}

fn result(f: &Finding, rule_index: usize, places: &Places) -> Value {
    let mut r = json!({
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": f.severity.sarif_level(),
        "message": { "text": message_text(f) },
        "partialFingerprints": {
            "guardFingerprint/v1": f.fingerprint,
            // GitHub matches alerts across runs by this one; guard's
            // fingerprint is already stable across line moves.
            "primaryLocationLineHash": f.fingerprint,
        },
        "properties": {
            "layer": f.layer,
            "severity": f.severity.as_str(),
            "confidence": f.confidence.sarif_precision(),
            "security-severity": f.severity.security_score(),
        },
    });
    let mut location = json!({ "physicalLocation": physical_location(f, places) });
    if let Some(res) = &f.resource {
        location["logicalLocations"] = json!([{ "fullyQualifiedName": res }]);
        r["properties"]["resource"] = json!(res);
    }
    r["locations"] = json!([location]);
    if !f.trace.is_empty() {
        r["codeFlows"] = code_flows(f, places);
    }
    r
}

/// The finding's trace as one thread flow, source first, sink last.
fn code_flows(f: &Finding, places: &Places) -> Value {
    let locations: Vec<Value> = f
        .trace
        .iter()
        .map(|step| {
            json!({
                "location": {
                    "physicalLocation": {
                        "artifactLocation": places.artifact(&step.location.path),
                        "region": region(&step.location),
                    },
                    "message": { "text": step.message },
                }
            })
        })
        .collect();
    json!([{ "threadFlows": [{ "locations": locations }] }])
}

/// Where a result is, as GitHub needs it: the finding's place; else the file
/// it is about (the plan, the capture, the file that should exist) from its
/// first line; else the scanned root's guard.toml or README as the anchor.
fn physical_location(f: &Finding, places: &Places) -> Value {
    if let Some(loc) = &f.location {
        return json!({
            "artifactLocation": places.artifact(&loc.path),
            "region": region(loc),
        });
    }
    let file = f
        .artifact
        .as_deref()
        .map(|a| places.relative(a))
        .unwrap_or_else(|| places.anchor.clone());
    json!({
        "artifactLocation": places.artifact(&file),
        "region": { "startLine": 1, "startColumn": 1 },
    })
}

/// Lines and columns are 1-based; the end column is exclusive and left out
/// for whole lines (the region then runs to the end of `endLine`). The
/// snippet is written only when it holds exactly the region's lines.
fn region(loc: &Location) -> Value {
    let start_line = loc.start_line.max(1);
    let end_line = loc.end_line.max(start_line);
    let mut region = json!({
        "startLine": start_line,
        "startColumn": loc.start_col.max(1),
        "endLine": end_line,
    });
    let spans_text = end_line > start_line || loc.end_col > loc.start_col;
    if loc.end_col > 1 && spans_text {
        region["endColumn"] = json!(loc.end_col);
    }
    if let Some(s) = &loc.snippet {
        if s.lines().count() as u64 == u64::from(end_line - start_line) + 1 {
            region["snippet"] = json!({ "text": s });
        }
    }
    region
}

/// Turns the paths of a report into URIs relative to the scanned root.
struct Places {
    root: String,
    canon_root: Option<std::path::PathBuf>,
    /// Anchor for findings with no file of their own.
    anchor: String,
}

impl Places {
    fn new(root: &str) -> Places {
        // A single file named as the root: paths are relative to its folder.
        let dir = Path::new(root);
        let dir = if dir.is_file() {
            dir.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
        } else {
            dir
        };
        let root = dir.to_string_lossy();
        let anchor = ANCHORS
            .iter()
            .find(|a| dir.join(a).is_file())
            .unwrap_or(&ANCHORS[0])
            .to_string();
        Places {
            root: root.trim_end_matches('/').to_string(),
            canon_root: dir.canonicalize().ok(),
            anchor,
        }
    }

    /// `path` relative to the root when it was given through the root (as a
    /// path from the working directory or an absolute one).
    fn relative(&self, path: &str) -> String {
        let p = Path::new(path);
        if !self.root.is_empty() && self.root != "." {
            if let Ok(rel) = p.strip_prefix(&self.root) {
                return crate::walk::rel_path(Path::new(""), rel);
            }
        }
        if p.is_absolute() {
            if let Some(rel) = self
                .canon_root
                .as_ref()
                .and_then(|r| p.strip_prefix(r).ok())
            {
                return crate::walk::rel_path(Path::new(""), rel);
            }
        }
        path.trim_start_matches("./").to_string()
    }

    fn artifact(&self, path: &str) -> Value {
        json!({ "uri": uri_path(&self.relative(path)), "uriBaseId": BASE_ID })
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: &[Rule] = &[Rule {
        id: "T-001",
        severity: crate::Severity::High,
        title: "t",
        rationale: "r",
        remediation: "fix",
        tags: &["CWE-20"],
        references: &[],
    }];

    fn sarif_of(findings: Vec<Finding>, skipped: Vec<crate::walk::SkippedFile>) -> Value {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("README.md"), "# x\n").expect("write");
        let report = Report::new(
            dir.path().display().to_string(),
            Vec::new(),
            findings,
            Vec::new(),
            Default::default(),
            skipped,
            crate::Severity::High,
        );
        let info = LayerInfo {
            id: "t",
            name: "t",
            description: "t",
            rules: RULES,
        };
        serde_json::from_str(&render_sarif(&report, &[info])).expect("json")
    }

    #[test]
    fn every_result_has_a_physical_location_and_rules_take_the_lowest_confidence() {
        let mut sure = Finding::new(&RULES[0], "m").resource("aws_s3_bucket.a");
        sure.fingerprint = "f1".into();
        let mut unsure = Finding::new(&RULES[0], "n")
            .resource("aws_s3_bucket.b")
            .artifact("plans/tfplan.json")
            .confidence(Confidence::Medium);
        unsure.fingerprint = "f2".into();
        let skipped = vec![crate::walk::SkippedFile {
            path: "big.tf".into(),
            reason: "too big".into(),
        }];
        let doc = sarif_of(vec![sure, unsure], skipped);
        let run = &doc["runs"][0];
        assert_eq!(
            run["tool"]["driver"]["rules"][0]["properties"]["precision"],
            "medium"
        );
        let results = run["results"].as_array().expect("results");
        let uri =
            |r: &Value| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].clone();
        let by_fp = |fp: &str| {
            results
                .iter()
                .find(|r| r["partialFingerprints"]["primaryLocationLineHash"] == fp)
                .cloned()
                .expect("result")
        };
        // No file of its own: the root's README is the anchor.
        assert_eq!(uri(&by_fp("f1")), "README.md");
        assert_eq!(uri(&by_fp("f2")), "plans/tfplan.json");
        for r in results {
            let phys = &r["locations"][0]["physicalLocation"];
            assert_eq!(phys["artifactLocation"]["uriBaseId"], BASE_ID);
            assert_eq!(phys["region"]["startLine"], 1);
            assert!(r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].is_string());
        }
        let notes = &run["invocations"][0]["toolExecutionNotifications"];
        assert_eq!(notes[0]["message"]["text"], "skipped big.tf: too big");
        assert_eq!(notes[0]["level"], "note");
    }

    #[test]
    fn paths_are_made_relative_to_the_root() {
        let p = Places {
            root: "examples/sample".into(),
            canon_root: Some("/work/x/examples/sample".into()),
            anchor: "guard.toml".into(),
        };
        assert_eq!(
            p.relative("examples/sample/captures/a.pcap"),
            "captures/a.pcap"
        );
        assert_eq!(p.relative("/work/x/examples/sample/b.tf"), "b.tf");
        assert_eq!(p.relative("./c.tf"), "c.tf");
        assert_eq!(p.relative("infra/main.tf"), "infra/main.tf");
    }

    #[test]
    fn whole_line_regions_have_no_end_column_and_snippets_match_the_region() {
        let mut loc = Location::span("a.tf", (10, 1), (12, 1));
        loc.snippet = Some("a\nb\nc".into());
        let r = region(&loc);
        assert_eq!(r["endLine"], 12);
        assert!(r.get("endColumn").is_none(), "{r}");
        assert_eq!(r["snippet"]["text"], "a\nb\nc");
        loc.snippet = Some("a\nb".into());
        assert!(region(&loc).get("snippet").is_none());
        let mut one = Location::span("a.tf", (3, 5), (3, 9));
        one.snippet = Some("x".into());
        let r = region(&one);
        assert_eq!(
            (r["startColumn"].as_u64(), r["endColumn"].as_u64()),
            (Some(5), Some(9))
        );
    }
}
