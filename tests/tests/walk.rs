//! What the walk cannot or will not read is named: files passed over (size
//! cap, binary, not text, symlinks out of the root or to nothing) are listed
//! with their reason in every format; a file that cannot be read is an input
//! error like a directory that cannot be read; a symlink loop names its
//! target; `-v` and `GUARD_LOG` say what was read and how long each layer took.

mod common;

use common::{guard, guard_bin, run, tree};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const TF: &[u8] = b"resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n";

fn report(cmd: &mut Command) -> (i32, Value) {
    let (code, out, err) = run(cmd);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("JSON: {e}\n{out}\n{err}"));
    (code, v)
}

#[cfg(unix)]
fn skip_tree() -> tempfile::TempDir {
    let big = vec![b'#'; 300];
    let dir = tree(&[
        ("guard.toml", b"[run]\nmax_file_size = 200\n"),
        ("main.tf", TF),
        ("big.tf", &big),
        ("bin/main.tf", b"resource \0\0\0 binary"),
        ("latin1.tf", b"# caf\xe9\nresource \"a\" \"b\" {}\n"),
    ]);
    let outside = tree(&[("secret.tf", TF)]);
    std::os::unix::fs::symlink(outside.path(), dir.path().join("out")).expect("symlink");
    std::os::unix::fs::symlink(dir.path().join("gone.tf"), dir.path().join("dangling.tf"))
        .expect("symlink");
    // The outside tree goes away with the test; the link then dangles, and
    // must still be named.
    std::mem::forget(outside);
    dir
}

#[cfg(unix)]
#[test]
fn skipped_files_are_named_with_their_reason_in_every_format() {
    let dir = skip_tree();
    let base = || {
        let mut c = guard();
        c.arg("run")
            .arg(dir.path())
            .args(["--layer", "infra", "-q"]);
        c
    };
    let (code, json) = report(base().args(["--format", "json"]));
    assert_eq!(code, 0, "{json}");
    let skipped: Vec<(String, String)> = json["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap_or_default().to_string(),
                s["reason"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let reason = |p: &str| {
        skipped
            .iter()
            .find(|(path, _)| path == p)
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| panic!("{p} not listed as skipped: {skipped:?}"))
    };
    assert!(reason("big.tf").contains("max_file_size"));
    assert!(reason("bin/main.tf").contains("binary"));
    assert!(reason("latin1.tf").contains("UTF-8"));
    assert!(reason("out").contains("outside the scanned root"));
    assert!(reason("dangling.tf").contains("does not exist"));
    assert_eq!(json["summary"]["skipped_files"], skipped.len());
    // Not checked is not the same as broken: no syntax finding for them.
    assert!(
        json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .all(|f| f["rule_id"] != "INFRA-INPUT-001"),
        "{json}"
    );

    // A worker process reports what its walk and reads passed over too.
    let (code, isolated) = report(base().args(["--format", "json", "--isolation", "process"]));
    assert_eq!(code, 0, "{isolated}");
    assert_eq!(isolated["skipped"], json["skipped"]);

    let (_, text, _) = run(&mut base());
    assert!(text.contains("skipped: 5 file(s) not checked:"), "{text}");
    for p in [
        "big.tf:",
        "bin/main.tf:",
        "latin1.tf:",
        "out:",
        "dangling.tf:",
    ] {
        assert!(
            text.lines().any(|l| l.trim_start().starts_with(p)),
            "{p}\n{text}"
        );
    }

    let (_, sarif, _) = run(base().args(["--format", "sarif"]));
    let sarif: Value = serde_json::from_str(&sarif).expect("sarif");
    let notes: Vec<&str> = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications")
        .iter()
        .filter_map(|n| n["message"]["text"].as_str())
        .collect();
    for p in ["big.tf", "bin/main.tf", "latin1.tf", "out", "dangling.tf"] {
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with(&format!("skipped {p}: "))),
            "{p}: {notes:?}"
        );
    }
}

#[test]
fn long_skip_lists_show_the_first_ones_and_a_count() {
    let big = vec![b'#'; 300];
    let names: Vec<String> = (0..13).map(|i| format!("big{i:02}.tf")).collect();
    let mut files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &big[..])).collect();
    files.push(("guard.toml", b"[run]\nmax_file_size = 200\n"));
    let dir = tree(&files);
    let (_, text, _) = run(guard()
        .arg("run")
        .arg(dir.path())
        .args(["--layer", "infra", "-q"]));
    assert!(text.contains("skipped: 13 file(s) not checked:"), "{text}");
    assert!(
        text.contains("big09.tf: larger than max_file_size"),
        "{text}"
    );
    assert!(!text.contains("big10.tf"), "{text}");
    assert!(text.contains("... and 3 more"), "{text}");
}

/// Runs guard as an unprivileged user when the tests run as root (root
/// reads any file), as is.
#[cfg(unix)]
fn unprivileged(args: &[&std::ffi::OsStr]) -> Command {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let mut c = if is_root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(guard_bin());
        c
    } else {
        Command::new(guard_bin())
    };
    c.args(args)
        .env_remove("GUARD_LOG")
        .env("NO_COLOR", "1")
        .current_dir("/");
    c
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_an_input_error_like_an_unreadable_directory() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree(&[("main.tf", TF), ("secret.tf", TF), ("locked/x.tf", TF)]);
    let mode = |p: &Path, m: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).expect("chmod")
    };
    mode(dir.path(), 0o755);
    mode(&dir.path().join("main.tf"), 0o644);
    mode(&dir.path().join("secret.tf"), 0o000);
    mode(&dir.path().join("locked"), 0o000);
    let (code, json) = report(&mut unprivileged(&[
        "run".as_ref(),
        dir.path().as_os_str(),
        "--layer".as_ref(),
        "infra".as_ref(),
        "-q".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]));
    mode(&dir.path().join("locked"), 0o755);
    assert_eq!(code, 2, "{json}");
    let errors = json["input_errors"].as_array().expect("input_errors");
    let message = |p: &str| {
        errors
            .iter()
            .find(|e| e["path"] == p)
            .and_then(|e| e["message"].as_str())
            .unwrap_or_else(|| panic!("{p} not an input error: {json}"))
            .to_string()
    };
    let file = message("secret.tf");
    let folder = message("locked");
    assert!(file.starts_with("cannot read: "), "{file}");
    assert!(folder.starts_with("cannot read: "), "{folder}");
    assert!(
        json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .all(|f| f["rule_id"] != "INFRA-INPUT-001"),
        "an unreadable file is not a syntax finding: {json}"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_names_its_target() {
    let dir = tree(&[("a/main.tf", TF)]);
    std::os::unix::fs::symlink(dir.path().join("a"), dir.path().join("a/loop")).expect("symlink");
    let (code, json) = report(
        guard()
            .arg("run")
            .arg(dir.path())
            .args(["--layer", "infra", "-q", "--format", "json"]),
    );
    assert_eq!(code, 2, "{json}");
    let e = &json["input_errors"][0];
    assert_eq!(e["path"], "a/loop", "{json}");
    let m = e["message"].as_str().expect("message");
    assert!(m.contains("symlink loop"), "{m}");
    assert!(
        m.contains(&dir.path().join("a").display().to_string()),
        "{m}"
    );
    // The same when the layer's walk runs in a worker process.
    let (code, isolated) = report(guard().arg("run").arg(dir.path()).args([
        "--layer",
        "infra",
        "-q",
        "--format",
        "json",
        "--isolation",
        "process",
    ]));
    assert_eq!(code, 2, "{isolated}");
    assert_eq!(isolated["input_errors"], json["input_errors"]);
}

#[test]
fn verbose_logs_say_what_was_read_and_how_long_each_layer_took() {
    let big = vec![b'#'; 300];
    let dir = tree(&[
        ("guard.toml", b"[run]\nmax_file_size = 200\n"),
        ("main.tf", TF),
        ("big.tf", &big),
    ]);
    let (_, _, err) = run(guard()
        .arg("run")
        .arg(dir.path())
        .args(["--layer", "infra", "-v"]));
    assert!(err.contains("skipped big.tf"), "{err}");
    assert!(err.contains("read main.tf"), "{err}");
    assert!(err.contains("layer infra: completed in"), "{err}");
    assert!(err.contains("layers: infra"), "{err}");

    let (_, _, err) = run(guard()
        .current_dir(dir.path())
        .env("GUARD_LOG", "debug")
        .args(["infra", "main.tf"]));
    assert!(err.contains("input infra: main.tf"), "{err}");
    assert!(err.contains("read main.tf"), "{err}");
    assert!(err.contains("layer infra: completed in"), "{err}");

    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/sample");
    let (_, _, err) = run(guard().current_dir(&sample).args([
        "net",
        "audit",
        "captures/agent-session.pcap",
        "-v",
    ]));
    assert!(err.contains("capture captures/agent-session.pcap"), "{err}");
    assert!(err.contains("frame(s)"), "{err}");
    assert!(err.contains("layer network: completed in"), "{err}");
}

#[test]
fn infra_on_a_directory_names_what_it_skipped() {
    let big = vec![b'#'; 300];
    let dir = tree(&[
        (
            "guard.toml",
            b"[run]\nmax_file_size = 200\n[layers.infra]\nunset = \"ignore\"\n",
        ),
        ("mod/main.tf", TF),
        ("mod/big.tf", &big),
        ("mod/policy.json", b"{\"Version\": \0\0}"),
    ]);
    let (code, json) = report(
        guard()
            .current_dir(dir.path())
            .args(["infra", "mod", "--format", "json"]),
    );
    assert_eq!(code, 0, "{json}");
    let skipped: Vec<&str> = json["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .filter_map(|s| s["path"].as_str())
        .collect();
    assert_eq!(skipped, vec!["mod/big.tf", "mod/policy.json"], "{json}");
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(0), "{json}");
}

#[test]
fn agent_policy_names_scripts_it_cannot_read_as_text() {
    let dir = tree(&[
        ("CLAUDE.md", b"# Rules\n"),
        ("run.sh", b"claude --dangerously-skip-permissions\n"),
        ("tool.sh", b"\x7fELF\0\0\0binary"),
    ]);
    let (_, json) = report(guard().arg("run").arg(dir.path()).args([
        "--layer",
        "agent-policy",
        "-q",
        "--format",
        "json",
    ]));
    let skipped: Vec<&str> = json["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .filter_map(|s| s["path"].as_str())
        .collect();
    assert_eq!(skipped, vec!["tool.sh"], "{json}");
    let ids: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["location"]["path"] == "run.sh")
        .filter_map(|f| f["rule_id"].as_str())
        .collect();
    assert!(
        !ids.is_empty(),
        "the readable script is still checked: {json}"
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_firewall_file_is_an_input_error_not_a_finding() {
    use std::os::unix::fs::PermissionsExt;
    let root = tree(&[("README.md", b"# x\n")]);
    let other = tree(&[("fw.sh", b"iptables -P OUTPUT DROP\n")]);
    let fw = other.path().join("fw.sh");
    for (p, m) in [
        (root.path(), 0o755),
        (other.path(), 0o755),
        (fw.as_path(), 0o000),
    ] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).expect("chmod");
    }
    let input = format!("firewall={}", fw.display());
    let (code, json) = report(&mut unprivileged(&[
        "run".as_ref(),
        root.path().as_os_str(),
        "--layer".as_ref(),
        "network".as_ref(),
        "--input".as_ref(),
        input.as_ref(),
        "-q".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]));
    assert_eq!(code, 2, "{json}");
    let errors = json["input_errors"].as_array().expect("input_errors");
    assert!(
        errors.iter().any(|e| {
            e["path"].as_str().is_some_and(|p| p.ends_with("fw.sh"))
                && e["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("cannot read: "))
        }),
        "{json}"
    );
    assert!(
        json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .all(|f| f["rule_id"] != "NET-FW-016"),
        "{json}"
    );
}
