//! Each layer's own subcommand (`guard infra`, `guard net`, `guard hook`, ...),
//! one module per layer. Report-producing commands go through
//! [`crate::run::run_layer`] so they share formats, config, baselines and exit codes.

pub mod hook;
pub mod infra;
pub mod init;
pub mod net;
pub mod net_capture;
pub mod owasp;
pub mod review;
pub mod stride;
