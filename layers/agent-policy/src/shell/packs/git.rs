//! git: force pushes, hard resets, cleans, branch/stash/history destruction, hook skipping.

use crate::shell::argv::{has_any, has_long, has_short, positionals};
use crate::shell::{Engine, Inv};

/// Global options that take a separate value.
const GLOBAL_WITH_VALUE: &[&str] = &[
    "-C",
    "-c",
    "--git-dir",
    "--work-tree",
    "--namespace",
    "--config-env",
    "--exec-path",
    "--super-prefix",
];

pub fn git(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    // Global options before the subcommand, and hooks disabled through config.
    let mut i = 0;
    while i < t.len() {
        let a = t[i];
        if a == "-c" {
            if let Some(v) = t.get(i + 1) {
                let lower = v.to_ascii_lowercase();
                if lower.starts_with("core.hookspath=") {
                    e.hit(
                        "AGENT-GIT-010",
                        format!("-c {v} disables the project's hooks"),
                    );
                }
            }
        }
        if !a.starts_with('-') {
            break;
        }
        if GLOBAL_WITH_VALUE.contains(&a) {
            i += 1;
        }
        i += 1;
    }
    let Some(sub) = t.get(i).copied() else { return };
    let args = &t[i + 1..];
    match sub {
        "push" => push(e, args),
        "reset" if has_any(args, &["--hard", "--merge", "--keep"]) => {
            e.hit("AGENT-GIT-002", format!("git reset {}", args.join(" ")));
        }
        "clean" => {
            let force = has_short(args, 'f') || has_long(args, "force");
            let dry = has_short(args, 'n') || has_long(args, "dry-run");
            if force && !dry {
                e.hit("AGENT-GIT-003", format!("git clean {}", args.join(" ")));
            }
        }
        "branch" => {
            let force_delete = has_short(args, 'D')
                || ((has_short(args, 'd') || has_long(args, "delete"))
                    && (has_short(args, 'f') || has_long(args, "force")));
            if force_delete {
                e.hit("AGENT-GIT-004", format!("git branch {}", args.join(" ")));
            }
        }
        "worktree"
            if args.first() == Some(&"remove")
                && (has_short(args, 'f') || has_long(args, "force")) =>
        {
            e.hit("AGENT-GIT-004", "git worktree remove --force");
        }
        "checkout" => checkout(e, args),
        "restore" => restore(e, args),
        "stash" => match args.first().copied() {
            Some("clear") => e.hit("AGENT-GIT-007", "git stash clear"),
            Some("drop") => e.hit("AGENT-GIT-008", "git stash drop"),
            _ => {}
        },
        "filter-branch" | "filter-repo" => e.hit("AGENT-GIT-009", format!("git {sub}")),
        "reflog" if matches!(args.first(), Some(&"expire") | Some(&"delete")) => {
            e.hit("AGENT-GIT-009", format!("git reflog {}", args.join(" ")))
        }
        "gc" if args
            .iter()
            .any(|a| *a == "--prune=now" || *a == "--prune=all") =>
        {
            e.hit("AGENT-GIT-009", "git gc --prune=now")
        }
        "update-ref" if has_short(args, 'd') => e.hit("AGENT-GIT-009", "git update-ref -d"),
        _ => {}
    }
    if matches!(
        sub,
        "commit" | "push" | "merge" | "am" | "rebase" | "cherry-pick" | "revert" | "pull"
    ) && (has_long(args, "no-verify") || (sub == "commit" && has_short(args, 'n')))
    {
        e.hit("AGENT-GIT-010", format!("git {sub} --no-verify"));
    }
}

fn push(e: &mut Engine<'_>, args: &[&str]) {
    let pos = positionals(
        args,
        &["-o", "--push-option", "--repo", "--receive-pack", "--exec"],
    );
    let force = has_long(args, "force") || has_short(args, 'f') || has_long(args, "mirror");
    let plus = pos.iter().skip(1).any(|r| r.starts_with('+'));
    if force || plus {
        e.hit("AGENT-GIT-001", format!("git push {}", args.join(" ")));
    }
    let delete = has_long(args, "delete")
        || has_short(args, 'd')
        || pos
            .iter()
            .skip(1)
            .any(|r| r.starts_with(':') && r.len() > 1);
    if delete {
        e.hit("AGENT-GIT-011", format!("git push {}", args.join(" ")));
    }
}

fn whole_tree(p: &str) -> bool {
    matches!(p, "." | "./" | ":/" | "*" | ":(top)" | "/" | "..")
}

fn checkout(e: &mut Engine<'_>, args: &[&str]) {
    if has_short(args, 'f') || has_long(args, "force") {
        e.hit(
            "AGENT-GIT-005",
            "git checkout --force discards local changes",
        );
        return;
    }
    if let Some(p) = args.iter().position(|a| *a == "--") {
        let paths = &args[p + 1..];
        if paths.iter().any(|x| whole_tree(x)) {
            e.hit(
                "AGENT-GIT-005",
                format!("git checkout -- {}", paths.join(" ")),
            );
        } else if !paths.is_empty() {
            e.hit(
                "AGENT-GIT-006",
                format!("git checkout -- {}", paths.join(" ")),
            );
        }
        return;
    }
    let pos = positionals(args, &["-b", "-B", "--orphan", "--conflict"]);
    if pos.iter().any(|x| whole_tree(x)) {
        e.hit("AGENT-GIT-005", format!("git checkout {}", pos.join(" ")));
    }
}

fn restore(e: &mut Engine<'_>, args: &[&str]) {
    let staged = has_short(args, 'S') || has_long(args, "staged");
    let worktree = has_short(args, 'W') || has_long(args, "worktree");
    if staged && !worktree {
        return;
    }
    let pos = positionals(
        args,
        &["-s", "--source", "--conflict", "--pathspec-from-file"],
    );
    if pos.iter().any(|x| whole_tree(x)) {
        e.hit("AGENT-GIT-005", format!("git restore {}", pos.join(" ")));
    } else if !pos.is_empty() {
        e.hit("AGENT-GIT-006", format!("git restore {}", pos.join(" ")));
    }
}
