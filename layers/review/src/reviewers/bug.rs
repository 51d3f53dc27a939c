//! The bug reviewer: swallowed exceptions and ignored errors, null
//! dereference after a call that may return nothing, resources not closed on
//! every path, mutable default arguments, comparison with itself, unreachable
//! code, decidable off-by-one loop bounds, `unwrap`/`expect` in non-test Rust.

use super::{finding, is_test_path, ReviewContext, ReviewError, Reviewer};
use crate::input::{FileInput, ReviewInput};
use crate::lang::{
    self, call_args, callee, descendants, line, method_name, statements, text, Language,
};
use crate::rules::*;
use guard_core::Finding;
use tree_sitter::Node;

pub struct BugReviewer;

impl Reviewer for BugReviewer {
    fn id(&self) -> &str {
        "bug"
    }

    fn review(&self, input: &ReviewInput, cx: &ReviewContext) -> Result<Vec<Finding>, ReviewError> {
        let mut out = Vec::new();
        for file in &input.files {
            cx.check()?;
            let Some(lang) = file.language else { continue };
            let Some(tree) = lang.parse(&file.new_text) else {
                continue;
            };
            let src = file.new_text.as_bytes();
            let ck = Checker {
                file,
                lang,
                src,
                cx,
                context: input.context,
                out: &mut out,
            };
            ck.run(tree.root_node())?;
        }
        Ok(out)
    }
}

struct Checker<'a> {
    file: &'a FileInput,
    lang: Language,
    src: &'a [u8],
    cx: &'a ReviewContext,
    /// Lines around an added line that count as changed.
    context: u32,
    out: &'a mut Vec<Finding>,
}

impl Checker<'_> {
    fn report(&mut self, rule: &str, node: Node<'_>, message: String) {
        let start = line(node);
        // A finding must be on an added line: report the first added line
        // of the node when its first line is context.
        let end = lang::end_line(node);
        self.out.push(finding(
            rule,
            self.file,
            start,
            start.max(end.min(start + 2)),
            message,
        ));
    }

    fn touched(&self, node: Node<'_>) -> bool {
        self.file
            .in_scope(line(node), lang::end_line(node), self.context)
    }

    /// A line that is added, or within the context of one.
    fn near_change(&self, l: u32) -> bool {
        self.file.in_scope(l, l, self.context)
    }

    fn run(mut self, root: Node<'_>) -> Result<(), ReviewError> {
        let nodes = descendants(root, self.lang, false);
        for (i, node) in nodes.iter().enumerate() {
            if i % 4096 == 0 {
                self.cx.check()?;
            }
            let node = *node;
            let kind = node.kind();
            if !self.touched(node) {
                continue;
            }
            match kind {
                "except_clause" | "catch_clause" => self.swallowed(node),
                "if_statement" if self.lang == Language::Go => self.go_empty_err_check(node),
                "match_arm" => self.rust_empty_err_arm(node),
                "assignment_statement" | "short_var_declaration" => self.go_ignored_error(node),
                "let_declaration" => self.rust_ignored_result(node),
                "default_parameter" | "typed_default_parameter" => self.mutable_default(node),
                "comparison_operator" | "binary_expression" => self.self_compare(node),
                "for_statement" => {
                    self.off_by_one_c_style(node);
                    if self.lang == Language::Python {
                        self.off_by_one_range(node);
                    }
                }
                "call_expression" if self.lang == Language::Rust => self.unwrap(node),
                _ => {}
            }
            if matches!(
                kind,
                "block"
                    | "statement_block"
                    | "statement_list"
                    | "switch_case"
                    | "switch_default"
                    | "switch_block_statement_group"
                    | "expression_case"
                    | "default_case"
                    | "module"
                    | "program"
            ) {
                self.unreachable(node);
                self.null_deref_in_block(node);
                self.resources_in_block(node);
            }
            if self.lang.is_call(kind) {
                self.chained_nullable(node);
            }
        }
        Ok(())
    }

    // --- swallowed exceptions -------------------------------------------

    fn swallowed(&mut self, node: Node<'_>) {
        let body = node.child_by_field_name("body").or_else(|| {
            let mut c = node.walk();
            let b = node
                .named_children(&mut c)
                .filter(|n| n.kind() == "block")
                .last();
            b
        });
        let Some(body) = body else { return };
        let has_comment = {
            let mut c = body.walk();
            let x = body
                .named_children(&mut c)
                .any(|n| self.lang.is_comment(n.kind()));
            x
        };
        let stmts = statements(body, self.lang);
        let does_nothing = if self.lang == Language::Python {
            !stmts.is_empty()
                && stmts.iter().all(|s| {
                    s.kind() == "pass_statement"
                        || (s.kind() == "expression_statement"
                            && s.named_child(0).is_some_and(|e| e.kind() == "ellipsis"))
                })
        } else {
            stmts.is_empty() && !has_comment
        };
        if does_nothing {
            let what = if self.lang == Language::Python {
                "`except` block only passes"
            } else {
                "empty `catch` block"
            };
            self.report(
                BUG_SWALLOWED,
                node,
                format!("{what}: the exception is silently swallowed"),
            );
        }
    }

    fn go_empty_err_check(&mut self, node: Node<'_>) {
        let (Some(cond), Some(body)) = (
            node.child_by_field_name("condition"),
            node.child_by_field_name("consequence"),
        ) else {
            return;
        };
        let c = text(cond, self.src).replace(' ', "");
        if c.ends_with("!=nil")
            && c.starts_with("err")
            && statements(body, self.lang)
                .iter()
                .all(|s| s.kind() == "statement_list" && s.named_child_count() == 0)
        {
            let has_comment = text(body, self.src).contains("//");
            if !has_comment {
                self.report(
                    BUG_SWALLOWED,
                    node,
                    "`if err != nil {}` does nothing with the error".into(),
                );
            }
        }
    }

    fn rust_empty_err_arm(&mut self, node: Node<'_>) {
        let (Some(pat), Some(val)) = (
            node.child_by_field_name("pattern"),
            node.child_by_field_name("value"),
        ) else {
            return;
        };
        let p = text(pat, self.src);
        let v = text(val, self.src).replace(char::is_whitespace, "");
        if p.starts_with("Err(") && (v == "{}" || v == "()") {
            self.report(
                BUG_SWALLOWED,
                node,
                format!("`{p} => {{}}` drops the error"),
            );
        }
    }

    // --- ignored errors -------------------------------------------------

    fn go_ignored_error(&mut self, node: Node<'_>) {
        if self.lang != Language::Go {
            return;
        }
        let (Some(left), Some(right)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
        ) else {
            return;
        };
        let lefts = statements(left, self.lang);
        let rights = statements(right, self.lang);
        let last_blank = lefts.last().is_some_and(|l| text(*l, self.src) == "_");
        let is_call = rights.len() == 1 && rights[0].kind() == "call_expression";
        if last_blank && is_call {
            let c = callee(rights[0], self.src);
            self.report(
                BUG_IGNORED_ERROR,
                node,
                format!("the error returned by `{c}` is assigned to `_` and never checked"),
            );
        }
    }

    fn rust_ignored_result(&mut self, node: Node<'_>) {
        let (Some(pat), Some(val)) = (
            node.child_by_field_name("pattern"),
            node.child_by_field_name("value"),
        ) else {
            return;
        };
        if text(pat, self.src) != "_" {
            return;
        }
        let mut v = val;
        while v.kind() == "await_expression" || v.kind() == "try_expression" {
            match v.named_child(0) {
                Some(c) => v = c,
                None => break,
            }
        }
        if v.kind() == "call_expression" {
            let c = callee(v, self.src);
            self.report(
                BUG_IGNORED_ERROR,
                node,
                format!("`let _ = {c}(..)` discards the result, and any error in it"),
            );
        }
    }

    // --- mutable default arguments ----------------------------------------

    fn mutable_default(&mut self, node: Node<'_>) {
        if self.lang != Language::Python {
            return;
        }
        let Some(value) = node.child_by_field_name("value") else {
            return;
        };
        let mutable = match value.kind() {
            "list" | "dictionary" | "set" | "list_comprehension" | "dictionary_comprehension" => {
                true
            }
            "call" => matches!(
                callee(value, self.src).as_str(),
                "list" | "dict" | "set" | "collections.defaultdict" | "defaultdict"
            ),
            _ => false,
        };
        if mutable {
            let name = node
                .child_by_field_name("name")
                .map(|n| text(n, self.src))
                .unwrap_or("?");
            self.report(
                BUG_MUTABLE_DEFAULT,
                node,
                format!(
                    "parameter `{name}` defaults to `{}`, one object shared by every call",
                    text(value, self.src)
                ),
            );
        }
    }

    // --- comparison with itself ---------------------------------------------

    fn self_compare(&mut self, node: Node<'_>) {
        let (left, right, op) = if node.kind() == "comparison_operator" {
            let ops: Vec<Node<'_>> = statements(node, self.lang);
            if ops.len() != 2 {
                return;
            }
            let mut c = node.walk();
            let op = node
                .children(&mut c)
                .find(|n| !n.is_named())
                .map(|n| text(n, self.src).to_string())
                .unwrap_or_default();
            (ops[0], ops[1], op)
        } else {
            let (Some(l), Some(r), Some(o)) = (
                node.child_by_field_name("left"),
                node.child_by_field_name("right"),
                node.child_by_field_name("operator"),
            ) else {
                return;
            };
            (l, r, text(o, self.src).to_string())
        };
        if !matches!(op.as_str(), "==" | "===" | "<" | ">" | "<=" | ">=" | "is") {
            return;
        }
        let (l, r) = (text(left, self.src), text(right, self.src));
        let has_call = descendants(left, self.lang, false)
            .iter()
            .any(|n| self.lang.is_call(n.kind()));
        if l == r && !l.is_empty() && !has_call {
            self.report(
                BUG_SELF_COMPARE,
                node,
                format!("`{l} {op} {r}` compares a value with itself"),
            );
        }
    }

    // --- unreachable code ---------------------------------------------------

    fn unreachable(&mut self, block: Node<'_>) {
        let stmts = statements(block, self.lang);
        for pair in stmts.windows(2) {
            let (jump, next) = (pair[0], pair[1]);
            if !self.lang.is_jump(jump, self.src) {
                continue;
            }
            if matches!(
                next.kind(),
                "function_declaration"
                    | "generator_function_declaration"
                    | "class_declaration"
                    | "labeled_statement"
                    | "function_definition"
                    | "function_item"
                    | "empty_statement"
                    | "switch_case"
                    | "switch_default"
                    | "else_clause"
            ) {
                continue;
            }
            // Rust: a tail expression after `return x;` is still dead, but a
            // lone `}`-less block end is not a statement.
            if self.near_change(line(next)) || self.near_change(line(jump)) {
                self.report(
                    BUG_UNREACHABLE,
                    next,
                    format!(
                        "this code never runs: it follows `{}` on line {}",
                        text(jump, self.src).lines().next().unwrap_or("").trim(),
                        line(jump)
                    ),
                );
            }
            break;
        }
    }

    // --- off-by-one ----------------------------------------------------------

    fn off_by_one_c_style(&mut self, node: Node<'_>) {
        let cond = match self.lang {
            Language::Go => {
                let mut c = node.walk();
                let clause = node
                    .named_children(&mut c)
                    .find(|n| n.kind() == "for_clause");
                clause.and_then(|cl| cl.child_by_field_name("condition"))
            }
            Language::Python | Language::Rust => None,
            _ => node.child_by_field_name("condition"),
        };
        let Some(mut cond) = cond else { return };
        if cond.kind() == "expression_statement" {
            match cond.named_child(0) {
                Some(c) => cond = c,
                None => return,
            }
        }
        if cond.kind() != "binary_expression" {
            return;
        }
        let (Some(l), Some(r), Some(op)) = (
            cond.child_by_field_name("left"),
            cond.child_by_field_name("right"),
            cond.child_by_field_name("operator"),
        ) else {
            return;
        };
        if text(op, self.src) != "<=" {
            return;
        }
        let counter = text(l, self.src);
        let bound = text(r, self.src).replace(' ', "");
        let container = if let Some(x) = bound.strip_suffix(".length") {
            x.to_string()
        } else if let Some(x) = bound
            .strip_suffix(".size()")
            .or_else(|| bound.strip_suffix(".length()"))
        {
            x.to_string()
        } else if let Some(x) = bound.strip_prefix("len(").and_then(|x| x.strip_suffix(')')) {
            x.to_string()
        } else {
            return;
        };
        let Some(body) = node.child_by_field_name("body") else {
            return;
        };
        if self.indexes(body, &container, counter) {
            self.report(
                BUG_OFF_BY_ONE,
                cond,
                format!("`{counter} <= {bound}` runs one past the end, and `{container}[{counter}]` is read in the loop"),
            );
        }
    }

    fn off_by_one_range(&mut self, node: Node<'_>) {
        let (Some(var), Some(iter), Some(body)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
            node.child_by_field_name("body"),
        ) else {
            return;
        };
        if iter.kind() != "call" || callee(iter, self.src) != "range" {
            return;
        }
        let args = call_args(iter);
        let Some(end) = args.last() else { return };
        let e = text(*end, self.src).replace(' ', "");
        let Some(container) = e.strip_prefix("len(").and_then(|x| x.strip_suffix(")+1")) else {
            return;
        };
        let counter = text(var, self.src);
        if self.indexes(body, container, counter) {
            self.report(
                BUG_OFF_BY_ONE,
                iter,
                format!("`range({e})` ends one past the last index, and `{container}[{counter}]` is read in the loop"),
            );
        }
    }

    /// Whether `body` reads `container[counter]`.
    fn indexes(&self, body: Node<'_>, container: &str, counter: &str) -> bool {
        descendants(body, self.lang, true).iter().any(|n| {
            let (obj, idx) = match n.kind() {
                "subscript" => (n.child_by_field_name("value"), n.child_by_field_name("subscript")),
                "subscript_expression" => (n.child_by_field_name("object"), n.child_by_field_name("index")),
                "array_access" => (n.child_by_field_name("array"), n.child_by_field_name("index")),
                "index_expression" => (n.child_by_field_name("operand"), n.child_by_field_name("index")),
                _ => (None, None),
            };
            matches!((obj, idx), (Some(o), Some(i)) if text(o, self.src) == container && text(i, self.src) == counter)
        })
    }

    // --- unwrap in Rust -------------------------------------------------------

    fn unwrap(&mut self, node: Node<'_>) {
        let Some(f) = node.child_by_field_name("function") else {
            return;
        };
        if f.kind() != "field_expression" {
            return;
        }
        let Some(field) = f.child_by_field_name("field") else {
            return;
        };
        let name = text(field, self.src);
        if !matches!(name, "unwrap" | "expect") {
            return;
        }
        if !self.near_change(line(field)) {
            return;
        }
        if !self.cx.config.bug.unwrap_in_tests
            && (is_test_path(&self.file.path) || in_rust_test(node, self.src))
        {
            return;
        }
        self.out.push(finding(
            BUG_UNWRAP,
            self.file,
            line(field),
            line(field),
            format!("`.{name}()` panics on None/Err in non-test code"),
        ));
    }

    // --- null dereference -----------------------------------------------------

    /// Method names whose result may be None/null/undefined.
    fn nullable(&self, call: Node<'_>) -> bool {
        let c = callee(call, self.src);
        let m = method_name(&c);
        let nargs = call_args(call).len();
        match self.lang {
            Language::Python => {
                matches!(m, "match" | "search" | "fullmatch")
                    && (c.starts_with("re.")
                        || c.contains("pattern")
                        || c.contains("regex")
                        || c.ends_with("_re.match")
                        || c.ends_with("_RE.match"))
                    || (m == "get"
                        && nargs == 1
                        && !c.starts_with("requests.")
                        && !c.contains("session")
                        && !c.contains("client"))
                    || matches!(m, "first" | "one_or_none" | "which")
            }
            Language::JavaScript | Language::TypeScript | Language::Tsx => {
                matches!(
                    m,
                    "querySelector" | "getElementById" | "closest" | "getItem" | "exec"
                ) || (m == "find" && nargs == 1)
                    || (m == "match" && nargs == 1)
                    || (m == "get"
                        && nargs == 1
                        && !c.contains("axios")
                        && !c.contains("http")
                        && !c.starts_with("app.")
                        && !c.starts_with("router."))
            }
            Language::Java => {
                matches!(m, "getParameter" | "getHeader")
                    || (m == "orElse"
                        && call_args(call)
                            .first()
                            .is_some_and(|a| text(*a, self.src) == "null"))
            }
            _ => false,
        }
    }

    fn member_object<'t>(&self, n: Node<'t>) -> Option<Node<'t>> {
        match n.kind() {
            "attribute" => n.child_by_field_name("object"),
            "subscript" => n.child_by_field_name("value"),
            "member_expression" => {
                // `a?.b` is guarded.
                let mut c = n.walk();
                let optional = n.children(&mut c).any(|k| k.kind() == "optional_chain");
                (!optional)
                    .then(|| n.child_by_field_name("object"))
                    .flatten()
            }
            "subscript_expression" => n.child_by_field_name("object"),
            "method_invocation" | "field_access" => n.child_by_field_name("object"),
            _ => None,
        }
    }

    fn chained_nullable(&mut self, call: Node<'_>) {
        if !self.nullable(call) {
            return;
        }
        let Some(parent) = call.parent() else { return };
        let on_it = self
            .member_object(parent)
            .is_some_and(|o| o.id() == call.id());
        if on_it && self.near_change(line(parent)) {
            let c = callee(call, self.src);
            self.report(
                BUG_NULL_DEREF,
                parent,
                format!("`{c}(..)` may return None/null, and its result is used directly"),
            );
        }
    }

    /// `name = nullable_call(..)` followed in the same block by `name.x`
    /// without a check of `name` in between.
    fn null_deref_in_block(&mut self, block: Node<'_>) {
        let stmts = statements(block, self.lang);
        for (i, s) in stmts.iter().enumerate() {
            let Some((name, call)) = self.bound_call(*s) else {
                continue;
            };
            if !self.nullable(call) {
                continue;
            }
            for later in &stmts[i + 1..] {
                if self.guards(*later, &name) {
                    break;
                }
                if let Some(use_site) = self.deref_of(*later, &name) {
                    if self.near_change(line(use_site)) || self.near_change(line(*s)) {
                        let c = callee(call, self.src);
                        self.report(
                            BUG_NULL_DEREF,
                            use_site,
                            format!("`{name}` comes from `{c}(..)`, which may return None/null, and is used without a check"),
                        );
                    }
                    break;
                }
                if self.reassigns(*later, &name) {
                    break;
                }
            }
        }
    }

    /// `name = call(..)` (Python, JS/TS `const name = ..`, Java local).
    fn bound_call<'t>(&self, stmt: Node<'t>) -> Option<(String, Node<'t>)> {
        let (target, value) = match stmt.kind() {
            "expression_statement" => {
                let a = stmt.named_child(0)?;
                if !matches!(a.kind(), "assignment" | "assignment_expression") {
                    return None;
                }
                (
                    a.child_by_field_name("left")?,
                    a.child_by_field_name("right")?,
                )
            }
            "lexical_declaration" | "variable_declaration" | "local_variable_declaration" => {
                let mut c = stmt.walk();
                let d = stmt
                    .named_children(&mut c)
                    .find(|n| n.kind() == "variable_declarator")?;
                (
                    d.child_by_field_name("name")?,
                    d.child_by_field_name("value")?,
                )
            }
            _ => return None,
        };
        if target.kind() != "identifier" {
            return None;
        }
        let mut v = value;
        if v.kind() == "await_expression" || v.kind() == "await" {
            v = v.named_child(0)?;
        }
        self.lang
            .is_call(v.kind())
            .then(|| (text(target, self.src).to_string(), v))
    }

    fn guards(&self, stmt: Node<'_>, name: &str) -> bool {
        descendants(stmt, self.lang, true).iter().any(|n| {
            let cond = match n.kind() {
                "if_statement" | "while_statement" | "elif_clause" => {
                    n.child_by_field_name("condition")
                }
                "conditional_expression"
                | "ternary_expression"
                | "boolean_operator"
                | "assert_statement" => Some(*n),
                "binary_expression" => n
                    .child_by_field_name("operator")
                    .filter(|o| {
                        matches!(
                            text(*o, self.src),
                            "&&" | "||" | "??" | "==" | "!=" | "===" | "!=="
                        )
                    })
                    .map(|_| *n),
                "try_statement" => Some(*n),
                _ => None,
            };
            cond.is_some_and(|c| {
                descendants(c, self.lang, true)
                    .iter()
                    .any(|x| x.kind() == "identifier" && text(*x, self.src) == name)
            })
        })
    }

    fn deref_of<'t>(&self, stmt: Node<'t>, name: &str) -> Option<Node<'t>> {
        descendants(stmt, self.lang, true).into_iter().find(|n| {
            self.member_object(*n)
                .is_some_and(|o| o.kind() == "identifier" && text(o, self.src) == name)
        })
    }

    fn reassigns(&self, stmt: Node<'_>, name: &str) -> bool {
        self.bound_call(stmt).is_some_and(|(n, _)| n == name)
    }

    // --- resources --------------------------------------------------------------

    fn resources_in_block(&mut self, block: Node<'_>) {
        let Some(func) = enclosing_function(block, self.lang) else {
            return;
        };
        let stmts = statements(block, self.lang);
        // The change must touch the function: the open, or the code that
        // should close what it opened.
        let (fstart, fend) = (line(func), lang::end_line(func));
        if !self.file.in_scope(fstart, fend, self.context) {
            return;
        }
        for s in &stmts {
            let Some((name, opener)) = self.opens_resource(*s) else {
                continue;
            };
            let ftext = text(func, self.src);
            let closed_safely = match self.lang {
                Language::Go => {
                    ftext.contains(&format!("defer {name}.Close()"))
                        || ftext.contains(&format!("defer {name}.Body.Close()"))
                }
                _ => {
                    self.closed_in_finally(func, &name)
                        || ftext.contains(&format!("with {name}"))
                        || ftext.contains(&format!("closing({name})"))
                }
            };
            let escapes = descendants(func, self.lang, true).iter().any(|n| {
                matches!(n.kind(), "return_statement" | "yield")
                    && descendants(*n, self.lang, true)
                        .iter()
                        .any(|x| x.kind() == "identifier" && text(*x, self.src) == name)
            }) || ftext.contains(&format!("self.{name} = {name}"))
                || ftext.contains(&format!("this.{name} = {name}"));
            if !closed_safely && !escapes {
                let how = match self.lang {
                    Language::Go => "no `defer .Close()`",
                    Language::Python => "not in a `with` block nor closed in `finally`",
                    Language::Java => "not in try-with-resources nor closed in `finally`",
                    _ => "not closed in `finally`",
                };
                let open_line = line(*s);
                let anchor = if self.near_change(open_line) {
                    open_line
                } else {
                    (fstart..=fend)
                        .find(|l| self.file.is_touched(*l))
                        .unwrap_or(open_line)
                };
                self.out.push(finding(
                    BUG_RESOURCE,
                    self.file,
                    anchor,
                    anchor,
                    format!("`{name}` is opened by `{opener}(..)` on line {open_line} and {how}: it leaks when an error or early return skips the close"),
                ));
            }
        }
    }

    fn opens_resource(&self, stmt: Node<'_>) -> Option<(String, String)> {
        match self.lang {
            Language::Python
            | Language::JavaScript
            | Language::TypeScript
            | Language::Tsx
            | Language::Java => {
                let (name, call) = self.bound_call(stmt)?;
                let c = callee(call, self.src);
                let m = method_name(&c);
                let is_res = match self.lang {
                    Language::Python => matches!(
                        c.as_str(),
                        "open"
                            | "io.open"
                            | "codecs.open"
                            | "socket.socket"
                            | "sqlite3.connect"
                            | "urllib.request.urlopen"
                            | "urlopen"
                            | "tempfile.NamedTemporaryFile"
                    ),
                    Language::Java => {
                        (c.starts_with("new ")
                            && [
                                "Stream",
                                "Reader",
                                "Writer",
                                "Socket",
                                "Scanner",
                                "RandomAccessFile",
                                "Channel",
                            ]
                            .iter()
                            .any(|k| c.ends_with(k)))
                            || matches!(
                                m,
                                "getConnection"
                                    | "newInputStream"
                                    | "newOutputStream"
                                    | "newBufferedReader"
                                    | "newBufferedWriter"
                                    | "prepareStatement"
                                    | "createStatement"
                            )
                    }
                    _ => matches!(c.as_str(), "fs.openSync"),
                };
                if !is_res {
                    return None;
                }
                // Java try-with-resources declares in `resource`, not here.
                Some((name, c))
            }
            Language::Go => {
                if stmt.kind() != "short_var_declaration" && stmt.kind() != "assignment_statement" {
                    return None;
                }
                let left = stmt.child_by_field_name("left")?;
                let right = stmt.child_by_field_name("right")?;
                let call = statements(right, self.lang).into_iter().next()?;
                if call.kind() != "call_expression" {
                    return None;
                }
                let c = callee(call, self.src);
                let is_res = matches!(
                    c.as_str(),
                    "os.Open"
                        | "os.Create"
                        | "os.OpenFile"
                        | "sql.Open"
                        | "net.Dial"
                        | "http.Get"
                        | "http.Post"
                        | "http.Head"
                        | "http.DefaultClient.Do"
                        | "client.Do"
                        | "http.PostForm"
                );
                if !is_res {
                    return None;
                }
                let first = statements(left, self.lang).into_iter().next()?;
                let name = text(first, self.src);
                (name != "_").then(|| (name.to_string(), c))
            }
            Language::Rust => None,
        }
    }

    fn closed_in_finally(&self, func: Node<'_>, name: &str) -> bool {
        descendants(func, self.lang, true).iter().any(|n| {
            n.kind() == "finally_clause" && text(*n, self.src).contains(&format!("{name}.close"))
                || n.kind() == "finally_clause"
                    && text(*n, self.src).contains(&format!("closeSync({name}"))
        })
    }
}

fn enclosing_function<'t>(node: Node<'t>, lang: Language) -> Option<Node<'t>> {
    let mut cur = Some(node);
    while let Some(n) = cur {
        if lang.is_function(n.kind()) {
            return Some(n);
        }
        cur = n.parent();
    }
    None
}

/// Inside a `#[test]` function or a `#[cfg(test)]` module.
fn in_rust_test(node: Node<'_>, src: &[u8]) -> bool {
    let mut cur = node.parent();
    while let Some(n) = cur {
        if matches!(n.kind(), "function_item" | "mod_item") {
            let mut prev = n.prev_named_sibling();
            while let Some(p) = prev {
                if p.kind() != "attribute_item" {
                    break;
                }
                let t = text(p, src);
                if t.contains("test") {
                    return true;
                }
                prev = p.prev_named_sibling();
            }
        }
        cur = n.parent();
    }
    false
}
