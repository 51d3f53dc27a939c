//! The quality reviewer: function length, cognitive complexity, nesting
//! depth and parameter count over the configured thresholds (reported when
//! the change makes a function cross or grow past one, so legacy code stays
//! quiet), blocks duplicated within the change or against the rest of the
//! file, and function names that break the file's own convention.

use super::{finding, ReviewContext, ReviewError, Reviewer};
use crate::input::{function_name, FileInput, ReviewInput};
use crate::lang::{self, descendants, line, Language};
use crate::metrics::{measure, Metrics};
use crate::rules::*;
use guard_core::Finding;
use std::collections::{BTreeMap, HashMap};

pub struct QualityReviewer;

impl Reviewer for QualityReviewer {
    fn id(&self) -> &str {
        "quality"
    }

    fn review(&self, input: &ReviewInput, cx: &ReviewContext) -> Result<Vec<Finding>, ReviewError> {
        let mut out = Vec::new();
        let windows = Windows::of_change(input, cx.config.quality.min_duplicate_lines);
        for file in &input.files {
            cx.check()?;
            duplicates(
                file,
                input,
                &windows,
                cx.config.quality.min_duplicate_lines,
                &mut out,
            );
            let Some(lang) = file.language else { continue };
            metrics(file, lang, cx, &mut out);
            naming(file, lang, &mut out);
        }
        Ok(out)
    }
}

fn functions_by_name(lang: Language, src: &str) -> HashMap<String, Metrics> {
    let mut out = HashMap::new();
    let Some(tree) = lang.parse(src) else {
        return out;
    };
    for n in descendants(tree.root_node(), lang, false) {
        if lang.is_function(n.kind()) {
            if let Some(name) = function_name(n, src.as_bytes()) {
                out.insert(name, measure(n, lang, src.as_bytes()));
            }
        }
    }
    out
}

fn metrics(file: &FileInput, lang: Language, cx: &ReviewContext, out: &mut Vec<Finding>) {
    if file.functions.is_empty() {
        return;
    }
    let q = &cx.config.quality;
    let Some(tree) = lang.parse(&file.new_text) else {
        return;
    };
    let src = file.new_text.as_bytes();
    let old = functions_by_name(lang, &file.old_text);
    for n in descendants(tree.root_node(), lang, false) {
        if !lang.is_function(n.kind()) {
            continue;
        }
        let Some(name) = function_name(n, src) else {
            continue;
        };
        let Some(first_changed) = file
            .changed
            .range(line(n)..=lang::end_line(n))
            .next()
            .copied()
        else {
            continue;
        };
        let m = measure(n, lang, src);
        let before = old.get(&name).copied();
        let checks: [(&str, u32, u32, Option<u32>, &str); 4] = [
            (
                QUAL_LENGTH,
                m.lines,
                q.max_function_lines,
                before.map(|b| b.lines),
                "lines long",
            ),
            (
                QUAL_COGNITIVE,
                m.cognitive,
                q.max_cognitive_complexity,
                before.map(|b| b.cognitive),
                "cognitive complexity",
            ),
            (
                QUAL_NESTING,
                m.nesting,
                q.max_nesting,
                before.map(|b| b.nesting),
                "levels of nesting",
            ),
            (
                QUAL_PARAMS,
                m.params,
                q.max_params,
                before.map(|b| b.params),
                "parameters",
            ),
        ];
        for (rule, value, max, was, what) in checks {
            // A regression: over the limit now, and higher than before.
            if value <= max || was.is_some_and(|w| w >= value) {
                continue;
            }
            let history = match was {
                Some(w) => format!(" (was {w})"),
                None => String::new(),
            };
            let message = match rule {
                QUAL_COGNITIVE => {
                    format!("`{name}` has {what} {value}{history}, over the limit of {max}")
                }
                _ => format!("`{name}` is {value} {what}{history}, over the limit of {max}")
                    .replace("is 1 parameters", "has 1 parameter")
                    .replace(
                        &format!("is {value} parameters"),
                        &format!("has {value} parameters"),
                    )
                    .replace(
                        &format!("is {value} levels"),
                        &format!("has {value} levels"),
                    ),
            };
            out.push(finding(rule, file, first_changed, first_changed, message));
        }
    }
}

/// Normalised non-blank lines (white space folded) with their line numbers.
fn normalised(text: &str) -> Vec<(u32, String)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            (
                i as u32 + 1,
                l.split_whitespace().collect::<Vec<_>>().join(" "),
            )
        })
        .filter(|(_, l)| !l.is_empty())
        .collect()
}

/// A window of lines worth comparing: enough text, not only braces.
fn meaningful(lines: &[(u32, String)]) -> bool {
    let chars: usize = lines.iter().map(|(_, l)| l.len()).sum();
    let real = lines
        .iter()
        .filter(|(_, l)| l.chars().filter(|c| c.is_alphanumeric()).count() >= 3)
        .count();
    chars >= 80 && real * 2 > lines.len()
}

/// Windows of `n` normalised lines of every file of the change, by text:
/// where each occurs (path, first line).
struct Windows {
    by_text: HashMap<String, Vec<(String, u32)>>,
}

impl Windows {
    fn of_change(input: &ReviewInput, n: usize) -> Windows {
        let mut by_text: HashMap<String, Vec<(String, u32)>> = HashMap::new();
        for file in &input.files {
            let lines = normalised(&file.new_text);
            for w in lines.windows(n) {
                if !meaningful(w) {
                    continue;
                }
                let key: Vec<&str> = w.iter().map(|(_, l)| l.as_str()).collect();
                by_text
                    .entry(key.join("\n"))
                    .or_default()
                    .push((file.path.clone(), w[0].0));
            }
        }
        Windows { by_text }
    }
}

fn duplicates(
    file: &FileInput,
    _input: &ReviewInput,
    windows: &Windows,
    n: usize,
    out: &mut Vec<Finding>,
) {
    let lines = normalised(&file.new_text);
    let mut reported_until = 0u32;
    for w in lines.windows(n) {
        let (start, end) = (w[0].0, w[n - 1].0);
        if start <= reported_until {
            continue;
        }
        // Every line of the window is added: a new block.
        if !w.iter().all(|(l, _)| file.is_changed(*l)) || !meaningful(w) {
            continue;
        }
        let key: Vec<&str> = w.iter().map(|(_, l)| l.as_str()).collect();
        let Some(places) = windows.by_text.get(&key.join("\n")) else {
            continue;
        };
        let other = places
            .iter()
            .filter(|(p, l)| !(p == &file.path && *l == start))
            // Within the same file, a copy must not overlap this one.
            .find(|(p, l)| p != &file.path || *l > end || *l + (end - start) < start);
        let Some((p, l)) = other else { continue };
        let whereabouts = if p == &file.path {
            format!("line {l} of this file")
        } else {
            format!("{p}:{l}")
        };
        out.push(finding(
            QUAL_DUPLICATE,
            file,
            start,
            end,
            format!("these {n}+ lines (from line {start}) repeat {whereabouts}"),
        ));
        reported_until = end;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Case {
    Snake,
    Camel,
}

fn case_of(name: &str) -> Option<Case> {
    let core = name.trim_matches('_');
    if core.is_empty() || !core.chars().any(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let has_under = core.contains('_');
    let has_upper = core.chars().any(|c| c.is_ascii_uppercase());
    let first_lower = core.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    match (has_under, has_upper) {
        (true, false) => Some(Case::Snake),
        (false, true) if first_lower => Some(Case::Camel),
        // One lowercase word fits both; PascalCase and SHOUTING are other kinds.
        _ => None,
    }
}

fn naming(file: &FileInput, lang: Language, out: &mut Vec<Finding>) {
    let Some(tree) = lang.parse(&file.new_text) else {
        return;
    };
    let src = file.new_text.as_bytes();
    let mut names: Vec<(String, u32, Case)> = Vec::new();
    for n in descendants(tree.root_node(), lang, false) {
        if !lang.is_function(n.kind()) || lang.is_lambda(n.kind()) {
            continue;
        }
        let Some(name_node) = n.child_by_field_name("name") else {
            continue;
        };
        let name = lang::text(name_node, src).to_string();
        if let Some(c) = case_of(&name) {
            names.push((name, line(name_node), c));
        }
    }
    // The convention is that of the functions the change does not add.
    let mut counts: BTreeMap<Case, usize> = BTreeMap::new();
    for (_, l, c) in &names {
        if !file.is_changed(*l) {
            *counts.entry(*c).or_default() += 1;
        }
    }
    let total: usize = counts.values().sum();
    let Some((&convention, &n)) = counts.iter().max_by_key(|(_, n)| **n) else {
        return;
    };
    if total < 3 || n * 10 < total * 9 {
        return;
    }
    let word = |c: Case| {
        if c == Case::Snake {
            "snake_case"
        } else {
            "camelCase"
        }
    };
    for (name, l, c) in &names {
        if file.is_changed(*l) && *c != convention {
            out.push(finding(
                QUAL_NAMING,
                file,
                *l,
                *l,
                format!(
                    "`{name}` is {}; the other {n} functions of this file use {}",
                    word(*c),
                    word(convention)
                ),
            ));
        }
    }
}
