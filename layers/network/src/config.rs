//! `[layers.network]` in guard.toml.
//!
//! ```toml
//! [layers.network]
//! provider = "bedrock"          # anthropic | bedrock | vertex | gateway
//! region = "eu-west-3"
//! groups = ["aws-sts"]          # optional groups to allow
//! extra_domains = ["*.corp.example"]
//! resolvers = ["10.0.0.2"]
//! captures = ["captures/session.pcapng"]
//! firewalls = [".devcontainer/init-firewall.sh"]
//! ```

use crate::allowlist::AllowlistSpec;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkConfig {
    /// `anthropic` (default), `bedrock`, `vertex` or `gateway`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// IAM Identity Center region when it differs from `region`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sso_region: Option<String>,
    /// ANTHROPIC_BASE_URL for `provider = "gateway"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_url: Option<String>,
    /// Optional groups to allow (`guard net profiles` lists them); `all` for every one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// Extra hosts (`host`, `*.suffix`, `.suffix`), addresses or CIDRs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_domains: Vec<String>,
    /// DNS servers queries may go to; empty: those of /etc/resolv.conf.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resolvers: Vec<IpAddr>,
    /// Packet captures (pcap/pcapng) to audit, relative to the scanned root.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub captures: Vec<PathBuf>,
    /// Firewall scripts, nftables rulesets or squid.conf files to audit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub firewalls: Vec<PathBuf>,
}

impl NetworkConfig {
    pub fn spec(&self) -> AllowlistSpec {
        AllowlistSpec {
            provider: self.provider.clone(),
            region: self.region.clone(),
            sso_region: self.sso_region.clone(),
            gateway_url: self.gateway_url.clone(),
            groups: self.groups.clone(),
            extra: self.extra_domains.clone(),
            resolvers: self.resolvers.clone(),
        }
    }

    /// Command-line values win; lists are added to.
    pub fn merge(&mut self, over: NetworkConfig) {
        macro_rules! take {
            ($($f:ident),*) => { $( if over.$f.is_some() { self.$f = over.$f; } )* };
        }
        take!(provider, region, sso_region, gateway_url);
        self.groups.extend(over.groups);
        self.extra_domains.extend(over.extra_domains);
        if !over.resolvers.is_empty() {
            self.resolvers = over.resolvers;
        }
        self.captures.extend(over.captures);
        self.firewalls.extend(over.firewalls);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use guard_core::LayerConfig;

    #[test]
    fn parses_the_table() {
        let cfg = LayerConfig::from_toml(
            "network",
            "[layers.network]\nprovider = \"bedrock\"\nregion = \"eu-west-3\"\nresolvers = [\"10.0.0.2\"]\nfirewalls = [\"fw.sh\"]\n",
        );
        let n: NetworkConfig = cfg.parse().unwrap();
        assert_eq!(n.provider.as_deref(), Some("bedrock"));
        assert_eq!(n.resolvers.len(), 1);
        assert!(crate::Allowlist::build(&n.spec()).is_ok());
    }

    #[test]
    fn unknown_key_and_bad_resolver_name_the_line() {
        let cfg = LayerConfig::from_toml("network", "[layers.network]\n\nprovidr = \"x\"\n");
        let e = cfg.parse::<NetworkConfig>().unwrap_err().to_string();
        assert!(e.contains("providr") && e.contains('3'), "{e}");
        let cfg = LayerConfig::from_toml(
            "network",
            "[layers.network]\nresolvers = [\"dns.google\"]\n",
        );
        assert!(cfg.parse::<NetworkConfig>().is_err());
    }

    #[test]
    fn merge_prefers_the_command_line() {
        let mut base = NetworkConfig {
            provider: Some("bedrock".into()),
            groups: vec!["aws-sts".into()],
            resolvers: vec!["10.0.0.2".parse().unwrap()],
            ..Default::default()
        };
        base.merge(NetworkConfig {
            provider: Some("vertex".into()),
            groups: vec!["gcp-metadata".into()],
            ..Default::default()
        });
        assert_eq!(base.provider.as_deref(), Some("vertex"));
        assert_eq!(base.groups.len(), 2);
        assert_eq!(base.resolvers.len(), 1);
    }
}
