//! Threagile YAML (v1 `stable` and `master` layouts): data assets,
//! technical assets with their communication links, trust boundaries,
//! shared runtimes, risk tracking, `includes`. Anchors and merge keys are
//! resolved by the YAML parser.
//!
//! `includes` are read relative to the including file and must stay inside
//! its folder; a cycle or more than [`MAX_INCLUDE_DEPTH`] levels is an error.

use super::{unknown_keys, ModelError, Y};
use crate::model::*;
use crate::yaml::YNode;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub const MAX_INCLUDE_DEPTH: usize = 8;

const TOP_KEYS: &[&str] = &[
    "threagile_version",
    "includes",
    "title",
    "date",
    "author",
    "contributors",
    "management_summary_comment",
    "business_criticality",
    "application_description",
    "business_overview",
    "technical_overview",
    "questions",
    "abuse_cases",
    "security_requirements",
    "tags_available",
    "data_assets",
    "technical_assets",
    "trust_boundaries",
    "shared_runtimes",
    "individual_risk_categories",
    "custom_risk_categories",
    "risk_tracking",
    "diagram_tweak_nodesep",
    "diagram_tweak_ranksep",
    "diagram_tweak_edge_layout",
    "diagram_tweak_suppress_edge_labels",
    "diagram_tweak_layout_left_to_right",
    "diagram_tweak_invisible_connections_between_assets",
    "diagram_tweak_same_rank_assets",
];

const DATA_KEYS: &[&str] = &[
    "id",
    "description",
    "usage",
    "tags",
    "origin",
    "owner",
    "quantity",
    "confidentiality",
    "integrity",
    "availability",
    "justification_cia_rating",
];

const ASSET_KEYS: &[&str] = &[
    "id",
    "description",
    "type",
    "usage",
    "used_as_client_by_human",
    "out_of_scope",
    "justification_out_of_scope",
    "size",
    "technology",
    "technologies",
    "tags",
    "internet",
    "machine",
    "encryption",
    "owner",
    "confidentiality",
    "integrity",
    "availability",
    "justification_cia_rating",
    "multi_tenant",
    "redundant",
    "custom_developed_parts",
    "data_assets_processed",
    "data_assets_stored",
    "data_formats_accepted",
    "communication_links",
    "diagram_tweak_order",
];

const LINK_KEYS: &[&str] = &[
    "target",
    "description",
    "protocol",
    "authentication",
    "authorization",
    "tags",
    "vpn",
    "ip_filtered",
    "readonly",
    "usage",
    "data_assets_sent",
    "data_assets_received",
    "diagram_tweak_weight",
    "diagram_tweak_constraint",
];

const BOUNDARY_KEYS: &[&str] = &[
    "id",
    "description",
    "type",
    "tags",
    "technical_assets_inside",
    "trust_boundaries_nested",
];

const CONF: &[&str] = &[
    "public",
    "internal",
    "restricted",
    "confidential",
    "strictly-confidential",
];
const CRIT: &[&str] = &[
    "archive",
    "operational",
    "important",
    "critical",
    "mission-critical",
];
const ENCRYPTION: &[&str] = &[
    "none",
    "transparent",
    "data-with-symmetric-shared-key",
    "data-with-asymmetric-shared-key",
    "data-with-end-user-individual-key",
];
const AUTHN: &[&str] = &[
    "none",
    "credentials",
    "session-id",
    "token",
    "client-certificate",
    "two-factor",
    "externalized",
];
const AUTHZ: &[&str] = &["none", "technical-user", "end-user-identity-propagation"];
const ASSET_TYPES: &[&str] = &["external-entity", "process", "datastore"];
const BOUNDARY_TYPES: &[&str] = &[
    "network-on-prem",
    "network-dedicated-hoster",
    "network-virtual-lan",
    "network-cloud-provider",
    "network-cloud-security-group",
    "network-policy-namespace-isolation",
    "execution-environment",
];

/// Protocols Threagile counts as encrypted.
pub fn protocol_encrypted(p: &str) -> bool {
    matches!(
        p,
        "https"
            | "wss"
            | "ssh"
            | "ssh-tunnel"
            | "ftps"
            | "sftp"
            | "scp"
            | "ldaps"
            | "reverse-proxy-web-protocol-encrypted"
    ) || p.ends_with("-encrypted")
}

/// Protocols that never leave the host.
pub fn protocol_local(p: &str) -> bool {
    matches!(
        p,
        "in-process-library-call"
            | "inter-process-communication"
            | "local-file-access"
            | "container-spawning"
    )
}

fn level(v: Option<String>, scale: &[&str]) -> Level {
    v.and_then(|s| scale.iter().position(|x| *x == s))
        .map_or(0, |p| p as Level)
}

/// Loads the main file's includes (from disk) into one merged tree, then
/// reads it.
pub fn read(path: &Path, file: &str, root: YNode) -> Result<Model, ModelError> {
    read_from(path, file, root, &super::Disk)
}

/// [`read`] with the includes read through `src`, as the main file was.
pub fn read_from(
    path: &Path,
    file: &str,
    root: YNode,
    src: &dyn super::FileSource,
) -> Result<Model, ModelError> {
    let mut stack = Vec::new();
    if let Ok(c) = src.canonical(path) {
        stack.push(c);
    }
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let merged = with_includes(root, &base, file, &mut stack, src)?;
    read_tree(&merged, file)
}

fn with_includes(
    mut root: YNode,
    base: &Path,
    file: &str,
    stack: &mut Vec<PathBuf>,
    src: &dyn super::FileSource,
) -> Result<YNode, ModelError> {
    let y = Y { file };
    let includes = y.str_list(&root, "includes")?;
    if includes.is_empty() {
        return Ok(root);
    }
    if stack.len() > MAX_INCLUDE_DEPTH {
        return Err(ModelError::file(
            file,
            format!("includes nested deeper than {MAX_INCLUDE_DEPTH} levels"),
        ));
    }
    let confine = src.canonical(base).unwrap_or_else(|_| base.to_path_buf());
    for (inc, line) in includes {
        let p = base.join(&inc);
        let canon = src.canonical(&p).map_err(|e| {
            ModelError::at(file, line, format!("include `{inc}` cannot be read: {e}"))
        })?;
        if !canon.starts_with(&confine) {
            return Err(ModelError::at(
                file,
                line,
                format!("include `{inc}` lies outside the model's folder"),
            ));
        }
        if stack.contains(&canon) {
            let chain: Vec<String> = stack
                .iter()
                .chain(std::iter::once(&canon))
                .map(|p| {
                    p.file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into())
                })
                .collect();
            return Err(ModelError::at(
                file,
                line,
                format!("cyclic include: {}", chain.join(" -> ")),
            ));
        }
        let shown = format!("{file} (include {inc})");
        let text = src.read_text(&canon).map_err(|m| {
            ModelError::at(file, line, format!("include `{inc}` cannot be read: {m}"))
        })?;
        let sub = crate::yaml::parse(&text)
            .map_err(|e| ModelError::at(&shown, e.line, format!("invalid YAML: {}", e.message)))?;
        stack.push(canon.clone());
        let sub_base = canon.parent().map(Path::to_path_buf).unwrap_or_default();
        let sub = with_includes(sub, &sub_base, &shown, stack, src)?;
        stack.pop();
        merge_into(&mut root, sub);
    }
    Ok(root)
}

/// Key-by-key merge: mappings are united (the including file wins on the
/// same key), other values are taken only where the including file has none.
fn merge_into(root: &mut YNode, sub: YNode) {
    use crate::yaml::YVal;
    let (YVal::Map(mine), YVal::Map(theirs)) = (&mut root.v, sub.v) else {
        return;
    };
    for (k, line, v) in theirs {
        if k == "includes" {
            continue;
        }
        match mine.iter_mut().find(|(mk, _, _)| *mk == k) {
            None => mine.push((k, line, v)),
            Some((_, _, existing)) => {
                if let (YVal::Map(a), YVal::Map(b)) = (&mut existing.v, v.v) {
                    for (bk, bl, bv) in b {
                        if !a.iter().any(|(ak, _, _)| *ak == bk) {
                            a.push((bk, bl, bv));
                        }
                    }
                } else if existing.is_null() {
                    // Keep the including file's explicit null.
                }
            }
        }
    }
}

fn read_tree(root: &YNode, file: &str) -> Result<Model, ModelError> {
    let y = Y { file };
    let mut m = Model::new(Format::Threagile, file);
    let mut tg = ThreagileInfo::default();
    unknown_keys(root, TOP_KEYS, "top level", &mut m.warnings);
    m.title = y.opt_str(root, "title")?.unwrap_or_default();

    // Data assets.
    let mut data_ids: BTreeMap<String, u32> = BTreeMap::new();
    if let Some(d) = root.get("data_assets") {
        for (title, line, n) in y.map(d, "data_assets")? {
            let owner = format!("data asset `{title}`");
            y.map(n, &owner)?;
            unknown_keys(n, DATA_KEYS, &owner, &mut m.warnings);
            let id = y.req_str(n, "id", &owner)?;
            check_id(&y, &id, *line)?;
            if let Some(prev) = data_ids.insert(id.clone(), *line) {
                return Err(y.err(
                    *line,
                    format!("duplicate data asset id `{id}` (first at line {prev})"),
                ));
            }
            let tags: BTreeSet<String> = y.str_list(n, "tags")?.into_iter().map(|t| t.0).collect();
            let quantity = match y
                .enum_val(n, "quantity", &["very-few", "few", "many", "very-many"])?
                .as_deref()
            {
                Some("few") => 2,
                Some("many") => 3,
                Some("very-many") => 5,
                _ => 1,
            };
            tg.quantity.insert(id.clone(), quantity);
            let words = format!("{id} {title}").to_ascii_lowercase();
            let credentials = tags
                .iter()
                .any(|t| t.contains("credential") || t.contains("secret"))
                || ["credential", "password", "secret", "api-key", "token"]
                    .iter()
                    .any(|w| words.contains(w));
            m.data.push(DataAsset {
                id,
                name: title.clone(),
                confidentiality: level(y.enum_val(n, "confidentiality", CONF)?, CONF),
                integrity: level(y.enum_val(n, "integrity", CRIT)?, CRIT),
                availability: level(y.enum_val(n, "availability", CRIT)?, CRIT),
                credentials,
                pii: tags.iter().any(|t| t.contains("pii")),
                line: *line,
            });
        }
    }

    // Technical assets and their links.
    let mut asset_lines: BTreeMap<String, u32> = BTreeMap::new();
    let mut links: Vec<(String, String, u32, YNode)> = Vec::new();
    if let Some(t) = root.get("technical_assets") {
        for (title, line, n) in y.map(t, "technical_assets")? {
            let owner = format!("technical asset `{title}`");
            y.map(n, &owner)?;
            unknown_keys(n, ASSET_KEYS, &owner, &mut m.warnings);
            let id = y.req_str(n, "id", &owner)?;
            check_id(&y, &id, *line)?;
            if let Some(prev) = asset_lines.insert(id.clone(), *line) {
                return Err(y.err(
                    *line,
                    format!("duplicate technical asset id `{id}` (first at line {prev})"),
                ));
            }
            let kind = match y.enum_val(n, "type", ASSET_TYPES)?.as_deref() {
                Some("external-entity") => ElementKind::External,
                Some("datastore") => ElementKind::Store,
                Some(_) => ElementKind::Process,
                None => {
                    return Err(y.err(
                        *line,
                        format!(
                            "{owner}: missing required `type` (one of {})",
                            ASSET_TYPES.join(", ")
                        ),
                    ))
                }
            };
            let mut techs: BTreeSet<String> = BTreeSet::new();
            if let Some(t) = y.opt_str(n, "technology")? {
                techs.insert(t.to_ascii_lowercase());
            }
            for (t, _) in y.str_list(n, "technologies")? {
                techs.insert(t.to_ascii_lowercase());
            }
            let tags: BTreeSet<String> = y.str_list(n, "tags")?.into_iter().map(|t| t.0).collect();
            let enc = y.enum_val(n, "encryption", ENCRYPTION)?;
            let usage = y
                .opt_str(n, "usage")?
                .unwrap_or_default()
                .to_ascii_lowercase();
            let machine = y
                .opt_str(n, "machine")?
                .unwrap_or_default()
                .to_ascii_lowercase();
            let accepts: BTreeSet<String> = y
                .str_list(n, "data_formats_accepted")?
                .into_iter()
                .map(|t| t.0.to_ascii_lowercase())
                .collect();
            let has = |names: &[&str]| techs.iter().any(|t| names.contains(&t.as_str()));
            let attrs = ElementAttrs {
                internet: y.bool(n, "internet")?,
                encrypted_at_rest: enc.as_deref().map(|e| e != "none"),
                multi_tenant: y.bool(n, "multi_tenant")?,
                used_by_human: y.bool(n, "used_as_client_by_human")?,
                is_log_store: has(&["log-server", "siem", "monitoring"])
                    || tags.iter().any(|t| t.contains("log")),
                admin: usage == "devops" || tags.iter().any(|t| t.contains("admin")),
                web_app: has(&[
                    "web-server",
                    "web-application",
                    "application-server",
                    "cms",
                    "erp",
                    "web-service-rest",
                    "web-service-soap",
                    "reverse-proxy",
                    "identity-provider",
                    "load-balancer",
                    "gateway",
                    "waf",
                ]),
                custom_code: y.bool(n, "custom_developed_parts")?,
                accepts,
                technologies: techs.clone(),
                secrets_in_config: tags.iter().any(|t| t.contains("secret")),
                installs_updates: has(&[
                    "build-pipeline",
                    "artifact-registry",
                    "sourcecode-repository",
                    "devops-client",
                    "ide",
                    "code-inspection-platform",
                ]),
                redundant: y.bool(n, "redundant")?,
                container: machine == "container",
                confidentiality: level(y.enum_val(n, "confidentiality", CONF)?, CONF),
                integrity: level(y.enum_val(n, "integrity", CRIT)?, CRIT),
                availability: level(y.enum_val(n, "availability", CRIT)?, CRIT),
                controls: BTreeSet::new(),
                tags,
                scope: Default::default(),
            };
            let data_processed = refs(
                &y,
                n,
                "data_assets_processed",
                &data_ids,
                &owner,
                "data asset",
            )?;
            let data_stored = refs(&y, n, "data_assets_stored", &data_ids, &owner, "data asset")?;
            let stored_list: Vec<String> = y
                .str_list(n, "data_assets_stored")?
                .into_iter()
                .map(|d| d.0)
                .collect();
            let mut processed_list = stored_list.clone();
            for (d, _) in y.str_list(n, "data_assets_processed")? {
                if !processed_list.contains(&d) {
                    processed_list.push(d);
                }
            }
            let (canon, tattrs, unknown) = crate::tech::resolve(techs.iter().map(String::as_str));
            for u in &unknown {
                m.warnings.push(Warning {
                    line: *line,
                    message: format!("{owner}: technology `{u}` is not one of Threagile's technologies; rules that depend on it cannot apply"),
                });
            }
            tg.assets.insert(
                id.clone(),
                TgAsset {
                    devops: usage == "devops",
                    machine: machine.clone(),
                    encryption: enc.clone().unwrap_or_else(|| "none".into()),
                    own: (attrs.confidentiality, attrs.integrity, attrs.availability),
                    processed: processed_list,
                    stored: stored_list,
                    formats: attrs.accepts.clone(),
                    unknown_tech: canon.is_empty() || canon.contains("unknown-technology"),
                    techs: canon,
                    attrs: tattrs,
                    tags: attrs.tags.clone(),
                },
            );
            m.elements.push(Element {
                id: id.clone(),
                name: title.clone(),
                kind,
                boundary: None,
                line: *line,
                out_of_scope: y.bool(n, "out_of_scope")?,
                attrs,
                data_processed,
                data_stored,
            });
            if let Some(cl) = n.get("communication_links") {
                for (ltitle, lline, ln) in y.map(cl, &format!("{owner}: communication_links"))? {
                    links.push((id.clone(), ltitle.clone(), *lline, ln.clone()));
                }
            }
        }
    }
    for (src, title, line, n) in links {
        let owner = format!("communication link `{title}` of `{src}`");
        y.map(&n, &owner)?;
        unknown_keys(&n, LINK_KEYS, &owner, &mut m.warnings);
        let target = y.req_str(&n, "target", &owner)?;
        if !asset_lines.contains_key(&target) {
            return Err(y.err(
                n.get("target").map_or(line, |t| t.line),
                format!(
                    "{owner} (line {line}): target `{target}` is not the id of any technical asset"
                ),
            ));
        }
        let protocol = y
            .opt_str(&n, "protocol")?
            .unwrap_or_else(|| "unknown-protocol".into())
            .to_ascii_lowercase();
        let authn = match y.enum_val(&n, "authentication", AUTHN)?.as_deref() {
            Some("none") => Authn::None,
            Some("credentials") => Authn::Credentials,
            Some("session-id") => Authn::SessionId,
            Some("token") => Authn::Token,
            Some("client-certificate") => Authn::ClientCertificate,
            Some("two-factor") => Authn::TwoFactor,
            Some("externalized") => Authn::Externalized,
            _ => Authn::Unknown,
        };
        let authz = match y.enum_val(&n, "authorization", AUTHZ)?.as_deref() {
            Some("none") => Authz::None,
            Some("technical-user") => Authz::TechnicalUser,
            Some("end-user-identity-propagation") => Authz::EndUser,
            _ => Authz::Unknown,
        };
        let mut data = refs(&y, &n, "data_assets_sent", &data_ids, &owner, "data asset")?;
        data.extend(refs(
            &y,
            &n,
            "data_assets_received",
            &data_ids,
            &owner,
            "data asset",
        )?);
        tg.links.insert(
            format!("{src}>{}", slug(&title)),
            TgLink {
                sent: y
                    .str_list(&n, "data_assets_sent")?
                    .into_iter()
                    .map(|d| d.0)
                    .collect(),
                received: y
                    .str_list(&n, "data_assets_received")?
                    .into_iter()
                    .map(|d| d.0)
                    .collect(),
            },
        );
        let usage = y
            .opt_str(&n, "usage")?
            .unwrap_or_default()
            .to_ascii_lowercase();
        let mut tags: BTreeSet<String> = y.str_list(&n, "tags")?.into_iter().map(|t| t.0).collect();
        if usage == "devops" {
            tags.insert("devops".into());
        }
        if protocol_local(&protocol) {
            tags.insert("local".into());
        }
        if y.bool(&n, "ip_filtered")? {
            tags.insert("ip-filtered".into());
        }
        m.flows.push(Flow {
            id: format!("{src}>{}", slug(&title)),
            name: title.clone(),
            from: src.clone(),
            to: target,
            encrypted: Some(protocol_encrypted(&protocol) || protocol_local(&protocol)),
            protocol,
            authn,
            authz,
            vpn: y.bool(&n, "vpn")?,
            readonly: y.bool(&n, "readonly")?,
            data,
            crosses: Vec::new(),
            line,
            out_of_scope: false,
            controls: BTreeSet::new(),
            tags,
        });
    }

    // Trust boundaries.
    let mut placed: BTreeMap<String, (String, u32)> = BTreeMap::new();
    let mut nested: Vec<(String, String, u32)> = Vec::new();
    if let Some(tb) = root.get("trust_boundaries") {
        for (title, line, n) in y.map(tb, "trust_boundaries")? {
            let owner = format!("trust boundary `{title}`");
            y.map(n, &owner)?;
            unknown_keys(n, BOUNDARY_KEYS, &owner, &mut m.warnings);
            let id = y.req_str(n, "id", &owner)?;
            check_id(&y, &id, *line)?;
            let kind = y
                .enum_val(n, "type", BOUNDARY_TYPES)?
                .unwrap_or_else(|| "network-on-prem".into());
            for (a, aline) in y.str_list(n, "technical_assets_inside")? {
                if !asset_lines.contains_key(&a) {
                    return Err(y.err(aline, format!("{owner} (line {line}): `{a}` in technical_assets_inside is not the id of any technical asset")));
                }
                if let Some((other, oline)) = placed.insert(a.clone(), (id.clone(), aline)) {
                    return Err(y.err(aline, format!("technical asset `{a}` is directly inside two trust boundaries: `{other}` (line {oline}) and `{id}`")));
                }
            }
            for (b, bline) in y.str_list(n, "trust_boundaries_nested")? {
                nested.push((id.clone(), b, bline));
            }
            tg.boundary_tags.insert(
                id.clone(),
                y.str_list(n, "tags")?.into_iter().map(|t| t.0).collect(),
            );
            m.boundaries.push(Boundary {
                id,
                name: title.clone(),
                kind,
                parent: None,
                line: *line,
            });
        }
    }
    for (parent, child, line) in nested {
        let Some(b) = m.boundaries.iter_mut().find(|b| b.id == child) else {
            return Err(y.err(line, format!("trust boundary `{parent}`: nested `{child}` is not the id of any trust boundary")));
        };
        if let Some(p) = &b.parent {
            return Err(y.err(
                line,
                format!("trust boundary `{child}` is nested in both `{p}` and `{parent}`"),
            ));
        }
        b.parent = Some(parent);
    }
    for b in &m.boundaries {
        let chain = m.chain(Some(&b.id));
        if let Some(last) = chain.last() {
            if m.boundaries
                .iter()
                .find(|x| &x.id == last)
                .and_then(|x| x.parent.as_ref())
                .is_some()
            {
                return Err(y.err(
                    b.line,
                    format!(
                        "trust boundary `{}` is nested in itself (cycle through `{last}`)",
                        b.id
                    ),
                ));
            }
        }
    }
    for e in &mut m.elements {
        e.boundary = placed.get(&e.id).map(|(b, _)| b.clone());
    }

    // Shared runtimes.
    if let Some(sr) = root.get("shared_runtimes") {
        for (title, line, n) in y.map(sr, "shared_runtimes")? {
            let owner = format!("shared runtime `{title}`");
            y.map(n, &owner)?;
            let mut running = Vec::new();
            for (a, aline) in y.str_list(n, "technical_assets_running")? {
                if !asset_lines.contains_key(&a) {
                    return Err(y.err(aline, format!("{owner} (line {line}): `{a}` in technical_assets_running is not the id of any technical asset")));
                }
                running.push(a);
            }
            let rid = y.opt_str(n, "id")?.unwrap_or_else(|| slug(title));
            tg.runtime_tags.insert(
                rid.clone(),
                y.str_list(n, "tags")?.into_iter().map(|t| t.0).collect(),
            );
            m.runtimes.push(Runtime {
                id: rid,
                name: title.clone(),
                elements: running,
                line: *line,
            });
        }
    }
    for key in ["individual_risk_categories", "custom_risk_categories"] {
        if let Some(n) = root.get(key) {
            if !n.is_null() && !n.entries().is_empty() || !n.items().is_empty() {
                m.warnings.push(Warning {
                    line: n.line,
                    message: format!("`{key}`: manually identified risks are not reported by guard; list them as guard threats or keep them in Threagile"),
                });
            }
        }
    }

    // Risk tracking.
    if let Some(rt) = root.get("risk_tracking") {
        for (key, line, n) in y.map(rt, "risk_tracking")? {
            let owner = format!("risk tracking `{key}`");
            y.map(n, &owner)?;
            let status_s = y
                .opt_str(n, "status")?
                .unwrap_or_else(|| "unchecked".into());
            let status = TrackStatus::parse(&status_s).ok_or_else(|| {
                y.err(n.get("status").map_or(*line, |s| s.line), format!("{owner}: unknown status `{status_s}`; expected one of unchecked, in-discussion, accepted, in-progress, mitigated, false-positive"))
            })?;
            m.tracking.push(Tracking {
                key: key.clone(),
                status,
                justification: y.opt_str(n, "justification")?.unwrap_or_default(),
                line: *line,
            });
        }
    }
    m.threagile = Some(Box::new(tg));
    Ok(m)
}

fn check_id(y: &Y<'_>, id: &str, line: u32) -> Result<(), ModelError> {
    if id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        Ok(())
    } else {
        Err(y.err(
            line,
            format!("id `{id}` must contain only letters, digits and `-`"),
        ))
    }
}

fn refs(
    y: &Y<'_>,
    n: &YNode,
    key: &str,
    known: &BTreeMap<String, u32>,
    owner: &str,
    what: &str,
) -> Result<BTreeSet<String>, ModelError> {
    let mut out = BTreeSet::new();
    for (r, line) in y.str_list(n, key)? {
        if !known.contains_key(&r) {
            return Err(y.err(
                line,
                format!(
                    "{owner} (line {}): `{key}` names `{r}`, which is not the id of any {what}",
                    n.line
                ),
            ));
        }
        out.insert(r);
    }
    Ok(out)
}
