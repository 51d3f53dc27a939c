//! Plugins end to end: the example plugin (a library and a Python process)
//! loaded by `guard run`, its findings through every format, config,
//! suppressions and baselines; misbehaving plugins contained; trust rules.
//!
//! The plugin libraries are built by this test with cargo (a no-op when CI
//! built them first, see `.ci/run`), into the target folder of this test.

mod common;

use common::{guard, run, tree};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// `target/<profile>`, where this test binary lives (`.../deps/plugins-HASH`).
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    exe.parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps layout")
        .to_path_buf()
}

/// Builds the example plugin and the test plugins once per test process.
fn built() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let profile = profile_dir();
        let target = profile.parent().expect("target folder").to_path_buf();
        let mut cmd = Command::new(env!("CARGO"));
        cmd.current_dir(workspace_root())
            .env("CARGO_TARGET_DIR", &target)
            .args([
                "build",
                "--quiet",
                "-p",
                "guard-plugin-hello",
                "-p",
                "guard-test-plugins",
                "--lib",
                "--examples",
            ]);
        match profile.file_name().and_then(|n| n.to_str()) {
            Some("debug") => {}
            Some("release") => {
                cmd.arg("--release");
            }
            Some(other) => {
                cmd.args(["--profile", other]);
            }
            None => {}
        }
        let out = cmd.output().expect("run cargo");
        assert!(
            out.status.success(),
            "building the plugins failed; run `cargo build -p guard-plugin-hello -p guard-test-plugins --lib --examples`:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        profile
    })
}

fn dylib(name: &str) -> String {
    format!(
        "{}{name}{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    )
}

fn hello_lib() -> PathBuf {
    let p = built().join(dylib("guard_plugin_hello"));
    assert!(p.is_file(), "{} missing", p.display());
    p
}

fn test_lib(name: &str) -> PathBuf {
    let p = built()
        .join("examples")
        .join(dylib(&format!("guard_test_{name}")));
    assert!(p.is_file(), "{} missing", p.display());
    p
}

fn sha256_hex(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("read plugin");
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A repository with one banned word for the example rule and one infra finding.
fn repo() -> tempfile::TempDir {
    tree(&[
        (".git/HEAD", b"ref: refs/heads/main\n"),
        (
            "main.tf",
            b"resource \"aws_security_group\" \"a\" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n",
        ),
        ("notes.md", b"TODO(security) rotate the key\n"),
    ])
}

fn json_of(stdout: &str, stderr: &str) -> Value {
    serde_json::from_str(stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{stdout}\nstderr:\n{stderr}"))
}

fn outcome<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["layers"]
        .as_array()
        .and_then(|ls| ls.iter().find(|l| l["id"] == id))
        .map(|l| &l["outcome"])
        .unwrap_or_else(|| panic!("layer {id} missing from {report}"))
}

fn rule_ids(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn example_plugin_findings_in_text_json_and_sarif() {
    let lib = hello_lib();
    let dir = repo();
    let base = || {
        let mut c = guard();
        c.arg("run")
            .arg(dir.path())
            .arg("--plugin")
            .arg(&lib)
            .args(["--layer", "infra", "--layer", "hello"]);
        c
    };

    let (code, stdout, stderr) = run(base().args(["--format", "json"]));
    assert_eq!(code, 1, "{stderr}");
    let report = json_of(&stdout, &stderr);
    assert_eq!(outcome(&report, "hello")["status"], "completed");
    let hello: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "PLUGIN-HELLO-001")
        .collect();
    assert_eq!(hello.len(), 2, "{stdout}");
    assert!(hello.iter().all(|f| f["layer"] == "hello"));
    assert!(hello
        .iter()
        .all(|f| !f["fingerprint"].as_str().unwrap().is_empty()));
    assert!(rule_ids(&report).iter().any(|r| r.starts_with("INFRA-")));
    let rec = &report["plugins"][0];
    assert_eq!(rec["id"], "hello");
    assert_eq!(rec["kind"], "dynamic");
    assert_eq!(rec["source"], "--plugin");
    assert_eq!(rec["sha256"], sha256_hex(&lib));
    let canonical = lib.canonicalize().unwrap();
    assert_eq!(rec["path"], canonical.display().to_string());

    let (code, text, stderr) = run(base().args(["--format", "text"]));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        text.contains("PLUGIN-HELLO-001 Banned text in the repository"),
        "{text}"
    );
    assert!(text.contains("--> notes.md:1:1"), "{text}");
    assert!(text.contains("Plugins\n  hello"), "{text}");
    assert!(
        text.contains(&format!("sha256:{}", sha256_hex(&lib))),
        "{text}"
    );

    let (code, sarif, stderr) = run(base().args(["--format", "sarif"]));
    assert_eq!(code, 1, "{stderr}");
    let sarif: Value = json_of(&sarif, &stderr);
    let run0 = &sarif["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(
        rules.iter().any(|r| r["id"] == "PLUGIN-HELLO-001"),
        "{run0}"
    );
    let results = run0["results"].as_array().expect("results");
    assert!(results.iter().any(|r| r["ruleId"] == "PLUGIN-HELLO-001"));
}

#[test]
fn plugin_findings_follow_config_suppressions_and_baselines() {
    let lib = hello_lib();
    let dir = tree(&[
        (
            "a.txt",
            b"BANNED one\nBANNED two # guard:ignore[PLUGIN-HELLO-001] fixture\n",
        ),
        ("b.txt", b"BANNED three\n"),
        ("c.txt", b"BANNED four\n"),
    ]);
    // The config lives outside the scanned tree: it is the user's own.
    let cfg_dir = tempfile::tempdir().unwrap();
    let cfg = cfg_dir.path().join("guard.toml");
    std::fs::write(
        &cfg,
        "[layers.hello]\nwords = [\"BANNED\"]\n\n[rules.severity]\n\"PLUGIN-HELLO-001\" = \"critical\"\n\n[[ignore]]\nrules = [\"PLUGIN-HELLO-001\"]\npaths = [\"c.txt\"]\nreason = \"vendored\"\n",
    )
    .unwrap();
    let cmd = |extra: &[&str]| {
        let mut c = guard();
        c.arg("run")
            .arg(dir.path())
            .arg("--plugin")
            .arg(&lib)
            .arg("--config")
            .arg(&cfg)
            .args(["--layer", "hello", "--format", "json"])
            .args(extra);
        c
    };
    let (code, stdout, stderr) = run(&mut cmd(&[]));
    assert_eq!(code, 1, "{stderr}");
    let report = json_of(&stdout, &stderr);
    let findings = report["findings"].as_array().unwrap();
    let places: Vec<String> = findings
        .iter()
        .map(|f| {
            format!(
                "{}:{}",
                f["location"]["path"].as_str().unwrap(),
                f["location"]["start_line"]
            )
        })
        .collect();
    assert_eq!(places, ["a.txt:1", "b.txt:1"], "{stdout}");
    assert!(findings.iter().all(|f| f["severity"] == "critical"));
    assert_eq!(report["summary"]["suppressed"]["inline"], 1);
    assert_eq!(report["summary"]["suppressed"]["config"], 1);

    let baseline = cfg_dir.path().join("baseline.json");
    let (code, _, stderr) = run(&mut cmd(&["--write-baseline", baseline.to_str().unwrap()]));
    assert_eq!(code, 0, "{stderr}");
    std::fs::write(dir.path().join("d.txt"), "BANNED five\n").unwrap();
    let (code, stdout, stderr) = run(&mut cmd(&["--baseline", baseline.to_str().unwrap()]));
    assert_eq!(code, 1, "{stderr}");
    let report = json_of(&stdout, &stderr);
    assert_eq!(report["summary"]["total"], 1, "{stdout}");
    assert_eq!(report["findings"][0]["location"]["path"], "d.txt");
    assert_eq!(report["summary"]["suppressed"]["baseline"], 2);

    // A typo in the plugin's own table fails with the file and line, like a built-in layer's.
    std::fs::write(&cfg, "[layers.hello]\nword = [\"BANNED\"]\n").unwrap();
    let (code, _, stderr) = run(&mut cmd(&[]));
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown field `word`"), "{stderr}");
}

#[test]
fn misbehaving_plugins_are_contained() {
    let dir = repo();
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "panic",
            "test-panic",
            "panicked",
            "test plugin panics on purpose",
        ),
        ("abort", "test-abort", "crashed", "SIGABRT"),
        ("segv", "test-segv", "crashed", "SIGSEGV"),
        ("oom", "test-oom", "crashed", "SIGABRT"),
        ("hang", "test-hang", "timed_out", ""),
        ("thief", "test-thief", "failed", "did not declare"),
        (
            "bad_json",
            "guard-test-bad-json",
            "failed",
            "invalid response",
        ),
        (
            "wrong_abi",
            "guard-test-wrong-abi",
            "failed",
            "built for plugin ABI version 999, but this guard speaks version 1",
        ),
    ];
    for (lib, id, status, message) in cases {
        let mut cmd = guard();
        cmd.arg("run")
            .arg(dir.path())
            .arg("--plugin")
            .arg(test_lib(lib))
            .args([
                "--layer",
                "infra",
                "--layer",
                id,
                "--format",
                "json",
                "--timeout",
                "3",
            ]);
        let (code, stdout, stderr) = run(&mut cmd);
        assert_eq!(code, 2, "{lib}: {stderr}");
        let report = json_of(&stdout, &stderr);
        assert_eq!(outcome(&report, "infra")["status"], "completed", "{lib}");
        assert!(
            rule_ids(&report).iter().any(|r| r == "INFRA-NET-001"),
            "{lib}: infra findings missing: {stdout}"
        );
        let o = outcome(&report, id);
        assert_eq!(o["status"], *status, "{lib}: {o}");
        if !message.is_empty() {
            assert!(
                o["message"].as_str().unwrap_or_default().contains(message),
                "{lib}: {o}"
            );
        }
    }
}

#[test]
fn plugin_from_guard_plugin_path_env() {
    let dir = repo();
    let mut cmd = guard();
    cmd.env("GUARD_PLUGIN_PATH", hello_lib())
        .arg("run")
        .arg(dir.path())
        .args(["--layer", "hello", "--format", "json"]);
    let (code, stdout, stderr) = run(&mut cmd);
    assert_eq!(code, 0, "{stderr}");
    let report = json_of(&stdout, &stderr);
    assert_eq!(report["plugins"][0]["source"], "GUARD_PLUGIN_PATH");
    assert_eq!(report["summary"]["total"], 2);
}

#[test]
fn repository_config_loads_plugins_only_when_allowed() {
    let dir = repo();
    let lib = hello_lib();
    std::fs::write(
        dir.path().join("guard.toml"),
        format!("[plugins]\npaths = [{:?}]\n", lib.display().to_string()),
    )
    .unwrap();
    let mut cmd = guard();
    cmd.arg("run").arg(dir.path()).args(["--layer", "infra"]);
    let (code, stdout, stderr) = run(&mut cmd);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("inside the scanned repository")
            && stderr.contains("Loading a plugin runs its code")
            && stderr.contains("--allow-repo-plugins"),
        "{stderr}"
    );
    // Also from a folder below the repository's root.
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let (code, _, stderr) = run(guard().arg("run").arg(dir.path().join("sub")));
    assert_eq!(code, 2);
    assert!(stderr.contains("--allow-repo-plugins"), "{stderr}");

    let mut cmd = guard();
    cmd.arg("run").arg(dir.path()).args([
        "--allow-repo-plugins",
        "--layer",
        "hello",
        "--format",
        "json",
    ]);
    let (code, stdout, stderr) = run(&mut cmd);
    assert_eq!(code, 0, "{stderr}");
    let report = json_of(&stdout, &stderr);
    assert!(report["plugins"][0]["source"]
        .as_str()
        .unwrap()
        .ends_with("guard.toml"));
    assert_eq!(report["summary"]["total"], 2);
}

#[cfg(unix)]
#[test]
fn writable_or_foreign_plugin_files_are_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = repo();
    let lib_dir = tempfile::tempdir().unwrap();
    let copy = lib_dir.path().join(dylib("acme"));
    std::fs::copy(hello_lib(), &copy).unwrap();
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o666)).unwrap();
    let (code, stdout, stderr) = run(guard()
        .arg("run")
        .arg(dir.path())
        .arg("--plugin")
        .arg(&copy));
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("refused: writable by everyone"), "{stderr}");

    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).unwrap();
    if std::os::unix::fs::chown(&copy, Some(65534), None).is_ok() {
        let (code, _, stderr) = run(guard()
            .arg("run")
            .arg(dir.path())
            .arg("--plugin")
            .arg(&copy));
        assert_eq!(code, 2);
        assert!(stderr.contains("owned by uid 65534"), "{stderr}");
    }

    let (code, _, stderr) = run(guard()
        .arg("run")
        .arg(dir.path())
        .arg("--plugin")
        .arg(lib_dir.path().join("missing.so")));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("missing.so: refused: cannot resolve the path"),
        "{stderr}"
    );
}

#[test]
fn plugins_in_layers_rules_and_explain() {
    let lib = hello_lib();
    let cwd = tempfile::tempdir().unwrap();
    let list = |args: &[&str]| {
        let mut c = guard();
        c.current_dir(cwd.path())
            .args(args)
            .arg("--plugin")
            .arg(&lib);
        run(&mut c)
    };
    let (code, out, err) = list(&["layers"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("hello ") && l.contains("1 rules")),
        "{out}"
    );
    let (code, out, err) = list(&["rules", "hello"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("PLUGIN-HELLO-001"), "{out}");
    let (code, out, err) = list(&["explain", "PLUGIN-HELLO-001"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("(medium, layer hello)") && out.contains("Fix: Remove the text"),
        "{out}"
    );
    // A plugin that cannot be described is an error here, not a silent gap.
    let mut c = guard();
    c.current_dir(cwd.path())
        .arg("layers")
        .arg("--plugin")
        .arg(test_lib("wrong_abi"));
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 2);
    assert!(err.contains("ABI version 999"), "{err}");
}

/// A user config naming a process plugin `script` (written next to it).
fn process_config(script_name: &str, script: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(script_name), script).expect("write script");
    let cfg = dir.path().join("guard.toml");
    std::fs::write(
        &cfg,
        format!("[[plugins.process]]\nname = \"p\"\ncommand = [\"python3\", \"{script_name}\"]\n"),
    )
    .expect("write config");
    (dir, cfg)
}

fn python_available() -> bool {
    Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn python_process_plugin_runs_like_the_library() {
    assert!(
        python_available(),
        "python3 is needed for the process plugin tests"
    );
    let script =
        std::fs::read_to_string(workspace_root().join("examples/plugin-python/hello_layer.py"))
            .expect("example script");
    let (cfg_dir, cfg) = process_config("hello_layer.py", &script);
    let dir = repo();
    let mut cmd = guard();
    cmd.arg("run")
        .arg(dir.path())
        .arg("--config")
        .arg(&cfg)
        .arg("--plugin")
        .arg(hello_lib())
        .args([
            "--layer", "hello-py", "--layer", "hello", "--format", "json",
        ]);
    let (code, stdout, stderr) = run(&mut cmd);
    assert_eq!(code, 0, "{stderr}");
    let report = json_of(&stdout, &stderr);
    assert_eq!(outcome(&report, "hello-py")["status"], "completed");
    let place = |rule: &str| {
        let mut v: Vec<String> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule_id"] == rule)
            .map(|f| {
                let l = &f["location"];
                format!(
                    "{}:{}:{}-{}",
                    l["path"].as_str().unwrap(),
                    l["start_line"],
                    l["start_col"],
                    l["end_col"]
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(place("PLUGIN-HELLO-PY-001"), place("PLUGIN-HELLO-001"));
    assert_eq!(place("PLUGIN-HELLO-PY-001").len(), 2);
    let rec = report["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "process")
        .expect("process plugin record");
    let script_path = cfg_dir
        .path()
        .join("hello_layer.py")
        .canonicalize()
        .unwrap();
    assert_eq!(rec["path"], script_path.display().to_string());
    assert_eq!(rec["sha256"], sha256_hex(&script_path));
    assert_eq!(rec["command"][0], "python3");
}

#[test]
fn misbehaving_process_plugins_are_contained() {
    assert!(
        python_available(),
        "python3 is needed for the process plugin tests"
    );
    let describe = r#"{"status":"info","abi_version":1,"id":"bad","name":"Bad","description":"d","rules":[{"id":"PLUGIN-BAD-001","severity":"low","title":"t"}]}"#;
    let script = |run_body: &str| {
        format!(
            "import json, os, sys, time\nreq = json.load(sys.stdin)\nif req['action'] == 'describe':\n    print('{describe}')\n    sys.exit(0)\n{run_body}\n"
        )
    };
    let cases: &[(&str, &str, &str)] = &[
        ("time.sleep(600)", "timed_out", ""),
        ("print('not json')", "failed", "invalid response"),
        ("os.abort()", "failed", "killed by signal 6"),
        ("sys.stderr.write('boom\\n'); sys.exit(3)", "failed", "exited with code 3 without an answer: boom"),
        (
            "print(json.dumps({'status':'findings','findings':[{'rule_id':'OWASP-SQLI-001','layer':'','severity':'low','confidence':'high','title':'t','message':'m','fingerprint':''}]}))",
            "failed",
            "did not declare",
        ),
    ];
    let dir = repo();
    for (body, status, message) in cases {
        let (_cfg_dir, cfg) = process_config("bad.py", &script(body));
        let mut cmd = guard();
        cmd.arg("run")
            .arg(dir.path())
            .arg("--config")
            .arg(&cfg)
            .args([
                "--layer",
                "infra",
                "--layer",
                "bad",
                "--format",
                "json",
                "--timeout",
                "3",
            ]);
        let (code, stdout, stderr) = run(&mut cmd);
        assert_eq!(code, 2, "{body}: {stderr}");
        let report = json_of(&stdout, &stderr);
        assert!(
            rule_ids(&report).iter().any(|r| r == "INFRA-NET-001"),
            "{body}"
        );
        let o = outcome(&report, "bad");
        assert_eq!(o["status"], *status, "{body}: {o}");
        assert!(
            o["message"].as_str().unwrap_or_default().contains(message),
            "{body}: {o}"
        );
    }
}

#[test]
fn plugin_rules_cannot_shadow_built_in_rules() {
    assert!(
        python_available(),
        "python3 is needed for the process plugin tests"
    );
    let dir = repo();
    for (id, prefix, rule, want) in [
        (
            "infra",
            "",
            "PLUGIN-INFRA-001",
            "layer id `infra` is already taken",
        ),
        (
            "acme",
            "",
            "INFRA-IAM-001",
            "does not start with the plugin's prefix `PLUGIN-ACME-`",
        ),
        (
            "acme",
            "\"rule_prefix\":\"INFRA-\",",
            "INFRA-IAM-001",
            "covers rule INFRA-",
        ),
    ] {
        let describe = format!(
            r#"{{"status":"info","abi_version":1,"id":"{id}","name":"n","description":"d",{prefix}"rules":[{{"id":"{rule}","severity":"low","title":"t"}}]}}"#
        );
        let (_d, cfg) = process_config(
            "p.py",
            &format!("import sys\nsys.stdin.read()\nprint('{describe}')\n"),
        );
        let mut cmd = guard();
        cmd.arg("run").arg(dir.path()).arg("--config").arg(&cfg);
        let (code, stdout, stderr) = run(&mut cmd);
        assert_eq!(code, 2, "{stderr}");
        assert!(stdout.is_empty());
        assert!(stderr.contains(want), "{want}: {stderr}");
    }
}
