//! Encryption at rest switched off or left at an unencrypted default.

use crate::model::{Hit, Mode, Resource};
use crate::rules::{ENC_DISABLED, ENC_EMPTY_KMS_KEY};
use crate::value::Node;
use guard_core::Severity;

/// (resource type, attribute, whether an absent attribute means unencrypted).
const FLAGS: &[(&str, &str, bool)] = &[
    ("aws_ebs_volume", "encrypted", true),
    ("aws_efs_file_system", "encrypted", true),
    ("aws_db_instance", "storage_encrypted", true),
    ("aws_rds_cluster", "storage_encrypted", true),
    ("aws_docdb_cluster", "storage_encrypted", true),
    ("aws_neptune_cluster", "storage_encrypted", true),
    ("aws_redshift_cluster", "encrypted", true),
    (
        "aws_elasticache_replication_group",
        "at_rest_encryption_enabled",
        false,
    ),
    ("aws_ebs_encryption_by_default", "enabled", false),
    ("aws_launch_configuration", "encrypted", false),
    ("aws_instance", "encrypted", false),
];

pub fn check(r: &Resource, hits: &mut Vec<Hit>) {
    if r.mode != Mode::Managed {
        return;
    }
    let v = &r.values;
    for (t, attr, absent_is_off) in FLAGS {
        if r.rtype != *t {
            continue;
        }
        match v.get(attr) {
            Some(n) if n.as_bool() == Some(false) => hits
                .push(Hit::new(&ENC_DISABLED, n.line, *attr, format!("`{attr} = false`")).over(n)),
            None if *absent_is_off
                && !r.via_module
                && !serverless_default_encrypted(r)
                && !has_kms_key(r) =>
            {
                hits.push(
                    Hit::new(
                        &ENC_DISABLED,
                        r.line,
                        *attr,
                        format!("`{attr}` not set (defaults to unencrypted)"),
                    )
                    .over(v),
                )
            }
            Some(n)
                if n.is_null()
                    && *absent_is_off
                    && r.change.is_some()
                    && !serverless_default_encrypted(r) =>
            {
                hits.push(Hit::new(
                    &ENC_DISABLED,
                    r.line,
                    *attr,
                    format!("`{attr}` not set (defaults to unencrypted)"),
                ))
            }
            _ => {}
        }
    }
    // Block devices of instances and launch templates.
    for dev in ["root_block_device", "ebs_block_device"] {
        for (i, b) in v.blocks(dev).into_iter().enumerate() {
            if let Some(n) = b.get("encrypted").filter(|n| n.as_bool() == Some(false)) {
                hits.push(
                    Hit::new(
                        &ENC_DISABLED,
                        n.line,
                        format!("{dev}[{i}].encrypted"),
                        format!("`{dev}.encrypted = false`"),
                    )
                    .over(n),
                );
            }
        }
    }
    if r.rtype == "aws_dynamodb_table" {
        let sse = v.blocks("server_side_encryption");
        match sse.first() {
            Some(b) => {
                if let Some(n) = b.get("enabled").filter(|n| n.as_bool() == Some(false)) {
                    hits.push(Hit::new(&ENC_DISABLED, n.line, "server_side_encryption", "`server_side_encryption.enabled = false` (AWS-owned key only)").over(n));
                }
            }
            None if r.change.is_none() => hits.push(
                Hit::new(&ENC_DISABLED, r.line, "server_side_encryption", "no `server_side_encryption` block: the table uses an AWS-owned key you cannot control or audit")
                    .over(v)
                    .severity(Severity::Low),
            ),
            None => {}
        }
    }
    for attr in ["kms_key_id", "kms_master_key_id", "kms_key_arn"] {
        if let Some(n) = v
            .get(attr)
            .filter(|n| n.as_str().is_some_and(|s| s.trim().is_empty()))
        {
            hits.push(
                Hit::new(&ENC_EMPTY_KMS_KEY, n.line, attr, format!("`{attr} = \"\"`")).over(n),
            );
        }
    }
}

/// A customer key implies encryption at rest.
fn has_kms_key(r: &Resource) -> bool {
    r.values
        .get("kms_key_id")
        .is_some_and(|k| !k.is_null() && k.as_str() != Some(""))
}

/// Aurora Serverless v1 clusters are always encrypted.
fn serverless_default_encrypted(r: &Resource) -> bool {
    r.rtype == "aws_rds_cluster"
        && r.values.get("engine_mode").and_then(Node::as_str) == Some("serverless")
}
