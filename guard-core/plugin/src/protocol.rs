//! The JSON both kinds of plugin speak: a [`Request`] in, a [`Response`] out.
//!
//! A dynamic plugin receives the request bytes through `guard_plugin_call`; a
//! process plugin reads them on stdin (one JSON document, then end of file)
//! and writes one response on stdout. The same documents serve both, so a
//! plugin in any language can be tested with the same corpus.
//!
//! ```
//! use guard_plugin::protocol::{Request, Response};
//! let req: Request = serde_json::from_str(r#"{"action":"describe","abi_version":1}"#).unwrap();
//! assert!(matches!(req, Request::Describe { abi_version: 1 }));
//! let resp: Response = serde_json::from_str(
//!     r#"{"status":"error","kind":"failed","message":"no config"}"#).unwrap();
//! assert!(matches!(resp, Response::Error { .. }));
//! ```

use guard_core::diff::ChangeSet;
use guard_core::walk::{InputError, SkippedFile, WalkOptions};
use guard_core::{Finding, Inputs, LayerConfig, LayerInfo, Severity};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Version of the C ABI and of the JSON documents. A plugin built for another
/// version is refused before anything else is called.
pub const ABI_VERSION: u32 = 1;

/// Largest response a host accepts from a plugin, in bytes.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// What the host asks.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Request {
    /// Answer [`Response::Info`]: the layer's id, name and rule catalogue.
    Describe {
        /// The host's [`ABI_VERSION`].
        abi_version: u32,
    },
    /// Run the layer and answer [`Response::Findings`] or [`Response::Error`].
    Run(Box<RunRequest>),
}

/// The context a plugin runs in.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunRequest {
    /// The host's [`ABI_VERSION`].
    pub abi_version: u32,
    /// The scanned root (absolute or relative to the plugin's working
    /// directory, which is the host's).
    pub root: PathBuf,
    /// The change under review, if any.
    #[serde(default)]
    pub change: Option<ChangeSet>,
    /// Inputs named on the command line, by kind.
    #[serde(default)]
    pub inputs: Inputs,
    /// Excludes and size limit of the file walk.
    #[serde(default)]
    pub walk: WalkOptions,
    /// The layer's `[layers.<id>]` table as guard.toml text (for Rust plugins:
    /// parse it with [`LayerConfig::parse`] and get errors with file and line).
    #[serde(default)]
    pub config: LayerConfig,
    /// The same table as JSON (`{}` when absent), for plugins in other languages.
    #[serde(default)]
    pub config_table: serde_json::Value,
    /// Milliseconds left before the deadline; past it the plugin is killed.
    pub timeout_ms: u64,
    /// Files of the shared walk relative to `root` (sent to process plugins so
    /// that they honour the same excludes; dynamic plugins walk themselves).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<String>>,
}

/// What a plugin answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Response {
    /// Answer to [`Request::Describe`].
    Info(PluginInfo),
    /// Answer to [`Request::Run`].
    Findings {
        /// The findings; each `rule_id` must be one of the declared rules.
        findings: Vec<Finding>,
        /// Files the plugin could not read.
        #[serde(default)]
        input_errors: Vec<InputError>,
        /// Files the plugin passed over, with the reason.
        #[serde(default)]
        skipped: Vec<SkippedFile>,
    },
    /// The request could not be served.
    Error {
        /// What kind of failure.
        kind: ErrorKind,
        /// For people.
        message: String,
    },
}

/// Why a plugin could not answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The layer returned an error (bad config, unreadable input).
    Failed,
    /// The layer panicked; the panic was caught at the boundary.
    Panicked,
    /// The deadline passed.
    Cancelled,
    /// The request was not understood (wrong version, bad JSON).
    BadRequest,
}

/// A plugin's description of itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PluginInfo {
    /// The [`ABI_VERSION`] the plugin was built for.
    pub abi_version: u32,
    /// Layer id: lower-case letters, digits and `-`; must not be a built-in layer's.
    pub id: String,
    /// Human name.
    pub name: String,
    /// One line.
    pub description: String,
    /// Every rule id must start with this; default `PLUGIN-<ID>-` (id upper-cased).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_prefix: Option<String>,
    /// The rule catalogue.
    pub rules: Vec<RuleInfo>,
}

/// One rule of a plugin's catalogue (an owned [`guard_core::Rule`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RuleInfo {
    /// Stable id, starting with the plugin's rule prefix.
    pub id: String,
    /// Default severity.
    pub severity: Severity,
    /// One line: what is wrong.
    pub title: String,
    /// Why it matters.
    #[serde(default)]
    pub rationale: String,
    /// What to do instead.
    #[serde(default)]
    pub remediation: String,
    /// Taxonomy tags (`CWE-798`, ...).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Documentation links.
    #[serde(default)]
    pub references: Vec<String>,
}

impl PluginInfo {
    /// The description of a compiled layer.
    pub fn from_layer_info(info: &LayerInfo) -> PluginInfo {
        PluginInfo {
            abi_version: ABI_VERSION,
            id: info.id.to_string(),
            name: info.name.to_string(),
            description: info.description.to_string(),
            rule_prefix: None,
            rules: info
                .rules
                .iter()
                .map(|r| RuleInfo {
                    id: r.id.to_string(),
                    severity: r.severity,
                    title: r.title.to_string(),
                    rationale: r.rationale.to_string(),
                    remediation: r.remediation.to_string(),
                    tags: r.tags.iter().map(|t| t.to_string()).collect(),
                    references: r.references.iter().map(|t| t.to_string()).collect(),
                })
                .collect(),
        }
    }

    /// The prefix every rule id must start with.
    pub fn effective_rule_prefix(&self) -> String {
        self.rule_prefix
            .clone()
            .unwrap_or_else(|| format!("PLUGIN-{}-", self.id.to_ascii_uppercase()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_request_round_trips() {
        let req = Request::Run(Box::new(RunRequest {
            abi_version: ABI_VERSION,
            root: PathBuf::from("/src"),
            change: None,
            inputs: Inputs::new(),
            walk: WalkOptions::default(),
            config: LayerConfig::default(),
            config_table: serde_json::json!({"level": 2}),
            timeout_ms: 1000,
            files: Some(vec!["a.py".into()]),
        }));
        let text = serde_json::to_string(&req).unwrap();
        assert!(
            text.starts_with(r#"{"action":"run","abi_version":1"#),
            "{text}"
        );
        let back: Request = serde_json::from_str(&text).unwrap();
        let Request::Run(run) = back else {
            panic!("not a run request")
        };
        assert_eq!(run.config_table["level"], 2);
        assert_eq!(run.files.as_deref(), Some(&["a.py".to_string()][..]));
    }

    #[test]
    fn default_prefix_is_upper_cased_id() {
        let info = PluginInfo {
            abi_version: 1,
            id: "acme-cloud".into(),
            name: "Acme".into(),
            description: String::new(),
            rule_prefix: None,
            rules: vec![],
        };
        assert_eq!(info.effective_rule_prefix(), "PLUGIN-ACME-CLOUD-");
    }
}
