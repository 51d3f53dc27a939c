//! git's own option parsing (parse-options), so the packs read a git command line the
//! way git reads it: long options abbreviated to any unique prefix (`--forc`,
//! `--har`), `--name=value` and `--name value`, `--no-` negations, bundled short
//! flags (`-fd`), short options with an attached value (`-bNAME`), options mixed
//! with operands, and `--` ending the options.
//!
//! A prefix that several options share is an error for git, which then runs
//! nothing; it is read here as every option it could name, so an incomplete table
//! can only make the answer stricter.

/// Whether an option takes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Val {
    /// A flag.
    No,
    /// `--opt value`, `--opt=value`, `-ovalue`, `-o value`.
    Req,
    /// Only attached: `--opt=value`, `-ovalue`.
    Opt,
}

/// One git subcommand's options: long name, its short letter (or `' '`), value kind.
pub type Spec = &'static [(&'static str, char, Val)];

/// A git command line after option parsing.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct GitArgs {
    /// Canonical long names (or the letter of an unknown short option), with values.
    /// Negations are kept as `no-NAME`.
    pub opts: Vec<(String, Option<String>)>,
    /// Operands in order.
    pub pos: Vec<String>,
    /// Index in `pos` of the first operand written after `--`.
    pub dashdash: Option<usize>,
}

impl GitArgs {
    /// The option was given (and not negated later).
    pub fn has(&self, name: &str) -> bool {
        let mut on = false;
        for (n, _) in &self.opts {
            if n == name {
                on = true;
            } else if n.strip_prefix("no-") == Some(name) {
                on = false;
            }
        }
        on
    }

    /// The last value given to the option.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.opts
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    /// Operands written before `--`.
    pub fn before_dashdash(&self) -> &[String] {
        &self.pos[..self.dashdash.unwrap_or(self.pos.len()).min(self.pos.len())]
    }

    /// Operands written after `--`.
    pub fn after_dashdash(&self) -> &[String] {
        match self.dashdash {
            Some(i) => &self.pos[i.min(self.pos.len())..],
            None => &[],
        }
    }
}

/// Long options every git command accepts.
const COMMON: Spec = &[("help", 'h', Val::No)];

/// Parses `args` (the words after the subcommand) against `spec`.
pub fn parse(args: &[&str], spec: Spec) -> GitArgs {
    let mut out = GitArgs::default();
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        i += 1;
        if a == "--" {
            out.dashdash = Some(out.pos.len());
            out.pos.extend(args[i..].iter().map(|s| s.to_string()));
            break;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let found = resolve_long(name, spec);
            if found.is_empty() {
                out.opts.push((name.to_string(), inline));
                continue;
            }
            let mut consumed = false;
            for (canon, val) in found {
                let value = match (val, &inline) {
                    (_, Some(v)) => Some(v.clone()),
                    (Val::Req, None) if !canon.starts_with("no-") => {
                        consumed = true;
                        args.get(i).map(|s| s.to_string())
                    }
                    _ => None,
                };
                out.opts.push((canon, value));
            }
            if consumed {
                i += 1;
            }
            continue;
        }
        if let Some(body) = a.strip_prefix('-').filter(|b| !b.is_empty()) {
            let chars: Vec<char> = body.chars().collect();
            let mut k = 0;
            while k < chars.len() {
                let c = chars[k];
                k += 1;
                let known = spec.iter().chain(COMMON).find(|(_, s, _)| *s == c);
                let Some((name, _, val)) = known else {
                    out.opts.push((c.to_string(), None));
                    continue;
                };
                let rest: String = chars[k..].iter().collect();
                match val {
                    Val::No => out.opts.push((name.to_string(), None)),
                    Val::Opt => {
                        out.opts
                            .push((name.to_string(), (!rest.is_empty()).then_some(rest)));
                        break;
                    }
                    Val::Req => {
                        if rest.is_empty() {
                            out.opts
                                .push((name.to_string(), args.get(i).map(|s| s.to_string())));
                            i += 1;
                        } else {
                            out.opts.push((name.to_string(), Some(rest)));
                        }
                        break;
                    }
                }
            }
            continue;
        }
        out.pos.push(a.to_string());
    }
    out
}

/// The options a long name (maybe abbreviated, maybe `no-`) can mean: an exact match
/// alone, else every option it is a prefix of.
fn resolve_long(name: &str, spec: Spec) -> Vec<(String, Val)> {
    if name.is_empty() {
        return Vec::new();
    }
    let all = spec.iter().chain(COMMON);
    // Exact names first, then exact negations.
    for (long, _, val) in all.clone() {
        if *long == name {
            return vec![(long.to_string(), *val)];
        }
    }
    if let Some(neg) = name.strip_prefix("no-") {
        for (long, _, val) in all.clone() {
            if *long == neg {
                return vec![(format!("no-{long}"), *val)];
            }
        }
    }
    let mut found: Vec<(String, Val)> = Vec::new();
    for (long, _, val) in all.clone() {
        if long.starts_with(name) {
            found.push((long.to_string(), *val));
        }
    }
    if found.is_empty() {
        if let Some(neg) = name.strip_prefix("no-").filter(|n| !n.is_empty()) {
            for (long, _, val) in all {
                if long.starts_with(neg) {
                    found.push((format!("no-{long}"), *val));
                }
            }
        }
    }
    found
}

use Val::{No, Opt, Req};

pub const PUSH: Spec = &[
    ("force", 'f', No),
    ("force-with-lease", ' ', Opt),
    ("force-if-includes", ' ', No),
    ("mirror", ' ', No),
    ("delete", 'd', No),
    ("all", ' ', No),
    ("branches", ' ', No),
    ("tags", ' ', No),
    ("follow-tags", ' ', No),
    ("dry-run", 'n', No),
    ("porcelain", ' ', No),
    ("prune", ' ', No),
    ("verbose", 'v', No),
    ("quiet", 'q', No),
    ("set-upstream", 'u', No),
    ("verify", ' ', No),
    ("atomic", ' ', No),
    ("repo", ' ', Req),
    ("receive-pack", ' ', Req),
    ("exec", ' ', Req),
    ("push-option", 'o', Req),
    ("ipv4", '4', No),
    ("ipv6", '6', No),
    ("signed", ' ', Opt),
    ("thin", ' ', No),
    ("recurse-submodules", ' ', Req),
    ("progress", ' ', No),
];

pub const RESET: Spec = &[
    ("hard", ' ', No),
    ("soft", ' ', No),
    ("mixed", ' ', No),
    ("merge", ' ', No),
    ("keep", ' ', No),
    ("quiet", 'q', No),
    ("patch", 'p', No),
    ("intent-to-add", 'N', No),
    ("pathspec-from-file", ' ', Req),
    ("pathspec-file-nul", ' ', No),
    ("recurse-submodules", ' ', Opt),
    ("refresh", ' ', No),
];

pub const CLEAN: Spec = &[
    ("force", 'f', No),
    ("dry-run", 'n', No),
    ("interactive", 'i', No),
    ("quiet", 'q', No),
    ("exclude", 'e', Req),
    ("directories", 'd', No),
    ("ignored", 'x', No),
    ("only-ignored", 'X', No),
];

pub const BRANCH: Spec = &[
    ("delete", 'd', No),
    ("force-delete", 'D', No),
    ("force", 'f', No),
    ("move", 'm', No),
    ("force-move", 'M', No),
    ("copy", 'c', No),
    ("force-copy", 'C', No),
    ("list", 'l', No),
    ("set-upstream-to", 'u', Req),
    ("unset-upstream", ' ', No),
    ("track", 't', Opt),
    ("all", 'a', No),
    ("remotes", 'r', No),
    ("contains", ' ', Opt),
    ("merged", ' ', Opt),
    ("sort", ' ', Req),
    ("format", ' ', Req),
    ("points-at", ' ', Req),
    ("show-current", ' ', No),
    ("edit-description", ' ', No),
    ("create-reflog", ' ', No),
    ("verbose", 'v', No),
    ("quiet", 'q', No),
    ("column", ' ', Opt),
    ("color", ' ', Opt),
    ("abbrev", ' ', Opt),
    ("ignore-case", 'i', No),
    ("omit-empty", ' ', No),
    ("recurse-submodules", ' ', No),
];

pub const CHECKOUT: Spec = &[
    ("b", 'b', Req),
    ("B", 'B', Req),
    ("orphan", ' ', Req),
    ("force", 'f', No),
    ("detach", ' ', No),
    ("track", 't', Opt),
    ("guess", ' ', No),
    ("merge", 'm', No),
    ("conflict", ' ', Req),
    ("patch", 'p', No),
    ("ours", '2', No),
    ("theirs", '3', No),
    ("quiet", 'q', No),
    ("progress", ' ', No),
    ("overwrite-ignore", ' ', No),
    ("ignore-other-worktrees", ' ', No),
    ("ignore-skip-worktree-bits", ' ', No),
    ("recurse-submodules", ' ', Opt),
    ("pathspec-from-file", ' ', Req),
    ("pathspec-file-nul", ' ', No),
    ("overlay", ' ', No),
];

pub const SWITCH: Spec = &[
    ("create", 'c', Req),
    ("force-create", 'C', Req),
    ("orphan", ' ', Req),
    ("force", 'f', No),
    ("discard-changes", ' ', No),
    ("detach", 'd', No),
    ("guess", ' ', No),
    ("merge", 'm', No),
    ("conflict", ' ', Req),
    ("quiet", 'q', No),
    ("progress", ' ', No),
    ("track", 't', Opt),
    ("ignore-other-worktrees", ' ', No),
    ("recurse-submodules", ' ', Opt),
];

pub const RESTORE: Spec = &[
    ("source", 's', Req),
    ("staged", 'S', No),
    ("worktree", 'W', No),
    ("patch", 'p', No),
    ("ours", ' ', No),
    ("theirs", ' ', No),
    ("merge", 'm', No),
    ("conflict", ' ', Req),
    ("ignore-unmerged", ' ', No),
    ("ignore-skip-worktree-bits", ' ', No),
    ("overlay", ' ', No),
    ("quiet", 'q', No),
    ("progress", ' ', No),
    ("recurse-submodules", ' ', Opt),
    ("pathspec-from-file", ' ', Req),
    ("pathspec-file-nul", ' ', No),
];

pub const COMMIT: Spec = &[
    ("no-verify", 'n', No),
    ("verify", ' ', No),
    ("all", 'a', No),
    ("message", 'm', Req),
    ("file", 'F', Req),
    ("reuse-message", 'C', Req),
    ("reedit-message", 'c', Req),
    ("fixup", ' ', Req),
    ("squash", ' ', Req),
    ("template", 't', Req),
    ("author", ' ', Req),
    ("date", ' ', Req),
    ("cleanup", ' ', Req),
    ("gpg-sign", 'S', Opt),
    ("untracked-files", 'u', Opt),
    ("amend", ' ', No),
    ("signoff", 's', No),
    ("patch", 'p', No),
    ("quiet", 'q', No),
    ("verbose", 'v', No),
    ("edit", 'e', No),
    ("include", 'i', No),
    ("only", 'o', No),
    ("pathspec-from-file", ' ', Req),
    ("trailer", ' ', Req),
];

/// Options of the history commands that skip hooks with `--no-verify`.
pub const VERIFYING: Spec = &[
    ("no-verify", ' ', No),
    ("verify", ' ', No),
    ("message", 'm', Req),
    ("strategy", 's', Req),
    ("strategy-option", 'X', Req),
    ("onto", ' ', Req),
    ("exec", 'x', Req),
    ("gpg-sign", 'S', Opt),
];

pub const GC: Spec = &[
    ("prune", ' ', Opt),
    ("aggressive", ' ', No),
    ("auto", ' ', No),
    ("quiet", 'q', No),
    ("force", ' ', No),
    ("keep-largest-pack", ' ', No),
];

pub const REFLOG_EXPIRE: Spec = &[
    ("expire", ' ', Opt),
    ("expire-unreachable", ' ', Opt),
    ("all", ' ', No),
    ("rewrite", ' ', No),
    ("updateref", ' ', No),
    ("stale-fix", ' ', No),
    ("dry-run", 'n', No),
    ("verbose", ' ', No),
    ("single-worktree", ' ', No),
];

pub const UPDATE_REF: Spec = &[
    ("delete", 'd', No),
    ("message", 'm', Req),
    ("no-deref", ' ', No),
    ("stdin", ' ', No),
    ("create-reflog", ' ', No),
];

pub const STASH: Spec = &[
    ("quiet", 'q', No),
    ("index", ' ', No),
    ("message", 'm', Req),
    ("keep-index", 'k', No),
    ("include-untracked", 'u', No),
    ("all", 'a', No),
    ("patch", 'p', No),
    ("staged", 'S', No),
];

pub const WORKTREE_REMOVE: Spec = &[("force", 'f', No)];

pub const NONE: Spec = &[];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_resolve_like_git() {
        let a = parse(&["--har"], RESET);
        assert!(a.has("hard"));
        let a = parse(&["--mir", "origin"], PUSH);
        assert!(a.has("mirror"));
        assert_eq!(a.pos, vec!["origin"]);
        // Ambiguous: every option it could be.
        let a = parse(&["--forc"], PUSH);
        assert!(a.has("force") && a.has("force-with-lease"));
        // Exact wins over longer names.
        let a = parse(&["--force-with-lease"], PUSH);
        assert!(!a.has("force"));
        let a = parse(&["--force", "--no-force"], PUSH);
        assert!(!a.has("force"));
    }

    #[test]
    fn short_options_with_attached_values() {
        let a = parse(&["-bfeature"], CHECKOUT);
        assert_eq!(a.value("b"), Some("feature"));
        assert!(!a.has("force"));
        let a = parse(&["-fb", "x"], CHECKOUT);
        assert!(a.has("force"));
        assert_eq!(a.value("b"), Some("x"));
        let a = parse(&["-s", "HEAD~1", "src/a.rs"], RESTORE);
        assert_eq!(a.value("source"), Some("HEAD~1"));
        assert_eq!(a.pos, vec!["src/a.rs"]);
        let a = parse(&["--source", "main", "--", "."], RESTORE);
        assert_eq!(a.after_dashdash(), ["."]);
        let a = parse(&["-am", "-f is a flag"], COMMIT);
        assert!(a.has("all") && !a.has("force"));
    }
}
