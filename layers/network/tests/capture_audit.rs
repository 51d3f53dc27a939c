//! `audit` on captures built here: each NET-CAP rule fires on its positive
//! capture and stays silent on the negative one. Findings are snapshotted.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod capture_build;

use capture_build::*;
use guard_network::capture::audit::audit;
use guard_network::capture::{scan_reader, CaptureSummary, ScanOptions};
use guard_network::{Allowlist, AllowlistSpec};

fn summary(frames: &[Vec<u8>]) -> CaptureSummary {
    scan_reader(
        std::io::Cursor::new(pcap(101, frames, &LE_MICRO)),
        "capture.pcap",
        &ScanOptions::default(),
        &mut |_| {},
    )
    .unwrap()
}

fn allowlist(resolvers: &[&str]) -> Allowlist {
    Allowlist::build(&AllowlistSpec {
        provider: Some("anthropic".into()),
        extra: vec!["*.example.org".into()],
        resolvers: resolvers.iter().map(|r| r.parse().unwrap()).collect(),
        ..Default::default()
    })
    .unwrap()
}

fn render(s: &CaptureSummary, allow: &Allowlist) -> String {
    let r = audit(s, allow);
    let mut out = String::new();
    for row in &r.rows {
        out += &format!(
            "row {} {} {} packets={} first={} {:?} {:?}\n",
            row.dest.name,
            row.dest.protocol.as_str(),
            row.dest.port,
            row.dest.packets,
            row.dest.first_frame,
            row.verdict,
            row.matched
        );
    }
    for f in &r.findings {
        out += &format!("{} {:?} {}\n", f.rule_id, f.severity, f.message);
    }
    out
}

fn tls(c: &str, s: &str, port: u16, sni: &str) -> Vec<Vec<u8>> {
    Conn::new(c, 40000, s, port).frames(&[(0, records(&client_hello(Some(sni), 0), 16384))])
}

#[test]
fn net_cap_001_destination_outside_allowlist() {
    let mut f = tls("10.0.0.1", "160.79.104.10", 443, "api.anthropic.com");
    f.extend(tls("10.0.0.1", "198.51.100.7", 443, "Evil.Example.NET."));
    f.extend(tls(
        "10.0.0.1",
        "198.51.100.8",
        443,
        "statsig.anthropic.com",
    ));
    insta::assert_snapshot!(render(&summary(&f), &allowlist(&[])));
}

#[test]
fn net_cap_002_bare_ip_and_its_negative() {
    let bare =
        Conn::new("10.0.0.1", 40001, "203.0.113.9", 8443).frames(&[(0, b"\x00binary".to_vec())]);
    // Negative: the same kind of connection after a DNS answer naming the address,
    // and one inside Anthropic's published range.
    let q = dns_query(5, "api.anthropic.com", 1);
    let a = dns_answer_a(5, "api.anthropic.com", [192, 0, 2, 44]);
    let mut f = bare;
    f.push(ip_packet(
        ip("10.0.0.1"),
        ip("10.0.0.53"),
        17,
        &udp(5000, 53, &q),
    ));
    f.push(ip_packet(
        ip("10.0.0.53"),
        ip("10.0.0.1"),
        17,
        &udp(53, 5000, &a),
    ));
    f.extend(
        Conn::new("10.0.0.1", 40002, "192.0.2.44", 443).frames(&[(0, b"\x00binary".to_vec())]),
    );
    f.extend(
        Conn::new("10.0.0.1", 40003, "160.79.104.20", 443).frames(&[(0, b"\x00binary".to_vec())]),
    );
    insta::assert_snapshot!(render(&summary(&f), &allowlist(&["10.0.0.53"])));
}

#[test]
fn net_cap_003_cleartext_http() {
    let c = Conn::new("10.0.0.1", 40000, "198.51.100.20", 80);
    let f = c.frames(&[(
        0,
        b"GET /x HTTP/1.1\r\nHost: downloads.example.org\r\nUser-Agent: t\r\n\r\n".to_vec(),
    )]);
    insta::assert_snapshot!(render(&summary(&f), &allowlist(&[])));
}

#[test]
fn net_cap_004_and_005_dns() {
    let mut f = Vec::new();
    for (i, (name, ty)) in [
        ("api.anthropic.com", 1u16),
        ("c2.tunnel.example", 16),
        ("sentry.io", 28),
    ]
    .iter()
    .enumerate()
    {
        f.push(ip_packet(
            ip("10.0.0.1"),
            ip("8.8.8.8"),
            17,
            &udp(5000 + i as u16, 53, &dns_query(i as u16, name, *ty)),
        ));
    }
    // mDNS is local name service: never NET-CAP-005.
    f.push(ip_packet(
        ip("10.0.0.1"),
        ip("224.0.0.251"),
        17,
        &udp(5353, 5353, &dns_query(9, "printer.local", 12)),
    ));
    insta::assert_snapshot!(render(&summary(&f), &allowlist(&["10.0.0.53"])));
}

#[test]
fn net_cap_006_unreadable_parts() {
    let mut f = tls("10.0.0.1", "160.79.104.10", 443, "api.anthropic.com");
    let mut frag = f[3].clone();
    frag[6] = 0x20; // more fragments: not reassembled
    f.push(frag);
    insta::assert_snapshot!(render(&summary(&f), &allowlist(&[])));
}

#[test]
fn clean_capture_has_no_findings() {
    let mut f = tls("10.0.0.1", "160.79.104.10", 443, "api.anthropic.com");
    f.extend(tls("10.0.0.1", "160.79.104.11", 443, "x.example.org"));
    f.push(ip_packet(
        ip("10.0.0.1"),
        ip("10.0.0.53"),
        17,
        &udp(5000, 53, &dns_query(1, "api.anthropic.com", 1)),
    ));
    let r = audit(&summary(&f), &allowlist(&["10.0.0.53"]));
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    assert_eq!(r.rows.len(), 3);
}
