//! What the parsers extract from a firewall file, whatever its syntax.

use ipnet::IpNet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    V4,
    V6,
    /// nftables `inet`: both.
    Both,
}

impl Family {
    pub fn covers_v6(self) -> bool {
        matches!(self, Family::V6 | Family::Both)
    }
    pub fn covers_v4(self) -> bool {
        matches!(self, Family::V4 | Family::Both)
    }
}

/// A destination or source address as far as it is known statically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Addr {
    Any,
    Net(IpNet),
    /// An ipset or nftables set.
    Set(String),
    /// Computed from the default route (`ip route`): the host's own network.
    HostNetwork,
    /// A host name: iptables resolves it once, when the rule is added.
    Name(String),
    /// Set at run time in a way the audit cannot follow.
    Unknown,
}

#[derive(Debug, Clone)]
pub struct FwRule {
    pub family: Family,
    /// `OUTPUT`, `INPUT`, `FORWARD` or a user chain (nftables: the hook name when known).
    pub chain: String,
    pub proto: Option<String>,
    pub dports: Vec<u16>,
    pub sports: Vec<u16>,
    pub daddr: Addr,
    pub saddr: Addr,
    /// Matches only loopback, connection state or another narrowing match.
    pub narrowed: bool,
    /// `ACCEPT`, `DROP`, `REJECT`, `LOG`, a chain name ...
    pub target: String,
    pub line: u32,
}

impl FwRule {
    pub fn accepts(&self) -> bool {
        self.target.eq_ignore_ascii_case("accept")
    }
    /// Traffic leaving the host or its containers: OUTPUT, and FORWARD or
    /// Docker's DOCKER-USER for firewalls applied from the host.
    pub fn is_outbound(&self) -> bool {
        ["output", "forward", "docker-user"]
            .iter()
            .any(|c| self.chain.eq_ignore_ascii_case(c))
    }
    pub fn is_inbound(&self) -> bool {
        self.chain.eq_ignore_ascii_case("input")
    }
}

#[derive(Debug, Clone)]
pub struct Policy {
    pub family: Family,
    pub chain: String,
    pub target: String,
    pub line: u32,
}

#[derive(Debug, Clone)]
pub struct SetOp {
    pub name: String,
    /// `-exist` given (or `ipset restore -exist`).
    pub exist: bool,
    pub line: u32,
}

#[derive(Debug, Clone)]
pub struct Resolution {
    /// The resolved name when known.
    pub name: Option<String>,
    /// `A`, `AAAA`, or `any` (getent hosts, host without -t).
    pub qtype: String,
    pub line: u32,
}

/// A squid `http_access` line.
#[derive(Debug, Clone)]
pub struct ProxyAccess {
    pub allow: bool,
    pub acls: Vec<String>,
    pub line: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Shell,
    Nftables,
    Squid,
}

#[derive(Debug, Clone)]
pub struct Model {
    pub syntax: Syntax,
    pub rules: Vec<FwRule>,
    pub policies: Vec<Policy>,
    pub set_creates: Vec<SetOp>,
    pub set_adds: Vec<SetOp>,
    /// Sets whose elements age out (`timeout`), so a refresh is built in.
    pub timeout_sets: bool,
    pub resolutions: Vec<Resolution>,
    /// A periodic refresh exists (loop with sleep, cron, systemd timer).
    pub refresh: bool,
    pub logs_drops: bool,
    /// Line that downloads GitHub's published ranges (api.github.com/meta).
    pub github_meta: Option<u32>,
    /// `exit N` (N != 0) inside a loop that resolves names: one unresolvable
    /// host stops the whole script.
    pub exit_on_resolve_failure: Option<u32>,
    /// Verification requests (curl/wget) and whether one of them uses IPv6.
    pub verify_line: Option<u32>,
    pub verify_v6: bool,
    /// Host names the file allows or resolves, with the line.
    pub domains: Vec<(String, u32)>,
    pub proxy_access: Vec<ProxyAccess>,
    /// Squid ACLs: name, type, values, line.
    pub proxy_acls: Vec<(String, String, Vec<String>, u32)>,
    /// Places the parser could not read: line and what was wrong.
    pub parse_errors: Vec<(u32, String)>,
}

impl Model {
    pub fn new(syntax: Syntax) -> Self {
        Model {
            syntax,
            rules: Vec::new(),
            policies: Vec::new(),
            set_creates: Vec::new(),
            set_adds: Vec::new(),
            timeout_sets: false,
            resolutions: Vec::new(),
            refresh: false,
            logs_drops: false,
            github_meta: None,
            exit_on_resolve_failure: None,
            verify_line: None,
            verify_v6: false,
            domains: Vec::new(),
            proxy_access: Vec::new(),
            proxy_acls: Vec::new(),
            parse_errors: Vec::new(),
        }
    }

    /// Take in what a nested parse found (an nftables heredoc, an `nft`
    /// command), its lines shifted by `offset`.
    pub fn absorb(&mut self, other: Model, offset: u32) {
        let at = |l: u32| l.saturating_add(offset);
        for mut r in other.rules {
            r.line = at(r.line);
            self.rules.push(r);
        }
        for mut p in other.policies {
            p.line = at(p.line);
            self.policies.push(p);
        }
        for (d, l) in other.domains {
            self.add_domain(&d, at(l));
        }
        for (l, m) in other.parse_errors {
            self.parse_errors.push((at(l), m));
        }
        self.logs_drops |= other.logs_drops;
        self.timeout_sets |= other.timeout_sets;
    }

    pub fn add_domain(&mut self, name: &str, line: u32) {
        if let Some(d) = as_domain(name) {
            if !self.domains.iter().any(|(n, _)| *n == d) {
                self.domains.push((d, line));
            }
        }
    }
}

/// `name` if it looks like a DNS host name (at least two labels, an
/// alphabetic top label): not an address, a flag or a path.
pub fn as_domain(name: &str) -> Option<String> {
    let n = name.trim().trim_end_matches('.').to_ascii_lowercase();
    let n = n
        .strip_prefix("*.")
        .or_else(|| n.strip_prefix('.'))
        .unwrap_or(&n);
    if n.len() > 253 || !n.contains('.') || n.parse::<std::net::IpAddr>().is_ok() {
        return None;
    }
    let labels: Vec<&str> = n.split('.').collect();
    let ok = labels.iter().all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    let top = labels.last().copied().unwrap_or("");
    (ok && top.len() >= 2 && top.bytes().all(|b| b.is_ascii_alphabetic())).then(|| n.to_string())
}

/// Ports of `--dport 53`, `--dports 80,443`, `1000:2000` (ranges give both ends
/// and every port between when small).
pub fn parse_ports(s: &str) -> Vec<u16> {
    let mut out = Vec::new();
    for part in s.split(',') {
        let part = part.trim();
        if let Some((a, b)) = part.split_once([':', '-']) {
            if let (Ok(a), Ok(b)) = (a.parse::<u16>(), b.parse::<u16>()) {
                if a <= b && b - a <= 1024 {
                    out.extend(a..=b);
                } else {
                    out.extend([a, b]);
                }
            }
        } else if let Ok(p) = part.parse::<u16>() {
            out.push(p);
        }
    }
    out
}

pub fn parse_addr(s: &str) -> Addr {
    let s = s.trim();
    if s.is_empty() {
        return Addr::Unknown;
    }
    if let Ok(n) = s.parse::<IpNet>() {
        return if n.prefix_len() == 0 {
            Addr::Any
        } else {
            Addr::Net(n)
        };
    }
    if let Ok(ip) = s.parse::<std::net::IpAddr>() {
        return Addr::Net(IpNet::from(ip));
    }
    match as_domain(s) {
        Some(d) => Addr::Name(d),
        None => Addr::Unknown,
    }
}
