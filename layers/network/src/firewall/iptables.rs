//! `iptables-restore` / `ip6tables-restore` rule text. The address sets are
//! ipsets the script fills and swaps (`guard_allow4`, `guard_dns4`, ...).

use super::ports;
use crate::allowlist::Allowlist;

/// The filter table for one family, ready for `iptables-restore` (`v6 = false`)
/// or `ip6tables-restore` (`v6 = true`).
pub fn iptables_restore(list: &Allowlist, v6: bool) -> String {
    let (fam, reject) = if v6 {
        ("6", "icmp6-adm-prohibited")
    } else {
        ("4", "icmp-admin-prohibited")
    };
    let ports = ports(list);
    let mut r =
        String::from("*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n");
    r.push_str("-A INPUT -i lo -j ACCEPT\n");
    r.push_str("-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n");
    if v6 {
        // Neighbour discovery: without it IPv6 stops working on the link.
        for t in [
            "neighbour-solicitation",
            "neighbour-advertisement",
            "router-advertisement",
        ] {
            r.push_str(&format!(
                "-A INPUT -p ipv6-icmp --icmpv6-type {t} -j ACCEPT\n"
            ));
        }
    }
    r.push_str("-A OUTPUT -o lo -j ACCEPT\n");
    r.push_str("-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n");
    if v6 {
        for t in [
            "neighbour-solicitation",
            "neighbour-advertisement",
            "router-solicitation",
        ] {
            r.push_str(&format!(
                "-A OUTPUT -p ipv6-icmp --icmpv6-type {t} -j ACCEPT\n"
            ));
        }
    }
    for proto in ["udp", "tcp"] {
        r.push_str(&format!(
            "-A OUTPUT -p {proto} --dport 53 -m set --match-set guard_dns{fam} dst -j ACCEPT\n"
        ));
    }
    r.push_str(&format!(
        "-A OUTPUT -p tcp -m multiport --dports {ports} -m set --match-set guard_allow{fam} dst -j ACCEPT\n"
    ));
    // QUIC would bypass an SNI proxy; rejecting it makes clients fall back to TCP at once.
    r.push_str("-A OUTPUT -p udp --dport 443 -j REJECT\n");
    r.push_str("-A OUTPUT -m limit --limit 6/min -j LOG --log-prefix \"guard-egress drop: \"\n");
    r.push_str("-A OUTPUT -p tcp -j REJECT --reject-with tcp-reset\n");
    r.push_str(&format!("-A OUTPUT -j REJECT --reject-with {reject}\n"));
    r.push_str("COMMIT\n");
    r
}
