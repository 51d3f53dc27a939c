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
        }
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
