//! Generated outputs: snapshots, and the real tools' own syntax checks where
//! they are installed (`nft -c`, `iptables-restore --test`, `squid -k parse`,
//! `bash -n`); without a tool the check prints a note and is skipped.

use super::*;
use crate::allowlist::AllowlistSpec;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn list(provider: &str, region: Option<&str>, groups: &[&str], extra: &[&str]) -> Allowlist {
    Allowlist::build(&AllowlistSpec {
        provider: Some(provider.into()),
        region: region.map(Into::into),
        groups: groups.iter().map(|s| s.to_string()).collect(),
        extra: extra.iter().map(|s| s.to_string()).collect(),
        resolvers: vec!["10.0.0.2".parse().unwrap(), "fd00::53".parse().unwrap()],
        ..Default::default()
    })
    .unwrap()
}

fn samples() -> Vec<(&'static str, Allowlist)> {
    vec![
        (
            "anthropic_all",
            list(
                "anthropic",
                None,
                &["all"],
                &["*.corp.example", "10.20.0.0/16"],
            ),
        ),
        (
            "bedrock",
            list(
                "bedrock",
                Some("eu-west-3"),
                &["aws-sts", "webfetch-preflight"],
                &[],
            ),
        ),
        ("vertex", list("vertex", Some("global"), &[], &[])),
        (
            "gateway",
            Allowlist::build(&AllowlistSpec {
                provider: Some("gateway".into()),
                gateway_url: Some("https://llm.corp.example:8443".into()),
                ..Default::default()
            })
            .unwrap(),
        ),
    ]
}

fn tool(name: &str) -> Option<PathBuf> {
    let path = std::env::var("PATH").unwrap_or_default();
    let found = path
        .split(':')
        .chain(["/usr/sbin", "/sbin"])
        .map(|d| PathBuf::from(d).join(name))
        .find(|p| p.is_file());
    found
}

/// Runs `tool args` with `input` on stdin (or in a file passed as `{}`);
/// `None` when the tool is not installed.
fn check(name: &str, args: &[&str], input: &str) -> Option<(bool, String)> {
    let Some(bin) = tool(name) else {
        eprintln!("note: {name} is not installed; skipping its syntax check");
        return None;
    };
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(input.as_bytes()).unwrap();
    let path = file.path().to_str().unwrap().to_string();
    let via_file = args.contains(&"{}");
    let args: Vec<String> = args.iter().map(|a| a.replace("{}", &path)).collect();
    let mut child = Command::new(bin)
        .args(&args)
        .stdin(if via_file {
            Stdio::null()
        } else {
            Stdio::piped()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    Some((out.status.success(), text))
}

#[test]
fn snapshots() {
    for (name, l) in samples() {
        for (fname, f) in Format::ALL {
            insta::assert_snapshot!(format!("{name}__{fname}"), generate(&l, *f));
        }
    }
}

#[test]
fn nft_accepts_the_ruleset() {
    for (name, l) in samples() {
        let rules = nft_ruleset(&l);
        if let Some((ok, out)) = check("nft", &["-c", "-f", "{}"], &rules) {
            if !ok && out.contains("Operation not permitted") {
                eprintln!("note: nft -c needs CAP_NET_ADMIN here; skipping");
                return;
            }
            assert!(ok, "{name}: nft -c rejected the ruleset:\n{out}\n{rules}");
        }
    }
}

/// A fresh network namespace (`unshare -n`) so tests can create ipsets and
/// load rules without touching the host; `None` when that is not permitted.
fn netns_available() -> bool {
    let ok = tool("unshare").is_some()
        && Command::new("unshare")
            .args(["-n", "true"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("note: cannot create a network namespace (needs root and unshare); skipping");
    }
    ok
}

#[test]
fn iptables_restore_accepts_both_families() {
    // iptables-restore --test checks that referenced ipsets exist.
    if tool("ipset").is_none() || !netns_available() {
        eprintln!(
            "note: ipset or a network namespace is missing; skipping iptables-restore --test"
        );
        return;
    }
    for (name, l) in samples() {
        for (bin, v6) in [("iptables-restore", false), ("ip6tables-restore", true)] {
            if tool(bin).is_none() {
                eprintln!("note: {bin} is not installed; skipping");
                continue;
            }
            let rules = iptables_restore(&l, v6);
            let script = format!(
                "set -e\nfor s in guard_allow4:hash:net:inet guard_allow6:hash:net:inet6 guard_dns4:hash:ip:inet guard_dns6:hash:ip:inet6; do\n  IFS=: read -r n t k f <<< \"$s\"; ipset create \"$n\" \"$t:$k\" family \"$f\"\ndone\n{bin} --test {{}}\n"
            );
            let (ok, out) = check(
                "unshare",
                &["-n", "bash", "-c", &script.replace("{}", "\"$0\""), "{}"],
                &rules,
            )
            .unwrap();
            assert!(
                ok,
                "{name}: {bin} --test rejected the rules:\n{out}\n{rules}"
            );
        }
    }
}

/// Runs a generated script for real in a fresh network namespace: twice, so
/// a second run on existing sets must work too; then checks what was loaded.
fn run_script_in_netns(script: &str, after: &str) -> Option<String> {
    if !netns_available() {
        return None;
    }
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(script.as_bytes()).unwrap();
    let path = file.path().to_str().unwrap().to_string();
    let body = format!(
        "ip link set lo up; bash {path} apply; bash {path} apply; bash {path} refresh || exit 90; {after}"
    );
    let out = Command::new("unshare")
        .args(["-n", "bash", "-c", &body])
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(90), "refresh failed:\n{text}");
    Some(text)
}

#[test]
fn iptables_script_runs_and_is_rerunnable() {
    if ["ipset", "iptables-restore", "ip6tables-restore", "ip"]
        .iter()
        .any(|t| tool(t).is_none())
    {
        eprintln!("note: ipset/iptables/iproute2 missing; skipping the iptables script run");
        return;
    }
    let l = list("anthropic", None, &[], &[]);
    let Some(out) = run_script_in_netns(
        &generate(&l, Format::Iptables),
        "iptables -S OUTPUT; ip6tables -S OUTPUT; ipset list guard_allow4; ipset list -n",
    ) else {
        return;
    };
    assert!(out.contains("-P OUTPUT DROP"), "{out}");
    assert!(out.contains("--match-set guard_allow6 dst"), "{out}");
    assert!(out.contains("160.79.104.0/23"), "{out}");
    assert!(out.contains("ok: example.com:443 is blocked"), "{out}");
    assert!(
        out.contains("ok: 2606:4700:4700::1111:443 is blocked"),
        "{out}"
    );
    assert!(!out.contains("_next"), "temporary sets left behind:\n{out}");
}

#[test]
fn nft_script_runs_and_is_rerunnable() {
    if ["nft", "ip"].iter().any(|t| tool(t).is_none()) {
        eprintln!("note: nft/iproute2 missing; skipping the nftables script run");
        return;
    }
    let l = list("bedrock", Some("us-east-1"), &["webfetch-preflight"], &[]);
    let Some(out) = run_script_in_netns(
        &generate(&l, Format::NftablesScript),
        "nft list table inet guard_egress",
    ) else {
        return;
    };
    assert!(out.contains("policy drop"), "{out}");
    assert!(out.contains("10.0.0.2"), "resolvers loaded:\n{out}");
    assert!(out.contains("2607:6bc0::/48"), "{out}");
    assert!(out.contains("ok: example.com:443 is blocked"), "{out}");
}

#[test]
fn scripts_parse_with_bash() {
    for (name, l) in samples() {
        for f in [Format::Iptables, Format::NftablesScript] {
            let script = generate(&l, f);
            if let Some((ok, out)) = check("bash", &["-n", "{}"], &script) {
                assert!(ok, "{name} {f:?}: bash -n failed:\n{out}");
            }
        }
    }
}

#[test]
fn squid_parses_both_configs() {
    for (name, l) in samples() {
        for f in [Format::Squid, Format::SquidSplice] {
            let mut conf = generate(&l, f);
            if f == Format::SquidSplice {
                let Some(cert) = throwaway_cert() else {
                    eprintln!("note: openssl is not installed; skipping the splice config");
                    continue;
                };
                conf = conf.replace("/etc/squid/guard-bump.pem", cert.path().to_str().unwrap());
                std::mem::forget(cert);
            }
            if let Some((ok, out)) = check("squid", &["-k", "parse", "-f", "{}"], &conf) {
                // The splice config needs an OpenSSL build; a GnuTLS build says so.
                if f == Format::SquidSplice && out.contains("Unknown https_port option 'ssl-bump'")
                {
                    eprintln!("note: squid lacks ssl-bump (install squid-openssl); skipping");
                    continue;
                }
                let fatal = out
                    .lines()
                    .any(|l| l.contains("FATAL") || l.contains("ERROR"));
                assert!(ok && !fatal, "{name} {f:?}: squid -k parse:\n{out}\n{conf}");
            }
        }
    }
}

fn throwaway_cert() -> Option<tempfile::NamedTempFile> {
    tool("openssl")?;
    let file = tempfile::NamedTempFile::new().unwrap();
    let p = file.path().to_str().unwrap();
    let ok = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=guard",
        ])
        .args(["-keyout", p, "-out", &format!("{p}.crt")])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let crt = std::fs::read(format!("{p}.crt")).ok()?;
    let _ = std::fs::remove_file(format!("{p}.crt"));
    let mut f = std::fs::OpenOptions::new().append(true).open(p).unwrap();
    f.write_all(&crt).unwrap();
    ok.then_some(file)
}

#[test]
fn subdomains_fold_into_wildcard_parent() {
    let l = list(
        "anthropic",
        None,
        &["sign-in"],
        &[".claude.com", "*.claude.ai"],
    );
    let folded = folded_domains(&l);
    assert!(folded.contains(&".claude.com".to_string()));
    assert!(!folded.contains(&"platform.claude.com".to_string()));
    assert!(!folded.contains(&"claude.com".to_string()));
    // `*.claude.ai` does not cover claude.ai itself, so both stay ... as `.claude.ai`.
    assert!(folded.contains(&".claude.ai".to_string()));
    assert!(!folded.contains(&"claude.ai".to_string()));
}

#[test]
fn every_format_denies_by_default_on_both_families() {
    let l = list("anthropic", None, &[], &[]);
    let v4 = iptables_restore(&l, false);
    let v6 = iptables_restore(&l, true);
    assert!(v4.contains(":OUTPUT DROP") && v6.contains(":OUTPUT DROP"));
    assert!(v6.contains("icmpv6-type neighbour-solicitation"));
    assert!(
        !v4.contains("--dport 53 -j ACCEPT"),
        "DNS must be limited to resolvers"
    );
    let nft = nft_ruleset(&l);
    assert!(nft.contains("table inet guard_egress"));
    assert!(nft.matches("policy drop").count() == 3);
    let script = generate(&l, Format::Iptables);
    assert!(script.contains("-exist") && script.contains("ipset swap"));
    assert!(script.contains("ip6tables-restore"));
    assert!(script.contains("ahostsv6"));
}

#[test]
fn formats_parse_by_name() {
    assert_eq!(Format::parse("NFTABLES"), Some(Format::Nftables));
    assert_eq!(Format::parse("pf"), None);
}

#[test]
fn static_nftables_needs_resolvers_and_ip_sets_announce_wildcards() {
    let no_resolvers = Allowlist::build(&AllowlistSpec {
        provider: Some("anthropic".into()),
        extra: vec!["*.corp.example".into()],
        ..Default::default()
    })
    .unwrap();
    let why = missing_input(&no_resolvers, Format::Nftables).unwrap();
    assert!(why.contains("--resolver") && why.contains("nftables-script"));
    for f in [Format::NftablesScript, Format::Iptables, Format::Squid] {
        assert_eq!(missing_input(&no_resolvers, f), None, "{f:?}");
    }
    let l = list("anthropic", None, &[], &["*.corp.example"]);
    assert_eq!(missing_input(&l, Format::Nftables), None);
    for f in [Format::Iptables, Format::Nftables, Format::NftablesScript] {
        let w = warnings(&l, f);
        assert_eq!(w.len(), 1, "{f:?}");
        assert!(w[0].contains("*.corp.example") && w[0].contains("squid-splice"));
    }
    for f in [
        Format::SquidSplice,
        Format::Squid,
        Format::AwsNetworkFirewall,
        Format::Domains,
    ] {
        assert!(warnings(&l, f).is_empty(), "{f:?}");
    }
    assert!(warnings(&list("anthropic", None, &[], &[]), Format::Iptables).is_empty());
}
