//! The subset of the nftables grammar `nft list ruleset` prints and hand-written
//! rulesets use: tables, chains with hook and policy, rules, named sets with
//! elements. Unknown statements are skipped by their braces.

use super::model::{parse_addr, parse_ports, Addr, Family, FwRule, Model, Policy, Syntax};
use std::collections::HashMap;

const MAX_NESTING: usize = 64;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Open,
    Close,
    /// `;` or a newline outside `{}` of a rule.
    End,
}

fn tokenize(src: &str) -> Result<Vec<(Tok, u32)>, (u32, String)> {
    let mut out = Vec::new();
    let mut line = 1u32;
    let mut chars = src.chars().peekable();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<(Tok, u32)>, line: u32| {
        if !word.is_empty() {
            out.push((Tok::Word(std::mem::take(word)), line));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '#' => {
                flush(&mut word, &mut out, line);
                for d in chars.by_ref() {
                    if d == '\n' {
                        out.push((Tok::End, line));
                        line += 1;
                        break;
                    }
                }
            }
            '"' => {
                let start = line;
                let mut s = String::new();
                let mut closed = false;
                for d in chars.by_ref() {
                    if d == '"' {
                        closed = true;
                        break;
                    }
                    if d == '\n' {
                        line += 1;
                    }
                    s.push(d);
                }
                if !closed {
                    return Err((start, "unterminated string".into()));
                }
                word.push_str(&s);
            }
            '\\' if chars.peek() == Some(&'\n') => {
                chars.next();
                line += 1;
            }
            '{' | '}' | ';' | '\n' => {
                flush(&mut word, &mut out, line);
                out.push((
                    match c {
                        '{' => Tok::Open,
                        '}' => Tok::Close,
                        _ => Tok::End,
                    },
                    line,
                ));
                if c == '\n' {
                    line += 1;
                }
            }
            ',' => {
                flush(&mut word, &mut out, line);
                out.push((Tok::Word(",".into()), line));
            }
            c if c.is_whitespace() => flush(&mut word, &mut out, line),
            c => word.push(c),
        }
    }
    flush(&mut word, &mut out, line);
    Ok(out)
}

struct P {
    toks: Vec<(Tok, u32)>,
    i: usize,
}

impl P {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i).map(|t| &t.0)
    }
    fn line(&self) -> u32 {
        self.toks
            .get(self.i)
            .or(self.toks.last())
            .map(|t| t.1)
            .unwrap_or(1)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.i).map(|t| t.0.clone());
        self.i += 1;
        t
    }
    /// Words (with nested `{ }` kept as words) up to the end of a statement.
    fn statement(&mut self) -> Result<Vec<String>, (u32, String)> {
        let mut out = Vec::new();
        let mut depth = 0usize;
        loop {
            match self.peek() {
                None => break,
                Some(Tok::End) if depth == 0 => {
                    self.i += 1;
                    break;
                }
                Some(Tok::Close) if depth == 0 => break,
                Some(Tok::Open) if depth == 0 && !out.is_empty() && is_block_head(&out) => break,
                _ => {}
            }
            match self.next() {
                Some(Tok::Open) => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Err((self.line(), "nesting too deep".into()));
                    }
                    out.push("{".into());
                }
                Some(Tok::Close) => {
                    depth = depth.saturating_sub(1);
                    out.push("}".into());
                }
                Some(Tok::Word(w)) => out.push(w),
                Some(Tok::End) | None => {}
            }
        }
        Ok(out)
    }
    fn skip_block(&mut self) -> Result<(), (u32, String)> {
        let start = self.line();
        let mut depth = 1usize;
        while depth > 0 {
            match self.next() {
                Some(Tok::Open) => depth += 1,
                Some(Tok::Close) => depth -= 1,
                Some(_) => {}
                None => return Err((start, "unterminated `{` block (truncated ruleset?)".into())),
            }
        }
        Ok(())
    }
}

/// `table inet x`, `chain output`, `set s`: a statement that opens a block.
fn is_block_head(words: &[String]) -> bool {
    matches!(
        words.first().map(String::as_str),
        Some(
            "table"
                | "chain"
                | "set"
                | "map"
                | "flowtable"
                | "counter"
                | "quota"
                | "ct"
                | "limit"
                | "secmark"
                | "synproxy"
        )
    ) && words.len() <= 3
}

fn family_of(s: &str) -> Option<Family> {
    match s {
        "ip" => Some(Family::V4),
        "ip6" => Some(Family::V6),
        "inet" => Some(Family::Both),
        _ => None,
    }
}

pub fn parse(src: &str) -> Result<Model, (u32, String)> {
    parse_with(src, &mut HashMap::new())
}

/// Parse with `hooks` (chain name to hook) carried over from earlier
/// fragments, so `add rule ... out` after `add chain ... out { hook output }`
/// in separate `nft` calls is known to filter output.
pub fn parse_with(src: &str, hooks: &mut HashMap<String, String>) -> Result<Model, (u32, String)> {
    let toks = tokenize(src)?;
    let mut p = P { toks, i: 0 };
    let mut model = Model::new(Syntax::Nftables);
    while let Some(t) = p.peek().cloned() {
        match t {
            Tok::End => {
                p.i += 1;
            }
            Tok::Close => return Err((p.line(), "unexpected `}`".into())),
            Tok::Open => {
                p.i += 1;
                p.skip_block()?;
            }
            Tok::Word(_) => {
                let line = p.line();
                let head = p.statement()?;
                if matches!(
                    head.first().map(String::as_str),
                    Some("add" | "insert" | "create")
                ) && head.len() > 1
                {
                    command(&head, line, hooks, &mut model);
                } else if head.first().map(String::as_str) == Some("table")
                    && p.peek() == Some(&Tok::Open)
                {
                    p.i += 1;
                    let fam = head.get(1).and_then(|f| family_of(f));
                    table(&mut p, fam, hooks, &mut model)?;
                } else if p.peek() == Some(&Tok::Open) {
                    p.i += 1;
                    p.skip_block()?;
                }
            }
        }
    }
    Ok(model)
}

/// `add rule FAMILY TABLE CHAIN ...` and `add chain FAMILY TABLE NAME { type ... hook output ...; policy drop; }`.
fn command(words: &[String], line: u32, hooks: &mut HashMap<String, String>, model: &mut Model) {
    let fam = words.get(2).and_then(|f| family_of(f));
    let chain_name = words.get(4).cloned().unwrap_or_default();
    match (words[1].as_str(), fam) {
        ("rule", Some(fam)) if words.len() > 5 => {
            let chain = hooks.get(&chain_name).cloned().unwrap_or(chain_name);
            rule(&words[5..], fam, &chain, &HashMap::new(), line, model)
        }
        ("chain", fam) => {
            let hook = words
                .iter()
                .position(|w| w == "hook")
                .and_then(|i| words.get(i + 1).cloned());
            if let Some(h) = &hook {
                hooks.insert(chain_name.clone(), h.clone());
                let pol = words
                    .iter()
                    .position(|w| w == "policy")
                    .and_then(|i| words.get(i + 1).cloned())
                    .unwrap_or_else(|| "accept".into());
                push_policy(model, fam, &hook, &chain_name, Some(&pol), line);
            }
        }
        _ => {}
    }
}

fn table(
    p: &mut P,
    fam: Option<Family>,
    hooks: &mut HashMap<String, String>,
    model: &mut Model,
) -> Result<(), (u32, String)> {
    let start = p.line();
    let mut sets: HashMap<String, Vec<String>> = HashMap::new();
    loop {
        match p.peek().cloned() {
            None => return Err((start, "unterminated table (truncated ruleset?)".into())),
            Some(Tok::Close) => {
                p.i += 1;
                return Ok(());
            }
            Some(Tok::End) => p.i += 1,
            Some(Tok::Open) => {
                p.i += 1;
                p.skip_block()?;
            }
            Some(Tok::Word(_)) => {
                let head = p.statement()?;
                if p.peek() != Some(&Tok::Open) {
                    continue;
                }
                p.i += 1;
                match head.first().map(String::as_str) {
                    Some("chain") => {
                        let name = head.get(1).cloned().unwrap_or_default();
                        if let Some(h) = chain(p, fam, &name, &sets, model)? {
                            hooks.insert(name, h);
                        }
                    }
                    Some("set") => {
                        let name = head.get(1).cloned().unwrap_or_default();
                        let elems = set_body(p, model)?;
                        sets.insert(name, elems);
                    }
                    _ => p.skip_block()?,
                }
            }
        }
    }
}

fn set_body(p: &mut P, model: &mut Model) -> Result<Vec<String>, (u32, String)> {
    let start = p.line();
    let mut elems = Vec::new();
    loop {
        match p.peek() {
            None => return Err((start, "unterminated set (truncated ruleset?)".into())),
            Some(Tok::Close) => {
                p.i += 1;
                return Ok(elems);
            }
            Some(Tok::End) => p.i += 1,
            _ => {
                let st = p.statement()?;
                match st.first().map(String::as_str) {
                    Some("elements") => {
                        elems.extend(
                            st.iter()
                                .skip(2)
                                .filter(|w| !matches!(w.as_str(), "{" | "}" | ","))
                                .cloned(),
                        );
                    }
                    Some("flags") if st.iter().any(|w| w == "timeout") => model.timeout_sets = true,
                    Some("timeout") => model.timeout_sets = true,
                    _ => {}
                }
            }
        }
    }
}

fn chain(
    p: &mut P,
    fam: Option<Family>,
    name: &str,
    sets: &HashMap<String, Vec<String>>,
    model: &mut Model,
) -> Result<Option<String>, (u32, String)> {
    let start = p.line();
    let mut hook: Option<String> = None;
    let policies_before = model.policies.len();
    loop {
        match p.peek() {
            None => {
                return Err((
                    start,
                    format!("unterminated chain {name} (truncated ruleset?)"),
                ))
            }
            Some(Tok::Close) => {
                p.i += 1;
                // A base chain without `policy` accepts by default.
                if hook.is_some() && model.policies.len() == policies_before {
                    push_policy(model, fam, &hook, name, Some(&"accept".to_string()), start);
                }
                return Ok(hook);
            }
            Some(Tok::End) => p.i += 1,
            _ => {
                let line = p.line();
                let st = p.statement()?;
                if st.first().map(String::as_str) == Some("type") {
                    if let Some(i) = st.iter().position(|w| w == "hook") {
                        hook = st.get(i + 1).cloned();
                    }
                    if let Some(i) = st.iter().position(|w| w == "policy") {
                        push_policy(model, fam, &hook, name, st.get(i + 1), line);
                    }
                    continue;
                }
                if st.first().map(String::as_str) == Some("policy") {
                    push_policy(model, fam, &hook, name, st.get(1), line);
                    continue;
                }
                if let Some(fam) = fam {
                    rule(&st, fam, hook.as_deref().unwrap_or(name), sets, line, model);
                }
            }
        }
    }
}

fn push_policy(
    model: &mut Model,
    fam: Option<Family>,
    hook: &Option<String>,
    name: &str,
    pol: Option<&String>,
    line: u32,
) {
    let (Some(fam), Some(pol)) = (fam, pol) else {
        return;
    };
    model.policies.push(Policy {
        family: fam,
        chain: hook
            .clone()
            .unwrap_or_else(|| name.to_string())
            .to_ascii_uppercase(),
        target: pol.trim_end_matches(';').to_ascii_uppercase(),
        line,
    });
}

/// Values after a keyword: one word, or an anonymous `{ a, b }` set.
fn values_at(st: &[String], i: usize) -> Vec<String> {
    match st.get(i).map(String::as_str) {
        Some("{") => st[i + 1..]
            .iter()
            .take_while(|w| *w != "}")
            .filter(|w| *w != ",")
            .cloned()
            .collect(),
        Some(w) => vec![w.to_string()],
        None => Vec::new(),
    }
}

fn rule(
    st: &[String],
    fam: Family,
    chain: &str,
    sets: &HashMap<String, Vec<String>>,
    line: u32,
    model: &mut Model,
) {
    let mut r = FwRule {
        family: fam,
        chain: chain.to_ascii_uppercase(),
        proto: None,
        dports: Vec::new(),
        sports: Vec::new(),
        daddr: Addr::Any,
        saddr: Addr::Any,
        narrowed: false,
        target: String::new(),
        line,
    };
    let mut daddrs: Vec<Addr> = Vec::new();
    for (i, w) in st.iter().enumerate() {
        let prev = if i > 0 { st[i - 1].as_str() } else { "" };
        match w.as_str() {
            "tcp" | "udp" | "icmp" | "icmpv6" | "sctp" | "th" if r.proto.is_none() => {
                r.proto = Some(w.clone())
            }
            "l4proto" => r.proto = Some(values_at(st, i + 1).join(",")),
            "dport" => {
                let vals = values_at(st, i + 1);
                r.dports = vals
                    .iter()
                    .flat_map(|v| parse_ports(&v.replace('-', ":")))
                    .collect();
            }
            "sport" => {
                let vals = values_at(st, i + 1);
                r.sports = vals
                    .iter()
                    .flat_map(|v| parse_ports(&v.replace('-', ":")))
                    .collect();
            }
            "daddr" | "saddr" => {
                let vals = values_at(st, i + 1);
                let addrs: Vec<Addr> = vals
                    .iter()
                    .map(|v| match v.strip_prefix('@') {
                        Some(set) => Addr::Set(set.to_string()),
                        None => parse_addr(v),
                    })
                    .collect();
                if prev == "ip6" && r.family == Family::Both {
                    r.family = Family::V6;
                } else if prev == "ip" && r.family == Family::Both {
                    r.family = Family::V4;
                }
                if w == "daddr" {
                    daddrs.extend(addrs);
                } else {
                    r.saddr = addrs.into_iter().next().unwrap_or(Addr::Unknown);
                }
            }
            "oif" | "oifname" | "iif" | "iifname" | "state" | "skuid" | "skgid" | "limit" => {
                r.narrowed = true
            }
            "!=" => r.narrowed = true,
            "log" => model.logs_drops = true,
            "accept" | "drop" | "reject" => r.target = w.to_ascii_uppercase(),
            "jump" | "goto" => r.target = st.get(i + 1).cloned().unwrap_or_default(),
            _ => {}
        }
    }
    if r.target.is_empty() {
        return;
    }
    // A named set's CIDR elements are checked like literal addresses.
    let mut expanded = Vec::new();
    for a in daddrs {
        if let Addr::Set(name) = &a {
            if let Some(el) = sets.get(name) {
                for e in el {
                    if let Addr::Net(n) = parse_addr(e) {
                        expanded.push(Addr::Net(n));
                    }
                }
            }
        }
        expanded.push(a);
    }
    if expanded.is_empty() {
        model.rules.push(r);
    } else {
        for a in expanded {
            let mut one = r.clone();
            one.daddr = a;
            model.rules.push(one);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_outside_tables() {
        let m = parse("add chain ip egress out { type filter hook output priority 0; policy drop; }\nadd rule ip egress out tcp dport 22 accept\n").unwrap();
        assert_eq!(m.policies.len(), 1, "{m:?}");
        assert_eq!(m.policies[0].chain, "OUTPUT");
        assert_eq!(m.rules.len(), 1, "{m:?}");
        assert_eq!(m.rules[0].chain, "OUTPUT");
    }
}
