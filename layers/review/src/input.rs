//! The prepared change every reviewer reads: per file the path, the whole new
//! text (and the old text rebuilt from it), the added line numbers, and the
//! functions the change touches with their spans and source.

use crate::lang::{self, Language};
use guard_core::diff::{ChangeOrigin, ChangedFile, FileStatus, LineKind};
use guard_core::walk::SkippedFile;
use guard_core::ChangeSet;
use std::collections::BTreeSet;
use std::path::{Component, Path};
use std::process::Command;

/// Largest file (either side) the reviewers read; bigger files are listed as
/// skipped.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// Where the whole new text of a file was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextSource {
    /// The file in the working tree.
    WorkTree,
    /// The git index (`git cat-file blob :path`), for `--staged`.
    Index,
    /// A revision (`git cat-file blob REV:path`), for `--diff A..B`.
    Revision(String),
    /// Rebuilt from the hunks alone (a patch whose new side is not in the
    /// working tree): lines outside the hunks are blank, so checks see only
    /// the changed regions and their context lines.
    Hunks,
}

/// A function (or method) the change touches, on the new side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedFunction {
    /// Its name (`Class.method` is not composed; the bare name).
    pub name: String,
    /// 1-based first and last line in the new text.
    pub start_line: u32,
    pub end_line: u32,
    /// Byte range in the new text.
    pub start_byte: usize,
    pub end_byte: usize,
    /// Its source text.
    pub source: String,
    /// Added lines inside it.
    pub changed_lines: Vec<u32>,
}

/// One changed file, prepared for review.
#[derive(Debug, Clone)]
pub struct FileInput {
    /// Path after the change, relative to the root, `/` separated.
    pub path: String,
    /// Path before the change when it was renamed.
    pub old_path: Option<String>,
    pub status: FileStatus,
    /// The language the checks parse it as, if any.
    pub language: Option<Language>,
    /// The whole new text (see [`FileInput::source`]).
    pub new_text: String,
    /// The old text, rebuilt from the new one by undoing the hunks (blank
    /// outside the hunks when the new text is [`TextSource::Hunks`]).
    pub old_text: String,
    pub source: TextSource,
    /// Line numbers (new side) the change adds or changes.
    pub changed: BTreeSet<u32>,
    /// Lines the change removes: old line number and text.
    pub removed: Vec<(u32, String)>,
    /// New-side lines where lines were removed (the line that now follows
    /// the removed ones): a finding about a removal is anchored there.
    pub removal_points: BTreeSet<u32>,
    /// Functions holding at least one added line.
    pub functions: Vec<ChangedFunction>,
}

impl FileInput {
    /// Whether the line is one the change adds.
    pub fn is_changed(&self, line: u32) -> bool {
        self.changed.contains(&line)
    }

    /// Whether a finding on lines `start..=end` is in scope: it covers an
    /// added line, or lies within `context` lines of one.
    pub fn in_scope(&self, start: u32, end: u32, context: u32) -> bool {
        let lo = start.saturating_sub(context);
        let hi = end.max(start).saturating_add(context);
        self.changed.range(lo..=hi).next().is_some()
            || self.removal_points.range(lo..=hi).next().is_some()
    }

    /// Whether the line is added or follows removed lines.
    pub fn is_touched(&self, line: u32) -> bool {
        self.changed.contains(&line) || self.removal_points.contains(&line)
    }

    /// Whether any line of `start..=end` is added.
    pub fn touches(&self, start: u32, end: u32) -> bool {
        self.changed.range(start..=end.max(start)).next().is_some()
    }

    /// The new text's lines (1-based access through `line - 1`).
    pub fn new_lines(&self) -> Vec<&str> {
        self.new_text.lines().collect()
    }
}

/// The change under review, prepared once and shared by every reviewer.
#[derive(Debug, Clone, Default)]
pub struct ReviewInput {
    pub files: Vec<FileInput>,
    /// Findings may lie this many lines away from an added line (`--context`).
    pub context: u32,
    /// Files of the change not reviewed, with the reason (binary, deleted,
    /// too large): the report lists them.
    pub skipped: Vec<SkippedFile>,
    /// Notes for the report (e.g. "new side rebuilt from the hunks").
    pub notes: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// A path of the diff leaves the root (absolute, or with `..`).
    #[error("path `{path}` in the diff escapes the reviewed root (absolute or with `..`); refusing to read it")]
    Escapes { path: String },
    #[error("{path}: {message}")]
    Read { path: String, message: String },
}

impl InputError {
    pub fn path(&self) -> &str {
        match self {
            InputError::Escapes { path } | InputError::Read { path, .. } => path,
        }
    }
}

/// A diff path that is relative and stays under the root.
pub fn check_path(path: &str) -> Result<(), InputError> {
    let p = Path::new(path);
    let bad = path.is_empty()
        || p.is_absolute()
        || path.starts_with('/')
        || path.starts_with('\\')
        || path.contains('\0')
        || (path.len() > 1 && path.as_bytes()[1] == b':')
        || p.components().any(|c| {
            matches!(
                c,
                Component::ParentDir | Component::RootDir | Component::Prefix(_)
            )
        })
        || path.split(['/', '\\']).any(|seg| seg == "..");
    if bad {
        return Err(InputError::Escapes {
            path: path.to_string(),
        });
    }
    Ok(())
}

/// Prepares `change` (read against `root`) for review. Every path is checked
/// first: one escaping the root fails the whole review.
pub fn prepare(
    root: &Path,
    change: &ChangeSet,
    context: u32,
    cancelled: &dyn Fn() -> bool,
) -> Result<ReviewInput, InputError> {
    for f in &change.files {
        for p in [&f.old_path, &f.new_path].into_iter().flatten() {
            check_path(p)?;
        }
    }
    let root_dir = if root.is_file() {
        root.parent().unwrap_or(Path::new("."))
    } else {
        root
    };
    let mut input = ReviewInput {
        context,
        ..ReviewInput::default()
    };
    for f in &change.files {
        if cancelled() {
            break;
        }
        let path = f.path().to_string();
        if f.binary {
            input.skipped.push(SkippedFile {
                path,
                reason: "binary file in the diff: not reviewed".into(),
            });
            continue;
        }
        if f.status == FileStatus::Deleted || f.new_path.is_none() {
            continue;
        }
        let changed: BTreeSet<u32> = f.added_lines().collect();
        let removed: Vec<(u32, String)> = f
            .hunks
            .iter()
            .flat_map(|h| h.lines.iter())
            .filter(|l| l.kind == LineKind::Removed)
            .filter_map(|l| Some((l.old_line?, l.text.clone())))
            .collect();
        let removal_points = removal_points(f);
        if changed.is_empty() && removed.is_empty() {
            continue;
        }
        let (new_text, source) = match read_new_side(root_dir, &change.origin, f)? {
            Some(found) => found,
            None => (rebuild_from_hunks(f), TextSource::Hunks),
        };
        if new_text.len() > MAX_FILE_BYTES {
            input.skipped.push(SkippedFile {
                path,
                reason: format!(
                    "larger than {} bytes ({} bytes): not reviewed",
                    MAX_FILE_BYTES,
                    new_text.len()
                ),
            });
            continue;
        }
        if source == TextSource::Hunks {
            input.notes.push(format!(
                "{path}: the new side is not in the working tree; reviewed from the hunks only"
            ));
        }
        let old_text = undo_hunks(&new_text, f);
        let language = Language::from_path(&path);
        let functions = match language {
            Some(lang) => changed_functions(lang, &new_text, &changed),
            None => Vec::new(),
        };
        input.files.push(FileInput {
            path,
            old_path: f
                .old_path
                .clone()
                .filter(|_| f.status == FileStatus::Renamed),
            status: f.status,
            language,
            new_text,
            old_text,
            source,
            changed,
            removed,
            removal_points,
            functions,
        });
    }
    Ok(input)
}

/// For each run of removed lines, the new-side line that follows it (or
/// precedes it at the end of a hunk).
fn removal_points(f: &ChangedFile) -> BTreeSet<u32> {
    let mut out = BTreeSet::new();
    for h in &f.hunks {
        let mut pending = false;
        let mut last_new = h.new_start;
        for l in &h.lines {
            match (l.kind, l.new_line) {
                (LineKind::Removed, _) => pending = true,
                (_, Some(n)) => {
                    if pending {
                        out.insert(n);
                        pending = false;
                    }
                    last_new = n;
                }
                _ => {}
            }
        }
        if pending {
            out.insert(last_new.max(1));
        }
    }
    out
}

/// The whole new side, from where the change's origin says it is. `None`
/// when it cannot be had (a patch whose new side is not the working tree's).
fn read_new_side(
    root: &Path,
    origin: &ChangeOrigin,
    f: &ChangedFile,
) -> Result<Option<(String, TextSource)>, InputError> {
    let path = f.path();
    let from_git =
        |spec: String, source: TextSource| -> Result<Option<(String, TextSource)>, InputError> {
            let out = Command::new("git")
                .arg("-C")
                .arg(root)
                .args(["-c", "core.fsmonitor=false", "cat-file", "blob", &spec])
                .output()
                .map_err(|e| InputError::Read {
                    path: path.to_string(),
                    message: format!("cannot run git: {e}"),
                })?;
            if !out.status.success() {
                return Err(InputError::Read {
                    path: path.to_string(),
                    message: format!(
                        "git cat-file blob {spec} failed: {}",
                        String::from_utf8_lossy(&out.stderr).trim()
                    ),
                });
            }
            Ok(Some((decode(path, &out.stdout)?, source)))
        };
    match origin {
        ChangeOrigin::Staged => from_git(format!(":{path}"), TextSource::Index),
        ChangeOrigin::Range { new: Some(rev), .. } => {
            from_git(format!("{rev}:{path}"), TextSource::Revision(rev.clone()))
        }
        ChangeOrigin::Range { new: None, .. } => {
            Ok(read_work_tree(root, path)?.map(|t| (t, TextSource::WorkTree)))
        }
        ChangeOrigin::Patch => {
            let Some(text) = read_work_tree(root, path)? else {
                return Ok(None);
            };
            Ok(matches_new_side(&text, f).then_some((text, TextSource::WorkTree)))
        }
    }
}

/// The working-tree file, if it exists and stays under the root (a symlink
/// out of the root is not followed).
fn read_work_tree(root: &Path, path: &str) -> Result<Option<String>, InputError> {
    let full = root.join(path);
    let Ok(meta) = std::fs::symlink_metadata(&full) else {
        return Ok(None);
    };
    if meta.file_type().is_symlink() {
        let (Ok(real), Ok(base)) = (full.canonicalize(), root.canonicalize()) else {
            return Ok(None);
        };
        if !real.starts_with(&base) {
            return Err(InputError::Read {
                path: path.to_string(),
                message: "symlink out of the reviewed root; not followed".into(),
            });
        }
    } else if !meta.is_file() {
        return Ok(None);
    }
    if meta.len() as usize > MAX_FILE_BYTES {
        return Ok(Some(" ".repeat(MAX_FILE_BYTES + 1)));
    }
    let bytes = std::fs::read(&full).map_err(|e| InputError::Read {
        path: path.to_string(),
        message: format!("cannot read: {e}"),
    })?;
    decode(path, &bytes).map(Some)
}

fn decode(path: &str, bytes: &[u8]) -> Result<String, InputError> {
    guard_core::walk::decode_text(path, bytes).map_err(|e| InputError::Read {
        path: path.to_string(),
        message: e.to_string(),
    })
}

/// Whether every context and added line of the hunks is in `text` where the
/// hunk says.
fn matches_new_side(text: &str, f: &ChangedFile) -> bool {
    let lines: Vec<&str> = text.lines().collect();
    f.hunks
        .iter()
        .flat_map(|h| h.lines.iter())
        .all(|l| match l.new_line {
            Some(n) if l.kind != LineKind::Removed => lines
                .get(n as usize - 1)
                .is_some_and(|t| t.trim_end_matches('\r') == l.text.trim_end_matches('\r')),
            _ => true,
        })
}

/// The new side from the hunks alone; lines outside them are blank so line
/// numbers stay right.
fn rebuild_from_hunks(f: &ChangedFile) -> String {
    let mut lines: Vec<&str> = Vec::new();
    for l in f.hunks.iter().flat_map(|h| h.lines.iter()) {
        if let (Some(n), true) = (l.new_line, l.kind != LineKind::Removed) {
            let i = n as usize - 1;
            if lines.len() <= i {
                lines.resize(i + 1, "");
            }
            lines[i] = &l.text;
        }
    }
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

/// The old side: the new text with every hunk undone.
pub fn undo_hunks(new_text: &str, f: &ChangedFile) -> String {
    let new: Vec<&str> = new_text.lines().collect();
    let mut out: Vec<&str> = Vec::with_capacity(new.len());
    let mut cursor = 0usize;
    for h in &f.hunks {
        // Index (0-based) of the hunk's first new line; an empty new range
        // names the line before it.
        let begin = if h.new_lines == 0 {
            h.new_start as usize
        } else {
            (h.new_start as usize).saturating_sub(1)
        };
        let begin = begin.min(new.len());
        if begin > cursor {
            out.extend_from_slice(&new[cursor..begin]);
        }
        for l in &h.lines {
            if l.kind != LineKind::Added {
                out.push(&l.text);
            }
        }
        cursor = (begin + h.new_lines as usize).max(cursor).min(new.len());
    }
    if cursor < new.len() {
        out.extend_from_slice(&new[cursor..]);
    }
    let mut s = out.join("\n");
    if !s.is_empty() {
        s.push('\n');
    }
    s
}

/// A function node's name, or the name it is bound to (`const f = () => ..`).
pub fn function_name(node: tree_sitter::Node<'_>, src: &[u8]) -> Option<String> {
    if let Some(n) = node.child_by_field_name("name") {
        return Some(lang::text(n, src).to_string());
    }
    let parent = node.parent()?;
    let bound = match parent.kind() {
        "variable_declarator" => parent.child_by_field_name("name"),
        "assignment_expression" | "assignment" => parent.child_by_field_name("left"),
        "pair" => parent.child_by_field_name("key"),
        _ => None,
    }?;
    Some(lang::text(bound, src).to_string())
}

/// Named functions of `text` that hold an added line, outer and nested ones
/// alike (a changed line in a nested function counts for both).
pub fn changed_functions(
    lang: Language,
    text: &str,
    changed: &BTreeSet<u32>,
) -> Vec<ChangedFunction> {
    let Some(tree) = lang.parse(text) else {
        return Vec::new();
    };
    let src = text.as_bytes();
    let mut out = Vec::new();
    for node in lang::descendants(tree.root_node(), lang, false) {
        if !lang.is_function(node.kind()) {
            continue;
        }
        let Some(name) = function_name(node, src) else {
            continue;
        };
        let (start, end) = (lang::line(node), lang::end_line(node));
        let lines: Vec<u32> = changed.range(start..=end).copied().collect();
        if lines.is_empty() {
            continue;
        }
        out.push(ChangedFunction {
            name,
            start_line: start,
            end_line: end,
            start_byte: node.start_byte(),
            end_byte: node.end_byte(),
            source: lang::text(node, src).to_string(),
            changed_lines: lines,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_paths_are_refused() {
        for bad in [
            "../../etc/passwd",
            "/etc/passwd",
            "a/../../b",
            "C:\\x",
            "..\\x",
            "",
        ] {
            assert!(check_path(bad).is_err(), "{bad}");
        }
        for good in ["a/b.py", "日本/x.go", "a..b/c", ".github/x.yml"] {
            assert!(check_path(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn old_side_is_rebuilt_by_undoing_hunks() {
        let d = "--- a/x\n+++ b/x\n@@ -1,3 +1,4 @@\n one\n-two\n+TWO\n+three\n four\n@@ -8,0 +10,1 @@\n+ten\n";
        let cs = ChangeSet::parse(d, "t").expect("parses");
        let new = "one\nTWO\nthree\nfour\n5\n6\n7\n8\n9\nten\n11\n";
        let old = undo_hunks(new, &cs.files[0]);
        assert_eq!(old, "one\ntwo\nfour\n5\n6\n7\n8\n9\n11\n");
        assert!(matches_new_side(new, &cs.files[0]));
        assert!(!matches_new_side("one\n", &cs.files[0]));
        let rebuilt = rebuild_from_hunks(&cs.files[0]);
        assert_eq!(rebuilt.lines().nth(9), Some("ten"));
        assert_eq!(rebuilt.lines().nth(5), Some(""));
    }

    #[test]
    fn changed_functions_are_the_innermost_named_ones() {
        let src =
            "class A:\n    def f(self):\n        return 1\n\n    def g(self):\n        return 2\n";
        let changed: BTreeSet<u32> = [6].into_iter().collect();
        let f = changed_functions(Language::Python, src, &changed);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].name, "g");
        assert_eq!((f[0].start_line, f[0].end_line), (5, 6));
    }
}
