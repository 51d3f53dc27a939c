//! `guard owasp [PATH] [--staged|--diff A..B|--patch FILE] [--fix-diff]
//! [--history [--max-commits N]]`

use crate::args::{ReportArgs, RunArgs};
use anyhow::{Context as _, Result};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct OwaspArgs {
    /// Directory or file to check.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Review the staged change (git diff --cached): findings on changed lines only.
    #[arg(long, conflicts_with_all = ["diff", "patch"])]
    pub staged: bool,
    /// Review a revision range, e.g. main..HEAD.
    #[arg(long, value_name = "A..B", conflicts_with = "patch")]
    pub diff: Option<String>,
    /// Review a unified diff file.
    #[arg(long, value_name = "FILE")]
    pub patch: Option<PathBuf>,
    /// Print safe mechanical fixes as a unified diff (files are never written).
    #[arg(long, conflicts_with_all = ["staged", "diff", "patch"])]
    pub fix_diff: bool,
    /// Also scan the git history (every commit reachable from HEAD) for secrets.
    #[arg(long, conflicts_with_all = ["staged", "diff", "patch", "fix_diff"])]
    pub history: bool,
    /// With --history: scan at most the N newest commits [default: 10000, or guard.toml].
    #[arg(long, value_name = "N", requires = "history", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_commits: Option<u64>,
    #[command(flatten)]
    pub report: ReportArgs,
}

pub fn run(args: OwaspArgs, color: bool, quiet: bool) -> Result<u8> {
    if args.fix_diff {
        return fix_diff(&args.path);
    }
    if args.history {
        let mut inputs = Vec::new();
        // Said before anything runs: a history scan needs a repository.
        guard_owasp::secrets::history::work_dir(&args.path)
            .map_err(|e| anyhow::anyhow!("--history: {e}"))?;
        inputs.push((
            guard_owasp::scan::HISTORY_FLAG.to_string(),
            args.path.clone(),
        ));
        if let Some(n) = args.max_commits {
            inputs.push((
                guard_owasp::scan::MAX_COMMITS_FLAG.to_string(),
                PathBuf::from(n.to_string()),
            ));
        }
        // --history excludes a change set: the whole tree and its history.
        return crate::run::run_layer(
            guard_owasp::LAYER_ID,
            args.path,
            inputs,
            args.report,
            color,
            quiet,
        );
    }
    crate::run::run(
        RunArgs {
            path: args.path,
            layers: vec![guard_owasp::LAYER_ID.to_string()],
            staged: args.staged,
            diff: args.diff,
            patch: args.patch,
            include_existing: false,
            inputs: vec![],
            report: args.report,
        },
        color,
        quiet,
    )
}

fn fix_diff(root: &std::path::Path) -> Result<u8> {
    let meta =
        std::fs::metadata(root).with_context(|| format!("{}: cannot read PATH", root.display()))?;
    let files: Vec<(String, PathBuf)> = if meta.is_file() {
        vec![(root.display().to_string(), root.to_path_buf())]
    } else {
        let set = guard_core::walk::walk(root, &guard_core::walk::WalkOptions::default());
        set.files
            .into_iter()
            .map(|f| (f.rel_path, f.abs_path))
            .collect()
    };
    let mut out = String::new();
    for (rel, abs) in files {
        if guard_owasp::engine::Lang::from_path(&rel).is_none() {
            continue;
        }
        let bytes = std::fs::read(&abs).with_context(|| format!("{rel}: cannot read"))?;
        let Ok(text) = guard_core::walk::decode_text(&rel, &bytes) else {
            continue;
        };
        if let Some(d) = guard_owasp::fix::fix_diff(&rel, &text) {
            out.push_str(&d);
        }
    }
    print!("{out}");
    if out.is_empty() {
        eprintln!("guard owasp: no mechanical fix applies");
    }
    Ok(0)
}
