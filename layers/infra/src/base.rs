//! `prevent_destroy` removal against the base revision of the change under
//! review. The base text of each changed `.tf` file is rebuilt by reversing
//! the diff's hunks on the current file, so staged changes, revision ranges
//! and patch files all work without another git call.

use crate::hcl;
use crate::model::{Hit, Resource};
use crate::plan_eval;
use crate::rules::DATA_PREVENT_DESTROY_REMOVED;
use crate::scan::hit_finding;
use guard_core::diff::{ChangedFile, FileStatus, LineKind};
use guard_core::Finding;

/// The file's text before the change, from its current text and the diff.
pub fn base_text(current: Option<&str>, file: &ChangedFile) -> String {
    if file.status == FileStatus::Added {
        return String::new();
    }
    let lines: Vec<&str> = current.map(|c| c.lines().collect()).unwrap_or_default();
    let mut old: Vec<&str> = Vec::new();
    let mut cursor = 0usize; // next current line (0-based) not yet copied
    for h in &file.hunks {
        // With no new lines the hunk sits after line `new_start`.
        let start = if h.new_lines == 0 {
            h.new_start as usize
        } else {
            (h.new_start as usize).saturating_sub(1)
        };
        while cursor < start && cursor < lines.len() {
            old.push(lines[cursor]);
            cursor += 1;
        }
        for l in &h.lines {
            if l.kind != LineKind::Added {
                old.push(&l.text);
            }
        }
        cursor = start + h.new_lines as usize;
    }
    while cursor < lines.len() {
        old.push(lines[cursor]);
        cursor += 1;
    }
    old.join("\n")
}

fn protected(r: &Resource) -> bool {
    r.values
        .blocks("lifecycle")
        .iter()
        .any(|l| l.get("prevent_destroy").and_then(|n| n.as_bool()) == Some(true))
}

/// What the change to one `.tf` file removes: `prevent_destroy = true` taken
/// off (or the protected resource deleted), encryption settings and
/// CloudFront origin access dropped. A base that does not parse gives no
/// findings: the current file is what the other rules judge.
pub fn compare_with_base(path: &str, old: &str, new: Option<&str>) -> Vec<Finding> {
    let Ok(old) = hcl::parse(old) else {
        return Vec::new();
    };
    let new = new.and_then(|n| hcl::parse(n).ok());
    let mut out = Vec::new();
    if let Some(new) = &new {
        for n in &new.resources {
            if let Some(o) = old.resources.iter().find(|o| o.address == n.address) {
                for hit in plan_eval::diff_hits(n, &o.values) {
                    out.push(hit_finding(hit, Some(path), &n.address));
                }
            }
        }
    }
    for r in old.resources.iter().filter(|r| protected(r)) {
        let now = new
            .as_ref()
            .and_then(|n| n.resources.iter().find(|x| x.address == r.address));
        match now {
            Some(n) if protected(n) => {}
            Some(n) => {
                let at = n
                    .values
                    .blocks("lifecycle")
                    .first()
                    .map(|l| (*l).clone())
                    .unwrap_or_else(|| n.values.clone());
                let hit = Hit::new(
                    &DATA_PREVENT_DESTROY_REMOVED,
                    at.line,
                    "prevent_destroy",
                    format!("`prevent_destroy = true` was removed from `{}`", r.address),
                )
                .over(&at);
                out.push(hit_finding(hit, Some(path), &r.address));
            }
            None => {
                let hit = Hit::new(
                    &DATA_PREVENT_DESTROY_REMOVED,
                    0,
                    "prevent_destroy",
                    format!(
                        "`{}` had `prevent_destroy = true` and was removed from the configuration",
                        r.address
                    ),
                );
                out.push(hit_finding(hit, Some(path), &r.address));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use guard_core::ChangeSet;

    #[test]
    fn reverses_hunks_and_finds_removal() {
        let old = "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n  lifecycle {\n    prevent_destroy = true\n  }\n}\n";
        let new = "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n  lifecycle {\n  }\n}\n";
        let patch = "diff --git a/main.tf b/main.tf\n--- a/main.tf\n+++ b/main.tf\n@@ -1,6 +1,5 @@\n resource \"aws_s3_bucket\" \"b\" {\n   bucket = \"x\"\n   lifecycle {\n-    prevent_destroy = true\n   }\n }\n";
        let cs = ChangeSet::parse(patch, "p").unwrap();
        let base = base_text(Some(new), &cs.files[0]);
        assert_eq!(base.trim_end(), old.trim_end());
        let f = compare_with_base("main.tf", &base, Some(new));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].rule_id, "INFRA-DATA-005");
        assert!(compare_with_base("main.tf", &base, Some(old)).is_empty());
    }
}
