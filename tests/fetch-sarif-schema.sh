#!/usr/bin/env bash
# Fetch the official SARIF 2.1.0 JSON schema (rtm.5, as published by OASIS and
# SchemaStore) from the npm registry into target/, where the SARIF format test
# reads it. The schema ships in Microsoft's @microsoft/jest-sarif package.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=target/schemas/sarif-schema-2.1.0.json
[ -s "$dest" ] && exit 0
command -v npm >/dev/null || { echo "fetch-sarif-schema: npm is needed" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null)
tar xzf "$tmp"/microsoft-jest-sarif-*.tgz -C "$tmp" package/lib/schemas/sarif-2.1.0-rtm.5.json
mkdir -p "$(dirname "$dest")"
mv "$tmp"/package/lib/schemas/sarif-2.1.0-rtm.5.json "$dest"
echo "fetch-sarif-schema: wrote $dest" >&2
