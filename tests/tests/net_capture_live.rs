//! `guard net capture` end to end: a live capture inside network namespaces
//! the test creates (a veth pair between a client and a server namespace),
//! an `openssl s_server` on the server side and a ClientHello with a chosen
//! SNI from `openssl s_client -servername`. Needs root (to create the
//! namespaces) and `ip` and `openssl`; skipped with a message otherwise.
#![allow(clippy::unwrap_used)]

mod common;

use common::{guard_bin, run};
use std::path::Path;
use std::process::{Child, Command, Stdio};

fn have(cmd: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {cmd}")])
        .stdout(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn sh(args: &[&str]) {
    let out = Command::new(args[0]).args(&args[1..]).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Two namespaces joined by a veth pair; removed on drop.
struct Netns {
    client: String,
    server: String,
    server_proc: Option<Child>,
}

impl Netns {
    fn new(tag: &str) -> Netns {
        let id = std::process::id();
        let n = Netns {
            client: format!("gc{tag}{id}"),
            server: format!("gs{tag}{id}"),
            server_proc: None,
        };
        let (c, s) = (n.client.as_str(), n.server.as_str());
        sh(&["ip", "netns", "add", c]);
        sh(&["ip", "netns", "add", s]);
        sh(&[
            "ip", "-n", c, "link", "add", "veth-c", "type", "veth", "peer", "name", "veth-s",
            "netns", s,
        ]);
        sh(&[
            "ip",
            "-n",
            c,
            "addr",
            "add",
            "10.201.0.1/24",
            "dev",
            "veth-c",
        ]);
        sh(&[
            "ip",
            "-n",
            s,
            "addr",
            "add",
            "10.201.0.2/24",
            "dev",
            "veth-s",
        ]);
        for (ns, dev) in [(c, "veth-c"), (s, "veth-s"), (c, "lo"), (s, "lo")] {
            sh(&["ip", "-n", ns, "link", "set", dev, "up"]);
        }
        n
    }

    /// `openssl s_server` on 10.201.0.2:4433 in the server namespace.
    fn start_server(&mut self, dir: &Path) {
        let key = dir.join("key.pem");
        let cert = dir.join("cert.pem");
        sh(&[
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-subj",
            "/CN=guard-test",
            "-days",
            "1",
            "-keyout",
            key.to_str().unwrap(),
            "-out",
            cert.to_str().unwrap(),
        ]);
        let child = Command::new("ip")
            .args([
                "netns",
                "exec",
                &self.server,
                "openssl",
                "s_server",
                "-quiet",
            ])
            .args(["-accept", "10.201.0.2:4433", "-key"])
            .arg(&key)
            .arg("-cert")
            .arg(&cert)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.server_proc = Some(child);
        // Until the server listens.
        for _ in 0..100 {
            let out = Command::new("ip")
                .args(["netns", "exec", &self.server, "ss", "-ltn"])
                .output()
                .unwrap();
            if String::from_utf8_lossy(&out.stdout).contains("10.201.0.2:4433") {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("s_server did not start");
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        if let Some(mut c) = self.server_proc.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        for ns in [&self.client, &self.server] {
            let _ = Command::new("ip").args(["netns", "delete", ns]).output();
        }
    }
}

fn ready() -> bool {
    if !is_root() {
        eprintln!("note: not root; skipping the live capture test (it creates network namespaces)");
        return false;
    }
    for tool in ["ip", "openssl", "ss"] {
        if !have(tool) {
            eprintln!("note: `{tool}` not installed; skipping the live capture test");
            return false;
        }
    }
    true
}

#[test]
fn live_capture_in_a_namespace_sees_the_chosen_sni() {
    if !ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut ns = Netns::new("a");
    ns.start_server(dir.path());
    let saved = dir.path().join("live.pcapng");
    let (code, out, err) = run(Command::new("timeout")
        .args(["60", "ip", "netns", "exec", &ns.client])
        .arg(guard_bin())
        .args([
            "net", "capture", "--iface", "veth-c", "--format", "json", "-w",
        ])
        .arg(&saved)
        .args([
            "--",
            "openssl",
            "s_client",
            "-connect",
            "10.201.0.2:4433",
            "-servername",
            "chosen.guard-test.example",
        ])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .current_dir(dir.path()));
    assert_eq!(code, 1, "{out}\n{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let dests = v["inventory"]["destinations"].as_array().unwrap();
    let d = dests
        .iter()
        .find(|d| d["name"] == "chosen.guard-test.example")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(d["named_by"], "sni");
    assert_eq!(d["port"], 4433);
    assert_eq!(d["verdict"], "not-allowed");
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule_id"] == "NET-CAP-001"
            && f["message"]
                .as_str()
                .unwrap()
                .contains("chosen.guard-test.example")));
    assert_eq!(v["inventory"]["capture"], "live:veth-c");

    // The saved pcapng holds the same traffic.
    let (code, list, err) = run(Command::new(guard_bin())
        .args(["net", "audit", "--list"])
        .arg(&saved));
    assert_eq!(code, 0, "{err}");
    assert!(list.contains("chosen.guard-test.example\n"), "{list}");

    // --duration: a capture of a quiet interface is clean.
    let (code, out, err) = run(Command::new("ip")
        .args(["netns", "exec", &ns.client])
        .arg(guard_bin())
        .args([
            "net",
            "capture",
            "--iface",
            "lo",
            "--duration",
            "0.3",
            "--format",
            "json",
        ]));
    assert_eq!(code, 0, "{out}\n{err}");
}

#[test]
fn capture_without_the_privilege_names_the_capability() {
    if !ready() || !have("setpriv") {
        return;
    }
    // As root with CAP_NET_RAW dropped from every set.
    let (code, out, err) = run(Command::new("setpriv")
        .args([
            "--inh-caps=-net_raw",
            "--bounding-set=-net_raw",
            "--ambient-caps=-net_raw",
        ])
        .arg(guard_bin())
        .args(["net", "capture", "--iface", "lo", "--duration", "0.1"]));
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(err.contains("CAP_NET_RAW"), "{err}");
    // An interface that does not exist is named.
    let (code, _, err) = run(Command::new(guard_bin()).args([
        "net",
        "capture",
        "--iface",
        "nosuch0",
        "--duration",
        "0.1",
    ]));
    assert_eq!(code, 2);
    assert!(err.contains("nosuch0: no such network interface"), "{err}");
    // Neither a duration nor a command.
    let (code, _, err) = run(Command::new(guard_bin()).args(["net", "capture", "--iface", "lo"]));
    assert_eq!(code, 2);
    assert!(err.contains("--duration"), "{err}");
}
