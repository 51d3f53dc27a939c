//! The Threagile rule family: on Threagile input, every rule of the table
//! that maps to a Threagile built-in risk category fires here, with
//! Threagile's own detection logic (its technology attributes, its
//! "across a network trust boundary" helper, its relative attacker
//! attractiveness) and on the same affected element: the risk's most
//! relevant communication link when it has one, else its technical asset,
//! shared runtime, trust boundary or data asset. Tracking keys carry
//! Threagile's synthetic risk ids, so a model's `risk_tracking` applies.
//!
//! Everything here reads [`ThreagileInfo`], which only the Threagile reader
//! fills; other formats use the generic conditions in [`crate::rules`].

use crate::model::*;
use crate::rules::{Cx, Subject};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Threagile's scale positions: confidential, strictly-confidential,
/// critical, mission-critical, important, restricted.
const CONF: Level = 3;
const SCONF: Level = 4;
const CRIT: Level = 3;
const MCRIT: Level = 4;
const IMPORTANT: Level = 2;
const RESTRICTED: Level = 2;

pub(crate) const WEB: &[&str] = &[
    "http",
    "https",
    "ws",
    "wss",
    "reverse-proxy-web-protocol",
    "reverse-proxy-web-protocol-encrypted",
];
pub(crate) const DB_STRICT: &[&str] = &[
    "jdbc",
    "jdbc-encrypted",
    "odbc",
    "odbc-encrypted",
    "sql-access-protocol",
    "sql-access-protocol-encrypted",
    "nosql-access-protocol",
    "nosql-access-protocol-encrypted",
];
const DB_LAX: &[&str] = &["http", "https", "binary", "binary-encrypted"];

fn is_web(p: &str) -> bool {
    WEB.contains(&p)
}

/// Threagile's `IsEncrypted`.
fn encrypted(p: &str) -> bool {
    crate::read::threagile::protocol_encrypted(p)
}

fn local(p: &str) -> bool {
    crate::read::threagile::protocol_local(p)
}

/// Asset-attractiveness weights (Fibonacci) as Threagile's RAA uses them.
const C_ASSET: [f64; 5] = [8.0, 13.0, 21.0, 34.0, 55.0];
const C_DATA: [f64; 5] = [5.0, 8.0, 13.0, 21.0, 34.0];
const C_MOVED: [f64; 5] = [2.0, 3.0, 5.0, 8.0, 13.0];
const I_ASSET: [f64; 5] = [5.0, 8.0, 13.0, 21.0, 34.0];
const I_DATA: [f64; 5] = [3.0, 5.0, 8.0, 13.0, 21.0];
const I_MOVED: [f64; 5] = [2.0, 3.0, 5.0, 8.0, 13.0];

fn w(t: &[f64; 5], l: Level) -> f64 {
    t[usize::from(l.min(4))]
}

#[derive(Default)]
struct Groups<'a> {
    net: HashMap<Option<&'a str>, Vec<&'a str>>,
    exec: HashMap<&'a str, Vec<&'a str>>,
}

struct Ctx<'a> {
    /// Boundary id -> its chain of boundaries, innermost first.
    bchains: HashMap<&'a str, Vec<String>>,
    m: &'a Model,
    tg: &'a ThreagileInfo,
    data: HashMap<&'a str, &'a DataAsset>,
    bounds: HashMap<&'a str, &'a Boundary>,
    incoming: HashMap<&'a str, Vec<&'a Flow>>,
    outgoing: HashMap<&'a str, Vec<&'a Flow>>,
    /// Pairs (a, b) with a link in either direction.
    connected: BTreeSet<(&'a str, &'a str)>,
    empty: TgAsset,
}

impl<'a> Ctx<'a> {
    fn a(&self, id: &str) -> &TgAsset {
        self.tg.assets.get(id).unwrap_or(&self.empty)
    }

    fn attr(&self, id: &str, attr: &str) -> bool {
        self.a(id).attrs.contains(attr)
    }

    fn el(&self, id: &str) -> Option<&'a Element> {
        self.m.element(id)
    }

    fn oos(&self, id: &str) -> bool {
        self.el(id).is_none_or(|e| e.out_of_scope)
    }

    fn internet(&self, id: &str) -> bool {
        self.el(id).is_some_and(|e| e.attrs.internet)
    }

    fn human(&self, id: &str) -> bool {
        self.el(id).is_some_and(|e| e.attrs.used_by_human)
    }

    fn store(&self, id: &str) -> bool {
        self.el(id).is_some_and(|e| e.kind == ElementKind::Store)
    }

    fn inc(&self, id: &str) -> &[&'a Flow] {
        self.incoming.get(id).map_or(&[], Vec::as_slice)
    }

    fn out(&self, id: &str) -> &[&'a Flow] {
        self.outgoing.get(id).map_or(&[], Vec::as_slice)
    }

    fn devops(f: &Flow) -> bool {
        f.tags.contains("devops")
    }

    /// Highest (C, I, A) of the asset's own rating and its processed data.
    fn processed(&self, id: &str) -> (Level, Level, Level) {
        let a = self.a(id);
        a.processed
            .iter()
            .filter_map(|d| self.data.get(d.as_str()))
            .fold(a.own, |(c, i, av), d| {
                (
                    c.max(d.confidentiality),
                    i.max(d.integrity),
                    av.max(d.availability),
                )
            })
    }

    fn stored(&self, id: &str) -> (Level, Level) {
        let a = self.a(id);
        a.stored
            .iter()
            .filter_map(|d| self.data.get(d.as_str()))
            .fold((a.own.0, a.own.1), |(c, i), d| {
                (c.max(d.confidentiality), i.max(d.integrity))
            })
    }

    fn link_ci(&self, f: &Flow) -> (Level, Level) {
        f.data
            .iter()
            .filter_map(|d| self.data.get(d.as_str()))
            .fold((0, 0), |(c, i), d| {
                (c.max(d.confidentiality), i.max(d.integrity))
            })
    }

    fn sens(&self, (c, i, a): (Level, Level, Level)) -> bool {
        c >= CONF || i >= CRIT || a >= CRIT
    }

    fn boundary(&self, id: &str) -> Option<&'a Boundary> {
        self.el(id)
            .and_then(|e| e.boundary.as_deref())
            .and_then(|b| self.bounds.get(b).copied())
    }

    fn parent(&self, b: &Boundary) -> Option<&'a Boundary> {
        b.parent
            .as_deref()
            .and_then(|p| self.bounds.get(p).copied())
    }

    fn network(b: &Boundary) -> bool {
        b.kind.starts_with("network-")
    }

    /// Threagile's `isNetworkOnly`.
    fn network_only(&self, b: Option<&Boundary>) -> bool {
        match b {
            None => false,
            Some(b) => Self::network(b) || self.parent(b).is_none(),
        }
    }

    /// Threagile's `isAcrossTrustBoundaryNetworkOnly`.
    fn across(&self, f: &Flow) -> bool {
        let (s, t) = (self.boundary(&f.from), self.boundary(&f.to));
        if !self.network_only(s) || !self.network_only(t) {
            return false;
        }
        match (s, t) {
            (Some(s), Some(t)) => s.id != t.id && Self::network(t),
            _ => false,
        }
    }

    fn lift(&self, b: Option<&'a Boundary>) -> Option<&'a Boundary> {
        match b {
            Some(x) if !Self::network(x) => self.parent(x),
            other => other,
        }
    }

    /// The boundaries holding the asset, innermost first.
    fn chain(&self, id: &str) -> &[String] {
        self.el(id)
            .and_then(|e| e.boundary.as_deref())
            .and_then(|b| self.bchains.get(b))
            .map_or(&[], Vec::as_slice)
    }

    /// Assets satisfying `pred`, grouped by network segment (the direct
    /// boundary, or its parent for an execution environment) and by
    /// execution environment, so "another asset in the same segment" is a
    /// lookup rather than a scan.
    fn groups(&self, ids: &[&'a str], pred: impl Fn(&str) -> bool) -> Groups<'a> {
        let mut g = Groups::default();
        for &o in ids {
            if !pred(o) {
                continue;
            }
            g.net
                .entry(self.lift(self.boundary(o)).map(|b| b.id.as_str()))
                .or_default()
                .push(o);
            if let Some(b) = self.boundary(o) {
                if b.kind == "execution-environment" {
                    g.exec.entry(b.id.as_str()).or_default().push(o);
                }
            }
        }
        g
    }

    /// Whether some member of `g` other than `id` shares `id`'s network
    /// segment or execution environment and passes `extra`.
    fn near(&self, g: &Groups<'_>, id: &str, exec_too: bool, extra: impl Fn(&str) -> bool) -> bool {
        let net = g
            .net
            .get(&self.lift(self.boundary(id)).map(|b| b.id.as_str()))
            .into_iter()
            .flatten();
        let exec = self
            .boundary(id)
            .filter(|b| exec_too && b.kind == "execution-environment")
            .and_then(|b| g.exec.get(b.id.as_str()))
            .into_iter()
            .flatten();
        net.chain(exec).any(|&o| o != id && extra(o))
    }

    fn sensitivity_score(&self, id: &str) -> f64 {
        let (c, i, a) = self.a(id).own;
        w(&C_ASSET, c) + w(&I_ASSET, i) + w(&I_ASSET, a)
    }

    /// Threagile's attacker attractiveness of one asset (pkg/model/raa.go).
    fn attractiveness(&self, id: &str) -> f64 {
        if self.oos(id) {
            return 0.0;
        }
        let a = self.a(id);
        let mut s = w(&C_ASSET, a.own.0) + w(&I_ASSET, a.own.1) + w(&I_ASSET, a.own.2);
        let q = |d: &str| f64::from(*self.tg.quantity.get(d).unwrap_or(&1));
        for d in a.processed.iter().chain(a.stored.iter()) {
            if let Some(x) = self.data.get(d.as_str()) {
                s += w(&C_DATA, x.confidentiality) * q(d)
                    + w(&I_DATA, x.integrity) * q(d)
                    + w(&I_DATA, x.availability);
            }
        }
        for f in self.out(id) {
            if let Some(l) = self.tg.links.get(&f.id) {
                for d in l.sent.iter().chain(l.received.iter()) {
                    if let Some(x) = self.data.get(d.as_str()) {
                        s += w(&C_MOVED, x.confidentiality) * q(d)
                            + w(&I_MOVED, x.integrity) * q(d)
                            + w(&I_MOVED, x.availability);
                    }
                }
            }
        }
        let has = |n: &str| a.attrs.contains(n);
        if has("load-balancer") || has("reverse-proxy") {
            s /= 5.5;
        } else if has("monitoring") {
            s /= 5.0;
        } else if has("container-platform") {
            s *= 5.0;
        } else if has("vault")
            || has("build-pipeline")
            || has("sourcecode-repository")
            || has("artifact-registry")
        {
            s *= 2.0;
        } else if has("identity-provider")
            || has("identity-store-database")
            || has("identity-store-ldap")
        {
            s *= 2.5;
        } else if self.store(id) {
            s *= 2.0;
        }
        if self.el(id).is_some_and(|e| e.attrs.multi_tenant) {
            s *= 1.5;
        }
        s
    }

    /// Relative attacker attractiveness in percent for every asset.
    fn raa(&self) -> BTreeMap<&'a str, f64> {
        let aa: BTreeMap<&str, f64> = self
            .m
            .elements
            .iter()
            .map(|e| (e.id.as_str(), self.attractiveness(&e.id)))
            .collect();
        let min = aa.values().copied().fold(f64::INFINITY, f64::min);
        let mut max = aa.values().copied().fold(f64::NEG_INFINITY, f64::max);
        if min >= max {
            max = min + 1.0;
        }
        let rel = |v: f64| {
            let p = (v - min) / (max - min) * 100.0;
            if p <= 0.0 {
                1.0
            } else {
                p
            }
        };
        aa.iter()
            .map(|(&id, &v)| {
                let mut adj: f64 = 0.0;
                if !self.oos(id) {
                    for f in self.out(id) {
                        let delta = rel(*aa.get(f.to.as_str()).unwrap_or(&0.0)) - rel(v);
                        if delta > 0.0 {
                            adj = adj.max(delta / 3.0);
                        }
                    }
                }
                (id, rel(v + adj))
            })
            .collect()
    }
}

fn elem(cx: &mut Cx<'_>, rule: &str, id: &str, sid: &[&str], msg: String) {
    let (name, line) =
        cx.m.element(id)
            .map_or_else(|| (id.to_string(), 0), |e| (e.name.clone(), e.line));
    cx.push(
        rule,
        Subject::Element(id.to_string()),
        &name,
        id,
        line,
        0,
        0,
        msg,
        Some(sid.to_vec()),
    );
}

fn other(cx: &mut Cx<'_>, rule: &str, id: &str, name: &str, line: u32, sid: &[&str], msg: String) {
    cx.push(
        rule,
        Subject::Element(id.to_string()),
        name,
        id,
        line,
        0,
        0,
        msg,
        Some(sid.to_vec()),
    );
}

fn flow(cx: &mut Cx<'_>, rule: &str, f: &Flow, sid: &[&str], msg: String) {
    cx.flow_with(rule, f, 0, 0, msg, Some(sid.to_vec()));
}

/// Runs every Threagile category over the model.
pub(crate) fn evaluate(cx: &mut Cx<'_>, tg: &ThreagileInfo) {
    let m = cx.m;
    let mut incoming: HashMap<&str, Vec<&Flow>> = HashMap::new();
    let mut outgoing: HashMap<&str, Vec<&Flow>> = HashMap::new();
    let mut connected = BTreeSet::new();
    for f in &m.flows {
        incoming.entry(f.to.as_str()).or_default().push(f);
        outgoing.entry(f.from.as_str()).or_default().push(f);
        connected.insert((f.from.as_str(), f.to.as_str()));
        connected.insert((f.to.as_str(), f.from.as_str()));
    }
    let c = Ctx {
        bchains: m
            .boundaries
            .iter()
            .map(|b| (b.id.as_str(), m.chain(Some(&b.id))))
            .collect(),
        m,
        tg,
        data: m.data.iter().map(|d| (d.id.as_str(), d)).collect(),
        bounds: m.boundaries.iter().map(|b| (b.id.as_str(), b)).collect(),
        incoming,
        outgoing,
        connected,
        empty: TgAsset::default(),
    };
    let mut ids: Vec<&str> = m.elements.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    let raa = c.raa();
    let idp_groups = c.groups(&ids, |o| {
        !c.attr(o, "identity_related") && !c.attr(o, "close_to_high_value_targets_tolerated")
    });
    let vault_groups = c.groups(&ids, |o| !c.attr(o, "vault"));
    let lp_groups = c.groups(&ids, |o| {
        c.attr(o, "less_protected_type") && !c.attr(o, "close_to_high_value_targets_tolerated")
    });

    for &id in &ids {
        let a = c.a(id);
        let oos = c.oos(id);
        let name = c.el(id).map_or(id, |e| e.name.as_str());
        let pr = c.processed(id);
        let has = |x: &str| a.attrs.contains(x);

        if !oos && has("may_contain_secrets") {
            elem(
                cx,
                "STRIDE-I-009",
                id,
                &[id],
                format!("`{name}` may hold secrets checked in or packaged by mistake"),
            );
        }
        if !oos
            && has("development_relevant")
            && (c.internet(id) || c.inc(id).iter().any(|f| !f.vpn && c.internet(&f.from)))
        {
            elem(cx, "STRIDE-T-010", id, &[id], format!("development component `{name}` is reachable from the internet or by unmanaged clients"));
        }
        if !oos && a.machine == "container" {
            elem(
                cx,
                "STRIDE-T-011",
                id,
                &[id],
                format!("`{name}` runs as a container built on base images"),
            );
        }
        if !oos && has("container_platform") {
            elem(
                cx,
                "STRIDE-E-007",
                id,
                &[id],
                format!("`{name}` is a container platform"),
            );
        }
        if !oos && has("web_application") {
            elem(
                cx,
                "STRIDE-T-007",
                id,
                &[id],
                format!("`{name}` is a web application"),
            );
            for f in c.inc(id) {
                if is_web(&f.protocol) {
                    flow(
                        cx,
                        "STRIDE-S-003",
                        f,
                        &[id, &f.id],
                        format!(
                            "`{}` reaches web application `{name}` over a web protocol",
                            c.el(&f.from).map_or(f.from.as_str(), |e| e.name.as_str())
                        ),
                    );
                }
            }
        }
        // dos-risky-access-across-trust-boundary
        if !oos && !has("load-balancer") && a.own.2 >= CRIT {
            for f in c.inc(id) {
                let check = |l: &Flow| c.across(l) && !Ctx::devops(l) && !local(&l.protocol);
                if c.attr(&f.from, "traffic_forwarding") {
                    for l in c.inc(&f.from) {
                        if check(l) {
                            let sid = format!("{}->{}", l.id, f.id);
                            flow(cx, "STRIDE-D-003", l, &[id, &l.from, &sid], format!("`{name}` (availability critical) is reached across a network boundary via `{}` forwarded by `{}`", l.name, f.from));
                        }
                    }
                } else if check(f) {
                    flow(cx, "STRIDE-D-003", f, &[id, &f.from, &f.id], format!("`{name}` (availability critical) is reached across a network boundary via `{}`", f.name));
                }
            }
        }
        if !oos && a.unknown_tech {
            elem(
                cx,
                "STRIDE-I-011",
                id,
                &[id],
                format!("`{name}` has no known technology"),
            );
        }
        if !oos {
            for f in c.out(id) {
                if f.protocol == "unknown-protocol" || f.protocol.is_empty() {
                    flow(
                        cx,
                        "STRIDE-I-011",
                        f,
                        &[&f.id, id],
                        format!("`{}` has an unknown protocol", f.name),
                    );
                }
            }
        }
        // ldap-injection, sql-nosql-injection, path-traversal, search-query-injection (per incoming link)
        for f in c.inc(id) {
            let caller_in = !c.oos(&f.from);
            if caller_in && (f.protocol == "ldap" || f.protocol == "ldaps") {
                flow(
                    cx,
                    "STRIDE-T-005",
                    f,
                    &[&f.from, id, &f.id],
                    format!("`{}` queries LDAP server `{name}`", f.from),
                );
            }
            let p = f.protocol.as_str();
            if (DB_STRICT.contains(&p) && has("vulnerable_to_query_injection"))
                || DB_LAX.contains(&p)
            {
                flow(
                    cx,
                    "STRIDE-T-004",
                    f,
                    &[&f.from, id, &f.id],
                    format!(
                        "`{}` sends queries to `{name}` over `{}` ({p})",
                        f.from, f.name
                    ),
                );
            }
            if caller_in && has("file_storage") {
                flow(
                    cx,
                    "STRIDE-I-008",
                    f,
                    &[&f.from, id, &f.id],
                    format!("`{}` accesses file storage `{name}`", f.from),
                );
            }
            if caller_in
                && has("search_related")
                && matches!(p, "http" | "https" | "binary" | "binary-encrypted")
            {
                flow(
                    cx,
                    "STRIDE-T-013",
                    f,
                    &[&f.from, id, &f.id],
                    format!("`{}` sends search queries to `{name}`", f.from),
                );
            }
        }
        // missing-authentication and its second factor
        if !oos && (c.sens(pr) || c.el(id).is_some_and(|e| e.attrs.multi_tenant)) {
            let tolerated =
                |x: &str| c.attr(x, "unprotected_communications_tolerated") || c.store(x);
            if !has("no_authentication_required") {
                for f in c.inc(id) {
                    if !tolerated(&f.from) && f.authn == Authn::None && !local(&f.protocol) {
                        flow(
                            cx,
                            "STRIDE-S-002",
                            f,
                            &[&f.id, &f.from, id],
                            format!("`{}` reaches `{name}` without authentication", f.name),
                        );
                    }
                }
            }
            if !has("traffic_forwarding") && !has("unprotected_communications_tolerated") {
                let risky = |l: &Flow| {
                    let (lc, li) = c.link_ci(l);
                    (lc >= CONF || li >= CRIT) && l.authn != Authn::TwoFactor
                };
                for f in c.inc(id) {
                    if tolerated(&f.from) {
                        continue;
                    }
                    if c.human(&f.from) {
                        if risky(f) {
                            flow(
                                cx,
                                "STRIDE-E-004",
                                f,
                                &[&f.id, &f.from, id],
                                format!(
                                    "people reach `{name}` over `{}` without a second factor",
                                    f.name
                                ),
                            );
                        }
                    } else if c.attr(&f.from, "traffic_forwarding") {
                        for l in c.inc(&f.from) {
                            if !tolerated(&l.from) && c.human(&l.from) && risky(l) {
                                flow(cx, "STRIDE-E-004", f, &[&f.id, &f.from, id], format!("people reach `{name}` through `{}` over `{}` without a second factor", f.from, l.name));
                            }
                        }
                    }
                }
            }
        }
        if !oos && a.formats.contains("file") && c.el(id).is_some_and(|e| e.attrs.custom_code) {
            elem(
                cx,
                "STRIDE-S-004",
                id,
                &[id],
                format!("custom code in `{name}` accepts files"),
            );
        }
        if !oos {
            let r = *raa.get(id).unwrap_or(&0.0);
            if r >= 55.0 || (r >= 40.0 && (c.store(id) || has("high_value_target"))) {
                elem(cx, "STRIDE-E-008", id, &[id], format!("`{name}` is attractive to attackers (relative attacker attractiveness {r:.0}%)"));
            }
        }
        // missing-identity-propagation
        let mt = c.el(id).is_some_and(|e| e.attrs.multi_tenant);
        let (oc, oi, oa) = a.own;
        if !oos
            && has("processing_end_user_requests")
            && !(mt && oc < RESTRICTED && oi < IMPORTANT && oa < IMPORTANT)
            && !(!mt && oc < CONF && oi < CRIT && oa < CRIT)
        {
            for f in c.inc(id) {
                if !c.attr(&f.from, "propagate_identity_to_outgoing_targets") || c.store(&f.from) {
                    continue;
                }
                if f.authn == Authn::None || f.authz == Authz::EndUser {
                    continue;
                }
                if Ctx::devops(f) && f.authz != Authz::None {
                    continue;
                }
                flow(
                    cx,
                    "STRIDE-E-003",
                    f,
                    &[&f.id, &f.from, id],
                    format!(
                        "`{name}` is called over `{}` without the end user's identity",
                        f.name
                    ),
                );
            }
        }
        // missing-identity-provider-isolation, missing-vault-isolation
        if !oos && has("identity_related") && c.near(&idp_groups, id, true, |_| true) {
            elem(cx, "STRIDE-E-012", id, &[id], format!("identity component `{name}` shares its network segment with unrelated components"));
        }
        if !oos
            && has("vault")
            && c.near(&vault_groups, id, true, |o| {
                !(c.store(o) && c.connected.contains(&(id, o)))
            })
        {
            elem(
                cx,
                "STRIDE-E-014",
                id,
                &[id],
                format!("vault `{name}` shares its network segment with unrelated components"),
            );
        }
        // missing-network-segmentation (current master: only assets whose
        // technology is no_network_segmentation_required are considered)
        if !oos
            && has("no_network_segmentation_required")
            && *raa.get(id).unwrap_or(&0.0) >= 50.0
            && (c.store(id) || oc >= CONF || oi >= CRIT || oa >= CRIT)
            && c.near(&lp_groups, id, false, |o| !c.connected.contains(&(id, o)))
        {
            elem(cx, "STRIDE-E-013", id, &[id], format!("`{name}` shares its network segment with less protected components it does not talk to"));
        }
        // missing-waf
        if !oos && (has("web_application") || has("web_service")) {
            let hit = c
                .inc(id)
                .iter()
                .any(|f| c.across(f) && is_web(&f.protocol) && !c.attr(&f.from, "waf"));
            if hit {
                elem(cx, "STRIDE-T-009", id, &[id], format!("web traffic reaches `{name}` across a network boundary with no WAF in front"));
            }
        }
        // push-instead-of-pull-deployment
        if has("build-pipeline") {
            for f in c.out(id) {
                if f.readonly || !Ctx::devops(f) || c.oos(&f.to) {
                    continue;
                }
                if c.attr(&f.to, "development_relevant") || c.a(&f.to).devops {
                    continue;
                }
                flow(
                    cx,
                    "STRIDE-T-012",
                    f,
                    &[id],
                    format!("pipeline `{name}` pushes deployments to `{}`", f.to),
                );
            }
        }
        // server-side-request-forgery
        if !oos && !has("client") && !has("load-balancer") {
            for f in c.out(id) {
                if is_web(&f.protocol) {
                    flow(
                        cx,
                        "STRIDE-I-007",
                        f,
                        &[id, &f.to, &f.id],
                        format!("`{name}` makes web requests to `{}`", f.to),
                    );
                }
            }
        }
        if !oos && has("service-registry") {
            elem(
                cx,
                "STRIDE-S-005",
                id,
                &[id],
                format!("`{name}` is a service registry"),
            );
        }
        if has("development_relevant") {
            elem(
                cx,
                "STRIDE-T-008",
                id,
                &[id],
                format!("`{name}` builds or ships code with no DevSecOps checks modelled"),
            );
        }
        // unencrypted-asset
        if !oos && !has("no_storage_at_rest") && !has("embedded_component") && !a.stored.is_empty()
        {
            let (sc, si) = c.stored(id);
            if sc >= CONF && si >= CRIT {
                let very = sc == SCONF || si == MCRIT;
                let end_user_key = very && has("storing_end_user_data");
                if a.encryption == "none"
                    || (end_user_key && a.encryption != "data-with-end-user-individual-key")
                {
                    elem(
                        cx,
                        "STRIDE-I-003",
                        id,
                        &[id],
                        format!(
                            "`{name}` stores sensitive data {}",
                            if a.encryption == "none" {
                                "unencrypted"
                            } else {
                                "without end-user individual keys"
                            }
                        ),
                    );
                }
            }
        }
        // unguarded-access-from-internet
        if !oos && !has("load-balancer") {
            for f in c.inc(id) {
                let custom = c.el(id).is_some_and(|e| e.attrs.custom_code);
                let p = f.protocol.as_str();
                if !custom
                    && ((has("http_internet_access_ok") && matches!(p, "http" | "https"))
                        || (has("ftp_internet_access_ok") && matches!(p, "ftp" | "ftps" | "sftp")))
                {
                    continue;
                }
                if c.attr(&f.from, "monitoring") || f.vpn {
                    continue;
                }
                if oc < CONF && oi < CRIT {
                    continue;
                }
                if !c.internet(&f.from) {
                    continue;
                }
                flow(
                    cx,
                    "STRIDE-E-006",
                    f,
                    &[id, &f.from, &f.id],
                    format!(
                        "`{name}` takes calls straight from the internet over `{}`",
                        f.name
                    ),
                );
            }
        }
        // unguarded-direct-datastore-access
        if !oos && c.store(id) {
            for f in c.inc(id) {
                if has("identity_store") && c.attr(&f.from, "identity-provider") {
                    continue;
                }
                if oc < CONF && oi < CRIT {
                    continue;
                }
                if Ctx::devops(f) {
                    continue;
                }
                let ftp =
                    has("file-server") && matches!(f.protocol.as_str(), "ftp" | "ftps" | "sftp");
                let shared_parent = {
                    let (l, r) = (c.chain(id), c.chain(&f.from));
                    match (l.first(), r.first()) {
                        (None, None) => true,
                        (Some(_), None) | (None, Some(_)) => false,
                        (Some(x), Some(y)) => {
                            x == y || l.iter().skip(1).any(|p| r.iter().skip(1).any(|q| p == q))
                        }
                    }
                };
                if !c.across(f) || ftp || shared_parent {
                    continue;
                }
                flow(cx, "STRIDE-E-005", f, &[&f.id, &f.from, id], format!("data store `{name}` is accessed directly across a network boundary over `{}`", f.name));
            }
        }
        // unnecessary-communication-link, wrong-communication-link-content
        for f in c.out(id) {
            let l = tg.links.get(&f.id);
            let (sent, recv) = l.map_or((0, 0), |l| (l.sent.len(), l.received.len()));
            if sent == 0 && recv == 0 && !(oos && c.oos(&f.to)) {
                flow(
                    cx,
                    "STRIDE-E-009",
                    f,
                    &[&f.id, id],
                    format!("`{}` sends or receives no data asset", f.name),
                );
            }
            let target = c.a(&f.to);
            let wrong = if f.readonly {
                recv == 0 && sent > 0
            } else {
                sent == 0 && recv > 0
            } || (f.protocol == "inter-process-communication"
                && c.el(&f.to).is_some_and(|e| e.kind != ElementKind::Process))
                || (f.protocol == "in-process-library-call" && !target.attrs.contains("library"))
                || (f.protocol == "local-file-access"
                    && !target.attrs.contains("local-file-system"))
                || (f.protocol == "container-spawning" && target.machine != "container");
            if wrong {
                flow(
                    cx,
                    "STRIDE-I-012",
                    f,
                    &[id, &f.id],
                    format!(
                        "`{}`: readonly flag, data direction or protocol do not match",
                        f.name
                    ),
                );
            }
        }
        // unnecessary-data-transfer
        if !oos {
            let mut partners: Vec<(&str, &Flow)> = Vec::new();
            for f in c.out(id) {
                if !c.attr(&f.to, "unnecessary_data_tolerated") {
                    partners.push((f.to.as_str(), f));
                }
            }
            for f in c.inc(id) {
                if !c.attr(&f.from, "unnecessary_data_tolerated") {
                    partners.push((f.from.as_str(), f));
                }
            }
            for (partner, f) in partners {
                let Some(l) = tg.links.get(&f.id) else {
                    continue;
                };
                for d in l.sent.iter().chain(l.received.iter()) {
                    if a.processed.contains(d) || a.stored.contains(d) {
                        continue;
                    }
                    if c.data
                        .get(d.as_str())
                        .is_some_and(|x| x.confidentiality >= CONF || x.integrity >= CRIT)
                    {
                        elem(cx, "STRIDE-E-016", id, &[d, id, partner], format!("`{name}` passes `{d}` to or from `{partner}` without processing or storing it"));
                    }
                }
            }
        }
        if (a.processed.is_empty() && a.stored.is_empty())
            || (c.inc(id).is_empty() && c.out(id).is_empty())
        {
            elem(
                cx,
                "STRIDE-E-017",
                id,
                &[id],
                format!("`{name}` processes no data or has no communication links"),
            );
        }
        // untrusted-deserialization
        if !oos
            && (a.formats.contains("serialization")
                || has("ejb")
                || c.inc(id).iter().any(|f| {
                    matches!(
                        f.protocol.as_str(),
                        "iiop" | "iiop-encrypted" | "jrmp" | "jrmp-encrypted"
                    )
                }))
        {
            elem(
                cx,
                "STRIDE-T-006",
                id,
                &[id],
                format!("`{name}` deserialises data it receives"),
            );
        }
        if !oos && a.formats.contains("xml") {
            elem(
                cx,
                "STRIDE-I-006",
                id,
                &[id],
                format!("`{name}` parses XML"),
            );
        }
        if let Some(b) = c.boundary(id) {
            if b.kind == "network-policy-namespace-isolation"
                && a.machine != "container"
                && a.machine != "serverless"
            {
                elem(
                    cx,
                    "STRIDE-E-018",
                    id,
                    &[id],
                    format!(
                        "`{name}` is not a container but sits in namespace-isolation boundary `{}`",
                        b.id
                    ),
                );
            }
        }
    }

    // unencrypted-communication (per link)
    for f in &m.flows {
        if c.oos(&f.from) && c.oos(&f.to) {
            continue;
        }
        if encrypted(&f.protocol) || local(&f.protocol) {
            continue;
        }
        if c.attr(&f.from, "unprotected_communications_tolerated")
            || c.attr(&f.to, "unprotected_communications_tolerated")
        {
            continue;
        }
        let auth = f.authn != Authn::None;
        let mut ds: Vec<&String> = tg.links.get(&f.id).map_or_else(Vec::new, |l| {
            l.sent.iter().chain(l.received.iter()).collect()
        });
        ds.sort();
        let hit = ds.iter().filter_map(|d| c.data.get(d.as_str())).any(|d| {
            let high = d.confidentiality == SCONF || d.integrity == MCRIT;
            let medium = d.confidentiality == CONF || d.integrity == CRIT;
            high || auth || (!f.vpn && medium)
        });
        if hit {
            flow(
                cx,
                "STRIDE-I-001",
                f,
                &[&f.id, &f.from, &f.to],
                format!(
                    "`{}` carries sensitive or authentication data unencrypted",
                    f.name
                ),
            );
        }
    }

    // Model-wide: build infrastructure, identity store, vault.
    let any = |attr: &str| ids.iter().any(|&i| c.attr(i, attr));
    let most_sensitive = |pool: &mut dyn Iterator<Item = &str>| -> Option<String> {
        let mut best: Option<(&str, f64)> = None;
        for i in pool {
            let s = c.sensitivity_score(i);
            if best.is_none_or(|(_, b)| s > b) {
                best = Some((i, s));
            }
        }
        best.map(|(i, _)| i.to_string())
    };
    let custom: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|&i| !c.oos(i) && c.el(i).is_some_and(|e| e.attrs.custom_code))
        .collect();
    let build_infra = any("build-pipeline") && any("sourcecode-repository") && any("devops-client");
    if !custom.is_empty() && !build_infra {
        if let Some(ex) = most_sensitive(&mut custom.iter().copied()) {
            elem(cx, "STRIDE-T-015", &ex, &[&ex], "the model has custom-developed parts but no complete build infrastructure (pipeline, source repository, developer client)".into());
        }
    }
    if !ids
        .iter()
        .any(|&i| !c.oos(i) && c.attr(i, "identity_store"))
    {
        let targets: Vec<&str> = m
            .flows
            .iter()
            .filter(|f| f.authz == Authz::EndUser)
            .map(|f| f.to.as_str())
            .collect();
        if !targets.is_empty() {
            if let Some(ex) = most_sensitive(&mut targets.iter().copied()) {
                elem(cx, "STRIDE-S-007", &ex, &[&ex], "flows authorise with the end user's identity but the model has no identity store".into());
            }
        }
    }
    if !any("vault") {
        if let Some(ex) = most_sensitive(&mut ids.iter().copied()) {
            elem(
                cx,
                "STRIDE-I-005",
                &ex,
                &[&ex],
                "the model has no vault or secret manager for the secrets its components use"
                    .into(),
            );
        }
    }

    // Shared runtimes: mixed targets.
    for rt in &m.runtimes {
        let mut zone: Option<Option<&str>> = None;
        let (mut front, mut back, mut mixed) = (false, false, false);
        for e in &rt.elements {
            let z = c.el(e).and_then(|x| x.boundary.as_deref());
            if zone.is_some_and(|p| p.is_some() && p != z) {
                mixed = true;
                break;
            }
            zone = Some(z);
            front |= c.attr(e, "frontend_related") && !c.attr(e, "backend_related");
            back |= c.attr(e, "backend_related") && !c.attr(e, "frontend_related");
        }
        if mixed || (front && back) {
            other(
                cx,
                "STRIDE-E-010",
                &rt.id,
                &rt.name,
                rt.line,
                &[&rt.id],
                format!(
                    "shared runtime `{}` mixes trust zones or frontend and backend components",
                    rt.name
                ),
            );
        }
    }

    // Unused data assets.
    let mut used: BTreeSet<&str> = BTreeSet::new();
    for a in tg.assets.values() {
        used.extend(a.processed.iter().map(String::as_str));
        used.extend(a.stored.iter().map(String::as_str));
    }
    for l in tg.links.values() {
        used.extend(l.sent.iter().chain(l.received.iter()).map(String::as_str));
    }
    for d in &m.data {
        if !used.contains(d.id.as_str()) {
            other(
                cx,
                "STRIDE-E-015",
                &d.id,
                &d.name,
                d.line,
                &[&d.id],
                format!(
                    "data asset `{}` is neither processed, stored nor transferred",
                    d.name
                ),
            );
        }
    }

    cloud_hardening(cx, &c, &ids);
}

const CLOUD: &[&str] = &["aws", "azure", "gcp", "ocp"];
const AWS_SUBTAGS: &[&str] = &[
    "aws:vpc",
    "aws:ec2",
    "aws:s3",
    "aws:ebs",
    "aws:apigateway",
    "aws:lambda",
    "aws:dynamodb",
    "aws:rds",
    "aws:sqs",
    "aws:iam",
];

fn supported(tags: &BTreeSet<String>) -> bool {
    tags.iter().any(|t| {
        let t = t.trim().to_ascii_lowercase();
        CLOUD.contains(&t.as_str()) || AWS_SUBTAGS.contains(&t.as_str())
    })
}

fn base_tag(tags: &BTreeSet<String>, base: &str) -> bool {
    tags.iter().any(|t| {
        let t = t.trim().to_ascii_lowercase();
        t == base || t.starts_with(&format!("{base}:"))
    })
}

/// Threagile's missing-cloud-hardening: cloud boundaries, shared runtimes
/// and assets, by provider tag; one risk per tagged boundary or runtime,
/// else one per provider on its most sensitive asset, plus the EC2 / S3
/// specific ones.
fn cloud_hardening<'a>(cx: &mut Cx<'_>, c: &Ctx<'a>, ids: &[&'a str]) {
    let empty = BTreeSet::new();
    let btags = |b: &str| c.tg.boundary_tags.get(b).unwrap_or(&empty);
    let atags = |a: &str| &c.a(a).tags;
    let mut tb_generic: BTreeSet<&str> = BTreeSet::new();
    let mut tb_prov: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut rt_generic: BTreeSet<&str> = BTreeSet::new();
    let mut rt_prov: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut ta_prov: BTreeMap<&'static str, BTreeSet<&'a str>> = BTreeMap::new();
    let mut ta_specific: BTreeSet<&'a str> = BTreeSet::new();
    let mut inside_map: HashMap<&str, Vec<&'a str>> = HashMap::new();
    for &a in ids {
        for b in c.chain(a) {
            inside_map.entry(b.as_str()).or_default().push(a);
        }
    }
    let mut runtime_tags_of: HashMap<&str, Vec<&BTreeSet<String>>> = HashMap::new();
    for r in &c.m.runtimes {
        if let Some(t) = c.tg.runtime_tags.get(&r.id) {
            for e in &r.elements {
                runtime_tags_of.entry(e.as_str()).or_default().push(t);
            }
        }
    }
    let inside = |b: &str| -> Vec<&'a str> { inside_map.get(b).cloned().unwrap_or_default() };
    let add_by_tag = |a: &str,
                      tags: &BTreeSet<String>,
                      ta_prov: &mut BTreeMap<&'static str, BTreeSet<&'a str>>,
                      ta_specific: &mut BTreeSet<&'a str>| {
        if let Some(id) = c.el(a).map(|e| e.id.as_str()) {
            if atags(id)
                .iter()
                .any(|t| AWS_SUBTAGS.contains(&t.trim().to_ascii_lowercase().as_str()))
            {
                ta_specific.insert(id);
            }
            for p in CLOUD {
                if base_tag(tags, p) {
                    ta_prov.entry(p).or_default().insert(id);
                }
            }
        }
    };
    for b in &c.m.boundaries {
        let tagged = supported(btags(&b.id));
        let cloud = matches!(
            b.kind.as_str(),
            "network-cloud-provider" | "network-cloud-security-group"
        );
        if !tagged && !cloud {
            continue;
        }
        if tagged {
            for p in CLOUD {
                if base_tag(btags(&b.id), p) {
                    tb_prov.entry(p).or_default().insert(b.id.as_str());
                }
            }
        } else {
            tb_generic.insert(b.id.as_str());
        }
        for a in inside(&b.id) {
            if supported(atags(a)) {
                add_by_tag(a, atags(a), &mut ta_prov, &mut ta_specific);
            } else if tagged {
                add_by_tag(a, btags(&b.id), &mut ta_prov, &mut ta_specific);
            }
        }
    }
    for &a in ids {
        if supported(atags(a)) {
            add_by_tag(a, atags(a), &mut ta_prov, &mut ta_specific);
        }
    }
    for rt in &c.m.runtimes {
        let tags = c.tg.runtime_tags.get(&rt.id).unwrap_or(&empty);
        if supported(tags) {
            for p in CLOUD {
                if base_tag(tags, p) {
                    rt_prov.entry(p).or_default().insert(rt.id.as_str());
                }
            }
        } else {
            rt_generic.insert(rt.id.as_str());
        }
        for a in &rt.elements {
            add_by_tag(a, tags, &mut ta_prov, &mut ta_specific);
        }
    }
    for set in rt_prov.values() {
        for r in set {
            rt_generic.remove(r);
        }
    }
    for set in tb_prov.values() {
        for b in set {
            tb_generic.remove(b);
        }
    }
    let mut added: BTreeSet<&str> = BTreeSet::new();
    let rt_by_id: BTreeMap<&str, &Runtime> =
        c.m.runtimes.iter().map(|r| (r.id.as_str(), r)).collect();
    // `what` names the runtime or boundary; a provider, when known, follows.
    let unhardened =
        |cx: &mut Cx<'_>, id: &str, name: &str, line: u32, what: String, prov: Option<&str>| {
            let mut sid = vec![id];
            if let Some(p) = prov {
                sid.push(p);
            }
            let prov = prov.map(|p| format!(" ({p})")).unwrap_or_default();
            other(
                cx,
                "STRIDE-T-014",
                id,
                name,
                line,
                &sid,
                format!("{what}{prov} without a hardening baseline"),
            );
        };
    let emit_rt = |cx: &mut Cx<'_>, id: &str, prov: Option<&str>| {
        if let Some(r) = rt_by_id.get(id) {
            let what = format!("shared runtime `{}` runs in the cloud", r.name);
            unhardened(cx, id, &r.name, r.line, what, prov);
        }
    };
    let emit_tb = |cx: &mut Cx<'_>, id: &str, prov: Option<&str>| {
        if let Some(b) = c.bounds.get(id) {
            let what = format!("cloud boundary `{}`", b.name);
            unhardened(cx, id, &b.name, b.line, what, prov);
        }
    };
    for (p, set) in &rt_prov {
        for r in set {
            emit_rt(cx, r, Some(p));
            added.insert(p);
        }
    }
    for r in &rt_generic {
        emit_rt(cx, r, None);
    }
    for (p, set) in &tb_prov {
        for b in set {
            emit_tb(cx, b, Some(p));
            added.insert(p);
        }
    }
    for b in &tb_generic {
        emit_tb(cx, b, None);
    }
    for p in CLOUD {
        if added.contains(p) {
            continue;
        }
        if let Some(set) = ta_prov.get(p) {
            let mut best: Option<(&str, f64)> = None;
            for &a in set {
                let s = c.sensitivity_score(a);
                if best.is_none_or(|(_, b)| s > b) {
                    best = Some((a, s));
                }
            }
            if let Some((a, _)) = best {
                elem(
                    cx,
                    "STRIDE-T-014",
                    a,
                    &[a, p],
                    format!("`{a}` runs in the cloud ({p}) without a hardening baseline"),
                );
            }
        }
    }
    for a in &ta_specific {
        let traversing = |tag: &str| -> bool {
            let has = |t: &BTreeSet<String>| t.iter().any(|x| x.trim().eq_ignore_ascii_case(tag));
            has(atags(a))
                || c.chain(a).iter().any(|b| has(btags(b)))
                || runtime_tags_of
                    .get(a)
                    .is_some_and(|ts| ts.iter().any(|t| has(t)))
        };
        for (tag, sfx) in [("aws:ec2", "ec2"), ("aws:s3", "s3")] {
            if traversing(tag) {
                elem(
                    cx,
                    "STRIDE-T-014",
                    a,
                    &[a, sfx],
                    format!("`{a}` ({tag}) has no hardening baseline"),
                );
            }
        }
    }
}
