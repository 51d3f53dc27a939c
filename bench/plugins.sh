#!/usr/bin/env bash
# Cost of running a layer as a plugin: median wall time of `guard run` over
# examples/sample with the example layer (examples/plugin-hello) built in, as a
# dynamic plugin (a worker process that dlopens the library), and as a process
# plugin (a worker that starts examples/plugin-python/hello_layer.py), and the
# ratio to built in. Two views: the example layer alone (`--layer`), where the
# fixed cost of the worker and the describe step dominates, and the whole run
# (every built-in layer plus the example layer).
# Usage: bench/plugins.sh   (RUNS=N, PROFILE=debug to skip the release build)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-15}
PROFILE=${PROFILE:-release}
if [ "$PROFILE" = release ]; then FLAG=--release; else FLAG=; fi
DIR=target/$PROFILE
GUARD=$DIR/guard
LIB=$DIR/libguard_plugin_hello.so
SAMPLE=examples/sample
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The binary links the example layer in too, switched on by GUARD_BUILTIN_HELLO=1.
cargo build $FLAG -q -p guard-cli --features bench-builtin-hello
cargo build $FLAG -q -p guard-plugin-hello
command -v python3 >/dev/null || { echo "python3 is needed for the process plugin" >&2; exit 1; }

# The process plugin is named in a config of ours, outside the scanned tree,
# that otherwise matches the sample's own guard.toml.
cp examples/plugin-python/hello_layer.py "$WORK/"
sed "s#captures/agent-session.pcap#$PWD/$SAMPLE/captures/agent-session.pcap#" "$SAMPLE/guard.toml" > "$WORK/base.toml"
cp "$WORK/base.toml" "$WORK/guard.toml"
cat >> "$WORK/guard.toml" <<TOML

[[plugins.process]]
name = "hello-py"
command = ["python3", "hello_layer.py"]
TOML

# median RUNS CMD...: median wall seconds of RUNS runs (exit codes 0 and 1 are results).
median() {
  local n=$1; shift
  python3 - "$n" "$@" <<'PY'
import statistics, subprocess, sys, time
n, cmd = int(sys.argv[1]), sys.argv[2:]
times = []
for _ in range(n):
    t = time.perf_counter()
    rc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    times.append(time.perf_counter() - t)
    if rc not in (0, 1):
        sys.exit(f"exit {rc}: {' '.join(cmd)}")
print(f"{statistics.median(times):.4f}")
PY
}

row() { # label seconds baseline
  awk -v l="$1" -v s="$2" -v b="$3" 'BEGIN { printf "%-38s %9.1f ms %7.2fx\n", l, s * 1000, s / b }'
}

echo "guard run $SAMPLE, $PROFILE build, median of $RUNS runs"
printf "%-38s %12s %8s\n" "variant" "wall" "ratio"
one_builtin=$(GUARD_BUILTIN_HELLO=1 median "$RUNS" "$GUARD" run "$SAMPLE" --layer hello)
one_dyn=$(median "$RUNS" "$GUARD" run "$SAMPLE" --plugin "$LIB" --layer hello)
one_proc=$(median "$RUNS" "$GUARD" run "$SAMPLE" --config "$WORK/guard.toml" --layer hello-py)
row "example layer alone: built in" "$one_builtin" "$one_builtin"
row "example layer alone: dynamic plugin" "$one_dyn" "$one_builtin"
row "example layer alone: process plugin" "$one_proc" "$one_builtin"
all_builtin=$(GUARD_BUILTIN_HELLO=1 median "$RUNS" "$GUARD" run "$SAMPLE" --config "$WORK/base.toml")
all_dyn=$(median "$RUNS" "$GUARD" run "$SAMPLE" --config "$WORK/base.toml" --plugin "$LIB")
all_proc=$(median "$RUNS" "$GUARD" run "$SAMPLE" --config "$WORK/guard.toml")
row "all layers: example built in" "$all_builtin" "$all_builtin"
row "all layers: example as dynamic plugin" "$all_dyn" "$all_builtin"
row "all layers: example as process plugin" "$all_proc" "$all_builtin"
