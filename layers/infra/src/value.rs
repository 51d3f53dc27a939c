//! One value model for plan JSON, HCL and policy JSON: a JSON-like tree whose
//! nodes remember the source line they came from (0 when the source has no
//! lines, as in a plan) and which can hold "not known statically".

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum V {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    List(Vec<Node>),
    Obj(Vec<(String, Node)>),
    /// A value only known at apply time (plan) or computed from references
    /// and functions guard does not evaluate (HCL).
    Unknown,
    /// HCL only: a value that depends on an input variable or expression
    /// guard cannot resolve statically; the text says which and why.
    Unresolved(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub v: V,
    /// 1-based source line, 0 when unknown.
    pub line: u32,
    /// Last source line of the value (same as `line` for one-line values).
    pub end: u32,
}

pub static NULL: Node = Node {
    v: V::Null,
    line: 0,
    end: 0,
};

impl Node {
    pub fn new(v: V, line: u32) -> Node {
        Node { v, line, end: line }
    }

    pub fn spanning(v: V, line: u32, end: u32) -> Node {
        Node {
            v,
            line,
            end: end.max(line),
        }
    }

    /// Field `key` of an object (exact name, as Terraform attributes are).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.v {
            V::Obj(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Field `key` of an object, any ASCII case (IAM policy keys).
    pub fn get_ci(&self, key: &str) -> Option<&Node> {
        match &self.v {
            V::Obj(fields) => fields
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.v {
            V::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.v {
            V::Bool(b) => Some(*b),
            V::Str(s) if s == "true" => Some(true),
            V::Str(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match &self.v {
            V::Num(n) => Some(*n),
            V::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.v, V::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.v, V::Unknown | V::Unresolved(_))
    }

    /// The first unresolved input this value depends on, if any (bounded
    /// by the value's own size).
    pub fn unresolved(&self) -> Option<&str> {
        match &self.v {
            V::Unresolved(why) => Some(why),
            V::List(xs) => xs.iter().find_map(Node::unresolved),
            V::Obj(fs) => fs.iter().find_map(|(_, x)| x.unresolved()),
            _ => None,
        }
    }

    /// How many nodes this value holds.
    pub fn size(&self) -> usize {
        1 + match &self.v {
            V::List(xs) => xs.iter().map(Node::size).sum(),
            V::Obj(fs) => fs.iter().map(|(_, x)| x.size()).sum(),
            _ => 0,
        }
    }

    /// Moves this value and everything in it to one span (a value brought in
    /// from elsewhere is reported where it is used).
    pub fn set_span(&mut self, line: u32, end: u32) {
        self.line = line;
        self.end = end.max(line);
        match &mut self.v {
            V::List(xs) => xs.iter_mut().for_each(|x| x.set_span(line, end)),
            V::Obj(fs) => fs.iter_mut().for_each(|(_, x)| x.set_span(line, end)),
            _ => {}
        }
    }

    /// Elements of a list, or the value itself when it is a single object or
    /// scalar (Terraform and IAM both accept either in many places).
    pub fn items(&self) -> Vec<&Node> {
        match &self.v {
            V::List(xs) => xs.iter().collect(),
            V::Null => Vec::new(),
            _ => vec![self],
        }
    }

    /// Nested block objects under `key` (plan JSON and HCL both give lists).
    pub fn blocks<'a>(&'a self, key: &str) -> Vec<&'a Node> {
        self.get(key)
            .map(|n| {
                n.items()
                    .into_iter()
                    .filter(|b| matches!(b.v, V::Obj(_)))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The line of this node, else `fallback`.
    pub fn line_or(&self, fallback: u32) -> u32 {
        if self.line > 0 {
            self.line
        } else {
            fallback
        }
    }

    /// Sets `line` on this node and every descendant that has none.
    pub fn fill_lines(&mut self, line: u32) {
        if self.line == 0 {
            self.line = line;
            self.end = line;
        }
        let l = self.line;
        match &mut self.v {
            V::List(xs) => xs.iter_mut().for_each(|x| x.fill_lines(l)),
            V::Obj(fs) => fs.iter_mut().for_each(|(_, x)| x.fill_lines(l)),
            _ => {}
        }
    }

    /// A short rendering for messages (bounded; never a whole document).
    pub fn short(&self) -> String {
        let s = match &self.v {
            V::Null => "null".to_string(),
            V::Bool(b) => b.to_string(),
            V::Num(n) => n.to_string(),
            V::Str(s) => format!("{s:?}"),
            V::List(xs) => format!("[{} item(s)]", xs.len()),
            V::Obj(fs) => format!("{{{} field(s)}}", fs.len()),
            V::Unknown => "(known after apply)".to_string(),
            V::Unresolved(why) => format!("(unresolved: {why})"),
        };
        if s.chars().count() > 80 {
            let head: String = s.chars().take(77).collect();
            format!("{head}...")
        } else {
            s
        }
    }
}

/// Plan JSON straight into [`Node`]s: one pass, no intermediate tree.
/// serde_json's recursion limit (128) stays on and bounds the depth.
impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Node, E> {
        Ok(Node::new(V::Bool(b), 0))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Node, E> {
        Ok(Node::new(V::Num(n as f64), 0))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Node, E> {
        Ok(Node::new(V::Num(n as f64), 0))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Node, E> {
        Ok(Node::new(V::Num(n), 0))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Node, E> {
        Ok(Node::new(V::Str(s.to_string()), 0))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Node, E> {
        Ok(Node::new(V::Str(s), 0))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::new(V::Null, 0))
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::new(V::Null, 0))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut xs = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(x) = seq.next_element::<Node>()? {
            xs.push(x);
        }
        Ok(Node::new(V::List(xs), 0))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut fs = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Node>()? {
            fs.push((k, v));
        }
        Ok(Node::new(V::Obj(fs), 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deserializes_plan_values() {
        let n: Node = serde_json::from_str(r#"{"a":[1,true,null,"x"],"b":{"c":2.5}}"#).unwrap();
        assert_eq!(n.get("a").unwrap().items().len(), 4);
        assert_eq!(n.get("b").unwrap().get("c").unwrap().as_f64(), Some(2.5));
        assert!(n.get_ci("A").is_some());
    }

    #[test]
    fn recursion_limit_is_an_error() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let err = serde_json::from_str::<Node>(&deep).unwrap_err();
        assert!(err.to_string().contains("recursion limit"), "{err}");
    }
}
