//! One entry per input kind: HCL files, `.tf.json`, IAM policy JSON and plan
//! JSON, each turned into findings with places.

use crate::checks::{self, Env};
use crate::hcl;
use crate::iam::{self, PolicyKind};
use crate::json_lines;
use crate::model::{Hit, Mode, Resource};
use crate::plan;
use crate::plan_eval;
use crate::value::{Node, V};
use crate::InfraError;
use guard_core::{Finding, Location};
use std::collections::HashSet;

/// Embedded documents larger than this are refused (AWS caps policies at a
/// few KB; megabytes mean something is wrong).
pub const MAX_TEXT_FILE: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Hcl,
    TfJson,
    /// A `.json` file whose content decides: plan, policy or neither.
    Json,
}

pub fn kind_of(path: &str) -> Option<Kind> {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".tf.json") {
        Some(Kind::TfJson)
    } else if lower.ends_with(".tf") || lower.ends_with(".hcl") {
        Some(Kind::Hcl)
    } else if lower.ends_with(".json") {
        Some(Kind::Json)
    } else {
        None
    }
}

/// Tag of findings about a protective setting left at an insecure default.
pub const UNSET_TAG: &str = "infra:unset-default";

pub fn hit_finding(hit: Hit, path: Option<&str>, address: &str) -> Finding {
    let mut f = Finding::new(hit.rule, hit.message);
    if let Some(s) = hit.severity {
        f = f.severity(s);
    }
    // "Cannot verify" is about what guard could not see, not a confirmed risk.
    if std::ptr::eq(hit.rule, &crate::rules::HCL_UNRESOLVED)
        || std::ptr::eq(hit.rule, &crate::rules::PLAN_UNVERIFIABLE)
    {
        f = f.confidence(guard_core::Confidence::Medium);
    }
    // A setting left at an insecure default: its own confidence and a tag,
    // so a team can gate on explicit settings only.
    if hit.unset {
        f = f.confidence(guard_core::Confidence::Low);
        f.tags.push(UNSET_TAG.into());
    }
    if !address.is_empty() {
        f = f.resource(address);
    }
    match path {
        Some(p) if hit.line > 0 => {
            f.at(Location::span(p, (hit.line, 1), (hit.end.max(hit.line), 1)).focus(hit.focus))
        }
        Some(p) if address.is_empty() => f.at(Location::line(p, 1)),
        _ => f.fingerprint_key(&format!(
            "{}\u{0}{}\u{0}{}",
            path.unwrap_or(""),
            address,
            hit.key
        )),
    }
}

fn resource_findings(
    resources: &[Resource],
    path: &str,
    companions: Option<&checks::Companions>,
) -> Vec<Finding> {
    let env = Env {
        companions: companions
            .cloned()
            .unwrap_or_else(|| checks::Companions::of(resources)),
        ..Env::default()
    };
    let mut out = Vec::new();
    for r in resources {
        for hit in checks::check_resource(r, &env) {
            out.push(hit_finding(hit, Some(path), &r.address));
        }
    }
    out
}

pub fn scan_hcl(path: &str, text: &str) -> Result<Vec<Finding>, InfraError> {
    let file = hcl::parse(text).map_err(|e| InfraError::Parse {
        path: path.into(),
        line: e.line,
        col: e.col,
        message: e.message,
    })?;
    Ok(resource_findings(&file.resources, path, None))
}

/// The `.tf` files of one directory form one Terraform module: `var.*` and
/// `local.*` resolve across them. `checked` are `(display path, text)` of
/// the files to report on; `context` are more files of the directory whose
/// definitions count (unparsable ones are ignored there); `tfvars` are
/// `terraform.tfvars`/`*.auto.tfvars` texts. One result per checked file.
pub fn scan_hcl_module(
    checked: &[(String, String)],
    context: &[String],
    tfvars: &[String],
) -> Vec<Result<Vec<Finding>, InfraError>> {
    let parsed: Vec<Result<hcl_edit::structure::Body, InfraError>> = checked
        .iter()
        .map(|(path, text)| {
            hcl::parse_body(text).map_err(|e| InfraError::Parse {
                path: path.clone(),
                line: e.line,
                col: e.col,
                message: e.message,
            })
        })
        .collect();
    let extra: Vec<_> = context
        .iter()
        .filter_map(|t| hcl::parse_body(t).ok().map(|b| (b, t)))
        .collect();
    let vars: Vec<_> = tfvars
        .iter()
        .filter_map(|t| hcl::parse_body(t).ok())
        .collect();
    // Checked files first, so file `i` of the scope is `checked[i]`.
    let mut bodies: Vec<&hcl_edit::structure::Body> = Vec::new();
    let empty = hcl_edit::structure::Body::default();
    for p in &parsed {
        bodies.push(p.as_ref().unwrap_or(&empty));
    }
    bodies.extend(extra.iter().map(|(b, _)| b));
    let var_bodies: Vec<_> = vars.iter().collect();
    let scope = hcl::Scope::new(&bodies, &var_bodies);
    let files: Vec<Option<Vec<Resource>>> = parsed
        .iter()
        .zip(checked)
        .enumerate()
        .map(|(i, (body, (_, text)))| {
            body.as_ref()
                .ok()
                .map(|b| hcl::file_resources(b, text, i, &scope).resources)
        })
        .collect();
    // Companion resources count across the module's files.
    let mut everything: Vec<Resource> = files.iter().flatten().flatten().cloned().collect();
    for (j, (b, t)) in extra.iter().enumerate() {
        everything.extend(hcl::file_resources(b, t, parsed.len() + j, &scope).resources);
    }
    let companions = checks::Companions::of(&everything);
    parsed
        .iter()
        .zip(checked)
        .zip(files)
        .map(|((body, (path, _)), resources)| match (body, resources) {
            (Ok(_), Some(rs)) => Ok(resource_findings(&rs, path, Some(&companions))),
            (Err(e), _) => Err(e.clone()),
            (Ok(_), None) => Ok(Vec::new()),
        })
        .collect()
}

fn json_err(path: &str, e: json_lines::JsonError) -> InfraError {
    InfraError::Parse {
        path: path.into(),
        line: e.line,
        col: e.col,
        message: e.message,
    }
}

/// A CloudFormation template already parsed (`doc`) from `text`.
pub fn scan_cfn(path: &str, doc: &Node, text: &str) -> Vec<Finding> {
    resource_findings(&crate::cfn::resources(doc, text), path, None)
}

/// Terraform JSON configuration: `{"resource": {TYPE: {NAME: {...}}}, "data": ...}`.
pub fn scan_tf_json(path: &str, text: &str) -> Result<Vec<Finding>, InfraError> {
    let doc = json_lines::parse(text, 1, false).map_err(|e| json_err(path, e))?;
    Ok(resource_findings(&tf_json_resources(&doc), path, None))
}

fn tf_json_resources(doc: &Node) -> Vec<Resource> {
    let mut out = Vec::new();
    for (key, mode) in [("resource", Mode::Managed), ("data", Mode::Data)] {
        for section in doc.items().into_iter().filter_map(|d| d.get(key)) {
            for block in section.items() {
                let V::Obj(types) = &block.v else { continue };
                for (rtype, names) in types {
                    let V::Obj(names) = &names.v else { continue };
                    for (name, body) in names {
                        for values in body.items() {
                            let mut values = values.clone();
                            // Nested blocks may be written as a single object.
                            normalise_blocks(&mut values);
                            let address = match mode {
                                Mode::Data => format!("data.{rtype}.{name}"),
                                _ => format!("{rtype}.{name}"),
                            };
                            out.push(Resource {
                                mode,
                                rtype: rtype.clone(),
                                name: name.clone(),
                                address,
                                line: values.line,
                                values,
                                change: None,
                                refs: Vec::new(),
                                configured: None,
                                via_module: false,
                            });
                        }
                    }
                }
            }
        }
    }
    out
}

fn normalise_blocks(v: &mut Node) {
    if let V::Obj(fields) = &mut v.v {
        for (_, f) in fields.iter_mut() {
            if let V::Obj(_) = f.v {
                if f.get("policy").is_none() {
                    let inner = f.clone();
                    f.v = V::List(vec![inner]);
                }
            }
        }
    }
}

/// A raw IAM policy document: which kind is guessed from its statements.
pub fn scan_policy(path: &str, doc: &Node) -> Vec<Finding> {
    let stmts = doc
        .get_ci("Statement")
        .map(|s| s.items())
        .unwrap_or_default();
    let principals = stmts
        .iter()
        .any(|s| s.get_ci("Principal").is_some() || s.get_ci("NotPrincipal").is_some());
    let assume = stmts.iter().any(|s| {
        s.get_ci("Action")
            .map(|a| {
                a.items().iter().any(|x| {
                    x.as_str()
                        .is_some_and(|x| x.to_ascii_lowercase().starts_with("sts:assumerole"))
                })
            })
            .unwrap_or(false)
    });
    let kind = match (principals, assume) {
        (true, true) => PolicyKind::Trust,
        (true, false) => PolicyKind::Resource,
        _ => PolicyKind::Identity,
    };
    iam::check_document(doc, kind, "policy")
        .into_iter()
        .map(|h| hit_finding(h, Some(path), ""))
        .collect()
}

/// Top-level keys that mark a Terraform plan or state.
fn is_plan_like(doc_keys: &HashSet<String>) -> bool {
    doc_keys.contains("format_version")
        && [
            "resource_changes",
            "planned_values",
            "values",
            "prior_state",
            "terraform_version",
        ]
        .iter()
        .any(|k| doc_keys.contains(*k))
}

/// The top-level keys of a JSON object, without building the values.
fn top_keys(text: &str) -> Option<HashSet<String>> {
    let map: std::collections::BTreeMap<String, serde::de::IgnoredAny> =
        serde_json::from_str(text).ok()?;
    Some(map.into_keys().collect())
}

pub enum JsonKind {
    Plan,
    Policy,
    TfJson,
    Other,
}

pub fn classify_json(text: &str) -> JsonKind {
    let Some(keys) = top_keys(text) else {
        return JsonKind::Other;
    };
    if is_plan_like(&keys) {
        JsonKind::Plan
    } else if keys.iter().any(|k| k.eq_ignore_ascii_case("Statement")) {
        JsonKind::Policy
    } else if keys.contains("resource") || keys.contains("data") {
        JsonKind::TfJson
    } else {
        JsonKind::Other
    }
}

/// Plan findings carry the address; the plan file is named in the message
/// tail so multi-plan runs stay readable.
pub fn scan_plan(path: &str, text: &str, all: bool) -> Result<Vec<Finding>, InfraError> {
    let plan = plan::parse(text).map_err(|e| InfraError::Input {
        path: path.into(),
        message: e.to_string(),
    })?;
    Ok(plan_eval::evaluate(&plan, all)
        .into_iter()
        .map(|ph| hit_finding(ph.hit, Some(path), &ph.address))
        .map(|mut f| {
            // Plan JSON has no useful lines: findings are about the address,
            // in the plan file.
            f.location = None;
            f.artifact(path)
        })
        .collect())
}
