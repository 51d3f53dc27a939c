//! The performance reviewer: database queries and HTTP calls inside loops
//! (N+1, ORM lazy loads included), regexes compiled in a loop, `await` in a
//! loop, membership tests on lists in a loop, string concatenation in a
//! loop, and request bodies read without a bound.

use super::{finding, ReviewContext, ReviewError, Reviewer};
use crate::input::{FileInput, ReviewInput};
use crate::lang::{
    self, call_args, callee, descendants, enclosing_loop, line, method_name, text, Language,
};
use crate::rules::*;
use guard_core::Finding;
use std::collections::{BTreeMap, BTreeSet};
use tree_sitter::Node;

pub struct PerformanceReviewer;

impl Reviewer for PerformanceReviewer {
    fn id(&self) -> &str {
        "performance"
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
            let extra: Vec<&str> = cx
                .config
                .performance
                .io_calls
                .iter()
                .map(String::as_str)
                .collect();
            let mut ck = Checker {
                file,
                lang,
                src,
                extra,
                context: input.context,
                out: &mut out,
                seen: BTreeSet::new(),
            };
            for func in descendants(tree.root_node(), lang, false) {
                if !(lang.is_function(func.kind())
                    || func.kind() == "module"
                    || func.kind() == "program"
                    || func.kind() == "source_file")
                {
                    continue;
                }
                if !file.in_scope(line(func), lang::end_line(func), input.context) {
                    continue;
                }
                cx.check()?;
                ck.function(func);
            }
        }
        Ok(out)
    }
}

struct Checker<'a> {
    file: &'a FileInput,
    lang: Language,
    src: &'a [u8],
    extra: Vec<&'a str>,
    context: u32,
    out: &'a mut Vec<Finding>,
    /// (rule, line) already reported.
    seen: BTreeSet<(&'static str, u32)>,
}

/// Method names (last callee segment) of database and HTTP calls.
const IO_METHODS: &[&str] = &[
    "execute",
    "executemany",
    "query",
    "raw",
    "fetchone",
    "fetchall",
    "fetch_one",
    "fetch_all",
    "findOne",
    "findById",
    "findByPk",
    "findUnique",
    "findFirst",
    "findAll",
    "findMany",
    "find_by",
    "QueryRow",
    "QueryRowContext",
    "Query",
    "QueryContext",
    "Exec",
    "ExecContext",
    "executeQuery",
    "executeUpdate",
    "queryForObject",
    "queryForList",
    "getResultList",
    "getSingleResult",
    "urlopen",
    "fetch",
    "Get",
    "Post",
    "Do",
    "send",
    "getForObject",
    "getForEntity",
    "postForObject",
    "exchange",
    "save",
    "count",
    "aggregate",
    "scalar",
    "scalars",
];

/// Callee prefixes of HTTP clients and ORMs.
const IO_PREFIXES: &[&str] = &[
    "requests.",
    "httpx.",
    "session.",
    "axios",
    "http.",
    "urllib.",
    "db.",
    "cursor.",
    "conn.",
    "connection.",
    "client.",
    "pool.",
    "knex",
    "prisma.",
    "repo.",
    "repository.",
    "em.",
    "entityManager.",
    "jdbcTemplate.",
    "restTemplate.",
    "webClient.",
    "reqwest::",
    "sqlx::",
    "diesel::",
];

impl Checker<'_> {
    fn report(&mut self, rule: &'static str, at: u32, message: String) {
        if self.seen.insert((rule, at)) {
            self.out.push(finding(rule, self.file, at, at, message));
        }
    }

    fn is_io_call(&self, call: Node<'_>) -> Option<String> {
        let c = callee(call, self.src);
        let m = method_name(&c);
        let orm = c.contains(".objects.")
            && matches!(
                m,
                "get"
                    | "filter"
                    | "exclude"
                    | "count"
                    | "exists"
                    | "first"
                    | "create"
                    | "update"
                    | "delete"
                    | "all"
            );
        let sqlalchemy = c.contains("query(")
            || (c.starts_with("session.")
                && matches!(m, "get" | "query" | "execute" | "scalar" | "scalars"));
        let listed = IO_METHODS.contains(&m)
            && (IO_PREFIXES
                .iter()
                .any(|p| c.starts_with(p) || c.contains(&format!(".{p}")))
                || matches!(
                    m,
                    "execute"
                        | "executemany"
                        | "fetchone"
                        | "fetchall"
                        | "urlopen"
                        | "executeQuery"
                        | "executeUpdate"
                        | "QueryRow"
                        | "findOne"
                        | "findById"
                        | "findByPk"
                        | "findUnique"
                        | "findFirst"
                        | "raw"
                        | "queryForObject"
                ))
            || (c == "fetch" && self.lang.is_js());
        let http_verb = IO_PREFIXES.iter().any(|p| c.starts_with(p))
            && matches!(
                m,
                "get"
                    | "post"
                    | "put"
                    | "patch"
                    | "delete"
                    | "head"
                    | "request"
                    | "Get"
                    | "Post"
                    | "Do"
            );
        let extra = self
            .extra
            .iter()
            .any(|e| c == *e || c.ends_with(&format!(".{e}")) || m == *e);
        (orm || sqlalchemy || listed || http_verb || extra).then_some(c)
    }

    fn function(&mut self, func: Node<'_>) {
        let nodes = descendants(func, self.lang, true);
        let lists = self.list_bindings(&nodes);
        let strings = self.string_bindings(&nodes);
        let bounded_body = text(func, self.src).contains("MaxBytesReader")
            || text(func, self.src).contains("LimitReader");
        for node in &nodes {
            let node = *node;
            if !self.file.in_scope(line(node), line(node), self.context) {
                continue;
            }
            let kind = node.kind();
            let in_loop = enclosing_loop(node, func, self.lang);
            if self.lang.is_call(kind) {
                if let Some(lp) = in_loop {
                    if let Some(c) = self.is_io_call(node) {
                        let c = lang::compact(&c);
                        self.report(
                            PERF_N_PLUS_ONE,
                            line(node),
                            format!("`{c}(..)` runs once per iteration of the loop on line {}: one query or request per item", line(lp)),
                        );
                    }
                    let c = callee(node, self.src);
                    if matches!(
                        c.as_str(),
                        "re.compile"
                            | "new RegExp"
                            | "Pattern.compile"
                            | "regexp.MustCompile"
                            | "regexp.Compile"
                            | "Regex::new"
                            | "regex::Regex::new"
                    ) {
                        self.report(
                            PERF_REGEX_LOOP,
                            line(node),
                            format!("`{c}(..)` compiles the pattern on every iteration of the loop on line {}", line(lp)),
                        );
                    }
                    let m = method_name(&c).to_string();
                    if matches!(m.as_str(), "includes" | "indexOf" | "contains") {
                        let recv = c.rsplit_once('.').map(|(r, _)| r).unwrap_or("");
                        if lists.contains(recv) {
                            self.report(
                                PERF_LIST_MEMBERSHIP,
                                line(node),
                                format!("`{c}(..)` scans the list `{recv}` on every iteration; use a set"),
                            );
                        }
                    }
                }
                self.unbounded_body(node, bounded_body);
            }
            match kind {
                "await_expression" | "await" => {
                    if let Some(lp) = in_loop {
                        let for_await = {
                            let mut c = lp.walk();
                            let x = lp
                                .children(&mut c)
                                .any(|k| k.kind() == "await" || k.kind() == "async");
                            x
                        };
                        if !for_await
                            && !lang::descendants(node, self.lang, true)
                                .iter()
                                .any(|n| text(*n, self.src).starts_with("Promise.all"))
                        {
                            self.report(
                                PERF_AWAIT_LOOP,
                                line(node),
                                format!("`await` inside the loop on line {}: iterations wait for each other; if they are independent, run them together", line(lp)),
                            );
                        }
                    }
                }
                "comparison_operator" if in_loop.is_some() => {
                    // `x in xs` / `x not in xs`: the operator tokens are unnamed children.
                    let mut c = node.walk();
                    let is_in = node
                        .children(&mut c)
                        .any(|k| !k.is_named() && matches!(k.kind(), "in" | "not in"));
                    let mut c = node.walk();
                    let right = node.named_children(&mut c).last();
                    if let (true, Some(r)) = (is_in, right) {
                        let name = text(r, self.src);
                        if lists.contains(name) {
                            self.report(
                                PERF_LIST_MEMBERSHIP,
                                line(node),
                                format!("`in {name}` scans the list on every iteration; build a set once"),
                            );
                        }
                    }
                }
                "augmented_assignment"
                | "augmented_assignment_expression"
                | "assignment_expression"
                | "assignment_statement" => {
                    if let Some(lp) = in_loop {
                        let op = node
                            .child_by_field_name("operator")
                            .map(|o| text(o, self.src))
                            .unwrap_or("");
                        let left = node
                            .child_by_field_name("left")
                            .map(|l| text(l, self.src))
                            .unwrap_or("");
                        let is_plus_eq = op == "+=" || text(node, self.src).contains("+=");
                        if is_plus_eq && strings.contains(left) {
                            self.report(
                                PERF_STRING_CONCAT,
                                line(node),
                                format!("`{left} += ..` in the loop on line {} copies the string each time; collect and join", line(lp)),
                            );
                        }
                    }
                }
                "attribute" | "member_expression" => self.lazy_load(node, func),
                _ => {}
            }
        }
    }

    /// Names bound to a list/array in the function.
    fn list_bindings(&self, nodes: &[Node<'_>]) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for n in nodes {
            let (name, value) = match n.kind() {
                "assignment" => (
                    n.child_by_field_name("left"),
                    n.child_by_field_name("right"),
                ),
                "variable_declarator" => (
                    n.child_by_field_name("name"),
                    n.child_by_field_name("value"),
                ),
                _ => (None, None),
            };
            let (Some(name), Some(value)) = (name, value) else {
                if n.kind() == "local_variable_declaration" {
                    let t = n
                        .child_by_field_name("type")
                        .map(|t| text(t, self.src))
                        .unwrap_or("");
                    if t.starts_with("List")
                        || t.starts_with("ArrayList")
                        || t.starts_with("LinkedList")
                    {
                        let mut c = n.walk();
                        for d in n
                            .named_children(&mut c)
                            .filter(|d| d.kind() == "variable_declarator")
                        {
                            if let Some(nm) = d.child_by_field_name("name") {
                                out.insert(text(nm, self.src).to_string());
                            }
                        }
                    }
                }
                continue;
            };
            let is_list = match value.kind() {
                "list" | "list_comprehension" | "array" => true,
                "call" => callee(value, self.src) == "list",
                "call_expression" => {
                    let c = callee(value, self.src);
                    c == "Array.from"
                        || matches!(method_name(&c), "map" | "filter" | "slice" | "concat")
                }
                _ => false,
            };
            if is_list {
                out.insert(text(name, self.src).to_string());
            }
        }
        out
    }

    /// Names bound to a string in the function.
    fn string_bindings(&self, nodes: &[Node<'_>]) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for n in nodes {
            match n.kind() {
                "assignment" | "variable_declarator" | "short_var_declaration" => {
                    let name = n
                        .child_by_field_name("left")
                        .or_else(|| n.child_by_field_name("name"));
                    let value = n
                        .child_by_field_name("right")
                        .or_else(|| n.child_by_field_name("value"));
                    if let (Some(name), Some(value)) = (name, value) {
                        let v = if value.kind() == "expression_list" {
                            value.named_child(0)
                        } else {
                            Some(value)
                        };
                        if v.is_some_and(|v| {
                            matches!(
                                v.kind(),
                                "string"
                                    | "template_string"
                                    | "interpreted_string_literal"
                                    | "raw_string_literal"
                            )
                        }) {
                            out.insert(text(name, self.src).to_string());
                        }
                    }
                }
                "local_variable_declaration" => {
                    let t = n
                        .child_by_field_name("type")
                        .map(|t| text(t, self.src))
                        .unwrap_or("");
                    if t == "String" {
                        let mut c = n.walk();
                        for d in n
                            .named_children(&mut c)
                            .filter(|d| d.kind() == "variable_declarator")
                        {
                            if let Some(nm) = d.child_by_field_name("name") {
                                out.insert(text(nm, self.src).to_string());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn unbounded_body(&mut self, call: Node<'_>, bounded: bool) {
        let c = callee(call, self.src);
        let args = call_args(call);
        let arg0 = args.first().map(|a| text(*a, self.src)).unwrap_or("");
        let hit = match self.lang {
            Language::Go => {
                matches!(c.as_str(), "io.ReadAll" | "ioutil.ReadAll")
                    && arg0.ends_with(".Body")
                    && !bounded
            }
            Language::Python => {
                (c.ends_with("request.get_data")
                    || c.ends_with("request.stream.read")
                    || c.ends_with("wsgi.input.read"))
                    && args.is_empty()
            }
            Language::Java => {
                c.ends_with("getInputStream().readAllBytes")
                    || (matches!(
                        c.as_str(),
                        "IOUtils.toByteArray" | "IOUtils.toString" | "StreamUtils.copyToByteArray"
                    ) && arg0.contains("getInputStream()"))
            }
            _ => false,
        };
        if hit {
            self.report(
                PERF_UNBOUNDED_BODY,
                line(call),
                format!("`{c}(..)` reads the whole request body into memory with no size limit"),
            );
        }
    }

    /// `for o in Model.objects.all(): o.customer.name` (Django) without
    /// `select_related`/`prefetch_related`: one query per row.
    fn lazy_load(&mut self, node: Node<'_>, func: Node<'_>) {
        if self.lang != Language::Python {
            return;
        }
        let Some(lp) = enclosing_loop(node, func, self.lang) else {
            return;
        };
        if lp.kind() != "for_statement" {
            return;
        }
        let (Some(var), Some(iter)) = (
            lp.child_by_field_name("left"),
            lp.child_by_field_name("right"),
        ) else {
            return;
        };
        let it = text(iter, self.src);
        if !it.contains(".objects.")
            || it.contains("select_related")
            || it.contains("prefetch_related")
            || it.contains("values")
        {
            return;
        }
        // `var.rel.attr`: an attribute of a related object.
        let Some(obj) = node.child_by_field_name("object") else {
            return;
        };
        if obj.kind() != "attribute" {
            return;
        }
        let Some(base) = obj.child_by_field_name("object") else {
            return;
        };
        if text(base, self.src) != text(var, self.src) {
            return;
        }
        let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
        *counts.entry(line(node)).or_default() += 1;
        self.report(
            PERF_N_PLUS_ONE,
            line(node),
            format!(
                "`{}` follows a relation of each row of `{it}` (loop on line {}): one lazy query per row; use select_related/prefetch_related",
                text(obj, self.src),
                line(lp)
            ),
        );
    }
}
