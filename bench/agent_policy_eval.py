#!/usr/bin/env python3
"""Accuracy of `guard hook claude` against dcg and cc-safety-net.

Every command is sent as a Claude Code PreToolUse Bash call, as a whole process, to
each hook; a command counts as blocked when the hook answers deny or ask (JSON
permissionDecision, or exit code 2). Inputs:

  - ../shared/corpus/commands/dcg-*.yaml: dcg's labelled fixtures (22 packs), plus its
    edge cases (false_positives must pass, false_negatives must be blocked);
  - layers/agent-policy/tests/cases/*.yaml: guard's own labelled cases (core, clouds,
    vendors, policy); a group with `packs: [...]` is run with those policy packs on
    (a guard.toml in its project directory), the peers unchanged.

Peers (skipped with a note when absent):
  - dcg (`cargo install destructive_command_guard --ignore-rust-version`), all packs
    enabled through DCG_PACKS;
  - cc-safety-net (npm), `cc-safety-net hook --claude-code`; set CCSN to its bin path
    or have `cc-safety-net`/`ccsn` on PATH.

Usage: python3 bench/agent_policy_eval.py [--no-peers] [--show-misses N] [--debug]
  --debug uses target/debug/guard (cargo build -p guard-cli) instead of a release build;
  decisions are the same, only slower.
"""

import argparse
import concurrent.futures as cf
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "..", "shared", "corpus", "commands")
CASES = os.path.join(ROOT, "layers", "agent-policy", "tests", "cases")
GUARD = os.path.join(ROOT, "target", "release", "guard")
DCG_LOCAL = "/tmp/dcg/bin/dcg"

try:
    import yaml
except ImportError:  # pragma: no cover
    print("PyYAML is required: pip install pyyaml", file=sys.stderr)
    sys.exit(2)


def build_guard(debug=False):
    global GUARD
    if debug:
        GUARD = os.path.join(ROOT, "target", "debug", "guard")
        cmd = ["cargo", "build", "-q", "-p", "guard-cli"]
    else:
        cmd = ["cargo", "build", "--release", "-q", "-p", "guard-cli"]
    r = subprocess.run(cmd, cwd=ROOT)
    if r.returncode != 0:
        if not os.path.exists(GUARD):
            sys.exit(f"{' '.join(cmd)} failed and there is no {GUARD}")
        print(f"warning: cargo build failed; using the existing {GUARD}", file=sys.stderr)


def dcg_packs(dcg):
    out = subprocess.run([dcg, "packs"], capture_output=True, text=True).stdout
    return sorted(set(re.findall(r"[○✓●]\s+([a-z0-9_]+\.[a-z0-9_.]+)\s+-", out)))


def find_ccsn():
    if os.environ.get("CCSN"):
        return [os.environ["CCSN"]]
    for name in ("cc-safety-net", "ccsn"):
        p = shutil.which(name)
        if p:
            return [p]
    local = "/tmp/ccsn/node_modules/.bin/cc-safety-net"
    return [local] if os.path.exists(local) else None


class Hook:
    def __init__(self, name, argv, env):
        self.name, self.argv, self.env = name, argv, env

    def decide(self, command, cwd, own_cwd=None):
        """`own_cwd` replaces cwd for this hook only (guard's policy-pack projects)."""
        if own_cwd is not None:
            cwd = own_cwd
        payload = json.dumps({
            "session_id": "eval",
            "transcript_path": "/dev/null",
            "cwd": cwd,
            "permission_mode": "default",
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": {"command": command, "description": "eval"},
            "tool_use_id": "toolu_eval",
        })
        try:
            p = subprocess.run(self.argv, input=payload.encode(), capture_output=True,
                               env=self.env, cwd=cwd, timeout=30)
        except subprocess.TimeoutExpired:
            return "timeout"
        out = p.stdout.decode(errors="replace").strip()
        decision = None
        if out.startswith("{"):
            try:
                decision = json.loads(out).get("hookSpecificOutput", {}).get("permissionDecision")
            except json.JSONDecodeError:
                decision = None
        if p.returncode == 2:
            return "deny"
        if decision in ("deny", "ask", "allow"):
            return decision
        return "pass" if p.returncode == 0 else f"exit{p.returncode}"


def blocked(d):
    return d in ("deny", "ask")


def scalar(raw):
    """One `command:` value. A few lines of dcg's fixtures are not valid YAML (JSON
    bodies written as `'{"\\"query\\"":...}'` inside a double-quoted scalar); those are
    repaired to the shell text they mean (`'{"query":...}'`)."""
    try:
        v = yaml.safe_load(raw)
        if isinstance(v, str):
            return v
    except yaml.YAMLError:
        pass
    inner = raw.strip()
    if inner.startswith('"') and inner.endswith('"'):
        inner = inner[1:-1]
    return inner.replace('"\\"', '"').replace('\\""', '"').replace('\\"', '"')


def load_fixture(path):
    """{pack: [command]} from a dcg fixture file, read line by line (see `scalar`)."""
    packs, pack = {}, None
    with open(path) as f:
        for line in f:
            m = re.match(r"^([A-Za-z0-9_.]+):\s*$", line)
            if m:
                pack = m.group(1)
                packs.setdefault(pack, [])
                continue
            m = re.match(r"^\s*- command:\s*(.*)$", line.rstrip("\n"))
            if m and pack:
                packs[pack].append(scalar(m.group(1)))
    return packs


def load_corpus():
    cases = []  # (source, pack, label, command)
    dpath = os.path.join(CORPUS, "dcg-destructive_commands.yaml")
    spath = os.path.join(CORPUS, "dcg-safe_commands.yaml")
    epath = os.path.join(CORPUS, "dcg-edge_cases.yaml")
    for path, label in ((dpath, "destructive"), (spath, "safe")):
        for pack, items in load_fixture(path).items():
            for c in items:
                cases.append(("dcg", pack, label, c))
    if os.path.exists(epath):
        with open(epath) as f:
            e = yaml.safe_load(f) or {}
        for it in e.get("false_positives", []):
            cases.append(("edge", "edge_cases", "safe", it["command"]))
        for it in e.get("false_negatives", []):
            cases.append(("edge", "edge_cases", "destructive", it["command"]))
    return cases


def load_cases():
    """(source, group, label, command) from every case file; source is the file name
    without .yaml. Also {(source, group): [policy packs]} for groups that name some."""
    cases, packs = [], {}
    for name in sorted(os.listdir(CASES)):
        if not name.endswith(".yaml"):
            continue
        src = name[: -len(".yaml")]
        with open(os.path.join(CASES, name)) as f:
            data = yaml.safe_load(f) or {}
        for group, sets in data.items():
            if sets.get("packs"):
                packs[(src, group)] = list(sets["packs"])
            for label in ("destructive", "safe"):
                for c in sets.get(label, []) or []:
                    cases.append((src, group, label, c))
    return cases, packs

def pct(a, b):
    return f"{100.0 * a / b:5.1f}%" if b else "   -  "


def table(title, cases, hooks, results):
    names = [h.name for h in hooks]
    packs = sorted({c[1] for c in cases})
    print(f"\n## {title}\n")
    head = f"{'pack':<26} {'destr':>5} " + " ".join(f"{n + ' blk':>11}" for n in names)
    head += f" | {'safe':>4} " + " ".join(f"{n + ' FP':>10}" for n in names)
    print(head)
    print("-" * len(head))
    tot = {n: [0, 0, 0, 0] for n in names}  # d_blocked, d_total, s_blocked, s_total
    for pack in packs:
        pc = [c for c in cases if c[1] == pack]
        d = [c for c in pc if c[2] == "destructive"]
        s = [c for c in pc if c[2] == "safe"]
        row = f"{pack:<26} {len(d):>5} "
        cells_d, cells_s = [], []
        for n in names:
            db = sum(blocked(results[n][c]) for c in d)
            sb = sum(blocked(results[n][c]) for c in s)
            tot[n][0] += db
            tot[n][1] += len(d)
            tot[n][2] += sb
            tot[n][3] += len(s)
            cells_d.append(f"{pct(db, len(d)):>11}")
            cells_s.append(f"{pct(sb, len(s)):>10}")
        print(row + " ".join(cells_d) + f" | {len(s):>4} " + " ".join(cells_s))
    print("-" * len(head))
    print(f"{'TOTAL':<26} {tot[names[0]][1]:>5} "
          + " ".join(f"{pct(tot[n][0], tot[n][1]):>11}" for n in names)
          + f" | {tot[names[0]][3]:>4} "
          + " ".join(f"{pct(tot[n][2], tot[n][3]):>10}" for n in names))
    return tot


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--show-misses", type=int, default=30)
    ap.add_argument("--jobs", type=int, default=4)
    ap.add_argument("--debug", action="store_true", help="use a debug build of guard")
    args = ap.parse_args()

    corpus = []
    if os.path.isdir(CORPUS):
        corpus = load_corpus()
    else:
        print(f"corpus not found at {CORPUS}: dcg fixture tables skipped")
    own, policy_packs = load_cases()

    build_guard(args.debug)
    # Not under /tmp: temporary directories are where deletes are fine.
    scratch = os.path.join(ROOT, "target", "agent-policy-eval")
    os.makedirs(scratch, exist_ok=True)
    work = tempfile.mkdtemp(prefix="run-", dir=scratch)
    home = os.path.join(work, "home")
    proj = os.path.join(work, "proj")
    os.makedirs(home)
    os.makedirs(proj)
    # One project per policy-pack group, with a guard.toml that switches them on.
    guard_cwd = {}
    for (src, group), packs in policy_packs.items():
        d = os.path.join(work, f"proj-{src}-{group}")
        os.makedirs(d)
        with open(os.path.join(d, "guard.toml"), "w") as f:
            f.write("[layers.agent-policy]\npacks = [" + ", ".join(f'"{p}"' for p in packs) + "]\n")
        guard_cwd[(src, group)] = d
    base_env = dict(os.environ, HOME=home)
    hooks = [Hook("guard", [GUARD, "hook", "claude"], base_env)]
    if not args.no_peers:
        dcg = shutil.which("dcg") or (DCG_LOCAL if os.path.exists(DCG_LOCAL) else None)
        if dcg:
            packs = dcg_packs(dcg)
            env = dict(base_env, DCG_PACKS=",".join(packs), NO_COLOR="1")
            hooks.append(Hook("dcg", [dcg], env))
            ver = subprocess.run([dcg, "--version"], capture_output=True, text=True).stdout.strip().splitlines()
            print(f"dcg: {ver[0] if ver else '?'}; {len(packs)} packs enabled")
        else:
            print("dcg not found: cargo install destructive_command_guard --ignore-rust-version")
        ccsn = find_ccsn()
        if ccsn:
            env = dict(base_env, CC_SAFETY_NET_HOME=os.path.join(work, "ccsn"))
            hooks.append(Hook("ccsn", ccsn + ["hook", "--claude-code"], env))
            ver = subprocess.run(ccsn + ["--version"], capture_output=True, text=True).stdout.strip()
            print(f"cc-safety-net: {ver}")
        else:
            print("cc-safety-net not found: npm install cc-safety-net (or set CCSN)")

    all_cases = corpus + own
    results = {h.name: {} for h in hooks}
    with cf.ThreadPoolExecutor(max_workers=args.jobs) as ex:
        futs = {}
        for h in hooks:
            for c in all_cases:
                own_cwd = guard_cwd.get((c[0], c[1])) if h.name == "guard" else None
                futs[ex.submit(h.decide, c[3], proj, own_cwd)] = (h.name, c)
        for f in cf.as_completed(futs):
            name, c = futs[f]
            results[name][c] = f.result()

    if corpus:
        dcg_cases = [c for c in corpus if c[0] == "dcg"]
        tot = table("dcg fixture packs (../shared/corpus/commands/dcg-*.yaml)", dcg_cases, hooks, results)
        edge = [c for c in corpus if c[0] == "edge"]
        if edge:
            table("dcg edge cases (false_positives must pass, false_negatives must block)", edge, hooks, results)
        g = tot["guard"]
        print(f"\ntarget (dcg packs): >= 95% blocked -> {pct(g[0], g[1]).strip()} "
              f"{'MET' if g[0] >= 0.95 * g[1] else 'NOT MET'}; <= 1% safe blocked -> "
              f"{pct(g[2], g[3]).strip()} {'MET' if g[2] <= 0.01 * g[3] else 'NOT MET'}")
    sums = {}
    for src in sorted({c[0] for c in own}):
        part = [c for c in own if c[0] == src]
        note = " (policy packs on for guard)" if any(k[0] == src for k in policy_packs) else ""
        sums[src] = table(f"guard's own cases: {src}.yaml{note}", part, hooks, results)
    non_policy = [c for c in own if (c[0], c[1]) not in policy_packs]
    tot = table("guard's own cases, all files without policy groups (summary by file)",
                [(c[0], c[0], c[2], c[3]) for c in non_policy], hooks,
                {n: {(c[0], c[0], c[2], c[3]): r[c] for c in non_policy} for n, r in results.items()})
    g = tot["guard"]
    print(f"\ntarget (own cases): >= 99% blocked -> {pct(g[0], g[1]).strip()} "
          f"{'MET' if g[0] >= 0.99 * g[1] else 'NOT MET'}; <= 1% safe blocked -> "
          f"{pct(g[2], g[3]).strip()} {'MET' if g[2] <= 0.01 * g[3] else 'NOT MET'}")

    misses = [(c, results["guard"][c]) for c in all_cases
              if (c[2] == "destructive") != blocked(results["guard"][c])]
    if misses and args.show_misses:
        print(f"\nguard misses ({len(misses)}):")
        for c, d in misses[: args.show_misses]:
            print(f"  [{c[1]}] {c[2]} -> {d}: {c[3]!r}")
    odd = {h.name: sorted({d for d in results[h.name].values() if d not in ('deny', 'ask', 'allow', 'pass')}) for h in hooks}
    for n, ds in odd.items():
        if ds:
            print(f"note: {n} gave non-decisions {ds} (counted as not blocked)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
