//! An order-preserving JSON tree with byte spans, for Claude Code settings files.
//!
//! serde_json validates the text first (its messages carry line and column);
//! this parser then builds a tree that keeps key order, duplicate keys, number
//! spellings and the span of every key and value, so findings can point at the
//! offending line and merged files keep the user's key order. serde_json's
//! `preserve_order` feature is not used: it would change key order for every
//! crate linked into the binary.

use std::fmt::Write as _;

/// Nesting deeper than this is refused (serde_json's own limit is 128).
pub const MAX_DEPTH: usize = 128;

/// Byte offsets into the parsed text; `0..0` for nodes created in memory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// The number as written, so `1.0` stays `1.0`.
    Number(String),
    String(String),
    Array(Vec<Node>),
    Object(Vec<Member>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Json,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

/// Why a text is not a JSON document, with a 1-based position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct JsonError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl Node {
    pub fn new(value: Json) -> Node {
        Node {
            value,
            span: Span::default(),
        }
    }

    pub fn string(s: impl Into<String>) -> Node {
        Node::new(Json::String(s.into()))
    }

    pub fn object() -> Node {
        Node::new(Json::Object(Vec::new()))
    }

    pub fn array() -> Node {
        Node::new(Json::Array(Vec::new()))
    }

    /// The member `key`; the last one when the key is repeated, as in
    /// JavaScript's `JSON.parse`, which Claude Code uses.
    pub fn member(&self, key: &str) -> Option<&Member> {
        match &self.value {
            Json::Object(members) => members.iter().rev().find(|m| m.key == key),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.member(key).map(|m| &m.value)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match &mut self.value {
            Json::Object(members) => members
                .iter_mut()
                .rev()
                .find(|m| m.key == key)
                .map(|m| &mut m.value),
            _ => None,
        }
    }

    /// The member `key`, appended with `default` when missing. Returns `None`
    /// when `self` is not an object.
    pub fn entry(&mut self, key: &str, default: Node) -> Option<&mut Node> {
        let Json::Object(members) = &mut self.value else {
            return None;
        };
        let idx = match members.iter().rposition(|m| m.key == key) {
            Some(i) => i,
            None => {
                members.push(Member {
                    key: key.to_string(),
                    key_span: Span::default(),
                    value: default,
                });
                members.len() - 1
            }
        };
        members.get_mut(idx).map(|m| &mut m.value)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_array_mut(&mut self) -> Option<&mut Vec<Node>> {
        match &mut self.value {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.value {
            Json::Object(members) => Some(members),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Json::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// A number's value, when it is one.
    pub fn as_f64(&self) -> Option<f64> {
        match &self.value {
            Json::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// What the value is, for error messages.
    pub fn kind(&self) -> &'static str {
        match self.value {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }
}

/// Parse a whole document.
pub fn parse(text: &str) -> Result<Node, JsonError> {
    // serde_json gives the better message for malformed text; our parser only
    // has to rebuild the structure of a text known to be valid.
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        let message = e.to_string();
        let message = match message.rfind(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        return Err(JsonError {
            line: u32::try_from(e.line()).unwrap_or(u32::MAX),
            column: u32::try_from(e.column()).unwrap_or(u32::MAX),
            message,
        });
    }
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    p.skip_ws();
    let node = p.value(0)?;
    p.skip_ws();
    if p.pos != p.bytes.len() {
        return Err(p.error("trailing characters after the document"));
    }
    Ok(node)
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn error(&self, message: &str) -> JsonError {
        let (line, column) = line_col(self.text, self.pos);
        JsonError {
            line,
            column,
            message: message.to_string(),
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn expect(&mut self, b: u8) -> Result<(), JsonError> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected `{}`", b as char)))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.error(&format!("nested deeper than {MAX_DEPTH} levels")));
        }
        let start = self.pos;
        let value = match self.peek() {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Json::String(self.string()?),
            Some(b't') => self.literal("true", Json::Bool(true))?,
            Some(b'f') => self.literal("false", Json::Bool(false))?,
            Some(b'n') => self.literal("null", Json::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => return Err(self.error("expected a value")),
        };
        Ok(Node {
            value,
            span: Span {
                start,
                end: self.pos,
            },
        })
    }

    fn literal(&mut self, word: &str, value: Json) -> Result<Json, JsonError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error(&format!("expected `{word}`")))
        }
    }

    fn number(&mut self) -> Json {
        let start = self.pos;
        while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        Json::Number(self.text[start..self.pos].to_string())
    }

    fn string(&mut self) -> Result<String, JsonError> {
        let start = self.pos;
        self.expect(b'"')?;
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    break;
                }
                Some(b'\\') => self.pos += 2,
                Some(_) => self.pos += 1,
                None => return Err(self.error("unterminated string")),
            }
        }
        let raw = self
            .text
            .get(start..self.pos)
            .ok_or_else(|| self.error("string boundary inside a character"))?;
        serde_json::from_str::<String>(raw).map_err(|e| self.error(&e.to_string()))
    }

    fn array(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.expect(b'[')?;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Json::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.expect(b'{')?;
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_ws();
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = Span {
                start: key_start,
                end: self.pos,
            };
            self.skip_ws();
            self.expect(b':')?;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            members.push(Member {
                key,
                key_span,
                value,
            });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Json::Object(members));
                }
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }
}

/// Pretty-print like serde_json's pretty printer, with `indent` per level.
pub fn to_pretty(node: &Node, indent: &str) -> String {
    let mut out = String::new();
    write_node(&mut out, node, indent, 0, None);
    out
}

/// Pretty-print an edited tree, copying every subtree that is unchanged from
/// `original` (parsed from `text`) verbatim, so the user's own layout of the
/// parts guard did not touch survives.
pub fn to_pretty_preserving(node: &Node, indent: &str, original: &Node, text: &str) -> String {
    let mut out = String::new();
    write_node(&mut out, node, indent, 0, Some((original, text)));
    out
}

/// The node of `root` whose span is exactly `span`.
fn original_at(root: &Node, span: Span) -> Option<&Node> {
    let mut cur = root;
    loop {
        if cur.span == span {
            return Some(cur);
        }
        let inside = |n: &&Node| n.span.start <= span.start && span.end <= n.span.end;
        let next = match &cur.value {
            Json::Array(items) => items.iter().find(inside),
            Json::Object(members) => members.iter().map(|m| &m.value).find(inside),
            _ => None,
        };
        cur = next?;
    }
}

fn write_string(out: &mut String, s: &str) {
    // serde_json's escaping of a &str cannot fail.
    match serde_json::to_string(s) {
        Ok(q) => out.push_str(&q),
        Err(_) => {
            let _ = write!(out, "{s:?}");
        }
    }
}

fn newline(out: &mut String, indent: &str, level: usize) {
    out.push('\n');
    for _ in 0..level {
        out.push_str(indent);
    }
}

fn write_node(
    out: &mut String,
    node: &Node,
    indent: &str,
    level: usize,
    keep: Option<(&Node, &str)>,
) {
    if let Some((original, text)) = keep {
        let has_span = node.span.end > node.span.start;
        if has_span && original_at(original, node.span) == Some(node) {
            if let Some(src) = text.get(node.span.start..node.span.end) {
                out.push_str(src);
                return;
            }
        }
    }
    match &node.value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => out.push_str(n),
        Json::String(s) => write_string(out, s),
        Json::Array(items) if items.is_empty() => out.push_str("[]"),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, level + 1);
                write_node(out, item, indent, level + 1, keep);
            }
            newline(out, indent, level);
            out.push(']');
        }
        Json::Object(members) if members.is_empty() => out.push_str("{}"),
        Json::Object(members) => {
            out.push('{');
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, level + 1);
                write_string(out, &m.key);
                out.push_str(": ");
                write_node(out, &m.value, indent, level + 1, keep);
            }
            newline(out, indent, level);
            out.push('}');
        }
    }
}

/// The indentation unit a file uses: the leading white space of its first
/// indented line; two spaces when nothing is indented.
pub fn detect_indent(text: &str) -> String {
    text.lines()
        .skip(1)
        .map(|l| {
            let n = l.len() - l.trim_start_matches([' ', '\t']).len();
            &l[..n]
        })
        .find(|ws| !ws.is_empty())
        .unwrap_or("  ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_order_and_numbers() {
        let text = "{\n  \"z\": 1.0,\n  \"a\": [true, null, \"x\\n\"],\n  \"m\": {}\n}";
        let node = parse(text).unwrap();
        assert_eq!(to_pretty(&node, "  "), "{\n  \"z\": 1.0,\n  \"a\": [\n    true,\n    null,\n    \"x\\n\"\n  ],\n  \"m\": {}\n}");
        let keys: Vec<_> = node
            .as_object()
            .unwrap()
            .iter()
            .map(|m| m.key.as_str())
            .collect();
        assert_eq!(keys, ["z", "a", "m"]);
    }

    #[test]
    fn pretty_matches_serde_json() {
        let text = r#"{"b":{"c":[1,2,{"d":"é\u0001"}]},"a":[],"e":-1.5e3}"#;
        let node = parse(text).unwrap();
        let ours = to_pretty(&node, "  ");
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        // serde_json without preserve_order sorts keys; compare after re-parsing.
        let back: serde_json::Value = serde_json::from_str(&ours).unwrap();
        assert_eq!(v, back);
        assert!(ours.starts_with("{\n  \"b\": {\n    \"c\": [\n      1,"));
    }

    #[test]
    fn spans_point_at_keys_and_values() {
        let text = "{\n  \"permissions\": {\n    \"allow\": [\"Bash(*)\"]\n  }\n}\n";
        let node = parse(text).unwrap();
        let allow = node.get("permissions").unwrap().member("allow").unwrap();
        assert_eq!(line_col(text, allow.key_span.start), (3, 5));
        let item = &allow.value.as_array().unwrap()[0];
        assert_eq!(&text[item.span.start..item.span.end], "\"Bash(*)\"");
        assert_eq!(line_col(text, item.span.start), (3, 15));
    }

    #[test]
    fn errors_carry_line_and_column() {
        let e = parse("{\n  \"a\": [1,\n}").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.column >= 1);
        assert!(parse("").is_err());
        assert!(parse("{} x").is_err());
        let deep = "[".repeat(1000) + &"]".repeat(1000);
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn untouched_subtrees_keep_their_layout() {
        let text = "{\n  \"a\": [1, 2],\n  \"b\": {\"c\": [3]}\n}";
        let original = parse(text).unwrap();
        let mut edited = original.clone();
        edited
            .get_mut("b")
            .and_then(|b| b.get_mut("c"))
            .and_then(Node::as_array_mut)
            .unwrap()
            .push(Node::new(Json::Number("4".into())));
        assert_eq!(
            to_pretty_preserving(&edited, "  ", &original, text),
            "{\n  \"a\": [1, 2],\n  \"b\": {\n    \"c\": [\n      3,\n      4\n    ]\n  }\n}"
        );
    }

    #[test]
    fn duplicate_keys_resolve_to_the_last() {
        let node = parse(r#"{"a": 1, "a": 2}"#).unwrap();
        assert_eq!(node.get("a").unwrap().as_f64(), Some(2.0));
    }

    #[test]
    fn indent_detection() {
        assert_eq!(detect_indent("{\n    \"a\": 1\n}"), "    ");
        assert_eq!(detect_indent("{\n\t\"a\": 1\n}"), "\t");
        assert_eq!(detect_indent("{}"), "  ");
    }
}
