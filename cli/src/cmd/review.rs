//! `guard review [PATH] [--staged | --diff A..B | --patch FILE | -]
//! [--reviewer bug,security] [--context N]
//! [--llm claude-cli|anthropic|bedrock|openai-compatible [--llm-model M] [--llm-endpoint URL]]`

use crate::args::{ReportArgs, RunArgs};
use anyhow::{bail, Result};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Repository (or folder) the change applies to; `-` reads a unified diff
    /// from standard input and reviews it against the current folder.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Review the staged change (git diff --cached).
    #[arg(long, conflicts_with_all = ["diff", "patch"])]
    pub staged: bool,
    /// Review a revision range, e.g. main..HEAD.
    #[arg(long, value_name = "A..B", conflicts_with = "patch")]
    pub diff: Option<String>,
    /// Review a unified diff file (`-`: standard input).
    #[arg(long, value_name = "FILE")]
    pub patch: Option<PathBuf>,
    /// Reviewers to run, comma separated: bug, security, performance, quality
    /// [default: all, or [layers.review] reviewers].
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub reviewer: Vec<String>,
    /// Also report findings up to N lines away from an added line.
    #[arg(long, value_name = "N")]
    pub context: Option<u32>,
    /// Also run the LLM reviewers on this backend: claude-cli, anthropic,
    /// bedrock or openai-compatible [default: off, or [layers.review.llm] backend].
    #[arg(long, value_name = "BACKEND")]
    pub llm: Option<String>,
    /// Model for the LLM reviewers (required for bedrock and openai-compatible).
    #[arg(long, value_name = "M")]
    pub llm_model: Option<String>,
    /// Base URL of the LLM backend, e.g. http://127.0.0.1:11434/v1.
    #[arg(long, value_name = "URL")]
    pub llm_endpoint: Option<String>,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Without a change option, the working tree's changes against HEAD.
pub fn run(args: ReviewArgs, color: bool, quiet: bool) -> Result<u8> {
    let (path, mut patch) = if args.path.as_os_str() == "-" {
        (PathBuf::from("."), Some(PathBuf::from("-")))
    } else {
        (args.path, None)
    };
    if patch.is_some() && (args.staged || args.diff.is_some() || args.patch.is_some()) {
        bail!("`-` (a diff on standard input) cannot be combined with --staged, --diff or --patch");
    }
    if args.patch.is_some() {
        patch = args.patch;
    }
    let diff = match (&args.diff, args.staged, &patch) {
        (None, false, None) => Some("HEAD".to_string()),
        _ => args.diff,
    };
    let mut inputs = Vec::new();
    let reviewers: Vec<String> = args
        .reviewer
        .iter()
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .collect();
    if !reviewers.is_empty() {
        for r in &reviewers {
            if !guard_review::reviewers::BUILTIN.contains(&r.as_str()) {
                bail!(
                    "unknown reviewer `{r}` in --reviewer (known: {})",
                    guard_review::reviewers::BUILTIN.join(", ")
                );
            }
        }
        inputs.push((
            guard_review::REVIEWERS_FLAG.to_string(),
            PathBuf::from(reviewers.join(",")),
        ));
    }
    if let Some(b) = &args.llm {
        if let Err(m) = b.parse::<guard_review::guard_llm::BackendKind>() {
            bail!("--llm: {m}");
        }
    }
    for (flag, value) in [
        (guard_review::LLM_FLAG, &args.llm),
        (guard_review::LLM_MODEL_FLAG, &args.llm_model),
        (guard_review::LLM_ENDPOINT_FLAG, &args.llm_endpoint),
    ] {
        if let Some(v) = value {
            inputs.push((flag.to_string(), PathBuf::from(v)));
        }
    }
    if let Some(n) = args.context {
        inputs.push((
            guard_review::CONTEXT_FLAG.to_string(),
            PathBuf::from(n.to_string()),
        ));
    }
    crate::run::run_with(
        RunArgs {
            path,
            layers: vec![guard_review::LAYER_ID.to_string()],
            staged: args.staged,
            diff,
            patch,
            inputs,
            include_existing: false,
            report: args.report,
        },
        color,
        quiet,
        None,
    )
}
