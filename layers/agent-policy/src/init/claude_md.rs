//! The guard-managed block in CLAUDE.md: finding it between its markers,
//! rendering it from the effective rules, and splicing it into the user's text.

use crate::catalogue::{Decision, PACKS};
use crate::config::EffectiveRule;
use guard_core::{Rule, Severity};

pub const BEGIN_MARKER: &str = "<!-- guard:begin";
pub const END_MARKER: &str = "<!-- guard:end -->";
const BEGIN_LINE: &str =
    "<!-- guard:begin (managed by `guard init --agent claude`: change guard.toml and re-run it; edits inside this block are overwritten) -->";

/// Where the managed block sits: byte range covering both marker lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    pub start: usize,
    pub end: usize,
    /// 1-based lines of the markers.
    pub begin_line: usize,
    pub end_line: usize,
}

/// A marker pair that cannot be trusted: rewriting would duplicate or swallow text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarkerError {
    #[error("line {begin}: `{BEGIN_MARKER}` has no matching `{END_MARKER}` after it; restore the end marker or delete the block")]
    Unclosed { begin: usize },
    #[error("line {end}: `{END_MARKER}` without a `{BEGIN_MARKER}` before it; restore the begin marker or delete the stray marker")]
    Stray { end: usize },
    #[error("line {second}: a second `{BEGIN_MARKER}` (the first is on line {first}); keep one guard block")]
    Duplicate { first: usize, second: usize },
    #[error("line {line}: code fence never closed; the guard block appended after it would be read as code (close the fence)")]
    UnclosedFence { line: usize },
}

/// Lines with their byte offsets, the line ending included in the range.
fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, usize, &str)> {
    let mut pos = 0;
    text.split_inclusive('\n').map(move |l| {
        let start = pos;
        pos += l.len();
        (start, pos, l)
    })
}

/// A fenced code block opener or closer (``` or ~~~, at most three spaces in).
fn fence(line: &str) -> Option<char> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let t = line.trim_start_matches(' ');
    if t.starts_with("```") {
        Some('`')
    } else if t.starts_with("~~~") {
        Some('~')
    } else {
        None
    }
}

/// The line of a fence still open at the end of the text.
fn open_fence(text: &str) -> Option<usize> {
    let mut open: Option<(char, usize)> = None;
    for (i, (_, _, line)) in lines_with_offsets(text).enumerate() {
        if let Some(f) = fence(line) {
            match open {
                None => open = Some((f, i + 1)),
                Some((o, _)) if o == f => open = None,
                Some(_) => {}
            }
        }
    }
    open.map(|(_, line)| line)
}

/// The block, if the text has one. Markers inside fenced code blocks are text
/// (documentation about guard), not markers.
pub fn find_block(text: &str) -> Result<Option<Block>, MarkerError> {
    let mut in_fence: Option<char> = None;
    let mut begin: Option<(usize, usize)> = None;
    let mut found: Option<Block> = None;
    for (i, (start, end, line)) in lines_with_offsets(text).enumerate() {
        let lineno = i + 1;
        if let Some(f) = fence(line) {
            match in_fence {
                None => in_fence = Some(f),
                Some(open) if open == f => in_fence = None,
                Some(_) => {}
            }
            continue;
        }
        if in_fence.is_some() {
            continue;
        }
        let t = line.trim();
        if t.starts_with(BEGIN_MARKER) {
            if let Some((_, first)) = begin {
                return Err(MarkerError::Duplicate {
                    first,
                    second: lineno,
                });
            }
            if let Some(b) = found {
                return Err(MarkerError::Duplicate {
                    first: b.begin_line,
                    second: lineno,
                });
            }
            begin = Some((start, lineno));
        } else if t.starts_with(END_MARKER) {
            match begin.take() {
                Some((bstart, bline)) => {
                    found = Some(Block {
                        start: bstart,
                        end,
                        begin_line: bline,
                        end_line: lineno,
                    })
                }
                None => return Err(MarkerError::Stray { end: lineno }),
            }
        }
    }
    if let Some((_, line)) = begin {
        return Err(MarkerError::Unclosed { begin: line });
    }
    Ok(found)
}

/// A pack's heading: the catalogue's words for it, or the name as it is.
fn pack_title(pack: &str) -> &str {
    crate::catalogue::pack_title(pack).unwrap_or(pack)
}

/// The infra layer's rules worth stating as prohibitions to an agent that
/// writes infrastructure code: high and critical ones about what is written
/// (not about plans that cannot be read).
pub fn infra_prohibitions() -> Vec<&'static Rule> {
    guard_infra::rules()
        .iter()
        .filter(|r| {
            r.severity >= Severity::High
                && r.id.starts_with("INFRA-")
                && !r.id.starts_with("INFRA-PLAN")
        })
        .collect()
}

/// The block text (markers included, `\n` line endings, ending in a newline).
/// `infra` rules are listed as things never to write.
pub fn render_block(rules: &[EffectiveRule], infra: &[&Rule]) -> String {
    let mut out = String::new();
    out.push_str(BEGIN_LINE);
    out.push('\n');
    out.push_str("## Guardrails\n\n");
    out.push_str(
        "These rules are enforced, not only written down: `.claude/settings.json` denies or asks \
for the listed commands and the `guard hook claude` PreToolUse hook also catches other \
spellings of them (wrappers, option order, `bash -c`). When a command is refused, read the \
reason and use the safer alternative it names; never retry it in another form. Rules marked \
*ask* need the user's confirmation first.\n",
    );
    let mut order: Vec<&str> = PACKS.to_vec();
    for r in rules {
        if !order.contains(&r.pack.as_str()) {
            order.push(&r.pack);
        }
    }
    for pack in order {
        let in_pack: Vec<&EffectiveRule> = rules.iter().filter(|r| r.pack == pack).collect();
        if in_pack.is_empty() {
            continue;
        }
        out.push_str(&format!("\n### {}\n\n", pack_title(pack)));
        for r in in_pack {
            let tag = match r.decision {
                Decision::Deny => "",
                Decision::Ask => " *ask*",
                Decision::Allow => " *allowed*",
            };
            // One line per rule: the instruction may not contain line breaks.
            let sentence = r
                .instruction
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            out.push_str(&format!("- {sentence} ({}{tag})\n", r.id));
        }
    }
    if !infra.is_empty() {
        out.push_str(
            "\n### Infrastructure code\n\nNever write Terraform, CloudFormation or IAM policy \
content with any of the following; `guard infra` and the hook check for them.\n\n",
        );
        for r in infra {
            let title = r.title.split_whitespace().collect::<Vec<_>>().join(" ");
            let fix = r
                .remediation
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            out.push_str(&format!("- {title}. Instead: {fix} ({})\n", r.id));
        }
    }
    out.push_str(END_MARKER);
    out.push('\n');
    out
}

/// The new file text: the block replaced in place, or appended after the
/// user's text. Line endings follow the file's (CRLF stays CRLF).
pub fn splice(existing: Option<&str>, block: &str) -> Result<String, MarkerError> {
    let Some(text) = existing else {
        return Ok(block.to_string());
    };
    // A text ending in a lone CR becomes CRLF once its last line is ended.
    let crlf = text.contains("\r\n") || text.ends_with('\r');
    let block = if crlf {
        block.replace('\n', "\r\n")
    } else {
        block.to_string()
    };
    let nl = if crlf { "\r\n" } else { "\n" };
    match find_block(text)? {
        Some(b) => {
            let mut out = String::with_capacity(text.len() + block.len());
            out.push_str(&text[..b.start]);
            out.push_str(&block);
            out.push_str(&text[b.end..]);
            Ok(out)
        }
        None if text.trim().is_empty() => Ok(block),
        None => {
            if let Some(line) = open_fence(text) {
                return Err(MarkerError::UnclosedFence { line });
            }
            let mut out = text.to_string();
            if out.ends_with('\r') {
                out.push('\n');
            } else if !out.ends_with('\n') {
                out.push_str(nl);
            }
            out.push_str(nl);
            out.push_str(&block);
            Ok(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: &str, pack: &str, decision: Decision) -> EffectiveRule {
        EffectiveRule {
            id: id.into(),
            pack: pack.into(),
            decision,
            title: "t".into(),
            reason: "r".into(),
            alternative: "a".into(),
            settings: vec![],
            instruction: format!("Never run `{id}`."),
            custom: false,
        }
    }

    #[test]
    fn block_is_found_and_replaced_in_place() {
        let block = render_block(&[rule("A-1", "git", Decision::Deny)], &[]);
        let user = "# Project\n\nOur notes.\n";
        let first = splice(Some(user), &block).unwrap();
        assert!(first.starts_with(user));
        let second = splice(Some(&first), &block).unwrap();
        assert_eq!(first, second);
        let edited = first.clone() + "\nMore user text.\n";
        let again = splice(
            Some(&edited),
            &render_block(&[rule("B-1", "git", Decision::Ask)], &[]),
        )
        .unwrap();
        assert!(again.starts_with(user) && again.ends_with("\nMore user text.\n"));
        assert!(again.contains("B-1 *ask*") && !again.contains("A-1"));
    }

    #[test]
    fn crlf_files_stay_crlf() {
        let block = render_block(&[rule("A-1", "git", Decision::Deny)], &[]);
        let out = splice(Some("a\r\nb\r\n"), &block).unwrap();
        assert!(!out.replace("\r\n", "").contains('\n'));
        assert_eq!(splice(Some(&out), &block).unwrap(), out);
    }

    #[test]
    fn a_trailing_lone_cr_is_settled_on_the_first_run() {
        let block = render_block(&[rule("A-1", "git", Decision::Deny)], &[]);
        let once = splice(Some("notes\r"), &block).unwrap();
        assert_eq!(splice(Some(&once), &block).unwrap(), once);
    }

    #[test]
    fn damaged_markers_are_errors() {
        let begin = format!("x\n{BEGIN_LINE}\nrules\n");
        assert_eq!(find_block(&begin), Err(MarkerError::Unclosed { begin: 2 }));
        assert_eq!(
            find_block(&format!("x\n{END_MARKER}\n")),
            Err(MarkerError::Stray { end: 2 })
        );
        let two = format!("{BEGIN_LINE}\n{END_MARKER}\n{BEGIN_LINE}\n{END_MARKER}\n");
        assert_eq!(
            find_block(&two),
            Err(MarkerError::Duplicate {
                first: 1,
                second: 3
            })
        );
        let nested = format!("{BEGIN_LINE}\n{BEGIN_LINE}\n{END_MARKER}\n");
        assert!(matches!(
            find_block(&nested),
            Err(MarkerError::Duplicate { .. })
        ));
    }

    #[test]
    fn no_block_is_appended_inside_an_open_fence() {
        let block = render_block(&[rule("A-1", "git", Decision::Deny)], &[]);
        assert_eq!(
            splice(Some("# x\n```\ncode\n"), &block),
            Err(MarkerError::UnclosedFence { line: 2 })
        );
        assert!(splice(Some("# x\n```\ncode\n```\n"), &block).is_ok());
    }

    #[test]
    fn markers_in_code_fences_are_text() {
        let doc = format!("```\n{BEGIN_LINE}\n```\n");
        assert_eq!(find_block(&doc), Ok(None));
    }
}
