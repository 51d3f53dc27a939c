//! End-to-end tests of `guard infra` and the infra layer under `guard run`.
#![allow(clippy::unwrap_used)]

mod common;

use common::{guard, run};
use serde_json::Value;
use std::path::Path;

fn write(dir: &Path, name: &str, content: &[u8]) {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(p, content).unwrap();
}

/// `guard infra ARGS --format json` in `dir`: exit code, report, stderr.
fn infra(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let (code, out, err) = run(guard()
        .current_dir(dir)
        .arg("infra")
        .args(args)
        .args(["--format", "json", "-q"]));
    let report = serde_json::from_str(&out).unwrap_or(Value::Null);
    (code, report, err)
}

fn rule_ids(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .map(|fs| {
            fs.iter()
                .map(|f| f["rule_id"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn failure(report: &Value) -> String {
    report["layers"][0]["outcome"]["message"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

const PLAN: &str = r#"{"format_version":"1.2","terraform_version":"1.11.4","resource_changes":[
 {"address":"aws_db_instance.main","mode":"managed","type":"aws_db_instance","name":"main",
  "action_reason":"replace_because_cannot_update",
  "change":{"actions":["delete","create"],"replace_paths":[["engine"]],
   "before":{"engine":"postgres","storage_encrypted":true,"password":"hunter2"},
   "after":{"engine":"mysql","storage_encrypted":true,"password":"hunter2"},
   "after_unknown":{"id":true},"before_sensitive":{"password":true},"after_sensitive":{"password":true}}},
 {"address":"aws_s3_bucket.logs","mode":"managed","type":"aws_s3_bucket","name":"logs",
  "change":{"actions":["update"],"before":{"bucket":"logs","force_destroy":true,"acl":"private"},
   "after":{"bucket":"logs","force_destroy":true,"acl":"public-read"},"after_unknown":{}}}
]}"#;

#[test]
fn plan_findings_and_semantics() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "plan.json", PLAN.as_bytes());
    let (code, report, _) = infra(dir.path(), &["plan.json"]);
    assert_eq!(code, 1, "{report}");
    let fs = report["findings"].as_array().unwrap();
    let by_rule = |id: &str| fs.iter().find(|f| f["rule_id"] == id).unwrap().clone();
    let destroy = by_rule("INFRA-DATA-004");
    assert_eq!(destroy["severity"], "critical");
    assert_eq!(destroy["resource"], "aws_db_instance.main");
    assert!(destroy["message"]
        .as_str()
        .unwrap()
        .contains("replace_because_cannot_update"));
    // The public ACL is new: full severity. force_destroy was already on: Info.
    assert_eq!(by_rule("INFRA-EXP-001")["severity"], "critical");
    assert_eq!(by_rule("INFRA-DATA-001")["severity"], "info");
    assert!(!report.to_string().contains("hunter2"));

    // --all reports the pre-existing risk at its own severity.
    let (_, report, _) = infra(dir.path(), &["plan.json", "--all"]);
    let fd = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "INFRA-DATA-001")
        .unwrap()
        .clone();
    assert_eq!(fd["severity"], "high");
}

#[test]
fn utf16_plan_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    for u in PLAN.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    write(dir.path(), "plan16.json", &bytes);
    let (code, report, _) = infra(dir.path(), &["plan16.json"]);
    assert_eq!(code, 1);
    assert!(rule_ids(&report).contains(&"INFRA-DATA-004".to_string()));
}

#[test]
fn directory_with_lines_and_inline_ignore() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "infra/main.tf",
        b"resource \"aws_s3_bucket\" \"a\" {\n  bucket        = \"a\"\n  force_destroy = true\n}\n\nresource \"aws_s3_bucket\" \"b\" {\n  bucket        = \"b\"\n  # guard:ignore[INFRA-DATA-001] scratch bucket\n  force_destroy = true\n}\n",
    );
    write(
        dir.path(),
        "infra/policy.json",
        br#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    );
    write(dir.path(), "infra/package.json", br#"{"name":"unrelated"}"#);
    // Terraform's module cache is not the code under review.
    write(
        dir.path(),
        "infra/.terraform/modules/m/main.tf",
        b"resource \"aws_s3_bucket\" \"m\" {\n  force_destroy = true\n}\n",
    );
    let (code, report, _) = infra(dir.path(), &["infra"]);
    assert_eq!(code, 1, "{report}");
    let fs = report["findings"].as_array().unwrap();
    let fd: Vec<&Value> = fs
        .iter()
        .filter(|f| f["rule_id"] == "INFRA-DATA-001")
        .collect();
    assert_eq!(fd.len(), 1, "{report}");
    assert_eq!(fd[0]["location"]["path"], "infra/main.tf");
    assert_eq!(fd[0]["location"]["start_line"], 3);
    assert!(rule_ids(&report).contains(&"INFRA-IAM-001".to_string()));
}

#[test]
fn guard_run_includes_infra() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "sg.tf",
        b"resource \"aws_security_group_rule\" \"ssh\" {\n  type        = \"ingress\"\n  from_port   = 22\n  to_port     = 22\n  protocol    = \"tcp\"\n  cidr_blocks = [\"0.0.0.0/0\"]\n  description = \"ssh\"\n}\n",
    );
    let (code, out, _) = run(guard()
        .arg("run")
        .arg(dir.path())
        .args(["--layer", "infra", "--format", "json", "-q"]));
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&out).unwrap();
    let f = &report["findings"][0];
    assert_eq!(f["rule_id"], "INFRA-NET-001");
    assert_eq!(f["location"]["path"], "sg.tf");
    assert_eq!(f["location"]["start_line"], 6);
}

#[test]
fn rules_are_listed() {
    let (code, out, _) = run(guard().args(["rules", "infra"]));
    assert_eq!(code, 0);
    assert!(out.contains("INFRA-IAM-001") && out.contains("INFRA-DATA-004"));
}

/// Each bad input: exit 2, and a message naming the file and what is wrong.
fn bad(name: &str, content: &[u8], expect: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), name, content);
    let (code, report, err) = infra(dir.path(), &[name]);
    assert_eq!(code, 2, "{name}: {report} {err}");
    let msg = failure(&report);
    assert!(msg.contains(name), "{name}: {msg}");
    for e in expect {
        assert!(msg.contains(e), "{name}: expected `{e}` in {msg}");
    }
}

#[test]
fn bad_inputs_are_clear_errors() {
    bad("truncated.json", &PLAN.as_bytes()[..200], &["truncated"]);
    bad(
        "wrongtype.json",
        br#"{"format_version":"1.0","resource_changes":[{"address":"a","type":"t","change":"oops"}]}"#,
        &["resource_changes[0].change", "expected"],
    );
    bad(
        "v2.json",
        br#"{"format_version":"2.0","resource_changes":[]}"#,
        &["2.0", "not supported"],
    );
    let deep = format!(
        r#"{{"format_version":"1.0","resource_changes":[{{"address":"a","type":"t","change":{{"after":{}{}}}}}]}}"#,
        "[".repeat(5000),
        "]".repeat(5000)
    );
    bad("deep.json", deep.as_bytes(), &["128"]);
    bad(
        "main.tf",
        b"resource \"aws_s3_bucket\" \"b\" {\n  bucket = \n}\n",
        &["main.tf:2:"],
    );
    bad(
        "policy.json",
        b"{\"Statement\": [ {\"Effect\": \"Allow\", }\n",
        &["policy.json:1:"],
    );
    bad(
        "notjson.json",
        b"Version: 2012-10-17\nStatement: []\n",
        &["not valid JSON"],
    );
    bad("binary.json", b"\x00\x01\x02garbage", &["binary"]);
}

#[test]
fn binary_plan_without_terraform_says_how_to_convert() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "tfplan", b"PK\x03\x04rest-of-a-zip");
    let (code, out, err) = run(guard()
        .current_dir(dir.path())
        .env("PATH", "")
        .args(["infra", "tfplan", "--format", "json", "-q"]));
    assert_eq!(code, 2, "{out} {err}");
    assert!(out.contains("terraform show -json"), "{out}");
}

#[test]
fn huge_string_values_are_handled() {
    let dir = tempfile::tempdir().unwrap();
    let big = "A".repeat(50 * 1024 * 1024);
    let plan = format!(
        r#"{{"format_version":"1.2","resource_changes":[{{"address":"aws_iam_policy.p","type":"aws_iam_policy","name":"p","change":{{"actions":["create"],"before":null,"after":{{"description":"{big}","policy":"{{\"Statement\":[{{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}]}}"}}}}}}]}}"#
    );
    write(dir.path(), "big.json", plan.as_bytes());
    let (code, report, _) = infra(dir.path(), &["big.json"]);
    assert_eq!(code, 1, "{}", failure(&report));
    assert!(rule_ids(&report).contains(&"INFRA-IAM-001".to_string()));
}

#[test]
fn prevent_destroy_removal_against_the_diff_base() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "db.tf",
        b"resource \"aws_dynamodb_table\" \"orders\" {\n  name = \"orders\"\n  server_side_encryption {\n    enabled = true\n  }\n  lifecycle {\n  }\n}\n",
    );
    let patch = "diff --git a/db.tf b/db.tf\n--- a/db.tf\n+++ b/db.tf\n@@ -4,6 +4,5 @@\n     enabled = true\n   }\n   lifecycle {\n-    prevent_destroy = true\n   }\n }\n";
    write(dir.path(), "change.patch", patch.as_bytes());
    let (code, out, err) = run(guard().current_dir(dir.path()).args([
        "run",
        ".",
        "--layer",
        "infra",
        "--patch",
        "change.patch",
        "--format",
        "json",
        "-q",
    ]));
    assert_eq!(code, 1, "{out} {err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let f = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "INFRA-DATA-005")
        .expect("INFRA-DATA-005")
        .clone();
    assert_eq!(f["location"]["path"], "db.tf");
    assert_eq!(f["location"]["start_line"], 6);
}

#[test]
fn guard_run_with_a_plan_input_still_walks_the_root() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "plan.json", PLAN.as_bytes());
    write(
        dir.path(),
        "src/main.tf",
        b"resource \"aws_ebs_volume\" \"v\" {\n  encrypted = false\n}\n",
    );
    let (code, out, _) = run(guard().current_dir(dir.path()).args([
        "run",
        "src",
        "--layer",
        "infra",
        "--input",
        "plan=plan.json",
        "--format",
        "json",
        "-q",
    ]));
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&out).unwrap();
    let ids = rule_ids(&report);
    assert!(ids.contains(&"INFRA-ENC-001".to_string()), "{ids:?}");
    assert!(ids.contains(&"INFRA-DATA-004".to_string()), "{ids:?}");
}

/// One broken file in a walked tree is a finding; the other files are still
/// checked. Named on the command line, the same file is an error.
#[test]
fn broken_file_in_a_walk_does_not_hide_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "infra/broken.tf",
        b"resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  acl    = \n}\n",
    );
    write(
        dir.path(),
        "infra/risky.tf",
        b"resource \"aws_s3_bucket\" \"r\" {\n  bucket        = \"r\"\n  force_destroy = true\n}\n",
    );
    write(dir.path(), "infra/broken.tf.json", b"{\"resource\": {\n");
    let (code, report, _) = infra(dir.path(), &["infra"]);
    assert_eq!(code, 1, "{report}");
    let fs = report["findings"].as_array().unwrap();
    let input: Vec<&Value> = fs
        .iter()
        .filter(|f| f["rule_id"] == "INFRA-INPUT-001")
        .collect();
    assert_eq!(input.len(), 2, "{report}");
    let tf = input
        .iter()
        .find(|f| f["location"]["path"] == "infra/broken.tf")
        .unwrap();
    assert_eq!(tf["severity"], "high");
    assert_eq!(tf["location"]["start_line"], 3);
    assert!(tf["location"]["start_col"].as_u64().unwrap() >= 1);
    assert!(tf["message"]
        .as_str()
        .unwrap()
        .contains("infra/broken.tf:3:"));
    assert!(rule_ids(&report).contains(&"INFRA-DATA-001".to_string()));

    // guard run walks the same way.
    let (code, out, _) = run(guard()
        .arg("run")
        .arg(dir.path().join("infra"))
        .args(["--layer", "infra", "--format", "json", "-q"]));
    assert_eq!(code, 1, "{out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let ids = rule_ids(&report);
    assert!(ids.contains(&"INFRA-INPUT-001".to_string()), "{out}");
    assert!(ids.contains(&"INFRA-DATA-001".to_string()), "{out}");

    // Named explicitly: the clear error, exit 2.
    let (code, report, _) = infra(dir.path(), &["infra/broken.tf"]);
    assert_eq!(code, 2, "{report}");
    assert!(failure(&report).contains("infra/broken.tf:3:"));
}

/// The `.tf` files of a directory are one module: a variable declared in one
/// file and set in terraform.tfvars is resolved where another file uses it;
/// a variable nobody sets is "cannot verify", not a pass.
#[test]
fn variables_resolve_across_the_module_directory() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "net/variables.tf",
        b"variable \"ssh_cidr\" {\n  default = \"10.0.0.0/8\"\n}\nvariable \"db_public\" {\n  type = bool\n}\n",
    );
    write(
        dir.path(),
        "net/terraform.tfvars",
        b"ssh_cidr = \"0.0.0.0/0\"\n",
    );
    write(
        dir.path(),
        "net/main.tf",
        b"resource \"aws_security_group_rule\" \"ssh\" {\n  type        = \"ingress\"\n  from_port   = 22\n  to_port     = 22\n  protocol    = \"tcp\"\n  cidr_blocks = [var.ssh_cidr]\n  description = \"ssh\"\n}\n\nresource \"aws_db_instance\" \"db\" {\n  publicly_accessible = var.db_public\n  storage_encrypted   = true\n}\n",
    );
    for (cwd, args) in [
        ("", &["net"][..]),
        ("", &["net/main.tf"][..]),
        ("net", &["main.tf"][..]),
    ] {
        let (code, report, _) = infra(&dir.path().join(cwd), args);
        assert_eq!(code, 1, "{args:?}: {report}");
        let fs = report["findings"].as_array().unwrap();
        let find = |id: &str| {
            fs.iter()
                .find(|f| f["rule_id"] == id)
                .unwrap_or_else(|| panic!("{args:?}: no {id} in {report}"))
        };
        let net = find("INFRA-NET-001");
        let path = net["location"]["path"].as_str().unwrap();
        assert!(path.ends_with("main.tf"), "{path}");
        assert_eq!(net["location"]["start_line"], 6);
        let unverified = find("INFRA-PLAN-002");
        assert_eq!(unverified["location"]["start_line"], 11);
        assert_eq!(unverified["confidence"], "medium");
        assert!(unverified["message"]
            .as_str()
            .unwrap()
            .contains("var.db_public"));
    }
}

/// Variable values come from the last of: default, terraform.tfvars,
/// terraform.tfvars.json, *.auto.tfvars(.json) by name, then each
/// `--var-file` in order (Terraform's precedence).
#[test]
fn variable_files_apply_in_terraform_precedence() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "db/main.tf",
        b"variable \"protect\" {\n  default = true\n}\nvariable \"snap\" {\n  type = bool\n}\nresource \"aws_db_instance\" \"db\" {\n  deletion_protection = var.protect\n  skip_final_snapshot = var.snap\n  storage_encrypted   = true\n}\n",
    );
    let ids_in = |args: &[&str]| {
        let (code, report, err) = infra(d, args);
        assert!(code == 0 || code == 1, "{args:?}: {report}\n{err}");
        rule_ids(&report)
    };
    // Default only: protection on, the snapshot flag unknown.
    let ids = ids_in(&["db"]);
    assert!(!ids.contains(&"INFRA-DATA-002".to_string()), "{ids:?}");
    assert!(ids.contains(&"INFRA-PLAN-002".to_string()), "{ids:?}");

    write(d, "db/terraform.tfvars", b"protect = false\nsnap = false\n");
    let ids = ids_in(&["db"]);
    assert!(ids.contains(&"INFRA-DATA-002".to_string()), "{ids:?}");
    assert!(!ids.contains(&"INFRA-PLAN-002".to_string()), "{ids:?}");

    // terraform.tfvars.json overrides terraform.tfvars ...
    write(d, "db/terraform.tfvars.json", b"{\"protect\": true}");
    let ids = ids_in(&["db"]);
    assert!(!ids.contains(&"INFRA-DATA-002".to_string()), "{ids:?}");
    // ... the auto files override both, in lexical order ...
    write(d, "db/a.auto.tfvars", b"protect = true\n");
    write(d, "db/b.auto.tfvars.json", b"{\"protect\": false}");
    let ids = ids_in(&["db/main.tf"]);
    assert!(ids.contains(&"INFRA-DATA-002".to_string()), "{ids:?}");
    // ... and --var-file files come last, in the order given.
    write(d, "prod.tfvars", b"protect = true\n");
    write(d, "bad.tfvars.json", b"{\"protect\": false}");
    let ids = ids_in(&[
        "db",
        "--var-file",
        "bad.tfvars.json",
        "--var-file",
        "prod.tfvars",
    ]);
    assert!(!ids.contains(&"INFRA-DATA-002".to_string()), "{ids:?}");
    let ids = ids_in(&[
        "db",
        "--var-file",
        "prod.tfvars",
        "--var-file",
        "bad.tfvars.json",
    ]);
    assert!(ids.contains(&"INFRA-DATA-002".to_string()), "{ids:?}");

    // A variable file that does not parse is an error naming its place.
    write(d, "broken.tfvars", b"protect = [\n");
    let (code, report, _) = infra(d, &["db", "--var-file", "broken.tfvars"]);
    assert_eq!(code, 2, "{report}");
    assert!(failure(&report).contains("broken.tfvars:"), "{report}");
    let (code, _, err) =
        run(guard()
            .current_dir(d)
            .args(["infra", "db", "--var-file", "missing.tfvars"]));
    assert_eq!(code, 2);
    assert!(err.contains("missing.tfvars"), "{err}");
}

fn terraform_on_path() -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("terraform"))
        .find(|p| p.is_file())
}

/// A real binary plan (`terraform plan -out`), made offline with the
/// built-in provider only.
fn real_binary_plan(dir: &Path, tf: &Path) {
    write(
        dir,
        "main.tf",
        b"resource \"terraform_data\" \"a\" {\n  input = \"x\"\n}\n",
    );
    for args in [
        &["init", "-input=false", "-no-color"][..],
        &["plan", "-input=false", "-no-color", "-out=tfplan"][..],
    ] {
        let out = std::process::Command::new(tf)
            .args(args)
            .current_dir(dir)
            .env("TF_CLI_CONFIG_FILE", "/dev/null")
            .env("CHECKPOINT_DISABLE", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "terraform {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn binary_plan_is_converted_with_terraform_or_tofu() {
    let Some(tf) = terraform_on_path() else {
        eprintln!("note: terraform not on PATH, skipping the binary plan test");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    real_binary_plan(dir.path(), &tf);
    let (code, report, err) = infra(dir.path(), &["tfplan"]);
    assert_eq!(code, 0, "{report}\n{err}");
    assert_eq!(report["layers"][0]["outcome"]["status"], "completed");

    // Only OpenTofu on PATH: `tofu show -json` is used (a shim standing in
    // for it, logging its call).
    let bin = tempfile::tempdir().unwrap();
    let log = bin.path().join("calls");
    let shim = bin.path().join("tofu");
    write(
        bin.path(),
        "tofu",
        format!(
            "#!/bin/sh\necho \"$@\" >> '{}'\nexec '{}' \"$@\"\n",
            log.display(),
            tf.display()
        )
        .as_bytes(),
    );
    let mut perm = std::fs::metadata(&shim).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o755);
    std::fs::set_permissions(&shim, perm).unwrap();
    let (code, out, err) = run(guard()
        .current_dir(dir.path())
        .env("PATH", bin.path())
        .args(["infra", "tfplan", "--format", "json", "-q"]));
    assert_eq!(code, 0, "{out}\n{err}");
    let calls = std::fs::read_to_string(&log).unwrap();
    assert!(calls.starts_with("show -json"), "{calls}");

    // Neither: the error names both commands and how to convert.
    let (code, out, err) = run(guard()
        .current_dir(dir.path())
        .env("PATH", "")
        .args(["infra", "tfplan", "--format", "json", "-q"]));
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(
        out.contains("neither `terraform` nor `tofu` is on PATH"),
        "{out}"
    );
}

const CFN_YAML: &str = "AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Protect:
    Type: String
    Default: 'false'
  AdminCidr:
    Type: String
Resources:
  Admin:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: '*'
            Resource: '*'
  Open:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ssh
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: !Join ['', ['0.0.0.0', '/0']]
          Description: ssh
  Admin2:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref Open
      IpProtocol: tcp
      FromPort: 3389
      ToPort: 3389
      CidrIp: !Ref AdminCidr
      Description: rdp
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      StorageEncrypted: false
      DeletionProtection: !Ref Protect
      MonitoringRoleArn: !GetAtt Monitor.Arn
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Open
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: '*'
            Action: s3:GetObject
            Resource: !Sub 'arn:aws:s3:::${Open}/*'
";

const CFN_JSON: &str = r#"{
  "Resources": {
    "Db": {
      "Type": "AWS::RDS::DBCluster",
      "Properties": {
        "StorageEncrypted": true,
        "DeletionProtection": false
      }
    },
    "Role": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}
      }
    }
  }
}
"#;

/// CloudFormation templates, YAML with short-form intrinsics and JSON, go
/// through the same checks; parameters with defaults are values, without
/// one they are "cannot verify".
#[test]
fn cloudformation_templates_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "stack.yaml", CFN_YAML.as_bytes());
    write(d, "cluster.json", CFN_JSON.as_bytes());
    let (code, report, err) = infra(d, &["stack.yaml"]);
    assert_eq!(code, 1, "{report}\n{err}");
    let fs = report["findings"].as_array().unwrap();
    let has = |id: &str, res: &str| {
        fs.iter()
            .any(|f| f["rule_id"] == id && f["resource"] == res)
    };
    assert!(has("INFRA-IAM-001", "Resources.Admin"), "{report}");
    assert!(has("INFRA-NET-001", "Resources.Open"), "{report}");
    assert!(has("INFRA-ENC-001", "Resources.Db"), "{report}");
    assert!(has("INFRA-DATA-002", "Resources.Db"), "{report}");
    assert!(has("INFRA-IAM-006", "Resources.Policy"), "{report}");
    // The RDP rule's source is a parameter with no default.
    let unverified = fs
        .iter()
        .find(|f| f["rule_id"] == "INFRA-PLAN-002" && f["resource"] == "Resources.Admin2")
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!(unverified["confidence"], "medium");
    assert!(unverified["message"]
        .as_str()
        .unwrap()
        .contains("Ref AdminCidr"));
    let db = fs.iter().find(|f| f["rule_id"] == "INFRA-ENC-001").unwrap();
    assert_eq!(db["location"]["path"], "stack.yaml");
    assert_eq!(db["location"]["start_line"], 37, "{db}");

    let (code, report, _) = infra(d, &["cluster.json"]);
    assert_eq!(code, 1, "{report}");
    let ids = rule_ids(&report);
    assert!(ids.contains(&"INFRA-DATA-002".to_string()), "{ids:?}");
    assert!(ids.contains(&"INFRA-IAM-006".to_string()), "{ids:?}");

    // Found by content in a walk; other YAML is left alone.
    write(d, ".github/workflows/ci.yml", b"on: push\njobs: {}\n");
    let (code, out, err) = run(guard()
        .current_dir(d)
        .args(["run", ".", "--layer", "infra", "--format", "json", "-q"]));
    assert_eq!(code, 1, "{out}\n{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["location"]["path"].as_str())
        .collect();
    assert!(
        paths.contains(&"stack.yaml") && paths.contains(&"cluster.json"),
        "{paths:?}"
    );
    assert!(!paths.iter().any(|p| p.contains("ci.yml")), "{paths:?}");

    // `--input cfn=FILE`; a named YAML file that is not a template is an error.
    let (code, _, err) = run(guard().current_dir(d).args([
        "run",
        ".",
        "--layer",
        "infra",
        "--input",
        "cfn=.github/workflows/ci.yml",
        "-q",
    ]));
    assert_eq!(code, 2, "{err}");
    let (code, report, _) = infra(d, &[".github/workflows/ci.yml"]);
    assert_eq!(code, 2);
    assert!(
        failure(&report).contains("expected a CloudFormation template"),
        "{report}"
    );
    write(
        d,
        "broken.yaml",
        b"AWSTemplateFormatVersion: x\nResources: [\n",
    );
    let (code, report, _) = infra(d, &["broken.yaml"]);
    assert_eq!(code, 2);
    assert!(failure(&report).starts_with("broken.yaml:"), "{report}");
}

fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// With a change under review, the module is evaluated before the change too:
/// only findings the change introduced are reported (a value set in
/// terraform.tfvars counts), `--include-existing` reports all, and the
/// summary gives the split.
#[test]
fn change_reports_introduced_findings_and_counts_existing_ones() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    // Explicit settings only: provider defaults would add findings of their own.
    write(d, "guard.toml", b"[layers.infra]\nunset = \"ignore\"\n");
    // Already there: an unencrypted volume, in a directory the change does
    // not touch and in the one it does.
    write(
        d,
        "old/main.tf",
        b"resource \"aws_ebs_volume\" \"legacy\" {\n  encrypted = false\n}\n",
    );
    write(
        d,
        "db/main.tf",
        b"variable \"protect\" {\n  default = true\n}\nresource \"aws_ebs_volume\" \"v\" {\n  encrypted = false\n}\nresource \"aws_db_instance\" \"db\" {\n  deletion_protection = var.protect\n  storage_encrypted   = true\n}\n",
    );
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "base"]);
    // The change: protection turned off through terraform.tfvars, a world-open
    // rule added, and lines moved above the existing volume.
    write(d, "db/terraform.tfvars", b"protect = false\n");
    write(
        d,
        "db/main.tf",
        b"# moved\n\nvariable \"protect\" {\n  default = true\n}\nresource \"aws_ebs_volume\" \"v\" {\n  encrypted = false\n}\nresource \"aws_db_instance\" \"db\" {\n  deletion_protection = var.protect\n  storage_encrypted   = true\n}\nresource \"aws_security_group_rule\" \"ssh\" {\n  type        = \"ingress\"\n  from_port   = 22\n  to_port     = 22\n  protocol    = \"tcp\"\n  cidr_blocks = [\"0.0.0.0/0\"]\n  description = \"ssh\"\n}\n",
    );
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "change"]);

    let report_of = |extra: &[&str]| {
        let (code, out, err) = run(guard()
            .current_dir(d)
            .args(["run", ".", "--layer", "infra", "--diff", "HEAD~1..HEAD"])
            .args(extra)
            .args(["--format", "json", "-q"]));
        assert!(code == 0 || code == 1, "{out}\n{err}");
        (code, serde_json::from_str::<Value>(&out).unwrap())
    };
    let (code, report) = report_of(&[]);
    assert_eq!(code, 1);
    let mut ids = rule_ids(&report);
    ids.sort();
    assert_eq!(ids, ["INFRA-DATA-002", "INFRA-NET-001"], "{report}");
    let split = &report["summary"]["change"];
    assert_eq!(split["introduced"], 2, "{report}");
    assert_eq!(split["existing"], 2, "{report}");
    assert_eq!(split["existing_reported"], false);
    assert_eq!(report["summary"]["total"], 2);

    let (_, all) = report_of(&["--include-existing"]);
    let existing: Vec<&str> = all["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["tags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t == "change:existing")
        })
        .map(|f| f["resource"].as_str().unwrap())
        .collect();
    assert_eq!(existing.len(), 2, "{all}");
    assert!(existing.contains(&"aws_ebs_volume.legacy"), "{existing:?}");
    assert!(existing.contains(&"aws_ebs_volume.v"), "{existing:?}");
    assert_eq!(all["summary"]["total"], 4);

    // The text summary says the split.
    let (_, text, _) = run(guard().current_dir(d).args([
        "run",
        ".",
        "--layer",
        "infra",
        "--diff",
        "HEAD~1..HEAD",
    ]));
    assert!(
        text.contains(
            "change: 2 introduced, 2 already present (not shown; --include-existing shows them)"
        ),
        "{text}"
    );

    // Staged: a fix of an existing finding introduces nothing.
    write(
        d,
        "old/main.tf",
        b"resource \"aws_ebs_volume\" \"legacy\" {\n  encrypted = true\n}\n",
    );
    git(d, &["add", "."]);
    let (code, out, err) = run(guard().current_dir(d).args([
        "run", ".", "--layer", "infra", "--staged", "--format", "json", "-q",
    ]));
    let v: Value = serde_json::from_str(&out).unwrap_or(Value::Null);
    assert_eq!(v["summary"]["change"]["introduced"], 0, "{out}\n{err}");
    assert_eq!(code, 0, "{out}");
}

/// Settings left at an insecure provider default are reported with their own
/// confidence and tag; `[layers.infra] unset = "ignore"` drops them and keeps
/// explicit ones; any other value is a configuration error.
#[test]
fn unset_defaults_can_be_ignored() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        b"resource \"aws_db_instance\" \"a\" {\n  engine            = \"postgres\"\n  storage_encrypted = false\n}\n",
    );
    let (_, report, err) = infra(dir.path(), &["main.tf"]);
    let unset: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["message"]
                .as_str()
                .unwrap()
                .contains("not set (defaults to")
        })
        .collect();
    assert!(!unset.is_empty(), "{report}\n{err}");
    for f in &unset {
        assert_eq!(f["confidence"], "low", "{f}");
        assert!(
            f["tags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t == "infra:unset-default"),
            "{f}"
        );
    }
    assert!(rule_ids(&report).contains(&"INFRA-DATA-002".to_string()));

    write(
        dir.path(),
        "guard.toml",
        b"[layers.infra]\nunset = \"ignore\"\n",
    );
    let (_, report, err) = infra(dir.path(), &["main.tf"]);
    let ids = rule_ids(&report);
    assert_eq!(ids, ["INFRA-ENC-001"], "{report}\n{err}");

    write(
        dir.path(),
        "guard.toml",
        b"[layers.infra]\nunset = \"sometimes\"\n",
    );
    let (code, _, err) = infra(dir.path(), &["main.tf"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unset") || err.contains("sometimes"), "{err}");
}
