//! One positive and one negative model per threat rule. The positive
//! case's threats of that rule are snapshotted; the negative case must not
//! raise the rule. Every rule of the table has a case (checked).

mod common;

use common::FAMILY_ONLY;
use guard_stride::read::guard;
use guard_stride::rules::{analyse, TABLE};
use std::collections::BTreeSet;

const HEAD: &str = "data:
  - {id: pub, confidentiality: public}
  - {id: conf, confidentiality: confidential, integrity: critical}
  - {id: vconf, confidentiality: strictly-confidential}
  - {id: creds, confidentiality: confidential, credentials: true}
  - {id: crit, availability: critical}
boundaries:
  - {id: inet}
  - {id: dmz}
  - {id: priv}
";

fn model(elements: &str, flows: &str) -> String {
    let mut s = format!("{HEAD}elements:\n");
    for l in elements.lines().map(str::trim).filter(|l| !l.is_empty()) {
        s.push_str(&format!("  - {l}\n"));
    }
    s.push_str("flows:\n");
    for l in flows.lines().map(str::trim).filter(|l| !l.is_empty()) {
        s.push_str(&format!("  - {l}\n"));
    }
    if flows.trim().is_empty() {
        s = s.replace("flows:\n", "flows: []\n");
    }
    s
}

struct Case {
    rule: &'static str,
    pos: (&'static str, &'static str),
    neg: (&'static str, &'static str),
}

const U: &str =
    "{id: u, kind: external, name: User, boundary: inet, internet: true, used_by_human: true}";

fn cases() -> Vec<Case> {
    vec![
        Case { rule: "STRIDE-S-001", pos: ("{id: u, kind: external}\n{id: p, kind: process}", "{from: u, to: p, protocol: https, authentication: none, authorization: end-user, data: [pub]}"), neg: ("{id: u, kind: external}\n{id: p, kind: process}", "{from: u, to: p, protocol: https, authentication: token, authorization: end-user, data: [pub]}") },
        Case { rule: "STRIDE-S-002", pos: ("{id: u, kind: external, boundary: inet}\n{id: p, kind: process, boundary: dmz}", "{from: u, to: p, protocol: https, authentication: none, data: [pub]}"), neg: ("{id: u, kind: external, boundary: inet}\n{id: p, kind: process, boundary: dmz}", "{from: u, to: p, protocol: https, authentication: token, data: [pub]}") },
        Case { rule: "STRIDE-S-003", pos: ("{id: u, kind: external, used_by_human: true}\n{id: p, kind: process, web: true}", "{from: u, to: p, protocol: https, authentication: session-id, data: [pub]}"), neg: ("{id: u, kind: external, used_by_human: true}\n{id: p, kind: process}", "{from: u, to: p, protocol: https, authentication: session-id, data: [pub]}") },
        Case { rule: "STRIDE-S-004", pos: ("{id: p, kind: process, custom_code: true, accepts: [file]}", ""), neg: ("{id: p, kind: process, custom_code: true, accepts: [json]}", "") },
        Case { rule: "STRIDE-S-005", pos: ("{id: p, kind: process, technologies: [service-registry]}", ""), neg: ("{id: p, kind: process, technologies: [web-server]}", "") },
        Case { rule: "STRIDE-T-001", pos: ("{id: u, kind: external, boundary: inet}\n{id: p, kind: process, boundary: dmz, custom_code: true}", "{from: u, to: p, protocol: https, authentication: token, data: [pub]}"), neg: ("{id: u, kind: external, boundary: inet}\n{id: p, kind: process, boundary: dmz, custom_code: true, controls: [MIT-INPUT-VALIDATION]}", "{from: u, to: p, protocol: https, authentication: token, data: [pub]}") },
        Case { rule: "STRIDE-T-002", pos: ("{id: u, kind: external, boundary: inet}\n{id: p, kind: process, boundary: dmz}", "{from: u, to: p, protocol: http, authentication: token, data: [pub]}"), neg: ("{id: u, kind: external, boundary: inet}\n{id: p, kind: process, boundary: dmz}", "{from: u, to: p, protocol: https, authentication: token, data: [pub]}") },
        Case { rule: "STRIDE-T-003", pos: ("{id: p, kind: process}\n{id: s, kind: store, stores: [conf], encrypted_at_rest: true}", "{from: p, to: s, protocol: sql-access-protocol-encrypted, authentication: none, data: [conf]}"), neg: ("{id: p, kind: process}\n{id: s, kind: store, stores: [conf], encrypted_at_rest: true}", "{from: p, to: s, protocol: sql-access-protocol-encrypted, authentication: credentials, data: [conf]}") },
        Case { rule: "STRIDE-T-004", pos: ("{id: p, kind: process}\n{id: s, kind: store, technologies: [database]}", "{from: p, to: s, protocol: sql-access-protocol, authentication: credentials, data: [pub]}"), neg: ("{id: p, kind: process, controls: [MIT-PARAMETERIZED-QUERIES]}\n{id: s, kind: store, technologies: [database]}", "{from: p, to: s, protocol: sql-access-protocol, authentication: credentials, data: [pub]}") },
        Case { rule: "STRIDE-T-005", pos: ("{id: p, kind: process}\n{id: s, kind: store, technologies: [identity-store-ldap]}", "{from: p, to: s, protocol: ldaps, authentication: credentials, data: [pub]}"), neg: ("{id: p, kind: process}\n{id: s, kind: store, technologies: [file-server]}", "{from: p, to: s, protocol: https, authentication: credentials, data: [pub]}") },
        Case { rule: "STRIDE-T-006", pos: ("{id: p, kind: process, accepts: [serialization]}", ""), neg: ("{id: p, kind: process, accepts: [json]}", "") },
        Case { rule: "STRIDE-T-007", pos: ("{id: p, kind: process, web: true, custom_code: true}", ""), neg: ("{id: p, kind: process, web: true}", "") },
        Case { rule: "STRIDE-T-008", pos: ("{id: p, kind: process, installs_updates: true}", ""), neg: ("{id: p, kind: process, installs_updates: true, controls: [MIT-SIGNED-UPDATES]}", "") },
        Case { rule: "STRIDE-T-009", pos: ("{id: u, kind: external, internet: true}\n{id: p, kind: process, web: true}", "{from: u, to: p, protocol: https, authentication: token, data: [pub]}"), neg: ("{id: u, kind: external, internet: true}\n{id: p, kind: process, web: true, controls: [MIT-WAF]}", "{from: u, to: p, protocol: https, authentication: token, data: [pub]}") },
        Case { rule: "STRIDE-T-010", pos: ("{id: p, kind: process, installs_updates: true, internet: true}", ""), neg: ("{id: p, kind: process, installs_updates: true}", "") },
        Case { rule: "STRIDE-T-011", pos: ("{id: p, kind: process, container: true}", ""), neg: ("{id: p, kind: process}", "") },
        Case { rule: "STRIDE-T-012", pos: ("{id: ci, kind: process, technologies: [ci-cd]}\n{id: p, kind: process}", "{from: ci, to: p, protocol: ssh, authentication: client-certificate, tags: [devops], data: [pub]}"), neg: ("{id: ci, kind: process, technologies: [ci-cd]}\n{id: p, kind: process}", "{from: ci, to: p, protocol: ssh, authentication: client-certificate, tags: [devops], readonly: true, data: [pub]}") },
        Case { rule: "STRIDE-S-006", pos: ("{id: u, kind: external}\n{id: p, kind: process}", "{from: u, to: p, protocol: https, data: [pub]}"), neg: ("{id: u, kind: external}\n{id: p, kind: process, controls: [MIT-AUTHN]}", "{from: u, to: p, protocol: https, data: [pub]}") },
        Case { rule: "STRIDE-E-011", pos: ("{id: u, kind: external}\n{id: p, kind: process}", "{from: u, to: p, protocol: https, authentication: token, data: [pub]}"), neg: ("{id: u, kind: external}\n{id: p, kind: process}", "{from: u, to: p, protocol: https, authentication: token, authorization: end-user, data: [pub]}") },
        Case { rule: "STRIDE-T-014", pos: ("{id: p, kind: process, tags: [\"aws:ec2\"]}", ""), neg: ("{id: p, kind: process, tags: [\"aws:ec2\"], controls: [MIT-HARDENING]}", "") },
        Case { rule: "STRIDE-T-013", pos: ("{id: p, kind: process}\n{id: s, kind: process, technologies: [search-engine]}", "{from: p, to: s, protocol: https, authentication: token, data: [pub]}"), neg: ("{id: p, kind: process}\n{id: s, kind: process}", "{from: p, to: s, protocol: https, authentication: token, data: [pub]}") },
        Case { rule: "STRIDE-R-001", pos: ("{id: u, kind: external, used_by_human: true}\n{id: p, kind: process}", "{from: u, to: p, protocol: https, authentication: token, data: [pub]}"), neg: ("{id: u, kind: external, used_by_human: true}\n{id: p, kind: process, controls: [MIT-AUDIT-LOG]}", "{from: u, to: p, protocol: https, authentication: token, data: [pub]}") },
        Case { rule: "STRIDE-R-002", pos: ("{id: p, kind: process, processes: [conf]}\n{id: q, kind: process}", "{from: q, to: p, protocol: https, authentication: token, data: [pub]}"), neg: ("{id: p, kind: process, processes: [conf]}\n{id: l, kind: store, log_store: true, controls: [MIT-LOG-INTEGRITY]}", "{from: p, to: l, protocol: https, authentication: token, data: [pub]}") },
        Case { rule: "STRIDE-R-003", pos: ("{id: l, kind: store, log_store: true}", ""), neg: ("{id: l, kind: store, log_store: true, controls: [MIT-LOG-INTEGRITY]}", "") },
        Case { rule: "STRIDE-R-004", pos: ("{id: p, kind: process}\n{id: q, kind: process, admin: true}", "{from: p, to: q, protocol: https, authentication: token, authorization: technical-user, data: [pub]}"), neg: ("{id: p, kind: process}\n{id: q, kind: process, admin: true}", "{from: p, to: q, protocol: https, authentication: token, authorization: end-user, data: [pub]}") },
        Case { rule: "STRIDE-I-001", pos: ("{id: u, kind: external, boundary: inet}\n{id: p, kind: process, boundary: dmz}", "{from: u, to: p, protocol: http, authentication: none, data: [pub]}"), neg: ("{id: u, kind: external, boundary: inet}\n{id: p, kind: process, boundary: dmz}", "{from: u, to: p, protocol: https, authentication: none, data: [pub]}") },
        Case { rule: "STRIDE-I-002", pos: ("{id: p, kind: process}\n{id: q, kind: process}", "{from: p, to: q, protocol: http, authentication: token, data: [creds]}"), neg: ("{id: p, kind: process}\n{id: q, kind: process}", "{from: p, to: q, protocol: https, authentication: token, data: [creds]}") },
        Case { rule: "STRIDE-I-003", pos: ("{id: s, kind: store, stores: [conf]}", ""), neg: ("{id: s, kind: store, stores: [conf], encrypted_at_rest: true}", "") },
        Case { rule: "STRIDE-I-004", pos: ("{id: p, kind: process, secrets_in_config: true}", ""), neg: ("{id: p, kind: process, secrets_in_config: true, controls: [MIT-SECRETS-VAULT]}", "") },
        Case { rule: "STRIDE-I-005", pos: ("{id: p, kind: process, secrets_in_config: true}", ""), neg: ("{id: p, kind: process, secrets_in_config: true}\n{id: v, kind: process, technologies: [vault]}", "") },
        Case { rule: "STRIDE-I-006", pos: ("{id: p, kind: process, accepts: [xml]}", ""), neg: ("{id: p, kind: process, accepts: [json]}", "") },
        Case { rule: "STRIDE-I-007", pos: ("{id: p, kind: process}\n{id: q, kind: process}", "{from: p, to: q, protocol: https, authentication: token, data: [pub]}"), neg: ("{id: p, kind: process}\n{id: s, kind: store}", "{from: p, to: s, protocol: https, authentication: token, data: [pub]}") },
        Case { rule: "STRIDE-I-008", pos: ("{id: p, kind: process}\n{id: s, kind: store, technologies: [file-server]}", "{from: p, to: s, protocol: sftp, authentication: credentials, data: [pub]}"), neg: ("{id: p, kind: process}\n{id: s, kind: store, technologies: [object-storage]}", "{from: p, to: s, protocol: https, authentication: credentials, data: [pub]}") },
        Case { rule: "STRIDE-I-009", pos: ("{id: p, kind: process, technologies: [sourcecode-repository]}", ""), neg: ("{id: p, kind: process, technologies: [web-server]}", "") },
        Case { rule: "STRIDE-I-010", pos: ("{id: u, kind: external, boundary: inet}\n{id: p, kind: process, boundary: dmz, processes: [conf]}", "{from: u, to: p, protocol: https, authentication: token, data: [pub]}"), neg: ("{id: u, kind: external, boundary: inet}\n{id: p, kind: process, boundary: dmz, processes: [pub]}", "{from: u, to: p, protocol: https, authentication: token, data: [pub]}") },
        Case { rule: "STRIDE-D-001", pos: ("{id: u, kind: external, internet: true}\n{id: p, kind: process}", "{from: u, to: p, protocol: https, authentication: token, data: [pub]}"), neg: ("{id: u, kind: external, internet: true}\n{id: p, kind: process, controls: [MIT-RATE-LIMIT]}", "{from: u, to: p, protocol: https, authentication: token, data: [pub]}") },
        Case { rule: "STRIDE-D-002", pos: ("{id: p, kind: process, processes: [crit]}", ""), neg: ("{id: p, kind: process, processes: [crit], redundant: true}", "") },
        Case { rule: "STRIDE-D-003", pos: ("{id: u, kind: external, boundary: inet}\n{id: p, kind: process, boundary: dmz, processes: [crit]}", "{from: u, to: p, protocol: https, authentication: token, data: [pub]}"), neg: ("{id: u, kind: external, boundary: dmz}\n{id: p, kind: process, boundary: dmz, processes: [crit]}", "{from: u, to: p, protocol: https, authentication: token, data: [pub]}") },
        Case { rule: "STRIDE-E-001", pos: ("{id: u, kind: external, used_by_human: true}\n{id: p, kind: process}", "{from: u, to: p, protocol: https, authentication: token, authorization: none, data: [pub]}"), neg: ("{id: u, kind: external, used_by_human: true}\n{id: p, kind: process}", "{from: u, to: p, protocol: https, authentication: token, authorization: end-user, data: [pub]}") },
        Case { rule: "STRIDE-E-002", pos: ("{id: p, kind: process, admin: true, internet: true}", ""), neg: ("{id: p, kind: process, admin: true, internet: true, controls: [MIT-ADMIN-ISOLATION]}", "") },
        Case { rule: "STRIDE-E-003", pos: ("{id: u, kind: external}\n{id: p, kind: process, multi_tenant: true}", "{from: u, to: p, protocol: https, authentication: token, authorization: technical-user, data: [pub]}"), neg: ("{id: u, kind: external}\n{id: p, kind: process, multi_tenant: true}", "{from: u, to: p, protocol: https, authentication: token, authorization: end-user, data: [pub]}") },
        Case { rule: "STRIDE-E-004", pos: ("{id: u, kind: external, used_by_human: true}\n{id: p, kind: process, processes: [conf]}", "{from: u, to: p, protocol: https, authentication: credentials, data: [pub]}"), neg: ("{id: u, kind: external, used_by_human: true}\n{id: p, kind: process, processes: [conf]}", "{from: u, to: p, protocol: https, authentication: two-factor, data: [pub]}") },
        Case { rule: "STRIDE-E-005", pos: ("{id: p, kind: process, boundary: dmz}\n{id: s, kind: store, boundary: priv, stores: [conf], encrypted_at_rest: true}", "{from: p, to: s, protocol: sql-access-protocol-encrypted, authentication: credentials, data: [conf]}"), neg: ("{id: p, kind: process, boundary: priv}\n{id: s, kind: store, boundary: priv, stores: [conf], encrypted_at_rest: true}", "{from: p, to: s, protocol: sql-access-protocol-encrypted, authentication: credentials, data: [conf]}") },
        Case { rule: "STRIDE-E-006", pos: ("{id: u, kind: external, internet: true}\n{id: p, kind: process, processes: [conf]}", "{from: u, to: p, protocol: https, authentication: token, data: [pub]}"), neg: ("{id: u, kind: external, internet: true}\n{id: p, kind: process, processes: [conf]}", "{from: u, to: p, protocol: https, authentication: token, vpn: true, data: [pub]}") },
        Case { rule: "STRIDE-E-007", pos: ("{id: p, kind: process, technologies: [kubernetes]}", ""), neg: ("{id: p, kind: process, technologies: [web-server]}", "") },
        Case { rule: "STRIDE-E-008", pos: ("{id: p, kind: process, processes: [vconf]}", ""), neg: ("{id: p, kind: process, processes: [vconf], controls: [MIT-HARDENING]}", "") },
        Case { rule: "STRIDE-E-009", pos: ("{id: p, kind: process}\n{id: q, kind: process}", "{from: p, to: q, protocol: https, authentication: token}"), neg: ("{id: p, kind: process}\n{id: q, kind: process}", "{from: p, to: q, protocol: https, authentication: token, data: [pub]}") },
    ]
}

/// Rules only formats other than guard's can raise (checked in
/// tests/readers.rs on a Threagile fixture), besides the Threagile and pytm
/// family rules ([`FAMILY_ONLY`], fixtures in tests/families.rs).
const OTHER_FORMAT_ONLY: &[&str] = &["STRIDE-I-011", "STRIDE-E-010"];

fn rule_threats(yaml: &str, rule: &str) -> Vec<String> {
    let m = guard::read(yaml, "model.yaml")
        .map(|mut m| {
            m.compute_crossings();
            m.propagate_data();
            m
        })
        .unwrap_or_else(|e| panic!("fixture for {rule} does not read: {e}\n{yaml}"));
    analyse(&m)
        .into_iter()
        .filter(|t| t.rule.id == rule)
        .map(|t| {
            format!(
                "{} {} {} on {}: {}",
                t.id,
                t.rule.id,
                t.severity.as_str(),
                t.subject.key(),
                t.message
            )
        })
        .collect()
}

#[test]
fn every_rule_has_a_positive_and_a_negative_case() {
    let cases = cases();
    let covered: BTreeSet<&str> = cases.iter().map(|c| c.rule).collect();
    for r in TABLE {
        assert!(
            covered.contains(r.id)
                || OTHER_FORMAT_ONLY.contains(&r.id)
                || FAMILY_ONLY.contains(&r.id),
            "no fixture for {}",
            r.id
        );
    }
    for c in &cases {
        let pos = rule_threats(&model(c.pos.0, c.pos.1), c.rule);
        assert!(!pos.is_empty(), "{}: positive case raised nothing", c.rule);
        let neg = rule_threats(&model(c.neg.0, c.neg.1), c.rule);
        assert!(neg.is_empty(), "{}: negative case raised {neg:?}", c.rule);
        insta::assert_snapshot!(c.rule, pos.join("\n"));
    }
}

#[test]
fn user_constant_is_a_valid_element() {
    let m = guard::read(&model(U, ""), "m.yaml").expect("reads");
    assert_eq!(m.elements.len(), 1);
}
