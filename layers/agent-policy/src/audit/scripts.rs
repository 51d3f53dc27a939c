//! Scripts, task files and CI that start Claude Code with permission prompts
//! switched off (`--dangerously-skip-permissions`, `--permission-mode
//! bypassPermissions`).

use super::rules::BYPASS_PERMISSIONS;
use guard_core::walk::SourceFile;
use guard_core::{Finding, Location};

const SKIP_FLAG: &str = "--dangerously-skip-permissions";
const MODE_FLAG: &str = "--permission-mode";
/// Larger files are not hand-written scripts.
pub const MAX_SCRIPT_BYTES: u64 = 512 * 1024;

/// Files that start programs: shell scripts, task runners, CI and container
/// definitions, package manifests. Prose (Markdown) is left out: it may
/// mention the flag to warn against it.
pub fn is_script(file: &SourceFile) -> bool {
    let name = file.file_name();
    if matches!(
        name,
        "Makefile"
            | "makefile"
            | "GNUmakefile"
            | "justfile"
            | "Justfile"
            | "Dockerfile"
            | "Containerfile"
            | "Taskfile.yml"
            | "Procfile"
    ) {
        return true;
    }
    matches!(
        file.extension(),
        Some(
            "sh" | "bash"
                | "zsh"
                | "fish"
                | "ps1"
                | "mk"
                | "yml"
                | "yaml"
                | "toml"
                | "json"
                | "py"
                | "js"
                | "mjs"
                | "ts"
        )
    ) && !file.rel_path.starts_with(".claude/settings")
}

/// Whether `flag` occurs in `line` as a whole word.
fn word_at(line: &str, flag: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = line[from..].find(flag) {
        let start = from + i;
        let end = start + flag.len();
        let after = line[end..].chars().next();
        if !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Some(start);
        }
        from = end;
    }
    None
}

/// Findings for one file's text.
pub fn scan(path: &str, text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let col = |byte: usize| u32::try_from(line[..byte].chars().count() + 1).unwrap_or(u32::MAX);
        if let Some(at) = word_at(line, SKIP_FLAG) {
            out.push(
                Finding::new(
                    &BYPASS_PERMISSIONS,
                    format!("`{SKIP_FLAG}` runs Claude Code with every permission prompt off"),
                )
                .at(Location::span(
                    path,
                    (n, col(at)),
                    (n, col(at + SKIP_FLAG.len())),
                )),
            );
            continue;
        }
        if let Some(at) = word_at(line, MODE_FLAG) {
            let rest = line[at + MODE_FLAG.len()..].trim_start_matches(['=', ' ', '\t', '"', '\'']);
            if rest.starts_with("bypassPermissions") {
                out.push(
                    Finding::new(
                        &BYPASS_PERMISSIONS,
                        "`--permission-mode bypassPermissions` runs Claude Code with every permission prompt off",
                    )
                    .at(Location::span(path, (n, col(at)), (n, col(at + MODE_FLAG.len())))),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_as_words_only() {
        assert_eq!(
            scan("run.sh", "claude --dangerously-skip-permissions -p x\n").len(),
            1
        );
        assert_eq!(
            scan("run.sh", "claude --permission-mode bypassPermissions\n").len(),
            1
        );
        assert_eq!(
            scan("run.sh", "claude --permission-mode=bypassPermissions\n").len(),
            1
        );
        assert_eq!(scan("run.sh", "claude --permission-mode plan\n").len(), 0);
        assert_eq!(
            scan("run.sh", "x --dangerously-skip-permissions-check\n").len(),
            0
        );
    }
}
