#!/usr/bin/env bash
# Firewall audit speed: `guard net audit-firewall` vs the tools' own syntax
# checks (`bash -n` for an init-firewall script, `nft -c -f` for a ruleset) on
# the same large generated inputs. The peers only parse; guard parses, follows
# the script's loops and variables, and runs every check.
#
# Usage: bench/network_firewall.sh [RULES (default 20000)] [RUNS (default 5)]
# Needs python3 and /usr/bin/time; nft is optional (its column is skipped).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20000}
RUNS=${2:-5}
DIR=${BENCH_DIR:-/tmp}/guard-fw-bench
mkdir -p "$DIR"
cargo build --release -q -p guard-cli
GUARD=target/release/guard

python3 - "$DIR" "$N" <<'PY'
import sys
d, n = sys.argv[1], int(sys.argv[2])
with open(f"{d}/init-firewall.sh", "w") as f:
    f.write("#!/bin/bash\nset -euo pipefail\nipset create allowed-domains hash:net\n")
    f.write("for domain in \\\n")
    for i in range(n // 4):
        f.write(f'    "host{i}.example.com" \\\n')
    f.write('    "api.anthropic.com"; do\n  for ip in $(dig +short A "$domain"); do ipset add allowed-domains "$ip"; done\ndone\n')
    for i in range(n):
        a, b = divmod(i, 250)
        f.write(f"iptables -A OUTPUT -p tcp --dport {1000 + i % 5000} -d 10.{a % 250}.{b}.1/32 -j ACCEPT\n")
    f.write("iptables -P OUTPUT DROP\n")
with open(f"{d}/ruleset.nft", "w") as f:
    f.write("table inet big {\n\tset allow4 {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = { ")
    f.write(", ".join(f"10.{(i // 250) % 250}.{i % 250}.0/28" for i in range(n)))
    f.write(" }\n\t}\n\tchain output {\n\t\ttype filter hook output priority filter; policy drop;\n")
    for i in range(n):
        f.write(f"\t\tip daddr 172.{16 + (i // 62500) % 16}.{(i // 250) % 250}.{i % 250} tcp dport {1000 + i % 5000} accept\n")
    f.write("\t}\n}\n")
PY

# median_and_rss CMD...: prints "median_seconds peak_rss_kb" over $RUNS runs.
measure() {
  local times=() rss=0 t r
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$DIR/time" "$@" >/dev/null 2>&1 || true
    read -r t r < <(tail -n 1 "$DIR/time")
    times+=("$t")
    (( r > rss )) && rss=$r
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v rss="$rss" '{a[NR]=$1} END {printf "%s %s\n", a[int((NR+1)/2)], rss}'
}

row() {
  local what=$1 size=$2 g=$3 p=$4 peer=$5
  read -r gt gr <<< "$g"
  read -r pt pr <<< "$p"
  local ratio
  ratio=$(awk -v a="$gt" -v b="$pt" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "inf" }')
  printf '%-22s %8s  guard %7ss %7s KB | %-10s %7ss %7s KB | peer/guard %s\n' "$what" "$size" "$gt" "$gr" "$peer" "$pt" "$pr" "$ratio"
}

echo "inputs: $N rules each, $RUNS runs, medians; peak RSS"
SH="$DIR/init-firewall.sh"
G=$(measure "$GUARD" net audit-firewall --format json "$SH")
P=$(measure bash -n "$SH")
row "init-firewall.sh" "$(du -h "$SH" | cut -f1)" "$G" "$P" "bash -n"
NFT="$DIR/ruleset.nft"
G=$(measure "$GUARD" net audit-firewall --format json "$NFT")
if command -v nft >/dev/null && nft -c -f /dev/null 2>/dev/null; then
  P=$(measure nft -c -f "$NFT")
  row "ruleset.nft" "$(du -h "$NFT" | cut -f1)" "$G" "$P" "nft -c"
else
  read -r gt gr <<< "$G"
  echo "ruleset.nft: guard ${gt}s ${gr} KB (nft not installed or not permitted: no peer column)"
fi
"$GUARD" net audit-firewall --format json "$SH" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("findings on init-firewall.sh:", len(r["findings"]))'
