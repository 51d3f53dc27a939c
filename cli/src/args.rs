//! Command-line grammar.

use clap::{Args, Parser, Subcommand, ValueEnum};
use guard_core::Severity;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "guard",
    version,
    about = "Layered security guardrails around AI coding agents",
    long_about = None,
    propagate_version = true
)]
pub struct Cli {
    /// More logs on stderr (-v debug, -vv trace). GUARD_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Only errors on stderr.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Colour in text output. NO_COLOR is respected by `auto`.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// Load a plugin library as an extra layer (repeatable); it runs in a
    /// worker process. GUARD_PLUGIN_PATH adds more (`:`-separated).
    #[arg(long = "plugin", value_name = "PATH", global = true)]
    pub plugins: Vec<PathBuf>,
    /// Let a guard.toml inside the scanned repository load the plugins its
    /// [plugins] section names (loading a plugin runs its code).
    #[arg(long, global = true)]
    pub allow_repo_plugins: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IsolationArg {
    Thread,
    Process,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run layers over a path and report findings.
    Run(RunArgs),
    /// List the layers compiled into this binary.
    Layers {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// List rules, of every layer or of one.
    Rules {
        layer: Option<String>,
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Explain one rule: rationale, remediation, references.
    Explain { rule_id: String },
    /// Print a JSON Schema (finding, report, config, baseline, stride-model); no name lists them.
    Schema { name: Option<String> },
    /// Write guard.toml, the CLAUDE.md rules block and .claude/settings.json.
    Init(crate::cmd::init::InitArgs),
    /// Run as an agent hook (PreToolUse): tool call JSON on stdin, decision on stdout.
    Hook(crate::cmd::hook::HookArgs),
    /// Check Terraform plans, .tf directories and IAM policies.
    Infra(crate::cmd::infra::InfraArgs),
    /// Egress allowlists, firewall generation, capture and firewall audit.
    Net(crate::cmd::net::NetArgs),
    /// Check source code for OWASP Top 10 weaknesses (data flow from request to sink).
    Owasp(crate::cmd::owasp::OwaspArgs),
    /// Review a change (working tree, --staged, --diff A..B, --patch FILE or `-` for stdin).
    Review(crate::cmd::review::ReviewArgs),
    /// STRIDE threat model from a system model; verify, init, diff.
    Stride(crate::cmd::stride::StrideArgs),
    /// Internal: run one layer as an isolated worker (request JSON on stdin).
    #[command(name = "__layer", hide = true)]
    Worker {
        layer: String,
        /// The plugin to load in this worker (JSON).
        #[arg(long)]
        plugin_spec: Option<String>,
        /// Print the plugin's description instead of running it.
        #[arg(long, requires = "plugin_spec")]
        describe: bool,
    },
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Directory or file to check.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Run only this layer (repeatable).
    #[arg(long = "layer", value_name = "ID")]
    pub layers: Vec<String>,
    /// Review the staged change (git diff --cached).
    #[arg(long, conflicts_with_all = ["diff", "patch"])]
    pub staged: bool,
    /// Review a revision range, e.g. main..HEAD.
    #[arg(long, value_name = "A..B", conflicts_with = "patch")]
    pub diff: Option<String>,
    /// Review a unified diff file (`-`: read it from standard input).
    #[arg(long, value_name = "FILE")]
    pub patch: Option<PathBuf>,
    /// With --staged, --diff or --patch: report infra findings already present
    /// before the change too (by default only those the change introduces).
    #[arg(long)]
    pub include_existing: bool,
    /// A named input for layers, e.g. plan=tfplan.json (repeatable).
    #[arg(long = "input", value_name = "KIND=PATH", value_parser = parse_input)]
    pub inputs: Vec<(String, PathBuf)>,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Flags shared by `guard run` and every layer's own subcommand.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Lowest severity that makes the exit code 1 [default: high, or guard.toml].
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
    /// Report only findings whose fingerprints are not in this baseline.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the findings' fingerprints to FILE (then exit 0 unless a layer failed).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Config file [default: nearest guard.toml from PATH upwards].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = IsolationArg::Thread)]
    pub isolation: IsolationArg,
    /// Seconds each layer may take [default: 300, or guard.toml].
    #[arg(long, value_name = "S")]
    pub timeout: Option<f64>,
}

pub fn parse_input(s: &str) -> Result<(String, PathBuf), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() && !v.is_empty() => Ok((k.to_string(), PathBuf::from(v))),
        _ => Err(format!("expected KIND=PATH, got `{s}`")),
    }
}
