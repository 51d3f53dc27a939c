//! Layer 3, review: a change (staged, a revision range, a patch file or a
//! diff on standard input) read by four independent reviewers (bug,
//! security, performance, quality), each with its own outcome.
//!
//! - [`input`] prepares the change once ([`ReviewInput`]): whole new text of
//!   each file, the old text rebuilt from it, added lines, changed functions.
//! - [`reviewers`] holds the [`Reviewer`] trait, the four deterministic
//!   reviewers and [`reviewers::run_all`], which runs them isolated.
//! - [`rules`] is the layer's one rule table.
//! - [`llm`] runs the optional LLM reviewers (`guard_llm`, off by default)
//!   beside the deterministic ones; they only add findings.
//!
//! Findings are reported only on added or changed lines (or within
//! `context` lines of one).

pub mod config;
pub mod input;
pub mod lang;
pub mod llm;
pub mod metrics;
pub mod reviewers;
pub mod rules;

use guard_core::{Context, Finding, InputKind, Layer, LayerError, LayerInfo};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use config::ReviewConfig;
pub use guard_llm;
pub use input::{ChangedFunction, FileInput, ReviewInput};
pub use llm::{LLM_ENDPOINT_FLAG, LLM_FLAG, LLM_MODEL_FLAG};
pub use reviewers::{Reviewer, ReviewerRun};

pub const LAYER_ID: &str = "review";

/// Input kind carrying `--reviewer` (a comma-separated list of ids).
pub const REVIEWERS_FLAG: &str = "review-reviewers";
/// Input kind carrying `--context N`.
pub const CONTEXT_FLAG: &str = "review-context";

/// The layer's rules: the deterministic reviewers' table, then one rule
/// per LLM reviewer.
pub fn all_rules() -> &'static [guard_core::Rule] {
    static ALL: std::sync::OnceLock<Vec<guard_core::Rule>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        rules::RULES
            .iter()
            .chain(guard_llm::RULES.iter())
            .copied()
            .collect()
    })
}

/// The review layer.
#[derive(Debug, Default, Clone, Copy)]
pub struct ReviewLayer;

pub fn layer() -> ReviewLayer {
    ReviewLayer
}

impl ReviewLayer {
    /// The reviewers this context selects (flag, else config, else all).
    pub fn selected(ctx: &Context, cfg: &ReviewConfig) -> Result<Vec<String>, LayerError> {
        let requested: Vec<String> = ctx
            .inputs(REVIEWERS_FLAG)
            .iter()
            .flat_map(|p| {
                p.to_string_lossy()
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
            })
            .collect();
        cfg.selected(&requested)
            .map_err(|m| LayerError::input("--reviewer", m))
    }

    fn context_lines(ctx: &Context, cfg: &ReviewConfig) -> Result<u32, LayerError> {
        match ctx.inputs(CONTEXT_FLAG).last() {
            Some(p) => {
                let s = p.to_string_lossy();
                s.parse::<u32>().map_err(|_| {
                    LayerError::input(
                        "--context",
                        format!("expected a number of lines, got `{s}`"),
                    )
                })
            }
            None => Ok(cfg.context),
        }
    }
}

impl Layer for ReviewLayer {
    fn id(&self) -> &'static str {
        LAYER_ID
    }

    fn info(&self) -> LayerInfo {
        LayerInfo {
            id: LAYER_ID,
            name: "Change review",
            description: "Review of a change (--staged, --diff A..B, --patch FILE or a diff on stdin) by four independent reviewers: bug, security (taint and secrets on new code, removed auth checks), performance (N+1, work in loops) and quality (size, complexity, duplication, naming); findings only on changed lines",
            rules: all_rules(),
        }
    }

    fn applies(&self, ctx: &Context) -> Result<(), String> {
        if ctx.change().is_none() {
            return Err(
                "no change to review (give --staged, --diff A..B or --patch FILE, or use `guard review`)"
                    .into(),
            );
        }
        Ok(())
    }

    fn input_kinds(&self) -> &'static [InputKind] {
        &[]
    }

    fn check_config(&self, ctx: &Context) -> Result<(), guard_core::ConfigError> {
        config::load(ctx.config()).map(|_| ())
    }

    fn run(&self, ctx: &Context) -> Result<Vec<Finding>, LayerError> {
        let cfg = config::load(ctx.config())?;
        let selected = Self::selected(ctx, &cfg)?;
        let context = Self::context_lines(ctx, &cfg)?;
        let Some(change) = ctx.change() else {
            return Ok(Vec::new());
        };
        let input = input::prepare(ctx.root(), change, context, &|| ctx.is_cancelled())
            .map_err(|e| LayerError::input(e.path().to_string(), e.to_string()))?;
        ctx.check()?;
        for note in &input.notes {
            tracing::info!("review: {note}");
        }
        if !input.skipped.is_empty() {
            ctx.record_problems(Vec::new(), input.skipped.clone());
        }
        let reviewers: Vec<Arc<dyn Reviewer>> = selected
            .iter()
            .filter_map(|id| reviewers::builtin(id))
            .collect();
        // The reviewers stop a little before the layer must: a reviewer that
        // overruns is reported as timed out while the layer still completes.
        let now = Instant::now();
        let deadline = match ctx.deadline() {
            Some(d) => {
                let left = d.saturating_duration_since(now);
                now + left
                    .saturating_sub(guard_core::runner::GRACE * 2)
                    .max(left / 2)
            }
            None => now + Duration::from_secs(3600),
        };
        // The LLM reviewers (off unless a backend is set) run beside the
        // deterministic ones and only add findings after them.
        let llm_cfg = llm::settings(ctx, &cfg.llm)?;
        let llm_reviewers = llm::prepare(&llm_cfg, &selected)?;
        let llm_functions = match &llm_reviewers {
            Some(_) => llm::functions(&input),
            None => Vec::new(),
        };
        let disabled = |f: &Finding| {
            cfg.disable
                .iter()
                .any(|d| d.eq_ignore_ascii_case(&f.rule_id))
        };
        let (runs, llm_result) = std::thread::scope(|s| {
            let llm = llm_reviewers.as_ref().map(|r| {
                let functions = &llm_functions;
                std::thread::Builder::new()
                    .name("review-llm".into())
                    .spawn_scoped(s, move || llm::run(r, change, functions, deadline))
            });
            let runs =
                reviewers::run_all(&reviewers, Arc::new(input), Arc::new(cfg.clone()), deadline);
            let llm_result = llm.map(|h| match h {
                Ok(h) => h
                    .join()
                    .unwrap_or_else(|_| Err("the LLM reviewers' thread panicked".into())),
                Err(e) => Err(format!("cannot start the LLM reviewers' thread: {e}")),
            });
            (runs, llm_result)
        });
        let mut findings = Vec::new();
        for run in runs {
            ctx.record_part_outcome(&run.id, run.outcome, run.duration, run.findings.len());
            findings.extend(run.findings.into_iter().filter(|f| !disabled(f)));
        }
        if let (Some(r), Some(result)) = (&llm_reviewers, llm_result) {
            llm::conclude(ctx, r, result, &mut findings, &disabled);
        }
        Ok(findings)
    }
}
