//! An example guard plugin: a company rule set of one rule, "this text must
//! not appear in the repository", with the banned words read from the
//! layer's own guard.toml table:
//!
//! ```toml
//! [layers.hello]
//! words = ["0.0.0.0/0", "TODO(security)"]
//! ```
//!
//! Build it with `cargo build -p guard-plugin-hello` and run it beside the
//! built-in layers with
//! `guard run --plugin target/debug/libguard_plugin_hello.so examples/sample`.
//!
//! The same layer, linked in as an ordinary crate:
//!
//! ```
//! use guard_plugin_hello::guard_core::{Context, Layer};
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::write(dir.path().join("main.tf"), "cidr = \"0.0.0.0/0\"\n").unwrap();
//! let findings = guard_plugin_hello::layer().run(&Context::new(dir.path())).unwrap();
//! assert_eq!(findings[0].rule_id, "PLUGIN-HELLO-001");
//! ```
#![warn(missing_docs)]

/// The guard-core this layer is built against (the doctest above uses it, so
/// the trait and the layer always come from the same build).
pub use guard_core;

use guard_core::{Context, Finding, Layer, LayerError, LayerInfo, Location, Rule, Severity};
use serde::Deserialize;

static RULES: &[Rule] = &[Rule {
    id: "PLUGIN-HELLO-001",
    severity: Severity::Medium,
    title: "Banned text in the repository",
    rationale: "The team bans this text (an open network range, a marker that a security fix is pending) in reviewed code.",
    remediation: "Remove the text, or ask the owners of the rule set for an exception.",
    tags: &["company-policy"],
    references: &[],
}];

/// Words banned when guard.toml sets none.
pub const DEFAULT_WORDS: &[&str] = &["0.0.0.0/0", "TODO(security)"];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    #[serde(default)]
    words: Vec<String>,
}

/// The layer: reports each occurrence of a banned word.
#[derive(Debug, Default, Clone, Copy)]
pub struct Hello;

/// The layer, for embedding.
pub fn layer() -> Hello {
    Hello
}

impl Layer for Hello {
    fn id(&self) -> &'static str {
        "hello"
    }

    fn info(&self) -> LayerInfo {
        LayerInfo {
            id: "hello",
            name: "Hello (example plugin)",
            description: "Bans configured text in the repository (example plugin)",
            rules: RULES,
        }
    }

    fn check_config(&self, ctx: &Context) -> Result<(), guard_core::ConfigError> {
        ctx.config().parse::<Config>().map(|_| ())
    }

    fn run(&self, ctx: &Context) -> Result<Vec<Finding>, LayerError> {
        let cfg: Config = ctx.config().parse()?;
        let words: Vec<String> = if cfg.words.is_empty() {
            DEFAULT_WORDS.iter().map(|w| w.to_string()).collect()
        } else {
            cfg.words
        };
        let mut findings = Vec::new();
        for file in &ctx.files().files {
            ctx.check()?;
            // Unreadable and binary files are reported by the context itself.
            let Ok(text) = ctx.read_text(file) else {
                continue;
            };
            for (n, line) in text.lines().enumerate() {
                for w in words.iter().filter(|w| !w.is_empty()) {
                    if let Some(byte) = line.find(w.as_str()) {
                        let col = line[..byte].chars().count() as u32 + 1;
                        let line_no = n as u32 + 1;
                        findings.push(
                            Finding::new(&RULES[0], format!("`{w}` is banned by the team's rules"))
                                .at(Location::span(
                                    file.rel_path.clone(),
                                    (line_no, col),
                                    (line_no, col + w.chars().count() as u32),
                                )),
                        );
                    }
                }
            }
        }
        Ok(findings)
    }
}

guard_plugin::export_plugin!(Hello);

#[cfg(test)]
mod tests {
    use super::*;
    use guard_core::LayerConfig;

    #[test]
    fn configured_words_replace_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "x 0.0.0.0/0\nhello ACME-SECRET\n").unwrap();
        let ctx = Context::new(dir.path()).with_config(LayerConfig::from_toml(
            "hello",
            "[layers.hello]\nwords = [\"ACME-SECRET\"]\n",
        ));
        let f = Hello.run(&ctx).unwrap();
        assert_eq!(f.len(), 1);
        let loc = f[0].location.as_ref().unwrap();
        assert_eq!((loc.start_line, loc.start_col, loc.end_col), (2, 7, 18));
        let bad = Context::new(dir.path()).with_config(LayerConfig::from_toml(
            "hello",
            "[layers.hello]\nword = [\"x\"]\n",
        ));
        let e = Hello.check_config(&bad).unwrap_err().to_string();
        assert!(e.contains("unknown field"), "{e}");
    }
}
