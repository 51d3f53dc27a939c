//! `[layers.review.llm]`: which backend, which model, where, and the caps.

use guard_core::Severity;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// The backends guard can ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BackendKind {
    /// `claude -p --output-format json`, prompt on stdin.
    ClaudeCli,
    /// Anthropic Messages API (`x-api-key`).
    Anthropic,
    /// Amazon Bedrock InvokeModel (Anthropic models), SigV4 or a Bedrock API key.
    Bedrock,
    /// Any OpenAI-compatible chat completions endpoint (Ollama, vLLM, ...).
    OpenaiCompatible,
}

impl BackendKind {
    pub const ALL: [BackendKind; 4] = [
        BackendKind::ClaudeCli,
        BackendKind::Anthropic,
        BackendKind::Bedrock,
        BackendKind::OpenaiCompatible,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BackendKind::ClaudeCli => "claude-cli",
            BackendKind::Anthropic => "anthropic",
            BackendKind::Bedrock => "bedrock",
            BackendKind::OpenaiCompatible => "openai-compatible",
        }
    }
}

impl fmt::Display for BackendKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for BackendKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        BackendKind::ALL
            .into_iter()
            .find(|b| b.as_str() == s)
            .ok_or_else(|| {
                format!("unknown LLM backend {s:?}; expected claude-cli, anthropic, bedrock or openai-compatible")
            })
    }
}

/// Price of a model in USD per million tokens.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    pub input_per_mtok: f64,
    pub output_per_mtok: f64,
}

/// Built-in prices (USD per million tokens, list prices checked 2026-12),
/// matched by substring of the model id so Bedrock ids and dated snapshots
/// match too. `prices` in the config adds to and overrides them.
pub const DEFAULT_PRICES: &[(&str, Price)] = &[
    (
        "claude-opus-4-5",
        Price {
            input_per_mtok: 5.0,
            output_per_mtok: 25.0,
        },
    ),
    (
        "claude-opus-4",
        Price {
            input_per_mtok: 15.0,
            output_per_mtok: 75.0,
        },
    ),
    (
        "claude-sonnet-4",
        Price {
            input_per_mtok: 3.0,
            output_per_mtok: 15.0,
        },
    ),
    (
        "claude-3-7-sonnet",
        Price {
            input_per_mtok: 3.0,
            output_per_mtok: 15.0,
        },
    ),
    (
        "claude-haiku-4-5",
        Price {
            input_per_mtok: 1.0,
            output_per_mtok: 5.0,
        },
    ),
    (
        "claude-3-5-haiku",
        Price {
            input_per_mtok: 0.8,
            output_per_mtok: 4.0,
        },
    ),
    (
        "gpt-4o-mini",
        Price {
            input_per_mtok: 0.15,
            output_per_mtok: 0.6,
        },
    ),
    (
        "gpt-4o",
        Price {
            input_per_mtok: 2.5,
            output_per_mtok: 10.0,
        },
    ),
    (
        "gpt-4.1-mini",
        Price {
            input_per_mtok: 0.4,
            output_per_mtok: 1.6,
        },
    ),
    (
        "gpt-4.1",
        Price {
            input_per_mtok: 2.0,
            output_per_mtok: 8.0,
        },
    ),
];

/// The `[layers.review.llm]` table. Every field has a default; the LLM
/// reviewers run only when `backend` is set (here or by `--llm`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LlmConfig {
    /// Off when absent.
    pub backend: Option<BackendKind>,
    /// Model id; required for bedrock and openai-compatible.
    pub model: Option<String>,
    /// Base URL (HTTP backends): `https://api.anthropic.com`,
    /// `https://bedrock-runtime.REGION.amazonaws.com`, `http://127.0.0.1:11434/v1`.
    pub endpoint: Option<String>,
    /// Program run by the claude-cli backend.
    pub binary: Option<String>,
    /// Environment variable holding the API key (anthropic: `ANTHROPIC_API_KEY`,
    /// openai-compatible: `OPENAI_API_KEY`, optional for local servers).
    pub api_key_env: Option<String>,
    /// Bedrock region; else `AWS_REGION`, then `AWS_DEFAULT_REGION`.
    pub region: Option<String>,
    /// Which LLM reviewers run (bug, security, performance, quality).
    pub reviewers: Option<Vec<String>>,
    /// Highest severity an LLM finding may carry: low, medium or high.
    /// Critical is refused: only deterministic checks block a merge.
    pub max_severity: Severity,
    /// Largest diff text (bytes) in one request; bigger changes are split by
    /// file, and a single file over it is left out and listed.
    pub max_diff_bytes: usize,
    /// Largest total of diff text (bytes) sent per reviewer.
    pub max_total_bytes: usize,
    /// Stop sending requests once the estimated spend reaches this (USD).
    /// Absent: [`DEFAULT_MAX_COST_USD`], and a model without a price runs
    /// with its cost shown as unknown. Set: a model without a price is refused.
    pub max_cost_usd: Option<f64>,
    /// `max_tokens` asked of the model per answer.
    pub max_output_tokens: u32,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Per-request timeout, seconds.
    pub timeout_secs: f64,
    /// Retries after the first attempt on 408/429/5xx/529 and transport errors.
    pub max_retries: u32,
    /// First backoff delay, seconds (doubled per retry, with jitter).
    pub backoff_secs: f64,
    /// Longest single wait, seconds (also caps `retry-after`).
    pub max_backoff_secs: f64,
    /// Prices per model id substring, USD per million tokens.
    pub prices: BTreeMap<String, Price>,
    /// Extra arguments for the claude-cli backend.
    pub extra_args: Vec<String>,
}

impl Default for LlmConfig {
    fn default() -> Self {
        LlmConfig {
            backend: None,
            model: None,
            endpoint: None,
            binary: None,
            api_key_env: None,
            region: None,
            reviewers: None,
            max_severity: Severity::Medium,
            max_diff_bytes: 120_000,
            max_total_bytes: 600_000,
            max_cost_usd: None,
            max_output_tokens: 4096,
            concurrency: 2,
            timeout_secs: 180.0,
            max_retries: 2,
            backoff_secs: 1.0,
            max_backoff_secs: 30.0,
            prices: BTreeMap::new(),
            extra_args: Vec::new(),
        }
    }
}

/// The cost cap when `max_cost_usd` is not set, USD per run.
pub const DEFAULT_MAX_COST_USD: f64 = 2.0;

/// A setting guard cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("[layers.review.llm] {0}")]
pub struct ConfigProblem(pub String);

impl LlmConfig {
    /// Checks the values serde cannot: ranges and combinations.
    pub fn check(&self) -> Result<(), ConfigProblem> {
        let bad = |m: String| Err(ConfigProblem(m));
        if self.max_severity == Severity::Critical {
            return bad("max_severity = \"critical\" is not allowed: LLM findings are advisory and never block a merge on their own; use low, medium or high".into());
        }
        if self.concurrency == 0 || self.concurrency > 32 {
            return bad(format!(
                "concurrency = {} must be between 1 and 32",
                self.concurrency
            ));
        }
        if self.max_diff_bytes < 1024 {
            return bad(format!(
                "max_diff_bytes = {} is below 1024",
                self.max_diff_bytes
            ));
        }
        if self.max_total_bytes < self.max_diff_bytes {
            return bad("max_total_bytes must be at least max_diff_bytes".into());
        }
        for (name, v) in [
            ("timeout_secs", self.timeout_secs),
            ("backoff_secs", self.backoff_secs),
            ("max_backoff_secs", self.max_backoff_secs),
            ("max_cost_usd", self.max_cost_usd.unwrap_or(0.0)),
        ] {
            if !v.is_finite() || !(0.0..=86_400.0).contains(&v) {
                return bad(format!("{name} = {v} must be a number between 0 and 86400"));
            }
        }
        if self.timeout_secs <= 0.0 {
            return bad("timeout_secs must be above 0".into());
        }
        if self.max_retries > 10 {
            return bad(format!("max_retries = {} is above 10", self.max_retries));
        }
        if self.max_output_tokens == 0 || self.max_output_tokens > 64_000 {
            return bad(format!(
                "max_output_tokens = {} must be between 1 and 64000",
                self.max_output_tokens
            ));
        }
        for (model, p) in &self.prices {
            if !(p.input_per_mtok.is_finite() && p.output_per_mtok.is_finite())
                || p.input_per_mtok < 0.0
                || p.output_per_mtok < 0.0
            {
                return bad(format!("prices.{model:?} must be non-negative numbers"));
            }
        }
        Ok(())
    }

    /// The cost cap in USD.
    pub fn cost_cap(&self) -> f64 {
        self.max_cost_usd.unwrap_or(DEFAULT_MAX_COST_USD)
    }

    /// The price of `model`: the config's longest matching key, else the
    /// built-in table's.
    pub fn price(&self, model: &str) -> Option<Price> {
        let m = model.to_ascii_lowercase();
        self.prices
            .iter()
            .filter(|(k, _)| m.contains(&k.to_ascii_lowercase()))
            .max_by_key(|(k, _)| k.len())
            .map(|(_, p)| *p)
            .or_else(|| {
                DEFAULT_PRICES
                    .iter()
                    .filter(|(k, _)| m.contains(k))
                    .max_by_key(|(k, _)| k.len())
                    .map(|(_, p)| *p)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_table_and_refuses_unknown_keys() {
        let cfg: LlmConfig = toml::from_str(
            "backend = \"openai-compatible\"\nmodel = \"qwen2.5-coder\"\nmax_cost_usd = 0.5\n[prices.qwen]\ninput_per_mtok = 0.1\noutput_per_mtok = 0.2\n",
        )
        .expect("valid");
        assert_eq!(cfg.backend, Some(BackendKind::OpenaiCompatible));
        assert_eq!(
            cfg.price("qwen2.5-coder").map(|p| p.output_per_mtok),
            Some(0.2)
        );
        cfg.check().expect("checks");
        assert!(toml::from_str::<LlmConfig>("bakend = \"anthropic\"").is_err());
        assert!(toml::from_str::<LlmConfig>("backend = \"gemini\"").is_err());
    }

    #[test]
    fn refuses_critical_cap_and_bad_numbers() {
        let cfg = LlmConfig {
            max_severity: Severity::Critical,
            ..LlmConfig::default()
        };
        assert!(cfg.check().expect_err("critical").0.contains("never block"));
        let cfg = LlmConfig {
            concurrency: 0,
            ..LlmConfig::default()
        };
        assert!(cfg.check().is_err());
        let cfg = LlmConfig {
            timeout_secs: f64::NAN,
            ..LlmConfig::default()
        };
        assert!(cfg.check().is_err());
    }

    #[test]
    fn prices_match_longest_substring() {
        let cfg = LlmConfig::default();
        let opus45 = cfg
            .price("us.anthropic.claude-opus-4-5-20251101-v1:0")
            .expect("known");
        assert_eq!(opus45.input_per_mtok, 5.0);
        let opus4 = cfg.price("claude-opus-4-1-20250805").expect("known");
        assert_eq!(opus4.input_per_mtok, 15.0);
        assert_eq!(
            cfg.price("gpt-4o-mini").map(|p| p.input_per_mtok),
            Some(0.15)
        );
        assert!(cfg.price("llama3").is_none());
        assert!("claude-cli".parse::<BackendKind>().is_ok());
        assert!("claude".parse::<BackendKind>().is_err());
    }
}
