//! `guard init [--agent claude]`

use anyhow::{bail, Result};
use clap::Args;

#[derive(Debug, Args)]
pub struct InitArgs {}

pub fn run(_args: InitArgs) -> Result<u8> {
    bail!("guard init is under construction")
}
