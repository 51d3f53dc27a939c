//! guard's compact YAML model (`schemas/stride-model.schema.json`,
//! `guard schema stride-model`). Unknown keys and unknown enum values are
//! errors with their line.

use super::ModelError;
use crate::model::{self as ir, Authn, Authz, ElementKind, Format, Model};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, BTreeSet};

/// A system model for `guard stride`: elements, the data flows between
/// them, trust boundaries, data assets, and the tracking of known threats.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GuardModel {
    /// What is modelled.
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub data: Vec<DataAsset>,
    #[serde(default)]
    pub boundaries: Vec<Boundary>,
    #[serde(default)]
    #[schemars(with = "Vec<Element>")]
    #[serde(serialize_with = "ser_spanned_vec")]
    pub elements: Vec<Spanned<Element>>,
    #[serde(default)]
    #[schemars(with = "Vec<FlowDef>")]
    #[serde(serialize_with = "ser_spanned_vec")]
    pub flows: Vec<Spanned<FlowDef>>,
    /// Decisions about threats: a threat id (`T-…`), `RULE@element` or
    /// `RULE@flow`, `*` matching any one part.
    #[serde(default)]
    pub tracking: Vec<TrackingEntry>,
}

fn ser_spanned_vec<S: serde::Serializer, T: Serialize>(
    v: &[Spanned<T>],
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(v.len()))?;
    for x in v {
        seq.serialize_element(&x.value)?;
    }
    seq.end()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Sensitivity {
    #[default]
    Public,
    Internal,
    Restricted,
    Confidential,
    StrictlyConfidential,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Criticality {
    #[default]
    Archive,
    Operational,
    Important,
    Critical,
    MissionCritical,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataAsset {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub confidentiality: Sensitivity,
    #[serde(default)]
    pub integrity: Criticality,
    #[serde(default)]
    pub availability: Criticality,
    /// Passwords, tokens, keys.
    #[serde(default)]
    pub credentials: bool,
    /// Personal data.
    #[serde(default)]
    pub pii: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Boundary {
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// network, execution, logical, ...
    #[serde(default = "default_boundary_kind")]
    pub kind: String,
    /// The boundary this one lies in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

fn default_boundary_kind() -> String {
    "network".into()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    External,
    Process,
    Store,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Element {
    pub id: String,
    pub kind: Kind,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundary: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub out_of_scope: bool,
    /// Reachable from the internet.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub internet: bool,
    /// Stores: encrypted at rest (absent: unknown, treated as not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted_at_rest: Option<bool>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub multi_tenant: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub used_by_human: bool,
    /// Stores: keeps logs or audit records.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub log_store: bool,
    /// An administration interface.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub admin: bool,
    /// Serves web pages to browsers.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub web: bool,
    /// Runs code the team writes.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub custom_code: bool,
    /// Keeps secrets in configuration files or environment variables.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub secrets_in_config: bool,
    /// Installs code or updates it receives (CI runner, agent, client).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub installs_updates: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub redundant: bool,
    /// Runs in a container.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub container: bool,
    /// Input formats it parses: json, xml, serialization, file, csv, yaml,
    /// sql, ldap, shell, template.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accepts: Vec<String>,
    /// Technology names, e.g. web-server, database, vault, ci-cd.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub technologies: Vec<String>,
    /// Data asset ids processed here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub processes: Vec<String>,
    /// Data asset ids stored here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stores: Vec<String>,
    /// Mitigation ids claimed as built (checked by `guard stride verify`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Where a drafted element came from (`guard stride init`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Where the element's code lives, for `guard stride verify`: paths or
    /// globs relative to the verified root (`services/api/**`, `src/api.py`;
    /// a path without glob characters also covers everything under it).
    /// Only evidence there counts for this element's threats.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub code: Vec<String>,
    /// Its infrastructure, as Terraform addresses (`aws_db_instance.main`,
    /// `module.db.*`; `*` matches any run of characters).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Authentication {
    None,
    Credentials,
    SessionId,
    Token,
    ClientCertificate,
    TwoFactor,
    Externalized,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Authorization {
    None,
    TechnicalUser,
    EndUser,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowDef {
    /// Defaults to `from>slug(name)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default)]
    pub name: String,
    pub from: String,
    pub to: String,
    /// https, http, grpc, grpcs, sql, sql-encrypted, ssh, ...
    #[serde(default = "default_protocol")]
    pub protocol: String,
    /// Defaults to what the protocol implies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication: Option<Authentication>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<Authorization>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub vpn: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub readonly: bool,
    /// Data asset ids carried.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

fn default_protocol() -> String {
    "unknown".into()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Unchecked,
    InDiscussion,
    InProgress,
    Accepted,
    Mitigated,
    FalsePositive,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackingEntry {
    pub threat: String,
    pub status: Status,
    #[serde(default)]
    pub justification: String,
}

/// Protocol names guard counts as encrypted in transit.
pub fn protocol_encrypted(p: &str) -> bool {
    super::threagile::protocol_encrypted(p)
        || matches!(
            p,
            "grpcs" | "tls" | "mtls" | "amqps" | "mqtts" | "smtps" | "imaps" | "kafka-tls"
        )
}

pub fn read(text: &str, file: &str) -> Result<Model, ModelError> {
    let g: GuardModel = crate::yaml::parse_typed(text).map_err(|e| {
        ModelError::at(
            file,
            e.line,
            format!(
                "{} (guard stride model; see `guard schema stride-model`)",
                e.message
            ),
        )
    })?;
    convert(&g, file)
}

fn line_of<T>(s: &Spanned<T>) -> u32 {
    u32::try_from(s.referenced.line()).unwrap_or(0)
}

pub fn convert(g: &GuardModel, file: &str) -> Result<Model, ModelError> {
    let mut m = Model::new(Format::Guard, file);
    m.title = g.title.clone();
    let mut data_ids = BTreeSet::new();
    for d in &g.data {
        if !data_ids.insert(d.id.clone()) {
            return Err(ModelError::file(
                file,
                format!("duplicate data asset id `{}`", d.id),
            ));
        }
        m.data.push(ir::DataAsset {
            id: d.id.clone(),
            name: if d.name.is_empty() {
                d.id.clone()
            } else {
                d.name.clone()
            },
            confidentiality: d.confidentiality as u8,
            integrity: d.integrity as u8,
            availability: d.availability as u8,
            credentials: d.credentials,
            pii: d.pii,
            line: 0,
        });
    }
    let b_ids: BTreeSet<&str> = g.boundaries.iter().map(|b| b.id.as_str()).collect();
    for b in &g.boundaries {
        if let Some(p) = &b.parent {
            if !b_ids.contains(p.as_str()) {
                return Err(ModelError::file(
                    file,
                    format!(
                        "boundary `{}`: parent `{p}` is not the id of any boundary",
                        b.id
                    ),
                ));
            }
        }
        m.boundaries.push(ir::Boundary {
            id: b.id.clone(),
            name: if b.name.is_empty() {
                b.id.clone()
            } else {
                b.name.clone()
            },
            kind: b.kind.clone(),
            parent: b.parent.clone(),
            line: 0,
        });
    }
    for b in &m.boundaries {
        let chain = m.chain(Some(&b.id));
        if chain.len() > 1
            && chain.last().is_some_and(|l| {
                m.boundaries
                    .iter()
                    .any(|x| &x.id == l && x.parent.is_some())
            })
        {
            return Err(ModelError::file(
                file,
                format!("boundary `{}` is nested in itself", b.id),
            ));
        }
    }
    let mut el_lines: BTreeMap<String, u32> = BTreeMap::new();
    for se in &g.elements {
        let e = &se.value;
        let line = line_of(se);
        if let Some(prev) = el_lines.insert(e.id.clone(), line) {
            return Err(ModelError::at(
                file,
                line,
                format!("duplicate element id `{}` (first at line {prev})", e.id),
            ));
        }
        if let Some(b) = &e.boundary {
            if !b_ids.contains(b.as_str()) {
                return Err(ModelError::at(
                    file,
                    line,
                    format!(
                        "element `{}`: boundary `{b}` is not the id of any boundary",
                        e.id
                    ),
                ));
            }
        }
        for d in e.processes.iter().chain(&e.stores) {
            if !data_ids.contains(d) {
                return Err(ModelError::at(
                    file,
                    line,
                    format!(
                        "element `{}`: data `{d}` is not the id of any data asset",
                        e.id
                    ),
                ));
            }
        }
        let controls = check_controls(&e.controls, file, line, &e.id)?;
        for p in &e.code {
            crate::scope::check_code_pattern(p)
                .map_err(|m| ModelError::at(file, line, format!("element `{}`: {m}", e.id)))?;
        }
        for p in &e.resources {
            crate::scope::check_resource_pattern(p)
                .map_err(|m| ModelError::at(file, line, format!("element `{}`: {m}", e.id)))?;
        }
        m.elements.push(ir::Element {
            id: e.id.clone(),
            name: if e.name.is_empty() {
                e.id.clone()
            } else {
                e.name.clone()
            },
            kind: match e.kind {
                Kind::External => ElementKind::External,
                Kind::Process => ElementKind::Process,
                Kind::Store => ElementKind::Store,
            },
            boundary: e.boundary.clone(),
            line,
            out_of_scope: e.out_of_scope,
            attrs: ir::ElementAttrs {
                internet: e.internet,
                encrypted_at_rest: e.encrypted_at_rest,
                multi_tenant: e.multi_tenant,
                used_by_human: e.used_by_human,
                is_log_store: e.log_store,
                admin: e.admin,
                web_app: e.web,
                custom_code: e.custom_code,
                accepts: e.accepts.iter().map(|s| s.to_ascii_lowercase()).collect(),
                technologies: e
                    .technologies
                    .iter()
                    .map(|s| s.to_ascii_lowercase())
                    .collect(),
                secrets_in_config: e.secrets_in_config,
                installs_updates: e.installs_updates,
                redundant: e.redundant,
                container: e.container,
                confidentiality: 0,
                integrity: 0,
                availability: 0,
                controls,
                tags: e.tags.iter().cloned().collect(),
                scope: ir::ElementScope {
                    code: e.code.clone(),
                    resources: e.resources.clone(),
                },
            },
            data_processed: e.processes.iter().cloned().collect(),
            data_stored: e.stores.iter().cloned().collect(),
        });
    }
    let mut flow_ids: BTreeMap<String, u32> = BTreeMap::new();
    for sf in &g.flows {
        let f = &sf.value;
        let line = line_of(sf);
        for (end, which) in [(&f.from, "from"), (&f.to, "to")] {
            if !el_lines.contains_key(end) {
                return Err(ModelError::at(
                    file,
                    line,
                    format!(
                        "flow `{}` -> `{}`: `{which}` names `{end}`, which is not the id of any element",
                        f.from, f.to
                    ),
                ));
            }
        }
        for d in &f.data {
            if !data_ids.contains(d) {
                return Err(ModelError::at(
                    file,
                    line,
                    format!(
                        "flow `{}` -> `{}`: data `{d}` is not the id of any data asset",
                        f.from, f.to
                    ),
                ));
            }
        }
        let name = if f.name.is_empty() {
            format!("{} to {}", f.from, f.to)
        } else {
            f.name.clone()
        };
        let id =
            f.id.clone()
                .unwrap_or_else(|| format!("{}>{}", f.from, ir::slug(&name)));
        if let Some(prev) = flow_ids.insert(id.clone(), line) {
            return Err(ModelError::at(file, line, format!("duplicate flow id `{id}` (first at line {prev}); give one of them an `id` or a different `name`")));
        }
        let protocol = f.protocol.to_ascii_lowercase();
        let local = super::threagile::protocol_local(&protocol);
        let mut tags: BTreeSet<String> = f.tags.iter().cloned().collect();
        if local {
            tags.insert("local".into());
        }
        m.flows.push(ir::Flow {
            id,
            name,
            from: f.from.clone(),
            to: f.to.clone(),
            encrypted: Some(
                f.encrypted
                    .unwrap_or(protocol_encrypted(&protocol) || local),
            ),
            protocol,
            authn: match f.authentication {
                None => Authn::Unknown,
                Some(Authentication::None) => Authn::None,
                Some(Authentication::Credentials) => Authn::Credentials,
                Some(Authentication::SessionId) => Authn::SessionId,
                Some(Authentication::Token) => Authn::Token,
                Some(Authentication::ClientCertificate) => Authn::ClientCertificate,
                Some(Authentication::TwoFactor) => Authn::TwoFactor,
                Some(Authentication::Externalized) => Authn::Externalized,
            },
            authz: match f.authorization {
                None => Authz::Unknown,
                Some(Authorization::None) => Authz::None,
                Some(Authorization::TechnicalUser) => Authz::TechnicalUser,
                Some(Authorization::EndUser) => Authz::EndUser,
            },
            vpn: f.vpn,
            readonly: f.readonly,
            data: f.data.iter().cloned().collect(),
            crosses: Vec::new(),
            line,
            out_of_scope: false,
            controls: check_controls(&f.controls, file, line, &format!("{} -> {}", f.from, f.to))?,
            tags,
        });
    }
    for t in &g.tracking {
        m.tracking.push(ir::Tracking {
            key: t.threat.clone(),
            status: match t.status {
                Status::Unchecked => ir::TrackStatus::Unchecked,
                Status::InDiscussion => ir::TrackStatus::InDiscussion,
                Status::InProgress => ir::TrackStatus::InProgress,
                Status::Accepted => ir::TrackStatus::Accepted,
                Status::Mitigated => ir::TrackStatus::Mitigated,
                Status::FalsePositive => ir::TrackStatus::FalsePositive,
            },
            justification: t.justification.clone(),
            line: 0,
        });
    }
    Ok(m)
}

fn check_controls(
    controls: &[String],
    file: &str,
    line: u32,
    owner: &str,
) -> Result<BTreeSet<String>, ModelError> {
    let mut out = BTreeSet::new();
    for c in controls {
        if crate::mitigations::mitigation(c).is_none() {
            return Err(ModelError::at(
                file,
                line,
                format!(
                    "`{owner}`: unknown control `{c}`; expected a mitigation id ({})",
                    crate::mitigations::MITIGATIONS
                        .iter()
                        .map(|m| m.id)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        out.insert(c.clone());
    }
    Ok(out)
}

/// The JSON Schema of the guard model.
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(GuardModel)).unwrap_or_default()
}
