//! YAML read into a tree whose nodes remember their line, with explicit
//! bounds: input size, alias expansion (billion laughs), nesting depth, node
//! count. Anchors, aliases and `<<` merge keys are resolved by the parser
//! (serde-saphyr); keys written next to a merge win over merged ones.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// Largest model file read, in bytes.
pub const MAX_MODEL_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub enum YVal {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<YNode>),
    /// Keys in document order, each with its own line.
    Map(Vec<(String, u32, YNode)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct YNode {
    pub v: YVal,
    /// 1-based line where the value is used (0 when unknown).
    pub line: u32,
}

impl YNode {
    pub fn get(&self, key: &str) -> Option<&YNode> {
        match &self.v {
            YVal::Map(m) => m.iter().find(|(k, _, _)| k == key).map(|(_, _, v)| v),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[(String, u32, YNode)] {
        match &self.v {
            YVal::Map(m) => m,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[YNode] {
        match &self.v {
            YVal::Seq(s) => s,
            _ => &[],
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.v, YVal::Null)
    }

    pub fn type_name(&self) -> &'static str {
        match self.v {
            YVal::Null => "null",
            YVal::Bool(_) => "a boolean",
            YVal::Int(_) | YVal::Float(_) => "a number",
            YVal::Str(_) => "a string",
            YVal::Seq(_) => "a list",
            YVal::Map(_) => "a mapping",
        }
    }
}

impl<'de> Deserialize<'de> for YNode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Spanned::<YVal>::deserialize(d)?;
        Ok(YNode {
            v: s.value,
            line: u32::try_from(s.referenced.line()).unwrap_or(u32::MAX),
        })
    }
}

impl<'de> Deserialize<'de> for YVal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValVisitor)
    }
}

struct ValVisitor;

impl<'de> Visitor<'de> for ValVisitor {
    type Value = YVal;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<YVal, E> {
        Ok(YVal::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<YVal, E> {
        Ok(YVal::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<YVal, E> {
        Ok(i64::try_from(v).map_or(YVal::Float(v as f64), YVal::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<YVal, E> {
        Ok(YVal::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<YVal, E> {
        Ok(YVal::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<YVal, E> {
        Ok(YVal::Str(v))
    }
    fn visit_unit<E>(self) -> Result<YVal, E> {
        Ok(YVal::Null)
    }
    fn visit_none<E>(self) -> Result<YVal, E> {
        Ok(YVal::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<YVal, D::Error> {
        YVal::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<YVal, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element::<YNode>()? {
            out.push(v);
        }
        Ok(YVal::Seq(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<YVal, A::Error> {
        let mut out: Vec<(String, u32, YNode)> = Vec::new();
        while let Some(k) = map.next_key::<YNode>()? {
            let key = match k.v {
                YVal::Str(s) => s,
                YVal::Int(i) => i.to_string(),
                YVal::Float(f) => f.to_string(),
                YVal::Bool(b) => b.to_string(),
                YVal::Null => "null".to_string(),
                _ => {
                    return Err(de::Error::custom(format!(
                        "line {}: a mapping key must be a scalar",
                        k.line
                    )))
                }
            };
            let v = map.next_value::<YNode>()?;
            out.push((key, k.line, v));
        }
        Ok(YVal::Map(out))
    }
}

/// A YAML syntax or structure error with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: u32,
    pub col: u32,
    pub message: String,
}

/// The parser options guard uses: bounded aliases, depth and size.
pub fn options() -> serde_saphyr::Options {
    let mut o = serde_saphyr::Options::default();
    o.alias_limits.max_total_replayed_events = 200_000;
    o.alias_limits.max_replay_stack_depth = 16;
    o.alias_limits.max_alias_expansions_per_anchor = 1_000;
    let mut b = serde_saphyr::Budget::default();
    b.max_depth = 64;
    b.max_aliases = 10_000;
    b.max_anchors = 10_000;
    b.max_events = 2_000_000;
    b.max_nodes = 2_000_000;
    b.max_total_scalar_bytes = MAX_MODEL_BYTES as usize;
    b.max_documents = 1;
    o.budget = Some(b);
    o.with_snippet = false;
    // YAML 1.2 booleans only (`y`, `on`, `yes` stay strings), as Threagile reads them.
    o.strict_booleans = true;
    o
}

/// Parses one YAML document into a line-annotated tree.
pub fn parse(text: &str) -> Result<YNode, YamlError> {
    if text.len() as u64 > MAX_MODEL_BYTES {
        return Err(YamlError {
            line: 1,
            col: 1,
            message: format!(
                "model is {} bytes, more than the {MAX_MODEL_BYTES}-byte limit",
                text.len()
            ),
        });
    }
    serde_saphyr::from_str_with_options::<YNode>(text, options()).map_err(|e| from_saphyr(&e))
}

/// Deserialises `text` into `T` with the same bounds.
pub fn parse_typed<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    if text.len() as u64 > MAX_MODEL_BYTES {
        return Err(YamlError {
            line: 1,
            col: 1,
            message: format!(
                "model is {} bytes, more than the {MAX_MODEL_BYTES}-byte limit",
                text.len()
            ),
        });
    }
    serde_saphyr::from_str_with_options::<T>(text, options()).map_err(|e| from_saphyr(&e))
}

fn from_saphyr(e: &serde_saphyr::Error) -> YamlError {
    let (line, col) = e
        .location()
        .map(|l| (l.line() as u32, l.column() as u32))
        .unwrap_or((0, 0));
    let text = e.without_snippet().to_string();
    // The message may repeat the place; keep the first line only.
    let message = text.lines().next().unwrap_or("invalid YAML").to_string();
    YamlError { line, col, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_merge_keys() {
        let y = "base: &b\n  x: 1\n  y: 2\nchild:\n  <<: *b\n  y: 3\n";
        let n = parse(y).expect("parses");
        let child = n.get("child").expect("child");
        assert_eq!(child.get("x").map(|v| &v.v), Some(&YVal::Int(1)));
        assert_eq!(child.get("y").map(|v| &v.v), Some(&YVal::Int(3)));
        assert_eq!(n.get("base").map(|b| b.line), Some(2));
        assert_eq!(child.get("y").map(|v| v.line), Some(6));
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut y = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
        let mut prev = "a";
        for n in names {
            y.push_str(&format!(
                "{n}: &{n} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
            prev = n;
        }
        let e = parse(&y).expect_err("bomb refused");
        assert!(
            e.message.to_lowercase().contains("alias")
                || e.message.contains("limit")
                || e.message.contains("budget"),
            "{e:?}"
        );
    }

    #[test]
    fn syntax_error_has_line() {
        let e = parse("a: 1\nb: [1, 2\nc: 3\n").expect_err("bad");
        assert!(e.line >= 2, "{e:?}");
    }
}
