//! Bash source to simple commands, with tree-sitter-bash.
//!
//! Why tree-sitter-bash: it is the grammar editors and dcg use on real-world shell,
//! it parses heredocs, `$(...)`, backticks, process substitution, arithmetic and
//! every compound form, and it is error-tolerant: a broken command still yields a
//! tree whose `ERROR`/`MISSING` nodes tell us the parse was partial, so the caller
//! can add a conservative scan instead of silently trusting a half-parse. It parses
//! in a single pass without backtracking (about a millisecond for 100 KB), and the
//! grammar is compiled in, so a hook process starts with no loading cost.
//! (brush-parser fails the whole input on the first error and yash-syntax is async;
//! conch-parser is unmaintained and misses newer syntax.)
//!
//! The walk flattens the tree into [`Cmd`]s: every simple command, wherever it sits
//! (lists, pipelines, subshells, bodies of `if`/`while`/functions, `$(...)`,
//! backticks, `<(...)`, redirect targets), with its stdin source and written files.

use super::word::{decode_ansi_c, program_name, unescape_double, unescape_unquoted, Word};
use tree_sitter::{Node, Parser};

/// Where a command's standard input comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Stdin {
    #[default]
    Inherited,
    /// A heredoc or here-string; `dynamic` when it contains expansions.
    Text { text: String, dynamic: bool },
    /// The earlier stages of a pipeline, nearest last.
    Pipe(Vec<Producer>),
    /// `< file`.
    File(Word),
}

/// An earlier pipeline stage.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Producer {
    /// Empty when the stage is not a simple command (a subshell, a loop).
    pub argv: Vec<Word>,
    pub stdin: Option<String>,
    /// The heredoc or here-string in `stdin` contains expansions.
    pub stdin_dynamic: bool,
}

/// A file a command's output is redirected to (`>`, `>|`, `&>`, `>>`, `&>>`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WriteTarget {
    pub target: Word,
    /// `>>` or `&>>`: the output is added to the end of the file.
    pub append: bool,
}

/// One simple command as bash would run it (before wrapper stripping).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cmd {
    /// `NAME=value` before the command, or the operands of `export`/`declare`.
    pub assigns: Vec<(String, Word)>,
    pub argv: Vec<Word>,
    pub stdin: Stdin,
    /// Targets of `>`, `>>`, `&>`, `>|`.
    pub writes: Vec<WriteTarget>,
    /// The command's source text.
    pub text: String,
    /// `export`/`declare`/`local`/`readonly`: assignments that persist.
    pub declaration: bool,
    /// The functions whose body holds this command, outermost first: it runs only
    /// when they are called.
    pub functions: Vec<String>,
    /// The subshell the command runs in (`( ... )`, `$( ... )`, a stage of a
    /// pipeline); 0 is the shell itself. A `cd` in a subshell changes only it.
    pub scope: usize,
}

impl Cmd {
    pub fn program(&self) -> Option<&str> {
        self.argv.first().map(|w| program_name(&w.text))
    }
}

#[derive(Debug, Default)]
pub struct Parsed {
    pub cmds: Vec<Cmd>,
    /// The tree had `ERROR` or `MISSING` nodes, or the walk hit its depth limit.
    pub partial: bool,
    /// Functions whose body calls the function itself (`:(){ :|:& };:`).
    pub recursive_functions: Vec<String>,
}

/// The redirected statement that is the first of several items of `n`'s body
/// list: the left spine of a chain like `a > f && b > g`.
fn chained_first(n: Node<'_>) -> Option<Node<'_>> {
    let body = n.child_by_field_name("body")?;
    if body.kind() != "list" || body.named_child_count() < 2 {
        return None;
    }
    body.named_child(0)
        .filter(|first| first.kind() == "redirected_statement")
}

/// Recursion limit for the tree walk (`a && b && ...` chains nest one level per
/// command in tree-sitter's tree); deeper trees are marked partial. The analysis runs
/// on a thread with a stack sized for it (see [`super::analyse`]).
pub const MAX_TREE_DEPTH: usize = 12_000;

pub fn parse(src: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut parser = Parser::new();
    if parser
        .set_language(&tree_sitter_bash::LANGUAGE.into())
        .is_err()
    {
        parsed.partial = true;
        return parsed;
    }
    let Some(tree) = parser.parse(src, None) else {
        parsed.partial = true;
        return parsed;
    };
    let root = tree.root_node();
    parsed.partial = root.has_error();
    let mut w = Walker {
        src,
        out: &mut parsed,
        scope: 0,
        scopes: 0,
    };
    w.walk(root, &Ctx::default(), 0);
    parsed
}

#[derive(Clone, Default)]
struct Ctx {
    stdin: Stdin,
    writes: Vec<WriteTarget>,
    /// Words after a redirect target (`git >/dev/null reset --hard`): tree-sitter
    /// files them under the redirect, bash passes them as arguments.
    extra_args: Vec<Word>,
}

struct Walker<'a> {
    src: &'a str,
    out: &'a mut Parsed,
    /// The subshell being walked, and the last id given out.
    scope: usize,
    scopes: usize,
}

impl<'a> Walker<'a> {
    fn text(&self, n: Node<'_>) -> &'a str {
        self.src.get(n.byte_range()).unwrap_or("")
    }

    fn walk(&mut self, n: Node<'_>, ctx: &Ctx, depth: usize) {
        if depth > MAX_TREE_DEPTH {
            self.out.partial = true;
            return;
        }
        if n.is_missing() || n.is_error() {
            self.out.partial = true;
        }
        match n.kind() {
            "command" => self.command(n, ctx, depth),
            "pipeline" => self.pipeline(n, ctx, depth),
            "redirected_statement" => self.redirected(n, ctx, depth),
            "declaration_command" => self.declaration(n, depth),
            "list" => {
                // `a && b && c ...` nests to the left; flatten it so long chains do not
                // count as deep nesting.
                let mut items = Vec::new();
                let mut cur = n;
                loop {
                    let mut c = cur.walk();
                    let kids: Vec<Node<'_>> = cur.named_children(&mut c).collect();
                    match kids.split_first() {
                        Some((first, rest)) if first.kind() == "list" => {
                            items.extend(rest.iter().rev().copied());
                            cur = *first;
                        }
                        _ => {
                            items.extend(kids.into_iter().rev());
                            break;
                        }
                    }
                }
                for it in items.into_iter().rev() {
                    self.walk(it, ctx, depth + 1);
                }
            }
            "variable_assignment" => {
                let (name, value) = self.assignment(n);
                self.out.cmds.push(Cmd {
                    scope: self.scope,
                    assigns: vec![(name, value)],
                    text: clip(self.text(n), MAX_TEXT).to_string(),
                    ..Cmd::default()
                });
                self.children(n, &Ctx::default(), depth);
            }
            "function_definition" => {
                if let Some(name) = n.child_by_field_name("name") {
                    let name = self.text(name).to_string();
                    let before = self.out.cmds.len();
                    self.children(n, &Ctx::default(), depth);
                    if self.out.cmds[before..]
                        .iter()
                        .any(|c| c.program() == Some(name.as_str()))
                    {
                        self.out.recursive_functions.push(name.clone());
                    }
                    for c in &mut self.out.cmds[before..] {
                        c.functions.insert(0, name.clone());
                    }
                } else {
                    self.children(n, &Ctx::default(), depth);
                }
            }
            "subshell" | "command_substitution" | "process_substitution" => {
                self.in_subshell(|w| w.children(n, &Ctx::default(), depth))
            }
            _ => self.children(n, &Ctx::default(), depth),
        }
    }

    fn children(&mut self, n: Node<'_>, ctx: &Ctx, depth: usize) {
        let mut cur = n.walk();
        let kids: Vec<Node<'_>> = n.children(&mut cur).collect();
        for k in kids {
            self.walk(k, ctx, depth + 1);
        }
    }

    fn assignment(&self, n: Node<'_>) -> (String, Word) {
        let name = n
            .child_by_field_name("name")
            .map(|c| self.text(c).to_string())
            .unwrap_or_default();
        let value = n
            .child_by_field_name("value")
            .map(|v| self.word(v))
            .unwrap_or_default();
        (name, value)
    }

    fn command(&mut self, n: Node<'_>, ctx: &Ctx, depth: usize) {
        let mut cmd = Cmd {
            stdin: ctx.stdin.clone(),
            writes: ctx.writes.clone(),
            text: clip(self.text(n), MAX_TEXT).to_string(),
            ..Cmd::default()
        };
        let mut cur = n.walk();
        let kids: Vec<Node<'_>> = n.children(&mut cur).collect();
        for k in &kids {
            match k.kind() {
                "variable_assignment" => cmd.assigns.push(self.assignment(*k)),
                "command_name" => {
                    if let Some(inner) = k.named_child(0) {
                        cmd.argv.insert(0, self.word(inner));
                    }
                }
                "file_redirect" | "heredoc_redirect" | "herestring_redirect" => {
                    let mut r = Ctx {
                        stdin: cmd.stdin.clone(),
                        ..Ctx::default()
                    };
                    self.redirect(*k, &mut r);
                    cmd.stdin = r.stdin;
                    cmd.writes.extend(r.writes);
                    cmd.argv.extend(r.extra_args);
                }
                _ if k.is_named() => cmd.argv.push(self.word(*k)),
                _ => {}
            }
        }
        cmd.argv.extend(ctx.extra_args.iter().cloned());
        cmd.scope = self.scope;
        self.out.cmds.push(cmd);
        // Commands inside substitutions in the words and redirect targets.
        for k in kids {
            self.nested(k, depth + 1);
        }
    }

    /// Walks a word-level node only for the commands nested in it.
    fn nested(&mut self, n: Node<'_>, depth: usize) {
        if depth > MAX_TREE_DEPTH {
            self.out.partial = true;
            return;
        }
        match n.kind() {
            "command_substitution" | "process_substitution" => {
                self.in_subshell(|w| w.children(n, &Ctx::default(), depth))
            }
            _ => {
                let mut cur = n.walk();
                let kids: Vec<Node<'_>> = n.children(&mut cur).collect();
                for k in kids {
                    self.nested(k, depth + 1);
                }
            }
        }
    }

    fn redirect(&mut self, r: Node<'_>, ctx: &mut Ctx) {
        match r.kind() {
            "file_redirect" => {
                let op = {
                    let mut cur = r.walk();
                    let found = r
                        .children(&mut cur)
                        .find(|c| !c.is_named())
                        .map(|c| self.text(c).to_string());
                    found.unwrap_or_default()
                };
                let mut cur = r.walk();
                let dests: Vec<Node<'_>> =
                    r.children_by_field_name("destination", &mut cur).collect();
                let Some(dest) = dests.first().copied() else {
                    return;
                };
                for extra in &dests[1..] {
                    ctx.extra_args.push(self.word(*extra));
                }
                let target = self.word(dest);
                if op.starts_with('<') && op != "<&" {
                    ctx.stdin = Stdin::File(target);
                } else if (op.contains('>') && !op.ends_with('&'))
                    || (op == ">&" && !target.text.chars().all(|c| c.is_ascii_digit() || c == '-'))
                {
                    ctx.writes.push(WriteTarget {
                        append: op.ends_with(">>"),
                        target,
                    });
                }
            }
            "herestring_redirect" => {
                if let Some(v) = r.named_child(0) {
                    let w = self.word(v);
                    // bash adds a newline to the here-string.
                    ctx.stdin = Stdin::Text {
                        text: format!("{}\n", w.text),
                        dynamic: w.dynamic,
                    };
                }
            }
            "heredoc_redirect" => {
                let mut cur = r.walk();
                let kids: Vec<Node<'_>> = r.children(&mut cur).collect();
                // `cat <<EOF > file`: tree-sitter files the redirects written after
                // the heredoc operator under the heredoc node.
                for k in &kids {
                    if k.kind() == "file_redirect" {
                        self.redirect(*k, ctx);
                    }
                }
                let strip_tabs = kids.iter().any(|k| self.text(*k) == "<<-");
                // A quoted delimiter (`<<'EOF'`, `<<"EOF"`, `<<\EOF`) keeps the body literal.
                let quoted = kids
                    .iter()
                    .find(|k| k.kind() == "heredoc_start")
                    .is_some_and(|k| self.text(*k).contains(['\'', '"', '\\']));
                if let Some(b) = kids.iter().find(|c| c.kind() == "heredoc_body") {
                    let dynamic = b
                        .named_children(&mut b.walk())
                        .any(|c| c.kind() != "heredoc_content");
                    let raw = self.text(*b);
                    let mut text = if quoted {
                        raw.to_string()
                    } else {
                        unescape_heredoc(raw)
                    };
                    if strip_tabs {
                        text = text
                            .split_inclusive('\n')
                            .map(|l| l.trim_start_matches('\t'))
                            .collect();
                    }
                    ctx.stdin = Stdin::Text { text, dynamic };
                }
            }
            _ => {}
        }
    }

    fn redirected(&mut self, n: Node<'_>, ctx: &Ctx, depth: usize) {
        // `a > f && b > g && c > h` nests each redirected list in the first item
        // of the next one. Walk that spine without recursion, innermost first,
        // so a long chain costs no stack.
        let mut spine = vec![n];
        while let Some(inner) = spine.last().and_then(|s| chained_first(*s)) {
            spine.push(inner);
        }
        let mut skip_first = false;
        while let Some(level) = spine.pop() {
            if level.is_missing() {
                self.out.partial = true;
            }
            self.redirected_level(level, ctx, depth, skip_first);
            skip_first = true;
        }
    }

    /// One redirected statement; with `skip_first`, the first item of its body
    /// list was walked already (it is the next level of the spine).
    fn redirected_level(&mut self, n: Node<'_>, ctx: &Ctx, depth: usize, skip_first: bool) {
        let mut local = ctx.clone();
        let mut tails = Vec::new();
        let mut cur = n.walk();
        let kids: Vec<Node<'_>> = n.children(&mut cur).collect();
        for k in &kids {
            if k.kind().ends_with("redirect") {
                self.redirect(*k, &mut local);
                // `cat <<EOF | bash` puts the rest of the pipeline inside the heredoc node.
                let mut c2 = k.walk();
                for inner in k.children(&mut c2) {
                    if matches!(
                        inner.kind(),
                        "pipeline" | "command" | "list" | "redirected_statement"
                    ) {
                        tails.push(inner);
                    }
                }
                self.nested(*k, depth + 1);
            }
        }
        let Some(body) = n.child_by_field_name("body") else {
            return;
        };
        // The body as a pipeline producer, only when a pipeline continues inside
        // the heredoc node.
        let producer = if tails.is_empty() {
            Producer::default()
        } else {
            self.producer(body, &local)
        };
        match body.kind() {
            "list" => {
                // tree-sitter attaches the redirects of the last command to the whole list.
                let mut cur = body.walk();
                let items: Vec<Node<'_>> = body.named_children(&mut cur).collect();
                let last = items.len().saturating_sub(1);
                for (i, it) in items.into_iter().enumerate() {
                    if i == 0 && skip_first {
                        continue;
                    }
                    if i == last {
                        self.walk_with(it, &local, depth + 1);
                    } else {
                        self.walk(it, ctx, depth + 1);
                    }
                }
            }
            _ => self.walk_with(body, &local, depth + 1),
        }
        for t in tails {
            let pipe = Ctx {
                stdin: Stdin::Pipe(vec![producer.clone()]),
                ..Ctx::default()
            };
            if t.kind() == "pipeline" {
                self.pipeline_from(t, vec![producer.clone()], depth + 1);
            } else {
                self.walk_with(t, &pipe, depth + 1);
            }
        }
    }

    /// Walks `n` giving a simple command (or the stages of a pipeline) this context.
    fn walk_with(&mut self, n: Node<'_>, ctx: &Ctx, depth: usize) {
        match n.kind() {
            "command" => self.command(n, ctx, depth),
            "redirected_statement" => self.redirected(n, ctx, depth),
            "pipeline" => self.pipeline(n, ctx, depth),
            _ => self.walk(n, ctx, depth),
        }
    }

    fn producer(&self, n: Node<'_>, ctx: &Ctx) -> Producer {
        let extra = ctx.extra_args.clone();
        let (stdin, stdin_dynamic) = match &ctx.stdin {
            Stdin::Text { text, dynamic } => (Some(text.clone()), *dynamic),
            _ => (None, false),
        };
        let cmd = match n.kind() {
            "command" => Some(n),
            "redirected_statement" => n
                .child_by_field_name("body")
                .filter(|b| b.kind() == "command"),
            _ => None,
        };
        let Some(cmd) = cmd else {
            return Producer {
                argv: Vec::new(),
                stdin,
                stdin_dynamic,
            };
        };
        let mut argv = Vec::new();
        let mut cur = cmd.walk();
        for k in cmd.children(&mut cur) {
            match k.kind() {
                "command_name" => {
                    if let Some(inner) = k.named_child(0) {
                        argv.push(self.word(inner));
                    }
                }
                "variable_assignment"
                | "file_redirect"
                | "heredoc_redirect"
                | "herestring_redirect" => {}
                _ if k.is_named() => argv.push(self.word(k)),
                _ => {}
            }
        }
        argv.extend(extra);
        Producer {
            argv,
            stdin,
            stdin_dynamic,
        }
    }

    fn pipeline(&mut self, n: Node<'_>, ctx: &Ctx, depth: usize) {
        let first = match &ctx.stdin {
            Stdin::Pipe(p) => p.clone(),
            _ => Vec::new(),
        };
        let mut cur = n.walk();
        let stages: Vec<Node<'_>> = n.named_children(&mut cur).collect();
        let mut producers = first;
        let last = stages.len().saturating_sub(1);
        for (i, s) in stages.iter().enumerate() {
            let mut stage_ctx = if i == 0 && producers.is_empty() {
                Ctx {
                    stdin: ctx.stdin.clone(),
                    ..Ctx::default()
                }
            } else {
                Ctx {
                    stdin: Stdin::Pipe(producers.clone()),
                    ..Ctx::default()
                }
            };
            // Output redirects tree-sitter attached to a whole pipeline (`a && b | c
            // > f`) are the last stage's, as bash runs them.
            if i == last {
                stage_ctx.writes = ctx.writes.clone();
            }
            let p = self.producer(*s, &stage_ctx);
            // Each stage of a pipeline runs in a subshell.
            self.in_subshell(|w| w.walk_with(*s, &stage_ctx, depth + 1));
            producers.push(p);
        }
    }

    fn pipeline_from(&mut self, n: Node<'_>, producers: Vec<Producer>, depth: usize) {
        let ctx = Ctx {
            stdin: Stdin::Pipe(producers),
            ..Ctx::default()
        };
        self.pipeline(n, &ctx, depth);
    }

    fn declaration(&mut self, n: Node<'_>, depth: usize) {
        let mut cmd = Cmd {
            text: clip(self.text(n), MAX_TEXT).to_string(),
            declaration: true,
            ..Cmd::default()
        };
        let mut cur = n.walk();
        let kids: Vec<Node<'_>> = n.children(&mut cur).collect();
        if let Some(first) = kids.first() {
            cmd.argv.push(Word::lit(self.text(*first)));
        }
        for k in &kids {
            if k.kind() == "variable_assignment" {
                cmd.assigns.push(self.assignment(*k));
            } else if k.is_named() {
                cmd.argv.push(self.word(*k));
            }
        }
        cmd.scope = self.scope;
        self.out.cmds.push(cmd);
        for k in kids {
            self.nested(k, depth + 1);
        }
    }

    /// Runs `f` in a new subshell scope.
    fn in_subshell(&mut self, f: impl FnOnce(&mut Self)) {
        let outer = self.scope;
        self.scopes += 1;
        self.scope = self.scopes;
        f(self);
        self.scope = outer;
    }

    /// Quote removal for one word-level node.
    fn word(&self, n: Node<'_>) -> Word {
        let raw = self.text(n);
        match n.kind() {
            "word" | "number" | "variable_name" | "test_operator" | "special_variable_name" => {
                let text = unescape_unquoted(raw);
                let dynamic = raw.contains(['*', '?', '[']) && !raw.contains('\\');
                Word {
                    text,
                    dynamic,
                    substituted: Vec::new(),
                }
            }
            "raw_string" => Word::lit(
                raw.strip_prefix('\'')
                    .and_then(|s| s.strip_suffix('\''))
                    .unwrap_or(raw),
            ),
            "ansi_c_string" => Word::lit(decode_ansi_c(raw)),
            "string" | "translated_string" => {
                let mut w = Word::default();
                let inner_start = n.start_byte() + if n.kind() == "string" { 1 } else { 2 };
                let inner_end = n.end_byte().saturating_sub(1).max(inner_start);
                let mut pos = inner_start;
                let mut cur = n.walk();
                for c in n.named_children(&mut cur) {
                    if c.start_byte() > pos {
                        w.text.push_str(&unescape_double(
                            self.src.get(pos..c.start_byte()).unwrap_or(""),
                        ));
                    }
                    if c.kind() == "string_content" {
                        w.text.push_str(&unescape_double(self.text(c)));
                    } else {
                        let inner = self.word(c);
                        w.text.push_str(&inner.text);
                        w.dynamic |= inner.dynamic;
                        w.substituted.extend(inner.substituted);
                    }
                    pos = c.end_byte();
                }
                if inner_end > pos {
                    w.text
                        .push_str(&unescape_double(self.src.get(pos..inner_end).unwrap_or("")));
                }
                w
            }
            "concatenation" => {
                let mut w = Word::default();
                let mut cur = n.walk();
                for c in n.children(&mut cur) {
                    let inner = self.word(c);
                    w.text.push_str(&inner.text);
                    w.dynamic |= inner.dynamic;
                    w.substituted.extend(inner.substituted);
                }
                w
            }
            "command_substitution"
            | "process_substitution"
            | "simple_expansion"
            | "expansion"
            | "arithmetic_expansion"
            | "brace_expression" => {
                let mut progs = Vec::new();
                collect_programs(n, self.src, &mut progs, 0);
                // The commands inside are walked from the tree; the text only serves
                // `eval`/`-c` payloads and messages, so nested levels are not copied whole.
                Word {
                    text: clip(raw, MAX_SUBST_TEXT).to_string(),
                    dynamic: true,
                    substituted: progs,
                }
            }
            _ => Word::lit(raw),
        }
    }
}

/// Backslash removal in the body of a heredoc with an unquoted delimiter: only
/// `\$`, `` \` ``, `\\` and `\<newline>` are escapes there.
fn unescape_heredoc(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some('$' | '`' | '\\') => {
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                }
                Some('\n') => {
                    chars.next();
                }
                _ => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Source kept per command (for messages).
const MAX_TEXT: usize = 512;
/// Source kept per substitution word.
const MAX_SUBST_TEXT: usize = 4096;

/// The first `max` bytes of `s`, on a character boundary.
fn clip(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Program names run inside a substitution, nearest first. Bounded by a node budget:
/// it runs for every substitution word, and nested substitutions must stay linear.
fn collect_programs(n: Node<'_>, src: &str, out: &mut Vec<String>, _depth: usize) {
    let mut budget = 128usize;
    let mut stack = vec![n];
    while let Some(node) = stack.pop() {
        if budget == 0 || out.len() >= 8 {
            break;
        }
        budget -= 1;
        if node.kind() == "command_name" {
            // A name that is itself a substitution spans the nested rest: clip it.
            let t = clip(src.get(node.byte_range()).unwrap_or(""), 256);
            out.push(program_name(&unescape_unquoted(t)).to_string());
        }
        let mut cur = node.walk();
        let kids: Vec<Node<'_>> = node.children(&mut cur).collect();
        stack.extend(kids.into_iter().rev());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argvs(src: &str) -> Vec<Vec<String>> {
        parse(src)
            .cmds
            .iter()
            .map(|c| c.argv.iter().map(|w| w.text.clone()).collect())
            .collect()
    }

    #[test]
    fn splits_and_nests() {
        assert_eq!(
            argvs("a 1 && b '2' ; c \"3 $x\" | d $(e 4) `f`"),
            vec![
                vec!["a", "1"],
                vec!["b", "2"],
                vec!["c", "3 $x"],
                vec!["d", "$(e 4)", "`f`"],
                vec!["e", "4"],
                vec!["f"],
            ]
        );
    }

    #[test]
    fn quoting_is_removed() {
        assert_eq!(
            argvs(r#"r'm' -r"f" \/ $'\x2f'"#),
            vec![vec!["rm", "-rf", "/", "/"]]
        );
    }

    #[test]
    fn heredoc_feeds_stdin() {
        let p = parse("bash <<'EOF'\nrm -rf /\nEOF\n");
        assert!(matches!(&p.cmds[0].stdin, Stdin::Text { text, .. } if text.contains("rm -rf /")));
        let p = parse("cat <<EOF | sh\nrm -rf /\nEOF\n");
        let sh = p
            .cmds
            .iter()
            .find(|c| c.program() == Some("sh"))
            .expect("sh");
        match &sh.stdin {
            Stdin::Pipe(prods) => {
                assert_eq!(prods[0].argv[0].text, "cat");
                assert!(prods[0].stdin.as_deref().unwrap_or("").contains("rm -rf /"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn redirects_on_lists_go_to_the_last_command() {
        let p = parse("true && cat < .env > out");
        let cat = p
            .cmds
            .iter()
            .find(|c| c.program() == Some("cat"))
            .expect("cat");
        assert!(matches!(&cat.stdin, Stdin::File(w) if w.text == ".env"));
        assert_eq!(cat.writes[0].target.text, "out");
    }

    #[test]
    fn words_after_a_redirect_are_arguments() {
        assert_eq!(
            argvs("git >/dev/null reset --hard"),
            vec![vec!["git", "reset", "--hard"]]
        );
        assert_eq!(
            argvs("git 2>&1 reset --hard"),
            vec![vec!["git", "reset", "--hard"]]
        );
    }

    #[test]
    fn heredoc_bodies_and_their_redirects() {
        let p = parse("cat <<-EOF >> a.tf\n\tx = 1\n\tEOF\n");
        let c = &p.cmds[0];
        assert_eq!(c.writes[0].target.text, "a.tf");
        assert!(c.writes[0].append);
        assert_eq!(
            c.stdin,
            Stdin::Text {
                text: "x = 1\n".into(),
                dynamic: false
            }
        );
        let p = parse("cat > a.tf <<'EOF'\nx = \"${var.y}\"\nEOF\n");
        assert!(!p.cmds[0].writes[0].append);
        assert_eq!(
            p.cmds[0].stdin,
            Stdin::Text {
                text: "x = \"${var.y}\"\n".into(),
                dynamic: false
            }
        );
        let p = parse("cat > a.tf <<EOF\nx = \\$y ${z}\nEOF\n");
        assert!(matches!(
            &p.cmds[0].stdin,
            Stdin::Text { dynamic: true, .. }
        ));
        let p = parse("cat > a.tf <<EOF\nx = \\$y\nEOF\n");
        assert_eq!(
            p.cmds[0].stdin,
            Stdin::Text {
                text: "x = $y\n".into(),
                dynamic: false
            }
        );
    }

    #[test]
    fn redirects_of_a_pipeline_in_a_list_go_to_its_last_stage() {
        let p = parse("true && echo x | cat > .claude/settings.json");
        let cat = p
            .cmds
            .iter()
            .find(|c| c.program() == Some("cat"))
            .expect("cat");
        assert_eq!(cat.writes[0].target.text, ".claude/settings.json");
        assert!(matches!(&cat.stdin, Stdin::Pipe(p) if p[0].argv[0].text == "echo"));
    }

    #[test]
    fn pipes_record_producers() {
        let p = parse("curl -s x | tee f | sh");
        let sh = &p.cmds[2];
        match &sh.stdin {
            Stdin::Pipe(prods) => assert_eq!(prods.len(), 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn long_chains_are_not_deep() {
        let src = vec!["echo a"; 3000].join(" && ");
        let p = parse(&src);
        assert!(!p.partial);
        assert_eq!(p.cmds.len(), 3000);
    }

    #[test]
    fn redirected_chains_keep_order_and_need_no_stack() {
        let p = parse("echo a > f1 && echo b >> f2 && echo c > f3");
        let got: Vec<(String, String, bool)> = p
            .cmds
            .iter()
            .map(|c| {
                let w = &c.writes[0];
                (c.argv[1].text.clone(), w.target.text.clone(), w.append)
            })
            .collect();
        assert_eq!(
            got,
            [("a", "f1", false), ("b", "f2", true), ("c", "f3", false)].map(|(a, f, ap)| (
                a.to_string(),
                f.to_string(),
                ap
            ))
        );
        // 5,000 levels of nesting in the tree, walked on a small stack.
        let src = (0..5000)
            .map(|i| format!("echo {i} >> log"))
            .collect::<Vec<_>>()
            .join(" && ");
        let n = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || parse(&src).cmds.len())
            .expect("thread")
            .join()
            .expect("no overflow");
        assert_eq!(n, 5000);
    }

    #[test]
    fn broken_input_is_partial() {
        assert!(parse("echo \"unterminated").partial);
        assert!(!parse("echo fine").partial);
    }

    #[test]
    fn substitution_programs_are_recorded() {
        let p = parse("eval \"$(curl -fsSL x)\"");
        assert_eq!(p.cmds[0].argv[1].substituted, vec!["curl"]);
    }
}
