//! The argv of iptables, ip6tables and ipset calls (from a shell script or an
//! `iptables-restore` file), turned into [`Model`] entries.

use super::model::{parse_addr, parse_ports, Addr, Family, FwRule, Model, Policy, SetOp};

/// One shell word after expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Lit(String),
    /// Known only at run time; `host_network` when it comes from the default route.
    Dynamic {
        host_network: bool,
    },
}

impl Arg {
    pub fn lit(&self) -> Option<&str> {
        match self {
            Arg::Lit(s) => Some(s),
            Arg::Dynamic { .. } => None,
        }
    }
}

fn addr_of(a: Option<&Arg>) -> Addr {
    match a {
        Some(Arg::Lit(s)) => parse_addr(s),
        Some(Arg::Dynamic { host_network: true }) => Addr::HostNetwork,
        _ => Addr::Unknown,
    }
}

/// `iptables [-t T] -A|-I|-P CHAIN ...`; `args` exclude the program name.
pub fn iptables(family: Family, args: &[Arg], line: u32, model: &mut Model) {
    let mut table = "filter".to_string();
    let mut chain: Option<String> = None;
    let mut policy: Option<String> = None;
    let mut rule = FwRule {
        family,
        chain: String::new(),
        proto: None,
        dports: Vec::new(),
        sports: Vec::new(),
        daddr: Addr::Any,
        saddr: Addr::Any,
        narrowed: false,
        target: String::new(),
        line,
    };
    let mut is_rule = false;
    let mut negate = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].lit().unwrap_or("");
        let next = args.get(i + 1);
        let next_lit = next.and_then(Arg::lit).unwrap_or("");
        let mut took = 1;
        match a {
            "!" => {
                negate = true;
                i += 1;
                continue;
            }
            "-t" | "--table" => {
                table = next_lit.to_string();
                took = 2;
            }
            "-A" | "--append" | "-I" | "--insert" => {
                chain = Some(next_lit.to_string());
                is_rule = true;
                took = 2;
                // -I CHAIN [rulenum]
                if a.starts_with("-I") || a == "--insert" {
                    if let Some(Arg::Lit(n)) = args.get(i + 2) {
                        if n.parse::<u32>().is_ok() {
                            took = 3;
                        }
                    }
                }
            }
            "-P" | "--policy" => {
                chain = Some(next_lit.to_string());
                policy = args.get(i + 2).and_then(Arg::lit).map(str::to_string);
                took = 3;
            }
            "-p" | "--protocol" => {
                rule.proto = (!negate).then(|| next_lit.to_ascii_lowercase());
                took = 2;
            }
            "--dport" | "--destination-port" | "--dports" | "--destination-ports" => {
                if !negate {
                    rule.dports = parse_ports(next_lit);
                } else {
                    rule.narrowed = true;
                }
                took = 2;
            }
            "--sport" | "--source-port" | "--sports" | "--source-ports" => {
                if !negate {
                    rule.sports = parse_ports(next_lit);
                }
                took = 2;
            }
            "-d" | "--destination" | "--dst" => {
                rule.daddr = if negate { Addr::Unknown } else { addr_of(next) };
                took = 2;
            }
            "-s" | "--source" | "--src" => {
                rule.saddr = if negate { Addr::Unknown } else { addr_of(next) };
                took = 2;
            }
            "--match-set" => {
                let dir = args.get(i + 2).and_then(Arg::lit).unwrap_or("");
                let set = Addr::Set(next_lit.to_string());
                if dir.starts_with("dst") {
                    rule.daddr = set;
                } else {
                    rule.saddr = set;
                }
                took = 3;
            }
            "-o" | "--out-interface" | "-i" | "--in-interface" | "--ctstate" | "--state"
            | "--uid-owner" | "--gid-owner" | "--icmp-type" | "--icmpv6-type" | "--limit" => {
                rule.narrowed = true;
                took = 2;
            }
            "-j" | "--jump" | "-g" | "--goto" => {
                rule.target = next_lit.to_ascii_uppercase();
                took = 2;
            }
            _ => {}
        }
        negate = false;
        i += took;
    }
    if table != "filter" {
        return;
    }
    let Some(chain) = chain else { return };
    if let Some(p) = policy {
        model.policies.push(Policy {
            family,
            chain: chain.to_ascii_uppercase(),
            target: p.to_ascii_uppercase(),
            line,
        });
        return;
    }
    if is_rule {
        if let Addr::Name(n) = &rule.daddr {
            model.add_domain(&n.clone(), line);
        }
        if rule.target == "LOG" || rule.target == "NFLOG" {
            model.logs_drops = true;
        }
        rule.chain = chain.to_ascii_uppercase();
        model.rules.push(rule);
    }
}

/// `ipset create|add|-N|-A ... [-exist]`.
pub fn ipset(args: &[Arg], line: u32, model: &mut Model) {
    let lits: Vec<&str> = args.iter().map(|a| a.lit().unwrap_or("")).collect();
    let exist = lits.iter().any(|a| *a == "-exist" || *a == "-!");
    let words: Vec<&str> = lits
        .iter()
        .copied()
        .filter(|a| *a != "-exist" && *a != "-!" && *a != "-q" && *a != "-quiet")
        .collect();
    let Some((cmd, rest)) = words.split_first() else {
        return;
    };
    let name = rest.first().copied().unwrap_or("").to_string();
    match *cmd {
        "create" | "-N" | "n" | "new" | "-C" => {
            if rest.contains(&"timeout") {
                model.timeout_sets = true;
            }
            model.set_creates.push(SetOp { name, exist, line });
        }
        "add" | "-A" | "a" => model.set_adds.push(SetOp { name, exist, line }),
        "restore" | "-R" => {
            // `ipset restore` without -exist fails on sets that already exist.
            model.set_creates.push(SetOp {
                name: "(restore)".into(),
                exist,
                line,
            });
        }
        _ => {}
    }
}

/// One line of an `iptables-restore` file: `*filter`, `:CHAIN POLICY [..]`,
/// `-A ...`, `COMMIT`. Returns the table the next lines belong to.
pub fn restore_line(family: Family, text: &str, table: &mut String, line: u32, model: &mut Model) {
    let t = text.trim();
    if t.is_empty() || t.starts_with('#') || t == "COMMIT" {
        return;
    }
    if let Some(name) = t.strip_prefix('*') {
        *table = name.trim().to_string();
        return;
    }
    if *table != "filter" {
        return;
    }
    if let Some(rest) = t.strip_prefix(':') {
        let mut parts = rest.split_whitespace();
        if let (Some(chain), Some(policy)) = (parts.next(), parts.next()) {
            if policy != "-" {
                model.policies.push(Policy {
                    family,
                    chain: chain.to_ascii_uppercase(),
                    target: policy.to_ascii_uppercase(),
                    line,
                });
            }
        }
        return;
    }
    let args: Vec<Arg> = split_restore_words(t).into_iter().map(Arg::Lit).collect();
    iptables(family, &args, line, model);
}

/// iptables-restore quoting: double quotes group words.
fn split_restore_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}
