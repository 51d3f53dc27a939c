//! What the user names and guard cannot use is an error, never a silent pass:
//! input kinds, patches, rule ids in guard.toml, paths in guard.toml, git
//! outside a repository, layers not in this build; and the messages that say so.
#![allow(clippy::unwrap_used)]

mod common;

use common::{guard, guard_with_test_layers, run, tree};
use serde_json::Value;
use std::path::Path;

/// A plan that replaces a database and makes a bucket public.
const PLAN: &str = r#"{"format_version":"1.2","terraform_version":"1.11.4","resource_changes":[
 {"address":"aws_db_instance.main","mode":"managed","type":"aws_db_instance","name":"main",
  "action_reason":"replace_because_cannot_update",
  "change":{"actions":["delete","create"],"replace_paths":[["engine"]],
   "before":{"engine":"postgres","storage_encrypted":true},
   "after":{"engine":"mysql","storage_encrypted":true},
   "after_unknown":{"id":true}}},
 {"address":"aws_s3_bucket.logs","mode":"managed","type":"aws_s3_bucket","name":"logs",
  "change":{"actions":["update"],"before":{"bucket":"logs","force_destroy":true,"acl":"private"},
   "after":{"bucket":"logs","force_destroy":true,"acl":"public-read"},"after_unknown":{}}}
]}"#;

fn json(out: &str, err: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"))
}

fn places(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f["location"]["path"]
                .as_str()
                .or(f["resource"].as_str())
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

// Item 2: `--input` kinds.

#[test]
fn unknown_input_kind_is_a_usage_error_naming_the_known_kinds() {
    let dir = tree(&[("plan.json", PLAN.as_bytes())]);
    let base = |input: &str| {
        let mut c = guard();
        c.current_dir(dir.path())
            .args(["run", ".", "--layer", "infra", "--format", "json", "-q"])
            .args(["--input", input]);
        run(&mut c)
    };
    let (code, out, err) = base("plan=plan.json");
    assert_eq!(code, 1, "{err}");
    let report = json(&out, &err);
    assert!(
        report["findings"].as_array().unwrap().len() >= 2,
        "{report}"
    );

    let (code, out, err) = base("plann=plan.json");
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("unknown input kind `plann`"), "{err}");
    for kind in ["plan", "policy", "capture", "firewall"] {
        assert!(err.contains(kind), "{kind} missing from: {err}");
    }

    let (code, _, err) = base("plan=missing.json");
    assert_eq!(code, 2);
    assert!(err.contains("missing.json: no such file"), "{err}");
}

#[test]
fn input_for_a_layer_that_does_not_run_is_an_error() {
    let dir = tree(&[("plan.json", PLAN.as_bytes())]);
    let (code, _, err) = run(guard().current_dir(dir.path()).args([
        "run",
        ".",
        "--layer",
        "network",
        "--input",
        "plan=plan.json",
    ]));
    assert_eq!(code, 2);
    assert!(
        err.contains("`plan` is read by layer infra, which is not selected"),
        "{err}"
    );
}

#[test]
fn run_help_lists_the_input_kinds() {
    let (code, out, _) = run(guard().args(["run", "--help"]));
    assert_eq!(code, 0);
    let at = out.find("--input").expect("--input documented");
    let section = &out[at..];
    for kind in ["plan ", "policy ", "capture ", "firewall "] {
        assert!(section.contains(kind), "{kind} not listed:\n{section}");
    }
}

// Item 3: patches that are not diffs.

fn patch_run(dir: &Path, name: &str) -> (i32, String, String) {
    run(guard_with_test_layers()
        .arg("run")
        .arg(dir)
        .args(["--layer", "test-change", "--format", "json", "--patch"])
        .arg(dir.join(name)))
}

#[test]
fn patch_that_is_not_a_diff_is_an_input_error() {
    let dir = tree(&[
        ("a.tf", b"one\n"),
        ("garbage.diff", b"this is\nnot a diff\n"),
        ("headers.diff", b"--- a/a.tf\n+++ b/a.tf\n"),
        (
            "truncated.diff",
            b"diff --git a/a.tf b/a.tf\n--- a/a.tf\n+++ b/a.tf\n@@ -1,3 +1,4 @@\n one\n+two\n",
        ),
    ]);
    for (name, want) in [
        ("garbage.diff", "garbage.diff:1: not a unified diff"),
        ("headers.diff", "headers.diff:1: file header"),
        (
            "truncated.diff",
            "truncated.diff:6: diff ends inside the hunk",
        ),
    ] {
        let (code, out, err) = patch_run(dir.path(), name);
        assert_eq!(code, 2, "{name}: {out}\n{err}");
        assert!(out.is_empty(), "{name}: {out}");
        assert!(err.contains(want), "{name}: {err}");
    }
}

#[test]
fn really_empty_patch_is_an_empty_change() {
    let dir = tree(&[
        ("a.tf", b"one\n"),
        ("empty.diff", b""),
        ("blank.diff", b"\n  \n"),
        (
            "newfile.diff",
            b"diff --git a/e.txt b/e.txt\nnew file mode 100644\nindex 0000000..e69de29\n",
        ),
    ]);
    for name in ["empty.diff", "blank.diff", "newfile.diff"] {
        let (code, out, err) = patch_run(dir.path(), name);
        assert_eq!(code, 0, "{name}: {err}");
        assert_eq!(json(&out, &err)["summary"]["total"], 0, "{name}");
    }
}

// Item 4: rule ids in guard.toml.

fn config_run(toml: &str, layer: &str) -> (i32, String, String) {
    let dir = tree(&[("a.tf", b"x\n"), ("guard.toml", toml.as_bytes())]);
    run(guard_with_test_layers()
        .arg("run")
        .arg(dir.path())
        .args(["--layer", layer, "--format", "json"]))
}

#[test]
fn unknown_rule_ids_in_config_are_errors_with_file_and_line() {
    let cases = [
        (
            "[rules]\ndisable = [\n  \"TEST-FILE-01\",\n]\n",
            "guard.toml: line 3: unknown rule `TEST-FILE-01` in [rules] disable",
        ),
        (
            "[rules.severity]\n\"TEST-RES-001\" = \"low\"\n\"TEST-RES-01\" = \"low\"\n",
            "guard.toml: line 3: unknown rule `TEST-RES-01` in [rules.severity]",
        ),
        (
            "[[ignore]]\nrules = [\"TEST-NOPE-*\"]\nreason = \"typo\"\n",
            "guard.toml: line 2: pattern `TEST-NOPE-*` in [[ignore]] rules matches no rule",
        ),
        (
            "[run]\ntimeout = 0\n",
            "guard.toml: line 2: [run] timeout must be a positive number of seconds",
        ),
    ];
    for (toml, want) in cases {
        let (code, out, err) = config_run(toml, "test-findings");
        assert_eq!(code, 2, "{toml}\n{out}\n{err}");
        assert!(err.contains(want), "{toml}\n{err}");
    }
}

#[test]
fn unknown_layers_in_run_lists_are_errors_with_their_line() {
    for (toml, want) in [
        (
            "[run]\nlayers = [\"test-findings\", \"test-findngs\"]\n",
            "guard.toml: line 2: unknown layer `test-findngs`",
        ),
        (
            "[run]\nfail_on = \"low\"\nskip_layers = [\"test-noop\"]\n",
            "guard.toml: line 3: unknown layer `test-noop`",
        ),
    ] {
        let (code, _, err) = config_run(toml, "test-findings");
        assert_eq!(code, 2, "{toml}\n{err}");
        assert!(err.contains(want), "{toml}\n{err}");
    }
}

#[test]
fn known_ids_and_patterns_configure_rules() {
    // Rules of every compiled-in layer are known, whichever layers run.
    let toml =
        "[rules]\ndisable = [\"test-file-*\"]\n\n[rules.severity]\n\"TEST-RES-001\" = \"info\"\n";
    let (code, out, err) = config_run(toml, "test-findings");
    assert_eq!(code, 0, "{err}");
    let report = json(&out, &err);
    assert_eq!(report["summary"]["suppressed"]["config"], 1, "{report}");
    assert_eq!(report["summary"]["by_severity"]["info"], 1, "{report}");
    let (code, _, err) = config_run(toml, "test-noop-1");
    assert_eq!(code, 0, "{err}");
}

// Item 12: paths in guard.toml.

fn sample_capture() -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/sample/captures/agent-session.pcap");
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn config_paths_resolve_against_the_config_folder() {
    let cap = sample_capture();
    let repo = tree(&[
        (
            "guard.toml",
            b"[layers.network]\ncaptures = [\"sub/caps/s.pcap\"]\nfirewalls = [\"sub/egress.sh\"]\n",
        ),
        ("sub/caps/s.pcap", &cap),
        ("sub/egress.sh", b"iptables -P OUTPUT ACCEPT\n"),
    ]);
    let elsewhere = tempfile::tempdir().unwrap();
    // Scanned path `sub` (the config is found above it), run from another folder.
    let (code, out, err) = run(guard()
        .current_dir(elsewhere.path())
        .arg("run")
        .arg(repo.path().join("sub"))
        .args(["--layer", "network", "--format", "json", "-q"]));
    assert_eq!(code, 1, "{out}\n{err}");
    let report = json(&out, &err);
    assert_eq!(
        report["layers"][0]["outcome"]["status"], "completed",
        "{report}"
    );
    let named = places(&report);
    assert!(
        named.iter().any(|p| p.starts_with("caps/s.pcap#")),
        "capture findings relative to the scanned root: {named:?}"
    );
    assert!(named.iter().any(|p| p == "egress.sh"), "{named:?}");
    assert!(
        !named.iter().any(|p| p.starts_with('/')),
        "no absolute path: {named:?}"
    );

    // The same guard.toml named with --config from the repository root.
    let (code, out, err) = run(guard()
        .current_dir(elsewhere.path())
        .arg("run")
        .arg(repo.path())
        .args(["--layer", "network", "--format", "json", "-q", "--config"])
        .arg(repo.path().join("guard.toml")));
    assert_eq!(code, 1, "{err}");
    let named = places(&json(&out, &err));
    assert!(
        named.iter().any(|p| p.starts_with("sub/caps/s.pcap#")),
        "{named:?}"
    );
}

// Item 15: git outside a repository.

#[test]
fn staged_outside_git_says_so_in_one_line() {
    let dir = tree(&[("a.tf", b"x\n")]);
    let ceiling = dir.path().parent().unwrap();
    for args in [vec!["--staged"], vec!["--diff", "main..HEAD"]] {
        let (code, out, err) = run(guard_with_test_layers()
            .env("GIT_CEILING_DIRECTORIES", ceiling)
            .arg("run")
            .arg(dir.path())
            .args(["--layer", "test-change"])
            .args(&args));
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains("not a git repository"), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(!err.contains("usage:"), "{err}");
    }
}

// Item 16: layers announced but not built; guard init names its hook command.

fn absent_layers() -> Vec<&'static str> {
    let (_, out, _) = run(guard().args(["layers", "--format", "json"]));
    let built: Vec<String> = serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    guard_core::layer::ANNOUNCED_LAYERS
        .iter()
        .copied()
        .filter(|id| !built.iter().any(|b| b == id))
        .collect()
}

#[test]
fn announced_layers_not_built_are_named_so() {
    let absent = absent_layers();
    if absent.is_empty() {
        eprintln!("skipped: every announced layer is in this build");
        return;
    }
    for id in absent {
        let want = format!("layer `{id}` is not in this build");
        let dir = tree(&[("guard.toml", format!("[layers.{id}]\nx = 1\n").as_bytes())]);
        let (code, _, err) = run(guard().arg("run").arg(dir.path()));
        assert_eq!(code, 2);
        assert!(err.contains(&format!("line 1: {want}")), "{err}");
        let empty = tree(&[]);
        let (code, _, err) = run(guard().arg("run").arg(empty.path()).args(["--layer", id]));
        assert_eq!(code, 2);
        assert!(err.contains(&want), "{err}");
        let (code, _, err) = run(guard().args(["rules", id]));
        assert_eq!(code, 2);
        assert!(err.contains(&want), "{err}");
    }
    let (_, _, err) = run(guard().args(["rules", "nonsense"]));
    assert!(err.contains("unknown layer `nonsense`"), "{err}");
}

#[test]
fn init_names_the_hook_command_it_registered() {
    let dir = tree(&[]);
    let (code, out, err) = run(guard()
        .arg("init")
        .arg(dir.path())
        .args(["--hook-command", "/opt/bin/guard hook claude"]));
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("/opt/bin/guard"), "stdout lists files: {out}");
    assert!(
        err.contains("hook command: `/opt/bin/guard hook claude`"),
        "{err}"
    );
}

// Item 17: messages.

#[test]
fn messages_name_the_path_once() {
    let missing = tempfile::tempdir().unwrap().path().join("gone");
    let (code, _, err) = run(guard().arg("run").arg(&missing));
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("cannot read {}", missing.display())),
        "{err}"
    );
    assert!(!err.contains("PATH"), "{err}");

    let (code, _, err) = run(guard().arg("net").arg("audit").arg(missing.join("x.pcap")));
    assert_eq!(code, 2);
    assert_eq!(err.matches("os error 2").count(), 1, "{err}");

    let dir = tree(&[("plan.json", br#"{"format_version":"1.0""#)]);
    let (code, _, err) = run(guard().current_dir(dir.path()).args(["infra", "plan.json"]));
    assert_eq!(code, 2);
    assert!(err.contains("no layer could run on plan.json:"), "{err}");
    assert!(!err.contains(".:"), "{err}");
    assert_eq!(err.matches("plan.json").count(), 2, "{err}");
}
