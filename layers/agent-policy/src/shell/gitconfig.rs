//! The git configuration file format (`.git/config`, `~/.gitconfig`), read for the
//! aliases a repository defines: `[section "sub"]` headers, `key = value` lines,
//! double-quoted parts with `\" \\ \n \t \b` escapes, `#`/`;` comments outside
//! quotes, and `\` line continuations. Keys and section names are matched
//! case-insensitively, subsections exactly, as git does.

use std::path::{Path, PathBuf};

/// Largest config file read.
const MAX_BYTES: u64 = 1 << 20;

/// `(section.subsection.key lower-cased except the subsection, value)` pairs in
/// file order. A key written without `=` is a boolean `true`.
pub fn parse(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') || t.starts_with(';') {
            continue;
        }
        if let Some(rest) = t.strip_prefix('[') {
            let Some(end) = header_end(rest) else {
                continue;
            };
            section = header(&rest[..end]);
            // `[alias] x = y` on one line.
            let after = rest[end + 1..].trim_start();
            if after.is_empty() || after.starts_with('#') || after.starts_with(';') {
                continue;
            }
            push_entry(&mut out, &section, after, &mut lines);
            continue;
        }
        if section.is_empty() {
            continue;
        }
        push_entry(&mut out, &section, t, &mut lines);
    }
    out
}

fn header_end(rest: &str) -> Option<usize> {
    let mut quoted = false;
    let mut esc = false;
    for (i, c) in rest.char_indices() {
        match c {
            _ if esc => esc = false,
            '\\' => esc = true,
            '"' => quoted = !quoted,
            ']' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

/// `alias` -> `alias`; `remote "origin"` -> `remote.origin`; `Branch.Main` (old
/// style) -> `branch.main`.
fn header(h: &str) -> String {
    let h = h.trim();
    match h.split_once(char::is_whitespace) {
        Some((name, sub)) => {
            let sub = sub.trim();
            let sub = sub
                .strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .unwrap_or(sub);
            let mut unq = String::new();
            let mut chars = sub.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    if let Some(n) = chars.next() {
                        unq.push(n);
                    }
                } else {
                    unq.push(c);
                }
            }
            format!("{}.{}", name.to_ascii_lowercase(), unq)
        }
        None => h.to_ascii_lowercase(),
    }
}

fn push_entry<'a>(
    out: &mut Vec<(String, String)>,
    section: &str,
    line: &'a str,
    more: &mut impl Iterator<Item = &'a str>,
) {
    let (key, raw) = match line.split_once('=') {
        Some((k, v)) => (k.trim(), Some(v)),
        None => (line.split([' ', '\t', '#', ';']).next().unwrap_or(""), None),
    };
    if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return;
    }
    let value = match raw {
        None => "true".to_string(),
        Some(v) => value(v, more),
    };
    out.push((format!("{section}.{}", key.to_ascii_lowercase()), value));
}

/// A value: quotes removed, escapes decoded, comments dropped, continuations joined,
/// surrounding blanks trimmed (blanks inside quotes kept).
fn value<'a>(first: &'a str, more: &mut impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    let mut quoted = false;
    // Blanks seen outside quotes, kept only if more text follows.
    let mut pending = String::new();
    let mut line = first;
    'lines: loop {
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => {
                    out.push_str(&pending);
                    pending.clear();
                    quoted = !quoted;
                }
                '\\' => {
                    out.push_str(&pending);
                    pending.clear();
                    match chars.next() {
                        None => match more.next() {
                            Some(next) => {
                                line = next;
                                continue 'lines;
                            }
                            None => break 'lines,
                        },
                        Some('n') => out.push('\n'),
                        Some('t') => out.push('\t'),
                        Some('b') => {
                            out.pop();
                        }
                        Some(o) => out.push(o),
                    }
                }
                '#' | ';' if !quoted => break 'lines,
                c if c.is_whitespace() && !quoted => {
                    if !out.is_empty() {
                        pending.push(c);
                    }
                }
                c => {
                    out.push_str(&pending);
                    pending.clear();
                    out.push(c);
                }
            }
        }
        break;
    }
    out
}

/// The git directory for a working directory: the nearest `.git` directory, or the
/// `gitdir:` a `.git` file points to (worktrees, submodules).
pub fn git_dir(start: &Path) -> Option<PathBuf> {
    for dir in start.ancestors() {
        let dot = dir.join(".git");
        if dot.is_dir() {
            return Some(dot);
        }
        if dot.is_file() {
            let text = read_small(&dot)?;
            let target = text.lines().find_map(|l| l.strip_prefix("gitdir:"))?.trim();
            let p = Path::new(target);
            return Some(if p.is_absolute() {
                p.to_path_buf()
            } else {
                dir.join(p)
            });
        }
    }
    None
}

fn read_small(p: &Path) -> Option<String> {
    use std::io::Read;
    let f = std::fs::File::open(p).ok()?;
    let mut s = String::new();
    f.take(MAX_BYTES).read_to_string(&mut s).ok()?;
    Some(s)
}

/// The alias git would use for `name` when run in `cwd`: the repository's config
/// wins over the user's (`$XDG_CONFIG_HOME/git/config`, `~/.gitconfig`); a worktree
/// shares its main repository's config (`commondir`).
pub fn alias(cwd: &Path, home: &Path, name: &str) -> Option<String> {
    let key = format!("alias.{}", name.to_ascii_lowercase());
    let mut files: Vec<PathBuf> = vec![home.join(".config/git/config"), home.join(".gitconfig")];
    if let Some(gd) = git_dir(cwd) {
        if let Some(common) = read_small(&gd.join("commondir")) {
            let c = Path::new(common.trim());
            files.push(if c.is_absolute() {
                c.join("config")
            } else {
                gd.join(c).join("config")
            });
        }
        files.push(gd.join("config"));
    }
    let mut found = None;
    for f in files {
        if let Some(text) = read_small(&f) {
            if let Some((_, v)) = parse(&text).into_iter().rev().find(|(k, _)| *k == key) {
                found = Some(v);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_format() {
        let cfg = parse(
            "# c\n[core]\n\tbare = false\n[alias]\n\tnuke = \"!rm -rf / # not a comment\" ; c\n  \
             st = status \\\n  -sb\n\tq = \"a\\\"b\"\n[remote \"origin\"]\n\turl = x\n[Alias] Up = push --force\n",
        );
        let get = |k: &str| cfg.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str());
        assert_eq!(get("alias.nuke"), Some("!rm -rf / # not a comment"));
        // Blanks are kept as git keeps them (each one a space).
        assert_eq!(get("alias.st"), Some("status   -sb"));
        assert_eq!(get("alias.q"), Some("a\"b"));
        assert_eq!(get("remote.origin.url"), Some("x"));
        assert_eq!(get("alias.up"), Some("push --force"));
        assert_eq!(get("core.bare"), Some("false"));
    }

    #[test]
    fn finds_repository_aliases() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = dir.path().join("proj");
        std::fs::create_dir_all(repo.join(".git")).expect("mkdir");
        std::fs::create_dir_all(repo.join("src")).expect("mkdir");
        std::fs::write(repo.join(".git/config"), "[alias]\n\twipe = reset --hard\n")
            .expect("write");
        let home = dir.path().join("home");
        assert_eq!(
            alias(&repo.join("src"), &home, "wipe").as_deref(),
            Some("reset --hard")
        );
        assert_eq!(alias(&repo, &home, "other"), None);
        // A worktree's .git file.
        let wt = dir.path().join("wt");
        std::fs::create_dir_all(&wt).expect("mkdir");
        std::fs::write(
            wt.join(".git"),
            format!("gitdir: {}\n", repo.join(".git").display()),
        )
        .expect("write");
        assert_eq!(alias(&wt, &home, "wipe").as_deref(), Some("reset --hard"));
    }
}
