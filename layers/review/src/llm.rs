//! The optional LLM reviewers (`guard_llm`) inside the review layer: settings
//! from `[layers.review.llm]` and the `--llm*` flags, a run beside the
//! deterministic reviewers, their outcomes as parts of the layer.
//!
//! LLM findings only add to the deterministic ones ([`guard_llm::merge`]);
//! their severity is capped below critical (see `guard_llm`'s trust notes).

use crate::input::ReviewInput;
use guard_core::{ChangeSet, Context, Finding, LayerError, LayerOutcome};
use guard_llm::{BackendKind, LlmConfig, LlmReview, LlmReviewers, Reviewer};
use std::time::Instant;

/// Input kind carrying `--llm BACKEND`.
pub const LLM_FLAG: &str = "review-llm";
/// Input kind carrying `--llm-model M`.
pub const LLM_MODEL_FLAG: &str = "review-llm-model";
/// Input kind carrying `--llm-endpoint URL`.
pub const LLM_ENDPOINT_FLAG: &str = "review-llm-endpoint";

fn last_input(ctx: &Context, kind: &str) -> Option<String> {
    ctx.inputs(kind)
        .last()
        .map(|p| p.to_string_lossy().into_owned())
}

/// The LLM settings: the config table, with the flags on top.
pub fn settings(ctx: &Context, base: &LlmConfig) -> Result<LlmConfig, LayerError> {
    let mut cfg = base.clone();
    if let Some(b) = last_input(ctx, LLM_FLAG) {
        cfg.backend = Some(
            b.parse::<BackendKind>()
                .map_err(|m| LayerError::input("--llm", m))?,
        );
    }
    if let Some(m) = last_input(ctx, LLM_MODEL_FLAG) {
        cfg.model = Some(m);
    }
    if let Some(e) = last_input(ctx, LLM_ENDPOINT_FLAG) {
        cfg.endpoint = Some(e);
    }
    let named =
        last_input(ctx, LLM_MODEL_FLAG).is_some() || last_input(ctx, LLM_ENDPOINT_FLAG).is_some();
    if cfg.backend.is_none() && named {
        return Err(LayerError::input(
            "--llm-model",
            "--llm-model and --llm-endpoint need --llm BACKEND (or [layers.review.llm] backend)",
        ));
    }
    Ok(cfg)
}

/// The configured LLM reviewers restricted to the selected reviewer ids;
/// `None` when the LLM reviewers are off or none of them is selected.
pub fn prepare(cfg: &LlmConfig, selected: &[String]) -> Result<Option<LlmReviewers>, LayerError> {
    let reviewers = LlmReviewers::new(cfg, &guard_llm::process_env)
        .map_err(|e| LayerError::input("LLM reviewers", e.to_string()))?;
    let Some(mut reviewers) = reviewers else {
        return Ok(None);
    };
    let only: Vec<Reviewer> = selected.iter().filter_map(|s| s.parse().ok()).collect();
    reviewers.restrict(&only);
    if reviewers.reviewers().is_empty() {
        return Ok(None);
    }
    Ok(Some(reviewers))
}

/// The changed functions as the LLM reviewers take them.
pub fn functions(input: &ReviewInput) -> Vec<guard_llm::ChangedFunction> {
    input
        .files
        .iter()
        .flat_map(|f| {
            f.functions.iter().map(|func| guard_llm::ChangedFunction {
                path: f.path.clone(),
                name: func.name.clone(),
                start_line: func.start_line,
                end_line: func.end_line,
                source: func.source.clone(),
            })
        })
        .collect()
}

/// Runs the LLM reviewers; a panic becomes each reviewer's own outcome.
pub fn run(
    reviewers: &LlmReviewers,
    change: &ChangeSet,
    functions: &[guard_llm::ChangedFunction],
    deadline: Instant,
) -> Result<LlmReview, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        reviewers.review(change, functions, Some(deadline))
    }))
    .map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panic".into())
    })
}

/// Records the LLM reviewers' outcomes as parts of the layer and adds their
/// findings to `findings` (never removing or changing one already there).
pub fn conclude(
    ctx: &Context,
    reviewers: &LlmReviewers,
    result: Result<LlmReview, String>,
    findings: &mut Vec<Finding>,
    disabled: &dyn Fn(&Finding) -> bool,
) {
    match result {
        Ok(review) => {
            let parts = review.outcomes.iter().map(|o| o.to_part_run()).collect();
            ctx.record_parts(crate::LAYER_ID, parts);
            let s = &review.summary;
            tracing::info!(
                requests = s.requests,
                retries = s.retries,
                input_tokens = s.input_tokens,
                output_tokens = s.output_tokens,
                cost_usd = s.cost_usd.unwrap_or(f64::NAN),
                findings = s.findings,
                dropped = s.dropped_findings,
                "review: LLM reviewers done"
            );
            let llm: Vec<Finding> = review
                .findings
                .into_iter()
                .filter(|f| !disabled(f))
                .collect();
            guard_llm::merge(findings, llm);
        }
        Err(message) => {
            for r in reviewers.reviewers() {
                ctx.record_part_outcome(
                    &format!("llm-{}", r.as_str()),
                    LayerOutcome::Panicked {
                        message: message.clone(),
                    },
                    std::time::Duration::ZERO,
                    0,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(inputs: &[(&str, &str)]) -> Context {
        let mut c = Context::new(".");
        for (k, v) in inputs {
            c = c.with_input(k, *v);
        }
        c
    }

    #[test]
    fn flags_override_the_table_and_need_a_backend() {
        let base = LlmConfig {
            model: Some("from-config".into()),
            ..LlmConfig::default()
        };
        let none = settings(&ctx(&[]), &base).expect("ok");
        assert_eq!(none.backend, None);
        let on = settings(
            &ctx(&[
                (LLM_FLAG, "anthropic"),
                (LLM_MODEL_FLAG, "claude-haiku-4-5"),
            ]),
            &base,
        )
        .expect("ok");
        assert_eq!(on.backend, Some(BackendKind::Anthropic));
        assert_eq!(on.model.as_deref(), Some("claude-haiku-4-5"));
        assert!(settings(&ctx(&[(LLM_FLAG, "gemini")]), &base).is_err());
        let err = settings(&ctx(&[(LLM_ENDPOINT_FLAG, "http://127.0.0.1:1")]), &base)
            .expect_err("no backend");
        assert!(err.to_string().contains("need --llm BACKEND"), "{err}");
    }

    #[test]
    fn off_unless_a_selected_reviewer_has_an_llm_twin() {
        let cfg = LlmConfig {
            backend: Some(BackendKind::OpenaiCompatible),
            model: Some("m".into()),
            reviewers: Some(vec!["quality".into()]),
            ..LlmConfig::default()
        };
        assert!(prepare(&cfg, &["bug".into()]).expect("ok").is_none());
        let on = prepare(&cfg, &["bug".into(), "quality".into()])
            .expect("ok")
            .expect("on");
        assert_eq!(on.reviewers(), [Reviewer::Quality]);
        assert!(prepare(&LlmConfig::default(), &["bug".into()])
            .expect("ok")
            .is_none());
    }
}
