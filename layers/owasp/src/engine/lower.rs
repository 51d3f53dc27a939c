//! tree-sitter trees to the IR. The only per-language code of the engine:
//! node kinds differ by grammar, the IR does not.

use super::ir::*;
use super::Lang;
use tree_sitter::Node;

/// Deeper syntax than this is refused (the file is reported as skipped)
/// instead of risking the stack.
pub const MAX_DEPTH: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooDeep {
    pub line: u32,
}

pub struct Lowerer<'a> {
    src: &'a [u8],
    lang: Lang,
    module: Module,
    depth: usize,
    /// Function being lowered (where nested functions hang).
    current: usize,
}

pub fn lower(root: Node<'_>, src: &[u8], lang: Lang) -> Result<Module, TooDeep> {
    let mut l = Lowerer {
        src,
        lang,
        module: Module::default(),
        depth: 0,
        current: 0,
    };
    l.module.functions.push(Function {
        name: "<module>".into(),
        params: vec![],
        decorators: vec![],
        body: vec![],
        span: l.span(root),
        parent: None,
    });
    let body = l.block(root)?;
    l.module.functions[0].body = body;
    Ok(l.module)
}

impl<'a> Lowerer<'a> {
    fn text(&self, n: Node<'_>) -> &'a str {
        std::str::from_utf8(&self.src[n.start_byte()..n.end_byte()]).unwrap_or("")
    }

    fn col(&self, byte: usize, col_bytes: usize) -> u32 {
        let start = byte.saturating_sub(col_bytes);
        let chars = std::str::from_utf8(&self.src[start..byte])
            .map(|s| s.chars().count())
            .unwrap_or(col_bytes);
        chars as u32 + 1
    }

    pub fn span(&self, n: Node<'_>) -> Span {
        let s = n.start_position();
        let e = n.end_position();
        Span {
            start_line: s.row as u32 + 1,
            start_col: self.col(n.start_byte(), s.column),
            end_line: e.row as u32 + 1,
            end_col: self.col(n.end_byte(), e.column),
        }
    }

    fn enter(&mut self, n: Node<'_>) -> Result<(), TooDeep> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(TooDeep {
                line: n.start_position().row as u32 + 1,
            });
        }
        Ok(())
    }

    fn named_children<'t>(n: Node<'t>) -> Vec<Node<'t>> {
        let mut c = n.walk();
        n.named_children(&mut c)
            .filter(|c| !is_comment(c.kind()))
            .collect()
    }

    // ---------------------------------------------------------------- statements

    /// Lowers the statements under `n` (a block, a module, a class body, or a
    /// single statement).
    fn block(&mut self, n: Node<'_>) -> Result<Vec<Stmt>, TooDeep> {
        self.enter(n)?;
        let mut out = Vec::new();
        match n.kind() {
            "module"
            | "program"
            | "source_file"
            | "block"
            | "statement_block"
            | "class_body"
            | "switch_block_statement_group"
            | "declaration_list"
            | "interface_body"
            | "enum_body"
            | "enum_body_declarations"
            | "else_clause"
            | "finally_clause"
            | "constructor_body"
            | "statement_list"
            | "expression_case"
            | "default_case"
            | "type_case"
            | "communication_case" => {
                for c in Self::named_children(n) {
                    self.stmt(c, &mut out)?;
                }
            }
            _ => self.stmt(n, &mut out)?,
        }
        self.depth -= 1;
        Ok(out)
    }

    fn field_block(&mut self, n: Node<'_>, field: &str) -> Result<Vec<Stmt>, TooDeep> {
        match n.child_by_field_name(field) {
            Some(b) => self.block(b),
            None => Ok(vec![]),
        }
    }

    fn stmt(&mut self, n: Node<'_>, out: &mut Vec<Stmt>) -> Result<(), TooDeep> {
        self.enter(n)?;
        let sp = self.span(n);
        match n.kind() {
            k if is_comment(k) => {}
            "expression_statement" => {
                for c in Self::named_children(n) {
                    self.expr_stmt(c, out)?;
                }
            }
            "block" | "statement_block" | "else_clause" | "finally_clause" => {
                out.extend(self.block(n)?);
            }
            "function_definition"
            | "function_declaration"
            | "method_declaration"
            | "constructor_declaration"
            | "method_definition"
            | "generator_function_declaration" => {
                let idx = self.function(n, vec![])?;
                if let Some(name) = n.child_by_field_name("name") {
                    out.push(Stmt::Assign {
                        target: Expr::Name(self.text(name).to_string()),
                        value: Expr::Func(idx),
                        ty: None,
                        span: sp,
                    });
                }
            }
            "decorated_definition" => {
                let decos: Vec<String> = Self::named_children(n)
                    .into_iter()
                    .filter(|c| c.kind() == "decorator")
                    .map(|d| decorator_text(self.text(d)))
                    .collect();
                if let Some(def) = n.child_by_field_name("definition") {
                    if def.kind() == "function_definition" {
                        let idx = self.function(def, decos)?;
                        if let Some(name) = def.child_by_field_name("name") {
                            out.push(Stmt::Assign {
                                target: Expr::Name(self.text(name).to_string()),
                                value: Expr::Func(idx),
                                ty: None,
                                span: sp,
                            });
                        }
                    } else {
                        self.stmt(def, out)?;
                    }
                }
            }
            "class_definition"
            | "class_declaration"
            | "interface_declaration"
            | "enum_declaration"
            | "record_declaration"
            | "class" => {
                if let Some(body) = n.child_by_field_name("body") {
                    out.extend(self.block(body)?);
                }
            }
            "field_declaration" | "local_variable_declaration" | "constant_declaration" => {
                let ty = n
                    .child_by_field_name("type")
                    .map(|t| self.text(t).to_string());
                let mut c = n.walk();
                let decls: Vec<Node<'_>> = n.children_by_field_name("declarator", &mut c).collect();
                for d in decls {
                    self.declarator(d, ty.clone(), out)?;
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                for d in Self::named_children(n) {
                    if d.kind() == "variable_declarator" {
                        self.declarator(d, None, out)?;
                    }
                }
            }
            "var_declaration" | "const_declaration" => {
                for spec in Self::named_children(n) {
                    let specs = if spec.kind().ends_with("_spec_list") {
                        Self::named_children(spec)
                    } else {
                        vec![spec]
                    };
                    for spec in specs {
                        self.go_spec(spec, out)?;
                    }
                }
            }
            "short_var_declaration" | "assignment_statement" => {
                let left = n.child_by_field_name("left");
                let right = n.child_by_field_name("right");
                if let (Some(l), Some(r)) = (left, right) {
                    let ls = Self::named_children(l);
                    let rs = Self::named_children(r);
                    let op = n
                        .child_by_field_name("operator")
                        .map(|o| self.text(o).to_string())
                        .unwrap_or_default();
                    if rs.len() == ls.len() {
                        for (a, b) in ls.iter().zip(rs.iter()) {
                            let target = self.expr(*a)?;
                            let mut value = self.expr(*b)?;
                            if op.len() > 1 && op != ":=" {
                                value = Expr::Bin(
                                    binop(&op[..op.len() - 1]),
                                    Box::new(target.clone()),
                                    Box::new(value),
                                );
                            }
                            out.push(Stmt::Assign {
                                target,
                                value,
                                ty: None,
                                span: sp,
                            });
                        }
                    } else if let Some(r0) = rs.first() {
                        // a, err := f(x): every target gets the call's value.
                        let value = self.expr(*r0)?;
                        for a in ls {
                            let target = self.expr(a)?;
                            out.push(Stmt::Assign {
                                target,
                                value: value.clone(),
                                ty: None,
                                span: sp,
                            });
                        }
                    }
                }
            }
            "return_statement" => {
                let e = Self::named_children(n).first().copied();
                let v = match e {
                    Some(e) if e.kind() == "expression_list" => {
                        let parts = Self::named_children(e);
                        match parts.first() {
                            Some(p) => Some(self.expr(*p)?),
                            None => None,
                        }
                    }
                    Some(e) => Some(self.expr(e)?),
                    None => None,
                };
                out.push(Stmt::Return(v, sp));
            }
            "raise_statement" | "throw_statement" => {
                for c in Self::named_children(n) {
                    let e = self.expr(c)?;
                    out.push(Stmt::Expr(e, sp));
                }
                out.push(Stmt::Throw(sp));
            }
            "if_statement" => self.if_stmt(n, out)?,
            "while_statement" | "do_statement" => {
                let cond = match n.child_by_field_name("condition") {
                    Some(c) => Some(self.expr(c)?),
                    None => None,
                };
                let body = self.field_block(n, "body")?;
                out.push(Stmt::Loop {
                    var: None,
                    iter: None,
                    cond,
                    body,
                });
            }
            "for_statement" | "for_in_statement" | "enhanced_for_statement" => {
                self.for_stmt(n, out)?;
            }
            "try_statement" | "try_with_resources_statement" => self.try_stmt(n, out)?,
            "with_statement" => {
                for c in Self::named_children(n) {
                    if c.kind() == "with_clause" {
                        for item in Self::named_children(c) {
                            if let Some(v) = item.child_by_field_name("value") {
                                if v.kind() == "as_pattern" {
                                    let kids = Self::named_children(v);
                                    if let (Some(e), Some(alias)) = (kids.first(), kids.last()) {
                                        let value = self.expr(*e)?;
                                        let target = self.expr(
                                            Self::named_children(*alias)
                                                .first()
                                                .copied()
                                                .unwrap_or(*alias),
                                        )?;
                                        out.push(Stmt::Assign {
                                            target,
                                            value,
                                            ty: None,
                                            span: sp,
                                        });
                                    }
                                } else {
                                    let e = self.expr(v)?;
                                    out.push(Stmt::Expr(e, sp));
                                }
                            }
                        }
                    }
                }
                out.extend(self.field_block(n, "body")?);
            }
            "switch_expression"
            | "switch_statement"
            | "expression_switch_statement"
            | "match_statement" => self.switch(n, out)?,
            "labeled_statement" => {
                for c in Self::named_children(n) {
                    self.stmt(c, out)?;
                }
            }
            "break_statement" => out.push(Stmt::Break),
            "continue_statement" => out.push(Stmt::Continue),
            "import_statement"
            | "import_from_statement"
            | "import_declaration"
            | "future_import_statement" => self.import(n),
            "assert_statement" => {
                // `assert x in ALLOWED`: what follows runs only when it holds.
                if let Some(c) = Self::named_children(n).first() {
                    let cond = self.expr(*c)?;
                    out.push(Stmt::If {
                        cond,
                        then: vec![],
                        els: vec![Stmt::Throw(sp)],
                    });
                }
            }
            "package_clause"
            | "package_declaration"
            | "pass_statement"
            | "empty_statement"
            | "type_declaration"
            | "global_statement"
            | "nonlocal_statement"
            | "line_comment"
            | "block_comment"
            | "type_alias_statement"
            | "interface_declaration_body" => {}
            "defer_statement" | "go_statement" => {
                for c in Self::named_children(n) {
                    self.expr_stmt(c, out)?;
                }
            }
            "export_statement" => {
                for c in Self::named_children(n) {
                    self.stmt(c, out)?;
                }
            }
            "inc_statement" | "dec_statement" | "send_statement" => {}
            _ => {
                if n.kind().ends_with("_expression")
                    || n.kind() == "call"
                    || n.kind() == "assignment"
                    || n.kind() == "augmented_assignment"
                {
                    self.expr_stmt(n, out)?;
                } else {
                    // An unknown statement: lower its parts so calls inside
                    // are still seen.
                    for c in Self::named_children(n) {
                        self.stmt(c, out)?;
                    }
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    fn expr_stmt(&mut self, n: Node<'_>, out: &mut Vec<Stmt>) -> Result<(), TooDeep> {
        let sp = self.span(n);
        match n.kind() {
            "assignment" | "assignment_expression" => {
                let (Some(l), Some(r)) = (
                    n.child_by_field_name("left"),
                    n.child_by_field_name("right"),
                ) else {
                    // Python annotation without value: `x: int`
                    return Ok(());
                };
                let ty = n
                    .child_by_field_name("type")
                    .map(|t| self.text(t).to_string());
                let value = self.expr(r)?;
                // a = b = v ; a, b = v
                if l.kind() == "pattern_list" || l.kind() == "tuple_pattern" {
                    let rs = if matches!(r.kind(), "expression_list" | "tuple") {
                        Self::named_children(r)
                    } else {
                        vec![]
                    };
                    let ls = Self::named_children(l);
                    for (i, t) in ls.iter().enumerate() {
                        let target = self.expr(*t)?;
                        let v = match rs.get(i) {
                            Some(r) if rs.len() == ls.len() => self.expr(*r)?,
                            _ => value.clone(),
                        };
                        out.push(Stmt::Assign {
                            target,
                            value: v,
                            ty: None,
                            span: sp,
                        });
                    }
                } else {
                    let target = self.expr(l)?;
                    let nested = r.kind() == "assignment";
                    if nested {
                        self.expr_stmt(r, out)?;
                        if let Some(rl) = r.child_by_field_name("left") {
                            let v = self.expr(rl)?;
                            out.push(Stmt::Assign {
                                target,
                                value: v,
                                ty,
                                span: sp,
                            });
                        }
                    } else {
                        out.push(Stmt::Assign {
                            target,
                            value,
                            ty,
                            span: sp,
                        });
                    }
                }
            }
            "augmented_assignment" | "augmented_assignment_expression" => {
                if let (Some(l), Some(r)) = (
                    n.child_by_field_name("left"),
                    n.child_by_field_name("right"),
                ) {
                    let op = n
                        .child_by_field_name("operator")
                        .map(|o| self.text(o).to_string())
                        .unwrap_or_default();
                    let target = self.expr(l)?;
                    let v = self.expr(r)?;
                    let bop = binop(op.trim_end_matches('='));
                    out.push(Stmt::Assign {
                        target: target.clone(),
                        value: Expr::Bin(bop, Box::new(target), Box::new(v)),
                        ty: None,
                        span: sp,
                    });
                }
            }
            "update_expression" => {}
            _ => {
                let e = self.expr(n)?;
                if let Expr::Func(_) = e {
                } else {
                    out.push(Stmt::Expr(e, sp));
                }
            }
        }
        Ok(())
    }

    fn declarator(
        &mut self,
        d: Node<'_>,
        ty: Option<String>,
        out: &mut Vec<Stmt>,
    ) -> Result<(), TooDeep> {
        let sp = self.span(d);
        let Some(name) = d.child_by_field_name("name") else {
            return Ok(());
        };
        if let Some(v) = d.child_by_field_name("value") {
            if matches!(self.lang, Lang::JavaScript | Lang::TypeScript | Lang::Tsx)
                && self.require(name, v)
            {
                return Ok(());
            }
        }
        let value = match d.child_by_field_name("value") {
            Some(v) => self.expr(v)?,
            None => match &ty {
                // `String s;` is nothing yet.
                Some(_) => Expr::Lit(Const::Null),
                None => Expr::Lit(Const::Null),
            },
        };
        if name.kind() == "object_pattern" || name.kind() == "array_pattern" {
            // const { a, b } = req.query: each name gets the field.
            for p in Self::named_children(name) {
                let (local, key) = match p.kind() {
                    "shorthand_property_identifier_pattern" | "identifier" => {
                        (self.text(p).to_string(), self.text(p).to_string())
                    }
                    "pair_pattern" => {
                        match (p.child_by_field_name("key"), p.child_by_field_name("value")) {
                            (Some(k), Some(v)) => {
                                (self.text(v).to_string(), self.text(k).to_string())
                            }
                            _ => continue,
                        }
                    }
                    _ => continue,
                };
                out.push(Stmt::Assign {
                    target: Expr::Name(local),
                    value: Expr::Attr(Box::new(value.clone()), key),
                    ty: None,
                    span: sp,
                });
            }
            return Ok(());
        }
        out.push(Stmt::Assign {
            target: Expr::Name(self.text(name).to_string()),
            value,
            ty,
            span: sp,
        });
        Ok(())
    }

    fn go_spec(&mut self, spec: Node<'_>, out: &mut Vec<Stmt>) -> Result<(), TooDeep> {
        let sp = self.span(spec);
        let ty = spec
            .child_by_field_name("type")
            .map(|t| self.text(t).to_string());
        let mut c = spec.walk();
        let names: Vec<Node<'_>> = spec.children_by_field_name("name", &mut c).collect();
        let values: Vec<Node<'_>> = match spec.child_by_field_name("value") {
            Some(v) if v.kind() == "expression_list" => Self::named_children(v),
            Some(v) => vec![v],
            None => vec![],
        };
        for (i, n) in names.iter().enumerate() {
            let value = match values.get(i).or(values.first()) {
                Some(v) => self.expr(*v)?,
                None => Expr::Lit(Const::Null),
            };
            out.push(Stmt::Assign {
                target: Expr::Name(self.text(*n).to_string()),
                value,
                ty: ty.clone(),
                span: sp,
            });
        }
        Ok(())
    }

    fn if_stmt(&mut self, n: Node<'_>, out: &mut Vec<Stmt>) -> Result<(), TooDeep> {
        // Go: `if x := f(); cond {}`
        if let Some(init) = n.child_by_field_name("initializer") {
            self.stmt(init, out)?;
        }
        let cond = match n.child_by_field_name("condition") {
            Some(c) => self.expr(c)?,
            None => Expr::Opaque(vec![]),
        };
        let then = self.field_block(n, "consequence")?;
        let mut els = Vec::new();
        // Python: several `alternative` fields (elif_clause..., else_clause).
        let mut c = n.walk();
        let alts: Vec<Node<'_>> = n.children_by_field_name("alternative", &mut c).collect();
        self.else_chain(&alts, &mut els)?;
        out.push(Stmt::If { cond, then, els });
        Ok(())
    }

    fn else_chain(&mut self, alts: &[Node<'_>], out: &mut Vec<Stmt>) -> Result<(), TooDeep> {
        let Some((first, rest)) = alts.split_first() else {
            return Ok(());
        };
        match first.kind() {
            "elif_clause" => {
                let cond = match first.child_by_field_name("condition") {
                    Some(c) => self.expr(c)?,
                    None => Expr::Opaque(vec![]),
                };
                let then = self.field_block(*first, "consequence")?;
                let mut els = Vec::new();
                self.else_chain(rest, &mut els)?;
                out.push(Stmt::If { cond, then, els });
            }
            "else_clause" => match first.child_by_field_name("body") {
                Some(b) => out.extend(self.block(b)?),
                None => {
                    for c in Self::named_children(*first) {
                        self.stmt(c, out)?;
                    }
                }
            },
            _ => self.stmt(*first, out)?,
        }
        Ok(())
    }

    fn for_stmt(&mut self, n: Node<'_>, out: &mut Vec<Stmt>) -> Result<(), TooDeep> {
        let body = self.field_block(n, "body")?;
        let (var, iter, cond) = match n.kind() {
            "enhanced_for_statement" => (
                n.child_by_field_name("name")
                    .map(|v| Expr::Name(self.text(v).to_string())),
                match n.child_by_field_name("value") {
                    Some(v) => Some(self.expr(v)?),
                    None => None,
                },
                None,
            ),
            "for_in_statement" => {
                let left = n.child_by_field_name("left");
                let var = match left {
                    Some(l) => Some(self.expr(l)?),
                    None => None,
                };
                let iter = match n.child_by_field_name("right") {
                    Some(r) => Some(self.expr(r)?),
                    None => None,
                };
                (var, iter, None)
            }
            _ => {
                // Python `for x in e`, Go `for k, v := range e`, C-style loops.
                if let (Some(l), Some(r)) = (
                    n.child_by_field_name("left"),
                    n.child_by_field_name("right"),
                ) {
                    (Some(self.expr(l)?), Some(self.expr(r)?), None)
                } else {
                    let mut var = None;
                    let mut iter = None;
                    let mut cond = None;
                    for c in Self::named_children(n) {
                        match c.kind() {
                            "range_clause" => {
                                if let Some(l) = c.child_by_field_name("left") {
                                    let ls = Self::named_children(l);
                                    if let Some(last) = ls.last() {
                                        var = Some(self.expr(*last)?);
                                    }
                                }
                                if let Some(r) = c.child_by_field_name("right") {
                                    iter = Some(self.expr(r)?);
                                }
                            }
                            "for_clause" => {
                                if let Some(i) = c.child_by_field_name("initializer") {
                                    self.stmt(i, out)?;
                                }
                                if let Some(cn) = c.child_by_field_name("condition") {
                                    cond = Some(self.expr(cn)?);
                                }
                            }
                            _ => {}
                        }
                    }
                    if let Some(i) = n
                        .child_by_field_name("init")
                        .or(n.child_by_field_name("initializer"))
                    {
                        self.stmt(i, out)?;
                    }
                    if let Some(cn) = n.child_by_field_name("condition") {
                        cond = Some(self.expr(cn)?);
                    }
                    (var, iter, cond)
                }
            }
        };
        out.push(Stmt::Loop {
            var,
            iter,
            cond,
            body,
        });
        Ok(())
    }

    fn try_stmt(&mut self, n: Node<'_>, out: &mut Vec<Stmt>) -> Result<(), TooDeep> {
        let mut body = Vec::new();
        if let Some(res) = n.child_by_field_name("resources") {
            for r in Self::named_children(res) {
                if let (Some(name), Some(v)) = (
                    r.child_by_field_name("name"),
                    r.child_by_field_name("value"),
                ) {
                    let value = self.expr(v)?;
                    body.push(Stmt::Assign {
                        target: Expr::Name(self.text(name).to_string()),
                        value,
                        ty: r
                            .child_by_field_name("type")
                            .map(|t| self.text(t).to_string()),
                        span: self.span(r),
                    });
                }
            }
        }
        body.extend(self.field_block(n, "body")?);
        let mut handlers = Vec::new();
        let mut finally = Vec::new();
        for c in Self::named_children(n) {
            match c.kind() {
                "except_clause" | "catch_clause" | "except_group_clause" => {
                    let mut h = Vec::new();
                    for k in Self::named_children(c) {
                        if matches!(k.kind(), "block" | "statement_block") {
                            h.extend(self.block(k)?);
                        }
                    }
                    handlers.push(h);
                }
                "else_clause" => body.extend(self.block(c)?),
                "finally_clause" => finally.extend(self.block(c)?),
                _ => {}
            }
        }
        if let Some(h) = n.child_by_field_name("handler") {
            handlers.push(self.field_block(h, "body")?);
        }
        if let Some(f) = n.child_by_field_name("finalizer") {
            finally.extend(self.block(f)?);
        }
        out.push(Stmt::Try {
            body,
            handlers,
            finally,
        });
        Ok(())
    }

    fn switch(&mut self, n: Node<'_>, out: &mut Vec<Stmt>) -> Result<(), TooDeep> {
        let subject_node = n
            .child_by_field_name("condition")
            .or(n.child_by_field_name("value"))
            .or(n.child_by_field_name("subject"));
        let subject = match subject_node {
            Some(s) => self.expr(s)?,
            None => Expr::Opaque(vec![]),
        };
        let body = n.child_by_field_name("body");
        let groups: Vec<Node<'_>> = match body {
            Some(b) => Self::named_children(b),
            None => Self::named_children(n)
                .into_iter()
                .filter(|c| matches!(c.kind(), "expression_case" | "default_case"))
                .collect(),
        };
        let mut cases = Vec::new();
        for g in groups {
            let mut labels = Vec::new();
            let mut stmts = Vec::new();
            let mut is_default = false;
            match g.kind() {
                "switch_block_statement_group" | "switch_rule" => {
                    for c in Self::named_children(g) {
                        if c.kind() == "switch_label" {
                            let ls = Self::named_children(c);
                            if ls.is_empty() {
                                is_default = true;
                            }
                            for l in ls {
                                labels.push(self.expr(l)?);
                            }
                        } else if c.kind() == "expression"
                            || c.kind().ends_with("_expression") && g.kind() == "switch_rule"
                        {
                            let e = self.expr(c)?;
                            stmts.push(Stmt::Expr(e, self.span(c)));
                        } else {
                            self.stmt(c, &mut stmts)?;
                        }
                    }
                }
                "switch_case" => {
                    if let Some(v) = g.child_by_field_name("value") {
                        labels.push(self.expr(v)?);
                    }
                    let mut c = g.walk();
                    let bodies: Vec<Node<'_>> = g.children_by_field_name("body", &mut c).collect();
                    for b in bodies {
                        self.stmt(b, &mut stmts)?;
                    }
                }
                "switch_default" | "default_case" => {
                    is_default = true;
                    let mut c = g.walk();
                    let bodies: Vec<Node<'_>> = g.children_by_field_name("body", &mut c).collect();
                    for b in bodies {
                        self.stmt(b, &mut stmts)?;
                    }
                    if g.kind() == "default_case" {
                        stmts.extend(self.block(g)?);
                    }
                }
                "expression_case" => {
                    if let Some(v) = g.child_by_field_name("value") {
                        for l in Self::named_children(v) {
                            labels.push(self.expr(l)?);
                        }
                    }
                    for c in Self::named_children(g) {
                        if Some(c) != g.child_by_field_name("value") {
                            self.stmt(c, &mut stmts)?;
                        }
                    }
                }
                "case_clause" => {
                    for c in Self::named_children(g) {
                        match c.kind() {
                            "case_pattern" => {
                                let t = self.text(c);
                                if t == "_" {
                                    is_default = true;
                                } else if let Some(p) = Self::named_children(c).first() {
                                    if p.kind() == "union_pattern" {
                                        for alt in Self::named_children(*p) {
                                            labels.push(self.expr(alt)?);
                                        }
                                    } else {
                                        labels.push(self.expr(*p)?);
                                    }
                                } else {
                                    is_default = true;
                                }
                            }
                            "block" => stmts.extend(self.block(c)?),
                            _ => {}
                        }
                    }
                    if let Some(cons) = g.child_by_field_name("consequence") {
                        if stmts.is_empty() {
                            stmts.extend(self.block(cons)?);
                        }
                    }
                }
                _ => continue,
            }
            if is_default {
                labels.clear();
            }
            cases.push((labels, stmts));
        }
        out.push(Stmt::Switch { subject, cases });
        Ok(())
    }

    fn import(&mut self, n: Node<'_>) {
        match self.lang {
            Lang::Python => {
                let module = n
                    .child_by_field_name("module_name")
                    .map(|m| self.text(m).to_string());
                let mut c = n.walk();
                let names: Vec<Node<'_>> = n.children_by_field_name("name", &mut c).collect();
                for name in names {
                    let (full, alias) = if name.kind() == "aliased_import" {
                        let full = name
                            .child_by_field_name("name")
                            .map(|x| self.text(x).to_string())
                            .unwrap_or_default();
                        let alias = name
                            .child_by_field_name("alias")
                            .map(|x| self.text(x).to_string())
                            .unwrap_or_default();
                        (full, alias)
                    } else {
                        let t = self.text(name).to_string();
                        let alias = t.rsplit('.').next().unwrap_or(&t).to_string();
                        (t, alias)
                    };
                    let qual = match &module {
                        Some(m) => format!("{m}.{full}"),
                        None => full.clone(),
                    };
                    if module.is_none() && !full.contains('.') && alias == full {
                        continue;
                    }
                    if module.is_none() && name.kind() != "aliased_import" {
                        // `import os.path` binds `os`.
                        continue;
                    }
                    self.module.imports.push((alias, qual));
                }
            }
            Lang::Java => {
                let t = self.text(n);
                let path = t
                    .trim_start_matches("import")
                    .trim()
                    .trim_start_matches("static ")
                    .trim_end_matches(';')
                    .trim();
                if let Some(last) = path.rsplit('.').next() {
                    if last != "*" {
                        self.module
                            .imports
                            .push((last.to_string(), path.to_string()));
                    }
                }
            }
            Lang::Go => {
                let mut stack = vec![n];
                while let Some(x) = stack.pop() {
                    if x.kind() == "import_spec" {
                        if let Some(p) = x.child_by_field_name("path") {
                            let path = self
                                .text(p)
                                .trim_matches(|c| c == '"' || c == '`')
                                .to_string();
                            let alias = x
                                .child_by_field_name("name")
                                .map(|a| self.text(a).to_string())
                                .unwrap_or_else(|| {
                                    path.rsplit('/').next().unwrap_or(&path).to_string()
                                });
                            self.module.imports.push((alias, path));
                        }
                    } else {
                        stack.extend(Self::named_children(x));
                    }
                }
            }
            Lang::JavaScript | Lang::TypeScript | Lang::Tsx => {
                let Some(src) = n.child_by_field_name("source") else {
                    return;
                };
                let module = strip_quotes(self.text(src)).to_string();
                let mut stack = vec![n];
                while let Some(x) = stack.pop() {
                    match x.kind() {
                        "import_specifier" => {
                            let name = x
                                .child_by_field_name("name")
                                .map(|a| self.text(a).to_string());
                            let alias = x
                                .child_by_field_name("alias")
                                .map(|a| self.text(a).to_string());
                            if let Some(name) = name {
                                let local = alias.unwrap_or_else(|| name.clone());
                                self.module
                                    .imports
                                    .push((local, format!("{module}.{name}")));
                            }
                        }
                        "namespace_import" => {
                            if let Some(id) = Self::named_children(x).first() {
                                self.module
                                    .imports
                                    .push((self.text(*id).to_string(), module.clone()));
                            }
                        }
                        "import_clause" => {
                            for c in Self::named_children(x) {
                                if c.kind() == "identifier" {
                                    self.module
                                        .imports
                                        .push((self.text(c).to_string(), module.clone()));
                                } else {
                                    stack.push(c);
                                }
                            }
                        }
                        _ => stack.extend(Self::named_children(x)),
                    }
                }
            }
        }
    }

    /// `const cp = require('child_process')`, `const { exec } = require('child_process')`.
    fn require(&mut self, name: Node<'_>, value: Node<'_>) -> bool {
        if value.kind() != "call_expression" {
            return false;
        }
        let is_require = value
            .child_by_field_name("function")
            .is_some_and(|f| self.text(f) == "require");
        if !is_require {
            return false;
        }
        let Some(arg) = value
            .child_by_field_name("arguments")
            .and_then(|a| Self::named_children(a).first().copied())
        else {
            return false;
        };
        let module = strip_quotes(self.text(arg)).to_string();
        if name.kind() == "identifier" {
            self.module
                .imports
                .push((self.text(name).to_string(), module));
            return true;
        }
        if name.kind() == "object_pattern" {
            for p in Self::named_children(name) {
                match p.kind() {
                    "shorthand_property_identifier_pattern" => {
                        let t = self.text(p).to_string();
                        self.module
                            .imports
                            .push((t.clone(), format!("{module}.{t}")));
                    }
                    "pair_pattern" => {
                        if let (Some(k), Some(v)) =
                            (p.child_by_field_name("key"), p.child_by_field_name("value"))
                        {
                            self.module.imports.push((
                                self.text(v).to_string(),
                                format!("{module}.{}", self.text(k)),
                            ));
                        }
                    }
                    _ => {}
                }
            }
            return true;
        }
        false
    }

    // ---------------------------------------------------------------- functions

    fn function(&mut self, n: Node<'_>, mut decorators: Vec<String>) -> Result<usize, TooDeep> {
        let name = n
            .child_by_field_name("name")
            .map(|x| self.text(x).to_string())
            .unwrap_or_else(|| "<lambda>".into());
        // Java annotations sit in `modifiers`.
        for c in Self::named_children(n) {
            if c.kind() == "modifiers" || c.kind() == "decorator" {
                for a in Self::named_children(c) {
                    if a.kind().contains("annotation") {
                        decorators.push(decorator_text(self.text(a)));
                    }
                }
                if c.kind() == "decorator" {
                    decorators.push(decorator_text(self.text(c)));
                }
            }
        }
        let mut params = Vec::new();
        let pnode = n
            .child_by_field_name("parameters")
            .or(n.child_by_field_name("parameter"));
        if let Some(p) = pnode {
            if p.kind() == "identifier" {
                params.push(Param {
                    name: self.text(p).to_string(),
                    ty: None,
                    marks: vec![],
                });
            } else {
                for c in Self::named_children(p) {
                    self.param(c, &mut params);
                }
            }
        }
        let idx = self.module.functions.len();
        self.module.functions.push(Function {
            name,
            params,
            decorators,
            body: vec![],
            span: self.span(n),
            parent: Some(self.current),
        });
        let saved = self.current;
        self.current = idx;
        let body = match n.child_by_field_name("body") {
            Some(b) if matches!(b.kind(), "block" | "statement_block" | "constructor_body") => {
                self.block(b)?
            }
            Some(b) => {
                let sp = self.span(b);
                let e = self.expr(b)?;
                vec![Stmt::Return(Some(e), sp)]
            }
            None => vec![],
        };
        self.current = saved;
        self.module.functions[idx].body = body;
        Ok(idx)
    }

    fn param(&mut self, c: Node<'_>, params: &mut Vec<Param>) {
        match c.kind() {
            "identifier" => params.push(Param {
                name: self.text(c).to_string(),
                ty: None,
                marks: vec![],
            }),
            "typed_parameter"
            | "typed_default_parameter"
            | "default_parameter"
            | "formal_parameter"
            | "parameter_declaration"
            | "required_parameter"
            | "optional_parameter"
            | "spread_parameter"
            | "assignment_pattern"
            | "list_splat_pattern"
            | "dictionary_splat_pattern"
            | "variadic_parameter_declaration" => {
                let ty = c
                    .child_by_field_name("type")
                    .map(|t| self.text(t).trim_start_matches(':').trim().to_string());
                let mut marks = Vec::new();
                for m in Self::named_children(c) {
                    if m.kind() == "modifiers" {
                        for a in Self::named_children(m) {
                            marks.push(decorator_text(self.text(a)));
                        }
                    }
                }
                if let Some(v) = c
                    .child_by_field_name("value")
                    .or(c.child_by_field_name("right"))
                {
                    if v.kind() == "call" {
                        if let Some(f) = v.child_by_field_name("function") {
                            marks.push(self.text(f).to_string());
                        }
                    }
                }
                let mut names: Vec<String> = Vec::new();
                let mut cur = c.walk();
                for nm in c.children_by_field_name("name", &mut cur) {
                    names.push(self.text(nm).to_string());
                }
                if names.is_empty() {
                    if let Some(p) = c
                        .child_by_field_name("pattern")
                        .or(c.child_by_field_name("left"))
                    {
                        names.push(self.text(p).to_string());
                    } else if let Some(id) = Self::named_children(c)
                        .into_iter()
                        .find(|x| x.kind() == "identifier")
                    {
                        names.push(self.text(id).to_string());
                    }
                }
                for name in names {
                    params.push(Param {
                        name,
                        ty: ty.clone(),
                        marks: marks.clone(),
                    });
                }
            }
            _ => {}
        }
    }

    // ---------------------------------------------------------------- expressions

    pub fn expr(&mut self, n: Node<'_>) -> Result<Expr, TooDeep> {
        self.enter(n)?;
        let e = self.expr_inner(n)?;
        self.depth -= 1;
        Ok(e)
    }

    fn opt(&mut self, n: Option<Node<'_>>) -> Result<Expr, TooDeep> {
        match n {
            Some(n) => self.expr(n),
            None => Ok(Expr::Opaque(vec![])),
        }
    }

    fn expr_inner(&mut self, n: Node<'_>) -> Result<Expr, TooDeep> {
        let k = n.kind();
        Ok(match k {
            "identifier"
            | "property_identifier"
            | "shorthand_property_identifier"
            | "field_identifier"
            | "type_identifier"
            | "scoped_type_identifier"
            | "package_identifier"
            | "this"
            | "self"
            | "super" => Expr::Name(self.text(n).to_string()),
            "integer"
            | "decimal_integer_literal"
            | "int_literal"
            | "number"
            | "hex_integer_literal"
            | "float"
            | "decimal_floating_point_literal"
            | "float_literal" => {
                let t = self.text(n).replace('_', "");
                let t = t.trim_end_matches(['L', 'l']);
                if let Ok(i) = t.parse::<i64>() {
                    Expr::Lit(Const::Int(i))
                } else if let Ok(f) = t.trim_end_matches(['f', 'F', 'd', 'D']).parse::<f64>() {
                    Expr::Lit(Const::Float(f))
                } else {
                    Expr::Opaque(vec![])
                }
            }
            "true" => Expr::Lit(Const::Bool(true)),
            "false" => Expr::Lit(Const::Bool(false)),
            "none" | "null_literal" | "null" | "nil" | "undefined" => Expr::Lit(Const::Null),
            "string"
            | "string_literal"
            | "interpreted_string_literal"
            | "raw_string_literal"
            | "character_literal"
            | "template_string"
            | "text_block"
            | "rune_literal" => self.string(n)?,
            "concatenated_string" => {
                let mut parts = Vec::new();
                for c in Self::named_children(n) {
                    parts.push(self.expr(c)?);
                }
                Expr::Template(parts)
            }
            "parenthesized_expression" | "expression_list"
                if Self::named_children(n).len() == 1 =>
            {
                let c = Self::named_children(n);
                self.expr(c[0])?
            }
            "attribute" => {
                let obj = self.opt(n.child_by_field_name("object"))?;
                let attr = n
                    .child_by_field_name("attribute")
                    .map(|a| self.text(a).to_string())
                    .unwrap_or_default();
                Expr::Attr(Box::new(obj), attr)
            }
            "member_expression" | "field_access" | "selector_expression" => {
                let obj = self.opt(
                    n.child_by_field_name("object")
                        .or(n.child_by_field_name("operand")),
                )?;
                let f = n
                    .child_by_field_name("property")
                    .or(n.child_by_field_name("field"))
                    .map(|a| self.text(a).to_string())
                    .unwrap_or_default();
                Expr::Attr(Box::new(obj), f)
            }
            "scoped_identifier" => {
                // java.util.Random as a name
                Expr::Name(self.text(n).to_string())
            }
            "subscript" | "subscript_expression" | "array_access" | "index_expression" => {
                let obj = self.opt(
                    n.child_by_field_name("value")
                        .or(n.child_by_field_name("object"))
                        .or(n.child_by_field_name("array"))
                        .or(n.child_by_field_name("operand")),
                )?;
                let idx = self.opt(
                    n.child_by_field_name("subscript")
                        .or(n.child_by_field_name("index")),
                )?;
                Expr::Index(Box::new(obj), Box::new(idx))
            }
            "call" | "call_expression" => {
                let f = n.child_by_field_name("function");
                let callee = self.opt(f)?;
                let args = self.args(n.child_by_field_name("arguments"))?;
                // Go conversions `[]byte(x)` and JS tagged templates keep their argument.
                Expr::Call {
                    callee: Box::new(callee),
                    args,
                    is_new: false,
                    span: self.span(n),
                }
            }
            "method_invocation" => {
                let name = n
                    .child_by_field_name("name")
                    .map(|a| self.text(a).to_string())
                    .unwrap_or_default();
                let callee = match n.child_by_field_name("object") {
                    Some(o) => Expr::Attr(Box::new(self.expr(o)?), name),
                    None => Expr::Name(name),
                };
                let args = self.args(n.child_by_field_name("arguments"))?;
                Expr::Call {
                    callee: Box::new(callee),
                    args,
                    is_new: false,
                    span: self.span(n),
                }
            }
            "object_creation_expression" | "new_expression" => {
                let t = n
                    .child_by_field_name("type")
                    .or(n.child_by_field_name("constructor"));
                let callee = match t {
                    Some(t) => Expr::Name(strip_generics(self.text(t))),
                    None => Expr::Opaque(vec![]),
                };
                let args = self.args(n.child_by_field_name("arguments"))?;
                // An anonymous class body: lower its methods.
                for c in Self::named_children(n) {
                    if c.kind() == "class_body" {
                        let mut sink = Vec::new();
                        for m in Self::named_children(c) {
                            self.stmt(m, &mut sink)?;
                        }
                    }
                }
                Expr::Call {
                    callee: Box::new(callee),
                    args,
                    is_new: true,
                    span: self.span(n),
                }
            }
            "composite_literal" => {
                let ty = n
                    .child_by_field_name("type")
                    .map(|t| self.text(t).to_string())
                    .unwrap_or_default();
                let mut pairs = Vec::new();
                let mut elems = Vec::new();
                if let Some(body) = n.child_by_field_name("body") {
                    for el in Self::named_children(body) {
                        if el.kind() == "keyed_element" {
                            let kids = Self::named_children(el);
                            if kids.len() == 2 {
                                let key_node = Self::named_children(kids[0])
                                    .first()
                                    .copied()
                                    .unwrap_or(kids[0]);
                                let key = if key_node.kind() == "identifier"
                                    || key_node.kind() == "field_identifier"
                                {
                                    Expr::Lit(Const::Str(self.text(key_node).to_string()))
                                } else {
                                    self.expr(key_node)?
                                };
                                let vn = Self::named_children(kids[1])
                                    .first()
                                    .copied()
                                    .unwrap_or(kids[1]);
                                pairs.push((key, self.expr(vn)?));
                            }
                        } else {
                            let vn = Self::named_children(el).first().copied().unwrap_or(el);
                            elems.push(self.expr(vn)?);
                        }
                    }
                }
                let lit = if pairs.is_empty() && !elems.is_empty() {
                    Expr::List(elems)
                } else {
                    Expr::Dict(pairs)
                };
                Expr::Call {
                    callee: Box::new(Expr::Name(ty)),
                    args: vec![Arg {
                        name: None,
                        value: lit,
                    }],
                    is_new: true,
                    span: self.span(n),
                }
            }
            "binary_operator" | "binary_expression" | "boolean_operator" => {
                let l = self.opt(n.child_by_field_name("left"))?;
                let r = self.opt(n.child_by_field_name("right"))?;
                let op = n
                    .child_by_field_name("operator")
                    .map(|o| self.text(o).to_string())
                    .unwrap_or_default();
                Expr::Bin(binop(&op), Box::new(l), Box::new(r))
            }
            "comparison_operator" => {
                let kids = Self::named_children(n);
                let mut ops = Vec::new();
                let mut c = n.walk();
                for ch in n.children(&mut c) {
                    if !ch.is_named() {
                        ops.push(self.text(ch).to_string());
                    }
                }
                // "not in" and "is not" are two tokens.
                let op = ops.join(" ");
                if kids.len() == 2 {
                    let l = self.expr(kids[0])?;
                    let r = self.expr(kids[1])?;
                    let bop = match op.as_str() {
                        "in" => BinOp::In,
                        "not in" => BinOp::NotIn,
                        "is" => BinOp::Eq,
                        "is not" => BinOp::Ne,
                        o => binop(o),
                    };
                    Expr::Bin(bop, Box::new(l), Box::new(r))
                } else {
                    let mut parts = Vec::new();
                    for k in kids {
                        parts.push(self.expr(k)?);
                    }
                    Expr::Opaque(parts)
                }
            }
            "not_operator" => Expr::Un(
                UnOp::Not,
                Box::new(self.opt(n.child_by_field_name("argument"))?),
            ),
            "unary_operator" | "unary_expression" => {
                let op = n
                    .child_by_field_name("operator")
                    .map(|o| self.text(o).to_string())
                    .unwrap_or_default();
                let arg = self.opt(
                    n.child_by_field_name("argument")
                        .or(n.child_by_field_name("operand")),
                )?;
                let u = match op.as_str() {
                    "!" | "not" => UnOp::Not,
                    "-" => UnOp::Neg,
                    _ => UnOp::Other,
                };
                Expr::Un(u, Box::new(arg))
            }
            "conditional_expression" => {
                // Python: a if c else b
                let kids = Self::named_children(n);
                if kids.len() == 3 {
                    let a = self.expr(kids[0])?;
                    let c = self.expr(kids[1])?;
                    let b = self.expr(kids[2])?;
                    Expr::Cond(Box::new(c), Box::new(a), Box::new(b))
                } else {
                    Expr::Opaque(vec![])
                }
            }
            "ternary_expression" => {
                let c = self.opt(n.child_by_field_name("condition"))?;
                let a = self.opt(n.child_by_field_name("consequence"))?;
                let b = self.opt(n.child_by_field_name("alternative"))?;
                Expr::Cond(Box::new(c), Box::new(a), Box::new(b))
            }
            "cast_expression"
            | "type_assertion_expression"
            | "as_expression"
            | "non_null_expression"
            | "satisfies_expression"
            | "await"
            | "await_expression"
            | "type_conversion_expression"
            | "parenthesized_expression" => {
                let v = n
                    .child_by_field_name("value")
                    .or(n.child_by_field_name("operand"))
                    .or_else(|| {
                        Self::named_children(n)
                            .into_iter()
                            .rfind(|c| !c.kind().contains("type"))
                    });
                let inner = self.opt(v)?;
                if k == "cast_expression" {
                    let ty = n
                        .child_by_field_name("type")
                        .map(|t| self.text(t).to_string())
                        .unwrap_or_default();
                    if matches!(
                        ty.as_str(),
                        "int" | "long" | "short" | "byte" | "double" | "float" | "boolean"
                    ) {
                        return Ok(Expr::Call {
                            callee: Box::new(Expr::Name("<numeric-cast>".into())),
                            args: vec![Arg {
                                name: None,
                                value: inner,
                            }],
                            is_new: false,
                            span: self.span(n),
                        });
                    }
                }
                inner
            }
            "list" | "tuple" | "array" | "set" | "array_initializer" | "expression_list"
            | "list_pattern" | "pattern_list" | "tuple_pattern" => {
                let mut parts = Vec::new();
                for c in Self::named_children(n) {
                    parts.push(self.expr(c)?);
                }
                Expr::List(parts)
            }
            "array_creation_expression" => {
                let v = n.child_by_field_name("value");
                match v {
                    Some(v) => self.expr(v)?,
                    None => Expr::List(vec![]),
                }
            }
            "dictionary" | "object" => {
                let mut pairs = Vec::new();
                for c in Self::named_children(n) {
                    match c.kind() {
                        "pair" => {
                            let key = c.child_by_field_name("key");
                            let kx = match key {
                                Some(kn)
                                    if matches!(
                                        kn.kind(),
                                        "property_identifier" | "identifier"
                                    ) && self.lang != Lang::Python =>
                                {
                                    Expr::Lit(Const::Str(self.text(kn).to_string()))
                                }
                                Some(kn) => self.expr(kn)?,
                                None => Expr::Opaque(vec![]),
                            };
                            let vx = self.opt(c.child_by_field_name("value"))?;
                            pairs.push((kx, vx));
                        }
                        "shorthand_property_identifier" => {
                            let t = self.text(c).to_string();
                            pairs.push((Expr::Lit(Const::Str(t.clone())), Expr::Name(t)));
                        }
                        _ => {
                            let v = self.expr(c)?;
                            pairs.push((Expr::Opaque(vec![]), v));
                        }
                    }
                }
                Expr::Dict(pairs)
            }
            "lambda"
            | "arrow_function"
            | "function_expression"
            | "function"
            | "func_literal"
            | "lambda_expression"
            | "generator_function" => {
                let idx = self.function(n, vec![])?;
                Expr::Func(idx)
            }
            "keyword_argument" => self.opt(n.child_by_field_name("value"))?,
            "jsx_element" | "jsx_self_closing_element" | "jsx_fragment" => self.jsx(n)?,
            "method_reference" => Expr::Name(self.text(n).to_string()),
            "named_expression" => self.opt(n.child_by_field_name("value"))?,
            _ => {
                let mut parts = Vec::new();
                for c in Self::named_children(n) {
                    parts.push(self.expr(c)?);
                }
                Expr::Opaque(parts)
            }
        })
    }

    fn args(&mut self, n: Option<Node<'_>>) -> Result<Vec<Arg>, TooDeep> {
        let mut out = Vec::new();
        let Some(n) = n else {
            return Ok(out);
        };
        if n.kind() == "template_string" || n.kind() == "string" {
            out.push(Arg {
                name: None,
                value: self.expr(n)?,
            });
            return Ok(out);
        }
        for c in Self::named_children(n) {
            if c.kind() == "keyword_argument" {
                let name = c
                    .child_by_field_name("name")
                    .map(|x| self.text(x).to_string());
                let value = self.opt(c.child_by_field_name("value"))?;
                out.push(Arg { name, value });
            } else {
                out.push(Arg {
                    name: None,
                    value: self.expr(c)?,
                });
            }
        }
        Ok(out)
    }

    fn string(&mut self, n: Node<'_>) -> Result<Expr, TooDeep> {
        let mut parts: Vec<Expr> = Vec::new();
        let mut has_interp = false;
        let mut lit = String::new();
        let mut c = n.walk();
        let kids: Vec<Node<'_>> = n.named_children(&mut c).collect();
        if kids.is_empty() {
            // Go strings, Java chars: the literal text without its quotes.
            let t = self.text(n);
            let inner = strip_quotes(t);
            return Ok(Expr::Lit(Const::Str(unescape(inner))));
        }
        for k in kids {
            match k.kind() {
                "string_content"
                | "string_fragment"
                | "escape_sequence"
                | "interpreted_string_literal_content"
                | "multiline_string_fragment" => {
                    let t = self.text(k);
                    if k.kind() == "escape_sequence" {
                        lit.push_str(&unescape(t));
                    } else {
                        lit.push_str(t);
                    }
                }
                "interpolation" | "template_substitution" | "string_interpolation" => {
                    has_interp = true;
                    if !lit.is_empty() {
                        parts.push(Expr::Lit(Const::Str(std::mem::take(&mut lit))));
                    }
                    if let Some(e) = Self::named_children(k).first() {
                        parts.push(self.expr(*e)?);
                    }
                }
                _ => {}
            }
        }
        if !has_interp {
            return Ok(Expr::Lit(Const::Str(lit)));
        }
        if !lit.is_empty() {
            parts.push(Expr::Lit(Const::Str(lit)));
        }
        Ok(Expr::Template(parts))
    }

    fn jsx(&mut self, n: Node<'_>) -> Result<Expr, TooDeep> {
        // JSX text and `{expr}` children are escaped by React; only
        // `dangerouslySetInnerHTML` and `href`/`src` attributes matter.
        let mut parts = Vec::new();
        let mut stack = vec![n];
        while let Some(x) = stack.pop() {
            if x.kind() == "jsx_attribute" {
                let kids = Self::named_children(x);
                if let (Some(name), Some(val)) = (kids.first(), kids.get(1)) {
                    let an = self.text(*name).to_string();
                    let inner = Self::named_children(*val).first().copied().unwrap_or(*val);
                    let v = self.expr(inner)?;
                    parts.push(Expr::Call {
                        callee: Box::new(Expr::Name(format!("<jsx-attr>.{an}"))),
                        args: vec![Arg {
                            name: None,
                            value: v,
                        }],
                        is_new: false,
                        span: self.span(x),
                    });
                }
            } else if x.kind() == "jsx_expression" {
                if let Some(e) = Self::named_children(x).first() {
                    let v = self.expr(*e)?;
                    // escaped text: evaluated for calls inside, value discarded
                    parts.push(Expr::Call {
                        callee: Box::new(Expr::Name("<jsx-text>".into())),
                        args: vec![Arg {
                            name: None,
                            value: v,
                        }],
                        is_new: false,
                        span: self.span(x),
                    });
                }
            } else {
                stack.extend(Self::named_children(x));
            }
        }
        Ok(Expr::Opaque(parts))
    }
}

fn is_comment(k: &str) -> bool {
    matches!(
        k,
        "comment" | "line_comment" | "block_comment" | "html_comment"
    )
}

fn strip_generics(t: &str) -> String {
    match t.find('<') {
        Some(i) => t[..i].to_string(),
        None => t.to_string(),
    }
}

fn strip_quotes(t: &str) -> &str {
    let t = t.trim();
    for q in ["\"\"\"", "'''", "\"", "'", "`"] {
        if t.len() >= 2 * q.len() && t.starts_with(q) && t.ends_with(q) {
            return &t[q.len()..t.len() - q.len()];
        }
    }
    t
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('0') => out.push('\0'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `@app.route("/x", methods=[...])` -> `app.route`; `@RequestParam("id")` -> `RequestParam`.
fn decorator_text(t: &str) -> String {
    let t = t.trim().trim_start_matches('@').trim();
    let end = t.find('(').unwrap_or(t.len());
    t[..end].trim().to_string()
}

fn binop(op: &str) -> BinOp {
    match op.trim() {
        "+" => BinOp::Add,
        "-" => BinOp::Sub,
        "*" => BinOp::Mul,
        "/" | "//" => BinOp::Div,
        "%" => BinOp::Mod,
        "==" | "===" => BinOp::Eq,
        "!=" | "!==" => BinOp::Ne,
        "<" => BinOp::Lt,
        "<=" => BinOp::Le,
        ">" => BinOp::Gt,
        ">=" => BinOp::Ge,
        "&&" | "and" => BinOp::And,
        "||" | "or" | "??" => BinOp::Or,
        "in" => BinOp::In,
        "not in" => BinOp::NotIn,
        _ => BinOp::Other,
    }
}
