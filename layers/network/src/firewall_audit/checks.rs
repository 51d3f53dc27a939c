//! Holes in a parsed firewall: each check raises one rule of [`crate::rules`].

use super::model::{Addr, Family, FwRule, Model, Syntax};
use crate::allowlist::Allowlist;
use crate::rules::*;
use guard_core::{Finding, Rule};

/// A finding before it gets its file location: rule, message, line.
pub type Hit = (&'static Rule, String, u32);

const STALE: &[&str] = &[
    "statsig.anthropic.com",
    "statsig.com",
    "sentry.io",
    "console.anthropic.com",
];

fn drops(target: &str) -> bool {
    matches!(target, "DROP" | "REJECT")
}

fn catch_all(r: &FwRule) -> bool {
    r.proto.is_none()
        && r.dports.is_empty()
        && r.sports.is_empty()
        && r.daddr == Addr::Any
        && r.saddr == Addr::Any
        && !r.narrowed
}

/// The OUTPUT default for a family: the last policy, or a final catch-all drop rule.
fn egress_default(m: &Model, v6: bool) -> (bool, Option<u32>) {
    let covers = |f: Family| if v6 { f.covers_v6() } else { f.covers_v4() };
    let policy = m
        .policies
        .iter()
        .rfind(|p| p.chain == "OUTPUT" && covers(p.family));
    let dropped_by_policy = policy.is_some_and(|p| drops(&p.target));
    let final_drop = m
        .rules
        .iter()
        .rfind(|r| r.chain == "OUTPUT" && covers(r.family))
        .filter(|r| catch_all(r) && drops(&r.target));
    match (dropped_by_policy, final_drop) {
        (true, _) => (true, policy.map(|p| p.line)),
        (false, Some(r)) => (true, Some(r.line)),
        (false, None) => (false, policy.map(|p| p.line)),
    }
}

/// Chains whose rules see the traffic of `bases`: the bases and every user
/// chain reached from them by jump/goto (`-j NAME`, `jump name`).
fn reachable(m: &Model, bases: &[&str]) -> std::collections::HashSet<String> {
    let mut set: std::collections::HashSet<String> = bases.iter().map(|b| b.to_string()).collect();
    loop {
        let before = set.len();
        for r in &m.rules {
            let target = r.target.to_ascii_uppercase();
            let verdict = matches!(
                target.as_str(),
                "ACCEPT" | "DROP" | "REJECT" | "LOG" | "NFLOG" | "RETURN" | ""
            );
            if !verdict && set.contains(&r.chain) {
                set.insert(target);
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

pub fn run(m: &Model, allow: Option<&Allowlist>) -> Vec<Hit> {
    let mut hits: Vec<Hit> = Vec::new();
    if m.syntax != Syntax::Squid {
        packet_filter(m, allow, &mut hits);
    } else {
        proxy(m, &mut hits);
    }
    domains(m, allow, &mut hits);
    for (line, what) in &m.parse_errors {
        hits.push((
            &NET_FW_016,
            format!("could not parse: {what}; the audit of this file is incomplete"),
            *line,
        ));
    }
    hits.sort_by_key(|h| (h.2, h.0.id));
    hits.dedup_by(|a, b| a.0.id == b.0.id && a.2 == b.2 && a.1 == b.1);
    hits
}

fn packet_filter(m: &Model, allow: Option<&Allowlist>, hits: &mut Vec<Hit>) {
    let output_fw = m.rules.iter().any(|r| r.chain == "OUTPUT")
        || m.policies.iter().any(|p| p.chain == "OUTPUT");
    let (v4_drop, v4_line) = egress_default(m, false);
    let (v6_drop, v6_line) = egress_default(m, true);
    if v4_drop && !v6_drop {
        let how = if v6_line.is_some() {
            "the IPv6 OUTPUT policy is ACCEPT"
        } else {
            "there is no IPv6 policy at all"
        };
        hits.push((
            &NET_FW_001,
            format!(
                "IPv4 egress is dropped by default but {how}: every host stays reachable over IPv6"
            ),
            v4_line.unwrap_or(1),
        ));
    }
    if output_fw && !v4_drop && !v6_drop {
        hits.push((&NET_FW_005, "no OUTPUT policy DROP (or final drop rule) for IPv4 or IPv6: everything not explicitly blocked is allowed".into(), v4_line.or(v6_line).unwrap_or(1)));
    }
    // A host-side firewall for containers: FORWARD / DOCKER-USER only.
    let forward: Vec<&FwRule> = m
        .rules
        .iter()
        .filter(|r| r.chain == "FORWARD" || r.chain == "DOCKER-USER")
        .collect();
    if !output_fw && !forward.is_empty() {
        let policy_drop = m
            .policies
            .iter()
            .rfind(|p| p.chain == "FORWARD")
            .is_some_and(|p| drops(&p.target));
        let last = forward
            .iter()
            .rfind(|r| r.chain == "DOCKER-USER")
            .or(forward.last());
        let final_drop = last.is_some_and(|r| {
            drops(&r.target) && r.proto.is_none() && r.dports.is_empty() && r.daddr == Addr::Any
        });
        if !policy_drop && !final_drop {
            hits.push((&NET_FW_005, "container traffic through FORWARD/DOCKER-USER has no final DROP: everything not explicitly blocked is allowed".into(), forward[0].line));
        }
    }
    let outbound = reachable(m, &["OUTPUT", "FORWARD", "DOCKER-USER"]);
    let inbound = reachable(m, &["INPUT"]);
    for r in m.rules.iter().filter(|r| r.accepts()) {
        let any_dst = matches!(r.daddr, Addr::Any);
        if outbound.contains(&r.chain) && any_dst && r.dports.contains(&53) {
            hits.push((
                &NET_FW_002,
                format!(
                    "{} port 53 is accepted to any destination, not only to the resolvers",
                    r.proto.as_deref().unwrap_or("all")
                ),
                r.line,
            ));
        }
        if inbound.contains(&r.chain) && matches!(r.saddr, Addr::Any) && r.sports.contains(&53) {
            hits.push((
                &NET_FW_002,
                "replies from port 53 are accepted from any host".into(),
                r.line,
            ));
        }
        if outbound.contains(&r.chain) && any_dst && r.dports.contains(&22) {
            hits.push((
                &NET_FW_003,
                "port 22 is accepted to any destination".into(),
                r.line,
            ));
        }
        if outbound.contains(&r.chain) && catch_all(r) {
            hits.push((&NET_FW_006, "this rule accepts every outbound packet; the default policy and the allowlist never apply".into(), r.line));
        }
        for a in [&r.daddr, &r.saddr] {
            match a {
                Addr::HostNetwork => hits.push((
                    &NET_FW_004,
                    "the host's network, computed from the default route, is allowed as a whole"
                        .into(),
                    r.line,
                )),
                Addr::Net(n) => {
                    let broad = if n.addr().is_ipv4() {
                        n.prefix_len() <= 24
                    } else {
                        n.prefix_len() <= 48
                    };
                    let allowed =
                        allow.is_some_and(|al| al.cidrs().iter().any(|c| c.cidr.contains(n)));
                    if broad && !allowed && !n.addr().is_loopback() {
                        hits.push((&NET_FW_004, format!("{n} is allowed as a whole"), r.line));
                    }
                }
                Addr::Name(name) => hits.push((
                    &NET_FW_008,
                    format!("{name} in a rule is resolved once, when the rule is added"),
                    r.line,
                )),
                _ => {}
            }
        }
        let udp = r.proto.as_deref().is_some_and(|p| p.contains("udp"));
        if outbound.contains(&r.chain) && udp && r.dports.contains(&443) {
            hits.push((&NET_FW_012, "UDP/443 (QUIC) is accepted".into(), r.line));
        }
    }
    for op in m.set_creates.iter().filter(|o| !o.exist) {
        hits.push((
            &NET_FW_007,
            format!(
                "ipset create {} without -exist fails when the script runs again",
                op.name
            ),
            op.line,
        ));
    }
    for op in m.set_adds.iter().filter(|o| !o.exist) {
        hits.push((
            &NET_FW_007,
            format!(
                "ipset add {} without -exist fails on a duplicate address",
                op.name
            ),
            op.line,
        ));
    }
    if !m.resolutions.is_empty() && !m.refresh && !m.timeout_sets {
        let mut names: Vec<&str> = m
            .resolutions
            .iter()
            .filter_map(|r| r.name.as_deref())
            .collect();
        names.dedup();
        let aaaa = m
            .resolutions
            .iter()
            .any(|r| matches!(r.qtype.as_str(), "AAAA" | "any"));
        let shown: Vec<&str> = names.iter().take(8).copied().collect();
        let more = if names.len() > shown.len() {
            format!(" and {} more", names.len() - shown.len())
        } else {
            String::new()
        };
        let list = if shown.is_empty() {
            "the allowed hosts".to_string()
        } else {
            format!("{}{more}", shown.join(", "))
        };
        let v6 = if aaaa {
            ""
        } else {
            "; only A records are resolved (no AAAA)"
        };
        hits.push((
            &NET_FW_008,
            format!("{list} resolved once with no periodic refresh{v6}"),
            m.resolutions[0].line,
        ));
    }
    if (v4_drop || v6_drop) && !m.logs_drops {
        hits.push((
            &NET_FW_011,
            "no LOG rule: dropped connections leave no trace".into(),
            v4_line.or(v6_line).unwrap_or(1),
        ));
    }
    if let Some(line) = m.exit_on_resolve_failure {
        hits.push((
            &NET_FW_017,
            "the script exits when one name fails to resolve".into(),
            line,
        ));
    }
    if let (Some(line), false) = (m.verify_line, m.verify_v6) {
        hits.push((
            &NET_FW_018,
            "the verification request runs over IPv4 only".into(),
            line,
        ));
    }
    if let Some(line) = m.github_meta {
        hits.push((
            &NET_FW_013,
            "GitHub's published ranges (api.github.com/meta) are fetched and allowed".into(),
            line,
        ));
    }
}

fn proxy(m: &Model, hits: &mut Vec<Hit>) {
    const DEST_TYPES: &[&str] = &[
        "dstdomain",
        "dst",
        "ssl::server_name",
        "dstdom_regex",
        "ssl::server_name_regex",
        "url_regex",
        "urlpath_regex",
    ];
    let acl_type = |name: &str| {
        m.proxy_acls
            .iter()
            .find(|a| a.0 == name)
            .map(|a| a.1.as_str())
    };
    for a in m.proxy_access.iter().filter(|a| a.allow) {
        let restricts = a.acls.iter().any(|n| !n.starts_with('!') && acl_type(n).is_some_and(|t| DEST_TYPES.contains(&t)))
            // Intercepted TLS decided by ssl_bump rules: a port-name ACL of an intercept port.
            || a.acls.iter().any(|n| acl_type(n) == Some("myportname"));
        if !restricts {
            let what = if a.acls.is_empty() {
                "all".to_string()
            } else {
                a.acls.join(" ")
            };
            hits.push((
                &NET_FW_014,
                format!("http_access allow {what} has no destination ACL"),
                a.line,
            ));
        }
    }
    for (name, ty, values, line) in &m.proxy_acls {
        if !matches!(ty.as_str(), "dstdomain" | "ssl::server_name") {
            continue;
        }
        let all: Vec<&String> = m
            .proxy_acls
            .iter()
            .filter(|a| &a.0 == name)
            .flat_map(|a| a.2.iter())
            .collect();
        for v in values {
            let bare = v.trim_start_matches('.').to_ascii_lowercase();
            let parent = all.iter().find(|p| {
                p.starts_with('.') && *p != &v && {
                    let ps = p.to_ascii_lowercase();
                    bare.ends_with(&ps) || bare == ps.trim_start_matches('.')
                }
            });
            if let Some(p) = parent {
                hits.push((
                    &NET_FW_015,
                    format!("acl {name}: {v} is already covered by {p}; squid refuses to start"),
                    *line,
                ));
            }
        }
    }
}

fn domains(m: &Model, allow: Option<&Allowlist>, hits: &mut Vec<Hit>) {
    for (d, line) in &m.domains {
        if STALE
            .iter()
            .any(|s| d == s || d.ends_with(&format!(".{s}")))
        {
            hits.push((
                &NET_FW_010,
                format!("{d} is no longer used by Claude Code"),
                *line,
            ));
            continue;
        }
        let Some(al) = allow else { continue };
        if al.matches(d).is_some() {
            continue;
        }
        let why = match al.matches_disabled(d) {
            Some(e) if e.disable.is_empty() => {
                format!(" (optional group `{}`, not enabled)", e.group)
            }
            Some(e) => format!(" (optional group `{}` not enabled; {})", e.group, e.disable),
            None => String::new(),
        };
        hits.push((
            &NET_FW_009,
            format!("{d} is not in the {} profile{why}", al.provider()),
            *line,
        ));
    }
}

/// Attach file locations (with the source line as snippet).
pub fn to_findings(hits: Vec<Hit>, path: &str, src: &str) -> Vec<Finding> {
    let lines: Vec<&str> = src.lines().collect();
    hits.into_iter()
        .map(|(rule, msg, line)| {
            let mut loc = guard_core::Location::line(path, line);
            let text = lines
                .get(line.saturating_sub(1) as usize)
                .map(|l| l.trim())
                .unwrap_or("");
            if !text.is_empty() {
                loc.snippet = Some(text.chars().take(200).collect());
            }
            Finding::new(rule, msg).at(loc)
        })
        .collect()
}
