//! Layer 6, network: egress allowlists, firewall generation, capture and firewall audit.

pub mod allowlist;
pub mod capture;
pub mod config;
pub mod devcontainer;
pub mod firewall;
pub mod firewall_audit;
pub mod profiles;
pub mod rules;

pub use allowlist::{AllowCidr, AllowEntry, Allowlist, AllowlistError, AllowlistSpec};
pub use config::NetworkConfig;

use guard_core::walk::SourceFile;
use guard_core::{
    ConfigError, Context, Finding, InputKind, Layer, LayerError, LayerInfo, Location,
};
use std::path::PathBuf;

/// The network layer: audits firewall scripts, nftables and squid configs and
/// packet captures under the root against the egress allowlist.
///
/// ```
/// use guard_core::{Context, Layer};
/// let dir = tempfile::tempdir().unwrap();
/// let findings = guard_network::layer().run(&Context::new(dir.path())).unwrap();
/// assert!(findings.is_empty());
/// ```
pub struct NetworkLayer;

/// The layer, for `guard run` and for embedding.
pub fn layer() -> NetworkLayer {
    NetworkLayer
}

/// Whether a file found by the walk looks like an egress firewall or proxy config.
pub fn is_firewall_file(file: &SourceFile) -> bool {
    let name = file.file_name().to_ascii_lowercase();
    name.ends_with(".nft")
        || name == "squid.conf"
        || name.ends_with("-squid.conf")
        || (name.contains("firewall") && (name.ends_with(".sh") || name.ends_with(".bash")))
        || matches!(
            name.as_str(),
            "iptables.rules" | "ip6tables.rules" | "rules.v4" | "rules.v6"
        )
}

fn config(ctx: &Context) -> Result<NetworkConfig, ConfigError> {
    ctx.config().parse::<NetworkConfig>()
}

fn config_error(ctx: &Context, message: String) -> ConfigError {
    ConfigError::Invalid {
        path: ctx
            .config()
            .path
            .clone()
            .unwrap_or_else(|| guard_core::config::CONFIG_FILE.into()),
        message: format!("[layers.network]: {message}"),
    }
}

/// A capture error without its path (the layer error names the file).
fn capture_error_detail(e: &capture::CaptureError) -> String {
    match e {
        capture::CaptureError::Io { error, .. } => error.to_string(),
        capture::CaptureError::Format {
            offset, expected, ..
        } => format!("byte {offset}: expected {expected}"),
    }
}

impl NetworkLayer {
    /// Firewall files to audit: configured, named on the command line
    /// (`--input firewall=PATH`), and found by the walk.
    fn firewall_files(&self, ctx: &Context, cfg: &NetworkConfig) -> Vec<(PathBuf, String, bool)> {
        let mut out: Vec<(PathBuf, String, bool)> = Vec::new();
        let named = cfg
            .firewalls
            .iter()
            .map(|p| ctx.config_path(p))
            .chain(ctx.inputs("firewall").iter().cloned());
        for p in named {
            let d = ctx.display_path(&p);
            if !out.iter().any(|o| o.0 == p) {
                out.push((p, d, true));
            }
        }
        for f in ctx.files().files.iter().filter(|f| is_firewall_file(f)) {
            if !out.iter().any(|o| o.0 == f.abs_path || o.1 == f.rel_path) {
                out.push((f.abs_path.clone(), f.rel_path.clone(), false));
            }
        }
        out
    }

    fn captures(&self, ctx: &Context, cfg: &NetworkConfig) -> Vec<PathBuf> {
        // Paths in guard.toml are relative to the folder of that guard.toml.
        let mut out: Vec<PathBuf> = cfg.captures.iter().map(|p| ctx.config_path(p)).collect();
        for p in ctx.inputs("capture") {
            if !out.contains(p) {
                out.push(p.clone());
            }
        }
        out
    }
}

impl Layer for NetworkLayer {
    fn id(&self) -> &'static str {
        "network"
    }

    fn info(&self) -> LayerInfo {
        LayerInfo {
            id: "network",
            name: "Network",
            description: "egress allowlists per agent provider; audit of firewall scripts, nftables, squid and packet captures",
            rules: rules::RULES,
        }
    }

    fn input_kinds(&self) -> &'static [InputKind] {
        &[
            InputKind {
                kind: "capture",
                help: "packet capture (pcap/pcapng) audited against the allowlist [network]",
            },
            InputKind {
                kind: "firewall",
                help: "firewall script, iptables-save file, nftables ruleset or squid.conf to audit [network]",
            },
        ]
    }

    fn check_config(&self, ctx: &Context) -> Result<(), ConfigError> {
        let cfg = config(ctx)?;
        Allowlist::build(&cfg.spec()).map_err(|e| config_error(ctx, e.to_string()))?;
        Ok(())
    }

    fn applies(&self, ctx: &Context) -> Result<(), String> {
        let cfg = config(ctx).map_err(|e| e.to_string())?;
        if !self.captures(ctx, &cfg).is_empty()
            || !self.firewall_files(ctx, &cfg).is_empty()
            || ctx
                .files()
                .files
                .iter()
                .any(|f| devcontainer::is_devcontainer(f.file_name()))
        {
            return Ok(());
        }
        Err("nothing to audit: no captures or firewalls in [layers.network] and no firewall file (*firewall*.sh, *.nft, squid.conf, rules.v4) or devcontainer.json in the tree".into())
    }

    fn run(&self, ctx: &Context) -> Result<Vec<Finding>, LayerError> {
        let cfg = config(ctx)?;
        let allow = Allowlist::build(&cfg.spec())
            .map_err(|e| LayerError::Config(config_error(ctx, e.to_string())))?;
        let mut findings = Vec::new();
        for (path, shown, named) in self.firewall_files(ctx, &cfg) {
            ctx.check()?;
            if named && !path.exists() {
                return Err(LayerError::input(shown, "firewall file does not exist"));
            }
            match firewall_audit::audit_file(&path, &shown, Some(&allow)) {
                Ok(f) => findings.extend(f),
                // A file that cannot be read is an input error (exit 2), as in
                // the walk; the others are still audited.
                Err(firewall_audit::AuditError::Read { path, message }) => {
                    ctx.record_problems(
                        vec![guard_core::walk::InputError {
                            path,
                            message: format!("cannot read: {message}"),
                        }],
                        Vec::new(),
                    );
                }
                // Text that is truncated or does not parse is a finding at its place.
                Err(e) => {
                    let line = match &e {
                        firewall_audit::AuditError::Syntax { line, .. } => *line,
                        _ => 1,
                    };
                    findings.push(
                        Finding::new(&rules::NET_FW_016, e.to_string())
                            .at(Location::line(shown, line)),
                    );
                }
            }
        }
        for f in ctx
            .files()
            .files
            .iter()
            .filter(|f| devcontainer::is_devcontainer(f.file_name()))
        {
            ctx.check()?;
            // A file that cannot be read is reported by the context: an input
            // error when unreadable, skipped (named) when binary or not text.
            if let Ok(text) = ctx.read_text(f) {
                findings.extend(devcontainer::audit(&f.rel_path, &text, &allow));
            }
        }
        for path in self.captures(ctx, &cfg) {
            ctx.check()?;
            let shown = ctx.display_path(&path);
            let mut summary = capture::scan(&path, &capture::ScanOptions::default())
                .map_err(|e| LayerError::input(shown.clone(), capture_error_detail(&e)))?;
            // Findings name the capture relative to the scanned root.
            summary.path = shown;
            findings.extend(capture::audit::audit(&summary, &allow).findings);
        }
        Ok(findings)
    }
}
