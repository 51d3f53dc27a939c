//! pytm `--json` exports (`python3 tm.py --json out.json`). References are
//! by name; a name used twice in one list is disambiguated by order with a
//! warning. Controls the model sets become claimed mitigations.
//!
//! pytm has no "internet" attribute: an element in a boundary whose name
//! contains "internet" is taken as internet-facing.

use super::ModelError;
use crate::model::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// pytm control -> guard mitigation id.
const CONTROLS: &[(&str, &str)] = &[
    ("isEncrypted", "MIT-TLS"),
    ("isEncryptedAtRest", "MIT-ENCRYPT-AT-REST"),
    ("sanitizesInput", "MIT-INPUT-VALIDATION"),
    ("validatesInput", "MIT-INPUT-VALIDATION"),
    ("encodesOutput", "MIT-OUTPUT-ENCODING"),
    ("authenticatesSource", "MIT-AUTHN"),
    ("authorizesSource", "MIT-AUTHZ"),
    ("hasAccessControl", "MIT-AUTHZ"),
    ("usesMFA", "MIT-MFA"),
    ("implementsCSRFToken", "MIT-CSRF-TOKEN"),
    ("usesParameterizedInput", "MIT-PARAMETERIZED-QUERIES"),
    ("handlesResourceConsumption", "MIT-RATE-LIMIT"),
    ("isResilient", "MIT-REDUNDANCY"),
    ("usesCodeSigning", "MIT-SIGNED-UPDATES"),
    ("providesIntegrity", "MIT-SIGNED-UPDATES"),
    ("isHardened", "MIT-HARDENING"),
    ("disablesDTD", "MIT-SAFE-PARSING"),
    ("tracksExecutionFlow", "MIT-AUDIT-LOG"),
];

fn s(v: &Value, k: &str) -> String {
    v.get(k).and_then(Value::as_str).unwrap_or("").to_string()
}

fn b(v: &Value, k: &str) -> bool {
    v.get(k).and_then(Value::as_bool).unwrap_or(false)
}

fn ctl(v: &Value, k: &str) -> bool {
    v.get("controls").map(|c| b(c, k)).unwrap_or(false) || b(v, k)
}

/// The scalar members of an object (booleans, strings, numbers, nulls).
fn scalars(v: Option<&Value>) -> BTreeMap<String, Value> {
    v.and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, x)| !x.is_array() && !x.is_object())
        .map(|(k, x)| (k.clone(), x.clone()))
        .collect()
}

/// pytm's classification order (UNKNOWN 0 .. TOP_SECRET 5).
pub fn pytm_classification(s: &str) -> u8 {
    match s.rsplit('.').next().unwrap_or("") {
        "PUBLIC" => 1,
        "RESTRICTED" => 2,
        "SENSITIVE" => 3,
        "SECRET" => 4,
        "TOP_SECRET" => 5,
        _ => 0,
    }
}

/// Threat ids the element's assumptions exclude.
fn excluded(v: &Value) -> BTreeSet<String> {
    v.get("assumptions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|a| a.get("exclude").and_then(Value::as_array))
        .flatten()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

fn controls(v: &Value) -> BTreeSet<String> {
    CONTROLS
        .iter()
        .filter(|(k, _)| ctl(v, k))
        .map(|(_, m)| m.to_string())
        .collect()
}

/// pytm classification -> guard level.
fn classification(s: &str) -> Level {
    match s.rsplit('.').next().unwrap_or("") {
        "RESTRICTED" => 1,
        "SENSITIVE" => 3,
        "SECRET" => 3,
        "TOP_SECRET" => 4,
        _ => 0,
    }
}

fn tls(s: &str) -> u8 {
    match s.rsplit('.').next().unwrap_or("") {
        "NONE" | "" => 0,
        "SSLv1" => 1,
        "SSLv2" => 2,
        "SSLv3" => 3,
        "TLSv10" => 4,
        "TLSv11" => 5,
        "TLSv12" => 6,
        "TLSv13" => 7,
        _ => 0,
    }
}

fn list<'a>(v: &'a Value, k: &str, file: &str) -> Result<&'a [Value], ModelError> {
    match v.get(k) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(ModelError::file(file, format!("/{k}: expected a list"))),
    }
}

pub fn read(v: &Value, file: &str) -> Result<Model, ModelError> {
    let mut m = Model::new(Format::Pytm, file);
    m.title = s(v, "name");
    // Ids: slug of the name, made unique by order.
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    let mut name_to_id: BTreeMap<String, String> = BTreeMap::new();
    let mut unique = |name: &str, warnings: &mut Vec<Warning>, at: &str| -> String {
        let base = {
            let s = slug(name);
            if s.is_empty() {
                "element".to_string()
            } else {
                s
            }
        };
        let n = used.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            base
        } else {
            warnings.push(Warning {
                line: 0,
                message: format!(
                    "{at}: name `{name}` is used more than once; this one is `{base}-{n}`"
                ),
            });
            format!("{base}-{n}")
        }
    };
    for (i, bd) in list(v, "boundaries", file)?.iter().enumerate() {
        let name = s(bd, "name");
        let id = unique(&name, &mut m.warnings, &format!("/boundaries/{i}"));
        name_to_id.entry(format!("b:{name}")).or_insert(id.clone());
        m.boundaries.push(Boundary {
            id,
            name,
            kind: "logical".into(),
            parent: None,
            line: 0,
        });
    }
    let parents: Vec<(usize, String)> = list(v, "boundaries", file)?
        .iter()
        .enumerate()
        .filter_map(|(i, bd)| {
            bd.get("inBoundary")
                .and_then(Value::as_str)
                .map(|p| (i, p.to_string()))
        })
        .collect();
    for (i, p) in parents {
        let pid = name_to_id.get(&format!("b:{p}")).cloned().ok_or_else(|| {
            ModelError::file(
                file,
                format!("/boundaries/{i}/inBoundary: `{p}` is not the name of any boundary"),
            )
        })?;
        if let Some(b) = m.boundaries.get_mut(i) {
            b.parent = Some(pid);
        }
    }
    let internet_boundaries: BTreeSet<String> = m
        .boundaries
        .iter()
        .filter(|b| b.name.to_ascii_lowercase().contains("internet"))
        .map(|b| b.id.clone())
        .collect();
    let mut pi = PytmInfo::default();
    let mut min_tls: BTreeMap<String, u8> = BTreeMap::new();
    let mut flow_items: Vec<PytmItem> = Vec::new();
    for (i, d) in list(v, "data", file)?.iter().enumerate() {
        let name = s(d, "name");
        let id = unique(&name, &mut m.warnings, &format!("/data/{i}"));
        name_to_id.entry(format!("d:{name}")).or_insert(id.clone());
        let c = classification(&s(d, "classification"));
        pi.data.insert(
            id.clone(),
            PytmData {
                format: s(d, "format"),
                classification: pytm_classification(&s(d, "classification")),
                is_credentials: b(d, "isCredentials"),
                is_pii: b(d, "isPII"),
                credentials_life: s(d, "credentialsLife")
                    .rsplit('.')
                    .next()
                    .unwrap_or("")
                    .to_string(),
                is_stored: b(d, "isStored"),
                is_dest_encrypted_at_rest: b(d, "isDestEncryptedAtRest"),
                is_source_encrypted_at_rest: b(d, "isSourceEncryptedAtRest"),
            },
        );
        m.data.push(DataAsset {
            id,
            name,
            confidentiality: c,
            integrity: if b(d, "isCredentials") { 3 } else { 1 },
            availability: 1,
            credentials: b(d, "isCredentials"),
            pii: b(d, "isPII"),
            line: 0,
        });
    }
    let mut elems: Vec<(String, &Value)> = Vec::new();
    for (i, a) in list(v, "actors", file)?.iter().enumerate() {
        elems.push((format!("/actors/{i}"), a));
    }
    for (i, a) in list(v, "assets", file)?.iter().enumerate() {
        elems.push((format!("/assets/{i}"), a));
    }
    for (at, e) in elems {
        let name = s(e, "name");
        let class = s(e, "__class__");
        let id = unique(&name, &mut m.warnings, &at);
        name_to_id.entry(format!("e:{name}")).or_insert(id.clone());
        let kind = match class.as_str() {
            "Actor" | "ExternalEntity" => ElementKind::External,
            "Datastore" => ElementKind::Store,
            _ => ElementKind::Process,
        };
        let boundary = match e.get("inBoundary").and_then(Value::as_str) {
            Some(bn) => Some(name_to_id.get(&format!("b:{bn}")).cloned().ok_or_else(|| {
                ModelError::file(file, format!("{at}/inBoundary: element `{name}` is in boundary `{bn}`, which is not the name of any boundary"))
            })?),
            None => None,
        };
        let chain = m.chain(boundary.as_deref());
        let mut accepts = BTreeSet::new();
        if b(e, "usesXMLParser") {
            accepts.insert("xml".to_string());
        }
        if b(e, "isSQL") {
            accepts.insert("sql".to_string());
        }
        let mut technologies = BTreeSet::new();
        if class == "Lambda" {
            technologies.insert("serverless".to_string());
        }
        if b(e, "isSQL") || kind == ElementKind::Store {
            technologies.insert("database".to_string());
        }
        let level = classification(&s(e, "maxClassification"));
        let attrs = ElementAttrs {
            internet: chain.iter().any(|b| internet_boundaries.contains(b)),
            encrypted_at_rest: (kind == ElementKind::Store).then(|| ctl(e, "isEncryptedAtRest")),
            multi_tenant: b(e, "isShared"),
            used_by_human: class == "Actor",
            is_log_store: b(e, "storesLogData"),
            admin: b(e, "isAdmin"),
            web_app: class == "Server"
                || b(e, "allowsClientSideScripting")
                || b(e, "implementsAPI"),
            custom_code: matches!(
                class.as_str(),
                "Process" | "Server" | "Lambda" | "SetOfProcesses"
            ),
            accepts,
            technologies,
            secrets_in_config: b(e, "usesEnvironmentVariables"),
            installs_updates: false,
            redundant: ctl(e, "isResilient"),
            container: false,
            confidentiality: level.max(if b(e, "storesPII") || b(e, "storesSensitiveData") {
                3
            } else {
                0
            }),
            integrity: 0,
            availability: 0,
            controls: controls(e),
            tags: BTreeSet::new(),
            scope: Default::default(),
        };
        pi.elements.insert(
            id.clone(),
            PytmItem {
                class: class.clone(),
                fields: scalars(Some(e)),
                controls: scalars(e.get("controls")),
                is_response: false,
                tls_below_sink_min: false,
            },
        );
        let ex = excluded(e);
        if !ex.is_empty() {
            pi.excluded.insert(id.clone(), ex);
        }
        min_tls.insert(id.clone(), tls(&s(e, "minTLSVersion")));
        m.elements.push(Element {
            id,
            name,
            kind,
            boundary,
            line: 0,
            out_of_scope: e.get("inScope").and_then(Value::as_bool) == Some(false),
            attrs,
            data_processed: BTreeSet::new(),
            data_stored: BTreeSet::new(),
        });
    }
    for (i, f) in list(v, "flows", file)?.iter().enumerate() {
        let at = format!("/flows/{i}");
        let name = s(f, "name");
        let mut ends = Vec::new();
        for k in ["source", "sink"] {
            let n = s(f, k);
            let id = name_to_id.get(&format!("e:{n}")).cloned().ok_or_else(|| {
                ModelError::file(
                    file,
                    format!("{at}: flow `{name}`: {k} `{n}` is not the name of any actor or asset"),
                )
            })?;
            ends.push(id);
        }
        let mut data = BTreeSet::new();
        for d in f
            .get("data")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let dn = d.as_str().unwrap_or("");
            let id = name_to_id.get(&format!("d:{dn}")).cloned().ok_or_else(|| {
                ModelError::file(
                    file,
                    format!("{at}: flow `{name}`: data `{dn}` is not the name of any data"),
                )
            })?;
            data.insert(id);
        }
        let protocol = s(f, "protocol").to_ascii_lowercase();
        let encrypted = ctl(f, "isEncrypted")
            || tls(&s(f, "tlsVersion")) >= 6
            || super::guard::protocol_encrypted(&protocol);
        let ctrls = controls(f);
        let authn = if ctl(f, "authenticatesSource")
            || ctl(f, "authenticatesDestination")
            || b(f, "usesSessionTokens")
        {
            Authn::Token
        } else {
            Authn::Unknown
        };
        let mut tags = BTreeSet::new();
        if b(f, "isResponse") || f.get("responseTo").is_some_and(|r| !r.is_null()) {
            tags.insert("response".to_string());
        }
        let from = ends[0].clone();
        let to = ends[1].clone();
        flow_items.push(PytmItem {
            class: "Dataflow".into(),
            fields: scalars(Some(f)),
            controls: scalars(f.get("controls")),
            is_response: b(f, "isResponse"),
            tls_below_sink_min: tls(&s(f, "tlsVersion")) < *min_tls.get(&to).unwrap_or(&0),
        });
        m.flows.push(Flow {
            id: format!("{from}>{}", slug(&name)),
            name,
            from,
            to,
            protocol,
            encrypted: Some(encrypted),
            authn,
            authz: if ctl(f, "authorizesSource") {
                Authz::EndUser
            } else {
                Authz::Unknown
            },
            vpn: ctl(f, "usesVPN") || b(f, "usesVPN"),
            readonly: false,
            data,
            crosses: Vec::new(),
            line: 0,
            out_of_scope: f.get("inScope").and_then(Value::as_bool) == Some(false),
            controls: ctrls,
            tags,
        });
    }
    // Flow ids must be unique.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for f in &mut m.flows {
        let n = seen.entry(f.id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            f.id = format!("{}-{n}", f.id);
        }
    }
    for (f, item) in m.flows.iter().zip(flow_items) {
        pi.flows.insert(f.id.clone(), item);
    }
    m.pytm = Some(Box::new(pi));
    let overrides: usize = v
        .get("elements")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .chain(list(v, "flows", file)?.iter())
        .filter_map(|e| e.get("overrides").and_then(Value::as_array))
        .map(Vec::len)
        .sum();
    if overrides > 0 {
        m.warnings.push(Warning { line: 0, message: format!("{overrides} pytm threat override(s) are not mapped to guard threats; track them in a guard model") });
    }
    Ok(m)
}
