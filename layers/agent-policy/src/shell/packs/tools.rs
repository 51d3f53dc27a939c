//! system, http-apis, github, secret-stores, publishing, sync, backup, messaging, ci.

use crate::shell::argv::{has_any, has_long, has_short, opt_value, positionals};
use crate::shell::{Engine, Inv};

pub fn system(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    let help = t.iter().any(|a| matches!(*a, "--help" | "--version"));
    if help {
        return;
    }
    match inv.prog {
        "shutdown" if !t.contains(&"-c") => e.hit("AGENT-SYS-001", "shutdown"),
        "reboot" | "poweroff" | "halt" => e.hit("AGENT-SYS-001", inv.prog.to_string()),
        "init" | "telinit" if matches!(t.first(), Some(&"0") | Some(&"6")) => {
            e.hit("AGENT-SYS-001", format!("{} {}", inv.prog, t[0]))
        }
        "systemctl" => {
            let pos = positionals(
                &t,
                &[
                    "-H",
                    "--host",
                    "-M",
                    "--machine",
                    "-t",
                    "--type",
                    "-s",
                    "--signal",
                ],
            );
            match pos.first().copied() {
                Some(
                    "poweroff" | "reboot" | "halt" | "kexec" | "isolate" | "rescue" | "emergency"
                    | "suspend" | "hibernate",
                ) => e.hit("AGENT-SYS-001", format!("systemctl {}", pos[0])),
                Some("stop" | "disable" | "mask" | "kill") => {
                    e.hit("AGENT-SYS-002", format!("systemctl {}", pos.join(" ")))
                }
                _ => {}
            }
        }
        "kill"
            if t.contains(&"-1")
                && t.iter()
                    .any(|a| matches!(*a, "-9" | "-KILL" | "-SIGKILL" | "-s"))
                || t == ["-1"] =>
        {
            e.hit("AGENT-SYS-001", "kill every process (-1)");
        }
        "killall" | "pkill" => {
            let pos = positionals(&t, &["-u", "--user", "-s", "--signal", "-g", "-P", "-t"]);
            if pos.is_empty() && t.iter().any(|a| *a == "-u" || a.starts_with("--user")) {
                e.hit(
                    "AGENT-SYS-001",
                    format!("{} of every process of a user", inv.prog),
                );
            }
        }
        "crontab" if has_short(&t, 'r') => e.hit("AGENT-SYS-001", "crontab -r"),
        "iptables" | "ip6tables"
            if has_any(&t, &["-F", "--flush", "-X", "--delete-chain"])
                || (has_short(&t, 'F') && t.iter().all(|a| a.starts_with('-'))) =>
        {
            e.hit("AGENT-SYS-001", format!("{} --flush", inv.prog))
        }
        "nft" if t.windows(2).any(|w| w == ["flush", "ruleset"]) => {
            e.hit("AGENT-SYS-001", "nft flush ruleset")
        }
        "ufw" if matches!(t.first(), Some(&"disable") | Some(&"reset")) => {
            e.hit("AGENT-SYS-001", format!("ufw {}", t[0]))
        }
        _ => {}
    }
}

const CURL_WITH_VALUE: &[&str] = &[
    "-H",
    "--header",
    "-d",
    "--data",
    "--data-raw",
    "--data-binary",
    "--data-urlencode",
    "-o",
    "--output",
    "-u",
    "--user",
    "-A",
    "--user-agent",
    "-e",
    "--referer",
    "-b",
    "--cookie",
    "-c",
    "--cookie-jar",
    "-F",
    "--form",
    "-T",
    "--upload-file",
    "-w",
    "--write-out",
    "-x",
    "--proxy",
    "--connect-timeout",
    "-m",
    "--max-time",
    "--retry",
    "--cacert",
    "--cert",
    "--key",
    "-K",
    "--config",
    "--resolve",
    "-X",
    "--request",
    "--url",
    "-r",
    "--range",
    "--json",
    "-E",
    "--limit-rate",
    "--retry-delay",
    "--retry-max-time",
    "-U",
    "--proxy-user",
    "--header-file",
    "--method",
    "-O",
    "--output-document",
    "--post-data",
    "--body-data",
    "--header",
    "-P",
];

pub fn http(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    let (method, urls): (String, Vec<&str>) = match inv.prog {
        "curl" => {
            let m = opt_value(&t, &["-X", "--request"])
                .unwrap_or("GET")
                .to_ascii_uppercase();
            let mut urls: Vec<&str> = positionals(&t, CURL_WITH_VALUE);
            if let Some(u) = opt_value(&t, &["--url"]) {
                urls.push(u);
            }
            (m, urls)
        }
        "wget" => (
            opt_value(&t, &["--method"])
                .unwrap_or("GET")
                .to_ascii_uppercase(),
            positionals(&t, CURL_WITH_VALUE),
        ),
        _ => {
            // httpie / xh: `http [METHOD] URL [items]`.
            let pos = positionals(&t, &["-a", "--auth", "-o", "--output", "--session"]);
            match pos.first() {
                Some(m) if m.chars().all(|c| c.is_ascii_alphabetic()) && pos.len() > 1 => {
                    (m.to_ascii_uppercase(), vec![pos[1]])
                }
                Some(u) => ("GET".into(), vec![*u]),
                None => return,
            }
        }
    };
    let body = opt_value(
        &t,
        &["-d", "--data", "--data-raw", "--data-binary", "--json"],
    )
    .unwrap_or("");
    for u in urls
        .iter()
        .filter(|u| u.contains("://") || u.starts_with("localhost") || u.contains('/'))
    {
        let path = u.split("://").nth(1).unwrap_or(u);
        let path = path.split_once('/').map(|(_, p)| p).unwrap_or("");
        let path = path.split('?').next().unwrap_or(path);
        let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        if method == "DELETE" {
            let everything = segs.iter().any(|s| {
                *s == "_all" || *s == "*" || s.split(',').any(|x| x == "*" || x == "_all")
            });
            if everything {
                e.hit("AGENT-HTTP-001", format!("DELETE {u}"));
            } else {
                e.hit("AGENT-HTTP-002", format!("DELETE {u}"));
            }
        } else if segs.contains(&"_delete_by_query") {
            let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
            if compact.contains("\"match_all\"") {
                e.hit(
                    "AGENT-HTTP-001",
                    format!("_delete_by_query match_all on {u}"),
                );
            } else {
                e.hit("AGENT-HTTP-002", format!("_delete_by_query on {u}"));
            }
        } else if segs
            .last()
            .is_some_and(|s| *s == "doDelete" || *s == "doWipeOutWorkspace")
        {
            e.hit("AGENT-HTTP-002", format!("POST {u}"));
        }
    }
}

pub fn github(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    let pos = positionals(
        &t,
        &[
            "-R",
            "--repo",
            "-X",
            "--method",
            "-H",
            "--header",
            "-f",
            "-F",
            "--field",
            "--raw-field",
            "--visibility",
            "-b",
            "--body",
            "-t",
            "--title",
            "-q",
            "--jq",
        ],
    );
    let a = pos.first().copied().unwrap_or("");
    let b = pos.get(1).copied().unwrap_or("");
    match (a, b) {
        ("repo", "delete") | ("repo", "archive") => e.hit("AGENT-GH-001", format!("gh repo {b}")),
        ("repo", "edit") if opt_value(&t, &["--visibility"]) == Some("public") => {
            e.hit("AGENT-GH-001", "gh repo edit --visibility public")
        }
        ("api", _)
            if opt_value(&t, &["-X", "--method"])
                .is_some_and(|m| m.eq_ignore_ascii_case("DELETE")) =>
        {
            e.hit("AGENT-GH-002", format!("gh api DELETE {b}"));
        }
        ("auth", "token") => e.hit("AGENT-SECRET-003", "gh auth token"),
        ("run", "cancel") => {}
        (_, "delete") | (_, "rm") if !a.is_empty() => e.hit("AGENT-GH-002", format!("gh {a} {b}")),
        ("repo", "deploy-key") | ("secret", _) | ("variable", _)
            if pos.get(2).is_some_and(|c| *c == "delete") =>
        {
            e.hit("AGENT-GH-002", format!("gh {a} delete"))
        }
        _ => {}
    }
}

pub fn secret_stores(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    let pos = positionals(
        &t,
        &[
            "-address",
            "-namespace",
            "-mount",
            "--vault",
            "--account",
            "--project",
            "-p",
            "--config",
            "-c",
            "--format",
            "-format",
            "-version",
            "-versions",
        ],
    );
    let w: Vec<&str> = pos.iter().take(3).copied().collect();
    let detail = format!("{} {}", inv.prog, w.join(" "));
    match inv.prog {
        "vault" => match w.as_slice() {
            ["kv", "delete" | "destroy", ..] | ["kv", "metadata", "delete"] | ["delete", ..] => {
                e.hit("AGENT-VAULT-001", detail)
            }
            ["secrets" | "auth" | "audit", "disable", ..] => e.hit("AGENT-VAULT-001", detail),
            ["policy", "delete", ..] => e.hit("AGENT-VAULT-001", detail),
            ["lease", "revoke", ..] | ["token", "revoke", ..] => e.hit("AGENT-VAULT-002", detail),
            ["token", "lookup", ..] | ["print", "token", ..] if t.contains(&"-field=id") => {
                e.hit("AGENT-SECRET-003", detail)
            }
            _ => {}
        },
        "op" => {
            if w.get(1)
                .is_some_and(|v| matches!(*v, "delete" | "remove" | "rm"))
            {
                e.hit("AGENT-VAULT-001", detail);
            }
        }
        _ => {
            if w.get(1)
                .is_some_and(|v| matches!(*v, "delete" | "rm" | "remove"))
            {
                e.hit("AGENT-VAULT-001", detail);
            }
        }
    }
}

pub fn publishing(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    let dry =
        has_long(&t, "dry-run") || has_any(&t, &["--dry-run=true", "-n"]) && inv.prog == "cargo";
    let pos = positionals(
        &t,
        &[
            "--registry",
            "--otp",
            "--tag",
            "--access",
            "-r",
            "--repository",
            "-u",
            "-p",
            "--token",
            "-s",
            "--source",
            "-k",
            "--api-key",
            "--index",
            "--filter",
            "-F",
        ],
    );
    let first = pos.first().copied().unwrap_or("");
    let second = pos.get(1).copied().unwrap_or("");
    let p = inv.prog;
    let publish = match p {
        "npm" | "pnpm" | "bun" => {
            first == "publish" || (p == "pnpm" && first == "-r" && second == "publish")
        }
        "yarn" => first == "publish" || (first == "npm" && second == "publish"),
        "cargo" => first == "publish",
        "twine" => first == "upload",
        "poetry" | "flit" | "hatch" | "uv" => first == "publish",
        "gem" => first == "push",
        "mvn" => pos
            .iter()
            .any(|g| *g == "deploy" || *g == "release:perform"),
        "gradle" | "gradlew" => pos.iter().any(|g| {
            g.starts_with("publish") && !g.contains("MavenLocal") || g.ends_with(":publish")
        }),
        "dotnet" => first == "nuget" && second == "push",
        _ => false,
    };
    if publish && !dry {
        e.hit("AGENT-PUB-001", format!("{p} {first}"));
    }
    let unpublish = match p {
        "npm" | "pnpm" | "yarn" => matches!(first, "unpublish") || (first == "deprecate"),
        "cargo" => first == "yank" && !has_long(&t, "undo"),
        "gem" => first == "yank",
        _ => false,
    };
    if unpublish {
        e.hit("AGENT-PUB-002", format!("{p} {first}"));
    }
}

pub fn sync(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    if inv.prog == "rsync" {
        let dry = has_short(&t, 'n') || has_long(&t, "dry-run");
        let del = t
            .iter()
            .any(|a| a.starts_with("--delete") || *a == "--del" || *a == "--remove-source-files");
        if del && !dry {
            let what: Vec<&str> = t
                .iter()
                .copied()
                .filter(|a| a.starts_with("--del") || *a == "--remove-source-files")
                .collect();
            e.hit("AGENT-SYNC-001", format!("rsync {}", what.join(" ")));
        }
        return;
    }
    let dry = has_short(&t, 'n') || has_long(&t, "dry-run");
    if dry {
        return;
    }
    let pos = positionals(
        &t,
        &[
            "--config",
            "--filter",
            "--include",
            "--exclude",
            "--transfers",
            "--checkers",
            "--bwlimit",
            "--max-age",
            "--min-age",
            "--log-file",
            "--backup-dir",
        ],
    );
    match pos.first().copied() {
        Some("sync" | "move" | "moveto" | "bisync") => {
            e.hit("AGENT-SYNC-001", format!("rclone {}", pos[0]))
        }
        Some("purge" | "delete" | "deletefile" | "rmdir" | "rmdirs" | "cleanup") => {
            e.hit("AGENT-SYNC-002", format!("rclone {}", pos[0]))
        }
        _ => {}
    }
}

pub fn backup(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    let dry = has_short(&t, 'n') || has_long(&t, "dry-run");
    let pos = positionals(
        &t,
        &[
            "-r",
            "--repo",
            "--repository-file",
            "-p",
            "--password-file",
            "--keep-last",
            "--keep-daily",
            "--keep-weekly",
            "--keep-monthly",
            "--keep-yearly",
            "--keep-hourly",
            "--keep-within",
            "--tag",
            "--host",
            "--path",
            "-a",
            "--glob-archives",
            "--selector",
            "-l",
            "--name",
            "-n",
            "--namespace",
            "--max-unused",
            "--prefix",
        ],
    );
    let a = pos.first().copied().unwrap_or("");
    let b = pos.get(1).copied().unwrap_or("");
    let hit = match inv.prog {
        "restic" => matches!(a, "forget" | "prune") || (a == "key" && b == "remove"),
        "borg" | "borgbackup" => matches!(
            a,
            "delete" | "prune" | "compact" | "repo-delete" | "rdelete" | "recreate"
        ),
        _ => b == "delete" || a == "delete" || (a == "uninstall"),
    };
    if hit && !(dry && inv.prog != "velero") {
        e.hit(
            "AGENT-BACKUP-001",
            format!("{} {} {}", inv.prog, a, b).trim_end().to_string(),
        );
    }
}

pub fn messaging(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    let p = inv.prog.strip_suffix(".sh").unwrap_or(inv.prog);
    let detail = format!(
        "{p} {}",
        t.iter()
            .copied()
            .filter(|a| !a.contains("://"))
            .take(6)
            .collect::<Vec<_>>()
            .join(" ")
    );
    match p {
        "kafka-topics" if has_long(&t, "delete") => e.hit("AGENT-MSG-001", detail),
        "kafka-delete-records" => e.hit("AGENT-MSG-002", detail),
        "kafka-consumer-groups"
            if has_long(&t, "delete")
                || has_long(&t, "delete-offsets")
                || (has_long(&t, "reset-offsets") && has_long(&t, "execute")) =>
        {
            e.hit("AGENT-MSG-002", detail)
        }
        "kafka-acls" if has_long(&t, "remove") => e.hit("AGENT-MSG-002", detail),
        "kafka-configs" if has_long(&t, "delete-config") => e.hit("AGENT-MSG-002", detail),
        "rabbitmqctl" => {
            let pos = positionals(&t, &["-p", "--vhost", "-n", "--node", "-t", "--timeout"]);
            match pos.first().copied() {
                Some("delete_vhost" | "delete_queue" | "purge_queue" | "reset" | "force_reset") => {
                    e.hit("AGENT-MSG-001", detail)
                }
                Some(c)
                    if c.starts_with("delete_")
                        || c.starts_with("clear_")
                        || c == "close_all_connections" =>
                {
                    e.hit("AGENT-MSG-002", detail)
                }
                _ => {}
            }
        }
        "rabbitmqadmin" => {
            let pos = positionals(
                &t,
                &[
                    "-H",
                    "--host",
                    "-P",
                    "--port",
                    "-V",
                    "--vhost",
                    "-u",
                    "--username",
                    "-p",
                    "--password",
                ],
            );
            match (pos.first().copied(), pos.get(1).copied()) {
                (Some("delete"), Some("queue" | "exchange" | "vhost")) | (Some("purge"), _) => {
                    e.hit("AGENT-MSG-001", detail)
                }
                (Some("delete"), _) => e.hit("AGENT-MSG-002", detail),
                _ => {}
            }
        }
        "nats" => {
            let pos = positionals(
                &t,
                &[
                    "-s",
                    "--server",
                    "--creds",
                    "--context",
                    "--user",
                    "--password",
                ],
            );
            let a = pos.first().copied().unwrap_or("");
            let b = pos.get(1).copied().unwrap_or("");
            match (a, b) {
                (
                    "stream" | "str" | "bucket" | "object" | "obj",
                    "delete" | "rm" | "purge" | "del",
                ) => e.hit("AGENT-MSG-001", detail),
                ("kv", "rm") => e.hit("AGENT-MSG-001", detail),
                ("consumer" | "con" | "kv", "delete" | "rm" | "del" | "purge") => {
                    e.hit("AGENT-MSG-002", detail)
                }
                _ => {}
            }
        }
        _ => {}
    }
}

pub fn ci(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    match inv.prog {
        "java" => {
            let jar = opt_value(&t, &["-jar"]).unwrap_or("");
            if jar.contains("jenkins-cli") {
                if let Some(c) = t.iter().find(|a| {
                    a.starts_with("delete-") || matches!(**a, "clear-queue" | "disconnect-node")
                }) {
                    e.hit("AGENT-CI-001", format!("jenkins-cli {c}"));
                }
            }
        }
        "jenkins-cli" => {
            if let Some(c) = t.iter().find(|a| a.starts_with("delete-")) {
                e.hit("AGENT-CI-001", format!("jenkins-cli {c}"));
            }
        }
        "gitlab-runner" if t.first() == Some(&"unregister") => {
            e.hit("AGENT-CI-001", "gitlab-runner unregister")
        }
        "glab" | "circleci" => {
            let pos = positionals(&t, &["-R", "--repo", "--org-slug", "--token", "--host"]);
            if pos
                .iter()
                .take(3)
                .any(|w| matches!(*w, "delete" | "remove-secret" | "rm" | "remove"))
            {
                e.hit(
                    "AGENT-CI-001",
                    format!(
                        "{} {}",
                        inv.prog,
                        pos.iter().take(2).copied().collect::<Vec<_>>().join(" ")
                    ),
                );
            }
        }
        _ => {}
    }
}
