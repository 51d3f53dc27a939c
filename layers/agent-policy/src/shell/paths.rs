//! Lexical path resolution and classification of delete/permission targets.

use super::word::Word;
use super::Engine;
use std::path::{Component, Path, PathBuf};

/// Removes `.` and resolves `..` without touching the filesystem (the hook must not
/// depend on what exists, and symlinks are Claude Code's business).
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() || out.as_os_str().is_empty() {
                    out.push("/");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push("/");
    }
    out
}

/// `~`, `~/x`, `$HOME`, `${HOME}` to the home directory; `~user` to that user's home
/// (beside this one; `~root` is `/root`).
pub fn expand_home(text: &str, home: &Path) -> PathBuf {
    for prefix in ["${HOME}", "$HOME", "~"] {
        if let Some(rest) = text.strip_prefix(prefix) {
            if rest.is_empty() {
                return home.to_path_buf();
            }
            if let Some(r) = rest.strip_prefix('/') {
                return home.join(r);
            }
        }
    }
    if let Some(rest) = text.strip_prefix('~') {
        let (user, tail) = rest.split_once('/').unwrap_or((rest, ""));
        let valid = !user.is_empty()
            && user
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if valid && user != "+" && user != "-" {
            let base = if user == "root" {
                PathBuf::from("/root")
            } else {
                home.parent()
                    .unwrap_or_else(|| Path::new("/home"))
                    .join(user)
            };
            return if tail.is_empty() {
                base
            } else {
                base.join(tail)
            };
        }
    }
    PathBuf::from(text)
}

/// What a delete or permission change would reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Root,
    Home,
    /// A system directory, a top-level directory, or another user's home.
    System,
    /// The project directory itself or one of its parents.
    ProjectOrAbove,
    /// Inside the project.
    Inside,
    Temp,
    /// Elsewhere on the machine.
    Outside,
    /// Depends on a variable or the current directory is unknown.
    Unknown,
}

impl Target {
    pub fn is_catastrophic(self) -> bool {
        matches!(
            self,
            Target::Root | Target::Home | Target::System | Target::ProjectOrAbove
        )
    }
}

const SYSTEM_DIRS: &[&str] = &[
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib32",
    "/lib64",
    "/opt",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/srv",
    "/sys",
    "/usr",
    "/var",
    "/home",
    "/Users",
    "/System",
    "/Library",
    "/Applications",
    "/private",
    "/snap",
    "/mnt",
    "/media",
    "/tmp",
    "/var/tmp",
    "/usr/local",
    "/usr/bin",
    "/usr/lib",
    "/usr/share",
    "/var/lib",
    "/var/log",
    "/etc/ssh",
];

const WHOLE_DIR_GLOBS: &[&str] = &["*", ".*", "**", "*.*", ".[!.]*", "{*,.*}", "?*"];

/// How bad a target is, for picking the worst of several expansions.
fn severity(t: Target) -> u8 {
    match t {
        Target::Root => 7,
        Target::Home => 6,
        Target::System => 5,
        Target::ProjectOrAbove => 4,
        Target::Unknown => 3,
        Target::Outside => 2,
        Target::Temp => 1,
        Target::Inside => 0,
    }
}

/// Most words a brace expansion may produce before the rest is ignored.
const MAX_BRACE_WORDS: usize = 64;

/// Bash brace expansion of a word (`{a,b}`, nested, several groups); a word without
/// a comma group is returned as is.
pub fn brace_expand(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    expand_into(text, &mut out, 0);
    if out.is_empty() {
        out.push(text.to_string());
    }
    out
}

fn expand_into(text: &str, out: &mut Vec<String>, depth: usize) {
    if out.len() >= MAX_BRACE_WORDS {
        return;
    }
    // The first `{` with a matching `}` and a top-level comma inside.
    let b = text.as_bytes();
    let mut start = 0;
    while let Some(open) = text[start..].find('{').map(|i| i + start) {
        let mut level = 0;
        let mut commas = Vec::new();
        let mut close = None;
        for (i, &c) in b.iter().enumerate().skip(open) {
            match c {
                b'{' => level += 1,
                b'}' => {
                    level -= 1;
                    if level == 0 {
                        close = Some(i);
                        break;
                    }
                }
                b',' if level == 1 => commas.push(i),
                _ => {}
            }
        }
        let Some(close) = close else { break };
        if commas.is_empty() || depth > 8 {
            start = open + 1;
            continue;
        }
        let (pre, post) = (&text[..open], &text[close + 1..]);
        let mut last = open + 1;
        let mut parts = Vec::new();
        for c in commas.into_iter().chain(std::iter::once(close)) {
            parts.push(&text[last..c]);
            last = c + 1;
        }
        for p in parts {
            expand_into(&format!("{pre}{p}{post}"), out, depth + 1);
            if out.len() >= MAX_BRACE_WORDS {
                return;
            }
        }
        return;
    }
    out.push(text.to_string());
}

/// `$NAME` / `${NAME}` replaced by values the command itself assigned earlier, and
/// `$TMPDIR` by the environment's (empty when unset, as bash expands it).
fn substitute(e: &Engine<'_>, text: &str) -> String {
    if !text.contains('$') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        // `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:=default}`.
        let (name, default, used) = if let Some(inner) = after.strip_prefix('{') {
            match inner.find('}') {
                Some(end) => {
                    let body = &inner[..end];
                    let n = body
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(body.len());
                    let op = &body[n..];
                    let default = op
                        .strip_prefix(":-")
                        .or_else(|| op.strip_prefix(":="))
                        .or_else(|| op.strip_prefix('-'))
                        .map(|d| (d, op.starts_with(':')));
                    // `${NAME:?message}`: the value, or the command fails.
                    let required = op.starts_with(":?") || op.starts_with('?');
                    if op.is_empty() || default.is_some() || required {
                        (&body[..n], default, end + 2)
                    } else {
                        ("", None, 0)
                    }
                }
                None => ("", None, 0),
            }
        } else {
            let n = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..n], None, n)
        };
        let known: Option<Option<String>> = if name.is_empty() {
            None
        } else if let Some(v) = e.env.get(name) {
            Some(Some(v.clone()))
        } else if name == "TMPDIR" {
            Some(e.tmpdir.as_ref().map(|p| p.to_string_lossy().to_string()))
        } else if name == "HOME" {
            Some(Some(e.home.to_string_lossy().to_string()))
        } else {
            None
        };
        let value = match (known, default) {
            // Set (and, for `:-`, not empty): the value.
            (Some(Some(v)), Some((_, colon))) if !(colon && v.is_empty()) => Some(v),
            (Some(Some(v)), None) => Some(v),
            // Unset, or empty with `:-`: the default.
            (Some(_), Some((d, _))) => Some(d.to_string()),
            (Some(None), None) => Some(String::new()),
            (None, _) => None,
        };
        match value {
            Some(v) if !v.contains('$') => {
                out.push_str(&v);
                rest = &after[used..];
            }
            _ => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

pub fn classify(e: &Engine<'_>, w: &Word) -> Target {
    let t = w.text.trim();
    if t.is_empty() {
        return Target::Unknown;
    }
    let t = substitute(e, t);
    let words = brace_expand(&t);
    if words.len() > 1 {
        return words
            .iter()
            .map(|x| classify_one(e, x))
            .max_by_key(|c| severity(*c))
            .unwrap_or(Target::Unknown);
    }
    classify_one(e, &t)
}

fn classify_one(e: &Engine<'_>, t: &str) -> Target {
    if t.is_empty() {
        // `"$TMPDIR"` with TMPDIR unset: `rm -rf ""` removes nothing, but the
        // same word with a suffix would reach `/`.
        return Target::Unknown;
    }
    let expanded = expand_home(t, &e.home);
    let s = expanded.to_string_lossy().to_string();
    if s.contains('$') || s.contains('`') {
        return Target::Unknown;
    }
    // A trailing whole-directory glob means "everything in the parent".
    let mut path = s.trim_end_matches('/').to_string();
    let mut pattern_only = false;
    if let Some((parent, last)) = path.rsplit_once('/') {
        if WHOLE_DIR_GLOBS.contains(&last) {
            path = if parent.is_empty() {
                "/".into()
            } else {
                parent.into()
            };
        } else if last.contains(['*', '?', '[']) {
            path = if parent.is_empty() {
                "/".into()
            } else {
                parent.into()
            };
            pattern_only = true;
        }
    } else if WHOLE_DIR_GLOBS.contains(&path.as_str()) {
        path = ".".into();
    } else if path.contains(['*', '?', '[']) {
        path = ".".into();
        pattern_only = true;
    }
    if path.is_empty() {
        path = "/".into();
    }
    let p = Path::new(&path);
    let abs = if p.is_absolute() {
        normalize(p)
    } else {
        match &e.cwd {
            Some(cwd) => normalize(&cwd.join(p)),
            None => {
                return if path.split('/').any(|c| c == "..") || path == "." {
                    Target::Unknown
                } else {
                    Target::Inside
                };
            }
        }
    };
    let class = classify_abs(e, &abs);
    if pattern_only && matches!(class, Target::ProjectOrAbove | Target::Inside) {
        // `rm -rf *.o` deletes matching files, not the directory.
        return if abs == e.project || abs.starts_with(&e.project) {
            Target::Inside
        } else {
            Target::Outside
        };
    }
    class
}

fn classify_abs(e: &Engine<'_>, p: &Path) -> Target {
    if p == Path::new("/") {
        return Target::Root;
    }
    if p == e.home {
        return Target::Home;
    }
    let s = p.to_string_lossy();
    if e.project.starts_with(p) {
        return Target::ProjectOrAbove;
    }
    if p.starts_with(&e.project) {
        return Target::Inside;
    }
    for tmp in ["/tmp/", "/var/tmp/", "/private/tmp/", "/dev/shm/"] {
        if s.starts_with(tmp) && s.len() > tmp.len() {
            return Target::Temp;
        }
    }
    if SYSTEM_DIRS.contains(&s.as_ref()) || e.home.starts_with(p) {
        return Target::System;
    }
    // Top-level directories and other users' homes.
    let depth = p.components().count();
    if depth <= 2 {
        return Target::System;
    }
    if depth == 3 && (s.starts_with("/home/") || s.starts_with("/Users/")) {
        return Target::System;
    }
    Target::Outside
}

/// Directories whose files belong to the system: writing or deleting one of them
/// (not only the directory itself) is a system change.
const SYSTEM_FILE_ROOTS: &[&str] = &[
    "/etc",
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/lib32",
    "/lib64",
    "/boot",
    "/sys",
    "/root",
    "/var/lib",
    "/var/spool",
    "/System",
    "/Library",
    "/private/etc",
    "/private/var/root",
];

/// Whether a written or deleted path is a system file (`/etc/passwd`,
/// `/usr/local/bin/x`, `C:\Windows\System32\x`). Temp space and the project never are.
pub fn system_file(e: &Engine<'_>, text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() || t.contains('$') || t.contains('`') {
        return false;
    }
    // A relative path from the project directory stays in it (the common case:
    // `>> log.txt`), without building paths.
    if !t.starts_with(['/', '~', '\\'])
        && !t.contains("..")
        && !t.contains(':')
        && e.cwd.as_ref() == Some(&e.project)
    {
        return false;
    }
    let lower = t.replace('\\', "/").to_ascii_lowercase();
    if lower.len() > 2 && lower.as_bytes()[1] == b':' {
        let rest = &lower[2..];
        return rest.starts_with("/windows") || rest.starts_with("/program files");
    }
    let expanded = expand_home(t, &e.home);
    let abs = if expanded.is_absolute() {
        normalize(&expanded)
    } else {
        match &e.cwd {
            Some(c) => normalize(&c.join(expanded)),
            None => return false,
        }
    };
    if abs.starts_with(&e.project) {
        return false;
    }
    SYSTEM_FILE_ROOTS.iter().any(|r| abs.starts_with(r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::PolicyConfig;
    use crate::shell::Options;

    fn class(t: &str) -> Target {
        let cfg = PolicyConfig::default();
        let e = Engine::new(
            &cfg,
            &Options {
                cwd: Some("/home/u/proj".into()),
                home: Some("/home/u".into()),
                ..Options::default()
            },
        );
        classify(&e, &Word::lit(t))
    }

    #[test]
    fn classes() {
        assert_eq!(class("/"), Target::Root);
        assert_eq!(class("/*"), Target::Root);
        assert_eq!(class("~"), Target::Home);
        assert_eq!(class("$HOME/"), Target::Home);
        assert_eq!(class("/etc"), Target::System);
        assert_eq!(class("/data"), Target::System);
        assert_eq!(class("/home/other"), Target::System);
        assert_eq!(class(".."), Target::Home);
        assert_eq!(class("../.."), Target::ProjectOrAbove);
        assert_eq!(class("../../.."), Target::Root);
        assert_eq!(class("*"), Target::ProjectOrAbove);
        assert_eq!(class("."), Target::ProjectOrAbove);
        assert_eq!(class("./target"), Target::Inside);
        assert_eq!(class("node_modules/"), Target::Inside);
        assert_eq!(class("build/*"), Target::Inside);
        assert_eq!(class("*.pyc"), Target::Inside);
        assert_eq!(class("/tmp/x"), Target::Temp);
        assert_eq!(class("../sibling"), Target::Outside);
        assert_eq!(class("/home/u/other/dir"), Target::Outside);
        assert_eq!(class("$DIR/"), Target::Unknown);
        assert_eq!(class("~root"), Target::System);
        assert_eq!(class("~alice/"), Target::System);
        assert_eq!(class("/tmp"), Target::System);
        assert_eq!(class("/tmp/"), Target::System);
        assert_eq!(class("/tmp/x"), Target::Temp);
        // TMPDIR unset: `$TMPDIR/x` is `/x`.
        assert_eq!(class("$TMPDIR/"), Target::Root);
        assert_eq!(class("${TMPDIR}/build"), Target::System);
        assert_eq!(class("{build,/}"), Target::Root);
        assert_eq!(class("build/{a,b}"), Target::Inside);
        assert_eq!(class("/tmp/{a,..}"), Target::Root);
    }

    #[test]
    fn tmpdir_and_assignments() {
        let cfg = PolicyConfig::default();
        let mut e = Engine::new(
            &cfg,
            &Options {
                cwd: Some("/home/u/proj".into()),
                home: Some("/home/u".into()),
                tmpdir: Some("/tmp".into()),
            },
        );
        assert_eq!(classify(&e, &Word::lit("$TMPDIR/x")), Target::Temp);
        assert_eq!(classify(&e, &Word::lit("$TMPDIR")), Target::System);
        assert_eq!(classify(&e, &Word::lit("$TMPDIR/..")), Target::Root);
        e.env.insert("TMPDIR".into(), "/".into());
        assert_eq!(classify(&e, &Word::lit("$TMPDIR/x")), Target::System);
        e.env.insert("D".into(), "build".into());
        assert_eq!(classify(&e, &Word::lit("$D")), Target::Inside);
        assert_eq!(classify(&e, &Word::lit("${D}/..")), Target::ProjectOrAbove);
        assert_eq!(
            classify(&e, &Word::lit("${TMPDIR:-/tmp}/x")),
            Target::System
        );
        e.env.remove("TMPDIR");
        assert_eq!(classify(&e, &Word::lit("${TMPDIR:-/tmp}/x")), Target::Temp);
        assert_eq!(classify(&e, &Word::lit("${UNSET:-/}")), Target::Unknown);
    }

    #[test]
    fn braces() {
        assert_eq!(brace_expand("a{b,c}d"), vec!["abd", "acd"]);
        assert_eq!(brace_expand("{a,{b,c}}"), vec!["a", "b", "c"]);
        assert_eq!(brace_expand("x{1..3}"), vec!["x{1..3}"]);
        assert_eq!(brace_expand("{a,b}{c,d}").len(), 4);
    }
}
