//! Report printers. Each writes results only; logs go elsewhere.

mod markdown;
mod sarif;
mod text;

pub use markdown::render_markdown;
pub use sarif::render_sarif;
pub use text::{paint_bold, paint_severity, render_text, TextOptions};

use crate::Report;

/// The report as pretty JSON (`schemas/report.schema.json`).
pub fn render_json(report: &Report) -> String {
    // A report of plain data always serialises.
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
