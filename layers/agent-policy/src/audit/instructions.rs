//! Audit of agent instruction files: CLAUDE.md, .claude/CLAUDE.md, CLAUDE.local.md.

use super::rules::{DAMAGED_MARKERS, MISSING_CRITICAL, NO_INSTRUCTIONS, STALE_BLOCK, VAGUE_RULE};
use crate::catalogue::{self, Decision};
use crate::config::EffectiveRule;
use crate::init::claude_md::{self, MarkerError};
use guard_core::{Finding, Location, Rule, Severity};

/// The files Claude Code loads as project memory, in the order it reads them.
pub const INSTRUCTION_FILES: &[&str] = &["CLAUDE.md", ".claude/CLAUDE.md", "CLAUDE.local.md"];

/// Phrases that set a tone but name no command. Matched in lower case on one
/// line of prose; a line that also names a command or holds inline code is
/// taken as concrete.
const VAGUE: &[&str] = &[
    "be careful",
    "careful with",
    "be cautious",
    "use caution",
    "with caution",
    "dangerous command",
    "dangerous operation",
    "dangerous action",
    "anything dangerous",
    "destructive command",
    "destructive operation",
    "destructive action",
    "anything destructive",
    "risky command",
    "risky operation",
    "anything risky",
    "don't break",
    "do not break",
    "try not to",
    "use common sense",
    "use your judgment",
    "use your judgement",
    "use good judgment",
    "think twice",
    "be safe",
    "sensitive operations",
];

/// One loaded instruction file.
pub struct Instructions<'a> {
    pub path: &'a str,
    pub text: &'a str,
}

/// Words that name a command the catalogue knows (`rm`, `git`, `terraform`, ...).
fn command_words(rules: &[EffectiveRule]) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for r in rules {
        for s in &r.settings {
            if let Some(inner) = s.strip_prefix("Bash(").and_then(|s| s.strip_suffix(')')) {
                if let Some(w) = inner.split_whitespace().next() {
                    let w = w.trim_end_matches('*').to_ascii_lowercase();
                    if w.len() > 1 && !w.contains('=') && !words.contains(&w) {
                        words.push(w);
                    }
                }
            }
        }
    }
    words
}

fn in_fences(text: &str) -> Vec<bool> {
    let mut out = Vec::new();
    let mut open: Option<&str> = None;
    for line in text.lines() {
        let t = line.trim_start();
        let fence = ["```", "~~~"].into_iter().find(|f| t.starts_with(f));
        match (open, fence) {
            (None, Some(f)) => {
                open = Some(f);
                out.push(true);
            }
            (Some(o), Some(f)) if o == f => {
                open = None;
                out.push(true);
            }
            (o, _) => out.push(o.is_some()),
        }
    }
    out
}

fn names_a_command(line: &str, words: &[String]) -> bool {
    if line.contains('`') {
        return true;
    }
    line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
        .any(|w| words.iter().any(|c| c.eq_ignore_ascii_case(w)))
}

fn line_location(path: &str, lineno: usize, line: &str) -> Location {
    let width = u32::try_from(line.chars().count() + 1).unwrap_or(u32::MAX);
    let n = u32::try_from(lineno).unwrap_or(u32::MAX);
    Location::span(path, (n, 1), (n, width))
}

/// Vague lines outside the guard block and outside code.
fn vague_lines(
    file: &Instructions<'_>,
    words: &[String],
    block: Option<(usize, usize)>,
) -> Vec<Finding> {
    let fences = in_fences(file.text);
    let mut out = Vec::new();
    for (i, line) in file.text.lines().enumerate() {
        let lineno = i + 1;
        if fences.get(i).copied().unwrap_or(false)
            || block.is_some_and(|(b, e)| lineno >= b && lineno <= e)
        {
            continue;
        }
        let lower = line.to_lowercase();
        let Some(phrase) = VAGUE.iter().find(|p| lower.contains(*p)) else {
            continue;
        };
        if names_a_command(line, words) {
            continue;
        }
        out.push(
            Finding::new(
                &VAGUE_RULE,
                format!(
                    "\"{phrase}\" names no command: the agent cannot tell what is forbidden and nothing enforces it"
                ),
            )
            .at(line_location(file.path, lineno, line)),
        );
    }
    out
}

/// Inline code spans of an instruction sentence, lower-cased: the command
/// phrases whose mention counts as covering the rule.
fn phrases(rule: &EffectiveRule) -> Vec<String> {
    let spans: Vec<String> = rule
        .instruction
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|s| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        })
        .filter(|s| s.len() > 1)
        .collect();
    if !spans.is_empty() {
        return spans;
    }
    rule.settings
        .iter()
        .filter_map(|s| s.strip_prefix("Bash(").and_then(|s| s.strip_suffix(')')))
        .map(|s| s.split('*').next().unwrap_or("").trim().to_lowercase())
        .filter(|s| s.len() > 1)
        .collect()
}

fn is_critical(rule: &EffectiveRule) -> bool {
    if rule.decision != Decision::Deny {
        return false;
    }
    if rule.custom {
        return true;
    }
    catalogue::find(&rule.id).is_some_and(|c| c.rule.severity == Severity::Critical)
}

/// Findings for the instruction files that exist (`files` may be empty).
pub fn audit(files: &[Instructions<'_>], rules: &[EffectiveRule], infra: &[&Rule]) -> Vec<Finding> {
    let Some(first) = files.first() else {
        return vec![Finding::new(
            &NO_INSTRUCTIONS,
            "no CLAUDE.md, .claude/CLAUDE.md or CLAUDE.local.md: the agent is told no project rules",
        )
        .resource("CLAUDE.md")
        .artifact("CLAUDE.md")];
    };
    let words = command_words(rules);
    let mut out = Vec::new();
    let mut has_block = false;
    for file in files {
        let block = match claude_md::find_block(file.text) {
            Ok(b) => b,
            Err(e) => {
                let line = match e {
                    MarkerError::Unclosed { begin } => begin,
                    MarkerError::Stray { end } => end,
                    MarkerError::Duplicate { second, .. } => second,
                    MarkerError::UnclosedFence { line } => line,
                };
                let text = file.text.lines().nth(line.saturating_sub(1)).unwrap_or("");
                out.push(
                    Finding::new(&DAMAGED_MARKERS, e.to_string())
                        .at(line_location(file.path, line, text)),
                );
                // A damaged block still carries guard's rules; do not also call them missing.
                has_block = true;
                None
            }
        };
        if let Some(b) = block {
            has_block = true;
            let current = file.text[b.start..b.end].replace("\r\n", "\n");
            let wanted = claude_md::render_block(rules, infra);
            if current != wanted {
                let text = file.text.lines().nth(b.begin_line - 1).unwrap_or("");
                out.push(
                    Finding::new(
                        &STALE_BLOCK,
                        "the guard block differs from the rules guard.toml and the catalogue give now",
                    )
                    .at(line_location(file.path, b.begin_line, text)),
                );
            }
        }
        out.extend(vague_lines(
            file,
            &words,
            block.map(|b| (b.begin_line, b.end_line)),
        ));
    }
    if !has_block {
        out.extend(missing_critical(first.path, files, rules));
    }
    out
}

fn missing_critical(
    path: &str,
    files: &[Instructions<'_>],
    rules: &[EffectiveRule],
) -> Vec<Finding> {
    let all: String = files
        .iter()
        .map(|f| {
            f.text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut by_pack: Vec<(String, Vec<(&str, String)>)> = Vec::new();
    for r in rules.iter().filter(|r| is_critical(r)) {
        let ps = phrases(r);
        if ps.is_empty() || ps.iter().any(|p| all.contains(p.as_str())) {
            continue;
        }
        let example = ps.first().cloned().unwrap_or_default();
        match by_pack.iter_mut().find(|(p, _)| *p == r.pack) {
            Some((_, list)) => list.push((&r.id, example)),
            None => by_pack.push((r.pack.clone(), vec![(&r.id, example)])),
        }
    }
    if by_pack.is_empty() {
        return Vec::new();
    }
    let total: usize = by_pack.iter().map(|(_, m)| m.len()).sum();
    let packs: Vec<String> = by_pack
        .iter()
        .map(|(pack, missing)| {
            let shown: Vec<String> = missing
                .iter()
                .take(2)
                .map(|(id, ex)| format!("{id} `{ex}`"))
                .collect();
            let more = missing.len().saturating_sub(2);
            let tail = if more > 0 {
                format!(", {more} more")
            } else {
                String::new()
            };
            format!("{pack} ({}{tail})", shown.join(", "))
        })
        .collect();
    vec![Finding::new(
        &MISSING_CRITICAL,
        format!(
            "{total} critical rule(s) are never mentioned: {}",
            packs.join("; ")
        ),
    )
    .at(Location::line(path, 1))
    .fingerprint_key(path)]
}
