//! Child processes with a deadline (describing a plugin, running a process
//! plugin) and the limits a plugin's worker puts on itself.
#![allow(unsafe_code)]

use std::io::{Read, Write};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// What a finished child left.
#[derive(Debug)]
pub struct ChildOutput {
    /// How it ended.
    pub status: ExitStatus,
    /// Its standard output (cut at the cap given to [`run`]).
    pub stdout: Vec<u8>,
    /// Whether standard output went past the cap.
    pub stdout_truncated: bool,
    /// Its standard error, at most 64 KiB.
    pub stderr: Vec<u8>,
}

/// Why a child gave no output.
#[derive(Debug, thiserror::Error)]
pub enum ChildError {
    /// It could not be started.
    #[error("cannot start {program}: {message}")]
    Spawn {
        /// The program.
        program: String,
        /// The system's reason.
        message: String,
    },
    /// It ran past its deadline and was killed.
    #[error("no answer within {} ms; killed", .0.as_millis())]
    TimedOut(Duration),
}

const STDERR_CAP: usize = 64 * 1024;

/// Runs `cmd` with `input` on stdin, reading at most `max_stdout` bytes of
/// its output. Past `timeout` it gets SIGTERM, then SIGKILL. With
/// `own_group` it runs in a process group of its own and the whole group is
/// signalled (so its children die with it); without, it stays in ours, so
/// whoever kills our group kills it too.
pub fn run(
    cmd: &mut Command,
    input: Vec<u8>,
    timeout: Duration,
    max_stdout: usize,
    own_group: bool,
) -> Result<ChildOutput, ChildError> {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    if own_group {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = cmd.spawn().map_err(|e| ChildError::Spawn {
        program: cmd.get_program().to_string_lossy().into_owned(),
        message: e.to_string(),
    })?;
    let pid = child.id() as i32;
    let stdin = child.stdin.take();
    let writer = std::thread::spawn(move || {
        if let Some(mut s) = stdin {
            // A child that exits without reading closes the pipe; its status tells.
            let _ = s.write_all(&input);
        }
    });
    let stdout = child.stdout.take();
    let reader = std::thread::spawn(move || read_capped(stdout, max_stdout));
    let stderr = child.stderr.take();
    let err_reader = std::thread::spawn(move || read_capped(stderr, STDERR_CAP).0);

    let started = Instant::now();
    let mut nap = Duration::from_micros(200);
    let mut timed_out = false;
    let status = loop {
        if let Ok(Some(s)) = child.try_wait() {
            break Some(s);
        }
        if started.elapsed() >= timeout {
            timed_out = true;
            signal(pid, own_group, Signal::Term);
            let sent = Instant::now();
            let status = loop {
                if let Ok(Some(s)) = child.try_wait() {
                    break Some(s);
                }
                if sent.elapsed() >= Duration::from_millis(250) {
                    signal(pid, own_group, Signal::Kill);
                    break child.wait().ok();
                }
                std::thread::sleep(Duration::from_millis(5));
            };
            break status;
        }
        std::thread::sleep(nap);
        nap = (nap * 2).min(Duration::from_millis(5));
    };
    let _ = writer.join();
    let (stdout, stdout_truncated) = reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    if timed_out {
        return Err(ChildError::TimedOut(timeout));
    }
    let Some(status) = status else {
        return Err(ChildError::Spawn {
            program: cmd.get_program().to_string_lossy().into_owned(),
            message: "its exit status could not be read".into(),
        });
    };
    Ok(ChildOutput {
        status,
        stdout,
        stdout_truncated,
        stderr,
    })
}

/// Reads everything, keeping the first `cap` bytes (the rest is drained so
/// the child is not blocked on a full pipe).
fn read_capped(src: Option<impl Read>, cap: usize) -> (Vec<u8>, bool) {
    let mut kept = Vec::new();
    let mut truncated = false;
    let Some(mut src) = src else {
        return (kept, truncated);
    };
    let mut buf = [0u8; 16 * 1024];
    loop {
        match src.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let room = cap.saturating_sub(kept.len());
                if n > room {
                    truncated = true;
                }
                kept.extend_from_slice(&buf[..n.min(room)]);
            }
        }
    }
    (kept, truncated)
}

enum Signal {
    Term,
    Kill,
}

#[cfg(unix)]
fn signal(pid: i32, group: bool, sig: Signal) {
    let sig = match sig {
        Signal::Term => libc::SIGTERM,
        Signal::Kill => libc::SIGKILL,
    };
    let target = if group { -pid } else { pid };
    // SAFETY: kill(2) takes plain integers; `target` is our own child or the
    // process group created for it.
    unsafe {
        libc::kill(target, sig);
    }
}

#[cfg(not(unix))]
fn signal(_pid: i32, _group: bool, _sig: Signal) {}

/// The last non-empty line of a child's stderr, for messages.
pub fn last_line(stderr: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(stderr);
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.chars().take(300).collect())
}

/// Caps this process's address space at `bytes` (inherited by its
/// children): a plugin that allocates without bound fails its allocation
/// and dies instead of taking the machine's memory.
#[cfg(unix)]
pub fn limit_memory(bytes: u64) -> Result<(), String> {
    let lim = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: setrlimit(2) reads the struct we pass by reference and nothing else.
    let rc = unsafe { libc::setrlimit(libc::RLIMIT_AS, &lim) };
    if rc == 0 {
        Ok(())
    } else {
        Err(format!(
            "cannot limit memory: {}",
            std::io::Error::last_os_error()
        ))
    }
}

/// No memory limit off Unix.
#[cfg(not(unix))]
pub fn limit_memory(_bytes: u64) -> Result<(), String> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn output_status_and_deadline() {
        let out = run(
            Command::new("sh").args(["-c", "cat; echo oops >&2; exit 3"]),
            b"hello".to_vec(),
            Duration::from_secs(10),
            3,
            true,
        )
        .unwrap();
        assert_eq!(out.status.code(), Some(3));
        assert_eq!(out.stdout, b"hel");
        assert!(out.stdout_truncated);
        assert_eq!(last_line(&out.stderr).as_deref(), Some("oops"));
        let started = Instant::now();
        let e = run(
            Command::new("sh").args(["-c", "sleep 30"]),
            Vec::new(),
            Duration::from_millis(200),
            10,
            true,
        )
        .unwrap_err();
        assert!(matches!(e, ChildError::TimedOut(_)));
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
