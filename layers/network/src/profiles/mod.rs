//! Provider profiles: which hosts Claude Code reaches in each provider mode, as data.
//!
//! The tables live in `data`; this module gives them types, expands region
//! placeholders and validates region names.

mod data;
mod region;

pub(crate) use data::anthropic_api_v4;
pub use data::{COMMON_HOSTS, PROFILES, SOURCES_CHECKED};
pub use region::{validate_region, RegionError};

/// How a host pattern matches names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HostMatch {
    /// Exactly this name.
    Exact,
    /// `*.suffix`: any name below the suffix, not the suffix itself.
    Subdomains,
    /// `.suffix`: the suffix and any name below it.
    DomainAndSubdomains,
}

/// One host a provider mode reaches. `host` may hold `{region}`.
#[derive(Debug, Clone, Copy)]
pub struct HostSpec {
    pub host: &'static str,
    /// Group name: `--with GROUP` enables an optional group.
    pub group: &'static str,
    pub required: bool,
    /// What Claude Code uses the host for.
    pub purpose: &'static str,
    /// The setting or environment variable that stops the traffic; empty when none.
    pub disable: &'static str,
    /// Where the fact comes from (URL and section).
    pub source: &'static str,
}

/// Published address ranges; firewalls use them instead of one-shot DNS.
#[derive(Debug, Clone, Copy)]
pub struct CidrSpec {
    pub cidr: &'static str,
    pub group: &'static str,
    pub required: bool,
    pub purpose: &'static str,
    pub source: &'static str,
}

/// What kind of region names a provider takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionKind {
    None,
    Aws,
    Vertex,
}

/// A provider mode.
#[derive(Debug, Clone, Copy)]
pub struct Profile {
    /// `anthropic`, `bedrock`, `vertex`, `gateway`.
    pub id: &'static str,
    pub name: &'static str,
    /// The environment that selects the mode.
    pub selected_by: &'static str,
    pub region_kind: RegionKind,
    pub default_region: Option<&'static str>,
    pub hosts: &'static [HostSpec],
    pub cidrs: &'static [CidrSpec],
    /// Hosts reached in this mode although one might not expect them, and how to avoid them.
    pub notes: &'static [&'static str],
}

impl Profile {
    pub fn by_id(id: &str) -> Option<&'static Profile> {
        PROFILES.iter().find(|p| p.id.eq_ignore_ascii_case(id))
    }

    /// The profile's own hosts, then the hosts every mode may reach.
    pub fn all_hosts(&self) -> impl Iterator<Item = &'static HostSpec> {
        self.hosts.iter().chain(COMMON_HOSTS.iter())
    }

    /// Every group name of this profile, required ones first, without duplicates.
    pub fn groups(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for required in [true, false] {
            let hosts = self.all_hosts().filter(|h| h.required == required);
            let cidrs = self.cidrs.iter().filter(|c| c.required == required);
            for g in hosts.map(|h| h.group).chain(cidrs.map(|c| c.group)) {
                if !out.contains(&g) {
                    out.push(g);
                }
            }
        }
        out
    }

    pub fn optional_groups(&self) -> Vec<&'static str> {
        let required: Vec<&str> = self
            .hosts
            .iter()
            .filter(|h| h.required)
            .map(|h| h.group)
            .collect();
        self.groups()
            .into_iter()
            .filter(|g| !required.contains(g))
            .collect()
    }
}

/// Split a host pattern into its match kind and the bare name.
pub fn parse_pattern(pattern: &str) -> (HostMatch, &str) {
    if let Some(rest) = pattern.strip_prefix("*.") {
        (HostMatch::Subdomains, rest)
    } else if let Some(rest) = pattern.strip_prefix('.') {
        (HostMatch::DomainAndSubdomains, rest)
    } else {
        (HostMatch::Exact, pattern)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_has_a_required_host_and_sources() {
        for p in PROFILES {
            assert!(
                p.hosts.iter().any(|h| h.required) || p.id == "gateway",
                "{}",
                p.id
            );
            for h in p.hosts {
                assert!(!h.source.is_empty(), "{} {}", p.id, h.host);
                assert!(!h.purpose.is_empty(), "{} {}", p.id, h.host);
                assert_eq!(h.host, h.host.to_ascii_lowercase());
            }
            for c in p.cidrs {
                assert!(c.cidr.parse::<ipnet::IpNet>().is_ok(), "{}", c.cidr);
            }
        }
    }

    #[test]
    fn groups_listed_once() {
        let p = Profile::by_id("anthropic").unwrap();
        let g = p.groups();
        assert_eq!(g[0], "api");
        let mut sorted = g.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), g.len());
        assert!(p.optional_groups().contains(&"telemetry"));
        assert!(!p.optional_groups().contains(&"api"));
    }
}
