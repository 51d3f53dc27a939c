//! `guard net audit CAPTURE` and the hidden `guard net extract CAPTURE`.

use crate::args::{Format, IsolationArg, ReportArgs};
use anyhow::{Context as _, Result};
use clap::{Args, ValueEnum};
use guard_core::report::LayerOutcome;
use guard_core::Layer;
use guard_network::capture::audit::{
    audit, destination_names, inventory, suggest, AuditResult, Verdict,
};
use guard_network::capture::{self, dns::qtype_name, CaptureSummary, Event, ScanOptions};
use guard_network::Allowlist;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

/// Rows of the destination table printed with the text report.
const MAX_TABLE_ROWS: usize = 200;

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// pcap or pcapng file.
    pub capture: PathBuf,
    #[command(flatten)]
    pub policy: crate::cmd::net::PolicyArgs,
    /// Print only the sorted, distinct destinations the capture reached (one per line).
    #[arg(long, conflicts_with = "suggest")]
    pub list: bool,
    /// Print the guard.toml `[layers.network]` lines (optional groups of the
    /// provider profile first, then extra domains and resolvers) that would
    /// make the capture clean of allowlist findings.
    #[arg(long)]
    pub suggest: bool,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Debug, Args)]
pub struct CaptureArgs {
    /// Network interface to capture on (AF_PACKET; needs CAP_NET_RAW).
    #[arg(long, value_name = "IF")]
    pub iface: String,
    /// Capture for this many seconds.
    #[arg(long, value_name = "S", conflicts_with = "command")]
    pub duration: Option<f64>,
    /// Also write the packets to FILE (pcapng).
    #[arg(short = 'w', long = "write", value_name = "FILE")]
    pub write: Option<PathBuf>,
    #[command(flatten)]
    pub policy: crate::cmd::net::PolicyArgs,
    /// Print only the sorted, distinct destinations reached (one per line).
    #[arg(long, conflicts_with = "suggest")]
    pub list: bool,
    /// Print the guard.toml `[layers.network]` lines that would make the capture clean.
    #[arg(long)]
    pub suggest: bool,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Command to run while capturing; the capture ends when it exits.
    #[arg(last = true, value_name = "CMD")]
    pub command: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExtractFormat {
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// pcap or pcapng file.
    pub capture: PathBuf,
    #[arg(long, value_enum, default_value_t = ExtractFormat::Csv)]
    pub format: ExtractFormat,
}

pub fn run_audit(args: AuditArgs, color: bool, quiet: bool) -> Result<u8> {
    let rep = &args.report;
    let allow = args.policy.allowlist(rep.config.as_deref())?;
    let start = Instant::now();
    // The audit works from the totals; events are not kept.
    let opts = ScanOptions {
        max_events: 0,
        ..ScanOptions::default()
    };
    tracing::debug!(
        "capture {}; allowlist: {} ({} resolver(s) named)",
        args.capture.display(),
        allow.provider(),
        allow.resolvers().len()
    );
    let summary = match rep.isolation {
        IsolationArg::Thread => capture::scan(&args.capture, &opts)?,
        IsolationArg::Process => match scan_in_worker(&args.capture, rep)? {
            Ok(s) => s,
            Err(outcome) => {
                // The report says how the worker ended; nothing was audited.
                let report = crate::run::report_outcome(
                    "network",
                    outcome,
                    Vec::new(),
                    start.elapsed(),
                    rep,
                )?;
                return crate::run::emit(&report, &[guard_network::layer().info()], rep, color, "");
            }
        },
    };
    let out = Output {
        list: args.list,
        suggest: args.suggest,
        policy: &args.policy,
        rep,
        color,
        quiet,
    };
    report_capture(&summary, &allow, &out, start)
}

/// How the result of a capture is printed.
struct Output<'a> {
    list: bool,
    suggest: bool,
    policy: &'a crate::cmd::net::PolicyArgs,
    rep: &'a ReportArgs,
    color: bool,
    quiet: bool,
}

/// The audit of a scanned capture, printed as asked (report, `--list` or
/// `--suggest`); the exit code.
fn report_capture(
    summary: &CaptureSummary,
    allow: &Allowlist,
    o: &Output<'_>,
    start: Instant,
) -> Result<u8> {
    let (rep, color, quiet) = (o.rep, o.color, o.quiet);
    let secs = start.elapsed().as_secs_f64();
    tracing::debug!(
        "read {} frame(s), {} byte(s), {} event(s) in {:.1} ms",
        summary.counters.frames,
        summary.counters.bytes,
        summary.events_total,
        secs * 1000.0
    );
    let result = audit(summary, allow);
    tracing::debug!(
        "{} destination(s), {} finding(s)",
        result.rows.len(),
        result.findings.len()
    );
    if o.list {
        let mut out = String::new();
        for n in destination_names(&result) {
            out.push_str(&n);
            out.push('\n');
        }
        crate::out::print(&out)?;
        return Ok(0);
    }
    if o.suggest {
        let current = o.policy.network_config(rep.config.as_deref())?;
        let s = suggest(summary, &result, allow);
        crate::out::print(&s.to_toml(&current, &summary.path))?;
        return Ok(0);
    }
    let inv = inventory(summary, &result, allow);
    let AuditResult { rows, findings } = result;

    let mut report = crate::run::report_findings("network", findings, start.elapsed(), rep)?;
    report.inventory = Some(inv);

    let table = destination_table(summary, &rows, allow, secs);
    if rep.format != Format::Text && !quiet {
        eprint!("{table}");
    }
    let header = if rep.format == Format::Text {
        format!("{table}\n")
    } else {
        String::new()
    };
    crate::run::emit(
        &report,
        &[guard_network::layer().info()],
        rep,
        color,
        &header,
    )
}

fn destination_table(
    s: &CaptureSummary,
    rows: &[guard_network::capture::audit::Row],
    allow: &Allowlist,
    secs: f64,
) -> String {
    use std::fmt::Write as _;
    let mut t = String::new();
    let mb = s.counters.bytes as f64 / 1e6;
    let _ = writeln!(
        t,
        "{}: {} {} frames, {:.1} MB in {:.2} s; {} events; allowlist: {}{}",
        s.path,
        s.format,
        s.counters.frames,
        mb,
        secs,
        s.events_total,
        allow.provider(),
        allow
            .region()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default()
    );
    let w = rows
        .iter()
        .map(|r| r.dest.name.len())
        .max()
        .unwrap_or(4)
        .clamp(11, 60);
    let _ = writeln!(
        t,
        "  {:<w$}  {:<5} {:>5}  {:<10} {:>8} {:>6} {:>8}  verdict",
        "destination", "proto", "port", "named by", "packets", "flows", "first"
    );
    // Huge captures: the table shows what matters first and says what it left out.
    let mut order: Vec<&guard_network::capture::audit::Row> = rows.iter().collect();
    order.sort_by_key(|r| {
        (
            r.verdict != Verdict::NotAllowed,
            r.verdict == Verdict::Local,
            r.dest.first_frame,
        )
    });
    let shown = order.len().min(MAX_TABLE_ROWS);
    order.truncate(shown);
    order.sort_by_key(|r| r.dest.first_frame);
    for r in order {
        let d = &r.dest;
        let src = match d.source {
            guard_network::capture::NameSource::Sni if d.ech => "sni (ech)",
            guard_network::capture::NameSource::Sni => "sni",
            guard_network::capture::NameSource::HttpHost => "http-host",
            guard_network::capture::NameSource::DnsAnswer => "dns-answer",
            guard_network::capture::NameSource::Address => "address",
        };
        let verdict = match &r.matched {
            Some(m) => format!("{} ({m})", r.verdict.as_str()),
            None => r.verdict.as_str().to_string(),
        };
        let _ = writeln!(
            t,
            "  {:<w$}  {:<5} {:>5}  {:<10} {:>8} {:>6} {:>8}  {}",
            d.name,
            d.protocol.as_str(),
            d.port,
            src,
            d.packets,
            d.flows,
            d.first_frame,
            verdict
        );
    }
    if rows.len() > shown {
        let _ = writeln!(
            t,
            "  ... {} more destination(s) not shown (allowed or local first left out)",
            rows.len() - shown
        );
    }
    if !s.dns_names.is_empty() {
        let _ = writeln!(t, "  DNS names asked:");
        for n in s.dns_names.iter().take(MAX_TABLE_ROWS) {
            let types: Vec<String> = n.qtypes.iter().map(|q| qtype_name(*q)).collect();
            let ok = if allow.matches(&n.name).is_some() {
                "allowed"
            } else {
                "NOT ALLOWED"
            };
            let _ = writeln!(
                t,
                "    {} [{}] {} quer{}, first frame {}, resolver {}: {ok}",
                n.name,
                types.join(","),
                n.queries,
                if n.queries == 1 { "y" } else { "ies" },
                n.first_frame,
                n.resolver
            );
        }
    }
    for w in &s.warnings {
        let _ = writeln!(t, "  warning: {w}");
    }
    t
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_row(e: &Event) -> String {
    format!(
        "{},{},{},{},{},{},{},{},{},{}\n",
        e.kind.as_str(),
        e.frame,
        csv_field(&e.name),
        e.qtype.map(|q| q.to_string()).unwrap_or_default(),
        e.method.as_deref().map(csv_field).unwrap_or_default(),
        e.src,
        e.sport,
        e.dst,
        e.dport,
        e.transport.as_str()
    )
}

pub fn run_extract(args: ExtractArgs) -> Result<u8> {
    let opts = ScanOptions::default();
    match args.format {
        ExtractFormat::Csv => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let mut werr: Option<std::io::Error> = out
                .write_all(b"kind,frame,name,qtype,method,src,sport,dst,dport,transport\n")
                .err();
            let summary = capture::scan_with(&args.capture, &opts, &mut |e| {
                if werr.is_none() {
                    if let Err(err) = out.write_all(csv_row(e).as_bytes()) {
                        werr = Some(err);
                    }
                }
            })?;
            match werr.map_or_else(|| out.flush(), Err) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => crate::out::mark_closed(),
                r => r?,
            }
            for w in &summary.warnings {
                tracing::warn!("{}: {w}", summary.path);
            }
        }
        ExtractFormat::Json => {
            let summary = capture::scan(&args.capture, &opts)?;
            crate::out::println(&serde_json::to_string_pretty(&summary)?)?;
        }
    }
    Ok(0)
}

/// `guard net __scan CAPTURE`: the scan of `net audit --isolation process`,
/// its summary as JSON on stdout.
pub fn run_scan_worker(capture: &std::path::Path) -> Result<u8> {
    let opts = ScanOptions {
        max_events: 0,
        ..ScanOptions::default()
    };
    let summary = capture::scan(capture, &opts)?;
    crate::out::println(&serde_json::to_string(&summary)?)?;
    Ok(0)
}

/// Scans `capture` in a worker process of its own (`guard net __scan`), so a
/// crash or a hang in the decoders ends as the layer's outcome; the worker is
/// killed at the deadline.
fn scan_in_worker(
    capture: &std::path::Path,
    rep: &ReportArgs,
) -> Result<std::result::Result<CaptureSummary, LayerOutcome>> {
    use std::io::Read as _;
    use std::os::unix::process::{CommandExt as _, ExitStatusExt as _};
    use std::process::{Command, Stdio};
    let config = crate::run::load_config(rep.config.as_deref(), std::path::Path::new("."))?;
    let timeout = crate::run::layer_timeout(rep, &config)?;
    let exe = std::env::current_exe()?;
    let mut child = Command::new(exe)
        .args(["net", "__scan"])
        .arg(capture)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()?;
    // Both pipes are drained while the worker runs, so it never blocks on them.
    let mut out = child.stdout.take();
    let mut err = child.stderr.take();
    let out_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        if let Some(o) = out.as_mut() {
            let _ = o.read_to_end(&mut b);
        }
        b
    });
    let err_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        if let Some(e) = err.as_mut() {
            let _ = e.read_to_end(&mut b);
        }
        b
    });
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait()? {
            break Some(st);
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    let tail: String = String::from_utf8_lossy(&stderr)
        .lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim_start_matches("error: ")
        .to_string();
    let Some(status) = status else {
        return Ok(Err(LayerOutcome::TimedOut {
            after_ms: timeout.as_millis() as u64,
        }));
    };
    if let Some(sig) = status.signal() {
        return Ok(Err(LayerOutcome::Crashed {
            message: format!(
                "capture scan killed by signal {sig}{}",
                if tail.is_empty() {
                    String::new()
                } else {
                    format!(": {tail}")
                }
            ),
        }));
    }
    if !status.success() {
        return Ok(Err(LayerOutcome::Failed { message: tail }));
    }
    match serde_json::from_slice::<CaptureSummary>(&stdout) {
        Ok(s) => Ok(Ok(s)),
        Err(e) => Ok(Err(LayerOutcome::Crashed {
            message: format!("capture scan worker gave a bad response: {e}"),
        })),
    }
}

/// After the command exits, packets still in flight get this long.
const DRAIN: std::time::Duration = std::time::Duration::from_millis(300);

/// `guard net capture --iface IF [--duration S | -- CMD ARGS...]`.
pub fn run_capture(args: CaptureArgs, color: bool, quiet: bool) -> Result<u8> {
    use guard_network::capture::live::{capture, LiveSocket};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let rep = &args.report;
    if args.duration.is_none() && args.command.is_empty() {
        anyhow::bail!(
            "say when the capture ends: --duration S, or -- CMD ARGS... to capture while CMD runs"
        );
    }
    if let Some(d) = args.duration {
        if !d.is_finite() || d <= 0.0 {
            anyhow::bail!("--duration must be a positive number of seconds, got {d}");
        }
    }
    let allow = args.policy.allowlist(rep.config.as_deref())?;
    let sock = LiveSocket::open(&args.iface)?;
    let save: Option<(Box<dyn Write + Send>, String)> = match &args.write {
        Some(p) => {
            let f = std::fs::File::create(p)
                .with_context(|| format!("{}: cannot create", p.display()))?;
            Some((
                Box::new(std::io::BufWriter::new(f)),
                p.display().to_string(),
            ))
        }
        None => None,
    };
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    // The socket is open before the command starts: nothing it sends is missed.
    let timer = {
        let stop = stop.clone();
        let duration = args.duration;
        let command = args.command.clone();
        std::thread::spawn(move || -> Result<Option<std::process::ExitStatus>> {
            let status = match duration {
                Some(d) => {
                    std::thread::sleep(std::time::Duration::from_secs_f64(d));
                    None
                }
                None => {
                    // stdout carries the report: the command's output goes to stderr.
                    let r = std::process::Command::new(&command[0])
                        .args(&command[1..])
                        .stdout(std::process::Stdio::from(std::io::stderr()))
                        .status()
                        .with_context(|| format!("cannot run `{}`", command[0]));
                    std::thread::sleep(DRAIN);
                    stop.store(true, Ordering::Relaxed);
                    Some(r?)
                }
            };
            stop.store(true, Ordering::Relaxed);
            Ok(status)
        })
    };
    let opts = ScanOptions {
        max_events: 0,
        ..ScanOptions::default()
    };
    let name = format!("live:{}", args.iface);
    let live = capture(sock, stop.clone(), save, &name, &opts, &mut |_| {});
    stop.store(true, Ordering::Relaxed);
    let status = match timer.join() {
        Ok(r) => r?,
        Err(_) => anyhow::bail!("the capture timer failed"),
    };
    let live = live?;
    if let Some(st) = status {
        if !quiet {
            eprintln!("{} exited with {st}", args.command[0]);
        }
    }
    tracing::debug!("{} packet(s) captured on {}", live.packets, args.iface);
    let out = Output {
        list: args.list,
        suggest: args.suggest,
        policy: &args.policy,
        rep,
        color,
        quiet,
    };
    report_capture(&live.summary, &allow, &out, start)
}
