//! Secrets in the git history: every blob a commit added or changed, scanned
//! once (per kind of path: test, config, script), with the commit that
//! introduced each secret.
//!
//! The walk uses gix (no `git` process): commits from `HEAD` newest first,
//! each diffed against its first parent (a root commit against the empty
//! tree). A blob is scanned once however many commits or paths carry it. A
//! secret still present in later versions of a file is reported once, at the
//! oldest commit that has it, with that commit in the hit and in the finding's
//! `resource`.

use super::{filters, scan_bytes, FileScan, ScanOptions, SecretHit};
use gix::bstr::ByteSlice;
use gix::object::tree::diff::ChangeDetached;
use gix::revision::walk::{CommitTimeOrder, Sorting};
use gix::ObjectId;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Bounds of a history scan.
#[derive(Debug, Clone)]
pub struct HistoryOptions {
    /// Stop after this many commits (the scan says it was cut short).
    pub max_commits: usize,
    /// Stop once this many blob bytes were scanned.
    pub max_bytes: u64,
    /// Per-file options (entropy, size limit, ...).
    pub scan: ScanOptions,
    /// Stop when this is set (checked between commits).
    pub cancel: Option<Arc<AtomicBool>>,
    /// Stop at this instant.
    pub deadline: Option<Instant>,
}

impl Default for HistoryOptions {
    fn default() -> Self {
        HistoryOptions {
            max_commits: 10_000,
            max_bytes: 2 * 1024 * 1024 * 1024,
            scan: ScanOptions::default(),
            cancel: None,
            deadline: None,
        }
    }
}

/// What a history scan found and how much of the history it covered.
#[derive(Debug, Clone, Default, Serialize)]
pub struct HistoryScan {
    /// One hit per secret and path, at the oldest commit that has it.
    pub hits: Vec<SecretHit>,
    pub commits_scanned: usize,
    pub blobs_scanned: usize,
    pub bytes_scanned: u64,
    /// Blobs not scanned: `(commit, path, reason)`.
    pub skipped: Vec<(String, String, String)>,
    /// Why the walk stopped before the root commit, if it did. A truncated
    /// scan has not looked at the older history.
    pub truncated: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("{path}: not a git repository ({message})")]
    NotARepository { path: PathBuf, message: String },
    #[error("{path}: cannot read the git history: {what}: {message}")]
    Git {
        path: PathBuf,
        what: String,
        message: String,
    },
}

/// The work tree of the repository at (or above) `path`, `None` for a bare
/// repository; an error when `path` is in no git repository.
pub fn work_dir(path: &Path) -> Result<Option<PathBuf>, HistoryError> {
    let repo = gix::discover(path).map_err(|e| HistoryError::NotARepository {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    Ok(repo.workdir().map(Path::to_path_buf))
}

/// Scans the history reachable from `HEAD` of the repository at (or above)
/// `path`. A repository without commits yields an empty scan.
pub fn scan_repo(path: &Path, opts: &HistoryOptions) -> Result<HistoryScan, HistoryError> {
    let repo = gix::discover(path).map_err(|e| HistoryError::NotARepository {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    let git = |what: &str| {
        let path = path.to_owned();
        let what = what.to_owned();
        move |e: gix::Error| HistoryError::Git {
            path,
            what,
            message: e.to_string(),
        }
    };
    let head = repo.head().map_err(git("reading HEAD"))?;
    if head.is_unborn() {
        return Ok(HistoryScan::default());
    }
    let head_id = repo.head_id().map_err(git("resolving HEAD"))?.detach();
    let walk = repo
        .rev_walk([head_id])
        .sorting(Sorting::ByCommitTime(CommitTimeOrder::NewestFirst))
        .all()
        .map_err(git("starting the commit walk"))?;

    let mut out = HistoryScan::default();
    // (blob id, what the path says about the file) -> its hits (without
    // commit); each blob is scanned once per kind of path it appears under.
    let mut blob_cache: HashMap<(ObjectId, u8), Vec<SecretHit>> = HashMap::new();
    let mut skipped_blobs: HashSet<(ObjectId, u8)> = HashSet::new();
    // (fingerprint, path) -> index in out.hits; the walk is newest first, so
    // a later sighting is an older commit and replaces the commit id.
    let mut seen: HashMap<(String, String), usize> = HashMap::new();

    for info in walk {
        if opts
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
            || opts.deadline.is_some_and(|d| Instant::now() >= d)
        {
            out.truncated = Some(format!(
                "cancelled or out of time after {} commits",
                out.commits_scanned
            ));
            break;
        }
        if out.commits_scanned >= opts.max_commits {
            out.truncated = Some(format!(
                "stopped at the limit of {} commits",
                opts.max_commits
            ));
            break;
        }
        let info = info.map_err(git("walking commits"))?;
        let commit_id = info.id;
        let commit_hex = commit_id.to_string();
        let commit = repo
            .find_commit(commit_id)
            .map_err(git("reading a commit"))?;
        let tree = commit.tree().map_err(git("reading a commit tree"))?;
        let parent_tree = match info.parent_ids().next() {
            Some(p) => Some(
                repo.find_commit(p.detach())
                    .map_err(git("reading a parent commit"))?
                    .tree()
                    .map_err(git("reading a parent tree"))?,
            ),
            None => None,
        };
        let changes = repo
            .diff_tree_to_tree(
                parent_tree.as_ref(),
                Some(&tree),
                gix::diff::Options::default(),
            )
            .map_err(git("diffing a commit against its parent"))?;
        out.commits_scanned += 1;

        for change in changes {
            let (location, id, mode) = match change {
                ChangeDetached::Addition {
                    location,
                    id,
                    entry_mode,
                    ..
                }
                | ChangeDetached::Modification {
                    location,
                    id,
                    entry_mode,
                    ..
                } => (location, id, entry_mode),
                _ => continue,
            };
            if !mode.is_blob() {
                continue;
            }
            let file = location.to_str_lossy().into_owned();
            if let Some(reason) = filters::skip_by_path(&file) {
                out.skipped.push((commit_hex.clone(), file, reason.into()));
                continue;
            }
            let key = (id, path_kind(&file));
            if skipped_blobs.contains(&key) {
                continue;
            }
            let hits = match blob_cache.get(&key) {
                Some(h) => h.clone(),
                None => {
                    if out.bytes_scanned >= opts.max_bytes {
                        out.truncated = Some(format!(
                            "stopped at the limit of {} scanned bytes",
                            opts.max_bytes
                        ));
                        break;
                    }
                    let blob = repo.find_blob(id).map_err(git("reading a blob"))?;
                    out.bytes_scanned += blob.data.len() as u64;
                    out.blobs_scanned += 1;
                    match scan_bytes(&file, &blob.data, &opts.scan) {
                        FileScan::Scanned(h) => {
                            blob_cache.insert(key, h.clone());
                            h
                        }
                        FileScan::Skipped(reason) => {
                            skipped_blobs.insert(key);
                            out.skipped.push((commit_hex.clone(), file, reason));
                            continue;
                        }
                    }
                }
            };
            for mut h in hits {
                h.path.clone_from(&file);
                h.commit = Some(commit_hex.clone());
                match seen.get(&(h.fingerprint.clone(), file.clone())) {
                    Some(&i) => out.hits[i] = h,
                    None => {
                        seen.insert((h.fingerprint.clone(), file.clone()), out.hits.len());
                        out.hits.push(h);
                    }
                }
            }
        }
        if out.truncated.is_some() {
            break;
        }
    }
    Ok(out)
}

/// The parts of a path that change how a blob is scanned: test code (lower
/// severity), config file (bare values are literals), script or stylesheet
/// (minified detection).
fn path_kind(path: &str) -> u8 {
    let lower = path.to_ascii_lowercase();
    u8::from(filters::classify_path(path) == filters::PathClass::Test)
        | u8::from(filters::is_config_file(path)) << 1
        | u8::from(
            [".js", ".mjs", ".cjs", ".css"]
                .iter()
                .any(|e| lower.ends_with(e)),
        ) << 2
}
