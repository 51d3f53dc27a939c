"""Compares guard's diff model with reviewdog's parsed diffs (../shared/corpus/diffs/reviewdog):
per file, the paths, hunk ranges and every line's kind and old/new line numbers."""
import json
import os
import subprocess
import sys

root = os.path.join(os.path.dirname(__file__), "..")
corpus = os.path.join(root, "..", "shared", "corpus", "diffs", "reviewdog")
if not os.path.isdir(corpus):
    sys.exit(f"corpus not found at {corpus}: nothing to evaluate")
subprocess.run(["cargo", "build", "-q", "--release", "-p", "guard-core", "--example", "parse_diff"], cwd=root, check=True)
exe = os.path.join(root, "target", "release", "examples", "parse_diff")
KIND = {0: "context", 1: "added", 2: "removed"}


def strip(p):
    if p in ("", "/dev/null"):
        return None
    return p[2:] if p[:2] in ("a/", "b/") else p


def expected(entries):
    out = []
    for e in entries:
        hunks = []
        for h in e.get("Hunks") or []:
            lines = [(KIND[l["Type"]], l["LnumOld"] or None, l["LnumNew"] or None, l["Content"]) for l in h["Lines"]]
            hunks.append(((h["StartLineOld"], h["LineLengthOld"], h["StartLineNew"], h["LineLengthNew"]), lines))
        out.append((strip(e["PathOld"]), strip(e["PathNew"]), hunks))
    return out


def actual(cs):
    out = []
    for f in cs["files"]:
        hunks = [((h["old_start"], h["old_lines"], h["new_start"], h["new_lines"]),
                  [(l["kind"], l.get("old_line"), l.get("new_line"), l["text"]) for l in h["lines"]]) for h in f["hunks"]]
        out.append((f["old_path"], f["new_path"], hunks))
    return out


total = agree = 0
for name in sorted(os.listdir(corpus)):
    if not name.endswith(".diff"):
        continue
    total += 1
    want = expected(json.load(open(os.path.join(corpus, name + ".json"))) or [])
    r = subprocess.run([exe, os.path.join(corpus, name)], capture_output=True, text=True)
    if r.returncode != 0:
        print(f"{name:<40} ERROR {r.stderr.strip()}")
        continue
    got = actual(json.loads(r.stdout))
    # reviewdog keeps a file entry for headers without hunks; compare files that have hunks.
    want_h = [w for w in want if w[2]]
    got_h = [g for g in got if g[2]]
    ok = want_h == got_h
    agree += ok
    detail = "" if ok else f"\n    want {want_h}\n    got  {got_h}"
    print(f"{name:<40} {'agree' if ok else 'DIFFER'}{detail}")
print(f"\n{agree}/{total} diffs parsed exactly as reviewdog labels them (files with hunks: paths, ranges, line kinds and numbers)")
