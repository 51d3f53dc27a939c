//! Terraform HCL (`.tf`) into the resource model, with line spans, using the
//! hcl-edit parser. Expressions are evaluated only where they are static:
//! literals, arrays, objects, heredocs, `jsonencode(...)`; anything else
//! (references, conditionals, most functions) becomes `Unknown`.

use crate::model::{Mode, Resource};
use crate::value::{Node, V};
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::template::Element;
use hcl_edit::Span;
use std::cell::Cell;
use std::collections::HashMap;

/// Bracket nesting deeper than this is refused before parsing, so hostile
/// input cannot exhaust the parser's stack.
pub const MAX_NESTING: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: u32,
    pub col: u32,
    pub message: String,
}

/// Maps byte offsets to 1-based lines.
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }
    pub fn line(&self, offset: usize) -> u32 {
        match self.starts.binary_search(&offset) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }
    fn span<S: Span>(&self, s: &S) -> (u32, u32) {
        match s.span() {
            Some(r) => (
                self.line(r.start),
                self.line(r.end.saturating_sub(1).max(r.start)),
            ),
            None => (0, 0),
        }
    }
}

/// Rejects input whose bracket nesting exceeds [`MAX_NESTING`] (a cheap
/// over-estimate: brackets inside strings count too).
fn check_nesting(text: &str) -> Result<(), ParseError> {
    let (mut depth, mut line, mut col) = (0usize, 1u32, 0u32);
    for c in text.chars() {
        col += 1;
        match c {
            '{' | '[' | '(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(ParseError {
                        line,
                        col,
                        message: format!("nesting deeper than {MAX_NESTING} levels"),
                    });
                }
            }
            '}' | ']' | ')' => depth = depth.saturating_sub(1),
            '\n' => {
                line += 1;
                col = 0;
            }
            _ => {}
        }
    }
    Ok(())
}

/// How many `local.NAME` references one file may expand (bounds cycles and
/// locals that reference each other exponentially).
const LOCAL_BUDGET: u32 = 10_000;

/// Evaluation context: line map and the file's `locals`.
struct Cx<'a> {
    lines: &'a Lines,
    locals: HashMap<&'a str, &'a Expression>,
    budget: Cell<u32>,
}

impl Cx<'_> {
    /// Takes one local expansion from the budget; false when it is spent.
    fn spend(&self) -> bool {
        let left = self.budget.get();
        self.budget.set(left.saturating_sub(1));
        left > 0
    }
}

/// `local.NAME` (exactly), the name.
fn local_name(t: &hcl_edit::expr::Traversal) -> Option<&str> {
    let Expression::Variable(root) = &t.expr else {
        return None;
    };
    match (root.as_str(), t.operators.as_slice()) {
        ("local", [op]) => match op.value() {
            TraversalOperator::GetAttr(name) => Some(name.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// A parsed `.tf` file: its resources and data sources.
pub struct HclFile {
    pub resources: Vec<Resource>,
}

pub fn parse(text: &str) -> Result<HclFile, ParseError> {
    check_nesting(text)?;
    let body = hcl_edit::parser::parse_body(text).map_err(|e| ParseError {
        line: e.location().line() as u32,
        col: e.location().column() as u32,
        message: e.message().to_string(),
    })?;
    let lines = Lines::new(text);
    let cx = Cx {
        lines: &lines,
        locals: body
            .blocks()
            .filter(|b| b.ident.as_str() == "locals")
            .flat_map(|b| b.body.attributes())
            .map(|a| (a.key.as_str(), &a.value))
            .collect(),
        budget: Cell::new(LOCAL_BUDGET),
    };
    let mut resources = Vec::new();
    for block in body.blocks() {
        let mode = match block.ident.as_str() {
            "resource" => Mode::Managed,
            "data" => Mode::Data,
            "module" => Mode::Module,
            _ => continue,
        };
        let (rtype, name) = match (mode, block.labels.as_slice()) {
            (Mode::Module, [n]) => ("module".to_string(), n.as_str().to_string()),
            (Mode::Managed | Mode::Data, [t, n]) => {
                (t.as_str().to_string(), n.as_str().to_string())
            }
            _ => continue,
        };
        let (line, end) = cx.lines.span(block);
        let address = match mode {
            Mode::Managed => format!("{rtype}.{name}"),
            Mode::Data => format!("data.{rtype}.{name}"),
            Mode::Module => format!("module.{name}"),
        };
        let mut refs = Vec::new();
        collect_refs(&block.body, &mut refs);
        let mut values = body_node(&block.body, &cx, 0);
        values.line = line;
        values.end = end;
        resources.push(Resource {
            mode,
            rtype,
            name,
            address,
            line,
            values,
            change: None,
            refs,
            configured: None,
            via_module: false,
        });
    }
    Ok(HclFile { resources })
}

/// `attr = data.TYPE.NAME.json`-style references of top-level attributes.
fn collect_refs(body: &Body, out: &mut Vec<(String, String)>) {
    for attr in body.attributes() {
        if let Expression::Traversal(t) = &attr.value {
            if let Expression::Variable(root) = &t.expr {
                let mut parts = vec![root.as_str().to_string()];
                for op in &t.operators {
                    if let TraversalOperator::GetAttr(a) = op.value() {
                        parts.push(a.as_str().to_string());
                    }
                }
                if parts.len() >= 3 {
                    let n = if parts[0] == "data" { 3 } else { 2 };
                    out.push((
                        attr.key.as_str().to_string(),
                        parts[..n.min(parts.len())].join("."),
                    ));
                }
            }
        }
    }
}

fn body_node(body: &Body, cx: &Cx<'_>, depth: usize) -> Node {
    let mut fields: Vec<(String, Node)> = Vec::new();
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                let (line, end) = cx.lines.span(a);
                let mut v = expr_node(&a.value, cx, depth + 1);
                // Attribute values carry the whole attribute's span, so a
                // finding covers `key = value` and inline ignores above it work.
                v.line = line;
                v.end = end.max(line);
                fields.push((a.key.as_str().to_string(), v));
            }
            Structure::Block(b) => {
                let (key, content) = block_content(b);
                let Some(content) = content else { continue };
                let (line, end) = cx.lines.span(b);
                let mut v = body_node(content, cx, depth + 1);
                v.line = line;
                v.end = end;
                match fields.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, Node { v: V::List(xs), .. })) => xs.push(v),
                    _ => fields.push((key, Node::spanning(V::List(vec![v]), line, end))),
                }
            }
        }
    }
    Node::new(V::Obj(fields), 0)
}

/// A nested block's name and body; `dynamic "x" { content { ... } }` counts
/// as one `x` block whose iterator-dependent values are unknown.
fn block_content(b: &Block) -> (String, Option<&Body>) {
    if b.ident.as_str() == "dynamic" {
        let name = b
            .labels
            .first()
            .map(|l| l.as_str().to_string())
            .unwrap_or_default();
        let content = b
            .body
            .blocks()
            .find(|c| c.ident.as_str() == "content")
            .map(|c| &c.body);
        (name, content)
    } else {
        (b.ident.as_str().to_string(), Some(&b.body))
    }
}

fn expr_node(e: &Expression, cx: &Cx<'_>, depth: usize) -> Node {
    let (line, end) = cx.lines.span(e);
    if depth > MAX_NESTING {
        return Node::spanning(V::Unknown, line, end);
    }
    let v = match e {
        Expression::Null(_) => V::Null,
        Expression::Bool(b) => V::Bool(*b.value()),
        Expression::Number(n) => n.value().as_f64().map(V::Num).unwrap_or(V::Unknown),
        Expression::String(s) => V::Str(s.value().to_string()),
        Expression::Array(a) => V::List(a.iter().map(|x| expr_node(x, cx, depth + 1)).collect()),
        Expression::Object(o) => {
            let mut fs = Vec::new();
            for (k, v) in o.iter() {
                let key = match k {
                    ObjectKey::Ident(i) => i.as_str().to_string(),
                    ObjectKey::Expression(Expression::String(s)) => s.value().to_string(),
                    ObjectKey::Expression(_) => continue,
                };
                fs.push((key, expr_node(v.expr(), cx, depth + 1)));
            }
            V::Obj(fs)
        }
        Expression::StringTemplate(t) => template_value(t.iter()),
        Expression::HeredocTemplate(h) => {
            // Heredoc text starts on the line after `<<EOF`; the node keeps
            // the span of the whole heredoc.
            template_value(h.template.iter())
        }
        Expression::Parenthesis(p) => return expr_node(p.inner(), cx, depth + 1),
        Expression::UnaryOp(u) => match (u.operator.value(), expr_node(&u.expr, cx, depth + 1).v) {
            (UnaryOperator::Neg, V::Num(n)) => V::Num(-n),
            (UnaryOperator::Not, V::Bool(b)) => V::Bool(!b),
            _ => V::Unknown,
        },
        Expression::FuncCall(f) => {
            let name = f.name.name.as_str();
            let args: Vec<&Expression> = f.args.iter().collect();
            match (name, args.as_slice()) {
                ("jsonencode" | "tolist" | "toset" | "tostring" | "tonumber" | "tobool", [x]) => {
                    return Node::spanning(expr_node(x, cx, depth + 1).v, line, end)
                }
                _ => V::Unknown,
            }
        }
        Expression::Traversal(t) => match local_name(t) {
            Some(name) => match cx.locals.get(name) {
                Some(expr) if cx.spend() => {
                    return Node::spanning(expr_node(expr, cx, depth + 1).v, line, end)
                }
                _ => V::Unknown,
            },
            None => V::Unknown,
        },
        _ => V::Unknown,
    };
    Node::spanning(v, line, end)
}

/// A template's static text; interpolations stay as `${...}` text inside a
/// partly static string, and a template that is only an interpolation is
/// unknown.
fn template_value<'a>(elements: impl Iterator<Item = &'a Element>) -> V {
    let mut out = String::new();
    let mut literal = false;
    let mut dynamic = false;
    for el in elements {
        match el {
            Element::Literal(s) => {
                literal |= !s.value().trim().is_empty();
                out.push_str(s.value());
            }
            Element::Interpolation(_) | Element::Directive(_) => {
                dynamic = true;
                out.push_str("${...}");
            }
        }
    }
    if dynamic && !literal {
        V::Unknown
    } else {
        V::Str(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_with_lines() {
        let f = parse(
            "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n  force_destroy = true\n  dynamic \"grant\" {\n    content {\n      uri = grant.value\n    }\n  }\n}\n",
        )
        .unwrap();
        let r = &f.resources[0];
        assert_eq!((r.address.as_str(), r.line), ("aws_s3_bucket.b", 1));
        let fd = r.values.get("force_destroy").unwrap();
        assert_eq!((fd.as_bool(), fd.line), (Some(true), 3));
        assert!(r.values.blocks("grant")[0].get("uri").unwrap().is_unknown());
    }

    #[test]
    fn heredoc_and_jsonencode() {
        let f = parse("resource \"aws_iam_policy\" \"p\" {\n  policy = <<-EOF\n    {\"Statement\": []}\n  EOF\n  other = jsonencode({ Version = \"2012-10-17\" })\n  ref = data.aws_iam_policy_document.d.json\n  neg = -1\n}\n").unwrap();
        let r = &f.resources[0];
        let p = r.values.get("policy").unwrap();
        assert!(p.as_str().unwrap().contains("Statement"));
        assert_eq!((p.line, p.end), (2, 4));
        assert!(r.values.get("other").unwrap().get("Version").is_some());
        assert_eq!(
            r.refs,
            vec![(
                "ref".to_string(),
                "data.aws_iam_policy_document.d".to_string()
            )]
        );
        assert_eq!(r.values.get("neg").unwrap().as_f64(), Some(-1.0));
    }

    #[test]
    fn locals_are_resolved_and_bounded() {
        let f = parse("locals {\n  doc = jsonencode({ Statement = [{ Effect = \"Allow\", Action = \"*\", Resource = \"*\" }] })\n  a = [local.b, local.b]\n  b = [local.a, local.a]\n}\nresource \"aws_iam_policy\" \"p\" {\n  policy = local.doc\n  loop = local.a\n}\n").unwrap();
        let p = f.resources[0].values.get("policy").unwrap();
        assert_eq!(p.line, 7);
        assert!(p.get("Statement").is_some());
    }

    #[test]
    fn syntax_error_has_place() {
        let e = parse("resource \"a\" \"b\" {\n  x = \n}\n").err().unwrap();
        assert_eq!(e.line, 2);
        assert!(e.col >= 1);
    }

    #[test]
    fn deep_nesting_refused() {
        let text = format!("x = {}{}", "[".repeat(5000), "]".repeat(5000));
        assert!(parse(&text).err().unwrap().message.contains("nesting"));
    }
}
