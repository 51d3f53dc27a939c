//! Data-loss settings: force_destroy, deletion protection, final snapshots,
//! backups.

use crate::model::{Hit, Mode, Resource};
use crate::rules::*;
use crate::value::Node;

const PROTECTION_ATTRS: &[&str] = &[
    "deletion_protection",
    "enable_deletion_protection",
    "deletion_protection_enabled",
];

fn is_true(n: &Node) -> bool {
    n.as_bool() == Some(true)
}
fn is_false(n: &Node) -> bool {
    n.as_bool() == Some(false)
}

pub fn check(r: &Resource, hits: &mut Vec<Hit>) {
    if r.mode != Mode::Managed {
        return;
    }
    let v = &r.values;
    if let Some(n) = v.get("force_destroy").filter(|n| is_true(n)) {
        hits.push(
            Hit::new(
                &DATA_FORCE_DESTROY,
                n.line,
                "force_destroy",
                "`force_destroy = true`: destroying this resource deletes its contents too",
            )
            .over(n),
        );
    }
    for attr in PROTECTION_ATTRS {
        if super::table::covers(&r.rtype, attr) {
            continue;
        }
        if let Some(n) = v.get(attr) {
            if is_false(n) {
                hits.push(
                    Hit::new(
                        &DATA_DELETION_PROTECTION_OFF,
                        n.line,
                        *attr,
                        format!("`{attr} = false`"),
                    )
                    .over(n),
                );
            }
        }
    }
    if let Some(n) = v.get("skip_final_snapshot").filter(|n| is_true(n)) {
        hits.push(
            Hit::new(
                &DATA_SKIP_FINAL_SNAPSHOT,
                n.line,
                "skip_final_snapshot",
                "`skip_final_snapshot = true`: no snapshot is taken when the database is deleted",
            )
            .over(n),
        );
    }
    if let Some(n) = v
        .get("backup_retention_period")
        .filter(|n| n.as_f64() == Some(0.0))
        .filter(|_| !super::table::covers(&r.rtype, "backup_retention_period"))
    {
        hits.push(
            Hit::new(
                &DATA_BACKUP_DISABLED,
                n.line,
                "backup_retention_period",
                "`backup_retention_period = 0` disables automated backups",
            )
            .over(n),
        );
    }
}
