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
