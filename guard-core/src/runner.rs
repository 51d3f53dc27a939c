//! Runs layers concurrently and isolated from each other. A panic, an error, an
//! overrun or (in process mode) a crash of one layer becomes that layer's
//! outcome; the others finish.

use crate::diff::ChangeSet;
use crate::walk::{InputError, SkippedFile, WalkOptions};
use crate::{Context, Finding, Inputs, Layer, LayerConfig, LayerError, LayerOutcome};
use serde::{Deserialize, Serialize};
use std::any::Any;
use std::cell::RefCell;
use std::io::{Read, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{mpsc, Arc, Once};
use std::time::{Duration, Instant};

/// How long a layer gets after its deadline to notice cancellation before it
/// is abandoned (thread) or killed (process).
pub const GRACE: Duration = Duration::from_millis(250);

/// How layers are kept apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Isolation {
    /// Each layer on its own thread with `catch_unwind` and a deadline.
    Thread,
    /// Each layer in a worker process of its own (`guard __layer <id>`).
    Process,
}

/// How [`run_layers`] runs layers.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Threads or worker processes.
    pub isolation: Isolation,
    /// Time each layer gets.
    pub timeout: Duration,
    /// The program and leading arguments that start a worker; the layer id is
    /// appended. Required for [`Isolation::Process`].
    pub worker: Option<(PathBuf, Vec<String>)>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            isolation: Isolation::Thread,
            timeout: Duration::from_secs(300),
            worker: None,
        }
    }
}

/// Progress notifications, e.g. for a spinner.
#[derive(Debug)]
pub enum RunEvent<'a> {
    /// The layer with this id started.
    Started(&'a str),
    /// The layer finished with this outcome after this time.
    Finished(&'a str, &'a LayerOutcome, Duration),
}

/// One layer's result from [`run_layers`].
#[derive(Debug, Clone)]
pub struct LayerResult {
    /// Layer id.
    pub id: String,
    /// How it ended.
    pub outcome: LayerOutcome,
    /// Wall time.
    pub duration: Duration,
    /// Its findings (empty unless completed).
    pub findings: Vec<Finding>,
}

/// Runs `layers` with `ctx` (each gets its own config table from `config_for`).
pub fn run_layers(
    layers: &[Arc<dyn Layer>],
    ctx: &Context,
    config_for: &dyn Fn(&str) -> LayerConfig,
    opts: &RunOptions,
    on_event: &(dyn Fn(RunEvent<'_>) + Sync),
) -> Vec<LayerResult> {
    install_panic_hook();
    let start = Instant::now();
    let deadline = start + opts.timeout;
    let (tx, rx) = mpsc::channel::<(usize, LayerResult)>();
    let mut pending: Vec<Option<(Context, String)>> = Vec::with_capacity(layers.len());
    let mut results: Vec<Option<LayerResult>> = vec![None; layers.len()];

    for (i, layer) in layers.iter().enumerate() {
        let id = layer.id();
        let lctx = ctx.for_layer(config_for(id), Some(deadline));
        if let Err(reason) = layer.applies(&lctx) {
            results[i] = Some(LayerResult {
                id: id.to_string(),
                outcome: LayerOutcome::Skipped { reason },
                duration: Duration::ZERO,
                findings: Vec::new(),
            });
            pending.push(None);
            continue;
        }
        on_event(RunEvent::Started(id));
        let tx = tx.clone();
        let isolation = if layer.requires_process() {
            Isolation::Process
        } else {
            opts.isolation
        };
        let spawned = match isolation {
            Isolation::Thread => {
                let layer = Arc::clone(layer);
                let c = lctx.clone();
                std::thread::Builder::new()
                    .name(format!("guard-layer-{id}"))
                    .spawn(move || {
                        let t0 = Instant::now();
                        let (outcome, findings) = run_in_this_thread(layer.as_ref(), &c);
                        let _ = tx.send((
                            i,
                            LayerResult {
                                id: layer.id().to_string(),
                                outcome,
                                duration: t0.elapsed(),
                                findings,
                            },
                        ));
                    })
            }
            Isolation::Process => {
                let c = lctx.clone();
                let worker = opts.worker.clone().map(|(program, mut args)| {
                    args.extend(layer.worker_args());
                    (program, args)
                });
                let scrub = layer.requires_process();
                let id_owned = id.to_string();
                std::thread::Builder::new()
                    .name(format!("guard-worker-{id}"))
                    .spawn(move || {
                        let t0 = Instant::now();
                        let (outcome, findings) =
                            run_in_worker(&id_owned, &c, worker, deadline, scrub);
                        let _ = tx.send((
                            i,
                            LayerResult {
                                id: id_owned,
                                outcome,
                                duration: t0.elapsed(),
                                findings,
                            },
                        ));
                    })
            }
        };
        if let Err(e) = spawned {
            results[i] = Some(LayerResult {
                id: id.to_string(),
                outcome: LayerOutcome::Failed {
                    message: format!("cannot start: {e}"),
                },
                duration: Duration::ZERO,
                findings: Vec::new(),
            });
            pending.push(None);
        } else {
            pending.push(Some((lctx, id.to_string())));
        }
    }
    drop(tx);

    let give_up = deadline
        + GRACE
        + if opts.isolation == Isolation::Process || layers.iter().any(|l| l.requires_process()) {
            GRACE * 4
        } else {
            Duration::ZERO
        };
    let mut open = pending.iter().filter(|p| p.is_some()).count();
    while open > 0 {
        let now = Instant::now();
        let wait = give_up.saturating_duration_since(now);
        match rx.recv_timeout(wait) {
            Ok((i, r)) => {
                on_event(RunEvent::Finished(&r.id, &r.outcome, r.duration));
                results[i] = Some(r);
                open -= 1;
            }
            Err(_) => break,
        }
    }
    // Whatever is still running has overrun; it is told to stop and abandoned.
    for (i, p) in pending.into_iter().enumerate() {
        if let (Some((lctx, id)), None) = (p, &results[i]) {
            lctx.cancel();
            let outcome = LayerOutcome::TimedOut {
                after_ms: start.elapsed().as_millis() as u64,
            };
            on_event(RunEvent::Finished(&id, &outcome, start.elapsed()));
            results[i] = Some(LayerResult {
                id,
                outcome,
                duration: start.elapsed(),
                findings: Vec::new(),
            });
        }
    }
    results.into_iter().flatten().collect()
}

/// Runs one layer on the current thread, turning errors and panics into outcomes.
pub fn run_in_this_thread(layer: &dyn Layer, ctx: &Context) -> (LayerOutcome, Vec<Finding>) {
    install_panic_hook();
    let started = Instant::now();
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        layer.check_config(ctx).map_err(LayerError::from)?;
        layer.run(ctx)
    }));
    match result {
        Ok(Ok(findings)) => (LayerOutcome::Completed, findings),
        Ok(Err(LayerError::Cancelled)) => (
            LayerOutcome::TimedOut {
                after_ms: started.elapsed().as_millis() as u64,
            },
            Vec::new(),
        ),
        Ok(Err(e)) => (
            LayerOutcome::Failed {
                message: e.to_string(),
            },
            Vec::new(),
        ),
        Err(payload) => (
            LayerOutcome::Panicked {
                message: take_panic_message(payload.as_ref()),
            },
            Vec::new(),
        ),
    }
}

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Panics on layer threads are recorded (message and place) instead of printed;
/// other threads keep the default behaviour.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let on_layer = std::thread::current()
                .name()
                .is_some_and(|n| n.starts_with("guard-layer-"))
                || LAYER_WORKER.with(|w| *w.borrow());
            if on_layer {
                let msg = payload_text(info.payload());
                let place = info
                    .location()
                    .map(|l| format!(" at {}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                tracing::debug!("layer panicked: {msg}{place}");
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{msg}{place}")));
            } else {
                previous(info);
            }
        }));
    });
}

thread_local! {
    static LAYER_WORKER: RefCell<bool> = const { RefCell::new(false) };
}

fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-string payload".to_string()
    }
}

/// What a caught panic said, with its place when the panic happened on a
/// thread whose name starts with `guard-layer-` (those panics are recorded
/// instead of printed). For layers that isolate parts of their own work.
pub fn describe_panic(payload: &(dyn Any + Send)) -> String {
    install_panic_hook();
    take_panic_message(payload)
}

/// Installs the hook that records (instead of printing) panics on threads
/// named `guard-layer-*`; layers spawning such threads call it first.
pub fn quiet_layer_panics() {
    install_panic_hook();
}

fn take_panic_message(payload: &(dyn Any + Send)) -> String {
    LAST_PANIC
        .with(|p| p.borrow_mut().take())
        .unwrap_or_else(|| payload_text(payload))
}

/// What the parent sends a worker on stdin.
#[derive(Debug, Serialize, Deserialize)]
pub struct WorkerRequest {
    /// Layer id.
    pub layer: String,
    /// Scanned root.
    pub root: PathBuf,
    /// Change under review.
    pub change: Option<ChangeSet>,
    /// Named inputs.
    pub inputs: Inputs,
    /// Walk options.
    pub walk: WalkOptions,
    /// The layer's config table.
    pub config: LayerConfig,
    /// Milliseconds until the deadline.
    pub timeout_ms: u64,
}

/// What a worker answers on stdout.
#[derive(Debug, Serialize, Deserialize)]
pub struct WorkerResponse {
    /// How the layer's run ended.
    pub outcome: LayerOutcome,
    /// Its findings.
    pub findings: Vec<Finding>,
    /// What the worker's walk and reads could not read (input errors) or
    /// passed over (skipped), for the parent's report.
    #[serde(default)]
    pub input_errors: Vec<InputError>,
    /// Files passed over.
    #[serde(default)]
    pub skipped: Vec<SkippedFile>,
    /// Outcomes of the layer's independent parts.
    #[serde(default)]
    pub parts: Vec<crate::report::PartRun>,
}

/// The body of `guard __layer <id>`: read a request, run the layer, answer.
/// Returns the process exit code.
pub fn worker_main(layers: &[Arc<dyn Layer>], id: &str) -> i32 {
    LAYER_WORKER.with(|w| *w.borrow_mut() = true);
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("guard worker: cannot read request: {e}");
        return 2;
    }
    let req: WorkerRequest = match serde_json::from_str(&input) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("guard worker: bad request: {e}");
            return 2;
        }
    };
    let Some(layer) = layers.iter().find(|l| l.id() == id) else {
        eprintln!("guard worker: unknown layer `{id}`");
        return 2;
    };
    let mut ctx = Context::new(req.root)
        .with_inputs(req.inputs)
        .with_walk_options(req.walk)
        .with_config(req.config)
        .with_deadline(Instant::now() + Duration::from_millis(req.timeout_ms));
    if let Some(change) = req.change {
        ctx = ctx.with_change(change);
    }
    let (outcome, findings) = run_in_this_thread(layer.as_ref(), &ctx);
    let (mut input_errors, mut skipped) = ctx.read_problems();
    if let Some(set) = ctx.files_if_walked() {
        input_errors.extend(set.errors.iter().cloned());
        skipped.extend(set.skipped.iter().cloned());
    }
    let resp = WorkerResponse {
        outcome,
        findings,
        input_errors,
        skipped,
        parts: ctx.part_outcomes(&req.layer),
    };
    let mut out = std::io::stdout().lock();
    match serde_json::to_writer(&mut out, &resp) {
        Ok(()) => {
            let _ = out.flush();
            0
        }
        Err(e) => {
            eprintln!("guard worker: cannot write response: {e}");
            2
        }
    }
}

#[cfg(not(unix))]
fn run_in_worker(
    _id: &str,
    _ctx: &Context,
    _worker: Option<(PathBuf, Vec<String>)>,
    _deadline: Instant,
    _scrub: bool,
) -> (LayerOutcome, Vec<Finding>) {
    (
        LayerOutcome::Failed {
            message: "process isolation is supported on Unix only; use --isolation thread".into(),
        },
        Vec::new(),
    )
}

#[cfg(unix)]
fn run_in_worker(
    id: &str,
    ctx: &Context,
    worker: Option<(PathBuf, Vec<String>)>,
    deadline: Instant,
    scrub: bool,
) -> (LayerOutcome, Vec<Finding>) {
    use std::os::unix::process::{CommandExt, ExitStatusExt};
    use std::process::{Command, Stdio};

    let fail = |message: String| (LayerOutcome::Crashed { message }, Vec::new());
    let Some((program, args)) = worker else {
        return (
            LayerOutcome::Failed {
                message: "process isolation needs a worker program".into(),
            },
            Vec::new(),
        );
    };
    let started = Instant::now();
    let request = WorkerRequest {
        layer: id.to_string(),
        root: ctx.root().to_path_buf(),
        change: ctx.change().cloned(),
        inputs: ctx.all_inputs().clone(),
        walk: ctx.walk_options().clone(),
        config: ctx.config().clone(),
        timeout_ms: deadline.saturating_duration_since(started).as_millis() as u64,
    };
    let body = match serde_json::to_vec(&request) {
        Ok(b) => b,
        Err(e) => return fail(format!("cannot encode request: {e}")),
    };
    let mut command = Command::new(&program);
    command
        .args(&args)
        .arg(id)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    if scrub {
        scrub_env(&mut command);
    }
    let mut child = match command.spawn() {
        Ok(c) => c,
        Err(e) => return fail(format!("cannot start worker {}: {e}", program.display())),
    };
    let pgid = child.id() as i32;
    let stdin = child.stdin.take();
    let writer = std::thread::spawn(move || {
        if let Some(mut s) = stdin {
            // A worker that dies early closes the pipe; that shows in its status.
            let _ = s.write_all(&body);
        }
    });
    let stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut s) = stdout {
            let _ = s.read_to_end(&mut buf);
        }
        buf
    });
    let stderr = child.stderr.take();
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut s) = stderr {
            let _ = s.read_to_end(&mut buf);
        }
        buf
    });

    let mut timed_out = false;
    let mut nap = Duration::from_micros(100);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) => {}
            Err(e) => return fail(format!("cannot wait for worker: {e}")),
        }
        if Instant::now() >= deadline + GRACE {
            timed_out = true;
            kill_group(pgid, libc::SIGTERM);
            let term_sent = Instant::now();
            let status = loop {
                if let Ok(Some(s)) = child.try_wait() {
                    break Some(s);
                }
                if term_sent.elapsed() >= GRACE {
                    kill_group(pgid, libc::SIGKILL);
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
    let out = reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    if !err.is_empty() {
        // The worker's logs go where ours go.
        let _ = std::io::stderr().write_all(&err);
    }
    if timed_out {
        return (
            LayerOutcome::TimedOut {
                after_ms: started.elapsed().as_millis() as u64,
            },
            Vec::new(),
        );
    }
    let Some(status) = status else {
        return fail("worker status unknown".into());
    };
    if let Some(sig) = status.signal() {
        return fail(format!(
            "worker killed by signal {sig} ({}){}",
            signal_name(sig),
            tail(&err)
        ));
    }
    match serde_json::from_slice::<WorkerResponse>(&out) {
        Ok(resp) if status.success() => {
            ctx.record_problems(resp.input_errors, resp.skipped);
            ctx.record_parts(id, resp.parts);
            (resp.outcome, resp.findings)
        }
        Ok(_) | Err(_) => fail(format!(
            "worker exited with {} without a valid response{}",
            status
                .code()
                .map(|c| format!("code {c}"))
                .unwrap_or_default(),
            tail(&err)
        )),
    }
}

/// Whether an environment variable may hold a credential: such variables
/// are not passed to workers that run third-party code.
pub fn is_secret_env(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    const WORDS: &[&str] = &[
        "TOKEN",
        "SECRET",
        "PASSWORD",
        "PASSWD",
        "CREDENTIAL",
        "API_KEY",
        "APIKEY",
        "PRIVATE_KEY",
        "ACCESS_KEY",
        "SESSION",
        "AUTH",
    ];
    const PREFIXES: &[&str] = &[
        "AWS_",
        "AZURE_",
        "GOOGLE_",
        "GCP_",
        "GH_",
        "GITHUB_",
        "ANTHROPIC_",
        "OPENAI_",
        "VAULT_",
        "NPM_CONFIG_",
    ];
    WORDS.iter().any(|w| upper.contains(w)) || PREFIXES.iter().any(|p| upper.starts_with(p))
}

/// Removes from `cmd`'s environment every variable [`is_secret_env`] flags.
pub fn scrub_env(cmd: &mut std::process::Command) {
    for (name, _) in std::env::vars_os() {
        if is_secret_env(&name.to_string_lossy()) {
            cmd.env_remove(&name);
        }
    }
}

#[cfg(unix)]
#[allow(unsafe_code)]
fn kill_group(pgid: i32, sig: i32) {
    // SAFETY: kill(2) takes plain integers; a negative pid addresses the worker's
    // own process group, created for it by `process_group(0)`.
    unsafe {
        libc::kill(-pgid, sig);
    }
}

#[cfg(unix)]
fn signal_name(sig: i32) -> &'static str {
    match sig {
        libc::SIGABRT => "SIGABRT",
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGKILL => "SIGKILL",
        libc::SIGTERM => "SIGTERM",
        libc::SIGBUS => "SIGBUS",
        libc::SIGILL => "SIGILL",
        libc::SIGFPE => "SIGFPE",
        _ => "signal",
    }
}

fn tail(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let last = text.lines().rev().find(|l| !l.trim().is_empty());
    last.map(|l| format!(": {}", l.chars().take(300).collect::<String>()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_not_passed_to_plugin_workers() {
        for name in [
            "GITHUB_TOKEN",
            "AWS_PROFILE",
            "ANTHROPIC_API_KEY",
            "my_secret",
            "DB_PASSWORD",
        ] {
            assert!(is_secret_env(name), "{name}");
        }
        for name in ["PATH", "HOME", "LANG", "TMPDIR", "GUARD_LOG"] {
            assert!(!is_secret_env(name), "{name}");
        }
    }
}
