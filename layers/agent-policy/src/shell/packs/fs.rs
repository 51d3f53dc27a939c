//! filesystem: rm, disk tools, shred, chmod/chown, find -delete.

use crate::shell::argv::{has_long, has_short, positionals};
use crate::shell::parse::Stdin;
use crate::shell::paths::{classify, Target};
use crate::shell::word::{program_name, Word};
use crate::shell::{Engine, Inv};

fn operands<'w>(inv: &Inv<'w>) -> Vec<&'w Word> {
    let mut out = Vec::new();
    let mut opts_done = false;
    for w in inv.args {
        if !opts_done && w.text == "--" {
            opts_done = true;
            continue;
        }
        if !opts_done && w.text.starts_with('-') && w.text.len() > 1 {
            continue;
        }
        out.push(w);
    }
    out
}

pub fn rm(e: &mut Engine<'_>, inv: &Inv<'_>) {
    if inv.prog != "rm" {
        return;
    }
    let t = inv.texts();
    if has_long(&t, "no-preserve-root") {
        e.hit("AGENT-FS-001", "--no-preserve-root");
        return;
    }
    let recursive = has_short(&t, 'r') || has_short(&t, 'R') || has_long(&t, "recursive");
    if !recursive {
        return;
    }
    let ops = operands(inv);
    if ops.is_empty() {
        // `find / | xargs rm -rf`: the targets come from a find over a root.
        if let Stdin::Pipe(prods) = inv.stdin {
            for p in prods {
                if p.argv.first().map(|w| program_name(&w.text)) == Some("find") {
                    let root = p.argv.get(1).cloned().unwrap_or_else(|| Word::lit("."));
                    let class = classify(e, &root);
                    if class.is_catastrophic() {
                        e.hit(
                            "AGENT-FS-006",
                            format!("`find {}` piped into `rm -r`", root.text),
                        );
                    }
                }
            }
        }
        return;
    }
    for w in ops {
        if w.text.contains(crate::shell::unwrap::XARGS_ITEM) {
            xargs_items(e, inv);
            continue;
        }
        match classify(e, w) {
            c if c.is_catastrophic() => {
                e.hit("AGENT-FS-001", format!("recursive delete of `{}`", w.text));
            }
            Target::Outside => e.hit("AGENT-FS-002", format!("recursive delete of `{}`", w.text)),
            Target::Unknown => e.hit(
                "AGENT-FS-002",
                format!(
                    "recursive delete of `{}`, which depends on a variable or an unknown directory",
                    w.text
                ),
            ),
            _ => {}
        }
    }
}

/// `... | xargs rm -r`: the items are whatever the first pipeline stage lists.
fn xargs_items(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let find_root = match inv.stdin {
        Stdin::Pipe(prods) => prods.first().and_then(|p| {
            (p.argv.first().map(|w| program_name(&w.text)) == Some("find")).then(|| {
                p.argv
                    .get(1)
                    .cloned()
                    .filter(|w| !w.text.starts_with('-'))
                    .unwrap_or_else(|| Word::lit("."))
            })
        }),
        _ => None,
    };
    let unfiltered = match inv.stdin {
        Stdin::Pipe(prods) => prods.first().is_some_and(|p| !find_filters(&p.argv)),
        _ => false,
    };
    match find_root {
        Some(root) => {
            let c = classify(e, &root);
            if unfiltered && c == Target::ProjectOrAbove {
                e.hit(
                    "AGENT-FS-006",
                    format!("every file `find {}` lists is deleted", root.text),
                );
                return;
            }
            if c.is_catastrophic() && (c != Target::ProjectOrAbove || root.text.contains("..")) {
                e.hit(
                    "AGENT-FS-006",
                    format!("`find {}` piped into `rm -r`", root.text),
                );
            } else if matches!(c, Target::Outside | Target::Unknown) {
                e.hit(
                    "AGENT-FS-002",
                    format!("recursive delete of what `find {}` lists", root.text),
                );
            }
        }
        None => e.hit("AGENT-FS-002", "recursive delete of paths read from stdin"),
    }
}

/// Whether a find expression selects (by name, type, age...) rather than listing all.
fn find_filters(argv: &[Word]) -> bool {
    argv.iter().any(|w| {
        matches!(
            w.text.as_str(),
            "-name"
                | "-iname"
                | "-path"
                | "-ipath"
                | "-regex"
                | "-iregex"
                | "-type"
                | "-mtime"
                | "-mmin"
                | "-atime"
                | "-ctime"
                | "-newer"
                | "-size"
                | "-user"
                | "-group"
                | "-perm"
                | "-empty"
                | "-wholename"
                | "-maxdepth"
                | "-links"
                | "-samefile"
                | "-inum"
        )
    })
}

const BLOCK_DEVICES: &[&str] = &[
    "/dev/sd",
    "/dev/hd",
    "/dev/vd",
    "/dev/xvd",
    "/dev/nvme",
    "/dev/mmcblk",
    "/dev/disk",
    "/dev/mapper/",
    "/dev/md",
    "/dev/dm-",
    "/dev/loop",
    "/dev/rdisk",
];

pub fn is_block_device(path: &str) -> bool {
    BLOCK_DEVICES.iter().any(|p| path.starts_with(p))
}

pub fn disk(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    match inv.prog {
        "dd" => {
            for a in &t {
                if let Some(of) = a.strip_prefix("of=") {
                    if of.starts_with("/dev/") && is_block_device(of) {
                        e.hit("AGENT-FS-003", format!("dd writes to {of}"));
                    }
                }
            }
        }
        "fdisk" | "sfdisk" | "parted" | "cfdisk" => {
            let listing = t.iter().any(|a| {
                matches!(
                    *a,
                    "-l" | "--list"
                        | "-s"
                        | "--show-size"
                        | "print"
                        | "--help"
                        | "-V"
                        | "--version"
                )
            });
            if !listing && t.iter().any(|a| a.starts_with("/dev/")) {
                e.hit("AGENT-FS-003", format!("{} on a disk", inv.prog));
            }
        }
        "sgdisk" => {
            if t.iter().any(|a| {
                a.starts_with("--zap") || *a == "-Z" || *a == "-o" || a.starts_with("--clear")
            }) {
                e.hit("AGENT-FS-003", "sgdisk wipes the partition table");
            }
        }
        _ => {
            if t.iter()
                .any(|a| matches!(*a, "--help" | "-V" | "--version" | "-h"))
            {
                return;
            }
            // mkfs/mke2fs/wipefs on a regular file (a disk image) touch only that
            // file; a device, or an operand guard cannot know, is a disk.
            let device = inv.args.iter().any(|w| {
                let a = w.text.as_str();
                a.starts_with("/dev/")
                    || (w.dynamic && !a.starts_with('-'))
                    || a.contains('$')
                    || a.contains('`')
            });
            if device {
                e.hit(
                    "AGENT-FS-003",
                    format!("`{}` formats or wipes a device", inv.prog),
                );
            }
        }
    }
}

pub fn shred(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    let ops = positionals(
        &t,
        &[
            "-n",
            "--iterations",
            "-s",
            "--size",
            "-r",
            "--reference",
            "--random-source",
        ],
    );
    if inv.prog == "truncate" {
        let zero = crate::shell::argv::opt_value(&t, &["-s", "--size"]).is_some_and(|v| v == "0");
        if zero && ops.iter().any(|p| !p.ends_with(".log")) {
            e.hit("AGENT-FS-004", "truncate to zero bytes");
        }
        return;
    }
    if ops.iter().any(|p| is_block_device(p)) {
        e.hit("AGENT-FS-003", format!("{} on a disk", inv.prog));
    } else if !ops.is_empty() {
        e.hit("AGENT-FS-004", format!("{} {}", inv.prog, ops.join(" ")));
    }
}

fn world_writable(mode: &str) -> bool {
    let digits = mode.trim_start_matches('0');
    if digits.len() == 3 && digits.chars().all(|c| c.is_digit(8)) {
        return digits.ends_with('7')
            || digits.ends_with('6')
            || digits.ends_with('2')
            || digits.ends_with('3');
    }
    if digits.len() == 4 && digits.chars().all(|c| c.is_digit(8)) {
        return world_writable(&digits[1..]);
    }
    // Symbolic: a+w, o+w, +w (umask aside), ugo+rwx.
    mode.split(',').any(|clause| {
        let (who, perm) = match clause.find(['+', '=']) {
            Some(i) => (&clause[..i], &clause[i + 1..]),
            None => return false,
        };
        (who.contains('a') || who.contains('o') || who.is_empty() && clause.contains('='))
            && perm.contains('w')
    })
}

pub fn perms(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    let recursive = has_short(&t, 'R')
        || has_long(&t, "recursive")
        || (inv.prog == "setfacl" && has_short(&t, 'R'));
    let ops = operands(inv);
    let (mode, paths): (Option<&Word>, Vec<&Word>) = match inv.prog {
        "chmod" | "chown" | "chgrp" => {
            (ops.first().copied(), ops.iter().skip(1).copied().collect())
        }
        _ => (None, ops.iter().skip(1).copied().collect()),
    };
    if inv.prog == "chmod" {
        if let Some(m) = mode {
            if world_writable(&m.text) {
                e.hit(
                    "AGENT-FS-005",
                    format!("chmod {} makes files world-writable", m.text),
                );
                return;
            }
        }
    }
    if recursive {
        for p in paths {
            let c = classify(e, p);
            if matches!(c, Target::Root | Target::Home | Target::System) {
                e.hit(
                    "AGENT-FS-005",
                    format!("recursive {} on `{}`", inv.prog, p.text),
                );
            }
        }
    }
}

/// find's tests and actions that take a value (`-name PATTERN`, `-gid N`): the value
/// is never an action, even when it reads `-delete`.
const FIND_WITH_VALUE: &[&str] = &[
    "-name",
    "-iname",
    "-path",
    "-ipath",
    "-wholename",
    "-iwholename",
    "-regex",
    "-iregex",
    "-lname",
    "-ilname",
    "-type",
    "-xtype",
    "-mtime",
    "-mmin",
    "-atime",
    "-amin",
    "-ctime",
    "-cmin",
    "-newer",
    "-anewer",
    "-cnewer",
    "-size",
    "-user",
    "-group",
    "-uid",
    "-gid",
    "-perm",
    "-links",
    "-samefile",
    "-inum",
    "-maxdepth",
    "-mindepth",
    "-fstype",
    "-used",
    "-printf",
    "-fprint",
    "-fprint0",
    "-fls",
    "-context",
    "-regextype",
    "-files0-from",
    "-newerat",
    "-newerct",
    "-newermt",
    "-newerBt",
];

/// Tests that select some files only (a branch with one of them is filtered).
/// Depth limits select nothing: `-mindepth 1 -delete` still deletes everything.
fn is_find_filter(t: &str) -> bool {
    FIND_WITH_VALUE.contains(&t)
        && !matches!(
            t,
            "-printf"
                | "-fprint"
                | "-fprint0"
                | "-fls"
                | "-regextype"
                | "-files0-from"
                | "-mindepth"
                | "-maxdepth"
        )
        || matches!(
            t,
            "-empty" | "-readable" | "-writable" | "-executable" | "-nouser" | "-nogroup"
        )
}

/// One alternative of a find expression (the parts joined by `-o`).
#[derive(Debug, Default)]
struct FindBranch {
    filtered: bool,
    deletes: bool,
}

/// The roots and the top-level alternatives of a find command line.
fn find_expression(args: &[Word]) -> (Vec<Word>, Vec<FindBranch>) {
    let mut i = 0;
    // -H -L -P -O3 -D opts before the roots.
    while let Some(w) = args.get(i) {
        match w.text.as_str() {
            "-H" | "-L" | "-P" => i += 1,
            "-D" => i += 2,
            t if t.starts_with("-O") && t.len() > 2 => i += 1,
            _ => break,
        }
    }
    let mut roots = Vec::new();
    while let Some(w) = args.get(i) {
        let t = w.text.as_str();
        if (t.starts_with('-') && t.len() > 1) || t == "(" || t == "!" || t == ")" {
            break;
        }
        roots.push(w.clone());
        i += 1;
    }
    let mut branches = vec![FindBranch::default()];
    // Per open parenthesis: whether the current alternative is filtered, and whether
    // every earlier alternative of the group was.
    let mut groups: Vec<(bool, bool)> = Vec::new();
    while let Some(w) = args.get(i) {
        let t = w.text.as_str();
        i += 1;
        match t {
            "(" | "\\(" => groups.push((false, true)),
            ")" | "\\)" => {
                if let Some((cur, all)) = groups.pop() {
                    // A group selects only if each of its alternatives does.
                    if cur && all {
                        mark_filtered(&mut groups, &mut branches);
                    }
                }
            }
            "-o" | "-or" => {
                if let Some(g) = groups.last_mut() {
                    g.1 = g.1 && g.0;
                    g.0 = false;
                } else {
                    branches.push(FindBranch::default());
                }
            }
            "-delete" => {
                if let Some(b) = branches.last_mut() {
                    b.deletes = true;
                }
            }
            "-exec" | "-execdir" | "-ok" | "-okdir" => {
                let start = i;
                while args
                    .get(i)
                    .is_some_and(|w| !matches!(w.text.as_str(), ";" | "+"))
                {
                    i += 1;
                }
                let cmd = &args[start.min(args.len())..i.min(args.len())];
                i += 1;
                if exec_deletes(cmd) {
                    if let Some(b) = branches.last_mut() {
                        b.deletes = true;
                    }
                }
            }
            _ => {
                if is_find_filter(t) {
                    mark_filtered(&mut groups, &mut branches);
                }
                if FIND_WITH_VALUE.contains(&t) {
                    i += 1;
                }
                if t == "-fprintf" {
                    i += 2;
                }
            }
        }
    }
    (roots, branches)
}

fn mark_filtered(groups: &mut [(bool, bool)], branches: &mut [FindBranch]) {
    match groups.last_mut() {
        Some(g) => g.0 = true,
        None => {
            if let Some(b) = branches.last_mut() {
                b.filtered = true;
            }
        }
    }
}

/// An `-exec` command that deletes what find passes it.
fn exec_deletes(cmd: &[Word]) -> bool {
    let mut k = 0;
    while let Some(w) = cmd.get(k) {
        let p = program_name(&w.text);
        if matches!(
            p,
            "sudo" | "env" | "command" | "nice" | "nohup" | "busybox" | "doas"
        ) {
            k += 1;
            continue;
        }
        if matches!(
            p,
            "rm" | "shred" | "unlink" | "rmdir" | "srm" | "wipe" | "trash"
        ) {
            return true;
        }
        if matches!(p, "sh" | "bash" | "zsh" | "dash") {
            return cmd[k + 1..].iter().any(|w| {
                let words: Vec<&str> = w.text.split_whitespace().collect();
                words
                    .first()
                    .is_some_and(|f| matches!(program_name(f), "rm" | "shred" | "unlink"))
            });
        }
        return false;
    }
    false
}

pub fn find(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let (roots, branches) = find_expression(inv.args);
    let roots: Vec<Word> = if roots.is_empty() {
        vec![Word::lit(".")]
    } else {
        roots
    };
    for b in branches.iter().filter(|b| b.deletes) {
        for r in &roots {
            let c = classify(e, r);
            if !b.filtered && c == Target::ProjectOrAbove {
                e.hit(
                    "AGENT-FS-006",
                    format!("find from `{}` deletes every file", r.text),
                );
            } else if matches!(c, Target::Root | Target::Home | Target::System) {
                e.hit(
                    "AGENT-FS-006",
                    format!("find from `{}` deletes what it finds", r.text),
                );
            } else if c == Target::ProjectOrAbove && r.text.contains("..") {
                e.hit(
                    "AGENT-FS-006",
                    format!(
                        "find from `{}` (above the project) deletes what it finds",
                        r.text
                    ),
                );
            } else if !b.filtered && matches!(c, Target::Outside | Target::Unknown) {
                e.hit(
                    "AGENT-FS-002",
                    format!("find from `{}` deletes every file under it", r.text),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::world_writable;

    #[test]
    fn modes() {
        assert!(world_writable("777"));
        assert!(world_writable("0777"));
        assert!(world_writable("a+w"));
        assert!(world_writable("o+rwx"));
        assert!(!world_writable("755"));
        assert!(!world_writable("u+x"));
        assert!(!world_writable("644"));
    }
}
