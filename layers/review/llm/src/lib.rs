//! Optional LLM reviewers for guard's review layer.
//!
//! Four reviewers (bug, security, performance, quality) each send their own
//! prompt with the diff and the changed functions to one backend: the Claude
//! CLI, the Anthropic Messages API, Amazon Bedrock or any OpenAI-compatible
//! endpoint. The answer must be JSON matching `schemas/llm-review.schema.json`;
//! anything else is that reviewer's failed outcome.
//!
//! # Trust
//!
//! The diff is untrusted data. It is sent between per-run random markers and
//! the system prompt says text inside them is data. Whatever the model says,
//! it can only **add** findings:
//!
//! - a finding is placed by the code it quotes, which must be on an added
//!   line of the diff; otherwise it is dropped (and counted);
//! - its severity is capped at `max_severity` (default medium, at most high):
//!   an LLM finding is never critical, so it never blocks a merge on its own
//!   under the default `--fail-on critical`/`high` gates, and a critical claim
//!   counts only through the deterministic finding that corroborates it;
//! - its confidence is at most medium;
//! - nothing in an answer can remove, merge away or re-rank a deterministic
//!   finding: [`merge`] only appends LLM findings that are new by rule and line.
//!
//! Caps: bytes per request (the change is split by whole files; a file too
//! big on its own is left out and named), bytes per reviewer, estimated cost
//! per run, concurrency, per-request timeout, retries with exponential
//! backoff on 408/429/5xx/529 honouring `retry-after`.

pub mod anchor;
pub mod answer;
pub mod backend;
pub mod config;
pub mod prompt;
pub mod sigv4;

pub use backend::{Backend, SetupError, Usage};
pub use config::{BackendKind, LlmConfig, Price};
pub use prompt::{ChangedFunction, Reviewer};

use answer::{AnswerConfidence, AnswerSeverity};
use backend::{CallError, Reply};
use guard_core::diff::{ChangeSet, LineKind};
use guard_core::{Confidence, Finding, Location, Rule, Severity};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Layer id the findings belong to.
pub const LAYER_ID: &str = "review";

/// One rule per LLM reviewer; severities shown are the default cap.
pub static RULES: &[Rule] = &[
    Rule {
        id: "REVIEW-LLM-BUG",
        severity: Severity::Medium,
        title: "LLM bug reviewer finding",
        rationale: "A language model reviewing the added lines for defects reported this. It is advisory: its line was checked against the diff, its claim was not.",
        remediation: "Read the explanation; fix the code or dismiss the finding.",
        tags: &["llm"],
        references: &[],
    },
    Rule {
        id: "REVIEW-LLM-SECURITY",
        severity: Severity::Medium,
        title: "LLM security reviewer finding",
        rationale: "A language model reviewing the added lines for vulnerabilities reported this. It is advisory: its line was checked against the diff, its claim was not.",
        remediation: "Read the explanation; fix the code or dismiss the finding.",
        tags: &["llm", "security"],
        references: &[],
    },
    Rule {
        id: "REVIEW-LLM-PERFORMANCE",
        severity: Severity::Medium,
        title: "LLM performance reviewer finding",
        rationale: "A language model reviewing the added lines for performance problems reported this. It is advisory: its line was checked against the diff, its claim was not.",
        remediation: "Read the explanation; fix the code or dismiss the finding.",
        tags: &["llm", "performance"],
        references: &[],
    },
    Rule {
        id: "REVIEW-LLM-QUALITY",
        severity: Severity::Medium,
        title: "LLM quality reviewer finding",
        rationale: "A language model reviewing the added lines for maintainability problems reported this. It is advisory: its line was checked against the diff, its claim was not.",
        remediation: "Read the explanation; fix the code or dismiss the finding.",
        tags: &["llm", "maintainability"],
        references: &[],
    },
];

/// The rule of `reviewer`.
pub fn rule(reviewer: Reviewer) -> &'static Rule {
    &RULES[reviewer as usize]
}

/// How a reviewer ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Every request answered and the whole change was sent.
    Ok,
    /// Some requests answered; some failed, or files were left out.
    Partial,
    /// No usable answer.
    Failed,
}

/// One LLM reviewer's outcome, for the report next to the deterministic ones.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewerOutcome {
    /// `llm-bug`, `llm-security`, ...
    pub reviewer: String,
    pub backend: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    pub status: Status,
    /// Why the reviewer is partial or failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub requests: u32,
    pub retries: u32,
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// Reported by the backend or estimated from the price table; `None` when
    /// the model has no price.
    pub cost_usd: Option<f64>,
    pub findings: usize,
    /// Findings dropped because their quote is not on an added line.
    pub dropped_findings: usize,
    /// Files not sent, with the reason.
    pub left_out: Vec<LeftOut>,
    pub elapsed_ms: u64,
}

impl ReviewerOutcome {
    /// The outcome as a part of the review layer's run: `ok` is completed;
    /// `partial` and `failed` are failures (the run is incomplete), with the
    /// reason; tokens, cost and counts go in the part's metrics.
    pub fn to_part_run(&self) -> guard_core::report::PartRun {
        use guard_core::LayerOutcome;
        let outcome = match self.status {
            Status::Ok => LayerOutcome::Completed,
            Status::Partial => LayerOutcome::Failed {
                message: format!(
                    "incomplete: {}",
                    self.reason
                        .as_deref()
                        .unwrap_or("part of the change was not reviewed")
                ),
            },
            Status::Failed => LayerOutcome::Failed {
                message: self
                    .reason
                    .clone()
                    .unwrap_or_else(|| "no usable answer".into()),
            },
        };
        let mut metrics = BTreeMap::new();
        metrics.insert("requests".to_string(), f64::from(self.requests));
        metrics.insert("retries".to_string(), f64::from(self.retries));
        metrics.insert("input_tokens".to_string(), self.input_tokens as f64);
        metrics.insert("output_tokens".to_string(), self.output_tokens as f64);
        metrics.insert("dropped_findings".to_string(), self.dropped_findings as f64);
        if let Some(c) = self.cost_usd {
            metrics.insert("cost_usd".to_string(), c);
        }
        guard_core::report::PartRun {
            name: self.reviewer.clone(),
            outcome,
            duration_ms: self.elapsed_ms as f64,
            findings: self.findings,
            metrics,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    pub path: String,
    pub reason: String,
}

/// Totals over all LLM reviewers.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub requests: u32,
    pub retries: u32,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cost_usd: Option<f64>,
    pub findings: usize,
    pub dropped_findings: usize,
    pub elapsed_ms: u64,
}

/// What the LLM reviewers produced.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LlmReview {
    pub outcomes: Vec<ReviewerOutcome>,
    #[serde(skip)]
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

/// A configuration that cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LlmError {
    #[error(transparent)]
    Config(#[from] config::ConfigProblem),
    #[error(transparent)]
    Setup(#[from] SetupError),
    #[error("[layers.review.llm] {0}")]
    Reviewers(String),
    #[error("[layers.review.llm] max_cost_usd is set but model {model:?} has no price; add [layers.review.llm.prices.\"{model}\"] input_per_mtok and output_per_mtok")]
    NoPrice { model: String },
}

/// The LLM reviewers, configured and ready.
#[derive(Debug)]
pub struct LlmReviewers {
    cfg: LlmConfig,
    backend: Backend,
    reviewers: Vec<Reviewer>,
    price: Option<Price>,
}

/// Reads the process environment.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

impl LlmReviewers {
    /// `None` when no backend is configured (the LLM reviewers are off).
    pub fn new(
        cfg: &LlmConfig,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<LlmReviewers>, LlmError> {
        let Some(kind) = cfg.backend else {
            return Ok(None);
        };
        cfg.check()?;
        let reviewers = match &cfg.reviewers {
            None => Reviewer::ALL.to_vec(),
            Some(list) if list.is_empty() => {
                return Err(LlmError::Reviewers("reviewers = [] leaves nothing to run; remove backend to turn the LLM reviewers off".into()))
            }
            Some(list) => {
                let mut out = Vec::new();
                for name in list {
                    let r: Reviewer = name.parse().map_err(LlmError::Reviewers)?;
                    if !out.contains(&r) {
                        out.push(r);
                    }
                }
                out
            }
        };
        let backend = Backend::new(kind, cfg, env)?;
        let price = backend.model().and_then(|m| cfg.price(m));
        if price.is_none() && cfg.max_cost_usd.is_some() && kind != BackendKind::ClaudeCli {
            return Err(LlmError::NoPrice {
                model: backend.model().unwrap_or("").to_string(),
            });
        }
        Ok(Some(LlmReviewers {
            cfg: cfg.clone(),
            backend,
            reviewers,
            price,
        }))
    }

    pub fn reviewers(&self) -> &[Reviewer] {
        &self.reviewers
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// Keeps only `only` among the configured reviewers (`--reviewer`).
    pub fn restrict(&mut self, only: &[Reviewer]) {
        self.reviewers.retain(|r| only.contains(r));
    }

    /// Runs every reviewer over the change; never panics on what a backend
    /// returns, never waits past `deadline`.
    pub fn review(
        &self,
        changes: &ChangeSet,
        functions: &[ChangedFunction],
        deadline: Option<Instant>,
    ) -> LlmReview {
        let started = Instant::now();
        let packing = prompt::pack(
            changes,
            functions,
            self.cfg.max_diff_bytes,
            self.cfg.max_total_bytes,
        );
        let seed = run_seed(changes);
        let tag = prompt::delimiter(
            &seed,
            &packing
                .chunks
                .iter()
                .map(|c| c.body.as_str())
                .collect::<String>(),
        );

        let mut jobs = VecDeque::new();
        for (ri, &r) in self.reviewers.iter().enumerate() {
            for (ci, chunk) in packing.chunks.iter().enumerate() {
                jobs.push_back(Job {
                    reviewer_index: ri,
                    chunk_index: ci,
                    system: prompt::system_prompt(r, &tag),
                    user: prompt::user_prompt(chunk, &packing.left_out, &tag),
                });
            }
        }
        let job_count = jobs.len();
        let queue = Mutex::new(jobs);
        let budget = Mutex::new(Budget::default());
        let results: Mutex<Vec<(usize, JobResult)>> = Mutex::new(Vec::new());
        let workers = self.cfg.concurrency.min(job_count).max(1);
        std::thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(|| loop {
                    let job = match queue.lock() {
                        Ok(mut q) => q.pop_front(),
                        Err(_) => None,
                    };
                    let Some(job) = job else { break };
                    let result = self.run_job(&job, &budget, deadline);
                    if let Ok(mut r) = results.lock() {
                        r.push((job.reviewer_index, result));
                    }
                });
            }
        });
        let mut per_reviewer: BTreeMap<usize, Vec<JobResult>> = BTreeMap::new();
        for (ri, res) in results.into_inner().unwrap_or_default() {
            per_reviewer.entry(ri).or_default().push(res);
        }

        let mut review = LlmReview::default();
        for (ri, &reviewer) in self.reviewers.iter().enumerate() {
            let results = per_reviewer.remove(&ri).unwrap_or_default();
            let (outcome, findings) = self.conclude(
                reviewer,
                results,
                &packing.left_out,
                packing.chunks.len(),
                changes,
            );
            review.findings.extend(findings);
            review.outcomes.push(outcome);
        }
        review.findings = dedupe(review.findings);
        let s = &mut review.summary;
        for o in &review.outcomes {
            s.requests += o.requests;
            s.retries += o.retries;
            s.input_tokens += o.input_tokens;
            s.output_tokens += o.output_tokens;
            s.dropped_findings += o.dropped_findings;
            s.cost_usd = match (s.cost_usd, o.cost_usd) {
                (a, None) if o.requests == 0 => a,
                (_, None) => None,
                (None, Some(c)) if s.requests == o.requests => Some(c),
                (None, Some(_)) => None,
                (Some(a), Some(c)) => Some(a + c),
            };
        }
        s.findings = review.findings.len();
        s.elapsed_ms = started.elapsed().as_millis() as u64;
        review
    }

    fn estimate_cost(&self, usage: &Usage) -> Option<f64> {
        usage.reported_cost_usd.or_else(|| {
            self.price.map(|p| {
                (usage.input_tokens as f64 * p.input_per_mtok
                    + usage.output_tokens as f64 * p.output_per_mtok)
                    / 1e6
            })
        })
    }

    fn run_job(&self, job: &Job, budget: &Mutex<Budget>, deadline: Option<Instant>) -> JobResult {
        let started = Instant::now();
        let mut res = JobResult {
            chunk_index: job.chunk_index,
            ..JobResult::default()
        };
        // Rough token estimate before sending: bytes / 4 in, the whole output budget out.
        let planned = Usage {
            input_tokens: ((job.system.len() + job.user.len()) / 4) as u64,
            output_tokens: u64::from(self.cfg.max_output_tokens),
            reported_cost_usd: None,
        };
        let reserve = self
            .price
            .map(|_| self.estimate_cost(&planned).unwrap_or(0.0))
            .unwrap_or(0.0);
        {
            let Ok(mut b) = budget.lock() else {
                res.error = Some("internal: budget lock poisoned".into());
                return res;
            };
            if b.spent + b.reserved + reserve > self.cfg.cost_cap() {
                res.error = Some(format!(
                    "cost cap reached: {:.4} USD spent, this request could cost {:.4} USD, max_cost_usd = {}",
                    b.spent + b.reserved,
                    reserve,
                    self.cfg.cost_cap()
                ));
                return res;
            }
            b.reserved += reserve;
        }
        let mut attempt = 0u32;
        let outcome = loop {
            if deadline.is_some_and(|d| Instant::now() >= d) {
                break Err("the layer deadline passed before an answer".to_string());
            }
            res.requests += 1;
            match self.backend.call(&job.system, &job.user, deadline) {
                Ok(reply) => break Ok(reply),
                Err(CallError::Fatal(reason)) => break Err(reason),
                Err(CallError::Retryable {
                    reason,
                    retry_after,
                }) => {
                    if attempt >= self.cfg.max_retries {
                        break Err(format!("{reason} (after {} attempts)", attempt + 1));
                    }
                    let wait = backoff(&self.cfg, attempt, retry_after);
                    if deadline.is_some_and(|d| Instant::now() + wait >= d) {
                        break Err(format!(
                            "{reason}; no time left to retry before the layer deadline"
                        ));
                    }
                    tracing::info!(
                        reason,
                        wait_ms = wait.as_millis() as u64,
                        "LLM request will be retried"
                    );
                    std::thread::sleep(wait);
                    attempt += 1;
                    res.retries += 1;
                }
            }
        };
        let mut spent = 0.0;
        match outcome {
            Ok(Reply { usage, answer }) => {
                res.usage = usage;
                match self.estimate_cost(&usage) {
                    Some(c) => spent = c,
                    None => res.cost_unknown = true,
                }
                match answer {
                    Ok(a) => res.answer = Some(a),
                    Err(e) => res.error = Some(e),
                }
            }
            Err(e) => res.error = Some(e),
        }
        if let Ok(mut b) = budget.lock() {
            b.reserved -= reserve;
            b.spent += spent;
        }
        res.cost = spent;
        res.elapsed = started.elapsed();
        res
    }

    fn conclude(
        &self,
        reviewer: Reviewer,
        mut results: Vec<JobResult>,
        left_out: &[(String, String)],
        chunks: usize,
        changes: &ChangeSet,
    ) -> (ReviewerOutcome, Vec<Finding>) {
        results.sort_by_key(|r| r.chunk_index);
        let mut o = ReviewerOutcome {
            reviewer: format!("llm-{}", reviewer.as_str()),
            backend: self.backend.kind().to_string(),
            model: self.backend.model().map(str::to_string),
            status: Status::Ok,
            reason: None,
            requests: 0,
            retries: 0,
            input_tokens: 0,
            output_tokens: 0,
            cost_usd: Some(0.0),
            findings: 0,
            dropped_findings: 0,
            left_out: left_out
                .iter()
                .map(|(p, r)| LeftOut {
                    path: p.clone(),
                    reason: r.clone(),
                })
                .collect(),
            elapsed_ms: 0,
        };
        let mut findings = Vec::new();
        let mut errors = Vec::new();
        let mut answered = 0usize;
        for r in &results {
            o.requests += r.requests;
            o.retries += r.retries;
            o.input_tokens += r.usage.input_tokens;
            o.output_tokens += r.usage.output_tokens;
            o.elapsed_ms = o.elapsed_ms.max(r.elapsed.as_millis() as u64);
            if r.cost_unknown {
                o.cost_usd = None;
            } else if let Some(c) = o.cost_usd.as_mut() {
                *c += r.cost;
            }
            if let Some(e) = &r.error {
                errors.push(e.clone());
            }
            if let Some(a) = &r.answer {
                answered += 1;
                for f in &a.findings {
                    match self.to_finding(reviewer, f, changes) {
                        Some(f) => findings.push(f),
                        None => o.dropped_findings += 1,
                    }
                }
            }
        }
        if o.dropped_findings > 0 {
            tracing::info!(
                reviewer = reviewer.as_str(),
                dropped = o.dropped_findings,
                "LLM findings dropped: quote not on an added line"
            );
        }
        o.findings = findings.len();
        let mut reasons = errors;
        if !left_out.is_empty() {
            reasons.push(format!("{} file(s) not sent", left_out.len()));
        }
        if chunks == 0 && !left_out.is_empty() {
            o.status = Status::Failed;
            reasons.insert(0, "nothing could be sent".into());
        } else if answered == 0 && chunks > 0 {
            o.status = Status::Failed;
        } else if !reasons.is_empty() {
            o.status = Status::Partial;
        }
        if !reasons.is_empty() {
            o.reason = Some(reasons.join("; "));
        }
        (o, findings)
    }

    /// A guard finding from an answer finding, anchored by its quote; `None`
    /// when the quote is not on an added line of the named file.
    fn to_finding(
        &self,
        reviewer: Reviewer,
        f: &answer::AnswerFinding,
        changes: &ChangeSet,
    ) -> Option<Finding> {
        let file = anchor::find_file(changes, &f.path)?;
        let line = anchor::anchor(file, &f.quote, f.line)?;
        let snippet = file
            .hunks
            .iter()
            .flat_map(|h| h.lines.iter())
            .find(|l| l.kind == LineKind::Added && l.new_line == Some(line))
            .map(|l| l.text.trim_end().to_string());
        let claimed = match f.severity {
            AnswerSeverity::Low => Severity::Low,
            AnswerSeverity::Medium => Severity::Medium,
            AnswerSeverity::High => Severity::High,
            AnswerSeverity::Critical => Severity::Critical,
        };
        let severity = claimed.min(self.cfg.max_severity).min(Severity::High);
        let confidence = match f.confidence {
            AnswerConfidence::Low => Confidence::Low,
            _ => Confidence::Medium,
        };
        let mut loc = Location::line(file.path(), line);
        loc.snippet = snippet;
        let mut finding = Finding::new(rule(reviewer), clean(&f.explanation))
            .at(loc)
            .severity(severity)
            .confidence(confidence)
            .part(&format!("llm-{}", reviewer.as_str()))
            .tag(format!("backend:{}", self.backend.kind()));
        finding.layer = LAYER_ID.to_string();
        finding.title = clean(&f.title);
        let suggestion = clean(&f.suggestion);
        if !suggestion.is_empty() {
            finding.remediation = Some(suggestion);
        }
        if claimed > severity {
            finding.evidence = Some(format!(
                "the model rated it {}; LLM findings are capped at {}",
                claimed.as_str(),
                severity.as_str()
            ));
        }
        Some(finding)
    }
}

/// Removes control, bidirectional and invisible characters from model text.
fn clean(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            c == '\n'
                || !(c.is_control()
                    || ('\u{200B}'..='\u{200F}').contains(&c)
                    || ('\u{202A}'..='\u{202E}').contains(&c)
                    || ('\u{2066}'..='\u{2069}').contains(&c)
                    || ('\u{E0000}'..='\u{E007F}').contains(&c)
                    || c == '\u{FEFF}')
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// One finding per rule and place; the highest severity wins.
fn dedupe(findings: Vec<Finding>) -> Vec<Finding> {
    let mut seen: BTreeMap<(String, String, u32), Finding> = BTreeMap::new();
    for f in findings {
        let key = key_of(&f);
        match seen.get(&key) {
            Some(old) if old.severity >= f.severity => {}
            _ => {
                seen.insert(key, f);
            }
        }
    }
    seen.into_values().collect()
}

fn key_of(f: &Finding) -> (String, String, u32) {
    let (path, line) = f
        .location
        .as_ref()
        .map(|l| (l.path.clone(), l.start_line))
        .unwrap_or_default();
    (f.rule_id.clone(), path, line)
}

/// Adds LLM findings to the deterministic ones. Deterministic findings are
/// kept as they are; an LLM finding is added unless one with the same rule
/// and line is already there.
pub fn merge(deterministic: &mut Vec<Finding>, llm: Vec<Finding>) {
    for f in llm {
        let key = key_of(&f);
        if !deterministic.iter().any(|d| key_of(d) == key) {
            deterministic.push(f);
        }
    }
}

#[derive(Debug)]
struct Job {
    reviewer_index: usize,
    chunk_index: usize,
    system: String,
    user: String,
}

#[derive(Debug, Default)]
struct JobResult {
    chunk_index: usize,
    requests: u32,
    retries: u32,
    usage: Usage,
    cost: f64,
    cost_unknown: bool,
    answer: Option<answer::Answer>,
    error: Option<String>,
    elapsed: Duration,
}

#[derive(Debug, Default)]
struct Budget {
    spent: f64,
    reserved: f64,
}

/// Seed for the run's delimiter: the change, the time and the process.
fn run_seed(changes: &ChangeSet) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(format!(
        "{:?}",
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
    ));
    h.update(std::process::id().to_le_bytes());
    h.update(changes.files.len().to_le_bytes());
    for f in &changes.files {
        h.update(f.path().as_bytes());
    }
    h.finalize().to_vec()
}

/// The wait before retry `attempt + 1`: exponential from `backoff_secs`
/// with jitter, at least `retry-after`, at most `max_backoff_secs`.
fn backoff(cfg: &LlmConfig, attempt: u32, retry_after: Option<Duration>) -> Duration {
    let cap = cfg.max_backoff_secs;
    let exp = (cfg.backoff_secs * 2f64.powi(attempt.min(16) as i32)).min(cap);
    // Equal jitter: half fixed, half random.
    let jittered = exp / 2.0 + exp / 2.0 * unit_random();
    let wait = match retry_after {
        Some(r) => r.as_secs_f64().max(jittered),
        None => jittered,
    };
    Duration::from_secs_f64(wait.min(cap).max(0.0))
}

/// A number in [0, 1) that differs between calls; for jitter only.
fn unit_random() -> f64 {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut h = Sha256::new();
    h.update(n.to_le_bytes());
    h.update(format!("{:?}", SystemTime::now()));
    let d = h.finalize();
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[..8]);
    (u64::from_le_bytes(b) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_honours_retry_after_and_caps() {
        let cfg = LlmConfig {
            backoff_secs: 1.0,
            max_backoff_secs: 30.0,
            ..LlmConfig::default()
        };
        let first = backoff(&cfg, 0, None).as_secs_f64();
        assert!((0.5..=1.0).contains(&first), "{first}");
        let third = backoff(&cfg, 2, None).as_secs_f64();
        assert!((2.0..=4.0).contains(&third), "{third}");
        let late = backoff(&cfg, 20, None);
        assert!(
            late >= Duration::from_secs(15) && late <= Duration::from_secs(30),
            "{late:?}"
        );
        assert!(backoff(&cfg, 0, Some(Duration::from_secs(7))) >= Duration::from_secs(7));
        assert_eq!(
            backoff(&cfg, 0, Some(Duration::from_secs(600))),
            Duration::from_secs(30)
        );
    }

    #[test]
    fn clean_strips_invisible_and_bidi() {
        assert_eq!(clean("a\u{202E}b\u{200B}c\u{1b}[31m\n"), "abc[31m");
    }

    #[test]
    fn merge_keeps_deterministic_and_dedupes_by_rule_and_line() {
        let det = Finding::new(&RULES[1], "det")
            .at(Location::line("a.py", 3))
            .severity(Severity::Critical);
        let mut all = vec![det.clone()];
        let same = Finding::new(&RULES[1], "llm")
            .at(Location::line("a.py", 3))
            .severity(Severity::Low);
        let other = Finding::new(&RULES[0], "llm").at(Location::line("a.py", 3));
        merge(&mut all, vec![same, other]);
        assert_eq!(all.len(), 2);
        assert_eq!(all[0], det);
        let d = dedupe(vec![
            Finding::new(&RULES[0], "x")
                .at(Location::line("a.py", 1))
                .severity(Severity::Low),
            Finding::new(&RULES[0], "y")
                .at(Location::line("a.py", 1))
                .severity(Severity::High),
        ]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::High);
    }

    #[test]
    fn off_without_backend_and_refuses_bad_reviewers() {
        let none = |_: &str| None;
        assert!(LlmReviewers::new(&LlmConfig::default(), &none)
            .expect("ok")
            .is_none());
        let cfg = LlmConfig {
            backend: Some(BackendKind::OpenaiCompatible),
            model: Some("llama3".into()),
            reviewers: Some(vec!["style".into()]),
            ..LlmConfig::default()
        };
        assert!(matches!(
            LlmReviewers::new(&cfg, &none),
            Err(LlmError::Reviewers(_))
        ));
        let cfg = LlmConfig {
            reviewers: None,
            max_cost_usd: Some(1.0),
            ..cfg
        };
        assert!(matches!(
            LlmReviewers::new(&cfg, &none),
            Err(LlmError::NoPrice { .. })
        ));
        let cfg = LlmConfig {
            max_cost_usd: None,
            ..cfg
        };
        assert!(LlmReviewers::new(&cfg, &none).expect("ok").is_some());
    }
}
