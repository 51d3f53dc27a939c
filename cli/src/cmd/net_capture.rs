//! `guard net audit CAPTURE` and the hidden `guard net extract CAPTURE`.

use anyhow::{bail, Result};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// pcap or pcapng file.
    pub capture: PathBuf,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// pcap or pcapng file.
    pub capture: PathBuf,
}

pub fn run_audit(_args: AuditArgs, _color: bool, _quiet: bool) -> Result<u8> {
    bail!("guard net audit is under construction")
}

pub fn run_extract(_args: ExtractArgs) -> Result<u8> {
    bail!("guard net extract is under construction")
}
