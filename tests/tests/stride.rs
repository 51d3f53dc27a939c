//! `guard stride`: analysis, verify on the example app, before/after diff,
//! `--diff A..B`, init, reports, schema, and `guard run --layer stride`.

mod common;

use common::{guard, run};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn app() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/stride-app")
}

fn threat_ids(model: &Path) -> BTreeSet<(String, String, String)> {
    let (code, out, err) = run(guard()
        .arg("stride")
        .arg(model)
        .args(["--format", "json", "-q"]));
    assert!(code == 0 || code == 1, "stderr: {err}");
    let v: Value = serde_json::from_str(&out).expect("JSON report");
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| {
            f["layer"] == "stride"
                && f["rule_id"]
                    .as_str()
                    .is_some_and(|r| !r.starts_with("STRIDE-MODEL"))
        })
        .map(|f| {
            let id = f["tags"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .find(|t| t.starts_with("threat:"))
                .unwrap_or("")
                .to_string();
            (
                id,
                f["rule_id"].as_str().unwrap_or("").to_string(),
                f["resource"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn verify_finds_one_mitigation_built_and_one_missing() {
    let (code, out, err) = run(guard()
        .args(["stride", "verify"])
        .arg(app().join("guard-model.yaml"))
        .arg(app())
        .args(["--format", "json"]));
    assert_eq!(code, 1, "a missing mitigation fails; stderr: {err}");
    let v: Value = serde_json::from_str(&out).expect("JSON");
    let by = |id: &str| item(&v["mitigations"], "mitigation", id);
    let csp = by("MIT-CSP");
    assert_eq!(csp["status"], "implemented");
    assert_eq!(csp["evidence"][0]["path"], "app.py");
    assert_eq!(csp["evidence"][0]["line"], 13);
    assert_eq!(by("MIT-RATE-LIMIT")["status"], "missing");
    // Text output names the place too.
    let (_, text, _) = run(guard()
        .args(["stride", "verify"])
        .arg(app().join("guard-model.yaml"))
        .arg(app()));
    assert!(
        text.contains("implemented MIT-CSP") && text.contains("app.py:13"),
        "{text}"
    );
    assert!(text.contains("missing     MIT-RATE-LIMIT"), "{text}");
}

#[test]
fn mitigations_added_close_exactly_their_threats() {
    let before = threat_ids(&app().join("guard-model.yaml"));
    let after = threat_ids(&app().join("guard-model.after.yaml"));
    let gone: BTreeSet<_> = before.difference(&after).cloned().collect();
    let new: BTreeSet<_> = after.difference(&before).collect();
    assert!(new.is_empty(), "no threat may appear: {new:?}");
    // Exactly the threats the two controls close: no rate limit and no
    // audit log on the web application, and the browser's actions that
    // are now logged there.
    let expected: BTreeSet<_> = before
        .iter()
        .filter(|(_, rule, res)| {
            matches!(
                (rule.as_str(), res.as_str()),
                ("STRIDE-D-001", "element:web")
                    | ("STRIDE-R-002", "element:web")
                    | ("STRIDE-R-001", "element:browser")
            )
        })
        .cloned()
        .collect();
    assert_eq!(expected.len(), 3, "{before:?}");
    for (_, rule, _) in &expected {
        let m = guard_stride_rule_mitigations(rule);
        assert!(
            !m.is_empty(),
            "{rule} is closed by one of the added controls"
        );
    }
    assert!(!expected.is_empty());
    assert_eq!(gone, expected);
    // `guard stride diff` says the same.
    let (code, out, err) = run(guard()
        .args(["stride", "diff"])
        .arg(app().join("guard-model.yaml"))
        .arg(app().join("guard-model.after.yaml"))
        .args(["--format", "json"]));
    assert_eq!(code, 0, "{err}");
    let d: Value = serde_json::from_str(&out).expect("JSON");
    let dis: BTreeSet<String> = d["disappeared"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|t| t["id"].as_str().map(str::to_string))
        .collect();
    let exp_ids: BTreeSet<String> = gone
        .iter()
        .map(|t| t.0.trim_start_matches("threat:").to_string())
        .collect();
    assert_eq!(dis, exp_ids);
    assert_eq!(d["appeared"].as_array().map(Vec::len), Some(0));
}

fn guard_stride_rule_mitigations(rule: &str) -> Vec<&'static str> {
    let (_, out, _) = run(guard().args(["explain", rule]));
    ["MIT-RATE-LIMIT", "MIT-AUDIT-LOG"]
        .into_iter()
        .filter(|m| out.contains(m))
        .collect()
}

#[test]
fn diff_between_git_revisions() {
    let dir = tempfile::tempdir().expect("tmp");
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .arg("-C")
            .arg(dir.path())
            .args(args)
            .output()
            .expect("git")
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["config", "user.email", "t@example.com"]);
    git(&["config", "user.name", "t"]);
    std::fs::copy(
        app().join("guard-model.yaml"),
        dir.path().join("model.yaml"),
    )
    .expect("copy");
    git(&["add", "model.yaml"]);
    git(&["commit", "-qm", "v1"]);
    std::fs::copy(
        app().join("guard-model.after.yaml"),
        dir.path().join("model.yaml"),
    )
    .expect("copy");
    git(&["commit", "-qam", "v2"]);
    let (code, out, err) = run(guard()
        .arg("stride")
        .arg(dir.path().join("model.yaml"))
        .args(["--diff", "HEAD~1..HEAD"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("0 appeared") && out.contains("STRIDE-D-001"),
        "{out}"
    );
    assert!(out.lines().any(|l| l.starts_with("- ")), "{out}");
}

#[test]
fn reports_schema_and_run() {
    let model = app().join("guard-model.yaml");
    let (code, md, err) = run(guard()
        .arg("stride")
        .arg(&model)
        .args(["--format", "markdown"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        md.contains("```mermaid\nflowchart LR")
            && md.contains("subgraph")
            && md.contains("STRIDE-T-007"),
        "{md}"
    );
    let (code, html, _) = run(guard().arg("stride").arg(&model).args(["--format", "html"]));
    assert_eq!(code, 0);
    assert!(
        html.contains("<svg") && html.contains("class=\"boundary\""),
        "{html}"
    );
    let (code, schema, _) = run(guard().args(["schema", "stride-model"]));
    assert_eq!(code, 0);
    let s: Value = serde_json::from_str(&schema).expect("schema JSON");
    assert!(s["properties"]["elements"].is_object());
    // guard run: the named model; a missing one is an input error.
    let (code, out, err) = run(guard()
        .arg("run")
        .arg(app())
        .args(["--layer", "stride", "--format", "json", "-q"]));
    assert_eq!(code, 1, "convention file guard-model.yaml found; {err}");
    assert!(out.contains("STRIDE-D-001"));
    let (code, _, err) = run(guard().arg("run").arg(app()).args([
        "--layer",
        "stride",
        "--input",
        "stride-model=/nonexistent/model.yaml",
    ]));
    assert_eq!(code, 2, "{err}");
}

#[test]
fn bad_models_are_clear_errors() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("m.yaml");
    std::fs::write(
        &p,
        "elements:\n  - id: a\n    kind: process\n    colour: red\n",
    )
    .expect("write");
    let (code, out, err) = run(guard().arg("stride").arg(&p));
    assert_eq!(code, 2, "{err}");
    assert!(out.contains("line 4") && out.contains("colour"), "{out}");
    // Markdown and HTML reports read the model themselves: a plain error.
    let (code, _, err) = run(guard().arg("stride").arg(&p).args(["--format", "markdown"]));
    assert_eq!(code, 2);
    assert!(err.contains(":4:") && err.contains("colour"), "{err}");
}

#[test]
fn init_drafts_a_model_that_reads_back() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/sample");
    let (code, out, err) = run(guard().args(["stride", "init"]).arg(&sample));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("aws-db-instance-orders"), "{out}");
    // Each drafted element says where it lives, for `verify`.
    assert!(out.contains("\"aws_db_instance.orders\""), "{out}");
    assert!(out.contains("code:\n      - \"webapp/app.py\""), "{out}");
    assert!(out.contains("kind: \"external\""), "{out}");
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("draft.yaml");
    std::fs::write(&p, &out).expect("write");
    let (code, _, err) = run(guard().arg("stride").arg(&p).args(["--format", "json"]));
    assert!(code == 0 || code == 1, "{err}");
}

#[test]
fn committed_stride_model_schema_is_fresh() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/stride-model.schema.json");
    let (code, fresh, _) = run(guard().args(["schema", "stride-model"]));
    assert_eq!(code, 0);
    if std::env::var_os("GUARD_UPDATE_SCHEMAS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &fresh).expect("write schema");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        committed, fresh,
        "stale; regenerate with GUARD_UPDATE_SCHEMAS=1 cargo test -p guard-tests --test stride"
    );
}

/// (threagile category, resource) pairs of a `guard stride` JSON report.
fn threagile_pairs(model: &Path) -> BTreeSet<(String, String)> {
    let (code, out, err) = run(guard()
        .arg("stride")
        .arg(model)
        .args(["--format", "json", "-q"]));
    assert!(code == 0 || code == 1, "stderr: {err}");
    let v: Value = serde_json::from_str(&out).expect("JSON report");
    let mut pairs = BTreeSet::new();
    for f in v["findings"].as_array().expect("findings") {
        let res = f["resource"].as_str().unwrap_or("").to_string();
        for t in f["tags"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if let Some(c) = t.strip_prefix("threagile:") {
                pairs.insert((c.to_string(), res.clone()));
            }
        }
    }
    pairs
}

#[test]
fn threagile_models_get_threagiles_categories_on_its_elements() {
    let model = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../layers/stride/tests/fixtures/models/threagile-mini/model.yaml");
    let pairs = threagile_pairs(&model);
    for (cat, res) in [
        ("cross-site-scripting", "element:web"),
        ("sql-nosql-injection", "flow:web>db-traffic"),
        ("unencrypted-communication", "flow:web>db-traffic"),
        ("missing-build-infrastructure", "element:web"),
        ("unnecessary-data-asset", "element:customer-summaries"),
        ("incomplete-model", "element:mystery"),
        ("missing-cloud-hardening", "element:web-zone"),
        ("mixed-targets-on-shared-runtime", "element:shared-vm"),
    ] {
        assert!(
            pairs.contains(&(cat.to_string(), res.to_string())),
            "missing {cat} on {res}: {pairs:?}"
        );
    }
}

#[test]
fn pytm_exports_get_pytm_threats_by_class() {
    let model = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../layers/stride/tests/fixtures/models/pytm-sample.json");
    let (code, out, err) = run(guard()
        .arg("stride")
        .arg(&model)
        .args(["--format", "json", "-q"]));
    assert!(code == 0 || code == 1, "stderr: {err}");
    let v: Value = serde_json::from_str(&out).expect("JSON report");
    let got = pairs(&v["findings"], "rule_id", "resource");
    // The lambda does not handle resource consumption (pytm DO02) and
    // validates no input (INP13); the out-of-scope database gets nothing.
    assert!(
        got.contains(&("STRIDE-D-004".into(), "element:cleandbevery6hours".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&("STRIDE-T-016".into(), "element:cleandbevery6hours".into())),
        "{got:?}"
    );
    assert!(
        !got.iter()
            .any(|(r, res)| r == "STRIDE-R-005" && res.contains("sql-database")),
        "{got:?}"
    );
}

/// Writes `files` (relative path, text) under `dir`.
fn write_tree(dir: &Path, files: &[(&str, &str)]) {
    for (p, text) in files {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}

const TWO_ENDPOINTS: &str = "title: Two endpoints
boundaries:
  - id: internet
  - id: cloud
elements:
  - id: browser
    kind: external
    boundary: internet
    internet: true
    used_by_human: true
  - id: shop
    kind: process
    boundary: cloud
    web: true
    custom_code: true
    code: [shop/**]
  - id: admin
    kind: process
    boundary: cloud
    web: true
    custom_code: true
    code: [admin/app.py]
flows:
  - name: shop traffic
    from: browser
    to: shop
    protocol: https
  - name: admin traffic
    from: browser
    to: admin
    protocol: https
";

#[test]
fn verify_decides_each_mitigation_per_element() {
    let dir = tempfile::tempdir().expect("tmp");
    write_tree(
        dir.path(),
        &[
            ("model.yaml", TWO_ENDPOINTS),
            (
                "shop/app.py",
                "from flask import Flask\napp = Flask(__name__)\n\n@app.after_request\ndef headers(resp):\n    resp.headers[\"Content-Security-Policy\"] = \"default-src 'self'\"\n    return resp\n",
            ),
            (
                "admin/app.py",
                "from flask import Flask\napp = Flask(__name__)\n\n@app.route(\"/admin\")\ndef admin():\n    return \"ok\"\n",
            ),
        ],
    );
    let (code, out, err) = run(guard()
        .args(["stride", "verify"])
        .arg(dir.path().join("model.yaml"))
        .arg(dir.path())
        .args(["--format", "json"]));
    assert_eq!(code, 1, "admin has no CSP; stderr: {err}");
    let v: Value = serde_json::from_str(&out).expect("JSON");
    let csp = item(&v["mitigations"], "mitigation", "MIT-CSP");
    assert_eq!(csp["status"], "partly", "{csp}");
    let at = |el: &str| item(&csp["elements"], "element", el);
    let shop = at("shop");
    assert_eq!(shop["status"], "implemented");
    assert_eq!(shop["evidence"][0]["path"], "shop/app.py");
    assert_eq!(shop["evidence"][0]["line"], 6);
    assert_eq!(at("admin")["status"], "missing");
    assert_eq!(v["stale_scopes"].as_array().map(Vec::len), Some(0));

    // Text: one line per element with the place.
    let (_, text, _) = run(guard()
        .args(["stride", "verify"])
        .arg(dir.path().join("model.yaml"))
        .arg(dir.path()));
    assert!(
        text.contains("implemented at shop: shop/app.py:6"),
        "{text}"
    );
    assert!(
        text.contains("missing     at admin: no evidence in code: admin/app.py"),
        "{text}"
    );

    // Markdown and HTML list the elements under the mitigation.
    let (_, md, _) = run(guard()
        .args(["stride", "verify"])
        .arg(dir.path().join("model.yaml"))
        .arg(dir.path())
        .args(["--format", "markdown"]));
    assert!(
        md.contains("| MIT-CSP Send a Content-Security-Policy | partly |")
            && md.contains("MIT-CSP at `admin` | missing | not found")
            && md.contains("MIT-CSP at `shop` | implemented | `shop/app.py:6`"),
        "{md}"
    );
    let (_, html, _) = run(guard()
        .args(["stride", "verify"])
        .arg(dir.path().join("model.yaml"))
        .arg(dir.path())
        .args(["--format", "html"]));
    assert!(
        html.contains("MIT-CSP at <code>admin</code></td><td>missing"),
        "{html}"
    );

    // SARIF / findings: one STRIDE-MIT-001 for CSP, on the admin element.
    let (_, sarif, _) = run(guard()
        .args(["stride", "verify"])
        .arg(dir.path().join("model.yaml"))
        .arg(dir.path())
        .args(["--format", "sarif"]));
    let s: Value = serde_json::from_str(&sarif).expect("SARIF");
    let csp_results: Vec<&Value> = s["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| {
            r["ruleId"] == "STRIDE-MIT-001"
                && r["message"]["text"]
                    .as_str()
                    .is_some_and(|m| m.contains("(MIT-CSP)"))
        })
        .collect();
    assert_eq!(csp_results.len(), 1, "{sarif}");
    assert!(
        csp_results[0]["message"]["text"]
            .as_str()
            .is_some_and(|m| m.contains("on `admin`")),
        "{sarif}"
    );

    // An annotation naming the admin element closes its gap; one naming
    // an element the model lacks is reported with its place.
    write_tree(
        dir.path(),
        &[(
            "lib/headers.py",
            "# guard:mitigates MIT-CSP@admin\n# guard:mitigates MIT-CSP@nobody\n",
        )],
    );
    let (_, out, _) = run(guard()
        .args(["stride", "verify"])
        .arg(dir.path().join("model.yaml"))
        .arg(dir.path())
        .args(["--format", "json"]));
    let v: Value = serde_json::from_str(&out).expect("JSON");
    let csp = v["mitigations"]
        .as_array()
        .expect("list")
        .iter()
        .find(|m| m["mitigation"] == "MIT-CSP")
        .expect("csp")
        .clone();
    assert_eq!(csp["status"], "implemented", "{csp}");
    let problems = v["annotation_problems"].as_array().expect("problems");
    assert_eq!(problems.len(), 1, "{out}");
    assert_eq!(problems[0]["path"], "lib/headers.py");
    assert_eq!(problems[0]["line"], 2);

    // A scope that matches nothing is reported, not read as "missing".
    std::fs::write(
        dir.path().join("model.yaml"),
        TWO_ENDPOINTS.replace("code: [admin/app.py]", "code: [backoffice/**]"),
    )
    .expect("write");
    let (code, text, _) = run(guard()
        .args(["stride", "verify"])
        .arg(dir.path().join("model.yaml"))
        .arg(dir.path()));
    assert_eq!(code, 1);
    assert!(
        text.contains("element `admin`: `code` pattern `backoffice/**` matches nothing"),
        "{text}"
    );
}

#[test]
fn diff_between_git_revisions_reads_threagile_includes_there() {
    let dir = tempfile::tempdir().expect("tmp");
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(dir.path())
            .args(args)
            .output()
            .expect("git");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../layers/stride/tests/fixtures/models/threagile-mini");
    let parts = std::fs::read_to_string(fixture.join("parts/assets.yaml")).expect("include");
    assert!(parts.contains("encryption: none"), "{parts}");
    git(&["init", "-q"]);
    git(&["config", "user.email", "t@example.com"]);
    git(&["config", "user.name", "t"]);
    std::fs::create_dir_all(dir.path().join("tm/parts")).expect("mkdir");
    std::fs::copy(fixture.join("model.yaml"), dir.path().join("tm/model.yaml")).expect("copy");
    // v0: the model names an include that is not committed yet.
    git(&["add", "tm/model.yaml"]);
    git(&["commit", "-qm", "v0"]);
    // v1: the include, with an unencrypted database.
    std::fs::write(dir.path().join("tm/parts/assets.yaml"), &parts).expect("write");
    git(&["add", "tm/parts/assets.yaml"]);
    git(&["commit", "-qm", "v1"]);
    // v2: only the include changes: it adds an unencrypted cache.
    std::fs::write(
        dir.path().join("tm/parts/assets.yaml"),
        format!("{parts}  Cache:\n    id: cache\n    type: datastore\n    usage: business\n    technology: database\n    encryption: none\n    data_assets_stored:\n      - customer-data\n"),
    )
    .expect("write");
    git(&["commit", "-qam", "v2"]);
    // The working tree's include is neither revision's (and broken):
    // only what git holds may be read.
    std::fs::write(
        dir.path().join("tm/parts/assets.yaml"),
        "technical_assets: [not, a, mapping\n",
    )
    .expect("write");

    let model = dir.path().join("tm/model.yaml");
    let (code, out, err) =
        run(guard()
            .arg("stride")
            .arg(&model)
            .args(["--diff", "HEAD~1..HEAD", "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    let d: Value = serde_json::from_str(&out).expect("JSON");
    let appeared = pairs(&d["appeared"], "rule_id", "subject");
    assert!(
        appeared.contains(&("STRIDE-I-003".to_string(), "cache".to_string())),
        "the include's new unencrypted cache is seen at HEAD: {out}"
    );
    // Read at HEAD~1, the include has no cache: nothing about it is
    // unchanged or gone.
    assert!(
        d["disappeared"]
            .as_array()
            .expect("list")
            .iter()
            .all(|t| t["subject"] != "cache"),
        "{out}"
    );

    // At v0 the include does not exist: an error naming revision and path.
    let (code, _, err) = run(guard()
        .arg("stride")
        .arg(&model)
        .args(["--diff", "HEAD~2..HEAD"]));
    assert_ne!(code, 0);
    assert!(
        err.contains("HEAD~2") && err.contains("tm/parts/assets.yaml"),
        "{err}"
    );

    // v3: the include's path is a directory: refused as such, not read as
    // git's listing of it.
    git(&["rm", "-q", "--cached", "tm/parts/assets.yaml"]);
    std::fs::remove_file(dir.path().join("tm/parts/assets.yaml")).expect("rm");
    std::fs::create_dir_all(dir.path().join("tm/parts/assets.yaml")).expect("mkdir");
    std::fs::write(dir.path().join("tm/parts/assets.yaml/x.yaml"), "a: 1\n").expect("write");
    git(&["add", "tm/parts/assets.yaml/x.yaml"]);
    git(&["commit", "-qm", "v3"]);
    let (code, _, err) = run(guard()
        .arg("stride")
        .arg(&model)
        .args(["--diff", "HEAD~1..HEAD"]));
    assert_ne!(code, 0);
    assert!(
        err.contains("`tm/parts/assets.yaml` cannot be read at revision HEAD"),
        "{err}"
    );
}

/// The (`a`, `b`) string fields of each object in a JSON list.
fn pairs(list: &Value, a: &str, b: &str) -> BTreeSet<(String, String)> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|x| {
            (
                x[a].as_str().unwrap_or("").to_string(),
                x[b].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// The object of a JSON list whose `key` is `value`.
fn item(list: &Value, key: &str, value: &str) -> Value {
    list.as_array()
        .expect("a list")
        .iter()
        .find(|x| x[key] == value)
        .unwrap_or_else(|| panic!("no {key} {value} in {list}"))
        .clone()
}
