#!/usr/bin/env python3
"""Inputs for bench/infra.sh: a plan with N resource changes, or a directory of
N .tf files. Usage: infra_gen.py plan N OUT.json | infra_gen.py tfdir N OUTDIR"""
import json
import os
import sys


def sg(i):
    return {
        "description": f"sg {i}", "name": f"sg-{i}", "vpc_id": "vpc-1",
        "ingress": [{"cidr_blocks": ["0.0.0.0/0" if i % 7 == 0 else "10.0.0.0/8"], "description": "x",
                     "from_port": 22 if i % 7 == 0 else 443, "to_port": 22 if i % 7 == 0 else 443,
                     "ipv6_cidr_blocks": [], "prefix_list_ids": [], "protocol": "tcp",
                     "security_groups": [], "self": False}],
        "egress": [], "tags": {"Name": f"sg-{i}", "team": "bench"},
    }


def policy(i):
    doc = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"] if i % 5 else ["*"],
         "Resource": ["*"] if i % 5 == 0 else [f"arn:aws:s3:::bucket-{i}/*"]}]}
    return {"name": f"p-{i}", "path": "/", "description": "bench", "policy": json.dumps(doc), "tags": {}}


def bucket(i):
    return {"bucket": f"bucket-{i}", "force_destroy": i % 11 == 0, "tags": {"env": "bench"}}


def plan(n, out):
    changes = []
    for i in range(n):
        kind = i % 3
        rtype, after = [("aws_security_group", sg(i)), ("aws_iam_policy", policy(i)), ("aws_s3_bucket", bucket(i))][kind]
        actions = ["create"] if i % 13 else ["update"]
        before = None if actions == ["create"] else after
        changes.append({
            "address": f"{rtype}.r{i}", "mode": "managed", "type": rtype, "name": f"r{i}",
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": actions, "before": before, "after": after,
                       "after_unknown": {"id": True, "arn": True}, "before_sensitive": False if before is None else {},
                       "after_sensitive": {}},
        })
    doc = {"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": changes,
           "planned_values": {"root_module": {"resources": []}}}
    with open(out, "w") as fh:
        json.dump(doc, fh)


TF = '''resource "aws_security_group" "sg_{i}" {{
  name   = "sg-{i}"
  vpc_id = "vpc-1"
  ingress {{
    description = "admin"
    from_port   = {port}
    to_port     = {port}
    protocol    = "tcp"
    cidr_blocks = ["{cidr}"]
  }}
}}

resource "aws_iam_role_policy" "p_{i}" {{
  name = "p-{i}"
  role = "role-{i}"
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect   = "Allow"
      Action   = ["{action}"]
      Resource = "*"
    }}]
  }})
}}

resource "aws_s3_bucket" "b_{i}" {{
  bucket        = "bucket-{i}"
  force_destroy = {fd}
}}

resource "aws_db_instance" "db_{i}" {{
  identifier          = "db-{i}"
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  storage_encrypted   = {enc}
  publicly_accessible = false
  skip_final_snapshot = true
}}
'''


def tfdir(n, out):
    os.makedirs(out, exist_ok=True)
    for i in range(n):
        with open(os.path.join(out, f"main_{i:05d}.tf"), "w") as fh:
            fh.write(TF.format(i=i, port=22 if i % 4 == 0 else 443,
                               cidr="0.0.0.0/0" if i % 2 == 0 else "10.0.0.0/8",
                               action="*" if i % 9 == 0 else "s3:GetObject",
                               fd="true" if i % 5 == 0 else "false",
                               enc="false" if i % 3 == 0 else "true"))


if __name__ == "__main__":
    what, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    {"plan": plan, "tfdir": tfdir}[what](n, out)
