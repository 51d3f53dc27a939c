#!/usr/bin/env bash
# Speed of the review layer: a generated change of 5,000 added lines over 200
# files (Python, JavaScript, Go and Java, new functions in existing files),
# reviewed by `guard review --patch` (release build, deterministic reviewers)
# and, on the same new-side files, by Semgrep with the community rules.
#
# Usage: bench/review.sh [GUARD_BIN]   (default target/release/guard)
# Target: under 1 s for guard.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
GUARD="${1:-$ROOT/target/release/guard}"
RULES="${SEMGREP_RULES:-$ROOT/../shared/peers/semgrep-rules}"
[ -x "$GUARD" ] || { echo "build first: cargo build --release -p guard-cli" >&2; exit 2; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

python3 - "$WORK" <<'PY'
import os, sys, difflib
work = sys.argv[1]
tree = os.path.join(work, "tree")
langs = [
    ("py", "def f{n}_{i}(items, db):\n    total = 0\n    for it in items:\n        if it.ok and it.size > {i}:\n            total += it.size\n        else:\n            total -= 1\n    rows = db.execute('SELECT 1 WHERE id = ?', ({i},)).fetchall()\n    return total + len(rows)\n\n\n"),
    ("js", "function f{n}_{i}(items, db) {{\n  let total = 0;\n  for (const it of items) {{\n    if (it.ok && it.size > {i}) {{\n      total += it.size;\n    }} else {{\n      total -= 1;\n    }}\n  }}\n  return total;\n}}\n\n"),
    ("go", "func F{n}_{i}(items []Item) int {{\n\ttotal := 0\n\tfor _, it := range items {{\n\t\tif it.OK && it.Size > {i} {{\n\t\t\ttotal += it.Size\n\t\t}} else {{\n\t\t\ttotal--\n\t\t}}\n\t}}\n\treturn total\n}}\n\n"),
    ("java", "    int f{n}_{i}(java.util.List<Item> items) {{\n        int total = 0;\n        for (Item it : items) {{\n            if (it.ok && it.size > {i}) {{\n                total += it.size;\n            }} else {{\n                total -= 1;\n            }}\n        }}\n        return total;\n    }}\n\n"),
]
patch = []
added = 0
for n in range(200):
    ext, tmpl = langs[n % 4]
    path = f"pkg{n % 10}/m{n}.{ext}"
    head = {"py": "import os\n\n\n", "js": "'use strict';\n\n", "go": "package pkg\n\n", "java": f"class M{n} {{\n"}[ext]
    tail = "}\n" if ext == "java" else ""
    old_body = "".join(tmpl.format(n=n, i=i) for i in range(3))
    new_funcs = ""
    i = 3
    while new_funcs.count("\n") < 25:
        new_funcs += tmpl.format(n=n, i=i)
        i += 1
    new_funcs = "".join(new_funcs.splitlines(keepends=True)[:25])
    old = head + old_body + tail
    new = head + old_body + new_funcs + tail
    full = os.path.join(tree, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    open(full, "w").write(new)
    d = list(difflib.unified_diff(old.splitlines(True), new.splitlines(True), f"a/{path}", f"b/{path}"))
    added += sum(1 for l in d if l.startswith("+") and not l.startswith("+++"))
    patch.append(f"diff --git a/{path} b/{path}\n" + "".join(d))
open(os.path.join(work, "change.diff"), "w").write("".join(patch))
print(f"change: {added} added lines over 200 files, {sum(p.count(chr(10)) for p in patch)} diff lines")
PY

best=""
for _ in 1 2 3; do
  s=$(date +%s.%N)
  "$GUARD" review "$WORK/tree" --patch "$WORK/change.diff" --format json -q > "$WORK/out.json" || true
  e=$(date +%s.%N)
  t=$(echo "$e - $s" | bc)
  if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
done
findings=$(python3 -c "import json,sys; r=json.load(open('$WORK/out.json')); print(r['summary']['total'], [p['outcome']['status'] for l in r['layers'] for p in l.get('parts',[])])")
printf 'guard review --patch: %.3f s (best of 3); findings, reviewer outcomes: %s\n' "$best" "$findings"

if command -v semgrep >/dev/null && [ -d "$RULES" ]; then
  s=$(date +%s.%N)
  semgrep scan --metrics=off --disable-version-check -q --json \
    --config "$RULES/python" --config "$RULES/javascript" --config "$RULES/go" --config "$RULES/java" \
    "$WORK/tree" > "$WORK/semgrep.json" 2>/dev/null || true
  e=$(date +%s.%N)
  printf 'semgrep (community rules, same files): %.3f s; results: %s\n' "$(echo "$e - $s" | bc)" \
    "$(python3 -c "import json; print(len(json.load(open('$WORK/semgrep.json')).get('results', [])))" 2>/dev/null || echo '?')"
else
  echo "semgrep: skipped (not installed or no rules at $RULES)"
fi
