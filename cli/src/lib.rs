//! The `guard` command: parses arguments, builds a context, runs layers,
//! prints reports. Exit codes: 0 clean, 1 findings at or above `--fail-on`,
//! 2 usage or input error, or a layer that did not complete.

mod args;
mod cmd;
mod info;
mod out;
mod plugins;
mod progress;
mod registry;
mod run;

use args::{Cli, ColorChoice, Command};
use clap::{CommandFactory, FromArgMatches};
use std::io::IsTerminal;
use std::process::ExitCode;

pub use registry::all_layers;

pub fn main() -> ExitCode {
    // `guard hook AGENT` runs before every tool call of an agent: answer it
    // without building the whole command line (most of a typical call's time).
    if let Some(agent) = hook_agent(std::env::args_os()) {
        return ExitCode::from(cmd::hook::run(cmd::hook::HookArgs { agent }));
    }
    let cli = parse_args();
    init_logging(cli.verbose, cli.quiet);
    plugins::set_flags(plugins::PluginFlags {
        paths: cli.plugins.clone(),
        allow_repo: cli.allow_repo_plugins,
    });
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    let result = match cli.command {
        Command::Run(args) => run::run(args, color, cli.quiet),
        Command::Layers { format } => info::layers(format),
        Command::Rules { layer, format } => info::rules(layer.as_deref(), format, color),
        Command::Explain { rule_id } => info::explain(&rule_id, color),
        Command::Schema { name } => info::schema(name.as_deref()),
        Command::Init(args) => cmd::init::run(args),
        Command::Hook(args) => return ExitCode::from(cmd::hook::run(args)),
        Command::Infra(args) => cmd::infra::run(args, color, cli.quiet),
        Command::Net(args) => cmd::net::run(args, color, cli.quiet),
        Command::Owasp(args) => cmd::owasp::run(args, color, cli.quiet),
        Command::Review(args) => cmd::review::run(args, color, cli.quiet),
        Command::Stride(args) => cmd::stride::run(args, color, cli.quiet),
        Command::Worker {
            layer,
            plugin_spec,
            describe,
        } => {
            let code = plugins::worker(&layer, plugin_spec.as_deref(), describe);
            return ExitCode::from(code.clamp(0, 255) as u8);
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// The agent of exactly `guard hook AGENT` (no option anywhere); anything
/// else goes through the full parser.
fn hook_agent(mut args: impl Iterator<Item = std::ffi::OsString>) -> Option<String> {
    let _program = args.next()?;
    if args.next()? != "hook" {
        return None;
    }
    let agent = args.next()?.into_string().ok()?;
    (args.next().is_none() && !agent.starts_with('-')).then_some(agent)
}

/// The command line, with `guard run --input` listing the input kinds of the
/// compiled-in layers.
fn parse_args() -> Cli {
    let layers = all_layers();
    let kinds: Vec<(&str, &str)> = layers
        .iter()
        .flat_map(|l| l.input_kinds().iter().map(|k| (k.kind, k.help)))
        .collect();
    let names: Vec<&str> = kinds.iter().map(|(k, _)| *k).collect();
    let short = if names.is_empty() {
        "A named input for layers, KIND=PATH (repeatable); no layer of this build reads one"
            .to_string()
    } else {
        format!(
            "A named input for layers, KIND=PATH (repeatable); kinds: {}",
            names.join(", ")
        )
    };
    let mut long = format!("{short}\n\nKinds:");
    for (kind, help) in &kinds {
        long.push_str(&format!("\n  {kind:<9} {help}"));
    }
    long.push_str("\n\nAn unknown kind, or a kind whose layer is not selected, is an error.");
    let cmd = Cli::command().mut_subcommand("run", |run| {
        run.mut_arg("inputs", |a| a.help(short).long_help(long))
    });
    let matches = cmd.get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

fn init_logging(verbose: u8, quiet: bool) {
    use tracing_subscriber::EnvFilter;
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "debug",
        (false, _) => "trace",
    };
    let filter = EnvFilter::try_from_env("GUARD_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none())
        .without_time()
        .with_target(false)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::hook_agent;
    use std::ffi::OsString;

    fn args(a: &[&str]) -> impl Iterator<Item = OsString> {
        a.iter().map(OsString::from).collect::<Vec<_>>().into_iter()
    }

    #[test]
    fn only_the_bare_hook_command_skips_the_parser() {
        assert_eq!(
            hook_agent(args(&["guard", "hook", "claude"])),
            Some("claude".into())
        );
        assert_eq!(hook_agent(args(&["guard", "hook", "--help"])), None);
        assert_eq!(hook_agent(args(&["guard", "hook"])), None);
        assert_eq!(hook_agent(args(&["guard", "-q", "hook", "claude"])), None);
        assert_eq!(hook_agent(args(&["guard", "hook", "claude", "x"])), None);
        assert_eq!(hook_agent(args(&["guard", "run", "hook"])), None);
    }
}
