//! `secrets::history::scan_repo` on throw-away repositories built with the
//! `git` command: a secret added and then removed is still found, at the
//! commit that added it.

use guard_owasp::secrets::history::{scan_repo, HistoryError, HistoryOptions};
use guard_owasp::secrets::{testkit, to_finding};
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn commit_all(dir: &Path, msg: &str, date: &str) -> String {
    git(dir, &["add", "-A"]);
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@invalid",
            "-c",
            "commit.gpgsign=false",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            msg,
        ])
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .current_dir(dir)
        .output()
        .expect("git commit runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    git(dir, &["rev-parse", "HEAD"])
}

#[test]
fn secret_added_then_removed_is_found_at_its_commit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    git(root, &["init", "-q"]);
    let token = testkit::github_classic(42);
    std::fs::write(root.join("README.md"), "# demo\n").expect("write");
    let c1 = commit_all(root, "init", "2024-01-01T00:00:00Z");
    std::fs::write(
        root.join("config.py"),
        format!("TOKEN = \"{token}\"\nDEBUG = True\n"),
    )
    .expect("write");
    let c2 = commit_all(root, "add config", "2024-01-02T00:00:00Z");
    // Still there after an unrelated edit of the same file (a new blob).
    std::fs::write(
        root.join("config.py"),
        format!("TOKEN = \"{token}\"\nDEBUG = False\n"),
    )
    .expect("write");
    commit_all(root, "edit config", "2024-01-03T00:00:00Z");
    std::fs::write(
        root.join("config.py"),
        "import os\nTOKEN = os.environ[\"TOKEN\"]\n",
    )
    .expect("write");
    let c4 = commit_all(root, "remove secret", "2024-01-04T00:00:00Z");
    // A lock file is skipped even in history.
    std::fs::write(root.join("Cargo.lock"), format!("# {token}\n")).expect("write");
    commit_all(root, "lock", "2024-01-05T00:00:00Z");

    let scan = scan_repo(root, &HistoryOptions::default()).expect("scan");
    assert_eq!(scan.commits_scanned, 5);
    assert!(scan.truncated.is_none());
    assert_eq!(scan.hits.len(), 1, "{:?}", scan.hits);
    let hit = &scan.hits[0];
    assert_eq!(hit.rule_id, "OWASP-SECRET-003");
    assert_eq!(hit.path, "config.py");
    assert_eq!(hit.start.line, 1);
    assert_eq!(hit.commit.as_deref(), Some(c2.as_str()));
    assert!(!hit.evidence.contains(&token));
    assert!(scan
        .skipped
        .iter()
        .any(|(_, p, r)| p == "Cargo.lock" && r == "lock file"));
    assert_ne!(c1, c4);

    let f = to_finding(hit);
    assert_eq!(f.resource.as_deref(), Some(format!("commit:{c2}").as_str()));
    assert_eq!(
        f.location.as_ref().map(|l| l.path.as_str()),
        Some("config.py")
    );
    assert!(f.message.contains(&c2[..12]));
    assert!(!f
        .location
        .and_then(|l| l.snippet)
        .unwrap_or_default()
        .contains(&token));

    // Bounded: one commit from HEAD sees none of it, and says it stopped.
    let opts = HistoryOptions {
        max_commits: 1,
        ..HistoryOptions::default()
    };
    let short = scan_repo(root, &opts).expect("scan");
    assert_eq!(short.commits_scanned, 1);
    assert!(short.hits.is_empty());
    assert!(short.truncated.is_some());

    // Cancelled before the first commit: nothing scanned, and said so.
    let cancelled = HistoryOptions {
        cancel: Some(std::sync::Arc::new(std::sync::atomic::AtomicBool::new(
            true,
        ))),
        ..HistoryOptions::default()
    };
    let none = scan_repo(root, &cancelled).expect("scan");
    assert_eq!(none.commits_scanned, 0);
    assert!(none.truncated.is_some_and(|t| t.contains("cancelled")));
}

#[test]
fn same_blob_at_two_paths_is_scanned_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    git(root, &["init", "-q"]);
    let text = format!("KEY = \"{}\"\n", testkit::npm(7));
    std::fs::write(root.join("a.py"), &text).expect("write");
    std::fs::create_dir(root.join("b")).expect("mkdir");
    std::fs::write(root.join("b/a.py"), &text).expect("write");
    commit_all(root, "two copies", "2024-02-01T00:00:00Z");
    let scan = scan_repo(root, &HistoryOptions::default()).expect("scan");
    assert_eq!(scan.blobs_scanned, 1);
    let mut paths: Vec<&str> = scan.hits.iter().map(|h| h.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(paths, ["a.py", "b/a.py"]);
}

#[test]
fn empty_repository_and_non_repository() {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "-q"]);
    let scan = scan_repo(dir.path(), &HistoryOptions::default()).expect("empty repo scans");
    assert_eq!(scan.commits_scanned, 0);
    assert!(scan.hits.is_empty());

    let plain = tempfile::tempdir().expect("tempdir");
    // Keep discovery from walking up into an enclosing repository.
    let err = scan_repo(&plain.path().join("missing"), &HistoryOptions::default());
    assert!(
        matches!(err, Err(HistoryError::NotARepository { .. })),
        "{err:?}"
    );
}

#[test]
fn binary_and_invalid_utf8_blobs_do_not_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    git(root, &["init", "-q"]);
    std::fs::write(root.join("blob.py"), b"\x00\x01\x02ELF\xff\xfe").expect("write");
    let mut bad = b"x = '\xff\xfe'\nTOKEN = '".to_vec();
    bad.extend_from_slice(testkit::github_classic(3).as_bytes());
    bad.extend_from_slice(b"'\n");
    std::fs::write(root.join("latin1.py"), bad).expect("write");
    commit_all(root, "odd files", "2024-03-01T00:00:00Z");
    let scan = scan_repo(root, &HistoryOptions::default()).expect("scan");
    assert_eq!(scan.hits.len(), 1);
    assert_eq!(scan.hits[0].start.line, 2);
    assert!(scan
        .skipped
        .iter()
        .any(|(_, p, r)| p == "blob.py" && r.starts_with("binary")));
}
