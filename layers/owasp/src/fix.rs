//! `--fix-diff`: safe mechanical rewrites, printed as a unified diff; files
//! are never written. Python only:
//! - `yaml.load(x)` / `yaml.load(x, Loader=yaml.Loader)` -> `yaml.safe_load(x)`;
//! - `verify=False` removed from a call;
//! - `subprocess.*("cmd arg", shell=True)` with a literal command that has no
//!   shell syntax -> `subprocess.*(["cmd", "arg"])`.

use crate::engine::Lang;
use tree_sitter::Node;

struct Edit {
    start: usize,
    end: usize,
    text: String,
}

/// The unified diff of the fixes for one file, or `None` when none applies.
pub fn fix_diff(path: &str, src: &str) -> Option<String> {
    if Lang::from_path(path) != Some(Lang::Python) {
        return None;
    }
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .ok()?;
    let tree = parser.parse(src, None)?;
    let mut edits = Vec::new();
    // iterative walk: no recursion on hostile nesting
    let mut stack = vec![tree.root_node()];
    while let Some(n) = stack.pop() {
        if n.kind() == "call" {
            call_edits(n, src, &mut edits);
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.start));
    let mut fixed = src.to_string();
    let mut last = usize::MAX;
    for e in edits {
        if e.end > last {
            continue; // overlapping edit: keep the first
        }
        fixed.replace_range(e.start..e.end, &e.text);
        last = e.start;
    }
    let diff = similar::TextDiff::from_lines(src, &fixed);
    Some(
        diff.unified_diff()
            .context_radius(3)
            .header(&format!("a/{path}"), &format!("b/{path}"))
            .to_string(),
    )
}

fn text<'a>(n: Node<'_>, src: &'a str) -> &'a str {
    &src[n.start_byte()..n.end_byte()]
}

fn call_edits(call: Node<'_>, src: &str, edits: &mut Vec<Edit>) {
    let Some(func) = call.child_by_field_name("function") else {
        return;
    };
    let Some(args) = call.child_by_field_name("arguments") else {
        return;
    };
    let fname = text(func, src);
    let mut c = args.walk();
    let items: Vec<Node<'_>> = args
        .named_children(&mut c)
        .filter(|n| n.kind() != "comment")
        .collect();
    let kw = |name: &str| {
        items.iter().copied().find(|a| {
            a.kind() == "keyword_argument"
                && a.child_by_field_name("name")
                    .is_some_and(|k| text(k, src) == name)
        })
    };
    let kw_value = |name: &str| {
        kw(name)
            .and_then(|a| a.child_by_field_name("value"))
            .map(|v| text(v, src))
    };
    // yaml.load -> yaml.safe_load
    if fname == "yaml.load" {
        let loader = kw_value("Loader");
        let unsafe_loader = loader.is_none_or(|l| {
            matches!(
                l.rsplit('.').next(),
                Some("Loader" | "UnsafeLoader" | "FullLoader")
            )
        });
        let positional = items
            .iter()
            .filter(|a| a.kind() != "keyword_argument")
            .count();
        if unsafe_loader && positional == 1 {
            edits.push(Edit {
                start: func.start_byte(),
                end: func.end_byte(),
                text: "yaml.safe_load".into(),
            });
            if let Some(k) = kw("Loader") {
                edits.push(remove_arg(k, src));
            }
            return;
        }
    }
    // verify=False removed
    if let Some(k) = kw("verify") {
        if kw_value("verify") == Some("False") && !fname.starts_with("jwt.") {
            edits.push(remove_arg(k, src));
        }
    }
    // subprocess shell=True with a literal command -> argv list
    if fname.starts_with("subprocess.") && kw_value("shell") == Some("True") {
        let Some(first) = items.first().copied().filter(|a| a.kind() == "string") else {
            return;
        };
        let raw = text(first, src);
        let mut cc = first.walk();
        if first
            .named_children(&mut cc)
            .any(|x| x.kind() == "interpolation")
        {
            return;
        }
        let body = raw.trim_start_matches(['r', 'b', 'u', 'R', 'B', 'U']);
        let quote = &body[..1];
        if !(body.len() >= 2 && body.ends_with(quote))
            || body.starts_with("\"\"\"")
            || body.starts_with("'''")
        {
            return;
        }
        let cmd = &body[1..body.len() - 1];
        if let Some(words) = shell_words(cmd) {
            let list: Vec<String> = words.iter().map(|w| format!("{:?}", w)).collect();
            edits.push(Edit {
                start: first.start_byte(),
                end: first.end_byte(),
                text: format!("[{}]", list.join(", ")),
            });
            if let Some(k) = kw("shell") {
                edits.push(remove_arg(k, src));
            }
        }
    }
}

/// Splits a command the way `shlex.split` would, refusing anything with
/// shell syntax (pipes, redirection, variables, globs, escapes).
pub fn shell_words(cmd: &str) -> Option<Vec<String>> {
    if cmd.chars().any(|c| "|&;<>()$`\\*?[]{}~!#\n\"'".contains(c)) {
        return None;
    }
    let words: Vec<String> = cmd.split_whitespace().map(str::to_string).collect();
    if words.is_empty() {
        None
    } else {
        Some(words)
    }
}

/// Removes an argument with the comma and space before it (or after it when
/// it is the first).
fn remove_arg(arg: Node<'_>, src: &str) -> Edit {
    let bytes = src.as_bytes();
    let mut start = arg.start_byte();
    let mut end = arg.end_byte();
    let mut s = start;
    while s > 0 && (bytes[s - 1] == b' ' || bytes[s - 1] == b'\t' || bytes[s - 1] == b'\n') {
        s -= 1;
    }
    if s > 0 && bytes[s - 1] == b',' {
        start = s - 1;
    } else {
        let mut e = end;
        while e < bytes.len() && (bytes[e] == b' ' || bytes[e] == b'\n') {
            e += 1;
        }
        if e < bytes.len() && bytes[e] == b',' {
            e += 1;
            while e < bytes.len() && bytes[e] == b' ' {
                e += 1;
            }
            end = e;
        }
    }
    Edit {
        start,
        end,
        text: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites() {
        let src = "import yaml, requests, subprocess\nd = yaml.load(s)\ne = yaml.load(s, Loader=yaml.Loader)\nr = requests.get(u, verify=False)\nsubprocess.run(\"ls -l /tmp\", shell=True)\nsubprocess.run(\"ls | wc\", shell=True)\n";
        let d = fix_diff("a.py", src).expect("diff");
        assert!(d.contains("+d = yaml.safe_load(s)"), "{d}");
        assert!(d.contains("+e = yaml.safe_load(s)"), "{d}");
        assert!(d.contains("+r = requests.get(u)"), "{d}");
        assert!(
            d.contains("+subprocess.run([\"ls\", \"-l\", \"/tmp\"])"),
            "{d}"
        );
        assert!(!d.contains("+subprocess.run([\"ls\", \"|\""), "{d}");
        assert!(fix_diff("a.py", "x = yaml.safe_load(s)\n").is_none());
        assert!(fix_diff("a.js", "x = yaml.load(s)\n").is_none());
    }
}
