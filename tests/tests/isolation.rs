//! A layer that panics, hangs, aborts, overruns its deadline or fails must not
//! stop the others: its outcome says what happened and the exit code is 2.

mod common;

use common::{guard_with_test_layers, run};
use serde_json::Value;

fn run_json(isolation: &str, layers: &[&str], timeout: &str) -> (i32, Value, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("main.tf"), "resource \"x\" \"y\" {}\n").expect("write");
    let mut cmd = guard_with_test_layers();
    cmd.arg("run").arg(dir.path()).args([
        "--format",
        "json",
        "--isolation",
        isolation,
        "--timeout",
        timeout,
    ]);
    for l in layers {
        cmd.args(["--layer", l]);
    }
    let (code, stdout, stderr) = run(&mut cmd);
    let report: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{stdout}\nstderr:\n{stderr}"));
    (code, report, stderr)
}

fn outcome<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["layers"]
        .as_array()
        .and_then(|ls| ls.iter().find(|l| l["id"] == id))
        .map(|l| &l["outcome"])
        .unwrap_or_else(|| panic!("layer {id} missing from {report}"))
}

fn assert_others_finish(report: &Value) {
    assert_eq!(outcome(report, "test-findings")["status"], "completed");
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule_id"].as_str())
        .collect();
    assert!(rules.contains(&"TEST-FILE-001"), "{rules:?}");
    assert!(rules.contains(&"TEST-RES-001"), "{rules:?}");
}

fn check_mode(isolation: &str) {
    let misbehaving = ["test-panic", "test-hang", "test-slow", "test-error"];
    for bad in misbehaving {
        let (code, report, _) = run_json(isolation, &["test-findings", bad], "1");
        assert_eq!(code, 2, "{isolation}/{bad}: exit code");
        assert_others_finish(&report);
        let o = outcome(&report, bad);
        let expected = match bad {
            "test-panic" => "panicked",
            "test-hang" | "test-slow" => "timed_out",
            _ => "failed",
        };
        assert_eq!(o["status"], expected, "{isolation}/{bad}: {o}");
        if bad == "test-panic" {
            let msg = o["message"].as_str().unwrap_or_default();
            assert!(msg.contains("panicked on purpose"), "{msg}");
            assert!(msg.contains("testing.rs"), "panic place missing: {msg}");
        }
        if bad == "test-error" {
            assert!(o["message"]
                .as_str()
                .unwrap_or_default()
                .contains("fixture.bin: byte 12"));
        }
    }
}

#[test]
fn thread_isolation_contains_panic_hang_overrun_and_error() {
    check_mode("thread");
}

#[test]
fn process_isolation_contains_panic_hang_overrun_and_error() {
    check_mode("process");
}

#[test]
fn process_isolation_contains_abort() {
    let (code, report, _) = run_json("process", &["test-findings", "test-abort"], "5");
    assert_eq!(code, 2);
    assert_others_finish(&report);
    let o = outcome(&report, "test-abort");
    assert_eq!(o["status"], "crashed", "{o}");
    assert!(
        o["message"]
            .as_str()
            .unwrap_or_default()
            .contains("SIGABRT"),
        "{o}"
    );
}

#[test]
fn all_misbehaving_layers_at_once_in_process_mode() {
    let (code, report, _) = run_json(
        "process",
        &[
            "test-findings",
            "test-panic",
            "test-hang",
            "test-abort",
            "test-slow",
            "test-error",
        ],
        "1",
    );
    assert_eq!(code, 2);
    assert_others_finish(&report);
    assert_eq!(report["layers"].as_array().map(Vec::len), Some(6));
}

/// In thread mode an abort takes the whole process down: nothing in-process
/// can survive it, which is what `--isolation process` is for.
#[cfg(unix)]
#[test]
fn thread_isolation_cannot_survive_abort() {
    use std::os::unix::process::ExitStatusExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let status = guard_with_test_layers()
        .arg("run")
        .arg(dir.path())
        .args(["--layer", "test-abort", "--isolation", "thread"])
        .output()
        .expect("run")
        .status;
    assert_eq!(status.signal(), Some(libc_sigabrt()));
}

fn libc_sigabrt() -> i32 {
    6
}

/// The runner kills a hung worker's process group and reaps it before it
/// returns, so the command ends shortly after the deadline.
#[test]
fn hung_worker_is_killed_near_the_deadline() {
    let t0 = std::time::Instant::now();
    let (_, report, _) = run_json("process", &["test-hang"], "0.5");
    assert_eq!(outcome(&report, "test-hang")["status"], "timed_out");
    assert!(
        t0.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        t0.elapsed()
    );
}
