//! `guard stride init [PATH]`: a first guard YAML model drafted from the
//! repository, for the user to correct:
//! - Terraform (the infra layer's HCL parser): VPCs, subnets and security
//!   groups become trust boundaries; databases, buckets and caches data
//!   stores; load balancers, API gateways, instances, containers and
//!   functions processes;
//! - the egress allowlist (`[layers.network]` in guard.toml, built by the
//!   network layer): the hosts the agent may reach become external entities;
//! - HTTP routes in code (the owasp engine): each file serving routes
//!   becomes a process that the internet reaches.
//!
//! Every drafted element says where it came from (`source:`) and, for
//! `guard stride verify`, where its code (`code:`, the file serving the
//! routes) or infrastructure (`resources:`, the Terraform address) lives.

use crate::read::guard::{Boundary, Element, FlowDef, GuardModel, Kind};
use guard_core::walk::{decode_text, walk, WalkOptions};
use guard_infra::model::Resource;
use guard_infra::value::{Node, V};
use guard_owasp::engine::{analyze, Const, Lang, Limits, Tables};
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{0}: no such directory")]
    NoRoot(String),
    #[error("{path}: [layers.network] cannot be used: {message}")]
    Network { path: String, message: String },
}

fn el(id: &str, kind: Kind, name: &str, source: String) -> Element {
    Element {
        id: id.to_string(),
        kind,
        name: name.to_string(),
        boundary: None,
        out_of_scope: false,
        internet: false,
        encrypted_at_rest: None,
        multi_tenant: false,
        used_by_human: false,
        log_store: false,
        admin: false,
        web: false,
        custom_code: false,
        secrets_in_config: false,
        installs_updates: false,
        redundant: false,
        container: false,
        accepts: vec![],
        technologies: vec![],
        processes: vec![],
        stores: vec![],
        controls: vec![],
        tags: vec![],
        source: Some(source),
        code: vec![],
        resources: vec![],
    }
}

fn flow(from: &str, to: &str, name: &str, protocol: &str) -> FlowDef {
    FlowDef {
        id: None,
        name: name.to_string(),
        from: from.to_string(),
        to: to.to_string(),
        protocol: protocol.to_string(),
        encrypted: None,
        authentication: None,
        authorization: None,
        vpn: false,
        readonly: false,
        data: vec![],
        controls: vec![],
        tags: vec![],
    }
}

fn spanned<T>(v: T) -> Spanned<T> {
    Spanned {
        value: v,
        referenced: serde_saphyr::Location::UNKNOWN,
        defined: serde_saphyr::Location::UNKNOWN,
    }
}

fn id_of(address: &str) -> String {
    crate::model::slug(&address.replace(['.', '_'], "-"))
}

fn truthy(n: Option<&Node>) -> Option<bool> {
    match n.map(|n| &n.v) {
        Some(V::Bool(b)) => Some(*b),
        _ => None,
    }
}

/// Addresses (`aws_vpc.main`) a resource refers to.
fn refs_to(r: &Resource) -> Vec<String> {
    r.refs
        .iter()
        .map(|(_, target)| {
            let mut parts = target.split('.');
            match (parts.next(), parts.next()) {
                (Some(t), Some(n)) => format!("{t}.{n}"),
                _ => target.clone(),
            }
        })
        .collect()
}

pub fn draft(root: &Path, config: Option<&Path>) -> Result<GuardModel, InitError> {
    if !root.is_dir() {
        return Err(InitError::NoRoot(root.display().to_string()));
    }
    let files = walk(root, &WalkOptions::default());
    let mut g = GuardModel {
        title: format!(
            "Draft model of {} (made by guard stride init; review every element)",
            root.canonicalize()
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| root.display().to_string())
        ),
        ..GuardModel::default()
    };
    let mut boundaries: BTreeMap<String, Boundary> = BTreeMap::new();
    let mut elements: BTreeMap<String, Element> = BTreeMap::new();
    let mut flows: Vec<FlowDef> = Vec::new();
    let mut resources: Vec<(String, Resource)> = Vec::new();
    let tables = Tables::builtin();
    let limits = Limits::default();
    let mut route_files: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files.files {
        let Ok(bytes) = std::fs::read(&f.abs_path) else {
            continue;
        };
        let Ok(text) = decode_text(&f.rel_path, &bytes) else {
            continue;
        };
        if f.rel_path.ends_with(".tf") {
            match guard_infra::hcl::parse(&text) {
                Ok(h) => resources.extend(h.resources.into_iter().map(|r| (f.rel_path.clone(), r))),
                Err(e) => tracing::warn!("{}:{}: not read: {}", f.rel_path, e.line, e.message),
            }
        } else if let Some(lang) = Lang::from_path(&f.rel_path) {
            let Ok(a) = analyze(&f.rel_path, lang, &text, &tables, &limits, &|| false) else {
                continue;
            };
            let mut routes = BTreeSet::new();
            for func in &a.functions {
                for d in &func.decorators {
                    let dl = d.to_ascii_lowercase();
                    if dl.ends_with(".route")
                        || dl.ends_with(".get")
                        || dl.ends_with(".post")
                        || dl.ends_with(".put")
                        || dl.ends_with(".delete")
                        || dl.ends_with(".patch")
                        || dl.ends_with("mapping")
                    {
                        routes.insert(format!(
                            "{} ({}:{})",
                            func.name, f.rel_path, func.span.start_line
                        ));
                    }
                }
            }
            for c in &a.calls {
                let m = c.method.to_ascii_lowercase();
                if matches!(
                    m.as_str(),
                    "get" | "post" | "put" | "delete" | "patch" | "handlefunc" | "handle"
                ) && matches!(c.pos(0).and_then(|a| a.konst.as_ref()), Some(Const::Str(s)) if s.starts_with('/'))
                {
                    if let Some(Const::Str(s)) = c.pos(0).and_then(|a| a.konst.as_ref()) {
                        routes.insert(format!("{s} ({}:{})", f.rel_path, c.span.start_line));
                    }
                }
            }
            if !routes.is_empty() {
                route_files.insert(f.rel_path.clone(), routes);
            }
        }
    }

    // Terraform.
    let by_addr: BTreeMap<String, &Resource> = resources
        .iter()
        .map(|(_, r)| (r.address.clone(), r))
        .collect();
    for (file, r) in &resources {
        let id = id_of(&r.address);
        let src = format!("{file}:{} {}", r.line, r.address);
        let parent = refs_to(r)
            .into_iter()
            .find(|a| a.starts_with("aws_vpc.") || a.starts_with("aws_subnet."))
            .map(|a| id_of(&a));
        match r.rtype.as_str() {
            "aws_vpc" | "aws_subnet" | "aws_security_group" => {
                let kind = if r.rtype == "aws_security_group" {
                    "security-group"
                } else {
                    "network"
                };
                boundaries.insert(
                    id.clone(),
                    Boundary {
                        id,
                        name: r.address.clone(),
                        kind: kind.into(),
                        parent: parent.filter(|p| by_addr.keys().any(|a| &id_of(a) == p)),
                    },
                );
            }
            "aws_db_instance"
            | "aws_rds_cluster"
            | "aws_dynamodb_table"
            | "aws_s3_bucket"
            | "aws_elasticache_cluster"
            | "aws_elasticache_replication_group"
            | "aws_docdb_cluster"
            | "aws_efs_file_system" => {
                let mut e = el(&id, Kind::Store, &r.address, src);
                let enc =
                    truthy(r.values.get("storage_encrypted")).or(truthy(r.values.get("encrypted")));
                e.encrypted_at_rest = enc;
                e.technologies = vec![if r.rtype == "aws_s3_bucket" {
                    "object-storage".into()
                } else {
                    "database".into()
                }];
                elements.insert(id, e);
            }
            "aws_lb" | "aws_alb" | "aws_elb" => {
                let mut e = el(&id, Kind::Process, &r.address, src);
                e.technologies = vec!["load-balancer".into()];
                e.internet = truthy(r.values.get("internal")) != Some(true);
                elements.insert(id, e);
            }
            "aws_api_gateway_rest_api" | "aws_apigatewayv2_api" => {
                let mut e = el(&id, Kind::Process, &r.address, src);
                e.technologies = vec!["gateway".into()];
                e.internet = true;
                elements.insert(id, e);
            }
            "aws_instance"
            | "aws_ecs_service"
            | "aws_lambda_function"
            | "aws_eks_cluster"
            | "aws_launch_template" => {
                let mut e = el(&id, Kind::Process, &r.address, src);
                e.custom_code = true;
                elements.insert(id, e);
            }
            _ => {}
        }
    }
    // Place stores and processes in the security group / subnet they name;
    // each is scoped to the resource it was drafted from.
    for (_, r) in &resources {
        let id = id_of(&r.address);
        if let Some(e) = elements.get_mut(&id) {
            e.resources = vec![r.address.clone()];
            let mut targets = refs_to(r);
            targets.sort_by_key(|a| !a.starts_with("aws_security_group."));
            if let Some(b) = targets
                .into_iter()
                .map(|a| id_of(&a))
                .find(|b| boundaries.contains_key(b))
            {
                e.boundary = Some(b);
            }
        }
    }

    // HTTP routes.
    let has_routes = !route_files.is_empty();
    if has_routes {
        let mut users = el(
            "users",
            Kind::External,
            "Users (internet)",
            "HTTP routes in code".into(),
        );
        users.used_by_human = true;
        users.internet = true;
        elements.insert("users".into(), users);
    }
    for (file, routes) in &route_files {
        let id = format!("app-{}", crate::model::slug(file));
        let mut e = el(
            &id,
            Kind::Process,
            file,
            format!(
                "HTTP routes: {}",
                routes
                    .iter()
                    .take(5)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        e.web = true;
        e.custom_code = true;
        e.code = vec![file.clone()];
        elements.insert(id.clone(), e);
        let lb = elements
            .values()
            .find(|e| {
                e.technologies
                    .iter()
                    .any(|t| t == "load-balancer" || t == "gateway")
            })
            .map(|e| e.id.clone());
        match lb {
            Some(lb) => {
                flows.push(flow("users", &lb, "requests", "https"));
                flows.push(flow(&lb, &id, &format!("requests for {file}"), "http"));
            }
            None => flows.push(flow("users", &id, &format!("requests to {file}"), "https")),
        }
        for store in elements.values().filter(|e| e.kind == Kind::Store) {
            flows.push(flow(
                &id,
                &store.id,
                &format!("access {}", store.name),
                "unknown",
            ));
        }
    }

    // Egress allowlist.
    let cfg_path = config
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root.join("guard.toml"));
    if cfg_path.is_file() {
        let text = std::fs::read_to_string(&cfg_path).map_err(|e| InitError::Network {
            path: cfg_path.display().to_string(),
            message: e.to_string(),
        })?;
        let doc: toml::Table = toml::from_str(&text).map_err(|e| InitError::Network {
            path: cfg_path.display().to_string(),
            message: e.to_string(),
        })?;
        if let Some(net) = doc.get("layers").and_then(|l| l.get("network")) {
            let nc: guard_network::NetworkConfig =
                net.clone()
                    .try_into()
                    .map_err(|e: toml::de::Error| InitError::Network {
                        path: cfg_path.display().to_string(),
                        message: e.to_string(),
                    })?;
            let list =
                guard_network::Allowlist::build(&nc.spec()).map_err(|e| InitError::Network {
                    path: cfg_path.display().to_string(),
                    message: e.to_string(),
                })?;
            if !list.entries().is_empty() {
                let agent = el(
                    "coding-agent",
                    Kind::Process,
                    "Coding agent",
                    format!("{} [layers.network]", cfg_path.display()),
                );
                elements.insert("coding-agent".into(), agent);
            }
            for entry in list.entries().iter().filter(|e| e.required) {
                let id = format!("ext-{}", crate::model::slug(&entry.host));
                let mut e = el(
                    &id,
                    Kind::External,
                    &entry.host,
                    format!("egress allowlist: {}", entry.reason),
                );
                e.internet = true;
                elements.insert(id.clone(), e);
                flows.push(flow(
                    "coding-agent",
                    &id,
                    &format!("to {}", entry.host),
                    "https",
                ));
            }
        }
    }
    g.boundaries = boundaries.into_values().collect();
    let known: BTreeSet<&str> = g.boundaries.iter().map(|b| b.id.as_str()).collect();
    let parents_ok: Vec<bool> = g
        .boundaries
        .iter()
        .map(|b| b.parent.as_deref().is_none_or(|p| known.contains(p)))
        .collect();
    for (b, ok) in g.boundaries.iter_mut().zip(parents_ok) {
        if !ok {
            b.parent = None;
        }
    }
    g.elements = elements.into_values().map(spanned).collect();
    let mut seen = BTreeSet::new();
    g.flows = flows
        .into_iter()
        .filter(|f| seen.insert((f.from.clone(), f.to.clone(), f.name.clone())))
        .map(spanned)
        .collect();
    Ok(g)
}

/// The draft as YAML text with a header saying what to check.
pub fn to_yaml(g: &GuardModel) -> String {
    let body = serde_json::to_value(g)
        .map(|v| json_to_yaml(&v, 0))
        .unwrap_or_default();
    format!(
        "# guard stride model drafted by `guard stride init`.\n# Check every element: kinds, boundaries, which flows carry which data,\n# authentication on each flow, and add data assets (`data:`).\n# Schema: `guard schema stride-model`.\n{body}"
    )
}

fn scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => serde_json::to_string(s).unwrap_or_default(),
        other => other.to_string(),
    }
}

/// Block-style YAML for a JSON value (strings JSON-quoted, which YAML reads).
fn json_to_yaml(v: &serde_json::Value, indent: usize) -> String {
    use serde_json::Value;
    let pad = " ".repeat(indent);
    let mut out = String::new();
    match v {
        Value::Object(m) => {
            for (k, val) in m {
                match val {
                    Value::Object(o) if !o.is_empty() => {
                        out.push_str(&format!("{pad}{k}:\n{}", json_to_yaml(val, indent + 2)))
                    }
                    Value::Array(a) if !a.is_empty() => {
                        out.push_str(&format!("{pad}{k}:\n{}", json_to_yaml(val, indent + 2)))
                    }
                    Value::Array(_) => out.push_str(&format!("{pad}{k}: []\n")),
                    Value::Object(_) => out.push_str(&format!("{pad}{k}: {{}}\n")),
                    _ => out.push_str(&format!("{pad}{k}: {}\n", scalar(val))),
                }
            }
        }
        Value::Array(a) => {
            for item in a {
                match item {
                    Value::Object(_) => {
                        let inner = json_to_yaml(item, indent + 2);
                        let trimmed = inner.trim_start();
                        out.push_str(&format!("{pad}- {trimmed}"));
                    }
                    _ => out.push_str(&format!("{pad}- {}\n", scalar(item))),
                }
            }
        }
        _ => out.push_str(&format!("{pad}{}\n", scalar(v))),
    }
    out
}
