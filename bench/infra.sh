#!/usr/bin/env bash
# guard infra vs Checkov on the same inputs, side by side (medians).
#  (a) Checkov's own 55-resource plan          target: guard >= 50x faster (wall)
#  (b) a generated plan of 10,000 resource changes  target: guard < 1 s, < 300 MB peak RSS
#  (c) a generated directory of 1,000 .tf files   target: guard >= 20x faster
# Usage: bench/infra.sh   (CHECKOV=/path/to/checkov, RUNS=N, CHECKOV_RUNS=N to override;
#        BASE=/path/to/an/older/guard also times that build on each input, for
#        regression checks on the same machine in the same run)
set -euo pipefail
cd "$(dirname "$0")/.."

GUARD=target/release/guard
CHECKOV=${CHECKOV:-$(command -v checkov || echo /tmp/ckv/bin/checkov)}
RUNS=${RUNS:-7}
CHECKOV_RUNS=${CHECKOV_RUNS:-3}
CORPUS=../shared/corpus/terraform/plans/checkov
PLAN55=$CORPUS/runner__resources__plan__tfplan.json
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if ! cargo build --release -q -p guard-cli; then
  echo "cargo build failed; measuring the existing $GUARD" >&2
fi
[ -x "$GUARD" ] || { echo "$GUARD missing: cargo build --release -p guard-cli" >&2; exit 1; }
if [ ! -x "$CHECKOV" ]; then
  echo "checkov not found (pip install checkov, or set CHECKOV=...); guard figures only" >&2
  CHECKOV=""
fi

# Median wall time of N runs and the largest peak RSS: prints "median_s peak_mb".
median() {
  local n=$1; shift
  python3 bench/infra_time.py "$n" "$@"
}

row() { # name guard_s guard_mb checkov_s checkov_mb target
  local ratio="-"
  if [ "$4" != "-" ]; then ratio=$(awk -v g="$2" -v c="$4" 'BEGIN { printf "%.0fx", c / g }'); fi
  printf "%-40s %9s %7s %10s %8s %7s   %s\n" "$1" "${2}s" "${3}MB" "$4${4:+s}" "$5${5:+MB}" "$ratio" "$6"
}

# The same input through the BASE build: "  baseline ... (guard/base = r)".
base() {
  [ -n "${BASE:-}" ] || return 0
  local bs bm
  read -r bs bm < <(median "$RUNS" "$BASE" infra "$@" -q --format json)
  awk -v g="$gs" -v b="$bs" -v m="$bm" 'BEGIN { printf "    baseline %s: %.3fs %sMB (guard/baseline = %.2f)\n", ENVIRON["BASE"], b, m, g / b }'
}

printf "%-40s %9s %7s %10s %8s %7s   %s\n" "input" "guard" "RSS" "checkov" "RSS" "ratio" "target"

# (a)
if [ -f "$PLAN55" ]; then
  read -r gs gm < <(median "$RUNS" "$GUARD" infra "$PLAN55" -q --format json)
  if [ -n "$CHECKOV" ]; then
    read -r cs cm < <(median "$CHECKOV_RUNS" "$CHECKOV" -f "$PLAN55" --framework terraform_plan --skip-download --quiet --compact)
  else cs="-"; cm="-"; fi
  row "(a) checkov 55-resource plan" "$gs" "$gm" "$cs" "$cm" ">= 50x faster"
  base "$PLAN55"
else
  echo "(a) skipped: $PLAN55 not found (corpus absent)"
fi

# (b)
python3 bench/infra_gen.py plan 10000 "$WORK/plan10k.json"
read -r gs gm < <(median "$RUNS" "$GUARD" infra "$WORK/plan10k.json" -q --format json)
if [ -n "$CHECKOV" ]; then
  read -r cs cm < <(median 1 "$CHECKOV" -f "$WORK/plan10k.json" --framework terraform_plan --skip-download --quiet --compact)
else cs="-"; cm="-"; fi
row "(b) 10,000 resource changes ($(du -m "$WORK/plan10k.json" | cut -f1)MB)" "$gs" "$gm" "$cs" "$cm" "guard < 1 s, < 300 MB"
base "$WORK/plan10k.json"

# (c)
python3 bench/infra_gen.py tfdir 1000 "$WORK/tf"
read -r gs gm < <(median "$RUNS" "$GUARD" infra "$WORK/tf" -q --format json)
if [ -n "$CHECKOV" ]; then
  read -r cs cm < <(median "$CHECKOV_RUNS" "$CHECKOV" -d "$WORK/tf" --framework terraform --skip-download --quiet --compact)
else cs="-"; cm="-"; fi
row "(c) 1,000 .tf files (4,000 resources)" "$gs" "$gm" "$cs" "$cm" ">= 20x faster"
base "$WORK/tf"

echo
echo "guard runs: $RUNS, checkov runs: $CHECKOV_RUNS ((b): 1); medians of wall time, peak RSS is the max over runs."
