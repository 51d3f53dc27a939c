//! Re-anchoring: a model's finding is placed by the code it quotes, never by
//! the line number it claims. The quote must be found in the new side of that
//! file's hunks and touch at least one added line; otherwise the finding is
//! dropped.

use guard_core::diff::{ChangeSet, ChangedFile, LineKind};

/// Whitespace-normalised text: trimmed, inner runs of whitespace collapsed.
fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Shortest quote line that can anchor a finding on its own (`}` or `)`
/// match almost anywhere).
const MIN_QUOTE_CHARS: usize = 4;

/// Normalises a path as models write it: `b/src/x.py`, `./src/x.py`.
fn same_path(diff_path: &str, claimed: &str) -> bool {
    let c = claimed.trim().trim_start_matches("./");
    diff_path == c
        || c.strip_prefix("b/").is_some_and(|c| c == diff_path)
        || c.strip_prefix("a/").is_some_and(|c| c == diff_path)
}

/// The file `claimed` names, if the change has it.
pub fn find_file<'a>(changes: &'a ChangeSet, claimed: &str) -> Option<&'a ChangedFile> {
    changes.files.iter().find(|f| same_path(f.path(), claimed))
}

/// The new-side line a quote anchors to: the first added line of the match
/// nearest `claimed_line`. `None` when the quote is not there.
pub fn anchor(file: &ChangedFile, quote: &str, claimed_line: u32) -> Option<u32> {
    let wanted: Vec<String> = quote
        .lines()
        .map(|l| {
            let t = l.trim_start();
            // Models often copy the diff marker or the line number.
            let t = strip_line_prefix(t);
            norm(t)
        })
        .filter(|l| !l.is_empty())
        .collect();
    if wanted.is_empty()
        || wanted.iter().map(|l| l.chars().count()).sum::<usize>() < MIN_QUOTE_CHARS
    {
        return None;
    }
    let mut best: Option<u32> = None;
    for hunk in &file.hunks {
        let new_side: Vec<(u32, bool, String)> = hunk
            .lines
            .iter()
            .filter(|l| l.kind != LineKind::Removed)
            .filter_map(|l| {
                l.new_line
                    .map(|n| (n, l.kind == LineKind::Added, norm(&l.text)))
            })
            .collect();
        if new_side.len() < wanted.len() {
            continue;
        }
        for start in 0..=new_side.len() - wanted.len() {
            let window = &new_side[start..start + wanted.len()];
            let matches =
                window
                    .iter()
                    .zip(&wanted)
                    .enumerate()
                    .all(|(i, ((_, _, have), want))| {
                        if wanted.len() == 1 {
                            have.contains(want.as_str())
                        } else if i == 0 {
                            have.ends_with(want.as_str())
                        } else if i == wanted.len() - 1 {
                            have.starts_with(want.as_str())
                        } else {
                            have == want
                        }
                    });
            if !matches {
                continue;
            }
            let Some(&(line, _, _)) = window.iter().find(|(_, added, _)| *added) else {
                continue;
            };
            let closer =
                best.is_none_or(|b| line.abs_diff(claimed_line) < b.abs_diff(claimed_line));
            if closer {
                best = Some(line);
            }
        }
    }
    best
}

/// Drops a leading `+`, or a `12 +` / `12:` line-number prefix a model copied.
fn strip_line_prefix(t: &str) -> &str {
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = if digits > 0 {
        let r = t[digits..].trim_start();
        r.strip_prefix(':')
            .or_else(|| r.strip_prefix('+'))
            .map(str::trim_start)
    } else {
        None
    };
    match rest {
        Some(r) => r,
        None => t.strip_prefix('+').unwrap_or(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIFF: &str = "--- a/app.py\n+++ b/app.py\n@@ -1,3 +1,6 @@\n import os\n+def run(cmd):\n+    os.system(cmd)\n+    return   True\n print(1)\n-old = 1\n+os.system(cmd)\n";

    fn file() -> ChangeSet {
        ChangeSet::parse(DIFF, "t.diff").expect("diff")
    }

    #[test]
    fn anchors_by_quote_not_by_claimed_line() {
        let cs = file();
        let f = find_file(&cs, "b/app.py").expect("file");
        assert_eq!(anchor(f, "os.system(cmd)", 99), Some(6));
        assert_eq!(anchor(f, "os.system(cmd)", 2), Some(3));
        assert_eq!(
            anchor(f, "return True", 1),
            Some(4),
            "whitespace differences allowed"
        );
        assert_eq!(anchor(f, "+    os.system(cmd)", 3), Some(3));
        assert_eq!(anchor(f, "3 +    os.system(cmd)", 3), Some(3));
        assert_eq!(anchor(f, "def run(cmd):\n    os.system(cmd)", 50), Some(2));
    }

    #[test]
    fn drops_quotes_not_on_the_added_side() {
        let cs = file();
        let f = find_file(&cs, "app.py").expect("file");
        assert_eq!(
            anchor(f, "subprocess.call(cmd, shell=True)", 3),
            None,
            "invented code"
        );
        assert_eq!(anchor(f, "old = 1", 5), None, "removed line");
        assert_eq!(anchor(f, "import os", 1), None, "context only");
        assert_eq!(anchor(f, ")", 3), None, "too short");
        assert_eq!(anchor(f, "   \n  ", 3), None);
        assert!(find_file(&cs, "other.py").is_none());
    }
}
