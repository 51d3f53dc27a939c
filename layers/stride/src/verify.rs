//! `guard stride verify`: evidence that each mitigation the open threats
//! need was built, from
//! - explicit annotations: `guard:mitigates MIT-ID[, MIT-ID...]` in a comment;
//! - source code, through the owasp layer's engine ([`guard_owasp::engine`]):
//!   headers set (CSP, HSTS), auth and permission decorators, rate-limit
//!   middleware, sanitiser and validation calls, logging calls, CSRF
//!   middleware, TLS contexts, safe parsers, secret-manager clients;
//! - Terraform, through the infra layer's HCL parser ([`guard_infra::hcl`]):
//!   encryption at rest, TLS listeners, CloudTrail, flow logs, WAF, secret
//!   managers, multi-AZ.
//!
//! A mitigation is `implemented` (with the evidence's file and line),
//! `missing` (guard can look for it, the kind of file it would be in is
//! present, and nothing was found: a finding), or `unknown` (no automatic
//! check, or nothing of the kind to look in).

use crate::mitigations::{mitigation, Mitigation};
use crate::model::Model;
use crate::rules::{Threat, MODEL_RULES};
use guard_core::walk::{decode_text, walk, WalkOptions};
use guard_core::{Finding, Location};
use guard_owasp::engine::{analyze, Const, Lang, Limits, Tables};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Evidence {
    pub path: String,
    pub line: u32,
    pub what: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Implemented(Vec<Evidence>),
    Missing,
    Unknown(String),
}

impl Status {
    pub fn word(&self) -> &'static str {
        match self {
            Status::Implemented(_) => "implemented",
            Status::Missing => "missing",
            Status::Unknown(_) => "unknown",
        }
    }
}

/// Where evidence of a mitigation can be found automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Code,
    Infra,
    Either,
    AnnotationOnly,
}

fn source_of(id: &str) -> Source {
    match id {
        "MIT-CSP"
        | "MIT-HSTS"
        | "MIT-AUTHN"
        | "MIT-AUTHZ"
        | "MIT-INPUT-VALIDATION"
        | "MIT-OUTPUT-ENCODING"
        | "MIT-CSRF-TOKEN"
        | "MIT-SAFE-PARSING"
        | "MIT-MFA" => Source::Code,
        "MIT-ENCRYPT-AT-REST"
        | "MIT-FLOW-LOGS"
        | "MIT-LOG-INTEGRITY"
        | "MIT-WAF"
        | "MIT-REDUNDANCY" => Source::Infra,
        "MIT-TLS" | "MIT-RATE-LIMIT" | "MIT-AUDIT-LOG" | "MIT-SECRETS-VAULT" => Source::Either,
        _ => Source::AnnotationOnly,
    }
}

#[derive(Debug, Clone)]
pub struct MitigationStatus {
    pub mitigation: &'static Mitigation,
    pub status: Status,
    /// Open threats that name this mitigation.
    pub threats: Vec<String>,
    /// Model line of the first of them (for the finding's place).
    pub line: u32,
}

#[derive(Debug, Clone, Default)]
pub struct Verification {
    pub mitigations: Vec<MitigationStatus>,
    pub code_files: usize,
    pub infra_files: usize,
    /// Files that could not be analysed, with why.
    pub skipped: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("{0}: cannot read the code to verify: no such directory")]
    NoRoot(String),
    #[error("cancelled")]
    Cancelled,
}

/// All evidence found under `root`, by mitigation id.
#[derive(Debug, Default)]
pub struct EvidenceIndex {
    pub by_mitigation: BTreeMap<String, BTreeSet<Evidence>>,
    pub code_files: usize,
    pub infra_files: usize,
    pub skipped: Vec<String>,
}

impl EvidenceIndex {
    fn add(&mut self, id: &str, path: &str, line: u32, what: impl Into<String>) {
        self.by_mitigation
            .entry(id.to_string())
            .or_default()
            .insert(Evidence {
                path: path.to_string(),
                line,
                what: what.into(),
            });
    }
}

/// Collects evidence under `root` (a directory or one file).
pub fn collect(
    root: &Path,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<EvidenceIndex, VerifyError> {
    if !root.exists() {
        return Err(VerifyError::NoRoot(root.display().to_string()));
    }
    let set = walk(root, &WalkOptions::default());
    let mut ix = EvidenceIndex::default();
    let tables = Tables::builtin();
    let limits = Limits::default();
    for f in &set.files {
        if cancelled() {
            return Err(VerifyError::Cancelled);
        }
        let Ok(bytes) = std::fs::read(&f.abs_path) else {
            ix.skipped.push(format!("{}: cannot read", f.rel_path));
            continue;
        };
        let Ok(text) = decode_text(&f.rel_path, &bytes) else {
            continue;
        };
        annotations(&mut ix, &f.rel_path, &text);
        if f.rel_path.ends_with(".tf") {
            ix.infra_files += 1;
            match guard_infra::hcl::parse(&text) {
                Ok(h) => infra_evidence(&mut ix, &f.rel_path, &h.resources),
                Err(e) => ix
                    .skipped
                    .push(format!("{}:{}: {}", f.rel_path, e.line, e.message)),
            }
        } else if let Some(lang) = Lang::from_path(&f.rel_path) {
            ix.code_files += 1;
            match analyze(&f.rel_path, lang, &text, &tables, &limits, cancelled) {
                Ok(a) => code_evidence(&mut ix, &f.rel_path, &a),
                Err(e) => ix.skipped.push(e.to_string()),
            }
        }
    }
    Ok(ix)
}

/// `guard:mitigates MIT-A, MIT-B` in a comment.
fn annotations(ix: &mut EvidenceIndex, path: &str, text: &str) {
    for (i, line) in text.lines().enumerate() {
        let Some(pos) = line.find("guard:mitigates") else {
            continue;
        };
        let before = &line[..pos];
        let in_comment = ["#", "//", "/*", "--", "<!--", "*", ";"]
            .iter()
            .any(|m| before.contains(m));
        if !in_comment {
            continue;
        }
        let rest = &line[pos + "guard:mitigates".len()..];
        for word in rest.split(|c: char| c.is_whitespace() || c == ',') {
            let word = word.trim_end_matches(['*', '/', '>', '-']);
            if word.is_empty() {
                continue;
            }
            match mitigation(word) {
                Some(m) => ix.add(m.id, path, i as u32 + 1, "annotation"),
                None => break,
            }
        }
    }
}

fn lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

fn const_strs(c: &guard_owasp::engine::CallEvent) -> Vec<String> {
    c.args
        .iter()
        .filter_map(|a| match &a.konst {
            Some(Const::Str(s)) => Some(s.to_ascii_lowercase()),
            _ => None,
        })
        .chain(
            c.args
                .iter()
                .filter_map(|a| a.name.as_ref().map(|n| n.to_ascii_lowercase())),
        )
        .collect()
}

fn code_evidence(ix: &mut EvidenceIndex, path: &str, a: &guard_owasp::engine::Analysis) {
    for c in &a.calls {
        let p = lower(&c.path);
        let line = c.span.start_line;
        let args = const_strs(c);
        let arg = |s: &str| args.iter().any(|x| x == s);
        if arg("content-security-policy")
            || p.ends_with("talisman")
            || p == "helmet"
            || p.ends_with("contentsecuritypolicy")
        {
            ix.add(
                "MIT-CSP",
                path,
                line,
                format!("{} sets Content-Security-Policy", c.path),
            );
        }
        if arg("strict-transport-security")
            || p.ends_with("talisman")
            || p == "helmet"
            || p.ends_with(".hsts")
        {
            ix.add(
                "MIT-HSTS",
                path,
                line,
                format!("{} sets Strict-Transport-Security", c.path),
            );
        }
        if p.contains("ratelimit")
            || p.contains("rate_limit")
            || p.contains("limiter")
            || p.contains("throttl")
            || p.ends_with("slowapi")
        {
            ix.add("MIT-RATE-LIMIT", path, line, format!("call to {}", c.path));
        }
        if p.contains("csrfprotect")
            || p.contains("csurf")
            || p.contains("csrf_protect")
            || p.contains("csrf") && p.contains("middleware")
        {
            ix.add("MIT-CSRF-TOKEN", path, line, format!("call to {}", c.path));
        }
        if p.contains("sanitiz")
            || p.contains("sanitis")
            || p.contains("validat")
            || p == "bleach.clean"
            || p.ends_with(".parse_obj")
            || p.ends_with("model_validate")
        {
            ix.add(
                "MIT-INPUT-VALIDATION",
                path,
                line,
                format!("call to {}", c.path),
            );
        }
        if p.ends_with("escape")
            || p.contains("html.escape")
            || p.contains("markupsafe")
            || p.contains("encodeforhtml")
        {
            ix.add(
                "MIT-OUTPUT-ENCODING",
                path,
                line,
                format!("call to {}", c.path),
            );
        }
        let m = lower(&c.method);
        let recv = p.rsplit_once('.').map_or("", |(r, _)| r);
        if matches!(
            m.as_str(),
            "info" | "warning" | "warn" | "error" | "critical" | "log" | "audit"
        ) && (recv.contains("log") || recv.contains("audit"))
        {
            ix.add(
                "MIT-AUDIT-LOG",
                path,
                line,
                format!("logging call {}", c.path),
            );
        }
        if p.contains("passport.authenticate")
            || p.contains("jwt.verify")
            || p.contains("verify_jwt")
            || p.ends_with("authenticate")
            || p.contains("loginmanager")
        {
            ix.add("MIT-AUTHN", path, line, format!("call to {}", c.path));
        }
        if p.contains("check_permission")
            || p.contains("has_permission")
            || p.ends_with("authorize")
            || p.contains("enforce") && p.contains("casbin")
        {
            ix.add("MIT-AUTHZ", path, line, format!("call to {}", c.path));
        }
        if p.contains("ssl.create_default_context")
            || p.contains("https.createserver")
            || p.contains("listenandservetls")
            || p.contains("wrap_socket")
        {
            ix.add("MIT-TLS", path, line, format!("call to {}", c.path));
        }
        if p.starts_with("defusedxml") || p == "yaml.safe_load" {
            ix.add(
                "MIT-SAFE-PARSING",
                path,
                line,
                format!("call to {}", c.path),
            );
        }
        if p.contains("totp") || p.contains("pyotp") || p.contains("speakeasy") {
            ix.add("MIT-MFA", path, line, format!("call to {}", c.path));
        }
        if arg("secretsmanager")
            || p.contains("hvac.client")
            || p.contains("secretclient")
            || p.contains("secretmanagerserviceclient")
        {
            ix.add(
                "MIT-SECRETS-VAULT",
                path,
                line,
                format!("call to {}", c.path),
            );
        }
    }
    for s in &a.assigns {
        let t = lower(&s.target);
        if t.contains("content-security-policy") {
            ix.add(
                "MIT-CSP",
                path,
                s.span.start_line,
                format!("{} is set", s.target),
            );
        }
        if t.contains("strict-transport-security") {
            ix.add(
                "MIT-HSTS",
                path,
                s.span.start_line,
                format!("{} is set", s.target),
            );
        }
    }
    for f in &a.functions {
        for d in &f.decorators {
            let dl = lower(d);
            let line = f.span.start_line;
            if dl.contains("login_required")
                || dl.contains("jwt_required")
                || dl.contains("auth_required")
                || dl.contains("requires_auth")
                || dl.contains("authenticated")
            {
                ix.add("MIT-AUTHN", path, line, format!("@{d} on {}", f.name));
            }
            if dl.contains("permission")
                || dl.contains("roles_required")
                || dl.contains("admin_required")
                || dl.contains("roles_accepted")
            {
                ix.add("MIT-AUTHZ", path, line, format!("@{d} on {}", f.name));
            }
            if dl.contains("limiter")
                || dl.contains("ratelimit")
                || dl.contains("rate_limit")
                || dl.contains("throttle")
            {
                ix.add("MIT-RATE-LIMIT", path, line, format!("@{d} on {}", f.name));
            }
            if dl.contains("csrf_protect") {
                ix.add("MIT-CSRF-TOKEN", path, line, format!("@{d} on {}", f.name));
            }
        }
    }
}

fn infra_evidence(ix: &mut EvidenceIndex, path: &str, resources: &[guard_infra::model::Resource]) {
    use guard_infra::value::{Node, V};
    fn truthy(n: Option<&Node>) -> bool {
        matches!(n.map(|n| &n.v), Some(V::Bool(true)))
            || n.and_then(Node::as_str)
                .is_some_and(|s| s.eq_ignore_ascii_case("true"))
    }
    fn has_key(n: &Node, key: &str, depth: usize) -> bool {
        if depth > 32 {
            return false;
        }
        match &n.v {
            V::Obj(fields) => fields
                .iter()
                .any(|(k, v)| k == key || has_key(v, key, depth + 1)),
            V::List(items) => items.iter().any(|v| has_key(v, key, depth + 1)),
            _ => false,
        }
    }
    for r in resources {
        let v = &r.values;
        let line = r.line;
        let addr = &r.address;
        match r.rtype.as_str() {
            "aws_db_instance"
            | "aws_rds_cluster"
            | "aws_docdb_cluster"
            | "aws_neptune_cluster"
            | "aws_redshift_cluster" => {
                if truthy(v.get("storage_encrypted")) || truthy(v.get("encrypted")) {
                    ix.add(
                        "MIT-ENCRYPT-AT-REST",
                        path,
                        line,
                        format!("{addr}: storage_encrypted = true"),
                    );
                }
                if truthy(v.get("multi_az")) {
                    ix.add(
                        "MIT-REDUNDANCY",
                        path,
                        line,
                        format!("{addr}: multi_az = true"),
                    );
                }
            }
            "aws_s3_bucket_server_side_encryption_configuration" => {
                ix.add("MIT-ENCRYPT-AT-REST", path, line, addr.to_string())
            }
            "aws_ebs_volume" | "aws_efs_file_system" if truthy(v.get("encrypted")) => {
                ix.add(
                    "MIT-ENCRYPT-AT-REST",
                    path,
                    line,
                    format!("{addr}: encrypted = true"),
                );
            }
            "aws_dynamodb_table"
                if v.get("server_side_encryption")
                    .is_some_and(|s| has_key(s, "enabled", 0)) =>
            {
                ix.add(
                    "MIT-ENCRYPT-AT-REST",
                    path,
                    line,
                    format!("{addr}: server_side_encryption"),
                );
            }
            "aws_lb_listener" | "aws_alb_listener" => {
                let proto = v.get("protocol").and_then(Node::as_str).unwrap_or("");
                if proto.eq_ignore_ascii_case("HTTPS") || proto.eq_ignore_ascii_case("TLS") {
                    ix.add("MIT-TLS", path, line, format!("{addr}: protocol = {proto}"));
                }
            }
            "aws_cloudtrail" => {
                ix.add("MIT-AUDIT-LOG", path, line, addr.to_string());
                if truthy(v.get("enable_log_file_validation")) {
                    ix.add(
                        "MIT-LOG-INTEGRITY",
                        path,
                        line,
                        format!("{addr}: enable_log_file_validation = true"),
                    );
                }
            }
            "aws_s3_bucket_object_lock_configuration" => {
                ix.add("MIT-LOG-INTEGRITY", path, line, addr.to_string())
            }
            "aws_flow_log" => ix.add("MIT-FLOW-LOGS", path, line, addr.to_string()),
            "aws_wafv2_web_acl" | "aws_waf_web_acl" | "aws_wafregional_web_acl" => {
                ix.add("MIT-WAF", path, line, addr.to_string());
                if has_key(v, "rate_based_statement", 0) {
                    ix.add(
                        "MIT-RATE-LIMIT",
                        path,
                        line,
                        format!("{addr}: rate_based_statement"),
                    );
                }
            }
            "aws_api_gateway_usage_plan" if v.get("throttle_settings").is_some() => {
                ix.add(
                    "MIT-RATE-LIMIT",
                    path,
                    line,
                    format!("{addr}: throttle_settings"),
                );
            }
            "aws_secretsmanager_secret"
            | "aws_kms_secrets"
            | "vault_generic_secret"
            | "vault_kv_secret_v2" => {
                ix.add("MIT-SECRETS-VAULT", path, line, addr.to_string());
            }
            "aws_autoscaling_group" => ix.add("MIT-REDUNDANCY", path, line, addr.to_string()),
            _ => {}
        }
    }
}

/// Status of every mitigation the model's open threats need.
pub fn verify(
    model: &Model,
    threats: &[Threat],
    root: &Path,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Verification, VerifyError> {
    let ix = collect(root, cancelled)?;
    Ok(statuses(model, threats, &ix))
}

pub fn statuses(model: &Model, threats: &[Threat], ix: &EvidenceIndex) -> Verification {
    let mut need: BTreeMap<&'static str, (Vec<String>, u32)> = BTreeMap::new();
    for t in threats {
        if t.tracked.as_ref().is_some_and(|(s, _)| s.closes()) {
            continue;
        }
        for m in t.rule.mitigations {
            let e = need.entry(m).or_insert((Vec::new(), t.line));
            e.0.push(t.id.clone());
            if e.1 == 0 {
                e.1 = t.line;
            }
        }
    }
    // Mitigations the model claims are checked too.
    for e in &model.elements {
        for c in &e.attrs.controls {
            if let Some(m) = mitigation(c) {
                need.entry(m.id).or_insert((Vec::new(), e.line));
            }
        }
    }
    let mut out = Vec::new();
    for (id, (threat_ids, line)) in need {
        let Some(m) = mitigation(id) else { continue };
        let status = match ix.by_mitigation.get(id) {
            Some(ev) if !ev.is_empty() => Status::Implemented(ev.iter().cloned().collect()),
            _ => match source_of(id) {
                Source::AnnotationOnly => Status::Unknown(format!(
                    "no automatic check; mark it with `guard:mitigates {id}`"
                )),
                Source::Code if ix.code_files == 0 => {
                    Status::Unknown("no source code to look in".into())
                }
                Source::Infra if ix.infra_files == 0 => {
                    Status::Unknown("no Terraform to look in".into())
                }
                Source::Either if ix.code_files == 0 && ix.infra_files == 0 => {
                    Status::Unknown("no code or Terraform to look in".into())
                }
                _ => Status::Missing,
            },
        };
        out.push(MitigationStatus {
            mitigation: m,
            status,
            threats: threat_ids,
            line,
        });
    }
    Verification {
        mitigations: out,
        code_files: ix.code_files,
        infra_files: ix.infra_files,
        skipped: ix.skipped.clone(),
    }
}

/// `STRIDE-MIT-001` for each missing mitigation.
pub fn findings(model: &Model, v: &Verification) -> Vec<Finding> {
    let rule = &MODEL_RULES[1];
    v.mitigations
        .iter()
        .filter(|m| m.status == Status::Missing)
        .map(|m| {
            let shown: Vec<&str> = m.threats.iter().take(5).map(String::as_str).collect();
            let more = m.threats.len().saturating_sub(5);
            let msg = format!(
                "{} ({}) is required by {} open threat(s) ({}{}) and no evidence of it was found ({})",
                m.mitigation.title,
                m.mitigation.id,
                m.threats.len(),
                shown.join(", "),
                if more > 0 { format!(", {more} more") } else { String::new() },
                m.mitigation.evidence
            );
            let mut f = Finding::new(rule, msg)
                .resource(format!("mitigation:{}", m.mitigation.id))
                .artifact(model.file.clone())
                .tag(format!("mitigation:{}", m.mitigation.id))
                .fingerprint_key(&format!("{}\u{0}{}", model.file, m.mitigation.id));
            if m.line > 0 {
                f = f.at(Location::line(model.file.clone(), m.line));
            }
            f
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_only_in_comments() {
        let mut ix = EvidenceIndex::default();
        annotations(&mut ix, "a.py", "x = 1  # guard:mitigates MIT-CSP, MIT-HSTS\ns = 'guard:mitigates MIT-WAF'\n// guard:mitigates NOT-AN-ID MIT-TLS\n");
        assert!(ix.by_mitigation.contains_key("MIT-CSP"));
        assert!(ix.by_mitigation.contains_key("MIT-HSTS"));
        assert!(!ix.by_mitigation.contains_key("MIT-WAF"));
        assert!(!ix.by_mitigation.contains_key("MIT-TLS"));
        assert_eq!(
            ix.by_mitigation["MIT-CSP"].iter().next().map(|e| e.line),
            Some(1)
        );
    }

    #[test]
    fn code_and_terraform_evidence() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(
            dir.path().join("app.py"),
            "from flask import Flask\napp = Flask(__name__)\n\n@app.after_request\ndef h(resp):\n    resp.headers['Content-Security-Policy'] = \"default-src 'self'\"\n    return resp\n",
        )
        .expect("write");
        std::fs::write(
            dir.path().join("main.tf"),
            "resource \"aws_db_instance\" \"db\" {\n  storage_encrypted = true\n}\nresource \"aws_cloudtrail\" \"t\" {\n  name = \"t\"\n}\n",
        )
        .expect("write");
        let ix = collect(dir.path(), &|| false).expect("collect");
        let csp = ix.by_mitigation.get("MIT-CSP").expect("csp evidence");
        assert_eq!(
            csp.iter().next().map(|e| (e.path.as_str(), e.line)),
            Some(("app.py", 6))
        );
        assert!(ix.by_mitigation.contains_key("MIT-ENCRYPT-AT-REST"));
        assert!(ix.by_mitigation.contains_key("MIT-AUDIT-LOG"));
        assert!(!ix.by_mitigation.contains_key("MIT-RATE-LIMIT"));
    }
}
