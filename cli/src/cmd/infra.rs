//! `guard infra PLAN.json|DIR|POLICY.json...`

use crate::args::ReportArgs;
use anyhow::{bail, Result};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct InfraArgs {
    /// Plan JSON (or binary plan) files, .tf directories, .tf files or IAM policy JSON files.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Report risks a plan does not change (pre-existing) at their own severity instead of Info.
    #[arg(long)]
    pub all: bool,
    /// Variable file (.tfvars or .tfvars.json) applied after the directory's own
    /// terraform.tfvars and *.auto.tfvars, as `terraform plan -var-file` (repeatable, in order).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    #[command(flatten)]
    pub report: ReportArgs,
}

pub fn run(args: InfraArgs, color: bool, quiet: bool) -> Result<u8> {
    for p in args.paths.iter().chain(&args.var_files) {
        if !p.exists() {
            bail!("{}: no such file or directory", p.display());
        }
    }
    // Named paths are inputs; the layer reads exactly those (a directory is
    // walked itself), so the current directory is the root for config
    // discovery and inline-ignore lookups but is not walked.
    // Paths under the current directory are made relative so findings name
    // them that way and inline ignores can be looked up.
    let cwd = std::env::current_dir().ok();
    let mut inputs: Vec<(String, PathBuf)> = args
        .paths
        .iter()
        .map(|p| {
            let rel = cwd
                .as_deref()
                .and_then(|c| p.strip_prefix(c).ok())
                .filter(|r| !r.as_os_str().is_empty())
                .map(PathBuf::from)
                .unwrap_or_else(|| p.clone());
            ("infra".to_string(), rel)
        })
        .collect();
    for v in &args.var_files {
        inputs.push((guard_infra::VAR_FILE_KIND.to_string(), v.clone()));
    }
    if args.all {
        inputs.push((guard_infra::ALL_FLAG_KIND.to_string(), PathBuf::from(".")));
    }
    crate::run::run_layer(
        "infra",
        PathBuf::from("."),
        inputs,
        args.report,
        color,
        quiet,
    )
}
