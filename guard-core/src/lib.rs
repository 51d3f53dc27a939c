//! The guard contract: one [`Finding`] type, the [`Layer`] trait, the
//! [`Context`] a layer runs in, an isolated runner, config, suppressions and
//! report formats.
//!
//! Embedding one layer in another tool takes a few lines:
//!
//! ```
//! use guard_core::{Context, Finding, Layer, LayerError, LayerInfo, Rule, Severity};
//!
//! static RULES: &[Rule] = &[Rule {
//!     id: "DEMO-001",
//!     severity: Severity::Medium,
//!     title: "Empty file",
//!     rationale: "Empty files are usually mistakes.",
//!     remediation: "Delete it or fill it.",
//!     tags: &[],
//!     references: &[],
//! }];
//!
//! struct EmptyFiles;
//! impl Layer for EmptyFiles {
//!     fn id(&self) -> &'static str { "demo" }
//!     fn info(&self) -> LayerInfo {
//!         LayerInfo { id: "demo", name: "Demo", description: "finds empty files", rules: RULES }
//!     }
//!     fn run(&self, ctx: &Context) -> Result<Vec<Finding>, LayerError> {
//!         Ok(ctx.files().files.iter()
//!             .filter(|f| f.size == 0)
//!             .map(|f| Finding::new(&RULES[0], format!("{} is empty", f.rel_path)))
//!             .collect())
//!     }
//! }
//!
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::write(dir.path().join("empty.txt"), "").unwrap();
//! let findings = EmptyFiles.run(&Context::new(dir.path())).unwrap();
//! assert_eq!(findings[0].rule_id, "DEMO-001");
//! ```
//!
//! To run several layers isolated from each other and get a [`Report`], use
//! [`pipeline::execute`].

#![warn(missing_docs)]

pub mod config;
pub mod context;
pub mod diff;
pub mod finding;
pub mod layer;
pub mod output;
pub mod pipeline;
pub mod report;
pub mod rule;
pub mod runner;
pub mod schema;
pub mod severity;
pub mod suppress;
#[cfg(feature = "test-layers")]
pub mod testing;
pub mod walk;

pub use config::{ConfigError, LayerConfig, LoadedConfig, PluginsConfig, ProcessPluginConfig};
pub use context::{Context, Inputs};
pub use diff::ChangeSet;
pub use finding::{redact, Finding, Location, TraceStep};
pub use layer::{InputKind, Layer, LayerError};
pub use report::{LayerOutcome, LayerRun, PluginRecord, Report};
pub use rule::{LayerInfo, Rule};
pub use runner::{Isolation, RunOptions};
pub use severity::{Confidence, Severity};
