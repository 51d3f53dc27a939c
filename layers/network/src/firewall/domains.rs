//! `--format domains`: one pattern a line, as in the allowlist.

use crate::allowlist::Allowlist;

pub fn render(list: &Allowlist) -> String {
    let mut out = String::new();
    for e in list.entries() {
        out.push_str(&e.pattern());
        out.push('\n');
    }
    out
}
