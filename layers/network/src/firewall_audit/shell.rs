//! Init-firewall shell scripts: parsed with tree-sitter-bash, then walked
//! with a small interpreter that follows variable and array assignments,
//! `for` loops over literal lists and command substitutions, so
//! `for d in a.com b.com; do for ip in $(dig +short A "$d"); do ipset add ...`
//! is read the way it runs.

use super::argv::{self, Arg};
use super::model::{Family, Model, Resolution, Syntax};
use std::collections::HashMap;
use tree_sitter::{Node, Parser};

/// Limits: a hostile script cannot make the walk unbounded.
const MAX_STEPS: usize = 4_000_000;
const MAX_LOOP_VALUES: usize = 512;
const MAX_DEPTH: usize = 200;

#[derive(Debug, Clone)]
enum Val {
    Known(Vec<String>),
    Dynamic { host_network: bool },
}

struct Interp<'a> {
    src: &'a str,
    env: HashMap<String, Val>,
    model: Model,
    steps: usize,
    loop_depth: usize,
    exhausted: bool,
    too_deep: bool,
    /// Set when an expansion of a value derived from the default route was seen.
    taint: bool,
    /// Resolutions seen inside the innermost enclosing loop.
    loop_resolutions: usize,
    /// nftables chain name to hook, across `nft` calls.
    nft_hooks: HashMap<String, String>,
}

pub fn parse(src: &str) -> Result<Model, String> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_bash::LANGUAGE.into())
        .map_err(|e| format!("shell grammar unavailable: {e}"))?;
    let tree = parser
        .parse(src, None)
        .ok_or_else(|| "the shell parser gave up".to_string())?;
    let root = tree.root_node();
    let mut it = Interp {
        src,
        env: HashMap::new(),
        model: Model::new(Syntax::Shell),
        steps: 0,
        loop_depth: 0,
        exhausted: false,
        too_deep: false,
        taint: false,
        nft_hooks: HashMap::new(),
        loop_resolutions: 0,
    };
    if root.has_error() {
        collect_errors(root, &mut it.model, 0);
    }
    it.walk(root, 0);
    if it.too_deep {
        it.model.parse_errors.push((
            1,
            format!("the script nests deeper than {MAX_DEPTH} levels; the audit did not read past that depth"),
        ));
    }
    if it.exhausted {
        it.model.parse_errors.push((
            1,
            format!(
                "the script needs more than {MAX_STEPS} steps to follow; the audit stopped there"
            ),
        ));
    }
    Ok(it.model)
}

fn line_of(n: Node<'_>) -> u32 {
    u32::try_from(n.start_position().row + 1).unwrap_or(u32::MAX)
}

fn collect_errors(n: Node<'_>, model: &mut Model, depth: usize) {
    if model.parse_errors.len() >= 5 || depth > MAX_DEPTH {
        return;
    }
    if n.is_error() || n.is_missing() {
        let what = if n.is_missing() {
            format!(
                "missing `{}` (truncated script or unterminated quote?)",
                n.kind()
            )
        } else {
            "shell syntax error (truncated script or unterminated quote?)".to_string()
        };
        model.parse_errors.push((line_of(n), what));
        return;
    }
    let mut c = n.walk();
    for child in n.children(&mut c) {
        if child.has_error() || child.is_missing() {
            collect_errors(child, model, depth + 1);
        }
    }
}

fn is_resolver_cmd(name: &str) -> bool {
    matches!(
        name,
        "dig" | "host" | "getent" | "nslookup" | "drill" | "kdig" | "resolveip"
    )
}

impl<'a> Interp<'a> {
    fn text(&self, n: Node<'_>) -> &'a str {
        self.src.get(n.byte_range()).unwrap_or("")
    }

    fn tick(&mut self) -> bool {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            self.exhausted = true;
        }
        !self.exhausted
    }

    fn walk(&mut self, n: Node<'_>, depth: usize) {
        if depth > MAX_DEPTH {
            self.too_deep = true;
            return;
        }
        if !self.tick() {
            return;
        }
        match n.kind() {
            "command" => self.command(n, depth),
            "variable_assignment" => self.assignment(n, depth),
            "declaration_command" => {
                let mut c = n.walk();
                let kids: Vec<Node<'_>> = n.named_children(&mut c).collect();
                for k in kids {
                    if k.kind() == "variable_assignment" {
                        self.assignment(k, depth);
                    }
                }
            }
            "for_statement" => self.for_loop(n, depth),
            "while_statement" => {
                self.loop_depth += 1;
                self.walk_children(n, depth);
                self.loop_depth -= 1;
            }
            "redirected_statement" => self.redirected(n, depth),
            "heredoc_body" | "comment" => {}
            _ => self.walk_children(n, depth),
        }
    }

    fn walk_children(&mut self, n: Node<'_>, depth: usize) {
        let mut c = n.walk();
        let kids: Vec<Node<'_>> = n.named_children(&mut c).collect();
        for k in kids {
            self.walk(k, depth + 1);
        }
    }

    fn assignment(&mut self, n: Node<'_>, depth: usize) {
        let Some(name) = n.child_by_field_name("name") else {
            return;
        };
        let name = self.text(name).split('[').next().unwrap_or("").to_string();
        let val = match n.child_by_field_name("value") {
            None => Val::Known(vec![String::new()]),
            Some(v) if v.kind() == "array" => {
                let mut items = Vec::new();
                let mut dynamic = false;
                let mut c = v.walk();
                let kids: Vec<Node<'_>> = v.named_children(&mut c).collect();
                for k in kids {
                    for a in self.expand(k, depth, true) {
                        match a {
                            Arg::Lit(s) => items.push(s),
                            Arg::Dynamic { .. } => dynamic = true,
                        }
                    }
                }
                if dynamic && items.is_empty() {
                    Val::Dynamic {
                        host_network: false,
                    }
                } else {
                    Val::Known(items)
                }
            }
            Some(v) => {
                let from_route = self.mentions_route(v);
                let parts = self.expand(v, depth, false);
                match parts.as_slice() {
                    [Arg::Lit(s)] => Val::Known(vec![s.clone()]),
                    _ => Val::Dynamic {
                        host_network: from_route
                            || parts
                                .iter()
                                .any(|p| matches!(p, Arg::Dynamic { host_network: true })),
                    },
                }
            }
        };
        self.env.insert(name, val);
    }

    /// `$(ip route | ...)`: the value is derived from the default route.
    fn mentions_route(&self, n: Node<'_>) -> bool {
        let t = self.text(n);
        t.contains("ip route")
            || t.contains("ip -4 route")
            || t.contains("ip r ")
            || t.contains("route -n")
    }

    fn for_loop(&mut self, n: Node<'_>, depth: usize) {
        let var = n
            .child_by_field_name("variable")
            .map(|v| self.text(v).to_string())
            .unwrap_or_default();
        let mut values: Vec<Arg> = Vec::new();
        let mut c = n.walk();
        let value_nodes: Vec<Node<'_>> = n.children_by_field_name("value", &mut c).collect();
        for v in value_nodes {
            let vals = self.expand(v, depth, true);
            for a in &vals {
                if let Arg::Lit(s) = a {
                    self.model.add_domain(s, line_of(v));
                }
            }
            values.extend(vals);
        }
        let Some(body) = n.child_by_field_name("body") else {
            return;
        };
        let outer_resolutions = std::mem::replace(&mut self.loop_resolutions, 0);
        self.loop_depth += 1;
        let all_known = values.iter().all(|v| v.lit().is_some());
        if all_known && !values.is_empty() && values.len() <= MAX_LOOP_VALUES {
            for v in values {
                if let Arg::Lit(s) = v {
                    self.env.insert(var.clone(), Val::Known(vec![s]));
                    self.walk(body, depth + 1);
                    if self.exhausted {
                        break;
                    }
                }
            }
        } else {
            // Literal values are still host names the loop handles.
            for v in &values {
                if let Arg::Lit(s) = v {
                    self.model.add_domain(s, line_of(n));
                }
            }
            self.env.insert(
                var,
                Val::Dynamic {
                    host_network: false,
                },
            );
            self.walk(body, depth + 1);
        }
        self.loop_depth -= 1;
        self.loop_resolutions += outer_resolutions;
    }

    fn redirected(&mut self, n: Node<'_>, depth: usize) {
        let body = n.child_by_field_name("body");
        if let Some(b) = body {
            self.walk(b, depth + 1);
        }
        let prog = body
            .filter(|b| b.kind() == "command")
            .and_then(|b| b.child_by_field_name("name"))
            .map(|nm| self.text(nm).to_string())
            .unwrap_or_default();
        let family = match base_name(&prog) {
            "iptables-restore" | "iptables-legacy-restore" | "iptables-nft-restore" => {
                Some(Family::V4)
            }
            "ip6tables-restore" | "ip6tables-legacy-restore" | "ip6tables-nft-restore" => {
                Some(Family::V6)
            }
            _ => None,
        };
        let mut c = n.walk();
        let redirects: Vec<Node<'_>> = n.children_by_field_name("redirect", &mut c).collect();
        for r in redirects {
            let mut c2 = r.walk();
            let bodies: Vec<Node<'_>> = r
                .named_children(&mut c2)
                .filter(|k| k.kind() == "heredoc_body")
                .collect();
            for hb in bodies {
                let start = line_of(hb);
                let text = self.text(hb);
                if let Some(fam) = family {
                    let mut table = String::from("filter");
                    for (i, l) in text.lines().enumerate() {
                        let line = start + u32::try_from(i).unwrap_or(0);
                        argv::restore_line(fam, l, &mut table, line, &mut self.model);
                    }
                } else if base_name(&prog) == "nft" || looks_like_nft(text) {
                    self.nft_text(text, start.saturating_sub(1));
                } else if base_name(&prog) == "ipset" {
                    // `ipset restore [-exist] <<EOF`: one ipset command a line.
                    let exist = self.text(n).contains("-exist");
                    for (i, l) in text.lines().enumerate() {
                        let line = start + u32::try_from(i).unwrap_or(0);
                        let mut args: Vec<Arg> = l
                            .split_whitespace()
                            .map(|w| Arg::Lit(w.to_string()))
                            .collect();
                        if exist {
                            args.push(Arg::Lit("-exist".into()));
                        }
                        argv::ipset(&args, line, &mut self.model);
                    }
                }
            }
        }
    }

    fn command(&mut self, n: Node<'_>, depth: usize) {
        let line = line_of(n);
        let mut words: Vec<Arg> = Vec::new();
        let mut c = n.walk();
        let kids: Vec<Node<'_>> = n.named_children(&mut c).collect();
        for k in kids {
            match k.kind() {
                "variable_assignment" => self.assignment(k, depth),
                "command_name" => words.extend(self.expand(k, depth, true)),
                "file_redirect" | "herestring_redirect" | "heredoc_redirect" => {
                    // `< <(dig ...)` and the like: resolutions inside still count.
                    self.walk_substitutions(k, depth);
                }
                _ => words.extend(self.expand(k, depth, true)),
            }
        }
        // Drop wrappers: sudo, command, exec, env, timeout N.
        let mut i = 0;
        while let Some(Arg::Lit(w)) = words.get(i) {
            match base_name(w) {
                "sudo" | "command" | "exec" | "env" | "nice" | "nohup" => i += 1,
                "timeout" => i += 2,
                _ => break,
            }
            while let Some(Arg::Lit(f)) = words.get(i) {
                if f.starts_with('-') || f.contains('=') {
                    i += 1;
                } else {
                    break;
                }
            }
        }
        let words = &words[i.min(words.len())..];
        let Some(Arg::Lit(prog)) = words.first() else {
            return;
        };
        let prog = base_name(prog).to_string();
        let args = &words[1..];
        match prog.as_str() {
            "iptables" | "iptables-legacy" | "iptables-nft" => {
                argv::iptables(Family::V4, args, line, &mut self.model)
            }
            "ip6tables" | "ip6tables-legacy" | "ip6tables-nft" => {
                argv::iptables(Family::V6, args, line, &mut self.model)
            }
            // The heredoc of `ipset restore` is read line by line instead.
            "ipset" if !args.iter().any(|a| a.lit() == Some("restore")) => {
                argv::ipset(args, line, &mut self.model)
            }
            "nft" => {
                let lits: Vec<&str> = args.iter().filter_map(Arg::lit).collect();
                if matches!(lits.first().copied(), Some("add" | "insert" | "create")) {
                    let text = lits.join(" ");
                    self.nft_text(&text, line.saturating_sub(1));
                }
            }
            "crontab" | "systemd-run" => self.model.refresh = true,
            "systemctl"
                if args
                    .iter()
                    .any(|a| a.lit().is_some_and(|s| s.ends_with(".timer"))) =>
            {
                self.model.refresh = true
            }
            "sleep" if self.loop_depth > 0 => self.model.refresh = true,
            "exit"
                if self.loop_depth > 0
                    && self.loop_resolutions > 0
                    && args.first().and_then(Arg::lit).is_some_and(|c| c != "0") =>
            {
                self.model.exit_on_resolve_failure.get_or_insert(line);
            }
            "curl" | "wget"
                if args
                    .iter()
                    .any(|a| a.lit().is_some_and(|s| s.contains("example.com"))) =>
            {
                self.model.verify_line.get_or_insert(line);
                self.model.verify_v6 |= args.iter().any(|a| {
                    a.lit()
                        .is_some_and(|s| matches!(s, "-6" | "--ipv6" | "--inet6-only"))
                });
            }
            "curl" | "wget"
                if args
                    .iter()
                    .any(|a| a.lit().is_some_and(|s| s.contains("api.github.com/meta"))) =>
            {
                self.model.github_meta.get_or_insert(line);
            }
            p if is_resolver_cmd(p) => self.resolution(p, args, line),
            _ => {}
        }
    }

    fn resolution(&mut self, prog: &str, args: &[Arg], line: u32) {
        let lits: Vec<&str> = args.iter().filter_map(Arg::lit).collect();
        let mut qtype = match prog {
            "getent" => match lits.first().copied() {
                Some("ahostsv4") => "A",
                Some("ahostsv6") => "AAAA",
                _ => "any",
            },
            "dig" | "drill" | "kdig" => "A",
            _ => "any",
        }
        .to_string();
        let mut name: Option<String> = None;
        let mut skip_next = false;
        for (i, w) in lits.iter().enumerate() {
            if skip_next {
                skip_next = false;
                continue;
            }
            let upper = w.to_ascii_uppercase();
            if matches!(upper.as_str(), "A" | "AAAA" | "ANY" | "HTTPS" | "CNAME") {
                qtype = upper;
            } else if *w == "-t" || *w == "-q" && prog == "host" {
                if let Some(t) = lits.get(i + 1) {
                    qtype = t.to_ascii_uppercase();
                }
                skip_next = true;
            } else if let Some(t) = w.strip_prefix("-type=") {
                qtype = t.to_ascii_uppercase();
            } else if w.starts_with('@') || w.starts_with('+') || w.starts_with('-') {
                continue;
            } else if let Some(d) = super::model::as_domain(w) {
                name.get_or_insert(d);
            }
        }
        if let Some(d) = &name {
            self.model.add_domain(d, line);
        }
        self.model
            .resolutions
            .push(Resolution { name, qtype, line });
        self.loop_resolutions += 1;
    }

    /// Visit command substitutions below `n` (for resolutions they contain).
    fn walk_substitutions(&mut self, n: Node<'_>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        if n.kind() == "command_substitution" || n.kind() == "process_substitution" {
            self.walk_children(n, depth + 1);
            return;
        }
        let mut c = n.walk();
        let kids: Vec<Node<'_>> = n.named_children(&mut c).collect();
        for k in kids {
            self.walk_substitutions(k, depth + 1);
        }
    }

    fn lookup(&self, name: &str) -> Val {
        self.env.get(name).cloned().unwrap_or(Val::Dynamic {
            host_network: false,
        })
    }

    /// Expand a word node into shell words. `split`: unquoted expansions of
    /// known values split on white space.
    fn expand(&mut self, n: Node<'_>, depth: usize, split: bool) -> Vec<Arg> {
        self.too_deep |= depth > MAX_DEPTH;
        if depth > MAX_DEPTH || !self.tick() {
            return vec![Arg::Dynamic {
                host_network: false,
            }];
        }
        match n.kind() {
            "word" | "number" | "command_name" if n.named_child_count() == 0 => {
                vec![Arg::Lit(unescape(self.text(n)))]
            }
            "command_name" => n
                .named_child(0)
                .map(|c| self.expand(c, depth + 1, split))
                .unwrap_or_default(),
            "raw_string" => {
                let t = self.text(n);
                vec![Arg::Lit(t.trim_matches('\'').to_string())]
            }
            "ansi_c_string" => vec![Arg::Lit(
                self.text(n)
                    .trim_start_matches('$')
                    .trim_matches('\'')
                    .to_string(),
            )],
            "string" => {
                // "${ARR[@]}" is one word per element.
                if n.named_child_count() == 1 {
                    if let Some(only) = n.named_child(0) {
                        if only.kind() == "expansion" && self.var_of(only).1 {
                            return self.expand(only, depth + 1, false);
                        }
                    }
                }
                let joined = self.join_parts(n, depth, true);
                vec![joined]
            }
            "concatenation" => vec![self.join_parts(n, depth, false)],
            "simple_expansion" | "expansion" => {
                let (var, all) = self.var_of(n);
                match self.lookup(&var) {
                    Val::Known(items) if all && !split => items.into_iter().map(Arg::Lit).collect(),
                    Val::Known(items) if split || all => items
                        .iter()
                        .flat_map(|s| s.split_whitespace().map(|w| Arg::Lit(w.to_string())))
                        .collect(),
                    Val::Known(items) => vec![Arg::Lit(items.join(" "))],
                    Val::Dynamic { host_network } => {
                        self.taint |= host_network;
                        vec![Arg::Dynamic { host_network }]
                    }
                }
            }
            "command_substitution" | "process_substitution" => {
                let outer = std::mem::replace(&mut self.taint, false);
                self.walk_children(n, depth + 1);
                let from_route = self.taint || self.mentions_route(n);
                self.taint = outer || from_route;
                vec![Arg::Dynamic {
                    host_network: from_route,
                }]
            }
            "arithmetic_expansion" => vec![Arg::Dynamic {
                host_network: false,
            }],
            _ => vec![Arg::Lit(self.text(n).to_string())],
        }
    }

    /// Name of the variable an expansion reads, and whether it is `[@]`/`[*]`.
    fn var_of(&self, n: Node<'_>) -> (String, bool) {
        let t = self.text(n);
        let inner = t
            .trim_start_matches('$')
            .trim_start_matches('{')
            .trim_end_matches('}');
        let inner = inner.trim_start_matches('!').trim_start_matches('#');
        let end = inner
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(inner.len());
        let name = inner[..end].to_string();
        let all = inner[end..].starts_with("[@]") || inner[end..].starts_with("[*]");
        (name, all)
    }

    /// A double-quoted string or a concatenation: literal text with the
    /// expansions substituted; dynamic if any part is.
    fn join_parts(&mut self, n: Node<'_>, depth: usize, quoted: bool) -> Arg {
        let range = n.byte_range();
        let (mut pos, end) = if quoted && self.text(n).starts_with('"') {
            (
                range.start + 1,
                range.end.saturating_sub(1).max(range.start + 1),
            )
        } else {
            (range.start, range.end)
        };
        let mut out = String::new();
        let mut dynamic: Option<bool> = None;
        let mut c = n.walk();
        let kids: Vec<Node<'_>> = n.named_children(&mut c).collect();
        for k in kids {
            if k.kind() == "string_content" {
                continue;
            }
            let kr = k.byte_range();
            if kr.start > pos {
                out.push_str(self.src.get(pos..kr.start).unwrap_or(""));
            }
            for part in self.expand(k, depth + 1, false) {
                match part {
                    Arg::Lit(s) => out.push_str(&s),
                    Arg::Dynamic { host_network } => {
                        dynamic = Some(dynamic.unwrap_or(false) || host_network)
                    }
                }
            }
            pos = kr.end.max(pos);
        }
        if end > pos {
            out.push_str(self.src.get(pos..end).unwrap_or(""));
        }
        match dynamic {
            Some(host_network) => Arg::Dynamic { host_network },
            None => Arg::Lit(if quoted {
                out
            } else {
                out.replace(['"', '\''], "")
            }),
        }
    }
}

impl Interp<'_> {
    fn nft_text(&mut self, text: &str, offset: u32) {
        match super::nft::parse_with(text, &mut self.nft_hooks) {
            Ok(m) => self.model.absorb(m, offset),
            Err((line, message)) => self
                .model
                .parse_errors
                .push((line.saturating_add(offset), format!("nftables: {message}"))),
        }
    }
}

/// An nftables ruleset: its first statement opens a table or flushes the ruleset.
fn looks_like_nft(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| {
            l.starts_with("table ") || l == "flush ruleset" || l.starts_with("add rule ")
        })
}

fn base_name(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut esc = false;
    for c in s.chars() {
        if esc {
            out.push(c);
            esc = false;
        } else if c == '\\' {
            esc = true;
        } else {
            out.push(c);
        }
    }
    out
}
