//! `guard run`.

use crate::args::{Format, IsolationArg, ReportArgs, RunArgs};
use crate::progress::Progress;
use crate::registry::all_layers;
use anyhow::{bail, Context as _, Result};
use guard_core::output::{render_markdown, render_sarif, render_text, write_json, TextOptions};
use guard_core::pipeline::{assemble, execute, RunRequest};
use guard_core::report::LayerOutcome;
use guard_core::runner::LayerResult;
use guard_core::suppress::{Baseline, Suppressor};
use guard_core::walk::{WalkOptions, DEFAULT_MAX_FILE_SIZE};
use guard_core::{
    ChangeSet, Context, Finding, Inputs, Isolation, Layer, LayerInfo, LoadedConfig, Report,
    RunOptions, Severity,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

const DEFAULT_TIMEOUT_S: u64 = 300;

/// The per-layer time limit: `--timeout`, else guard.toml, else the default.
pub fn layer_timeout(rep: &ReportArgs, config: &LoadedConfig) -> Result<Duration> {
    match rep.timeout {
        Some(s) if s.is_finite() && s > 0.0 => Ok(Duration::from_secs_f64(s)),
        Some(s) => bail!("--timeout must be a positive number of seconds, got {s}"),
        None => Ok(Duration::from_secs(
            config.config.run.timeout.unwrap_or(DEFAULT_TIMEOUT_S),
        )),
    }
}

/// `guard run`: inputs named on the command line must be of a kind some
/// layer reads, and that layer must be selected to run.
pub fn run(args: RunArgs, color: bool, quiet: bool) -> Result<u8> {
    let available = all_layers();
    for (kind, path) in &args.inputs {
        if !available
            .iter()
            .any(|l| l.input_kinds().iter().any(|k| k.kind == kind))
        {
            bail!(
                "unknown input kind `{kind}` in --input {kind}={} (known kinds: {})",
                path.display(),
                known_input_kinds(&available)
            );
        }
    }
    run_with(args, color, quiet, None)
}

/// The input kinds of the compiled-in layers, for messages.
fn known_input_kinds(layers: &[Arc<dyn Layer>]) -> String {
    let mut kinds: Vec<&str> = layers
        .iter()
        .flat_map(|l| l.input_kinds().iter().map(|k| k.kind))
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    if kinds.is_empty() {
        "none in this build".to_string()
    } else {
        kinds.join(", ")
    }
}

/// Loads guard.toml (`explicit`, else the nearest from `start` upwards) and
/// checks what serde cannot: layer tables, rule ids and patterns against the
/// catalogue of every compiled-in layer, values such as `timeout = 0`.
pub fn load_config(explicit: Option<&Path>, start: &Path) -> Result<LoadedConfig> {
    let config = LoadedConfig::discover(explicit, start)?;
    // Plugins' layer tables and rule ids are known once they are described.
    let plugins = crate::plugins::load(&config, start)?;
    check_config(&config, &crate::plugins::with_plugins(&plugins))?;
    Ok(config)
}

/// The checks of [`load_config`] against `available` layers (plugins included).
pub fn check_config(config: &LoadedConfig, available: &[Arc<dyn Layer>]) -> Result<()> {
    let ids: Vec<&str> = available.iter().map(|l| l.id()).collect();
    let infos: Vec<LayerInfo> = available.iter().map(|l| l.info()).collect();
    let rules: Vec<&str> = infos
        .iter()
        .flat_map(|i| i.rules.iter().map(|r| r.id))
        .collect();
    config.check_layer_ids(&ids)?;
    config.check_values()?;
    config.check_rule_ids(&rules, &ids)?;
    Ok(())
}

/// `target`: how the "no layer could run" message names what was checked
/// (default: the path).
pub(crate) fn run_with(
    args: RunArgs,
    color: bool,
    quiet: bool,
    target: Option<String>,
) -> Result<u8> {
    let root = &args.path;
    let rep = &args.report;
    let meta =
        std::fs::metadata(root).with_context(|| format!("cannot read {}", root.display()))?;
    if meta.is_dir() {
        std::fs::read_dir(root).with_context(|| format!("cannot read {}", root.display()))?;
    }

    let config = LoadedConfig::discover(rep.config.as_deref(), root)?;
    let plugins = crate::plugins::load(&config, root)?;
    let available = crate::plugins::with_plugins(&plugins);
    check_config(&config, &available)?;
    match &config.path {
        Some(p) => tracing::debug!("config: {}", p.display()),
        None => tracing::debug!("config: none found, built-in defaults"),
    }
    let layers = select_layers(&available, &args.layers, &config)?;
    for (kind, path) in &args.inputs {
        let readers: Vec<&str> = available
            .iter()
            .filter(|l| l.input_kinds().iter().any(|k| k.kind == kind))
            .map(|l| l.id())
            .collect();
        if !readers.is_empty() && !layers.iter().any(|l| readers.contains(&l.id())) {
            bail!(
                "--input {kind}={}: `{kind}` is read by layer {}, which is not selected to run",
                path.display(),
                readers.join(", ")
            );
        }
    }
    tracing::debug!(
        "target {}; layers: {}",
        root.display(),
        layers.iter().map(|l| l.id()).collect::<Vec<_>>().join(", ")
    );

    let change = if args.staged {
        Some(ChangeSet::staged(root)?)
    } else if let Some(range) = &args.diff {
        Some(ChangeSet::range(root, range)?)
    } else if let Some(patch) = &args.patch {
        if patch.as_os_str() == "-" {
            Some(ChangeSet::from_reader(std::io::stdin().lock(), "<stdin>")?)
        } else {
            Some(ChangeSet::from_patch_file(patch)?)
        }
    } else {
        None
    };
    let baseline = rep
        .baseline
        .as_deref()
        .map(Baseline::load)
        .transpose()
        .map_err(anyhow::Error::msg)?;

    let run_cfg = &config.config.run;
    let mut inputs = Inputs::new();
    for (kind, path) in &args.inputs {
        // Kinds no layer declares are a subcommand's flags passed to its
        // layer (`guard infra --all`, `guard owasp --max-commits N`), not files.
        let declared = available
            .iter()
            .any(|l| l.input_kinds().iter().any(|k| k.kind == kind));
        if declared && !path.exists() {
            bail!(
                "{}: no such file or directory (--input {kind}={})",
                path.display(),
                path.display()
            );
        }
        tracing::debug!("input {kind}: {}", path.display());
        inputs.entry(kind.clone()).or_default().push(path.clone());
    }
    let mut ctx = Context::new(root.clone())
        .with_inputs(inputs)
        .with_walk_options(WalkOptions {
            excludes: run_cfg.exclude.clone(),
            max_file_size: run_cfg.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
        });
    if let Some(change) = change {
        ctx = ctx.with_change(change);
    }
    for layer in &layers {
        let lctx = ctx.for_layer(config.layer(layer.id()), None);
        layer.check_config(&lctx)?;
    }

    // `[run] timeout = 0` is refused by load_config.
    let timeout = match rep.timeout {
        Some(s) if s.is_finite() && s > 0.0 => Duration::from_secs_f64(s),
        Some(s) => bail!("--timeout must be a positive number of seconds, got {s}"),
        None => Duration::from_secs(run_cfg.timeout.unwrap_or(DEFAULT_TIMEOUT_S)),
    };
    let isolation = match rep.isolation {
        IsolationArg::Thread => Isolation::Thread,
        IsolationArg::Process => Isolation::Process,
    };
    let worker = std::env::current_exe()
        .ok()
        .map(|exe| (exe, vec!["__layer".to_string()]));
    let options = RunOptions {
        isolation,
        timeout,
        worker,
    };
    let fail_on = rep.fail_on.or(run_cfg.fail_on).unwrap_or(Severity::High);

    let progress = Progress::new(!quiet);
    let request = RunRequest {
        layers: &layers,
        ctx: &ctx,
        config: &config,
        options: &options,
        baseline: baseline.as_ref(),
        fail_on,
    };
    let mut report = execute(&request, &|ev| progress.event(ev)).map_err(anyhow::Error::msg)?;
    report.plugins = plugins.iter().map(|p| p.record()).collect();
    // Only the infra layer tells introduced from existing findings so far.
    if ctx.change().is_some() && report.layers.iter().any(|l| l.id == "infra") {
        report.split_by_change(args.include_existing);
    }
    progress.clear();
    tracing::debug!(
        "{} finding(s), {} suppressed, {} file(s) skipped, {} input error(s)",
        report.summary.total,
        report.summary.suppressed.total(),
        report.skipped.len(),
        report.input_errors.len()
    );

    let infos: Vec<_> = layers.iter().map(|l| l.info()).collect();
    let code = emit(&report, &infos, rep, color, "")?;

    if report.nothing_ran() {
        let reasons: Vec<String> = report
            .layers
            .iter()
            .map(|l| format!("  {}: {}", l.id, l.outcome.detail().unwrap_or_default()))
            .collect();
        eprintln!(
            "guard: no layer could run on {}:\n{}",
            target.unwrap_or_else(|| root.display().to_string()),
            reasons.join("\n")
        );
    }
    // The process ends next: freeing tens of thousands of findings one by
    // one would only delay the exit.
    std::mem::forget(report);
    Ok(code)
}

/// A one-layer report for findings a subcommand computed itself (a firewall
/// file, a capture): the same config, baseline, suppressions and fail-on as
/// `guard run`.
pub fn report_findings(
    layer_id: &str,
    findings: Vec<Finding>,
    duration: Duration,
    rep: &ReportArgs,
) -> Result<Report> {
    report_outcome(layer_id, LayerOutcome::Completed, findings, duration, rep)
}

/// [`report_findings`] for a layer whose run ended as `outcome` (a worker
/// process that crashed or timed out).
pub fn report_outcome(
    layer_id: &str,
    outcome: LayerOutcome,
    findings: Vec<Finding>,
    duration: Duration,
    rep: &ReportArgs,
) -> Result<Report> {
    let root = Path::new(".");
    let config = load_config(rep.config.as_deref(), root)?;
    let baseline = rep
        .baseline
        .as_deref()
        .map(Baseline::load)
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let suppressor =
        Suppressor::new(&config.config, baseline.as_ref()).map_err(anyhow::Error::msg)?;
    let fail_on = rep
        .fail_on
        .or(config.config.run.fail_on)
        .unwrap_or(Severity::High);
    let result = LayerResult {
        id: layer_id.to_string(),
        outcome,
        duration,
        findings,
    };
    Ok(assemble(
        &Context::new(root),
        vec![result],
        &suppressor,
        fail_on,
    ))
}

/// Writes the baseline when asked, prints `report` in the chosen format (text
/// after `text_header`) and gives the exit code: with `--write-baseline`,
/// findings do not fail the run, a layer that did not complete still does.
pub fn emit(
    report: &Report,
    infos: &[LayerInfo],
    rep: &ReportArgs,
    color: bool,
    text_header: &str,
) -> Result<u8> {
    if let Some(path) = &rep.write_baseline {
        let b = Baseline::from_findings(&report.findings);
        std::fs::write(path, serde_json::to_string_pretty(&b)? + "\n")
            .with_context(|| format!("{}: cannot write baseline", path.display()))?;
        eprintln!(
            "wrote {} fingerprint(s) to {}",
            b.findings.len(),
            path.display()
        );
    }
    let text = match rep.format {
        // Written in pieces: a large report is not built as one string.
        Format::Json => {
            crate::out::write_with(|out| write_json(report, out))?;
            return Ok(exit_code(report, rep));
        }
        Format::Text => format!(
            "{text_header}{}",
            render_text(
                report,
                TextOptions {
                    color,
                    baseline_written: rep.write_baseline.as_ref().map(|p| p.display().to_string()),
                }
            )
        ),
        Format::Sarif => render_sarif(report, infos) + "\n",
        Format::Markdown => render_markdown(report),
    };
    crate::out::print(&text)?;
    Ok(exit_code(report, rep))
}

/// With `--write-baseline`, findings do not fail the run.
fn exit_code(report: &Report, rep: &ReportArgs) -> u8 {
    let code = report.summary.exit_code;
    if rep.write_baseline.is_some() && code == 1 {
        0
    } else {
        code
    }
}

/// Runs one layer the way `guard run --layer ID` would: for a layer's own
/// subcommand, e.g. `guard infra plan.json` with `inputs = [("plan", path)]`.
#[allow(dead_code)] // used by layer subcommands
pub fn run_layer(
    layer_id: &str,
    root: PathBuf,
    inputs: Vec<(String, PathBuf)>,
    report: ReportArgs,
    color: bool,
    quiet: bool,
) -> Result<u8> {
    // Inputs of declared kinds name what was checked (not flag-like kinds
    // such as `guard infra --all`'s).
    let layers = all_layers();
    let declared = |kind: &str| {
        layers
            .iter()
            .any(|l| l.input_kinds().iter().any(|k| k.kind == kind))
    };
    let named: Vec<String> = inputs
        .iter()
        .filter(|(kind, _)| declared(kind))
        .map(|(_, p)| p.display().to_string())
        .collect();
    let target = (!named.is_empty()).then(|| named.join(", "));
    run_with(
        RunArgs {
            path: root,
            layers: vec![layer_id.to_string()],
            staged: false,
            diff: None,
            patch: None,
            include_existing: false,
            inputs,
            report,
        },
        color,
        quiet,
        target,
    )
}

fn select_layers(
    available: &[Arc<dyn Layer>],
    requested: &[String],
    config: &LoadedConfig,
) -> Result<Vec<Arc<dyn Layer>>> {
    let registered: Vec<&str> = available.iter().map(|l| l.id()).collect();
    let known = || {
        if registered.is_empty() {
            "none are compiled into this build".to_string()
        } else {
            registered.join(", ")
        }
    };
    let wanted: Option<&[String]> = if !requested.is_empty() {
        Some(requested)
    } else {
        config.config.run.layers.as_deref()
    };
    if let Some(ids) = wanted {
        for id in ids {
            if !registered.contains(&id.as_str()) {
                bail!(
                    "{}",
                    guard_core::layer::unknown_layer_message(id, &registered)
                );
            }
        }
    }
    let skip = &config.config.run.skip_layers;
    let selected: Vec<_> = available
        .iter()
        .filter(|l| wanted.is_none_or(|w| w.iter().any(|id| id == l.id())))
        .filter(|l| requested.iter().any(|id| id == l.id()) || !skip.iter().any(|id| id == l.id()))
        .cloned()
        .collect();
    if selected.is_empty() {
        bail!("no layer selected to run (known layers: {})", known());
    }
    Ok(selected)
}
