#!/usr/bin/env python3
"""Runs `guard infra` over every plan in ../shared/corpus/terraform/plans and prints
each file's outcome: the clear error, or findings by severity and rule.

Usage: python3 bench/infra_plans.py [--guard target/release/guard]
"""
import argparse
import collections
import json
import os
import subprocess
import sys

CORPUS = os.path.join("..", "shared", "corpus", "terraform", "plans")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guard", default=os.path.join("target", "release", "guard"))
    args = ap.parse_args()
    if not os.path.isdir(CORPUS):
        print(f"corpus not found at {CORPUS}; nothing to evaluate")
        return 0
    files = []
    for root, _, names in os.walk(CORPUS):
        files += [os.path.join(root, n) for n in names if n.endswith(".json")]
    errors = completed = 0
    for path in sorted(files):
        name = os.path.relpath(path, CORPUS)
        with open(path, "rb") as fh:
            head = fh.read(4)
        enc = "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"
        p = subprocess.run([args.guard, "infra", path, "--format", "json", "-q"], capture_output=True, text=True)
        try:
            report = json.loads(p.stdout)
        except json.JSONDecodeError:
            print(f"{name} [{enc}]: NO REPORT (exit {p.returncode}) {p.stderr.strip()[:200]}")
            errors += 1
            continue
        layer = report["layers"][0]
        if layer["outcome"]["status"] != "completed":
            msg = layer["outcome"].get("message", "").replace(path, "<file>")
            print(f"{name} [{enc}]: ERROR (exit {p.returncode}): {msg}")
            errors += 1
            continue
        completed += 1
        with open(path, "rb") as fh:
            raw = fh.read()
        try:
            doc = json.loads(raw.decode("utf-16" if enc == "utf-16" else "utf-8"))
            n = len(doc.get("resource_changes") or [])
        except (ValueError, AttributeError):
            n = "?"
        sev = collections.Counter(f["severity"] for f in report["findings"])
        rules = collections.Counter(f["rule_id"] for f in report["findings"] if f["severity"] != "info")
        sev_s = ", ".join(f"{n} {s}" for s, n in sorted(sev.items())) or "no findings"
        print(f"{name} [{enc}, {n} resource changes]: exit {p.returncode}: {sev_s}")
        for f in report["findings"]:
            if f["severity"] in ("critical", "high") or f["rule_id"] in ("INFRA-DATA-004", "INFRA-PLAN-001"):
                print(f"    {f['severity']:<8} {f['rule_id']:<15} {f.get('resource', '')}: {f['message'][:120]}")
    print(f"\n{len(files)} plans: {completed} scanned, {errors} refused with an error")
    return 0


if __name__ == "__main__":
    sys.exit(main())
