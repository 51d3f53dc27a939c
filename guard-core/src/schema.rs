//! JSON Schemas of guard's documents, generated from the types.

use schemars::schema_for;
use serde_json::Value;

/// Names accepted by `guard schema NAME`.
pub const SCHEMA_NAMES: &[&str] = &["finding", "report", "config", "baseline"];

/// The schema named `name` (one of [`SCHEMA_NAMES`]).
pub fn schema(name: &str) -> Option<Value> {
    let s = match name {
        "finding" => schema_for!(crate::Finding),
        "report" => schema_for!(crate::Report),
        "config" => schema_for!(crate::config::Config),
        "baseline" => schema_for!(crate::suppress::Baseline),
        _ => return None,
    };
    serde_json::to_value(s).ok()
}

/// Pretty text with a trailing newline, as committed under `schemas/`.
pub fn schema_text(name: &str) -> Option<String> {
    schema(name).and_then(|v| serde_json::to_string_pretty(&v).ok().map(|s| s + "\n"))
}
