#!/usr/bin/env python3
"""Example guard process plugin: the example `hello` rule, written in Python.

guard starts this script (`[[plugins.process]] command = ["python3", "hello_layer.py"]`),
writes one JSON request on stdin and reads one JSON response on stdout. The
documents are those of the dynamic plugin ABI (guard-plugin's `protocol`):

  {"action": "describe", "abi_version": 1}
      -> {"status": "info", "abi_version": 1, "id": ..., "rules": [...]}
  {"action": "run", "abi_version": 1, "root": ..., "files": [...], "config_table": {...}, ...}
      -> {"status": "findings", "findings": [...], "skipped": [...]}
  anything wrong
      -> {"status": "error", "kind": "failed" | "bad_request", "message": ...}

stdout carries the response only; write logs to stderr.
"""
import json
import os
import sys

ABI_VERSION = 1
RULE = {
    "id": "PLUGIN-HELLO-PY-001",
    "severity": "medium",
    "title": "Banned text in the repository",
    "rationale": "The team bans this text (an open network range, a marker that a "
                 "security fix is pending) in reviewed code.",
    "remediation": "Remove the text, or ask the owners of the rule set for an exception.",
    "tags": ["company-policy"],
    "references": [],
}
DEFAULT_WORDS = ["0.0.0.0/0", "TODO(security)"]


def describe():
    return {
        "status": "info",
        "abi_version": ABI_VERSION,
        "id": "hello-py",
        "name": "Hello (example Python plugin)",
        "description": "Bans configured text in the repository (example process plugin)",
        "rules": [RULE],
    }


def finding(path, line_no, col, word):
    return {
        "rule_id": RULE["id"],
        "layer": "",
        "severity": RULE["severity"],
        "confidence": "high",
        "title": RULE["title"],
        "message": f"`{word}` is banned by the team's rules",
        "remediation": RULE["remediation"],
        "location": {
            "path": path,
            "start_line": line_no,
            "start_col": col,
            "end_line": line_no,
            "end_col": col + len(word),
        },
        "tags": RULE["tags"],
        "fingerprint": "",
    }


def run(req):
    table = req.get("config_table") or {}
    unknown = sorted(set(table) - {"words"})
    if unknown:
        return error("failed", f"[layers.hello-py]: unknown key(s) {', '.join(unknown)}; expected `words`")
    words = [w for w in table.get("words", []) if w] or DEFAULT_WORDS
    root = req["root"]
    findings, skipped = [], []
    for rel in req.get("files") or []:
        try:
            with open(os.path.join(root, rel), encoding="utf-8") as f:
                text = f.read()
        except UnicodeDecodeError:
            skipped.append({"path": rel, "reason": "not UTF-8 text"})
            continue
        except OSError as e:
            skipped.append({"path": rel, "reason": f"cannot read: {e.strerror}"})
            continue
        for n, line in enumerate(text.splitlines(), start=1):
            for w in words:
                i = line.find(w)
                if i >= 0:
                    findings.append(finding(rel, n, i + 1, w))
    return {"status": "findings", "findings": findings, "skipped": skipped}


def error(kind, message):
    return {"status": "error", "kind": kind, "message": message}


def main():
    try:
        req = json.load(sys.stdin)
    except ValueError as e:
        resp = error("bad_request", f"cannot read the request: {e}")
    else:
        if req.get("abi_version") != ABI_VERSION:
            resp = error("bad_request", f"the host speaks ABI {req.get('abi_version')}, this plugin {ABI_VERSION}")
        elif req.get("action") == "describe":
            resp = describe()
        elif req.get("action") == "run":
            resp = run(req)
        else:
            resp = error("bad_request", f"unknown action {req.get('action')!r}")
    json.dump(resp, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
