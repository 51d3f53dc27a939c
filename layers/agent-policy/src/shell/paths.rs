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

/// `~`, `~/x`, `$HOME`, `${HOME}` to the home directory.
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

pub fn classify(e: &Engine<'_>, w: &Word) -> Target {
    let t = w.text.trim();
    if t.is_empty() {
        return Target::Unknown;
    }
    if t.starts_with("$TMPDIR") || t.starts_with("${TMPDIR") {
        return Target::Temp;
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
    }
}
