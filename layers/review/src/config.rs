//! `[layers.review]` in guard.toml.
//!
//! ```toml
//! [layers.review]
//! reviewers = ["bug", "security", "performance", "quality"]  # default: all four
//! context = 0                    # findings up to N lines away from an added line
//! timeout = 60                   # seconds per reviewer (within the layer's timeout)
//! disable = ["REVIEW-QUAL-006"]  # rule ids not to report
//!
//! [layers.review.quality]
//! max_function_lines = 60
//! max_cognitive_complexity = 15
//! max_nesting = 4
//! max_params = 5
//! min_duplicate_lines = 6
//!
//! [layers.review.security]
//! secrets = true                 # scan added lines for secrets
//!
//! [layers.review.llm]            # optional LLM reviewers, off without `backend`
//! backend = "anthropic"          # see guard_llm::LlmConfig for every key
//! ```
//!
//! Unknown keys and unknown reviewer names are errors naming the file.

use crate::reviewers::BUILTIN;
use guard_core::{ConfigError, LayerConfig};
use serde::Deserialize;
use std::time::Duration;

/// The layer's options, parsed and checked.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReviewConfig {
    /// Reviewers to run (ids); empty means all built-in ones.
    pub reviewers: Vec<String>,
    /// Lines around an added line that findings may be on.
    pub context: u32,
    /// Seconds each reviewer may take.
    pub timeout: f64,
    /// Rule ids not to report.
    pub disable: Vec<String>,
    pub quality: QualityOptions,
    pub security: SecurityOptions,
    pub bug: BugOptions,
    pub performance: PerformanceOptions,
    /// The optional LLM reviewers (`guard_llm`); off without a backend.
    pub llm: guard_llm::LlmConfig,
}

impl Default for ReviewConfig {
    fn default() -> Self {
        ReviewConfig {
            reviewers: Vec::new(),
            context: 0,
            timeout: 60.0,
            disable: Vec::new(),
            quality: QualityOptions::default(),
            security: SecurityOptions::default(),
            bug: BugOptions::default(),
            performance: PerformanceOptions::default(),
            llm: guard_llm::LlmConfig::default(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct QualityOptions {
    pub max_function_lines: u32,
    pub max_cognitive_complexity: u32,
    pub max_nesting: u32,
    pub max_params: u32,
    /// Shortest run of non-blank lines reported as a duplicate.
    pub min_duplicate_lines: usize,
}

impl Default for QualityOptions {
    fn default() -> Self {
        QualityOptions {
            max_function_lines: 60,
            max_cognitive_complexity: 15,
            max_nesting: 4,
            max_params: 5,
            min_duplicate_lines: 6,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SecurityOptions {
    /// Scan added lines for secrets.
    pub secrets: bool,
}

impl Default for SecurityOptions {
    fn default() -> Self {
        SecurityOptions { secrets: true }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BugOptions {
    /// Also report `unwrap`/`expect` in Rust test code.
    pub unwrap_in_tests: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PerformanceOptions {
    /// Extra callee names (last segment or dotted suffix) treated as database
    /// or HTTP calls for the N+1 check.
    pub io_calls: Vec<String>,
}

impl ReviewConfig {
    pub fn timeout_for(&self, _reviewer: &str) -> Duration {
        Duration::from_secs_f64(self.timeout)
    }

    /// The reviewers to run: `requested` (from `--reviewer`) if any, else
    /// the config's list, else all. Unknown names are errors.
    pub fn selected(&self, requested: &[String]) -> Result<Vec<String>, String> {
        let list: Vec<String> = if !requested.is_empty() {
            requested.to_vec()
        } else if !self.reviewers.is_empty() {
            self.reviewers.clone()
        } else {
            BUILTIN.iter().map(|s| s.to_string()).collect()
        };
        let mut out: Vec<String> = Vec::new();
        for id in list {
            let id = id.trim().to_string();
            if !BUILTIN.contains(&id.as_str()) {
                return Err(format!(
                    "unknown reviewer `{id}` (known: {})",
                    BUILTIN.join(", ")
                ));
            }
            if !out.contains(&id) {
                out.push(id);
            }
        }
        Ok(out)
    }
}

/// Parses and checks the table.
pub fn load(cfg: &LayerConfig) -> Result<ReviewConfig, ConfigError> {
    let c: ReviewConfig = cfg.parse()?;
    let path = cfg.path.clone().unwrap_or_else(|| "guard.toml".into());
    let invalid = |message: String| ConfigError::Invalid {
        path: path.clone(),
        message,
    };
    c.selected(&[])
        .map_err(|m| invalid(format!("[layers.review] reviewers: {m}")))?;
    c.llm.check().map_err(|e| invalid(e.to_string()))?;
    for r in c.llm.reviewers.iter().flatten() {
        r.parse::<guard_llm::Reviewer>()
            .map_err(|m| invalid(format!("[layers.review.llm] reviewers: {m}")))?;
    }
    if !(c.timeout.is_finite() && c.timeout > 0.0) {
        return Err(invalid(format!(
            "[layers.review] timeout must be a positive number of seconds, got {}",
            c.timeout
        )));
    }
    for id in &c.disable {
        if !crate::all_rules()
            .iter()
            .any(|r| r.id.eq_ignore_ascii_case(id))
        {
            return Err(invalid(format!(
                "[layers.review] disable: unknown rule `{id}` (see `guard rules review`)"
            )));
        }
    }
    let q = &c.quality;
    if q.min_duplicate_lines < 2 {
        return Err(invalid(
            "[layers.review.quality] min_duplicate_lines must be at least 2".into(),
        ));
    }
    if q.max_function_lines == 0 || q.max_params == 0 || q.max_nesting == 0 {
        return Err(invalid(
            "[layers.review.quality] thresholds must be positive".into(),
        ));
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_reviewers_and_keys_are_errors() {
        let bad = LayerConfig::from_toml(
            "review",
            "[layers.review]\nreviewers = [\"bug\", \"style\"]\n",
        );
        let e = load(&bad).expect_err("unknown reviewer");
        assert!(e.to_string().contains("unknown reviewer `style`"), "{e}");
        let typo = LayerConfig::from_toml("review", "[layers.review.quality]\nmax_lines = 3\n");
        assert!(load(&typo).is_err());
        let ok = LayerConfig::from_toml(
            "review",
            "[layers.review]\nreviewers = [\"security\"]\ncontext = 2\n[layers.review.quality]\nmax_params = 3\n",
        );
        let c = load(&ok).expect("valid");
        assert_eq!(c.selected(&[]).expect("ok"), vec!["security"]);
        assert_eq!(c.quality.max_params, 3);
        assert_eq!(c.context, 2);
        assert!(c.selected(&["perf".into()]).is_err());
    }
}
