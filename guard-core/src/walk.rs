//! The one source-tree walk every layer shares: honours .gitignore and config
//! excludes, caps file size, never leaves the root through a symlink, and turns
//! loops and unreadable entries into errors instead of silent gaps.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Files larger than this are skipped unless `[run] max_file_size` says otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 4 * 1024 * 1024;

/// What the walk leaves out.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WalkOptions {
    /// Gitignore-style globs of paths not read.
    pub excludes: Vec<String>,
    /// Larger files are skipped (and listed).
    pub max_file_size: u64,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            excludes: Vec::new(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// A file of the walk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the root, `/`-separated.
    pub rel_path: String,
    /// Path to open.
    pub abs_path: PathBuf,
    /// Size in bytes.
    pub size: u64,
}

impl SourceFile {
    /// The extension, lower-cased.
    pub fn extension(&self) -> Option<&str> {
        Path::new(&self.rel_path)
            .extension()
            .and_then(|e| e.to_str())
    }
    /// The last path component.
    pub fn file_name(&self) -> &str {
        self.rel_path.rsplit('/').next().unwrap_or(&self.rel_path)
    }
}

/// A file the walk passed over, and why (reported, not silent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SkippedFile {
    /// Relative to the root.
    pub path: String,
    /// Why it was not checked.
    pub reason: String,
}

/// Something the walk could not read. Any of these fails the run (exit 2):
/// a check that silently skipped part of the tree would be a silent pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct InputError {
    /// Relative to the root.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

/// The result of a walk.
#[derive(Debug, Clone, Default)]
pub struct FileSet {
    /// Files to check, in path order.
    pub files: Vec<SourceFile>,
    /// Files passed over, with the reason.
    pub skipped: Vec<SkippedFile>,
    /// What could not be read.
    pub errors: Vec<InputError>,
}

impl FileSet {
    /// Files whose extension is one of `exts` (lower case, no dot).
    pub fn with_extension<'a>(&'a self, exts: &'a [&str]) -> impl Iterator<Item = &'a SourceFile> {
        self.files
            .iter()
            .filter(move |f| f.extension().is_some_and(|e| exts.contains(&e)))
    }
}

/// Walks `root` (gitignore rules honoured, no symlink followed out of it).
pub fn walk(root: &Path, opts: &WalkOptions) -> FileSet {
    let mut set = FileSet::default();
    let root_display = root.display().to_string();
    let canon_root = match root.canonicalize() {
        Ok(r) => r,
        Err(e) => {
            set.errors.push(InputError {
                path: root_display,
                message: format!("cannot read: {e}"),
            });
            return set;
        }
    };
    if canon_root.is_file() {
        // A single file named on the command line.
        let size = canon_root.metadata().map(|m| m.len()).unwrap_or(0);
        let name = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        set.files.push(SourceFile {
            rel_path: name,
            abs_path: root.to_path_buf(),
            size,
        });
        return set;
    }

    let mut overrides = ignore::overrides::OverrideBuilder::new(root);
    for pat in &opts.excludes {
        if let Err(e) = overrides.add(&format!("!{pat}")) {
            set.errors.push(InputError {
                path: "guard.toml".into(),
                message: format!("bad exclude pattern `{pat}`: {e}"),
            });
        }
    }
    let overrides = match overrides.build() {
        Ok(o) => o,
        Err(e) => {
            set.errors.push(InputError {
                path: "guard.toml".into(),
                message: format!("bad exclude patterns: {e}"),
            });
            return set;
        }
    };

    let filter_root = canon_root.clone();
    // Symlinks the walk does not follow, named in the report.
    let left_out: std::sync::Arc<std::sync::Mutex<Vec<SkippedFile>>> = Default::default();
    let left_out_in_filter = std::sync::Arc::clone(&left_out);
    let filter_base = root.to_path_buf();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .ignore(true)
        .parents(true)
        // Followed so that loops are detected; the filter below keeps the walk inside the root.
        .follow_links(true)
        .overrides(overrides)
        .filter_entry(move |e| {
            if e.file_name() == ".git" {
                return false;
            }
            if e.path_is_symlink() {
                let reason = match e.path().canonicalize() {
                    Ok(t) if t.starts_with(&filter_root) => return true,
                    Ok(t) => format!(
                        "symlink to {} outside the scanned root (not followed)",
                        t.display()
                    ),
                    Err(_) => match std::fs::read_link(e.path()) {
                        Ok(t) => format!(
                            "symlink to {} which does not exist (not followed)",
                            t.display()
                        ),
                        Err(err) => format!("symlink that cannot be read: {err}"),
                    },
                };
                let path = rel_path(&filter_base, e.path());
                tracing::debug!("skipped {path}: {reason}");
                left_out_in_filter
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(SkippedFile { path, reason });
                return false;
            }
            true
        })
        .build();

    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                // A symlink to nothing fails before the filter sees it: named
                // as skipped like a symlink out of the root.
                if let Some(link) = dangling_link(&err) {
                    let reason = match std::fs::read_link(link) {
                        Ok(t) => format!(
                            "symlink to {} which does not exist (not followed)",
                            t.display()
                        ),
                        Err(e) => format!("symlink that cannot be read: {e}"),
                    };
                    let path = rel_path(root, link);
                    tracing::debug!("skipped {path}: {reason}");
                    set.skipped.push(SkippedFile { path, reason });
                    continue;
                }
                set.errors.push(walk_error(root, &err));
                continue;
            }
        };
        let path = entry.path();
        let Some(ft) = entry.file_type() else {
            continue;
        };
        if !ft.is_file() {
            continue;
        }
        let rel = rel_path(root, path);
        let size = match entry.metadata() {
            Ok(m) => m.len(),
            Err(e) => {
                set.errors.push(InputError {
                    path: rel,
                    message: format!("cannot read metadata: {e}"),
                });
                continue;
            }
        };
        if size > opts.max_file_size {
            let reason = format!(
                "larger than max_file_size ({size} > {} bytes)",
                opts.max_file_size
            );
            tracing::debug!("skipped {rel}: {reason}");
            set.skipped.push(SkippedFile { path: rel, reason });
            continue;
        }
        // A file that cannot be opened is an input error, as an unreadable
        // directory is: the layers would otherwise check less than asked.
        if let Err(e) = std::fs::File::open(path) {
            tracing::debug!("cannot read {rel}: {e}");
            set.errors.push(InputError {
                path: rel,
                message: format!("cannot read: {e}"),
            });
            continue;
        }
        tracing::trace!("walked {rel} ({size} bytes)");
        set.files.push(SourceFile {
            rel_path: rel,
            abs_path: path.to_path_buf(),
            size,
        });
    }
    // Symlinks leaving the root are filtered out above; list them so the gap is visible.
    set.skipped.extend(
        left_out
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .drain(..),
    );
    set.files.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    set.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    tracing::debug!(
        "walk of {}: {} file(s), {} skipped, {} error(s)",
        root.display(),
        set.files.len(),
        set.skipped.len(),
        set.errors.len()
    );
    set
}

/// The link of a walk error that is a symlink whose target does not exist.
fn dangling_link(err: &ignore::Error) -> Option<&Path> {
    let mut cur = err;
    let mut path = None;
    loop {
        match cur {
            ignore::Error::WithPath { path: p, err } => {
                path.get_or_insert(p.as_path());
                cur = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                cur = err
            }
            ignore::Error::Io(e) if e.kind() == std::io::ErrorKind::NotFound => break,
            _ => return None,
        }
    }
    let path = path?;
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    (is_link && std::fs::metadata(path).is_err()).then_some(path)
}

fn walk_error(root: &Path, err: &ignore::Error) -> InputError {
    let mut cur = err;
    let mut path = None;
    loop {
        match cur {
            ignore::Error::WithPath { path: p, err } => {
                path.get_or_insert_with(|| rel_path(root, p));
                cur = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                cur = err
            }
            ignore::Error::Loop { ancestor, child } => {
                let target = std::fs::read_link(child)
                    .map(|t| t.display().to_string())
                    .unwrap_or_else(|_| ancestor.display().to_string());
                let back_to = match rel_path(root, ancestor) {
                    a if a.is_empty() => format!("the scanned root {}", root.display()),
                    a => a,
                };
                return InputError {
                    path: rel_path(root, child),
                    message: format!(
                        "symlink loop: the link points to {target}, which leads back to {back_to} \
                         (remove the link or exclude it in guard.toml)"
                    ),
                };
            }
            ignore::Error::Io(e) => {
                return InputError {
                    path: path.unwrap_or_else(|| root.display().to_string()),
                    message: format!("cannot read: {e}"),
                }
            }
            other => {
                return InputError {
                    path: path.unwrap_or_else(|| root.display().to_string()),
                    message: other.to_string(),
                }
            }
        }
    }
}

/// `path` relative to `root`, `/`-separated.
pub fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s = rel.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        s.into_owned()
    } else {
        s.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// Why a file's text could not be had.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TextError {
    /// A NUL byte: not text.
    #[error("{path}: binary file (NUL byte at offset {offset}), expected text")]
    Binary {
        /// The file.
        path: String,
        /// Byte offset of the NUL.
        offset: usize,
    },
    /// Neither UTF-8 nor UTF-16 with a byte-order mark.
    #[error("{path}: not valid UTF-8 at byte {offset} (line {line}); expected UTF-8 or UTF-16 with a byte-order mark")]
    Encoding {
        /// The file.
        path: String,
        /// Byte offset of the first bad byte.
        offset: usize,
        /// Line of that byte.
        line: usize,
    },
    /// UTF-16 with an odd number of bytes.
    #[error("{path}: truncated UTF-16 (odd number of bytes)")]
    OddUtf16 {
        /// The file.
        path: String,
    },
    /// The file could not be read.
    #[error("{path}: {message}")]
    Io {
        /// The file (relative to the root when under it).
        path: String,
        /// What went wrong.
        message: String,
    },
}

impl TextError {
    /// The message without the leading path.
    pub fn reason(&self) -> String {
        let full = self.to_string();
        let path = match self {
            TextError::Binary { path, .. }
            | TextError::Encoding { path, .. }
            | TextError::OddUtf16 { path }
            | TextError::Io { path, .. } => path,
        };
        full.strip_prefix(&format!("{path}: "))
            .map(str::to_string)
            .unwrap_or(full)
    }
}

/// Decode file bytes: UTF-8 (BOM optional) or UTF-16 LE/BE with a BOM.
pub fn decode_text(path: &str, bytes: &[u8]) -> Result<String, TextError> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(path, rest);
    }
    let utf16 = |rest: &[u8], le: bool| -> Result<String, TextError> {
        if rest.len() % 2 != 0 {
            return Err(TextError::OddUtf16 { path: path.into() });
        }
        let units = rest.chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .enumerate()
            .map(|(i, r)| {
                r.map_err(|_| TextError::Encoding {
                    path: path.into(),
                    offset: 2 + i * 2,
                    line: 0,
                })
            })
            .collect()
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, false);
    }
    if let Some(offset) = bytes.iter().take(8192).position(|&b| b == 0) {
        return Err(TextError::Binary {
            path: path.into(),
            offset,
        });
    }
    utf8(path, bytes)
}

fn utf8(path: &str, bytes: &[u8]) -> Result<String, TextError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let offset = e.valid_up_to();
            let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(TextError::Encoding {
                path: path.into(),
                offset,
                line,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_boms_and_rejects_binary() {
        assert_eq!(decode_text("a", b"\xEF\xBB\xBFhi").as_deref(), Ok("hi"));
        assert_eq!(decode_text("a", b"\xFF\xFEh\0i\0").as_deref(), Ok("hi"));
        assert_eq!(decode_text("a", b"\xFE\xFF\0h\0i").as_deref(), Ok("hi"));
        assert!(matches!(
            decode_text("a", b"ab\0cd"),
            Err(TextError::Binary { offset: 2, .. })
        ));
        let e = decode_text("a.tf", b"ok\nbad \xC3\x28").expect_err("latin1");
        assert_eq!(
            e,
            TextError::Encoding {
                path: "a.tf".into(),
                offset: 7,
                line: 2
            }
        );
        assert!(matches!(
            decode_text("a", b"\xFF\xFEh"),
            Err(TextError::OddUtf16 { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn walk_respects_gitignore_excludes_and_symlinks() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("src")).expect("mkdir");
        std::fs::create_dir_all(root.join("vendor")).expect("mkdir");
        std::fs::write(root.join(".gitignore"), "build/\n").expect("write");
        std::fs::create_dir_all(root.join("build")).expect("mkdir");
        std::fs::write(root.join("build/out.tf"), "x").expect("write");
        std::fs::write(root.join("src/main.tf"), "x").expect("write");
        std::fs::write(root.join("vendor/v.tf"), "x").expect("write");
        std::fs::write(root.join("big.tf"), vec![b'a'; 100]).expect("write");
        let outside = tempfile::tempdir().expect("tempdir");
        std::fs::write(outside.path().join("secret.tf"), "x").expect("write");
        std::os::unix::fs::symlink(outside.path(), root.join("escape")).expect("symlink");
        std::os::unix::fs::symlink(root.join("gone.tf"), root.join("dangling.tf"))
            .expect("symlink");
        let set = walk(
            root,
            &WalkOptions {
                excludes: vec!["vendor/**".into()],
                max_file_size: 50,
            },
        );
        let paths: Vec<_> = set.files.iter().map(|f| f.rel_path.as_str()).collect();
        assert_eq!(paths, vec![".gitignore", "src/main.tf"]);
        let skipped: Vec<_> = set.skipped.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(skipped, vec!["big.tf", "dangling.tf", "escape"]);
        assert!(
            set.skipped[1].reason.contains("does not exist"),
            "{:?}",
            set.skipped
        );
        assert!(
            set.skipped[2].reason.contains("outside the scanned root"),
            "{:?}",
            set.skipped
        );
        assert!(set.errors.is_empty(), "{:?}", set.errors);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("a")).expect("mkdir");
        std::os::unix::fs::symlink(root.join("a"), root.join("a/loop")).expect("symlink");
        let set = walk(root, &WalkOptions::default());
        assert_eq!(set.errors.len(), 1, "{:?}", set.errors);
        let m = &set.errors[0].message;
        assert!(m.contains("symlink loop"), "{m}");
        assert!(m.contains(&root.join("a").display().to_string()), "{m}");
    }
}
