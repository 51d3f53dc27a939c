//! `guard net profiles|allowlist|audit|audit-firewall`

use crate::args::ReportArgs;
use anyhow::{bail, Context as _, Result};
use clap::{Args, Subcommand, ValueEnum};
use guard_core::Layer as _;
use guard_network::firewall::{self, Format as FwFormat};
use guard_network::firewall_audit;
use guard_network::profiles::{Profile, PROFILES, SOURCES_CHECKED};
use guard_network::{Allowlist, NetworkConfig};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, Args)]
pub struct NetArgs {
    #[command(subcommand)]
    pub command: NetCommand,
}

#[derive(Debug, Subcommand)]
pub enum NetCommand {
    /// List the provider profiles: hosts, groups, how to turn each off, sources.
    Profiles(ProfilesArgs),
    /// Print an egress allowlist as a domain list, JSON, firewall or proxy config.
    Allowlist(AllowlistArgs),
    /// Audit a firewall script (iptables/ip6tables/ipset), iptables-save file, nftables ruleset or squid.conf.
    AuditFirewall(AuditFirewallArgs),
    /// Audit a packet capture (pcap/pcapng) against a provider's allowlist.
    Audit(crate::cmd::net_capture::AuditArgs),
    /// Capture live on an interface (AF_PACKET, CAP_NET_RAW) for a while or while a
    /// command runs, auditing as packets arrive; the same report as `audit`.
    Capture(crate::cmd::net_capture::CaptureArgs),
    /// Print what a capture holds (TLS SNI, QUIC SNI, DNS queries, HTTP hosts), one row per event.
    #[command(hide = true)]
    Extract(crate::cmd::net_capture::ExtractArgs),
    /// Internal: scan a capture in a worker process (`net audit --isolation process`).
    #[command(name = "__scan", hide = true)]
    ScanWorker { capture: PathBuf },
}

pub fn run(args: NetArgs, color: bool, quiet: bool) -> Result<u8> {
    match args.command {
        NetCommand::Profiles(a) => run_profiles(a),
        NetCommand::Allowlist(a) => run_allowlist(a, quiet),
        NetCommand::AuditFirewall(a) => run_audit_firewall(a, color),
        NetCommand::Audit(a) => crate::cmd::net_capture::run_audit(a, color, quiet),
        NetCommand::Capture(a) => crate::cmd::net_capture::run_capture(a, color, quiet),
        NetCommand::Extract(a) => crate::cmd::net_capture::run_extract(a),
        NetCommand::ScanWorker { capture } => crate::cmd::net_capture::run_scan_worker(&capture),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProfilesFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ProfilesArgs {
    /// Only this provider.
    #[arg(long, value_name = "anthropic|bedrock|vertex|gateway")]
    pub provider: Option<String>,
    #[arg(long, value_enum, default_value_t = ProfilesFormat::Text)]
    pub format: ProfilesFormat,
}

/// The allowlist options shared by `allowlist`, `audit` and `audit-firewall`; unset
/// values come from `[layers.network]` in guard.toml.
#[derive(Debug, Clone, Args)]
pub struct PolicyArgs {
    /// Provider mode [default: guard.toml, else anthropic].
    #[arg(long, value_name = "anthropic|bedrock|vertex|gateway")]
    pub provider: Option<String>,
    /// Region (Bedrock: AWS region; Vertex: global, us, eu or a region).
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    /// IAM Identity Center region when it differs from --region (Bedrock).
    #[arg(long, value_name = "R")]
    pub sso_region: Option<String>,
    /// ANTHROPIC_BASE_URL of the gateway (with --provider gateway).
    #[arg(long, value_name = "URL")]
    pub gateway_url: Option<String>,
    /// Optional group to allow too (repeatable; `all` for every one; see `guard net profiles`).
    #[arg(long = "with", value_name = "GROUP")]
    pub groups: Vec<String>,
    /// Extra allowed domain (`host`, `*.suffix`, `.suffix`), IP or CIDR (repeatable).
    #[arg(long = "allow", value_name = "DOMAIN")]
    pub allow: Vec<String>,
    /// DNS resolver queries may go to (repeatable) [default: guard.toml; generated
    /// firewalls then read /etc/resolv.conf at each run, audits accept any].
    #[arg(long = "resolver", value_name = "IP")]
    pub resolvers: Vec<IpAddr>,
}

impl PolicyArgs {
    /// guard.toml's `[layers.network]` with the command line on top.
    pub fn network_config(&self, config: Option<&Path>) -> Result<NetworkConfig> {
        let loaded = crate::run::load_config(config, &PathBuf::from("."))?;
        let mut cfg: NetworkConfig = loaded.layer("network").parse()?;
        cfg.merge(NetworkConfig {
            provider: self.provider.clone(),
            region: self.region.clone(),
            sso_region: self.sso_region.clone(),
            gateway_url: self.gateway_url.clone(),
            groups: self.groups.clone(),
            extra_domains: self.allow.clone(),
            resolvers: self.resolvers.clone(),
            ..Default::default()
        });
        Ok(cfg)
    }

    pub fn allowlist(&self, config: Option<&Path>) -> Result<Allowlist> {
        Ok(Allowlist::build(&self.network_config(config)?.spec())?)
    }
}

#[derive(Debug, Args)]
pub struct AllowlistArgs {
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// domains | json | iptables | nftables | nftables-script | squid | squid-splice | aws-network-firewall
    #[arg(long, default_value = "domains", value_parser = parse_format)]
    pub format: FwFormat,
    /// Config file [default: nearest guard.toml from the current directory upwards].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

fn parse_format(s: &str) -> Result<FwFormat, String> {
    FwFormat::parse(s).ok_or_else(|| {
        let names: Vec<&str> = FwFormat::ALL.iter().map(|(n, _)| *n).collect();
        format!("unknown format `{s}`; expected one of {}", names.join(", "))
    })
}

fn run_allowlist(args: AllowlistArgs, quiet: bool) -> Result<u8> {
    let list = args.policy.allowlist(args.config.as_deref())?;
    // A static ruleset cannot read /etc/resolv.conf when it is loaded, and this
    // machine's resolvers are not necessarily those of the machine it is loaded
    // on: the resolvers must be named. The scripts read them at each run.
    if let Some(why) = firewall::missing_input(&list, args.format) {
        bail!("{why}");
    }
    // Said even with -q: the output enforces less than the allowlist names.
    for w in firewall::warnings(&list, args.format) {
        eprintln!("warning: {w}");
    }
    crate::out::print(&firewall::generate(&list, args.format))?;
    // Hosts a provider mode still reaches (e.g. the WebFetch preflight) go to
    // stderr so the output stays usable as written.
    if !quiet {
        let enabled = |n: &str| {
            list.groups()
                .iter()
                .any(|g| n.contains(&format!("--with {g}")))
        };
        for n in list.notes().iter().filter(|n| !enabled(n)) {
            eprintln!("note: {n}");
        }
    }
    Ok(0)
}

fn run_profiles(args: ProfilesArgs) -> Result<u8> {
    let profiles: Vec<&Profile> = match &args.provider {
        Some(p) => vec![Profile::by_id(p).with_context(|| {
            format!("unknown provider `{p}`; expected anthropic, bedrock, vertex or gateway")
        })?],
        None => PROFILES.iter().collect(),
    };
    match args.format {
        ProfilesFormat::Json => {
            let doc: Vec<_> = profiles.iter().map(|p| profile_json(p)).collect();
            crate::out::println(&serde_json::to_string_pretty(&serde_json::json!({
                "checked": SOURCES_CHECKED,
                "profiles": doc,
            }))?)?;
        }
        ProfilesFormat::Text => crate::out::print(&profiles_text(&profiles))?,
    }
    Ok(0)
}

fn profile_json(p: &Profile) -> serde_json::Value {
    let hosts: Vec<_> = p
        .all_hosts()
        .map(|h| {
            serde_json::json!({
                "host": h.host, "group": h.group, "required": h.required,
                "purpose": h.purpose, "disable": h.disable, "source": h.source,
            })
        })
        .collect();
    let cidrs: Vec<_> = p
        .cidrs
        .iter()
        .map(|c| {
            serde_json::json!({
                "cidr": c.cidr, "group": c.group, "required": c.required,
                "purpose": c.purpose, "source": c.source,
            })
        })
        .collect();
    serde_json::json!({
        "id": p.id, "name": p.name, "selected_by": p.selected_by,
        "default_region": p.default_region, "groups": p.groups(),
        "hosts": hosts, "cidrs": cidrs, "notes": p.notes,
    })
}

fn profiles_text(profiles: &[&Profile]) -> String {
    let mut s = format!(
        "Provider profiles (checked against the Claude Code docs of {SOURCES_CHECKED}).\n\
         Required groups are always allowed; add optional ones with --with GROUP.\n"
    );
    for p in profiles {
        s.push_str(&format!(
            "\n{} ({})\n  selected by: {}\n",
            p.id, p.name, p.selected_by
        ));
        if let Some(r) = p.default_region {
            s.push_str(&format!("  default region: {r}\n"));
        }
        let mut group = "";
        for h in p.all_hosts() {
            if h.group != group {
                group = h.group;
                let kind = if h.required { "required" } else { "optional" };
                s.push_str(&format!("  [{group}] {kind}\n"));
            }
            s.push_str(&format!("    {}\n      {}\n", h.host, h.purpose));
            if !h.disable.is_empty() {
                s.push_str(&format!("      off: {}\n", h.disable));
            }
            s.push_str(&format!("      source: {}\n", h.source));
        }
        for c in p.cidrs {
            let kind = if c.required { "required" } else { "optional" };
            s.push_str(&format!(
                "  range {} [{}] {kind}: {}\n      source: {}\n",
                c.cidr, c.group, c.purpose, c.source
            ));
        }
        for n in p.notes {
            s.push_str(&format!("  note: {n}\n"));
        }
    }
    s
}

#[derive(Debug, Args)]
pub struct AuditFirewallArgs {
    /// Firewall script, iptables-save file, nftables ruleset or squid.conf (detected by content and name).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub policy: PolicyArgs,
    #[command(flatten)]
    pub report: ReportArgs,
}

fn run_audit_firewall(args: AuditFirewallArgs, color: bool) -> Result<u8> {
    let rep = &args.report;
    let allow = args.policy.allowlist(rep.config.as_deref())?;
    let start = Instant::now();
    let mut findings = Vec::new();
    for file in &args.files {
        let shown = file.to_string_lossy().replace('\\', "/");
        findings.extend(firewall_audit::audit_file(file, &shown, Some(&allow))?);
    }
    let report = crate::run::report_findings("network", findings, start.elapsed(), rep)?;
    crate::run::emit(&report, &[guard_network::layer().info()], rep, color, "")
}
