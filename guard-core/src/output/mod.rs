//! Report printers. Each writes results only; logs go elsewhere.

mod markdown;
mod sarif;
mod text;

pub use markdown::render_markdown;
pub use sarif::render_sarif;
pub use text::{paint_bold, paint_severity, render_text, TextOptions};

use crate::Report;

/// The report as pretty JSON (`schemas/report.schema.json`), ending in a
/// newline.
pub fn render_json(report: &Report) -> String {
    render_json_from(report, PARALLEL_JSON_FROM)
}

/// Reports with at least this many findings print them on two threads.
const PARALLEL_JSON_FROM: usize = 4096;

fn render_json_from(report: &Report, parallel_from: usize) -> String {
    let findings = &report.findings;
    if findings.len() < parallel_from.max(2) {
        let mut out = pretty(report);
        out.push('\n');
        return out;
    }
    // The findings array is printed in two halves at the depth it has in the
    // report (as the `findings` field of an object), and spliced into the
    // report printed without findings: the bytes are those of one pass.
    let (first, second) = findings.split_at(findings.len() / 2);
    let (first, (second, rest)) = std::thread::scope(|s| {
        let second = s.spawn(|| (entries(second), pretty(&report.without_findings())));
        let first = entries(first);
        match second.join() {
            Ok(second) => (first, second),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    const EMPTY: &str = "\n  \"findings\": []";
    let Some(at) = rest.find(EMPTY) else {
        let mut out = pretty(report);
        out.push('\n');
        return out;
    };
    let mut out = String::with_capacity(rest.len() + first.0.len() + second.0.len() + 16);
    out.push_str(&rest[..at]);
    out.push_str("\n  \"findings\": [\n");
    out.push_str(&first.0[first.1.clone()]);
    out.push_str(",\n");
    out.push_str(&second.0[second.1.clone()]);
    out.push_str("\n  ]");
    out.push_str(&rest[at + EMPTY.len()..]);
    out.push('\n');
    out
}

fn pretty<T: serde::Serialize>(v: &T) -> String {
    // A report of plain data always serialises.
    serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// The entries of a findings array as the report prints them, each at its
/// depth and separated by `,\n`: the returned range of the returned text.
fn entries(findings: &[crate::Finding]) -> (String, std::ops::Range<usize>) {
    #[derive(serde::Serialize)]
    struct Wrap<'a> {
        findings: &'a [crate::Finding],
    }
    const OPEN: &str = "{\n  \"findings\": [\n";
    const CLOSE: &str = "\n  ]\n}";
    let text = pretty(&Wrap { findings });
    let inner = if text.starts_with(OPEN) && text.ends_with(CLOSE) {
        OPEN.len()..text.len() - CLOSE.len()
    } else {
        0..text.len()
    };
    (text, inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Finding, Location, Rule, Severity};

    const RULE: Rule = Rule {
        id: "T-001",
        severity: Severity::High,
        title: "t",
        rationale: "r",
        remediation: "fix",
        tags: &["CWE-20"],
        references: &[],
    };

    /// Printing the findings on two threads gives the bytes of one pass.
    #[test]
    fn findings_printed_in_halves_are_the_one_pass_bytes() {
        for n in [2, 3, 7] {
            let findings = (0..n)
                .map(|i| {
                    Finding::new(&RULE, format!("line one\n\"quoted\" {i}"))
                        .at(Location::line(format!("src/{i}.py"), i + 1))
                        .tag("a")
                })
                .collect();
            let mut report = Report::new(
                "root \n  \"findings\": []".into(),
                Vec::new(),
                findings,
                Vec::new(),
                Default::default(),
                Vec::new(),
                Severity::High,
            );
            let one_pass = render_json_from(&report, usize::MAX);
            assert_eq!(render_json_from(&report, 2), one_pass);
            assert!(one_pass.ends_with("}\n"));
            report.findings.clear();
            assert_eq!(
                render_json_from(&report, 2),
                render_json_from(&report, usize::MAX)
            );
        }
    }
}
