//! Public exposure: S3 ACLs and Block Public Access, public databases,
//! CloudFront over plain HTTP.

use super::Env;
use crate::model::{Hit, Mode, Resource};
use crate::rules::*;
use crate::value::Node;

const PUBLIC_ACLS: &[&str] = &["public-read", "public-read-write", "authenticated-read"];
const PAB_SETTINGS: &[&str] = &[
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
];

fn public_grantee(uri: &str) -> bool {
    uri.ends_with("/global/AllUsers") || uri.ends_with("/global/AuthenticatedUsers")
}

pub fn check(r: &Resource, env: &Env, hits: &mut Vec<Hit>) {
    if r.mode != Mode::Managed {
        return;
    }
    let v = &r.values;
    if matches!(
        r.rtype.as_str(),
        "aws_s3_bucket" | "aws_s3_bucket_acl" | "aws_s3_object" | "aws_s3_bucket_object"
    ) {
        if let Some(n) = v.get("acl") {
            if let Some(acl) = n.as_str().filter(|a| PUBLIC_ACLS.contains(a)) {
                hits.push(
                    Hit::new(&EXP_PUBLIC_ACL, n.line, "acl", format!("`acl = \"{acl}\"`")).over(n),
                );
            } else if env.plan
                && n.is_unknown()
                && r.rtype == "aws_s3_bucket_acl"
                && r.configured
                    .as_ref()
                    .is_none_or(|c| c.iter().any(|a| a == "acl"))
            {
                hits.push(
                    Hit::new(
                        &PLAN_UNVERIFIABLE,
                        n.line,
                        "acl:unknown",
                        "`acl` is known only after apply",
                    )
                    .over(n),
                );
            }
        }
        // Grants: `grant` blocks of aws_s3_bucket and the ACL resource's access_control_policy.
        let mut grants: Vec<&Node> = v.blocks("grant");
        for acp in v.blocks("access_control_policy") {
            grants.extend(acp.blocks("grant"));
        }
        for (i, g) in grants.into_iter().enumerate() {
            let uri = g
                .get("uri")
                .or_else(|| g.blocks("grantee").first().and_then(|x| x.get("uri")))
                .and_then(Node::as_str);
            if let Some(uri) = uri.filter(|u| public_grantee(u)) {
                let group = uri.rsplit('/').next().unwrap_or(uri);
                hits.push(
                    Hit::new(
                        &EXP_PUBLIC_ACL,
                        g.line,
                        format!("grant[{i}]:{group}"),
                        format!("ACL grant to `{group}`"),
                    )
                    .over(g),
                );
            }
        }
    }
    // The s3-bucket module creates a public access block from its inputs.
    let module_pab = r.via_module && r.rtype == "aws_s3_bucket";
    if module_pab
        || matches!(
            r.rtype.as_str(),
            "aws_s3_bucket_public_access_block" | "aws_s3_account_public_access_block"
        )
    {
        let off: Vec<(&str, Option<&Node>)> = PAB_SETTINGS
            .iter()
            .filter_map(|k| match v.get(k) {
                Some(n) if n.as_bool() == Some(false) => Some((*k, Some(n))),
                None => Some((*k, None)),
                Some(n) if n.is_null() => Some((*k, None)),
                _ => None,
            })
            .collect();
        if !off.is_empty() {
            let names: Vec<&str> = off.iter().map(|(k, _)| *k).collect();
            let first = off.iter().find_map(|(_, n)| *n);
            let mut h = Hit::new(
                &EXP_PUBLIC_ACCESS_BLOCK_OFF,
                r.line,
                "public_access_block",
                format!("off or not set (defaults to false): {}", names.join(", ")),
            );
            // One finding per resource, over the whole block.
            let _ = first;
            h = h.over(v);
            hits.push(h);
        }
    }
    if let Some(n) = v
        .get("publicly_accessible")
        .filter(|n| n.as_bool() == Some(true))
        .filter(|_| !super::table::covers(&r.rtype, "publicly_accessible"))
    {
        hits.push(
            Hit::new(
                &EXP_PUBLICLY_ACCESSIBLE,
                n.line,
                "publicly_accessible",
                "`publicly_accessible = true`",
            )
            .over(n),
        );
    }
    if r.rtype == "aws_cloudfront_distribution" {
        for key in ["default_cache_behavior", "ordered_cache_behavior"] {
            for (i, b) in v.blocks(key).into_iter().enumerate() {
                if let Some(n) = b
                    .get("viewer_protocol_policy")
                    .filter(|n| n.as_str() == Some("allow-all"))
                {
                    hits.push(
                        Hit::new(
                            &EXP_CLOUDFRONT_HTTP,
                            n.line,
                            format!("{key}[{i}]"),
                            format!("`{key}.viewer_protocol_policy = \"allow-all\"`"),
                        )
                        .over(n),
                    );
                }
            }
        }
    }
}
