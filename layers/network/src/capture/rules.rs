//! Rules raised by `guard net audit CAPTURE` (joined into the layer's table).

use guard_core::{Rule, Severity};

const NOTES: &str = "https://code.claude.com/docs/en/network-config";

pub static NET_CAP_001: Rule = Rule {
    id: "NET-CAP-001",
    severity: Severity::High,
    title: "Capture shows traffic to a destination outside the allowlist",
    rationale: "A TLS or QUIC SNI, an HTTP Host or a name resolved just before the connection shows the agent's host reached a destination the provider profile and the extra domains do not need. Every such host is a possible exfiltration channel or a missing allowlist entry.",
    remediation: "If the destination is needed, add it with --allow (or enable the optional group that covers it); otherwise find the process that contacted it and block it in the firewall.",
    tags: &["CWE-284", "OWASP:A01:2021", "STRIDE:InformationDisclosure"],
    references: &[NOTES],
};

pub static NET_CAP_002: Rule = Rule {
    id: "NET-CAP-002",
    severity: Severity::High,
    title: "Connection to a bare IP address (no SNI, no Host, no earlier DNS answer)",
    rationale: "A connection that names no host and whose address no DNS answer in the capture explains goes around any name-based allowlist: a hard-coded address, a tunnel or a DNS cache the capture did not see.",
    remediation: concat!(
        "Allow the address range explicitly if it is expected (e.g. api.anthropic.com's published ",
        crate::profiles::anthropic_api_v4!(),
        "), else block it; prefer firewalls that drop everything not resolved from allowed names."
    ),
    tags: &["CWE-284", "OWASP:A01:2021"],
    references: &[NOTES],
};

pub static NET_CAP_003: Rule = Rule {
    id: "NET-CAP-003",
    severity: Severity::Medium,
    title: "Cleartext HTTP request leaves the host",
    rationale: "Plain HTTP carries the request and any credentials in clear, and its Host header is chosen by the client, so a Host-based filter can be pointed at an allowed name while the packets go elsewhere.",
    remediation: "Use HTTPS; in the firewall allow only TCP/443 (and a gateway's own port) to allowlisted names.",
    tags: &["CWE-319", "OWASP:A02:2021"],
    references: &[NOTES],
};

pub static NET_CAP_004: Rule = Rule {
    id: "NET-CAP-004",
    severity: Severity::Medium,
    title: "DNS queries go to a resolver that is not allowed",
    rationale: "DNS to an arbitrary server is an open channel out of the sandbox (data can be encoded in query names) and bypasses resolver-side filtering.",
    remediation: "Allow UDP/TCP 53 only to the configured resolvers (--resolver, or /etc/resolv.conf where the firewall runs).",
    tags: &["CWE-284", "CWE-200"],
    references: &[NOTES],
};

pub static NET_CAP_005: Rule = Rule {
    id: "NET-CAP-005",
    severity: Severity::Medium,
    title: "DNS lookup of a name outside the allowlist",
    rationale: "Even when the connection is then blocked, the lookup itself reaches the name's authoritative server: long or TXT queries to an unknown domain are a classic DNS tunnel.",
    remediation: "Find the process that resolved the name; use a resolver that answers only allowlisted names (e.g. dnsmasq with an allowlist) so lookups cannot leave either.",
    tags: &["CWE-200", "STRIDE:InformationDisclosure"],
    references: &[NOTES],
};

pub static NET_CAP_006: Rule = Rule {
    id: "NET-CAP-006",
    severity: Severity::Low,
    title: "Part of the capture could not be read",
    rationale: "Frames of an unknown link type, cut records, fragments or corrupt lengths were skipped, so destinations in them may be missing from this audit.",
    remediation: "Capture with a full snapshot length (tcpdump -s 0) on a supported link type (Ethernet, Linux cooked, raw IP, loopback) and check the warnings.",
    tags: &["CWE-778"],
    references: &[],
};

/// The capture audit's rules, for the layer's table.
pub static CAPTURE_RULES: [&Rule; 6] = [
    &NET_CAP_001,
    &NET_CAP_002,
    &NET_CAP_003,
    &NET_CAP_004,
    &NET_CAP_005,
    &NET_CAP_006,
];
