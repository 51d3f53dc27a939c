//! kubernetes (kubectl, oc, helm) and containers (docker, podman, nerdctl, compose).

use crate::shell::argv::{has_any, has_long, has_short, opt_value, positionals};
use crate::shell::{Engine, Inv};

const KUBE_GLOBAL: &[&str] = &[
    "--context",
    "-n",
    "--namespace",
    "--kubeconfig",
    "--cluster",
    "--user",
    "-s",
    "--server",
    "--token",
    "-l",
    "--selector",
    "-o",
    "--output",
    "-f",
    "--filename",
    "--kube-context",
    "--field-selector",
    "--grace-period",
    "--timeout",
    "-c",
    "--container",
    "--replicas",
];

pub fn kube(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    let pos = positionals(&t, KUBE_GLOBAL);
    let Some(verb) = pos.first().copied() else {
        return;
    };
    let ctx_prod = super::production(e, inv, &["--kube-context", "--namespace", "-n"]);
    let dry = t
        .iter()
        .any(|a| a.starts_with("--dry-run") && *a != "--dry-run=none");
    if dry {
        return;
    }
    if inv.prog == "helm" {
        match verb {
            "uninstall" | "delete" | "del" | "un" => e.hit("AGENT-K8S-003", format!("helm {verb}")),
            "rollback" => e.hit_prod("AGENT-K8S-004", "helm rollback", ctx_prod),
            "upgrade" if has_long(&t, "force") || has_long(&t, "reset-values") => {
                e.hit_prod("AGENT-K8S-004", "helm upgrade --force", ctx_prod)
            }
            _ => {}
        }
        return;
    }
    match verb {
        "delete" => {
            let kinds = &pos[1..];
            let ns = kinds.iter().any(|k| {
                let k = k.split('/').next().unwrap_or(k);
                k.split(',')
                    .any(|x| matches!(x, "namespace" | "namespaces" | "ns"))
            });
            let all = has_long(&t, "all") || has_short(&t, 'A') || has_long(&t, "all-namespaces");
            if ns || all {
                e.hit(
                    "AGENT-K8S-001",
                    format!("kubectl delete {}", kinds.join(" ")),
                );
            } else {
                e.hit_prod(
                    "AGENT-K8S-002",
                    format!("kubectl delete {}", kinds.join(" ")),
                    ctx_prod,
                );
            }
        }
        "drain" => e.hit_prod("AGENT-K8S-002", "kubectl drain", ctx_prod),
        "scale" if opt_value(&t, &["--replicas"]) == Some("0") => {
            e.hit_prod("AGENT-K8S-002", "kubectl scale --replicas=0", ctx_prod);
        }
        "replace" if has_long(&t, "force") => {
            e.hit_prod("AGENT-K8S-002", "kubectl replace --force", ctx_prod)
        }
        "taint" if t.iter().any(|a| a.ends_with(":NoExecute")) => {
            e.hit_prod("AGENT-K8S-002", "kubectl taint NoExecute", ctx_prod)
        }
        "config" if pos.get(1) == Some(&"view") && has_long(&t, "raw") => {
            e.hit("AGENT-SECRET-003", "kubectl config view --raw")
        }
        _ => {}
    }
}

const DOCKER_GLOBAL: &[&str] = &[
    "-H",
    "--host",
    "--context",
    "-c",
    "--config",
    "-l",
    "--log-level",
];

pub fn containers(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    if t.iter()
        .take_while(|a| **a != "--")
        .any(|a| matches!(*a, "--help" | "-h"))
    {
        return;
    }
    let compose_prog = inv.prog.ends_with("-compose");
    let mut i = 0;
    while i < t.len() && t[i].starts_with('-') {
        if DOCKER_GLOBAL.contains(&t[i]) {
            i += 1;
        }
        i += 1;
    }
    let rest = &t[i.min(t.len())..];
    let (sub, args): (&str, &[&str]) = if compose_prog {
        ("compose", rest)
    } else {
        match rest.split_first() {
            Some((s, a)) => (s, a),
            None => return,
        }
    };
    let p = inv.prog;
    let force = has_short(args, 'f') || has_long(args, "force");
    match sub {
        "system" if args.first() == Some(&"prune") => {
            e.hit("AGENT-CTR-001", format!("{p} system prune"))
        }
        "volume" => match args.first().copied() {
            Some("prune") => e.hit("AGENT-CTR-001", format!("{p} volume prune")),
            Some("rm") | Some("remove") => e.hit("AGENT-CTR-001", format!("{p} volume rm")),
            _ => {}
        },
        "image" | "container" | "network" | "builder" | "buildx"
            if args.first() == Some(&"prune") =>
        {
            e.hit("AGENT-CTR-002", format!("{p} {sub} prune"))
        }
        "container" if args.first() == Some(&"rm") && force => {
            e.hit("AGENT-CTR-002", format!("{p} container rm -f"))
        }
        "rm" | "rmi" if force => e.hit("AGENT-CTR-002", format!("{p} {sub} -f")),
        "rm" | "rmi" | "kill" | "stop"
            if inv
                .args
                .iter()
                .any(|w| w.substituted.iter().any(|s| s == "docker" || s == "podman")) =>
        {
            e.hit("AGENT-CTR-002", format!("{p} {sub} on every container"))
        }
        "compose" => {
            let cargs = positionals(
                args,
                &[
                    "-f",
                    "--file",
                    "-p",
                    "--project-name",
                    "--profile",
                    "--env-file",
                ],
            );
            let csub = cargs.first().copied().unwrap_or("");
            if csub == "down" && (has_short(args, 'v') || has_long(args, "volumes")) {
                e.hit("AGENT-CTR-001", format!("{p} compose down -v"));
            } else if csub == "down" && has_long(args, "rmi") {
                e.hit("AGENT-CTR-002", format!("{p} compose down --rmi"));
            } else if csub == "rm"
                && (has_short(args, 'v') || has_short(args, 'f') || has_long(args, "volumes"))
            {
                e.hit("AGENT-CTR-002", format!("{p} compose rm"));
            }
        }
        "run" | "create" => {
            let mut host = Vec::new();
            if has_long(args, "privileged") {
                host.push("--privileged".to_string());
            }
            if has_any(args, &["--pid=host", "--ipc=host", "--userns=host"])
                || args.windows(2).any(|w| w[0] == "--pid" && w[1] == "host")
            {
                host.push("host namespace".to_string());
            }
            for (k, a) in args.iter().enumerate() {
                let v = if matches!(*a, "-v" | "--volume" | "--mount") {
                    args.get(k + 1).copied()
                } else {
                    a.strip_prefix("--volume=")
                        .or_else(|| a.strip_prefix("--mount="))
                };
                if let Some(v) = v {
                    let src = v.split(':').next().unwrap_or("");
                    let src = src
                        .strip_prefix("type=bind,source=")
                        .or_else(|| src.strip_prefix("source="))
                        .unwrap_or(src);
                    if src == "/"
                        || src.contains("docker.sock")
                        || matches!(src, "/etc" | "/root" | "/var/run" | "/run")
                    {
                        host.push(format!("mount {src}"));
                    }
                }
            }
            if !host.is_empty() {
                e.hit(
                    "AGENT-CTR-003",
                    format!("{p} {sub} with {}", host.join(", ")),
                );
            }
        }
        _ => {}
    }
}
