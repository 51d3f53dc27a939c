//! The rules over one resource. Every check reads the normalised model, so it
//! works on HCL and plan values alike.

mod companions;
mod data;
mod encryption;
mod exposure;
mod hygiene;
mod network;
mod policy;
pub mod table;
mod unresolved;

use crate::model::{Hit, Resource};
use std::collections::HashSet;

/// What checks may need beyond the resource itself.
#[derive(Debug, Default)]
pub struct Env {
    /// Values come from a plan (unknown means "known after apply").
    pub plan: bool,
    /// Addresses of policy documents checked on their own (data sources),
    /// so a reference to one counts as traced.
    pub known_docs: HashSet<String>,
    /// Resources that carry settings of others (bucket versioning, ...).
    pub companions: Companions,
}

pub use companions::Companions;

/// terraform-aws-modules whose inputs mirror one resource type's attributes.
const MODULES: &[(&str, &str)] = &[
    ("terraform-aws-modules/s3-bucket/", "aws_s3_bucket"),
    ("terraform-aws-modules/alb/", "aws_lb"),
    ("terraform-aws-modules/rds/", "aws_db_instance"),
    (
        "terraform-aws-modules/security-group/",
        "aws_security_group",
    ),
];

pub fn check_resource(r: &Resource, env: &Env) -> Vec<Hit> {
    if r.mode == crate::model::Mode::Module {
        let source = r
            .values
            .get("source")
            .and_then(|s| s.as_str())
            .unwrap_or("");
        let mut hits = Vec::new();
        network::check(r, env, &mut hits);
        hygiene::check(r, &mut hits);
        if let Some((_, t)) = MODULES.iter().find(|(prefix, _)| source.contains(prefix)) {
            let mut as_resource = r.clone();
            as_resource.mode = crate::model::Mode::Managed;
            as_resource.rtype = t.to_string();
            as_resource.via_module = true;
            hits.extend(check_resource(&as_resource, env));
        }
        return hits;
    }
    if r.rtype == "terraform_data" {
        return terraform_data(r, env);
    }
    let mut hits = Vec::new();
    policy::check(r, env, &mut hits);
    network::check(r, env, &mut hits);
    data::check(r, &mut hits);
    encryption::check(r, &mut hits);
    table::check(r, &mut hits);
    if env.companions.ebs_encrypted_by_default() {
        // Root volumes left to the AMI are encrypted by the account default.
        hits.retain(|h| !(h.unset && h.key == "root_block_device.encrypted"));
    }
    hygiene::check(r, &mut hits);
    companions::check(r, &env.companions, &mut hits);
    exposure::check(r, env, &mut hits);
    unresolved::check(r, &mut hits);
    hits
}

pub use policy::policy_attrs;

/// `terraform_data.input` carries values to other resources and
/// provisioners; an `<aws_type>__<name>` resource name says which type the
/// input stands for, otherwise the type-independent rules run on it.
fn terraform_data(r: &Resource, env: &Env) -> Vec<Hit> {
    let Some(input) = r
        .values
        .get("input")
        .filter(|i| matches!(i.v, crate::value::V::Obj(_)))
    else {
        return Vec::new();
    };
    let mut as_resource = r.clone();
    as_resource.values = input.clone();
    as_resource.rtype = match r.name.split_once("__") {
        Some((t, _)) if t.starts_with("aws_") => t.to_string(),
        _ => policy::GENERIC_INPUT.to_string(),
    };
    as_resource.configured = None;
    let mut hits = check_resource(&as_resource, env);
    for h in &mut hits {
        h.message.push_str(" (in `terraform_data` input)");
        h.key = format!("input.{}", h.key);
    }
    hits
}
