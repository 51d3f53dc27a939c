//! Shared helpers for end-to-end tests: locate the `guard` binary built by
//! `cargo test --workspace` and run it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// `target/<profile>/guard`, next to the directory holding this test binary.
pub fn guard_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("GUARD_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("test executable path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps layout");
    let bin = profile_dir.join(format!("guard{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} not built: run the tests with `cargo test --workspace`",
        bin.display()
    );
    bin
}

/// A `guard` command with a clean environment for reproducible output.
pub fn guard() -> Command {
    let mut c = Command::new(guard_bin());
    c.env_remove("GUARD_LOG")
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    c
}

/// `guard` with the misbehaving test layers switched on.
pub fn guard_with_test_layers() -> Command {
    let mut c = guard();
    c.env("GUARD_TEST_LAYERS", "1");
    c
}

pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let out: Output = cmd.output().expect("run guard");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A temporary directory holding `files` (relative paths, parents created).
pub fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, body) in files {
        let p = dir.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(p, body).expect("write");
    }
    dir
}
