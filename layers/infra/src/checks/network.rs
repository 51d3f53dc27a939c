//! World-open ingress: security groups (inline blocks and rule resources),
//! VPC ingress rules, network ACLs and the common security-group module.

use super::Env;
use crate::model::{Hit, Mode, Resource};
use crate::rules::{
    NET_ADMIN_PORT_OPEN, NET_PORT_OPEN, NET_RULE_NO_DESCRIPTION, PLAN_UNVERIFIABLE,
};
use crate::value::{Node, V};

/// Ports whose exposure is called out: remote administration, databases,
/// caches, search engines, file sharing and cluster control planes.
const SENSITIVE_PORTS: &[(u32, &str)] = &[
    (20, "FTP data"),
    (21, "FTP"),
    (22, "SSH"),
    (23, "Telnet"),
    (25, "SMTP"),
    (53, "DNS"),
    (110, "POP3"),
    (135, "MSRPC"),
    (137, "NetBIOS"),
    (138, "NetBIOS"),
    (139, "NetBIOS"),
    (161, "SNMP"),
    (389, "LDAP"),
    (445, "SMB"),
    (636, "LDAPS"),
    (1433, "SQL Server"),
    (1434, "SQL Server browser"),
    (1521, "Oracle"),
    (2049, "NFS"),
    (2375, "Docker API"),
    (2376, "Docker API"),
    (2379, "etcd"),
    (2383, "SQL Server Analysis Services"),
    (3000, "dev server"),
    (3306, "MySQL"),
    (3389, "RDP"),
    (4333, "mSQL"),
    (5000, "dev server"),
    (5432, "PostgreSQL"),
    (5439, "Redshift"),
    (5500, "VNC"),
    (5601, "Kibana"),
    (5900, "VNC"),
    (5984, "CouchDB"),
    (6379, "Redis"),
    (6443, "Kubernetes API"),
    (7000, "Cassandra"),
    (7001, "Cassandra"),
    (7199, "Cassandra JMX"),
    (8020, "HDFS"),
    (8080, "HTTP alt / admin"),
    (8086, "InfluxDB"),
    (8888, "admin UI"),
    (9000, "admin UI"),
    (9042, "Cassandra"),
    (9090, "admin UI"),
    (9092, "Kafka"),
    (9200, "Elasticsearch"),
    (9300, "Elasticsearch"),
    (10250, "kubelet"),
    (11211, "Memcached"),
    (11214, "Memcached"),
    (11215, "Memcached"),
    (27017, "MongoDB"),
    (27018, "MongoDB"),
    (27019, "MongoDB"),
    (50070, "HDFS"),
];

/// One ingress entry, whatever resource it came from.
struct Ingress<'a> {
    node: &'a Node,
    protocol: Option<&'a Node>,
    from: Option<&'a Node>,
    to: Option<&'a Node>,
    cidrs: Vec<&'a Node>,
    /// The attribute holding the world-open CIDR, for the finding's place.
    cidr_attr: Option<&'a Node>,
    key: String,
}

impl<'a> Ingress<'a> {
    /// An ingress entry of `node`: its protocol under `protocol_key`, its
    /// sources under `cidr_keys`.
    fn of(node: &'a Node, protocol_key: &str, cidr_keys: &[&str], key: String) -> Self {
        Ingress {
            node,
            protocol: node.get(protocol_key),
            from: node.get("from_port"),
            to: node.get("to_port"),
            cidrs: cidrs(node, cidr_keys),
            cidr_attr: world_attr(node, cidr_keys),
            key,
        }
    }
}

/// The whole address space: a prefix length of 0 with an all-zero (or
/// omitted) address. `1.0.0.0/0` is malformed and rejected by AWS.
fn is_world(cidr: &str) -> bool {
    let Some((addr, len)) = cidr.trim().split_once('/') else {
        return false;
    };
    len.trim() == "0" && addr.chars().all(|c| matches!(c, '0' | '.' | ':'))
}

/// The port range an entry opens, `None` for ICMP (no ports).
fn port_range(
    protocol: Option<&Node>,
    from: Option<&Node>,
    to: Option<&Node>,
) -> Option<(u32, u32)> {
    let proto = protocol
        .map(|p| match &p.v {
            V::Num(n) => n.to_string(),
            V::Str(s) => s.trim().to_ascii_lowercase(),
            _ => String::new(),
        })
        .unwrap_or_default();
    if matches!(proto.as_str(), "-1" | "all" | "any") {
        return Some((0, 65535));
    }
    if matches!(proto.as_str(), "icmp" | "1" | "icmpv6" | "58") {
        return None;
    }
    let num = |n: Option<&Node>| {
        n.and_then(Node::as_f64)
            .map(|f| f.clamp(0.0, 65535.0) as u32)
    };
    match (num(from), num(to)) {
        (Some(f), Some(t)) if f == 0 && t == 0 => Some((0, 65535)),
        (Some(f), Some(t)) => Some((f.min(t), f.max(t))),
        (Some(f), None) => Some((f, f)),
        (None, Some(t)) => Some((t, t)),
        (None, None) => Some((0, 65535)),
    }
}

fn describe(from: u32, to: u32) -> (bool, String) {
    if from == 0 && to == 65535 {
        return (true, "all ports".into());
    }
    let hit: Vec<String> = SENSITIVE_PORTS
        .iter()
        .filter(|(p, _)| (from..=to).contains(p))
        .take(4)
        .map(|(p, n)| format!("{n} ({p})"))
        .collect();
    let range = if from == to {
        format!("port {from}")
    } else {
        format!("ports {from}-{to}")
    };
    if hit.is_empty() {
        (false, range)
    } else {
        (true, format!("{range}: {}", hit.join(", ")))
    }
}

fn action_is(b: &Node, action: &str) -> bool {
    b.get("action")
        .and_then(Node::as_str)
        .is_some_and(|a| a.trim().eq_ignore_ascii_case(action))
}

/// NACL rules are evaluated in `rule_no` order and the first match decides:
/// an allow is shadowed when a lower-numbered deny from the whole address
/// space (same family) covers its protocol and ports.
fn denied_first(allow: &Node, rules: &[&Node]) -> bool {
    let Some(no) = allow.get("rule_no").and_then(Node::as_f64) else {
        return false;
    };
    let proto = |b: &Node| {
        b.get("protocol")
            .map(|p| match &p.v {
                V::Num(n) => n.to_string(),
                V::Str(s) => s.trim().to_ascii_lowercase(),
                _ => String::new(),
            })
            .unwrap_or_default()
    };
    let all = |p: &str| matches!(p, "-1" | "all" | "any");
    let range = |b: &Node| port_range(b.get("protocol"), b.get("from_port"), b.get("to_port"));
    rules.iter().any(|d| {
        let earlier = d
            .get("rule_no")
            .and_then(Node::as_f64)
            .is_some_and(|n| n < no);
        let same_family_world = ["cidr_block", "ipv6_cidr_block"].iter().any(|k| {
            allow.get(k).and_then(Node::as_str).is_some_and(is_world)
                && d.get(k).and_then(Node::as_str).is_some_and(is_world)
        });
        let covers_proto = all(&proto(d)) || proto(d) == proto(allow);
        let covers_ports = match (range(d), range(allow)) {
            (Some((df, dt)), Some((af, at))) => df <= af && at <= dt,
            (None, None) => true,
            _ => all(&proto(d)),
        };
        earlier && action_is(d, "deny") && same_family_world && covers_proto && covers_ports
    })
}

fn cidrs<'a>(n: &'a Node, keys: &[&str]) -> Vec<&'a Node> {
    keys.iter()
        .filter_map(|k| n.get(k))
        .flat_map(|c| c.items())
        .collect()
}

fn world_attr<'a>(n: &'a Node, keys: &[&str]) -> Option<&'a Node> {
    keys.iter()
        .filter_map(|k| n.get(k))
        .find(|a| a.items().iter().any(|c| c.as_str().is_some_and(is_world)))
}

fn entries(r: &Resource) -> Vec<Ingress<'_>> {
    let v = &r.values;
    let mut out = Vec::new();
    match r.rtype.as_str() {
        "aws_security_group" | "aws_default_security_group" => {
            for (i, b) in v.blocks("ingress").into_iter().enumerate() {
                out.push(Ingress::of(
                    b,
                    "protocol",
                    &["cidr_blocks", "ipv6_cidr_blocks"],
                    format!("ingress[{i}]"),
                ));
            }
        }
        "aws_security_group_rule" if v.get("type").and_then(Node::as_str) == Some("ingress") => {
            out.push(Ingress::of(
                v,
                "protocol",
                &["cidr_blocks", "ipv6_cidr_blocks"],
                "rule".into(),
            ));
        }
        "aws_vpc_security_group_ingress_rule" => out.push(Ingress::of(
            v,
            "ip_protocol",
            &["cidr_ipv4", "cidr_ipv6"],
            "rule".into(),
        )),
        "aws_network_acl" | "aws_default_network_acl" => {
            let blocks = v.blocks("ingress");
            for (i, b) in blocks.iter().enumerate() {
                if action_is(b, "allow") && !denied_first(b, &blocks) {
                    out.push(Ingress::of(
                        b,
                        "protocol",
                        &["cidr_block", "ipv6_cidr_block"],
                        format!("ingress[{i}]"),
                    ));
                }
            }
        }
        "aws_network_acl_rule" => {
            let egress = v.get("egress").and_then(Node::as_bool).unwrap_or(false);
            let allow = v
                .get("rule_action")
                .and_then(Node::as_str)
                .map(str::to_ascii_lowercase)
                .as_deref()
                == Some("allow");
            if !egress && allow {
                out.push(Ingress::of(
                    v,
                    "protocol",
                    &["cidr_block", "ipv6_cidr_block"],
                    "rule".into(),
                ));
            }
        }
        _ => {}
    }
    out
}

pub fn check(r: &Resource, env: &Env, hits: &mut Vec<Hit>) {
    if r.mode == Mode::Module {
        module(r, hits);
        return;
    }
    if r.via_module && r.rtype == "aws_security_group" && r.values.get("ingress").is_none() {
        return;
    }
    if r.mode != Mode::Managed {
        return;
    }
    for e in entries(r) {
        let world = e.cidrs.iter().find(|c| c.as_str().is_some_and(is_world));
        if let Some(c) = world {
            let Some((from, to)) = port_range(e.protocol, e.from, e.to) else {
                continue;
            };
            let Some((rule, what)) = open_rule(from, to) else {
                continue;
            };
            let src = c.as_str().unwrap_or("");
            // Inline blocks: the block; rule resources: the CIDR attribute.
            let attr = e.cidr_attr.unwrap_or(c);
            let at = if e.node.line > 0 && e.key != "rule" {
                e.node
            } else {
                attr
            };
            hits.push(
                Hit::new(
                    rule,
                    at.line,
                    format!("{}:{src}:{from}-{to}", e.key),
                    format!("ingress from `{src}` to {what}"),
                )
                .over(at)
                .focus_on(attr.line),
            );
        } else if env.plan && e.cidrs.iter().any(|c| c.is_unknown()) {
            hits.push(
                Hit::new(
                    &PLAN_UNVERIFIABLE,
                    e.node.line,
                    format!("{}:cidr:unknown", e.key),
                    "ingress source CIDR is known only after apply",
                )
                .over(e.node),
            );
        }
    }
    // Undocumented security group rules (inline blocks of both directions and rule resources).
    let mut undocumented = |n: &Node, key: String| {
        let described = n
            .get("description")
            .is_some_and(|d| !d.is_null() && d.as_str().is_none_or(|s| !s.trim().is_empty()));
        if described {
            return;
        }
        // One finding per rule: an opening found in it carries the missing
        // description. Openings are keyed `ingress[i]:...` (inline blocks)
        // or `rule:...` (rule resources, one rule each); `hits` holds this
        // resource's findings only.
        let block = key.strip_suffix(":description").unwrap_or("rule");
        let prefix = format!("{block}:");
        if let Some(h) = hits.iter_mut().find(|h| {
            matches!(h.rule.id, "INFRA-NET-001" | "INFRA-NET-002") && h.key.starts_with(&prefix)
        }) {
            h.message.push_str("; also the rule has no description");
            return;
        }
        hits.push(
            Hit::new(
                &NET_RULE_NO_DESCRIPTION,
                n.line,
                key,
                "security group rule has no description",
            )
            .over(n),
        );
    };
    match r.rtype.as_str() {
        "aws_security_group" | "aws_default_security_group" => {
            for dir in ["ingress", "egress"] {
                for (i, b) in r.values.blocks(dir).into_iter().enumerate() {
                    undocumented(b, format!("{dir}[{i}]:description"));
                }
            }
        }
        "aws_security_group_rule"
        | "aws_vpc_security_group_ingress_rule"
        | "aws_vpc_security_group_egress_rule" => undocumented(&r.values, "description".into()),
        _ => {}
    }
}

/// Ports of the named rules of terraform-aws-modules/security-group
/// (`rules.tf`; the common ones: an unknown name counts as "some port").
const MODULE_RULES: &[(&str, u32, u32)] = &[
    ("all-all", 0, 65535),
    ("all-tcp", 0, 65535),
    ("all-udp", 0, 65535),
    ("ssh-tcp", 22, 22),
    ("rdp-tcp", 3389, 3389),
    ("rdp-udp", 3389, 3389),
    ("mysql-tcp", 3306, 3306),
    ("postgresql-tcp", 5432, 5432),
    ("mssql-tcp", 1433, 1433),
    ("oracle-db-tcp", 1521, 1521),
    ("mongodb-27017-tcp", 27017, 27017),
    ("redis-tcp", 6379, 6379),
    ("memcached-tcp", 11211, 11211),
    ("elasticsearch-rest-tcp", 9200, 9200),
    ("kafka-broker-tcp", 9092, 9092),
    ("cassandra-clients-tcp", 9042, 9042),
    ("winrm-http-tcp", 5985, 5985),
    ("winrm-https-tcp", 5986, 5986),
    ("http-80-tcp", 80, 80),
    ("https-443-tcp", 443, 443),
    ("http-8080-tcp", 8080, 8080),
];

/// The rule and message for a world-open range, `None` for a web port
/// (80 or 443) alone: those are meant to be public.
fn open_rule(from: u32, to: u32) -> Option<(&'static guard_core::Rule, String)> {
    if (from == 80 || from == 443) && from == to {
        return None;
    }
    let (sensitive, what) = describe(from, to);
    let rule = if sensitive {
        &NET_ADMIN_PORT_OPEN
    } else {
        &NET_PORT_OPEN
    };
    Some((rule, what))
}

/// terraform-aws-modules/security-group: `ingress_cidr_blocks` and
/// `ingress_ipv6_cidr_blocks` apply to every rule named in `ingress_rules`;
/// `ingress_with_cidr_blocks` entries carry their own (comma-separated)
/// CIDRs and ports or rule name.
fn module(r: &Resource, hits: &mut Vec<Hit>) {
    let source = r.values.get("source").and_then(Node::as_str).unwrap_or("");
    if !source.contains("terraform-aws-modules/security-group") {
        return;
    }
    let world_in = |n: &Node| {
        n.items().into_iter().find_map(|c| {
            c.as_str()?
                .split(',')
                .map(str::trim)
                .find(|x| is_world(x))
                .map(str::to_string)
        })
    };
    let named = |name: &str| {
        MODULE_RULES
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|&(_, f, t)| (f, t))
    };
    for attr in ["ingress_cidr_blocks", "ingress_ipv6_cidr_blocks"] {
        let Some(n) = r.values.get(attr) else {
            continue;
        };
        let Some(src) = world_in(n) else { continue };
        // The named rules the CIDRs open; without a list the module's own
        // rules apply (unknown here): reported as some port open.
        let names: Vec<&str> = r
            .values
            .get("ingress_rules")
            .map(|l| l.items().into_iter().filter_map(Node::as_str).collect())
            .unwrap_or_default();
        let ranges = names.len();
        let found = names
            .iter()
            .filter_map(|name| match named(name) {
                Some((f, t)) => open_rule(f, t),
                None => Some((&NET_PORT_OPEN, format!("rule `{name}`"))),
            })
            .max_by_key(|(rule, _)| rule.severity);
        let (rule, what) = match (ranges == 0, found) {
            (_, Some((rule, what))) => (rule, format!(" to {what}")),
            (true, None) => (&NET_PORT_OPEN, String::new()),
            (false, None) => continue,
        };
        hits.push(
            Hit::new(
                rule,
                n.line,
                format!("{attr}:{src}"),
                format!("module opens its ingress rules to `{src}`{what}"),
            )
            .over(n),
        );
    }
    for attr in ["ingress_with_cidr_blocks", "ingress_with_ipv6_cidr_blocks"] {
        let Some(n) = r.values.get(attr) else {
            continue;
        };
        for (i, e) in n.items().into_iter().enumerate() {
            let cidrs = e.get("cidr_blocks").or_else(|| e.get("ipv6_cidr_blocks"));
            let Some(src) = cidrs.and_then(&world_in) else {
                continue;
            };
            let opened = match e.get("rule").and_then(Node::as_str) {
                Some(name) => match named(name) {
                    Some((f, t)) => open_rule(f, t),
                    None => Some((&NET_PORT_OPEN, format!("rule `{name}`"))),
                },
                None => port_range(e.get("protocol"), e.get("from_port"), e.get("to_port"))
                    .and_then(|(f, t)| open_rule(f, t)),
            };
            let Some((rule, what)) = opened else { continue };
            hits.push(
                Hit::new(
                    rule,
                    e.line_or(n.line),
                    format!("{attr}[{i}]:{src}"),
                    format!("module ingress from `{src}` to {what}"),
                )
                .over(e),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(v: V) -> Node {
        Node::new(v, 1)
    }

    #[test]
    fn world_cidrs() {
        for w in ["0.0.0.0/0", "::/0", "/0", " 0.0.0.0/0 "] {
            assert!(is_world(w), "{w}");
        }
        for w in ["1.0.0.0/0", "10.0.0.0/8", "0.0.0.0/1", "0.0.0.0"] {
            assert!(!is_world(w), "{w}");
        }
    }

    #[test]
    fn port_ranges() {
        let tcp = n(V::Str("tcp".into()));
        let all = n(V::Str("-1".into()));
        let icmp = n(V::Str("icmp".into()));
        let p = |x: f64| n(V::Num(x));
        assert_eq!(
            port_range(Some(&all), Some(&p(22.0)), Some(&p(22.0))),
            Some((0, 65535))
        );
        assert_eq!(
            port_range(Some(&n(V::Num(-1.0))), None, None),
            Some((0, 65535))
        );
        assert_eq!(
            port_range(Some(&tcp), Some(&p(3306.0)), Some(&p(3306.0))),
            Some((3306, 3306))
        );
        assert_eq!(
            port_range(Some(&tcp), Some(&p(0.0)), Some(&p(0.0))),
            Some((0, 65535))
        );
        assert_eq!(port_range(Some(&icmp), Some(&p(8.0)), Some(&p(0.0))), None);
        assert!(describe(20, 60).0, "range covering SSH is sensitive");
        assert!(!describe(8443, 8443).0);
    }
}
