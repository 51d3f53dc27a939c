//! Model readers on fixtures of each format, and bad input: a YAML bomb,
//! cyclic includes, a 100 MB model, wrong types, unknown keys, dangling
//! references. Never a panic; errors name file, line and what was expected.

use guard_stride::model::{ElementKind, Format, TrackStatus};
use guard_stride::read::{load, ModelError};
use guard_stride::rules::analyse;
use std::path::{Path, PathBuf};

fn fx(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

fn err(rel: &str) -> String {
    load(&fx(rel), rel).expect_err("must fail").to_string()
}

#[test]
fn threagile_with_include_anchors_and_merge_keys() {
    let m = load(&fx("models/threagile-mini/model.yaml"), "model.yaml").expect("reads");
    assert_eq!(m.format, Format::Threagile);
    let db = m.element("db").expect("db from the include");
    assert_eq!(db.kind, ElementKind::Store);
    assert_eq!(db.attrs.encrypted_at_rest, Some(false));
    let summaries = m
        .data_asset("customer-summaries")
        .expect("merged data asset");
    assert_eq!(
        summaries.confidentiality, 2,
        "own key wins over the merged one"
    );
    assert_eq!(summaries.integrity, 3, "merged key kept");
    let link = m
        .flows
        .iter()
        .find(|f| f.id == "web>db-traffic")
        .expect("derived link id");
    assert_eq!(
        link.crosses,
        vec!["data-zone".to_string(), "web-zone".to_string()]
    );
    // The unknown key is a warning with its line, not an error.
    let w = m
        .warnings
        .iter()
        .find(|w| w.message.contains("colour"))
        .expect("warning");
    assert_eq!(w.line, 43);
    let threats = analyse(&m);
    let enc = threats
        .iter()
        .find(|t| t.rule.id == "STRIDE-I-003")
        .expect("unencrypted store");
    assert_eq!(
        enc.tracked.as_ref().map(|t| t.0),
        Some(TrackStatus::Mitigated)
    );
    let sql = threats
        .iter()
        .find(|t| t.rule.id == "STRIDE-T-004")
        .expect("sql injection");
    assert_eq!(
        sql.tracked.as_ref().map(|t| t.0),
        Some(TrackStatus::Accepted)
    );
    assert!(threats
        .iter()
        .any(|t| t.rule.id == "STRIDE-I-011" && t.subject.key() == "mystery"));
    assert!(threats
        .iter()
        .any(|t| t.rule.id == "STRIDE-E-010" && t.subject.key() == "shared-vm"));
}

#[test]
fn threat_dragon_v2_geometry() {
    let m = load(&fx("models/td-v2.json"), "td-v2.json").expect("reads");
    assert_eq!(m.format, Format::ThreatDragon);
    let req = m.flows.iter().find(|f| f.name == "Requests").expect("flow");
    assert_eq!(
        req.crosses,
        vec!["box-1".to_string(), "curve-1".to_string()]
    );
    let q = m.flows.iter().find(|f| f.name == "Queries").expect("flow");
    assert!(q.crosses.is_empty(), "{:?}", q.crosses);
    assert_eq!(
        m.element("store-1").and_then(|e| e.boundary.clone()),
        Some("box-1".into())
    );
    assert!(m.warnings.iter().any(|w| w.message.contains("loose end")));
    // The model's own closed Tampering threat on the API tracks guard's.
    let threats = analyse(&m);
    let t = threats
        .iter()
        .find(|t| {
            t.rule.stride == guard_stride::rules::Stride::Tampering && t.subject.key() == "proc-1"
        })
        .expect("a tampering threat on the API");
    assert_eq!(
        t.tracked.as_ref().map(|t| t.0),
        Some(TrackStatus::Mitigated)
    );
    assert!(threats
        .iter()
        .any(|t| t.rule.id == "STRIDE-I-001" && t.subject.key() == "flow-1"));
}

#[test]
fn threat_dragon_v1() {
    let m = load(&fx("models/td-v1.json"), "td-v1.json").expect("reads");
    assert_eq!(m.elements.len(), 2);
    assert_eq!(m.element("a1").map(|e| e.name.as_str()), Some("Partner"));
    let f = &m.flows[0];
    assert_eq!(f.name, "Orders");
    assert_eq!(f.crosses, vec!["b1".to_string()]);
    assert_eq!(f.encrypted, Some(true));
}

#[test]
fn pytm_export() {
    let m = load(&fx("models/pytm-tm.json"), "pytm-tm.json").expect("reads");
    assert_eq!(m.format, Format::Pytm);
    let user = m.element("user").expect("actor");
    assert_eq!(user.kind, ElementKind::External);
    assert!(user.attrs.internet, "in the Internet boundary");
    let db = m.element("sql-database").expect("store");
    assert_eq!(db.kind, ElementKind::Store);
    let f = m
        .flows
        .iter()
        .find(|f| f.name == "User enters comments (*)")
        .expect("flow");
    assert_eq!(f.from, "user");
    assert!(!f.crosses.is_empty());
    assert!(!analyse(&m).is_empty());
}

#[test]
fn billion_laughs_is_bounded() {
    let e = err("bad/billion-laughs.threagile.yaml");
    assert!(e.starts_with("bad/billion-laughs.threagile.yaml:"), "{e}");
    assert!(e.contains("invalid YAML"), "{e}");
}

#[test]
fn cyclic_includes() {
    let e = err("bad/cyclic-a.yaml");
    assert!(
        e.contains("cyclic include: cyclic-a.yaml -> cyclic-b.yaml -> cyclic-a.yaml"),
        "{e}"
    );
}

#[test]
fn huge_model_is_refused_before_reading() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("huge.yaml");
    let f = std::fs::File::create(&p).expect("create");
    f.set_len(100 * 1024 * 1024).expect("sparse file");
    let e = load(&p, "huge.yaml").expect_err("too big").to_string();
    assert!(e.contains("more than the 16 MiB limit"), "{e}");
}

#[test]
fn wrong_types_unknown_keys_and_dangling_references() {
    let e = err("bad/wrong-types.yaml");
    assert!(e.starts_with("bad/wrong-types.yaml:5:"), "{e}");
    let e = err("bad/unknown-key.yaml");
    assert!(
        e.starts_with("bad/unknown-key.yaml:5:") && e.contains("interent"),
        "{e}"
    );
    let e = err("bad/dangling.yaml");
    assert!(
        e.contains("`to` names `nowhere`") && e.contains("`web` -> `nowhere`"),
        "{e}"
    );
    let e = err("bad/threagile-dangling.yaml");
    assert!(
        e.contains("`Lost` of `web`") && e.contains("`ghost`"),
        "{e}"
    );
}

#[test]
fn not_a_model() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("x.json");
    std::fs::write(&p, "{\"a\": 1}").expect("write");
    let e = load(&p, "x.json").expect_err("unknown");
    assert!(matches!(e, ModelError::File { .. }));
    std::fs::write(&p, [0xff, 0xfe, 0x00, 0x41]).expect("write");
    assert!(load(&p, "x.json")
        .expect_err("binary")
        .to_string()
        .contains("UTF-8"));
    std::fs::write(&p, "{\"summary\": ").expect("write");
    assert!(load(&p, "x.json")
        .expect_err("truncated")
        .to_string()
        .starts_with("x.json:1:"));
}

#[test]
fn threat_ids_survive_unrelated_edits() {
    let base = std::fs::read_to_string(fx("models/threagile-mini/model.yaml")).expect("read");
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(dir.path().join("parts")).expect("mkdir");
    std::fs::copy(
        fx("models/threagile-mini/parts/assets.yaml"),
        dir.path().join("parts/assets.yaml"),
    )
    .expect("copy");
    let p = dir.path().join("model.yaml");
    std::fs::write(&p, &base).expect("write");
    let a: Vec<String> = analyse(&load(&p, "m").expect("a"))
        .into_iter()
        .filter(|t| t.subject.key() == "db")
        .map(|t| t.id)
        .collect();
    // Rename the other asset's title, add a comment and move lines around.
    let edited = format!(
        "# a comment\n{}",
        base.replace("Mystery Service:", "Renamed Service:")
    );
    std::fs::write(&p, edited).expect("write");
    let b: Vec<String> = analyse(&load(&p, "m").expect("b"))
        .into_iter()
        .filter(|t| t.subject.key() == "db")
        .map(|t| t.id)
        .collect();
    assert!(!a.is_empty());
    assert_eq!(a, b);
}
