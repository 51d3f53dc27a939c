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
