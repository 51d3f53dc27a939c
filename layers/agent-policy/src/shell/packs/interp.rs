//! Interpreters (`python -c`, `node -e`, `ruby -e`, `perl -e`, `php -r`, awk programs):
//! the shell commands their code runs through `system`/`subprocess`/`exec*`, and
//! recursive deletes of catastrophic paths (`shutil.rmtree`, `fs.rmSync`,
//! `FileUtils.rm_rf`). Strings that are only printed stay data.

use crate::shell::parse::Stdin;
use crate::shell::paths::{classify, Target};
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
    "subprocess.getstatusoutput(",
    "os.execvp(",
    "os.execv(",
    "os.execlp(",
    "os.spawnlp(",
    "os.spawnvp(",
    "pty.spawn(",
    "execSync(",
    "execFileSync(",
    "execFile(",
    "exec(",
    "spawnSync(",
    "spawn(",
    "system(",
    "popen(",
    "shell_exec(",
    "passthru(",
    "proc_open(",
    "pcntl_exec(",
    "`",
    "%x(",
    "IO.popen(",
    "Open3.capture2(",
    "Open3.capture3(",
    "Open3.popen3(",
    "Process.spawn(",
    "qx(",
    "Bun.spawn(",
    "Bun.spawnSync(",
    "Deno.run(",
];

const RMTREE: &[&str] = &[
    "shutil.rmtree(",
    "rmSync(",
    "rmdirSync(",
    "fs.rm(",
    "FileUtils.rm_rf(",
    "FileUtils.rm_r(",
    "FileUtils.remove_dir(",
    "FileUtils.remove_entry(",
    "remove_tree(",
    "rmtree(",
    "rimraf(",
    "fs.promises.rm(",
    "fsPromises.rm(",
    "Deno.remove(",
];

/// Single-file deletion calls: judged as `rm FILE`.
const UNLINK: &[&str] = &[
    "os.remove(",
    "os.unlink(",
    "os.rmdir(",
    "os.removedirs(",
    "unlinkSync(",
    "fs.unlink(",
    "File.delete(",
    "File.unlink(",
    "FileUtils.rm(",
    "FileUtils.rm_f(",
    "unlink(",
    "rmdir(",
];

/// Judges interpreter source.
pub fn code(e: &mut Engine<'_>, lang: &str, src: &str, depth: usize) {
    if depth > crate::shell::MAX_DEPTH {
        e.hit("AGENT-SHELL-001", "interpreter code nested too deeply");
        return;
    }
    let mask = code_mask(lang, src);
    let in_code = |pos: usize| mask.get(pos).copied().unwrap_or(false);
    if lang == "awk" {
        awk(e, src, &mask, depth);
    }
    for call in SHELL_CALLS {
        let mut from = 0;
        while let Some(pos) = src[from..].find(call) {
            let start = from + pos;
            let at = start + call.len();
            if *call == "`" {
                // Ruby/Perl backticks: the text up to the closing backtick.
                if let Some(end) = src[at..].find('`') {
                    if matches!(lang, "ruby" | "perl" | "php") {
                        let cmd = src[at..at + end].to_string();
                        e.script(&cmd, depth);
                    }
                    from = at + end + 1;
                    continue;
                }
                break;
            }
            from = at;
            if !in_code(start) || !call_boundary(src, start, call) {
                continue;
            }
            let args = &src[at..];
            let strings = literals(args, 64);
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
                if strings.len() > 1 && !first.contains(char::is_whitespace) && !first.is_empty() {
                    // execFile("rm", ["-rf", "/"]), os.execvp("rm", [...]): program + args.
                    let argv: Vec<Word> = strings.iter().map(Word::lit).collect();
                    e.argv(argv, Vec::new(), &Stdin::Inherited, depth);
                } else {
                    e.script(first, depth);
                }
            } else if lang != "awk"
                && !args.trim_start().starts_with(')')
                && (call.contains('.')
                    || (matches!(lang, "php" | "perl" | "ruby")
                        && matches!(
                            *call,
                            "system(" | "shell_exec(" | "passthru(" | "popen(" | "proc_open("
                        )))
            {
                // A command computed at run time.
                e.hit(
                    "AGENT-SHELL-001",
                    format!("interpreter code runs a computed command (`{}...`)", call),
                );
            }
        }
    }
    for call in RMTREE {
        let mut from = 0;
        while let Some(pos) = src[from..].find(call) {
            let start = from + pos;
            let at = start + call.len();
            from = at;
            if !in_code(start) || !call_boundary(src, start, call) {
                continue;
            }
            let first_arg = src[at..].trim_start();
            let literal_first = first_arg.starts_with(['"', '\'']);
            if home_expr(first_arg) {
                e.hit(
                    "AGENT-FS-001",
                    "recursive delete of the home directory in interpreter code",
                );
            } else if let Some(target) = literals(&src[at..], 1).first().filter(|_| literal_first) {
                let class = classify(e, &Word::lit(target.clone()));
                if class.is_catastrophic() {
                    e.hit(
                        "AGENT-FS-001",
                        format!("{call}{target:?}) in interpreter code"),
                    );
                } else if matches!(class, Target::Outside | Target::Unknown) {
                    e.hit(
                        "AGENT-FS-002",
                        format!("{call}{target:?}) in interpreter code"),
                    );
                }
            }
        }
    }
    for call in UNLINK {
        let mut from = 0;
        while let Some(pos) = src[from..].find(call) {
            let start = from + pos;
            let at = start + call.len();
            from = at;
            if !in_code(start) || !call_boundary(src, start, call) {
                continue;
            }
            if let Some(target) = literals(&src[at..], 1).first() {
                let argv = vec![Word::lit("rm"), Word::lit(target.clone())];
                e.argv(argv, Vec::new(), &Stdin::Inherited, depth);
            }
        }
    }
}

fn home_expr(s: &str) -> bool {
    let s = s.trim_start();
    [
        "os.path.expanduser(\"~\")",
        "os.path.expanduser('~')",
        "os.environ[\"HOME\"]",
        "os.environ['HOME']",
        "Path.home()",
        "pathlib.Path.home()",
        "os.homedir()",
        "require('os').homedir()",
        "require(\"os\").homedir()",
        "process.env.HOME",
        "Dir.home",
        "ENV[\"HOME\"]",
        "ENV['HOME']",
        "$ENV{HOME}",
        "$ENV{'HOME'}",
    ]
    .iter()
    .any(|h| s.starts_with(h))
}

/// The call name is not the tail of a longer identifier (`my_system(` is not
/// `system(`), unless the name is qualified (`os.system(` after `x.`).
fn call_boundary(src: &str, start: usize, call: &str) -> bool {
    if call.contains('.') || start == 0 {
        return true;
    }
    let prev = src[..start].chars().next_back();
    !prev.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

/// For each byte of `src`, whether it is code (not inside a string literal or a
/// comment). Python, JavaScript, Ruby, Perl, PHP and awk quoting: `'...'`, `"..."`,
/// Python's triple quotes, JS template literals, `#` and `//` comments.
fn code_mask(lang: &str, src: &str) -> Vec<bool> {
    let b = src.as_bytes();
    let mut mask = vec![true; b.len()];
    let mut i = 0;
    let hash_comments = matches!(lang, "python" | "ruby" | "perl" | "php" | "awk");
    let slash_comments = matches!(lang, "js" | "php");
    while i < b.len() {
        let c = b[i];
        let quote = match c {
            b'\'' if lang != "awk" => Some(b'\''),
            b'"' => Some(b'"'),
            b'`' if lang == "js" => Some(b'`'),
            _ => None,
        };
        if let Some(q) = quote {
            let triple = lang == "python" && b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q);
            let start = i;
            i += if triple { 3 } else { 1 };
            while i < b.len() {
                if b[i] == b'\\' {
                    i += 2;
                    continue;
                }
                if b[i] == q {
                    if !triple {
                        break;
                    }
                    if b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q) {
                        i += 2;
                        break;
                    }
                }
                i += 1;
            }
            // The quote characters stay code (so `f("x")` is seen as a call with a
            // literal); only the inside is data.
            for m in mask.iter_mut().take(i.min(b.len())).skip(start + 1) {
                *m = false;
            }
            i += 1;
            continue;
        }
        let comment = (hash_comments && c == b'#')
            || (slash_comments && c == b'/' && b.get(i + 1) == Some(&b'/'));
        if comment {
            while i < b.len() && b[i] != b'\n' {
                mask[i] = false;
                i += 1;
            }
            continue;
        }
        i += 1;
    }
    mask
}

/// awk: `system(cmd)`, `print ... | "cmd"`, `"cmd" | getline` run shell commands; a
/// variable holding a literal command is followed.
fn awk(e: &mut Engine<'_>, src: &str, mask: &[bool], depth: usize) {
    let in_code = |pos: usize| mask.get(pos).copied().unwrap_or(false);
    // `name = "literal"` assignments.
    let mut vars: Vec<(String, String)> = Vec::new();
    let b = src.as_bytes();
    for (i, _) in src.match_indices('=') {
        if !in_code(i) || b.get(i + 1) == Some(&b'=') || i == 0 {
            continue;
        }
        if matches!(
            b[i - 1],
            b'!' | b'<' | b'>' | b'=' | b'+' | b'-' | b'*' | b'/'
        ) {
            continue;
        }
        let name: String = src[..i]
            .trim_end()
            .chars()
            .rev()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if name.is_empty() {
            continue;
        }
        if let Some(v) = literals(&src[i + 1..], 1).first() {
            if src[i + 1..].trim_start().starts_with('"') {
                vars.push((name, v.clone()));
            }
        }
    }
    let resolve = |expr: &str| -> Option<String> {
        let t = expr.trim();
        if t.starts_with('"') {
            return literals(t, 1).into_iter().next();
        }
        let name: String = t
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        vars.iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    };
    // system(X) with a non-literal X.
    let mut from = 0;
    while let Some(pos) = src[from..].find("system(") {
        let start = from + pos;
        from = start + 7;
        if !in_code(start) || !call_boundary(src, start, "system(") {
            continue;
        }
        let arg = &src[from..];
        if arg.trim_start().starts_with('"') {
            continue; // judged with the other shell calls
        }
        match resolve(arg) {
            Some(cmd) => e.script(&cmd, depth),
            None => e.hit("AGENT-SHELL-001", "awk `system()` runs a computed command"),
        }
    }
    // Pipes to and from commands.
    for (i, _) in src.match_indices('|') {
        if !in_code(i) || b.get(i + 1) == Some(&b'|') || (i > 0 && b[i - 1] == b'|') {
            continue;
        }
        let after = src[i + 1..].trim_start_matches('&');
        let before = &src[..i];
        let getline = after.trim_start().starts_with("getline");
        if getline {
            // `"cmd" | getline`: the command is the expression before the pipe.
            let expr = before
                .rsplit([';', '{', '(', '\n'])
                .next()
                .unwrap_or("")
                .trim();
            match resolve(expr) {
                Some(cmd) => e.script(&cmd, depth),
                None => e.hit("AGENT-SHELL-001", "awk reads from a computed command"),
            }
            continue;
        }
        // `print ... | "cmd"`: the command reads what print writes.
        let Some(cmd) = resolve(after) else {
            if after
                .trim_start()
                .starts_with(|c: char| c.is_alphabetic() || c == '_')
            {
                e.hit(
                    "AGENT-SHELL-001",
                    "awk pipes output into a computed command",
                );
            }
            continue;
        };
        let words: Vec<&str> = cmd.split_whitespace().collect();
        let runs_input = words
            .first()
            .is_some_and(|p| SHELLS.contains(&crate::shell::word::program_name(p)))
            && !words.contains(&"-c");
        if !runs_input {
            e.script(&cmd, depth);
            continue;
        }
        // What is printed becomes the shell's script.
        let stmt = before
            .rsplit([';', '{', '\n'])
            .next()
            .unwrap_or("")
            .trim_start();
        let printed = stmt
            .strip_prefix("printf")
            .or_else(|| stmt.strip_prefix("print"))
            .map(str::trim);
        match printed {
            Some(p) if p.starts_with('"') && literals(p, 8).len() == 1 && p.ends_with('"') => {
                let text = literals(p, 1).into_iter().next().unwrap_or_default();
                e.script(&text, depth);
            }
            _ => e.hit("AGENT-PIPE-002", "awk pipes generated text into a shell"),
        }
    }
}

const SHELLS: &[&str] = &["sh", "bash", "zsh", "dash", "ksh", "ash"];

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
