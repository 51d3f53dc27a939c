//! End-to-end: `guard net profiles|allowlist|audit-firewall` and the network
//! layer in `guard run`.

mod common;

use common::{guard, run};
use std::path::Path;

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../layers/network/tests/fixtures/firewall")
}

#[test]
fn profiles_list_every_provider_with_sources() {
    let (code, out, _) = run(guard().args(["net", "profiles"]));
    assert_eq!(code, 0);
    for needle in [
        "anthropic (Anthropic API)",
        "bedrock-runtime.{region}.amazonaws.com",
        "{vertex_endpoint}",
        "webfetch-preflight",
        "skipWebFetchPreflight",
        "DISABLE_TELEMETRY",
        "source: https://code.claude.com/docs/en/network-config",
    ] {
        assert!(out.contains(needle), "missing {needle}:\n{out}");
    }
    let (code, out, _) = run(guard().args([
        "net",
        "profiles",
        "--provider",
        "vertex",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["profiles"][0]["id"], "vertex");
}

#[test]
fn allowlist_per_provider() {
    let (code, out, err) = run(guard().args([
        "net",
        "allowlist",
        "--provider",
        "bedrock",
        "--region",
        "eu-west-3",
        "--with",
        "aws-sts",
        "--allow",
        "*.corp.example",
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "bedrock-runtime.eu-west-3.amazonaws.com\nbedrock.eu-west-3.amazonaws.com\nsts.eu-west-3.amazonaws.com\n*.corp.example\n"
    );
    let (code, out, _) = run(guard().args([
        "net",
        "allowlist",
        "--provider",
        "gateway",
        "--gateway-url",
        "https://llm.corp.example:8443",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["format"], "guard-allowlist");
    assert_eq!(v["entries"][0]["host"], "llm.corp.example");
    assert_eq!(v["entries"][0]["port"], 8443);
}

#[test]
fn allowlist_rejects_bad_input() {
    for args in [
        vec!["--provider", "bedrock", "--region", "us-east-1;reboot"],
        vec!["--provider", "azure"],
        vec!["--provider", "gateway"],
        vec!["--with", "telemetri"],
        vec!["--allow", "*.com"],
        vec!["--format", "pf"],
    ] {
        let (code, out, err) = run(guard().arg("net").arg("allowlist").args(&args));
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(out.is_empty(), "{args:?}: results only on success");
        assert!(!err.is_empty());
    }
}

/// The static nftables ruleset never copies this machine's resolvers: without
/// `--resolver` it is refused with the reason and the alternatives on stderr.
#[test]
fn static_nftables_needs_named_resolvers() {
    let (code, out, err) = run(guard().args(["net", "allowlist", "--format", "nftables"]));
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("--resolver") && err.contains("nftables-script"),
        "{err}"
    );
    let (code, out, err) = run(guard().args([
        "net",
        "allowlist",
        "--format",
        "nftables",
        "--resolver",
        "10.0.0.2",
        "--resolver",
        "fd00::53",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("elements = { 10.0.0.2 }"), "{out}");
    assert!(out.contains("elements = { fd00::53 }"), "{out}");
    // The script reads /etc/resolv.conf where it runs; nothing is copied in.
    let (code, out, err) = run(guard().args(["net", "allowlist", "--format", "nftables-script"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("RESOLVERS=()"), "{out}");
    assert!(out.contains("done < /etc/resolv.conf"), "{out}");
    assert!(
        !out.contains("set dns4 {\n\t\ttype ipv4_addr\n\t\telements"),
        "{out}"
    );
}

/// Wildcards cannot be enforced by IP sets: the IP-set formats say so on stderr
/// and name the formats that can; proxy formats enforce them silently.
#[test]
fn wildcards_in_ip_set_formats_are_announced() {
    for fmt in ["iptables", "nftables", "nftables-script"] {
        let (code, out, err) = run(guard().args([
            "net",
            "allowlist",
            "--allow",
            "*.corp.example",
            "--resolver",
            "10.0.0.2",
            "--format",
            fmt,
        ]));
        assert_eq!(code, 0, "{fmt}: {err}");
        assert!(!out.is_empty());
        assert!(
            err.contains("*.corp.example")
                && err.contains("cannot be enforced by IP sets")
                && err.contains("squid-splice"),
            "{fmt}: {err}"
        );
        assert!(
            !out.contains("cannot be enforced by IP sets"),
            "stdout carries the output only"
        );
    }
    for fmt in ["squid-splice", "squid", "aws-network-firewall"] {
        let (code, _, err) = run(guard().args([
            "net",
            "allowlist",
            "--allow",
            "*.corp.example",
            "--format",
            fmt,
        ]));
        assert_eq!(code, 0, "{fmt}: {err}");
        assert!(!err.contains("cannot be enforced"), "{fmt}: {err}");
    }
    // Without wildcards, nothing to say.
    let (_, _, err) = run(guard().args(["net", "allowlist", "--format", "iptables"]));
    assert!(!err.contains("cannot be enforced"), "{err}");
}

/// NET-CAP-002's fix names the API range the profiles publish.
#[test]
fn net_cap_002_names_the_profiles_api_range() {
    let (code, profiles, err) = run(guard().args(["net", "profiles", "--provider", "anthropic"]));
    assert_eq!(code, 0, "{err}");
    let (code, explain, err) = run(guard().args(["explain", "NET-CAP-002"]));
    assert_eq!(code, 0, "{err}");
    assert!(profiles.contains("160.79.104.0/23"), "{profiles}");
    assert!(explain.contains("160.79.104.0/23"), "{explain}");
    assert!(!explain.contains("/21"), "{explain}");
}

#[test]
fn allowlist_formats_are_complete() {
    for (fmt, needle) in [
        ("iptables", "ip6tables-restore"),
        ("nftables", "table inet guard_egress"),
        ("nftables-script", "nft -f -"),
        ("squid", "http_access deny all"),
        ("squid-splice", "ssl_bump splice guard_sni"),
        (
            "aws-network-firewall",
            "\"GeneratedRulesType\": \"ALLOWLIST\"",
        ),
    ] {
        let (code, out, err) = run(guard().args([
            "net",
            "allowlist",
            "--resolver",
            "10.0.0.2",
            "--format",
            fmt,
        ]));
        assert_eq!(code, 0, "{fmt}: {err}");
        assert!(out.contains(needle), "{fmt}:\n{out}");
    }
}

#[test]
fn audit_firewall_reports_the_reference_holes() {
    let (code, out, err) = run(guard()
        .args([
            "net",
            "audit-firewall",
            "--format",
            "json",
            "--allow",
            "registry.npmjs.org",
        ])
        .arg(fixtures().join("init-firewall.sh")));
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ids: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    for id in [
        "NET-FW-001",
        "NET-FW-002",
        "NET-FW-003",
        "NET-FW-004",
        "NET-FW-007",
        "NET-FW-008",
    ] {
        assert!(ids.contains(&id), "{id} missing: {ids:?}");
    }
    let (code, _, err) = run(guard()
        .args(["net", "audit-firewall"])
        .arg(fixtures().join("hardened.sh")));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn audit_firewall_bad_input() {
    let (code, out, err) = run(guard()
        .args(["net", "audit-firewall"])
        .arg(fixtures().join("binary.nft")));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("binary file"), "{err}");
    let (code, _, err) = run(guard().args(["net", "audit-firewall", "/nonexistent/fw.sh"]));
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/fw.sh"), "{err}");
}

#[test]
fn generated_script_audits_clean() {
    let (code, script, _) = run(guard().args(["net", "allowlist", "--format", "iptables"]));
    assert_eq!(code, 0);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guard-egress.sh");
    std::fs::write(&path, script).unwrap();
    let (code, out, err) = run(guard()
        .args(["net", "audit-firewall", "--fail-on", "low"])
        .arg(&path));
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn layer_in_guard_run() {
    // Nothing to audit: skipped with a reason.
    let empty = tempfile::tempdir().unwrap();
    std::fs::write(empty.path().join("main.rs"), "fn main() {}\n").unwrap();
    let (code, out, err) = run(guard()
        .args(["run", "--layer", "network", "--format", "json"])
        .arg(empty.path()));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
    let outcome = v["layers"][0]["outcome"].to_string();
    assert!(
        outcome.contains("skipped") || outcome.contains("Skipped"),
        "{code} {out}{err}"
    );

    // A devcontainer firewall found by the walk, and a configured nftables file.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".devcontainer")).unwrap();
    std::fs::copy(
        fixtures().join("init-firewall.sh"),
        dir.path().join(".devcontainer/init-firewall.sh"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join(".devcontainer/devcontainer.json"),
        "{ // JSONC\n  \"runArgs\": [\"--network=host\",],\n}\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("ops")).unwrap();
    std::fs::copy(
        fixtures().join("open.nft"),
        dir.path().join("ops/egress.rules"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("guard.toml"),
        "[layers.network]\nprovider = \"anthropic\"\nextra_domains = [\"registry.npmjs.org\"]\nfirewalls = [\"ops/egress.rules\"]\n",
    )
    .unwrap();
    let (code, out, err) = run(guard()
        .args(["run", "--layer", "network", "--format", "json"])
        .arg(dir.path()));
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let paths: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}:{}",
                f["location"]["path"].as_str().unwrap_or(""),
                f["rule_id"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        paths.contains(&".devcontainer/init-firewall.sh:NET-FW-001".to_string()),
        "{paths:?}"
    );
    assert!(
        paths.iter().any(|p| p.starts_with("ops/egress.rules:")),
        "{paths:?}"
    );

    // A config error names the file and key.
    std::fs::write(
        dir.path().join("guard.toml"),
        "[layers.network]\nprovider = \"bedrock\"\nregion = \"mars\"\n",
    )
    .unwrap();
    let (code, _, err) = run(guard().args(["run", "--layer", "network"]).arg(dir.path()));
    assert_eq!(code, 2);
    assert!(err.contains("guard.toml") && err.contains("mars"), "{err}");
}

#[test]
fn rules_and_explain() {
    let (code, out, _) = run(guard().args(["rules", "network"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("NET-FW-001") && out.contains("NET-CAP-001"),
        "{out}"
    );
    let (code, out, _) = run(guard().args(["explain", "NET-FW-007"]));
    assert_eq!(code, 0);
    assert!(out.contains("-exist"), "{out}");
}
