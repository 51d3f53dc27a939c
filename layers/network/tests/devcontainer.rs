//! devcontainer.json checks: positive and negative fixture per rule, snapshots, bad input.

use guard_network::devcontainer::audit;
use guard_network::{Allowlist, AllowlistSpec};
use std::path::Path;

fn run(name: &str) -> Vec<guard_core::Finding> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/devcontainer")
        .join(name);
    let text = std::fs::read_to_string(path).expect("fixture");
    audit(
        name,
        &text,
        &Allowlist::build(&AllowlistSpec::default()).expect("default profile"),
    )
}

fn render(f: &[guard_core::Finding]) -> String {
    f.iter()
        .map(|f| {
            format!(
                "{:>3} {} {}\n",
                f.location.as_ref().map(|l| l.start_line).unwrap_or(0),
                f.rule_id,
                f.message
            )
        })
        .collect()
}

#[test]
fn snapshots() {
    for name in ["open.json", "hardened.json", "truncated.json"] {
        insta::assert_snapshot!(name, render(&run(name)));
    }
}

#[test]
fn each_rule_positive_and_negative() {
    let open = run("open.json");
    let hardened = run("hardened.json");
    for id in [
        "NET-DC-001",
        "NET-DC-002",
        "NET-DC-003",
        "NET-DC-004",
        "NET-DC-005",
    ] {
        assert!(
            open.iter().any(|f| f.rule_id == id),
            "{id} missing:\n{}",
            render(&open)
        );
        assert!(
            !hardened.iter().any(|f| f.rule_id == id),
            "{id} on hardened:\n{}",
            render(&hardened)
        );
    }
}

#[test]
fn bad_input() {
    let t = run("truncated.json");
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].rule_id, "NET-FW-016");
    let allow = Allowlist::build(&AllowlistSpec::default()).unwrap();
    let deep = "[".repeat(100_000);
    let f = audit("deep.json", &deep, &allow);
    assert_eq!(f[0].rule_id, "NET-FW-016");
    let f = audit("arr.json", "[1, 2]", &allow);
    assert_eq!(f[0].rule_id, "NET-FW-016");
    assert!(audit("empty.json", "{}", &allow).is_empty());
}
