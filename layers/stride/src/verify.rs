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
//!
//! Status is decided per (mitigation, element). A threat on an element with
//! a scope (`code:` / `resources:` in a guard model, see [`crate::scope`])
//! needs evidence inside that scope: code files matching its globs,
//! Terraform resources matching its addresses, annotations naming it
//! (`guard:mitigates MIT-ID@element`) or inside its code paths. A flow's
//! threat is judged on the scope of the flow's target (the element that
//! receives the flow and must enforce the mitigation). Threats on elements
//! without a scope, and on the model as a whole, keep the repository-wide
//! rule: evidence anywhere counts.

use crate::mitigations::{mitigation, Mitigation};
use crate::model::Model;
use crate::rules::{Subject, Threat, MODEL_RULES};
use crate::scope::Scope;
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
    /// The Terraform resource the evidence is about (its address first,
    /// then the resources it refers to: an encryption configuration counts
    /// for the bucket it names).
    pub resources: Vec<String>,
    /// The element an annotation names (`MIT-ID@element`).
    pub element: Option<String>,
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
    /// Over all parts: missing if it is missing anywhere, else unknown if
    /// unknown anywhere, else implemented (with all the evidence).
    pub status: Status,
    /// Open threats that name this mitigation.
    pub threats: Vec<String>,
    /// Model line of the first of them (for the finding's place).
    pub line: u32,
    /// Status per scoped element, and (element `None`) for the threats
    /// judged on the whole repository. An unscoped model has one part.
    pub parts: Vec<PartStatus>,
}

impl MitigationStatus {
    /// Whether any part belongs to a scoped element.
    pub fn per_element(&self) -> bool {
        self.parts.iter().any(|p| p.element.is_some())
    }

    /// `implemented`, `missing`, `unknown`, or `partly` when it is
    /// implemented for some elements and missing or unknown for others.
    pub fn summary(&self) -> &'static str {
        let imp = self
            .parts
            .iter()
            .any(|p| matches!(p.status, Status::Implemented(_)));
        if imp && !matches!(self.status, Status::Implemented(_)) {
            "partly"
        } else {
            self.status.word()
        }
    }
}

/// The status of a mitigation for one scoped element (or, `element: None`,
/// for the threats judged on the whole repository).
#[derive(Debug, Clone)]
pub struct PartStatus {
    pub element: Option<String>,
    pub status: Status,
    pub threats: Vec<String>,
    /// Model line of the element (or of the first threat).
    pub line: u32,
    /// The element's scope, for messages (`code: ...; resources: ...`).
    pub scope: String,
}

/// A `code` or `resources` pattern of an element that matches nothing
/// under the verified root: the model is out of date or mistyped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleScope {
    pub element: String,
    pub line: u32,
    /// `code` or `resources`.
    pub key: &'static str,
    pub pattern: String,
}

/// An annotation guard cannot use, at its file and line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub path: String,
    pub line: u32,
    pub message: String,
}

#[derive(Debug, Clone, Default)]
pub struct Verification {
    pub mitigations: Vec<MitigationStatus>,
    pub code_files: usize,
    pub infra_files: usize,
    /// Files that could not be analysed, with why.
    pub skipped: Vec<String>,
    /// Scope patterns that match nothing.
    pub stale: Vec<StaleScope>,
    /// Annotations naming an unknown mitigation or element.
    pub problems: Vec<Problem>,
}

impl Verification {
    pub fn missing(&self) -> usize {
        self.mitigations
            .iter()
            .flat_map(|m| &m.parts)
            .filter(|p| p.status == Status::Missing)
            .count()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("{0}: cannot read the code to verify: no such directory")]
    NoRoot(String),
    #[error("cancelled")]
    Cancelled,
}

/// How a walked file was looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Code,
    Terraform,
    Other,
}

/// All evidence found under `root`, by mitigation id.
#[derive(Debug, Default)]
pub struct EvidenceIndex {
    pub by_mitigation: BTreeMap<String, BTreeSet<Evidence>>,
    pub code_files: usize,
    pub infra_files: usize,
    pub skipped: Vec<String>,
    /// Every file under the root (relative path), and how it was read.
    pub files: Vec<(String, FileKind)>,
    /// Terraform resource addresses seen, with their file.
    pub resources: Vec<(String, String)>,
    /// Annotations that name no known mitigation.
    pub problems: Vec<Problem>,
}

impl EvidenceIndex {
    fn add(&mut self, id: &str, path: &str, line: u32, what: impl Into<String>) {
        self.add_full(id, path, line, what.into(), Vec::new(), None);
    }

    fn add_resource(&mut self, id: &str, path: &str, line: u32, what: String, about: &[String]) {
        self.add_full(id, path, line, what, about.to_vec(), None);
    }

    fn add_full(
        &mut self,
        id: &str,
        path: &str,
        line: u32,
        what: String,
        resources: Vec<String>,
        element: Option<String>,
    ) {
        self.by_mitigation
            .entry(id.to_string())
            .or_default()
            .insert(Evidence {
                path: path.to_string(),
                line,
                what,
                resources,
                element,
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
            ix.files.push((f.rel_path.clone(), FileKind::Other));
            continue;
        };
        let Ok(text) = decode_text(&f.rel_path, &bytes) else {
            ix.files.push((f.rel_path.clone(), FileKind::Other));
            continue;
        };
        annotations(&mut ix, &f.rel_path, &text);
        if f.rel_path.ends_with(".tf") {
            ix.infra_files += 1;
            ix.files.push((f.rel_path.clone(), FileKind::Terraform));
            match guard_infra::hcl::parse(&text) {
                Ok(h) => {
                    ix.resources.extend(
                        h.resources
                            .iter()
                            .map(|r| (r.address.clone(), f.rel_path.clone())),
                    );
                    infra_evidence(&mut ix, &f.rel_path, &h.resources)
                }
                Err(e) => ix
                    .skipped
                    .push(format!("{}:{}: {}", f.rel_path, e.line, e.message)),
            }
        } else if let Some(lang) = Lang::from_path(&f.rel_path) {
            ix.code_files += 1;
            ix.files.push((f.rel_path.clone(), FileKind::Code));
            match analyze(&f.rel_path, lang, &text, &tables, &limits, cancelled) {
                Ok(a) => code_evidence(&mut ix, &f.rel_path, &a),
                Err(e) => ix.skipped.push(e.to_string()),
            }
        } else {
            ix.files.push((f.rel_path.clone(), FileKind::Other));
        }
    }
    Ok(ix)
}

/// `guard:mitigates MIT-A, MIT-B@element` in a comment. The list is the
/// words after the marker that look like mitigation ids (`MIT-...`, or any
/// word with `@`); the first other word ends it (prose may follow). An id
/// guard does not know, or no id at all, is a [`Problem`] at the line.
fn annotations(ix: &mut EvidenceIndex, path: &str, text: &str) {
    const MARK: &str = "guard:mitigates";
    for (i, line) in text.lines().enumerate() {
        let Some(pos) = line.find(MARK) else {
            continue;
        };
        let before = &line[..pos];
        let in_comment = ["#", "//", "/*", "--", "<!--", "*", ";"]
            .iter()
            .any(|m| before.contains(m));
        if !in_comment {
            continue;
        }
        let lineno = i as u32 + 1;
        let rest = &line[pos + MARK.len()..];
        let mut named = 0usize;
        for word in rest.split(|c: char| c.is_whitespace() || c == ',') {
            let word = word.trim_end_matches(['*', '/', '>', '-', '.', ';', ')']);
            if word.is_empty() {
                continue;
            }
            let (mit, element) = match word.split_once('@') {
                Some((m, e)) => (m, Some(e)),
                None => (word, None),
            };
            if element.is_none() && !mit.starts_with("MIT-") {
                if named == 0 {
                    ix.problems.push(Problem {
                        path: path.to_string(),
                        line: lineno,
                        message: format!(
                            "`{MARK}` must be followed by a mitigation id (`MIT-ID` or `MIT-ID@element`), got `{word}`"
                        ),
                    });
                }
                break;
            }
            named += 1;
            let Some(m) = mitigation(mit) else {
                ix.problems.push(Problem {
                    path: path.to_string(),
                    line: lineno,
                    message: format!("`{MARK} {word}`: `{mit}` is not a mitigation id (`guard rules stride` lists them)"),
                });
                continue;
            };
            match element {
                Some("") => ix.problems.push(Problem {
                    path: path.to_string(),
                    line: lineno,
                    message: format!("`{MARK} {word}`: no element id after `@`"),
                }),
                Some(e) => ix.add_full(
                    m.id,
                    path,
                    lineno,
                    format!("annotation for `{e}`"),
                    Vec::new(),
                    Some(e.to_string()),
                ),
                None => ix.add(m.id, path, lineno, "annotation"),
            }
        }
        if named == 0
            && !ix
                .problems
                .iter()
                .any(|p| p.path == path && p.line == lineno)
        {
            ix.problems.push(Problem {
                path: path.to_string(),
                line: lineno,
                message: format!("`{MARK}` names no mitigation id"),
            });
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

/// A resource's address, then the `type.name` of each resource it refers to.
fn addresses(r: &guard_infra::model::Resource) -> Vec<String> {
    let mut out = vec![r.address.clone()];
    for (_, target) in &r.refs {
        let mut parts = target.split('.');
        if let (Some(t), Some(n)) = (parts.next(), parts.next()) {
            if t != "data" && t != "var" && t != "local" && t != "module" {
                let a = format!("{t}.{n}");
                if !out.contains(&a) {
                    out.push(a);
                }
            }
        }
    }
    out
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
        let about = addresses(r);
        match r.rtype.as_str() {
            "aws_db_instance"
            | "aws_rds_cluster"
            | "aws_docdb_cluster"
            | "aws_neptune_cluster"
            | "aws_redshift_cluster" => {
                if truthy(v.get("storage_encrypted")) || truthy(v.get("encrypted")) {
                    ix.add_resource(
                        "MIT-ENCRYPT-AT-REST",
                        path,
                        line,
                        format!("{addr}: storage_encrypted = true"),
                        &about,
                    );
                }
                if truthy(v.get("multi_az")) {
                    ix.add_resource(
                        "MIT-REDUNDANCY",
                        path,
                        line,
                        format!("{addr}: multi_az = true"),
                        &about,
                    );
                }
            }
            "aws_s3_bucket_server_side_encryption_configuration" => {
                ix.add_resource("MIT-ENCRYPT-AT-REST", path, line, addr.to_string(), &about)
            }
            "aws_ebs_volume" | "aws_efs_file_system" if truthy(v.get("encrypted")) => {
                ix.add_resource(
                    "MIT-ENCRYPT-AT-REST",
                    path,
                    line,
                    format!("{addr}: encrypted = true"),
                    &about,
                );
            }
            "aws_dynamodb_table"
                if v.get("server_side_encryption")
                    .is_some_and(|s| has_key(s, "enabled", 0)) =>
            {
                ix.add_resource(
                    "MIT-ENCRYPT-AT-REST",
                    path,
                    line,
                    format!("{addr}: server_side_encryption"),
                    &about,
                );
            }
            "aws_lb_listener" | "aws_alb_listener" => {
                let proto = v.get("protocol").and_then(Node::as_str).unwrap_or("");
                if proto.eq_ignore_ascii_case("HTTPS") || proto.eq_ignore_ascii_case("TLS") {
                    ix.add_resource(
                        "MIT-TLS",
                        path,
                        line,
                        format!("{addr}: protocol = {proto}"),
                        &about,
                    );
                }
            }
            "aws_cloudtrail" => {
                ix.add_resource("MIT-AUDIT-LOG", path, line, addr.to_string(), &about);
                if truthy(v.get("enable_log_file_validation")) {
                    ix.add_resource(
                        "MIT-LOG-INTEGRITY",
                        path,
                        line,
                        format!("{addr}: enable_log_file_validation = true"),
                        &about,
                    );
                }
            }
            "aws_s3_bucket_object_lock_configuration" => {
                ix.add_resource("MIT-LOG-INTEGRITY", path, line, addr.to_string(), &about)
            }
            "aws_flow_log" => {
                ix.add_resource("MIT-FLOW-LOGS", path, line, addr.to_string(), &about)
            }
            "aws_wafv2_web_acl" | "aws_waf_web_acl" | "aws_wafregional_web_acl" => {
                ix.add_resource("MIT-WAF", path, line, addr.to_string(), &about);
                if has_key(v, "rate_based_statement", 0) {
                    ix.add_resource(
                        "MIT-RATE-LIMIT",
                        path,
                        line,
                        format!("{addr}: rate_based_statement"),
                        &about,
                    );
                }
            }
            "aws_api_gateway_usage_plan" if v.get("throttle_settings").is_some() => {
                ix.add_resource(
                    "MIT-RATE-LIMIT",
                    path,
                    line,
                    format!("{addr}: throttle_settings"),
                    &about,
                );
            }
            "aws_secretsmanager_secret"
            | "aws_kms_secrets"
            | "vault_generic_secret"
            | "vault_kv_secret_v2" => {
                ix.add_resource("MIT-SECRETS-VAULT", path, line, addr.to_string(), &about);
            }
            "aws_autoscaling_group" => {
                ix.add_resource("MIT-REDUNDANCY", path, line, addr.to_string(), &about)
            }
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

/// The element whose scope judges threat `t`: the element itself, or a
/// flow's target. `None` for model-wide threats.
fn judged_on<'m>(
    model: &'m Model,
    flows_to: &BTreeMap<&str, &'m str>,
    t: &Threat,
) -> Option<&'m str> {
    match &t.subject {
        Subject::Element(id) => model.element(id).map(|e| e.id.as_str()),
        Subject::Flow(id) => flows_to.get(id.as_str()).copied(),
        Subject::Model => None,
    }
}

/// Threat ids and first model line per (mitigation, scoped element or
/// `None` for repository-wide).
type Need = BTreeMap<&'static str, BTreeMap<Option<String>, (Vec<String>, u32)>>;

pub fn statuses(model: &Model, threats: &[Threat], ix: &EvidenceIndex) -> Verification {
    let mut problems: Vec<Problem> = ix.problems.clone();
    // Compiled scopes of the elements that have one.
    let mut scopes: BTreeMap<&str, Scope> = BTreeMap::new();
    for e in &model.elements {
        match Scope::of(e) {
            Ok(Some(sc)) => {
                scopes.insert(e.id.as_str(), sc);
            }
            Ok(None) => {}
            // The guard reader refuses bad patterns; a model built in code
            // may still carry one: a problem at the model, never ignored.
            Err(message) => problems.push(Problem {
                path: model.file.clone(),
                line: e.line,
                message,
            }),
        }
    }
    let flows_to: BTreeMap<&str, &str> = model
        .flows
        .iter()
        .map(|f| (f.id.as_str(), f.to.as_str()))
        .collect();
    let part_of = |el: Option<&str>| -> Option<String> {
        el.filter(|e| scopes.contains_key(e)).map(str::to_string)
    };
    let mut need: Need = BTreeMap::new();
    for t in threats {
        if t.tracked.as_ref().is_some_and(|(s, _)| s.closes()) {
            continue;
        }
        let part = part_of(judged_on(model, &flows_to, t));
        let line = match &part {
            Some(el) => scopes.get(el.as_str()).map_or(t.line, |s| s.line),
            None => t.line,
        };
        for m in t.rule.mitigations {
            let e = need
                .entry(m)
                .or_default()
                .entry(part.clone())
                .or_insert((Vec::new(), line));
            e.0.push(t.id.clone());
            if e.1 == 0 {
                e.1 = line;
            }
        }
    }
    // Mitigations the model claims are checked too.
    for e in &model.elements {
        for c in &e.attrs.controls {
            if let Some(m) = mitigation(c) {
                need.entry(m.id)
                    .or_default()
                    .entry(part_of(Some(&e.id)))
                    .or_insert((Vec::new(), e.line));
            }
        }
    }
    // Annotations naming an element the model does not have.
    for ev in ix.by_mitigation.values().flatten() {
        if let Some(el) = &ev.element {
            if model.element(el).is_none() {
                problems.push(Problem {
                    path: ev.path.clone(),
                    line: ev.line,
                    message: format!(
                        "`guard:mitigates ...@{el}`: `{el}` is not the id of any element of {}",
                        model.file
                    ),
                });
            }
        }
    }
    problems.sort();
    problems.dedup();

    // Code files and Terraform (files or resources) inside each scope,
    // counted once.
    let counts: BTreeMap<&str, (usize, usize)> = scopes
        .iter()
        .map(|(id, sc)| (*id, scope_counts(ix, sc)))
        .collect();
    let mut out = Vec::new();
    for (id, parts) in need {
        let Some(m) = mitigation(id) else { continue };
        let mut ps = Vec::new();
        for (element, (threat_ids, line)) in parts {
            let (status, scope) = match element.as_deref().and_then(|e| scopes.get(e)) {
                None => (repository_status(model, id, ix), String::new()),
                Some(sc) => {
                    let (code, infra) = counts.get(sc.element.as_str()).copied().unwrap_or((0, 0));
                    (scoped_status(id, ix, sc, code, infra), sc.describe())
                }
            };
            ps.push(PartStatus {
                element,
                status,
                threats: threat_ids,
                line,
                scope,
            });
        }
        let threats: Vec<String> = ps.iter().flat_map(|p| p.threats.clone()).collect();
        let line = ps.iter().map(|p| p.line).find(|l| *l > 0).unwrap_or(0);
        out.push(MitigationStatus {
            mitigation: m,
            status: overall(&ps),
            threats,
            line,
            parts: ps,
        });
    }
    Verification {
        mitigations: out,
        code_files: ix.code_files,
        infra_files: ix.infra_files,
        skipped: ix.skipped.clone(),
        stale: stale_scopes(scopes.values(), ix),
        problems,
    }
}

/// Missing anywhere: missing; else unknown anywhere: unknown (the first
/// reason); else implemented with all the evidence.
fn overall(parts: &[PartStatus]) -> Status {
    if parts.iter().any(|p| p.status == Status::Missing) {
        return Status::Missing;
    }
    if let Some(why) = parts.iter().find_map(|p| match &p.status {
        Status::Unknown(w) => Some(w.clone()),
        _ => None,
    }) {
        return Status::Unknown(why);
    }
    let mut all = BTreeSet::new();
    for p in parts {
        if let Status::Implemented(ev) = &p.status {
            all.extend(ev.iter().cloned());
        }
    }
    Status::Implemented(all.into_iter().collect())
}

/// Evidence anywhere under the root counts (but not an annotation naming
/// an element the model does not have: that one is a [`Problem`]).
fn repository_status(model: &Model, id: &str, ix: &EvidenceIndex) -> Status {
    let ev: Vec<Evidence> = ix
        .by_mitigation
        .get(id)
        .into_iter()
        .flatten()
        .filter(|e| {
            e.element
                .as_ref()
                .is_none_or(|el| model.element(el).is_some())
        })
        .cloned()
        .collect();
    if ev.is_empty() {
        absent(id, ix.code_files, ix.infra_files, None)
    } else {
        Status::Implemented(ev)
    }
}

/// Only evidence inside the element's scope counts; `code` and `infra`
/// are the code files and Terraform inside it ([`scope_counts`]).
fn scoped_status(id: &str, ix: &EvidenceIndex, sc: &Scope, code: usize, infra: usize) -> Status {
    let inside = |ev: &&Evidence| match &ev.element {
        Some(e) => *e == sc.element,
        None => sc.path(&ev.path) || ev.resources.iter().any(|a| sc.resource(a)),
    };
    let ev: Vec<Evidence> = ix
        .by_mitigation
        .get(id)
        .into_iter()
        .flatten()
        .filter(inside)
        .cloned()
        .collect();
    if ev.is_empty() {
        absent(id, code, infra, Some(&sc.element))
    } else {
        Status::Implemented(ev)
    }
}

/// Code files, and Terraform files plus resources, inside a scope.
fn scope_counts(ix: &EvidenceIndex, sc: &Scope) -> (usize, usize) {
    let code = ix
        .files
        .iter()
        .filter(|(p, k)| *k == FileKind::Code && sc.path(p))
        .count();
    let infra = ix
        .files
        .iter()
        .filter(|(p, k)| *k == FileKind::Terraform && sc.path(p))
        .count()
        + ix.resources.iter().filter(|(a, _)| sc.resource(a)).count();
    (code, infra)
}

/// No evidence: missing when guard could have seen it, else unknown.
fn absent(id: &str, code: usize, infra: usize, element: Option<&str>) -> Status {
    let (mark, within) = match element {
        Some(e) => (format!("{id}@{e}"), format!(" in the scope of `{e}`")),
        None => (id.to_string(), " to look in".to_string()),
    };
    match source_of(id) {
        Source::AnnotationOnly => Status::Unknown(format!(
            "no automatic check; mark it with `guard:mitigates {mark}`"
        )),
        Source::Code if code == 0 => Status::Unknown(format!("no source code{within}")),
        Source::Infra if infra == 0 => Status::Unknown(format!("no Terraform{within}")),
        Source::Either if code == 0 && infra == 0 => {
            Status::Unknown(format!("no code or Terraform{within}"))
        }
        _ => Status::Missing,
    }
}

/// Scope patterns that match no file (code) or no Terraform resource.
fn stale_scopes<'a>(
    scopes: impl Iterator<Item = &'a Scope>,
    ix: &EvidenceIndex,
) -> Vec<StaleScope> {
    let mut out = Vec::new();
    for sc in scopes {
        for c in &sc.code {
            if !ix.files.iter().any(|(p, _)| c.matches(p)) {
                out.push(StaleScope {
                    element: sc.element.clone(),
                    line: sc.line,
                    key: "code",
                    pattern: c.text.clone(),
                });
            }
        }
        for r in &sc.resources {
            if !ix
                .resources
                .iter()
                .any(|(a, _)| crate::scope::wildcard(r, a))
            {
                out.push(StaleScope {
                    element: sc.element.clone(),
                    line: sc.line,
                    key: "resources",
                    pattern: r.clone(),
                });
            }
        }
    }
    out
}

/// `STRIDE-MIT-001` for each missing (mitigation, element) — one per
/// mitigation for the threats judged on the whole repository —,
/// `STRIDE-MIT-002` for each scope pattern that matches nothing, and
/// `STRIDE-MIT-003` for each annotation guard cannot use.
pub fn findings(model: &Model, v: &Verification) -> Vec<Finding> {
    let rule = &MODEL_RULES[1];
    let mut out = Vec::new();
    for m in &v.mitigations {
        for p in m.parts.iter().filter(|p| p.status == Status::Missing) {
            let shown: Vec<&str> = p.threats.iter().take(5).map(String::as_str).collect();
            let more = p.threats.len().saturating_sub(5);
            let more = if more > 0 {
                format!(", {more} more")
            } else {
                String::new()
            };
            let id = m.mitigation.id;
            // Per element: the element is the resource and part of the key.
            let (on, within, resource, key) = match &p.element {
                None => (
                    String::new(),
                    String::new(),
                    format!("mitigation:{id}"),
                    format!("{}\u{0}{id}", model.file),
                ),
                Some(el) => (
                    format!(" on `{el}`"),
                    format!(" in its scope ({})", p.scope),
                    format!("element:{el}"),
                    format!("{}\u{0}{id}\u{0}{el}", model.file),
                ),
            };
            let msg = format!(
                "{} ({id}) is required by {} open threat(s){on} ({}{more}) and no evidence of it was found{within} ({})",
                m.mitigation.title,
                p.threats.len(),
                shown.join(", "),
                m.mitigation.evidence
            );
            let mut f = Finding::new(rule, msg)
                .resource(resource)
                .artifact(model.file.clone())
                .tag(format!("mitigation:{id}"));
            if let Some(el) = &p.element {
                f = f.tag(format!("element:{el}"));
            }
            f = f.fingerprint_key(&key);
            if p.line > 0 {
                f = f.at(Location::line(model.file.clone(), p.line));
            }
            out.push(f);
        }
    }
    let stale_rule = &MODEL_RULES[2];
    for s in &v.stale {
        let what = if s.key == "code" {
            "no file under the verified root"
        } else {
            "no Terraform resource under the verified root"
        };
        let mut f = Finding::new(
            stale_rule,
            format!(
                "element `{}`: `{}` pattern `{}` matches {what}; the model is out of date or the pattern mistyped",
                s.element, s.key, s.pattern
            ),
        )
        .resource(format!("element:{}", s.element))
        .artifact(model.file.clone())
        .fingerprint_key(&format!(
            "{}\u{0}{}\u{0}{}\u{0}{}",
            model.file, s.element, s.key, s.pattern
        ));
        if s.line > 0 {
            f = f.at(Location::line(model.file.clone(), s.line));
        }
        out.push(f);
    }
    let ann_rule = &MODEL_RULES[3];
    for p in &v.problems {
        out.push(
            Finding::new(ann_rule, p.message.clone())
                .at(Location::line(p.path.clone(), p.line))
                .fingerprint_key(&format!("{}\u{0}{}", p.path, p.message)),
        );
    }
    out
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
        assert_eq!(ix.problems.len(), 1, "{:?}", ix.problems);
        assert_eq!(ix.problems[0].line, 3);
        assert_eq!(
            ix.by_mitigation["MIT-CSP"].iter().next().map(|e| e.line),
            Some(1)
        );
    }

    const SCOPED: &str = "title: two endpoints
data:
  - id: orders
    confidentiality: confidential
boundaries:
  - id: internet
  - id: cloud
elements:
  - id: browser
    kind: external
    boundary: internet
    internet: true
    used_by_human: true
  - id: api
    kind: process
    boundary: cloud
    web: true
    custom_code: true
    code: [api/**]
  - id: admin
    kind: process
    boundary: cloud
    web: true
    custom_code: true
    code: [admin]
  - id: db
    kind: store
    boundary: cloud
    stores: [orders]
    resources: [aws_db_instance.main]
  - id: archive
    kind: store
    boundary: cloud
    stores: [orders]
    resources: [aws_db_instance.archive]
flows:
  - name: api calls
    from: browser
    to: api
    protocol: https
    authentication: none
  - name: admin calls
    from: browser
    to: admin
    protocol: https
";

    fn scoped_app(extra: &[(&str, &str)]) -> (tempfile::TempDir, Model, Verification) {
        let dir = tempfile::tempdir().expect("tmp");
        let files: Vec<(&str, &str)> = vec![
            ("api/app.py", "from flask import Flask\napp = Flask(__name__)\n\n@app.after_request\ndef h(resp):\n    resp.headers['Content-Security-Policy'] = \"default-src 'self'\"\n    return resp\n"),
            ("admin/app.py", "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/admin')\ndef admin():\n    return 'ok'\n"),
            ("infra/main.tf", "resource \"aws_db_instance\" \"main\" {\n  storage_encrypted = true\n}\nresource \"aws_db_instance\" \"archive\" {\n  storage_encrypted = false\n}\n"),
        ];
        for (p, text) in files.iter().chain(extra) {
            let path = dir.path().join(p);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        let model = model_of(SCOPED);
        let threats = crate::rules::analyse(&model);
        let v = verify(&model, &threats, dir.path(), &|| false).expect("verify");
        (dir, model, v)
    }

    /// A guard model read as `guard stride` reads it.
    fn model_of(text: &str) -> Model {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("model.yaml");
        std::fs::write(&p, text).expect("write");
        crate::read::load(&p, "model.yaml").expect("model")
    }

    fn part<'v>(v: &'v Verification, mit: &str, el: Option<&str>) -> &'v PartStatus {
        v.mitigations
            .iter()
            .find(|m| m.mitigation.id == mit)
            .and_then(|m| m.parts.iter().find(|p| p.element.as_deref() == el))
            .unwrap_or_else(|| panic!("{mit} at {el:?} not checked"))
    }

    /// Implemented at one element and unknown at another is `partly`, not
    /// `unknown`: the per-element lines say where.
    #[test]
    fn implemented_somewhere_and_unknown_elsewhere_is_partly() {
        let part = |element: &str, status: Status| PartStatus {
            element: Some(element.to_string()),
            status,
            threats: vec!["T-1".into()],
            line: 1,
            scope: String::new(),
        };
        let ev = Evidence {
            path: "api/app.py".into(),
            line: 6,
            what: "CSP".into(),
            resources: Vec::new(),
            element: None,
        };
        let parts = vec![
            part("api", Status::Implemented(vec![ev])),
            part("admin", Status::Unknown("no source code".into())),
        ];
        let m = MitigationStatus {
            mitigation: mitigation("MIT-CSP").expect("known"),
            status: overall(&parts),
            threats: vec!["T-1".into()],
            line: 1,
            parts,
        };
        assert_eq!(m.summary(), "partly");
    }

    #[test]
    fn evidence_counts_only_inside_the_elements_scope() {
        let (_d, model, v) = scoped_app(&[]);
        match &part(&v, "MIT-CSP", Some("api")).status {
            Status::Implemented(ev) => {
                assert_eq!((ev[0].path.as_str(), ev[0].line), ("api/app.py", 6))
            }
            other => panic!("api: {other:?}"),
        }
        assert_eq!(part(&v, "MIT-CSP", Some("admin")).status, Status::Missing);
        let csp = v
            .mitigations
            .iter()
            .find(|m| m.mitigation.id == "MIT-CSP")
            .expect("csp");
        assert_eq!(csp.summary(), "partly");
        // Terraform by address: the main database is encrypted, the archive not.
        assert!(matches!(
            part(&v, "MIT-ENCRYPT-AT-REST", Some("db")).status,
            Status::Implemented(_)
        ));
        assert_eq!(
            part(&v, "MIT-ENCRYPT-AT-REST", Some("archive")).status,
            Status::Missing
        );
        // One finding per (mitigation, element) where missing, on the element.
        let f = findings(&model, &v);
        let csp_f: Vec<&Finding> = f
            .iter()
            .filter(|f| f.rule_id == "STRIDE-MIT-001" && f.message.contains("MIT-CSP"))
            .collect();
        assert_eq!(csp_f.len(), 1, "{csp_f:?}");
        assert_eq!(csp_f[0].resource.as_deref(), Some("element:admin"));
        let again = findings(&model, &v);
        let fps: BTreeSet<_> = f.iter().map(|x| x.fingerprint.clone()).collect();
        assert_eq!(
            fps,
            again
                .iter()
                .map(|x| x.fingerprint.clone())
                .collect::<BTreeSet<_>>()
        );
        assert_eq!(fps.len(), f.len(), "fingerprints are distinct");
        assert!(v.stale.is_empty() && v.problems.is_empty(), "{v:?}");
    }

    #[test]
    fn flow_threats_are_judged_on_the_flows_target() {
        let (_d, model, v) = scoped_app(&[]);
        let threats = crate::rules::analyse(&model);
        let flow_threat = threats
            .iter()
            .find(|t| {
                matches!(&t.subject, Subject::Flow(id) if id.starts_with("browser>api"))
                    && t.rule.mitigations.contains(&"MIT-AUTHN")
            })
            .expect("an authentication threat on the flow to api");
        let p = part(&v, "MIT-AUTHN", Some("api"));
        assert!(p.threats.contains(&flow_threat.id), "{p:?}");
        // The external browser has no scope: its threats are repository-wide.
        let browser = threats
            .iter()
            .find(|t| matches!(&t.subject, Subject::Element(id) if id == "browser"))
            .expect("browser threat");
        let m = browser.rule.mitigations[0];
        assert!(part(&v, m, None).threats.contains(&browser.id));
    }

    #[test]
    fn annotations_may_name_an_element() {
        let (_d, _m, v) = scoped_app(&[
            (
                "shared/headers.py",
                "# guard:mitigates MIT-CSP@admin\n# guard:mitigates MIT-RATE-LIMIT@ghost\n# guard:mitigates MIT-NOPE\n# guard:mitigates csp headers\n",
            ),
            ("admin/limits.py", "# guard:mitigates MIT-CSRF-TOKEN\n"),
        ]);
        // A plain annotation inside admin's code counts for admin only.
        assert!(matches!(
            &part(&v, "MIT-CSRF-TOKEN", Some("admin")).status,
            Status::Implemented(ev) if ev[0].path == "admin/limits.py"
        ));
        assert_eq!(
            part(&v, "MIT-CSRF-TOKEN", Some("api")).status,
            Status::Missing
        );
        match &part(&v, "MIT-CSP", Some("admin")).status {
            Status::Implemented(ev) => {
                assert_eq!((ev[0].path.as_str(), ev[0].line), ("shared/headers.py", 1))
            }
            other => panic!("admin: {other:?}"),
        }
        // Outside api's scope and naming another element: not api's evidence.
        match &part(&v, "MIT-CSP", Some("api")).status {
            Status::Implemented(ev) => assert!(ev.iter().all(|e| e.path == "api/app.py")),
            other => panic!("api: {other:?}"),
        }
        let lines: Vec<(u32, &str)> = v
            .problems
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(
            lines[0].0 == 2 && lines[0].1.contains("`ghost`"),
            "{lines:?}"
        );
        assert!(
            lines[1].0 == 3 && lines[1].1.contains("MIT-NOPE"),
            "{lines:?}"
        );
        assert!(lines[2].0 == 4 && lines[2].1.contains("`csp`"), "{lines:?}");
        // The unknown element's annotation is evidence nowhere.
        let rl = v
            .mitigations
            .iter()
            .find(|m| m.mitigation.id == "MIT-RATE-LIMIT")
            .expect("rate limit");
        assert!(rl
            .parts
            .iter()
            .all(|p| !matches!(&p.status, Status::Implemented(ev) if ev.iter().any(|e| e.path == "shared/headers.py"))));
    }

    #[test]
    fn scopes_that_match_nothing_are_reported() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(dir.path().join("app.py"), "x = 1\n").expect("write");
        let text = SCOPED.replace("code: [admin]", "code: [admin, old/**]");
        let model = model_of(&text);
        let threats = crate::rules::analyse(&model);
        let v = verify(&model, &threats, dir.path(), &|| false).expect("verify");
        let stale: BTreeSet<(&str, &str)> = v
            .stale
            .iter()
            .map(|s| (s.element.as_str(), s.pattern.as_str()))
            .collect();
        let want: BTreeSet<(&str, &str)> = [
            ("api", "api/**"),
            ("admin", "admin"),
            ("admin", "old/**"),
            ("db", "aws_db_instance.main"),
            ("archive", "aws_db_instance.archive"),
        ]
        .into_iter()
        .collect();
        assert_eq!(stale, want);
        let f = findings(&model, &v);
        assert_eq!(
            f.iter().filter(|f| f.rule_id == "STRIDE-MIT-002").count(),
            5
        );
        // Nothing in scope to look in: unknown, not missing.
        assert!(matches!(
            part(&v, "MIT-CSP", Some("api")).status,
            Status::Unknown(_)
        ));
    }

    #[test]
    fn unscoped_models_keep_one_repository_wide_status() {
        let text = SCOPED
            .replace("    code: [api/**]\n", "")
            .replace("    code: [admin]\n", "")
            .replace("    resources: [aws_db_instance.main]\n", "")
            .replace("    resources: [aws_db_instance.archive]\n", "");
        let model = model_of(&text);
        let threats = crate::rules::analyse(&model);
        let mut ix = EvidenceIndex::default();
        annotations(&mut ix, "a.py", "# guard:mitigates MIT-CSP\n");
        ix.code_files = 1;
        let v = statuses(&model, &threats, &ix);
        for m in &v.mitigations {
            assert_eq!(m.parts.len(), 1);
            assert!(m.parts[0].element.is_none() && !m.per_element());
        }
        let f = findings(&model, &v);
        assert!(f.iter().filter(|f| f.rule_id == "STRIDE-MIT-001").all(|f| f
            .resource
            .as_deref()
            .is_some_and(|r| r.starts_with("mitigation:"))));
        assert!(matches!(
            v.mitigations
                .iter()
                .find(|m| m.mitigation.id == "MIT-CSP")
                .map(|m| &m.status),
            Some(Status::Implemented(_))
        ));
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
