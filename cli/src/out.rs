//! The one writer of stdout for every command. A reader that goes away early
//! (`guard rules | head -1`) closes the pipe: the rest of the output is
//! dropped quietly and the command keeps its exit code, as `cat` or `rg` do,
//! instead of panicking in `print!`.

use anyhow::{Context as _, Result};
use std::io::{ErrorKind, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once the reader has closed stdout; later writes are skipped.
static CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `text` to stdout as is.
pub fn print(text: &str) -> Result<()> {
    write_with(|out| out.write_all(text.as_bytes()))
}

/// Writes to stdout with `write` (output too large to build as one string).
pub fn write_with(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    if CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    match write(&mut out).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => {
            CLOSED.store(true, Ordering::Relaxed);
            tracing::debug!("stdout closed by the reader; the rest of the output is dropped");
            Ok(())
        }
        Err(e) => Err(e).context("cannot write to stdout"),
    }
}

/// Writes `text` and a newline to stdout.
pub fn println(text: &str) -> Result<()> {
    let mut line = String::with_capacity(text.len() + 1);
    line.push_str(text);
    line.push('\n');
    print(&line)
}

/// Marks stdout closed after a streaming writer met a broken pipe.
pub fn mark_closed() {
    CLOSED.store(true, Ordering::Relaxed);
}
