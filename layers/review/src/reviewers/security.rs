//! The security reviewer: the owasp engine's taint analysis on the new text
//! (a flow from a request source to a sink through an added line), secrets
//! on added lines, auth checks that the change removes (a decorator,
//! annotation or route middleware present on the old side of a handler and
//! gone from the new), and CSRF protection switched off.

use super::{finding, ReviewContext, ReviewError, Reviewer};
use crate::input::{function_name, FileInput, ReviewInput};
use crate::lang::{self, call_args, callee, descendants, line, method_name, text, Language};
use crate::rules::*;
use guard_core::{Confidence, Finding, Location, TraceStep};
use guard_owasp::engine::{self, tables, Limits, Tables};
use guard_owasp::secrets;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use tree_sitter::Node;

pub struct SecurityReviewer;

impl Reviewer for SecurityReviewer {
    fn id(&self) -> &str {
        "security"
    }

    fn review(&self, input: &ReviewInput, cx: &ReviewContext) -> Result<Vec<Finding>, ReviewError> {
        let mut out = Vec::new();
        for file in &input.files {
            cx.check()?;
            if cx.config.security.secrets {
                secrets_in(file, &mut out);
            }
            let Some(lang) = file.language else { continue };
            taint(file, lang, cx, input.context, &mut out)?;
            auth_removed(file, lang, &mut out);
            csrf_disabled(file, lang, &mut out);
        }
        Ok(out)
    }
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(Tables::builtin)
}

fn rule_of_kind(k: tables::Kinds) -> &'static str {
    match k {
        tables::CMD => SEC_CMD,
        tables::CODE => SEC_CODE,
        tables::DESER => SEC_DESER,
        tables::SQL => SEC_SQL,
        tables::PATH => SEC_PATH,
        tables::SSRF => SEC_SSRF,
        tables::XSS => SEC_XSS,
        tables::LDAP | tables::XPATH => SEC_QUERY_LANG,
        tables::REDIRECT => SEC_REDIRECT,
        _ => SEC_TRUST,
    }
}

fn taint(
    file: &FileInput,
    lang: Language,
    cx: &ReviewContext,
    context: u32,
    out: &mut Vec<Finding>,
) -> Result<(), ReviewError> {
    let Some(elang) = lang.engine() else {
        return Ok(());
    };
    let limits = Limits {
        max_time: std::time::Duration::from_secs(5),
        ..Limits::default()
    };
    let analysis = match engine::analyze(
        &file.path,
        elang,
        &file.new_text,
        tables(),
        &limits,
        &|| cx.cancelled(),
    ) {
        Ok(a) => a,
        Err(engine::EngineError::Cancelled) => return Err(ReviewError::Cancelled),
        Err(e) => {
            // A file the engine gives up on is reported, not passed.
            return Err(ReviewError::Failed(format!("taint analysis: {e}")));
        }
    };
    let lines = file.new_lines();
    for hit in &analysis.hits {
        // The change must be part of the flow: the sink, or a step of it.
        let on_change = file.in_scope(hit.span.start_line, hit.span.end_line, context)
            || hit
                .trace
                .iter()
                .any(|s| s.span.start_line > 0 && file.is_changed(s.span.start_line));
        if !on_change {
            continue;
        }
        let source = hit
            .trace
            .first()
            .map(|s| s.message.trim_start_matches("source: ").to_string())
            .unwrap_or_else(|| "request data".into());
        // Anchor on the added line of the flow nearest the sink.
        let anchor = if file.touches(hit.span.start_line, hit.span.end_line) {
            hit.span.start_line
        } else {
            hit.trace
                .iter()
                .rev()
                .map(|s| s.span.start_line)
                .find(|l| file.is_changed(*l))
                .unwrap_or(hit.span.start_line)
        };
        let rule = rule_of_kind(hit.kind);
        let mut f = finding(
            rule,
            file,
            anchor,
            anchor,
            format!(
                "{source} reaches {} ({} flow){}",
                hit.sink,
                tables::kind_name(hit.kind),
                if anchor != hit.span.start_line {
                    format!("; sink on line {}", hit.span.start_line)
                } else {
                    String::new()
                }
            ),
        );
        if hit.param.is_some() {
            let sev = f.severity.min(guard_core::Severity::Medium);
            f = f.confidence(Confidence::Low).severity(sev);
        }
        let trace: Vec<TraceStep> = hit
            .trace
            .iter()
            .filter(|s| s.span.start_line > 0)
            .map(|s| {
                let mut loc = Location::line(file.path.clone(), s.span.start_line);
                loc.snippet = lines
                    .get(s.span.start_line as usize - 1)
                    .map(|l| l.chars().take(200).collect());
                TraceStep {
                    location: loc,
                    message: s.message.clone(),
                }
            })
            .collect();
        out.push(f.trace(trace));
    }
    Ok(())
}

fn secrets_in(file: &FileInput, out: &mut Vec<Finding>) {
    if secrets::skip_reason(&file.path).is_some() {
        return;
    }
    let opts = secrets::ScanOptions::default();
    for hit in secrets::scan_text(&file.path, &file.new_text, &opts) {
        if !file.touches(hit.start.line, hit.end.line) {
            continue;
        }
        let mut loc = Location::span(
            file.path.clone(),
            (hit.start.line, hit.start.col_char),
            (hit.end.line, hit.end.col_char),
        );
        // The redacted line: the report never reads the secret back.
        loc.snippet = Some(hit.snippet.clone());
        let mut f = Finding::new(
            rule(SEC_SECRET),
            format!(
                "{} {} added{}",
                hit.provider,
                hit.kind,
                if hit.notes.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", hit.notes.join("; "))
                }
            ),
        )
        .at(loc)
        .severity(hit.severity)
        .confidence(hit.confidence)
        .evidence(hit.evidence.clone())
        .tag(hit.rule_id);
        f.fingerprint = hit.fingerprint.clone();
        out.push(f);
    }
}

/// Words that mark an authentication or authorisation check.
fn is_auth_word(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    let l = l.trim_start_matches('@');
    if l.starts_with("csrf")
        || l.contains("exempt")
        || l.contains("allowanonymous")
        || l.contains("permitall")
        || l.contains("public")
    {
        return false;
    }
    [
        "login_required",
        "auth",
        "permission",
        "requires_",
        "require_",
        "jwt_required",
        "roles_allowed",
        "rolesallowed",
        "preauthorize",
        "postauthorize",
        "secured",
        "admin_required",
        "staff_member_required",
        "user_passes_test",
        "isauthenticated",
        "ensureloggedin",
        "ensureauthenticated",
        "verifytoken",
        "checkjwt",
        "access_required",
        "protected",
        "guard",
        "useguards",
        "requireadmin",
        "requirerole",
        "requireuser",
        "requirelogin",
        "isadmin",
        "adminonly",
        "admin_only",
        "hasrole",
        "checkrole",
        "loggedin",
    ]
    .iter()
    .any(|w| l.contains(w))
}

/// A handler's auth checks on one side: per function name, its auth
/// decorators/annotations; per route call (method and path), its auth
/// middleware arguments.
#[derive(Debug, Default)]
struct AuthMap {
    functions: BTreeMap<String, (u32, Vec<String>)>,
    routes: BTreeMap<String, (u32, Vec<String>)>,
}

fn auth_map(lang: Language, src: &str) -> AuthMap {
    let mut map = AuthMap::default();
    let Some(tree) = lang.parse(src) else {
        return map;
    };
    let b = src.as_bytes();
    for node in descendants(tree.root_node(), lang, false) {
        if lang.is_function(node.kind()) {
            let Some(name) = function_name(node, b) else {
                continue;
            };
            let decorators = decorators_of(node, lang, b);
            let auth: Vec<String> = decorators.into_iter().filter(|d| is_auth_word(d)).collect();
            map.functions.insert(name, (line(node), auth));
        } else if lang.is_call(node.kind()) && lang.is_js() {
            let c = callee(node, b);
            let m = method_name(&c);
            if !matches!(
                m,
                "get" | "post" | "put" | "patch" | "delete" | "all" | "use" | "route"
            ) {
                continue;
            }
            let args = call_args(node);
            let Some(first) = args.first() else { continue };
            if !matches!(first.kind(), "string" | "template_string") {
                continue;
            }
            let key = format!("{c}({})", text(*first, b));
            let auth: Vec<String> = args[1..]
                .iter()
                .filter(|a| {
                    !matches!(
                        a.kind(),
                        "arrow_function" | "function_expression" | "function"
                    )
                })
                .map(|a| text(*a, b).to_string())
                .filter(|t| is_auth_word(t))
                .collect();
            map.routes.insert(key, (line(node), auth));
        }
    }
    map
}

/// Decorators (Python, TS), annotations (Java) and attributes (Rust) of a
/// function node, as written.
fn decorators_of(func: Node<'_>, lang: Language, src: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    match lang {
        Language::Python => {
            if let Some(p) = func.parent().filter(|p| p.kind() == "decorated_definition") {
                let mut c = p.walk();
                for d in p.named_children(&mut c).filter(|n| n.kind() == "decorator") {
                    out.push(text(d, src).to_string());
                }
            }
        }
        Language::Java => {
            let mut c = func.walk();
            for m in func
                .named_children(&mut c)
                .filter(|n| n.kind() == "modifiers")
            {
                let mut c2 = m.walk();
                for a in m.named_children(&mut c2) {
                    if matches!(a.kind(), "annotation" | "marker_annotation") {
                        out.push(text(a, src).to_string());
                    }
                }
            }
        }
        Language::Rust => {
            let mut prev = func.prev_named_sibling();
            while let Some(p) = prev.filter(|p| p.kind() == "attribute_item") {
                out.push(text(p, src).to_string());
                prev = p.prev_named_sibling();
            }
        }
        _ => {
            let mut c = func.walk();
            for d in func
                .named_children(&mut c)
                .filter(|n| n.kind() == "decorator")
            {
                out.push(text(d, src).to_string());
            }
            let mut prev = func.prev_named_sibling();
            while let Some(p) = prev.filter(|p| p.kind() == "decorator") {
                out.push(text(p, src).to_string());
                prev = p.prev_named_sibling();
            }
        }
    }
    out
}

fn auth_removed(file: &FileInput, lang: Language, out: &mut Vec<Finding>) {
    if file.removed.is_empty() {
        return;
    }
    let removed_text: Vec<&str> = file.removed.iter().map(|(_, t)| t.trim()).collect();
    let old = auth_map(lang, &file.old_text);
    if old.functions.values().all(|(_, a)| a.is_empty())
        && old.routes.values().all(|(_, a)| a.is_empty())
    {
        return;
    }
    let new = auth_map(lang, &file.new_text);
    for (name, (_, old_auth)) in &old.functions {
        let Some((new_line, new_auth)) = new.functions.get(name) else {
            continue;
        };
        for a in old_auth {
            if new_auth.contains(a) {
                continue;
            }
            // The decorator's line must be among the removed ones.
            let first = a.lines().next().unwrap_or("").trim();
            if !removed_text.iter().any(|r| r.contains(first)) {
                continue;
            }
            let anchor = first_changed_near(file, *new_line);
            out.push(finding(
                SEC_AUTH_REMOVED,
                file,
                anchor,
                anchor,
                format!("`{first}` was removed from `{name}`, which still exists: the handler no longer checks who calls it"),
            ));
        }
    }
    for (route, (_, old_auth)) in &old.routes {
        let Some((new_line, new_auth)) = new.routes.get(route) else {
            continue;
        };
        for a in old_auth {
            if new_auth.contains(a) {
                continue;
            }
            let anchor = first_changed_near(file, *new_line);
            out.push(finding(
                SEC_AUTH_REMOVED,
                file,
                anchor,
                anchor,
                format!("middleware `{a}` was removed from route `{route}`: the route no longer requires it"),
            ));
        }
    }
}

/// An added line at or just above/below `line` (the decorator's old place):
/// the new function's first line or an added line within 3 lines of it.
fn first_changed_near(file: &FileInput, line: u32) -> u32 {
    (line.saturating_sub(3)..=line + 3)
        .find(|l| file.is_touched(*l))
        .unwrap_or(line)
}

fn csrf_disabled(file: &FileInput, lang: Language, out: &mut Vec<Finding>) {
    let Some(tree) = lang.parse(&file.new_text) else {
        return;
    };
    let src = file.new_text.as_bytes();
    for node in descendants(tree.root_node(), lang, false) {
        if !file.is_changed(line(node)) {
            continue;
        }
        let hit = match node.kind() {
            "decorator" | "marker_annotation" | "annotation" => {
                let t = text(node, src);
                t.contains("csrf_exempt") || t.contains("CsrfExempt")
            }
            k if lang.is_call(k) => {
                let c = callee(node, src);
                let m = method_name(&c);
                m == "disable"
                    && (c.contains("csrf")
                        || descendants(node, lang, false)
                            .iter()
                            .any(|n| text(*n, src).ends_with("csrf()")))
            }
            _ => false,
        };
        if hit {
            out.push(finding(
                SEC_CSRF,
                file,
                line(node),
                line(node),
                format!(
                    "`{}` turns CSRF protection off",
                    text(node, src).lines().next().unwrap_or("").trim()
                ),
            ));
        }
    }
    let _ = lang::end_line;
}
