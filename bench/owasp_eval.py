#!/usr/bin/env python3
"""Accuracy of the owasp layer against Semgrep and Bandit on a labelled corpus.

Corpus layout (bench/owasp-corpus by default, `--corpus DIR` for another one):

    <cwe>/<lang>/pos_<name>.<ext>   vulnerable: the tool should report CWE <cwe> on it
    <cwe>/<lang>/neg_<name>.<ext>   safe look-alike: no CWE <cwe> finding expected

<cwe> is the number ("89") or "CWE-89"; <lang> is informative (python, javascript,
typescript, java, go, ...), the language is taken from the file extension.

Scoring (OWASP Benchmark style), per CWE N:
  a file counts as detected for N when the tool reports any finding on it whose
  CWE (guard: first `CWE-*` tag; Semgrep: first entry of `metadata.cwe`;
  Bandit: `issue_cwe.id`) equals N, normalised so that "CWE-089" == 89.
  TPR = detected positives / positives, FPR = detected negatives / negatives,
  score = TPR - FPR; the average is over the CWEs that have both kinds of files.
  `--lenient` also counts a reported child CWE for its parent (Bandit reports
  hard-coded passwords as 259, not 798; see LENIENT) to show what a peer loses
  to its CWE choice alone; the headline figures use the exact match.

Before scanning, every corpus file is copied to a scratch tree under an opaque
name (`c0001/f0001.py`, one directory per file), so no tool can see the labels
in the paths (`pos_`/`neg_`, the CWE directory) and no test-path heuristic
applies; `--keep-names` scans the corpus in place instead.

Tools, all on the same scratch tree in one run:
  guard    GUARD_BIN (default target/release/guard, built if missing):
           `guard run TREE --layer owasp --format json`. If the binary has no
           owasp layer the column reads "n/a" and the reason is printed.
  semgrep  the community rules in ../shared/peers/semgrep-rules (SEMGREP_RULES
           to override), one config folder per language present in the corpus
           (+ generic/secrets), offline: --metrics=off --disable-version-check.
  bandit   Python files only (its scope); its own `issue_cwe` gives the CWE.

The first table scores guard and Semgrep on every file and Bandit on the Python
files; the second scores all three on the Python files alone.

Usage: bench/owasp_eval.py [--corpus DIR] [--tools guard,semgrep,bandit]
                           [--keep-names] [--json OUT] [--per-lang] [--misses TOOL]
                           [--lenient]
"""
import argparse
import collections
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CORPUS = os.path.join(ROOT, "bench", "owasp-corpus")
DEFAULT_RULES = os.path.join(ROOT, "..", "shared", "peers", "semgrep-rules")

EXT_LANG = {
    ".py": "python",
    ".js": "javascript", ".jsx": "javascript", ".mjs": "javascript", ".cjs": "javascript",
    ".ts": "typescript", ".tsx": "typescript",
    ".java": "java",
    ".go": "go",
    ".php": "php",
    ".rb": "ruby",
}
# Semgrep community rule folders per language; TypeScript files are also
# JavaScript to Semgrep, so both folders apply to them.
SEMGREP_FOLDERS = {
    "python": ["python"],
    "javascript": ["javascript"],
    "typescript": ["javascript", "typescript"],
    "java": ["java"],
    "go": ["go"],
}
SEMGREP_COMMON = [os.path.join("generic", "secrets")]

# --lenient: a reported CWE that is a direct child (or the usual sibling) of a
# labelled one also counts for it, to show how much of a peer's score is lost to
# its choice of CWE rather than to what it detects. Off by default: the score is
# on the exact CWE.
LENIENT = {
    259: 798,  # hard-coded password -> hard-coded credentials
    321: 798,  # hard-coded cryptographic key
    95: 94,    # eval injection -> code injection
    916: 328,  # password hash with insufficient effort -> weak hash
    326: 327,  # inadequate encryption strength -> broken crypto
    338: 330,  # weak PRNG -> insufficiently random values
    1336: 94,  # template injection
}

CWE_RE = re.compile(r"^\s*CWE[-_ ]?0*(\d+)\b", re.IGNORECASE)


def cwe_number(value):
    """'CWE-089: ...' / 'cwe-89' / 89 / '89' -> 89; anything else -> None."""
    if isinstance(value, int):
        return value
    if not isinstance(value, str):
        return None
    m = CWE_RE.match(value)
    if m:
        return int(m.group(1))
    if value.strip().isdigit():
        return int(value.strip())
    return None


class CorpusError(Exception):
    pass


def load_corpus(corpus):
    """Returns a list of dicts: rel, cwe, label ('pos'/'neg'), lang."""
    if not os.path.isdir(corpus):
        raise CorpusError(f"{corpus}: corpus directory not found")
    items = []
    problems = []
    for dirpath, dirnames, filenames in os.walk(corpus):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, corpus)
            parts = rel.split(os.sep)
            if len(parts) == 1:
                continue  # PROVENANCE.md, README and the like at the top
            ext = os.path.splitext(name)[1].lower()
            if ext not in EXT_LANG:
                if ext not in (".md", ".txt"):
                    problems.append(f"{rel}: not a source file of a known language ({ext or 'no extension'})")
                continue
            cwe = cwe_number(parts[0])
            if cwe is None:
                problems.append(f"{rel}: first directory `{parts[0]}` is not a CWE number")
                continue
            if name.startswith("pos_"):
                label = "pos"
            elif name.startswith("neg_"):
                label = "neg"
            else:
                problems.append(f"{rel}: file name must start with pos_ or neg_")
                continue
            items.append({"rel": rel, "cwe": cwe, "label": label, "lang": EXT_LANG[ext], "ext": ext})
    if problems:
        raise CorpusError("corpus layout errors:\n  " + "\n  ".join(problems))
    if not items:
        raise CorpusError(f"{corpus}: no labelled files (<cwe>/<lang>/pos_*|neg_*)")
    return items


def stage(corpus, items, keep_names):
    """Map each item to the path the tools scan; returns (scan_root, tmpdir or None)."""
    if keep_names:
        for it in items:
            it["scan"] = it["rel"]
        return corpus, None
    tmp = tempfile.mkdtemp(prefix="owasp-eval-")
    tree = os.path.join(tmp, "tree")
    os.makedirs(tree)
    # A fixed order independent of the labels: sorted by a hash of the content.
    def key(it):
        with open(os.path.join(corpus, it["rel"]), "rb") as f:
            return hashlib.sha256(f.read() + it["rel"].encode()).hexdigest()

    order = sorted(items, key=key)
    for i, it in enumerate(order, 1):
        # One directory per file: Java class names and Go packages do not clash.
        rel = os.path.join(f"c{i:04d}", f"f{i:04d}{it['ext']}")
        os.makedirs(os.path.join(tree, os.path.dirname(rel)))
        shutil.copyfile(os.path.join(corpus, it["rel"]), os.path.join(tree, rel))
        it["scan"] = rel
    return tree, tmp


def norm(path, root):
    p = path
    if os.path.isabs(p):
        p = os.path.relpath(p, root)
    p = os.path.normpath(p)
    return p.replace(os.sep, "/")


# ---------------------------------------------------------------- guard

def guard_binary():
    env = os.environ.get("GUARD_BIN")
    if env:
        return env, False
    return os.path.join(ROOT, "target", "release", "guard"), True


def run_guard(tree):
    """Returns (findings: {path: set(cwe)}, note, seconds) or (None, reason, 0)."""
    binary, default = guard_binary()
    if default and not os.path.exists(binary):
        print("building guard (cargo build --release -p guard-cli) ...", file=sys.stderr)
        b = subprocess.run(["cargo", "build", "--release", "-q", "-p", "guard-cli"], cwd=ROOT)
        if b.returncode != 0:
            return None, "cargo build --release -p guard-cli failed", 0
    if not os.path.exists(binary):
        return None, f"{binary} not found (set GUARD_BIN)", 0
    layers = subprocess.run([binary, "layers"], capture_output=True, text=True)
    ids = [line.split()[0] for line in layers.stdout.splitlines() if line.strip()]
    if layers.returncode != 0 or "owasp" not in ids:
        return None, (f"{binary} has no owasp layer (its layers: {', '.join(ids) or 'none'}); "
                      "rerun with GUARD_BIN pointing at a build that has it"), 0
    t0 = time.monotonic()
    out = subprocess.run([binary, "run", tree, "--layer", "owasp", "--format", "json", "-q"],
                         capture_output=True, text=True)
    secs = time.monotonic() - t0
    if out.returncode not in (0, 1):
        return None, f"guard exited {out.returncode}: {out.stderr.strip()[:500]}", secs
    try:
        report = json.loads(out.stdout)
    except json.JSONDecodeError as e:
        return None, f"guard output is not JSON ({e})", secs
    notes = []
    for lay in report.get("layers", []):
        status = (lay.get("outcome") or {}).get("status")
        if status != "completed":
            notes.append(f"layer {lay.get('id')} {status}: {(lay.get('outcome') or {}).get('message', '')}")
    for err in report.get("input_errors", []):
        notes.append(f"input error {err.get('path')}: {err.get('message')}")
    found = collections.defaultdict(set)
    for f in report.get("findings", []):
        loc = f.get("location") or {}
        if not loc.get("path"):
            continue
        cwe = next((cwe_number(t) for t in f.get("tags", []) if cwe_number(t) is not None), None)
        if cwe is not None:
            found[norm(loc["path"], tree)].add(cwe)
    return found, "; ".join(notes), secs


# ---------------------------------------------------------------- semgrep

def run_semgrep(tree, langs):
    exe = shutil.which("semgrep")
    if not exe:
        return None, "semgrep not installed (pip install semgrep)", 0
    rules = os.path.abspath(os.environ.get("SEMGREP_RULES", DEFAULT_RULES))
    if not os.path.isdir(rules):
        return None, f"{rules}: semgrep-rules copy not found (set SEMGREP_RULES)", 0
    folders = []
    for lang in sorted(langs):
        for sub in SEMGREP_FOLDERS.get(lang, []) :
            if sub not in folders:
                folders.append(sub)
    folders += SEMGREP_COMMON
    cmd = [exe, "scan", "--metrics=off", "--disable-version-check", "--json", "-q",
           "--no-git-ignore", "--timeout", "30"]
    for sub in folders:
        path = os.path.join(rules, sub)
        if os.path.isdir(path):
            cmd += ["--config", path]
    cmd.append(tree)
    t0 = time.monotonic()
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=tree)
    secs = time.monotonic() - t0
    try:
        report = json.loads(out.stdout)
    except json.JSONDecodeError:
        return None, f"semgrep exited {out.returncode}: {out.stderr.strip()[:500]}", secs
    found = collections.defaultdict(set)
    for r in report.get("results", []):
        meta = (r.get("extra") or {}).get("metadata") or {}
        cwe = meta.get("cwe")
        if isinstance(cwe, list):
            cwe = cwe[0] if cwe else None
        n = cwe_number(cwe)
        if n is not None:
            found[norm(r["path"], tree)].add(n)
    errs = [e for e in report.get("errors", []) if e.get("level") == "error"]
    note = f"rules: {', '.join(folders)}"
    if errs:
        note += f"; {len(errs)} errors (first: {str(errs[0].get('message', errs[0]))[:200]})"
    return found, note, secs


# ---------------------------------------------------------------- bandit

def run_bandit(tree, items):
    exe = shutil.which("bandit")
    if not exe:
        return None, "bandit not installed (pip install bandit)", 0
    py = [it["scan"] for it in items if it["lang"] == "python"]
    if not py:
        return {}, "no Python files", 0
    t0 = time.monotonic()
    out = subprocess.run([exe, "-q", "-f", "json", "-r", "."], capture_output=True, text=True, cwd=tree)
    secs = time.monotonic() - t0
    try:
        report = json.loads(out.stdout)
    except json.JSONDecodeError:
        return None, f"bandit exited {out.returncode}: {out.stderr.strip()[:500]}", secs
    found = collections.defaultdict(set)
    for r in report.get("results", []):
        n = cwe_number((r.get("issue_cwe") or {}).get("id"))
        if n is not None:
            found[norm(r["filename"], tree)].add(n)
    errs = report.get("errors", [])
    note = f"{len(errs)} files it could not parse" if errs else ""
    return found, note, secs


# ---------------------------------------------------------------- scoring

def reported(found, it, lenient):
    cwes = set(found.get(it["scan"], ()))
    if lenient:
        cwes |= {LENIENT[c] for c in cwes if c in LENIENT}
    return cwes


def score(items, found, only_lang=None, lenient=False):
    """{cwe: (tp, npos, fp, nneg)} for the items (optionally one language)."""
    acc = collections.defaultdict(lambda: [0, 0, 0, 0])
    for it in items:
        if only_lang and it["lang"] != only_lang:
            continue
        hit = it["cwe"] in reported(found, it, lenient)
        a = acc[it["cwe"]]
        if it["label"] == "pos":
            a[1] += 1
            a[0] += hit
        else:
            a[3] += 1
            a[2] += hit
    return {k: tuple(v) for k, v in acc.items()}


def summarise(table):
    """Per CWE: (tpr, fpr, score) or None when a side is empty; plus the average."""
    per = {}
    for cwe, (tp, npos, fp, nneg) in table.items():
        if npos and nneg:
            tpr, fpr = tp / npos, fp / nneg
            per[cwe] = (tpr, fpr, tpr - fpr)
        else:
            per[cwe] = None
    scored = [v for v in per.values() if v]
    avg = None
    if scored:
        avg = tuple(sum(v[i] for v in scored) / len(scored) for i in range(3))
    return per, avg


def pct(x):
    return f"{100 * x:5.1f}"


def print_table(title, cwes, counts, tools):
    """tools: list of (name, per|None, avg|None)."""
    print(title)
    head = f"{'CWE':>6} {'pos':>4} {'neg':>4} "
    for name, _, _ in tools:
        head += f"| {name:^20} "
    print(head)
    sub = f"{'':>6} {'':>4} {'':>4} "
    for _ in tools:
        sub += f"| {'TPR':>6}{'FPR':>7}{'score':>7} "
    print(sub)
    print("-" * len(sub))
    for cwe in cwes:
        npos, nneg = counts[cwe]
        line = f"{cwe:>6} {npos:>4} {nneg:>4} "
        for _, per, _ in tools:
            v = per.get(cwe) if per is not None else None
            if per is None:
                line += f"| {'n/a':>6}{'':>7}{'':>7} "
            elif v is None:
                line += f"| {'-':>6}{'-':>7}{'-':>7} "
            else:
                line += f"| {pct(v[0]):>6}{pct(v[1]):>7}{pct(v[2]):>7} "
        print(line)
    print("-" * len(sub))
    line = f"{'avg':>6} {sum(c[0] for c in counts.values()):>4} {sum(c[1] for c in counts.values()):>4} "
    for _, per, avg in tools:
        if per is None or avg is None:
            line += f"| {'n/a':>6}{'':>7}{'':>7} "
        else:
            line += f"| {pct(avg[0]):>6}{pct(avg[1]):>7}{pct(avg[2]):>7} "
    print(line)
    print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    ap.add_argument("--tools", default="guard,semgrep,bandit")
    ap.add_argument("--keep-names", action="store_true", help="scan the corpus in place")
    ap.add_argument("--json", help="write per-CWE figures and per-file detections here")
    ap.add_argument("--per-lang", action="store_true", help="also print one table per language")
    ap.add_argument("--misses", help="list the misclassified files of this tool")
    ap.add_argument("--lenient", action="store_true",
                    help="also count a reported child CWE for its parent (259/321->798, 95->94, ...)")
    args = ap.parse_args()

    corpus = os.path.abspath(args.corpus)
    try:
        items = load_corpus(corpus)
    except CorpusError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    for t in tools:
        if t not in ("guard", "semgrep", "bandit"):
            print(f"error: unknown tool `{t}` (expected guard, semgrep, bandit)", file=sys.stderr)
            return 2
    langs = {it["lang"] for it in items}
    tree, tmp = stage(corpus, items, args.keep_names)
    results = {}
    try:
        for t in tools:
            print(f"running {t} ...", file=sys.stderr)
            if t == "guard":
                results[t] = run_guard(tree)
            elif t == "semgrep":
                results[t] = run_semgrep(tree, langs)
            else:
                results[t] = run_bandit(tree, items)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)

    n_files = len(items)
    by_lang = collections.Counter(it["lang"] for it in items)
    print(f"corpus: {os.path.relpath(corpus, os.getcwd())}  {n_files} files "
          f"({', '.join(f'{l} {n}' for l, n in sorted(by_lang.items()))}), "
          f"{sum(it['label'] == 'pos' for it in items)} positive, "
          f"{sum(it['label'] == 'neg' for it in items)} negative")
    for t in tools:
        found, note, secs = results[t]
        status = "not run" if found is None else f"{secs:.1f}s"
        print(f"  {t:8} {status}{'  ' + note if note else ''}")
    print()

    def column(name, only_lang=None, tool_lang=None):
        found = results[name][0]
        if found is None:
            return (name, None, None)
        lang = only_lang or tool_lang
        per, avg = summarise(score(items, found, lang, args.lenient))
        return (name, per, avg)

    def counts_for(only_lang=None):
        c = collections.defaultdict(lambda: [0, 0])
        for it in items:
            if only_lang and it["lang"] != only_lang:
                continue
            c[it["cwe"]][0 if it["label"] == "pos" else 1] += 1
        return c

    all_counts = counts_for()
    cwes = sorted(all_counts)
    cols = []
    for t in tools:
        label = "bandit (py files)" if t == "bandit" else t
        c = column(t, tool_lang="python" if t == "bandit" else None)
        cols.append((label,) + c[1:])
    mode = "child CWEs counted for their parent (--lenient)" if args.lenient else "exact CWE match"
    print_table(f"All files (Bandit: Python files only), {mode}. Score = TPR - FPR, in points.",
                cwes, all_counts, cols)

    if "python" in langs:
        py_counts = counts_for("python")
        print_table("Python files only, every tool.", sorted(py_counts), py_counts,
                    [column(t, only_lang="python") for t in tools])
    if args.per_lang:
        for lang in sorted(langs - {"python"}):
            lc = counts_for(lang)
            print_table(f"{lang} files only.", sorted(lc), lc,
                        [column(t, only_lang=lang) for t in tools if t != "bandit"])

    avgs = {name: avg for name, per, avg in cols if avg is not None}
    if "guard" in avgs:
        peers = {k: v for k, v in avgs.items() if k != "guard"}
        if peers:
            best = max(peers, key=lambda k: peers[k][2])
            margin = 100 * (avgs["guard"][2] - peers[best][2])
            print(f"guard average score minus the best peer's ({best}): {margin:+.1f} points (target: >= +15)")
    elif "guard" in tools:
        print(f"guard: not scored: {results['guard'][1]}")

    if args.misses:
        found = results.get(args.misses, (None,))[0]
        if found is None:
            print(f"--misses {args.misses}: tool not run", file=sys.stderr)
        else:
            print(f"\nmisclassified by {args.misses}:")
            for it in items:
                if args.misses == "bandit" and it["lang"] != "python":
                    continue
                hit = it["cwe"] in reported(found, it, args.lenient)
                if hit != (it["label"] == "pos"):
                    got = ",".join(str(c) for c in sorted(found.get(it["scan"], ()))) or "-"
                    kind = "FN" if it["label"] == "pos" else "FP"
                    print(f"  {kind} {it['rel']}  (reported CWEs: {got})")

    if args.json:
        doc = {"corpus": corpus, "files": n_files, "lenient": args.lenient, "tools": {}}
        for name, per, avg in cols:
            key = name.split()[0]
            if per is None:
                doc["tools"][key] = {"error": results[key][1]}
                continue
            doc["tools"][key] = {
                "average": dict(zip(("tpr", "fpr", "score"), avg)) if avg else None,
                "per_cwe": {str(c): dict(zip(("tpr", "fpr", "score"), v)) if v else None for c, v in per.items()},
                "seconds": results[key][2],
                "detections": {it["rel"]: sorted(results[key][0].get(it["scan"], ())) for it in items},
            }
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
