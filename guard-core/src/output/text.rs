use crate::report::LayerOutcome;
use crate::{Finding, Report, Severity};
use anstyle::{AnsiColor, Effects, Style};
use std::fmt::Write;

#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    pub color: bool,
}

struct Painter {
    on: bool,
}

impl Painter {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.on {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }
}

fn severity_style(s: Severity) -> Style {
    let c = match s {
        Severity::Critical => AnsiColor::Magenta,
        Severity::High => AnsiColor::Red,
        Severity::Medium => AnsiColor::Yellow,
        Severity::Low => AnsiColor::Blue,
        Severity::Info => AnsiColor::Cyan,
    };
    Style::new().fg_color(Some(c.into())).effects(Effects::BOLD)
}

/// Findings grouped by severity with code frames, then layers, then a summary.
pub fn render_text(report: &Report, opts: TextOptions) -> String {
    let p = Painter { on: opts.color };
    let bold = Style::new().effects(Effects::BOLD);
    let dim = Style::new().effects(Effects::DIMMED);
    let mut out = String::new();

    for sev in Severity::ALL {
        let group: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.severity == sev)
            .collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "{}",
            p.paint(
                severity_style(sev),
                &format!("── {} ({}) ──", sev.as_str().to_uppercase(), group.len())
            )
        );
        for f in group {
            write_finding(&mut out, f, &p, bold, dim);
        }
    }

    for e in &report.input_errors {
        let _ = writeln!(
            out,
            "{} {}: {}",
            p.paint(severity_style(Severity::High), "input error:"),
            e.path,
            e.message
        );
    }

    let _ = writeln!(out, "{}", p.paint(bold, "Layers"));
    for l in &report.layers {
        let style = match l.outcome {
            LayerOutcome::Completed => Style::new().fg_color(Some(AnsiColor::Green.into())),
            LayerOutcome::Skipped { .. } => dim,
            _ => severity_style(Severity::High),
        };
        let detail = l
            .outcome
            .detail()
            .map(|d| format!(": {d}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {:<14} {} {:>5} finding(s) {:>9.1} ms{}",
            l.id,
            p.paint(style, &format!("{:<10}", l.outcome.label())),
            l.findings,
            l.duration_ms,
            detail
        );
    }
    let _ = writeln!(out, "{}", summary_line(report, &p));
    out
}

fn write_finding(out: &mut String, f: &Finding, p: &Painter, bold: Style, dim: Style) {
    let _ = writeln!(
        out,
        "{} {} {}",
        p.paint(
            severity_style(f.severity),
            &format!("{:<8}", f.severity.as_str().to_uppercase())
        ),
        p.paint(bold, &f.rule_id),
        f.title
    );
    if let Some(loc) = &f.location {
        let res = f
            .resource
            .as_ref()
            .map(|r| format!("  ({r})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} {}:{}:{}{}",
            p.paint(dim, "-->"),
            loc.path,
            loc.start_line,
            loc.start_col,
            res
        );
        if let Some(snippet) = &loc.snippet {
            let width = (loc.start_line as usize + snippet.lines().count())
                .to_string()
                .len();
            let _ = writeln!(out, "  {:>width$} {}", "", p.paint(dim, "|"));
            for (i, line) in snippet.lines().enumerate() {
                let n = loc.start_line as usize + i;
                let _ = writeln!(
                    out,
                    "  {} {} {}",
                    p.paint(dim, &format!("{n:>width$}")),
                    p.paint(dim, "|"),
                    line
                );
                if i == 0 && loc.end_line == loc.start_line && loc.end_col > loc.start_col {
                    let pad = " ".repeat(loc.start_col.saturating_sub(1) as usize);
                    let marks = "^".repeat((loc.end_col - loc.start_col) as usize);
                    let _ = writeln!(
                        out,
                        "  {:>width$} {} {pad}{}",
                        "",
                        p.paint(dim, "|"),
                        p.paint(severity_style(f.severity), &marks)
                    );
                }
            }
        }
    } else if let Some(r) = &f.resource {
        let _ = writeln!(out, "  {} {}", p.paint(dim, "-->"), r);
    }
    let _ = writeln!(out, "  {} {}", p.paint(dim, "="), f.message);
    for (i, step) in f.trace.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {} {}. {}:{}:{} {}",
            p.paint(dim, "|"),
            i + 1,
            step.location.path,
            step.location.start_line,
            step.location.start_col,
            step.message
        );
    }
    if let Some(e) = &f.evidence {
        let _ = writeln!(out, "  {} evidence: {e}", p.paint(dim, "="));
    }
    if let Some(r) = &f.remediation {
        let _ = writeln!(out, "  {} fix: {r}", p.paint(dim, "="));
    }
    let _ = writeln!(out);
}

fn summary_line(report: &Report, p: &Painter) -> String {
    let s = &report.summary;
    let mut parts = Vec::new();
    for sev in Severity::ALL {
        let n = s.by_severity.get(sev);
        if n > 0 {
            parts.push(format!("{n} {}", sev.as_str()));
        }
    }
    let counts = if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    };
    let mut line = format!("{} finding(s){counts}", s.total);
    if s.suppressed.total() > 0 {
        line.push_str(&format!(
            "; {} suppressed ({} inline, {} config, {} baseline)",
            s.suppressed.total(),
            s.suppressed.inline,
            s.suppressed.config,
            s.suppressed.baseline
        ));
    }
    if s.skipped_files > 0 {
        line.push_str(&format!("; {} file(s) skipped", s.skipped_files));
    }
    let failed_layers = report
        .layers
        .iter()
        .filter(|l| l.outcome.is_failure())
        .count();
    let verdict = match s.exit_code {
        0 => p.paint(
            Style::new().fg_color(Some(AnsiColor::Green.into())),
            &format!("pass (fail-on {})", s.fail_on),
        ),
        1 => p.paint(
            severity_style(Severity::High),
            &format!("FAIL: findings at or above {}", s.fail_on),
        ),
        _ if report.nothing_ran() => p.paint(
            severity_style(Severity::High),
            "ERROR: no layer could run on this target",
        ),
        _ if !report.input_errors.is_empty() => p.paint(
            severity_style(Severity::High),
            &format!("ERROR: {} input error(s)", report.input_errors.len()),
        ),
        _ => p.paint(
            severity_style(Severity::High),
            &format!("ERROR: {failed_layers} layer(s) did not complete"),
        ),
    };
    format!("{line}. {verdict}")
}
