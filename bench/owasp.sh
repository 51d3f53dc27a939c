#!/usr/bin/env bash
# Speed of the owasp layer vs Semgrep (community rules, offline) and Bandit, on the
# same trees, one run each: wall time, max RSS (GNU time -v), files per second, and
# how time grows from 100 to 10,000 files.
#
# Trees are copies of real Python sources: the installed `checkov` package first
# (2,300+ files, the "1,000+ file real repository" row), then the other installed
# packages of the same site-packages directory in name order until the size is reached.
#
# Usage: bench/owasp.sh
#   GUARD_BIN=path      guard binary (default: target/release/guard, built here)
#   SIZES="100 1000 10000"   tree sizes in files (the full checkov tree is always added)
#   SITE=dir            site-packages directory to copy from (default: python3's)
#   SEMGREP_RULES=dir   semgrep-rules copy (default ../shared/peers/semgrep-rules)
#   TOOLS="guard semgrep bandit"
#   KEEP=1              keep the generated trees (printed path)
#   FULL=0              skip the full checkov tree (only the SIZES trees)
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"100 1000 10000"}
TOOLS=${TOOLS:-"guard semgrep bandit"}
SEMGREP_RULES=${SEMGREP_RULES:-../shared/peers/semgrep-rules}
SITE=${SITE:-$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')}
TIME=/usr/bin/time
WORK=$(mktemp -d /tmp/owasp-speed.XXXXXX)
if [ "${KEEP:-0}" = 1 ]; then echo "trees kept in $WORK" >&2; else trap 'rm -rf "$WORK"' EXIT; fi

[ -x "$TIME" ] || { echo "GNU time missing: apt-get install -y time" >&2; exit 2; }
"$TIME" -v true 2>/dev/null || { echo "$TIME has no -v (GNU time needed): apt-get install -y time" >&2; exit 2; }
[ -d "$SITE/checkov" ] || { echo "$SITE/checkov not found: pip install checkov, or set SITE=" >&2; exit 2; }

has() { case " $TOOLS " in *" $1 "*) return 0;; *) return 1;; esac; }

# ---- guard
GUARD_NOTE=""
if has guard; then
  if [ -z "${GUARD_BIN:-}" ]; then
    GUARD_BIN=target/release/guard
    cargo build --release -q -p guard-cli || echo "cargo build --release failed; using the existing $GUARD_BIN" >&2
  fi
  if [ ! -x "$GUARD_BIN" ]; then
    GUARD_NOTE="guard not measured: $GUARD_BIN missing (cargo build --release -p guard-cli)"
  elif ! "$GUARD_BIN" layers 2>/dev/null | awk '{print $1}' | grep -qx owasp; then
    GUARD_NOTE="guard not measured: $GUARD_BIN has no owasp layer (layers: $("$GUARD_BIN" layers 2>/dev/null | awk '{print $1}' | paste -sd, -)); rerun with GUARD_BIN=<build with owasp>"
  fi
  [ -n "$GUARD_NOTE" ] && echo "$GUARD_NOTE" >&2
fi
if has semgrep && ! command -v semgrep >/dev/null; then echo "semgrep not installed; skipped" >&2; TOOLS=${TOOLS/semgrep/}; fi
if has bandit && ! command -v bandit >/dev/null; then echo "bandit not installed; skipped" >&2; TOOLS=${TOOLS/bandit/}; fi

# ---- trees
python3 - "$SITE" "$WORK" $SIZES <<'EOF'
import os, shutil, sys
site, work, sizes = sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3:]]
skip = {"__pycache__"}
def py_files(top):
    out = []
    for d, dirs, files in os.walk(top):
        dirs[:] = sorted(x for x in dirs if x not in skip)
        out += [os.path.join(d, f) for f in sorted(files) if f.endswith(".py")]
    return out
checkov = py_files(os.path.join(site, "checkov"))
others = []
for name in sorted(os.listdir(site)):
    p = os.path.join(site, name)
    if name != "checkov" and os.path.isdir(p) and not name.endswith((".dist-info", ".egg-info")):
        others += py_files(p)
pool = checkov + others
def make(dest, files):
    for f in files:
        rel = os.path.relpath(f, site)
        os.makedirs(os.path.join(dest, os.path.dirname(rel)), exist_ok=True)
        shutil.copyfile(f, os.path.join(dest, rel))
make(os.path.join(work, "checkov"), checkov)
for n in sizes:
    if n > len(pool):
        sys.exit(f"only {len(pool)} Python files under {site}; cannot make a {n}-file tree")
    make(os.path.join(work, f"n{n}"), pool[:n])
EOF

# Runs a command under GNU time; prints "wall_s rss_mb exit".
measure() {
  local log=$WORK/time.log rc=0
  "$TIME" -v -o "$log" "$@" >/dev/null 2>"$WORK/stderr.log" || rc=$?
  # time -v writes "Command exited with non-zero status N" first when rc != 0
  awk -v rc="$rc" '
    /Elapsed \(wall clock\)/ { n = split($NF, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
    /Maximum resident set size/ { m = $NF / 1024 }
    END { printf "%.2f %.0f %d\n", s, m, rc }' "$log"
}

run_tool() { # tool tree -> "wall rss" or "- -"
  local tool=$1 tree=$2 out
  case $tool in
    guard)
      [ -n "$GUARD_NOTE" ] && { echo "- -"; return; }
      out=$(measure "$GUARD_BIN" run "$tree" --layer owasp --format json -q) ;;
    semgrep)
      out=$(measure semgrep scan --metrics=off --disable-version-check --no-git-ignore -q --json \
              --config "$SEMGREP_RULES/python" --config "$SEMGREP_RULES/generic/secrets" "$tree") ;;
    bandit)
      out=$(measure bandit -q -r "$tree" -f json) ;;
  esac
  read -r w m rc <<<"$out"
  # guard and bandit exit 1 when they report findings; anything else is a failure
  if [ "$rc" -gt 1 ]; then
    echo "$tool on $tree exited $rc: $(tail -c 300 "$WORK/stderr.log")" >&2
    echo "$w! $m"
  else
    echo "$w $m"
  fi
}

fps() { awk -v n="$1" -v s="$2" 'BEGIN { if (s == "-" || s + 0 == 0) print "-"; else printf "%.0f", n / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.1fx", a / b }'; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
printf "%-22s %6s %6s | %8s %6s %7s | %8s %6s %7s | %8s %6s %7s | %9s %9s\n" \
  tree files MB guard_s RSS_MB files/s semgrep_s RSS_MB files/s bandit_s RSS_MB files/s sg/guard bd/guard
GROWTH=""
trees=""
[ "${FULL:-1}" = 0 ] || trees="checkov"
for n in $SIZES; do trees="$trees n$n"; done
for t in $trees; do
  dir=$WORK/$t
  files=$(find "$dir" -name '*.py' | wc -l)
  mb=$(du -sm "$dir" | cut -f1)
  gw=- gm=- sw=- sm=- bw=- bm=-
  has guard && read -r gw gm < <(run_tool guard "$dir")
  has semgrep && read -r sw sm < <(run_tool semgrep "$dir")
  has bandit && read -r bw bm < <(run_tool bandit "$dir")
  name=$t; [ "$t" = checkov ] && name="checkov (full)"
  if [ "$t" != checkov ]; then
    GROWTH="$GROWTH $files:${gw%!}:${sw%!}:${bw%!}"
  fi
  printf "%-22s %6s %6s | %8s %6s %7s | %8s %6s %7s | %8s %6s %7s | %9s %9s\n" \
    "$name" "$files" "$mb" "$gw" "$gm" "$(fps "$files" "$gw")" "$sw" "$sm" "$(fps "$files" "$sw")" \
    "$bw" "$bm" "$(fps "$files" "$bw")" "$(ratio "$sw" "$gw")" "$(ratio "$bw" "$gw")"
done
echo
# time growth between the smallest and the largest generated tree
python3 - $GROWTH <<'EOF2'
import sys
rows = [a.split(":") for a in sys.argv[1:]]
if len(rows) >= 2:
    (f0, *t0), (f1, *t1) = rows[0], rows[-1]
    parts = []
    for name, a, b in zip(("guard", "semgrep", "bandit"), t0, t1):
        if a not in ("-", "") and b not in ("-", "") and float(a) > 0:
            parts.append(f"{name} {float(a):.2f}s -> {float(b):.2f}s ({float(b) / float(a):.1f}x)")
    print(f"growth from {f0} to {f1} files ({int(f1) / int(f0):.0f}x the files): " + ("; ".join(parts) or "no tool measured"))
EOF2
echo "source: Python files of $SITE (checkov $(python3 -c 'import importlib.metadata as m; print(m.version("checkov"))' 2>/dev/null || echo '?'), then the other installed packages in name order)"
if has guard; then echo "guard: $GUARD_BIN run TREE --layer owasp --format json -q${GUARD_NOTE:+  [$GUARD_NOTE]}"; fi
has semgrep && echo "semgrep $(semgrep --version 2>/dev/null): --config $SEMGREP_RULES/python --config $SEMGREP_RULES/generic/secrets, --metrics=off, default jobs"
has bandit && echo "$(bandit --version 2>/dev/null | head -1): -r TREE -f json, all default plugins"
echo "one run per tool and tree; wall from GNU time; RSS is the largest single process (semgrep runs semgrep-core as a child)"
echo "machine: $(nproc) cores, load average before $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine inflates every wall time)"
echo "targets: semgrep/guard >= 20x on the 1,000+ file tree; bandit/guard > 1x"
