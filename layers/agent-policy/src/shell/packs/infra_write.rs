//! Infrastructure code written from the shell: the content a redirect, a heredoc,
//! a here-string or a pipeline into `tee` writes to a `.tf`, `.tf.json`, `.hcl`,
//! `.tfvars` or JSON policy file gets the same infra checks as the Write tool
//! ([`content_hits`]). The content comes from the parsed command (`echo` and
//! `printf` arguments, `cat` of a heredoc, the stages of a pipeline), never from
//! pattern matching over the text. Appends (`>>`, `tee -a`) are judged as the file
//! on disk plus the appended text.
//!
//! What cannot be known statically (an expansion in the body, the output of
//! another program, a file `cat` reads) and in-place editors (`sed -i`, `perl -pi`,
//! `ruby -pi`, `awk -i inplace`, `ed`, `ex`) get AGENT-TF-005 (`ask`).
//!
//! Only commands whose output goes to one of those file kinds are looked at, so
//! the hook's latency on other commands does not change.

use crate::catalogue::Decision;
use crate::shell::argv::{has_long, has_short, positionals};
use crate::shell::parse::{Cmd, Producer, Stdin, WriteTarget};
use crate::shell::paths::{expand_home, normalize};
use crate::shell::word::{program_name, Word};
use crate::shell::{Engine, Hit, Inv};
use guard_core::Severity;
use std::path::PathBuf;

/// The rule for writes whose content guard cannot see.
const UNSEEN: &str = "AGENT-TF-005";
/// Largest existing file read to judge an append (as for the Edit tool).
const MAX_EXISTING_BYTES: u64 = 8 << 20;

/// Whether `path` names a file the infra checks read: Terraform, HCL, tfvars or
/// JSON (IAM and resource policies, `.tf.json`).
pub fn is_infra_file(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".tf", ".tf.json", ".hcl", ".tfvars", ".json"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// Words in a JSON file's name that mark it as an IAM or resource policy.
const POLICY_NAME_HINTS: &[&str] = &["polic", "iam", "trust", "permission", "scp"];

/// Whether a write whose content guard cannot see should be asked about. Every
/// Terraform, HCL and tfvars file is; a `.json` file only when it is a policy by
/// its name or by the content it has now, so `npm ls --json > deps.json` or
/// `sed -i` on package.json stay unjudged as before.
fn unseen_matters(target: &str, resolved: Option<&PathBuf>) -> bool {
    let lower = target.to_ascii_lowercase();
    if !lower.ends_with(".json") || lower.ends_with(".tf.json") {
        return true;
    }
    let name = lower.rsplit(['/', '\\']).next().unwrap_or(&lower);
    if POLICY_NAME_HINTS.iter().any(|h| name.contains(h)) {
        return true;
    }
    resolved
        .and_then(|p| existing(Some(p)).ok())
        .is_some_and(|text| {
            matches!(
                guard_infra::scan::classify_json(&text),
                guard_infra::scan::JsonKind::Policy | guard_infra::scan::JsonKind::TfJson
            )
        })
}

/// The infra layer's findings on `content` written to `path`, as hook hits:
/// high and critical deny, medium asks. Content that does not parse (a fragment,
/// work in progress) is not judged, as for the Write tool.
pub fn content_hits(path: &str, content: &str, segment: &str) -> Vec<Hit> {
    let findings = match guard_infra::check_content(path, content) {
        Ok(f) => f,
        Err(_) => return Vec::new(),
    };
    findings
        .into_iter()
        .filter_map(|f| {
            let decision = match f.severity {
                Severity::Critical | Severity::High => Decision::Deny,
                Severity::Medium => Decision::Ask,
                _ => return None,
            };
            Some(Hit {
                rule_id: f.rule_id.clone(),
                pack: "infra".into(),
                decision,
                segment: segment.chars().take(160).collect(),
                detail: f.message.clone(),
                title: f.title.clone(),
                alternative: f.remediation.clone().unwrap_or_default(),
            })
        })
        .collect()
}

/// What a command writes to its standard output.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Output {
    Known(String),
    /// Not knowable before the command runs; the words say what it depends on.
    Unknown(String),
}

/// Output redirects of one simple command that target infra files.
pub fn redirects(e: &mut Engine<'_>, c: &Cmd) {
    let targets: Vec<&WriteTarget> = c
        .writes
        .iter()
        .filter(|w| is_infra_file(&w.target.text))
        .collect();
    if targets.is_empty() {
        return;
    }
    let out = stdout_of(&c.argv, stdin_of(&c.stdin));
    for t in targets {
        judge(e, &t.target, t.append, &out);
    }
}

/// `tee` into infra files, and in-place editors on them.
pub fn argv(e: &mut Engine<'_>, inv: &Inv<'_>) {
    if !matches!(
        inv.prog,
        "tee" | "sponge" | "sed" | "gsed" | "perl" | "ruby" | "awk" | "gawk" | "ed" | "red" | "ex"
    ) || !inv.args.iter().any(|w| is_infra_file(&w.text))
    {
        return;
    }
    let t = inv.texts();
    match inv.prog {
        "tee" | "sponge" => {
            let files: Vec<&Word> = inv
                .args
                .iter()
                .filter(|w| !w.text.starts_with('-') || w.text == "-")
                .filter(|w| is_infra_file(&w.text))
                .collect();
            if files.is_empty() {
                return;
            }
            let append = has_short(&t, 'a') || has_long(&t, "append");
            let out = stdin_of(inv.stdin);
            for f in files {
                judge(e, f, append, &out);
            }
        }
        "sed" | "gsed"
            if t.iter().any(|a| {
                *a == "--in-place"
                    || a.starts_with("--in-place=")
                    || (a.starts_with('-') && !a.starts_with("--") && a.contains('i'))
            }) =>
        {
            let files: Vec<&str> = positionals(&t, &["-e", "-f", "--expression", "--file"])
                .into_iter()
                .skip(usize::from(!t.iter().any(|a| {
                    *a == "-e"
                        || *a == "-f"
                        || a.starts_with("--expression")
                        || a.starts_with("--file")
                })))
                .collect();
            in_place(e, inv.prog, &files);
        }
        "perl" | "ruby"
            if t.iter()
                .any(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('i')) =>
        {
            let takes_code = t.iter().any(|a| a.starts_with('-') && a.contains('e'));
            let files: Vec<&str> = positionals(&t, &["-e", "-E", "-I", "-M", "-r"])
                .into_iter()
                .skip(usize::from(!takes_code))
                .collect();
            in_place(e, inv.prog, &files);
        }
        "awk" | "gawk"
            if t.windows(2).any(|w| w[0] == "-i" && w[1] == "inplace")
                || t.iter()
                    .any(|a| *a == "-iinplace" || *a == "--include=inplace") =>
        {
            let program_given = t.iter().any(|a| *a == "-f" || a.starts_with("--file"));
            let files: Vec<&str> = positionals(&t, &["-i", "-f", "-v", "--include", "--file"])
                .into_iter()
                .skip(usize::from(!program_given))
                .collect();
            in_place(e, inv.prog, &files);
        }
        "ed" | "red" | "ex" => {
            let files = positionals(&t, &[]);
            in_place(e, inv.prog, &files);
        }
        _ => {}
    }
}

fn in_place(e: &mut Engine<'_>, prog: &str, files: &[&str]) {
    for f in files.iter().filter(|f| is_infra_file(f)) {
        if !unseen_matters(f, resolve(e, f).as_ref()) {
            continue;
        }
        e.hit(
            UNSEEN,
            format!("`{prog}` edits `{f}` in place; guard cannot check the result"),
        );
    }
}

/// Judges `out` written to `target`.
fn judge(e: &mut Engine<'_>, target: &Word, append: bool, out: &Output) {
    let text = match out {
        Output::Unknown(_) if !unseen_matters(&target.text, resolve(e, &target.text).as_ref()) => {
            return;
        }
        Output::Unknown(why) => {
            e.hit(
                UNSEEN,
                format!(
                    "writes {why} to `{}`; guard cannot check content it cannot see",
                    target.text
                ),
            );
            return;
        }
        Output::Known(text) => text,
    };
    if target.dynamic {
        e.hit(
            UNSEEN,
            format!("the file name `{}` comes from an expansion", target.text),
        );
        return;
    }
    let path = resolve(e, &target.text);
    let content = if append {
        match existing(path.as_ref()) {
            Ok(before) => before + text,
            Err(why) => {
                e.hit(
                    UNSEEN,
                    format!("appends to `{}`, whose content {why}", target.text),
                );
                return;
            }
        }
    } else {
        text.clone()
    };
    let shown = path
        .as_ref()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|| target.text.clone());
    for hit in content_hits(&shown, &content, "") {
        e.hit_fixed(hit);
    }
}

/// The file the shell would write: relative names against the command's working
/// directory (`None` when a `cd` made it unknown).
fn resolve(e: &Engine<'_>, text: &str) -> Option<PathBuf> {
    let p = expand_home(text, &e.home);
    if p.is_absolute() {
        Some(normalize(&p))
    } else {
        e.cwd.as_ref().map(|cwd| normalize(&cwd.join(p)))
    }
}

/// The current content of an appended-to file; empty when it does not exist yet.
fn existing(path: Option<&PathBuf>) -> Result<String, String> {
    let Some(path) = path else {
        return Err("cannot be read: the working directory is not known".into());
    };
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(format!("cannot be read ({e})")),
        Ok(m) if m.len() > MAX_EXISTING_BYTES => Err(format!(
            "is larger than {MAX_EXISTING_BYTES} bytes and is not read"
        )),
        Ok(_) => std::fs::read_to_string(path).map_err(|e| format!("cannot be read ({e})")),
    }
}

/// What arrives on a command's standard input.
fn stdin_of(stdin: &Stdin) -> Output {
    match stdin {
        Stdin::Text { dynamic: true, .. } => {
            Output::Unknown("a heredoc or here-string with expansions".into())
        }
        Stdin::Text { text, .. } => Output::Known(text.clone()),
        Stdin::Pipe(producers) => pipeline(producers),
        Stdin::File(w) => Output::Unknown(format!("the content of `{}`", w.text)),
        Stdin::Inherited => Output::Unknown("its standard input".into()),
    }
}

/// The output of the last stage of a pipeline, stage by stage.
fn pipeline(producers: &[Producer]) -> Output {
    let mut input = Output::Unknown("its standard input".into());
    for p in producers {
        if let Some(text) = &p.stdin {
            input = if p.stdin_dynamic {
                Output::Unknown("a heredoc or here-string with expansions".into())
            } else {
                Output::Known(text.clone())
            };
        }
        input = if p.argv.is_empty() {
            Output::Unknown("the output of a compound command".into())
        } else {
            stdout_of(&p.argv, input)
        };
    }
    input
}

/// What `argv` prints given `input` on its standard input.
fn stdout_of(argv: &[Word], input: Output) -> Output {
    let Some(first) = argv.first() else {
        return Output::Unknown("the output of a command".into());
    };
    if first.dynamic {
        return Output::Unknown(format!("the output of `{}`", first.text));
    }
    let args = &argv[1..];
    match program_name(&first.text) {
        "echo" => echo(args),
        "printf" => printf(args),
        // `tee` copies its input to stdout; `cat` does when it reads no file.
        "tee" => input,
        "cat" if args.iter().all(|a| a.text == "-" || a.text == "-u") => input,
        "cat" => Output::Unknown("the content of other files".into()),
        p => Output::Unknown(format!("the output of `{p}`")),
    }
}

fn dynamic_words(args: &[Word]) -> Option<Output> {
    args.iter().find(|w| w.dynamic).map(|w| {
        Output::Unknown(format!(
            "text with the expansion `{}`",
            w.text.chars().take(60).collect::<String>()
        ))
    })
}

/// bash's builtin `echo`: leading `-n`, `-e`, `-E` options, words joined by spaces.
fn echo(args: &[Word]) -> Output {
    if let Some(u) = dynamic_words(args) {
        return u;
    }
    let mut newline = true;
    let mut escapes = false;
    let mut rest = args;
    while let Some((a, tail)) = rest.split_first() {
        let Some(flags) = a.text.strip_prefix('-') else {
            break;
        };
        if flags.is_empty() || !flags.chars().all(|c| matches!(c, 'n' | 'e' | 'E')) {
            break;
        }
        for c in flags.chars() {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        rest = tail;
    }
    let mut out = rest
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    if escapes {
        match backslash_escapes(&out) {
            (text, false) => out = text,
            (text, true) => return Output::Known(text),
        }
    }
    if newline {
        out.push('\n');
    }
    Output::Known(out)
}

/// `printf FORMAT [ARG]...` for the conversions a file's content is written with
/// (`%s`, `%b`, `%d`, `%i`, `%%`); the format is reused while arguments remain, as
/// bash does. Anything else (widths, `%x`, `-v var`) is not evaluated.
fn printf(args: &[Word]) -> Output {
    if let Some(u) = dynamic_words(args) {
        return u;
    }
    let Some((format, mut rest)) = args.split_first() else {
        return Output::Unknown("`printf` without a format".into());
    };
    if format.text.starts_with('-') && format.text != "-" {
        return Output::Unknown(format!("`printf {}`", format.text));
    }
    let (format, _) = backslash_escapes(&format.text);
    let mut out = String::new();
    loop {
        let mut used = 0;
        let mut chars = format.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            let conv = chars.next();
            if conv == Some('%') {
                out.push('%');
                continue;
            }
            let arg = rest.get(used).map(|w| w.text.as_str()).unwrap_or("");
            used += 1;
            match conv {
                Some('s') => out.push_str(arg),
                Some('b') => {
                    let (text, stop) = backslash_escapes(arg);
                    out.push_str(&text);
                    if stop {
                        return Output::Known(out);
                    }
                }
                Some('d' | 'i') => {
                    let n = if arg.is_empty() { "0" } else { arg };
                    if n.parse::<i64>().is_err() {
                        return Output::Unknown(format!("`printf %d` of `{arg}`"));
                    }
                    out.push_str(n);
                }
                _ => {
                    return Output::Unknown("a `printf` format guard does not evaluate".into());
                }
            }
        }
        if used == 0 || used >= rest.len() {
            break;
        }
        rest = &rest[used..];
    }
    Output::Known(out)
}

/// `echo -e` / `printf` backslash escapes. The flag is true after `\c`, which
/// stops all output.
fn backslash_escapes(s: &str) -> (String, bool) {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('"') => out.push('"'),
            Some('\'') => out.push('\''),
            Some('a') => out.push('\u{7}'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('v') => out.push('\u{b}'),
            Some('e' | 'E') => out.push('\u{1b}'),
            Some('c') => return (out, true),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    (out, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(ws: &[&str]) -> Vec<Word> {
        ws.iter().map(|w| Word::lit(*w)).collect()
    }

    #[test]
    fn echo_and_printf_output() {
        assert_eq!(echo(&words(&["a", "b"])), Output::Known("a b\n".into()));
        assert_eq!(echo(&words(&["-n", "a"])), Output::Known("a".into()));
        assert_eq!(
            echo(&words(&["-e", "a\\nb"])),
            Output::Known("a\nb\n".into())
        );
        assert_eq!(echo(&words(&["a\\nb"])), Output::Known("a\\nb\n".into()));
        assert_eq!(
            printf(&words(&["%s\\n", "x", "y"])),
            Output::Known("x\ny\n".into())
        );
        assert_eq!(
            printf(&words(&["{\"a\": %d}\\n", "3"])),
            Output::Known("{\"a\": 3}\n".into())
        );
        assert!(matches!(printf(&words(&["%5s", "x"])), Output::Unknown(_)));
        let mut dynamic = words(&["$X"]);
        dynamic[0].dynamic = true;
        assert!(matches!(echo(&dynamic), Output::Unknown(_)));
    }

    #[test]
    fn pipelines_pass_content_through() {
        let p = vec![
            Producer {
                argv: words(&["echo", "x"]),
                ..Producer::default()
            },
            Producer {
                argv: words(&["cat"]),
                ..Producer::default()
            },
        ];
        assert_eq!(pipeline(&p), Output::Known("x\n".into()));
        let p = vec![Producer {
            argv: words(&["curl", "-s", "u"]),
            ..Producer::default()
        }];
        assert!(matches!(pipeline(&p), Output::Unknown(_)));
    }

    #[test]
    fn infra_file_kinds() {
        for p in [
            "main.tf",
            "a/b.tf.json",
            "x.hcl",
            "prod.tfvars",
            "policy.json",
        ] {
            assert!(is_infra_file(p), "{p}");
        }
        for p in ["main.rs", "notes.txt", "tf", "x.tf.bak"] {
            assert!(!is_infra_file(p), "{p}");
        }
        for p in [
            "main.tf",
            "x.tf.json",
            "bucket-policy.json",
            "iam/role-trust.json",
        ] {
            assert!(unseen_matters(p, None), "{p}");
        }
        for p in ["package.json", "deps.json", "report.json"] {
            assert!(!unseen_matters(p, None), "{p}");
        }
    }
}
