//! self-protection: writes to Claude Code settings, guard.toml and block devices,
//! whether by redirect, `tee`, `sed -i`, `cp`/`mv`/`install`/`ln`, `rm` or `truncate`.

use crate::shell::argv::positionals;
use crate::shell::paths::expand_home;
use crate::shell::word::Word;
use crate::shell::{Engine, Inv};

/// Which protected file a path names, as (rule id, description).
pub fn protected(path: &str) -> Option<(&'static str, &'static str)> {
    let p = path.replace('\\', "/");
    let base = p.rsplit('/').next().unwrap_or(&p);
    let in_claude = p.contains(".claude/") || p.starts_with(".claude");
    if in_claude
        && (base.starts_with("settings") && base.ends_with(".json") || p.contains(".claude/hooks/"))
    {
        return Some(("AGENT-SELF-001", "Claude Code settings or hooks"));
    }
    if p.contains("managed-settings.json") {
        return Some(("AGENT-SELF-001", "Claude Code managed settings"));
    }
    if base == "guard.toml" {
        return Some(("AGENT-SELF-002", "the guard policy"));
    }
    None
}

pub fn write_target(e: &mut Engine<'_>, w: &Word) {
    let path = expand_home(&w.text, &e.home).to_string_lossy().to_string();
    if let Some((id, what)) = protected(&path) {
        e.hit(id, format!("redirect writes {} (`{}`)", what, w.text));
    } else if super::fs::is_block_device(&path) {
        e.hit("AGENT-FS-003", format!("redirect writes to {path}"));
    } else if crate::shell::paths::system_file(e, &w.text) {
        e.hit(
            "AGENT-FS-007",
            format!("redirect writes the system file `{}`", w.text),
        );
    }
}

pub fn bash_writes(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    let targets: Vec<&str> = match inv.prog {
        "tee" | "truncate" | "rm" | "unlink" | "shred" => positionals(&t, &["-s", "--size"]),
        "sed" | "perl"
            if t.iter()
                .any(|a| a.starts_with("-i") || *a == "--in-place" || a.starts_with("-pi")) =>
        {
            positionals(&t, &["-e", "-f", "--expression", "--file"])
                .into_iter()
                .skip(1)
                .collect()
        }
        "cp" | "mv" | "install" | "ln" | "rsync" | "dd" => {
            let pos = positionals(
                &t,
                &[
                    "-t",
                    "--target-directory",
                    "-S",
                    "--suffix",
                    "-m",
                    "--mode",
                    "-o",
                    "-g",
                ],
            );
            let mut v: Vec<&str> = pos.last().copied().into_iter().collect();
            if inv.prog == "mv" {
                v.extend(pos.iter().copied());
            }
            v.extend(t.iter().filter_map(|a| a.strip_prefix("of=")));
            v
        }
        "chmod" | "chattr" => positionals(&t, &[]).into_iter().skip(1).collect(),
        "jq" | "sponge" => positionals(&t, &[])
            .into_iter()
            .last()
            .into_iter()
            .filter(|_| inv.prog == "sponge")
            .collect(),
        _ => Vec::new(),
    };
    for target in targets {
        let path = expand_home(target, &e.home).to_string_lossy().to_string();
        if let Some((id, what)) = protected(&path) {
            e.hit(
                id,
                format!("`{}` changes {} (`{}`)", inv.prog, what, target),
            );
        } else if inv.prog != "chmod"
            && inv.prog != "chattr"
            && crate::shell::paths::system_file(e, target)
        {
            e.hit(
                "AGENT-FS-007",
                format!(
                    "`{}` writes or deletes the system file `{}`",
                    inv.prog, target
                ),
            );
        }
    }
    if inv.prog == "scp" {
        scp(e, inv);
    }
    // Removing the guard binary or uninstalling it.
    if matches!(inv.prog, "rm" | "mv" | "chmod")
        && inv.args.iter().any(|w| {
            w.text.ends_with("/bin/guard")
                || w.substituted.iter().any(|s| s == "which")
                    && (w.text.contains("which guard") || w.text.contains("command -v guard"))
        })
    {
        e.hit("AGENT-SELF-002", "removes or disables the guard binary");
    }
    if inv.prog == "cargo"
        && t.first() == Some(&"uninstall")
        && t.iter().any(|a| a.starts_with("guard"))
    {
        e.hit("AGENT-SELF-002", "cargo uninstall guard");
    }
}

/// `scp SRC... DEST`: a destination in a system directory, here or on the remote host.
fn scp(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    let pos = positionals(
        &t,
        &["-c", "-F", "-i", "-J", "-l", "-o", "-P", "-S", "-D", "-X"],
    );
    if pos.len() < 2 {
        return;
    }
    let Some(dest) = pos.last() else { return };
    // `host:path`, `user@host:path`, `scp://host/path`; a bare `host:` is the remote home.
    let path = if let Some(rest) = dest.strip_prefix("scp://") {
        rest.split_once('/')
            .map(|(_, p)| format!("/{p}"))
            .unwrap_or_default()
    } else if let Some((host, p)) = dest.split_once(':') {
        if host.contains('/') {
            dest.to_string()
        } else {
            p.to_string()
        }
    } else {
        dest.to_string()
    };
    if path.starts_with('/') || !dest.contains(':') {
        let remote = dest.contains(':') && !dest.starts_with('/');
        let hit = if remote {
            // A remote path: no project there, judged by the system roots alone.
            SYSTEM_REMOTE
                .iter()
                .any(|r| path == *r || path.starts_with(&format!("{r}/")))
        } else {
            crate::shell::paths::system_file(e, &path)
        };
        if hit {
            e.hit(
                "AGENT-FS-007",
                format!("scp copies into the system directory `{dest}`"),
            );
        }
    }
}

const SYSTEM_REMOTE: &[&str] = &[
    "/etc", "/usr", "/bin", "/sbin", "/lib", "/lib64", "/boot", "/root", "/var/lib",
];
