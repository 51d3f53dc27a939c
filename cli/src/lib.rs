//! The `guard` command: parses arguments, builds a context, runs layers,
//! prints reports. Exit codes: 0 clean, 1 findings at or above `--fail-on`,
//! 2 usage or input error, or a layer that did not complete.

mod args;
mod cmd;
mod info;
mod progress;
mod registry;
mod run;

use args::{Cli, ColorChoice, Command};
use clap::Parser;
use std::io::IsTerminal;
use std::process::ExitCode;

pub use registry::all_layers;

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose, cli.quiet);
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
        Command::Rules { layer, format } => info::rules(layer.as_deref(), format),
        Command::Explain { rule_id } => info::explain(&rule_id),
        Command::Schema { name } => info::schema(name.as_deref()),
        Command::Init(args) => cmd::init::run(args),
        Command::Hook(args) => return ExitCode::from(cmd::hook::run(args)),
        Command::Infra(args) => cmd::infra::run(args, color, cli.quiet),
        Command::Net(args) => cmd::net::run(args, color, cli.quiet),
        Command::Owasp(args) => cmd::owasp::run(args, color, cli.quiet),
        Command::Worker { layer } => {
            let code = guard_core::runner::worker_main(&all_layers(), &layer);
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
