//! git: force pushes, hard resets, cleans, branch/stash/history destruction, hook
//! skipping, and configuration that runs commands.
//!
//! The command line is read the way git reads it ([`gitopts`]): global options,
//! per-command configuration (`-c key=value`, `--config-env`, `GIT_CONFIG_*`,
//! `GIT_CONFIG_PARAMETERS`), aliases (inline and from the repository's and the
//! user's git config), then the subcommand's options with git's abbreviation rules.
//! Configuration and environment values that git runs as commands (`alias.x=!...`,
//! `core.sshCommand`, `GIT_SSH_COMMAND`, pagers, editors, filters...) are judged as
//! the commands they are.

use crate::shell::gitconfig;
use crate::shell::gitopts::{self, GitArgs};
use crate::shell::parse::Stdin;
use crate::shell::word::Word;
use crate::shell::{paths, Engine, Inv};
use std::path::PathBuf;

/// Alias expansions followed per command (git itself stops at a loop).
const MAX_ALIASES: usize = 8;

/// git's built-in commands: an alias of the same name is ignored by git.
const BUILTINS: &[&str] = &[
    "add",
    "am",
    "annotate",
    "apply",
    "archive",
    "bisect",
    "blame",
    "branch",
    "bundle",
    "cat-file",
    "check-attr",
    "check-ignore",
    "checkout",
    "checkout-index",
    "cherry",
    "cherry-pick",
    "clean",
    "clone",
    "commit",
    "commit-tree",
    "config",
    "count-objects",
    "describe",
    "diff",
    "diff-files",
    "diff-index",
    "diff-tree",
    "fetch",
    "filter-branch",
    "format-patch",
    "fsck",
    "gc",
    "grep",
    "hash-object",
    "help",
    "init",
    "log",
    "ls-files",
    "ls-remote",
    "ls-tree",
    "maintenance",
    "merge",
    "merge-base",
    "mv",
    "notes",
    "pull",
    "push",
    "range-diff",
    "read-tree",
    "rebase",
    "reflog",
    "remote",
    "repack",
    "replace",
    "reset",
    "restore",
    "rev-list",
    "rev-parse",
    "revert",
    "rm",
    "shortlog",
    "show",
    "show-branch",
    "show-ref",
    "sparse-checkout",
    "stash",
    "status",
    "submodule",
    "switch",
    "symbolic-ref",
    "tag",
    "update-index",
    "update-ref",
    "var",
    "verify-commit",
    "version",
    "whatchanged",
    "worktree",
    "write-tree",
    "prune",
    "fast-export",
    "fast-import",
];

/// Configuration keys whose value git runs as a command (`*` is any subsection).
const COMMAND_KEYS: &[&str] = &[
    "core.sshcommand",
    "core.pager",
    "core.editor",
    "core.fsmonitor",
    "core.gitproxy",
    "core.askpass",
    "sequence.editor",
    "diff.external",
    "diff.*.textconv",
    "diff.*.command",
    "merge.*.driver",
    "filter.*.clean",
    "filter.*.smudge",
    "filter.*.process",
    "credential.helper",
    "gpg.program",
    "gpg.*.program",
    "pager.*",
    "uploadpack.packobjectshook",
    "sendemail.sendmailcmd",
    "mergetool.*.cmd",
    "difftool.*.cmd",
];

/// Environment variables git runs as a shell command, and `GIT_SSH` (a program).
const COMMAND_ENV: &[&str] = &[
    "GIT_SSH_COMMAND",
    "GIT_EDITOR",
    "GIT_SEQUENCE_EDITOR",
    "GIT_PAGER",
    "GIT_EXTERNAL_DIFF",
    "GIT_PROXY_COMMAND",
    "GIT_ASKPASS",
];

pub fn git(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t: Vec<String> = inv.args.iter().map(|w| w.text.clone()).collect();
    for (k, v) in inv.env {
        if COMMAND_ENV.contains(&k.as_str()) && !v.trim().is_empty() {
            e.script(v, inv.depth + 1);
        } else if k == "GIT_SSH" && !v.trim().is_empty() {
            e.argv(
                vec![Word::lit(v.clone())],
                Vec::new(),
                &Stdin::Inherited,
                inv.depth + 1,
            );
        }
    }
    let mut config = env_config(inv.env);
    run(e, inv, t, &mut config, 0);
}

/// `GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_n`/`GIT_CONFIG_VALUE_n` and
/// `GIT_CONFIG_PARAMETERS` (`'key'='value' ...`).
fn env_config(env: &[(String, String)]) -> Vec<(String, String)> {
    let get = |k: &str| env.iter().rev().find(|(a, _)| a == k).map(|(_, v)| v);
    let mut out = Vec::new();
    if let Some(n) = get("GIT_CONFIG_COUNT").and_then(|n| n.trim().parse::<usize>().ok()) {
        for i in 0..n.min(256) {
            if let (Some(k), Some(v)) = (
                get(&format!("GIT_CONFIG_KEY_{i}")),
                get(&format!("GIT_CONFIG_VALUE_{i}")),
            ) {
                out.push((k.to_ascii_lowercase(), v.clone()));
            }
        }
    }
    if let Some(p) = get("GIT_CONFIG_PARAMETERS") {
        // Single-quoted words, `'key'='value'` or `'key=value'`.
        let mut words = Vec::new();
        let mut cur = String::new();
        let mut quoted = false;
        for c in p.chars() {
            match c {
                '\'' => quoted = !quoted,
                c if c.is_whitespace() && !quoted => {
                    if !cur.is_empty() {
                        words.push(std::mem::take(&mut cur));
                    }
                }
                c => cur.push(c),
            }
        }
        if !cur.is_empty() {
            words.push(cur);
        }
        for w in words {
            if let Some((k, v)) = w.split_once('=') {
                out.push((k.to_ascii_lowercase(), v.to_string()));
            }
        }
    }
    out
}

fn key_matches(key: &str, pattern: &str) -> bool {
    let kp: Vec<&str> = key.split('.').collect();
    let pp: Vec<&str> = pattern.split('.').collect();
    match (kp.as_slice(), pp.as_slice()) {
        ([k1, .., k2], [p1, "*", p2]) => k1 == p1 && k2 == p2 && kp.len() >= 3,
        ([k1, ..], [p1, "*"]) => k1 == p1 && kp.len() >= 2,
        _ => key == pattern,
    }
}

/// Judges one configuration entry given on the command line or in the environment.
fn judge_config(e: &mut Engine<'_>, key: &str, value: &str, depth: usize) {
    let key = key.to_ascii_lowercase();
    if key == "core.hookspath" {
        e.hit(
            "AGENT-GIT-010",
            format!("-c core.hooksPath={value} disables the project's hooks"),
        );
        return;
    }
    if COMMAND_KEYS.iter().any(|p| key_matches(&key, p)) {
        let v = value.trim();
        // Booleans and built-in helpers are not commands.
        if v.is_empty()
            || matches!(
                v.to_ascii_lowercase().as_str(),
                "true" | "false" | "yes" | "no" | "on" | "off" | "0" | "1"
            )
            || (key == "credential.helper" && !v.starts_with('!') && !v.starts_with('/'))
        {
            return;
        }
        let cmd = v.strip_prefix('!').unwrap_or(v).to_string();
        e.script(&cmd, depth + 1);
    }
}

fn run(
    e: &mut Engine<'_>,
    inv: &Inv<'_>,
    t: Vec<String>,
    config: &mut Vec<(String, String)>,
    expansions: usize,
) {
    // Global options before the subcommand.
    let mut i = 0;
    let mut chdir: Vec<String> = Vec::new();
    while i < t.len() {
        let a = t[i].as_str();
        match a {
            "-c" => {
                if let Some((k, v)) = t.get(i + 1).and_then(|kv| kv.split_once('=')) {
                    config.push((k.to_ascii_lowercase(), v.to_string()));
                } else if let Some(k) = t.get(i + 1) {
                    config.push((k.to_ascii_lowercase(), "true".into()));
                }
                i += 2;
                continue;
            }
            "-C" => {
                if let Some(d) = t.get(i + 1) {
                    chdir.push(d.clone());
                }
                i += 2;
                continue;
            }
            "--config-env" | "--git-dir" | "--work-tree" | "--namespace" | "--super-prefix"
            | "--list-cmds" | "--attr-source" => {
                if a == "--config-env" {
                    if let Some(spec) = t.get(i + 1) {
                        config_env(inv, spec, config);
                    }
                }
                i += 2;
                continue;
            }
            "-h" | "--help" | "-v" | "--version" | "--html-path" | "--man-path" | "--info-path" => {
                return
            }
            "--exec-path" if t.get(i + 1).is_none() => return,
            _ => {}
        }
        if let Some(spec) = a.strip_prefix("--config-env=") {
            config_env(inv, spec, config);
        }
        if !a.starts_with('-') || a == "-" {
            break;
        }
        i += 1;
    }
    for (k, v) in config.iter() {
        if !k.starts_with("alias.") {
            judge_config(e, k, v, inv.depth);
        }
    }
    let Some(sub) = t.get(i).cloned() else { return };
    let rest: Vec<String> = t[i + 1..].to_vec();
    if !BUILTINS.contains(&sub.as_str()) {
        if expansions >= MAX_ALIASES {
            e.hit("AGENT-SHELL-001", "git aliases nested too deeply");
            return;
        }
        let key = format!("alias.{}", sub.to_ascii_lowercase());
        let inline = config
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone());
        let alias = inline.or_else(|| repo_alias(e, &chdir, &sub));
        if let Some(value) = alias {
            expand_alias(e, inv, &sub, &value, &t[..i], rest, config, expansions);
            return;
        }
        // No alias: an external `git-<sub>` program (`git filter-repo`).
    }
    let args: Vec<&str> = rest.iter().map(String::as_str).collect();
    subcommand(e, &sub, &args, inv.depth);
}

fn config_env(inv: &Inv<'_>, spec: &str, config: &mut Vec<(String, String)>) {
    if let Some((k, var)) = spec.split_once('=') {
        let v = inv.env_value(var).unwrap_or("").to_string();
        config.push((k.to_ascii_lowercase(), v));
    }
}

/// The alias from the git config files of the directory git would run in.
fn repo_alias(e: &Engine<'_>, chdir: &[String], name: &str) -> Option<String> {
    let mut dir: PathBuf = e.cwd.clone()?;
    for d in chdir {
        let p = paths::expand_home(d, &e.home);
        dir = if p.is_absolute() { p } else { dir.join(p) };
    }
    gitconfig::alias(&paths::normalize(&dir), &e.home, name)
}

#[allow(clippy::too_many_arguments)]
fn expand_alias(
    e: &mut Engine<'_>,
    inv: &Inv<'_>,
    name: &str,
    value: &str,
    globals: &[String],
    rest: Vec<String>,
    config: &mut Vec<(String, String)>,
    expansions: usize,
) {
    if let Some(shell) = value.strip_prefix('!') {
        // git runs `sh -c '<alias> "$@"' <alias> args...`.
        let args: Vec<String> = rest.iter().map(|a| quote(a)).collect();
        let src = if args.is_empty() {
            shell.to_string()
        } else {
            format!("{shell} {}", args.join(" "))
        };
        e.note(format!("git alias `{name}` runs `{}`", clip(shell)));
        e.script(&src, inv.depth + 1);
        return;
    }
    // The alias words (split with shell quoting, as git does), then the arguments.
    let parsed = crate::shell::parse::parse(value);
    let words: Vec<String> = parsed
        .cmds
        .first()
        .map(|c| c.argv.iter().map(|w| w.text.clone()).collect())
        .unwrap_or_default();
    if words.is_empty() {
        return;
    }
    e.note(format!("git alias `{name}` is `git {}`", clip(value)));
    let mut t: Vec<String> = globals.to_vec();
    t.extend(words);
    t.extend(rest);
    run(e, inv, t, config, expansions + 1);
}

fn clip(s: &str) -> String {
    s.chars().take(80).collect()
}

fn quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@+,%".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn subcommand(e: &mut Engine<'_>, sub: &str, args: &[&str], depth: usize) {
    let joined = args.join(" ");
    let p = |spec| gitopts::parse(args, spec);
    match sub {
        // Commands git runs for the user: judged as those commands.
        "rebase" => {
            let a = p(gitopts::VERIFYING);
            for (name, v) in &a.opts {
                if name == "exec" {
                    if let Some(cmd) = v {
                        e.script(cmd, depth + 1);
                    }
                }
            }
        }
        "submodule" => {
            let a = p(gitopts::NONE);
            if let Some(at) = a.pos.iter().position(|w| w == "foreach") {
                let cmd = a.pos[at + 1..].join(" ");
                if !cmd.is_empty() {
                    e.script(&cmd, depth + 1);
                }
            }
        }
        "bisect" if args.first() == Some(&"run") && args.len() > 1 => {
            let argv: Vec<Word> = args[1..].iter().map(|a| Word::lit(*a)).collect();
            e.argv(argv, Vec::new(), &Stdin::Inherited, depth + 1);
        }
        "push" => push(e, &p(gitopts::PUSH), &joined),
        "reset" => {
            let a = p(gitopts::RESET);
            if !a.has("help") && (a.has("hard") || a.has("merge") || a.has("keep")) {
                e.hit("AGENT-GIT-002", format!("git reset {joined}"));
            }
        }
        "clean" => {
            let a = p(gitopts::CLEAN);
            if a.has("force") && !a.has("dry-run") && !a.has("interactive") && !a.has("help") {
                e.hit("AGENT-GIT-003", format!("git clean {joined}"));
            }
        }
        "branch" => branch(e, &p(gitopts::BRANCH), &joined),
        "worktree" => {
            let a = p(gitopts::WORKTREE_REMOVE);
            if a.pos.first().map(String::as_str) == Some("remove") && a.has("force") {
                e.hit("AGENT-GIT-004", "git worktree remove --force");
            }
        }
        "checkout" => checkout(e, &p(gitopts::CHECKOUT)),
        "switch" => {
            let a = p(gitopts::SWITCH);
            if a.has("help") {
                return;
            }
            if a.has("force") || a.has("discard-changes") {
                e.hit(
                    "AGENT-GIT-005",
                    format!("git switch {joined} discards local changes"),
                );
            } else if a.value("force-create").is_some() {
                e.hit(
                    "AGENT-GIT-004",
                    format!("git switch {joined} resets an existing branch"),
                );
            }
        }
        "restore" => restore(e, &p(gitopts::RESTORE)),
        "stash" => {
            let a = p(gitopts::STASH);
            match a.pos.first().map(String::as_str) {
                Some("clear") => e.hit("AGENT-GIT-007", "git stash clear"),
                Some("drop") => e.hit("AGENT-GIT-008", "git stash drop"),
                _ => {}
            }
        }
        "filter-branch" | "filter-repo" if !p(gitopts::NONE).has("help") => {
            e.hit("AGENT-GIT-009", format!("git {sub}"))
        }
        "reflog" => {
            let a = p(gitopts::REFLOG_EXPIRE);
            if matches!(a.pos.first().map(String::as_str), Some("expire" | "delete"))
                && !a.has("dry-run")
            {
                e.hit("AGENT-GIT-009", format!("git reflog {joined}"))
            }
        }
        "gc" => {
            let a = p(gitopts::GC);
            if matches!(a.value("prune"), Some("now" | "all")) {
                e.hit("AGENT-GIT-009", format!("git gc {joined}"))
            }
        }
        "update-ref" if p(gitopts::UPDATE_REF).has("delete") => {
            e.hit("AGENT-GIT-009", "git update-ref -d")
        }
        _ => {}
    }
    let skips_hooks = match sub {
        "commit" => p(gitopts::COMMIT).has("no-verify"),
        "push" => p(gitopts::PUSH).has("no-verify"),
        "merge" | "am" | "rebase" | "cherry-pick" | "revert" | "pull" => {
            p(gitopts::VERIFYING).has("no-verify")
        }
        _ => false,
    };
    if skips_hooks {
        e.hit("AGENT-GIT-010", format!("git {sub} --no-verify"));
    }
}

fn push(e: &mut Engine<'_>, a: &GitArgs, joined: &str) {
    if a.has("help") || a.has("dry-run") {
        return;
    }
    let refspecs = a.pos.get(1..).unwrap_or(&[]);
    let plus = refspecs.iter().any(|r| r.starts_with('+'));
    if a.has("force") || a.has("mirror") || plus {
        e.hit("AGENT-GIT-001", format!("git push {joined}"));
    }
    let delete = a.has("delete")
        || a.has("prune")
        || refspecs.iter().any(|r| r.starts_with(':') && r.len() > 1);
    if delete {
        e.hit("AGENT-GIT-011", format!("git push {joined}"));
    }
}

fn branch(e: &mut Engine<'_>, a: &GitArgs, joined: &str) {
    if a.has("help") || a.has("list") {
        return;
    }
    let delete = a.has("delete");
    let force_delete = a.has("force-delete") || (delete && a.has("force"));
    let force_other = a.has("force-move")
        || a.has("force-copy")
        || (a.has("force") && !delete && !a.pos.is_empty() && !a.has("move") && !a.has("copy"))
        || ((a.has("move") || a.has("copy")) && a.has("force"));
    if force_delete || force_other {
        e.hit("AGENT-GIT-004", format!("git branch {joined}"));
    }
}

fn whole_tree(p: &str) -> bool {
    let p = p.trim_end_matches('/');
    matches!(
        p,
        "." | "" | ":" | ":/" | "*" | ":(top)" | ":(glob)**" | "/" | ".." | ":/*" | "**" | "./*"
    )
}

fn discard(e: &mut Engine<'_>, cmd: &str, paths: &[String], from_file: Option<&str>) {
    if paths.iter().any(|x| whole_tree(x)) {
        e.hit("AGENT-GIT-005", format!("git {cmd} {}", paths.join(" ")));
    } else if !paths.is_empty() {
        e.hit("AGENT-GIT-006", format!("git {cmd} {}", paths.join(" ")));
    } else if let Some(f) = from_file {
        e.hit(
            "AGENT-GIT-006",
            format!("git {cmd} --pathspec-from-file={f}"),
        );
    }
}

fn checkout(e: &mut Engine<'_>, a: &GitArgs) {
    if a.has("help") {
        return;
    }
    if a.has("force") {
        e.hit(
            "AGENT-GIT-005",
            "git checkout --force discards local changes",
        );
        return;
    }
    let from_file = a.value("pathspec-from-file");
    let creating = a.value("b").is_some() || a.value("orphan").is_some();
    if a.value("B").is_some() {
        e.hit("AGENT-GIT-004", "git checkout -B resets an existing branch");
    }
    if a.dashdash.is_some() {
        // `git checkout [<tree-ish>] -- <paths>`.
        discard(e, "checkout --", a.after_dashdash(), from_file);
        return;
    }
    let before = a.before_dashdash();
    // `git checkout <tree-ish> <paths>`: the first operand names the source.
    let paths: &[String] = if creating || a.value("B").is_some() {
        &[]
    } else if before.len() >= 2 {
        &before[1..]
    } else if before.len() == 1 && whole_tree(&before[0]) {
        before
    } else {
        &[]
    };
    if paths.is_empty() && from_file.is_none() && !a.has("patch") {
        return;
    }
    if a.has("patch") && paths.is_empty() && before.len() == 1 {
        discard(e, "checkout -p", before, None);
        return;
    }
    discard(e, "checkout", paths, from_file);
}

fn restore(e: &mut Engine<'_>, a: &GitArgs) {
    if a.has("help") {
        return;
    }
    let staged = a.has("staged");
    let worktree = a.has("worktree") || (!staged && !negated(a, "worktree"));
    if !worktree {
        return;
    }
    if a.has("patch") && a.pos.is_empty() {
        e.hit("AGENT-GIT-006", "git restore --patch (every changed file)");
        return;
    }
    discard(e, "restore", &a.pos, a.value("pathspec-from-file"));
}

fn negated(a: &GitArgs, name: &str) -> bool {
    let neg = format!("no-{name}");
    a.opts
        .iter()
        .rev()
        .find(|(n, _)| *n == name || *n == neg)
        .map(|(n, _)| n.as_str())
        == Some(neg.as_str())
}
