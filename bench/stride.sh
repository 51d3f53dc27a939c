#!/usr/bin/env bash
# Speed of `guard stride` on generated models of 100 / 1,000 / 10,000 elements
# (guard YAML, about two flows per element, a trust boundary per 50 elements),
# and of pytm on the same models where feasible (pytm on PATH as a module:
# pip install pytm; each size is given at most PYTM_TIMEOUT seconds).
# Target (issue 11): 10,000 elements analysed in under 1 s (release build).
# Usage: bench/stride.sh   (RUNS=N, PYTM_TIMEOUT=S, GUARD=path/to/guard to override;
#        with GUARD set nothing is built)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${GUARD:-}" ]; then
  cargo build --release -q -p guard-cli || test -x target/release/guard
fi
GUARD="${GUARD:-target/release/guard}" RUNS="${RUNS:-5}" PYTM_TIMEOUT="${PYTM_TIMEOUT:-120}" exec python3 - <<'PY'
import os, resource, statistics, subprocess, sys, tempfile, time

RUNS = int(os.environ["RUNS"])
PYTM_TIMEOUT = int(os.environ["PYTM_TIMEOUT"])
guard = os.path.abspath(os.environ["GUARD"])
work = tempfile.mkdtemp(prefix="stride-bench-", dir=os.path.abspath("target"))

def kind(i):
    return "external" if i % 10 == 0 else ("store" if i % 10 in (3, 6, 9) else "process")

def guard_model(n):
    lines = ["title: generated", "data:", "  - {id: d0, confidentiality: confidential, integrity: critical}",
             "  - {id: d1, confidentiality: internal, credentials: true}", "boundaries:"]
    for b in range(max(1, n // 50)):
        lines.append(f"  - {{id: b{b}}}")
    lines.append("elements:")
    for i in range(n):
        extra = ", internet: true" if i % 10 == 0 else (", web: true, custom_code: true" if i % 10 == 1 else "")
        stores = ", stores: [d0]" if kind(i) == "store" else ""
        lines.append(f"  - {{id: e{i}, kind: {kind(i)}, boundary: b{(i // 50) % max(1, n // 50)}{extra}{stores}}}")
    lines.append("flows:")
    for i in range(n):
        for j in (i + 1, i + 7):
            if j < n:
                proto = "https" if (i + j) % 3 else "http"
                lines.append(f"  - {{id: f{i}-{j}, from: e{i}, to: e{j}, protocol: {proto}, authentication: token, data: [d{(i + j) % 2}]}}")
    return "\n".join(lines) + "\n"

def pytm_script(n):
    out = ["from pytm import TM, Actor, Server, Datastore, Dataflow, Boundary, Data, Classification",
           "tm = TM('generated')", "tm.isOrdered = False",
           "d0 = Data('d0', classification=Classification.SECRET)"]
    for b in range(max(1, n // 50)):
        out.append(f"b{b} = Boundary('b{b}')")
    for i in range(n):
        cls = {"external": "Actor", "store": "Datastore", "process": "Server"}[kind(i)]
        out.append(f"e{i} = {cls}('e{i}'); e{i}.inBoundary = b{(i // 50) % max(1, n // 50)}")
    for i in range(n):
        for j in (i + 1, i + 7):
            if j < n:
                out.append(f"f = Dataflow(e{i}, e{j}, 'f{i}-{j}'); f.protocol = 'HTTPS'; f.data = d0")
    out.append("tm.process()")
    return "\n".join(out) + "\n"

def cpu():
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime

def timed(cmd, timeout=None):
    t, c = time.perf_counter(), cpu()
    r = subprocess.run(cmd, capture_output=True, timeout=timeout)
    timed.cpu = cpu() - c
    return time.perf_counter() - t, r

print("| elements | flows | guard wall median (s) | guard CPU median (s) | guard findings | pytm wall (s) |")
print("|---|---|---|---|---|---|")
for n in (100, 1000, 10000):
    path = os.path.join(work, f"model-{n}.yaml")
    text = guard_model(n)
    open(path, "w").write(text)
    flows = text.count("from: e")
    times, cpus, threats = [], [], 0
    for _ in range(RUNS):
        dt, r = timed([guard, "stride", path, "--format", "json", "-q"])
        if r.returncode not in (0, 1):
            sys.exit(r.stderr.decode())
        times.append(dt)
        cpus.append(timed.cpu)
        threats = r.stdout.count(b'"rule_id"')
    py = os.path.join(work, f"tm-{n}.py")
    open(py, "w").write(pytm_script(n))
    try:
        dt, r = timed([sys.executable, py, "--json", os.path.join(work, f"tm-{n}.json")], PYTM_TIMEOUT)
        pytm = f"{dt:.2f}" if r.returncode == 0 else f"failed ({r.stderr.decode().strip().splitlines()[-1][:60]})"
    except subprocess.TimeoutExpired:
        pytm = f"> {PYTM_TIMEOUT} (stopped)"
    except FileNotFoundError:
        pytm = "not installed"
    print(f"| {n:,} | {flows:,} | {statistics.median(times):.3f} | {statistics.median(cpus):.3f} | {threats:,} | {pytm} |")
PY
