#!/usr/bin/env bash
# Latency of `guard hook claude` as a whole process (spawn, read stdin, load
# guard.toml, parse, judge, answer), next to dcg and cc-safety-net run the same way
# on the same PreToolUse inputs. Prints median / p95 wall time and peak RSS per input.
#
# Targets (issue 4): typical inputs median <= 5 ms; a 100 KB command <= 50 ms.
# Peers: dcg on PATH (cargo install destructive_command_guard --ignore-rust-version),
# cc-safety-net via $CCSN, PATH or /tmp/ccsn/node_modules/.bin. Missing peers are skipped.
# Usage: bench/agent_policy_latency.sh [RUNS]   (default 41)
# GUARD=/path/to/guard measures that binary instead of building target/release/guard
# (for before/after comparisons).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${GUARD:-}" ]; then
  cargo build --release -q -p guard-cli || test -x target/release/guard
fi
RUNS="${1:-41}" exec python3 - <<'PY'
import json, os, shutil, statistics, subprocess, tempfile, time

RUNS = int(os.environ.get("RUNS", "41"))
root = os.getcwd()
guard = os.environ.get("GUARD") or os.path.join(root, "target", "release", "guard")
scratch = os.path.join(root, "target", "agent-policy-eval")
os.makedirs(scratch, exist_ok=True)
work = tempfile.mkdtemp(prefix="lat-", dir=scratch)
proj = os.path.join(work, "proj")
os.makedirs(os.path.join(proj, "src"))
with open(os.path.join(proj, "src", "main.rs"), "w") as f:
    f.write("fn main() {}\n")

def bash(cmd):
    return {"session_id": "s", "transcript_path": "/dev/null", "cwd": proj,
            "permission_mode": "default", "hook_event_name": "PreToolUse",
            "tool_name": "Bash", "tool_input": {"command": cmd, "description": "d"},
            "tool_use_id": "toolu_1"}

big_heredoc = "cat > notes.txt <<'EOF'\n" + ("lorem ipsum rm -rf / dolor sit amet\n" * 2900) + "EOF\n"
big_chain = " && ".join(f"echo step{i} >> log.txt" for i in range(4800))
inputs = [
    ("Bash: git status", bash("git status")),
    ("Bash: npm test (pass)", bash("npm test")),
    ("Bash: git push -f (deny)", bash("git push -f origin main")),
    ("Bash: compound pipeline", bash("cd src && grep -rn TODO . | sort | uniq -c | head -20")),
    ("Bash: bash -c nested", bash("bash -c \"sh -c 'git reset --hard'\"")),
    ("Read: src/main.rs", {"cwd": proj, "hook_event_name": "PreToolUse", "tool_name": "Read",
                           "tool_input": {"file_path": os.path.join(proj, "src", "main.rs")}}),
    (f"Bash: 100 KB heredoc ({len(big_heredoc)//1024} KiB)", bash(big_heredoc)),
    (f"Bash: 100 KB && chain ({len(big_chain)//1024} KiB)", bash(big_chain)),
]

env = dict(os.environ, HOME=os.path.join(work, "home"))
os.makedirs(env["HOME"])
hooks = [("guard", [guard, "hook", "claude"], env)]
dcg = shutil.which("dcg")
if dcg:
    packs = sorted(set(__import__("re").findall(r"[○✓●]\s+([a-z0-9_]+\.[a-z0-9_.]+)\s+-",
                   subprocess.run([dcg, "packs"], capture_output=True, text=True).stdout)))
    hooks.append(("dcg", [dcg], dict(env, DCG_PACKS=",".join(packs), NO_COLOR="1")))
else:
    print("dcg not found: skipped")
ccsn = os.environ.get("CCSN") or shutil.which("cc-safety-net") or shutil.which("ccsn")
if not ccsn and os.path.exists("/tmp/ccsn/node_modules/.bin/cc-safety-net"):
    ccsn = "/tmp/ccsn/node_modules/.bin/cc-safety-net"
if ccsn:
    hooks.append(("ccsn", [ccsn, "hook", "--claude-code"], dict(env, CC_SAFETY_NET_HOME=os.path.join(work, "ccsn"))))
else:
    print("cc-safety-net not found: skipped")

def once(argv, e, data):
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, env=e, cwd=proj)
    p.stdin.write(data)
    p.stdin.close()
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    dt = (time.perf_counter() - t0) * 1000
    p.returncode = os.waitstatus_to_exitcode(status)
    dec = "pass"
    if out.strip().startswith(b"{"):
        try:
            dec = json.loads(out)["hookSpecificOutput"]["permissionDecision"]
        except Exception:
            dec = "?"
    if p.returncode == 2:
        dec = "deny"
    return dt, ru.ru_maxrss, dec

TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None

def peak_rss_mb(argv, e, data):
    """Peak RSS of one run via /usr/bin/time -f %M (wait4 from Python would count the
    forked interpreter before exec)."""
    if not TIME:
        return float("nan")
    out = os.path.join(work, "rss.txt")
    subprocess.run([TIME, "-f", "%M", "-o", out] + argv, input=data, env=e, cwd=proj,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(out) as f:
        return int(f.read().strip().splitlines()[-1]) / 1024

print(f"runs per cell: {RUNS} (first run discarded as warm-up); peak RSS from /usr/bin/time -f %M\n")
names = [h[0] for h in hooks]
print(f"{'input':<34}" + "".join(f"{n+' median':>14}{'p95':>8}{'RSS MB':>8}{'ans':>6}" for n in names) + f"{'ratio':>18}")
summary = {}
for label, payload in inputs:
    data = json.dumps(payload).encode()
    row = f"{label:<34}"
    med = {}
    for name, argv, e in hooks:
        once(argv, e, data)
        samples = [once(argv, e, data) for _ in range(RUNS)]
        times = sorted(s[0] for s in samples)
        m = statistics.median(times)
        p95 = times[int(0.95 * (len(times) - 1))]
        rss = peak_rss_mb(argv, e, data)
        med[name] = m
        row += f"{m:>11.2f} ms{p95:>8.2f}{rss:>8.1f}{samples[-1][2]:>6}"
    ratios = " ".join(f"{n}/guard={med[n]/med['guard']:.1f}x" for n in names if n != "guard")
    row += f"  {ratios}"
    summary[label] = med["guard"]
    print(row)

typical = [v for k, v in summary.items() if "100 KB" not in k]
large = [v for k, v in summary.items() if "100 KB" in k]
print(f"\ntarget: typical inputs median <= 5 ms -> worst typical median {max(typical):.2f} ms "
      f"{'MET' if max(typical) <= 5 else 'NOT MET'}")
print(f"target: 100 KB command <= 50 ms -> worst {max(large):.2f} ms {'MET' if max(large) <= 50 else 'NOT MET'}")
shutil.rmtree(work, ignore_errors=True)
PY
