//! Layer 4, owasp: OWASP Top 10 weaknesses in source code.
//!
//! [`engine`] is the reusable part (parsing, per-function IR, constant and
//! taint interpretation) that other layers call; [`rules`] is the rule
//! table, [`checks`] the configuration rules over the engine's call events,
//! [`secrets`] the secret detectors (provider formats with offline checksums,
//! high-entropy values under secret-looking names) and the git-history scan,
//! and [`OwaspLayer`] walks the tree and turns both into findings.

pub mod checks;
pub mod config;
pub mod engine;
pub mod fix;
pub mod rules;
pub mod scan;
pub mod secrets;

use guard_core::{Context, Finding, Layer, LayerError, LayerInfo};

pub use config::OwaspConfig;

pub const LAYER_ID: &str = "owasp";

/// The owasp layer.
#[derive(Debug, Default, Clone, Copy)]
///
/// ```
/// use guard_core::{Context, Layer};
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(
///     dir.path().join("app.py"),
///     "import subprocess\nfrom flask import request\n\ndef ping():\n    host = request.args.get('h')\n    subprocess.run(f'ping {host}', shell=True)\n",
/// ).unwrap();
/// let findings = guard_owasp::layer().run(&Context::new(dir.path())).unwrap();
/// assert!(findings.iter().any(|f| f.rule_id == "OWASP-CMDI-001"));
/// ```
pub struct OwaspLayer;

/// The layer, for `guard run` and for embedding.
pub fn layer() -> OwaspLayer {
    OwaspLayer
}

impl Layer for OwaspLayer {
    fn id(&self) -> &'static str {
        LAYER_ID
    }

    fn info(&self) -> LayerInfo {
        LayerInfo {
            id: LAYER_ID,
            name: "OWASP Top 10",
            description: "Data-flow analysis of Python, JavaScript/TypeScript, Go and Java source for injection, XSS, SSRF, deserialisation, weak crypto and insecure configuration; hard-coded secrets in every text file (and, with --history, the git history)",
            rules: rules::all(),
        }
    }

    fn check_config(&self, ctx: &Context) -> Result<(), guard_core::ConfigError> {
        config::load(ctx.config()).map(|_| ())
    }

    fn run(&self, ctx: &Context) -> Result<Vec<Finding>, LayerError> {
        let cfg = config::load(ctx.config())?;
        // Asked before the walk, so a bad --max-commits fails fast.
        let history = scan::history_request(ctx, &cfg)?;
        let mut findings = scan::scan(ctx, &cfg)?;
        if let Some(max_commits) = history {
            scan::scan_history(ctx, &cfg, max_commits, &mut findings)?;
        }
        Ok(findings)
    }
}
