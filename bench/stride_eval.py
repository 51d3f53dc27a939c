#!/usr/bin/env python3
"""guard's stride layer against the peers' own answers.

1. Threagile: on the shared corpus's example model
   (../shared/corpus/stride/threagile/example.yaml, a third-party corpus: this
   script skips that part cleanly when it is absent), guard's risk categories
   (each guard rule that matches a Threagile built-in rule carries a
   `threagile:<category>` tag) side by side with the categories Threagile
   Threagile's rules give on that model (bench/stride-threagile-expected.json:
   category -> affected elements, derived by hand from Threagile's Go rules,
   with its provenance), per category and per (category, element); a second
   table against an older all.json (bench/stride-threagile-alljson.json).
2. pytm: on pytm's own example models exported with `--json` (committed under
   layers/stride/tests/fixtures/models/pytm-*.json; the exports carry pytm's
   findings), guard's threats and pytm's findings compared by
   (element, STRIDE category): recall of pytm's pairs and guard's extras.
   pytm's threat library has no STRIDE field; PYTM_STRIDE below maps each SID
   (the same mapping is documented in layers/stride/docs/peer-mapping.md).

Usage: bench/stride_eval.py [--guard PATH]   (default target/release/guard, else target/debug/guard)
"""
import json, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "..", "shared", "corpus", "stride", "threagile", "example.yaml")
FIXTURES = os.path.join(ROOT, "layers", "stride", "tests", "fixtures", "models")

# pytm SID prefix (or SID) -> STRIDE letter. Prefix families follow the
# library's own grouping; the exceptions are the SIDs whose description says
# otherwise.
PREFIX = {"INP": "T", "SC": "T", "LB": "T", "AC": "E", "API": "E", "AA": "S",
          "DO": "D", "DE": "I", "DS": "I", "DR": "I", "HA": "I", "CR": "S", "LLM": "T"}
EXCEPT = {"DE04": "R", "CR01": "S", "CR02": "I", "CR03": "S", "CR04": "S", "CR05": "I",
          "CR06": "T", "CR07": "T", "CR08": "T", "DS06": "I", "AC05": "S", "AC22": "I",
          "AC23": "I", "AC24": "I", "LLM03": "I", "LLM08": "I", "LLM05": "E", "LLM06": "E"}
LETTER = {"Spoofing": "S", "Tampering": "T", "Repudiation": "R", "InformationDisclosure": "I",
          "DenialOfService": "D", "ElevationOfPrivilege": "E"}


def pytm_stride(sid):
    if sid in EXCEPT:
        return EXCEPT[sid]
    m = re.match(r"[A-Z]+", sid)
    return PREFIX.get(m.group(0) if m else "", "?")


def slug(s):
    out, dash = [], False
    for c in s:
        if c.isascii() and c.isalnum():
            out.append(c.lower()); dash = False
        elif not dash and out:
            out.append("-"); dash = True
    return "".join(out).rstrip("-")


def guard_bin(argv):
    if "--guard" in argv:
        return argv[argv.index("--guard") + 1]
    for p in ("target/release/guard", "target/debug/guard"):
        full = os.path.join(ROOT, p)
        if os.path.exists(full):
            return full
    sys.exit("build guard first: cargo build --release -p guard-cli")


def guard_findings(guard, model):
    r = subprocess.run([guard, "stride", model, "--format", "json", "-q"], capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f"guard failed on {model}: {r.stderr}")
    return [f for f in json.loads(r.stdout)["findings"] if f["layer"] == "stride"]


def guard_threagile(guard):
    """guard's (category, element) pairs on the example model: the
    threagile:<category> tag and the finding's element or flow id."""
    pairs = set()
    for f in guard_findings(guard, CORPUS):
        ident = (f.get("resource") or "").partition(":")[2]
        for t in f["tags"]:
            if t.startswith("threagile:"):
                pairs.add((t.split(":", 1)[1], ident))
    return pairs


def threagile(guard):
    print("## Threagile example model\n")
    if not os.path.exists(CORPUS):
        print("(skipped: ../shared/corpus is absent)\n")
        return
    expected = json.load(open(os.path.join(ROOT, "bench", "stride-threagile-expected.json")))
    theirs_pairs = {(c, e) for c, v in expected["categories"].items() for e in v["elements"]}
    theirs = set(expected["categories"])
    ours_pairs = guard_threagile(guard)
    ours = {c for c, _ in ours_pairs}
    print(f"Expected: {expected['source']}\n")
    print("| category | Threagile elements | guard elements | both | guard only |\n|---|---|---|---|---|")
    for c in sorted(theirs | ours):
        t = {e for k, e in theirs_pairs if k == c}
        o = {e for k, e in ours_pairs if k == c}
        print(f"| {c} | {len(t)} | {len(o)} | {len(t & o)} | {', '.join(sorted(o - t))} |")
    both = theirs & ours
    pb = theirs_pairs & ours_pairs
    print(f"\ncategory recall {len(both)}/{len(theirs)} = {len(both)/max(1,len(theirs)):.0%}; "
          f"(category, element) recall {len(pb)}/{len(theirs_pairs)} = {len(pb)/max(1,len(theirs_pairs)):.0%}; "
          f"guard-only categories: {len(ours - theirs)} ({', '.join(sorted(ours - theirs)) or 'none'}); "
          f"guard-only pairs: {len(ours_pairs - theirs_pairs)}\n")
    missed = sorted(theirs_pairs - ours_pairs)
    if missed:
        print("Missed pairs: " + ", ".join(f"{c} {e}" for c, e in missed) + "\n")
    old = json.load(open(os.path.join(ROOT, "bench", "stride-threagile-alljson.json")))
    o_cats = set(old["categories"])
    print(f"Second table, against an all.json Threagile wrote with no technology resolved ({old['source']})\n")
    print("| category | all.json | guard |\n|---|---|---|")
    for c in sorted(o_cats):
        print(f"| {c} | yes | {'yes' if c in ours else ''} |")
    print(f"\nrecall {len(o_cats & ours)}/{len(o_cats)}\n")


def pytm(guard):
    print("## pytm example models (element, STRIDE)\n")
    files = sorted(f for f in os.listdir(FIXTURES) if f.startswith("pytm-") and f.endswith(".json"))
    print("| model | pytm pairs | guard pairs | both | recall | guard extras |\n|---|---|---|---|---|---|")
    for name in files:
        path = os.path.join(FIXTURES, name)
        doc = json.load(open(path))
        flows = {fl["name"] for fl in doc.get("flows", [])}
        theirs = set()
        for f in doc.get("findings", []):
            target = f.get("target", "")
            key = ("flow:" if target in flows else "element:") + slug(target)
            theirs.add((key, pytm_stride(f.get("threat_id", ""))))
        ours = set()
        for f in guard_findings(guard, path):
            res = f.get("resource") or ""
            kind, _, ident = res.partition(":")
            if kind == "flow":
                ident = ident.split(">", 1)[-1]
            elif kind != "element":
                continue
            for t in f["tags"]:
                if t.startswith("STRIDE:"):
                    ours.add((f"{kind}:{ident}", LETTER.get(t[7:], "?")))
        both = theirs & ours
        print(f"| {name} | {len(theirs)} | {len(ours)} | {len(both)} | "
              f"{len(both)/max(1,len(theirs)):.0%} | {len(ours - theirs)} |")
        missed = sorted(theirs - ours)
        if missed:
            print(f"\n<details><summary>{name}: pytm pairs guard misses</summary>\n\n"
                  + ", ".join(f"{k} {s}" for k, s in missed) + "\n</details>\n")
        extra = sorted(ours - theirs)
        if extra:
            print(f"\n<details><summary>{name}: guard pairs pytm does not report</summary>\n\n"
                  + ", ".join(f"{k} {s}" for k, s in extra) + "\n</details>\n")
    print()


if __name__ == "__main__":
    g = guard_bin(sys.argv)
    threagile(g)
    pytm(g)
