//! Embedding guard's layers in another Rust program: run the infra and owasp
//! layers in this process, each on its own thread with a deadline, over a
//! directory, and print the findings.
//!
//! ```text
//! cargo run --example embed -- examples/sample
//! ```

use guard_core::runner::{run_layers, RunOptions};
use guard_core::{Context, Layer, LayerConfig, LayerOutcome};
use std::sync::Arc;
use std::time::Duration;

fn main() -> std::process::ExitCode {
    let root = std::env::args_os()
        .nth(1)
        .unwrap_or_else(|| "examples/sample".into());
    let layers: Vec<Arc<dyn Layer>> = vec![
        Arc::new(guard_infra::layer()),
        Arc::new(guard_owasp::layer()),
    ];
    let ctx = Context::new(root);
    let options = RunOptions {
        timeout: Duration::from_secs(60),
        ..RunOptions::default()
    };
    // No guard.toml here: every layer runs with its defaults.
    let results = run_layers(
        &layers,
        &ctx,
        &|id| LayerConfig {
            layer: id.to_string(),
            ..LayerConfig::default()
        },
        &options,
        &|_event| {},
    );
    let mut complete = true;
    for r in &results {
        if r.outcome != LayerOutcome::Completed {
            complete = false;
            eprintln!(
                "{}: {} {}",
                r.id,
                r.outcome.label(),
                r.outcome.detail().unwrap_or_default()
            );
        }
        for f in &r.findings {
            let place = match &f.location {
                Some(l) => format!("{}:{}", l.path, l.start_line),
                None => f.resource.clone().unwrap_or_default(),
            };
            println!(
                "{:<8} {:<16} {place}  {}",
                f.severity.as_str(),
                f.rule_id,
                f.message
            );
        }
    }
    if complete {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::from(2)
    }
}
