//! The rules over one resource. Every check reads the normalised model, so it
//! works on HCL and plan values alike.

mod data;
mod encryption;
mod exposure;
mod network;
mod policy;

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
}

pub fn check_resource(r: &Resource, env: &Env) -> Vec<Hit> {
    let mut hits = Vec::new();
    policy::check(r, env, &mut hits);
    network::check(r, env, &mut hits);
    data::check(r, &mut hits);
    encryption::check(r, &mut hits);
    exposure::check(r, env, &mut hits);
    hits
}

pub use policy::policy_attrs;
