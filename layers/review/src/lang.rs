//! Languages the deterministic reviewers parse with tree-sitter, and the node
//! kinds each check looks for, per grammar.

use tree_sitter::{Node, Parser, Tree};

/// A language the deterministic checks understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    Python,
    JavaScript,
    TypeScript,
    Tsx,
    Go,
    Java,
    Rust,
}

impl Language {
    /// By file extension; `None` for files no check parses. The owasp
    /// engine's extension table decides its languages; Rust is the one more.
    pub fn from_path(path: &str) -> Option<Language> {
        use guard_owasp::engine::Lang;
        Some(match Lang::from_path(path) {
            Some(Lang::Python) => Language::Python,
            Some(Lang::JavaScript) => Language::JavaScript,
            Some(Lang::TypeScript) => Language::TypeScript,
            Some(Lang::Tsx) => Language::Tsx,
            Some(Lang::Go) => Language::Go,
            Some(Lang::Java) => Language::Java,
            None if path.rsplit_once('.').is_some_and(|(_, e)| e == "rs") => Language::Rust,
            None => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::JavaScript => "javascript",
            Language::TypeScript => "typescript",
            Language::Tsx => "tsx",
            Language::Go => "go",
            Language::Java => "java",
            Language::Rust => "rust",
        }
    }

    fn grammar(self) -> tree_sitter::Language {
        match self {
            Language::Python => tree_sitter_python::LANGUAGE.into(),
            Language::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Language::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Language::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Language::Go => tree_sitter_go::LANGUAGE.into(),
            Language::Java => tree_sitter_java::LANGUAGE.into(),
            Language::Rust => tree_sitter_rust::LANGUAGE.into(),
        }
    }

    /// The owasp engine's language, for the taint analysis (Rust has none).
    pub fn engine(self) -> Option<guard_owasp::engine::Lang> {
        use guard_owasp::engine::Lang;
        Some(match self {
            Language::Python => Lang::Python,
            Language::JavaScript => Lang::JavaScript,
            Language::TypeScript => Lang::TypeScript,
            Language::Tsx => Lang::Tsx,
            Language::Go => Lang::Go,
            Language::Java => Lang::Java,
            Language::Rust => return None,
        })
    }

    pub fn is_js(self) -> bool {
        matches!(
            self,
            Language::JavaScript | Language::TypeScript | Language::Tsx
        )
    }

    /// Parses `src`; `None` when the parser gives up (it is error tolerant,
    /// so this is rare: a timeout or a grammar mismatch).
    pub fn parse(self, src: &str) -> Option<Tree> {
        let mut parser = Parser::new();
        parser.set_language(&self.grammar()).ok()?;
        parser.parse(src, None)
    }

    /// Node kinds of named functions and methods (and of lambdas, which
    /// count as functions only when bound to a name).
    pub fn is_function(self, kind: &str) -> bool {
        match self {
            Language::Python => kind == "function_definition",
            Language::JavaScript | Language::TypeScript | Language::Tsx => matches!(
                kind,
                "function_declaration"
                    | "generator_function_declaration"
                    | "method_definition"
                    | "arrow_function"
                    | "function_expression"
                    | "function"
            ),
            Language::Go => matches!(
                kind,
                "function_declaration" | "method_declaration" | "func_literal"
            ),
            Language::Java => matches!(
                kind,
                "method_declaration" | "constructor_declaration" | "lambda_expression"
            ),
            Language::Rust => matches!(kind, "function_item" | "closure_expression"),
        }
    }

    /// Anonymous function kinds (nesting for complexity, not a unit of review
    /// unless bound to a name).
    pub fn is_lambda(self, kind: &str) -> bool {
        matches!(
            kind,
            "lambda"
                | "arrow_function"
                | "function_expression"
                | "function"
                | "func_literal"
                | "lambda_expression"
                | "closure_expression"
        )
    }

    pub fn is_loop(self, kind: &str) -> bool {
        match self {
            Language::Python => matches!(
                kind,
                "for_statement"
                    | "while_statement"
                    | "list_comprehension"
                    | "set_comprehension"
                    | "dictionary_comprehension"
                    | "generator_expression"
            ),
            Language::JavaScript | Language::TypeScript | Language::Tsx => matches!(
                kind,
                "for_statement" | "for_in_statement" | "while_statement" | "do_statement"
            ),
            Language::Go => kind == "for_statement",
            Language::Java => matches!(
                kind,
                "for_statement" | "enhanced_for_statement" | "while_statement" | "do_statement"
            ),
            Language::Rust => matches!(
                kind,
                "for_expression" | "while_expression" | "loop_expression"
            ),
        }
    }

    pub fn is_if(self, kind: &str) -> bool {
        matches!(kind, "if_statement" | "if_expression")
    }

    pub fn is_switch(self, kind: &str) -> bool {
        matches!(
            kind,
            "switch_statement"
                | "switch_expression"
                | "expression_switch_statement"
                | "type_switch_statement"
                | "select_statement"
                | "match_expression"
                | "match_statement"
        )
    }

    pub fn is_catch(self, kind: &str) -> bool {
        matches!(kind, "catch_clause" | "except_clause")
    }

    pub fn is_ternary(self, kind: &str) -> bool {
        matches!(kind, "conditional_expression" | "ternary_expression")
    }

    pub fn is_call(self, kind: &str) -> bool {
        matches!(
            kind,
            "call"
                | "call_expression"
                | "method_invocation"
                | "object_creation_expression"
                | "new_expression"
                | "macro_invocation"
        )
    }

    /// Statements after which the rest of a block does not run.
    pub fn is_jump(self, node: Node<'_>, src: &[u8]) -> bool {
        match node.kind() {
            "return_statement" | "raise_statement" | "throw_statement" | "break_statement"
            | "continue_statement" => true,
            "expression_statement" if self == Language::Rust => {
                node.named_child(0).is_some_and(|c| {
                    matches!(
                        c.kind(),
                        "return_expression" | "break_expression" | "continue_expression"
                    ) || (c.kind() == "macro_invocation"
                        && c.child_by_field_name("macro").is_some_and(|m| {
                            matches!(
                                text(m, src),
                                "panic" | "unreachable" | "todo" | "unimplemented"
                            )
                        }))
                })
            }
            _ => false,
        }
    }

    /// Block kinds holding a statement list.
    pub fn is_block(self, kind: &str) -> bool {
        matches!(
            kind,
            "block" | "statement_block" | "module" | "program" | "source_file"
        )
    }

    /// A comment node (left out of statement lists).
    pub fn is_comment(self, kind: &str) -> bool {
        matches!(kind, "comment" | "line_comment" | "block_comment")
    }
}

/// A node's text ("" when it is not on a character boundary).
pub fn text<'a>(node: Node<'_>, src: &'a [u8]) -> &'a str {
    node.utf8_text(src).unwrap_or("")
}

/// 1-based first line of a node.
pub fn line(node: Node<'_>) -> u32 {
    node.start_position().row as u32 + 1
}

/// 1-based last line of a node.
pub fn end_line(node: Node<'_>) -> u32 {
    node.end_position().row as u32 + 1
}

/// Named children that are not comments.
pub fn statements<'t>(node: Node<'t>, lang: Language) -> Vec<Node<'t>> {
    let mut cur = node.walk();
    node.named_children(&mut cur)
        .filter(|c| !lang.is_comment(c.kind()))
        .collect()
}

/// Every node under `node` (itself included), depth first, without
/// descending into nested functions when `stop_at_functions` is set.
pub fn descendants<'t>(node: Node<'t>, lang: Language, stop_at_functions: bool) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        out.push(n);
        let mut cur = n.walk();
        let kids: Vec<Node<'t>> = n.named_children(&mut cur).collect();
        for k in kids.into_iter().rev() {
            if stop_at_functions && lang.is_function(k.kind()) && k.id() != node.id() {
                continue;
            }
            stack.push(k);
        }
    }
    out
}

/// Whether `node` lies inside a loop of `lang` (below `limit`, the enclosing
/// function), and the loop if so.
pub fn enclosing_loop<'t>(node: Node<'t>, limit: Node<'t>, lang: Language) -> Option<Node<'t>> {
    let mut cur = node.parent();
    while let Some(n) = cur {
        if n.id() == limit.id() || lang.is_function(n.kind()) {
            return None;
        }
        // The collection a loop iterates over is evaluated once.
        let in_iterable = loop_iterable(n).is_some_and(|it| {
            it.start_byte() <= node.start_byte() && node.end_byte() <= it.end_byte()
        });
        if lang.is_loop(n.kind()) && !in_iterable {
            return Some(n);
        }
        cur = n.parent();
    }
    None
}

/// The expression a loop iterates over (`for x in ITER`), evaluated once.
pub fn loop_iterable(lp: Node<'_>) -> Option<Node<'_>> {
    match lp.kind() {
        "for_statement" | "for_in_statement" => lp.child_by_field_name("right").or_else(|| {
            let mut c = lp.walk();
            let rc = lp
                .named_children(&mut c)
                .find(|n| n.kind() == "range_clause");
            rc.and_then(|r| r.child_by_field_name("right"))
        }),
        "enhanced_for_statement" | "for_expression" => lp.child_by_field_name("value"),
        "list_comprehension"
        | "set_comprehension"
        | "dictionary_comprehension"
        | "generator_expression" => {
            let mut c = lp.walk();
            let clause = lp
                .named_children(&mut c)
                .find(|n| n.kind() == "for_in_clause");
            clause.and_then(|f| f.child_by_field_name("right"))
        }
        _ => None,
    }
}

/// A callee with its call arguments folded (`db.execute(..).fetchone`).
pub fn compact(callee: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for ch in callee.chars() {
        match ch {
            '(' => {
                if depth == 0 {
                    out.push_str("(..)");
                }
                depth += 1;
            }
            ')' => depth -= 1,
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out
}

/// The callee text of a call node: `db.execute`, `requests.get`,
/// `Pattern.compile`, `new RegExp`, `panic!`.
pub fn callee(node: Node<'_>, src: &[u8]) -> String {
    match node.kind() {
        "method_invocation" => {
            let name = node
                .child_by_field_name("name")
                .map(|n| text(n, src))
                .unwrap_or("");
            match node.child_by_field_name("object") {
                Some(o) => format!("{}.{name}", text(o, src)),
                None => name.to_string(),
            }
        }
        "object_creation_expression" => format!(
            "new {}",
            node.child_by_field_name("type")
                .map(|n| text(n, src))
                .unwrap_or("")
        ),
        "new_expression" => format!(
            "new {}",
            node.child_by_field_name("constructor")
                .map(|n| text(n, src))
                .unwrap_or("")
        ),
        "macro_invocation" => format!(
            "{}!",
            node.child_by_field_name("macro")
                .map(|n| text(n, src))
                .unwrap_or("")
        ),
        _ => node
            .child_by_field_name("function")
            .map(|n| text(n, src).to_string())
            .unwrap_or_default(),
    }
}

/// The last dotted segment of a callee (`db.session.query` gives `query`).
pub fn method_name(callee: &str) -> &str {
    let c = callee.trim_end_matches('!');
    c.rsplit(['.', ':']).next().unwrap_or(c)
}

/// Arguments node of a call.
pub fn call_args<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let Some(args) = node.child_by_field_name("arguments") else {
        return Vec::new();
    };
    let mut cur = args.walk();
    args.named_children(&mut cur)
        .filter(|c| !matches!(c.kind(), "comment"))
        .collect()
}
