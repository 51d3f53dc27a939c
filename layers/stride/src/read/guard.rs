//! guard's compact YAML model (`schemas/stride-model.schema.json`,
//! `guard schema stride-model`). Unknown keys and unknown enum values are
//! errors with their line.

use super::ModelError;
use crate::model::{self as ir, Authn, Authz, ElementKind, Format, Model};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;
use std::collections::{BTreeSet, HashMap};

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
    let (g, shift) = parse(text).map_err(|e| {
        ModelError::at(
            file,
            e.line,
            format!(
                "{} (guard stride model; see `guard schema stride-model`)",
                e.message
            ),
        )
    })?;
    convert(g, &shift, file)
}

/// Lines of elements and flows parsed from the second half of a cut
/// document (see [`crate::yaml_split`]) count from the cut.
#[derive(Debug, Default)]
pub struct LineShift {
    elements_from: usize,
    flows_from: usize,
    by: u32,
}

impl LineShift {
    fn line<T>(&self, s: &Spanned<T>, index: usize, from: usize) -> u32 {
        let line = u32::try_from(s.referenced.line()).unwrap_or(0);
        if index >= from && line > 0 {
            line + self.by
        } else {
            line
        }
    }
}

/// The model lines of every element, then of every flow.
pub fn entry_lines(g: &GuardModel, shift: &LineShift) -> Vec<u32> {
    let elements = g.elements.iter().enumerate();
    let flows = g.flows.iter().enumerate();
    elements
        .map(|(i, e)| shift.line(e, i, shift.elements_from))
        .chain(flows.map(|(i, f)| shift.line(f, i, shift.flows_from)))
        .collect()
}

/// A large document is parsed in two halves on two threads when it can be
/// cut safely; any error is reported by parsing it whole.
fn parse(text: &str) -> Result<(GuardModel, LineShift), crate::yaml::YamlError> {
    parse_cut_from(text, crate::yaml_split::MIN_BYTES)
}

/// How [`read`] parses, cutting documents of at least `min_bytes` (tests and fuzzing
/// cut small ones).
pub fn parse_cut_from(
    text: &str,
    min_bytes: usize,
) -> Result<(GuardModel, LineShift), crate::yaml::YamlError> {
    if let Some(cut) = crate::yaml_split::split_from(text, min_bytes) {
        let (first, second) = std::thread::scope(|s| {
            let second = s.spawn(|| crate::yaml::parse_typed::<GuardModel>(&cut.second));
            let first = crate::yaml::parse_typed::<GuardModel>(cut.first);
            (first, second.join())
        });
        if let (Ok(mut a), Ok(Ok(b))) = (first, second) {
            let shift = LineShift {
                elements_from: a.elements.len(),
                flows_from: a.flows.len(),
                by: cut.line_shift,
            };
            // Each key is written once (the cut checks), so every field but
            // the cut sequence is empty in one of the halves.
            if a.title.is_empty() {
                a.title = b.title;
            }
            a.data.extend(b.data);
            a.boundaries.extend(b.boundaries);
            a.elements.extend(b.elements);
            a.flows.extend(b.flows);
            a.tracking.extend(b.tracking);
            return Ok((a, shift));
        }
    }
    Ok((crate::yaml::parse_typed(text)?, LineShift::default()))
}

/// The model in guard's IR; the parsed file is consumed (its strings move).
pub fn convert(g: GuardModel, shift: &LineShift, file: &str) -> Result<Model, ModelError> {
    let mut m = Model::new(Format::Guard, file);
    m.title = g.title;
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
    let mut el_lines: HashMap<String, u32> = HashMap::with_capacity(g.elements.len());
    for (i, se) in g.elements.into_iter().enumerate() {
        let line = shift.line(&se, i, shift.elements_from);
        let mut e = se.value;
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
        e.accepts.iter_mut().for_each(|s| s.make_ascii_lowercase());
        e.technologies
            .iter_mut()
            .for_each(|s| s.make_ascii_lowercase());
        m.elements.push(ir::Element {
            name: if e.name.is_empty() {
                e.id.clone()
            } else {
                e.name
            },
            id: e.id,
            kind: match e.kind {
                Kind::External => ElementKind::External,
                Kind::Process => ElementKind::Process,
                Kind::Store => ElementKind::Store,
            },
            boundary: e.boundary,
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
                accepts: e.accepts.into_iter().collect(),
                technologies: e.technologies.into_iter().collect(),
                secrets_in_config: e.secrets_in_config,
                installs_updates: e.installs_updates,
                redundant: e.redundant,
                container: e.container,
                confidentiality: 0,
                integrity: 0,
                availability: 0,
                controls,
                tags: e.tags.into_iter().collect(),
                scope: ir::ElementScope {
                    code: e.code,
                    resources: e.resources,
                },
            },
            data_processed: e.processes.into_iter().collect(),
            data_stored: e.stores.into_iter().collect(),
        });
    }
    let mut flow_ids: HashMap<String, u32> = HashMap::with_capacity(g.flows.len());
    for (i, sf) in g.flows.into_iter().enumerate() {
        let line = shift.line(&sf, i, shift.flows_from);
        let mut f = sf.value;
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
            std::mem::take(&mut f.name)
        };
        let id =
            f.id.take()
                .unwrap_or_else(|| format!("{}>{}", f.from, ir::slug(&name)));
        if let Some(prev) = flow_ids.insert(id.clone(), line) {
            return Err(ModelError::at(file, line, format!("duplicate flow id `{id}` (first at line {prev}); give one of them an `id` or a different `name`")));
        }
        let controls = check_controls(&f.controls, file, line, &format!("{} -> {}", f.from, f.to))?;
        let mut protocol = f.protocol;
        protocol.make_ascii_lowercase();
        let local = super::threagile::protocol_local(&protocol);
        let mut tags: BTreeSet<String> = f.tags.into_iter().collect();
        if local {
            tags.insert("local".into());
        }
        m.flows.push(ir::Flow {
            id,
            name,
            from: f.from,
            to: f.to,
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
            data: f.data.into_iter().collect(),
            crosses: Vec::new(),
            line,
            out_of_scope: false,
            controls,
            tags,
        });
    }
    for t in g.tracking {
        m.tracking.push(ir::Tracking {
            key: t.threat,
            status: match t.status {
                Status::Unchecked => ir::TrackStatus::Unchecked,
                Status::InDiscussion => ir::TrackStatus::InDiscussion,
                Status::InProgress => ir::TrackStatus::InProgress,
                Status::Accepted => ir::TrackStatus::Accepted,
                Status::Mitigated => ir::TrackStatus::Mitigated,
                Status::FalsePositive => ir::TrackStatus::FalsePositive,
            },
            justification: t.justification,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn model(n: usize) -> String {
        let mut s =
            String::from("title: cut\ndata:\n  - {id: d0}\nboundaries:\n  - {id: b0}\nelements:\n");
        for i in 0..n {
            s.push_str(&format!(
                "  - id: e{i}\n    kind: process\n    boundary: b0\n    tags: [x]\n"
            ));
        }
        s.push_str("flows:\n");
        for i in 1..n {
            s.push_str(&format!("  - {{from: e{}, to: e{i}, data: [d0]}}\n", i - 1));
        }
        s.push_str("tracking:\n  - {threat: '*', status: accepted}\n");
        s
    }

    /// Reads `text` whole and cut (whatever its size): same model, same
    /// line for every entry. Returns the cut's line shift.
    fn assert_cut_reads_as_whole(text: &str) -> LineShift {
        let whole: GuardModel = crate::yaml::parse_typed(text).expect("whole");
        let (cut, shift) = parse_cut_from(text, 0).expect("cut");
        assert_eq!(
            serde_json::to_string(&whole).expect("json"),
            serde_json::to_string(&cut).expect("json")
        );
        assert_eq!(
            entry_lines(&whole, &LineShift::default()),
            entry_lines(&cut, &shift)
        );
        shift
    }

    /// The model and every entry's line are the same whether the document
    /// is parsed whole or in two halves.
    #[test]
    fn halves_read_as_the_whole() {
        for text in [model(40), model(400)] {
            let shift = assert_cut_reads_as_whole(&text);
            assert!(shift.by > 0, "the test document is cut");
        }
    }

    /// An error in either half is reported with its line in the whole
    /// document.
    #[test]
    fn errors_are_found_in_the_whole() {
        let text = model(400).replace(
            "  - id: e350\n    kind: process",
            "  - id: e350\n    kind: robot",
        );
        let line = text
            .lines()
            .position(|l| l.contains("kind: robot"))
            .expect("line") as u32
            + 1;
        let e = parse_cut_from(&text, 0).expect_err("unknown kind");
        assert_eq!(e.line, line, "{}", e.message);
    }

    /// A line that looks like an entry inside a quoted scalar is never
    /// taken for one: the first half does not parse and the whole is read.
    #[test]
    fn a_cut_inside_a_quoted_scalar_reads_the_whole() {
        let mut cut_inside = 0;
        for k in 0..40 {
            let text = model(40).replace(
                &format!("  - id: e{k}\n"),
                &format!("  - id: e{k}\n    name: \"a\n  - b\"\n"),
            );
            if crate::yaml_split::split_from(&text, 0)
                .is_some_and(|c| c.second.starts_with("elements:\n  - b"))
            {
                cut_inside += 1;
            }
            assert_cut_reads_as_whole(&text);
        }
        assert!(cut_inside > 0, "some document is cut inside the scalar");
    }
}
