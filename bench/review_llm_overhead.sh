#!/usr/bin/env bash
# Overhead of the review layer's LLM path apart from the model's own latency:
# prompt building, answer validation, re-anchoring by quote, and whole runs of
# the four LLM reviewers against a loopback server that answers at once.
# No network beyond 127.0.0.1; no model is called.
#
# Usage: bench/review_llm_overhead.sh [--debug] [FILES] [LINES_PER_FILE] [ROUNDS]
#        defaults: 200 files x 25 added lines (5,000 lines), 20 rounds, release build.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=(--release)
if [[ "${1:-}" == "--debug" ]]; then
  profile=()
  shift
fi
cargo build -q "${profile[@]}" -p guard-llm --example llm_overhead
dir=target/release
[[ ${#profile[@]} -eq 0 ]] && dir=target/debug
echo "machine: $(nproc) cores, $(uname -sr), profile: ${profile[*]:-debug}"
"$dir/examples/llm_overhead" "${1:-200}" "${2:-25}" "${3:-20}"
