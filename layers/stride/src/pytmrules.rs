//! The pytm rule family: on pytm exports, rules that read what pytm states
//! explicitly about each element and flow (its class, every control, its
//! attributes, its data) and fire where the conditions of pytm's threat
//! library hold for the classes those threats target. One guard rule per
//! (class family, STRIDE category) covers the pytm threats of that cell:
//!
//! | rule | pytm threats (targets) |
//! |---|---|
//! | STRIDE-S-009 | AA01-04, CR01, CR03, CR04 (Process, Server) |
//! | STRIDE-T-016 | INP01-41, SC01-05, LB01 (Process, Server, Lambda); LLM01/02/04/07 (LLM); LLM09 (Agent) |
//! | STRIDE-R-005 | DE04 (Datastore) |
//! | STRIDE-I-013 | DE02, DS01, DS04, HA01, HA03, CR02 (Process, Server) |
//! | STRIDE-I-015 | CR05 (Server, Datastore), DS02 (Process, Lambda), DS03, DS05 (Server), HA02/04 (ExternalEntity), LLM03/08 (LLM) |
//! | STRIDE-D-004 | DO01, DO02, DO05 (Process, Server, Datastore, Lambda) |
//! | STRIDE-E-019 | AC01-03, AC06-21, API01/02 (Process, Server, Lambda, Datastore); LLM05/06 (LLM) |
//! | STRIDE-S-008 | AC05, CR01 (Dataflow) |
//! | STRIDE-T-017 | CR06, CR07, CR08 (Dataflow) |
//! | STRIDE-I-014 | DE01, DE03, DS06, DR01, CR02, AC22-24 (Dataflow) |
//! | STRIDE-D-005 | DO03, DO04 (Dataflow) |
//! | STRIDE-E-020 | AC04 (Dataflow) |
//!
//! As in pytm, out-of-scope elements and flows are skipped, and an
//! element's assumptions that exclude every threat of a cell silence it.
//! `x is False` holds only for an explicit `false`; `not x` for any falsy
//! value.

use crate::model::*;
use crate::rules::Cx;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

fn falsy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => !b,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Number(n)) => n.as_f64() == Some(0.0),
        Some(_) => false,
    }
}

struct It<'a>(&'a PytmItem);

impl It<'_> {
    /// `target.controls.k is False`
    fn cf(&self, k: &str) -> bool {
        self.0.controls.get(k) == Some(&Value::Bool(false))
    }
    /// `not target.controls.k`
    fn cn(&self, k: &str) -> bool {
        falsy(self.0.controls.get(k))
    }
    /// `target.k is True`
    fn t(&self, k: &str) -> bool {
        self.0.fields.get(k) == Some(&Value::Bool(true))
    }
    /// `target.k is False`
    fn f(&self, k: &str) -> bool {
        self.0.fields.get(k) == Some(&Value::Bool(false))
    }
    fn s(&self, k: &str) -> &str {
        self.0.fields.get(k).and_then(Value::as_str).unwrap_or("")
    }
    fn cs(&self, k: &str) -> &str {
        self.0.controls.get(k).and_then(Value::as_str).unwrap_or("")
    }
    fn max_class(&self) -> u8 {
        crate::read::pytm::pytm_classification(self.s("maxClassification"))
    }
    /// validatesInput or sanitizesInput is False.
    fn unvalidated(&self) -> bool {
        self.cf("validatesInput") || self.cf("sanitizesInput")
    }
}

/// Runs the pytm rule family.
pub(crate) fn evaluate(cx: &mut Cx<'_>, p: &PytmInfo) {
    let m = cx.m;
    let none = BTreeSet::new();
    // Incoming flows per element (for checkTLSVersion(target.inputs)).
    let mut inputs: HashMap<&str, Vec<&Flow>> = HashMap::new();
    for f in &m.flows {
        inputs.entry(f.to.as_str()).or_default().push(f);
    }
    for e in &m.elements {
        let Some(item) = p.elements.get(&e.id) else {
            continue;
        };
        if e.out_of_scope {
            continue;
        }
        let x = It(item);
        let ex = p.excluded.get(&e.id).unwrap_or(&none);
        let open = |sids: &[&str]| sids.iter().any(|s| !ex.contains(*s));
        let class = item.class.as_str();
        let process = matches!(class, "Process" | "SetOfProcesses");
        let server = class == "Server";
        let lambda = class == "Lambda";
        let store = class == "Datastore";
        let data_json = e.data_processed.iter().any(|d| {
            p.data
                .get(d)
                .is_some_and(|d| d.format.eq_ignore_ascii_case("json"))
        });

        // Spoofing
        let s = (process || server)
            && (x.cf("authenticatesSource") || x.cf("implementsAuthenticationScheme"))
            || server
                && (((x.s("protocol") == "HTTP" || x.f("usesVPN")) && x.t("usesSessionTokens"))
                    || (x.t("usesSessionTokens") && x.cf("implementsNonce"))
                    || x.cf("providesIntegrity")
                    || x.cf("usesStrongSessionIdentifiers")
                    || (x.cf("implementsServerSideValidation")
                        && (x.cf("providesIntegrity") || x.cf("authorizesSource"))));
        if s && open(&["AA01", "AA02", "AA03", "AA04", "CR01", "CR03", "CR04"]) {
            cx.elem(
                "STRIDE-S-009",
                e,
                0,
                0,
                format!("`{}` does not authenticate its callers", e.name),
            );
        }

        // Tampering
        let t = ((process || lambda)
            && ((x.t("usesEnvironmentVariables")
                && x.cf("sanitizesInput")
                && x.cf("checksInputBounds"))
                || (x.t("implementsAPI") && x.unvalidated())
                || x.unvalidated()
                || x.cf("checksInputBounds")))
            || (process
                && (x.cf("usesSecureFunctions")
                    || x.cf("disablesiFrames")
                    || (x.cf("implementsNonce") && data_json)
                    || x.cf("encodesOutput")))
            || (server
                && (x.unvalidated()
                    || x.cf("encodesOutput")
                    || x.cf("validatesHeaders") && x.s("protocol") == "HTTP"
                    || x.cf("validatesContentType")
                    || x.cf("invokesScriptFilters")
                    || x.f("usesXMLParser")
                    || x.cf("disablesDTD")
                    || x.cf("checksInputBounds")
                    || (x.cf("implementsStrictHTTPValidation") && x.cf("encodesHeaders"))
                    || x.cf("providesIntegrity")
                    || x.cf("usesCodeSigning")
                    || x.cf("hasAccessControl")))
            || (class == "LLM"
                && ((x.t("processesUntrustedInput") && x.f("hasContentFiltering"))
                    || (x.t("hasRAG") && x.f("hasContentFiltering"))
                    || (x.t("hasFineTuning") && x.cf("providesIntegrity"))
                    || (x.f("hasContentFiltering") && x.t("hasSystemPrompt"))))
            || (class == "Agent" && x.t("usesExternalTools") && x.f("validatesToolLaunchConfig"));
        let t_sids = [
            "INP01", "INP02", "INP03", "INP04", "INP05", "INP06", "INP07", "INP08", "INP09",
            "INP10", "INP11", "INP12", "INP13", "INP14", "INP15", "INP16", "INP17", "INP18",
            "INP19", "INP20", "INP21", "INP22", "INP23", "INP24", "INP25", "INP26", "INP27",
            "INP28", "INP29", "INP30", "INP31", "INP32", "INP33", "INP34", "INP35", "INP36",
            "INP37", "INP38", "INP39", "INP40", "INP41", "SC01", "SC02", "SC03", "SC04", "SC05",
            "LB01", "LLM01", "LLM02", "LLM04", "LLM07", "LLM09",
        ];
        if t && open(&t_sids) {
            cx.elem(
                "STRIDE-T-016",
                e,
                0,
                0,
                format!("`{}` neither validates nor sanitises its input", e.name),
            );
        }

        // Repudiation
        if store && (x.cf("validatesInput") || x.cf("implementsPOLP")) && open(&["DE04"]) {
            cx.elem(
                "STRIDE-R-005",
                e,
                0,
                0,
                format!(
                    "records in `{}` can be altered without validation or least privilege",
                    e.name
                ),
            );
        }

        // Information disclosure
        let i_input = (process || server) && x.unvalidated()
            || server
                && (x.cf("encodesOutput")
                    || x.cf("validatesHeaders")
                    || x.cf("isHardened")
                    || (x.s("protocol") == "HTTP" && x.t("usesSessionTokens") && x.unvalidated()));
        if i_input && open(&["DE02", "DS01", "DS04", "HA01", "HA03", "CR02"]) {
            cx.elem(
                "STRIDE-I-013",
                e,
                0,
                0,
                format!("`{}` lets crafted input past its filters", e.name),
            );
        }
        let weak_alg = {
            let a = x.cs("usesEncryptionAlgorithm");
            a != "RSA" && a != "AES"
        };
        let i_setup = ((server || store) && weak_alg)
            || ((process || lambda) && x.s("environment") == "Production")
            || (server && (x.cf("isHardened") || x.t("usesCache")))
            || (class == "ExternalEntity" && x.t("hasPhysicalAccess"))
            || (class == "LLM"
                && ((x.t("isThirdParty")
                    && x.t("processesPersonalData")
                    && x.cf("providesConfidentiality"))
                    || (x.t("processesPersonalData") && x.cf("encodesOutput"))));
        if i_setup
            && open(&[
                "CR05", "DS02", "DS03", "DS05", "HA02", "HA04", "LLM03", "LLM08",
            ])
        {
            cx.elem("STRIDE-I-015", e, 0, 0, format!("`{}` may disclose data through its set-up (hardening, caching, encryption, environment or physical access)", e.name));
        }

        // Denial of service
        let d = ((process || server)
            && (x.cf("handlesResourceConsumption") || x.cf("isResilient")))
            || ((store || lambda) && x.cf("handlesResourceConsumption"))
            || (server && x.t("usesXMLParser") && x.unvalidated());
        if d && open(&["DO01", "DO02", "DO05"]) {
            cx.elem(
                "STRIDE-D-004",
                e,
                0,
                0,
                format!(
                    "`{}` does not limit resource consumption or is not resilient",
                    e.name
                ),
            );
        }

        // Elevation of privilege
        let ac03 = x.t("usesEnvironmentVariables")
            && (x.cf("implementsAuthenticationScheme")
                || x.cf("validatesInput")
                || x.cf("authorizesSource"));
        let tls_inputs = inputs.get(e.id.as_str()).is_some_and(|fs| {
            let min = p
                .elements
                .get(&e.id)
                .map_or(0, |i| tls_of(i.fields.get("minTLSVersion")));
            fs.iter().any(|f| {
                p.flows
                    .get(&f.id)
                    .is_some_and(|fi| tls_of(fi.fields.get("tlsVersion")) < min)
            })
        });
        let el = (store
            && (x.cf("hasAccessControl") || x.cf("authorizesSource") || x.t("isShared")))
            || ((process || lambda) && (x.t("implementsAPI") || ac03))
            || (process
                && (x.cf("hasAccessControl")
                    || x.cf("authorizesSource")
                    || x.cf("implementsPOLP")
                    || ((x.cf("usesStrongSessionIdentifiers") || x.cf("encryptsCookies"))
                        && x.cf("definesConnectionTimeout"))
                    || (x.cf("definesConnectionTimeout")
                        && (x.cf("usesMFA") || x.cf("encryptsSessionData")))
                    || x.cf("implementsCSRFToken")
                    || x.cf("verifySessionIdentifiers")))
            || (server
                && (x.cf("hasAccessControl")
                    || x.cf("authorizesSource")
                    || x.cf("isHardened")
                    || x.cf("usesStrongSessionIdentifiers")
                    || (x.t("usesSessionTokens") && x.cf("implementsNonce"))
                    || (tls_inputs
                        && (x.cn("implementsAuthenticationScheme") || x.cn("authorizesSource")))))
            || (class == "LLM"
                && ((x.t("hasAgentCapabilities")
                    && x.t("hasAccessToSensitiveSystems")
                    && x.cf("implementsPOLP"))
                    || (x.t("executesCode") && x.cf("isHardened"))));
        let e_sids = [
            "AC01", "AC02", "AC03", "AC06", "AC07", "AC08", "AC09", "AC10", "AC11", "AC12", "AC13",
            "AC14", "AC15", "AC16", "AC17", "AC18", "AC19", "AC20", "AC21", "API01", "API02",
            "LLM05", "LLM06",
        ];
        if el && open(&e_sids) {
            cx.elem(
                "STRIDE-E-019",
                e,
                0,
                0,
                format!("`{}` lacks access control or least privilege", e.name),
            );
        }
    }

    for f in &m.flows {
        let Some(item) = p.flows.get(&f.id) else {
            continue;
        };
        if f.out_of_scope {
            continue;
        }
        let x = It(item);
        let src = p.elements.get(&f.from);
        let sink = p.elements.get(&f.to);
        let integrity =
            |i: Option<&PytmItem>| i.is_some_and(|i| !falsy(i.controls.get("providesIntegrity")));
        let src_in = m.element(&f.from).is_some_and(|e| !e.out_of_scope);
        let sink_in = m.element(&f.to).is_some_and(|e| !e.out_of_scope);
        let forward_unauth = src_in
            && !item.is_response
            && (x.cn("authenticatesDestination") || x.cn("checksDestinationRevocation"));
        let data: Vec<&PytmData> = f.data.iter().filter_map(|d| p.data.get(d)).collect();
        let xml = data.iter().any(|d| d.format == "XML");
        let proto = x.s("protocol");

        let s = ((!integrity(src) || !integrity(sink)) && x.cn("isEncrypted"))
            || forward_unauth
            || ((proto == "HTTP" || x.f("usesVPN")) && x.t("usesSessionTokens"));
        if s {
            cx.flow(
                "STRIDE-S-008",
                f,
                0,
                0,
                format!("content on `{}` can be spoofed", f.name),
            );
        }

        let plain = x.cn("isEncrypted") || item.tls_below_sink_min;
        let t = plain
            || ((proto != "HTTPS" || x.f("usesVPN"))
                && (x.cf("implementsAuthenticationScheme") || x.cf("authorizesSource")))
            || (proto == "HTTP" && xml);
        if t {
            cx.flow(
                "STRIDE-T-017",
                f,
                0,
                0,
                format!("`{}` can be manipulated in transit", f.name),
            );
        }

        let leaks = {
            let mc = |i: Option<&PytmItem>| i.map_or(0, |i| It(i).max_class());
            let (a, b, c) = (mc(src), mc(sink), x.max_class());
            data.iter()
                .any(|d| d.classification > a || d.classification > b || d.classification > c)
        };
        let creds = data.iter().any(|d| d.is_credentials);
        let dr01 = (leaks || data.iter().any(|d| d.is_credentials || d.is_pii))
            && (x.cn("isEncrypted")
                || (!item.is_response
                    && data
                        .iter()
                        .any(|d| d.is_stored && d.is_dest_encrypted_at_rest))
                || (item.is_response
                    && data
                        .iter()
                        .any(|d| d.is_stored && d.is_source_encrypted_at_rest)));
        let ac22 = creds
            && sink_in
            && data.iter().any(|d| {
                matches!(
                    d.credentials_life.as_str(),
                    "UNKNOWN" | "LONG" | "MANUAL" | "HARDCODED"
                )
            });
        let i = plain
            || forward_unauth
            || proto == "HTTP"
            || x.cf("isEncrypted")
            || x.f("usesVPN")
            || leaks
            || dr01
            || ac22
            || (proto == "HTTP" && x.t("usesSessionTokens") && x.unvalidated());
        if i {
            cx.flow(
                "STRIDE-I-014",
                f,
                0,
                0,
                format!(
                    "`{}` can be read in transit or reach the wrong destination",
                    f.name
                ),
            );
        }
        if xml {
            cx.flow("STRIDE-D-005", f, 0, 0, format!("`{}` carries XML", f.name));
            if x.cf("authorizesSource") {
                cx.flow(
                    "STRIDE-E-020",
                    f,
                    0,
                    0,
                    format!(
                        "`{}` carries XML from a source that is not authorised",
                        f.name
                    ),
                );
            }
        }
    }
}

/// A `TLSVersion.*` value's order (NONE 0 .. TLSv13 7).
fn tls_of(v: Option<&Value>) -> u8 {
    match v.and_then(Value::as_str).and_then(|s| s.rsplit('.').next()) {
        Some("SSLv1") => 1,
        Some("SSLv2") => 2,
        Some("SSLv3") => 3,
        Some("TLSv10") => 4,
        Some("TLSv11") => 5,
        Some("TLSv12") => 6,
        Some("TLSv13") => 7,
        _ => 0,
    }
}
