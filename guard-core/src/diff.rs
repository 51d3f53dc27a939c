//! The change under review: files and line ranges from a unified diff, read from
//! `git diff` (staged or a revision range) or from a patch file.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::process::Command;

/// What a change did to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    /// New file.
    Added,
    /// Removed file.
    Deleted,
    /// Changed in place.
    Modified,
    /// Moved (perhaps also changed).
    Renamed,
}

/// One line of a hunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LineKind {
    /// Unchanged.
    Context,
    /// Added by the change.
    Added,
    /// Removed by the change.
    Removed,
}

/// A line of a hunk with its numbers on each side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DiffLine {
    /// Added, removed or context.
    pub kind: LineKind,
    /// Line number in the old file (not for added lines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_line: Option<u32>,
    /// Line number in the new file (not for removed lines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_line: Option<u32>,
    /// The line without its `+`/`-`/` ` marker.
    pub text: String,
}

/// One `@@` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Hunk {
    /// First line in the old file.
    pub old_start: u32,
    /// Number of old lines.
    pub old_lines: u32,
    /// First line in the new file.
    pub new_start: u32,
    /// Number of new lines.
    pub new_lines: u32,
    /// Text after the second `@@` (often the enclosing function).
    #[serde(default)]
    pub section: String,
    /// The lines.
    pub lines: Vec<DiffLine>,
}

/// One file of a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ChangedFile {
    /// `None` for an added file.
    pub old_path: Option<String>,
    /// `None` for a deleted file.
    pub new_path: Option<String>,
    /// What happened to it.
    pub status: FileStatus,
    /// A binary file (no hunks).
    #[serde(default)]
    pub binary: bool,
    /// Its hunks, in order.
    pub hunks: Vec<Hunk>,
}

impl ChangedFile {
    /// The path the file has after the change (or had, when deleted).
    pub fn path(&self) -> &str {
        self.new_path
            .as_deref()
            .or(self.old_path.as_deref())
            .unwrap_or("")
    }

    /// Line numbers (in the new file) that the change adds.
    pub fn added_lines(&self) -> impl Iterator<Item = u32> + '_ {
        self.hunks
            .iter()
            .flat_map(|h| h.lines.iter())
            .filter(|l| l.kind == LineKind::Added)
            .filter_map(|l| l.new_line)
    }
}

/// Where a change came from, so a layer knows where to read the whole new
/// (and old) side of a file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChangeOrigin {
    /// A patch file or standard input: only the diff text is known.
    #[default]
    Patch,
    /// `git diff --cached`: old side `HEAD`, new side the index.
    Staged,
    /// `git diff OLD NEW` (`new: None`: the working tree).
    Range {
        /// The old revision.
        old: String,
        /// The new revision; `None` is the working tree.
        new: Option<String>,
    },
}

/// The largest diff text guard reads (from a file, standard input or git):
/// a bigger one is an input error, not unbounded work.
pub const MAX_DIFF_BYTES: usize = 32 * 1024 * 1024;

/// A parsed diff.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ChangeSet {
    /// Every changed file.
    pub files: Vec<ChangedFile>,
    /// Where the diff came from.
    #[serde(default)]
    pub origin: ChangeOrigin,
}

/// Why a change could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// The diff text is not a unified diff.
    #[error("{source_name}:{line}: {message}")]
    Malformed {
        /// The diff's source (file or git command).
        source_name: String,
        /// 1-based line of the problem.
        line: usize,
        /// What was expected.
        message: String,
    },
    /// git failed or is missing.
    #[error("{0}")]
    Git(String),
    /// A patch file could not be read.
    #[error("{path}: {message}")]
    Read {
        /// The file (relative to the root when under it).
        path: String,
        /// What went wrong.
        message: String,
    },
}

impl ChangeSet {
    /// The changed file at `path` (new side).
    pub fn file(&self, path: &str) -> Option<&ChangedFile> {
        self.files
            .iter()
            .find(|f| f.new_path.as_deref() == Some(path))
    }

    /// Whether `line` of `path` (new side) is added by the change.
    pub fn touches(&self, path: &str, line: u32) -> bool {
        self.file(path)
            .is_some_and(|f| f.added_lines().any(|l| l == line))
    }

    /// Read a patch file. The file must be UTF-8; a diff of a file in another
    /// encoding still parses if its headers are ASCII (invalid bytes are replaced).
    /// Files over [`MAX_DIFF_BYTES`] are an error.
    pub fn from_patch_file(path: &Path) -> Result<ChangeSet, DiffError> {
        let name = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|e| DiffError::Read {
            path: name.clone(),
            message: e.to_string(),
        })?;
        ChangeSet::from_reader(file, &name)
    }

    /// Reads a unified diff from `reader` (standard input, say), at most
    /// [`MAX_DIFF_BYTES`]; `name` names it in errors. Binary data (a NUL
    /// byte) and more than the limit are errors.
    pub fn from_reader(reader: impl std::io::Read, name: &str) -> Result<ChangeSet, DiffError> {
        use std::io::Read as _;
        let mut bytes = Vec::new();
        reader
            .take(MAX_DIFF_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| DiffError::Read {
                path: name.to_string(),
                message: e.to_string(),
            })?;
        ChangeSet::from_bytes(&bytes, name)
    }

    fn from_bytes(bytes: &[u8], name: &str) -> Result<ChangeSet, DiffError> {
        if bytes.len() > MAX_DIFF_BYTES {
            return Err(DiffError::Read {
                path: name.to_string(),
                message: format!(
                    "diff larger than the limit of {} MiB; review it in parts (e.g. per directory with `git diff -- DIR`)",
                    MAX_DIFF_BYTES / (1024 * 1024)
                ),
            });
        }
        if let Some(at) = bytes.iter().position(|&b| b == 0) {
            return Err(DiffError::Read {
                path: name.to_string(),
                message: format!("binary data (NUL byte at offset {at}), expected a unified diff"),
            });
        }
        let text = String::from_utf8_lossy(bytes);
        ChangeSet::parse(&text, name)
    }

    /// `git diff --cached` in `root`.
    pub fn staged(root: &Path) -> Result<ChangeSet, DiffError> {
        let out = git_diff(root, &["--cached"])?;
        let mut cs = ChangeSet::parse(&out, "git diff --cached")?;
        cs.origin = ChangeOrigin::Staged;
        Ok(cs)
    }

    /// `git diff HEAD` in `root`: the working tree's changes, staged or not.
    pub fn working_tree(root: &Path) -> Result<ChangeSet, DiffError> {
        let out = git_diff(root, &["HEAD"])?;
        let mut cs = ChangeSet::parse(&out, "git diff HEAD")?;
        cs.origin = ChangeOrigin::Range {
            old: "HEAD".into(),
            new: None,
        };
        Ok(cs)
    }

    /// `git diff A B` for a range written `A..B` (or `A...B`, the merge base form).
    pub fn range(root: &Path, range: &str) -> Result<ChangeSet, DiffError> {
        if range.starts_with('-') {
            return Err(DiffError::Git(format!(
                "invalid revision range `{range}` (expected A..B)"
            )));
        }
        let out = git_diff(root, &[range])?;
        let mut cs = ChangeSet::parse(&out, &format!("git diff {range}"))?;
        cs.origin = match range.split_once("...").or_else(|| range.split_once("..")) {
            Some((a, b)) => ChangeOrigin::Range {
                old: if a.is_empty() {
                    "HEAD".into()
                } else {
                    a.into()
                },
                new: Some(if b.is_empty() {
                    "HEAD".into()
                } else {
                    b.into()
                }),
            },
            None => ChangeOrigin::Range {
                old: range.into(),
                new: None,
            },
        };
        Ok(cs)
    }

    /// Parse unified diff text (plain `diff -u` or git's extended format).
    ///
    /// Empty text (or only whitespace) is an empty change. Any other text must
    /// hold at least one file: a `diff --git` header (which may carry no hunk:
    /// an empty new file, a mode change, a binary file, a pure rename) or a
    /// `---`/`+++` pair followed by hunks. Text with neither, a `---`/`+++`
    /// pair without a hunk, and a hunk cut short of its header's line counts
    /// are errors naming the line.
    pub fn parse(text: &str, source_name: &str) -> Result<ChangeSet, DiffError> {
        if text.trim().is_empty() {
            return Ok(ChangeSet::default());
        }
        Parser {
            source_name,
            files: Vec::new(),
            in_git_header: false,
            plain_header_line: None,
        }
        .run(text)
    }
}

/// The folder git runs in: `root`, or the folder holding it when it is a file.
fn git_dir_of(root: &Path) -> &Path {
    if root.is_file() {
        match root.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        }
    } else {
        root
    }
}

/// One line saying `dir` is not in a git work tree, instead of git's usage text.
fn require_work_tree(dir: &Path, what: &str) -> Result<(), DiffError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .map_err(|e| DiffError::Git(format!("cannot run git: {e}")))?;
    if out.status.success() && out.stdout.starts_with(b"true") {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        return Err(DiffError::Git(format!(
            "{}: not inside a git work tree ({what} needs one)",
            dir.display()
        )));
    }
    if stderr.contains("not a git repository") {
        return Err(DiffError::Git(format!(
            "{}: not a git repository ({what} needs one; use --patch FILE to review a diff file)",
            dir.display()
        )));
    }
    let first = stderr.lines().next().unwrap_or("").trim();
    Err(DiffError::Git(format!(
        "{}: git cannot read the repository: {first}",
        dir.display()
    )))
}

fn git_diff(root: &Path, args: &[&str]) -> Result<String, DiffError> {
    let root = git_dir_of(root);
    let what = match args.first() {
        Some(&"--cached") => "--staged".to_string(),
        Some(range) => format!("--diff {range}"),
        None => "--diff".to_string(),
    };
    require_work_tree(root, &what)?;
    // The repository's own config must not run anything: no external diff
    // drivers, no textconv filters, no fsmonitor hook.
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.quotepath=false",
            "diff",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--find-renames",
        ])
        .args(args)
        .arg("--")
        .output()
        .map_err(|e| DiffError::Git(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        // git's first line says what went wrong; the rest is usage text.
        let stderr = String::from_utf8_lossy(&out.stderr);
        let first = stderr
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("no message");
        return Err(DiffError::Git(format!(
            "git diff {} failed in {}: {first}",
            args.join(" "),
            root.display(),
        )));
    }
    if out.stdout.len() > MAX_DIFF_BYTES {
        return Err(DiffError::Git(format!(
            "git diff {}: diff larger than the limit of {} MiB; review it in parts (`git diff -- DIR`)",
            args.join(" "),
            MAX_DIFF_BYTES / (1024 * 1024)
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

struct Parser<'a> {
    source_name: &'a str,
    files: Vec<ChangedFile>,
    /// A `diff --git` header was read and its `---`/`+++` lines may follow.
    in_git_header: bool,
    /// Line of the last `---`/`+++` pair while it has no hunk yet.
    plain_header_line: Option<usize>,
}

impl Parser<'_> {
    fn err(&self, line: usize, message: impl Into<String>) -> DiffError {
        DiffError::Malformed {
            source_name: self.source_name.to_string(),
            line,
            message: message.into(),
        }
    }

    fn run(mut self, text: &str) -> Result<ChangeSet, DiffError> {
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let mut i = 0;
        while i < lines.len() {
            let line = trim_eol(lines[i]);
            if let Some(rest) = line.strip_prefix("diff --git ") {
                self.check_header_had_hunk()?;
                let (old, new) = split_git_header(rest);
                self.files.push(ChangedFile {
                    old_path: old,
                    new_path: new,
                    status: FileStatus::Modified,
                    binary: false,
                    hunks: Vec::new(),
                });
                self.in_git_header = true;
                i += 1;
                continue;
            }
            if let Some(file) = self.files.last_mut() {
                if line.starts_with("new file mode") {
                    file.status = FileStatus::Added;
                    file.old_path = None;
                } else if line.starts_with("deleted file mode") {
                    file.status = FileStatus::Deleted;
                    file.new_path = None;
                } else if let Some(p) = line.strip_prefix("rename from ") {
                    file.status = FileStatus::Renamed;
                    file.old_path = Some(unquote(p));
                } else if let Some(p) = line.strip_prefix("rename to ") {
                    file.status = FileStatus::Renamed;
                    file.new_path = Some(unquote(p));
                } else if line.starts_with("Binary files ") || line == "GIT binary patch" {
                    file.binary = true;
                }
            }
            if line.starts_with("--- ")
                && i + 1 < lines.len()
                && trim_eol(lines[i + 1]).starts_with("+++ ")
            {
                let old = header_path(&line[4..]);
                let new = header_path(&trim_eol(lines[i + 1])[4..]);
                self.check_header_had_hunk()?;
                self.plain_header_line = Some(i + 1);
                if !std::mem::take(&mut self.in_git_header) {
                    self.files.push(ChangedFile {
                        old_path: None,
                        new_path: None,
                        status: FileStatus::Modified,
                        binary: false,
                        hunks: Vec::new(),
                    });
                }
                if let Some(file) = self.files.last_mut() {
                    file.old_path = old;
                    file.new_path = new;
                    file.status = match (&file.old_path, &file.new_path) {
                        (None, Some(_)) => FileStatus::Added,
                        (Some(_), None) => FileStatus::Deleted,
                        (Some(a), Some(b)) if a != b => FileStatus::Renamed,
                        _ => FileStatus::Modified,
                    };
                }
                i += 2;
                continue;
            }
            if line.starts_with("@@") {
                self.in_git_header = false;
                self.plain_header_line = None;
                i = self.hunk(&lines, i)?;
                continue;
            }
            i += 1;
        }
        self.check_header_had_hunk()?;
        if self.files.is_empty() {
            let first = lines
                .iter()
                .position(|l| !l.trim().is_empty())
                .map_or(1, |n| n + 1);
            return Err(self.err(
                first,
                "not a unified diff: no `diff --git` header, no `---`/`+++` file header and no `@@` hunk",
            ));
        }
        Ok(ChangeSet {
            files: self.files,
            origin: ChangeOrigin::Patch,
        })
    }

    /// A `---`/`+++` pair must be followed by at least one hunk.
    fn check_header_had_hunk(&mut self) -> Result<(), DiffError> {
        let binary = self.files.last().is_some_and(|f| f.binary);
        match self.plain_header_line.take() {
            Some(line) if !binary => Err(self.err(
                line,
                "file header `---`/`+++` without any hunk (expected a `@@ -a,b +c,d @@` line next)",
            )),
            _ => Ok(()),
        }
    }

    /// Parses the hunk starting at `lines[start]`; returns the index after it.
    fn hunk(&mut self, lines: &[&str], start: usize) -> Result<usize, DiffError> {
        let header = trim_eol(lines[start]);
        let (old_start, old_lines, new_start, new_lines, section) = parse_hunk_header(header)
            .ok_or_else(|| {
                self.err(
                    start + 1,
                    format!("bad hunk header `{header}` (expected `@@ -a,b +c,d @@`)"),
                )
            })?;
        if self.files.is_empty() {
            return Err(self.err(start + 1, "hunk before any file header (`---`/`+++`)"));
        }
        let mut hunk = Hunk {
            old_start,
            old_lines,
            new_start,
            new_lines,
            section,
            lines: Vec::new(),
        };
        let (mut old_left, mut new_left) = (old_lines, new_lines);
        let (mut old_no, mut new_no) = (old_start, new_start);
        let mut i = start + 1;
        while i < lines.len() && (old_left > 0 || new_left > 0) {
            let raw = trim_eol(lines[i]);
            let (kind, text) = match raw.as_bytes().first() {
                Some(b' ') => (LineKind::Context, &raw[1..]),
                Some(b'+') => (LineKind::Added, &raw[1..]),
                Some(b'-') => (LineKind::Removed, &raw[1..]),
                Some(b'\\') => {
                    i += 1;
                    continue;
                }
                // Some tools strip the single space of empty context lines.
                None => (LineKind::Context, ""),
                Some(_) => {
                    return Err(self.err(
                        i + 1,
                        format!(
                        "hunk ends early: {old_left} old and {new_left} new lines still expected"
                    ),
                    ))
                }
            };
            let (old_line, new_line) = match kind {
                LineKind::Context => {
                    old_left = old_left.saturating_sub(1);
                    new_left = new_left.saturating_sub(1);
                    old_no += 1;
                    new_no += 1;
                    (Some(old_no - 1), Some(new_no - 1))
                }
                LineKind::Added => {
                    new_left = new_left.saturating_sub(1);
                    new_no += 1;
                    (None, Some(new_no - 1))
                }
                LineKind::Removed => {
                    old_left = old_left.saturating_sub(1);
                    old_no += 1;
                    (Some(old_no - 1), None)
                }
            };
            hunk.lines.push(DiffLine {
                kind,
                old_line,
                new_line,
                text: text.to_string(),
            });
            i += 1;
        }
        if old_left > 0 || new_left > 0 {
            return Err(self.err(
                i,
                format!(
                    "diff ends inside the hunk that starts on line {}: {old_left} old and {new_left} new lines still expected (truncated?)",
                    start + 1
                ),
            ));
        }
        // A trailing "\ No newline at end of file" belongs to this hunk.
        while i < lines.len() && lines[i].starts_with('\\') {
            i += 1;
        }
        if let Some(file) = self.files.last_mut() {
            file.hunks.push(hunk);
        }
        Ok(i)
    }
}

fn trim_eol(s: &str) -> &str {
    let s = s.strip_suffix('\n').unwrap_or(s);
    s.strip_suffix('\r').unwrap_or(s)
}

fn parse_hunk_header(h: &str) -> Option<(u32, u32, u32, u32, String)> {
    let rest = h.strip_prefix("@@ -")?;
    let (ranges, section) = rest.split_once(" @@")?;
    let (old, new) = ranges.split_once(" +")?;
    let range = |r: &str| -> Option<(u32, u32)> {
        match r.split_once(',') {
            Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
            None => Some((r.parse().ok()?, 1)),
        }
    };
    let (os, ol) = range(old)?;
    let (ns, nl) = range(new)?;
    Some((os, ol, ns, nl, section.trim().to_string()))
}

/// `a/x b/y` from a `diff --git` line; handles quoted paths.
fn split_git_header(rest: &str) -> (Option<String>, Option<String>) {
    let mut parts = Vec::new();
    let mut s = rest.trim();
    while !s.is_empty() && parts.len() < 2 {
        if s.starts_with('"') {
            let mut end = 1;
            let b = s.as_bytes();
            while end < b.len() && b[end] != b'"' {
                end += if b[end] == b'\\' { 2 } else { 1 };
            }
            let end = (end + 1).min(s.len());
            parts.push(unquote(&s[..end]));
            s = s[end..].trim_start();
        } else if parts.is_empty() {
            // Unquoted: split at " b/" since paths may hold spaces.
            match s.find(" b/") {
                Some(pos) => {
                    parts.push(s[..pos].to_string());
                    s = &s[pos + 1..];
                }
                None => {
                    parts.push(s.to_string());
                    s = "";
                }
            }
        } else {
            parts.push(s.to_string());
            s = "";
        }
    }
    let strip = |p: Option<&String>, prefix: &str| {
        p.map(|p| p.strip_prefix(prefix).unwrap_or(p).to_string())
    };
    (strip(parts.first(), "a/"), strip(parts.get(1), "b/"))
}

/// Path from a `---`/`+++` line: drops a tab-separated timestamp and the a/ b/
/// prefix; `/dev/null` means no file.
fn header_path(s: &str) -> Option<String> {
    let s = s.split('\t').next().unwrap_or(s).trim_end();
    let p = unquote(s);
    if p == "/dev/null" {
        return None;
    }
    Some(
        p.strip_prefix("a/")
            .or_else(|| p.strip_prefix("b/"))
            .unwrap_or(&p)
            .to_string(),
    )
}

/// Undo git's C-style quoting (`"\346\227\245.txt"`).
fn unquote(s: &str) -> String {
    let Some(inner) = s.strip_prefix('"').and_then(|x| x.strip_suffix('"')) else {
        return s.to_string();
    };
    let mut out = Vec::new();
    let b = inner.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            let c = b[i + 1];
            if (b'0'..=b'7').contains(&c) && i + 3 < b.len() + 1 {
                let oct = &inner[i + 1..(i + 4).min(inner.len())];
                if let Ok(v) = u8::from_str_radix(oct, 8) {
                    out.push(v);
                    i += 4;
                    continue;
                }
            }
            out.push(match c {
                b'n' => b'\n',
                b't' => b'\t',
                b'"' => b'"',
                b'\\' => b'\\',
                other => other,
            });
            i += 2;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIT: &str = "diff --git a/src/a.rs b/src/a.rs
index 1..2 100644
--- a/src/a.rs
+++ b/src/a.rs
@@ -1,3 +1,4 @@ fn main()
 one
-two
+TWO
+three
 four
\\ No newline at end of file
diff --git a/new.txt b/new.txt
new file mode 100644
--- /dev/null
+++ b/new.txt
@@ -0,0 +1 @@
+hello
diff --git a/gone.txt b/gone.txt
deleted file mode 100644
--- a/gone.txt
+++ /dev/null
@@ -1 +0,0 @@
-bye
diff --git a/old name.txt b/new name.txt
similarity index 100%
rename from old name.txt
rename to new name.txt
diff --git \"a/\\346\\227\\245.txt\" \"b/\\346\\227\\245.txt\"
Binary files differ
";

    #[test]
    fn parses_git_diff() {
        let cs = ChangeSet::parse(GIT, "t").expect("parses");
        assert_eq!(cs.files.len(), 5);
        let a = &cs.files[0];
        assert_eq!(a.path(), "src/a.rs");
        assert_eq!(a.status, FileStatus::Modified);
        assert_eq!(a.added_lines().collect::<Vec<_>>(), vec![2, 3]);
        assert!(cs.touches("src/a.rs", 3));
        assert!(!cs.touches("src/a.rs", 4));
        assert_eq!(cs.files[1].status, FileStatus::Added);
        assert_eq!(cs.files[1].path(), "new.txt");
        assert_eq!(cs.files[2].status, FileStatus::Deleted);
        assert_eq!(cs.files[2].path(), "gone.txt");
        assert_eq!(cs.files[3].status, FileStatus::Renamed);
        assert_eq!(cs.files[3].old_path.as_deref(), Some("old name.txt"));
        assert_eq!(cs.files[3].new_path.as_deref(), Some("new name.txt"));
        assert_eq!(cs.files[4].path(), "日.txt");
        assert!(cs.files[4].binary);
    }

    #[test]
    fn parses_plain_unified_diff() {
        let d = "--- a.txt\t2024-01-01 00:00:00\n+++ b.txt\t2024-01-02\n@@ -1 +1 @@\n-x\n+y\n";
        let cs = ChangeSet::parse(d, "t").expect("parses");
        assert_eq!(cs.files.len(), 1);
        assert_eq!(cs.files[0].new_path.as_deref(), Some("b.txt"));
        assert_eq!(cs.files[0].added_lines().collect::<Vec<_>>(), vec![1]);
    }

    #[test]
    fn bad_hunk_header_is_an_error_with_line() {
        let d = "--- a\n+++ b\n@@ -x +1 @@\n+y\n";
        let e = ChangeSet::parse(d, "p.diff").expect_err("must fail");
        assert!(
            e.to_string().starts_with("p.diff:3: bad hunk header"),
            "{e}"
        );
    }

    #[test]
    fn truncated_hunk_is_an_error() {
        let d = "--- a\n+++ b\n@@ -1,3 +1,3 @@\n x\nnot a diff line\n";
        let e = ChangeSet::parse(d, "p.diff").expect_err("must fail");
        assert!(e.to_string().contains("hunk ends early"), "{e}");
    }

    #[test]
    fn only_really_empty_input_is_an_empty_change() {
        for empty in ["", "\n", "  \r\n\t\n"] {
            assert!(ChangeSet::parse(empty, "t").expect("ok").files.is_empty());
        }
        let e = ChangeSet::parse("\nhello\nworld\n", "g.diff").expect_err("not a diff");
        assert!(
            e.to_string().starts_with("g.diff:2: not a unified diff"),
            "{e}"
        );
    }

    #[test]
    fn file_header_without_hunk_is_an_error() {
        let e = ChangeSet::parse("--- a/x\n+++ b/x\n", "p.diff").expect_err("no hunk");
        assert!(e.to_string().starts_with("p.diff:1: file header"), "{e}");
        let two = "--- a/x\n+++ b/x\n--- a/y\n+++ b/y\n@@ -1 +1 @@\n-a\n+b\n";
        let e = ChangeSet::parse(two, "p.diff").expect_err("first has no hunk");
        assert!(e.to_string().starts_with("p.diff:1: file header"), "{e}");
    }

    #[test]
    fn hunk_cut_short_at_end_of_text_is_an_error() {
        let d = "--- a/x\n+++ b/x\n@@ -1,3 +1,4 @@\n one\n+two\n";
        let e = ChangeSet::parse(d, "p.diff").expect_err("truncated");
        let msg = e.to_string();
        assert!(
            msg.starts_with("p.diff:5: diff ends inside the hunk"),
            "{msg}"
        );
        assert!(msg.contains("starts on line 3"), "{msg}");
        assert!(
            msg.contains("2 old and 2 new lines still expected"),
            "{msg}"
        );
    }

    #[test]
    fn header_only_git_entries_are_changes() {
        // An empty new file, a mode change and a pure rename carry no hunk.
        let d = "diff --git a/empty.txt b/empty.txt\nnew file mode 100644\nindex 0000000..e69de29\n\
                 diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 100755\n\
                 diff --git a/a.txt b/b.txt\nsimilarity index 100%\nrename from a.txt\nrename to b.txt\n";
        let cs = ChangeSet::parse(d, "t").expect("parses");
        let got: Vec<_> = cs.files.iter().map(|f| (f.path(), f.status)).collect();
        assert_eq!(
            got,
            vec![
                ("empty.txt", FileStatus::Added),
                ("run.sh", FileStatus::Modified),
                ("b.txt", FileStatus::Renamed),
            ]
        );
    }

    #[test]
    fn oversized_and_binary_input_are_errors() {
        let big = vec![b' '; MAX_DIFF_BYTES + 10];
        let e = ChangeSet::from_reader(&big[..], "stdin").expect_err("too big");
        assert!(e.to_string().starts_with("stdin: diff larger than"), "{e}");
        let e = ChangeSet::from_reader(&b"--- a\n+++ b\n\0"[..], "p.diff").expect_err("binary");
        assert!(e.to_string().contains("NUL byte at offset 12"), "{e}");
        let cs = ChangeSet::from_reader(&b"--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"[..], "p")
            .expect("parses");
        assert_eq!(cs.origin, ChangeOrigin::Patch);
    }

    #[test]
    fn crlf_and_missing_counts_parse() {
        let d = "--- a/x\r\n+++ b/x\r\n@@ -1 +1 @@\r\n-a\r\n+b\r\n\\ No newline at end of file\r\n";
        let cs = ChangeSet::parse(d, "t").expect("parses");
        assert_eq!(cs.files[0].added_lines().collect::<Vec<_>>(), vec![1]);
        assert_eq!(cs.files[0].hunks[0].lines[1].text, "b");
    }

    /// Compares a parse with reviewdog's parsed form (`NAME.diff.json`):
    /// paths, hunk ranges and sections, and every line's kind, text and
    /// numbers.
    fn compare_with_reviewdog(name: &str, cs: &ChangeSet, want: &serde_json::Value) {
        let want_files = want.as_array().map(Vec::as_slice).unwrap_or(&[]);
        assert_eq!(cs.files.len(), want_files.len(), "{name}: file count");
        let norm = |p: &serde_json::Value| -> Option<String> {
            let p = p.as_str()?;
            let p = p
                .strip_prefix("a/")
                .or_else(|| p.strip_prefix("b/"))
                .unwrap_or(p);
            (p != "/dev/null" && !p.is_empty()).then(|| p.to_string())
        };
        for (got, want) in cs.files.iter().zip(want_files) {
            if let Some(p) = norm(&want["PathOld"]) {
                assert_eq!(
                    got.old_path.as_deref(),
                    Some(p.as_str()),
                    "{name}: old path"
                );
            }
            if let Some(p) = norm(&want["PathNew"]) {
                assert_eq!(
                    got.new_path.as_deref(),
                    Some(p.as_str()),
                    "{name}: new path"
                );
            }
            let hunks = want["Hunks"].as_array().map(Vec::as_slice).unwrap_or(&[]);
            assert_eq!(got.hunks.len(), hunks.len(), "{name}: hunks");
            for (gh, wh) in got.hunks.iter().zip(hunks) {
                assert_eq!(u64::from(gh.old_start), wh["StartLineOld"], "{name}");
                assert_eq!(u64::from(gh.old_lines), wh["LineLengthOld"], "{name}");
                assert_eq!(u64::from(gh.new_start), wh["StartLineNew"], "{name}");
                assert_eq!(u64::from(gh.new_lines), wh["LineLengthNew"], "{name}");
                assert_eq!(gh.section, wh["Section"], "{name}");
                let lines = wh["Lines"].as_array().map(Vec::as_slice).unwrap_or(&[]);
                assert_eq!(gh.lines.len(), lines.len(), "{name}: lines");
                for (gl, wl) in gh.lines.iter().zip(lines) {
                    let kind = match gl.kind {
                        LineKind::Context => 0,
                        LineKind::Added => 1,
                        LineKind::Removed => 2,
                    };
                    assert_eq!(wl["Type"], kind, "{name}: {gl:?}");
                    assert_eq!(wl["Content"], gl.text.as_str(), "{name}");
                    assert_eq!(wl["LnumNew"], u64::from(gl.new_line.unwrap_or(0)), "{name}");
                    assert_eq!(wl["LnumOld"], u64::from(gl.old_line.unwrap_or(0)), "{name}");
                }
            }
        }
    }

    /// Every `NAME.diff` in `dir` against its `NAME.diff.json`; returns how
    /// many were checked, `None` when `dir` cannot be read.
    fn check_reviewdog_dir(dir: &Path) -> Option<usize> {
        let entries = std::fs::read_dir(dir).ok()?;
        let mut checked = 0;
        for entry in entries {
            let path = entry.expect("dir entry").path();
            if path.extension().is_none_or(|e| e != "diff") {
                continue;
            }
            let name = path.display().to_string();
            let bytes = std::fs::read(&path).expect("read corpus diff");
            let cs = ChangeSet::from_bytes(&bytes, &name).unwrap_or_else(|e| panic!("{e}"));
            let want: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(path.with_extension("diff.json")).expect("json"),
            )
            .expect("valid json");
            compare_with_reviewdog(&name, &cs, &want);
            checked += 1;
        }
        Some(checked)
    }

    /// Diffs written for this project in reviewdog's format, covering the
    /// corpus's cases (no newline at EOF, empty, new and deleted files,
    /// renames, binary, non-ASCII and quoted paths, `@@ -1 +1 @@`, CRLF), so
    /// the comparison runs without the corpus too.
    #[test]
    fn own_fixture_diffs_parse_like_reviewdog() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diffs");
        let checked = check_reviewdog_dir(&dir).expect("fixture folder");
        assert!(checked >= 8, "only {checked} fixture diffs");
    }

    /// The reviewdog diff corpus (real-world diffs with their parsed form in
    /// `NAME.diff.json`), read from `GUARD_DIFF_CORPUS` or the shared corpus
    /// folder next to the workspace when present.
    #[test]
    fn reviewdog_corpus_parses_like_reviewdog() {
        let dir = std::env::var_os("GUARD_DIFF_CORPUS")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/diffs/reviewdog")
            });
        let Some(checked) = check_reviewdog_dir(&dir) else {
            eprintln!(
                "skipped: no diff corpus at {} (set GUARD_DIFF_CORPUS)",
                dir.display()
            );
            return;
        };
        assert!(checked > 0, "no .diff file in {}", dir.display());
        eprintln!("checked {checked} corpus diffs in {}", dir.display());
    }
}
