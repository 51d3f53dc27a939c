//! The network layer's rule table: `guard rules network`, `guard explain ID`.

use crate::capture::rules as cap;
use guard_core::{Rule, Severity};

const NOTES_DEVCONTAINER: &str = "https://code.claude.com/docs/en/devcontainer";
const NETCFG: &str = "https://code.claude.com/docs/en/network-config";
const IPV6_ISSUE: &str = "https://github.com/anthropics/claude-code/issues/24952";
const EXIST_ISSUE: &str = "https://github.com/anthropics/claude-code/issues/91327";

// ---- firewall audit (guard net audit-firewall) ----

pub static NET_FW_001: Rule = Rule {
    id: "NET-FW-001",
    severity: Severity::Critical,
    title: "IPv4 egress is filtered but IPv6 is not",
    rationale: "The script drops IPv4 by default but sets no IPv6 policy (no ip6tables, no inet/ip6 table). On a dual-stack network every allowlisted and non-allowlisted host stays reachable over IPv6, so the allowlist is bypassed.",
    remediation: "Mirror the rules with ip6tables (a hash:net family inet6 set, ICMPv6 neighbour discovery, policy DROP), or use one nftables `table inet` for both families (guard net allowlist --format nftables).",
    tags: &["CWE-284", "OWASP:A01:2021", "STRIDE:InformationDisclosure"],
    references: &[IPV6_ISSUE, NOTES_DEVCONTAINER],
};

pub static NET_FW_002: Rule = Rule {
    id: "NET-FW-002",
    severity: Severity::High,
    title: "DNS (port 53) is open to any host",
    rationale: "Allowing UDP/TCP 53 to every destination lets a process tunnel data through DNS or talk to an attacker's server on port 53, around the allowlist.",
    remediation: "Allow port 53 only to the resolvers in /etc/resolv.conf (Docker: 127.0.0.11), over UDP and TCP.",
    tags: &["CWE-284", "CWE-200", "OWASP:A01:2021"],
    references: &[NOTES_DEVCONTAINER],
};

pub static NET_FW_003: Rule = Rule {
    id: "NET-FW-003",
    severity: Severity::High,
    title: "SSH (port 22) is open to any host",
    rationale: "Outbound SSH to anywhere allows tunnels and git-over-SSH pushes of exfiltrated data to any server.",
    remediation: "Allow port 22 only to the git hosts that need it (by their published ranges), or use HTTPS for git.",
    tags: &["CWE-284", "OWASP:A01:2021"],
    references: &[NOTES_DEVCONTAINER],
};

pub static NET_FW_004: Rule = Rule {
    id: "NET-FW-004",
    severity: Severity::Medium,
    title: "A whole network (/24 or larger) is allowed",
    rationale: "Allowing the host's whole network (derived from the default route) or any other /24 opens every machine on it; on a bridged or host network that can be the corporate LAN. The derivation also assumes the network is a /24.",
    remediation: "Allow only the gateway address, or nothing; list needed internal hosts explicitly.",
    tags: &["CWE-284", "OWASP:A01:2021"],
    references: &[NOTES_DEVCONTAINER],
};

pub static NET_FW_005: Rule = Rule {
    id: "NET-FW-005",
    severity: Severity::High,
    title: "Outbound traffic is accepted by default",
    rationale: "The OUTPUT policy is ACCEPT (or never set) and no final rule drops the rest, so every host not explicitly blocked is reachable: the allowlist does nothing.",
    remediation: "Set the OUTPUT policy to DROP for IPv4 and IPv6 (nftables: `policy drop` on the output hook) after allowing loopback, established connections, DNS to the resolvers and the allowlist.",
    tags: &["CWE-284", "CWE-276", "OWASP:A01:2021"],
    references: &[NETCFG],
};

pub static NET_FW_006: Rule = Rule {
    id: "NET-FW-006",
    severity: Severity::High,
    title: "A rule accepts all outbound traffic",
    rationale: "An OUTPUT rule with no protocol, port, address, interface or state match accepts everything, so the default DROP policy and the allowlist after it never apply.",
    remediation: "Remove the catch-all ACCEPT; accept only loopback, ESTABLISHED,RELATED, DNS to the resolvers and the allowlisted addresses.",
    tags: &["CWE-284", "OWASP:A01:2021"],
    references: &[NETCFG],
};

pub static NET_FW_007: Rule = Rule {
    id: "NET-FW-007",
    severity: Severity::Low,
    title: "ipset create or add without -exist",
    rationale: "`ipset create` fails when the set exists (a second run) and `ipset add` fails on a duplicate address (two allowed hosts sharing a CDN address). Under `set -e` the script then stops half-way, leaving DROP policies with an incomplete allowlist.",
    remediation: "Use `ipset create NAME TYPE -exist` and `ipset add NAME ADDR -exist`; build into a temporary set and `ipset swap` it in.",
    tags: &["CWE-755", "CWE-400"],
    references: &[EXIST_ISSUE],
};

pub static NET_FW_008: Rule = Rule {
    id: "NET-FW-008",
    severity: Severity::Medium,
    title: "Host names resolved once, without a refresh",
    rationale: "Addresses are looked up when the script runs (dig, getent, or a host name in an iptables rule) and never again. CDN addresses rotate, so allowed hosts start failing, and a shared CDN address lets other tenants' domains through.",
    remediation: "Re-resolve A and AAAA records from a cron job or systemd timer and swap the sets atomically (guard net allowlist --format iptables generates this), use published ranges where the provider has them, or enforce names with an SNI proxy.",
    tags: &["CWE-1188", "CWE-284"],
    references: &["https://github.com/anthropics/claude-code/pull/40322"],
};

pub static NET_FW_009: Rule = Rule {
    id: "NET-FW-009",
    severity: Severity::Low,
    title: "Allowed host is outside the chosen provider profile",
    rationale: "The firewall allows a host the selected provider mode and its enabled groups do not need. Each extra host is a possible exfiltration channel.",
    remediation: "Remove the host, or declare it on purpose with --allow / [layers.network] extra_domains (or enable the optional group that covers it).",
    tags: &["CWE-284", "OWASP:A01:2021"],
    references: &[NETCFG],
};

pub static NET_FW_010: Rule = Rule {
    id: "NET-FW-010",
    severity: Severity::Low,
    title: "Allowed host is no longer used by Claude Code",
    rationale: "statsig.anthropic.com, statsig.com and sentry.io were Claude Code's telemetry and error-reporting hosts until late 2025; current builds use Datadog hosts. A stale entry widens the allowlist and can break start-up when the name stops resolving.",
    remediation: "Remove the host; compare the list with guard net profiles.",
    tags: &["CWE-1164"],
    references: &[NETCFG, "https://github.com/anthropics/claude-code/issues/55623"],
};

pub static NET_FW_011: Rule = Rule {
    id: "NET-FW-011",
    severity: Severity::Low,
    title: "Dropped traffic is not logged",
    rationale: "Without a LOG rule nobody can tell which process tried to reach which blocked host, so neither attacks nor missing allowlist entries show up.",
    remediation: "Add a rate-limited LOG rule before the final drop (nftables: `limit rate 6/minute log prefix \"egress drop: \"`).",
    tags: &["CWE-778"],
    references: &[],
};

pub static NET_FW_012: Rule = Rule {
    id: "NET-FW-012",
    severity: Severity::Info,
    title: "UDP port 443 (QUIC) is allowed",
    rationale: "QUIC carries its SNI in an encrypted Initial packet; a TCP-only SNI proxy or filter does not see it.",
    remediation: "Reject UDP/443 explicitly so clients fall back to TCP at once.",
    tags: &["CWE-284"],
    references: &[],
};

pub static NET_FW_013: Rule = Rule {
    id: "NET-FW-013",
    severity: Severity::Medium,
    title: "All of GitHub's published ranges are allowed",
    rationale: "The ranges from api.github.com/meta cover every repository, gist and issue on github.com: pushes and comments to any account can carry exfiltrated data.",
    remediation: "Route GitHub through a proxy with path or method rules, or allow only what the task needs.",
    tags: &["CWE-284", "OWASP:A01:2021"],
    references: &[NOTES_DEVCONTAINER],
};

pub static NET_FW_014: Rule = Rule {
    id: "NET-FW-014",
    severity: Severity::High,
    title: "Proxy allows requests to any destination",
    rationale: "An http_access allow line without a destination ACL (dstdomain, dst, ssl::server_name) lets clients CONNECT anywhere through the proxy.",
    remediation: "Allow only `CONNECT` to a dstdomain ACL of the allowlist and end with `http_access deny all` (guard net allowlist --format squid).",
    tags: &["CWE-284", "OWASP:A01:2021"],
    references: &["https://www.squid-cache.org/Doc/config/http_access/"],
};

pub static NET_FW_015: Rule = Rule {
    id: "NET-FW-015",
    severity: Severity::Medium,
    title: "Squid domain ACL lists a name its wildcard parent already covers",
    rationale: "Squid rejects `platform.claude.com` next to `.claude.com` in one dstdomain or ssl::server_name ACL as a fatal configuration error: the proxy does not start.",
    remediation: "Keep only the wildcard parent (`.claude.com`).",
    tags: &["CWE-1164"],
    references: &["https://www.squid-cache.org/Doc/config/acl/"],
};

pub static NET_FW_016: Rule = Rule {
    id: "NET-FW-016",
    severity: Severity::Medium,
    title: "Part of the firewall file could not be read",
    rationale: "The file is truncated or has a syntax error (an unterminated quote or block), so the audit is incomplete, and the firewall itself may fail half-way when it runs.",
    remediation: "Fix the syntax (bash -n, nft -c -f, squid -k parse) and audit again.",
    tags: &["CWE-1164"],
    references: &[],
};

pub static NET_FW_017: Rule = Rule {
    id: "NET-FW-017",
    severity: Severity::Low,
    title: "One host that does not resolve stops the whole firewall script",
    rationale: "The script exits when a name in its list does not resolve. When a listed host is retired (statsig.anthropic.com stopped resolving in 2026) the container no longer starts, or starts with DROP policies and half the allowlist.",
    remediation: "Split the list into required and optional hosts; warn and continue for optional ones (the generated script logs and retries at the next refresh).",
    tags: &["CWE-755"],
    references: &["https://github.com/anthropics/claude-code/issues/55623"],
};

pub static NET_FW_018: Rule = Rule {
    id: "NET-FW-018",
    severity: Severity::Low,
    title: "The firewall's self-test checks IPv4 only",
    rationale: "The verification step proves that example.com is blocked over IPv4 only; an IPv6 hole (the most common one) passes the test.",
    remediation: "Also test over IPv6 (curl -6), test a non-allowlisted address on ports 53 and 22, and DNS to an external resolver.",
    tags: &["CWE-1164"],
    references: &[NOTES_DEVCONTAINER],
};

// ---- devcontainer.json ----

const DEVCONTAINER_REF: &str = "https://containers.dev/implementors/json_reference/";

pub static NET_DC_001: Rule = Rule {
    id: "NET-DC-001",
    severity: Severity::High,
    title: "Dev container uses the host's network",
    rationale: "With --network=host the container has no network namespace of its own: a firewall script inside it changes the host's rules or none at all, and every host service on localhost is reachable.",
    remediation: "Remove --network=host; give the container its own network and apply the egress firewall there (or on the host's DOCKER-USER chain).",
    tags: &["CWE-284", "OWASP:A01:2021"],
    references: &[DEVCONTAINER_REF],
};

pub static NET_DC_002: Rule = Rule {
    id: "NET-DC-002",
    severity: Severity::Medium,
    title: "Firewall script runs only when the container is created",
    rationale: "iptables and nftables rules live in the kernel and are not saved with the container. Run from postCreateCommand alone, the firewall is gone after the first restart and egress is open.",
    remediation: "Run the firewall script from postStartCommand (every start) and make the agent wait for it (waitFor).",
    tags: &["CWE-284", "CWE-1188"],
    references: &[DEVCONTAINER_REF],
};

pub static NET_DC_003: Rule = Rule {
    id: "NET-DC-003",
    severity: Severity::Low,
    title: "Container can rewrite its own firewall",
    rationale: "NET_ADMIN (or --privileged) lets any root process in the container flush the egress rules; an agent that gets root, or may sudo the firewall script it can edit, removes its own limits.",
    remediation: "Apply the firewall from the host (DOCKER-USER chain) or a sidecar; otherwise keep the script root-owned and read-only, allow sudo only for it, and drop the capability after setup.",
    tags: &["CWE-269", "CWE-284"],
    references: &[NOTES_DEVCONTAINER],
};

pub static NET_DC_004: Rule = Rule {
    id: "NET-DC-004",
    severity: Severity::High,
    title: "TLS certificate verification is turned off",
    rationale: "NODE_TLS_REJECT_UNAUTHORIZED=0 makes Node accept any certificate: anyone on the path can read and change API traffic, including credentials.",
    remediation: "Remove it; add a corporate CA with NODE_EXTRA_CA_CERTS instead.",
    tags: &["CWE-295", "OWASP:A02:2021"],
    references: &[NETCFG],
};

pub static NET_DC_005: Rule = Rule {
    id: "NET-DC-005",
    severity: Severity::Medium,
    title: "API, proxy or telemetry endpoint outside the allowlist",
    rationale: "ANTHROPIC_BASE_URL, a proxy variable or an OpenTelemetry endpoint sends traffic (prompts, code, credentials) to a host the chosen provider profile does not include: either the allowlist is missing it or the traffic goes somewhere it should not.",
    remediation: "Point the variable at an approved host and add that host to the allowlist on purpose (--allow or [layers.network] extra_domains, or --provider gateway).",
    tags: &["CWE-200", "OWASP:A01:2021"],
    references: &[NETCFG],
};

// ---- capture audit (guard net audit CAPTURE): NET-CAP-* ----
// Defined with the capture decoder in `capture::rules`; listed here so the
// layer keeps one table.

pub static RULES: &[Rule] = &[
    NET_FW_001,
    NET_FW_002,
    NET_FW_003,
    NET_FW_004,
    NET_FW_005,
    NET_FW_006,
    NET_FW_007,
    NET_FW_008,
    NET_FW_009,
    NET_FW_010,
    NET_FW_011,
    NET_FW_012,
    NET_FW_013,
    NET_FW_014,
    NET_FW_015,
    NET_FW_016,
    NET_FW_017,
    NET_FW_018,
    NET_DC_001,
    NET_DC_002,
    NET_DC_003,
    NET_DC_004,
    NET_DC_005,
    // NET-CAP-*: guard net audit CAPTURE.
    cap::NET_CAP_001,
    cap::NET_CAP_002,
    cap::NET_CAP_003,
    cap::NET_CAP_004,
    cap::NET_CAP_005,
    cap::NET_CAP_006,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capture_rules_are_in_the_table() {
        for r in cap::CAPTURE_RULES {
            assert!(
                RULES.iter().any(|x| x.id == r.id),
                "{} missing from RULES",
                r.id
            );
        }
    }

    #[test]
    fn ids_are_unique_and_complete() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        ids.sort();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n);
        for r in RULES {
            assert!(r.id.starts_with("NET-"));
            assert!(!r.rationale.is_empty() && !r.remediation.is_empty());
        }
    }
}
