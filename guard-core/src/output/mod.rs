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
    let mut out = Vec::new();
    // Writing to memory does not fail, and serde_json writes UTF-8.
    let _ = write_json(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes [`render_json`]'s text to `out` without building it whole.
pub fn write_json(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    write_json_from(report, out, PARALLEL_JSON_FROM)
}

/// Reports with at least this many findings print them on two threads.
const PARALLEL_JSON_FROM: usize = 4096;

fn write_json_from(
    report: &Report,
    out: &mut dyn std::io::Write,
    parallel_from: usize,
) -> std::io::Result<()> {
    let findings = &report.findings;
    // The findings array is printed in two halves at the depth it has in the
    // report (as the `findings` field of an object), and written between the
    // parts of the report printed without findings: the bytes of one pass.
    const EMPTY: &str = "\n  \"findings\": []";
    let split = (findings.len() >= parallel_from.max(2))
        .then(|| pretty(&report.without_findings()))
        .and_then(|rest| Some((rest.find(EMPTY)?, rest)));
    let Some((at, rest)) = split else {
        out.write_all(pretty(report).as_bytes())?;
        return out.write_all(b"\n");
    };
    let (first, second) = findings.split_at(findings.len() / 2);
    let (first, second) = std::thread::scope(|s| {
        let second = s.spawn(|| entries(second));
        let first = entries(first);
        match second.join() {
            Ok(second) => (first, second),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    for part in [
        &rest[..at],
        "\n  \"findings\": [\n",
        &first.0[first.1],
        ",\n",
        &second.0[second.1],
        "\n  ]",
        &rest[at + EMPTY.len()..],
        "\n",
    ] {
        out.write_all(part.as_bytes())?;
    }
    Ok(())
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
            let json = |report: &Report, from| {
                let mut out = Vec::new();
                write_json_from(report, &mut out, from).expect("write");
                String::from_utf8(out).expect("utf-8")
            };
            let one_pass = json(&report, usize::MAX);
            assert_eq!(json(&report, 2), one_pass);
            assert_eq!(
                one_pass,
                serde_json::to_string_pretty(&report).expect("json") + "\n"
            );
            report.findings.clear();
            assert_eq!(json(&report, 2), json(&report, usize::MAX));
        }
    }
}
