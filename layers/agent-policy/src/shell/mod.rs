//! Command analysis: a Bash command string to a decision.
//!
//! The string is parsed ([`parse`]), every simple command is found wherever it is
//! nested, wrappers are stripped ([`unwrap`]), payloads of `bash -c`, `eval`, `ssh`,
//! `xargs`, `find -exec`, heredocs and pipes into shells are analysed recursively
//! (bounded depth), and each resulting argv is judged by the packs ([`packs`]).
//! The worst decision wins. Unparsable input adds a token-level scan ([`scan`]) and
//! never comes out better than `ask`.

pub mod argv;
pub mod gitconfig;
pub mod gitopts;
pub mod packs;
pub mod parse;
pub mod paths;
pub mod powershell;
pub mod scan;
pub mod sql;
pub mod syntax;
pub mod unwrap;
pub mod word;

use crate::catalogue::{self, Decision};
use crate::config::PolicyConfig;
use parse::{Cmd, Stdin};
use std::collections::BTreeMap;
use std::path::PathBuf;
use word::Word;

/// Nested payloads (`bash -c`, `eval`, heredocs into shells...) deeper than this are
/// not opened; the command is answered `ask`.
pub const MAX_DEPTH: usize = 8;
/// Inputs larger than this are not parsed, only scanned.
pub const MAX_PARSE_BYTES: usize = 1 << 20;
/// Simple commands judged per analysis; beyond it the rest is scanned.
const MAX_COMMANDS: usize = 20_000;

/// Where the command runs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The project directory (the hook's `cwd`).
    pub cwd: Option<PathBuf>,
    /// The user's home directory.
    pub home: Option<PathBuf>,
    /// `$TMPDIR` in the agent's environment (`None`: unset, so `$TMPDIR/x` is `/x`).
    pub tmpdir: Option<PathBuf>,
}

/// One rule that matched one command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub rule_id: String,
    pub pack: String,
    pub decision: Decision,
    /// The command (segment) that matched, shortened.
    pub segment: String,
    /// What in it matched.
    pub detail: String,
    pub title: String,
    pub alternative: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis {
    /// `Allow` when nothing matched.
    pub decision: Decision,
    pub hits: Vec<Hit>,
    /// Caveats: partial parse, truncation, depth.
    pub notes: Vec<String>,
}

impl Analysis {
    /// The hit that decided, if any.
    pub fn worst(&self) -> Option<&Hit> {
        self.hits.iter().max_by_key(|h| h.decision)
    }
}

/// Stack for the analysis thread: the tree walk recurses once per nesting level.
const STACK_BYTES: usize = 512 << 20;

/// Commands up to this size, with few nesting characters, are analysed on the
/// calling thread: their tree is shallow, and starting a thread (and its malloc
/// arena) costs more than the analysis of a typical command.
const INLINE_BYTES: usize = 512;
/// Most nesting characters (`(`, `{`, `` ` ``, `[`) an inline command may have.
const INLINE_NESTING: usize = 48;

fn inline_ok(command: &str) -> bool {
    command.len() <= INLINE_BYTES
        && command
            .bytes()
            .filter(|b| matches!(b, b'(' | b'{' | b'`' | b'['))
            .count()
            <= INLINE_NESTING
}

/// Analyses one Bash command string.
pub fn analyse(command: &str, config: &PolicyConfig, opts: &Options) -> Analysis {
    let run = || {
        let mut e = Engine::new(config, opts);
        e.script(command, 0);
        e.finish()
    };
    if inline_ok(command) {
        return run();
    }
    std::thread::scope(|s| {
        match std::thread::Builder::new()
            .stack_size(STACK_BYTES)
            .spawn_scoped(s, run)
        {
            Ok(h) => h
                .join()
                .unwrap_or_else(|_| failed(config, "internal error")),
            Err(e) => failed(config, &format!("could not start the analysis thread: {e}")),
        }
    })
}

/// Analyses one PowerShell command string (the `PowerShell` tool). Command names
/// resolve case-insensitively there, whatever the platform.
pub fn analyse_powershell(command: &str, config: &PolicyConfig, opts: &Options) -> Analysis {
    let run = || {
        let mut e = Engine::new(config, opts);
        e.case_insensitive = true;
        powershell::script(&mut e, command, 0);
        e.finish()
    };
    if inline_ok(command) {
        return run();
    }
    std::thread::scope(|s| {
        match std::thread::Builder::new()
            .stack_size(STACK_BYTES)
            .spawn_scoped(s, run)
        {
            Ok(h) => h
                .join()
                .unwrap_or_else(|_| failed(config, "internal error")),
            Err(e) => failed(config, &format!("could not start the analysis thread: {e}")),
        }
    })
}

/// The answer when the analysis itself failed: `ask` under AGENT-SHELL-001.
fn failed(config: &PolicyConfig, why: &str) -> Analysis {
    let mut e = Engine::new(config, &Options::default());
    e.segment = String::new();
    e.hit("AGENT-SHELL-001", why.to_string());
    let mut a = e.finish();
    if a.decision < Decision::Ask {
        a.decision = Decision::Ask;
    }
    a
}

/// A rule match before the config decides what it means.
#[derive(Debug, Clone)]
pub(crate) struct RawHit {
    id: String,
    detail: String,
    segment: String,
    production: bool,
    /// A hit whose decision and texts do not come from the catalogue: custom
    /// rules of guard.toml, and the infra layer's findings on written content.
    fixed: Option<Fixed>,
}

#[derive(Debug, Clone)]
pub(crate) struct Fixed {
    decision: Decision,
    pack: String,
    title: String,
    alternative: String,
}

pub struct Engine<'a> {
    pub(crate) config: &'a PolicyConfig,
    pub(crate) project: PathBuf,
    pub(crate) home: PathBuf,
    /// The shell's current directory as far as `cd` in the command tells; `None`
    /// once it depends on something unknown.
    pub(crate) cwd: Option<PathBuf>,
    /// Variables exported earlier in the same command.
    pub(crate) env: BTreeMap<String, String>,
    /// `$TMPDIR` of the environment the command starts in.
    pub(crate) tmpdir: Option<PathBuf>,
    /// Command names resolve case-insensitively (macOS, Windows).
    pub(crate) case_insensitive: bool,
    /// The directory of the subshell the current command runs in, when a `cd` in
    /// that subshell changed it: (scope, directory).
    subshell_cwd: Option<(usize, Option<PathBuf>)>,
    hits: Vec<RawHit>,
    notes: Vec<String>,
    segment: String,
    commands: usize,
}

impl<'a> Engine<'a> {
    pub fn new(config: &'a PolicyConfig, opts: &Options) -> Self {
        // Without a cwd the project is a directory that matches no real path.
        let project = opts
            .cwd
            .clone()
            .map(|p| paths::normalize(&p))
            .unwrap_or_else(|| PathBuf::from("/.guard-project"));
        let home = opts
            .home
            .clone()
            .unwrap_or_else(|| PathBuf::from("/.guard-home"));
        Engine {
            config,
            cwd: Some(project.clone()),
            project,
            home,
            env: BTreeMap::new(),
            tmpdir: opts.tmpdir.clone(),
            subshell_cwd: None,
            case_insensitive: config
                .platform
                .unwrap_or_else(crate::config::Platform::detected)
                .case_insensitive(),
            hits: Vec::new(),
            notes: Vec::new(),
            segment: String::new(),
            commands: 0,
        }
    }

    /// Names the current segment after a token window of the conservative scan.
    pub(crate) fn segment_override(&mut self, argv: &[Word]) {
        let joined = argv
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        self.segment = shorten(&joined);
    }

    /// Names the current segment after a piece of source text.
    pub(crate) fn segment_text(&mut self, text: &str) {
        self.segment = shorten(text);
    }

    pub(crate) fn note(&mut self, note: impl Into<String>) {
        let n = note.into();
        if !self.notes.contains(&n) {
            self.notes.push(n);
        }
    }

    /// Records that rule `id` matched the current segment.
    pub(crate) fn hit(&mut self, id: &str, detail: impl Into<String>) {
        self.push_hit(id, detail.into(), false);
    }

    /// As [`Engine::hit`], escalating `ask` to `deny` when `production`.
    pub(crate) fn hit_prod(&mut self, id: &str, detail: impl Into<String>, production: bool) {
        self.push_hit(id, detail.into(), production);
    }

    fn push_hit(&mut self, id: &str, detail: String, production: bool) {
        if self
            .hits
            .iter()
            .any(|h| h.id == id && h.segment == self.segment && h.detail == detail)
        {
            return;
        }
        // Bounded, but a rule not seen yet always gets in: a flood of one rule's
        // hits must not hide a worse one.
        if self.hits.len() >= 256 && self.hits.iter().any(|h| h.id == id) {
            return;
        }
        self.hits.push(RawHit {
            id: id.to_string(),
            detail,
            segment: self.segment.clone(),
            production,
            fixed: None,
        });
    }

    /// Records a hit decided outside the catalogue (the infra layer's findings).
    pub(crate) fn hit_fixed(&mut self, hit: Hit) {
        let segment = if hit.segment.is_empty() {
            self.segment.clone()
        } else {
            hit.segment
        };
        self.hits.push(RawHit {
            id: hit.rule_id,
            detail: hit.detail,
            segment,
            production: false,
            fixed: Some(Fixed {
                decision: hit.decision,
                pack: hit.pack,
                title: hit.title,
                alternative: hit.alternative,
            }),
        });
    }

    /// Analyses a script (top level or a nested payload); the current segment is
    /// the same afterwards, so hits of the enclosing command stay named after it.
    /// A nested payload (`bash -c`, `ssh host cmd`, a `find -exec`) runs in its own
    /// process: a `cd` in it does not move the enclosing shell.
    pub(crate) fn script(&mut self, src: &str, depth: usize) {
        let saved = self.segment.clone();
        let cwd = self.cwd.clone();
        self.script_inner(src, depth);
        self.segment = saved;
        if depth > 0 {
            self.cwd = cwd;
        }
    }

    fn script_inner(&mut self, src: &str, depth: usize) {
        if depth > MAX_DEPTH {
            self.hit(
                "AGENT-SHELL-001",
                format!("shell payloads nested more than {MAX_DEPTH} levels deep"),
            );
            // One token scan of the first payload past the limit; payloads found by a
            // scan are not opened again, so this stays linear.
            if depth == MAX_DEPTH + 1 {
                scan::scan(self, src, depth);
            }
            return;
        }
        if src.len() > MAX_PARSE_BYTES {
            self.note(format!(
                "command of {} bytes is larger than the {} byte parse limit; conservative token scan",
                src.len(),
                MAX_PARSE_BYTES
            ));
            self.hit("AGENT-SHELL-001", "command too large to parse");
            scan::scan(self, src, depth);
            return;
        }
        let joined = word::join_continuations(src);
        let parsed = parse::parse(&joined);
        if parsed.partial {
            // What bash does with it: a syntax error runs nothing from the broken
            // command on; the complete commands on the lines before it do run.
            if let syntax::Verdict::Rejected { line } = syntax::check(&joined) {
                match syntax::runnable_prefix(&joined, line) {
                    Some(prefix) if prefix.trim().is_empty() => {
                        self.note(format!(
                            "bash rejects this command (syntax error on line {line}); nothing in it runs"
                        ));
                        return;
                    }
                    Some(prefix) => {
                        self.segment = shorten(&joined);
                        self.note(format!(
                            "bash stops at a syntax error on line {line}; only the lines before it run"
                        ));
                        self.hit(
                            "AGENT-SHELL-001",
                            format!("syntax error on line {line}; the lines before it still run"),
                        );
                        self.script_inner(&prefix, depth);
                        return;
                    }
                    None => {}
                }
            }
            self.segment = shorten(&joined);
            self.note("the command could not be fully parsed; conservative token scan applied");
            self.hit("AGENT-SHELL-001", "unparsable shell syntax");
            scan::scan(self, &joined, depth);
        }
        // Functions only defined run nothing: their bodies are judged when the
        // function is used (called, or named in another command such as `trap`).
        let unused = unused_functions(&parsed.cmds);
        for f in &parsed.recursive_functions {
            if unused.contains(f) {
                continue;
            }
            self.segment = format!("{f}() {{ ... {f} ... }}");
            self.hit(
                "AGENT-SYS-001",
                format!("function `{f}` calls itself (fork bomb pattern)"),
            );
        }
        for c in &parsed.cmds {
            if c.functions.iter().any(|f| unused.contains(f)) {
                continue;
            }
            if self.commands >= MAX_COMMANDS {
                self.note("too many commands; the rest were scanned only");
                self.hit("AGENT-SHELL-001", "too many commands to judge one by one");
                scan::scan(self, &joined, depth);
                break;
            }
            self.commands += 1;
            self.command(c, depth);
        }
    }

    fn command(&mut self, c: &Cmd, depth: usize) {
        self.segment = shorten(&c.text);
        // A subshell starts in the directory of the shell; a `cd` inside it stays in it.
        let top_cwd = self.cwd.clone();
        let in_subshell = depth == 0 && c.scope != 0;
        if in_subshell {
            if let Some((s, dir)) = &self.subshell_cwd {
                if *s == c.scope {
                    self.cwd = dir.clone();
                }
            }
        }
        self.command_inner(c, depth);
        if in_subshell {
            self.subshell_cwd = Some((c.scope, self.cwd.clone()));
            self.cwd = top_cwd;
        }
    }

    fn command_inner(&mut self, c: &Cmd, depth: usize) {
        let mut env: Vec<(String, String)> = Vec::new();
        for (k, v) in &c.assigns {
            env.push((k.clone(), v.text.clone()));
        }
        if c.argv.is_empty() || c.declaration {
            // Assignments that persist for the rest of the command string.
            for (k, v) in &env {
                self.env.insert(k.clone(), v.clone());
            }
            packs::env_only(self, &env);
            for (_, v) in &c.assigns {
                self.substitutions(v, depth);
            }
            return;
        }
        for w in &c.writes {
            packs::protect::write_target(self, &w.target);
        }
        packs::infra_write::redirects(self, c);
        if let Stdin::File(w) = &c.stdin {
            packs::secrets::read_target(self, w);
        }
        let mut all_env: Vec<(String, String)> = self
            .env
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        all_env.extend(env);
        self.argv(c.argv.clone(), all_env, &c.stdin, depth);
    }

    /// Payloads of command substitutions used as code (`eval "$(curl ...)"`).
    fn substitutions(&mut self, w: &Word, _depth: usize) {
        if w.substituted.iter().any(|p| packs::pipe::is_downloader(p)) {
            self.hit("AGENT-PIPE-001", "value computed from a download");
        }
    }

    /// Judges one argv after stripping wrappers.
    pub(crate) fn argv(
        &mut self,
        argv: Vec<Word>,
        env: Vec<(String, String)>,
        stdin: &Stdin,
        depth: usize,
    ) {
        let Some((argv, env)) = unwrap::strip(self, argv, env, stdin, depth) else {
            return;
        };
        let Some(first) = argv.first() else {
            return;
        };
        if first.dynamic && (first.text.contains('$') || first.text.contains('`')) {
            self.hit(
                "AGENT-SHELL-001",
                format!(
                    "the program name `{}` comes from an expansion",
                    shorten(&first.text)
                ),
            );
            return;
        }
        if !first.dynamic && first.text.trim().contains(char::is_whitespace) {
            // A quoted command line as the program (`timeout 5 'rm -rf /'`): the
            // program would not be found, but a shell-minded reader runs it as code.
            let src = argv
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            self.script(&src, depth + 1);
            return;
        }
        let mut prog = word::program_name(&first.text).to_string();
        if self.case_insensitive {
            prog = prog.to_ascii_lowercase();
        }
        let inv = Inv {
            prog: &prog,
            args: &argv[1..],
            env: &env,
            stdin,
            depth,
        };
        packs::judge(self, &inv);
        self.custom(&inv);
        if prog == "cd" || prog == "pushd" {
            // `cd -P dir`, `cd -- dir`: the first operand.
            let mut target = None;
            for (i, w) in inv.args.iter().enumerate() {
                if w.text == "--" {
                    target = inv.args.get(i + 1);
                    break;
                }
                if !(w.text.starts_with('-') && w.text.len() > 1) {
                    target = Some(w);
                    break;
                }
            }
            self.change_dir(target);
        }
    }

    fn change_dir(&mut self, target: Option<&Word>) {
        let next = match target {
            None => Some(self.home.clone()),
            Some(w) if w.dynamic || w.text == "-" => None,
            Some(w) => match (&self.cwd, paths::expand_home(&w.text, &self.home)) {
                (_, p) if p.is_absolute() => Some(paths::normalize(&p)),
                (Some(cur), p) => Some(paths::normalize(&cur.join(p))),
                (None, _) => None,
            },
        };
        self.cwd = next;
    }

    fn custom(&mut self, inv: &Inv<'_>) {
        if self.config.rules.is_empty() {
            return;
        }
        let words: Vec<&str> = std::iter::once(inv.prog)
            .chain(inv.args.iter().map(|w| w.text.as_str()))
            .collect();
        let plain: Vec<&str> = words
            .iter()
            .copied()
            .filter(|w| !w.starts_with('-'))
            .collect();
        for r in &self.config.rules {
            if self.config.is_disabled(&r.id, "custom") {
                continue;
            }
            let pat = r.words();
            let hay = if pat.iter().any(|p| p.starts_with('-')) {
                &words
            } else {
                &plain
            };
            let prefix = pat.len() <= hay.len()
                && pat.iter().zip(hay.iter()).all(|(p, w)| {
                    *p == "*" || p == w || (p == &pat[0] && word::program_name(p) == *w)
                });
            let extra =
                r.with_any.is_empty() || r.with_any.iter().any(|x| words.contains(&x.as_str()));
            if prefix && extra {
                let decision = if self
                    .config
                    .downgrade
                    .iter()
                    .any(|d| d.eq_ignore_ascii_case(&r.id))
                {
                    Decision::Ask.min(r.decision)
                } else {
                    r.decision
                };
                self.hits.push(RawHit {
                    id: r.id.clone(),
                    detail: format!("matches `{}`", r.command),
                    segment: self.segment.clone(),
                    production: false,
                    fixed: Some(Fixed {
                        decision,
                        pack: "custom".into(),
                        title: r.reason.clone(),
                        alternative: r.alternative.clone(),
                    }),
                });
            }
        }
    }

    fn finish(self) -> Analysis {
        let mut hits: Vec<Hit> = Vec::new();
        for h in self.hits {
            let hit = if let Some(f) = h.fixed {
                Hit {
                    rule_id: h.id,
                    pack: f.pack,
                    decision: f.decision,
                    segment: h.segment,
                    detail: h.detail,
                    title: f.title,
                    alternative: f.alternative,
                }
            } else {
                let Some(rule) = catalogue::find(&h.id) else {
                    continue;
                };
                let Some(mut decision) = self.config.decide(rule.rule.id, rule.pack, rule.decision)
                else {
                    continue;
                };
                if h.production && decision == Decision::Ask {
                    decision = Decision::Deny;
                }
                Hit {
                    rule_id: h.id,
                    pack: rule.pack.into(),
                    decision,
                    segment: h.segment,
                    detail: if h.production {
                        format!("{} (target looks like production)", h.detail)
                    } else {
                        h.detail
                    },
                    title: rule.rule.title.into(),
                    alternative: rule.rule.remediation.into(),
                }
            };
            if !hits.iter().any(|x| {
                x.rule_id == hit.rule_id && x.segment == hit.segment && x.detail == hit.detail
            }) {
                hits.push(hit);
            }
        }
        // Worst first, stable otherwise.
        hits.sort_by_key(|h| std::cmp::Reverse(h.decision));
        let decision = hits.first().map(|h| h.decision).unwrap_or(Decision::Allow);
        Analysis {
            decision,
            hits,
            notes: self.notes,
        }
    }
}

/// One command after wrapper stripping: what the packs judge.
pub struct Inv<'a> {
    /// Program basename.
    pub prog: &'a str,
    pub args: &'a [Word],
    /// Assignments in effect (`FOO=1 cmd`, `env FOO=1`, earlier `export`).
    pub env: &'a [(String, String)],
    pub stdin: &'a Stdin,
    pub depth: usize,
}

impl Inv<'_> {
    pub fn texts(&self) -> Vec<&str> {
        self.args.iter().map(|w| w.text.as_str()).collect()
    }

    pub fn env_value(&self, key: &str) -> Option<&str> {
        self.env
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Functions defined in the script that nothing outside their own body uses.
fn unused_functions(cmds: &[Cmd]) -> Vec<String> {
    let mut defined: Vec<&String> = cmds.iter().flat_map(|c| c.functions.iter()).collect();
    defined.sort();
    defined.dedup();
    defined
        .into_iter()
        .filter(|name| {
            !cmds.iter().any(|c| {
                !c.functions.contains(name)
                    && c.argv
                        .iter()
                        .chain(c.assigns.iter().map(|(_, v)| v))
                        .any(|w| {
                            w.text
                                .split(|ch: char| {
                                    ch.is_whitespace()
                                        || matches!(
                                            ch,
                                            ';' | '|' | '&' | '(' | ')' | '`' | '\'' | '"'
                                        )
                                })
                                .any(|t| t == name.as_str())
                                || w.substituted.iter().any(|p| p == name.as_str())
                        })
            })
        })
        .cloned()
        .collect()
}

fn shorten(s: &str) -> String {
    let s = s.trim();
    let one_line: String = s
        .chars()
        .map(|c| if c == '\n' || c == '\0' { ' ' } else { c })
        .take(161)
        .collect();
    if one_line.chars().count() > 160 {
        let mut t: String = one_line.chars().take(157).collect();
        t.push_str("...");
        t
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(cmd: &str) -> Analysis {
        analyse(
            cmd,
            &PolicyConfig::default(),
            &Options {
                cwd: Some("/work/proj".into()),
                home: Some("/home/dev".into()),
                ..Options::default()
            },
        )
    }

    #[test]
    fn long_redirected_chains_are_parsed_not_scanned() {
        let chain = (0..4800)
            .map(|i| format!("echo step{i} >> log.txt"))
            .collect::<Vec<_>>()
            .join(" && ");
        let a = run(&chain);
        assert_eq!(a.decision, Decision::Allow, "{:?}", a.hits.first());
        let a = run(&format!("{chain} && git push -f"));
        assert_eq!(a.decision, Decision::Deny);
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let deep = format!("{}rm -rf /{}", "$(".repeat(20_000), ")".repeat(20_000));
        let a = run(&deep);
        assert_eq!(a.decision, Decision::Deny, "{:?}", a.notes);
        let mut nested = "git push -f".to_string();
        for _ in 0..12 {
            nested = format!("bash -c {}", shell_quote(&nested));
        }
        let a = run(&nested);
        assert!(a.decision >= Decision::Ask);
        assert!(a.hits.iter().any(|h| h.rule_id == "AGENT-SHELL-001"));
    }

    fn shell_quote(s: &str) -> String {
        format!("'{}'", s.replace('\'', "'\\''"))
    }

    #[test]
    fn worst_decision_wins_per_segment() {
        let a = run("git checkout -b foo; rm -rf /");
        assert_eq!(a.decision, Decision::Deny);
        let a = run("kubectl delete pod x && git push -f");
        assert_eq!(a.worst().map(|h| h.rule_id.as_str()), Some("AGENT-GIT-001"));
        assert!(a.hits.iter().any(|h| h.rule_id == "AGENT-K8S-002"));
    }
}
