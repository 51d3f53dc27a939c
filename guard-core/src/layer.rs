//! The trait every layer implements.

use crate::{ConfigError, Context, Finding, LayerInfo};

/// An independent check. Implementations must be cheap to construct; all work
/// happens in [`Layer::run`], which should call [`Context::check`] in long loops.
pub trait Layer: Send + Sync {
    fn id(&self) -> &'static str;

    fn info(&self) -> LayerInfo;

    /// Whether there is anything for this layer in this context; `Err(reason)`
    /// makes the layer `Skipped` with that reason instead of running it.
    fn applies(&self, _ctx: &Context) -> Result<(), String> {
        Ok(())
    }

    /// Parse and validate the layer's `[layers.<id>]` table before anything runs,
    /// so a typo fails fast with file and line.
    fn check_config(&self, _ctx: &Context) -> Result<(), ConfigError> {
        Ok(())
    }

    fn run(&self, ctx: &Context) -> Result<Vec<Finding>, LayerError>;
}

#[derive(Debug, thiserror::Error)]
pub enum LayerError {
    /// A user-supplied input is unreadable or malformed.
    #[error("{path}: {message}")]
    Input { path: String, message: String },
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The deadline passed or the run was cancelled.
    #[error("cancelled: deadline reached")]
    Cancelled,
    #[error("{0}")]
    Other(String),
}

impl LayerError {
    pub fn input(path: impl Into<String>, message: impl Into<String>) -> Self {
        LayerError::Input {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl From<crate::walk::TextError> for LayerError {
    fn from(e: crate::walk::TextError) -> Self {
        LayerError::Other(e.to_string())
    }
}
