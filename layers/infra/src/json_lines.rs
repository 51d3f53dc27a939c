//! A strict JSON parser (RFC 8259) that records the line of every value, for
//! policy documents and `.tf.json` files whose findings need line numbers.
//! Plans go through serde_json instead (faster, no lines needed).

use crate::value::{Node, V};

/// Nesting deeper than this is refused (same bound as serde_json's default).
pub const MAX_DEPTH: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line} column {col}: {message}")]
pub struct JsonError {
    pub line: u32,
    pub col: u32,
    pub message: String,
}

/// Parses `text`; line numbers start at `first_line`. When `flat` is set every
/// node gets `first_line` (the JSON sits on one source line, e.g. an escaped
/// HCL string).
pub fn parse(text: &str, first_line: u32, flat: bool) -> Result<Node, JsonError> {
    let mut p = Parser {
        s: text.as_bytes(),
        pos: 0,
        line: first_line.max(1),
        line_start: 0,
        flat,
        first_line: first_line.max(1),
    };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.pos < p.s.len() {
        return Err(p.err("trailing characters after the JSON value"));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    line: u32,
    line_start: usize,
    flat: bool,
    first_line: u32,
}

impl Parser<'_> {
    fn err(&self, message: impl Into<String>) -> JsonError {
        let col = self.s[self.line_start..self.pos.min(self.s.len())]
            .iter()
            .filter(|b| (**b & 0xC0) != 0x80)
            .count() as u32
            + 1;
        JsonError {
            line: self.line,
            col,
            message: message.into(),
        }
    }

    fn cur_line(&self) -> u32 {
        if self.flat {
            self.first_line
        } else {
            self.line
        }
    }

    fn ws(&mut self) {
        while let Some(&b) = self.s.get(self.pos) {
            match b {
                b'\n' => {
                    self.pos += 1;
                    self.line += 1;
                    self.line_start = self.pos;
                }
                b' ' | b'\t' | b'\r' => self.pos += 1,
                _ => break,
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, JsonError> {
        if depth >= MAX_DEPTH {
            return Err(self.err(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        let line = self.cur_line();
        match self.s.get(self.pos) {
            None => Err(self.err("unexpected end of input, expected a value")),
            Some(b'{') => {
                self.pos += 1;
                let mut fields = Vec::new();
                self.ws();
                if self.s.get(self.pos) == Some(&b'}') {
                    self.pos += 1;
                    return Ok(Node::spanning(V::Obj(fields), line, self.cur_line()));
                }
                loop {
                    self.ws();
                    if self.s.get(self.pos) != Some(&b'"') {
                        return Err(self.err("expected a string key"));
                    }
                    let key = self.string()?;
                    self.ws();
                    if self.s.get(self.pos) != Some(&b':') {
                        return Err(self.err("expected `:` after the key"));
                    }
                    self.pos += 1;
                    self.ws();
                    let v = self.value(depth + 1)?;
                    fields.push((key, v));
                    self.ws();
                    match self.s.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            return Ok(Node::spanning(V::Obj(fields), line, self.cur_line()));
                        }
                        None => return Err(self.err("unexpected end of input inside an object")),
                        _ => return Err(self.err("expected `,` or `}`")),
                    }
                }
            }
            Some(b'[') => {
                self.pos += 1;
                let mut xs = Vec::new();
                self.ws();
                if self.s.get(self.pos) == Some(&b']') {
                    self.pos += 1;
                    return Ok(Node::spanning(V::List(xs), line, self.cur_line()));
                }
                loop {
                    self.ws();
                    xs.push(self.value(depth + 1)?);
                    self.ws();
                    match self.s.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Node::spanning(V::List(xs), line, self.cur_line()));
                        }
                        None => return Err(self.err("unexpected end of input inside an array")),
                        _ => return Err(self.err("expected `,` or `]`")),
                    }
                }
            }
            Some(b'"') => Ok(Node::new(V::Str(self.string()?), line)),
            Some(b't') => self.literal("true", V::Bool(true), line),
            Some(b'f') => self.literal("false", V::Bool(false), line),
            Some(b'n') => self.literal("null", V::Null, line),
            Some(b'-' | b'0'..=b'9') => self.number(line),
            Some(_) => Err(self.err("expected a JSON value")),
        }
    }

    fn literal(&mut self, word: &str, v: V, line: u32) -> Result<Node, JsonError> {
        if self.s[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(Node::new(v, line))
        } else {
            Err(self.err("expected a JSON value"))
        }
    }

    fn number(&mut self, line: u32) -> Result<Node, JsonError> {
        let start = self.pos;
        while let Some(b) = self.s.get(self.pos) {
            if b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E') {
                self.pos += 1;
            } else {
                break;
            }
        }
        let text = std::str::from_utf8(&self.s[start..self.pos]).unwrap_or("");
        let valid = {
            let t = text.strip_prefix('-').unwrap_or(text);
            // No leading zeros ("01"); an empty mantissa is no number.
            let leading_zero =
                t.len() > 1 && t.starts_with('0') && t.as_bytes()[1].is_ascii_digit();
            !(t.is_empty() || leading_zero)
        };
        match text.parse::<f64>() {
            Ok(n) if valid && n.is_finite() => Ok(Node::new(V::Num(n), line)),
            _ => {
                self.pos = start;
                Err(self.err("invalid number"))
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let h = self
            .s
            .get(self.pos..self.pos + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or_else(|| self.err("invalid \\u escape"))?;
        self.pos += 4;
        Ok(h)
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1; // opening quote
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(&b) = self.s.get(self.pos) else {
                return Err(self.err("unterminated string"));
            };
            match b {
                b'"' => {
                    self.pos += 1;
                    return String::from_utf8(out).map_err(|_| self.err("invalid UTF-8 in string"));
                }
                b'\\' => {
                    self.pos += 1;
                    let Some(&e) = self.s.get(self.pos) else {
                        return Err(self.err("unterminated string"));
                    };
                    self.pos += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let cp = if (0xD800..0xDC00).contains(&hi) {
                                if self.s.get(self.pos..self.pos + 2) != Some(b"\\u") {
                                    return Err(self.err("unpaired surrogate in \\u escape"));
                                }
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.err("unpaired surrogate in \\u escape"));
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            char::from_u32(cp).ok_or_else(|| self.err("invalid \\u escape"))?
                        }
                        _ => return Err(self.err("invalid escape in string")),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                0x00..=0x1F => return Err(self.err("control character in string")),
                _ => {
                    // Copy a run of plain bytes at once.
                    let start = self.pos;
                    while let Some(&c) = self.s.get(self.pos) {
                        if c == b'"' || c == b'\\' || c < 0x20 {
                            break;
                        }
                        self.pos += 1;
                    }
                    out.extend_from_slice(&self.s[start..self.pos]);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_recorded() {
        let n = parse(
            "{\n \"a\": [\n  1,\n  \"x\\u00e9\\ud83d\\ude00\"\n ]\n}",
            10,
            false,
        )
        .unwrap();
        let a = n.get("a").unwrap();
        assert_eq!(n.line, 10);
        assert_eq!(a.line, 11);
        assert_eq!(a.items()[1].line, 13);
        assert_eq!(a.items()[1].as_str(), Some("xé😀"));
    }

    #[test]
    fn errors_have_place() {
        let e = parse("{\n \"a\": tru\n}", 1, false).unwrap_err();
        assert_eq!((e.line, e.col), (2, 7));
        assert!(parse("{\"a\":1", 1, false)
            .unwrap_err()
            .message
            .contains("end of input"));
        assert!(parse("[01]", 1, false).is_err());
        assert!(parse("[1] x", 1, false).is_err());
        assert!(parse("\"a\u{1}\"", 1, false).is_err());
    }

    #[test]
    fn depth_is_bounded() {
        let deep = "[".repeat(100_000);
        let e = parse(&deep, 1, false).unwrap_err();
        assert!(e.message.contains("nesting deeper"), "{e}");
    }
}
