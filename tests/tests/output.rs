//! What the printers write: stdout closed early by the reader, colour in the
//! listings, Markdown as a CommonMark renderer reads it, code frames.

mod common;

use common::{guard, run};
use std::path::Path;
use std::process::Stdio;

fn sample_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/sample")
}

/// Runs guard with stdout a pipe whose reader is already gone, as in
/// `guard rules | head -0`: every write meets EPIPE.
fn run_with_closed_stdout(args: &[&str]) -> (i32, String) {
    let mut child = guard()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn guard");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_command_is_quiet_when_the_reader_closes_stdout() {
    let sample = sample_dir();
    let sample = sample.to_str().expect("utf-8 path");
    let cases: &[(&[&str], i32)] = &[
        (&["rules"], 0),
        (&["rules", "--format", "json"], 0),
        (&["layers"], 0),
        (&["layers", "--format", "json"], 0),
        (&["explain", "INFRA-IAM-001"], 0),
        (&["schema", "report"], 0),
        (&["schema"], 0),
        (&["net", "profiles"], 0),
        (&["net", "allowlist", "--resolver", "10.0.0.53"], 0),
        (&["run", sample, "-q"], 1),
        (&["run", sample, "-q", "--format", "sarif"], 1),
    ];
    for (args, want) in cases {
        let (code, err) = run_with_closed_stdout(args);
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "guard {args:?} wrote to stderr: {err}"
        );
        assert_eq!(code, *want, "guard {args:?}: stderr {err}");
    }
}

#[test]
fn color_always_applies_to_rules_and_explain() {
    for args in [
        &["rules", "--color", "always"][..],
        &["explain", "INFRA-IAM-001", "--color", "always"][..],
    ] {
        let (code, out, err) = run(guard().args(args));
        assert_eq!(code, 0, "{err}");
        assert!(
            out.contains("\u{1b}["),
            "guard {args:?} has no colour: {out}"
        );
    }
    for args in [
        &["rules", "--color", "never"][..],
        &["explain", "INFRA-IAM-001"][..],
    ] {
        let (_, out, _) = run(guard().args(args));
        assert!(!out.contains('\u{1b}'), "guard {args:?} is coloured: {out}");
    }
}

fn json_of(cmd: &mut std::process::Command) -> serde_json::Value {
    let (_, out, err) = run(cmd);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("JSON report: {e}\n{out}\n{err}"))
}

#[test]
fn markdown_renders_paths_and_messages_as_written() {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    // A `#` and a backtick in paths; messages that name attributes in backticks.
    let tf = b"resource \"aws_s3_bucket\" \"b\" {\n  force_destroy = true\n}\n";
    let dir = common::tree(&[("a#b/main.tf", tf), ("we`ird/main.tf", tf)]);
    let run_fmt = |format: &str| {
        let mut c = guard();
        c.arg("run")
            .arg(dir.path())
            .args(["--layer", "infra", "-q", "--format", format]);
        c
    };
    let report = json_of(&mut run_fmt("json"));
    let (_, md, _) = run(&mut run_fmt("markdown"));

    let mut codes = Vec::new();
    let mut text = String::new();
    let mut in_code_block = false;
    for ev in Parser::new(&md) {
        match ev {
            Event::Code(c) => codes.push(c.to_string()),
            Event::Text(t) if !in_code_block => text.push_str(&t),
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            _ => {}
        }
    }
    let findings = report["findings"].as_array().expect("findings");
    assert!(findings.len() >= 2, "{report}");
    for f in findings {
        let loc = &f["location"];
        let place = format!(
            "{}:{}",
            loc["path"].as_str().expect("path"),
            loc["start_line"]
        );
        assert!(
            codes.contains(&place),
            "`{place}` not a code span in {codes:?}\n{md}"
        );
        let message = f["message"].as_str().expect("message");
        let parts: Vec<&str> = message.split('`').collect();
        if parts.len() % 2 == 1 {
            for code in parts.iter().skip(1).step_by(2).filter(|c| !c.is_empty()) {
                assert!(
                    codes.iter().any(|c| c == code),
                    "`{code}` of `{message}` not code: {codes:?}"
                );
            }
            for plain in parts.iter().step_by(2) {
                assert!(
                    text.contains(plain.trim()),
                    "`{plain}` not in the text:\n{text}"
                );
            }
        }
    }
    assert!(
        codes.iter().all(|c| !c.contains('\\')),
        "backslash in a code span: {codes:?}"
    );
    assert!(
        !text.contains('\\'),
        "a backslash shows in the text: {text}"
    );
    assert!(
        !text.contains("'force_destroy'"),
        "backticks became quotes: {text}"
    );
}

#[test]
fn code_frame_shows_and_marks_the_offending_line() {
    let (_, out, err) = run(guard()
        .arg("run")
        .arg(sample_dir())
        .args(["--layer", "infra", "-q", "--color", "never"]));
    let block = out
        .split("\n\n")
        .find(|b| b.contains("INFRA-IAM-006"))
        .unwrap_or_else(|| panic!("no INFRA-IAM-006 in:\n{out}\n{err}"));
    let lines: Vec<&str> = block.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("15 |") && l.contains("Principal = \"*\""))
        .unwrap_or_else(|| panic!("line 15 not framed:\n{block}"));
    let marks = lines.get(at + 1).copied().unwrap_or_default();
    let col = lines[at].find("Principal").expect("column");
    assert_eq!(marks.find('^'), Some(col), "line 15 not marked:\n{block}");
    assert!(marks.trim_end().ends_with("^^^^^^^^^^^^^^^"), "{block}");
}

#[test]
fn layer_counts_agree_with_the_summary_on_suppressed_findings() {
    let tf = b"resource \"aws_s3_bucket\" \"b\" {\n  # guard:ignore[INFRA-DATA-001] scratch bucket\n  force_destroy = true\n}\n\nresource \"aws_s3_bucket\" \"c\" {\n  force_destroy = true\n}\n";
    let dir = common::tree(&[("main.tf", tf)]);
    let report = json_of(
        guard()
            .arg("run")
            .arg(dir.path())
            .args(["--layer", "infra", "-q", "--format", "json"]),
    );
    let infra = report["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .find(|l| l["id"] == "infra")
        .expect("infra layer");
    let shown = report["findings"].as_array().expect("findings").len();
    assert_eq!(infra["findings"].as_u64(), Some(shown as u64), "{report}");
    assert_eq!(report["summary"]["total"].as_u64(), Some(shown as u64));
    assert_eq!(report["summary"]["suppressed"]["inline"], 1, "{report}");
    assert_eq!(infra["suppressed"], 1, "{report}");

    let (_, text, _) = run(guard()
        .arg("run")
        .arg(dir.path())
        .args(["--layer", "infra", "-q"]));
    let layer_line = text
        .lines()
        .find(|l| l.trim_start().starts_with("infra "))
        .expect("layer line");
    assert!(
        layer_line.contains(&format!("{shown} finding(s)")) && layer_line.contains("1 suppressed"),
        "{layer_line}"
    );
}

#[test]
fn write_baseline_does_not_print_fail() {
    let dir = tempfile::tempdir().expect("tempdir");
    let baseline = dir.path().join("baseline.json");
    let (code, out, err) = run(guard()
        .arg("run")
        .arg(sample_dir())
        .args(["-q", "--write-baseline"])
        .arg(&baseline));
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("FAIL"), "{out}");
    assert!(out.contains("baseline written to"), "{out}");
    assert!(baseline.is_file());
}

#[test]
fn plan_findings_name_the_plan_file_and_the_address() {
    let plan = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../layers/infra/tests/fixtures/INFRA-DATA-004.pos.plan.json");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(plan, dir.path().join("tfplan.json")).expect("copy");
    let (_, out, err) =
        run(guard()
            .current_dir(dir.path())
            .args(["infra", "tfplan.json", "--color", "never"]));
    let block = out
        .split("\n\n")
        .find(|b| b.contains("INFRA-DATA-004"))
        .unwrap_or_else(|| panic!("no INFRA-DATA-004:\n{out}\n{err}"));
    let arrow = block
        .lines()
        .find(|l| l.trim_start().starts_with("-->"))
        .unwrap_or_else(|| panic!("no place:\n{block}"));
    assert!(arrow.contains("--> tfplan.json  ("), "{arrow}");
}
