//! Policy-bearing attributes (`policy`, `assume_role_policy`, ...), policy
//! document data sources and Lambda permissions.

use super::Env;
use crate::iam::{self, PolicyKind};
use crate::json_lines;
use crate::model::{Hit, Mode, Resource};
use crate::rules::{IAM_ANY_PRINCIPAL, IAM_FULL_ADMIN, PLAN_UNVERIFIABLE};
use crate::value::{Node, V};

/// Resource types whose `policy`-like attribute is a resource policy.
const RESOURCE_POLICY_TYPES: &[&str] = &[
    "aws_s3_bucket",
    "aws_s3_bucket_policy",
    "aws_s3control_bucket_policy",
    "aws_s3control_access_point_policy",
    "aws_s3_access_point",
    "aws_sqs_queue",
    "aws_sqs_queue_policy",
    "aws_sns_topic",
    "aws_sns_topic_policy",
    "aws_kms_key",
    "aws_kms_replica_key",
    "aws_ecr_repository_policy",
    "aws_ecr_registry_policy",
    "aws_secretsmanager_secret",
    "aws_secretsmanager_secret_policy",
    "aws_glacier_vault",
    "aws_elasticsearch_domain",
    "aws_elasticsearch_domain_policy",
    "aws_opensearch_domain",
    "aws_opensearch_domain_policy",
    "aws_cloudwatch_log_resource_policy",
    "aws_api_gateway_rest_api",
    "aws_api_gateway_rest_api_policy",
    "aws_lambda_layer_version_permission",
    "aws_efs_file_system_policy",
    "aws_backup_vault_policy",
    "aws_iot_policy",
    "aws_media_store_container_policy",
    "aws_glue_resource_policy",
    "aws_vpc_endpoint",
    "aws_vpc_endpoint_policy",
    "aws_organizations_policy",
];

/// Pseudo type for values without a known resource type (terraform_data input).
pub const GENERIC_INPUT: &str = "terraform_data.input";

/// The policy attributes of a resource type and the kind of policy each holds.
pub fn policy_attrs(rtype: &str) -> &'static [(&'static str, PolicyKind)] {
    if rtype == GENERIC_INPUT {
        return &[
            ("policy", PolicyKind::Identity),
            ("assume_role_policy", PolicyKind::Trust),
        ];
    }
    if rtype == "aws_iam_role" {
        return &[
            ("assume_role_policy", PolicyKind::Trust),
            ("inline_policy", PolicyKind::Identity),
        ];
    }
    if matches!(
        rtype,
        "aws_elasticsearch_domain"
            | "aws_elasticsearch_domain_policy"
            | "aws_opensearch_domain"
            | "aws_opensearch_domain_policy"
    ) {
        return &[("access_policies", PolicyKind::Resource)];
    }
    if rtype == "aws_glacier_vault" {
        return &[("access_policy", PolicyKind::Resource)];
    }
    if rtype == "aws_ssoadmin_permission_set_inline_policy" {
        return &[("inline_policy", PolicyKind::Identity)];
    }
    if rtype == "aws_cloudwatch_log_resource_policy" {
        return &[("policy_document", PolicyKind::Resource)];
    }
    if RESOURCE_POLICY_TYPES.contains(&rtype) {
        return &[("policy", PolicyKind::Resource)];
    }
    if rtype.starts_with("aws_") {
        return &[("policy", PolicyKind::Identity)];
    }
    &[]
}

/// A policy value as a document tree: a JSON string (parsed with lines) or an
/// object (from `jsonencode`). `Err` when the string is not JSON.
fn document(n: &Node) -> Result<Option<Node>, String> {
    match &n.v {
        V::Obj(_) => Ok(Some(n.clone())),
        V::Str(s) if s.contains("${...}") && !s.trim_start().starts_with('{') => Ok(None),
        V::Str(s) => {
            if s.trim().is_empty() {
                return Ok(None);
            }
            // A heredoc's text starts on the line after `<<EOF`; a quoted
            // string sits on one line.
            let multi = n.end > n.line;
            let first = if multi { n.line + 1 } else { n.line };
            match json_lines::parse(s, first, !multi) {
                Ok(doc) => Ok(Some(doc)),
                // Interpolations outside JSON strings (`"Resource": ${arns}`)
                // render to JSON values guard does not know: read them as
                // unknown strings; what is still not JSON never will be.
                Err(_) if s.contains("${...}") => {
                    json_lines::parse(&quote_interpolations(s), first, !multi)
                        .map(Some)
                        .map_err(|e| {
                            format!("{e} (with its interpolations read as unknown values)")
                        })
                }
                Err(e) => Err(e.to_string()),
            }
        }
        _ => Ok(None),
    }
}

/// `${...}` placeholders that stand outside JSON strings, quoted so the text
/// parses with them as unknown string values. Lengths of lines are kept.
fn quote_interpolations(s: &str) -> String {
    const P: &str = "${...}";
    let mut out = String::with_capacity(s.len() + 16);
    let (mut in_str, mut escaped) = (false, false);
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if !in_str && rest.starts_with(P) {
            out.push('"');
            out.push_str(P);
            out.push('"');
            rest = &rest[P.len()..];
            continue;
        }
        if in_str {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
            }
        } else if c == '"' {
            in_str = true;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Hits inside an embedded policy cover the whole attribute (JSON has no
/// comments, so an ignore marker can only sit above the attribute); the
/// message names the line inside the document and code frames mark it.
fn relocate(mut h: Hit, over: &Node) -> Hit {
    if h.line > 0 && over.line > 0 && h.line != over.line {
        h.message = format!("{} (line {})", h.message, h.line);
        h.focus = h.line;
    }
    h.line = over.line;
    h.end = over.end.max(over.line);
    h
}

pub fn check(r: &Resource, env: &Env, hits: &mut Vec<Hit>) {
    if r.mode == Mode::Data {
        if r.rtype == "aws_iam_policy_document" {
            let doc = iam::from_policy_document(&r.values);
            let kind = if has_principals(&r.values) {
                PolicyKind::Resource
            } else {
                PolicyKind::Identity
            };
            for h in iam::check_document(&doc, kind, "statement") {
                hits.push(relocate(h, &r.values));
            }
        }
        return;
    }
    for (attr, kind) in policy_attrs(&r.rtype) {
        let Some(n) = r.values.get(attr) else {
            continue;
        };
        for item in n.items() {
            // `inline_policy` blocks hold the document in their `policy` field.
            let value = if item.get("policy").is_some() {
                item.get("policy").unwrap_or(item)
            } else {
                item
            };
            if value.is_unknown() {
                // Nobody set it: the provider computes it (e.g. aws_s3_bucket.policy).
                if r.configured
                    .as_ref()
                    .is_some_and(|c| !c.iter().any(|a| a == attr))
                {
                    continue;
                }
                let traced = r
                    .refs
                    .iter()
                    .any(|(a, target)| a == attr && env.known_docs.contains(target));
                if env.plan && !traced {
                    hits.push(
                        Hit::new(
                            &PLAN_UNVERIFIABLE,
                            value.line,
                            format!("{attr}:unknown"),
                            format!("`{attr}` is known only after apply; its statements cannot be checked"),
                        )
                        .over(value),
                    );
                }
                continue;
            }
            match document(value) {
                Ok(Some(doc)) => {
                    for h in iam::check_document(&doc, *kind, attr) {
                        hits.push(relocate(h, value));
                    }
                }
                Ok(None) => {}
                Err(e) => hits.push(
                    Hit::new(
                        &PLAN_UNVERIFIABLE,
                        value.line,
                        format!("{attr}:invalid"),
                        format!("`{attr}` is not a valid JSON policy document: {e}"),
                    )
                    .over(value),
                ),
            }
        }
    }
    if r.rtype == "aws_lambda_permission" {
        lambda_permission(r, hits);
    }
    if r.rtype == "aws_lambda_layer_version_permission" {
        layer_permission(r, hits);
    }
    managed_admin(r, hits);
}

/// AWS managed policies that grant every action on every resource.
const ADMIN_POLICIES: &[&str] = &["AdministratorAccess"];

/// `arn:<partition>:iam::aws:policy/AdministratorAccess` (any partition).
fn is_admin_policy_arn(arn: &str) -> bool {
    let mut parts = arn.trim().splitn(6, ':');
    let (Some("arn"), Some(_), Some("iam"), Some(""), Some("aws"), Some(rest)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    rest.strip_prefix("policy/")
        .is_some_and(|name| ADMIN_POLICIES.iter().any(|a| a.eq_ignore_ascii_case(name)))
}

/// Attaching an AWS managed administrator policy to a role, user, group or
/// permission set is `Action: "*"` on `Resource: "*"` by another name.
fn managed_admin(r: &Resource, hits: &mut Vec<Hit>) {
    let attr = match r.rtype.as_str() {
        "aws_iam_role_policy_attachment"
        | "aws_iam_user_policy_attachment"
        | "aws_iam_group_policy_attachment"
        | "aws_iam_policy_attachment" => "policy_arn",
        "aws_iam_role" => "managed_policy_arns",
        "aws_iam_role_policy_attachments_exclusive" => "policy_arns",
        "aws_ssoadmin_managed_policy_attachment" => "managed_policy_arn",
        _ => return,
    };
    let Some(n) = r.values.get(attr) else { return };
    if let Some(arn) = n
        .items()
        .into_iter()
        .find(|x| x.as_str().is_some_and(is_admin_policy_arn))
    {
        let name = arn.as_str().unwrap_or_default();
        hits.push(
            Hit::new(
                &IAM_FULL_ADMIN,
                arn.line_or(r.line),
                format!("{attr}:admin"),
                format!("attaches the AWS managed policy `{name}`: every action on every resource"),
            )
            .over(arn),
        );
    }
}

fn has_principals(values: &Node) -> bool {
    values
        .blocks("statement")
        .iter()
        .any(|s| !s.blocks("principals").is_empty() || !s.blocks("not_principals").is_empty())
}

/// A layer version shared with `principal = "*"` is usable by every AWS
/// account unless `organization_id` limits it to one organisation.
fn layer_permission(r: &Resource, hits: &mut Vec<Hit>) {
    let Some(p) = r.values.get("principal") else {
        return;
    };
    if p.as_str().map(str::trim) != Some("*") {
        return;
    }
    let org = r
        .values
        .get("organization_id")
        .is_some_and(|v| !v.is_null() && v.as_str() != Some(""));
    if !org {
        hits.push(
            Hit::new(
                &IAM_ANY_PRINCIPAL,
                p.line,
                "principal:*",
                "every AWS account may use this layer version (`principal = \"*\"` without `organization_id`)",
            )
            .over(p),
        );
    }
}

/// `aws_lambda_permission` is one statement of the function's resource policy.
fn lambda_permission(r: &Resource, hits: &mut Vec<Hit>) {
    let Some(p) = r.values.get("principal") else {
        return;
    };
    if p.as_str().map(str::trim) != Some("*") {
        return;
    }
    let restricted = ["source_arn", "source_account", "principal_org_id"]
        .iter()
        .any(|k| {
            r.values
                .get(k)
                .is_some_and(|v| !v.is_null() && v.as_str() != Some(""))
        });
    if !restricted {
        hits.push(
            Hit::new(
                &IAM_ANY_PRINCIPAL,
                p.line,
                "principal:*",
                "any principal may invoke the function (`principal = \"*\"` without `source_arn`/`source_account`)",
            )
            .over(p),
        );
    }
}
