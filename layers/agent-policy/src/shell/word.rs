//! Shell words after quote removal: the literal text bash would pass in argv, with
//! expansions kept as their source text and marked dynamic.

/// One argv word.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word {
    /// Quote-removed text; expansions appear as written (`$HOME`, `$(ls)`).
    pub text: String,
    /// Contains a parameter, command or arithmetic expansion, or a glob.
    pub dynamic: bool,
    /// Programs run by command substitutions inside the word (`$(curl ...)`).
    pub substituted: Vec<String>,
}

impl Word {
    pub fn lit(text: impl Into<String>) -> Word {
        Word {
            text: text.into(),
            ..Word::default()
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Backslash removal for an unquoted word: `\x` becomes `x`.
pub fn unescape_unquoted(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('\n') | None => {}
                Some(n) => out.push(n),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Backslash removal inside double quotes: only `\$ \` \" \\ \<newline>` are escapes.
pub fn unescape_double(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some('$' | '`' | '"' | '\\') => {
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                }
                Some('\n') => {
                    chars.next();
                }
                _ => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `$'...'` decoding (the common escapes; unknown ones are kept).
pub fn decode_ansi_c(raw: &str) -> String {
    let inner = raw
        .strip_prefix("$'")
        .and_then(|s| s.strip_suffix('\''))
        .unwrap_or(raw);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('a') => out.push('\x07'),
            Some('b') => out.push('\x08'),
            Some('e' | 'E') => out.push('\x1b'),
            Some('\\') => out.push('\\'),
            Some('\'') => out.push('\''),
            Some('"') => out.push('"'),
            Some('x') => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 2 {
                    match chars.peek().and_then(|d| d.to_digit(16)) {
                        Some(d) => {
                            v = v * 16 + d;
                            chars.next();
                            n += 1;
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
            }
            Some(d @ '0'..='7') => {
                let mut v = d.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
            }
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Removes `\<newline>` outside single quotes, as bash does before splitting words,
/// so `git re\<newline>set --hard` is seen as `git reset --hard`.
pub fn join_continuations(src: &str) -> std::borrow::Cow<'_, str> {
    if !src.contains("\\\n") {
        return std::borrow::Cow::Borrowed(src);
    }
    let mut out = String::with_capacity(src.len());
    let mut single = false;
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                single = !single;
                out.push(c);
            }
            '\\' if !single => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                } else {
                    out.push(c);
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                }
            }
            _ => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Basename of a program path, without a Windows `.exe` and a leading backslash.
pub fn program_name(word: &str) -> &str {
    let w = word.trim_start_matches('\\');
    let base = w.rsplit(['/', '\\']).next().unwrap_or(w);
    base.strip_suffix(".exe")
        .or_else(|| base.strip_suffix(".EXE"))
        .unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescaping() {
        assert_eq!(unescape_unquoted(r"\rm"), "rm");
        assert_eq!(unescape_unquoted(r"a\;"), "a;");
        assert_eq!(unescape_double(r#"a\"b\n"#), "a\"b\\n");
        assert_eq!(decode_ansi_c(r"$'\x72\x6d'"), "rm");
        assert_eq!(decode_ansi_c(r"$'\162\155'"), "rm");
        assert_eq!(join_continuations("git re\\\nset"), "git reset");
        assert_eq!(join_continuations("echo 'a\\\nb'"), "echo 'a\\\nb'");
        assert_eq!(program_name("/usr/bin/git"), "git");
        assert_eq!(program_name(r"C:\Git\bin\git.exe"), "git");
        assert_eq!(program_name(r"\rm"), "rm");
    }
}
