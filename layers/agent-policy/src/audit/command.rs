//! Whether a hook's command can start: its program (and, for `bash x.sh`
//! style commands, its script) resolved on PATH or in the project. Nothing is
//! ever executed.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// Shell words that are not programs on PATH.
const BUILTINS: &[&str] = &[
    "cd", "exec", "command", "builtin", "source", ".", "eval", "true", "false", "echo", "printf",
    "test", "[", "[[", "export", "set", "if", "for", "while", "case", "{", "(", "!", "exit",
    "read", "local", "time",
];

/// Programs that run a script named as their first non-option argument.
const INTERPRETERS: &[&str] = &[
    "bash", "sh", "zsh", "dash", "python", "python3", "node", "deno", "bun", "ruby", "perl",
];

/// Split a command line into words: quotes and backslashes as a POSIX shell
/// treats them, stopping at the first operator (`|`, `;`, `&`, `>` ...).
pub fn words(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    cur.push(q);
                }
            }
            '"' => {
                in_word = true;
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => {
                            if let Some(n) = chars.next() {
                                cur.push(n);
                            }
                        }
                        _ => cur.push(q),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '|' | ';' | '&' | '<' | '>' => break,
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

/// Why the command cannot start, or `None` when it can (or when it cannot be
/// judged without running a shell, e.g. a program named by a variable).
pub fn missing(command: &str, root: &Path, path_var: Option<&OsStr>) -> Option<String> {
    let ws = words(command);
    // Each word as written (for messages) and expanded (for lookups).
    let mut rest = ws
        .iter()
        .skip_while(|w| is_assignment(w))
        .map(|w| (w.as_str(), expand(w, root)));
    let (written, program) = rest.next()?;
    let program = program?;
    if BUILTINS.contains(&program.as_str()) {
        return None;
    }
    let base = program.rsplit('/').next().unwrap_or(&program).to_string();
    if let Some(why) = check_program(written, &program, root, path_var) {
        return Some(why);
    }
    if INTERPRETERS.contains(&base.as_str()) {
        // `bash -c '...'` runs inline code; `python -m mod` names a module.
        let mut script = None;
        for (written, w) in rest {
            let w = w?;
            if matches!(w.as_str(), "-c" | "-e" | "-m" | "--eval") {
                return None;
            }
            if !w.starts_with('-') {
                script = Some((written, w));
                break;
            }
        }
        let (written, script) = script?;
        let p = resolve_in_project(&script, root);
        if !p.is_file() {
            return Some(format!("script `{written}` run by `{base}` does not exist"));
        }
    }
    None
}

fn is_assignment(w: &str) -> bool {
    match w.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit())
        }
        None => false,
    }
}

/// `$CLAUDE_PROJECT_DIR`, `~` and `$HOME` expanded; `None` when another
/// variable or a substitution remains.
fn expand(word: &str, root: &Path) -> Option<String> {
    let root_s = root.to_string_lossy();
    let mut w = word
        .replace("${CLAUDE_PROJECT_DIR}", &root_s)
        .replace("$CLAUDE_PROJECT_DIR", &root_s);
    if let Some(home) = std::env::var_os("HOME") {
        let home = home.to_string_lossy().into_owned();
        w = w.replace("${HOME}", &home).replace("$HOME", &home);
        if w == "~" || w.starts_with("~/") {
            w = format!("{home}{}", &w[1..]);
        }
    }
    if w.contains('$') || w.contains('`') || w.contains('*') || w.contains('?') {
        return None;
    }
    Some(w)
}

fn resolve_in_project(p: &str, root: &Path) -> PathBuf {
    let path = Path::new(p);
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        // Claude Code runs hooks in the project directory.
        root.join(path)
    }
}

fn is_executable(p: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(p) else {
        return false;
    };
    if !meta.is_file() {
        return false;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        true
    }
}

fn check_program(
    written: &str,
    program: &str,
    root: &Path,
    path_var: Option<&OsStr>,
) -> Option<String> {
    if program.contains('/') {
        let p = resolve_in_project(program, root);
        if !p.exists() {
            return Some(format!("`{written}` does not exist"));
        }
        if !is_executable(&p) {
            return Some(format!("`{written}` is not an executable file"));
        }
        return None;
    }
    let found = path_var
        .map(|pv| std::env::split_paths(pv).any(|dir| is_executable(&dir.join(program))))
        .unwrap_or(false);
    if found {
        None
    } else {
        Some(format!("`{program}` is not on PATH"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(
            words(r#"FOO=1 "$CLAUDE_PROJECT_DIR"/.claude/x.sh 'a b' c\ d | tee"#),
            ["FOO=1", "$CLAUDE_PROJECT_DIR/.claude/x.sh", "a b", "c d"]
        );
    }

    #[cfg(unix)]
    #[test]
    fn resolves_programs_and_scripts() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let bin = tempfile::tempdir().unwrap();
        let guard = bin.path().join("guard");
        std::fs::write(&guard, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&guard, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::write(bin.path().join("bash"), "").unwrap();
        std::fs::set_permissions(
            bin.path().join("bash"),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
        std::fs::create_dir(root.path().join("hooks")).unwrap();
        std::fs::write(root.path().join("hooks/check.sh"), "").unwrap();
        let pv = bin.path().as_os_str();
        let r = root.path();
        assert_eq!(missing("guard hook claude", r, Some(pv)), None);
        assert!(missing("gaurd hook claude", r, Some(pv))
            .unwrap()
            .contains("not on PATH"));
        assert_eq!(missing("bash hooks/check.sh", r, Some(pv)), None);
        assert_eq!(
            missing("bash \"$CLAUDE_PROJECT_DIR\"/hooks/check.sh", r, Some(pv)),
            None
        );
        assert!(missing("bash hooks/chek.sh", r, Some(pv))
            .unwrap()
            .contains("does not exist"));
        assert!(missing("./hooks/check.sh", r, Some(pv))
            .unwrap()
            .contains("not an executable"));
        assert_eq!(missing("bash -c 'exit 0'", r, Some(pv)), None);
        assert_eq!(missing("$MY_HOOK --x", r, Some(pv)), None);
        assert_eq!(missing("", r, Some(pv)), None);
    }
}
