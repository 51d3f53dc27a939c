#!/usr/bin/env bash
# Runner overhead: `guard run` over 6 trivial layers, in-process (thread) and
# process isolation, against a bare `guard --version`. Medians of N runs.
# Usage: bench/overhead.sh [N]   (default N=200)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-200}"
# The trivial layers are test layers: build them into a separate target dir so
# the normal release binary stays free of them.
cargo build --release -q -p guard-cli --features test-layers --target-dir target/bench
BIN="$PWD/target/bench/release/guard"
exec python3 bench/overhead.py "$BIN" "$N"
