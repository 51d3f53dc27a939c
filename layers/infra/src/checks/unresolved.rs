//! HCL values that depend on an input guard cannot resolve, reported as
//! "cannot verify" where a rule's verdict reads them (not for every attribute).

use crate::model::{Hit, Mode, Resource};
use crate::rules::HCL_UNRESOLVED;
use crate::value::{Node, V};

/// Attributes (and IAM policy keys) some rule's verdict depends on.
const RELEVANT: &[&str] = &[
    "policy",
    "assume_role_policy",
    "inline_policy",
    "principal",
    "principals",
    "not_principals",
    "identifiers",
    "actions",
    "not_actions",
    "resources",
    "not_resources",
    "effect",
    "cidr_blocks",
    "ipv6_cidr_blocks",
    "cidr_block",
    "ipv6_cidr_block",
    "cidr_ipv4",
    "cidr_ipv6",
    "ingress_cidr_blocks",
    "from_port",
    "to_port",
    "protocol",
    "ip_protocol",
    "publicly_accessible",
    "encrypted",
    "storage_encrypted",
    "kms_key_id",
    "acl",
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
    "force_destroy",
    "deletion_protection",
    "enable_deletion_protection",
    "deletion_protection_enabled",
    "skip_final_snapshot",
    "viewer_protocol_policy",
    "origin_access_control_id",
    "origin_access_identity",
    "source_arn",
    "source_account",
];

/// IAM policy document keys (any case, as AWS reads them).
const POLICY_KEYS: &[&str] = &[
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
];

/// Blocks whose contents no rule judges.
const SKIP: &[&str] = &["egress", "tags", "tags_all", "lifecycle"];

/// How deep into nested blocks and documents the search goes.
const MAX_DEPTH: usize = 32;

pub fn check(r: &Resource, hits: &mut Vec<Hit>) {
    let relevant_type = match r.mode {
        Mode::Managed => r.rtype.starts_with("aws_"),
        Mode::Data => r.rtype == "aws_iam_policy_document",
        Mode::Module => false,
    };
    // Egress rules are not judged by any rule.
    let egress = r.values.get("type").and_then(Node::as_str) == Some("egress");
    if !relevant_type || egress {
        return;
    }
    walk(&r.values, "", hits, 0);
}

fn walk(n: &Node, path: &str, hits: &mut Vec<Hit>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match &n.v {
        V::Obj(fs) => {
            for (k, v) in fs {
                if SKIP.contains(&k.as_str()) {
                    continue;
                }
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                let relevant = RELEVANT.contains(&k.as_str())
                    || POLICY_KEYS.iter().any(|x| x.eq_ignore_ascii_case(k));
                match v.unresolved() {
                    Some(why) if relevant => hits.push(
                        Hit::new(
                            &HCL_UNRESOLVED,
                            v.line,
                            format!("{p}:unresolved"),
                            format!("`{k}` depends on {why}, so it cannot be checked"),
                        )
                        .over(v),
                    ),
                    Some(_) => walk(v, &p, hits, depth + 1),
                    None => {}
                }
            }
        }
        V::List(xs) => {
            for (i, x) in xs.iter().enumerate() {
                walk(x, &format!("{path}[{i}]"), hits, depth + 1);
            }
        }
        _ => {}
    }
}
