//! The reviewers: independent units that read the same [`ReviewInput`] and
//! each give an outcome of their own.
//!
//! A reviewer is a [`Reviewer`]: an id (`bug`, `security`, `performance`,
//! `quality`) and a `review` function over the prepared input. [`run_all`]
//! runs the selected reviewers concurrently, each on its own thread with
//! `catch_unwind` and a deadline; a panic, an error or an overrun becomes
//! that reviewer's [`ReviewerRun::outcome`] and the others still report.
//! Further reviewers (an LLM-backed one, say) implement the same trait.

pub mod bug;
pub mod performance;
pub mod quality;
pub mod security;

use crate::config::ReviewConfig;
use crate::input::{FileInput, ReviewInput};
use crate::rules;
use guard_core::{Finding, LayerOutcome, Location};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// The built-in reviewer ids, in report order.
pub const BUILTIN: &[&str] = &["bug", "security", "performance", "quality"];

/// What a reviewer is given besides the input: the layer's options, and a
/// cancel flag it should look at between files and functions.
#[derive(Debug, Clone)]
pub struct ReviewContext {
    pub config: Arc<ReviewConfig>,
    cancel: Arc<AtomicBool>,
    deadline: Instant,
}

impl ReviewContext {
    pub fn new(config: Arc<ReviewConfig>, deadline: Instant) -> Self {
        ReviewContext {
            config,
            cancel: Arc::new(AtomicBool::new(false)),
            deadline,
        }
    }

    /// Whether the reviewer should stop (its deadline passed).
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed) || Instant::now() >= self.deadline
    }

    /// `Err(Cancelled)` once cancelled; call it in loops.
    pub fn check(&self) -> Result<(), ReviewError> {
        if self.cancelled() {
            Err(ReviewError::Cancelled)
        } else {
            Ok(())
        }
    }
}

/// Why a reviewer did not complete.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("cancelled: deadline reached")]
    Cancelled,
    #[error("{0}")]
    Failed(String),
}

/// One reviewer.
pub trait Reviewer: Send + Sync {
    /// Stable id, as `--reviewer` and `[layers.review] reviewers` name it.
    fn id(&self) -> &str;
    /// Findings on the change. They need not be limited to changed lines:
    /// [`run_all`] keeps those within the input's context of an added line.
    fn review(&self, input: &ReviewInput, cx: &ReviewContext) -> Result<Vec<Finding>, ReviewError>;
}

/// How one reviewer's run ended.
#[derive(Debug, Clone)]
pub struct ReviewerRun {
    pub id: String,
    /// `Completed`, `Failed`, `Panicked` or `TimedOut`.
    pub outcome: LayerOutcome,
    pub duration: Duration,
    /// Its findings (empty unless completed), tagged `part:<id>`.
    pub findings: Vec<Finding>,
}

/// A built-in reviewer by id.
pub fn builtin(id: &str) -> Option<Arc<dyn Reviewer>> {
    Some(match id {
        "bug" => Arc::new(bug::BugReviewer),
        "security" => Arc::new(security::SecurityReviewer),
        "performance" => Arc::new(performance::PerformanceReviewer),
        "quality" => Arc::new(quality::QualityReviewer),
        _ => return None,
    })
}

/// Runs `reviewers` concurrently over `input`, each isolated; returns one
/// run per reviewer in the order given. Waits at most until `deadline` (plus
/// a short grace): a reviewer still running then is told to stop, left
/// behind and reported as timed out.
pub fn run_all(
    reviewers: &[Arc<dyn Reviewer>],
    input: Arc<ReviewInput>,
    config: Arc<ReviewConfig>,
    deadline: Instant,
) -> Vec<ReviewerRun> {
    guard_core::runner::quiet_layer_panics();
    let start = Instant::now();
    let (tx, rx) = mpsc::channel::<(usize, ReviewerRun)>();
    let mut runs: Vec<Option<ReviewerRun>> = vec![None; reviewers.len()];
    let mut contexts = Vec::with_capacity(reviewers.len());
    for (i, reviewer) in reviewers.iter().enumerate() {
        let id = reviewer.id().to_string();
        let reviewer_deadline = deadline.min(start + config.timeout_for(&id));
        let cx = ReviewContext::new(Arc::clone(&config), reviewer_deadline);
        contexts.push((cx.clone(), reviewer_deadline));
        let tx = tx.clone();
        let reviewer = Arc::clone(reviewer);
        let input = Arc::clone(&input);
        let spawned = std::thread::Builder::new()
            // The core's panic hook records (and does not print) panics on
            // threads named `guard-layer-*`.
            .name(format!("guard-layer-review-{id}"))
            .spawn(move || {
                let t0 = Instant::now();
                let result = panic::catch_unwind(AssertUnwindSafe(|| {
                    test_hooks(reviewer.id(), &cx);
                    reviewer.review(&input, &cx)
                }));
                let (outcome, findings) = match result {
                    Ok(Ok(findings)) => {
                        let id = reviewer.id();
                        let kept = findings
                            .into_iter()
                            .filter(|f| in_scope(&input, f))
                            .map(|f| f.part(id))
                            .collect();
                        (LayerOutcome::Completed, kept)
                    }
                    Ok(Err(ReviewError::Cancelled)) => (
                        LayerOutcome::TimedOut {
                            after_ms: t0.elapsed().as_millis() as u64,
                        },
                        Vec::new(),
                    ),
                    Ok(Err(ReviewError::Failed(message))) => {
                        (LayerOutcome::Failed { message }, Vec::new())
                    }
                    Err(payload) => (
                        LayerOutcome::Panicked {
                            message: guard_core::runner::describe_panic(payload.as_ref()),
                        },
                        Vec::new(),
                    ),
                };
                let _ = tx.send((
                    i,
                    ReviewerRun {
                        id: reviewer.id().to_string(),
                        outcome,
                        duration: t0.elapsed(),
                        findings,
                    },
                ));
            });
        if let Err(e) = spawned {
            runs[i] = Some(ReviewerRun {
                id,
                outcome: LayerOutcome::Failed {
                    message: format!("cannot start: {e}"),
                },
                duration: Duration::ZERO,
                findings: Vec::new(),
            });
        }
    }
    drop(tx);
    let give_up =
        contexts.iter().map(|(_, d)| *d).max().unwrap_or(deadline) + guard_core::runner::GRACE;
    let mut open = runs.iter().filter(|r| r.is_none()).count();
    while open > 0 {
        let wait = give_up.saturating_duration_since(Instant::now());
        match rx.recv_timeout(wait) {
            Ok((i, run)) => {
                runs[i] = Some(run);
                open -= 1;
            }
            Err(_) => break,
        }
    }
    runs.into_iter()
        .enumerate()
        .map(|(i, r)| {
            r.unwrap_or_else(|| {
                contexts[i].0.cancel.store(true, Ordering::Relaxed);
                ReviewerRun {
                    id: reviewers[i].id().to_string(),
                    outcome: LayerOutcome::TimedOut {
                        after_ms: start.elapsed().as_millis() as u64,
                    },
                    duration: start.elapsed(),
                    findings: Vec::new(),
                }
            })
        })
        .collect()
}

/// Test-only failure injection, honoured in debug builds only:
/// `GUARD_REVIEW_TEST_PANIC=<id>` makes that reviewer panic,
/// `GUARD_REVIEW_TEST_HANG=<id>` makes it loop until cancelled, and
/// `GUARD_REVIEW_TEST_FAIL=<id>` makes it return an error.
fn test_hooks(id: &str, cx: &ReviewContext) {
    if !cfg!(debug_assertions) {
        return;
    }
    let named = |var: &str| {
        std::env::var(var)
            .ok()
            .is_some_and(|v| v.split(',').any(|x| x.trim() == id))
    };
    if named("GUARD_REVIEW_TEST_PANIC") {
        panic!("test hook: reviewer `{id}` panics");
    }
    if named("GUARD_REVIEW_TEST_HANG") {
        // Ignores cancellation on purpose: the runner must give up on it.
        loop {
            std::thread::sleep(Duration::from_millis(50));
            if cx.cancel.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_secs(3600));
            }
        }
    }
}

/// Whether a finding lies within the input's context of an added line.
fn in_scope(input: &ReviewInput, f: &Finding) -> bool {
    let Some(loc) = &f.location else {
        return false;
    };
    input
        .files
        .iter()
        .find(|file| file.path == loc.path)
        .is_some_and(|file| file.in_scope(loc.start_line, loc.end_line, input.context))
}

/// A finding of `rule_id` on lines `start..=end` of `file` (snippet: the
/// first lines of the span, from the new text).
pub fn finding(rule_id: &str, file: &FileInput, start: u32, end: u32, message: String) -> Finding {
    let rule = rules::rule(rule_id);
    let lines = file.new_lines();
    let first = start.max(1) as usize - 1;
    let last = (end.max(start) as usize).min(first + 3);
    let snippet: Vec<String> = lines
        .iter()
        .take(last)
        .skip(first)
        .map(|l| l.chars().take(200).collect())
        .collect();
    let mut loc = Location::span(file.path.clone(), (start, 1), (end.max(start), 1));
    if !snippet.is_empty() {
        loc.snippet = Some(snippet.join("\n"));
    }
    Finding::new(rule, message).at(loc)
}

/// Whether the path is test code (tests are reviewed more leniently).
pub fn is_test_path(path: &str) -> bool {
    guard_owasp::scan::test_path(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Panics;
    impl Reviewer for Panics {
        fn id(&self) -> &str {
            "panics"
        }
        fn review(&self, _: &ReviewInput, _: &ReviewContext) -> Result<Vec<Finding>, ReviewError> {
            panic!("reviewer bug");
        }
    }

    struct Fails;
    impl Reviewer for Fails {
        fn id(&self) -> &str {
            "fails"
        }
        fn review(&self, _: &ReviewInput, _: &ReviewContext) -> Result<Vec<Finding>, ReviewError> {
            Err(ReviewError::Failed("backend answered 500".into()))
        }
    }

    struct Slow;
    impl Reviewer for Slow {
        fn id(&self) -> &str {
            "slow"
        }
        fn review(&self, _: &ReviewInput, cx: &ReviewContext) -> Result<Vec<Finding>, ReviewError> {
            loop {
                cx.check()?;
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    }

    #[test]
    fn each_reviewer_gets_its_own_outcome() {
        let reviewers: Vec<Arc<dyn Reviewer>> = vec![
            Arc::new(Panics),
            Arc::new(Fails),
            Arc::new(Slow),
            builtin("bug").expect("bug"),
        ];
        let runs = run_all(
            &reviewers,
            Arc::new(ReviewInput::default()),
            Arc::new(ReviewConfig::default()),
            Instant::now() + Duration::from_millis(300),
        );
        let labels: Vec<(&str, &str)> = runs
            .iter()
            .map(|r| (r.id.as_str(), r.outcome.label()))
            .collect();
        assert_eq!(
            labels,
            [
                ("panics", "panicked"),
                ("fails", "failed"),
                ("slow", "timed out"),
                ("bug", "completed")
            ]
        );
        assert!(runs[0]
            .outcome
            .detail()
            .is_some_and(|d| d.contains("reviewer bug")));
    }
}
