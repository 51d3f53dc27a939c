#!/usr/bin/env bash
# Capture audit speed: guard `net audit` vs `tshark -Y tls.handshake.extensions_server_name`
# on the same >= 1 GB capture, built here from a lab capture repeated with the
# IP addresses changed in every copy (so each copy is a new set of flows).
#
# Usage: bench/network.sh [TARGET_MB (default 1100)] [GUARD_RUNS (default 3)] [TSHARK_RUNS (default 1)]
# Needs python3, tshark and /usr/bin/time. The capture goes to $BENCH_DIR (default /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET_MB=${1:-1100}
GUARD_RUNS=${2:-3}
TSHARK_RUNS=${3:-1}
SRC=../shared/corpus/pcap/lab/lo.pcap
OUT=${BENCH_DIR:-/tmp}/guard-net-bench.pcap

if [ ! -f "$SRC" ]; then
  echo "corpus capture $SRC not found; nothing to benchmark"
  exit 0
fi
command -v tshark >/dev/null || { echo "tshark not installed (apt-get install tshark)"; exit 0; }
cargo build --release -q -p guard-cli
GUARD=target/release/guard

if [ ! -f "$OUT" ] || [ "$(stat -c %s "$OUT")" -lt $((TARGET_MB * 1000000)) ]; then
  python3 - "$SRC" "$OUT" "$TARGET_MB" <<'PY'
import struct, sys
src, out, target_mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(src, "rb").read()
assert data[:4] == b"\xd4\xc3\xb2\xa1" and struct.unpack("<I", data[20:24])[0] == 1, "needs a little-endian Ethernet pcap"
recs, p = [], 24
while p + 16 <= len(data):
    caplen = struct.unpack("<I", data[p + 8:p + 12])[0]
    recs.append((data[p:p + 16], bytearray(data[p + 16:p + 16 + caplen])))
    p += 16 + caplen
# Offsets of the address bytes to vary per copy: the last 3 of each IPv4
# address, the last 3 of each IPv6 address.
def spots(frame):
    et = struct.unpack(">H", frame[12:14])[0]
    off = 14
    while et in (0x8100, 0x88A8) and len(frame) >= off + 4:
        et = struct.unpack(">H", frame[off + 2:off + 4])[0]; off += 4
    if et == 0x0800: return [off + 13, off + 14, off + 15, off + 17, off + 18, off + 19]
    if et == 0x86DD: return [off + 21, off + 22, off + 23, off + 37, off + 38, off + 39]
    return []
recs = [(h, f, spots(f)) for h, f in recs]
size = sum(16 + len(f) for _, f, _ in recs)
copies = target_mb * 1000000 // size + 1
with open(out, "wb", buffering=8 << 20) as w:
    w.write(data[:24])
    for i in range(copies):
        k = (i + 1).to_bytes(3, "big")
        for h, f, sp in recs:
            g = bytearray(f)
            for j, s in enumerate(sp):
                g[s] ^= k[j % 3]
            w.write(h); w.write(g)
print(f"wrote {out}: {copies} copies of {src}, {copies * len(recs)} frames", file=sys.stderr)
PY
fi
SIZE=$(stat -c %s "$OUT")
echo "input: $OUT ($((SIZE / 1000000)) MB), $(basename "$SRC") repeated with addresses changed per copy"

measure() { # prints "seconds peak_kb"
  local t; t=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$t" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$t"; rm -f "$t"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

g_times=(); g_rss=()
for _ in $(seq "$GUARD_RUNS"); do
  read -r s kb < <(measure "$GUARD" net audit "$OUT" --allow '*.anthropic.com' --format json)
  g_times+=("$s"); g_rss+=("$kb")
done
t_times=(); t_rss=()
for _ in $(seq "$TSHARK_RUNS"); do
  read -r s kb < <(measure tshark -r "$OUT" -Y tls.handshake.extensions_server_name -T fields -e tls.handshake.extensions_server_name)
  t_times+=("$s"); t_rss+=("$kb")
done
g=$(printf '%s\n' "${g_times[@]}" | median); gk=$(printf '%s\n' "${g_rss[@]}" | sort -n | tail -1)
t=$(printf '%s\n' "${t_times[@]}" | median); tk=$(printf '%s\n' "${t_rss[@]}" | sort -n | tail -1)
# Same answer check: SNI counts from both.
g_sni=$("$GUARD" net extract "$OUT" | awk -F, '$1=="tls-sni"' | wc -l)
t_sni=$(tshark -r "$OUT" -Y tls.handshake.extensions_server_name -T fields -e frame.number 2>/dev/null | wc -l)
awk -v g="$g" -v t="$t" -v gk="$gk" -v tk="$tk" -v sz="$SIZE" -v gr="$GUARD_RUNS" -v tr="$TSHARK_RUNS" -v gs="$g_sni" -v ts="$t_sni" 'BEGIN {
  printf "%-44s %12s %12s %14s %8s\n", "tool", "median s", "MB/s", "peak RSS MB", "SNIs";
  printf "%-44s %12.2f %12.0f %14.1f %8d\n", "guard net audit (" gr " runs)", g, sz/1e6/g, gk/1024, gs;
  printf "%-44s %12.2f %12.0f %14.1f %8d\n", "tshark -Y tls.handshake.extensions_server_name (" tr ")", t, sz/1e6/t, tk/1024, ts;
  printf "speed-up: %.1fx   targets: >=10x %s, >=300 MB/s %s, RSS<100 MB %s\n", t/g,
    (t/g >= 10 ? "met" : "NOT met"), (sz/1e6/g >= 300 ? "met" : "NOT met"), (gk/1024 < 100 ? "met" : "NOT met");
}'
