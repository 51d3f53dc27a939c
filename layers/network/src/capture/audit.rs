//! From a capture summary and an allowlist to findings and a destination table.

use super::rules::{NET_CAP_001, NET_CAP_002, NET_CAP_003, NET_CAP_004, NET_CAP_005, NET_CAP_006};
use super::{dns::qtype_name, CaptureSummary, Destination, NameSource, Protocol};
use crate::Allowlist;
use guard_core::{Finding, Severity};
use serde::Serialize;
use std::net::IpAddr;

/// How a destination stands against the allowlist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Allowed,
    NotAllowed,
    /// Loopback, link-local, multicast or broadcast: not egress.
    Local,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::NotAllowed => "NOT ALLOWED",
            Verdict::Local => "local",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    #[serde(flatten)]
    pub dest: Destination,
    pub verdict: Verdict,
    /// The allowlist pattern that allowed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditResult {
    pub rows: Vec<Row>,
    #[serde(skip)]
    pub findings: Vec<Finding>,
}

pub fn is_local(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => {
            a.is_loopback()
                || a.is_link_local()
                || a.is_multicast()
                || a.is_broadcast()
                || a.is_unspecified()
        }
        IpAddr::V6(a) => {
            a.is_loopback()
                || a.is_multicast()
                || a.is_unspecified()
                || (a.segments()[0] & 0xffc0) == 0xfe80
        }
    }
}

/// The findings of one capture against `allow`. `path` names the capture in
/// resources and fingerprints.
pub fn audit(summary: &CaptureSummary, allow: &Allowlist) -> AuditResult {
    let path = &summary.path;
    let mut rows = Vec::new();
    let mut findings = Vec::new();
    for d in &summary.destinations {
        let named = d.source != NameSource::Address;
        let (verdict, matched) = if d.protocol == Protocol::Dns {
            let ok = is_local(d.address) || allow.allows_resolver(d.address) != Some(false);
            (
                if is_local(d.address) {
                    Verdict::Local
                } else if ok {
                    Verdict::Allowed
                } else {
                    Verdict::NotAllowed
                },
                None,
            )
        } else if named {
            match allow.matches(&d.name) {
                Some(e) => (Verdict::Allowed, Some(e.pattern())),
                None => (Verdict::NotAllowed, None),
            }
        } else if is_local(d.address) {
            (Verdict::Local, None)
        } else {
            match allow.matches_ip(d.address) {
                Some(c) => (Verdict::Allowed, Some(c.cidr.to_string())),
                None => (Verdict::NotAllowed, None),
            }
        };
        let stats = format!(
            "{} packet(s) in {} flow(s), first at frame {}",
            d.packets, d.flows, d.first_frame
        );
        let resource = format!("{path}#{}:{}/{}", d.name, d.port, d.protocol.as_str());
        let key = format!("{}|{}|{}", d.name, d.port, d.protocol.as_str());
        if d.protocol == Protocol::Http && !is_local(d.address) {
            findings.push(
                Finding::new(
                    &NET_CAP_003,
                    format!("cleartext HTTP to {}:{} ({stats})", d.name, d.port),
                )
                .resource(resource.clone())
                .evidence(format!("Host {} at {}", d.name, d.address))
                .fingerprint_key(&key),
            );
        }
        if verdict == Verdict::NotAllowed {
            let f = match (d.protocol, named) {
                (Protocol::Dns, _) => Finding::new(
                    &NET_CAP_004,
                    format!(
                        "DNS queries to resolver {} which the allowlist does not name ({stats})",
                        d.address
                    ),
                ),
                (_, true) => {
                    let why = match d.source {
                        NameSource::Sni => "SNI",
                        NameSource::HttpHost => "HTTP Host",
                        _ => "earlier DNS answer",
                    };
                    let ech = if d.ech {
                        "; the ClientHello carried ECH (real or GREASE): if real, this is only the outer name and the real host is hidden"
                    } else {
                        ""
                    };
                    let hint = allow
                        .matches_disabled(&d.name)
                        .map(|e| format!("; covered by the disabled optional group `{}`", e.group))
                        .unwrap_or_default();
                    Finding::new(
                        &NET_CAP_001,
                        format!(
                            "{} to {} port {} (name from {why}) is outside the {} allowlist: {stats}{ech}{hint}",
                            d.protocol.as_str(),
                            d.name,
                            d.port,
                            allow.provider()
                        ),
                    )
                }
                (_, false) => Finding::new(
                    &NET_CAP_002,
                    format!(
                        "{} to {} port {} with no SNI, Host or earlier DNS answer: {stats}",
                        d.protocol.as_str(),
                        d.address,
                        d.port
                    ),
                ),
            };
            findings.push(
                f.resource(resource)
                    .evidence(format!(
                        "{} {}:{} -> {}",
                        d.protocol.as_str(),
                        d.address,
                        d.port,
                        d.name
                    ))
                    .fingerprint_key(&key),
            );
        }
        rows.push(Row {
            dest: d.clone(),
            verdict,
            matched,
        });
    }
    for n in &summary.dns_names {
        if is_local(n.resolver) && n.resolver.is_multicast() {
            continue; // mDNS / LLMNR: local name service, not egress
        }
        if allow.matches(&n.name).is_some() {
            continue;
        }
        let types: Vec<String> = n.qtypes.iter().map(|t| qtype_name(*t)).collect();
        let mut f = Finding::new(
            &NET_CAP_005,
            format!(
                "DNS lookup of {} ({}) outside the {} allowlist: {} quer{}, first at frame {}",
                n.name,
                types.join(", "),
                allow.provider(),
                n.queries,
                if n.queries == 1 { "y" } else { "ies" },
                n.first_frame
            ),
        )
        .resource(format!("{path}#dns:{}", n.name))
        .evidence(format!(
            "query {} {} to {}",
            n.name,
            types.join("/"),
            n.resolver
        ))
        .fingerprint_key(&format!("dns|{}", n.name));
        if n.qtypes.iter().any(|t| matches!(t, 10 | 16)) || n.name.len() > 100 {
            f = f.severity(Severity::High); // TXT/NULL or very long names: tunnel-shaped
        }
        findings.push(f);
    }
    if !summary.warnings.is_empty() {
        findings.push(
            Finding::new(
                &NET_CAP_006,
                format!(
                    "{} of {} frames: {}",
                    summary.format,
                    summary.counters.frames,
                    summary.warnings.join("; ")
                ),
            )
            .resource(path.to_string())
            .fingerprint_key("capture-warnings"),
        );
    }
    // Every finding is about the capture file, with no place in it.
    for f in &mut findings {
        f.artifact = Some(path.to_string());
    }
    AuditResult { rows, findings }
}

fn source_name(d: &Destination) -> &'static str {
    match d.source {
        NameSource::Sni => "sni",
        NameSource::HttpHost => "http-host",
        NameSource::DnsAnswer => "dns-answer",
        NameSource::Address => "address",
    }
}

/// The destination inventory of a capture for the report: every destination
/// with its verdict, and every DNS name asked.
pub fn inventory(
    summary: &CaptureSummary,
    result: &AuditResult,
    allow: &Allowlist,
) -> guard_core::report::Inventory {
    use guard_core::report::{Inventory, InventoryDestination, InventoryDnsName};
    let destinations = result
        .rows
        .iter()
        .map(|r| InventoryDestination {
            name: r.dest.name.clone(),
            named_by: source_name(&r.dest).to_string(),
            protocol: r.dest.protocol.as_str().to_string(),
            port: r.dest.port,
            address: r.dest.address.to_string(),
            packets: r.dest.packets,
            flows: r.dest.flows,
            first_frame: r.dest.first_frame,
            verdict: match r.verdict {
                Verdict::Allowed => "allowed",
                Verdict::NotAllowed => "not-allowed",
                Verdict::Local => "local",
            }
            .to_string(),
            matched: r.matched.clone(),
            ech: r.dest.ech,
        })
        .collect();
    let dns_names = summary
        .dns_names
        .iter()
        .map(|n| InventoryDnsName {
            name: n.name.clone(),
            qtypes: n.qtypes.iter().map(|t| qtype_name(*t)).collect(),
            queries: n.queries,
            first_frame: n.first_frame,
            resolver: n.resolver.to_string(),
            allowed: allow.matches(&n.name).is_some(),
        })
        .collect();
    Inventory {
        capture: summary.path.clone(),
        allowlist: match allow.region() {
            Some(r) => format!("{} ({r})", allow.provider()),
            None => allow.provider().to_string(),
        },
        destinations,
        dns_names,
    }
}

/// The sorted, distinct names of the destinations a capture reached (DNS
/// resolvers and local traffic left out).
pub fn destination_names(result: &AuditResult) -> Vec<String> {
    let mut names: Vec<String> = result
        .rows
        .iter()
        .filter(|r| r.verdict != Verdict::Local && r.dest.protocol != Protocol::Dns)
        .map(|r| r.dest.name.clone())
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Allowlist additions that would make a capture clean of allowlist findings
/// (NET-CAP-001, 002, 004 and 005; cleartext HTTP, NET-CAP-003, is reported
/// whatever the allowlist says).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Suggestion {
    /// Optional groups of the provider profile to turn on, each with the
    /// names of the capture it covers.
    pub groups: Vec<(String, Vec<String>)>,
    /// Hosts and addresses no group covers.
    pub extra_domains: Vec<String>,
    /// Resolvers the queries went to.
    pub resolvers: Vec<IpAddr>,
}

impl Suggestion {
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty() && self.extra_domains.is_empty() && self.resolvers.is_empty()
    }

    /// `[layers.network]` lines for guard.toml. Lists hold the values already
    /// configured (`current`) followed by the additions, so each line can
    /// replace the one in guard.toml as it stands.
    pub fn to_toml(&self, current: &crate::NetworkConfig, capture: &str) -> String {
        use std::fmt::Write as _;
        let q = |s: &str| toml_string(s);
        let mut t = String::new();
        if self.is_empty() {
            let _ = writeln!(
                t,
                "# {capture}: nothing to add, every destination is already allowed"
            );
            return t;
        }
        let _ = writeln!(t, "# allowlist additions that make {capture} clean");
        let _ = writeln!(t, "[layers.network]");
        if !self.groups.is_empty() {
            for (g, names) in &self.groups {
                let _ = writeln!(t, "# optional group `{g}` covers: {}", names.join(", "));
            }
            let mut all: Vec<String> = current.groups.clone();
            for (g, _) in &self.groups {
                if !all.contains(g) {
                    all.push(g.clone());
                }
            }
            let items: Vec<String> = all.iter().map(|g| q(g)).collect();
            let _ = writeln!(t, "groups = [{}]", items.join(", "));
        }
        if !self.extra_domains.is_empty() {
            let _ = writeln!(t, "# in no optional group of the profile:");
            let mut all: Vec<String> = current.extra_domains.clone();
            for d in &self.extra_domains {
                if !all.contains(d) {
                    all.push(d.clone());
                }
            }
            let items: Vec<String> = all.iter().map(|d| q(d)).collect();
            let _ = writeln!(t, "extra_domains = [{}]", items.join(", "));
        }
        if !self.resolvers.is_empty() {
            let mut all: Vec<IpAddr> = current.resolvers.clone();
            for r in &self.resolvers {
                if !all.contains(r) {
                    all.push(*r);
                }
            }
            let items: Vec<String> = all.iter().map(|r| q(&r.to_string())).collect();
            let _ = writeln!(t, "resolvers = [{}]", items.join(", "));
        }
        t
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What to add to the allowlist for `summary` (audited into `result`) to be clean.
pub fn suggest(summary: &CaptureSummary, result: &AuditResult, allow: &Allowlist) -> Suggestion {
    let mut s = Suggestion::default();
    let add_name = |s: &mut Suggestion, name: &str| match allow.matches_disabled(name) {
        Some(e) => match s.groups.iter_mut().find(|(g, _)| *g == e.group) {
            Some((_, names)) => {
                if !names.iter().any(|n| n == name) {
                    names.push(name.to_string());
                }
            }
            None => s.groups.push((e.group.clone(), vec![name.to_string()])),
        },
        None => {
            if !s.extra_domains.iter().any(|d| d == name) {
                s.extra_domains.push(name.to_string());
            }
        }
    };
    for r in result
        .rows
        .iter()
        .filter(|r| r.verdict == Verdict::NotAllowed)
    {
        if r.dest.protocol == Protocol::Dns {
            if !s.resolvers.contains(&r.dest.address) {
                s.resolvers.push(r.dest.address);
            }
        } else {
            // A named destination is allowed by name; a bare address by itself.
            add_name(&mut s, &r.dest.name);
        }
    }
    for n in &summary.dns_names {
        if is_local(n.resolver) && n.resolver.is_multicast() {
            continue;
        }
        if allow.matches(&n.name).is_none() {
            add_name(&mut s, &n.name);
        }
    }
    s.groups.sort();
    for (_, names) in &mut s.groups {
        names.sort();
    }
    s.extra_domains.sort();
    s.resolvers.sort();
    s
}
