#!/usr/bin/env python3
"""Writes the review corpus from cases.py: for each case `<id>/change.diff`
(a git-style unified diff) and `<id>/new/<path>` (the new side), plus
`labels.json`. Run from any folder; writes next to this script."""
import difflib
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cases import CASES  # noqa: E402


def diff(path, before, after):
    a = (before or "").splitlines(keepends=True)
    b = after.splitlines(keepends=True)
    old = "/dev/null" if before is None else f"a/{path}"
    body = "".join(difflib.unified_diff(a, b, old, f"b/{path}", n=3))
    head = f"diff --git a/{path} b/{path}\n"
    if before is None:
        head += "new file mode 100644\n"
    return head + body


def main():
    labels = {}
    for cid, label, path, before, after, provenance in CASES:
        d = os.path.join(HERE, cid)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(os.path.join(d, "new", os.path.dirname(path)), exist_ok=True)
        with open(os.path.join(d, "new", path), "w") as f:
            f.write(after)
        with open(os.path.join(d, "change.diff"), "w") as f:
            f.write(diff(path, before, after))
        labels[cid] = {"label": label, "path": path, "provenance": provenance}
    with open(os.path.join(HERE, "labels.json"), "w") as f:
        json.dump(labels, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {len(labels)} cases")


if __name__ == "__main__":
    main()
