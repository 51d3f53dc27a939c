//! Squid configurations. Names already covered by a wildcard parent are folded
//! into it: Squid treats `platform.claude.com` next to `.claude.com` as fatal.

use super::{folded_domains, header};
use crate::allowlist::Allowlist;

fn ports_line(list: &Allowlist) -> String {
    list.ports()
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Explicit proxy (`HTTPS_PROXY=http://proxy:3128`): CONNECT and plain
/// requests only to allowed domains on allowed ports.
pub fn explicit(list: &Allowlist) -> String {
    let mut s = header(list, "#");
    let ports = ports_line(list);
    s.push_str("# Explicit proxy: point HTTPS_PROXY at it and block direct egress with the\n# generated firewall. Address ranges are for L3 firewalls and are not listed here.\n");
    s.push_str("http_port 3128\n");
    s.push_str(&format!("acl guard_ports port {ports}\n"));
    s.push_str("acl CONNECT method CONNECT\n");
    s.push_str(&format!(
        "acl guard_allowed dstdomain {}\n",
        folded_domains(list).join(" ")
    ));
    s.push_str(
        "http_access deny !guard_ports\n\
         http_access allow CONNECT guard_allowed\n\
         http_access deny CONNECT\n\
         http_access allow guard_allowed\n\
         http_access deny all\n",
    );
    s
}

/// Transparent TLS (packets redirected to port 3129): peek at the ClientHello,
/// splice allowed SNI names without decrypting, terminate everything else.
/// Needs a Squid built with OpenSSL (Debian: `squid-openssl`).
pub fn splice(list: &Allowlist) -> String {
    let mut s = header(list, "#");
    s.push_str("# Transparent TLS: redirect outbound TCP/443 to port 3129 (iptables REDIRECT or\n# nftables redirect). Nothing is decrypted; the certificate below is only\n# required by the ssl-bump option. Needs squid-openssl.\n");
    let domains = folded_domains(list).join(" ");
    s.push_str("http_port 3128\n");
    s.push_str(
        "https_port 3129 intercept ssl-bump tls-cert=/etc/squid/guard-bump.pem name=guard_tls\n",
    );
    s.push_str("acl guard_tls_port myportname guard_tls\n");
    s.push_str("acl CONNECT method CONNECT\n");
    s.push_str(&format!("acl guard_allowed dstdomain {domains}\n"));
    s.push_str("acl step1 at_step SslBump1\n");
    s.push_str(&format!("acl guard_sni ssl::server_name {domains}\n"));
    s.push_str(
        "ssl_bump peek step1\n\
         ssl_bump splice guard_sni\n\
         ssl_bump terminate all\n\
         # Intercepted connections are decided by ssl_bump above (by SNI).\n\
         http_access allow guard_tls_port\n\
         http_access allow CONNECT guard_allowed\n\
         http_access deny all\n",
    );
    s
}
