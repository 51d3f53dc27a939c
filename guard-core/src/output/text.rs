use crate::report::LayerOutcome;
use crate::{Finding, Report, Severity};
use anstyle::{AnsiColor, Effects, Style};
use std::fmt::Write;

/// Skipped files listed by name in text output; the rest are counted.
const SKIPPED_SHOWN: usize = 10;

/// How text reports are written.
#[derive(Debug, Clone, Default)]
pub struct TextOptions {
    /// ANSI colours.
    pub color: bool,
    /// Set when the findings were written to this baseline file: they do not
    /// fail the run, and the verdict says so.
    pub baseline_written: Option<String>,
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

/// `text` in the colour of `severity` when `color` is on (for the listings of
/// `guard rules` and `guard explain`).
pub fn paint_severity(severity: Severity, text: &str, color: bool) -> String {
    Painter { on: color }.paint(severity_style(severity), text)
}

/// `text` in bold when `color` is on.
pub fn paint_bold(text: &str, color: bool) -> String {
    Painter { on: color }.paint(Style::new().effects(Effects::BOLD), text)
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

    if !report.skipped.is_empty() {
        let _ = writeln!(
            out,
            "{} {} file(s) not checked:",
            p.paint(severity_style(Severity::Medium), "skipped:"),
            report.skipped.len()
        );
        for sk in report.skipped.iter().take(SKIPPED_SHOWN) {
            let _ = writeln!(out, "  {}: {}", sk.path, sk.reason);
        }
        if report.skipped.len() > SKIPPED_SHOWN {
            let _ = writeln!(
                out,
                "  ... and {} more (all are listed in --format json and sarif)",
                report.skipped.len() - SKIPPED_SHOWN
            );
        }
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
        let suppressed = if l.suppressed > 0 {
            format!(" (+{} suppressed)", l.suppressed)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  {:<14} {} {:>5} finding(s) {:>9.1} ms{}{}",
            l.id,
            p.paint(style, &format!("{:<10}", l.outcome.label())),
            l.findings,
            l.duration_ms,
            suppressed,
            detail
        );
        for part in &l.parts {
            let style = match part.outcome {
                LayerOutcome::Completed => Style::new().fg_color(Some(AnsiColor::Green.into())),
                LayerOutcome::Skipped { .. } => dim,
                _ => severity_style(Severity::High),
            };
            let mut detail = part
                .outcome
                .detail()
                .map(|d| format!(": {d}"))
                .unwrap_or_default();
            if !part.metrics.is_empty() {
                detail.push_str(&format!(" [{}]", part.metrics_text()));
            }
            let _ = writeln!(
                out,
                "    {:<12} {} {:>5} finding(s) {:>9.1} ms{}",
                part.name,
                p.paint(style, &format!("{:<10}", part.outcome.label())),
                part.findings,
                part.duration_ms,
                detail
            );
        }
    }
    if !report.plugins.is_empty() {
        let _ = writeln!(out, "{}", p.paint(bold, "Plugins"));
        for pl in &report.plugins {
            let what = match (&pl.path, pl.command.is_empty()) {
                (Some(path), true) => path.clone(),
                (Some(path), false) => format!("{} ({path})", pl.command.join(" ")),
                (None, _) => pl.command.join(" "),
            };
            let _ = writeln!(
                out,
                "  {:<14} {:<8} {} sha256:{} from {}",
                pl.id,
                pl.kind,
                what,
                pl.sha256.as_deref().unwrap_or("-"),
                pl.source
            );
        }
    }
    let _ = writeln!(
        out,
        "{}",
        summary_line(report, &p, opts.baseline_written.as_deref())
    );
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
            write_frame(out, loc, snippet, f.severity, p, dim);
        }
    } else {
        // No place in a file: the file it is about (a plan) and what in it.
        let place = match (&f.artifact, &f.resource) {
            (Some(a), Some(r)) if !r.starts_with(a.as_str()) => Some(format!("{a}  ({r})")),
            (_, Some(r)) => Some(r.clone()),
            (Some(a), None) => Some(a.clone()),
            (None, None) => None,
        };
        if let Some(place) = place {
            let _ = writeln!(out, "  {} {}", p.paint(dim, "-->"), place);
        }
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

/// Spans up to this many lines are framed whole; longer ones show their
/// first lines, the marked line with a line each side, and their last line.
const FRAME_LINES: usize = 9;

/// The code frame of a location: line numbers, the span's lines (elided in
/// the middle when long) and `^` marks under the columns of a one-line span
/// or under the line that holds the problem.
fn write_frame(
    out: &mut String,
    loc: &crate::Location,
    snippet: &str,
    severity: Severity,
    p: &Painter,
    dim: Style,
) {
    let lines: Vec<&str> = snippet.lines().collect();
    if lines.is_empty() {
        return;
    }
    let first = loc.start_line as usize;
    let last = first + lines.len() - 1;
    let width = last.to_string().len();
    let focus = loc
        .focus_line
        .map(|l| l as usize)
        .filter(|l| (first..=last).contains(l))
        .map(|l| l - first);
    let mut shown: Vec<usize> = if lines.len() <= FRAME_LINES {
        (0..lines.len()).collect()
    } else {
        let mut keep = vec![0, 1, 2, lines.len() - 1];
        if let Some(f) = focus {
            keep.extend([f.saturating_sub(1), f, (f + 1).min(lines.len() - 1)]);
        }
        keep
    };
    shown.sort_unstable();
    shown.dedup();
    // A gap of one line costs as much as its `...`: show the line instead.
    let gaps: Vec<usize> = shown
        .windows(2)
        .filter(|w| w[1] == w[0] + 2)
        .map(|w| w[0] + 1)
        .collect();
    shown.extend(gaps);
    shown.sort_unstable();
    let marks = |out: &mut String, pad: usize, n: usize| {
        let _ = writeln!(
            out,
            "  {:>width$} {} {}{}",
            "",
            p.paint(dim, "|"),
            " ".repeat(pad),
            p.paint(severity_style(severity), &"^".repeat(n.max(1)))
        );
    };
    let _ = writeln!(out, "  {:>width$} {}", "", p.paint(dim, "|"));
    let mut prev: Option<usize> = None;
    for i in shown {
        if prev.is_some_and(|q| i > q + 1) {
            let _ = writeln!(out, "  {:>width$} {}", "", p.paint(dim, "..."));
        }
        prev = Some(i);
        let line = lines[i];
        let _ = writeln!(
            out,
            "  {} {} {}",
            p.paint(dim, &format!("{:>width$}", first + i)),
            p.paint(dim, "|"),
            line
        );
        if i == 0 && loc.end_line == loc.start_line && loc.end_col > loc.start_col {
            marks(
                out,
                loc.start_col.saturating_sub(1) as usize,
                (loc.end_col - loc.start_col) as usize,
            );
        } else if Some(i) == focus {
            let pad = line.chars().take_while(|c| c.is_whitespace()).count();
            marks(out, pad, line.trim().chars().count());
        }
    }
}

fn summary_line(report: &Report, p: &Painter, baseline: Option<&str>) -> String {
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
    if let Some(c) = &s.change {
        line.push_str(&format!(
            "; change: {} introduced, {} already present{}",
            c.introduced,
            c.existing,
            if c.existing_reported || c.existing == 0 {
                ""
            } else {
                " (not shown; --include-existing shows them)"
            }
        ));
    }
    let failed_layers = report
        .layers
        .iter()
        .filter(|l| l.outcome.is_failure())
        .count();
    let failed_parts: Vec<String> = report
        .layers
        .iter()
        .flat_map(|l| {
            l.parts
                .iter()
                .filter(|p| p.outcome.is_failure())
                .map(move |p| format!("{}/{}", l.id, p.name))
        })
        .collect();
    let verdict = match s.exit_code {
        1 if baseline.is_some() => p.paint(
            Style::new().fg_color(Some(AnsiColor::Green.into())),
            &format!(
                "baseline written to {}: these findings no longer fail runs given --baseline",
                baseline.unwrap_or_default()
            ),
        ),
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
        _ if failed_layers == 0 && !failed_parts.is_empty() => p.paint(
            severity_style(Severity::High),
            &format!("ERROR: {} did not complete", failed_parts.join(", ")),
        ),
        _ => p.paint(
            severity_style(Severity::High),
            &format!("ERROR: {failed_layers} layer(s) did not complete"),
        ),
    };
    format!("{line}. {verdict}")
}
