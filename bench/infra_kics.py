#!/usr/bin/env python3
"""Accuracy of `guard infra` on KICS's labelled Terraform queries.

Reads ../shared/corpus/terraform/kics (one folder per KICS query, positive*/negative*
files, positive_expected_result.json with file and line). Each covered query maps to
guard rule ids; a guard finding of a mapped rule is a true positive when its line span
(start..end) contains an expected line of the same file, one finding per expected line.
Lines are compared as unique (file, line) pairs: KICS lists some lines once per port.
Findings of mapped rules that match nothing (in positive or negative files) are false
positives. Prints per-query TP/FP/FN and the totals over covered queries.

Usage: python3 bench/infra_kics.py [--guard target/release/guard] [--verbose]
"""
import argparse
import json
import os
import subprocess
import sys

CORPUS = os.path.join("..", "shared", "corpus", "terraform", "kics")

# KICS query -> guard rules that implement it.
COVERED = {
    "alb_deletion_protection_disabled": ["INFRA-DATA-002"],
    "cloudfront_viewer_protocol_policy_allows_http": ["INFRA-EXP-004"],
    "db_instance_storage_not_encrypted": ["INFRA-ENC-001"],
    "dynamodb_table_not_encrypted": ["INFRA-ENC-001"],
    "ebs_volume_encryption_disabled": ["INFRA-ENC-001"],
    "efs_not_encrypted": ["INFRA-ENC-001"],
    "iam_policies_with_full_privileges": ["INFRA-IAM-001"],
    "iam_policy_grants_full_permissions": ["INFRA-IAM-001"],
    "iam_role_policy_passrole_allows_all": ["INFRA-IAM-005"],
    "iam_role_with_full_privileges": ["INFRA-IAM-001"],
    "rds_db_instance_publicly_accessible": ["INFRA-EXP-003"],
    "rds_storage_not_encrypted": ["INFRA-ENC-001"],
    "rds_with_backup_disabled": ["INFRA-DATA-006"],
    "redshift_not_encrypted": ["INFRA-ENC-001"],
    "s3_bucket_access_to_any_principal": ["INFRA-IAM-006"],
    "s3_bucket_acl_allows_read_or_write_to_all_users": ["INFRA-EXP-001"],
    "s3_bucket_allows_delete_action_from_all_principals": ["INFRA-IAM-006"],
    "s3_bucket_with_all_permissions": ["INFRA-IAM-001", "INFRA-IAM-003"],
    "s3_bucket_with_public_policy": ["INFRA-EXP-002"],
    "security_group_rules_without_description": ["INFRA-NET-003"],
    "security_group_with_unrestricted_access_to_ssh": ["INFRA-NET-001"],
    "sensitive_port_is_exposed_to_entire_network": ["INFRA-NET-001"],
    "unrestricted_security_group_ingress": ["INFRA-NET-001", "INFRA-NET-002"],
}

# Queries left out, and why.
# Queries left out of the totals, and why; each with the guard rule that is
# closest, scored separately so the disagreement is visible.
UNCOVERED = {
    "kms_key_with_full_permissions": (["INFRA-IAM-006"], "KICS also flags a key with no `policy` attribute (positive3); AWS then applies the default key policy, which grants the account root `kms:*` and is not a risk guard reports. Keys whose policy allows `Principal: {AWS: *}` are INFRA-IAM-006"),
    "lambda_permission_principal_is_wildcard": (["INFRA-IAM-006"], "KICS flags `principal = \"*\"` even with `source_arn` set; guard follows AWS's guidance that `source_arn`/`source_account`/`principal_org_id` restrict a wildcard principal, so the only positive is a guard negative (without `source_arn` guard raises INFRA-IAM-006, see fixtures)"),
    "iam_role_allows_all_principals_to_assume": (["INFRA-IAM-006"], "the only positive is `Principal: {AWS: \"arn:aws:iam::root\"}`, a malformed ARN without an account id that KICS reads as 'all principals'; guard raises INFRA-IAM-006 for `*` / `{AWS: *}` trust policies (see fixtures)"),
}


# guard reports one finding per IAM statement and per security group rule:
# the most severe problem, naming the others in its message. A finding
# carries those rules too.
CARRIED = [
    ("also the rule has no description", "INFRA-NET-003"),
    ("also statement allows every action", "INFRA-IAM-003"),
    ("also write/permission actions on every resource", "INFRA-IAM-002"),
]


def rules_of(finding):
    out = {finding["rule_id"]}
    for words, rule in CARRIED:
        if words in finding.get("message", ""):
            out.add(rule)
    return out


def run_guard(guard, path):
    p = subprocess.run([guard, "infra", path, "--format", "json", "-q", "--fail-on", "critical"],
                       capture_output=True, text=True)
    try:
        report = json.loads(p.stdout)
    except json.JSONDecodeError:
        return None, (p.stderr or p.stdout).strip()[:300]
    failed = [l for l in report["layers"] if l["outcome"]["status"] != "completed"]
    if failed:
        return None, json.dumps(failed[0]["outcome"])[:300]
    return report["findings"], None


def score(args, q, rules):
    """Prints and returns (TP, FP, FN) of guard `rules` on KICS query `q`."""
    qdir = os.path.join(CORPUS, q)
    files = sorted(f for f in os.listdir(qdir) if f.endswith(".tf") and (f.startswith("positive") or f.startswith("negative")))
    positives = [f for f in files if f.startswith("positive")]
    # Named entries: unique (file, line). Unnamed entries ("*", any positive
    # file): one per positive file at most, since KICS repeats a line once
    # per port it finds open.
    expected = []
    unnamed = {}
    with open(os.path.join(qdir, "positive_expected_result.json")) as fh:
        for e in json.load(fh):
            name = e.get("fileName") or e.get("filename")  # KICS spells both
            if name and not name.endswith(".tf"):
                continue  # plan JSON variants are scored by the plan eval
            if name:
                if (name, int(e["line"])) not in expected:
                    expected.append((name, int(e["line"])))
            else:
                unnamed[int(e["line"])] = min(unnamed.get(int(e["line"]), 0) + 1, len(positives))
    for line, n in unnamed.items():
        expected.extend([("*", line)] * n)
    found = []  # (file, start, end, rule)
    errors = []
    for f in files:
        findings, err = run_guard(args.guard, os.path.join(qdir, f))
        if err:
            errors.append(f"{f}: {err}")
            continue
        for x in findings:
            if rules_of(x) & set(rules) and x.get("location"):
                loc = x["location"]
                found.append((f, loc["start_line"], loc["end_line"], x["rule_id"]))
    used = [False] * len(found)
    tp = fn = 0
    misses = []
    # Most specific (shortest) spans claim expected lines first.
    order = sorted(range(len(found)), key=lambda i: found[i][2] - found[i][1])
    for (name, line) in sorted(expected, key=lambda e: (e[0] == "*", e)):
        hit = None
        for i in order:
            f, s, e, _ = found[i]
            if used[i] or not (s <= line <= e):
                continue
            if name == "*" and f not in positives:
                continue
            if name != "*" and f != name:
                continue
            hit = i
            break
        if hit is None:
            fn += 1
            misses.append(f"FN {name}:{line}")
        else:
            used[hit] = True
            tp += 1
    fp_list = [found[i] for i in range(len(found)) if not used[i]]
    fp = len(fp_list)
    print(f"{q:<52} {','.join(sorted(rules)):<30} {tp:>3} {fp:>3} {fn:>3}")
    if args.verbose or errors:
        for m in misses:
            print("    " + m)
        for f, s, e, r in fp_list:
            print(f"    FP {f}:{s}-{e} {r}")
        for e in errors:
            print("    ERROR " + e)
    return tp, fp, fn


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guard", default=os.path.join("target", "release", "guard"))
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    if not os.path.isdir(CORPUS):
        print(f"corpus not found at {CORPUS}; nothing to evaluate")
        return 0
    if not os.path.exists(args.guard):
        print(f"{args.guard} not found; build it with `cargo build --release -p guard-cli`")
        return 1

    totals = [0, 0, 0]
    print(f"{'query':<52} {'rules':<30} {'TP':>3} {'FP':>3} {'FN':>3}")
    for q in sorted(COVERED):
        if not os.path.isdir(os.path.join(CORPUS, q)):
            continue
        tp, fp, fn = score(args, q, set(COVERED[q]))
        totals[0] += tp
        totals[1] += fp
        totals[2] += fn
    tp, fp, fn = totals
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print()
    print(f"covered queries: {len(COVERED)}  TP={tp} FP={fp} FN={fn}  "
          f"precision={precision:.1%} recall={recall:.1%}  (target >= 95% each)")
    print()
    print("uncovered queries (not in the totals; scored against the closest guard rule):")
    everything = list(totals)
    for q, (rules, why) in sorted(UNCOVERED.items()):
        if os.path.isdir(os.path.join(CORPUS, q)):
            for i, n in enumerate(score(args, q, set(rules))):
                everything[i] += n
        print(f"    why: {why}")
    tp, fp, fn = everything
    print()
    print(f"all {len(COVERED) + len(UNCOVERED)} queries, uncovered ones included: TP={tp} FP={fp} FN={fn}  "
          f"precision={tp / max(tp + fp, 1):.1%} recall={tp / max(tp + fn, 1):.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
