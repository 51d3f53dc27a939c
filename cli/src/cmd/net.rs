//! `guard net allowlist|audit|audit-firewall|profiles`

use anyhow::{bail, Result};
use clap::Args;

#[derive(Debug, Args)]
pub struct NetArgs {}

pub fn run(_args: NetArgs, _color: bool, _quiet: bool) -> Result<u8> {
    bail!("guard net is under construction")
}
