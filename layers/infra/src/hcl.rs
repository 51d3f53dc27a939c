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
use std::cell::{Cell, RefCell};
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

/// How many `local.NAME`/`var.NAME` references one file may expand (bounds
/// locals that reference each other exponentially).
const LOCAL_BUDGET: u32 = 10_000;
/// How many value nodes those expansions may copy in all (bounds huge
/// defaults referenced many times).
const NODE_BUDGET: usize = 2_000_000;

/// Where a definition lives: file index in the module, and its expression.
type Def<'a> = (usize, &'a Expression);

/// The definitions every file of one module directory sees: `locals` and
/// input variables (`default`, overridden by `terraform.tfvars` and
/// `*.auto.tfvars`).
#[derive(Default)]
pub struct Scope<'a> {
    locals: HashMap<&'a str, Vec<Def<'a>>>,
    /// Declarations: file, and `default` if any (`None`: a value only the
    /// caller knows).
    vars: HashMap<&'a str, Vec<(usize, Option<&'a Expression>)>>,
    tfvars: HashMap<&'a str, &'a Expression>,
}

impl<'a> Scope<'a> {
    /// `bodies[i]` is file `i` of the module; `tfvars` are variable files.
    pub fn new(bodies: &[&'a Body], tfvars: &[&'a Body]) -> Scope<'a> {
        let mut scope = Scope::default();
        for (i, body) in bodies.iter().enumerate() {
            for b in body.blocks() {
                match (b.ident.as_str(), b.labels.as_slice()) {
                    ("locals", _) => {
                        for a in b.body.attributes() {
                            scope
                                .locals
                                .entry(a.key.as_str())
                                .or_default()
                                .push((i, &a.value));
                        }
                    }
                    ("variable", [name]) => {
                        let default = b
                            .body
                            .attributes()
                            .find(|a| a.key.as_str() == "default")
                            .map(|a| &a.value);
                        scope
                            .vars
                            .entry(name.as_str())
                            .or_default()
                            .push((i, default));
                    }
                    _ => {}
                }
            }
        }
        for body in tfvars {
            for a in body.attributes() {
                scope.tfvars.insert(a.key.as_str(), &a.value);
            }
        }
        scope
    }

    /// A name defined twice (Terraform rejects that in one module) resolves
    /// to the definition in the file asking, else the first.
    fn pick<T: Copy>(defs: &[(usize, T)], file: usize) -> Option<(usize, T)> {
        defs.iter()
            .find(|(f, _)| *f == file)
            .or_else(|| defs.first())
            .copied()
    }

    /// `Err(reason)`: declared without a value, or not declared.
    fn var(&self, name: &str, file: usize) -> Result<Def<'a>, &'static str> {
        let decl = self
            .vars
            .get(name)
            .and_then(|d| Scope::pick(d, file))
            .ok_or("not declared in this directory")?;
        match (self.tfvars.get(name), decl) {
            (Some(v), _) => Ok((usize::MAX, v)),
            (None, (f, Some(d))) => Ok((f, d)),
            (None, (_, None)) => Err("no default"),
        }
    }

    fn local(&self, name: &str, file: usize) -> Option<Def<'a>> {
        self.locals.get(name).and_then(|d| Scope::pick(d, file))
    }
}

/// Evaluation context: line map, the module's definitions and the budgets.
struct Cx<'a> {
    lines: &'a Lines,
    file: usize,
    scope: &'a Scope<'a>,
    budget: Cell<u32>,
    nodes: Cell<usize>,
    /// Definitions being expanded (a reference back to one is a cycle).
    active: RefCell<Vec<String>>,
    /// Iterators of the `dynamic` blocks being expanded: name and
    /// `{key, value}` of the current element.
    iters: RefCell<Vec<(String, Node)>>,
}

impl Cx<'_> {
    /// Takes one expansion from the budget; false when it is spent.
    fn spend(&self) -> bool {
        let left = self.budget.get();
        self.budget.set(left.saturating_sub(1));
        left > 0
    }
}

fn unresolved(why: String) -> V {
    V::Unresolved(why)
}

/// `var.NAME...` / `local.NAME...`: the root, the name and further operators.
fn named_ref(
    t: &hcl_edit::expr::Traversal,
) -> Option<(&str, &str, &[hcl_edit::Decorated<TraversalOperator>])> {
    let Expression::Variable(root) = &t.expr else {
        return None;
    };
    let root = root.as_str();
    if root != "var" && root != "local" {
        return None;
    }
    let (first, rest) = t.operators.split_first()?;
    match first.value() {
        TraversalOperator::GetAttr(name) => Some((root, name.as_str(), rest)),
        _ => None,
    }
}

/// A `var.`/`local.` reference, expanded from its definition.
fn expand_ref(
    root: &str,
    name: &str,
    rest: &[hcl_edit::Decorated<TraversalOperator>],
    cx: &Cx<'_>,
    depth: usize,
    (line, end): (u32, u32),
) -> V {
    let what = format!("{root}.{name}");
    let def = if root == "var" {
        match cx.scope.var(name, cx.file) {
            Ok(d) => d,
            Err(why) => return unresolved(format!("`{what}` ({why})")),
        }
    } else {
        match cx.scope.local(name, cx.file) {
            Some(d) => d,
            None => return V::Unknown,
        }
    };
    if cx.active.borrow().contains(&what) {
        return V::Unknown;
    }
    if !cx.spend() || cx.nodes.get() == 0 {
        return unresolved(format!("`{what}` (expansion limit reached)"));
    }
    cx.active.borrow_mut().push(what.clone());
    let mut node = expr_node(def.1, cx, depth + 1);
    cx.active.borrow_mut().pop();
    let size = node.size();
    if size > cx.nodes.get() {
        cx.nodes.set(0);
        return unresolved(format!("`{what}` (expansion limit reached)"));
    }
    cx.nodes.set(cx.nodes.get() - size);
    // Values from another file or from a variable are reported where used.
    if root == "var" || def.0 != cx.file {
        node.set_span(line, end);
    }
    for op in rest {
        node = match (op.value(), node.v) {
            (_, v @ (V::Unresolved(_) | V::Unknown)) => Node::new(v, line),
            (TraversalOperator::GetAttr(k), V::Obj(fs)) => {
                match fs.into_iter().find(|(f, _)| f == k.as_str()) {
                    Some((_, n)) => n,
                    None => return V::Unknown,
                }
            }
            (TraversalOperator::Index(i), V::List(xs)) => {
                match expr_node(i, cx, depth + 1).as_f64() {
                    Some(i) if i >= 0.0 && (i as usize) < xs.len() => xs
                        .into_iter()
                        .nth(i as usize)
                        .unwrap_or_else(|| Node::new(V::Unknown, line)),
                    _ => return unresolved(format!("`{what}` (indexed by an unresolved value)")),
                }
            }
            (TraversalOperator::Index(i), V::Obj(fs)) => {
                let key = expr_node(i, cx, depth + 1);
                match key
                    .as_str()
                    .and_then(|k| fs.into_iter().find(|(f, _)| f == k))
                {
                    Some((_, n)) => n,
                    None => {
                        return unresolved(format!("`{what}` (indexed by an unresolved value)"))
                    }
                }
            }
            _ => return unresolved(format!("`{what}` (used in a way guard does not evaluate)")),
        };
    }
    node.v
}

/// A parsed `.tf` file: its resources and data sources.
pub struct HclFile {
    pub resources: Vec<Resource>,
}

/// Parses one file's syntax (nesting checked first).
pub fn parse_body(text: &str) -> Result<Body, ParseError> {
    check_nesting(text)?;
    let mut owned: Option<String> = None;
    // Terraform accepts a key given twice in an object constructor (the
    // last wins); the parser does not, so earlier duplicates are renamed
    // out of the way, one per round.
    for _ in 0..MAX_DUPLICATE_KEYS {
        let current = owned.as_deref().unwrap_or(text);
        match hcl_edit::parser::parse_body(current) {
            Ok(b) => return Ok(b),
            Err(e) => {
                let err = ParseError {
                    line: e.location().line() as u32,
                    col: e.location().column() as u32,
                    message: e.message().to_string(),
                };
                if !err.message.contains("redefined object key") {
                    return Err(err);
                }
                match rename_earlier_duplicate(current, err.line, err.col) {
                    Some(t) => owned = Some(t),
                    None => return Err(err),
                }
            }
        }
    }
    hcl_edit::parser::parse_body(owned.as_deref().unwrap_or(text)).map_err(|e| ParseError {
        line: e.location().line() as u32,
        col: e.location().column() as u32,
        message: e.message().to_string(),
    })
}

/// Most duplicate object keys one file may have.
const MAX_DUPLICATE_KEYS: usize = 256;

/// The key at `line:col` (1-based; the second definition) is looked for
/// on the lines above, at the start of a line and followed by `=` or `:`;
/// that earlier definition gets a key nobody uses, so the later one wins.
/// Line and column positions of everything else stay as they were.
fn rename_earlier_duplicate(text: &str, line: u32, col: u32) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let at = lines.get((line as usize).checked_sub(1)?)?;
    let from = at
        .char_indices()
        .nth((col as usize).saturating_sub(1))
        .map(|(i, _)| i)?;
    let rest = &at[from..];
    let key: &str = if let Some(q) = rest.strip_prefix('"') {
        &rest[..q.find('"')? + 2]
    } else {
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        &rest[..end]
    };
    if key.is_empty() {
        return None;
    }
    let defines = |l: &str| {
        let t = l.trim_start();
        t.strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with(['=', ':']))
    };
    let earlier = (0..line as usize - 1).rev().find(|&i| defines(lines[i]))?;
    let mut out = String::with_capacity(text.len() + 16);
    for (i, l) in lines.iter().enumerate() {
        if i == earlier {
            let indent = l.len() - l.trim_start().len();
            out.push_str(&l[..indent]);
            out.push_str(&format!("guard_duplicate_{i}"));
            out.push_str(&l[indent + key.len()..]);
        } else {
            out.push_str(l);
        }
    }
    Some(out)
}

/// One file on its own: its own locals and variables only.
pub fn parse(text: &str) -> Result<HclFile, ParseError> {
    let body = parse_body(text)?;
    let scope = Scope::new(&[&body], &[]);
    Ok(file_resources(&body, text, 0, &scope))
}

/// The resources of file `file` of a module whose definitions are `scope`.
pub fn file_resources(body: &Body, text: &str, file: usize, scope: &Scope<'_>) -> HclFile {
    let lines = Lines::new(text);
    let cx = Cx {
        lines: &lines,
        file,
        scope,
        budget: Cell::new(LOCAL_BUDGET),
        nodes: Cell::new(NODE_BUDGET),
        active: RefCell::new(Vec::new()),
        iters: RefCell::new(Vec::new()),
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
        for (suffix, binding) in instances(&block.body, &cx) {
            if let Some(b) = binding.clone() {
                cx.iters.borrow_mut().push(b);
            }
            let mut values = body_node(&block.body, &cx, 0);
            if binding.is_some() {
                cx.iters.borrow_mut().pop();
            }
            values.line = line;
            values.end = end;
            resources.push(Resource {
                mode,
                rtype: rtype.clone(),
                name: name.clone(),
                address: format!("{address}{suffix}"),
                line,
                values,
                change: None,
                refs: refs.clone(),
                configured: None,
                via_module: false,
            });
        }
    }
    HclFile { resources }
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
                let expanded = dynamic_blocks(b, content, cx, depth);
                let blocks = expanded.unwrap_or_else(|| vec![body_node(content, cx, depth + 1)]);
                for mut v in blocks {
                    v.line = line;
                    v.end = end;
                    match fields.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, Node { v: V::List(xs), .. })) => xs.push(v),
                        _ => {
                            fields.push((key.clone(), Node::spanning(V::List(vec![v]), line, end)))
                        }
                    }
                }
            }
        }
    }
    Node::new(V::Obj(fields), 0)
}

/// The instances `count` or `for_each` make of a block, when their value is
/// known: an address suffix and the `count`/`each` binding of each. A count
/// of 0 makes none; an unknown count or for_each makes one instance whose
/// `count.index`/`each.*` values are not known.
fn instances(body: &Body, cx: &Cx<'_>) -> Vec<(String, Option<(String, Node)>)> {
    let one = vec![(String::new(), None)];
    let attr = |k: &str| body.attributes().find(|a| a.key.as_str() == k);
    if let Some(c) = attr("count") {
        return match expr_node(&c.value, cx, 1).as_f64() {
            Some(n) if n >= 0.0 && (n as usize) <= MAX_DYNAMIC => (0..n as usize)
                .map(|i| {
                    let b = Node::new(
                        V::Obj(vec![("index".into(), Node::new(V::Num(i as f64), 0))]),
                        0,
                    );
                    (format!("[{i}]"), Some(("count".to_string(), b)))
                })
                .collect(),
            _ => one,
        };
    }
    if let Some(f) = attr("for_each") {
        let each = expr_node(&f.value, cx, 1);
        let pairs: Vec<(String, Node)> = match each.v {
            // A set of strings: key and value are the string.
            V::List(xs) if xs.iter().all(|x| x.as_str().is_some()) => xs
                .into_iter()
                .map(|x| (x.as_str().unwrap_or_default().to_string(), x))
                .collect(),
            V::Obj(fs) => fs,
            _ => return one,
        };
        if pairs.len() > MAX_DYNAMIC || pairs.iter().any(|(_, x)| x.unresolved().is_some()) {
            return one;
        }
        return pairs
            .into_iter()
            .map(|(k, v)| {
                let b = Node::new(
                    V::Obj(vec![
                        ("key".into(), Node::new(V::Str(k.clone()), 0)),
                        ("value".into(), v),
                    ]),
                    0,
                );
                (format!("[{k:?}]"), Some(("each".to_string(), b)))
            })
            .collect();
    }
    one
}

/// Most elements a `dynamic` block is expanded over.
const MAX_DYNAMIC: usize = 256;

/// The blocks a `dynamic` block stands for, one per element of a
/// `for_each` whose value is known (a list, set or map); `None` when it is
/// not known, or this is no `dynamic` block.
fn dynamic_blocks(b: &Block, content: &Body, cx: &Cx<'_>, depth: usize) -> Option<Vec<Node>> {
    if b.ident.as_str() != "dynamic" || depth > MAX_NESTING {
        return None;
    }
    let name = b.labels.first()?.as_str().to_string();
    let for_each = b.body.attributes().find(|a| a.key.as_str() == "for_each")?;
    let iterator = match b.body.attributes().find(|a| a.key.as_str() == "iterator") {
        Some(a) => match &a.value {
            Expression::Variable(v) => v.as_str().to_string(),
            _ => return None,
        },
        None => name,
    };
    let each = expr_node(&for_each.value, cx, depth + 1);
    let elements: Vec<(Node, Node)> = match each.v {
        V::List(xs) => xs
            .into_iter()
            .enumerate()
            .map(|(i, x)| (Node::new(V::Num(i as f64), x.line), x))
            .collect(),
        V::Obj(fs) => fs
            .into_iter()
            .map(|(k, x)| (Node::new(V::Str(k), x.line), x))
            .collect(),
        _ => return None,
    };
    if elements.len() > MAX_DYNAMIC
        || elements
            .iter()
            .any(|(_, x)| x.unresolved().is_some() || x.is_unknown())
    {
        return None;
    }
    let mut out = Vec::with_capacity(elements.len());
    for (key, value) in elements {
        let bound = Node::new(
            V::Obj(vec![("key".into(), key), ("value".into(), value)]),
            0,
        );
        cx.iters.borrow_mut().push((iterator.clone(), bound));
        out.push(body_node(content, cx, depth + 1));
        cx.iters.borrow_mut().pop();
    }
    Some(out)
}

/// `ITERATOR.value...` inside a `dynamic` block being expanded.
fn iterator_ref(t: &hcl_edit::expr::Traversal, cx: &Cx<'_>, line: u32) -> Option<V> {
    let Expression::Variable(root) = &t.expr else {
        return None;
    };
    let bound = cx
        .iters
        .borrow()
        .iter()
        .rev()
        .find(|(n, _)| n == root.as_str())
        .map(|(_, v)| v.clone())?;
    let mut node = bound;
    for op in t.operators.iter() {
        node = match (op.value(), node.v) {
            (TraversalOperator::GetAttr(k), V::Obj(fs)) => {
                fs.into_iter().find(|(f, _)| f == k.as_str())?.1
            }
            (TraversalOperator::Index(Expression::Number(n)), V::List(xs)) => {
                let i = n.value().as_f64()?;
                xs.into_iter().nth(i as usize)?
            }
            (TraversalOperator::Index(Expression::String(k)), V::Obj(fs)) => {
                fs.into_iter().find(|(f, _)| f == k.value().as_str())?.1
            }
            _ => return Some(V::Unknown),
        };
    }
    node.line = line;
    Some(node.v)
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
        Expression::StringTemplate(t) => template_value(t.iter(), cx, depth),
        Expression::HeredocTemplate(h) => {
            // Heredoc text starts on the line after `<<EOF`; the node keeps
            // the span of the whole heredoc.
            template_value(h.template.iter(), cx, depth)
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
                // A function guard does not evaluate: unresolved when an
                // input it reads is, else unknown.
                _ => args
                    .iter()
                    .find_map(|a| expr_node(a, cx, depth + 1).unresolved().map(str::to_string))
                    .map(V::Unresolved)
                    .unwrap_or(V::Unknown),
            }
        }
        Expression::Traversal(t)
            if !cx.iters.borrow().is_empty() && iterator_ref(t, cx, line).is_some() =>
        {
            iterator_ref(t, cx, line).unwrap_or(V::Unknown)
        }
        Expression::Traversal(t) => match named_ref(t) {
            Some((root, name, rest)) => {
                return Node::spanning(
                    expand_ref(root, name, rest, cx, depth, (line, end)),
                    line,
                    end,
                )
            }
            None => V::Unknown,
        },
        Expression::Conditional(c) => {
            let cond = expr_node(&c.cond_expr, cx, depth + 1);
            match cond.as_bool() {
                Some(true) => {
                    return Node::spanning(expr_node(&c.true_expr, cx, depth + 1).v, line, end)
                }
                Some(false) => {
                    return Node::spanning(expr_node(&c.false_expr, cx, depth + 1).v, line, end)
                }
                None => {
                    let branches = [
                        &cond,
                        &expr_node(&c.true_expr, cx, depth + 1),
                        &expr_node(&c.false_expr, cx, depth + 1),
                    ]
                    .iter()
                    .find_map(|n| n.unresolved().map(str::to_string));
                    match branches {
                        Some(why) => V::Unresolved(why),
                        None => V::Unknown,
                    }
                }
            }
        }
        _ => V::Unknown,
    };
    Node::spanning(v, line, end)
}

/// A template's static text; interpolations stay as `${...}` text inside a
/// partly static string, and a template that is only an interpolation is
/// unknown.
fn template_value<'a>(elements: impl Iterator<Item = &'a Element>, cx: &Cx<'_>, depth: usize) -> V {
    let mut out = String::new();
    let mut literal = false;
    let mut dynamic = false;
    for el in elements {
        match el {
            Element::Literal(s) => {
                literal |= !s.value().trim().is_empty();
                out.push_str(s.value());
            }
            Element::Interpolation(i) => match expr_node(&i.expr, cx, depth + 1).v {
                V::Str(s) => {
                    literal |= !s.trim().is_empty();
                    out.push_str(&s);
                }
                V::Num(n) => {
                    literal = true;
                    out.push_str(&n.to_string());
                }
                V::Bool(b) => {
                    literal = true;
                    out.push_str(&b.to_string());
                }
                V::Unresolved(why) => return V::Unresolved(why),
                _ => {
                    dynamic = true;
                    out.push_str("${...}");
                }
            },
            Element::Directive(_) => {
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

    /// The module of `files` (all checked), as the resources of each file.
    fn module(files: &[&str], tfvars: &[&str]) -> Vec<Vec<Resource>> {
        let bodies: Vec<Body> = files.iter().map(|t| parse_body(t).unwrap()).collect();
        let vars: Vec<Body> = tfvars.iter().map(|t| parse_body(t).unwrap()).collect();
        let refs: Vec<&Body> = bodies.iter().collect();
        let var_refs: Vec<&Body> = vars.iter().collect();
        let scope = Scope::new(&refs, &var_refs);
        bodies
            .iter()
            .zip(files)
            .enumerate()
            .map(|(i, (b, t))| file_resources(b, t, i, &scope).resources)
            .collect()
    }

    #[test]
    fn variables_and_locals_resolve_across_files() {
        let main = "resource \"aws_security_group_rule\" \"r\" {\n  cidr_blocks = local.cidrs\n  from_port   = var.port\n  to_port     = var.ports[0]\n  protocol    = \"${var.proto}\"\n}\n";
        let vars = "variable \"port\" {\n  default = 22\n}\nvariable \"ports\" {\n  default = [3389]\n}\nvariable \"proto\" {\n  default = \"tcp\"\n}\nvariable \"cidr\" {\n  default = \"10.0.0.0/8\"\n}\nlocals {\n  cidrs = [var.cidr]\n}\n";
        let m = module(&[main, vars], &["cidr = \"0.0.0.0/0\"\n"]);
        let v = &m[0][0].values;
        // terraform.tfvars overrides the default; the value is reported
        // where it is used (line 2 of main), not in the other file.
        let c = v.get("cidr_blocks").unwrap();
        assert_eq!(c.items()[0].as_str(), Some("0.0.0.0/0"));
        assert_eq!((c.line, c.items()[0].line), (2, 2));
        assert_eq!(v.get("from_port").unwrap().as_f64(), Some(22.0));
        assert_eq!(v.get("to_port").unwrap().as_f64(), Some(3389.0));
        assert_eq!(v.get("protocol").unwrap().as_str(), Some("tcp"));
    }

    #[test]
    fn a_name_defined_twice_prefers_the_same_file() {
        let a = "locals {\n  c = \"a\"\n}\nresource \"x\" \"a\" {\n  v = local.c\n}\n";
        let b = "locals {\n  c = \"b\"\n}\nresource \"x\" \"b\" {\n  v = local.c\n}\n";
        let c = "resource \"x\" \"c\" {\n  v = local.c\n}\n";
        let m = module(&[a, b, c], &[]);
        let v = |i: usize| {
            m[i][0]
                .values
                .get("v")
                .unwrap()
                .as_str()
                .map(str::to_string)
        };
        assert_eq!(
            (v(0), v(1), v(2)),
            (Some("a".into()), Some("b".into()), Some("a".into()))
        );
    }

    #[test]
    fn unresolved_inputs_say_why() {
        let f = parse("variable \"a\" {}\nresource \"x\" \"y\" {\n  a = var.a\n  b = var.nope\n  c = concat(var.a, [\"x\"])\n  d = \"${var.a}/32\"\n  e = aws_vpc.main.cidr_block\n  f = var.a == \"\" ? \"0.0.0.0/0\" : var.a\n}\n").unwrap();
        let v = &f.resources[0].values;
        let why = |k: &str| v.get(k).unwrap().unresolved().map(str::to_string);
        assert_eq!(why("a").as_deref(), Some("`var.a` (no default)"));
        assert!(why("b").unwrap().contains("not declared"));
        assert!(why("c").is_some() && why("d").is_some() && why("f").is_some());
        // A reference to another resource is computed, not an input.
        assert!(v.get("e").unwrap().is_unknown() && why("e").is_none());
    }

    #[test]
    fn cycles_and_huge_defaults_are_bounded() {
        // Locals that refer to each other (Terraform rejects this) and a
        // variable whose default is referenced far more often than it may be copied.
        let big = format!("[{}]", vec!["\"0.0.0.0/0\""; 50_000].join(","));
        let refs = vec!["var.big"; 2_000].join(", ");
        let text = format!("variable \"big\" {{\n  default = {big}\n}}\nlocals {{\n  a = local.b\n  b = [local.a, local.a]\n}}\nresource \"x\" \"y\" {{\n  loop = local.a\n  many = [{refs}]\n}}\n");
        let start = std::time::Instant::now();
        let f = parse(&text).unwrap();
        assert!(start.elapsed().as_secs() < 10);
        let v = &f.resources[0].values;
        assert!(v.get("loop").unwrap().unresolved().is_none());
        let many = v.get("many").unwrap();
        assert!(many.size() <= NODE_BUDGET + 3_000);
        assert!(many.unresolved().unwrap().contains("expansion limit"));
    }

    #[test]
    fn dynamic_blocks_expand_over_known_values() {
        let text = "variable \"ports\" {\n  default = [22, 443]\n}\nresource \"aws_security_group\" \"s\" {\n  dynamic \"ingress\" {\n    for_each = var.ports\n    iterator = p\n    content {\n      from_port = p.value\n      to_port   = p.value\n    }\n  }\n  dynamic \"egress\" {\n    for_each = var.unknown_list\n    content {\n      from_port = egress.value\n    }\n  }\n}\n";
        let f = parse(text).unwrap();
        let v = &f.resources[0].values;
        let ports: Vec<Option<f64>> = v
            .blocks("ingress")
            .iter()
            .map(|b| b.get("from_port").and_then(Node::as_f64))
            .collect();
        assert_eq!(ports, [Some(22.0), Some(443.0)]);
        // Not known: one block whose iterator values are not known.
        let e = v.blocks("egress");
        assert_eq!(e.len(), 1);
        assert!(e[0].get("from_port").unwrap().as_f64().is_none());
    }

    #[test]
    fn count_and_for_each_expand_over_known_values() {
        let text = "variable \"create\" {\n  default = false\n}\nvariable \"buckets\" {\n  default = { logs = \"private\", site = \"public-read\" }\n}\nresource \"aws_s3_bucket\" \"off\" {\n  count = var.create ? 1 : 0\n}\nresource \"aws_s3_bucket\" \"b\" {\n  for_each = var.buckets\n  bucket   = each.key\n  acl      = each.value\n}\nresource \"aws_instance\" \"n\" {\n  count = 2\n  tags  = { Name = \"n${count.index}\" }\n}\n";
        let f = parse(text).unwrap();
        let addrs: Vec<&str> = f.resources.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(
            addrs,
            [
                "aws_s3_bucket.b[\"logs\"]",
                "aws_s3_bucket.b[\"site\"]",
                "aws_instance.n[0]",
                "aws_instance.n[1]"
            ]
        );
        assert_eq!(
            f.resources[1].values.get("acl").and_then(Node::as_str),
            Some("public-read")
        );
    }

    #[test]
    fn duplicate_object_keys_last_wins() {
        let text = "resource \"x\" \"y\" {\n  tags = {\n    Name = \"a\"\n    Name = \"b\"\n  }\n  m = { \"k\" = 1, z = 2 }\n}\n";
        let f = parse(text).unwrap();
        let tags = f.resources[0].values.get("tags").unwrap();
        assert_eq!(tags.get("Name").and_then(Node::as_str), Some("b"));
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
