//! The egress allowlist: a provider profile expanded for a region, the optional
//! groups the user enabled, extra user domains and the DNS resolvers allowed.
//!
//! Host matching is case-insensitive and ignores one trailing dot. Entries are
//! exact names, `*.suffix` (names below the suffix) or `.suffix` (the suffix and
//! names below it). Internationalised names are compared as given: write them
//! in punycode (`xn--...`).

use crate::profiles::{
    parse_pattern, validate_region, HostMatch, Profile, RegionError, RegionKind,
};
use ipnet::IpNet;
use serde::Serialize;
use std::collections::BTreeSet;
use std::net::IpAddr;

/// What to build an allowlist from (command line or `[layers.network]`).
#[derive(Debug, Clone, Default)]
pub struct AllowlistSpec {
    /// `anthropic` (default), `bedrock`, `vertex`, `gateway`.
    pub provider: Option<String>,
    pub region: Option<String>,
    /// IAM Identity Center region when it differs from the Bedrock region.
    pub sso_region: Option<String>,
    /// Required for `gateway`: the ANTHROPIC_BASE_URL value.
    pub gateway_url: Option<String>,
    /// Optional groups to enable; `all` enables every one.
    pub groups: Vec<String>,
    /// Extra user domains (`host`, `*.suffix`, `.suffix`), IPs or CIDRs.
    pub extra: Vec<String>,
    /// DNS servers the allowlist lets queries go to. Empty: the system's
    /// (`/etc/resolv.conf`), decided where the allowlist is enforced.
    pub resolvers: Vec<IpAddr>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllowlistError {
    #[error("unknown provider {0:?}: expected anthropic, bedrock, vertex or gateway")]
    UnknownProvider(String),
    #[error(transparent)]
    Region(#[from] RegionError),
    #[error("provider gateway needs --gateway-url (the ANTHROPIC_BASE_URL value)")]
    MissingGatewayUrl,
    #[error("a gateway URL is only used with --provider gateway")]
    UnexpectedGatewayUrl,
    #[error("invalid gateway URL {url:?}: {reason}")]
    GatewayUrl { url: String, reason: String },
    #[error("unknown group {group:?} for provider {provider}: known optional groups are {known}")]
    UnknownGroup {
        group: String,
        provider: &'static str,
        known: String,
    },
    #[error("invalid domain {domain:?}: {reason}")]
    Domain { domain: String, reason: String },
}

/// One allowed host pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllowEntry {
    /// The name without any wildcard prefix, lower-case, no trailing dot.
    pub host: String,
    #[serde(rename = "match")]
    pub kind: HostMatch,
    pub group: String,
    pub required: bool,
    /// Why the host is reached.
    pub reason: String,
    /// Setting or environment variable that stops the traffic (empty when none).
    pub disable: String,
    /// Where the fact comes from.
    pub source: String,
    /// A port other than 443 (a gateway URL's port).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

impl AllowEntry {
    /// The entry as written: `host`, `*.host` or `.host`.
    pub fn pattern(&self) -> String {
        match self.kind {
            HostMatch::Exact => self.host.clone(),
            HostMatch::Subdomains => format!("*.{}", self.host),
            HostMatch::DomainAndSubdomains => format!(".{}", self.host),
        }
    }

    /// Whether `name` (already normalised) matches this entry.
    fn covers(&self, name: &str) -> bool {
        let below = || {
            name.len() > self.host.len()
                && name.ends_with(self.host.as_str())
                && name.as_bytes()[name.len() - self.host.len() - 1] == b'.'
        };
        match self.kind {
            HostMatch::Exact => name == self.host,
            HostMatch::Subdomains => below(),
            HostMatch::DomainAndSubdomains => name == self.host || below(),
        }
    }
}

/// An allowed address range (published provider ranges, metadata servers,
/// IP-literal gateways, user CIDRs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllowCidr {
    pub cidr: IpNet,
    pub group: String,
    pub required: bool,
    pub reason: String,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Allowlist {
    provider: &'static str,
    region: Option<String>,
    groups: Vec<String>,
    entries: Vec<AllowEntry>,
    cidrs: Vec<AllowCidr>,
    resolvers: Vec<IpAddr>,
    ports: BTreeSet<u16>,
    notes: Vec<String>,
    /// Hosts of the profile's optional groups that were not enabled.
    #[serde(skip)]
    disabled: Vec<AllowEntry>,
}

const USER_SOURCE: &str = "user (--allow or [layers.network] extra_domains)";

impl Allowlist {
    pub fn build(spec: &AllowlistSpec) -> Result<Allowlist, AllowlistError> {
        let provider_id = spec.provider.as_deref().unwrap_or("anthropic");
        let profile = Profile::by_id(provider_id)
            .ok_or_else(|| AllowlistError::UnknownProvider(provider_id.to_string()))?;

        let region = match (&spec.region, profile.region_kind) {
            (Some(r), kind) => Some(validate_region(profile.id, kind, r)?),
            (None, RegionKind::None) => None,
            (None, _) => profile.default_region.map(str::to_string),
        };
        let sso_region = match &spec.sso_region {
            Some(r) => Some(validate_region(profile.id, RegionKind::Aws, r)?),
            None => region.clone(),
        };
        let gateway = match (profile.id, &spec.gateway_url) {
            ("gateway", Some(u)) => Some(parse_gateway_url(u)?),
            ("gateway", None) => return Err(AllowlistError::MissingGatewayUrl),
            (_, Some(_)) => return Err(AllowlistError::UnexpectedGatewayUrl),
            (_, None) => None,
        };

        let optional = profile.optional_groups();
        let all = spec.groups.iter().any(|g| g.eq_ignore_ascii_case("all"));
        let mut groups: Vec<String> = profile
            .groups()
            .into_iter()
            .filter(|g| !optional.contains(g))
            .map(str::to_string)
            .collect();
        for g in &spec.groups {
            let g = g.to_ascii_lowercase();
            if g == "all" {
                continue;
            }
            if !optional.contains(&g.as_str()) {
                return Err(AllowlistError::UnknownGroup {
                    group: g,
                    provider: profile.id,
                    known: optional.join(", "),
                });
            }
        }
        for g in &optional {
            if all || spec.groups.iter().any(|s| s.eq_ignore_ascii_case(g)) {
                groups.push(g.to_string());
            }
        }

        let mut list = Allowlist {
            provider: profile.id,
            region: region.clone(),
            groups,
            entries: Vec::new(),
            cidrs: Vec::new(),
            resolvers: Vec::new(),
            ports: BTreeSet::from([443]),
            notes: profile.notes.iter().map(|n| n.to_string()).collect(),
            disabled: Vec::new(),
        };

        for spec_host in profile.all_hosts() {
            let enabled = list.groups.iter().any(|g| g == spec_host.group);
            let mut port = None;
            let pattern = match spec_host.host {
                "{gateway}" => match &gateway {
                    Some(Gateway::Host(h, p)) => {
                        port = (*p != 443).then_some(*p);
                        h.clone()
                    }
                    Some(Gateway::Ip(ip, p)) => {
                        list.cidrs.push(AllowCidr {
                            cidr: IpNet::from(*ip),
                            group: spec_host.group.to_string(),
                            required: spec_host.required,
                            reason: spec_host.purpose.to_string(),
                            source: spec_host.source.to_string(),
                        });
                        list.ports.insert(*p);
                        continue;
                    }
                    None => continue,
                },
                "{vertex_endpoint}" => vertex_endpoint(region.as_deref().unwrap_or("us-east5")),
                h => h
                    .replace("{region}", region.as_deref().unwrap_or(""))
                    .replace("{sso_region}", sso_region.as_deref().unwrap_or("")),
            };
            let (kind, host) = parse_pattern(&pattern);
            let entry = AllowEntry {
                host: host.to_string(),
                kind,
                group: spec_host.group.to_string(),
                required: spec_host.required,
                reason: spec_host.purpose.to_string(),
                disable: spec_host.disable.to_string(),
                source: spec_host.source.to_string(),
                port,
            };
            if let Some(p) = port {
                list.ports.insert(p);
            }
            if enabled {
                if !list.entries.iter().any(|e| e.pattern() == entry.pattern()) {
                    list.entries.push(entry);
                }
            } else {
                list.disabled.push(entry);
            }
        }
        for c in profile.cidrs {
            if !list.groups.iter().any(|g| g == c.group) {
                continue;
            }
            let Ok(cidr) = c.cidr.parse::<IpNet>() else {
                continue;
            };
            if !list.cidrs.iter().any(|x| x.cidr == cidr) {
                list.cidrs.push(AllowCidr {
                    cidr,
                    group: c.group.to_string(),
                    required: c.required,
                    reason: c.purpose.to_string(),
                    source: c.source.to_string(),
                });
            }
        }
        for extra in &spec.extra {
            list.add_extra(extra)?;
        }
        for r in &spec.resolvers {
            if !list.resolvers.contains(r) {
                list.resolvers.push(*r);
            }
        }
        Ok(list)
    }

    fn add_extra(&mut self, raw: &str) -> Result<(), AllowlistError> {
        let raw = raw.trim();
        if let Ok(net) = raw.parse::<IpNet>() {
            return self.add_cidr(net.trunc());
        }
        if let Ok(ip) = raw.parse::<IpAddr>() {
            return self.add_cidr(IpNet::from(ip));
        }
        let (kind, host) = normalize_pattern(raw)?;
        if !self.groups.iter().any(|g| g == "user") {
            self.groups.push("user".into());
        }
        let entry = AllowEntry {
            host,
            kind,
            group: "user".into(),
            required: true,
            reason: "extra user domain".into(),
            disable: String::new(),
            source: USER_SOURCE.into(),
            port: None,
        };
        if !self.entries.iter().any(|e| e.pattern() == entry.pattern()) {
            self.entries.push(entry);
        }
        Ok(())
    }

    fn add_cidr(&mut self, cidr: IpNet) -> Result<(), AllowlistError> {
        if cidr.prefix_len() == 0 {
            return Err(AllowlistError::Domain {
                domain: cidr.to_string(),
                reason: "a /0 range allows every address".into(),
            });
        }
        if !self.groups.iter().any(|g| g == "user") {
            self.groups.push("user".into());
        }
        if !self.cidrs.iter().any(|c| c.cidr == cidr) {
            self.cidrs.push(AllowCidr {
                cidr,
                group: "user".into(),
                required: true,
                reason: "extra user address range".into(),
                source: USER_SOURCE.into(),
            });
        }
        Ok(())
    }

    /// The entry that allows `host`: an exact entry first, else the longest
    /// wildcard suffix.
    pub fn matches(&self, host: &str) -> Option<&AllowEntry> {
        best_match(&self.entries, &normalize_host(host))
    }

    /// The entry of an optional group that was *not* enabled and would allow
    /// `host` (to say which group or setting explains a destination).
    pub fn matches_disabled(&self, host: &str) -> Option<&AllowEntry> {
        best_match(&self.disabled, &normalize_host(host))
    }

    /// The address range that allows `ip`, if any.
    pub fn matches_ip(&self, ip: IpAddr) -> Option<&AllowCidr> {
        self.cidrs
            .iter()
            .filter(|c| c.cidr.contains(&ip))
            .max_by_key(|c| c.cidr.prefix_len())
    }

    /// Whether DNS queries may go to `ip`. With no resolvers configured, any
    /// resolver the system uses is accepted by the caller's own policy; this
    /// returns `None` then.
    pub fn allows_resolver(&self, ip: IpAddr) -> Option<bool> {
        if self.resolvers.is_empty() {
            None
        } else {
            Some(self.resolvers.contains(&ip))
        }
    }

    pub fn entries(&self) -> &[AllowEntry] {
        &self.entries
    }
    pub fn cidrs(&self) -> &[AllowCidr] {
        &self.cidrs
    }
    pub fn resolvers(&self) -> &[IpAddr] {
        &self.resolvers
    }
    pub fn provider(&self) -> &'static str {
        self.provider
    }
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }
    /// Enabled groups, required first.
    pub fn groups(&self) -> &[String] {
        &self.groups
    }
    /// Destination TCP ports the allowlist opens (443, plus a gateway's port).
    pub fn ports(&self) -> &BTreeSet<u16> {
        &self.ports
    }
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Set the resolvers (e.g. from `/etc/resolv.conf`) when none were given.
    pub fn with_resolvers(mut self, resolvers: impl IntoIterator<Item = IpAddr>) -> Self {
        for r in resolvers {
            if !self.resolvers.contains(&r) {
                self.resolvers.push(r);
            }
        }
        self
    }
}

fn best_match<'a>(entries: &'a [AllowEntry], name: &str) -> Option<&'a AllowEntry> {
    entries
        .iter()
        .filter(|e| e.covers(name))
        .max_by_key(|e| (e.kind == HostMatch::Exact, e.host.len()))
}

/// Lower-case ASCII letters and drop one trailing dot.
pub fn normalize_host(host: &str) -> String {
    let h = host.strip_suffix('.').unwrap_or(host);
    h.to_ascii_lowercase()
}

/// Check a user-written domain pattern and return its match kind and bare name.
pub fn normalize_pattern(raw: &str) -> Result<(HostMatch, String), AllowlistError> {
    let bad = |reason: &str| AllowlistError::Domain {
        domain: raw.to_string(),
        reason: reason.to_string(),
    };
    let lowered = normalize_host(raw.trim());
    let (kind, host) = parse_pattern(&lowered);
    if host.is_empty() {
        return Err(bad("empty name"));
    }
    if host.len() > 253 {
        return Err(bad("longer than 253 characters"));
    }
    if !host.is_ascii() {
        return Err(bad(
            "not ASCII: write internationalised names in punycode (xn--...)",
        ));
    }
    if host.contains(':') || host.contains('/') {
        return Err(bad("a host name only: no scheme, port or path"));
    }
    let labels: Vec<&str> = host.split('.').collect();
    for label in &labels {
        if label.is_empty() || label.len() > 63 {
            return Err(bad("every label must be 1 to 63 characters"));
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(bad(
                "labels hold letters, digits, '-' and '_' only (wildcards only as a leading '*.')",
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(bad("a label cannot start or end with '-'"));
        }
    }
    if kind != HostMatch::Exact && labels.len() < 2 {
        return Err(bad("a wildcard over a whole top-level domain is too broad"));
    }
    Ok((kind, host.to_string()))
}

enum Gateway {
    Host(String, u16),
    Ip(IpAddr, u16),
}

fn parse_gateway_url(raw: &str) -> Result<Gateway, AllowlistError> {
    let err = |reason: &str| AllowlistError::GatewayUrl {
        url: raw.to_string(),
        reason: reason.to_string(),
    };
    let url = url::Url::parse(raw.trim()).map_err(|e| err(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(err("scheme must be http or https"));
    }
    let port = url.port_or_known_default().ok_or_else(|| err("no port"))?;
    match url.host() {
        Some(url::Host::Domain(d)) => {
            let (kind, host) = normalize_pattern(d)?;
            if kind != HostMatch::Exact {
                return Err(err("a wildcard is not a gateway host"));
            }
            Ok(Gateway::Host(host, port))
        }
        Some(url::Host::Ipv4(ip)) => Ok(Gateway::Ip(IpAddr::V4(ip), port)),
        Some(url::Host::Ipv6(ip)) => Ok(Gateway::Ip(IpAddr::V6(ip), port)),
        None => Err(err("no host")),
    }
}

/// The Vertex AI endpoint for a `CLOUD_ML_REGION` value.
pub fn vertex_endpoint(region: &str) -> String {
    match region {
        "global" => "aiplatform.googleapis.com".into(),
        "us" | "eu" => format!("aiplatform.{region}.rep.googleapis.com"),
        r => format!("{r}-aiplatform.googleapis.com"),
    }
}

/// `nameserver` addresses of a resolv.conf text (comments and unknown lines
/// ignored; scoped IPv6 `%iface` suffixes dropped).
pub fn parse_resolv_conf(text: &str) -> Vec<IpAddr> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut words = line.split_whitespace();
        if words.next() != Some("nameserver") {
            continue;
        }
        let Some(addr) = words.next() else { continue };
        let addr = addr.split('%').next().unwrap_or(addr);
        if let Ok(ip) = addr.parse::<IpAddr>() {
            if !out.contains(&ip) {
                out.push(ip);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(provider: &str, region: Option<&str>, groups: &[&str], extra: &[&str]) -> Allowlist {
        Allowlist::build(&AllowlistSpec {
            provider: Some(provider.into()),
            region: region.map(Into::into),
            groups: groups.iter().map(|s| s.to_string()).collect(),
            extra: extra.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        })
        .unwrap()
    }

    #[test]
    fn anthropic_default_is_api_only() {
        let a = build("anthropic", None, &[], &[]);
        let hosts: Vec<String> = a.entries().iter().map(|e| e.pattern()).collect();
        assert_eq!(hosts, ["api.anthropic.com"]);
        assert!(a.matches("API.Anthropic.com.").is_some());
        assert!(a.matches("claude.ai").is_none());
        assert_eq!(a.matches_disabled("claude.ai").unwrap().group, "sign-in");
        assert!(a.matches_ip("160.79.105.7".parse().unwrap()).is_some());
        assert!(a.matches_ip("2607:6bc0::10".parse().unwrap()).is_some());
        assert!(a.matches_ip("1.1.1.1".parse().unwrap()).is_none());
    }

    #[test]
    fn bedrock_region_hosts() {
        let a = build("bedrock", Some("eu-west-3"), &["aws-sts"], &[]);
        assert!(a
            .matches("bedrock-runtime.eu-west-3.amazonaws.com")
            .is_some());
        assert!(a.matches("bedrock.eu-west-3.amazonaws.com").is_some());
        assert!(a.matches("sts.eu-west-3.amazonaws.com").is_some());
        assert!(a
            .matches("bedrock-runtime.us-east-1.amazonaws.com")
            .is_none());
        assert!(a.matches("api.anthropic.com").is_none());
        assert_eq!(
            a.matches_disabled("api.anthropic.com").unwrap().group,
            "webfetch-preflight"
        );
        let d = build("bedrock", None, &[], &[]);
        assert_eq!(d.region(), Some("us-east-1"));
    }

    #[test]
    fn sso_region_differs() {
        let a = Allowlist::build(&AllowlistSpec {
            provider: Some("bedrock".into()),
            region: Some("us-west-2".into()),
            sso_region: Some("eu-central-1".into()),
            groups: vec!["aws-sso".into()],
            ..Default::default()
        })
        .unwrap();
        assert!(a.matches("oidc.eu-central-1.amazonaws.com").is_some());
        assert!(a.matches("portal.sso.eu-central-1.amazonaws.com").is_some());
    }

    #[test]
    fn vertex_region_forms() {
        assert!(build("vertex", Some("global"), &[], &[])
            .matches("aiplatform.googleapis.com")
            .is_some());
        assert!(build("vertex", Some("eu"), &[], &[])
            .matches("aiplatform.eu.rep.googleapis.com")
            .is_some());
        assert!(build("vertex", Some("europe-west1"), &[], &[])
            .matches("europe-west1-aiplatform.googleapis.com")
            .is_some());
        assert!(build("vertex", None, &[], &[])
            .matches("us-east5-aiplatform.googleapis.com")
            .is_some());
    }

    #[test]
    fn gateway_url() {
        let a = Allowlist::build(&AllowlistSpec {
            provider: Some("gateway".into()),
            gateway_url: Some("https://user:pw@LLM.corp.example:8443/v1".into()),
            ..Default::default()
        })
        .unwrap();
        let e = a.matches("llm.corp.example").unwrap();
        assert_eq!(e.port, Some(8443));
        assert!(a.ports().contains(&8443));
        let ip = Allowlist::build(&AllowlistSpec {
            provider: Some("gateway".into()),
            gateway_url: Some("http://[2001:db8::5]:4000".into()),
            ..Default::default()
        })
        .unwrap();
        assert!(ip.matches_ip("2001:db8::5".parse().unwrap()).is_some());
        for bad in ["ftp://x.example", "not a url", "https://*.example.com/"] {
            let r = Allowlist::build(&AllowlistSpec {
                provider: Some("gateway".into()),
                gateway_url: Some(bad.into()),
                ..Default::default()
            });
            assert!(r.is_err(), "{bad}");
        }
        let missing = Allowlist::build(&AllowlistSpec {
            provider: Some("gateway".into()),
            ..Default::default()
        });
        assert_eq!(missing.unwrap_err(), AllowlistError::MissingGatewayUrl);
    }

    #[test]
    fn wildcards() {
        let a = build(
            "anthropic",
            None,
            &[],
            &["*.corp.example", ".pkg.example", "exact.example"],
        );
        assert!(a.matches("a.b.corp.example").is_some());
        assert!(a.matches("corp.example").is_none());
        assert!(a.matches("evilcorp.example").is_none());
        assert!(a.matches("pkg.example").is_some());
        assert!(a.matches("x.pkg.example.").is_some());
        assert!(a.matches("exact.example").is_some());
        assert!(a.matches("sub.exact.example").is_none());
        assert!(a.matches("xn--bcher-kva.example").is_none());
        let idn = build("anthropic", None, &[], &["xn--bcher-kva.example"]);
        assert!(idn.matches("XN--BCHER-KVA.example").is_some());
    }

    #[test]
    fn most_specific_entry_wins() {
        let a = build(
            "anthropic",
            None,
            &["artifacts"],
            &[".claudeusercontent.com"],
        );
        assert_eq!(
            a.matches("x.frame.claudeusercontent.com").unwrap().group,
            "artifacts"
        );
        assert_eq!(a.matches("claudeusercontent.com").unwrap().group, "user");
    }

    #[test]
    fn extra_ips_and_cidrs() {
        let a = build("anthropic", None, &[], &["10.1.2.3", "192.168.7.9/24"]);
        assert!(a.matches_ip("10.1.2.3".parse().unwrap()).is_some());
        assert_eq!(a.cidrs().last().unwrap().cidr.to_string(), "192.168.7.0/24");
        assert!(Allowlist::build(&AllowlistSpec {
            extra: vec!["0.0.0.0/0".into()],
            ..Default::default()
        })
        .is_err());
    }

    #[test]
    fn rejects_bad_input() {
        for bad in [
            "",
            "*",
            "*.com",
            "bücher.example",
            "a..b",
            "-a.example",
            "host:443",
            "https://x.example",
            "a*b.example",
            &"a".repeat(300),
        ] {
            assert!(normalize_pattern(bad).is_err(), "{bad}");
        }
        let e = Allowlist::build(&AllowlistSpec {
            groups: vec!["telemetri".into()],
            ..Default::default()
        })
        .unwrap_err();
        assert!(e.to_string().contains("telemetry"), "{e}");
        assert!(Allowlist::build(&AllowlistSpec {
            provider: Some("azure".into()),
            ..Default::default()
        })
        .is_err());
        assert!(Allowlist::build(&AllowlistSpec {
            provider: Some("bedrock".into()),
            region: Some("us-east-1; rm -rf /".into()),
            ..Default::default()
        })
        .is_err());
    }

    #[test]
    fn all_groups() {
        let a = build("anthropic", None, &["all"], &[]);
        assert!(a.matches("http-intake.logs.us5.datadoghq.com").is_some());
        assert!(a.matches("registry.npmjs.org").is_some());
    }

    #[test]
    fn resolvers() {
        let r = parse_resolv_conf(
            "# c\nnameserver 127.0.0.11\nnameserver fe80::1%eth0\nnameserver bogus\nsearch x\n",
        );
        assert_eq!(r.len(), 2);
        let a = build("anthropic", None, &[], &[]);
        assert_eq!(a.allows_resolver(r[0]), None);
        let a = a.with_resolvers(r.clone());
        assert_eq!(a.allows_resolver(r[0]), Some(true));
        assert_eq!(a.allows_resolver("8.8.8.8".parse().unwrap()), Some(false));
    }
}
