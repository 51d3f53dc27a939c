#!/usr/bin/env python3
"""Labelled evaluation of the review layer on bench/review-corpus.

Each case is a change (change.diff) with its new side (new/). A case labelled
with a reviewer (security, bug, performance, quality) counts as found by a
tool when the tool reports something on an added line of the change (for
guard: a finding of that reviewer); a clean case counts as a false alarm when
the tool reports anything on an added line (for guard: per reviewer, and
overall). Semgrep (community rules copied in ../shared/peers/semgrep-rules)
and Bandit (Python only) run on the same new-side files, their results kept
only on added lines, so the comparison is on the change as guard sees it.

Usage: bench/review_eval.py [--guard PATH] [--tools guard,semgrep,bandit]
                            [--out bench/review-results.md]
Peers that are not installed are reported as skipped.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "bench", "review-corpus")
RULES = os.environ.get("SEMGREP_RULES", os.path.join(ROOT, "..", "shared", "peers", "semgrep-rules"))
REVIEWERS = ["security", "bug", "performance", "quality"]
SEMGREP_LANGS = {".py": "python", ".js": "javascript", ".ts": "typescript", ".go": "go", ".java": "java"}


def added_lines(diff_text):
    """New-side line numbers the diff adds, and the line right after each run
    of removed lines (where a removal, e.g. of a check, shows on the new
    side). One file per case."""
    out, new, removed = set(), 0, False
    for line in diff_text.splitlines():
        if line.startswith("@@"):
            if removed:
                out.add(max(new - 1, 1))
            part = line.split("+", 1)[1].split(" ", 1)[0]
            new = int(part.split(",")[0])
            removed = False
        elif line.startswith("+++") or line.startswith("---") or line.startswith("diff "):
            continue
        elif line.startswith("+"):
            out.add(new)
            new += 1
            removed = False
        elif line.startswith("-"):
            removed = True
        elif line.startswith(" "):
            if removed:
                out.add(new)
                removed = False
            new += 1
    if removed:
        out.add(max(new - 1, 1))
    return out


def load_cases():
    with open(os.path.join(CORPUS, "labels.json")) as f:
        labels = json.load(f)
    cases = []
    for cid, meta in sorted(labels.items()):
        with open(os.path.join(CORPUS, cid, "change.diff")) as f:
            diff = f.read()
        cases.append({"id": cid, **meta, "added": added_lines(diff)})
    return cases


def run_guard(guard, cases):
    """Per case: {reviewer: [lines]} of guard's findings on added lines."""
    out, secs = {}, 0.0
    for c in cases:
        d = os.path.join(CORPUS, c["id"])
        t0 = time.time()
        p = subprocess.run(
            [guard, "review", os.path.join(d, "new"), "--patch", os.path.join(d, "change.diff"),
             "--format", "json", "-q"],
            capture_output=True, text=True)
        secs += time.time() - t0
        if p.returncode not in (0, 1):
            print(f"guard failed on {c['id']}: {p.stderr.strip()[:300]}", file=sys.stderr)
            out[c["id"]] = None
            continue
        rep = json.loads(p.stdout)
        hits = {}
        for f in rep["findings"]:
            part = next((t[5:] for t in f.get("tags", []) if t.startswith("part:")), "?")
            loc = f.get("location", {})
            for line in range(loc.get("start_line", 0), loc.get("end_line", 0) + 1):
                hits.setdefault(part, []).append((line, f["rule_id"]))
        out[c["id"]] = hits
    return out, secs


def run_semgrep(cases):
    exe = shutil.which("semgrep")
    if not exe:
        return None, "semgrep not installed", 0.0
    if not os.path.isdir(RULES):
        return None, f"{RULES}: rules not found (set SEMGREP_RULES)", 0.0
    tmp = tempfile.mkdtemp(prefix="review-eval-")
    langs = set()
    for c in cases:
        src = os.path.join(CORPUS, c["id"], "new", c["path"])
        dst = os.path.join(tmp, c["id"], c["path"])
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy(src, dst)
        ext = os.path.splitext(c["path"])[1]
        if ext in SEMGREP_LANGS:
            langs.add(SEMGREP_LANGS[ext])
    args = [exe, "scan", "--metrics=off", "--disable-version-check", "--json", "-q"]
    for lang in sorted(langs):
        args += ["--config", os.path.join(RULES, lang)]
    t0 = time.time()
    p = subprocess.run(args + [tmp], capture_output=True, text=True)
    secs = time.time() - t0
    try:
        data = json.loads(p.stdout)
    except json.JSONDecodeError:
        return None, f"semgrep exited {p.returncode}: {p.stderr.strip()[:300]}", secs
    out = {c["id"]: [] for c in cases}
    for r in data.get("results", []):
        rel = os.path.relpath(r["path"], tmp)
        cid = rel.split(os.sep, 1)[0]
        if cid in out:
            out[cid].append((r["start"]["line"], r["check_id"].rsplit(".", 1)[-1]))
    shutil.rmtree(tmp, ignore_errors=True)
    return out, None, secs


def run_bandit(cases):
    exe = shutil.which("bandit")
    if not exe:
        return None, "bandit not installed", 0.0
    out, secs = {}, 0.0
    for c in cases:
        if not c["path"].endswith(".py"):
            continue
        f = os.path.join(CORPUS, c["id"], "new", c["path"])
        t0 = time.time()
        p = subprocess.run([exe, "-q", "-f", "json", f], capture_output=True, text=True)
        secs += time.time() - t0
        try:
            data = json.loads(p.stdout)
        except json.JSONDecodeError:
            continue
        out[c["id"]] = [(r["line_number"], r["test_id"]) for r in data.get("results", [])]
    return out, None, secs


def on_added(hits, added):
    return [h for h in hits if h[0] in added]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guard", default=os.path.join(ROOT, "target", "release", "guard"))
    ap.add_argument("--tools", default="guard,semgrep,bandit")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    if not os.path.isfile(os.path.join(CORPUS, "labels.json")):
        print(f"skipped: no review corpus at {CORPUS}")
        return 0
    cases = load_cases()
    tools = args.tools.split(",")
    lines = []
    say = lambda s="": (print(s), lines.append(s))

    by_label = {}
    for c in cases:
        by_label.setdefault(c["label"], []).append(c)
    clean = by_label.get("clean", [])
    say(f"Corpus: {len(cases)} changes ({', '.join(f'{k} {len(v)}' for k, v in sorted(by_label.items()))}); "
        "a hit counts only on added lines.")
    say()
    results = {}
    if "guard" in tools:
        if not os.path.isfile(args.guard):
            say(f"guard: {args.guard} not built (cargo build --release -p guard-cli)")
        else:
            g, secs = run_guard(args.guard, cases)
            results["guard"] = g
            say("| guard reviewer | recall on its labelled changes | false alarms on clean changes |")
            say("|---|---:|---:|")
            for rv in REVIEWERS:
                pos = by_label.get(rv, [])
                found = [c for c in pos if g.get(c["id"]) and on_added(g[c["id"]].get(rv, []), c["added"])]
                fa = [c for c in clean if g.get(c["id"]) and on_added(g[c["id"]].get(rv, []), c["added"])]
                say(f"| {rv} | {len(found)}/{len(pos)} | {len(fa)}/{len(clean)} |")
            allpos = [c for c in cases if c["label"] != "clean"]
            found = [c for c in allpos if g.get(c["id"]) and on_added(g[c["id"]].get(c["label"], []), c["added"])]
            fa = [c for c in clean if g.get(c["id"]) and any(on_added(v, c["added"]) for v in g[c["id"]].values())]
            say(f"| **all** | **{len(found)}/{len(allpos)}** | **{len(fa)}/{len(clean)}** |")
            missed = [c["id"] for c in allpos if c not in found]
            if missed:
                say(f"\nguard missed: {', '.join(missed)}")
            if fa:
                shown = []
                for c in fa:
                    rules = sorted({r for v in g[c["id"]].values() for _, r in on_added(v, c["added"])})
                    shown.append(f"{c['id']} {rules}")
                say("guard false alarms: " + ", ".join(shown))
            say(f"guard time: {secs:.1f} s for {len(cases)} runs (one process per change)")
            say()
    peers = {}
    if "semgrep" in tools:
        peers["semgrep"] = run_semgrep(cases)
    if "bandit" in tools:
        peers["bandit"] = run_bandit(cases)
    if peers:
        say("| tool | " + " | ".join(f"recall {rv}" for rv in REVIEWERS) + " | false alarms on clean |")
        say("|---|" + "---:|" * (len(REVIEWERS) + 1))
        if "guard" in results:
            g = results["guard"]
            cells = []
            for rv in REVIEWERS:
                pos = by_label.get(rv, [])
                n = sum(1 for c in pos if g.get(c["id"]) and on_added(g[c["id"]].get(rv, []), c["added"]))
                cells.append(f"{n}/{len(pos)}")
            fa = sum(1 for c in clean if g.get(c["id"]) and any(on_added(v, c["added"]) for v in g[c["id"]].values()))
            say(f"| guard | " + " | ".join(cells) + f" | {fa}/{len(clean)} |")
        for name, (res, why, secs) in peers.items():
            if res is None:
                say(f"| {name} | skipped: {why} |")
                continue
            cells = []
            for rv in REVIEWERS:
                pos = [c for c in by_label.get(rv, []) if c["id"] in res]
                n = sum(1 for c in pos if on_added(res[c["id"]], c["added"]))
                cells.append(f"{n}/{len(pos)}")
            cl = [c for c in clean if c["id"] in res]
            fa = sum(1 for c in cl if on_added(res[c["id"]], c["added"]))
            say(f"| {name} | " + " | ".join(cells) + f" | {fa}/{len(cl)} |")
        say()
        say("Peers count any result on an added line (they have no reviewer split); Bandit sees only the Python changes.")
        for name, (res, why, secs) in peers.items():
            if res is not None:
                say(f"{name} time: {secs:.1f} s")
    if args.out:
        with open(args.out, "w") as f:
            f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
