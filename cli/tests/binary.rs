//! Smoke tests of the `guard` binary from its own package. Having an integration
//! test here also makes `cargo test --workspace` build `target/<profile>/guard`,
//! which the end-to-end suite in `tests/` runs.

use std::process::Command;

fn guard(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_guard"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run guard")
}

#[test]
fn version_names_the_package_version() {
    let out = guard(&["--version"]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(env!("CARGO_PKG_VERSION")), "{stdout}");
}

#[test]
fn unknown_rule_is_a_usage_error() {
    let out = guard(&["explain", "NO-SUCH-RULE-999"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "results only on stdout");
    assert!(String::from_utf8_lossy(&out.stderr).contains("NO-SUCH-RULE-999"));
}
