//! Option parsing helpers over an argv, the way getopt-style tools read it: short
//! flags bundle (`-rf`), long flags take `=value`, `--` ends options.

/// Short flag `c` anywhere before `--`, bundled or not (`-r -f`, `-rf`, `-fr`).
pub fn has_short(args: &[&str], c: char) -> bool {
    for a in args {
        if *a == "--" {
            break;
        }
        if let Some(rest) = a.strip_prefix('-') {
            if !rest.starts_with('-')
                && !rest.is_empty()
                && rest.chars().all(|ch| ch.is_ascii_alphanumeric())
                && rest.contains(c)
            {
                return true;
            }
        }
    }
    false
}

/// Long flag `--name` or `--name=value` before `--`.
pub fn has_long(args: &[&str], name: &str) -> bool {
    for a in args {
        if *a == "--" {
            break;
        }
        if let Some(rest) = a.strip_prefix("--") {
            if rest == name || rest.strip_prefix(name).is_some_and(|r| r.starts_with('=')) {
                return true;
            }
        }
    }
    false
}

/// Any of the exact tokens (before `--`), also as `tok=value`.
pub fn has_any(args: &[&str], toks: &[&str]) -> bool {
    for a in args {
        if *a == "--" {
            break;
        }
        for t in toks {
            if a == t || a.strip_prefix(t).is_some_and(|r| r.starts_with('=')) {
                return true;
            }
        }
    }
    false
}

/// Value of an option written `--name value`, `--name=value`, `-n value` or `-nvalue`.
pub fn opt_value<'a>(args: &[&'a str], names: &[&str]) -> Option<&'a str> {
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        if a == "--" {
            break;
        }
        for n in names {
            if a == *n {
                return args.get(i + 1).copied();
            }
            if let Some(v) = a.strip_prefix(n) {
                if let Some(v) = v.strip_prefix('=') {
                    return Some(v);
                }
                // `-XDELETE`: single-dash one-letter options glue their value.
                if n.len() == 2 && !n.starts_with("--") && !v.is_empty() {
                    return Some(v);
                }
            }
        }
        i += 1;
    }
    None
}

/// Non-option words, skipping the values of `with_value` options; after `--` every
/// word is positional.
pub fn positionals<'a>(args: &[&'a str], with_value: &[&str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        if a == "--" {
            out.extend_from_slice(&args[i + 1..]);
            break;
        }
        if a.starts_with('-') && a.len() > 1 {
            if with_value.contains(&a) {
                i += 1;
            }
        } else {
            out.push(a);
        }
        i += 1;
    }
    out
}

/// Index of the first positional word (the subcommand), skipping global options and
/// the values of `with_value` ones.
pub fn first_positional(args: &[&str], with_value: &[&str]) -> Option<usize> {
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        if a == "--" {
            return (i + 1 < args.len()).then_some(i + 1);
        }
        if a.starts_with('-') && a.len() > 1 {
            if with_value.contains(&a) {
                i += 1;
            }
        } else {
            return Some(i);
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags() {
        assert!(has_short(&["-rf", "/"], 'r'));
        assert!(has_short(&["-r", "-f"], 'f'));
        assert!(!has_short(&["--", "-rf"], 'r'));
        assert!(!has_short(&["--recursive"], 'r'));
        assert!(has_long(&["--force=true"], "force"));
        assert!(!has_long(&["--force-with-lease"], "force"));
        assert_eq!(opt_value(&["-XDELETE", "u"], &["-X"]), Some("DELETE"));
        assert_eq!(opt_value(&["--request=PUT"], &["--request"]), Some("PUT"));
        assert_eq!(
            positionals(&["-C", "d", "push", "-f"], &["-C"]),
            vec!["push"]
        );
        assert_eq!(first_positional(&["-C", "d", "push"], &["-C"]), Some(2));
    }
}
