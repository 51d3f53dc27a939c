//! Function metrics over tree-sitter nodes: length, cognitive complexity
//! (SonarSource white paper, without the recursion increment), nesting depth
//! and parameter count.

use crate::lang::{self, Language};
use tree_sitter::Node;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Metrics {
    pub lines: u32,
    pub cognitive: u32,
    pub nesting: u32,
    pub params: u32,
}

/// Metrics of one function node.
pub fn measure(func: Node<'_>, lang: Language, src: &[u8]) -> Metrics {
    let body = func.child_by_field_name("body").unwrap_or(func);
    Metrics {
        lines: lang::end_line(func) - lang::line(func) + 1,
        cognitive: cognitive(body, lang, src, 0),
        nesting: depth(body, lang, 0),
        params: params(func, lang, src),
    }
}

fn is_else_if(node: Node<'_>, lang: Language) -> bool {
    let Some(parent) = node.parent() else {
        return false;
    };
    match parent.kind() {
        "else_clause" => true,
        "if_statement" | "if_expression" => parent
            .child_by_field_name("alternative")
            .is_some_and(|a| a.id() == node.id()),
        _ => {
            let _ = lang;
            false
        }
    }
}

fn boolean_op(node: Node<'_>, src: &[u8]) -> Option<&'static str> {
    match node.kind() {
        "boolean_operator" | "binary_expression" => {
            let op = node
                .child_by_field_name("operator")
                .map(|o| lang::text(o, src))?;
            match op {
                "&&" | "and" => Some("and"),
                "||" | "or" => Some("or"),
                "??" => None,
                _ => None,
            }
        }
        _ => None,
    }
}

/// Cognitive complexity of the subtree at `node`, at nesting `level`.
fn cognitive(node: Node<'_>, lang: Language, src: &[u8], level: u32) -> u32 {
    let kind = node.kind();
    let mut total = 0;
    let mut child_level = level;
    if lang.is_if(kind) {
        if is_else_if(node, lang) {
            total += 1;
            // An else-if sits at the level of the `if` it continues.
            child_level = level.saturating_sub(1) + 1;
        } else {
            total += 1 + level;
            child_level = level + 1;
        }
    } else if matches!(kind, "elif_clause") {
        total += 1;
    } else if kind == "else_clause" {
        let holds_if = node.named_child(0).is_some_and(|c| lang.is_if(c.kind()));
        if !holds_if {
            total += 1;
        }
    } else if lang.is_loop(kind)
        || lang.is_switch(kind)
        || lang.is_catch(kind)
        || lang.is_ternary(kind)
    {
        total += 1 + level;
        child_level = level + 1;
    } else if lang.is_lambda(kind) || (lang.is_function(kind) && level > 0) {
        child_level = level + 1;
    } else if let Some(op) = boolean_op(node, src) {
        let parent_same = node
            .parent()
            .and_then(|p| boolean_op(p, src))
            .is_some_and(|p| p == op);
        if !parent_same {
            total += 1;
        }
    } else if matches!(
        kind,
        "break_statement" | "continue_statement" | "goto_statement"
    ) && node.named_child_count() > 0
    {
        // A labelled jump.
        total += 1;
    }
    // An `else` clause (and the if-statement's alternative in Java/Go)
    // does not nest deeper than its `if`.
    let mut cur = node.walk();
    for child in node.named_children(&mut cur) {
        let next_level = if lang.is_if(kind)
            && (child.kind() == "else_clause"
                || child.kind() == "elif_clause"
                || node
                    .child_by_field_name("alternative")
                    .is_some_and(|a| a.id() == child.id()))
        {
            child_level.saturating_sub(1)
        } else {
            child_level
        };
        // The condition of an if is not nested inside it.
        let next_level = if lang.is_if(kind)
            && node
                .child_by_field_name("condition")
                .is_some_and(|c| c.id() == child.id())
        {
            level
        } else {
            next_level
        };
        total += cognitive(child, lang, src, next_level);
    }
    total
}

/// Deepest nesting of control blocks under `node`.
fn depth(node: Node<'_>, lang: Language, level: u32) -> u32 {
    let kind = node.kind();
    let nests = (lang.is_if(kind) && !is_else_if(node, lang))
        || lang.is_loop(kind)
        || lang.is_switch(kind)
        || matches!(
            kind,
            "try_statement" | "try_expression" | "with_statement" | "try_with_resources_statement"
        );
    let here = if nests { level + 1 } else { level };
    let mut best = here;
    let mut cur = node.walk();
    for child in node.named_children(&mut cur) {
        if lang.is_function(child.kind()) {
            continue;
        }
        best = best.max(depth(child, lang, here));
    }
    best
}

/// Declared parameters, without `self`/`cls`/receivers.
fn params(func: Node<'_>, lang: Language, src: &[u8]) -> u32 {
    let Some(list) = func.child_by_field_name("parameters") else {
        return 0;
    };
    let mut cur = list.walk();
    let mut n = 0;
    for p in list.named_children(&mut cur) {
        let kind = p.kind();
        if lang.is_comment(kind) || kind == "self_parameter" {
            continue;
        }
        if lang == Language::Python
            && kind == "identifier"
            && matches!(lang::text(p, src), "self" | "cls")
        {
            continue;
        }
        if lang == Language::Go && kind == "parameter_declaration" {
            // `a, b int` declares two.
            let mut c2 = p.walk();
            let names = p.children_by_field_name("name", &mut c2).count().max(1);
            n += names as u32;
            continue;
        }
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_function(lang: Language, src: &str) -> Metrics {
        let tree = lang.parse(src).expect("parses");
        let root = tree.root_node();
        let f = lang::descendants(root, lang, false)
            .into_iter()
            .find(|n| lang.is_function(n.kind()))
            .expect("a function");
        measure(f, lang, src.as_bytes())
    }

    #[test]
    fn cognitive_complexity_follows_the_white_paper_examples() {
        // sumOfPrimes from the white paper: 7.
        let java = "class A { int sumOfPrimes(int max) {\n int total = 0;\n OUT: for (int i = 1; i <= max; ++i) {\n  for (int j = 2; j < i; ++j) {\n   if (i % j == 0) {\n    continue OUT;\n   }\n  }\n  total += i;\n }\n return total;\n} }\n";
        assert_eq!(first_function(Language::Java, java).cognitive, 7);
        // getWords: a switch is +1 whatever its cases: 1.
        let java2 = "class A { String getWords(int number) {\n switch (number) {\n  case 1: return \"one\";\n  case 2: return \"a couple\";\n  default: return \"lots\";\n }\n} }\n";
        assert_eq!(first_function(Language::Java, java2).cognitive, 1);
        let py = "def f(a, b):\n    if a and b or a:\n        for x in a:\n            if x:\n                pass\n    elif b:\n        pass\n    else:\n        pass\n";
        // if 1, `and`/`or` 2, for 2, nested if 3, elif 1, else 1.
        assert_eq!(first_function(Language::Python, py).cognitive, 10);
    }

    #[test]
    fn nesting_params_and_length() {
        let py = "def f(self, a, b=1, *c, **d):\n    if a:\n        for x in b:\n            while x:\n                pass\n";
        let m = first_function(Language::Python, py);
        assert_eq!(m.params, 4);
        assert_eq!(m.nesting, 3);
        assert_eq!(m.lines, 5);
        let go = "package p\nfunc f(a, b int, c string) {}\n";
        assert_eq!(first_function(Language::Go, go).params, 3);
    }
}
