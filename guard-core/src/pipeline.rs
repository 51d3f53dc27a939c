//! One whole run: layers through the runner, findings finalised (layer id,
//! snippet, fingerprint), suppressions applied, report assembled.

use crate::config::LoadedConfig;
use crate::report::{LayerRun, Report};
use crate::runner::{self, LayerResult, RunEvent, RunOptions};
use crate::suppress::{Baseline, SourceCache, Suppressor};
use crate::walk::InputError;
use crate::{Context, Finding, Layer, Severity};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// Lines of a span kept as its snippet: frames show them, SARIF writes them
/// when they hold the whole region.
const SNIPPET_LINES: usize = 40;
const SNIPPET_LINE_CHARS: usize = 240;

/// Everything one run needs.
pub struct RunRequest<'a> {
    /// The layers to run.
    pub layers: &'a [Arc<dyn Layer>],
    /// The shared context (root, change, inputs, walk).
    pub ctx: &'a Context,
    /// The loaded guard.toml (layer tables, rules, ignores).
    pub config: &'a LoadedConfig,
    /// Isolation and timeout.
    pub options: &'a RunOptions,
    /// Fingerprints whose findings are not reported.
    pub baseline: Option<&'a Baseline>,
    /// Lowest severity that makes the exit code 1.
    pub fail_on: Severity,
}

/// Runs the layers and builds the report. Errors only for a config that cannot
/// be applied (bad ignore patterns).
pub fn execute(
    req: &RunRequest<'_>,
    on_event: &(dyn Fn(RunEvent<'_>) + Sync),
) -> Result<Report, String> {
    let suppressor = Suppressor::new(&req.config.config, req.baseline)?;
    let results = runner::run_layers(
        req.layers,
        req.ctx,
        &|id| req.config.layer(id),
        req.options,
        on_event,
    );
    Ok(assemble(req.ctx, results, &suppressor, req.fail_on))
}

/// Builds the report from layer results (also used by embedders that run layers
/// themselves).
pub fn assemble(
    ctx: &Context,
    results: Vec<LayerResult>,
    suppressor: &Suppressor,
    fail_on: Severity,
) -> Report {
    let root = ctx.root();
    let mut cache = SourceCache::default();
    let mut runs = Vec::with_capacity(results.len());
    let mut all = Vec::with_capacity(results.iter().map(|r| r.findings.len()).sum());
    for r in results {
        tracing::debug!(
            "layer {}: {} in {:.1} ms, {} finding(s){}",
            r.id,
            r.outcome.label(),
            r.duration.as_secs_f64() * 1000.0,
            r.findings.len(),
            r.outcome
                .detail()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default()
        );
        runs.push(LayerRun {
            id: r.id.clone(),
            outcome: r.outcome,
            duration_ms: (r.duration.as_secs_f64() * 1000.0 * 100.0).round() / 100.0,
            findings: r.findings.len(),
            suppressed: 0,
            parts: ctx.part_outcomes(&r.id),
        });
        for mut f in r.findings {
            f.layer = r.id.clone();
            fill_snippet(&mut f, root, &mut cache);
            all.push(f);
        }
    }
    assign_fingerprints(&mut all);
    let (kept, suppressed) = suppressor.apply(all, root, &mut cache);
    // Each layer's count is of the findings that survived suppression, as
    // the summary's total is; the rest are counted as suppressed.
    for run in &mut runs {
        let shown = kept.iter().filter(|f| f.layer == run.id).count();
        run.suppressed = run.findings.saturating_sub(shown);
        run.findings = shown;
    }
    let (mut input_errors, mut skipped) = match ctx.files_if_walked() {
        Some(set) => (set.errors.clone(), set.skipped.clone()),
        None => (Vec::<InputError>::new(), Vec::new()),
    };
    let (read_errors, read_skipped) = ctx.read_problems();
    input_errors.extend(read_errors);
    skipped.extend(read_skipped);
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    skipped.dedup_by(|a, b| a.path == b.path);
    // One error per path: a file the walk and a layer both failed to read
    // is one input error.
    input_errors.sort_by(|a, b| a.path.cmp(&b.path));
    input_errors.dedup_by(|a, b| a.path == b.path);
    Report::new(
        root.display().to_string(),
        runs,
        kept,
        input_errors,
        suppressed,
        skipped,
        fail_on,
    )
}

fn fill_snippet(f: &mut Finding, root: &Path, cache: &mut SourceCache) {
    let Some(loc) = f.location.as_mut() else {
        return;
    };
    if loc.snippet.is_some() {
        return;
    }
    let Some(lines) = cache.lines(root, &loc.path) else {
        return;
    };
    let start = loc.start_line as usize;
    let end = (loc.end_line as usize).clamp(start, start + SNIPPET_LINES - 1);
    let mut snippet: Option<String> = None;
    for line in (start..=end).filter_map(|n| lines.get(n.wrapping_sub(1))) {
        let snippet = match &mut snippet {
            Some(s) => {
                s.push('\n');
                s
            }
            None => snippet.insert(String::new()),
        };
        let cut = line
            .char_indices()
            .nth(SNIPPET_LINE_CHARS)
            .map_or(line.len(), |(at, _)| at);
        snippet.push_str(&line[..cut]);
    }
    loc.snippet = snippet;
}

/// Default fingerprints where the layer gave none, and an occurrence suffix
/// so identical findings in one file stay distinct.
fn assign_fingerprints(findings: &mut [Finding]) {
    for f in findings.iter_mut() {
        if f.fingerprint.is_empty() {
            f.fingerprint = f.default_fingerprint();
        }
    }
    // The second and later findings with one fingerprint get `-1`, `-2`, ...
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(findings.len());
    let mut repeats = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        let n = seen.entry(f.fingerprint.as_str()).or_insert(0);
        if *n > 0 {
            repeats.push((i, *n));
        }
        *n += 1;
    }
    drop(seen);
    for (i, n) in repeats {
        let f = &mut findings[i];
        f.fingerprint = format!("{}-{n}", f.fingerprint);
    }
}
