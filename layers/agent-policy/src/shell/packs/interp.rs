//! Interpreters (`python -c`, `node -e`, `ruby -e`, `perl -e`, `php -r`, awk programs):
//! the shell commands their code runs through `system`/`subprocess`/`exec*`, and
//! recursive deletes of catastrophic paths (`shutil.rmtree`, `fs.rmSync`,
//! `FileUtils.rm_rf`). Strings that are only printed stay data.

use crate::shell::parse::Stdin;
use crate::shell::paths::classify;
use crate::shell::word::Word;
use crate::shell::Engine;

pub fn language(prog: &str) -> Option<&'static str> {
    if prog.starts_with("python") || prog == "pypy" || prog == "pypy3" {
        return Some("python");
    }
    match prog {
        "node" | "nodejs" | "bun" | "deno" => Some("js"),
        "ruby" => Some("ruby"),
        "perl" => Some("perl"),
        "php" => Some("php"),
        "awk" | "gawk" | "mawk" | "nawk" => Some("awk"),
        _ => None,
    }
}

/// `prog [options] (-c|-e code | script | stdin)`.
pub fn interpreter(
    e: &mut Engine<'_>,
    prog: &str,
    argv: &[Word],
    env: &[(String, String)],
    stdin: &Stdin,
    depth: usize,
) {
    let Some(lang) = language(prog) else { return };
    let code_flags: &[&str] = match lang {
        "python" => &["-c"],
        "js" => &["-e", "--eval", "-p", "--print"],
        "ruby" | "perl" => &["-e", "-E"],
        "php" => &["-r"],
        _ => &[],
    };
    if lang == "awk" {
        // The first operand that is not an option (or -f file) is the program.
        let mut i = 1;
        while i < argv.len() {
            let a = argv[i].text.as_str();
            if a == "-f" {
                return;
            }
            if matches!(a, "-v" | "-F") {
                i += 2;
                continue;
            }
            if a.starts_with('-') && a.len() > 1 {
                i += 1;
                continue;
            }
            let src = argv[i].text.clone();
            code(e, lang, &src, depth + 1);
            return;
        }
        return;
    }
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].text.as_str();
        if code_flags.contains(&a) {
            if let Some(c) = argv.get(i + 1) {
                let src = c.text.clone();
                code(e, lang, &src, depth + 1);
            }
            return;
        }
        // Bundled python flags ending in c: `-Bc`, `-uc`.
        if lang == "python"
            && a.starts_with('-')
            && !a.starts_with("--")
            && a.ends_with('c')
            && a.len() > 2
        {
            if let Some(c) = argv.get(i + 1) {
                let src = c.text.clone();
                code(e, lang, &src, depth + 1);
            }
            return;
        }
        if a == "-m" {
            // `python -m module args`: judged as the module's own command.
            if let Some(m) = argv.get(i + 1) {
                let mut inner = vec![m.clone()];
                inner.extend(argv[i + 2..].iter().cloned());
                e.argv(inner, env.to_vec(), stdin, depth + 1);
            }
            return;
        }
        if !a.starts_with('-') {
            // A script: judged by its name (`python manage.py flush`).
            e.argv(argv[i..].to_vec(), env.to_vec(), stdin, depth + 1);
            return;
        }
        if a == "-" {
            break;
        }
        i += 1;
    }
    super::super::unwrap::shell_stdin(e, stdin, depth, Some(lang));
}

const SHELL_CALLS: &[&str] = &[
    "os.system(",
    "os.popen(",
    "subprocess.run(",
    "subprocess.call(",
    "subprocess.check_call(",
    "subprocess.check_output(",
    "subprocess.Popen(",
    "subprocess.getoutput(",
    "execSync(",
    "exec(",
    "spawnSync(",
    "spawn(",
    "system(",
    "popen(",
    "shell_exec(",
    "passthru(",
    "`",
    "%x(",
    "IO.popen(",
    "Open3.capture2(",
    "qx(",
];

const RMTREE: &[&str] = &[
    "shutil.rmtree(",
    "rmSync(",
    "rmdirSync(",
    "fs.rm(",
    "FileUtils.rm_rf(",
    "FileUtils.rm_r(",
    "remove_tree(",
    "rmtree(",
    "rimraf(",
    "fs.promises.rm(",
];

/// Judges interpreter source.
pub fn code(e: &mut Engine<'_>, _lang: &str, src: &str, depth: usize) {
    if depth > crate::shell::MAX_DEPTH {
        e.hit("AGENT-SHELL-001", "interpreter code nested too deeply");
        return;
    }
    for call in SHELL_CALLS {
        let mut from = 0;
        while let Some(pos) = src[from..].find(call) {
            let at = from + pos + call.len();
            if *call == "`" {
                // Ruby/Perl backticks: the text up to the closing backtick.
                if let Some(end) = src[at..].find('`') {
                    let cmd = src[at..at + end].to_string();
                    e.script(&cmd, depth);
                    from = at + end + 1;
                    continue;
                }
                break;
            }
            let args = &src[at..];
            let strings = literals(args, 16);
            if args.trim_start().starts_with('[') {
                // subprocess.run(["rm", "-rf", "/"]): an argv list.
                let list_end = args.find(']').unwrap_or(args.len());
                let argv: Vec<Word> = literals(&args[..list_end], 64)
                    .into_iter()
                    .map(Word::lit)
                    .collect();
                if !argv.is_empty() {
                    e.argv(argv, Vec::new(), &Stdin::Inherited, depth);
                }
            } else if let Some(first) = strings.first() {
                e.script(first, depth);
            }
            from = at;
        }
    }
    for call in RMTREE {
        let mut from = 0;
        while let Some(pos) = src[from..].find(call) {
            let at = from + pos + call.len();
            if let Some(target) = literals(&src[at..], 1).first() {
                let class = classify(e, &Word::lit(target.clone()));
                if class.is_catastrophic() {
                    e.hit(
                        "AGENT-FS-001",
                        format!("{call}{target:?}) in interpreter code"),
                    );
                }
            } else if src[at..]
                .trim_start()
                .starts_with("os.path.expanduser(\"~\")")
                || src[at..].trim_start().starts_with("os.environ[\"HOME\"]")
            {
                e.hit(
                    "AGENT-FS-001",
                    "recursive delete of the home directory in interpreter code",
                );
            }
            from = at;
        }
    }
}

/// The first `max` string literals ('...', "...") at the start of a call's arguments,
/// stopping at the call's closing parenthesis.
fn literals(s: &str, max: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    let mut depth = 0i32;
    while let Some(c) = chars.next() {
        match c {
            '(' | '[' => depth += 1,
            ')' => {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            ']' => depth -= 1,
            '\'' | '"' => {
                let mut lit = String::new();
                while let Some(n) = chars.next() {
                    if n == '\\' {
                        if let Some(x) = chars.next() {
                            lit.push(x);
                        }
                        continue;
                    }
                    if n == c {
                        break;
                    }
                    lit.push(n);
                }
                out.push(lit);
                if out.len() >= max {
                    break;
                }
            }
            '\n' | ';' if depth == 0 => break,
            _ => {}
        }
    }
    out
}
