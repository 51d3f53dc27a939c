//! Plan semantics: the rules run on `after`, and what was already true of
//! `before` is pre-existing (Info unless asked for `all`); deletes and
//! replacements of stateful resources, removed encryption and removed
//! CloudFront origin access are judged from the change itself.

use crate::checks::{self, Env};
use crate::model::{Hit, Mode, Resource};
use crate::plan::{strip_index, Plan};
use crate::rules::*;
use crate::value::{Node, V};
use guard_core::Severity;
use std::collections::HashSet;

/// Types whose destruction loses data.
const STATEFUL: &[&str] = &[
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_rds_cluster_instance",
    "aws_rds_global_cluster",
    "aws_s3_bucket",
    "aws_dynamodb_table",
    "aws_dynamodb_global_table",
    "aws_efs_file_system",
    "aws_ebs_volume",
    "aws_ebs_snapshot",
    "aws_elasticache_cluster",
    "aws_elasticache_replication_group",
    "aws_memorydb_cluster",
    "aws_kms_key",
    "aws_kms_replica_key",
    "aws_redshift_cluster",
    "aws_docdb_cluster",
    "aws_neptune_cluster",
    "aws_opensearch_domain",
    "aws_elasticsearch_domain",
    "aws_fsx_lustre_file_system",
    "aws_fsx_windows_file_system",
    "aws_fsx_ontap_file_system",
    "aws_fsx_openzfs_file_system",
    "aws_backup_vault",
    "aws_glacier_vault",
    "aws_secretsmanager_secret",
    "aws_kinesis_stream",
    "aws_msk_cluster",
    "aws_qldb_ledger",
    "aws_timestreamwrite_table",
    "aws_ecr_repository",
    "aws_cloudwatch_log_group",
    "aws_route53_zone",
    "aws_sqs_queue",
    "aws_cognito_user_pool",
    "google_sql_database_instance",
    "google_storage_bucket",
    "google_bigquery_dataset",
    "google_bigquery_table",
    "google_kms_crypto_key",
    "azurerm_storage_account",
    "azurerm_mssql_database",
    "azurerm_postgresql_flexible_server",
    "azurerm_mysql_flexible_server",
    "azurerm_cosmosdb_account",
    "azurerm_key_vault",
];

pub fn is_stateful(rtype: &str) -> bool {
    STATEFUL.contains(&rtype)
}

/// A hit on a plan resource, with its address.
pub struct PlanHit {
    pub address: String,
    pub hit: Hit,
}

pub fn evaluate(plan: &Plan, all: bool) -> Vec<PlanHit> {
    let mut out = Vec::new();
    // Policy documents the plan can show: data sources read now or at apply.
    let mut env = Env {
        plan: true,
        known_docs: HashSet::new(),
        companions: checks::Companions::of(&plan.resources),
    };
    for r in plan.data_sources.iter().chain(plan.resources.iter()) {
        if r.mode == Mode::Data && r.rtype == "aws_iam_policy_document" {
            env.known_docs.insert(strip_index(&r.address));
        }
    }
    // Data sources read at plan time matter when a changing resource uses them.
    let used: HashSet<&str> = plan
        .resources
        .iter()
        .filter(|r| r.change.as_ref().is_some_and(|c| !c.is_noop()))
        .flat_map(|r| r.refs.iter().map(|(_, t)| t.as_str()))
        .collect();
    for d in &plan.data_sources {
        if used.contains(strip_index(&d.address).as_str()) {
            for hit in checks::check_resource(d, &env) {
                out.push(PlanHit {
                    address: d.address.clone(),
                    hit,
                });
            }
        }
    }
    for r in &plan.resources {
        let Some(c) = &r.change else {
            // State: everything already exists.
            for mut hit in checks::check_resource(r, &env) {
                if !all {
                    preexisting(&mut hit);
                }
                out.push(PlanHit {
                    address: r.address.clone(),
                    hit,
                });
            }
            continue;
        };
        if c.deletes() && r.mode == Mode::Managed {
            out.push(PlanHit {
                address: r.address.clone(),
                hit: destroy_hit(r),
            });
        }
        if r.values.is_null() || c.actions.iter().all(|a| a == "delete" || a == "forget") {
            continue;
        }
        let after_hits = checks::check_resource(r, &env);
        let before_keys: HashSet<(String, String)> = match &c.before {
            // Replacements too: the old object had the same risk.
            Some(before) => {
                let mut b = r.clone();
                b.values = before.clone();
                b.change = Some(Default::default());
                checks::check_resource(
                    &b,
                    &Env {
                        plan: false,
                        known_docs: env.known_docs.clone(),
                        companions: env.companions.clone(),
                    },
                )
                .into_iter()
                .map(|h| (h.rule.id.to_string(), h.key))
                .collect()
            }
            None => HashSet::new(),
        };
        for mut hit in after_hits {
            let existed = before_keys.contains(&(hit.rule.id.to_string(), hit.key.clone()));
            if (existed || c.is_noop()) && !all {
                preexisting(&mut hit);
            }
            out.push(PlanHit {
                address: r.address.clone(),
                hit,
            });
        }
        if let Some(before) = &c.before {
            if c.actions.iter().any(|a| a == "update") {
                for hit in diff_hits(r, before) {
                    out.push(PlanHit {
                        address: r.address.clone(),
                        hit,
                    });
                }
            }
        }
    }
    out
}

fn preexisting(hit: &mut Hit) {
    hit.severity = Some(Severity::Info);
    hit.message
        .push_str(" (already present before this change)");
}

fn destroy_hit(r: &Resource) -> Hit {
    let Some(c) = &r.change else {
        return Hit::new(&DATA_STATEFUL_DESTROYED, 0, "destroy", "destroyed");
    };
    let verb = if c.creates() { "replaces" } else { "deletes" };
    let mut msg = format!("plan {verb} `{}` ({})", r.address, c.actions.join(", "));
    if let Some(reason) = &c.action_reason {
        msg.push_str(&format!("; reason: {reason}"));
    }
    if !c.replace_paths.is_empty() {
        msg.push_str(&format!("; forced by: {}", c.replace_paths.join(", ")));
    }
    let hit = Hit::new(&DATA_STATEFUL_DESTROYED, 0, "destroy", msg);
    if is_stateful(&r.rtype) {
        hit
    } else {
        // Not known to hold data: shown, but not blocking.
        let mut h = hit.severity(Severity::Info);
        h.message.push_str(" (not a known stateful type)");
        h
    }
}

fn non_empty(n: Option<&Node>) -> bool {
    match n.map(|n| &n.v) {
        None | Some(V::Null) => false,
        Some(V::Str(s)) => !s.is_empty(),
        Some(V::List(xs)) => !xs.is_empty(),
        Some(V::Obj(fs)) => !fs.is_empty(),
        Some(_) => true,
    }
}

/// Before → after comparisons that only a change can show.
/// Used for plans and for HCL against its base revision; hits cover the
/// resource (no lines in plans).
pub fn diff_hits(r: &Resource, before: &Node) -> Vec<Hit> {
    let mut out = Vec::new();
    let after = &r.values;
    for attr in [
        "server_side_encryption_configuration",
        "server_side_encryption",
        "encryption_configuration",
        "encrypt_at_rest",
        "kms_key_id",
        "kms_master_key_id",
    ] {
        let a = after.get(attr);
        if a.is_some_and(|n| n.is_unknown()) {
            continue;
        }
        if non_empty(before.get(attr)) && !non_empty(a) {
            out.push(
                Hit::new(
                    &ENC_REMOVED,
                    0,
                    attr,
                    format!("`{attr}` is removed by this update"),
                )
                .over(after),
            );
        }
    }
    if r.rtype == "aws_cloudfront_distribution" {
        for o in before.blocks("origin") {
            let id = o.get("origin_id").and_then(Node::as_str).unwrap_or("");
            let had_oac = non_empty(o.get("origin_access_control_id"));
            let had_oai = o
                .blocks("s3_origin_config")
                .iter()
                .any(|s| non_empty(s.get("origin_access_identity")));
            if !had_oac && !had_oai {
                continue;
            }
            let now = after
                .blocks("origin")
                .into_iter()
                .find(|a| a.get("origin_id").and_then(Node::as_str).unwrap_or("") == id);
            let Some(now) = now else { continue };
            let unknown = now
                .get("origin_access_control_id")
                .is_some_and(Node::is_unknown);
            let has_oac = non_empty(now.get("origin_access_control_id"));
            let has_oai = now.blocks("s3_origin_config").iter().any(|s| {
                non_empty(s.get("origin_access_identity"))
                    || s.get("origin_access_identity")
                        .is_some_and(Node::is_unknown)
            });
            if !unknown && !has_oac && !has_oai {
                let what = if had_oac {
                    "origin access control"
                } else {
                    "origin access identity"
                };
                out.push(
                    Hit::new(
                        &EXP_CLOUDFRONT_OAC_REMOVED,
                        0,
                        format!("origin:{id}"),
                        format!("{what} removed from origin `{id}`"),
                    )
                    .over(now),
                );
            }
        }
    }
    out
}
