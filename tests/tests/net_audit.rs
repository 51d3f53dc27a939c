//! `guard net audit` and `guard net extract` end to end, on captures written
//! by the test (Ethernet / IPv4 / TCP around a ClientHello).
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use common::{guard, run};
use std::path::Path;

fn client_hello(sni: &str) -> Vec<u8> {
    let mut body = vec![3, 3];
    body.extend_from_slice(&[7u8; 32]);
    body.extend_from_slice(&[0, 0, 2, 0x13, 0x01, 1, 0]);
    let n = sni.len();
    let mut ext = vec![0, 0];
    ext.extend_from_slice(&((n + 5) as u16).to_be_bytes());
    ext.extend_from_slice(&((n + 3) as u16).to_be_bytes());
    ext.push(0);
    ext.extend_from_slice(&(n as u16).to_be_bytes());
    ext.extend_from_slice(sni.as_bytes());
    body.extend_from_slice(&(ext.len() as u16).to_be_bytes());
    body.extend_from_slice(&ext);
    let mut hs = vec![1, 0];
    hs.extend_from_slice(&(body.len() as u16).to_be_bytes());
    hs.extend_from_slice(&body);
    let mut rec = vec![0x16, 3, 1];
    rec.extend_from_slice(&(hs.len() as u16).to_be_bytes());
    rec.extend_from_slice(&hs);
    rec
}

fn frame(src: [u8; 4], dst: [u8; 4], sport: u16, flags: u8, seq: u32, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00];
    let total = (40 + payload.len()) as u16;
    f.extend_from_slice(&[0x45, 0]);
    f.extend_from_slice(&total.to_be_bytes());
    f.extend_from_slice(&[0, 1, 0x40, 0, 64, 6, 0, 0]);
    f.extend_from_slice(&src);
    f.extend_from_slice(&dst);
    f.extend_from_slice(&sport.to_be_bytes());
    f.extend_from_slice(&443u16.to_be_bytes());
    f.extend_from_slice(&seq.to_be_bytes());
    f.extend_from_slice(&[0, 0, 0, 0, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
    f.extend_from_slice(payload);
    f
}

fn write_pcap(path: &Path, snis: &[(&str, [u8; 4])]) {
    let mut v: Vec<u8> = Vec::new();
    v.extend_from_slice(&0xa1b2c3d4u32.to_le_bytes());
    v.extend_from_slice(&[2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0]);
    for (i, (sni, dst)) in snis.iter().enumerate() {
        let sport = 40000 + i as u16;
        for f in [
            frame([10, 0, 0, 1], *dst, sport, 0x02, 99, &[]),
            frame([10, 0, 0, 1], *dst, sport, 0x18, 100, &client_hello(sni)),
        ] {
            v.extend_from_slice(&[0; 8]);
            v.extend_from_slice(&(f.len() as u32).to_le_bytes());
            v.extend_from_slice(&(f.len() as u32).to_le_bytes());
            v.extend_from_slice(&f);
        }
    }
    std::fs::write(path, v).unwrap();
}

#[test]
fn audit_reports_destinations_outside_the_allowlist() {
    let dir = tempfile::tempdir().unwrap();
    let cap = dir.path().join("agent.pcap");
    write_pcap(
        &cap,
        &[
            ("api.anthropic.com", [160, 79, 104, 10]),
            ("exfil.example.net", [198, 51, 100, 7]),
        ],
    );
    let (code, out, err) =
        run(guard()
            .current_dir(dir.path())
            .args(["net", "audit", "agent.pcap"]));
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains("NET-CAP-001"), "{out}");
    assert!(out.contains("exfil.example.net"), "{out}");
    // The destination table lists allowed ones too.
    assert!(
        out.contains("api.anthropic.com") && out.contains("allowed (api.anthropic.com)"),
        "{out}"
    );

    let (code, out, _) = run(guard().current_dir(dir.path()).args([
        "net",
        "audit",
        "agent.pcap",
        "--format",
        "json",
    ]));
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ids: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["NET-CAP-001"]);
    assert_eq!(v["findings"][0]["layer"], "network");

    let (code, out, _) = run(guard().current_dir(dir.path()).args([
        "net",
        "audit",
        "agent.pcap",
        "--format",
        "sarif",
    ]));
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["runs"][0]["results"][0]["ruleId"], "NET-CAP-001");

    let (code, out, err) = run(guard().current_dir(dir.path()).args([
        "net",
        "audit",
        "agent.pcap",
        "--allow",
        "*.example.net",
    ]));
    assert_eq!(code, 0, "{out}\n{err}");
}

#[test]
fn extract_prints_events_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let cap = dir.path().join("a.pcap");
    write_pcap(&cap, &[("one.example", [192, 0, 2, 1])]);
    let (code, out, err) = run(guard().args(["net", "extract"]).arg(&cap));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "kind,frame,name,qtype,method,src,sport,dst,dport,transport\ntls-sni,2,one.example,,,10.0.0.1,40000,192.0.2.1,443,tcp\n"
    );
}

#[test]
fn bad_capture_is_a_clear_error_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let cap = dir.path().join("notes.txt");
    std::fs::write(&cap, "hello, not a capture").unwrap();
    let (code, out, err) = run(guard().args(["net", "audit"]).arg(&cap));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("notes.txt: byte 0: expected a pcap"), "{err}");
    let (code, _, err) = run(guard().args(["net", "audit", "/nonexistent/x.pcap"]));
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/x.pcap"), "{err}");
}

fn schema(name: &str) -> serde_json::Value {
    let p = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../schemas/{name}"));
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

const INVENTORY_SNIS: &[(&str, [u8; 4])] = &[
    ("api.anthropic.com", [160, 79, 104, 10]),
    ("http-intake.logs.us5.datadoghq.com", [198, 51, 100, 20]),
    ("exfil.example.net", [198, 51, 100, 7]),
    ("api.anthropic.com", [160, 79, 104, 11]),
];

#[test]
fn inventory_is_in_json_markdown_and_sarif() {
    let dir = tempfile::tempdir().unwrap();
    write_pcap(&dir.path().join("agent.pcap"), INVENTORY_SNIS);
    let (code, out, err) = run(guard().current_dir(dir.path()).args([
        "net",
        "audit",
        "agent.pcap",
        "--format",
        "json",
    ]));
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let validator = jsonschema::validator_for(&schema("report.schema.json")).unwrap();
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let inv = &v["inventory"];
    assert_eq!(inv["capture"], "agent.pcap");
    assert_eq!(inv["allowlist"], "anthropic");
    let rows: Vec<(String, String, String)> = inv["destinations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["name"].as_str().unwrap().to_string(),
                d["named_by"].as_str().unwrap().to_string(),
                d["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(rows.contains(&("api.anthropic.com".into(), "sni".into(), "allowed".into())));
    assert!(rows.contains(&(
        "exfil.example.net".into(),
        "sni".into(),
        "not-allowed".into()
    )));
    assert!(rows.contains(&(
        "http-intake.logs.us5.datadoghq.com".into(),
        "sni".into(),
        "not-allowed".into()
    )));
    let api = inv["destinations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "api.anthropic.com")
        .unwrap();
    assert_eq!(api["flows"], 2, "{api}");
    assert_eq!(api["matched"], "api.anthropic.com");
    // A wrong type in the inventory is rejected by the schema.
    let mut wrong = v.clone();
    wrong["inventory"]["destinations"][0]["port"] = "443".into();
    assert!(!jsonschema::is_valid(&schema("report.schema.json"), &wrong));

    let (_, md, _) = run(guard().current_dir(dir.path()).args([
        "net",
        "audit",
        "agent.pcap",
        "--format",
        "markdown",
    ]));
    assert!(md.contains("<b>Destinations</b>"), "{md}");
    assert!(
        md.contains("| exfil.example.net | tls | 443 | sni |"),
        "{md}"
    );
    assert!(
        md.contains("| api.anthropic.com | tls | 443 | sni | 4 | 2 |"),
        "{md}"
    );

    let (_, sarif, _) = run(guard().current_dir(dir.path()).args([
        "net",
        "audit",
        "agent.pcap",
        "--format",
        "sarif",
    ]));
    let s: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let dests = s["runs"][0]["properties"]["inventory"]["destinations"]
        .as_array()
        .unwrap();
    assert_eq!(dests.len(), 3);
}

#[test]
fn list_prints_sorted_distinct_destinations_only() {
    let dir = tempfile::tempdir().unwrap();
    write_pcap(&dir.path().join("agent.pcap"), INVENTORY_SNIS);
    let (code, out, err) =
        run(guard()
            .current_dir(dir.path())
            .args(["net", "audit", "agent.pcap", "--list"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "api.anthropic.com\nexfil.example.net\nhttp-intake.logs.us5.datadoghq.com\n"
    );
}

#[test]
fn suggest_output_fed_back_makes_the_capture_clean() {
    let dir = tempfile::tempdir().unwrap();
    write_pcap(&dir.path().join("agent.pcap"), INVENTORY_SNIS);
    let (code, out, err) =
        run(guard()
            .current_dir(dir.path())
            .args(["net", "audit", "agent.pcap", "--suggest"]));
    assert_eq!(code, 0, "{err}");
    // The telemetry host is in the profile's optional `telemetry` group; the
    // other one in none.
    assert!(out.contains("groups = [\"telemetry\"]"), "{out}");
    assert!(
        out.contains("extra_domains = [\"exfil.example.net\"]"),
        "{out}"
    );
    assert!(
        out.contains("# optional group `telemetry` covers: http-intake.logs.us5.datadoghq.com"),
        "{out}"
    );
    std::fs::write(dir.path().join("guard.toml"), &out).unwrap();
    let (code, json, err) = run(guard().current_dir(dir.path()).args([
        "net",
        "audit",
        "agent.pcap",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0, "{json}\n{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let ids: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule_id"].as_str())
        .filter(|id| id.starts_with("NET-CAP"))
        .collect();
    assert!(ids.is_empty(), "{ids:?}");
    // Nothing more to add once clean.
    let (_, again, _) =
        run(guard()
            .current_dir(dir.path())
            .args(["net", "audit", "agent.pcap", "--suggest"]));
    assert!(again.contains("nothing to add"), "{again}");
}

fn dns_query(name: &str) -> Vec<u8> {
    let mut q = vec![0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    for label in name.split('.') {
        q.push(label.len() as u8);
        q.extend_from_slice(label.as_bytes());
    }
    q.extend_from_slice(&[0, 0, 1, 0, 1]);
    q
}

fn udp(dport: u16, payload: &[u8]) -> Vec<u8> {
    let mut u = 33333u16.to_be_bytes().to_vec();
    u.extend_from_slice(&dport.to_be_bytes());
    u.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    u.extend_from_slice(&[0, 0]);
    u.extend_from_slice(payload);
    u
}

fn ipv4(proto: u8, dst: [u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut v = vec![0x45, 0, 0, 0, 0, 1, 0, 0, 64, proto, 0, 0, 10, 0, 0, 1];
    v.extend_from_slice(&dst);
    let total = (20 + payload.len()) as u16;
    v[2..4].copy_from_slice(&total.to_be_bytes());
    v.extend_from_slice(payload);
    v
}

fn eth(et: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1];
    f.extend_from_slice(&et.to_be_bytes());
    f.extend_from_slice(payload);
    f
}

/// IPv6 fragments (fragment header, id 7) of a UDP datagram to port 53.
fn ipv6_fragments(payload: &[u8], split: usize) -> Vec<Vec<u8>> {
    let (a, b) = payload.split_at(split);
    let mut out = Vec::new();
    for (off, part, more) in [(0usize, a, 1u16), (split, b, 0u16)] {
        let mut v6 = vec![0x60, 0, 0, 0, 0, 0, 44, 64];
        v6.extend_from_slice(&[0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        v6.extend_from_slice(&[0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53]);
        let om = ((off / 8) as u16) << 3 | more;
        v6.extend_from_slice(&[17, 0]);
        v6.extend_from_slice(&om.to_be_bytes());
        v6.extend_from_slice(&7u32.to_be_bytes());
        v6.extend_from_slice(part);
        let plen = (8 + part.len()) as u16;
        v6[4..6].copy_from_slice(&plen.to_be_bytes());
        out.push(eth(0x86dd, &v6));
    }
    out
}

fn write_frames(path: &Path, frames: &[Vec<u8>]) {
    let mut v: Vec<u8> = Vec::new();
    v.extend_from_slice(&0xa1b2c3d4u32.to_le_bytes());
    v.extend_from_slice(&[2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0]);
    for f in frames {
        v.extend_from_slice(&[0; 8]);
        v.extend_from_slice(&(f.len() as u32).to_le_bytes());
        v.extend_from_slice(&(f.len() as u32).to_le_bytes());
        v.extend_from_slice(f);
    }
    std::fs::write(path, v).unwrap();
}

/// DNS queries and TLS names are found inside every encapsulation the
/// reader opens: MPLS in a VLAN, GRE, VXLAN, Geneve, and in fragmented IPv6.
#[test]
fn names_inside_tunnels_and_ipv6_fragments_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let resolver = [192, 0, 2, 53];
    let inner = |name: &str| ipv4(17, resolver, &udp(53, &dns_query(name)));
    let mut frames = Vec::new();
    // VLAN 5 -> MPLS label (bottom of stack) -> IPv4 -> DNS.
    let mut vlan = vec![0, 5, 0x88, 0x47, 0, 1, 0x01, 64];
    vlan.extend_from_slice(&inner("mpls.example.com"));
    frames.push(eth(0x8100, &vlan));
    // GRE with a key, IPv4 inside.
    let mut gre = vec![0x20, 0, 0x08, 0x00, 0, 0, 0, 9];
    gre.extend_from_slice(&inner("gre.example.com"));
    frames.push(eth(0x0800, &ipv4(47, [203, 0, 113, 1], &gre)));
    // VXLAN (UDP 4789) carrying an Ethernet frame.
    let mut vx = vec![0x08, 0, 0, 0, 0, 0, 42, 0];
    vx.extend_from_slice(&eth(0x0800, &inner("vxlan.example.com")));
    frames.push(eth(0x0800, &ipv4(17, [203, 0, 113, 2], &udp(4789, &vx))));
    // Geneve (UDP 6081) with one 4-byte option.
    let mut gv = vec![0x01, 0, 0x65, 0x58, 0, 0, 42, 0, 0, 0, 0, 0];
    gv.extend_from_slice(&eth(0x0800, &inner("geneve.example.com")));
    frames.push(eth(0x0800, &ipv4(17, [203, 0, 113, 3], &udp(6081, &gv))));
    // A TLS ClientHello inside VXLAN.
    let mut vx = vec![0x08, 0, 0, 0, 0, 0, 42, 0];
    let mut tls = frame(
        [10, 0, 0, 1],
        [198, 51, 100, 9],
        40100,
        0x18,
        1,
        &client_hello("tunnelled.example.org"),
    );
    vx.extend_from_slice(&std::mem::take(&mut tls));
    frames.push(eth(0x0800, &ipv4(17, [203, 0, 113, 2], &udp(4789, &vx))));
    // A DNS query split over two IPv6 fragments.
    frames.extend(ipv6_fragments(
        &udp(53, &dns_query("fragmented.example.com")),
        16,
    ));
    write_frames(&dir.path().join("tunnels.pcap"), &frames);

    let (code, out, err) =
        run(guard()
            .current_dir(dir.path())
            .args(["net", "extract", "tunnels.pcap"]));
    assert_eq!(code, 0, "{err}");
    for name in [
        "mpls.example.com",
        "gre.example.com",
        "vxlan.example.com",
        "geneve.example.com",
        "fragmented.example.com",
    ] {
        assert!(
            out.lines()
                .any(|l| l.starts_with("dns-query,") && l.contains(&format!(",{name},1,"))),
            "{name} missing:\n{out}"
        );
    }
    assert!(out.contains("tls-sni,5,tunnelled.example.org,"), "{out}");
    let (_, list, _) =
        run(guard()
            .current_dir(dir.path())
            .args(["net", "audit", "tunnels.pcap", "--list"]));
    assert!(list.contains("tunnelled.example.org\n"), "{list}");
}

/// `--isolation process` scans in a worker: same report, and a worker that
/// overruns its deadline is killed and named in the report.
#[test]
fn audit_honours_process_isolation() {
    let dir = tempfile::tempdir().unwrap();
    write_pcap(&dir.path().join("agent.pcap"), INVENTORY_SNIS);
    let json = |extra: &[&str]| {
        let (code, out, err) = run(guard()
            .current_dir(dir.path())
            .args(["net", "audit", "agent.pcap", "--format", "json"])
            .args(extra));
        (
            code,
            serde_json::from_str::<serde_json::Value>(&out)
                .unwrap_or_else(|_| panic!("{out}\n{err}")),
        )
    };
    let (c1, thread) = json(&[]);
    let (c2, process) = json(&["--isolation", "process"]);
    assert_eq!((c1, c2), (1, 1));
    assert_eq!(thread["findings"], process["findings"]);
    assert_eq!(thread["inventory"], process["inventory"]);
    // A bad capture fails the run with the reader's message.
    std::fs::write(dir.path().join("bad.pcap"), b"not a capture").unwrap();
    let (code, out, _) = run(guard().current_dir(dir.path()).args([
        "net",
        "audit",
        "bad.pcap",
        "--isolation",
        "process",
        "--format",
        "json",
    ]));
    assert_eq!(code, 2, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["layers"][0]["outcome"]["status"], "failed", "{v}");
    assert!(
        v["layers"][0]["outcome"]["message"]
            .as_str()
            .unwrap()
            .contains("bad.pcap"),
        "{v}"
    );
    // Too short a deadline: the worker is killed and the run says so.
    let (code, out, _) = run(guard().current_dir(dir.path()).args([
        "net",
        "audit",
        "agent.pcap",
        "--isolation",
        "process",
        "--timeout",
        "0.000001",
        "--format",
        "json",
    ]));
    assert_eq!(code, 2, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["layers"][0]["outcome"]["status"], "timed_out", "{v}");
}
