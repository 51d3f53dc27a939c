//! `terraform show -json` plans (and state) into the resource model.
//! Format 0.x and 1.x are read, 2.x is refused; UTF-8 or UTF-16 with BOM;
//! binary plan files are converted with `terraform show -json` when
//! `terraform` is on PATH.

use crate::model::{Change, Mode, Resource};
use crate::value::{Node, V};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Deserialize)]
struct PlanJson {
    format_version: Option<String>,
    #[serde(default)]
    terraform_version: Option<String>,
    #[serde(default)]
    resource_changes: Vec<ResourceChange>,
    #[serde(default)]
    configuration: Option<Configuration>,
    #[serde(default)]
    prior_state: Option<StateJson>,
    /// Present when the file is `terraform show -json` of a state.
    #[serde(default)]
    values: Option<ValuesJson>,
    #[serde(default)]
    planned_values: Option<ValuesJson>,
}

#[derive(Debug, Deserialize)]
struct ResourceChange {
    address: String,
    #[serde(default)]
    mode: String,
    #[serde(rename = "type")]
    rtype: String,
    #[serde(default)]
    name: String,
    change: ChangeJson,
    #[serde(default)]
    action_reason: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ChangeJson {
    #[serde(default)]
    actions: Vec<String>,
    #[serde(default)]
    before: Option<Node>,
    #[serde(default)]
    after: Option<Node>,
    #[serde(default)]
    after_unknown: Option<Node>,
    #[serde(default)]
    before_sensitive: Option<Node>,
    #[serde(default)]
    after_sensitive: Option<Node>,
    #[serde(default)]
    replace_paths: Option<Vec<Vec<Node>>>,
}

#[derive(Debug, Deserialize)]
struct StateJson {
    #[serde(default)]
    values: Option<ValuesJson>,
}

#[derive(Debug, Deserialize)]
struct ValuesJson {
    #[serde(default)]
    root_module: Option<ModuleValues>,
}

#[derive(Debug, Deserialize)]
struct ModuleValues {
    #[serde(default)]
    resources: Vec<StateResource>,
    #[serde(default)]
    child_modules: Vec<ModuleValues>,
}

#[derive(Debug, Deserialize)]
struct StateResource {
    address: String,
    #[serde(default)]
    mode: String,
    #[serde(rename = "type")]
    rtype: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    values: Option<Node>,
    #[serde(default)]
    sensitive_values: Option<Node>,
}

#[derive(Debug, Deserialize)]
struct Configuration {
    #[serde(default)]
    root_module: Option<ConfigModule>,
}

#[derive(Debug, Deserialize)]
struct ConfigModule {
    #[serde(default)]
    resources: Vec<ConfigResource>,
    #[serde(default)]
    module_calls: HashMap<String, ModuleCall>,
}

#[derive(Debug, Deserialize)]
struct ModuleCall {
    #[serde(default)]
    module: Option<ConfigModule>,
}

#[derive(Debug, Deserialize)]
struct ConfigResource {
    address: String,
    #[serde(default)]
    expressions: HashMap<String, Node>,
}

/// A plan read into the model.
#[derive(Debug, Default)]
pub struct Plan {
    pub format_version: String,
    /// Resource changes (managed and data sources read during apply).
    pub resources: Vec<Resource>,
    /// Data sources read at plan time (prior state), e.g. rendered policy documents.
    pub data_sources: Vec<Resource>,
    /// The file was a state, not a plan: everything in it already exists.
    pub is_state: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("{0}")]
    Invalid(String),
}

fn invalid(msg: impl Into<String>) -> PlanError {
    PlanError::Invalid(msg.into())
}

/// Whether bytes are a binary plan file (a zip archive).
pub fn is_binary_plan(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Converts a binary plan with `terraform show -json`, or `tofu show -json`
/// when only OpenTofu is on PATH.
pub fn convert_binary(path: &Path) -> Result<Vec<u8>, PlanError> {
    let how = format!(
        "convert it with `terraform show -json {} > plan.json` (or `tofu show -json`) in the working directory the plan was made in, and pass plan.json",
        path.display()
    );
    let Some((name, tf)) = ["terraform", "tofu"]
        .iter()
        .find_map(|n| find_on_path(n).map(|p| (*n, p)))
    else {
        return Err(invalid(format!(
            "binary Terraform plan file, and neither `terraform` nor `tofu` is on PATH to read it; {how}"
        )));
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file = path.file_name().map(Path::new).unwrap_or(path);
    tracing::debug!("converting {} with `{name} show -json`", path.display());
    let out = std::process::Command::new(tf)
        .arg("show")
        .arg("-json")
        .arg("-no-color")
        .arg(file)
        .current_dir(dir)
        .env("CHECKPOINT_DISABLE", "1")
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| invalid(format!("cannot run `{name}`: {e}; {how}")))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let first: String = err
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        return Err(invalid(format!(
            "`{name} show -json` failed: {first}; {how}"
        )));
    }
    Ok(out.stdout)
}

fn find_on_path(name: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Checks `format_version`: 0.x and 1.x are read, anything else refused.
fn check_version(v: Option<&str>) -> Result<String, PlanError> {
    let Some(v) = v else {
        return Err(invalid(
            "no `format_version`: not a `terraform show -json` plan (expected an object with format_version and resource_changes)",
        ));
    };
    let major = v
        .split('.')
        .next()
        .and_then(|m| m.trim().parse::<u64>().ok());
    match major {
        Some(0 | 1) => Ok(v.to_string()),
        Some(m) => Err(invalid(format!(
            "plan format_version {v} (major {m}) is not supported; guard reads format 0.x and 1.x"
        ))),
        None => Err(invalid(format!(
            "plan format_version `{v}` is not a version number"
        ))),
    }
}

/// Terraform before 1.0 never wrote format 1.x (0.12-0.14 wrote 0.1, 0.15
/// wrote 0.2): a file claiming otherwise was edited or is corrupted, and its
/// structure cannot be trusted.
fn check_consistent(format: &str, terraform: Option<&str>) -> Result<(), PlanError> {
    let Some(tf) = terraform else { return Ok(()) };
    let major = |s: &str| {
        s.trim_start_matches('v')
            .split('.')
            .next()
            .and_then(|m| m.parse::<u64>().ok())
    };
    if let (Some(f), Some(t)) = (major(format), major(tf)) {
        if f >= 1 && t == 0 {
            return Err(invalid(format!(
                "format_version {format} with terraform_version {tf}: Terraform {tf} never wrote format {format} (0.12-0.14 wrote 0.1, 0.15 wrote 0.2); the file is corrupted or hand-edited. Regenerate it with `terraform show -json`"
            )));
        }
    }
    Ok(())
}

/// Turns serde_json's messages into ones that name the place and the limit.
fn describe_json_error(e: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let inner = e.inner();
    let place = format!("line {} column {}", inner.line(), inner.column());
    let path = e.path().to_string();
    let at = if path.is_empty() || path == "." {
        String::new()
    } else {
        format!(" (at `{path}`)")
    };
    let msg = inner.to_string();
    if msg.contains("recursion limit exceeded") {
        return format!("{place}: JSON nested deeper than 128 levels; refused{at}");
    }
    if inner.is_eof() {
        return format!("{place}: unexpected end of input: the JSON is truncated{at}");
    }
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    format!("{place}: {msg}{at}")
}

pub fn parse(text: &str) -> Result<Plan, PlanError> {
    // Path tracking costs a third of the parse: only a plan that fails is
    // read again with it, for the message.
    let raw: PlanJson = match serde_json::from_str(text) {
        Ok(raw) => raw,
        Err(_) => {
            let de = &mut serde_json::Deserializer::from_str(text);
            let e = serde_path_to_error::deserialize::<_, PlanJson>(de)
                .err()
                .map_or_else(
                    || "invalid plan JSON".to_string(),
                    |e| describe_json_error(&e),
                );
            return Err(invalid(e));
        }
    };
    let format_version = check_version(raw.format_version.as_deref())?;
    check_consistent(&format_version, raw.terraform_version.as_deref())?;
    let refs = raw
        .configuration
        .as_ref()
        .and_then(|c| c.root_module.as_ref())
        .map(|m| {
            let mut out = HashMap::new();
            config_refs(m, "", &mut out, 0);
            out
        })
        .unwrap_or_default();

    let mut plan = Plan {
        format_version,
        ..Plan::default()
    };
    if raw.resource_changes.is_empty() {
        // Plan JSON cut down to planned_values (some tools emit only that):
        // judge the planned resources as they will be, without a before.
        if let Some(planned) = raw.planned_values.as_ref() {
            let mut out = Vec::new();
            state_resources(planned.root_module.as_ref(), &mut out, 0);
            if !out.is_empty() {
                for r in &mut out {
                    r.change = Some(Change {
                        actions: vec!["planned".into()],
                        ..Change::default()
                    });
                }
                plan.resources = out
                    .into_iter()
                    .filter(|r| r.mode == Mode::Managed)
                    .collect();
                return Ok(plan);
            }
        }
        if let Some(values) = raw.values {
            // A state file: current resources, nothing changes.
            plan.is_state = true;
            let mut out = Vec::new();
            state_resources(values.root_module.as_ref(), &mut out, 0);
            plan.resources = out;
            return Ok(plan);
        }
    }
    for rc in raw.resource_changes {
        let mode = if rc.mode == "data" {
            Mode::Data
        } else {
            Mode::Managed
        };
        let c = rc.change;
        let mut after = c.after.unwrap_or(Node::new(V::Null, 0));
        if let Some(u) = &c.after_unknown {
            merge_unknown(&mut after, u, 0);
        }
        if let Some(s) = &c.after_sensitive {
            redact(&mut after, s, 0);
        }
        let before = c.before.filter(|b| !b.is_null()).map(|mut b| {
            if let Some(s) = &c.before_sensitive {
                redact(&mut b, s, 0);
            }
            b
        });
        let replace_paths = c
            .replace_paths
            .unwrap_or_default()
            .iter()
            .map(|p| {
                p.iter()
                    .map(|s| match &s.v {
                        V::Str(s) => s.clone(),
                        V::Num(n) => format!("[{n}]"),
                        _ => "?".into(),
                    })
                    .collect::<Vec<_>>()
                    .join(".")
            })
            .collect();
        let key = strip_index(&rc.address);
        plan.resources.push(Resource {
            mode,
            rtype: rc.rtype,
            name: rc.name,
            refs: refs.get(&key).map(|c| c.refs.clone()).unwrap_or_default(),
            configured: refs.get(&key).map(|c| c.attrs.clone()),
            via_module: false,
            address: rc.address,
            line: 0,
            values: after,
            change: Some(Change {
                actions: c.actions,
                action_reason: rc.action_reason,
                replace_paths,
                before,
                after_unknown: c.after_unknown,
            }),
        });
    }
    if let Some(ps) = raw.prior_state.and_then(|s| s.values) {
        let mut out = Vec::new();
        state_resources(ps.root_module.as_ref(), &mut out, 0);
        plan.data_sources = out.into_iter().filter(|r| r.mode == Mode::Data).collect();
    }
    Ok(plan)
}

fn state_resources(m: Option<&ModuleValues>, out: &mut Vec<Resource>, depth: usize) {
    let Some(m) = m else { return };
    if depth > 64 {
        return;
    }
    for r in &m.resources {
        let mut values = r.values.clone().unwrap_or(Node::new(V::Null, 0));
        if let Some(s) = &r.sensitive_values {
            redact(&mut values, s, 0);
        }
        out.push(Resource {
            mode: if r.mode == "data" {
                Mode::Data
            } else {
                Mode::Managed
            },
            rtype: r.rtype.clone(),
            name: r.name.clone(),
            address: r.address.clone(),
            line: 0,
            values,
            change: None,
            refs: Vec::new(),
            configured: None,
            via_module: false,
        });
    }
    for c in &m.child_modules {
        state_resources(Some(c), out, depth + 1);
    }
}

/// `module.m.aws_x.y[0]` → `module.m.aws_x.y` (configuration addresses have no index).
pub fn strip_index(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0usize;
    for c in address.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Attribute references per configured resource: which attribute points at
/// which policy document data source.
#[derive(Debug, Clone, Default)]
struct Configured {
    refs: Vec<(String, String)>,
    attrs: Vec<String>,
}

fn config_refs(
    m: &ConfigModule,
    prefix: &str,
    out: &mut HashMap<String, Configured>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    for r in &m.resources {
        let mut list = Vec::new();
        let attrs: Vec<String> = r.expressions.keys().cloned().collect();
        for (attr, expr) in &r.expressions {
            let Some(refs) = expr.get("references") else {
                continue;
            };
            for target in refs.items().into_iter().filter_map(Node::as_str) {
                let parts: Vec<&str> = target.split('.').collect();
                if parts.len() >= 3 && parts[0] == "data" {
                    list.push((
                        attr.clone(),
                        format!("{prefix}{}", strip_index(&parts[..3].join("."))),
                    ));
                    break;
                }
            }
        }
        out.insert(
            format!("{prefix}{}", r.address),
            Configured { refs: list, attrs },
        );
    }
    for (name, call) in &m.module_calls {
        if let Some(inner) = &call.module {
            config_refs(inner, &format!("{prefix}module.{name}."), out, depth + 1);
        }
    }
}

/// Marks leaves that `after_unknown` says are unknown until apply.
fn merge_unknown(after: &mut Node, unk: &Node, depth: usize) {
    if depth > 128 {
        return;
    }
    match &unk.v {
        V::Bool(true) => after.v = V::Unknown,
        V::Obj(fields) => {
            if after.is_null() {
                after.v = V::Obj(Vec::new());
            }
            if let V::Obj(af) = &mut after.v {
                for (k, u) in fields {
                    if !matches!(u.v, V::Bool(true) | V::Obj(_) | V::List(_)) {
                        continue;
                    }
                    match af.iter_mut().find(|(ak, _)| ak == k) {
                        Some((_, a)) => merge_unknown(a, u, depth + 1),
                        None => {
                            let mut a = Node::new(V::Null, 0);
                            merge_unknown(&mut a, u, depth + 1);
                            af.push((k.clone(), a));
                        }
                    }
                }
            }
        }
        V::List(items) => {
            if let V::List(al) = &mut after.v {
                for (a, u) in al.iter_mut().zip(items) {
                    merge_unknown(a, u, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// Replaces values marked sensitive so they can never reach a message.
fn redact(v: &mut Node, mask: &Node, depth: usize) {
    if depth > 128 {
        return;
    }
    match &mask.v {
        V::Bool(true) if !v.is_null() && !v.is_unknown() => {
            v.v = V::Str("(sensitive value)".into());
        }
        V::Obj(fields) => {
            if let V::Obj(vf) = &mut v.v {
                for (k, m) in fields {
                    if let Some((_, x)) = vf.iter_mut().find(|(vk, _)| vk == k) {
                        redact(x, m, depth + 1);
                    }
                }
            }
        }
        V::List(items) => {
            if let V::List(vl) = &mut v.v {
                for (x, m) in vl.iter_mut().zip(items) {
                    redact(x, m, depth + 1);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert!(check_version(Some("0.1")).is_ok());
        assert!(check_version(Some("1.2")).is_ok());
        let e = check_version(Some("2.0")).unwrap_err().to_string();
        assert!(e.contains("not supported"), "{e}");
        assert!(check_version(None).is_err());
    }

    #[test]
    fn unknown_and_sensitive() {
        let p = parse(r#"{"format_version":"1.2","resource_changes":[{"address":"aws_iam_policy.p","type":"aws_iam_policy","name":"p","change":{"actions":["create"],"before":null,"after":{"name":"x","pw":"hunter2"},"after_unknown":{"policy":true},"after_sensitive":{"pw":true}}}]}"#).unwrap();
        let r = &p.resources[0];
        assert!(r.values.get("policy").unwrap().is_unknown());
        assert_eq!(
            r.values.get("pw").unwrap().as_str(),
            Some("(sensitive value)")
        );
    }

    #[test]
    fn wrong_types_and_truncation_are_clear() {
        let e = parse(r#"{"format_version":"1.0","resource_changes":{}}"#)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("resource_changes") && e.contains("line 1"),
            "{e}"
        );
        let e = parse(r#"{"format_version":"1.0","resource_changes":[{"address":"a""#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("truncated"), "{e}");
        let deep = format!(
            r#"{{"format_version":"1.0","resource_changes":[{{"address":"a","type":"t","change":{{"after":{}{}}}}}]}}"#,
            "[".repeat(300),
            "]".repeat(300)
        );
        let e = parse(&deep).unwrap_err().to_string();
        assert!(e.contains("128"), "{e}");
    }

    #[test]
    fn planned_values_only() {
        let p = parse(r#"{"format_version":"0.1","planned_values":{"root_module":{"resources":[{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","values":{"force_destroy":true}}]}}}"#).unwrap();
        assert_eq!(p.resources.len(), 1);
        assert!(p.resources[0].change.is_some());
    }

    #[test]
    fn strip() {
        assert_eq!(
            strip_index("module.m[\"a.b\"].aws_x.y[0]"),
            "module.m.aws_x.y"
        );
    }
}
