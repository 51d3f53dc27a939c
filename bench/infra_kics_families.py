#!/usr/bin/env python3
"""guard and Checkov per rule family on KICS's labelled Terraform queries.

Evaluation only: reads ../shared/corpus/terraform/kics (third-party labels, see its
README) and skips cleanly when it is absent. Family-level scoring, the same for both
tools: a query belongs to the family of the guard rules bench/infra_kics.py maps it to
(ENC, DATA, EXP, IAM, NET); an expected (file, line) is found when the tool reports a
finding of that family in that file whose line span contains the line; findings of the
family that match no expected line of a positive file, or sit in a negative file, are
false alarms. False alarms are reported two ways: in negative files (the family
fires on a file labelled "must not raise") and extra findings in positive files
(findings of the family matching no expected line), plus their total. Checkov's failed checks are put in families by check name
(bench/infra_public.py), so a Checkov check counts where it is about the same thing.

Usage: python3 bench/infra_kics_families.py [--guard target/release/guard] [--list-fp]
  --list-fp prints every guard false alarm (file, line span, rule) for review.
"""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from infra_kics import CORPUS, COVERED, UNCOVERED  # noqa: E402
from infra_public import family_of_checkov, family_of_guard  # noqa: E402


def guard_spans(guard, path):
    p = subprocess.run([guard, "infra", path, "--format", "json", "-q", "--fail-on", "critical"],
                       capture_output=True, text=True)
    try:
        report = json.loads(p.stdout)
    except json.JSONDecodeError:
        return []
    out = []
    for f in report["findings"]:
        loc = f.get("location")
        if f["severity"] == "info" or not loc:
            continue
        out.append((family_of_guard(f["rule_id"]), loc["start_line"], loc["end_line"], f["rule_id"]))
    return out


_CHECKOV_DIRS = {}


def checkov_spans(path):
    """Checkov runs once per query directory; its results are split by file."""
    d, name = os.path.split(path)
    if d not in _CHECKOV_DIRS:
        exe = shutil.which("checkov")
        p = subprocess.run([exe, "-d", d, "-o", "json", "--framework", "terraform", "--quiet", "--compact"],
                           capture_output=True, text=True)
        try:
            data = json.loads(p.stdout or "{}")
        except json.JSONDecodeError:
            data = {}
        if isinstance(data, list):
            data = data[0] if data else {}
        by_file = collections.defaultdict(list)
        for c in data.get("results", {}).get("failed_checks", []):
            start, end = (c.get("file_line_range") or [0, 0])[:2]
            by_file[os.path.basename(c.get("file_path", ""))].append(
                (family_of_checkov(c.get("check_name", "")), start, end, c.get("check_id", "")))
        _CHECKOV_DIRS[d] = by_file
    return _CHECKOV_DIRS[d].get(name, [])


def score(spans_of, qdir, family):
    files = sorted(f for f in os.listdir(qdir) if f.endswith(".tf") and f.startswith(("positive", "negative")))
    expected = set()
    with open(os.path.join(qdir, "positive_expected_result.json")) as fh:
        for e in json.load(fh):
            name = e.get("fileName") or e.get("filename")  # KICS spells both
            if name and name.endswith(".tf"):
                expected.add((name, int(e["line"])))
            elif not name:
                # Unnamed entries hold for the positive files (there is one
                # in those queries).
                for f in files:
                    if f.startswith("positive"):
                        expected.add((f, int(e["line"])))
    tp = fp_neg = fp_pos = fn = 0
    alarms = []
    for f in files:
        found = [(s, e, r) for (fam, s, e, r) in spans_of(os.path.join(qdir, f)) if fam == family]
        lines = sorted(l for (n, l) in expected if n == f)
        used = [False] * len(found)
        for line in lines:
            hit = next((i for i, (s, e, _) in enumerate(found) if not used[i] and s <= line <= e), None)
            if hit is None:
                fn += 1
            else:
                used[hit] = True
                tp += 1
        for i, (s, e, r) in enumerate(found):
            if used[i]:
                continue
            if f.startswith("negative"):
                fp_neg += 1
            else:
                fp_pos += 1
            alarms.append((f, s, e, r))
    return (tp, fp_neg, fp_pos, fn), alarms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guard", default=os.path.join("target", "release", "guard"))
    ap.add_argument("--list-fp", action="store_true", help="print every guard false alarm")
    args = ap.parse_args()
    if not os.path.isdir(CORPUS):
        print(f"corpus not found at {CORPUS}; nothing to evaluate")
        return 0
    have_checkov = shutil.which("checkov") is not None
    queries = {q: rules for q, rules in COVERED.items()}
    queries.update({q: rules for q, (rules, _) in UNCOVERED.items()})
    # per tool and family: TP, FP in negative files, FP in positive files, FN
    totals = {"guard": collections.defaultdict(lambda: [0, 0, 0, 0]),
              "checkov": collections.defaultdict(lambda: [0, 0, 0, 0])}
    for q, rules in sorted(queries.items()):
        qdir = os.path.join(CORPUS, q)
        if not os.path.isdir(qdir):
            continue
        family = family_of_guard(rules[0])
        tools = [("guard", lambda p: guard_spans(args.guard, p))]
        if have_checkov:
            tools.append(("checkov", checkov_spans))
        for name, spans_of in tools:
            r, alarms = score(spans_of, qdir, family)
            for i in range(4):
                totals[name][family][i] += r[i]
            print(f"  {q:<52} {family:<5} {name:<8} TP={r[0]} FP(neg)={r[1]} FP(pos)={r[2]} FN={r[3]}",
                  flush=True)
            if args.list_fp and name == "guard":
                for (f, s, e, rule) in alarms:
                    print(f"      FP {f}:{s}-{e} {rule}")
    print()
    print(f"{'family':<7} {'tool':<8} {'recall':>14} {'FP neg':>7} {'FP pos':>7} {'FP total':>9}")
    for fam in sorted(totals["guard"]):
        for name in (["guard", "checkov"] if have_checkov else ["guard"]):
            t = totals[name][fam]
            rec = f"{t[0] / max(t[0] + t[3], 1):.1%} ({t[0]}/{t[0] + t[3]})"
            print(f"{fam:<7} {name:<8} {rec:>14} {t[1]:>7} {t[2]:>7} {t[1] + t[2]:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
