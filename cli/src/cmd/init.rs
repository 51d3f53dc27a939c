//! `guard init [PATH] --agent claude`: the managed CLAUDE.md block, deny/ask
//! rules and the PreToolUse hook in `.claude/settings.json`, a starter guard.toml.

use anyhow::{bail, Context as _, Result};
use clap::{Args, ValueEnum};
use guard_agent_policy::init::{self, HookSpec, InitOptions};
use guard_agent_policy::PolicyConfig;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Agent {
    Claude,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Project directory.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Agent to configure.
    #[arg(long, value_enum, default_value_t = Agent::Claude)]
    pub agent: Agent,
    /// Print the changes as a unified diff and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Like --dry-run, and exit 1 when anything would change (for CI).
    #[arg(long, conflicts_with = "dry_run")]
    pub check: bool,
    /// Command Claude Code runs for the PreToolUse hook.
    #[arg(long, value_name = "CMD", default_value = "guard hook claude")]
    pub hook_command: String,
    /// Hook timeout, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=600))]
    pub hook_timeout: u32,
    /// Config file [default: nearest guard.toml from PATH upwards].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

pub fn run(args: InitArgs) -> Result<u8> {
    let Agent::Claude = args.agent;
    let root = &args.path;
    if !root.is_dir() {
        bail!("{}: not a directory", root.display());
    }
    if args.hook_command.trim().is_empty() {
        bail!("--hook-command is empty");
    }
    let loaded = crate::run::load_config(args.config.as_deref(), root)?;
    let policy: PolicyConfig = loaded.layer("agent-policy").parse()?;
    policy
        .validate()
        .map_err(|e| anyhow::anyhow!("{}: {e}", loaded.display_path()))?;
    let rules = policy.effective_rules();

    let options = InitOptions {
        hook: HookSpec {
            command: args.hook_command.clone(),
            timeout_secs: args.hook_timeout,
        },
        // A guard.toml further up (a monorepo root) already governs this directory.
        write_config: loaded.path.is_none(),
        infra_rules: init::claude_md::infra_prohibitions(),
    };
    let plan = init::plan_init(root, &rules, &options)?;

    if args.dry_run || args.check {
        crate::out::print(&plan.diff())?;
        if plan.is_empty() {
            eprintln!("guard init: everything is up to date");
        }
        return Ok(u8::from(args.check && !plan.is_empty()));
    }
    init::apply(&plan).context("guard init")?;
    for f in &plan.files {
        let verb = if f.before.is_some() {
            "updated"
        } else {
            "created"
        };
        crate::out::println(&format!("{verb} {}", f.path))?;
    }
    for p in &plan.unchanged {
        crate::out::println(&format!("unchanged {p}"))?;
    }
    // The hook only works if Claude Code can start this command.
    eprintln!(
        "registered PreToolUse hook command: `{}` (Claude Code runs it for every tool call; \
         it must be on PATH, e.g. `cargo install --locked --path cli`, or pass --hook-command with an absolute path)",
        args.hook_command
    );
    warn_remaining(root, &rules);
    Ok(0)
}

/// guard init keeps the user's own entries; say which of them still weaken
/// the setup (bypass mode, broad allows, a hook that cannot start, ...).
fn warn_remaining(root: &std::path::Path, rules: &[guard_agent_policy::EffectiveRule]) {
    let ctx = guard_core::Context::new(root);
    let findings = match guard_agent_policy::audit::audit(&ctx, rules) {
        Ok(f) => f,
        Err(e) => {
            tracing::warn!("could not audit the result: {e}");
            return;
        }
    };
    for f in findings
        .iter()
        .filter(|f| f.severity >= guard_core::Severity::High)
    {
        let place = f
            .location
            .as_ref()
            .map(|l| format!("{}:{}", l.path, l.start_line))
            .or_else(|| f.resource.clone())
            .unwrap_or_default();
        tracing::warn!("{} {place}: {}", f.rule_id, f.message);
    }
    if findings.iter().any(|f| f.rule_id == "AGENT-AUDIT-022") {
        tracing::warn!(
            "pass --hook-command with an absolute path if guard is not on Claude Code's PATH"
        );
    }
}
