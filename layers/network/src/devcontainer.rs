//! devcontainer.json (JSONC): settings that decide whether an in-container
//! egress firewall can work at all.

use crate::allowlist::Allowlist;
use crate::rules::{NET_DC_001, NET_DC_002, NET_DC_003, NET_DC_004, NET_DC_005, NET_FW_016};
use guard_core::{Finding, Location, Rule};
use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::{parse_to_ast, CollectOptions, ParseOptions};

/// Deeper nesting is refused before parsing (the parser recurses).
const MAX_NESTING: usize = 128;

pub fn is_devcontainer(name: &str) -> bool {
    name == "devcontainer.json" || name == ".devcontainer.json"
}

struct Ctx<'a> {
    path: &'a str,
    text: &'a str,
    out: Vec<Finding>,
}

impl Ctx<'_> {
    fn line(&self, pos: usize) -> u32 {
        let upto = self.text.get(..pos).unwrap_or(self.text);
        u32::try_from(upto.bytes().filter(|b| *b == b'\n').count() + 1).unwrap_or(u32::MAX)
    }
    fn hit(&mut self, rule: &Rule, msg: String, pos: usize) {
        let line = self.line(pos);
        let mut loc = Location::line(self.path, line);
        loc.snippet = self
            .text
            .lines()
            .nth(line.saturating_sub(1) as usize)
            .map(|l| l.trim().chars().take(200).collect());
        self.out.push(Finding::new(rule, msg).at(loc));
    }
}

fn nesting(text: &str) -> usize {
    let (mut depth, mut max, mut in_str, mut esc) = (0usize, 0usize, false, false);
    for b in text.bytes() {
        if in_str {
            match (esc, b) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

fn strings<'v>(v: &'v Value<'_>) -> Vec<(&'v str, usize)> {
    match v {
        Value::StringLit(s) => vec![(s.value.as_ref(), s.range.start)],
        Value::Array(a) => a.elements.iter().flat_map(strings).collect(),
        Value::Object(o) => o
            .properties
            .iter()
            .flat_map(|p| strings(&p.value))
            .collect(),
        _ => Vec::new(),
    }
}

fn prop_name<'v>(n: &'v ObjectPropName<'_>) -> &'v str {
    match n {
        ObjectPropName::String(s) => s.value.as_ref(),
        ObjectPropName::Word(w) => w.value,
    }
}

/// Audit one devcontainer.json. Unparsable files give one NET-FW-016 finding.
pub fn audit(path: &str, text: &str, allow: &Allowlist) -> Vec<Finding> {
    let mut cx = Ctx {
        path,
        text,
        out: Vec::new(),
    };
    if nesting(text) > MAX_NESTING {
        cx.hit(
            &NET_FW_016,
            format!("nesting deeper than {MAX_NESTING} levels; not read"),
            0,
        );
        return cx.out;
    }
    let parsed = match parse_to_ast(text, &CollectOptions::default(), &ParseOptions::default()) {
        Ok(p) => p,
        Err(e) => {
            let pos = e.range().start;
            cx.hit(&NET_FW_016, format!("not valid JSONC: {e}"), pos);
            return cx.out;
        }
    };
    let Some(Value::Object(root)) = parsed.value else {
        cx.hit(&NET_FW_016, "expected a JSON object at the top".into(), 0);
        return cx.out;
    };
    let mut create_fw: Option<usize> = None;
    let mut start_fw = false;
    for p in &root.properties {
        let name = prop_name(&p.name);
        match name {
            "runArgs" => run_args(&mut cx, &p.value),
            "capAdd" => {
                for (s, pos) in strings(&p.value) {
                    if matches!(s, "NET_ADMIN" | "ALL") {
                        cx.hit(
                            &NET_DC_003,
                            format!(
                                "capAdd {s}: processes in the container can rewrite its firewall"
                            ),
                            pos,
                        );
                    }
                }
            }
            "privileged" if matches!(p.value, Value::BooleanLit(ref b) if b.value) => {
                cx.hit(
                    &NET_DC_003,
                    "privileged container: processes in it can rewrite its firewall".into(),
                    p.range.start,
                );
            }
            "postCreateCommand" | "onCreateCommand" | "updateContentCommand" => {
                if let Some((_, pos)) = strings(&p.value)
                    .into_iter()
                    .find(|(s, _)| s.contains("firewall"))
                {
                    create_fw.get_or_insert(pos);
                }
            }
            "postStartCommand" => {
                start_fw |= strings(&p.value)
                    .iter()
                    .any(|(s, _)| s.contains("firewall"));
            }
            "containerEnv" | "remoteEnv" => env(&mut cx, &p.value, allow),
            _ => {}
        }
    }
    if let (Some(pos), false) = (create_fw, start_fw) {
        cx.hit(&NET_DC_002, "the firewall script runs only when the container is created; iptables rules are gone after a restart".into(), pos);
    }
    cx.out
}

fn run_args(cx: &mut Ctx<'_>, v: &Value<'_>) {
    let args = strings(v);
    for (i, (a, pos)) in args.iter().enumerate() {
        let next = args.get(i + 1).map(|x| x.0).unwrap_or("");
        let host_net = matches!(*a, "--network=host" | "--net=host")
            || (matches!(*a, "--network" | "--net") && next == "host");
        if host_net {
            cx.hit(
                &NET_DC_001,
                format!("runArgs {a}: the container shares the host's network namespace"),
                *pos,
            );
        }
        let cap = a
            .strip_prefix("--cap-add=")
            .or_else(|| (*a == "--cap-add").then_some(next));
        if let Some(c) = cap {
            if c.eq_ignore_ascii_case("NET_ADMIN") || c.eq_ignore_ascii_case("ALL") {
                cx.hit(&NET_DC_003, format!("runArgs --cap-add {c}: processes in the container can rewrite its firewall"), *pos);
            }
        }
        if *a == "--privileged" {
            cx.hit(
                &NET_DC_003,
                "runArgs --privileged: processes in the container can rewrite its firewall".into(),
                *pos,
            );
        }
    }
}

const ENDPOINT_VARS: &[&str] = &[
    "ANTHROPIC_BASE_URL",
    "ANTHROPIC_BEDROCK_BASE_URL",
    "ANTHROPIC_VERTEX_BASE_URL",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
];

fn env(cx: &mut Ctx<'_>, v: &Value<'_>, allow: &Allowlist) {
    let Value::Object(o) = v else { return };
    for p in &o.properties {
        let name = prop_name(&p.name);
        let Value::StringLit(s) = &p.value else {
            continue;
        };
        let val = s.value.as_ref();
        if name == "NODE_TLS_REJECT_UNAUTHORIZED" && val.trim() == "0" {
            cx.hit(&NET_DC_004, "NODE_TLS_REJECT_UNAUTHORIZED=0 turns off certificate checks for every TLS connection".into(), s.range.start);
        }
        if !ENDPOINT_VARS.contains(&name) || val.contains("${") {
            continue;
        }
        let Ok(url) = url::Url::parse(val.trim()) else {
            continue;
        };
        let allowed = match url.host() {
            Some(url::Host::Domain(d)) => allow.matches(d).is_some(),
            Some(url::Host::Ipv4(ip)) => allow.matches_ip(ip.into()).is_some() || ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => allow.matches_ip(ip.into()).is_some() || ip.is_loopback(),
            None => true,
        };
        if !allowed {
            let host = url.host_str().unwrap_or("");
            cx.hit(
                &NET_DC_005,
                format!(
                    "{name} sends traffic to {host}, which the {} allowlist does not include",
                    allow.provider()
                ),
                s.range.start,
            );
        }
    }
}
