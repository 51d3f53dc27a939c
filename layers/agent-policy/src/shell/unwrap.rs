//! Wrappers and nested payloads: `sudo`, `env`, `timeout`, `xargs`, ... are stripped so
//! the packs see the real program; `bash -c`, `eval`, `ssh host cmd`, `su -c`,
//! `find -exec`, `parallel`, `docker/kubectl exec`, interpreters' `-c`/`-e` code and
//! text piped or redirected into shells are analysed as code one level deeper.

use super::packs;
use super::parse::{Producer, Stdin};
use super::word::{program_name, Word};
use super::Engine;

/// Variable assignments in effect for a command.
pub type Env = Vec<(String, String)>;

/// Stands for the items `xargs` reads from stdin.
pub const XARGS_ITEM: &str = "$XARGS_ITEM";

/// Programs whose output is meant to be `eval`ed (shell setup), not judged as unknown code.
const EVAL_GENERATORS: &[&str] = &[
    "ssh-agent",
    "gpg-agent",
    "keychain",
    "direnv",
    "pyenv",
    "rbenv",
    "nodenv",
    "goenv",
    "jenv",
    "phpenv",
    "brew",
    "conda",
    "starship",
    "zoxide",
    "fnm",
    "mise",
    "rtx",
    "opam",
    "dircolors",
    "thefuck",
    "atuin",
    "register-python-argcomplete",
    "luarocks",
    "asdf",
    "kubectl",
    "helm",
    "gh",
    "rustup",
    "pixi",
    "micromamba",
    "nvm",
    "sdk",
    "aws-vault",
    "aws",
];

const SHELLS: &[&str] = &[
    "bash", "sh", "zsh", "dash", "ksh", "mksh", "ash", "fish", "yash",
];

/// Returns the argv to judge, or `None` when the command was fully handled here (its
/// payload analysed) or runs nothing (`command -v x`).
pub fn strip(
    e: &mut Engine<'_>,
    mut argv: Vec<Word>,
    mut env: Vec<(String, String)>,
    stdin: &Stdin,
    depth: usize,
) -> Option<(Vec<Word>, Env)> {
    for _ in 0..64 {
        let first = argv.first()?;
        if first.dynamic && first.text.starts_with('{') && first.text.contains(',') {
            // Brace expansion as the command: `{rm,-rf,/}`.
            let inner = first.text.trim_start_matches('{').trim_end_matches('}');
            let mut expanded: Vec<Word> = inner.split(',').map(Word::lit).collect();
            expanded.extend(argv.drain(1..));
            argv = expanded;
            continue;
        }
        let prog = program_name(&first.text).to_string();
        let texts: Vec<&str> = argv.iter().map(|w| w.text.as_str()).collect();
        let rest_at =
            |i: usize| -> Vec<Word> { argv.get(i..).map(|s| s.to_vec()).unwrap_or_default() };
        let next: Option<Vec<Word>> = match prog.as_str() {
            "sudo" | "doas" | "run0" => {
                let i = skip_options(
                    &texts,
                    1,
                    &[
                        "-u",
                        "-g",
                        "-C",
                        "-D",
                        "-h",
                        "-p",
                        "-r",
                        "-t",
                        "-U",
                        "-T",
                        "--user",
                        "--group",
                        "--chdir",
                        "--host",
                        "--prompt",
                        "--role",
                        "--type",
                        "--other-user",
                        "--close-from",
                        "--command-timeout",
                    ],
                );
                let i = take_assignments(&argv, i, &mut env);
                Some(rest_at(i))
            }
            "env" => {
                let mut i = 1;
                let mut split: Option<Vec<Word>> = None;
                while i < texts.len() {
                    let a = texts[i];
                    if a == "--" {
                        i += 1;
                        break;
                    }
                    if matches!(a, "-u" | "--unset" | "-C" | "--chdir" | "-P") {
                        i += 2;
                    } else if matches!(a, "-S" | "--split-string") {
                        split = argv.get(i + 1).map(|w| split_words(&w.text));
                        i += 2;
                        break;
                    } else if let Some(v) = a.strip_prefix("--split-string=") {
                        split = Some(split_words(v));
                        i += 1;
                        break;
                    } else if a.starts_with('-') && a.len() > 1 {
                        i += 1;
                    } else {
                        break;
                    }
                }
                let i = take_assignments(&argv, i, &mut env);
                let mut rest = split.unwrap_or_default();
                rest.extend(rest_at(i));
                if rest.is_empty() {
                    // `env` alone prints the environment: judged as a command.
                    return Some((argv, env));
                }
                Some(rest)
            }
            "command" => {
                if texts
                    .iter()
                    .skip(1)
                    .take_while(|a| a.starts_with('-'))
                    .any(|a| a.contains('v') || a.contains('V'))
                {
                    return None;
                }
                Some(rest_at(skip_options(&texts, 1, &[])))
            }
            "builtin" | "nohup" | "unbuffer" | "noglob" | "busybox" | "catchsegv" | "nocorrect" => {
                Some(rest_at(1))
            }
            "exec" => Some(rest_at(skip_options(&texts, 1, &["-a"]))),
            "time" => Some(rest_at(skip_options(
                &texts,
                1,
                &["-f", "-o", "--format", "--output"],
            ))),
            "nice" => Some(rest_at(skip_options(&texts, 1, &["-n", "--adjustment"]))),
            "ionice" => Some(rest_at(skip_options(
                &texts,
                1,
                &["-c", "-n", "-p", "-P", "-u", "--class", "--classdata"],
            ))),
            "stdbuf" => Some(rest_at(skip_options(
                &texts,
                1,
                &["-i", "-o", "-e", "--input", "--output", "--error"],
            ))),
            "setsid" | "caffeinate" => Some(rest_at(skip_options(&texts, 1, &["-w", "-t"]))),
            "taskset" => Some(rest_at(skip_options(&texts, 1, &[]) + 1)),
            "timeout" | "gtimeout" => {
                let i = skip_options(&texts, 1, &["-s", "-k", "--signal", "--kill-after"]);
                Some(rest_at(i + 1))
            }
            "chroot" => {
                let i = skip_options(&texts, 1, &["--userspec", "--groups"]);
                Some(rest_at(i + 1))
            }
            "flock" => {
                if let Some(c) = value_of(&texts, &["-c", "--command"]) {
                    let c = c.to_string();
                    e.script(&c, depth + 1);
                    return None;
                }
                let i = skip_options(
                    &texts,
                    1,
                    &["-w", "--timeout", "-E", "--conflict-exit-code"],
                );
                Some(rest_at(i + 1))
            }
            "watch" => {
                let i = skip_options(&texts, 1, &["-n", "--interval", "-q", "--equexit"]);
                let exec_form = texts[1..i].iter().any(|a| *a == "-x" || *a == "--exec");
                if !exec_form && argv.len() == i + 1 {
                    let src = argv[i].text.clone();
                    e.script(&src, depth + 1);
                    return None;
                }
                if exec_form {
                    Some(rest_at(i))
                } else {
                    let joined = join(&argv[i.min(argv.len())..]);
                    e.script(&joined, depth + 1);
                    return None;
                }
            }
            "xargs" => {
                let i = skip_options(
                    &texts,
                    1,
                    &[
                        "-I",
                        "-L",
                        "-n",
                        "-P",
                        "-s",
                        "-d",
                        "-a",
                        "-E",
                        "-J",
                        "-R",
                        "-S",
                        "--max-args",
                        "--max-procs",
                        "--delimiter",
                        "--arg-file",
                        "--max-lines",
                        "--eof",
                        "--max-chars",
                        "--process-slot-var",
                    ],
                );
                let mut rest = rest_at(i);
                if rest.is_empty() {
                    // `xargs` alone runs `echo`.
                    return None;
                }
                // The items come from stdin: a placeholder (`-I {}`) is replaced by them,
                // otherwise they are appended. When the producer's output is literal
                // (`echo / | xargs rm -rf`) the items are its words; otherwise they are
                // unknown words.
                let placeholder = super::argv::opt_value(&texts[..i], &["-I", "-J", "--replace"])
                    .map(String::from)
                    .or_else(|| texts[..i].contains(&"-i").then(|| "{}".to_string()));
                // -0, -d, -I and -L read one item per line (or NUL), others per blank.
                let by_line = texts[..i].iter().any(|a| {
                    matches!(*a, "-0" | "--null" | "-d" | "-I" | "-L" | "-i" | "-l")
                        || a.starts_with("--delimiter")
                        || a.starts_with("-I")
                        || a.starts_with("-L")
                        || a.starts_with("-d")
                });
                let items = stdin_items(stdin, by_line);
                if shell_reads_payload_from_items(&rest, placeholder.as_deref()) {
                    // `... | xargs sh -c`: each item is a script.
                    match &items {
                        Some(list) => {
                            for it in list.iter().take(32) {
                                e.script(it, depth + 1);
                            }
                        }
                        None => e.hit(
                            "AGENT-PIPE-002",
                            "generated text run by a shell through xargs",
                        ),
                    }
                    return None;
                }
                let item_words: Vec<Word> = match &items {
                    Some(list) if !list.is_empty() => list.iter().take(32).map(Word::lit).collect(),
                    _ => vec![Word {
                        text: XARGS_ITEM.into(),
                        dynamic: true,
                        substituted: Vec::new(),
                    }],
                };
                match placeholder {
                    Some(ph) if !ph.is_empty() => {
                        let mut runs: Vec<Vec<Word>> = Vec::new();
                        for item in &item_words {
                            let mut one = rest.clone();
                            for w in one.iter_mut().skip(1) {
                                if w.text.contains(&ph) {
                                    let replacement = if item.dynamic {
                                        XARGS_ITEM
                                    } else {
                                        item.text.as_str()
                                    };
                                    w.text = w.text.replace(&ph, replacement);
                                    w.dynamic |= item.dynamic;
                                }
                            }
                            runs.push(one);
                        }
                        let last = runs.pop().unwrap_or_default();
                        for r in runs {
                            e.argv(r, env.clone(), &Stdin::Inherited, depth + 1);
                        }
                        rest = last;
                    }
                    _ => rest.extend(item_words),
                }
                Some(rest)
            }
            "parallel" => {
                let i = skip_options(
                    &texts,
                    1,
                    &[
                        "-j",
                        "-P",
                        "--jobs",
                        "-a",
                        "--arg-file",
                        "-S",
                        "--sshlogin",
                        "-d",
                        "--delimiter",
                        "--delay",
                        "--halt",
                        "--timeout",
                        "--joblog",
                        "--results",
                    ],
                );
                let sep = texts
                    .iter()
                    .skip(i)
                    .position(|a| *a == ":::" || *a == "::::")
                    .map(|p| p + i);
                let cmd_words: Vec<Word> = argv[i..sep.unwrap_or(argv.len())].to_vec();
                let mut inputs: Vec<Word> = sep.map(|s| argv[s + 1..].to_vec()).unwrap_or_default();
                if sep.is_none() {
                    // Inputs from stdin: literal ones are known, others are unknown words.
                    inputs = match stdin_items(stdin, true) {
                        Some(list) => list.iter().take(32).map(Word::lit).collect(),
                        None if matches!(stdin, Stdin::Pipe(_) | Stdin::File(_)) => vec![Word {
                            text: XARGS_ITEM.into(),
                            dynamic: true,
                            substituted: Vec::new(),
                        }],
                        None => Vec::new(),
                    };
                }
                if cmd_words.len() == 1 && cmd_words[0].text.contains(char::is_whitespace) {
                    // A quoted command line is run by a shell, once per input.
                    let line = cmd_words[0].text.clone();
                    if inputs.is_empty() {
                        e.script(&line, depth + 1);
                    }
                    for inp in inputs.iter().take(32) {
                        let src = if line.contains("{}") {
                            line.replace("{}", &inp.text)
                        } else {
                            format!("{line} {}", inp.text)
                        };
                        e.script(&src, depth + 1);
                    }
                    return None;
                }
                if cmd_words.is_empty() {
                    for inp in inputs.iter().take(32) {
                        let src = inp.text.clone();
                        e.script(&src, depth + 1);
                    }
                    return None;
                }
                if inputs.is_empty() {
                    Some(cmd_words)
                } else {
                    for inp in inputs.iter().take(32) {
                        let mut replaced = false;
                        let mut one: Vec<Word> = cmd_words
                            .iter()
                            .map(|w| {
                                if w.text.contains("{}") {
                                    replaced = true;
                                    Word {
                                        text: w.text.replace("{}", &inp.text),
                                        ..w.clone()
                                    }
                                } else {
                                    w.clone()
                                }
                            })
                            .collect();
                        if !replaced {
                            one.push(inp.clone());
                        }
                        e.argv(one, env.clone(), &Stdin::Inherited, depth + 1);
                    }
                    return None;
                }
            }
            "ssh" => {
                let i = skip_options(
                    &texts,
                    1,
                    &[
                        "-b", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l", "-m",
                        "-O", "-o", "-p", "-Q", "-R", "-S", "-W", "-w", "-B",
                    ],
                );
                // OpenSSH reads options after the destination too (`ssh host -p 22
                // cmd`, `ssh host -- cmd`).
                const SSH_VALUE: &[&str] = &[
                    "-b", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l", "-m", "-O",
                    "-o", "-p", "-Q", "-R", "-S", "-W", "-w", "-B",
                ];
                let j = if i < texts.len() {
                    skip_options(&texts, i + 1, SSH_VALUE)
                } else {
                    i
                };
                if argv.len() > j {
                    let remote = join(&argv[j..]);
                    e.script(&remote, depth + 1);
                    // `ssh host bash -s <<EOF`: the remote shell reads stdin.
                    let first = remote.split_whitespace().next().unwrap_or("");
                    if SHELLS.contains(&program_name(first)) {
                        shell_stdin(e, stdin, depth, None);
                    }
                } else {
                    shell_stdin(e, stdin, depth, None);
                }
                return None;
            }
            "su" | "runuser" | "script" => {
                if let Some(c) = value_of(&texts, &["-c", "--command"]) {
                    let c = c.to_string();
                    e.script(&c, depth + 1);
                    return None;
                }
                if let Some(p) = texts.iter().position(|a| *a == "--") {
                    Some(rest_at(p + 1))
                } else {
                    return None;
                }
            }
            "nix-shell" => {
                if let Some(c) = value_of(&texts, &["--run", "--command"]) {
                    let c = c.to_string();
                    e.script(&c, depth + 1);
                }
                return None;
            }
            "npx" | "bunx" | "pnpx" => Some(rest_at(skip_options(
                &texts,
                1,
                &["-p", "--package", "-c", "--call"],
            ))),
            "devbox" | "poetry" | "pipenv" | "hatch" | "pdm" if texts.get(1) == Some(&"run") => {
                Some(rest_at(skip_options(&texts, 2, &[])))
            }
            "bundle" if texts.get(1) == Some(&"exec") => Some(rest_at(2)),
            "uv" if texts.get(1) == Some(&"run") => Some(rest_at(skip_options(
                &texts,
                2,
                &[
                    "--with",
                    "--python",
                    "-p",
                    "--package",
                    "--env-file",
                    "--directory",
                    "--project",
                ],
            ))),
            "pnpm" | "yarn" if matches!(texts.get(1), Some(&"dlx") | Some(&"exec")) => {
                Some(rest_at(2))
            }
            "mise" | "rtx" if matches!(texts.get(1), Some(&"exec") | Some(&"x")) => texts
                .iter()
                .position(|a| *a == "--")
                .map(|p| rest_at(p + 1)),
            "direnv" if texts.get(1) == Some(&"exec") => Some(rest_at(3)),
            "nix" if texts.get(1) == Some(&"develop") => texts
                .iter()
                .position(|a| *a == "-c" || *a == "--command")
                .map(|p| rest_at(p + 1)),
            "dotenv" => texts
                .iter()
                .position(|a| *a == "--")
                .map(|p| rest_at(p + 1)),
            "docker" | "podman" | "nerdctl" if texts.get(1) == Some(&"exec") => {
                let i = skip_options(
                    &texts,
                    2,
                    &[
                        "-e",
                        "--env",
                        "-u",
                        "--user",
                        "-w",
                        "--workdir",
                        "--env-file",
                        "--detach-keys",
                    ],
                );
                let inner = rest_at(i + 1);
                if !inner.is_empty() {
                    e.argv(inner, Vec::new(), stdin, depth + 1);
                }
                return None;
            }
            "docker" | "podman" | "nerdctl"
                if texts.get(1) == Some(&"run")
                    || (texts.get(1) == Some(&"container") && texts.get(2) == Some(&"run")) =>
            {
                // `docker run [options] IMAGE [COMMAND ARGS...]`: the command runs in the
                // container (with whatever the options mount), judged as a command.
                let from = if texts.get(1) == Some(&"run") { 2 } else { 3 };
                let (image_at, entrypoint) = container_image(&texts, from);
                if let Some(at) = image_at {
                    let mut inner: Vec<Word> = Vec::new();
                    if let Some(ep) = entrypoint {
                        inner.push(Word::lit(ep));
                    }
                    inner.extend(rest_at(at + 1));
                    if !inner.is_empty() {
                        e.argv(inner, Vec::new(), stdin, depth + 1);
                    }
                }
                return Some((argv, env));
            }
            "kubectl" | "oc" if texts.contains(&"exec") => {
                if let Some(p) = texts.iter().position(|a| *a == "--") {
                    let inner = rest_at(p + 1);
                    e.argv(inner, Vec::new(), stdin, depth + 1);
                }
                return Some((argv, env));
            }
            "eval" => {
                let generated = argv.len() > 1
                    && argv[1..].iter().all(|w| {
                        !w.substituted.is_empty()
                            && w.substituted
                                .iter()
                                .all(|p| EVAL_GENERATORS.contains(&p.as_str()))
                    });
                if generated {
                    // `eval "$(ssh-agent -s)"`: judge the generator command itself only.
                    let payload = join(&argv[1..]);
                    let inner = payload.trim_matches('"');
                    let inner = inner
                        .strip_prefix("$(")
                        .and_then(|s| s.strip_suffix(')'))
                        .unwrap_or("");
                    if !inner.is_empty() {
                        e.script(inner, depth + 1);
                    }
                    return None;
                }
                let payload = join(&argv[1..]);
                if argv[1..]
                    .iter()
                    .any(|w| w.substituted.iter().any(|p| packs::pipe::is_downloader(p)))
                {
                    e.hit("AGENT-PIPE-001", "eval of downloaded text");
                } else if argv[1..]
                    .iter()
                    .any(|w| w.dynamic && w.substituted.is_empty())
                {
                    e.hit("AGENT-SHELL-001", "eval of a variable's value");
                }
                e.script(&payload, depth + 1);
                return None;
            }
            "source" | "." => {
                if argv[1..]
                    .iter()
                    .any(|w| w.substituted.iter().any(|p| packs::pipe::is_downloader(p)))
                {
                    e.hit("AGENT-PIPE-001", "sourcing downloaded text");
                }
                if matches!(texts.get(1), Some(&"/dev/stdin") | Some(&"-")) {
                    shell_stdin(e, stdin, depth, None);
                }
                return None;
            }
            "powershell" | "pwsh" | "powershell.exe" | "pwsh.exe" => {
                // `pwsh -Command '...'`: PowerShell code.
                let rest: Vec<Word> = argv[1..].to_vec();
                let before = e.case_insensitive;
                e.case_insensitive = true;
                let src = rest
                    .iter()
                    .map(|w| {
                        if w.text.contains(char::is_whitespace) {
                            format!("'{}'", w.text.replace('\'', "''"))
                        } else {
                            w.text.clone()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                super::powershell::script(e, &format!("powershell {src}"), depth + 1);
                e.case_insensitive = before;
                return None;
            }
            p if SHELLS.contains(&p) => {
                shell(e, &argv, stdin, depth);
                return None;
            }
            p if packs::interp::language(p).is_some() => {
                packs::interp::interpreter(e, p, &argv, &env, stdin, depth);
                // The packs still see it (`awk 1 .env` reads a secret).
                return Some((argv, env));
            }
            "find" => {
                find_exec(e, &argv, &env, depth);
                return Some((argv, env));
            }
            _ => return Some((argv, env)),
        };
        argv = next?;
        if argv.is_empty() {
            return None;
        }
    }
    e.hit("AGENT-SHELL-001", "too many nested wrappers");
    None
}

/// Index of the first word after options starting at `from`; `with_value` options
/// consume the next word. `--` is skipped.
fn skip_options(texts: &[&str], from: usize, with_value: &[&str]) -> usize {
    let mut i = from;
    while i < texts.len() {
        let a = texts[i];
        if a == "--" {
            return i + 1;
        }
        if !(a.starts_with('-') && a.len() > 1) {
            break;
        }
        if with_value.contains(&a) {
            i += 1;
        }
        i += 1;
    }
    // An option missing its value at the end (`watch -n`) must not index past it.
    i.min(texts.len())
}

fn take_assignments(argv: &[Word], mut i: usize, env: &mut Vec<(String, String)>) -> usize {
    while let Some(w) = argv.get(i) {
        match w.text.split_once('=') {
            Some((k, v))
                if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                env.push((k.to_string(), v.to_string()));
                i += 1;
            }
            _ => break,
        }
    }
    i
}

fn value_of<'a>(texts: &[&'a str], names: &[&str]) -> Option<&'a str> {
    super::argv::opt_value(texts, names)
}

fn split_words(s: &str) -> Vec<Word> {
    s.split_whitespace().map(Word::lit).collect()
}

fn join(words: &[Word]) -> String {
    words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `bash [options] [-c payload | script | (stdin)]`.
fn shell(e: &mut Engine<'_>, argv: &[Word], stdin: &Stdin, depth: usize) {
    let mut i = 1;
    let mut has_c = false;
    // `-s`: commands come from stdin, the operands are arguments.
    let mut has_s = false;
    while i < argv.len() {
        let a = argv[i].text.as_str();
        if a == "--" {
            i += 1;
            break;
        }
        if matches!(a, "--rcfile" | "--init-file" | "-o" | "+o" | "-O" | "+O") {
            i += 2;
            continue;
        }
        if (a.starts_with('-') || a.starts_with('+')) && a.len() > 1 {
            if !a.starts_with("--") && a.contains('c') {
                has_c = true;
            }
            if !a.starts_with("--") && a.starts_with('-') && a.contains('s') {
                has_s = true;
            }
            i += 1;
            continue;
        }
        break;
    }
    let operand = argv.get(i);
    if let Some(w) = operand {
        if w.substituted.iter().any(|p| packs::pipe::is_downloader(p)) {
            e.hit(
                "AGENT-PIPE-001",
                "shell runs a script from a download (`<(curl ...)`)",
            );
            return;
        }
    }
    if has_c {
        match operand {
            Some(w) => {
                if w.substituted.iter().any(|p| packs::pipe::is_downloader(p)) {
                    e.hit("AGENT-PIPE-001", "shell runs downloaded text");
                }
                let src = w.text.clone();
                e.script(&src, depth + 1);
            }
            // bash refuses `-c` without a command string: nothing runs.
            None => e.note("`-c` without a command string runs nothing"),
        }
        return;
    }
    match operand.map(|w| w.text.as_str()) {
        _ if has_s => shell_stdin(e, stdin, depth, None),
        None | Some("-") | Some("/dev/stdin") => shell_stdin(e, stdin, depth, None),
        Some(_) => {}
    }
}

/// Code a shell or interpreter reads from stdin. `lang` is `None` for shells.
pub(crate) fn shell_stdin(e: &mut Engine<'_>, stdin: &Stdin, depth: usize, lang: Option<&str>) {
    match stdin {
        Stdin::Inherited | Stdin::File(_) => {}
        Stdin::Text { text, .. } => code(e, text, depth, lang),
        Stdin::Pipe(producers) => {
            if producers
                .iter()
                .any(|p| producer_program(p).is_some_and(packs::pipe::is_downloader))
            {
                e.hit("AGENT-PIPE-001", "download piped into an interpreter");
                return;
            }
            match producers.last().and_then(literal_output) {
                Some(text) => code(e, &text, depth, lang),
                None => e.hit("AGENT-PIPE-002", "generated text piped into an interpreter"),
            }
        }
    }
}

fn code(e: &mut Engine<'_>, text: &str, depth: usize, lang: Option<&str>) {
    match lang {
        None => e.script(text, depth + 1),
        Some(l) => packs::interp::code(e, l, text, depth + 1),
    }
}

fn producer_program(p: &Producer) -> Option<&str> {
    let mut i = 0;
    while let Some(w) = p.argv.get(i) {
        let name = program_name(&w.text);
        if matches!(name, "sudo" | "env" | "command" | "nohup" | "time") || w.text.contains('=') {
            i += 1;
            continue;
        }
        return Some(name);
    }
    None
}

/// What `echo`/`printf`/`cat <<EOF` writes, when it is literal.
fn literal_output(p: &Producer) -> Option<String> {
    let prog = producer_program(p)?;
    let idx = p.argv.iter().position(|w| program_name(&w.text) == prog)?;
    let args = &p.argv[idx + 1..];
    if args.iter().any(|w| w.dynamic) {
        return None;
    }
    match prog {
        "echo" => Some(
            args.iter()
                .map(|w| w.text.as_str())
                .skip_while(|a| matches!(*a, "-e" | "-n" | "-E" | "-ne" | "-en"))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "printf" => Some(
            args.iter()
                .map(|w| w.text.replace("\\n", "\n"))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "cat" if args.is_empty() => p.stdin.clone(),
        _ => None,
    }
}

/// The items a pipeline's producer writes, when its output is literal (`echo a b`,
/// `printf`, a heredoc into `cat`), split as xargs splits them (blanks and newlines).
fn stdin_items(stdin: &Stdin, by_line: bool) -> Option<Vec<String>> {
    let text = match stdin {
        Stdin::Text {
            text,
            dynamic: false,
        } => text.clone(),
        Stdin::Pipe(prods) => prods.last().and_then(literal_output)?,
        _ => return None,
    };
    Some(if by_line {
        text.split(['\n', '\0'])
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect()
    } else {
        text.split_whitespace().map(str::to_string).collect()
    })
}

/// `xargs sh -c` (no script operand): the items become the script.
fn shell_reads_payload_from_items(rest: &[Word], placeholder: Option<&str>) -> bool {
    let Some(first) = rest.first() else {
        return false;
    };
    if !SHELLS.contains(&program_name(&first.text)) {
        return false;
    }
    let Some(c) = rest
        .iter()
        .position(|w| w.text.starts_with('-') && !w.text.starts_with("--") && w.text.contains('c'))
    else {
        return false;
    };
    match rest.get(c + 1) {
        None => true,
        Some(w) => placeholder.is_some_and(|ph| w.text.trim() == ph),
    }
}

/// `docker run` flags that take no value; every other option does (unless written
/// `--opt=value`).
const RUN_FLAGS: &[&str] = &[
    "--rm",
    "-d",
    "--detach",
    "-i",
    "--interactive",
    "-t",
    "--tty",
    "-it",
    "-ti",
    "-itd",
    "-dit",
    "--privileged",
    "--init",
    "--read-only",
    "-P",
    "--publish-all",
    "--sig-proxy",
    "--no-healthcheck",
    "--oom-kill-disable",
    "-q",
    "--quiet",
    "--disable-content-trust",
    "--replace",
    "--systemd",
    "--tls-verify",
    "--help",
];

/// Index of the image operand of `docker run` and the `--entrypoint` value.
fn container_image(texts: &[&str], from: usize) -> (Option<usize>, Option<String>) {
    let mut i = from;
    let mut entrypoint = None;
    while i < texts.len() {
        let a = texts[i];
        if a == "--" {
            return ((i + 1 < texts.len()).then_some(i + 1), entrypoint);
        }
        if !a.starts_with('-') || a == "-" {
            return (Some(i), entrypoint);
        }
        if let Some(v) = a.strip_prefix("--entrypoint=") {
            entrypoint = Some(v.to_string());
            i += 1;
            continue;
        }
        if a == "--entrypoint" {
            entrypoint = texts.get(i + 1).map(|s| s.to_string());
            i += 2;
            continue;
        }
        let bundle_of_flags = !a.starts_with("--")
            && a.len() > 2
            && a[1..]
                .chars()
                .all(|c| matches!(c, 'i' | 't' | 'd' | 'P' | 'q'));
        if RUN_FLAGS.contains(&a) || a.contains('=') || bundle_of_flags {
            i += 1;
        } else if !a.starts_with("--") && a.len() > 2 {
            // `-v/x:/y`, `-eFOO=1`: a short option with its value attached.
            i += 1;
        } else {
            i += 2;
        }
    }
    (None, entrypoint)
}

/// `find ... -exec cmd {} ;` runs `cmd` once per match.
fn find_exec(e: &mut Engine<'_>, argv: &[Word], env: &[(String, String)], depth: usize) {
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].text.as_str();
        if matches!(a, "-exec" | "-execdir" | "-ok" | "-okdir") {
            let start = i + 1;
            let mut end = start;
            while end < argv.len() && !matches!(argv[end].text.as_str(), ";" | "+") {
                end += 1;
            }
            if end > start {
                e.argv(
                    argv[start..end].to_vec(),
                    env.to_vec(),
                    &Stdin::Inherited,
                    depth + 1,
                );
            }
            i = end;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use crate::shell::{analyse, Options};
    use crate::PolicyConfig;

    #[test]
    fn options_missing_their_value_do_not_panic() {
        // Found by the fuzzer: `watch -n &` indexed past the argv.
        for cmd in [
            "watch -n",
            "watch -n &",
            "xargs -I",
            "timeout -s",
            "sudo -u",
            "ssh -p",
            "env -u",
            "parallel -j",
        ] {
            analyse(cmd, &PolicyConfig::default(), &Options::default());
        }
        let crash = b"chmod -R u+rwX \0\0watch -n &\0\0watch -n &\0\x001 rm \0\0/\0";
        analyse(
            &String::from_utf8_lossy(crash),
            &PolicyConfig::default(),
            &Options::default(),
        );
    }
}
