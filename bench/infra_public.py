#!/usr/bin/env python3
"""guard and Checkov side by side on real public Terraform.

The files are listed in bench/infra-public.tsv (repository, path, commit); they
are public code of their owners and are not committed here. Lay them out under
bench/infra-public/<owner>/<repo>/<path> first (any checkout of the listed
commits will do, e.g. `git clone` + `git checkout`, or a copy fetched by hand);
the script skips cleanly when the directory is absent.

For every project directory it runs `guard infra DIR --format json` and, when
Checkov is on PATH, `checkov -d DIR -o json --framework terraform`, then prints:
  - files read, and files guard could not read (INFRA-INPUT-001);
  - findings per rule family for guard (INFRA-<FAMILY>-NNN, Info left out) and
    for Checkov (failed checks grouped into the same families by check name);
  - disagreements: (resource, family) pairs one tool flags and the other does
    not, for review in bench/infra-results.md.

Usage: python3 bench/infra_public.py [--guard target/debug/guard] [--list N]
"""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "infra-public")
MANIFEST = os.path.join(HERE, "infra-public.tsv")

# Checkov check names -> guard families (first match wins).
FAMILY_WORDS = [
    ("IAM", ["iam", "policy", "privilege", "principal", "assume", "credentials exposure", "wildcard"]),
    ("NET", ["security group", "ingress", "egress", "0.0.0.0", "port", "nacl", "network acl"]),
    ("ENC", ["encrypt", "kms", "tls", "ssl", "https", "cmk", "in transit"]),
    ("LOG", ["log", "trail", "monitor", "tracing", "x-ray"]),
    ("DATA", ["backup", "deletion", "versioning", "retention", "snapshot", "recovery", "replication", "protect"]),
    ("EXP", ["public", "acl", "imds", "metadata", "internet"]),
    ("HYG", ["module", "commit hash", "version"]),
    ("SEC", ["secret", "hard coded", "hardcoded", "password", "rotation"]),
]


def family_of_checkov(name):
    n = name.lower()
    for fam, words in FAMILY_WORDS:
        if any(w in n for w in words):
            return fam
    return "OTHER"


def family_of_guard(rule_id):
    parts = rule_id.split("-")
    return parts[1] if len(parts) == 3 else "OTHER"


def projects():
    out = []
    for owner in sorted(os.listdir(ROOT)):
        for repo in sorted(os.listdir(os.path.join(ROOT, owner))):
            out.append(os.path.join(ROOT, owner, repo))
    return out


def tf_files(d):
    n = 0
    for _, _, files in os.walk(d):
        n += sum(1 for f in files if f.endswith(".tf"))
    return n


def run_guard(guard, d):
    p = subprocess.run([guard, "infra", d, "--format", "json", "-q", "--fail-on", "critical"],
                       capture_output=True, text=True)
    report = json.loads(p.stdout)
    found = []
    for f in report["findings"]:
        if f["severity"] == "info":
            continue
        res = f.get("resource") or ""
        found.append((f["rule_id"], res, f["message"], (f.get("location") or {}).get("path", "")))
    return found


def run_checkov(d):
    exe = shutil.which("checkov")
    if not exe:
        return None
    p = subprocess.run([exe, "-d", d, "-o", "json", "--framework", "terraform", "--quiet", "--compact"],
                       capture_output=True, text=True)
    try:
        data = json.loads(p.stdout or "{}")
    except json.JSONDecodeError:
        return []
    if isinstance(data, list):
        data = data[0] if data else {}
    failed = data.get("results", {}).get("failed_checks", [])
    return [(c["check_id"], c.get("resource", ""), c.get("check_name", ""), c.get("file_path", "")) for c in failed]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guard", default=os.path.join("target", "release", "guard"))
    ap.add_argument("--list", type=int, default=50, help="disagreements to print")
    args = ap.parse_args()
    if not os.path.isdir(ROOT):
        print(f"{ROOT} not found: lay out the files of {MANIFEST} there first; nothing to evaluate")
        return 0
    if not os.path.exists(args.guard):
        print(f"{args.guard} not found; build it with `cargo build -p guard-cli`")
        return 1
    total_files = unread = 0
    g_fam = collections.Counter()
    c_fam = collections.Counter()
    disagreements = []
    have_checkov = shutil.which("checkov") is not None
    print(f"{'project':<55} {'files':>5} {'unread':>6} {'guard':>6} {'checkov':>8}")
    for d in projects():
        files = tf_files(d)
        g = run_guard(args.guard, d)
        c = run_checkov(d) if have_checkov else None
        bad = {p for (r, _, _, p) in g if r == "INFRA-INPUT-001"}
        total_files += files
        unread += len(bad)
        for r, *_ in g:
            g_fam[family_of_guard(r)] += 1
        for _, _, name, _ in c or []:
            c_fam[family_of_checkov(name)] += 1
        name = os.path.relpath(d, ROOT)
        print(f"{name:<55} {files:>5} {len(bad):>6} {len(g):>6} {'-' if c is None else len(c):>8}")
        if c is None:
            continue
        gk = {}
        for r, res, msg, _ in g:
            gk.setdefault((res, family_of_guard(r)), []).append(f"{r} {msg}")
        ck = {}
        for cid, res, cname, _ in c:
            ck.setdefault((res, family_of_checkov(cname)), []).append(f"{cid} {cname}")
        for key in sorted(set(gk) | set(ck)):
            if key in gk and key not in ck:
                disagreements.append((name, key, "guard only", gk[key]))
            elif key in ck and key not in gk:
                disagreements.append((name, key, "checkov only", ck[key]))
    print()
    print(f"files: {total_files}, read without INFRA-INPUT-001: {total_files - unread}")
    fams = sorted(set(g_fam) | set(c_fam))
    print(f"{'family':<8} {'guard':>6} {'checkov':>8}")
    for f in fams:
        print(f"{f:<8} {g_fam[f]:>6} {c_fam[f] if have_checkov else '-':>8}")
    if disagreements:
        print()
        print(f"disagreements ((resource, family) flagged by one tool only): {len(disagreements)}; first {args.list}:")
        for name, (res, fam), who, what in disagreements[: args.list]:
            print(f"  [{who}] {name} {res} {fam}: {'; '.join(what)[:200]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
