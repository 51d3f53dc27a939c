//! The threat rule table and its evaluation over a [`Model`].
//!
//! One table (`TABLE`): STRIDE per element, refined by attributes, and
//! rules per interaction (boundary crossings, data sensitivity, what the
//! receiver does with the input). Every threat has a stable id: a hash of
//! the rule id and the stable identity of the element or flow it is about
//! (its id in the model), so edits elsewhere in the model never change it.

use crate::model::*;
use guard_core::{Rule, Severity};
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stride {
    Spoofing,
    Tampering,
    Repudiation,
    InformationDisclosure,
    DenialOfService,
    ElevationOfPrivilege,
}

impl Stride {
    pub const ALL: [Stride; 6] = [
        Stride::Spoofing,
        Stride::Tampering,
        Stride::Repudiation,
        Stride::InformationDisclosure,
        Stride::DenialOfService,
        Stride::ElevationOfPrivilege,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stride::Spoofing => "Spoofing",
            Stride::Tampering => "Tampering",
            Stride::Repudiation => "Repudiation",
            Stride::InformationDisclosure => "Information disclosure",
            Stride::DenialOfService => "Denial of service",
            Stride::ElevationOfPrivilege => "Elevation of privilege",
        }
    }

    pub fn letter(self) -> char {
        match self {
            Stride::Spoofing => 'S',
            Stride::Tampering => 'T',
            Stride::Repudiation => 'R',
            Stride::InformationDisclosure => 'I',
            Stride::DenialOfService => 'D',
            Stride::ElevationOfPrivilege => 'E',
        }
    }

    fn tag(self) -> &'static str {
        match self {
            Stride::Spoofing => "STRIDE:Spoofing",
            Stride::Tampering => "STRIDE:Tampering",
            Stride::Repudiation => "STRIDE:Repudiation",
            Stride::InformationDisclosure => "STRIDE:InformationDisclosure",
            Stride::DenialOfService => "STRIDE:DenialOfService",
            Stride::ElevationOfPrivilege => "STRIDE:ElevationOfPrivilege",
        }
    }
}

/// How a Threagile synthetic risk id is built for a rule, so that
/// Threagile `risk_tracking` keys match guard's threats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sid {
    /// `category@asset`
    T,
    /// `category@link@source@target`
    Lst,
    /// `category@source@target@link`
    Stl,
    /// `category@asset@source@link`
    Tsl,
    /// `category@link@source@target` read as L@S@G (unencrypted-communication)
    Lsg,
}

#[derive(Debug, Clone, Copy)]
pub struct ThreatRule {
    pub id: &'static str,
    pub stride: Stride,
    pub title: &'static str,
    pub rationale: &'static str,
    /// Base likelihood and impact, 1 (unlikely / low) .. 4 (frequent / very high).
    pub likelihood: u8,
    pub impact: u8,
    pub cwe: u32,
    pub capec: Option<u32>,
    pub mitigations: &'static [&'static str],
    /// The Threagile built-in risk category this rule matches, if any.
    pub threagile: Option<(&'static str, Sid)>,
}

macro_rules! r {
    ($id:literal, $s:ident, $title:literal, $why:literal, $l:literal, $i:literal, $cwe:literal, $capec:expr, [$($m:literal),*], $tg:expr) => {
        ThreatRule { id: $id, stride: Stride::$s, title: $title, rationale: $why, likelihood: $l, impact: $i, cwe: $cwe, capec: $capec, mitigations: &[$($m),*], threagile: $tg }
    };
}

pub static TABLE: &[ThreatRule] = &[
    // Spoofing
    r!("STRIDE-S-001", Spoofing, "External entity can be impersonated", "Calls from an external entity carry no authentication, so anyone can act as it.", 3, 2, 290, Some(151), ["MIT-AUTHN"], None),
    r!("STRIDE-S-002", Spoofing, "Unauthenticated flow crosses a trust boundary", "A flow enters a zone of higher trust without proving who sent it.", 3, 3, 306, Some(114), ["MIT-AUTHN"], Some(("missing-authentication", Sid::Lst))),
    r!("STRIDE-S-003", Spoofing, "Cross-site request forgery on a web application", "Browsers send cookies with requests other sites trigger; state-changing requests need a token.", 2, 2, 352, Some(62), ["MIT-CSRF-TOKEN"], Some(("cross-site-request-forgery", Sid::Lst))),
    r!("STRIDE-S-004", Spoofing, "Uploaded files not validated", "A component that accepts files can be handed content of another type (a script, an archive bomb).", 2, 2, 434, Some(1), ["MIT-INPUT-VALIDATION"], Some(("missing-file-validation", Sid::T))),
    r!("STRIDE-S-006", Spoofing, "Process does not say how it authenticates callers", "Callers reach the process over flows whose authentication the model leaves open and the process claims none; assume anyone can call it.", 2, 2, 287, Some(151), ["MIT-AUTHN"], None),
    r!("STRIDE-S-005", Spoofing, "Service registry can be poisoned", "Whoever can write to the registry can redirect callers to a service of their own.", 2, 3, 693, None, ["MIT-AUTHN"], Some(("service-registry-poisoning", Sid::T))),
    // Tampering
    r!("STRIDE-T-001", Tampering, "Input from another trust zone not validated", "A process takes input from outside its trust boundary and the model claims no validation.", 3, 2, 20, Some(153), ["MIT-INPUT-VALIDATION"], None),
    r!("STRIDE-T-002", Tampering, "Plaintext flow can be modified in transit", "Without TLS a machine in the middle can change the data on the way.", 2, 2, 345, Some(94), ["MIT-TLS"], None),
    r!("STRIDE-T-003", Tampering, "Data store writable without authentication", "A store of important data takes writes from callers that do not authenticate.", 2, 3, 284, None, ["MIT-AUTHN", "MIT-AUTHZ"], None),
    r!("STRIDE-T-004", Tampering, "SQL / NoSQL injection", "Queries built from input can be rewritten by it.", 3, 3, 89, Some(66), ["MIT-PARAMETERIZED-QUERIES", "MIT-INPUT-VALIDATION"], Some(("sql-nosql-injection", Sid::Stl))),
    r!("STRIDE-T-005", Tampering, "LDAP injection", "LDAP filters built from input can be rewritten by it.", 2, 3, 90, Some(136), ["MIT-PARAMETERIZED-QUERIES", "MIT-INPUT-VALIDATION"], Some(("ldap-injection", Sid::Stl))),
    r!("STRIDE-T-006", Tampering, "Untrusted deserialisation", "Deserialising untrusted data can instantiate arbitrary types and run code.", 3, 4, 502, Some(586), ["MIT-SAFE-PARSING"], Some(("untrusted-deserialization", Sid::T))),
    r!("STRIDE-T-007", Tampering, "Cross-site scripting", "A web application that renders input can be made to run an attacker's script in its users' browsers.", 3, 2, 79, Some(63), ["MIT-OUTPUT-ENCODING", "MIT-CSP"], Some(("cross-site-scripting", Sid::T))),
    r!("STRIDE-T-008", Tampering, "Updates and dependencies installed without an integrity check", "Whoever can alter an update, a package or a build artefact on its way runs code here.", 2, 4, 494, Some(184), ["MIT-SIGNED-UPDATES"], Some(("unchecked-deployment", Sid::T))),
    r!("STRIDE-T-009", Tampering, "Internet-facing web application without a WAF", "Web traffic from the internet reaches the application with no filtering layer in front.", 1, 2, 1008, None, ["MIT-WAF"], Some(("missing-waf", Sid::T))),
    r!("STRIDE-T-010", Tampering, "Code or build system reachable from the internet can be backdoored", "Development infrastructure reachable from the internet lets an attacker plant code.", 2, 4, 912, Some(206), ["MIT-ADMIN-ISOLATION", "MIT-MFA"], Some(("code-backdooring", Sid::T))),
    r!("STRIDE-T-011", Tampering, "Container base image can be backdoored", "Images built on unpinned, unverified base images inherit whatever those contain.", 2, 3, 912, None, ["MIT-SIGNED-UPDATES"], Some(("container-baseimage-backdooring", Sid::T))),
    r!("STRIDE-T-012", Tampering, "Build pipeline pushes deployments", "A pipeline with write access to production is a path into production for whoever controls the pipeline.", 1, 3, 1127, None, ["MIT-ADMIN-ISOLATION"], Some(("push-instead-of-pull-deployment", Sid::T))),
    r!("STRIDE-T-014", Tampering, "Cloud resources without a hardening baseline", "Cloud services left at their defaults (public endpoints, broad roles, no logging) are the usual way in; the model marks these as cloud-hosted.", 1, 2, 1008, None, ["MIT-HARDENING"], Some(("missing-cloud-hardening", Sid::T))),
    r!("STRIDE-T-013", Tampering, "Search query injection", "Search queries built from input can be rewritten by it.", 2, 2, 74, None, ["MIT-INPUT-VALIDATION"], Some(("search-query-injection", Sid::Stl))),
    // Repudiation
    r!("STRIDE-R-001", Repudiation, "External entity's actions are not attributable", "A person or system acts on a process that keeps no audit trail, so it can deny what it did.", 2, 2, 778, Some(268), ["MIT-AUDIT-LOG"], None),
    r!("STRIDE-R-002", Repudiation, "No audit log", "A process handling sensitive data or outside input writes no audit log (no flow to a log store, no logging control).", 2, 2, 778, Some(268), ["MIT-AUDIT-LOG"], None),
    r!("STRIDE-R-003", Repudiation, "Log store is not tamper-evident", "Logs that can be edited or deleted do not prove what happened.", 2, 2, 353, Some(268), ["MIT-LOG-INTEGRITY"], None),
    r!("STRIDE-R-004", Repudiation, "Admin or devops access without per-user identity", "Administrative changes made under a shared technical identity cannot be traced to a person.", 2, 2, 778, None, ["MIT-AUDIT-LOG", "MIT-AUTHZ"], None),
    // Information disclosure
    r!("STRIDE-I-001", InformationDisclosure, "Plaintext flow crosses a trust boundary", "Data leaves one trust zone for another unencrypted; anyone on the path can read it.", 3, 2, 319, Some(157), ["MIT-TLS", "MIT-HSTS"], Some(("unencrypted-communication", Sid::Lsg))),
    r!("STRIDE-I-002", InformationDisclosure, "Credentials sent in transit without encryption", "Passwords, tokens or keys on an unencrypted flow can be captured and replayed.", 3, 4, 523, Some(102), ["MIT-TLS"], None),
    r!("STRIDE-I-003", InformationDisclosure, "Data store without encryption at rest", "A store of confidential data is not encrypted; a stolen disk, snapshot or backup is readable.", 2, 3, 311, Some(37), ["MIT-ENCRYPT-AT-REST"], Some(("unencrypted-asset", Sid::T))),
    r!("STRIDE-I-004", InformationDisclosure, "Secrets in configuration", "Secrets kept in configuration files or environment variables leak through logs, dumps and repositories.", 3, 3, 798, Some(191), ["MIT-SECRETS-VAULT"], None),
    r!("STRIDE-I-005", InformationDisclosure, "No secret manager in the model", "Processes need secrets (database passwords, API keys) but no vault or secret manager is modelled.", 1, 2, 522, None, ["MIT-SECRETS-VAULT"], Some(("missing-vault", Sid::T))),
    r!("STRIDE-I-006", InformationDisclosure, "XML external entities", "An XML parser that resolves external entities reads local files and makes requests for the attacker.", 3, 3, 611, Some(221), ["MIT-SAFE-PARSING"], Some(("xml-external-entity", Sid::T))),
    r!("STRIDE-I-007", InformationDisclosure, "Server-side request forgery", "A server that fetches URLs can be pointed at internal services.", 2, 2, 918, Some(664), ["MIT-SSRF-ALLOWLIST"], Some(("server-side-request-forgery", Sid::Tsl))),
    r!("STRIDE-I-008", InformationDisclosure, "Path traversal on file storage", "File names from input can escape the intended folder.", 2, 3, 22, Some(126), ["MIT-PATH-CANONICALIZATION"], Some(("path-traversal", Sid::Stl))),
    r!("STRIDE-I-009", InformationDisclosure, "Repository or registry may leak secrets", "Source repositories and artefact registries accumulate secrets committed by mistake.", 2, 2, 200, None, ["MIT-SECRETS-VAULT"], Some(("accidental-secret-leak", Sid::T))),
    r!("STRIDE-I-010", InformationDisclosure, "Sensitive process exposed to another trust zone", "A process handling confidential data answers callers from outside its zone; errors and responses may disclose it.", 2, 3, 200, Some(116), ["MIT-AUTHZ", "MIT-OUTPUT-ENCODING"], None),
    r!("STRIDE-I-011", InformationDisclosure, "Model is incomplete", "A flow with an unknown protocol or an element of unknown technology hides threats.", 1, 1, 1008, None, ["MIT-MODEL-COMPLETE"], Some(("incomplete-model", Sid::T))),
    // Denial of service
    r!("STRIDE-D-001", DenialOfService, "No rate limit on an internet-facing entry point", "An entry point reachable from the internet can be flooded.", 3, 2, 770, Some(125), ["MIT-RATE-LIMIT"], None),
    r!("STRIDE-D-002", DenialOfService, "Critical component without redundancy", "A component whose availability is critical is a single point of failure.", 2, 3, 400, None, ["MIT-REDUNDANCY"], None),
    r!("STRIDE-D-003", DenialOfService, "Risky access to a critical component across a trust boundary", "Callers from another zone can exhaust a component whose availability is critical.", 2, 2, 400, Some(125), ["MIT-RATE-LIMIT", "MIT-NETWORK-SEGMENTATION"], Some(("dos-risky-access-across-trust-boundary", Sid::Tsl))),
    // Elevation of privilege
    r!("STRIDE-E-001", ElevationOfPrivilege, "Missing authorisation", "Requests from users reach the process with no authorisation check modelled.", 2, 3, 285, Some(122), ["MIT-AUTHZ"], None),
    r!("STRIDE-E-002", ElevationOfPrivilege, "Administration interface exposed", "An admin or devops interface is reachable from the internet or another trust zone without a VPN.", 3, 4, 284, Some(1), ["MIT-ADMIN-ISOLATION", "MIT-MFA"], None),
    r!("STRIDE-E-003", ElevationOfPrivilege, "Missing authorisation between tenants", "A multi-tenant component does not receive the end user's identity, so it cannot keep tenants apart.", 3, 4, 639, Some(122), ["MIT-TENANT-ISOLATION", "MIT-AUTHZ"], Some(("missing-identity-propagation", Sid::Lst))),
    r!("STRIDE-E-004", ElevationOfPrivilege, "Missing second authentication factor", "A person reaches sensitive functions with one factor only.", 2, 3, 308, None, ["MIT-MFA"], Some(("missing-authentication-second-factor", Sid::Lst))),
    r!("STRIDE-E-005", ElevationOfPrivilege, "Unguarded direct access to a data store", "A sensitive store is reached directly from another trust zone rather than through a service.", 2, 3, 501, None, ["MIT-NETWORK-SEGMENTATION"], Some(("unguarded-direct-datastore-access", Sid::Lst))),
    r!("STRIDE-E-006", ElevationOfPrivilege, "Unguarded access from the internet", "A sensitive component takes calls straight from the internet with no gateway, WAF or VPN.", 2, 3, 501, None, ["MIT-WAF", "MIT-NETWORK-SEGMENTATION"], Some(("unguarded-access-from-internet", Sid::Tsl))),
    r!("STRIDE-E-007", ElevationOfPrivilege, "Container platform escape", "A compromised container on a shared platform can reach its host and neighbours.", 2, 4, 1008, None, ["MIT-HARDENING"], Some(("container-platform-escape", Sid::T))),
    r!("STRIDE-E-008", ElevationOfPrivilege, "Sensitive component not hardened", "A component holding very sensitive data or critical functions is an attractive target; the model claims no hardening.", 2, 3, 16, None, ["MIT-HARDENING"], Some(("missing-hardening", Sid::T))),
    r!("STRIDE-E-011", ElevationOfPrivilege, "Component does not say how it authorises callers", "Callers reach the process or store over flows whose authorisation the model leaves open and it claims no access control.", 2, 2, 862, Some(122), ["MIT-AUTHZ"], None),
    r!("STRIDE-E-010", ElevationOfPrivilege, "Shared runtime mixes trust zones", "Components of different trust zones on one runtime (host, VM, cluster) let an attacker move from the weaker to the stronger.", 1, 2, 1008, None, ["MIT-NETWORK-SEGMENTATION", "MIT-HARDENING"], Some(("mixed-targets-on-shared-runtime", Sid::T))),
    r!("STRIDE-T-015", Tampering, "Build infrastructure missing from the model", "The model has custom-developed parts but no build pipeline, source repository or developer client; the path code takes into production is not threat-modelled.", 1, 2, 1127, None, ["MIT-MODEL-COMPLETE"], Some(("missing-build-infrastructure", Sid::T))),
    r!("STRIDE-S-007", Spoofing, "Identity store missing from the model", "Flows authorise with the end user's identity but no identity store is modelled, so the login path is not threat-modelled.", 1, 2, 287, None, ["MIT-MODEL-COMPLETE"], Some(("missing-identity-store", Sid::T))),
    r!("STRIDE-E-012", ElevationOfPrivilege, "Identity provider not isolated", "An identity provider or identity store shares its network segment or execution environment with unrelated, less protected components.", 1, 3, 1008, None, ["MIT-NETWORK-SEGMENTATION"], Some(("missing-identity-provider-isolation", Sid::T))),
    r!("STRIDE-E-013", ElevationOfPrivilege, "Missing network segmentation", "A sensitive component shares its network segment with less protected components it does not talk to.", 1, 2, 1008, None, ["MIT-NETWORK-SEGMENTATION"], Some(("missing-network-segmentation", Sid::T))),
    r!("STRIDE-E-014", ElevationOfPrivilege, "Vault not isolated", "A vault shares its network segment or execution environment with unrelated components.", 1, 2, 1008, None, ["MIT-NETWORK-SEGMENTATION"], Some(("missing-vault-isolation", Sid::T))),
    r!("STRIDE-E-015", ElevationOfPrivilege, "Data asset not used", "A data asset no component processes, stores or transfers is either unneeded or missing from the model's flows.", 1, 1, 1008, None, ["MIT-MODEL-COMPLETE"], Some(("unnecessary-data-asset", Sid::T))),
    r!("STRIDE-E-016", ElevationOfPrivilege, "Sensitive data passed through without need", "A component sends or receives sensitive data it neither processes nor stores, widening where that data can be taken.", 1, 1, 1008, None, ["MIT-MODEL-COMPLETE"], Some(("unnecessary-data-transfer", Sid::T))),
    r!("STRIDE-E-017", ElevationOfPrivilege, "Component processes no data or has no links", "A component that handles no data, or talks to nothing, is either unneeded or incompletely modelled.", 1, 1, 1008, None, ["MIT-MODEL-COMPLETE"], Some(("unnecessary-technical-asset", Sid::T))),
    r!("STRIDE-E-018", ElevationOfPrivilege, "Non-container asset in a namespace-isolation boundary", "A namespace-isolation boundary only separates containers; anything else inside it is not isolated by it.", 1, 1, 1008, None, ["MIT-MODEL-COMPLETE"], Some(("wrong-trust-boundary-content", Sid::T))),
    r!("STRIDE-I-012", InformationDisclosure, "Communication link content inconsistent", "A link's readonly flag contradicts the direction of its data, or a local protocol does not match its target.", 1, 1, 1008, None, ["MIT-MODEL-COMPLETE"], Some(("wrong-communication-link-content", Sid::T))),
    r!("STRIDE-D-004", DenialOfService, "Resource consumption not bounded", "The model states the component neither limits the resources a request may consume nor is resilient; a flood or one expensive request exhausts it.", 2, 2, 770, Some(125), ["MIT-RATE-LIMIT", "MIT-REDUNDANCY"], None),
    r!("STRIDE-T-016", Tampering, "Input neither validated nor sanitised", "The model states the component does not validate or sanitise its input; injection of code, commands or format strings follows.", 3, 3, 20, Some(153), ["MIT-INPUT-VALIDATION"], None),
    r!("STRIDE-I-013", InformationDisclosure, "Input filters can be bypassed to expose data", "Without input validation and output encoding, encoded or crafted input gets past filters and makes the component return data it should not.", 2, 3, 200, Some(120), ["MIT-INPUT-VALIDATION", "MIT-OUTPUT-ENCODING"], None),
    r!("STRIDE-R-005", Repudiation, "Stored records can be altered unnoticed", "A data store that neither validates what it is given nor enforces least privilege lets a caller rewrite the records (logs, audit trails) that would attribute actions.", 2, 2, 117, Some(268), ["MIT-LOG-INTEGRITY", "MIT-AUTHZ"], None),
    r!("STRIDE-S-008", Spoofing, "Flow content can be spoofed", "Neither end protects the integrity of what the flow carries and the flow is not encrypted, or the sender does not authenticate the destination; a third party can inject content that appears to come from a trusted source.", 2, 2, 345, Some(148), ["MIT-TLS", "MIT-AUTHN"], None),
    r!("STRIDE-T-017", Tampering, "Flow can be manipulated in transit", "The flow is not encrypted (or below the receiver's minimum TLS version), or travels outside HTTPS/VPN without an authentication scheme and source authorisation; whoever sits on the channel can change it.", 2, 3, 757, Some(220), ["MIT-TLS", "MIT-AUTHN"], None),
    r!("STRIDE-I-014", InformationDisclosure, "Flow can be read in transit or by the wrong destination", "The flow is not encrypted, is below the receiver's minimum TLS version, or the sender does not authenticate the destination and check its revocation.", 2, 3, 319, Some(117), ["MIT-TLS", "MIT-AUTHN"], None),
    r!("STRIDE-S-009", Spoofing, "Callers not authenticated", "The model states the component does not authenticate its callers or implement an authentication scheme (or relies on session tokens without nonces or strong identifiers); anyone can act as a legitimate caller.", 3, 3, 287, Some(114), ["MIT-AUTHN"], None),
    r!("STRIDE-E-019", ElevationOfPrivilege, "Access control or least privilege missing", "The model states the component lacks access control, source authorisation or least privilege (or exposes an API, shares its store between tenants, or keeps weak sessions); a caller can reach functions and data beyond its rights.", 2, 3, 285, Some(122), ["MIT-AUTHZ"], None),
    r!("STRIDE-I-015", InformationDisclosure, "Component set-up may disclose data", "The component is not hardened, caches data, runs with production data, uses no recognised encryption, or is physically reachable; its data can be read outside the intended paths.", 2, 3, 200, Some(116), ["MIT-HARDENING", "MIT-ENCRYPT-AT-REST"], None),
    r!("STRIDE-D-005", DenialOfService, "XML on a flow can exhaust its parser", "Entity expansion and deeply nested XML on the flow can exhaust the memory or CPU of whoever parses it.", 2, 2, 776, Some(197), ["MIT-SAFE-PARSING"], None),
    r!("STRIDE-E-020", ElevationOfPrivilege, "XML flow accepted without source authorisation", "XML from a source that is not authorised can carry external entities or schema poisoning that act with the receiver's rights.", 2, 3, 611, Some(201), ["MIT-SAFE-PARSING", "MIT-AUTHZ"], None),
    r!("STRIDE-E-009", ElevationOfPrivilege, "Communication link carries no data", "A link that carries no modelled data is either unneeded (remove it) or the model misses what it carries.", 1, 1, 1008, None, ["MIT-MODEL-COMPLETE", "MIT-NETWORK-SEGMENTATION"], Some(("unnecessary-communication-link", Sid::Lst))),
];

/// Model problems that are findings rather than threats.
pub static MODEL_RULES: &[Rule] = &[
    Rule {
        id: "STRIDE-MODEL-001",
        severity: Severity::Low,
        title: "Part of the model not understood",
        rationale: "guard read the model but could not use this part of it (an unknown key in a third-party format, a loose flow, a threat type it cannot map); threats there may be missed.",
        remediation: "Fix the key or the drawing, or remove it.",
        tags: &[],
        references: &[],
    },
    Rule {
        id: "STRIDE-MIT-001",
        severity: Severity::High,
        title: "Mitigation required by the threat model is missing",
        rationale: "`guard stride verify` looked for the mitigation in the code and the infrastructure and found no evidence of it.",
        remediation: "Build the mitigation, or mark where it is built with a `guard:mitigates MIT-ID` comment, or record the decision in the model's risk tracking.",
        tags: &[],
        references: &[],
    },
    Rule {
        id: "STRIDE-MIT-002",
        severity: Severity::Medium,
        title: "Element scope matches nothing",
        rationale: "A `code` glob or `resources` address of a model element matches no file or Terraform resource under the verified root, so `guard stride verify` cannot judge that element's mitigations from where the model says they live.",
        remediation: "Correct the element's `code` / `resources` to where its code and infrastructure are now, or remove the pattern.",
        tags: &[],
        references: &[],
    },
    Rule {
        id: "STRIDE-MIT-003",
        severity: Severity::Medium,
        title: "Mitigation annotation cannot be used",
        rationale: "A `guard:mitigates` comment names no mitigation, an unknown mitigation id, or an element the model does not have; the evidence it meant to give is not counted.",
        remediation: "Write `guard:mitigates MIT-ID` or `guard:mitigates MIT-ID@element-id` with ids from `guard rules stride` and the model.",
        tags: &[],
        references: &[],
    },
];

/// Every rule as guard-core rule metadata (threat rules, then model rules).
pub fn rules() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut v: Vec<Rule> = TABLE.iter().map(to_rule).collect();
        v.extend_from_slice(MODEL_RULES);
        v
    })
}

fn to_rule(t: &ThreatRule) -> Rule {
    // Tags and remediation text are built once and kept for the process.
    let mut tags: Vec<&'static str> = vec![leak(format!("CWE-{}", t.cwe)), t.stride.tag()];
    if let Some(c) = t.capec {
        tags.push(leak(format!("CAPEC-{c}")));
    }
    let remediation = leak(
        t.mitigations
            .iter()
            .filter_map(|m| crate::mitigations::mitigation(m))
            .map(|m| format!("{} ({})", m.title, m.id))
            .collect::<Vec<_>>()
            .join("; "),
    );
    Rule {
        id: t.id,
        severity: severity(t.likelihood, t.impact),
        title: t.title,
        rationale: t.rationale,
        remediation,
        tags: Box::leak(tags.into_boxed_slice()),
        references: &[],
    }
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

pub fn rule(id: &str) -> Option<&'static ThreatRule> {
    index().get(id).and_then(|&i| TABLE.get(i))
}

/// The core rule (for findings) of a table or model rule id.
pub fn core_rule(id: &str) -> Option<&'static Rule> {
    index()
        .get(id)
        .and_then(|&i| rules().get(i))
        .or_else(|| rules().iter().find(|r| r.id == id))
}

/// Rule id -> position in [`TABLE`] (and in [`rules`], which starts with it).
fn index() -> &'static HashMap<&'static str, usize> {
    static INDEX: OnceLock<HashMap<&'static str, usize>> = OnceLock::new();
    INDEX.get_or_init(|| TABLE.iter().enumerate().map(|(i, r)| (r.id, i)).collect())
}

/// Likelihood x impact (each 1..4) to severity: <=2 low, <=6 medium,
/// <=12 high, above critical (Threagile's scale with its "elevated" step
/// folded into medium and high).
pub fn severity(likelihood: u8, impact: u8) -> Severity {
    match u16::from(likelihood) * u16::from(impact) {
        0..=2 => Severity::Low,
        3..=6 => Severity::Medium,
        7..=12 => Severity::High,
        _ => Severity::Critical,
    }
}

/// What a threat is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    Element(String),
    Flow(String),
    Model,
}

impl Subject {
    pub fn key(&self) -> &str {
        match self {
            Subject::Element(id) | Subject::Flow(id) => id,
            Subject::Model => "model",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Threat {
    /// `T-` and 12 hex digits of hash(rule id, subject identity).
    pub id: String,
    pub rule: &'static ThreatRule,
    pub subject: Subject,
    /// Display name of the subject.
    pub name: String,
    /// The element the threat is grouped under (a flow's target).
    pub group: String,
    pub line: u32,
    pub likelihood: u8,
    pub impact: u8,
    pub severity: Severity,
    pub message: String,
    /// Keys a risk-tracking entry may use for this threat.
    pub keys: Vec<String>,
    pub tracked: Option<(TrackStatus, String)>,
}

pub fn threat_id(rule_id: &str, subject: &Subject) -> String {
    let mut h = Sha256::new();
    h.update(rule_id.as_bytes());
    h.update([0]);
    h.update(match subject {
        Subject::Element(_) => b"e".as_slice(),
        Subject::Flow(_) => b"f".as_slice(),
        Subject::Model => b"m".as_slice(),
    });
    h.update([0]);
    h.update(subject.key().as_bytes());
    format!("T-{}", guard_core::finding::hex(&h.finalize()[..6]))
}

pub(crate) struct Cx<'a> {
    pub(crate) m: &'a Model,
    pub(crate) out: Vec<Threat>,
    /// Set while the Threagile rule family runs: on Threagile input, rules
    /// mapped to a Threagile category fire only from there, with
    /// Threagile's own detection logic.
    pub(crate) threagile_family: bool,
}

fn sens(a: &ElementAttrs) -> bool {
    a.confidentiality >= 3 || a.integrity >= 3 || a.availability >= 3
}

fn very(a: &ElementAttrs) -> bool {
    a.confidentiality >= 4 || a.integrity >= 4 || a.availability >= 4
}

fn bump(v: u8, by: u8) -> u8 {
    (v + by).clamp(1, 4)
}

/// Web protocols: Threagile's, and `http/s` as models write it.
fn is_web_protocol(p: &str) -> bool {
    crate::tgrules::WEB.contains(&p) || p == "http/s"
}

/// Database protocols: Threagile's, and the database names models use.
fn is_db_protocol(p: &str) -> bool {
    crate::tgrules::DB_STRICT.contains(&p)
        || ["mysql", "postgres", "postgresql", "sql", "mongodb", "redis"].contains(&p)
}

fn is_local(f: &Flow) -> bool {
    f.tags.contains("local")
}

fn has(e: &Element, techs: &[&str]) -> bool {
    e.attrs
        .technologies
        .iter()
        .any(|t| techs.contains(&t.as_str()))
}

fn f_claims(flows: &[&Flow], mit: &str) -> bool {
    !flows.is_empty() && flows.iter().all(|f| f.controls.contains(mit))
}

fn claims(e: &Element, mit: &str) -> bool {
    e.attrs.controls.contains(mit)
}

impl Cx<'_> {
    fn el(&self, id: &str) -> Option<&Element> {
        self.m.element(id)
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push(
        &mut self,
        rule_id: &str,
        subject: Subject,
        name: &str,
        group: &str,
        line: u32,
        l_up: u8,
        i_up: u8,
        message: String,
        sid: Option<Vec<&str>>,
    ) {
        let Some(rule) = rule(rule_id) else { return };
        if self.m.format == Format::Threagile && rule.threagile.is_some() && !self.threagile_family
        {
            return;
        }
        let likelihood = bump(rule.likelihood, l_up);
        let impact = bump(rule.impact, i_up);
        let id = threat_id(rule.id, &subject);
        // Only risk tracking reads the keys.
        let mut keys = Vec::new();
        if !self.m.tracking.is_empty() {
            keys.push(id.clone());
            keys.push(format!("{}@{}", rule.id, subject.key()));
            if let (Some((cat, _)), Some(parts)) = (rule.threagile, sid) {
                keys.push(
                    std::iter::once(cat)
                        .chain(parts)
                        .collect::<Vec<_>>()
                        .join("@"),
                );
            }
        }
        self.out.push(Threat {
            id,
            rule,
            subject,
            name: name.to_string(),
            group: group.to_string(),
            line,
            likelihood,
            impact,
            severity: severity(likelihood, impact),
            message,
            keys,
            tracked: None,
        });
    }

    pub(crate) fn elem(&mut self, rule_id: &str, e: &Element, l_up: u8, i_up: u8, message: String) {
        let sid = Some(vec![e.id.as_str()]);
        self.push(
            rule_id,
            Subject::Element(e.id.clone()),
            &e.name,
            &e.id,
            e.line,
            l_up,
            i_up,
            message,
            sid,
        );
    }

    pub(crate) fn flow(&mut self, rule_id: &str, f: &Flow, l_up: u8, i_up: u8, message: String) {
        let sid = rule(rule_id)
            .and_then(|r| r.threagile)
            .map(|(_, shape)| match shape {
                Sid::Lst | Sid::Lsg | Sid::T => vec![f.id.as_str(), f.from.as_str(), f.to.as_str()],
                Sid::Stl => vec![f.from.as_str(), f.to.as_str(), f.id.as_str()],
                Sid::Tsl => vec![f.to.as_str(), f.from.as_str(), f.id.as_str()],
            });
        self.flow_with(rule_id, f, l_up, i_up, message, sid);
    }

    /// A threat on flow `f` with the given Threagile synthetic-id parts.
    pub(crate) fn flow_with(
        &mut self,
        rule_id: &str,
        f: &Flow,
        l_up: u8,
        i_up: u8,
        message: String,
        sid: Option<Vec<&str>>,
    ) {
        let name = format!(
            "{} ({} -> {})",
            f.name,
            self.name_of(&f.from),
            self.name_of(&f.to)
        );
        self.push(
            rule_id,
            Subject::Flow(f.id.clone()),
            &name,
            &f.to,
            f.line,
            l_up,
            i_up,
            message,
            sid,
        );
    }

    pub(crate) fn name_of(&self, id: &str) -> String {
        self.el(id)
            .map_or_else(|| id.to_string(), |e| e.name.clone())
    }
}

/// Impact step-up from sensitivity: +1 when sensitive, +2 when very.
fn i_up(a: &ElementAttrs) -> u8 {
    u8::from(sens(a)) + u8::from(very(a))
}

/// Evaluates every rule over the model, then applies its risk tracking.
pub fn analyse(m: &Model) -> Vec<Threat> {
    let mut cx = Cx {
        m,
        out: Vec::new(),
        threagile_family: false,
    };
    let in_scope = |id: &str| m.element(id).is_some_and(|e| !e.out_of_scope);
    // Elements next to a log store, and flows by end, computed once.
    let mut log_adjacent: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut flows_in: std::collections::HashMap<&str, Vec<&Flow>> =
        std::collections::HashMap::new();
    let mut flows_out: std::collections::HashMap<&str, Vec<&Flow>> =
        std::collections::HashMap::new();
    for f in &m.flows {
        if m.element(&f.to).is_some_and(|t| t.attrs.is_log_store) {
            log_adjacent.insert(f.from.as_str());
        }
        if m.element(&f.from).is_some_and(|t| t.attrs.is_log_store) {
            log_adjacent.insert(f.to.as_str());
        }
        if !f.out_of_scope {
            flows_in.entry(f.to.as_str()).or_default().push(f);
            flows_out.entry(f.from.as_str()).or_default().push(f);
        }
    }
    let has_log_store = |pid: &str| log_adjacent.contains(pid);
    let internet_el = |id: &str| m.element(id).is_some_and(|e| e.attrs.internet);
    let has_vault = m
        .elements
        .iter()
        .any(|e| has(e, &["vault", "secret-manager", "kms", "hsm"]));

    // Element and flow threats are independent: the flows are read on a
    // second thread, and their threats follow the elements' as in one pass.
    let flow_threats = std::thread::scope(|s| {
        let flows = s.spawn(|| {
            let mut cx = Cx {
                m,
                out: Vec::new(),
                threagile_family: false,
            };
            for f in &m.flows {
                if f.out_of_scope {
                    continue;
                }
                let (Some(src), Some(dst)) = (m.element(&f.from), m.element(&f.to)) else {
                    continue;
                };
                if src.out_of_scope && dst.out_of_scope {
                    continue;
                }
                let local = is_local(f);
                let crosses = !f.crosses.is_empty() || src.attrs.internet != dst.attrs.internet;
                let conf = m.flow_confidentiality(f);
                let plain = f.encrypted == Some(false)
                    && !local
                    && !f.vpn
                    && !f.controls.contains("MIT-TLS");
                let response = f.tags.contains("response");
                if plain
                    && (crosses || conf >= 2 || !matches!(f.authn, Authn::None | Authn::Unknown))
                {
                    cx.flow(
                        "STRIDE-I-001",
                        f,
                        u8::from(src.attrs.internet || dst.attrs.internet),
                        u8::from(conf >= 3) + u8::from(conf >= 4),
                        format!(
                            "`{}` from `{}` to `{}` is not encrypted{}",
                            f.name,
                            src.name,
                            dst.name,
                            if crosses {
                                " and crosses a trust boundary"
                            } else {
                                ""
                            }
                        ),
                    );
                }
                if plain && crosses {
                    cx.flow(
                        "STRIDE-T-002",
                        f,
                        0,
                        u8::from(sens(&dst.attrs)),
                        format!(
                            "`{}` can be modified in transit between `{}` and `{}`",
                            f.name, src.name, dst.name
                        ),
                    );
                }
                if plain
                    && (m.flow_carries_credentials(f)
                        || matches!(
                            f.authn,
                            Authn::Credentials | Authn::SessionId | Authn::Token
                        ))
                {
                    cx.flow(
                        "STRIDE-I-002",
                        f,
                        0,
                        0,
                        format!("`{}` carries credentials unencrypted", f.name),
                    );
                }
                let dst_in = !dst.out_of_scope && dst.kind != ElementKind::External;
                if dst_in
                    && !local
                    && crosses
                    && !response
                    && (f.authn == Authn::None
                        || (f.authn == Authn::Unknown && m.format != Format::Threagile))
                    && !f.controls.contains("MIT-AUTHN")
                    && !claims(dst, "MIT-AUTHN")
                {
                    cx.flow(
                        "STRIDE-S-002",
                        f,
                        0,
                        i_up(&dst.attrs).min(1),
                        format!(
                            "`{}` enters `{}` from another trust zone without authentication",
                            f.name, dst.name
                        ),
                    );
                }
                let web = is_web_protocol(&f.protocol);
                if dst_in && dst.attrs.web_app && src.attrs.used_by_human && web {
                    cx.flow(
                        "STRIDE-S-003",
                        f,
                        0,
                        0,
                        format!(
                            "browser requests over `{}` reach web application `{}`",
                            f.name, dst.name
                        ),
                    );
                }
                if dst_in
                    && dst.kind == ElementKind::Store
                    && (is_db_protocol(&f.protocol)
                        || has(dst, &["database"])
                        || dst.attrs.accepts.contains("sql"))
                    && !claims(src, "MIT-PARAMETERIZED-QUERIES")
                {
                    cx.flow(
                        "STRIDE-T-004",
                        f,
                        0,
                        i_up(&dst.attrs).min(1),
                        format!(
                            "`{}` sends queries to `{}` over `{}`",
                            src.name, dst.name, f.name
                        ),
                    );
                }
                if dst_in
                    && (f.protocol.starts_with("ldap")
                        || has(dst, &["identity-store-ldap", "ldap"]))
                {
                    cx.flow(
                        "STRIDE-T-005",
                        f,
                        0,
                        0,
                        format!("`{}` sends LDAP queries to `{}`", src.name, dst.name),
                    );
                }
                if dst_in
                    && (has(dst, &["file-server", "local-file-system"])
                        || (dst.kind == ElementKind::Store && dst.attrs.accepts.contains("file")))
                {
                    cx.flow(
                        "STRIDE-I-008",
                        f,
                        0,
                        0,
                        format!("`{}` reaches file storage `{}`", src.name, dst.name),
                    );
                }
                if !src.out_of_scope
                    && src.kind == ElementKind::Process
                    && !src.attrs.used_by_human
                    && web
                    && !has(src, &["load-balancer", "reverse-proxy", "waf", "gateway"])
                    && dst.kind != ElementKind::Store
                {
                    cx.flow(
                        "STRIDE-I-007",
                        f,
                        0,
                        0,
                        format!("`{}` makes web requests (`{}`)", src.name, f.name),
                    );
                }
                if dst_in
                    && dst.attrs.availability >= 3
                    && crosses
                    && !local
                    && !f.tags.contains("devops")
                    && !has(dst, &["load-balancer"])
                {
                    cx.flow(
                        "STRIDE-D-003",
                        f,
                        0,
                        0,
                        format!(
                            "`{}` reaches critical `{}` from another trust zone",
                            src.name, dst.name
                        ),
                    );
                }
                if dst_in && dst.attrs.multi_tenant && f.authz != Authz::EndUser && !local {
                    cx.flow(
                        "STRIDE-E-003",
                        f,
                        0,
                        0,
                        format!(
                            "multi-tenant `{}` is called over `{}` without the end user's identity",
                            dst.name, f.name
                        ),
                    );
                }
                if dst_in
                    && src.attrs.used_by_human
                    && sens(&dst.attrs)
                    && matches!(
                        f.authn,
                        Authn::Credentials | Authn::SessionId | Authn::Token
                    )
                    && !claims(dst, "MIT-MFA")
                {
                    cx.flow(
                        "STRIDE-E-004",
                        f,
                        0,
                        0,
                        format!(
                            "`{}` reaches sensitive `{}` with one factor",
                            src.name, dst.name
                        ),
                    );
                }
                if dst_in
                    && dst.kind == ElementKind::Store
                    && sens(&dst.attrs)
                    && crosses
                    && src.kind != ElementKind::Store
                    && !f.tags.contains("devops")
                {
                    cx.flow(
                        "STRIDE-E-005",
                        f,
                        0,
                        0,
                        format!(
                            "`{}` accesses data store `{}` directly from another trust zone",
                            src.name, dst.name
                        ),
                    );
                }
                if dst_in
                    && src.attrs.internet
                    && !f.vpn
                    && sens(&dst.attrs)
                    && !has(dst, &["load-balancer", "waf", "reverse-proxy", "gateway"])
                    && !claims(dst, "MIT-WAF")
                {
                    cx.flow(
                        "STRIDE-E-006",
                        f,
                        0,
                        0,
                        format!(
                            "sensitive `{}` takes calls from internet-facing `{}` directly",
                            dst.name, src.name
                        ),
                    );
                }
                if dst_in
                    && dst.attrs.web_app
                    && web
                    && src.attrs.internet
                    && !has(src, &["waf"])
                    && !claims(dst, "MIT-WAF")
                    && !dst.attrs.controls.contains("MIT-WAF")
                {
                    cx.flow(
                        "STRIDE-T-009",
                        f,
                        0,
                        0,
                        format!(
                            "internet traffic reaches web application `{}` with no WAF in front",
                            dst.name
                        ),
                    );
                }
                if f.tags.contains("devops")
                    && !f.readonly
                    && has(src, &["build-pipeline", "ci-cd"])
                    && dst_in
                    && !dst.attrs.admin
                {
                    cx.flow(
                        "STRIDE-T-012",
                        f,
                        0,
                        0,
                        format!(
                            "pipeline `{}` deploys to `{}` with write access",
                            src.name, dst.name
                        ),
                    );
                }
                if (f.tags.contains("devops") || dst.attrs.admin)
                    && !local
                    && f.authz == Authz::TechnicalUser
                    && dst_in
                {
                    cx.flow(
                        "STRIDE-R-004",
                        f,
                        0,
                        0,
                        format!(
                            "administrative access over `{}` uses a technical identity",
                            f.name
                        ),
                    );
                }
                if !m.data.is_empty()
                    && f.data.is_empty()
                    && matches!(m.format, Format::Threagile | Format::Guard)
                {
                    cx.flow(
                        "STRIDE-E-009",
                        f,
                        0,
                        0,
                        format!("`{}` carries no data asset", f.name),
                    );
                }
                if m.format == Format::Threagile
                    && (f.protocol == "unknown-protocol" || f.protocol.is_empty())
                {
                    cx.flow(
                        "STRIDE-I-011",
                        f,
                        0,
                        0,
                        format!("`{}` has an unknown protocol", f.name),
                    );
                }
            }
            cx.out
        });
        for e in &m.elements {
            if e.out_of_scope {
                continue;
            }
            let a = &e.attrs;
            let incoming: Vec<&Flow> = flows_in.get(e.id.as_str()).cloned().unwrap_or_default();
            let outgoing: Vec<&Flow> = flows_out.get(e.id.as_str()).cloned().unwrap_or_default();
            let from_outside: Vec<&Flow> = incoming
                .iter()
                .copied()
                .filter(|f| !is_local(f) && (!f.crosses.is_empty() || internet_el(&f.from)))
                .collect();
            match e.kind {
                ElementKind::External => {
                    let targets: Vec<&Flow> = outgoing
                        .iter()
                        .copied()
                        .filter(|f| {
                            in_scope(&f.to) && matches!(f.authn, Authn::None | Authn::Unknown)
                        })
                        .collect();
                    if let Some(f) = targets.first() {
                        cx.elem(
                            "STRIDE-S-001",
                            e,
                            0,
                            0,
                            format!(
                                "`{}` calls `{}` (`{}`) without authentication; anyone can act as it",
                                e.name,
                                cx.name_of(&f.to),
                                f.name
                            ),
                        );
                    }
                    let unlogged: Vec<&Flow> = outgoing
                        .iter()
                        .copied()
                        .filter(|f| {
                            m.element(&f.to).is_some_and(|t| {
                                t.kind == ElementKind::Process
                                    && !t.out_of_scope
                                    && !has_log_store(&t.id)
                                    && !claims(t, "MIT-AUDIT-LOG")
                            })
                        })
                        .collect();
                    if a.used_by_human || a.internet {
                        if let Some(f) = unlogged.first() {
                            cx.elem(
                                "STRIDE-R-001",
                                e,
                                0,
                                0,
                                format!(
                                    "`{}` acts on `{}`, which keeps no audit log",
                                    e.name,
                                    cx.name_of(&f.to)
                                ),
                            );
                        }
                    }
                }
                ElementKind::Process => {
                    if a.custom_code
                        && !from_outside.is_empty()
                        && !claims(e, "MIT-INPUT-VALIDATION")
                    {
                        cx.elem("STRIDE-T-001", e, u8::from(a.internet), i_up(a), format!("`{}` takes input from outside its trust zone ({}) and no input validation is claimed", e.name, from_outside.iter().map(|f| format!("`{}`", f.name)).collect::<Vec<_>>().join(", ")));
                    }
                    let human_input = incoming.iter().any(|f| {
                        m.element(&f.from)
                            .is_some_and(|s| s.attrs.used_by_human || s.attrs.internet)
                    });
                    if (sens(a) || human_input || a.internet)
                        && !has_log_store(&e.id)
                        && !claims(e, "MIT-AUDIT-LOG")
                        && (!incoming.is_empty() || !outgoing.is_empty())
                    {
                        cx.elem("STRIDE-R-002", e, 0, u8::from(sens(a)), format!("`{}` handles {} but has no flow to a log store and claims no audit logging", e.name, if sens(a) { "sensitive data" } else { "outside input" }));
                    }
                    if a.confidentiality >= 3 && !from_outside.is_empty() {
                        cx.elem("STRIDE-I-010", e, 0, u8::from(very(a)), format!("`{}` handles confidential data and answers callers from another trust zone", e.name));
                    }
                    let entry = incoming.iter().any(|f| {
                        !is_local(f)
                            && (internet_el(&f.from)
                                || (m
                                    .element(&f.from)
                                    .is_some_and(|s| s.kind == ElementKind::External)
                                    && !f.crosses.is_empty()))
                    });
                    if (a.internet || entry)
                        && !claims(e, "MIT-RATE-LIMIT")
                        && !has(
                            e,
                            &["load-balancer", "waf", "reverse-proxy", "gateway", "cdn"],
                        )
                    {
                        cx.elem("STRIDE-D-001", e, 0, u8::from(a.availability >= 3), format!("`{}` is an internet-facing entry point and no rate limiting is claimed", e.name));
                    }
                    let user_in: Vec<&Flow> = incoming
                        .iter()
                        .copied()
                        .filter(|f| {
                            m.element(&f.from).is_some_and(|s| s.attrs.used_by_human)
                                && f.authz == Authz::None
                        })
                        .collect();
                    if let Some(f) = user_in.first() {
                        cx.elem(
                            "STRIDE-E-001",
                            e,
                            0,
                            i_up(a),
                            format!(
                                "user requests reach `{}` over `{}` with authorisation `none`",
                                e.name, f.name
                            ),
                        );
                    }
                    if a.web_app && a.custom_code {
                        cx.elem(
                            "STRIDE-T-007",
                            e,
                            0,
                            i_up(a),
                            format!("`{}` is a web application with custom code", e.name),
                        );
                    }
                    if a.accepts.contains("serialization")
                        || has(e, &["ejb"])
                        || incoming.iter().any(|f| {
                            matches!(
                                f.protocol.as_str(),
                                "iiop" | "iiop-encrypted" | "jrmp" | "jrmp-encrypted"
                            )
                        })
                    {
                        cx.elem(
                            "STRIDE-T-006",
                            e,
                            0,
                            i_up(a),
                            format!("`{}` accepts serialised objects", e.name),
                        );
                    }
                    if a.custom_code && a.accepts.contains("file") {
                        cx.elem(
                            "STRIDE-S-004",
                            e,
                            0,
                            0,
                            format!("`{}` accepts files", e.name),
                        );
                    }
                    if has(e, &["container-platform", "kubernetes"]) {
                        cx.elem(
                            "STRIDE-E-007",
                            e,
                            0,
                            i_up(a),
                            format!("`{}` is a container platform", e.name),
                        );
                    }
                    if has(e, &["service-registry"]) {
                        cx.elem(
                            "STRIDE-S-005",
                            e,
                            0,
                            0,
                            format!("`{}` is a service registry", e.name),
                        );
                    }
                }
                ElementKind::Store => {
                    if (a.confidentiality >= 3 || a.integrity >= 3)
                        && a.encrypted_at_rest != Some(true)
                        && !claims(e, "MIT-ENCRYPT-AT-REST")
                        && !has(e, &["vault", "kms", "hsm"])
                    {
                        let up = u8::from(very(a));
                        cx.elem(
                            "STRIDE-I-003",
                            e,
                            0,
                            up,
                            format!(
                                "`{}` stores {} data and is not encrypted at rest",
                                e.name,
                                if a.confidentiality >= 3 {
                                    "confidential"
                                } else {
                                    "critical"
                                }
                            ),
                        );
                    }
                    if a.is_log_store && !claims(e, "MIT-LOG-INTEGRITY") {
                        cx.elem(
                            "STRIDE-R-003",
                            e,
                            0,
                            0,
                            format!("log store `{}` is not append-only or signed", e.name),
                        );
                    }
                    let unauth_writes: Vec<&Flow> = incoming
                        .iter()
                        .copied()
                        .filter(|f| !f.readonly && f.authn == Authn::None && !is_local(f))
                        .collect();
                    if a.integrity >= 3 {
                        if let Some(f) = unauth_writes.first() {
                            cx.elem(
                                "STRIDE-T-003",
                                e,
                                0,
                                u8::from(very(a)),
                                format!(
                                    "`{}` takes writes over `{}` without authentication",
                                    e.name, f.name
                                ),
                            );
                        }
                    }
                    if a.accepts.contains("xml") {
                        cx.elem(
                            "STRIDE-I-006",
                            e,
                            0,
                            i_up(a),
                            format!("`{}` parses XML", e.name),
                        );
                    }
                }
            }
            if e.kind != ElementKind::External {
                let open_authn: Vec<&Flow> = incoming
                    .iter()
                    .copied()
                    .filter(|f| {
                        f.authn == Authn::Unknown && !is_local(f) && !f.tags.contains("response")
                    })
                    .collect();
                if e.kind == ElementKind::Process
                    && !claims(e, "MIT-AUTHN")
                    && !f_claims(&open_authn, "MIT-AUTHN")
                {
                    if let Some(f) = open_authn.first() {
                        cx.elem("STRIDE-S-006", e, 0, 0, format!("`{}` is called over `{}` and neither says how the caller is authenticated", e.name, f.name));
                    }
                }
                let open_authz: Vec<&Flow> = incoming
                    .iter()
                    .copied()
                    .filter(|f| {
                        f.authz == Authz::Unknown && !is_local(f) && !f.tags.contains("response")
                    })
                    .collect();
                if !claims(e, "MIT-AUTHZ") {
                    if let Some(f) = open_authz.first() {
                        cx.elem(
                            "STRIDE-E-011",
                            e,
                            0,
                            u8::from(sens(a)),
                            format!(
                                "`{}` is reached over `{}` and neither says how access is authorised",
                                e.name, f.name
                            ),
                        );
                    }
                }
            }
            // Every kind.
            if e.kind != ElementKind::External {
                if a.accepts.contains("xml") && e.kind == ElementKind::Process {
                    cx.elem(
                        "STRIDE-I-006",
                        e,
                        0,
                        i_up(a),
                        format!("`{}` parses XML", e.name),
                    );
                }
                if a.secrets_in_config && !claims(e, "MIT-SECRETS-VAULT") {
                    cx.elem(
                        "STRIDE-I-004",
                        e,
                        0,
                        i_up(a),
                        format!("`{}` keeps secrets in its configuration", e.name),
                    );
                }
                if a.installs_updates && !claims(e, "MIT-SIGNED-UPDATES") {
                    cx.elem(
                        "STRIDE-T-008",
                        e,
                        0,
                        0,
                        format!(
                            "`{}` builds or installs code with no integrity check claimed",
                            e.name
                        ),
                    );
                }
                let reached_from_internet =
                    a.internet || incoming.iter().any(|f| internet_el(&f.from) && !f.vpn);
                if a.installs_updates && reached_from_internet {
                    cx.elem(
                        "STRIDE-T-010",
                        e,
                        0,
                        0,
                        format!(
                            "development component `{}` is reachable from the internet",
                            e.name
                        ),
                    );
                }
                if a.container {
                    cx.elem(
                        "STRIDE-T-011",
                        e,
                        0,
                        0,
                        format!("`{}` runs in a container", e.name),
                    );
                }
                let cloud = a.tags.iter().find(|t| {
                    ["aws", "azure", "gcp", "ocp"]
                        .iter()
                        .any(|c| t.as_str() == *c || t.starts_with(&format!("{c}:")))
                });
                if let Some(tag) = cloud {
                    if !claims(e, "MIT-HARDENING") {
                        cx.elem(
                            "STRIDE-T-014",
                            e,
                            0,
                            0,
                            format!(
                                "`{}` runs in the cloud (`{tag}`) and claims no hardening baseline",
                                e.name
                            ),
                        );
                    }
                }
                if has(e, &["sourcecode-repository", "artifact-registry"]) {
                    cx.elem(
                        "STRIDE-I-009",
                        e,
                        0,
                        0,
                        format!("`{}` is a source repository or artefact registry", e.name),
                    );
                }
                if a.availability >= 3 && !a.redundant && !claims(e, "MIT-REDUNDANCY") {
                    cx.elem(
                        "STRIDE-D-002",
                        e,
                        0,
                        u8::from(a.availability >= 4),
                        format!(
                            "availability of `{}` is critical and it is not redundant",
                            e.name
                        ),
                    );
                }
                if very(a) && !claims(e, "MIT-HARDENING") {
                    cx.elem(
                        "STRIDE-E-008",
                        e,
                        0,
                        0,
                        format!(
                            "`{}` holds very sensitive data or functions and claims no hardening",
                            e.name
                        ),
                    );
                }
                if a.admin {
                    let exposed: Vec<&Flow> = incoming
                        .iter()
                        .copied()
                        .filter(|f| {
                            !f.vpn
                                && !is_local(f)
                                && (internet_el(&f.from) || !f.crosses.is_empty())
                        })
                        .collect();
                    if (a.internet || !exposed.is_empty()) && !claims(e, "MIT-ADMIN-ISOLATION") {
                        cx.elem("STRIDE-E-002", e, 0, 0, format!("administration interface `{}` is reachable from the internet or another trust zone without a VPN", e.name));
                    }
                }
                if m.format == Format::Threagile && a.technologies.is_empty() {
                    cx.elem(
                        "STRIDE-I-011",
                        e,
                        0,
                        0,
                        format!("`{}` has no technology", e.name),
                    );
                }
                if has(e, &["search-engine", "search-index"]) {
                    for f in &incoming {
                        cx.flow(
                            "STRIDE-T-013",
                            f,
                            0,
                            0,
                            format!(
                                "queries reach search component `{}` over `{}`",
                                e.name, f.name
                            ),
                        );
                    }
                }
            }
        }
        flows.join()
    });
    match flow_threats {
        Ok(threats) => cx.out.extend(threats),
        Err(panic) => std::panic::resume_unwind(panic),
    }

    // As Threagile: any in-scope process and no vault anywhere in the model.
    let has_process = m
        .elements
        .iter()
        .any(|e| !e.out_of_scope && e.kind == ElementKind::Process);
    if has_process && !has_vault {
        cx.push(
            "STRIDE-I-005",
            Subject::Model,
            "model",
            "model",
            0,
            0,
            0,
            "the model has no vault or secret manager for the secrets its processes use".into(),
            Some(vec![]),
        );
    }
    for rt in &m.runtimes {
        let zones: BTreeSet<Option<&str>> = rt
            .elements
            .iter()
            .filter_map(|id| m.element(id))
            .map(|e| e.boundary.as_deref())
            .collect();
        if zones.len() > 1 {
            let sid = Some(vec![rt.id.as_str()]);
            cx.push(
                "STRIDE-E-010",
                Subject::Element(rt.id.clone()),
                &rt.name,
                &rt.id,
                rt.line,
                0,
                0,
                format!(
                    "shared runtime `{}` runs components of {} trust zones",
                    rt.name,
                    zones.len()
                ),
                sid,
            );
        }
    }
    if let Some(tg) = m.threagile.as_deref() {
        cx.threagile_family = true;
        crate::tgrules::evaluate(&mut cx, tg);
        cx.threagile_family = false;
    }
    if let Some(p) = m.pytm.as_deref() {
        crate::pytmrules::evaluate(&mut cx, p);
    }
    let mut out = cx.out;
    // One threat per (rule, subject).
    let mut seen = HashSet::with_capacity(out.len());
    out.retain(|t| seen.insert(t.id.clone()));
    apply_tracking(m, &mut out);
    // (rule, subject) is unique now, so the order is total.
    out.sort_unstable_by(|a, b| {
        (&a.group, a.rule.stride, a.rule.id, &a.subject).cmp(&(
            &b.group,
            b.rule.stride,
            b.rule.id,
            &b.subject,
        ))
    });
    out
}

/// A tracking key matches a threat key exactly, or with `*` standing for
/// one or more characters other than `@`. Exact keys win over patterns,
/// then the pattern with more literal characters, then file order.
pub fn apply_tracking(m: &Model, threats: &mut [Threat]) {
    for t in threats.iter_mut() {
        let mut best: Option<(usize, &Tracking)> = None;
        for tr in &m.tracking {
            let score = if t.keys.iter().any(|k| k == &tr.key) {
                usize::MAX
            } else if tr.key.contains('*') && t.keys.iter().any(|k| wildcard(&tr.key, k)) {
                tr.key.chars().filter(|c| *c != '*').count()
            } else {
                continue;
            };
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, tr));
            }
        }
        if let Some((_, tr)) = best {
            t.tracked = Some((tr.status, tr.justification.clone()));
        }
    }
}

/// Anchored match of `pattern` (`*` = one or more non-`@` characters).
pub fn wildcard(pattern: &str, text: &str) -> bool {
    fn go(p: &[u8], t: &[u8]) -> bool {
        match p.first() {
            None => t.is_empty(),
            Some(b'*') => {
                let mut i = 0;
                while i < t.len() && t[i] != b'@' {
                    i += 1;
                    if go(&p[1..], &t[i..]) {
                        return true;
                    }
                }
                false
            }
            Some(c) => t.first() == Some(c) && go(&p[1..], &t[1..]),
        }
    }
    go(pattern.as_bytes(), text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_scale() {
        assert_eq!(severity(1, 1), Severity::Low);
        assert_eq!(severity(2, 2), Severity::Medium);
        assert_eq!(severity(3, 3), Severity::High);
        assert_eq!(severity(4, 4), Severity::Critical);
    }

    #[test]
    fn wildcards_stay_within_parts() {
        assert!(wildcard("unencrypted-asset@*", "unencrypted-asset@db"));
        assert!(!wildcard("unencrypted-asset@*", "unencrypted-asset@db@x"));
        assert!(wildcard(
            "ldap-injection@*@ldap@*",
            "ldap-injection@a@ldap@a>b"
        ));
        assert!(wildcard("STRIDE-I-*@web", "STRIDE-I-003@web"));
        assert!(!wildcard("STRIDE-I-*@web", "STRIDE-I-003@webx"));
    }

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut ids = BTreeSet::new();
        for r in TABLE {
            assert!(ids.insert(r.id), "duplicate {}", r.id);
            let letter = r.id.chars().nth(7);
            assert_eq!(letter, Some(r.stride.letter()), "{}", r.id);
            for m in r.mitigations {
                assert!(crate::mitigations::mitigation(m).is_some(), "{}: {m}", r.id);
            }
        }
    }

    #[test]
    fn threat_id_depends_on_rule_and_subject_only() {
        let a = threat_id("STRIDE-I-003", &Subject::Element("db".into()));
        assert_eq!(a, threat_id("STRIDE-I-003", &Subject::Element("db".into())));
        assert_ne!(
            a,
            threat_id("STRIDE-I-003", &Subject::Element("db2".into()))
        );
        assert_ne!(a, threat_id("STRIDE-T-003", &Subject::Element("db".into())));
        assert_eq!(a.len(), 14);
    }
}
