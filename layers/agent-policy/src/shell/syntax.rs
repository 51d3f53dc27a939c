//! What bash itself makes of a command tree-sitter could not fully parse.
//!
//! bash reads a script one complete command at a time and runs each before reading
//! the next, so a syntax error stops the script where it is: the commands on the
//! lines before the broken one have run, the broken one and everything after it
//! never do (and on one line nothing runs: bash parses the whole line first).
//! `bash -n` (no execution) says whether bash accepts the text and on which line it
//! fails; tree-sitter's grammar differs from bash in corners, so its errors alone
//! cannot say that nothing runs.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest text checked: bash takes it as one argument (Linux limits one argument
/// to 128 KiB).
const MAX_CHECK_BYTES: usize = 120 * 1024;
/// How long `bash -n` may take.
const TIMEOUT: Duration = Duration::from_secs(2);

/// bash's verdict on a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// bash parses it: tree-sitter's error was a grammar gap.
    Accepted,
    /// bash rejects it; the error is reported on this line (1-based).
    Rejected { line: usize },
    /// No answer (no bash, too large, timed out, unreadable message).
    Unknown,
}

/// Runs `bash -n -c SRC` (parse only).
pub fn check(src: &str) -> Verdict {
    if src.len() > MAX_CHECK_BYTES || src.contains('\0') {
        return Verdict::Unknown;
    }
    let child = Command::new("bash")
        .args(["--norc", "--noprofile", "-n", "-c", src])
        .env_remove("BASH_ENV")
        .env_remove("ENV")
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        return Verdict::Unknown;
    };
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if start.elapsed() < TIMEOUT => std::thread::sleep(Duration::from_micros(200)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Verdict::Unknown;
            }
        }
    };
    if status.success() {
        return Verdict::Accepted;
    }
    let mut err = String::new();
    if let Some(mut s) = child.stderr.take() {
        use std::io::Read;
        let _ = (&mut s).take(64 * 1024).read_to_string(&mut err);
    }
    match error_line(&err) {
        Some(line) => Verdict::Rejected { line },
        None => Verdict::Unknown,
    }
}

/// The line of the first `line N:` in bash's message.
fn error_line(msg: &str) -> Option<usize> {
    let at = msg.find("line ")?;
    let digits: String = msg[at + 5..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok().filter(|n| *n >= 1)
}

/// The text of the lines before `line`, cut back until tree-sitter parses it whole
/// (the broken command may start lines before the line bash names). `None` when no
/// complete prefix is found within a few tries.
pub fn runnable_prefix(src: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = src.split_inclusive('\n').collect();
    let mut k = line.saturating_sub(1).min(lines.len());
    for _ in 0..32 {
        let prefix: String = lines[..k].concat();
        if prefix.trim().is_empty() {
            return Some(String::new());
        }
        if !super::parse::parse(&prefix).partial {
            return Some(prefix);
        }
        k -= 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn have_bash() -> bool {
        Command::new("bash")
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    #[test]
    fn bash_verdicts() {
        if !have_bash() {
            eprintln!("bash not found: skipped");
            return;
        }
        assert_eq!(check("echo ok; ls"), Verdict::Accepted);
        assert_eq!(check("rm -rf / ; echo ("), Verdict::Rejected { line: 1 });
        assert_eq!(check("rm -rf /\necho ("), Verdict::Rejected { line: 2 });
    }

    #[test]
    fn prefixes() {
        assert_eq!(error_line("bash: -c: line 12: syntax error"), Some(12));
        assert_eq!(error_line("bash: syntax error"), None);
        assert_eq!(runnable_prefix("echo (", 1).as_deref(), Some(""));
        assert_eq!(
            runnable_prefix("rm -rf /\necho (\n", 2).as_deref(),
            Some("rm -rf /\n")
        );
        // The broken `if` starts on line 2: only line 1 runs.
        assert_eq!(
            runnable_prefix("ls\nif true; then\necho (\nfi\n", 3).as_deref(),
            Some("ls\n")
        );
    }
}
