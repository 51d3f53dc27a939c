//! `guard infra PLAN.json|DIR|POLICY.json...`

use crate::args::ReportArgs;
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct InfraArgs {
    /// Plan JSON files, .tf directories or IAM policy JSON files.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub report: ReportArgs,
}

pub fn run(args: InfraArgs, color: bool, quiet: bool) -> Result<u8> {
    let inputs = args
        .paths
        .iter()
        .map(|p| ("infra".to_string(), p.clone()))
        .collect();
    crate::run::run_layer(
        "infra",
        PathBuf::from("."),
        inputs,
        args.report,
        color,
        quiet,
    )
}
