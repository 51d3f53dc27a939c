//! terraform, OpenTofu, Terragrunt, Pulumi, CDKTF, Serverless, SAM, CDK.

use crate::shell::argv::{has_any, has_long};
use crate::shell::{Engine, Inv};

pub fn terraform(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let mut words: Vec<String> = inv.args.iter().map(|w| w.text.clone()).collect();
    // Global options (`-chdir=dir`, `-help`) come before the subcommand; Terragrunt
    // wraps it in `run-all` / `run --all --`.
    let mut i = 0;
    while i < words.len() {
        let a = words[i].as_str();
        if a.starts_with('-') || a == "run-all" || a == "run" {
            i += 1;
            continue;
        }
        break;
    }
    let Some(sub) = words.get(i).cloned() else {
        return;
    };
    let mut sub_args: Vec<String> = words.split_off(i + 1);
    // TF_CLI_ARGS and TF_CLI_ARGS_<sub> are appended to the command line by Terraform.
    for (k, v) in inv.env {
        if k == "TF_CLI_ARGS" || *k == format!("TF_CLI_ARGS_{sub}") {
            sub_args.extend(v.split_whitespace().map(String::from));
        }
    }
    let args: Vec<&str> = sub_args.iter().map(String::as_str).collect();
    let prod = super::production(e, inv, &["-var-file", "-chdir"])
        || args
            .iter()
            .any(|a| a.starts_with("-var-file=") && e.config.looks_production(a));
    let auto = has_any(&args, &["-auto-approve", "--auto-approve"]);
    match sub.as_str() {
        "apply" => {
            if has_any(&args, &["-destroy", "--destroy"]) {
                e.hit("AGENT-TF-002", format!("{} apply -destroy", inv.prog));
            } else if auto {
                e.hit("AGENT-TF-001", format!("{} apply -auto-approve", inv.prog));
            } else {
                e.hit_prod("AGENT-TF-004", format!("{} apply", inv.prog), prod);
            }
        }
        "destroy" => e.hit("AGENT-TF-002", format!("{} destroy", inv.prog)),
        "state" => match args.first().copied() {
            Some("rm") | Some("push") => {
                e.hit("AGENT-TF-003", format!("{} state {}", inv.prog, args[0]))
            }
            Some("mv") | Some("replace-provider") => e.hit_prod(
                "AGENT-TF-004",
                format!("{} state {}", inv.prog, args[0]),
                prod,
            ),
            _ => {}
        },
        "taint" | "untaint" | "force-unlock" | "import" => {
            e.hit_prod("AGENT-TF-004", format!("{} {sub}", inv.prog), prod)
        }
        "workspace" if args.first() == Some(&"delete") => e.hit_prod(
            "AGENT-TF-004",
            format!("{} workspace delete", inv.prog),
            prod,
        ),
        _ => {}
    }
}

pub fn others(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    let pos: Vec<&str> = t.iter().copied().filter(|a| !a.starts_with('-')).collect();
    let first = pos.first().copied().unwrap_or("");
    let prod = super::production(e, inv, &["--stack", "-s"]);
    match inv.prog {
        "pulumi" => match first {
            "destroy" | "down" => e.hit("AGENT-TF-002", "pulumi destroy"),
            "up" | "update" => {
                if has_any(&t, &["--yes", "-y", "--skip-preview", "-f"]) {
                    e.hit("AGENT-TF-001", "pulumi up --yes");
                } else {
                    e.hit_prod("AGENT-TF-004", "pulumi up", prod);
                }
            }
            "state" if pos.get(1) == Some(&"delete") => {
                e.hit("AGENT-TF-003", "pulumi state delete")
            }
            "stack" if matches!(pos.get(1), Some(&"rm") | Some(&"remove")) => {
                e.hit("AGENT-TF-003", "pulumi stack rm")
            }
            "refresh" | "cancel" if has_any(&t, &["--yes", "-y"]) || first == "cancel" => {
                e.hit_prod("AGENT-TF-004", format!("pulumi {first}"), prod)
            }
            _ => {}
        },
        "cdktf" | "cdk" => match first {
            "destroy" => e.hit("AGENT-TF-002", format!("{} destroy", inv.prog)),
            "deploy" => {
                let never = t
                    .windows(2)
                    .any(|w| w[0] == "--require-approval" && w[1] == "never")
                    || t.contains(&"--require-approval=never");
                if has_long(&t, "auto-approve") || never {
                    e.hit(
                        "AGENT-TF-001",
                        format!("{} deploy without approval", inv.prog),
                    );
                }
            }
            _ => {}
        },
        "serverless" | "sls" if first == "remove" => e.hit("AGENT-TF-002", "serverless remove"),
        "sam" if first == "delete" => e.hit("AGENT-TF-002", "sam delete"),
        _ => {}
    }
}
