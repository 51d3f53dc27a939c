#!/usr/bin/env bash
# guard infra vs Checkov on the same inputs, side by side (medians).
#  (a) Checkov's own 55-resource plan          target: guard >= 50x faster (wall)
#  (b) a generated plan of 10,000 resource changes  target: guard < 1 s, < 300 MB peak RSS
#  (c) a generated directory of 1,000 .tf files   target: guard >= 20x faster
# Usage: bench/infra.sh   (CHECKOV=/path/to/checkov, RUNS=N, CHECKOV_RUNS=N to override)
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

cargo build --release -q -p guard-cli
if [ ! -x "$CHECKOV" ]; then
  echo "checkov not found (pip install checkov, or set CHECKOV=...); guard figures only" >&2
  CHECKOV=""
fi

# One timed run: prints "seconds peak_kb".
measure() {
  /usr/bin/time -f "%e %M" -o "$WORK/t" "$@" >/dev/null 2>"$WORK/err" || true
  tail -1 "$WORK/t"
}

# Median of N runs of a command: prints "median_s max_peak_mb".
median() {
  local n=$1; shift
  local times=() peak=0
  for _ in $(seq "$n"); do
    read -r s kb < <(measure "$@")
    times+=("$s")
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  local med
  med=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
  echo "$med $((peak / 1024))"
}

row() { # name guard_s guard_mb checkov_s checkov_mb target
  local ratio="-"
  if [ "$4" != "-" ]; then ratio=$(awk -v g="$2" -v c="$4" 'BEGIN { if (g < 0.001) g = 0.001; printf "%.0fx", c / g }'); fi
  printf "%-34s %10s %8s %12s %9s %8s   %s\n" "$1" "${2}s" "${3}MB" "$4${4:+s}" "$5${5:+MB}" "$ratio" "$6"
}

printf "%-34s %10s %8s %12s %9s %8s   %s\n" "input" "guard" "RSS" "checkov" "RSS" "ratio" "target"

# (a)
if [ -f "$PLAN55" ]; then
  read -r gs gm < <(median "$RUNS" "$GUARD" infra "$PLAN55" -q --format json)
  if [ -n "$CHECKOV" ]; then
    read -r cs cm < <(median "$CHECKOV_RUNS" "$CHECKOV" -f "$PLAN55" --framework terraform_plan --skip-download --quiet --compact)
  else cs="-"; cm="-"; fi
  row "(a) checkov 55-resource plan" "$gs" "$gm" "$cs" "$cm" ">= 50x faster"
else
  echo "(a) skipped: $PLAN55 not found (corpus absent)"
fi

# (b)
python3 bench/infra_gen.py plan 10000 "$WORK/plan10k.json"
read -r gs gm < <(median "$RUNS" "$GUARD" infra "$WORK/plan10k.json" -q --format json)
if [ -n "$CHECKOV" ]; then
  read -r cs cm < <(median 1 timeout 600 "$CHECKOV" -f "$WORK/plan10k.json" --framework terraform_plan --skip-download --quiet --compact)
else cs="-"; cm="-"; fi
row "(b) 10,000 resource changes ($(du -m "$WORK/plan10k.json" | cut -f1)MB)" "$gs" "$gm" "$cs" "$cm" "guard < 1 s, < 300 MB"

# (c)
python3 bench/infra_gen.py tfdir 1000 "$WORK/tf"
read -r gs gm < <(median "$RUNS" "$GUARD" infra "$WORK/tf" -q --format json)
if [ -n "$CHECKOV" ]; then
  read -r cs cm < <(median "$CHECKOV_RUNS" "$CHECKOV" -d "$WORK/tf" --framework terraform --skip-download --quiet --compact)
else cs="-"; cm="-"; fi
row "(c) 1,000 .tf files (4,000 resources)" "$gs" "$gm" "$cs" "$cm" ">= 20x faster"

echo
echo "guard runs: $RUNS, checkov runs: $CHECKOV_RUNS ((b): 1); medians of wall time, peak RSS is the max over runs."
