use crate::{Report, Severity};
use std::fmt::Write;

/// GitHub caps a comment at 65,536 characters; stay well below.
const MAX_LEN: usize = 60_000;

/// A PR comment: verdict, severity table, layer table, collapsible details.
pub fn render_markdown(report: &Report) -> String {
    let s = &report.summary;
    let mut out = String::new();
    let verdict = match s.exit_code {
        0 => "✅ **guard: pass**".to_string(),
        1 => format!("❌ **guard: findings at or above `{}`**", s.fail_on),
        _ => "⚠️ **guard: incomplete run** (a layer or input failed)".to_string(),
    };
    let _ = writeln!(out, "{verdict}\n");
    let _ = writeln!(out, "| Severity | Findings |\n|---|---:|");
    for sev in Severity::ALL {
        let _ = writeln!(out, "| {} | {} |", sev.as_str(), s.by_severity.get(sev));
    }
    if s.suppressed.total() > 0 {
        let _ = writeln!(
            out,
            "\n{} suppressed ({} inline, {} config, {} baseline).",
            s.suppressed.total(),
            s.suppressed.inline,
            s.suppressed.config,
            s.suppressed.baseline
        );
    }
    let _ = writeln!(
        out,
        "\n| Layer | Outcome | Findings | Time |\n|---|---|---:|---:|"
    );
    for l in &report.layers {
        let detail = l
            .outcome
            .detail()
            .map(|d| format!(": {}", escape(&d)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {}{} | {} | {:.0} ms |",
            l.id,
            l.outcome.label(),
            detail,
            l.findings,
            l.duration_ms
        );
    }
    for e in &report.input_errors {
        let _ = writeln!(
            out,
            "\n**Input error** `{}`: {}",
            escape(&e.path),
            escape(&e.message)
        );
    }
    let mut omitted = 0;
    for sev in Severity::ALL {
        let group: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.severity == sev)
            .collect();
        if group.is_empty() {
            continue;
        }
        let open = if sev >= Severity::High { " open" } else { "" };
        let mut block = format!(
            "\n<details{open}><summary><b>{}</b> ({})</summary>\n\n",
            sev.as_str().to_uppercase(),
            group.len()
        );
        for f in group {
            let place = match (&f.location, &f.resource) {
                (Some(l), _) => format!("`{}:{}`", escape(&l.path), l.start_line),
                (None, Some(r)) => format!("`{}`", escape(r)),
                (None, None) => String::new(),
            };
            let mut item = format!(
                "- **{}** {} {}\n  {}\n",
                f.rule_id,
                escape(&f.title),
                place,
                escape(&f.message)
            );
            if let Some(r) = &f.remediation {
                item.push_str(&format!("  *Fix:* {}\n", escape(r)));
            }
            if out.len() + block.len() + item.len() > MAX_LEN {
                omitted += 1;
                continue;
            }
            block.push_str(&item);
        }
        block.push_str("\n</details>\n");
        out.push_str(&block);
    }
    if omitted > 0 {
        let _ = writeln!(
            out,
            "\n_{omitted} more finding(s) omitted to fit a comment; see the JSON or SARIF report._"
        );
    }
    out
}

/// Neutralise Markdown and HTML in text that came from scanned input.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '|' => out.push_str("\\|"),
            '`' => out.push('\''),
            '\n' | '\r' => out.push(' '),
            '*' | '_' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}
