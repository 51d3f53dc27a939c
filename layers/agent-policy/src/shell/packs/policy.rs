//! Policy packs: stricter team policies that are off by default and switched on in
//! guard.toml (`[layers.agent-policy] packs = [...]`).
//!
//! - `default-branch`: pushes whose destination is `main` or `master` (named in the
//!   refspec, or the current branch of the working copy when no refspec is given);
//! - `pull-requests`: merging or closing pull requests, merge requests and issues;
//! - `tags`: deleting tags locally or on a remote;
//! - `project-rm`: any recursive `rm`, inside the project too.

use crate::shell::argv::{has_long, has_short, opt_value, positionals};
use crate::shell::{Engine, Inv};

const DEFAULT_BRANCHES: &[&str] = &["main", "master"];

/// git options before the subcommand that take a value.
const GIT_GLOBAL: &[&str] = &[
    "-C",
    "-c",
    "--git-dir",
    "--work-tree",
    "--namespace",
    "--config-env",
];

/// `git push` options that take a value.
const PUSH_VALUE: &[&str] = &[
    "-o",
    "--push-option",
    "--repo",
    "--receive-pack",
    "--exec",
    "--signed",
];

pub fn judge(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let cfg = e.config;
    if cfg.packs.is_empty() {
        return;
    }
    let on = |p: &str| cfg.policy_pack_on(p);
    match inv.prog {
        "git" => git(e, inv, on("default-branch"), on("tags")),
        "gh" | "glab" if on("pull-requests") || on("tags") => {
            forge(e, inv, on("pull-requests"), on("tags"))
        }
        "rm" if on("project-rm") => {
            let t = inv.texts();
            if has_short(&t, 'r') || has_short(&t, 'R') || has_long(&t, "recursive") {
                let targets = positionals(&t, &[]);
                if !targets.is_empty() {
                    e.hit("AGENT-POLICY-004", format!("rm -r {}", targets.join(" ")));
                }
            }
        }
        _ => {}
    }
}

/// The branch a refspec writes to (`main`, `HEAD:main`, `+refs/heads/main`).
fn destination(refspec: &str) -> &str {
    let r = refspec.strip_prefix('+').unwrap_or(refspec);
    let dst = r.rsplit_once(':').map(|(_, d)| d).unwrap_or(r);
    dst.strip_prefix("refs/heads/").unwrap_or(dst)
}

fn looks_like_tag(name: &str) -> bool {
    if name.starts_with("refs/tags/") {
        return true;
    }
    let v = name.strip_prefix('v').unwrap_or(name);
    v.chars().next().is_some_and(|c| c.is_ascii_digit())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-+_".contains(c))
        && v.contains('.')
}

fn git(e: &mut Engine<'_>, inv: &Inv<'_>, default_branch: bool, tags: bool) {
    let t = inv.texts();
    let Some(i) = crate::shell::argv::first_positional(&t, GIT_GLOBAL) else {
        return;
    };
    let sub = t[i];
    let rest = &t[i + 1..];
    if rest.iter().any(|a| matches!(*a, "-h" | "--help")) {
        return;
    }
    match sub {
        "tag" if tags && (has_short(rest, 'd') || has_long(rest, "delete")) => {
            let names = positionals(rest, &["-m", "-F", "-u", "--message", "--file"]);
            e.hit(
                "AGENT-POLICY-003",
                format!("git tag -d {}", names.join(" ")),
            );
        }
        "push" => {
            let dry = has_short(rest, 'n') || has_long(rest, "dry-run");
            if dry {
                return;
            }
            let pos = positionals(rest, PUSH_VALUE);
            let deleting = has_short(rest, 'd') || has_long(rest, "delete");
            let refspecs: Vec<&str> = pos.iter().skip(1).copied().collect();
            if tags {
                let tag_kw = refspecs.first() == Some(&"tag");
                let deleted: Vec<&str> = refspecs
                    .iter()
                    .copied()
                    .filter(|r| {
                        (deleting && (tag_kw || looks_like_tag(r)))
                            || r.strip_prefix(':')
                                .or_else(|| r.strip_prefix("+:"))
                                .is_some_and(|d| d.starts_with("refs/tags/"))
                    })
                    .filter(|r| *r != "tag")
                    .collect();
                if !deleted.is_empty() {
                    e.hit(
                        "AGENT-POLICY-003",
                        format!("git push deletes tag {}", deleted.join(" ")),
                    );
                }
            }
            if default_branch && !deleting {
                let to_default: Vec<&str> = refspecs
                    .iter()
                    .copied()
                    .filter(|r| DEFAULT_BRANCHES.contains(&destination(r)))
                    .collect();
                if !to_default.is_empty() {
                    e.hit(
                        "AGENT-POLICY-001",
                        format!("git push to {}", to_default.join(" ")),
                    );
                } else if has_long(rest, "all") || has_long(rest, "branches") {
                    e.hit(
                        "AGENT-POLICY-001",
                        "git push --all includes the default branch",
                    );
                } else if refspecs.is_empty() && !has_long(rest, "tags") {
                    if let Some(b) = current_branch(e) {
                        if DEFAULT_BRANCHES.contains(&b.as_str()) {
                            e.hit(
                                "AGENT-POLICY-001",
                                format!("git push from the checked-out `{b}`"),
                            );
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

/// The branch checked out in the shell's current directory, from `.git/HEAD`.
fn current_branch(e: &Engine<'_>) -> Option<String> {
    let mut dir = e.cwd.clone()?;
    loop {
        let head = dir.join(".git").join("HEAD");
        if let Ok(text) = std::fs::read_to_string(&head) {
            return text
                .trim()
                .strip_prefix("ref: refs/heads/")
                .map(str::to_string);
        }
        if !dir.pop() {
            return None;
        }
    }
}

fn forge(e: &mut Engine<'_>, inv: &Inv<'_>, prs: bool, tags: bool) {
    let t = inv.texts();
    let pos = positionals(
        &t,
        &[
            "-R",
            "--repo",
            "-b",
            "--body",
            "-t",
            "--subject",
            "-c",
            "--comment",
            "-r",
            "--reason",
            "-m",
            "--message",
            "-X",
            "--method",
            "-f",
            "-F",
            "--field",
            "--raw-field",
            "--match-head-commit",
            "--author-email",
        ],
    );
    if t.iter().any(|a| matches!(*a, "-h" | "--help")) {
        return;
    }
    let a = pos.first().copied().unwrap_or("");
    let b = pos.get(1).copied().unwrap_or("");
    let p = inv.prog;
    if prs {
        let hit = match (p, a, b) {
            ("gh", "pr", "merge" | "close") | ("gh", "issue", "close") => true,
            ("glab", "mr", "merge" | "close" | "accept") | ("glab", "issue", "close") => true,
            ("gh", "api", path) | ("glab", "api", path) => {
                let m = opt_value(&t, &["-X", "--method"]).unwrap_or("GET");
                (m.eq_ignore_ascii_case("PUT") && path.trim_end_matches('/').ends_with("/merge"))
                    || (m.eq_ignore_ascii_case("PUT") && path.ends_with("/merge_requests"))
            }
            _ => false,
        };
        if hit {
            e.hit("AGENT-POLICY-002", format!("{p} {a} {b}"));
        }
    }
    if tags {
        let cleanup = match p {
            "gh" => has_long(&t, "cleanup-tag"),
            _ => has_long(&t, "with-tag"),
        };
        if a == "release" && b == "delete" && cleanup {
            e.hit(
                "AGENT-POLICY-003",
                format!("{p} release delete with its tag"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::catalogue::Decision;
    use crate::shell::{analyse, Options};
    use crate::PolicyConfig;

    fn with(packs: &[&str], cmd: &str) -> Decision {
        let cfg = PolicyConfig {
            packs: packs.iter().map(|s| s.to_string()).collect(),
            ..PolicyConfig::default()
        };
        analyse(
            cmd,
            &cfg,
            &Options {
                cwd: Some("/nonexistent/proj".into()),
                home: Some("/home/dev".into()),
                ..Options::default()
            },
        )
        .decision
    }

    #[test]
    fn off_by_default() {
        for cmd in [
            "git push origin main",
            "gh pr merge 12 --squash",
            "git tag -d v1.0.0",
            "rm -rf build",
        ] {
            assert_eq!(with(&[], cmd), Decision::Allow, "{cmd}");
        }
    }

    #[test]
    fn default_branch() {
        let p = &["default-branch"];
        assert_eq!(with(p, "git push origin main"), Decision::Deny);
        assert_eq!(with(p, "git push origin HEAD:master"), Decision::Deny);
        assert_eq!(
            with(p, "git -C repo push -u origin refs/heads/main"),
            Decision::Deny
        );
        assert_eq!(with(p, "git push origin feature/login"), Decision::Allow);
        assert_eq!(with(p, "git push origin main-fixes"), Decision::Allow);
        assert_eq!(with(p, "git push --dry-run origin main"), Decision::Allow);
        assert_eq!(with(p, "git pull origin main"), Decision::Allow);
    }

    #[test]
    fn default_branch_from_head() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::create_dir(dir.path().join(".git")).expect("mkdir");
        std::fs::write(dir.path().join(".git/HEAD"), "ref: refs/heads/main\n").expect("head");
        let cfg = PolicyConfig {
            packs: vec!["default-branch".into()],
            ..PolicyConfig::default()
        };
        let opts = Options {
            cwd: Some(dir.path().to_path_buf()),
            home: None,
            ..Options::default()
        };
        assert_eq!(analyse("git push", &cfg, &opts).decision, Decision::Deny);
        std::fs::write(dir.path().join(".git/HEAD"), "ref: refs/heads/topic\n").expect("head");
        assert_eq!(analyse("git push", &cfg, &opts).decision, Decision::Allow);
    }

    #[test]
    fn pull_requests_and_tags() {
        let p = &["pull-requests"];
        assert_eq!(with(p, "gh pr merge 12 --squash"), Decision::Ask);
        assert_eq!(with(p, "gh issue close 7 -c done"), Decision::Ask);
        assert_eq!(with(p, "glab mr merge 3"), Decision::Ask);
        assert_eq!(with(p, "gh pr view 12"), Decision::Allow);
        assert_eq!(with(p, "gh pr create --title close"), Decision::Allow);
        let t = &["tags"];
        assert_eq!(with(t, "git tag -d v1.2.0"), Decision::Deny);
        assert_eq!(with(t, "git push origin --delete v1.2.0"), Decision::Deny);
        assert_eq!(with(t, "git push origin :refs/tags/v1.2.0"), Decision::Deny);
        assert_eq!(
            with(t, "git push origin --delete tag release-x"),
            Decision::Deny
        );
        assert_eq!(
            with(t, "gh release delete v1 --cleanup-tag -y"),
            Decision::Deny
        );
        assert_eq!(with(t, "git tag v1.2.0"), Decision::Allow);
        assert_eq!(with(t, "git tag -l"), Decision::Allow);
    }

    #[test]
    fn project_rm() {
        let p = &["project-rm"];
        assert_eq!(with(p, "rm -rf build"), Decision::Ask);
        assert_eq!(with(p, "rm -R ./dist"), Decision::Ask);
        assert_eq!(with(p, "rm notes.txt"), Decision::Allow);
        // The built-in rule still decides outside the project.
        assert_eq!(with(p, "rm -rf /"), Decision::Deny);
    }

    #[test]
    fn unknown_names_are_errors_not_silence() {
        let cfg = PolicyConfig {
            packs: vec!["main-branch".into()],
            ..PolicyConfig::default()
        };
        assert!(cfg.validate().is_err());
    }
}
