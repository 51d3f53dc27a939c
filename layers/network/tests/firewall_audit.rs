//! `guard net audit-firewall` over the fixtures: each rule fires on its
//! positive fixture and not on its negative one; findings are snapshotted.

use guard_network::firewall::{generate, Format};
use guard_network::firewall_audit::{audit_bytes, audit_file, AuditError};
use guard_network::{Allowlist, AllowlistSpec};
use std::path::Path;

fn profile() -> Allowlist {
    Allowlist::build(&AllowlistSpec {
        extra: vec!["registry.npmjs.org".into()],
        ..Default::default()
    })
    .expect("profile")
}

fn audit(name: &str) -> Vec<guard_core::Finding> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/firewall")
        .join(name);
    audit_file(&path, name, Some(&profile())).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn render(findings: &[guard_core::Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            let line = f.location.as_ref().map(|l| l.start_line).unwrap_or(0);
            format!("{:>3} {} {}\n", line, f.rule_id, f.message)
        })
        .collect()
}

fn ids(findings: &[guard_core::Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.rule_id.as_str()).collect()
}

#[test]
fn snapshots_per_fixture() {
    for name in [
        "init-firewall.sh",
        "hardened.sh",
        "accept-all.sh",
        "truncated.sh",
        "open.nft",
        "accept-policy.nft",
        "open-squid.conf",
        "iptables.rules",
        "nft-commands.sh",
        "docker-user.sh",
        "user-chain.nft",
        "user-chain.sh",
    ] {
        insta::assert_snapshot!(name, render(&audit(name)));
    }
}

/// (rule, fixture where it must fire, fixture where it must not).
const CASES: &[(&str, &str, &str)] = &[
    ("NET-FW-001", "init-firewall.sh", "hardened.sh"),
    ("NET-FW-002", "init-firewall.sh", "hardened.sh"),
    ("NET-FW-002", "open.nft", "hardened.sh"),
    ("NET-FW-003", "init-firewall.sh", "hardened.sh"),
    ("NET-FW-003", "iptables.rules", "hardened.sh"),
    ("NET-FW-004", "init-firewall.sh", "hardened.sh"),
    ("NET-FW-004", "open.nft", "iptables.rules"),
    ("NET-FW-005", "accept-all.sh", "init-firewall.sh"),
    ("NET-FW-005", "accept-policy.nft", "open.nft"),
    ("NET-FW-006", "accept-all.sh", "hardened.sh"),
    ("NET-FW-007", "init-firewall.sh", "hardened.sh"),
    ("NET-FW-008", "init-firewall.sh", "hardened.sh"),
    ("NET-FW-008", "accept-all.sh", "iptables.rules"),
    ("NET-FW-009", "init-firewall.sh", "hardened.sh"),
    ("NET-FW-010", "init-firewall.sh", "hardened.sh"),
    ("NET-FW-010", "open-squid.conf", "hardened.sh"),
    ("NET-FW-011", "init-firewall.sh", "hardened.sh"),
    ("NET-FW-012", "accept-all.sh", "hardened.sh"),
    ("NET-FW-013", "init-firewall.sh", "hardened.sh"),
    ("NET-FW-014", "open-squid.conf", "hardened.sh"),
    ("NET-FW-015", "open-squid.conf", "hardened.sh"),
    ("NET-FW-016", "truncated.sh", "hardened.sh"),
    ("NET-FW-001", "nft-commands.sh", "hardened.sh"),
    ("NET-FW-002", "nft-commands.sh", "hardened.sh"),
    ("NET-FW-003", "nft-commands.sh", "hardened.sh"),
    ("NET-FW-007", "nft-commands.sh", "hardened.sh"),
    ("NET-FW-002", "docker-user.sh", "hardened.sh"),
    ("NET-FW-002", "user-chain.nft", "hardened.sh"),
    ("NET-FW-017", "init-firewall.sh", "hardened.sh"),
    ("NET-FW-018", "init-firewall.sh", "hardened.sh"),
    ("NET-FW-003", "user-chain.sh", "hardened.sh"),
];

#[test]
fn each_rule_fires_on_its_positive_and_not_its_negative_fixture() {
    for (rule, pos, neg) in CASES {
        let p = audit(pos);
        assert!(
            ids(&p).contains(rule),
            "{rule} should fire on {pos}:\n{}",
            render(&p)
        );
        let n = audit(neg);
        assert!(
            !ids(&n).contains(rule),
            "{rule} should not fire on {neg}:\n{}",
            render(&n)
        );
    }
}

#[test]
fn hardened_script_is_clean() {
    let f = audit("hardened.sh");
    assert!(f.is_empty(), "{}", render(&f));
}

#[test]
fn guards_own_generated_configs_are_clean() {
    let list = Allowlist::build(&AllowlistSpec {
        provider: Some("bedrock".into()),
        region: Some("eu-west-3".into()),
        groups: vec!["aws-sts".into()],
        resolvers: vec!["10.0.0.2".parse().unwrap()],
        ..Default::default()
    })
    .unwrap();
    for (name, fmt) in [
        ("guard-egress.sh", Format::Iptables),
        ("guard-egress-nft.sh", Format::NftablesScript),
        ("guard.nft", Format::Nftables),
        ("squid.conf", Format::Squid),
        ("squid-splice.conf", Format::SquidSplice),
    ] {
        let text = generate(&list, fmt);
        let f = audit_bytes(name, text.as_bytes(), Some(&list)).unwrap();
        assert!(f.is_empty(), "{name}:\n{}", render(&f));
    }
}

#[test]
fn bad_input_gives_clear_errors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/firewall");
    let e = audit_file(&dir.join("binary.nft"), "binary.nft", None).unwrap_err();
    assert!(matches!(e, AuditError::Text(_)), "{e}");
    assert!(e.to_string().starts_with("binary.nft: binary file"), "{e}");
    let e = audit_file(&dir.join("broken.nft"), "broken.nft", None).unwrap_err();
    assert!(e.to_string().starts_with("broken.nft:"), "{e}");
    assert!(e.to_string().contains("truncated"), "{e}");
    let e = audit_bytes("notes.txt", b"hello world\n", None).unwrap_err();
    assert!(matches!(e, AuditError::Unrecognized { .. }), "{e}");
    let tmp = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(tmp.path(), vec![b'#'; 5 * 1024 * 1024]).unwrap();
    let e = audit_file(tmp.path(), "huge.sh", None).unwrap_err();
    assert!(matches!(e, AuditError::TooLarge { .. }), "{e}");
    let e = audit_file(&dir.join("missing.sh"), "missing.sh", None).unwrap_err();
    assert!(matches!(e, AuditError::Read { .. }), "{e}");
    // Unterminated quote in nftables.
    let e = audit_bytes(
        "x.nft",
        b"table inet x {\n chain c {\n  oifname \"lo accept\n",
        None,
    )
    .unwrap_err();
    assert!(e.to_string().contains("unterminated"), "{e}");
    // Deeply nested braces and a long loop stay bounded.
    let deep = format!("table inet x {{ {} }}", "{".repeat(10_000));
    assert!(audit_bytes("deep.nft", deep.as_bytes(), None).is_err());
    let many: String = (0..600).map(|i| format!("h{i}.example.com ")).collect();
    let script = format!("#!/bin/bash\nfor d in {many}; do for e in {many}; do ipset add s \"$(dig +short $d)\"; done; done\n");
    let f = audit_bytes("loop.sh", script.as_bytes(), None).unwrap();
    assert!(ids(&f).contains(&"NET-FW-007"));
}

#[test]
fn deep_nesting_is_reported_not_passed() {
    let script = format!(
        "#!/bin/bash\n{}iptables -P OUTPUT DROP; {}\n",
        "{ ".repeat(5_000),
        "}; ".repeat(5_000)
    );
    let f = audit_bytes("deep.sh", script.as_bytes(), None).unwrap();
    assert!(ids(&f).contains(&"NET-FW-016"), "{}", render(&f));
}
