//! The trait every layer implements.

use crate::{ConfigError, Context, Finding, LayerInfo};

/// An independent check. Implementations must be cheap to construct; all work
/// happens in [`Layer::run`], which should call [`Context::check`] in long loops.
pub trait Layer: Send + Sync {
    /// Stable layer id (`infra`, `owasp`, ...), used in `--layer` and `[layers.<id>]`.
    fn id(&self) -> &'static str;

    /// Name, description and rule catalogue.
    fn info(&self) -> LayerInfo;

    /// Whether there is anything for this layer in this context; `Err(reason)`
    /// makes the layer `Skipped` with that reason instead of running it.
    fn applies(&self, _ctx: &Context) -> Result<(), String> {
        Ok(())
    }

    /// The `--input KIND=PATH` kinds this layer reads.
    fn input_kinds(&self) -> &'static [InputKind] {
        &[]
    }

    /// Parse and validate the layer's `[layers.<id>]` table before anything runs,
    /// so a typo fails fast with file and line.
    fn check_config(&self, _ctx: &Context) -> Result<(), ConfigError> {
        Ok(())
    }

    /// Run the layer: its findings, or why it could not run.
    fn run(&self, ctx: &Context) -> Result<Vec<Finding>, LayerError>;

    /// Whether this layer may run only in a worker process, whatever the
    /// run's isolation (dynamic plugins: loading a library runs its code).
    /// Such a worker gets an environment without credentials.
    fn requires_process(&self) -> bool {
        false
    }

    /// Arguments a worker process needs, before the layer id, to build this
    /// layer (a plugin's location and digest). Empty for compiled-in layers.
    fn worker_args(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Why a layer could not finish.
#[derive(Debug, thiserror::Error)]
pub enum LayerError {
    /// A user-supplied input is unreadable or malformed.
    #[error("{path}: {message}")]
    Input {
        /// The file (relative to the root when under it).
        path: String,
        /// What went wrong.
        message: String,
    },
    /// The layer's config table is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The deadline passed or the run was cancelled.
    #[error("cancelled: deadline reached")]
    Cancelled,
    /// Anything else, with its message.
    #[error("{0}")]
    Other(String),
}

impl LayerError {
    /// An [`LayerError::Input`] for `path`.
    pub fn input(path: impl Into<String>, message: impl Into<String>) -> Self {
        LayerError::Input {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// A kind of input a layer reads from `--input KIND=PATH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputKind {
    /// The `KIND` of `--input KIND=PATH`.
    pub kind: &'static str,
    /// One line for `guard run --help`.
    pub help: &'static str,
}

/// Every layer the project announces. Those not compiled into a build are
/// answered "not in this build" rather than "unknown".
pub const ANNOUNCED_LAYERS: &[&str] = &[
    "agent-policy",
    "stride",
    "review",
    "owasp",
    "infra",
    "network",
];

/// Announced layers that are not among `registered`.
pub fn missing_layers(registered: &[&str]) -> Vec<&'static str> {
    ANNOUNCED_LAYERS
        .iter()
        .copied()
        .filter(|id| !registered.contains(id))
        .collect()
}

/// Why `id` names no layer of this build: an announced layer this build lacks,
/// or an unknown name (with the known ones).
pub fn unknown_layer_message(id: &str, registered: &[&str]) -> String {
    let known = if registered.is_empty() {
        "none are compiled into this build".to_string()
    } else {
        registered.join(", ")
    };
    if missing_layers(registered).contains(&id) {
        format!("layer `{id}` is not in this build (this build has: {known})")
    } else {
        format!("unknown layer `{id}` (known: {known})")
    }
}

impl From<crate::walk::TextError> for LayerError {
    fn from(e: crate::walk::TextError) -> Self {
        LayerError::Other(e.to_string())
    }
}
