//! `plan_init` and `apply` on committed projects (`tests/fixtures/init/`),
//! with the resulting files and the dry-run diff snapshotted.

#![allow(clippy::unwrap_used)]

mod common;

use common::fixed_rules;
use guard_agent_policy::init::{self, InitOptions};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/init")
        .join(name)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

fn options() -> InitOptions {
    InitOptions {
        write_config: true,
        ..InitOptions::default()
    }
}

#[test]
fn existing_project() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("existing"), dir.path());
    let plan = init::plan_init(dir.path(), &fixed_rules(), &options()).unwrap();
    insta::assert_snapshot!("existing-diff", plan.diff());
    init::apply(&plan).unwrap();
    insta::assert_snapshot!(
        "existing-CLAUDE.md",
        std::fs::read_to_string(dir.path().join("CLAUDE.md")).unwrap()
    );
    insta::assert_snapshot!(
        "existing-settings.json",
        std::fs::read_to_string(dir.path().join(".claude/settings.json")).unwrap()
    );
    let again = init::plan_init(dir.path(), &fixed_rules(), &options()).unwrap();
    assert!(again.is_empty(), "{}", again.diff());
}

#[test]
fn empty_project() {
    let dir = tempfile::tempdir().unwrap();
    let plan = init::plan_init(dir.path(), &fixed_rules(), &options()).unwrap();
    let paths: Vec<&str> = plan.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["CLAUDE.md", ".claude/settings.json", "guard.toml"]);
    init::apply(&plan).unwrap();
    insta::assert_snapshot!(
        "empty-settings.json",
        std::fs::read_to_string(dir.path().join(".claude/settings.json")).unwrap()
    );
    assert!(init::plan_init(dir.path(), &fixed_rules(), &options())
        .unwrap()
        .is_empty());
}

#[test]
fn block_lives_in_dot_claude_when_only_that_file_exists() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".claude")).unwrap();
    std::fs::write(dir.path().join(".claude/CLAUDE.md"), "# Notes\n").unwrap();
    let plan = init::plan_init(dir.path(), &fixed_rules(), &InitOptions::default()).unwrap();
    assert_eq!(plan.files[0].path, ".claude/CLAUDE.md");
}
