//! `--format json`: a stable, versioned shape for other tools.

use crate::allowlist::Allowlist;
use serde::Serialize;

#[derive(Serialize)]
struct Doc<'a> {
    format: &'static str,
    version: u32,
    provider: &'a str,
    region: Option<&'a str>,
    groups: &'a [String],
    entries: Vec<Entry<'a>>,
    cidrs: Vec<Cidr<'a>>,
    /// Empty: the resolvers of /etc/resolv.conf where the list is enforced.
    resolvers: Vec<String>,
    ports: Vec<u16>,
    notes: &'a [String],
}

#[derive(Serialize)]
struct Entry<'a> {
    pattern: String,
    #[serde(flatten)]
    entry: &'a crate::allowlist::AllowEntry,
}

#[derive(Serialize)]
struct Cidr<'a> {
    family: &'static str,
    #[serde(flatten)]
    cidr: &'a crate::allowlist::AllowCidr,
}

pub fn render(list: &Allowlist) -> String {
    let doc = Doc {
        format: "guard-allowlist",
        version: 1,
        provider: list.provider(),
        region: list.region(),
        groups: list.groups(),
        entries: list
            .entries()
            .iter()
            .map(|e| Entry {
                pattern: e.pattern(),
                entry: e,
            })
            .collect(),
        cidrs: list
            .cidrs()
            .iter()
            .map(|c| Cidr {
                family: if c.cidr.addr().is_ipv4() {
                    "ipv4"
                } else {
                    "ipv6"
                },
                cidr: c,
            })
            .collect(),
        resolvers: list.resolvers().iter().map(|r| r.to_string()).collect(),
        ports: list.ports().iter().copied().collect(),
        notes: list.notes(),
    };
    // Serialising plain strings and numbers cannot fail.
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
