//! The Threagile and pytm rule families: one positive and one negative
//! model per rule that only those families raise. The positive case's
//! threats of that rule are snapshotted; the negative case must not raise
//! the rule.

mod common;

use common::FAMILY_ONLY;
use guard_stride::model::Model;
use guard_stride::read::{pytm, threagile};
use guard_stride::rules::analyse;
use std::path::Path;

fn finish(mut m: Model) -> Model {
    m.reindex();
    m.compute_crossings();
    m.propagate_data();
    m
}

fn tg(assets: &str, extra: &str) -> Model {
    let text = format!(
        "threagile_version: 1.0.0
title: t
data_assets:
  Secret:
    id: secret
    quantity: many
    confidentiality: confidential
    integrity: critical
    availability: critical
  Public:
    id: pub
    quantity: few
    confidentiality: public
    integrity: operational
    availability: operational
technical_assets:
{assets}
{extra}"
    );
    let root = guard_stride::yaml::parse(&text).expect("yaml");
    finish(threagile::read(Path::new("m.yaml"), "m.yaml", root).expect("reads"))
}

fn threats(m: &Model, rule: &str) -> Vec<String> {
    analyse(m)
        .iter()
        .filter(|t| t.rule.id == rule)
        .map(|t| format!("{} {} {}", t.rule.id, t.subject.key(), t.message))
        .collect()
}

fn asset(id: &str, kind: &str, tech: &str, more: &str) -> String {
    format!(
        "  {id}:
    id: {id}
    type: {kind}
    technology: {tech}
    confidentiality: public
    integrity: operational
    availability: operational
    data_assets_processed: [pub]
{more}"
    )
}

fn link(name: &str, target: &str, more: &str) -> String {
    format!(
        "      {name}:
        target: {target}
        protocol: https
        authentication: token
        authorization: technical-user
        data_assets_sent: [pub]
{more}"
    )
}

struct Case {
    rule: &'static str,
    pos: Model,
    neg: Model,
}

fn cases() -> Vec<Case> {
    let a = |id: &str, k: &str, t: &str| asset(id, k, t, "");
    let linked = |from: &str, to: &str| {
        asset(
            from,
            "process",
            "web-server",
            &format!("    communication_links:\n{}", link("l", to, "")),
        )
    };
    let secret_link = format!(
        "    communication_links:\n{}",
        link("l", "b", "").replace("data_assets_sent: [pub]", "data_assets_sent: [secret]")
    );
    let b_stores = asset(
        "b",
        "process",
        "web-server",
        "    data_assets_stored: [secret]\n",
    );
    let eu_link = format!(
        "    communication_links:\n{}",
        link(
            "l",
            "app",
            "        authorization: end-user-identity-propagation\n"
        )
        .replace("        authorization: technical-user\n", "")
    );
    let ro_link = format!(
        "    communication_links:\n{}",
        link("l", "b", "        readonly: true\n")
    );
    // An IDS (no_network_segmentation_required, which current Threagile
    // requires) holding the model's most sensitive data.
    let ids = asset(
        "ids",
        "process",
        "ids",
        "    data_assets_stored: [secret]\n",
    )
    .replace(
        "    confidentiality: public\n",
        "    confidentiality: confidential\n",
    );
    vec![
        Case {
            rule: "STRIDE-T-015",
            pos: tg(&asset("app", "process", "web-server", "    custom_developed_parts: true\n"), ""),
            neg: tg(&(asset("app", "process", "web-server", "    custom_developed_parts: true\n") + &a("ci", "process", "build-pipeline") + &a("git", "process", "sourcecode-repository") + &a("dev", "external-entity", "devops-client")), ""),
        },
        Case {
            rule: "STRIDE-S-007",
            pos: tg(&(asset("u", "external-entity", "browser", &eu_link) + &a("app", "process", "web-server")), ""),
            neg: tg(&(asset("u", "external-entity", "browser", &eu_link) + &a("app", "process", "web-server") + &a("ids", "datastore", "identity-store-ldap")), ""),
        },
        Case {
            rule: "STRIDE-E-012",
            pos: tg(&(a("idp", "process", "identity-provider") + &a("app", "process", "web-server")), "trust_boundaries:\n  N:\n    id: n\n    type: network-on-prem\n    technical_assets_inside: [idp, app]\n"),
            neg: tg(&(a("idp", "process", "identity-provider") + &a("app", "process", "web-server")), "trust_boundaries:\n  N:\n    id: n\n    type: network-on-prem\n    technical_assets_inside: [idp]\n  M:\n    id: m\n    type: network-on-prem\n    technical_assets_inside: [app]\n"),
        },
        Case {
            rule: "STRIDE-E-014",
            pos: tg(&(a("vault", "process", "vault") + &a("app", "process", "web-server")), ""),
            neg: tg(&(a("vault", "process", "vault") + &a("app", "process", "web-server")), "trust_boundaries:\n  N:\n    id: n\n    type: network-on-prem\n    technical_assets_inside: [vault]\n"),
        },
        Case {
            rule: "STRIDE-E-013",
            pos: tg(&(ids.clone() + &a("web", "process", "web-server") + &a("other", "process", "erp")), ""),
            neg: tg(&(ids.clone() + &a("other", "process", "erp")), ""),
        },
        Case {
            rule: "STRIDE-E-015",
            pos: tg(&a("app", "process", "web-server"), ""),
            neg: tg(&asset("app", "process", "web-server", "    data_assets_stored: [secret]\n"), ""),
        },
        Case {
            rule: "STRIDE-E-016",
            pos: tg(&(asset("a", "process", "web-server", &secret_link) + &b_stores), ""),
            neg: tg(&(asset("a", "process", "web-server", &format!("    data_assets_stored: [secret]\n{secret_link}")) + &b_stores), ""),
        },
        Case {
            rule: "STRIDE-E-017",
            pos: tg(&(a("lonely", "process", "web-server") + &linked("a", "b") + &a("b", "process", "web-server")), ""),
            neg: tg(&(linked("a", "b") + &a("b", "process", "web-server")), ""),
        },
        Case {
            rule: "STRIDE-E-018",
            pos: tg(&asset("app", "process", "web-server", "    machine: virtual\n"), "trust_boundaries:\n  K:\n    id: k\n    type: network-policy-namespace-isolation\n    technical_assets_inside: [app]\n"),
            neg: tg(&asset("app", "process", "web-server", "    machine: container\n"), "trust_boundaries:\n  K:\n    id: k\n    type: network-policy-namespace-isolation\n    technical_assets_inside: [app]\n"),
        },
        Case {
            rule: "STRIDE-I-012",
            pos: tg(&(asset("a", "process", "web-server", &ro_link) + &a("b", "process", "web-server")), ""),
            neg: tg(&(linked("a", "b") + &a("b", "process", "web-server")), ""),
        },
    ]
}

const PYTM: &str = r#"{"actors": [], "boundaries": [],
 "data": [{"name": "Doc", "format": "{FMT}", "classification": "Classification.PUBLIC", "isCredentials": false, "isPII": false, "credentialsLife": "Lifetime.NONE", "isStored": false}],
 "assets": [
  {"__class__": "Server", "name": "S", "inScope": true, "maxClassification": "Classification.SECRET", "controls": {CTL}},
  {"__class__": "Datastore", "name": "D", "inScope": true, "maxClassification": "Classification.SECRET", "controls": {CTL}}],
 "flows": [{"name": "F", "source": "S", "sink": "D", "inScope": true, "isResponse": false, "maxClassification": "Classification.SECRET", "protocol": "HTTPS", "tlsVersion": "TLSVersion.TLSv13", "data": ["Doc"], "controls": {CTL}}]}"#;

fn py(controls: &str) -> Model {
    pyf(controls, "JSON")
}

fn pyf(controls: &str, format: &str) -> Model {
    let text = PYTM.replace("{CTL}", controls).replace("{FMT}", format);
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    finish(pytm::read(&v, "m.json").expect("reads"))
}

fn pytm_cases() -> Vec<Case> {
    let none = r#"{"validatesInput": false, "sanitizesInput": false, "encodesOutput": false, "handlesResourceConsumption": false, "isResilient": false, "implementsPOLP": false, "providesIntegrity": false, "isEncrypted": false, "authenticatesDestination": false, "checksDestinationRevocation": false, "implementsAuthenticationScheme": false, "authorizesSource": false, "authenticatesSource": false, "hasAccessControl": false, "isHardened": false, "usesEncryptionAlgorithm": ""}"#;
    let all = r#"{"validatesInput": true, "sanitizesInput": true, "encodesOutput": true, "handlesResourceConsumption": true, "isResilient": true, "implementsPOLP": true, "providesIntegrity": true, "isEncrypted": true, "authenticatesDestination": true, "checksDestinationRevocation": true, "implementsAuthenticationScheme": true, "authorizesSource": true, "authenticatesSource": true, "hasAccessControl": true, "isHardened": true, "usesEncryptionAlgorithm": "AES"}"#;
    let mut v: Vec<Case> = [
        "STRIDE-D-004",
        "STRIDE-T-016",
        "STRIDE-I-013",
        "STRIDE-R-005",
        "STRIDE-S-008",
        "STRIDE-T-017",
        "STRIDE-I-014",
        "STRIDE-S-009",
        "STRIDE-E-019",
        "STRIDE-I-015",
    ]
    .into_iter()
    .map(|rule| Case {
        rule,
        pos: py(none),
        neg: py(all),
    })
    .collect();
    v.push(Case {
        rule: "STRIDE-D-005",
        pos: pyf(all, "XML"),
        neg: pyf(all, "JSON"),
    });
    v.push(Case {
        rule: "STRIDE-E-020",
        pos: pyf(r#"{"authorizesSource": false}"#, "XML"),
        neg: pyf(all, "XML"),
    });
    v
}

#[test]
fn every_family_only_rule_has_a_case() {
    let covered: Vec<&str> = cases()
        .iter()
        .chain(pytm_cases().iter())
        .map(|c| c.rule)
        .collect();
    for r in FAMILY_ONLY {
        assert!(covered.contains(r), "no family fixture for {r}");
    }
}

#[test]
fn pytm_assumptions_silence_the_threats_they_exclude() {
    let none = r#"{"handlesResourceConsumption": false, "isResilient": false}"#;
    let text = PYTM
        .replace("{CTL}", none)
        .replace("{FMT}", "JSON")
        .replace(
            r#"{"__class__": "Server", "name": "S","#,
            r#"{"__class__": "Server", "name": "S", "assumptions": [{"name": "a", "exclude": ["DO01", "DO02", "DO05"]}],"#,
        );
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let m = finish(pytm::read(&v, "m.json").expect("reads"));
    let d = threats(&m, "STRIDE-D-004");
    assert!(d.iter().all(|t| !t.contains(" s ")), "{d:?}");
    assert!(d.iter().any(|t| t.contains(" d ")), "{d:?}");
}

#[test]
fn every_family_rule_has_a_positive_and_a_negative_case() {
    for c in cases().into_iter().chain(pytm_cases()) {
        let pos = threats(&c.pos, c.rule);
        assert!(!pos.is_empty(), "{}: positive case raised nothing", c.rule);
        let neg = threats(&c.neg, c.rule);
        assert!(neg.is_empty(), "{}: negative case raised {neg:?}", c.rule);
        insta::assert_snapshot!(format!("family-{}", c.rule), pos.join("\n"));
    }
}

#[test]
fn threagile_reader_carries_technology_attributes_and_link_directions() {
    let links = format!("    communication_links:\n{}", link("l", "b", ""));
    let m = tg(&(asset("a", "process", "idp", &links) + &a_ds()), "");
    let info = m.threagile.as_deref().expect("threagile info");
    let a = &info.assets["a"];
    assert!(a.techs.contains("identity-provider"));
    assert!(a.attrs.contains("identity_related"));
    assert_eq!(info.links["a>l"].sent, vec!["pub".to_string()]);
    assert!(info.links["a>l"].received.is_empty());
    assert_eq!(info.quantity["secret"], 3);
}

fn a_ds() -> String {
    asset("b", "datastore", "database", "")
}

#[test]
fn unknown_technology_is_reported() {
    let m = tg(&asset("a", "process", "quantum-thing", ""), "");
    assert!(m
        .warnings
        .iter()
        .any(|w| w.message.contains("quantum-thing")));
    assert!(m.threagile.as_deref().expect("info").assets["a"].unknown_tech);
}

#[test]
fn pytm_reader_carries_classes_and_controls() {
    let m = pyf(r#"{"validatesInput": true, "isResilient": false}"#, "XML");
    let p = m.pytm.as_deref().expect("pytm info");
    let s = p
        .elements
        .values()
        .find(|e| e.class == "Server")
        .expect("server");
    assert_eq!(
        s.controls.get("validatesInput"),
        Some(&serde_json::Value::Bool(true))
    );
    assert_eq!(
        s.controls.get("isResilient"),
        Some(&serde_json::Value::Bool(false))
    );
    assert_eq!(
        s.fields.get("name"),
        Some(&serde_json::Value::String("S".into()))
    );
    let f = p.flows.values().next().expect("flow");
    assert_eq!(f.class, "Dataflow");
    assert_eq!(
        f.fields.get("protocol"),
        Some(&serde_json::Value::String("HTTPS".into()))
    );
    let d = p.data.values().next().expect("data");
    assert_eq!(d.format, "XML");
    assert_eq!(d.classification, 1);
}

/// An asset with its own confidentiality and integrity raised.
fn sens_asset(id: &str, kind: &str, tech: &str, more: &str) -> String {
    asset(id, kind, tech, more)
        .replace(
            "    confidentiality: public\n",
            "    confidentiality: confidential\n",
        )
        .replace(
            "    integrity: operational\n    availability: operational\n",
            "    integrity: critical\n    availability: critical\n",
        )
}

fn links(ls: &[String]) -> String {
    format!("    communication_links:\n{}", ls.concat())
}

fn two_zones(a: &str, b: &str) -> String {
    format!(
        "trust_boundaries:\n  X:\n    id: x\n    type: network-on-prem\n    technical_assets_inside: [{a}]\n  Y:\n    id: y\n    type: network-on-prem\n    technical_assets_inside: [{b}]\n"
    )
}

fn one_zone(a: &str, b: &str) -> String {
    format!(
        "trust_boundaries:\n  X:\n    id: x\n    type: network-on-prem\n    technical_assets_inside: [{a}, {b}]\n"
    )
}

/// Rules mapped to a Threagile category, on Threagile input (Threagile's
/// own conditions), one positive and one negative model each.
fn threagile_mapped_cases() -> Vec<Case> {
    let a = |id: &str, k: &str, t: &str| asset(id, k, t, "");
    let l = |to: &str, more: &str| link("l", to, more);
    let src = |tech: &str, ls: String| asset("s", "process", tech, &links(&[ls]));
    // A `tech` process calling asset `t` over `protocol`.
    let over = |tech: &str, protocol: &str, kind: &str, t_tech: &str| {
        src(
            tech,
            l("t", "").replace("protocol: https", &format!("protocol: {protocol}")),
        ) + &a("t", kind, t_tech)
    };
    let human = |ls: String| {
        asset(
            "s",
            "external-entity",
            "browser",
            &format!("    used_as_client_by_human: true\n{}", links(&[ls])),
        )
    };
    let secret =
        |more: &str| l("t", more).replace("data_assets_sent: [pub]", "data_assets_sent: [secret]");
    let case = |rule: &'static str, pos: Model, neg: Model| Case { rule, pos, neg };
    vec![
        case(
            "STRIDE-I-009",
            tg(&a("t", "process", "git"), ""),
            tg(
                &asset("t", "process", "git", "    out_of_scope: true\n"),
                "",
            ),
        ),
        case(
            "STRIDE-T-010",
            tg(
                &asset("t", "process", "build-pipeline", "    internet: true\n"),
                "",
            ),
            tg(&a("t", "process", "build-pipeline"), ""),
        ),
        case(
            "STRIDE-T-011",
            tg(
                &asset("t", "process", "web-server", "    machine: container\n"),
                "",
            ),
            tg(
                &asset("t", "process", "web-server", "    machine: virtual\n"),
                "",
            ),
        ),
        case(
            "STRIDE-E-007",
            tg(&a("t", "process", "kubernetes"), ""),
            tg(&a("t", "process", "web-server"), ""),
        ),
        case(
            "STRIDE-S-003",
            tg(
                &(src("browser", l("t", "")) + &a("t", "process", "web-server")),
                "",
            ),
            tg(&over("browser", "ssh", "process", "web-server"), ""),
        ),
        case(
            "STRIDE-T-007",
            tg(&a("t", "process", "web-server"), ""),
            tg(&a("t", "process", "rest-api"), ""),
        ),
        case(
            "STRIDE-D-003",
            tg(
                &(src("web-server", l("t", "")) + &sens_asset("t", "process", "erp", "")),
                &two_zones("s", "t"),
            ),
            tg(
                &(src("web-server", l("t", "")) + &sens_asset("t", "process", "erp", "")),
                &one_zone("s", "t"),
            ),
        ),
        case(
            "STRIDE-I-011",
            tg(&a("t", "process", "unknown-technology"), ""),
            tg(&a("t", "process", "web-server"), ""),
        ),
        case(
            "STRIDE-T-005",
            tg(
                &over("web-server", "ldaps", "datastore", "identity-store-ldap"),
                "",
            ),
            tg(
                &(src("web-server", l("t", "")) + &a("t", "datastore", "identity-store-ldap")),
                "",
            ),
        ),
        case(
            "STRIDE-S-002",
            tg(
                &(src(
                    "web-server",
                    l("t", "").replace("authentication: token", "authentication: none"),
                ) + &sens_asset("t", "process", "erp", "")),
                "",
            ),
            tg(
                &(src("web-server", l("t", "")) + &sens_asset("t", "process", "erp", "")),
                "",
            ),
        ),
        case(
            "STRIDE-E-004",
            tg(
                &(human(secret("")) + &sens_asset("t", "process", "erp", "")),
                "",
            ),
            tg(
                &(human(secret("").replace("authentication: token", "authentication: two-factor"))
                    + &sens_asset("t", "process", "erp", "")),
                "",
            ),
        ),
        case(
            "STRIDE-T-014",
            tg(
                &asset("t", "process", "web-server", "    tags: [\"aws:ec2\"]\n"),
                "",
            ),
            tg(&a("t", "process", "web-server"), ""),
        ),
        case(
            "STRIDE-S-004",
            tg(
                &asset(
                    "t",
                    "process",
                    "web-server",
                    "    custom_developed_parts: true\n    data_formats_accepted: [file]\n",
                ),
                "",
            ),
            tg(
                &asset(
                    "t",
                    "process",
                    "web-server",
                    "    data_formats_accepted: [file]\n",
                ),
                "",
            ),
        ),
        case(
            "STRIDE-E-008",
            tg(
                &(sens_asset(
                    "t",
                    "datastore",
                    "database",
                    "    data_assets_stored: [secret]\n",
                ) + &a("u", "process", "web-server")),
                "",
            ),
            tg(
                &sens_asset(
                    "t",
                    "datastore",
                    "database",
                    "    data_assets_stored: [secret]\n",
                ),
                "",
            ),
        ),
        case(
            "STRIDE-E-003",
            tg(
                &(src("web-server", l("t", "")) + &sens_asset("t", "process", "erp", "")),
                "",
            ),
            tg(
                &(src(
                    "web-server",
                    l("t", "").replace("technical-user", "end-user-identity-propagation"),
                ) + &sens_asset("t", "process", "erp", "")),
                "",
            ),
        ),
        case(
            "STRIDE-I-005",
            tg(&a("t", "process", "web-server"), ""),
            tg(
                &(a("t", "process", "web-server") + &a("v", "process", "vault")),
                "",
            ),
        ),
        case(
            "STRIDE-T-009",
            tg(
                &(src("browser", l("t", "")) + &a("t", "process", "web-server")),
                &two_zones("s", "t"),
            ),
            tg(
                &(src("waf", l("t", "")) + &a("t", "process", "web-server")),
                &two_zones("s", "t"),
            ),
        ),
        case(
            "STRIDE-E-010",
            tg(
                &(a("s", "process", "web-server") + &a("t", "process", "web-server")),
                &format!(
                    "{}shared_runtimes:\n  R:\n    id: r\n    technical_assets_running: [s, t]\n",
                    two_zones("s", "t")
                ),
            ),
            tg(
                &(a("s", "process", "web-server") + &a("t", "process", "web-server")),
                &format!(
                    "{}shared_runtimes:\n  R:\n    id: r\n    technical_assets_running: [s, t]\n",
                    one_zone("s", "t")
                ),
            ),
        ),
        case(
            "STRIDE-I-008",
            tg(&over("web-server", "nfs", "datastore", "file-server"), ""),
            tg(&over("web-server", "nfs", "datastore", "database"), ""),
        ),
        case(
            "STRIDE-T-012",
            tg(
                &(src(
                    "build-pipeline",
                    l("t", "        usage: devops\n").replace("protocol: https", "protocol: ssh"),
                ) + &a("t", "process", "web-server")),
                "",
            ),
            tg(
                &(src(
                    "build-pipeline",
                    l("t", "        usage: devops\n        readonly: true\n")
                        .replace("protocol: https", "protocol: ssh"),
                ) + &a("t", "process", "web-server")),
                "",
            ),
        ),
        case(
            "STRIDE-T-013",
            tg(
                &(src("web-server", l("t", "")) + &a("t", "process", "search-engine")),
                "",
            ),
            tg(&over("web-server", "ssh", "process", "search-engine"), ""),
        ),
        case(
            "STRIDE-I-007",
            tg(
                &(src("web-server", l("t", "")) + &a("t", "process", "web-server")),
                "",
            ),
            tg(
                &(src("browser", l("t", "")) + &a("t", "process", "web-server")),
                "",
            ),
        ),
        case(
            "STRIDE-S-005",
            tg(&a("t", "process", "service-registry"), ""),
            tg(&a("t", "process", "web-server"), ""),
        ),
        case(
            "STRIDE-T-004",
            tg(&over("web-server", "jdbc", "datastore", "database"), ""),
            tg(&over("web-server", "ssh", "datastore", "database"), ""),
        ),
        case(
            "STRIDE-T-008",
            tg(&a("t", "process", "build-pipeline"), ""),
            tg(&a("t", "process", "web-server"), ""),
        ),
        case(
            "STRIDE-I-003",
            tg(
                &asset(
                    "t",
                    "datastore",
                    "file-server",
                    "    data_assets_stored: [secret]\n    encryption: none\n",
                ),
                "",
            ),
            tg(
                &asset(
                    "t",
                    "datastore",
                    "file-server",
                    "    data_assets_stored: [secret]\n    encryption: transparent\n",
                ),
                "",
            ),
        ),
        case(
            "STRIDE-I-001",
            tg(&over("web-server", "http", "process", "web-server"), ""),
            tg(
                &(src("web-server", l("t", "")) + &a("t", "process", "web-server")),
                "",
            ),
        ),
        case(
            "STRIDE-E-006",
            tg(
                &(asset(
                    "s",
                    "external-entity",
                    "browser",
                    &format!("    internet: true\n{}", links(&[l("t", "")])),
                ) + &sens_asset("t", "process", "erp", "")),
                "",
            ),
            tg(
                &(asset("s", "external-entity", "browser", &links(&[l("t", "")]))
                    + &sens_asset("t", "process", "erp", "")),
                "",
            ),
        ),
        case(
            "STRIDE-E-005",
            tg(
                &(src(
                    "web-server",
                    l("t", "").replace("protocol: https", "protocol: jdbc"),
                ) + &sens_asset("t", "datastore", "database", "")),
                &two_zones("s", "t"),
            ),
            tg(
                &(src(
                    "web-server",
                    l("t", "").replace("protocol: https", "protocol: jdbc"),
                ) + &sens_asset("t", "datastore", "database", "")),
                &one_zone("s", "t"),
            ),
        ),
        case(
            "STRIDE-E-009",
            tg(
                &(src(
                    "web-server",
                    l("t", "").replace("        data_assets_sent: [pub]\n", ""),
                ) + &a("t", "process", "web-server")),
                "",
            ),
            tg(
                &(src("web-server", l("t", "")) + &a("t", "process", "web-server")),
                "",
            ),
        ),
        case(
            "STRIDE-T-006",
            tg(
                &asset(
                    "t",
                    "process",
                    "web-server",
                    "    data_formats_accepted: [serialization]\n",
                ),
                "",
            ),
            tg(
                &asset(
                    "t",
                    "process",
                    "web-server",
                    "    data_formats_accepted: [json]\n",
                ),
                "",
            ),
        ),
        case(
            "STRIDE-I-006",
            tg(
                &asset(
                    "t",
                    "process",
                    "web-server",
                    "    data_formats_accepted: [xml]\n",
                ),
                "",
            ),
            tg(
                &asset(
                    "t",
                    "process",
                    "web-server",
                    "    data_formats_accepted: [json]\n",
                ),
                "",
            ),
        ),
    ]
}

#[test]
fn every_threagile_mapped_rule_follows_threagiles_conditions() {
    let cases = threagile_mapped_cases();
    for r in guard_stride::rules::TABLE {
        if r.threagile.is_some() && !FAMILY_ONLY.contains(&r.id) {
            assert!(
                cases.iter().any(|c| c.rule == r.id),
                "no Threagile fixture for {}",
                r.id
            );
        }
    }
    for c in cases {
        let pos = threats(&c.pos, c.rule);
        assert!(!pos.is_empty(), "{}: positive case raised nothing", c.rule);
        let neg = threats(&c.neg, c.rule);
        assert!(neg.is_empty(), "{}: negative case raised {neg:?}", c.rule);
        insta::assert_snapshot!(format!("threagile-{}", c.rule), pos.join("\n"));
    }
}
