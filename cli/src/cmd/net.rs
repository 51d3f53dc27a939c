//! `guard net profiles|allowlist|audit|audit-firewall`

use anyhow::{bail, Result};
use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct NetArgs {
    #[command(subcommand)]
    pub command: NetCommand,
}

#[derive(Debug, Subcommand)]
pub enum NetCommand {
    /// Audit a packet capture (pcap/pcapng) against a provider's allowlist.
    Audit(crate::cmd::net_capture::AuditArgs),
    /// Print what a capture holds (TLS SNI, QUIC SNI, DNS queries, HTTP hosts), one row per event.
    #[command(hide = true)]
    Extract(crate::cmd::net_capture::ExtractArgs),
}

pub fn run(args: NetArgs, color: bool, quiet: bool) -> Result<u8> {
    match args.command {
        NetCommand::Audit(a) => crate::cmd::net_capture::run_audit(a, color, quiet),
        NetCommand::Extract(a) => crate::cmd::net_capture::run_extract(a),
    }
}

#[allow(dead_code)]
fn unsupported() -> Result<u8> {
    bail!("not built yet")
}
