//! `table inet guard_egress`: one table for IPv4 and IPv6.

use super::{header, ports, resolvers, v4_cidrs, v6_cidrs};
use crate::allowlist::Allowlist;

fn set(name: &str, ty: &str, interval: bool, elements: &[String], note: &str) -> String {
    let mut s = format!("\tset {name} {{\n\t\ttype {ty}\n");
    if interval {
        s.push_str("\t\tflags interval\n");
    }
    if !elements.is_empty() {
        s.push_str(&format!("\t\telements = {{ {} }}\n", elements.join(", ")));
    }
    s.push_str("\t}");
    if !note.is_empty() {
        s.push_str(&format!(" # {note}"));
    }
    s.push('\n');
    s
}

/// The ruleset for `nft -f`. Re-loading it replaces the table atomically; the
/// `resolved4`/`resolved6` sets are filled by the refresh script.
pub fn nft_ruleset(list: &Allowlist) -> String {
    let ports = ports(list);
    let mut out = header(list, "#");
    out.push_str("# Fill resolved4/resolved6 with the refresh script:\n# guard net allowlist ... --format nftables-script\n");
    out.push_str("# DNS may go only to the resolvers in dns4/dns6.\n");
    let wild = super::wildcard_entries(list);
    if !wild.is_empty() {
        out.push_str("# Wildcard entries have no addresses and stay blocked here; enforce them with\n# an SNI proxy (guard net allowlist --format squid-splice):\n");
        for w in wild {
            out.push_str(&format!("#   {}\n", w.pattern()));
        }
    }
    out.push_str(
        "table inet guard_egress\ndelete table inet guard_egress\n\ntable inet guard_egress {\n",
    );
    out.push_str(&set(
        "allow4",
        "ipv4_addr",
        true,
        &v4_cidrs(list),
        "published ranges and user CIDRs",
    ));
    out.push_str(&set("allow6", "ipv6_addr", true, &v6_cidrs(list), ""));
    out.push_str(&set(
        "resolved4",
        "ipv4_addr",
        false,
        &[],
        "A records of the allowed hosts",
    ));
    out.push_str(&set(
        "resolved6",
        "ipv6_addr",
        false,
        &[],
        "AAAA records of the allowed hosts",
    ));
    out.push_str(&set(
        "dns4",
        "ipv4_addr",
        false,
        &resolvers(list, false),
        "resolvers",
    ));
    out.push_str(&set("dns6", "ipv6_addr", false, &resolvers(list, true), ""));
    out.push_str(
        "\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\
         \t\tiif \"lo\" accept\n\
         \t\tct state established,related accept\n\
         \t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } accept\n\t}\n\n",
    );
    out.push_str(
        "\tchain forward {\n\t\ttype filter hook forward priority filter; policy drop;\n\t}\n\n",
    );
    out.push_str(&format!(
        "\tchain output {{\n\t\ttype filter hook output priority filter; policy drop;\n\
         \t\toif \"lo\" accept\n\
         \t\tct state established,related accept\n\
         \t\ticmpv6 type {{ nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit }} accept\n\
         \t\tmeta l4proto {{ tcp, udp }} th dport 53 ip daddr @dns4 accept\n\
         \t\tmeta l4proto {{ tcp, udp }} th dport 53 ip6 daddr @dns6 accept\n\
         \t\ttcp dport {{ {ports} }} ip daddr @allow4 accept\n\
         \t\ttcp dport {{ {ports} }} ip6 daddr @allow6 accept\n\
         \t\ttcp dport {{ {ports} }} ip daddr @resolved4 accept\n\
         \t\ttcp dport {{ {ports} }} ip6 daddr @resolved6 accept\n\
         \t\tudp dport 443 reject comment \"QUIC: fall back to TCP\"\n\
         \t\tlimit rate 6/minute log prefix \"guard-egress drop: \"\n\
         \t\treject with icmpx type admin-prohibited\n\t}}\n}}\n"
    ));
    out
}
