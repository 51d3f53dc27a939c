//! Encryption settings the resource table does not express: block devices
//! of instances and launch templates, empty KMS key ids.

use crate::model::{Hit, Mode, Resource};
use crate::rules::{ENC_DISABLED, ENC_EMPTY_KMS_KEY};

pub fn check(r: &Resource, hits: &mut Vec<Hit>) {
    if r.mode != Mode::Managed {
        return;
    }
    let v = &r.values;
    // Block devices of instances and launch templates.
    for dev in ["root_block_device", "ebs_block_device"] {
        // The resource table judges these root volumes, unset included.
        if dev == "root_block_device"
            && matches!(
                r.rtype.as_str(),
                "aws_instance" | "aws_launch_configuration"
            )
        {
            continue;
        }
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
