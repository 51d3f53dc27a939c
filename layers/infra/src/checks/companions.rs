//! Settings AWS keeps in a resource of their own (S3 versioning, logging and
//! public access block, Secrets Manager rotation, VPC flow logs): a bucket,
//! secret or VPC with no such companion in the same configuration is judged
//! by AWS's default. A companion whose target guard cannot tell (a variable,
//! a computed name) counts for every resource, so that guard stays quiet
//! rather than guess.

use crate::model::{Hit, Mode, Resource};
use crate::plan::strip_index;
use crate::rules::{DATA_VERSIONING_OFF, EXP_NO_PUBLIC_ACCESS_BLOCK, LOG_OFF, SEC_ROTATION_OFF};
use crate::value::Node;
use guard_core::Rule;
use std::collections::HashSet;

/// (companion type, attribute naming its target, kind).
const COMPANIONS: &[(&str, &str, &str)] = &[
    ("aws_s3_bucket_public_access_block", "bucket", "pab"),
    ("aws_s3_bucket_versioning", "bucket", "versioning"),
    ("aws_s3_bucket_logging", "bucket", "logging"),
    ("aws_s3_bucket_logging", "target_bucket", "log-target"),
    (
        "aws_secretsmanager_secret_rotation",
        "secret_id",
        "rotation",
    ),
    ("aws_flow_log", "vpc_id", "flow-log"),
];

/// (resource type, companion kind, what a missing one defaults to, rule,
/// the companion resource type named in the message).
const NEEDS: &[(&str, &str, &str, &Rule, &str)] = &[
    (
        "aws_s3_bucket",
        "pab",
        "account settings; AWS turns all four settings on for buckets created since April 2023",
        &EXP_NO_PUBLIC_ACCESS_BLOCK,
        "aws_s3_bucket_public_access_block",
    ),
    (
        "aws_s3_bucket",
        "versioning",
        "versioning off",
        &DATA_VERSIONING_OFF,
        "aws_s3_bucket_versioning",
    ),
    (
        "aws_s3_bucket",
        "logging",
        "no server access logs",
        &LOG_OFF,
        "aws_s3_bucket_logging",
    ),
    (
        "aws_secretsmanager_secret",
        "rotation",
        "never rotated",
        &SEC_ROTATION_OFF,
        "aws_secretsmanager_secret_rotation",
    ),
    (
        "aws_vpc",
        "flow-log",
        "no flow logs",
        &LOG_OFF,
        "aws_flow_log",
    ),
];

/// The companions of one configuration (a module's files, or a plan).
#[derive(Debug, Default, Clone)]
pub struct Companions {
    /// (kind, target address or name).
    links: HashSet<(&'static str, String)>,
    /// Kinds with a companion whose target is not known.
    any: HashSet<&'static str>,
}

impl Companions {
    pub fn of(resources: &[Resource]) -> Companions {
        let mut c = Companions::default();
        for r in resources.iter().filter(|r| r.mode == Mode::Managed) {
            if r.rtype == "aws_s3_account_public_access_block" {
                c.any.insert("pab");
            }
            // `enabled` defaults to true.
            if r.rtype == "aws_ebs_encryption_by_default"
                && r.values.get("enabled").and_then(Node::as_bool) != Some(false)
            {
                c.any.insert("ebs-default");
            }
            for (t, attr, kind) in COMPANIONS {
                if r.rtype != *t {
                    continue;
                }
                let by_ref = r.refs.iter().find(|(a, _)| a == attr);
                match (by_ref, r.values.get(attr)) {
                    (Some((_, target)), _) => {
                        c.links.insert((kind, target.clone()));
                    }
                    (None, Some(n)) if n.as_str().is_some() => {
                        c.links
                            .insert((kind, n.as_str().unwrap_or_default().to_string()));
                    }
                    (None, None) => {}
                    (None, Some(_)) => {
                        c.any.insert(kind);
                    }
                }
            }
        }
        c
    }

    /// The configuration turns on EBS encryption by default for the
    /// account and region: new volumes are encrypted whatever the AMI.
    pub fn ebs_encrypted_by_default(&self) -> bool {
        self.any.contains("ebs-default")
    }

    fn has(&self, kind: &str, r: &Resource) -> bool {
        if self.any.contains(kind) {
            return true;
        }
        let address = strip_index(&r.address);
        let short = address
            .rsplit_once("module.")
            .map(|(_, rest)| rest.split_once('.').map_or(rest, |(_, a)| a))
            .unwrap_or(&address);
        let names: Vec<&str> = ["bucket", "id", "name", "arn"]
            .iter()
            .filter_map(|k| r.values.get(k).and_then(Node::as_str))
            .collect();
        self.links.iter().any(|(k, target)| {
            *k == kind
                && (target == &address || target == short || names.contains(&target.as_str()))
        })
    }
}

/// Inline forms of the same settings (older provider versions).
fn inline(r: &Resource, kind: &str) -> bool {
    let v = &r.values;
    let block_with = |b: &str, attr: Option<&str>| {
        v.blocks(b).iter().any(|x| match attr {
            Some(a) => x.get(a).and_then(Node::as_bool) == Some(true),
            None => true,
        })
    };
    match kind {
        "versioning" => !v.blocks("versioning").is_empty(),
        "logging" => block_with("logging", None),
        "rotation" => {
            block_with("rotation_rules", None)
                || v.get("rotation_lambda_arn").is_some_and(|n| !n.is_null())
        }
        _ => false,
    }
}

pub fn check(r: &Resource, c: &Companions, hits: &mut Vec<Hit>) {
    if r.mode != Mode::Managed || r.via_module {
        return;
    }
    for (t, kind, default, rule, companion) in NEEDS {
        if r.rtype != *t || inline(r, kind) || c.has(kind, r) {
            continue;
        }
        // A bucket that receives other buckets' access logs need not log itself.
        if *kind == "logging" && c.has("log-target", r) {
            continue;
        }
        hits.push(
            Hit::new(
                rule,
                r.line,
                *companion,
                format!("`{companion}` not set (defaults to {default})"),
            )
            .over(&r.values)
            .unset(),
        );
    }
}
