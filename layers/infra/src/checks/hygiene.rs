//! Single-resource checks the resource table cannot express: world egress on
//! all ports, policies attached to users, unpinned module sources and
//! secrets in user data, Lambda environments and ECS task definitions.

use crate::model::{Hit, Mode, Resource};
use crate::rules::{HYG_MODULE_UNPINNED, IAM_USER_POLICY, NET_EGRESS_ALL, SEC_IN_CONFIG};
use crate::value::{Node, V};
use base64::Engine as _;

pub fn check(r: &Resource, hits: &mut Vec<Hit>) {
    match r.mode {
        Mode::Module => module_source(r, hits),
        Mode::Managed => {
            egress(r, hits);
            user_policy(r, hits);
            secrets(r, hits);
        }
        Mode::Data => {}
    }
}

fn is_world(c: &Node) -> bool {
    c.items()
        .iter()
        .any(|x| x.as_str().is_some_and(|s| s == "0.0.0.0/0" || s == "::/0"))
}

/// All protocols, or every port of TCP/UDP.
fn all_ports(protocol: Option<&Node>, from: Option<&Node>, to: Option<&Node>) -> bool {
    let p = protocol
        .and_then(|p| match &p.v {
            V::Str(s) => Some(s.to_ascii_lowercase()),
            V::Num(n) => Some(n.to_string()),
            _ => None,
        })
        .unwrap_or_default();
    if p == "-1" || p == "all" {
        return true;
    }
    let from = from.and_then(Node::as_f64);
    let to = to.and_then(Node::as_f64);
    matches!(p.as_str(), "tcp" | "6") && from == Some(0.0) && to == Some(65535.0)
}

fn egress(r: &Resource, hits: &mut Vec<Hit>) {
    let v = &r.values;
    let mut entries: Vec<(&Node, String, &str, &[&str])> = Vec::new();
    match r.rtype.as_str() {
        "aws_security_group" | "aws_default_security_group" => {
            for (i, b) in v.blocks("egress").into_iter().enumerate() {
                entries.push((
                    b,
                    format!("egress[{i}]"),
                    "protocol",
                    &["cidr_blocks", "ipv6_cidr_blocks"],
                ));
            }
        }
        "aws_security_group_rule" if v.get("type").and_then(Node::as_str) == Some("egress") => {
            entries.push((
                v,
                "rule".into(),
                "protocol",
                &["cidr_blocks", "ipv6_cidr_blocks"],
            ))
        }
        "aws_vpc_security_group_egress_rule" => {
            entries.push((v, "rule".into(), "ip_protocol", &["cidr_ipv4", "cidr_ipv6"]))
        }
        _ => {}
    }
    for (n, key, proto, cidr_keys) in entries {
        let world = cidr_keys
            .iter()
            .filter_map(|k| n.get(k))
            .find(|c| is_world(c));
        let Some(c) = world else { continue };
        if all_ports(n.get(proto), n.get("from_port"), n.get("to_port")) {
            // One finding per rule: a missing description of the same rule
            // (INFRA-NET-003, found before) rides on this one.
            let mut message =
                String::from("egress to the whole internet on all ports and protocols");
            // Descriptions are keyed `egress[i]:description` (inline blocks)
            // or `description` (rule resources); `hits` holds this
            // resource's findings only.
            let wanted = if key == "rule" {
                "description".to_string()
            } else {
                format!("{key}:description")
            };
            let same_rule = |h: &Hit| h.rule.id == "INFRA-NET-003" && h.key == wanted;
            if let Some(i) = hits.iter().rposition(same_rule) {
                hits.remove(i);
                message.push_str("; also the rule has no description");
            }
            hits.push(
                Hit::new(&NET_EGRESS_ALL, n.line_or(r.line), key, message)
                    .over(n)
                    .focus_on(c.line),
            );
        }
    }
}

fn user_policy(r: &Resource, hits: &mut Vec<Hit>) {
    let v = &r.values;
    let hit = match r.rtype.as_str() {
        "aws_iam_user_policy" | "aws_iam_user_policy_attachment" => Hit::new(
            &IAM_USER_POLICY,
            r.line,
            "user",
            format!("`{}` grants permissions to a user directly", r.rtype),
        )
        .over(v),
        "aws_iam_policy_attachment" => {
            let Some(u) = v.get("users").filter(|u| !u.items().is_empty()) else {
                return;
            };
            Hit::new(
                &IAM_USER_POLICY,
                u.line_or(r.line),
                "users",
                "`users` of a policy attachment: the policy is attached to users directly",
            )
            .over(u)
        }
        _ => return,
    };
    // One finding per policy: a grant already reported on this resource
    // (INFRA-IAM-001..006, found before) says it goes to a user.
    if let Some(h) = hits
        .iter_mut()
        .find(|h| h.rule.id.starts_with("INFRA-IAM-00") && h.rule.id < "INFRA-IAM-007")
    {
        h.message.push_str("; also granted to a user directly");
        return;
    }
    hits.push(hit);
}

/// Registry sources have three parts (`ns/name/provider`, optionally with
/// a host in front); everything with a scheme or `::` is fetched directly.
fn module_source(r: &Resource, hits: &mut Vec<Hit>) {
    let Some(src_node) = r.values.get("source") else {
        return;
    };
    let Some(src) = src_node.as_str() else { return };
    if src.starts_with("./") || src.starts_with("../") || src.starts_with('/') {
        return;
    }
    let version = r.values.get("version");
    let problem = if is_registry(src) {
        match version.and_then(Node::as_str).map(str::trim) {
            None if version.is_some_and(Node::is_unknown) => return,
            None => Some("registry module without `version`".to_string()),
            Some(v) if v.starts_with('>') || v.contains(">=") => {
                Some(format!("`version = \"{v}\"` has no upper bound"))
            }
            Some(_) => None,
        }
    } else {
        let reference = src
            .split_once('?')
            .and_then(|(_, q)| q.split('&').find_map(|kv| kv.strip_prefix("ref=")));
        match reference {
            None if is_archive(src) => None,
            None => Some("source without `?ref=` to a tag or commit".to_string()),
            Some(r) if is_pinned_ref(r) => None,
            Some(r) => Some(format!("`?ref={r}` is a branch, not a tag or commit")),
        }
    };
    if let Some(p) = problem {
        hits.push(
            Hit::new(
                &HYG_MODULE_UNPINNED,
                src_node.line_or(r.line),
                "source",
                format!("module `{}`: {p}", r.name),
            )
            .over(src_node),
        );
    }
}

fn is_registry(src: &str) -> bool {
    if src.contains("::") || src.contains("://") || src.starts_with("git@") {
        return false;
    }
    let parts: Vec<&str> = src.split("//").next().unwrap_or(src).split('/').collect();
    // github.com/org/repo and bitbucket.org/... are git shorthands.
    let host_like = parts.first().is_some_and(|p| p.contains('.'));
    match parts.len() {
        3 => !host_like,
        4 => host_like && !matches!(parts[0], "github.com" | "bitbucket.org"),
        _ => false,
    }
}

/// Archives (`.zip`, `.tar.gz`) and buckets are immutable enough when named
/// by a version in their path; guard cannot tell, so they are not flagged.
fn is_archive(src: &str) -> bool {
    let base = src.split('?').next().unwrap_or(src).to_ascii_lowercase();
    base.starts_with("s3::")
        || base.starts_with("gcs::")
        || [".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz"]
            .iter()
            .any(|e| base.ends_with(e))
}

/// A commit id (7 to 40 hex digits) or a version tag (`v1.2.3`, `1.2`).
fn is_pinned_ref(r: &str) -> bool {
    let hex = r.len() >= 7 && r.len() <= 40 && r.chars().all(|c| c.is_ascii_hexdigit());
    let tag = r.strip_prefix('v').unwrap_or(r);
    let version = tag.split('.').count() >= 2
        && tag
            .split(['.', '-', '+'])
            .next()
            .is_some_and(|m| !m.is_empty() && m.chars().all(|c| c.is_ascii_digit()));
    hex || version
}

/// Secret detectors of the owasp layer over the values these services keep
/// in clear text.
fn secrets(r: &Resource, hits: &mut Vec<Hit>) {
    let v = &r.values;
    let mut texts: Vec<(&Node, &str, String, &str)> = Vec::new();
    match r.rtype.as_str() {
        "aws_instance" | "aws_launch_configuration" | "aws_launch_template" => {
            if let Some(n) = v.get("user_data") {
                if let Some(s) = n.as_str() {
                    texts.push((n, "user_data", s.to_string(), "user_data.sh"));
                }
            }
            if let Some(n) = v.get("user_data_base64") {
                if let Some(s) = n.as_str() {
                    push_decoded(&mut texts, n, "user_data_base64", s);
                }
            }
            // Launch templates take user data base64-encoded.
            if r.rtype == "aws_launch_template" {
                texts.retain(|t| t.1 != "user_data");
                if let Some(n) = v.get("user_data") {
                    if let Some(s) = n.as_str() {
                        push_decoded(&mut texts, n, "user_data", s);
                    }
                }
            }
        }
        "aws_lambda_function" => {
            for env in v.blocks("environment") {
                if let Some(vars) = env.get("variables") {
                    if let V::Obj(fs) = &vars.v {
                        let lines: Vec<String> = fs
                            .iter()
                            .filter_map(|(k, x)| x.as_str().map(|s| format!("{k}={s}")))
                            .collect();
                        texts.push((vars, "environment.variables", lines.join("\n"), ".env"));
                    }
                }
            }
        }
        "aws_ecs_task_definition" => {
            if let Some(n) = v.get("container_definitions") {
                match n.as_str() {
                    Some(s) => texts.push((n, "container_definitions", ecs_text(s), ".env")),
                    // `jsonencode([...])` read as its structure.
                    None => texts.push((n, "container_definitions", ecs_env(n), ".env")),
                }
            }
        }
        _ => {}
    }
    let opts = guard_owasp::secrets::ScanOptions::default();
    for (n, attr, text, as_path) in texts {
        let found = guard_owasp::secrets::scan_text(as_path, &text, &opts);
        let mut seen = std::collections::HashSet::new();
        for s in found {
            if !seen.insert((s.provider, s.kind)) {
                continue;
            }
            let line = if n.line > 0 && n.end > n.line {
                n.line + s.start.line.saturating_sub(1)
            } else {
                n.line_or(r.line)
            };
            hits.push(
                Hit::new(
                    &SEC_IN_CONFIG,
                    n.line_or(r.line),
                    format!("{attr}:{}:{}", s.provider, s.kind),
                    format!(
                        "{} {} in `{attr}` ({}), stored in clear text",
                        s.provider, s.kind, s.evidence
                    ),
                )
                .over(n)
                .focus_on(line)
                .severity(s.severity.min(SEC_IN_CONFIG.severity)),
            );
        }
    }
}

fn push_decoded<'a>(
    out: &mut Vec<(&'a Node, &'a str, String, &'a str)>,
    n: &'a Node,
    attr: &'a str,
    s: &str,
) {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    match base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) {
        Ok(bytes) => out.push((
            n,
            attr,
            String::from_utf8_lossy(&bytes).into_owned(),
            "user_data.sh",
        )),
        // Not base64 after all: scan it as written.
        Err(_) => out.push((n, attr, s.to_string(), "user_data.sh")),
    }
}

/// `NAME=value` lines of the environments of container definitions given
/// as a structure.
fn ecs_env(defs: &Node) -> String {
    let mut lines = Vec::new();
    for d in defs.items() {
        for e in d.get("environment").map(Node::items).unwrap_or_default() {
            if let (Some(k), Some(v)) = (
                e.get("name").and_then(Node::as_str),
                e.get("value").and_then(Node::as_str),
            ) {
                lines.push(format!("{k}={v}"));
            }
        }
    }
    lines.join("\n")
}

/// ECS container definitions as `NAME=value` lines of their environments,
/// followed by the JSON itself (other places a secret can sit).
fn ecs_text(s: &str) -> String {
    let mut lines = Vec::new();
    if let Ok(serde_json::Value::Array(defs)) = serde_json::from_str::<serde_json::Value>(s) {
        for d in &defs {
            let env = d.get("environment").and_then(|e| e.as_array());
            for e in env.into_iter().flatten() {
                if let (Some(k), Some(v)) = (
                    e.get("name").and_then(|x| x.as_str()),
                    e.get("value").and_then(|x| x.as_str()),
                ) {
                    lines.push(format!("{k}={v}"));
                }
            }
        }
    }
    lines.push(s.to_string());
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_and_refs() {
        assert!(is_registry("terraform-aws-modules/vpc/aws"));
        assert!(is_registry("app.terraform.io/acme/vpc/aws"));
        assert!(is_registry(
            "terraform-aws-modules/iam/aws//modules/iam-role"
        ));
        assert!(!is_registry("github.com/acme/modules"));
        assert!(!is_registry("git::https://example.com/vpc.git"));
        assert!(is_pinned_ref("v1.2.3"));
        assert!(is_pinned_ref("2.0"));
        assert!(is_pinned_ref("a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0"));
        assert!(!is_pinned_ref("main"));
        assert!(!is_pinned_ref("develop"));
    }

    #[test]
    fn all_ports_forms() {
        let s = |x: &str| Node::new(V::Str(x.into()), 1);
        let n = |x: f64| Node::new(V::Num(x), 1);
        assert!(all_ports(Some(&s("-1")), Some(&n(0.0)), Some(&n(0.0))));
        assert!(all_ports(Some(&s("tcp")), Some(&n(0.0)), Some(&n(65535.0))));
        assert!(!all_ports(
            Some(&s("tcp")),
            Some(&n(443.0)),
            Some(&n(443.0))
        ));
    }
}
