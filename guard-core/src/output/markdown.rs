use crate::{Report, Severity};
use std::fmt::Write;

/// GitHub caps a comment at 65,536 characters; stay well below.
const MAX_LEN: usize = 60_000;
/// Skipped files listed by name; the rest are counted.
const SKIPPED_SHOWN: usize = 10;

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
    if let Some(c) = &s.change {
        let _ = writeln!(
            out,
            "\nChange under review: {} introduced, {} already present{}.",
            c.introduced,
            c.existing,
            if c.existing_reported || c.existing == 0 {
                ""
            } else {
                " (not listed)"
            }
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
            .map(|d| format!(": {}", escape_text(&d)))
            .unwrap_or_default();
        let suppressed = if l.suppressed > 0 {
            format!(" (+{} suppressed)", l.suppressed)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "| {} | {}{} | {}{} | {:.0} ms |",
            l.id,
            l.outcome.label(),
            detail,
            l.findings,
            suppressed,
            l.duration_ms
        );
    }
    for l in report.layers.iter().filter(|l| !l.parts.is_empty()) {
        let _ = writeln!(
            out,
            "\n**{}** by part\n\n| Part | Outcome | Critical | High | Medium | Low | Info | Time |\n|---|---|---:|---:|---:|---:|---:|---:|",
            escape_text(&l.id)
        );
        for part in &l.parts {
            let mut counts = crate::report::SeverityCounts::default();
            for f in report
                .findings
                .iter()
                .filter(|f| f.layer == l.id && f.part_name() == Some(part.name.as_str()))
            {
                counts.add(f.severity);
            }
            let mut detail = part
                .outcome
                .detail()
                .map(|d| format!(": {}", escape_text(&d)))
                .unwrap_or_default();
            if !part.metrics.is_empty() {
                detail.push_str(&format!(" ({})", escape_text(&part.metrics_text())));
            }
            let _ = writeln!(
                out,
                "| {} | {}{} | {} | {} | {} | {} | {} | {:.0} ms |",
                escape_text(&part.name),
                part.outcome.label(),
                detail,
                counts.critical,
                counts.high,
                counts.medium,
                counts.low,
                counts.info,
                part.duration_ms
            );
        }
    }
    for e in &report.input_errors {
        let _ = writeln!(
            out,
            "\n**Input error** {}: {}",
            code_span(&e.path),
            escape(&e.message)
        );
    }
    if !report.skipped.is_empty() {
        let _ = writeln!(
            out,
            "\n**Skipped** {} file(s), not checked:\n",
            report.skipped.len()
        );
        for sk in report.skipped.iter().take(SKIPPED_SHOWN) {
            let _ = writeln!(out, "- {}: {}", code_span(&sk.path), escape(&sk.reason));
        }
        if report.skipped.len() > SKIPPED_SHOWN {
            let _ = writeln!(
                out,
                "- and {} more (listed in the JSON and SARIF reports)",
                report.skipped.len() - SKIPPED_SHOWN
            );
        }
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
                (Some(l), _) => code_span(&format!("{}:{}", l.path, l.start_line)),
                (None, Some(r)) => code_span(r),
                (None, None) => String::new(),
            };
            let by = f
                .part_name()
                .map(|p| format!(" _({})_", escape_text(p)))
                .unwrap_or_default();
            let mut item = format!(
                "- **{}**{by} {} {}\n  {}\n",
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
    if let Some(inv) = &report.inventory {
        inventory(&mut out, inv);
    }
    if omitted > 0 {
        let _ = writeln!(
            out,
            "\n_{omitted} more finding(s) omitted to fit a comment; see the JSON or SARIF report._"
        );
    }
    out
}

/// Rows of the destination table in a comment; the JSON report has them all.
const INVENTORY_SHOWN: usize = 200;

/// The destinations of a capture as a collapsible table, destinations outside
/// the allowlist first.
fn inventory(out: &mut String, inv: &crate::report::Inventory) {
    let outside = inv
        .destinations
        .iter()
        .filter(|d| d.verdict == "not-allowed")
        .count();
    let mut block = format!(
        "\n<details{}><summary><b>Destinations</b> of {} ({}, {} outside the {} allowlist)</summary>\n\n\
         | Destination | Protocol | Port | Named by | Packets | Flows | First frame | Verdict |\n\
         |---|---|---:|---|---:|---:|---:|---|\n",
        if outside > 0 { " open" } else { "" },
        code_span(&inv.capture),
        inv.destinations.len(),
        outside,
        escape_text(&inv.allowlist)
    );
    let mut order: Vec<_> = inv.destinations.iter().collect();
    order.sort_by_key(|d| (d.verdict != "not-allowed", d.first_frame));
    for d in order.iter().take(INVENTORY_SHOWN) {
        let verdict = match &d.matched {
            Some(m) => format!("{} ({})", d.verdict, escape_text(m)),
            None => d.verdict.clone(),
        };
        let row = format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            escape_text(&d.name),
            d.protocol,
            d.port,
            d.named_by,
            d.packets,
            d.flows,
            d.first_frame,
            verdict
        );
        if out.len() + block.len() + row.len() > MAX_LEN {
            break;
        }
        block.push_str(&row);
    }
    if inv.destinations.len() > INVENTORY_SHOWN {
        block.push_str(&format!(
            "\n_{} more destination(s) in the JSON report._\n",
            inv.destinations.len() - INVENTORY_SHOWN
        ));
    }
    if !inv.dns_names.is_empty() {
        block.push_str(
            "\n| DNS name | Types | Queries | Resolver | Allowed |\n|---|---|---:|---|---|\n",
        );
        for n in inv.dns_names.iter().take(INVENTORY_SHOWN) {
            let row = format!(
                "| {} | {} | {} | {} | {} |\n",
                escape_text(&n.name),
                n.qtypes.join(", "),
                n.queries,
                n.resolver,
                if n.allowed { "yes" } else { "**no**" }
            );
            if out.len() + block.len() + row.len() > MAX_LEN {
                break;
            }
            block.push_str(&row);
        }
    }
    block.push_str("\n</details>\n");
    out.push_str(&block);
}

/// Text that came from scanned input, as inline Markdown: backtick pairs
/// become code spans (as the layers write names: `` `policy` ``), everything
/// else is escaped so it renders as written and cannot open a link, a tag or
/// a table cell.
fn escape(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    // An odd number of parts means the backticks pair up.
    let paired = parts.len() % 2 == 1;
    let mut out = String::with_capacity(s.len() + 8);
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        if i % 2 == 1 && (paired || !last) && !part.is_empty() {
            out.push_str(&code_span(part));
        } else if i % 2 == 1 {
            // An unpaired or empty pair of backticks: literal backticks.
            out.push_str("\\`");
            out.push_str(&escape_text(part));
            if !last {
                out.push_str("\\`");
            }
        } else {
            out.push_str(&escape_text(part));
        }
    }
    out
}

/// Plain text: Markdown punctuation backslash-escaped, HTML as entities, one line.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A CommonMark code span holding `s` exactly: backslashes are literal inside
/// one, so nothing is escaped; the fence is longer than any run of backticks
/// in `s`, and padded when `s` starts or ends with one. Never used in table
/// cells, where a `|` would end the cell even inside a code span.
fn code_span(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') || s.trim().is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_hold_text_exactly() {
        assert_eq!(code_span("a#b/main.tf:3"), "`a#b/main.tf:3`");
        assert_eq!(code_span("we`ird.tf"), "``we`ird.tf``");
        assert_eq!(code_span("`x"), "`` `x ``");
    }

    #[test]
    fn backtick_pairs_become_code_and_the_rest_is_escaped() {
        assert_eq!(
            escape("set `force_destroy` to *false*"),
            "set `force_destroy` to \\*false\\*"
        );
        assert_eq!(escape("odd ` tick"), "odd \\` tick");
        assert_eq!(escape("<b>#1</b>"), "&lt;b&gt;\\#1&lt;/b&gt;");
    }
}
