//! AWS, Google Cloud, Azure and PaaS CLIs (plus their secret stores and queues).

use crate::shell::argv::{has_long, has_short, opt_value};
use crate::shell::{Engine, Inv};

/// AWS global options that take a value.
const AWS_GLOBAL: &[&str] = &[
    "--profile",
    "--region",
    "--output",
    "--endpoint-url",
    "--query",
    "--color",
    "--ca-bundle",
    "--cli-read-timeout",
    "--cli-connect-timeout",
    "--cli-binary-format",
];

/// Service and operation, skipping global options wherever they are.
fn aws_words<'a>(t: &[&'a str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() && out.len() < 3 {
        let a = t[i];
        if a.starts_with('-') {
            if AWS_GLOBAL.contains(&a) || (!a.contains('=') && out.len() >= 2) {
                i += 1;
            }
        } else {
            out.push(a);
        }
        i += 1;
    }
    out
}

const DESTRUCTIVE_VERBS: &[&str] = &[
    "delete",
    "terminate",
    "purge",
    "remove",
    "deregister",
    "destroy",
    "reset",
];

/// Leading words of AWS CLI operations that delete, destroy, purge, reset, roll back,
/// revoke or release, derived from the verbs of every operation in the AWS service
/// models (`delete-*`, `terminate-*`, `deregister-*`, ...); `batch-` in front is
/// skipped. Verbs that only pause or unlink (`stop-`, `detach-`, `disassociate-`,
/// `disable-`) are left out, except the ones that switch off an audit trail or a
/// protection ([`AWS_TAMPER_OPS`]). Read-only verbs (`list-`, `describe-`, `get-`)
/// never start with these.
pub const AWS_DESTRUCTIVE_PREFIXES: &[&str] = &[
    "delete-",
    "terminate-",
    "purge-",
    "remove-",
    "deregister-",
    "destroy-",
    "reset-",
    "revoke-",
    "rollback-",
    "deprovision-",
    "release-",
    "undeploy-",
    "shutdown-",
    "unsubscribe",
    "schedule-key-deletion",
    "retire-grant",
];

/// Operations that switch off logging, detection or encryption.
pub const AWS_TAMPER_OPS: &[&str] = &[
    "stop-logging",
    "stop-configuration-recorder",
    "disable-security-hub",
    "disable-macie",
    "disable-key",
    "disable-ebs-encryption-by-default",
    "disable-organization-admin-account",
    "disable-snapshot-block-public-access",
    "disable-image-block-public-access",
    "deactivate-mfa-device",
    "disable-serial-console-access",
];

/// Whether an AWS CLI operation name deletes, stops, revokes or detaches.
pub fn aws_destructive(op: &str) -> bool {
    let op = op.strip_prefix("batch-").unwrap_or(op);
    AWS_TAMPER_OPS.contains(&op)
        || AWS_DESTRUCTIVE_PREFIXES
            .iter()
            .any(|p| op.starts_with(p) || (!p.ends_with('-') && op == *p))
}

/// Options whose value `0` scales a service, group or cluster to nothing.
const SCALE_ZERO_OPTS: &[&str] = &[
    "--desired-count",
    "--desired-capacity",
    "--max-size",
    "--num-nodes",
    "--replicas",
    "--max-instances",
    "--instance-count",
    "--node-count",
    "--number-of-workers",
    "--reserved-concurrent-executions",
    "--max-replicas",
    "--max-count",
];

fn scales_to_zero(t: &[&str], extra: &[&str]) -> Option<String> {
    if let Some(o) = SCALE_ZERO_OPTS
        .iter()
        .chain(extra)
        .find(|o| opt_value(t, &[o]).is_some_and(|v| v.trim() == "0"))
    {
        return Some(format!("{o} 0"));
    }
    // Shorthand structures: `--scaling-config minSize=0,maxSize=1,desiredSize=0`.
    t.iter()
        .flat_map(|a| a.split(','))
        .find(|kv| {
            kv.split_once('=').is_some_and(|(k, v)| {
                matches!(
                    k.to_ascii_lowercase().as_str(),
                    "desiredsize" | "maxsize" | "desiredcount" | "desiredcapacity"
                ) && v.trim() == "0"
            })
        })
        .map(str::to_string)
}

/// `--help`, `-h` or a `help` word: the CLI prints help and changes nothing.
fn asks_for_help(t: &[&str]) -> bool {
    t.iter()
        .take_while(|a| **a != "--")
        .any(|a| matches!(*a, "--help" | "-h" | "help"))
}

/// gcloud command words that delete, destroy, purge, reset, roll back, revoke or
/// replace (the last group word before the arguments).
pub const GCLOUD_VERBS: &[&str] = &[
    "delete",
    "delete-*",
    "purge",
    "destroy",
    "reset",
    "abandon-instances",
    "recreate-instances",
    "rollback",
    "remove",
    "remove-*",
    "revoke",
    "undeploy",
    "restore",
];

/// Command words after which the rest of a gcloud/az line is arguments, not groups:
/// a read-only or creating verb ends the search for a destructive one.
const OTHER_VERBS: &[&str] = &[
    "list",
    "list-*",
    "describe",
    "describe-*",
    "show",
    "show-*",
    "get",
    "get-*",
    "create",
    "create-*",
    "update",
    "set",
    "set-*",
    "add",
    "add-*",
    "start",
    "run",
    "deploy",
    "ssh",
    "scp",
    "import",
    "export",
    "wait",
    "enable",
    "login",
    "print-*",
    "download",
    "upload",
    "copy",
    "cp",
    "tail",
    "browse",
    "query",
    "search",
    "lookup",
    "check-*",
    "test-*",
];

/// az command words that delete, purge, reset or rotate credentials, replace a
/// deployment or wipe a disk.
pub const AZ_VERBS: &[&str] = &[
    "delete",
    "delete-*",
    "purge",
    "remove",
    "remove-*",
    "revoke",
    "reset",
    "regenerate",
    "regenerate-key",
    "regenerate-keys",
    "renew",
    "swap",
    "reimage",
    "unregister",
    "rollback",
];

/// The first command word (after at least one group word, only group-like words
/// before it) that is one of `verbs`.
fn cli_verb<'a>(w: &[&'a str], verbs: &[&str]) -> Option<&'a str> {
    for (i, x) in w.iter().enumerate().take(6) {
        let group_like = !x.is_empty()
            && x.starts_with(|c: char| c.is_ascii_lowercase())
            && x.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !group_like || (i >= 1 && matches_any(x, OTHER_VERBS)) {
            return None;
        }
        if i >= 1 && matches_any(x, verbs) {
            return Some(x);
        }
    }
    None
}

/// `x` is one of `words` (`pre-*` matches by prefix).
fn matches_any(x: &str, words: &[&str]) -> bool {
    words.iter().any(|v| match v.strip_suffix('*') {
        Some(p) => x.starts_with(p) && x.len() > p.len(),
        None => x == *v,
    })
}

pub fn aws(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    if asks_for_help(&t) {
        return;
    }
    let w = aws_words(&t);
    let (Some(svc), Some(op)) = (w.first().copied(), w.get(1).copied()) else {
        return;
    };
    let prod = super::production(e, inv, &[]);
    let detail = format!("aws {svc} {op}");
    let verb = op.split('-').next().unwrap_or("");
    match (svc, op) {
        ("s3", "rb") => {
            if has_long(&t, "force") {
                e.hit("AGENT-CLOUD-001", "aws s3 rb --force");
            } else {
                e.hit_prod("AGENT-CLOUD-002", "aws s3 rb", prod);
            }
        }
        ("s3", "rm") => {
            if has_long(&t, "recursive") || has_short(&t, 'r') {
                e.hit("AGENT-CLOUD-001", "aws s3 rm --recursive");
            } else {
                e.hit_prod("AGENT-CLOUD-002", "aws s3 rm", prod);
            }
        }
        ("s3", "sync") | ("s3", "mv") => {
            let dry = has_long(&t, "dryrun");
            if op == "sync" && has_long(&t, "delete") && !dry {
                e.hit("AGENT-CLOUD-001", "aws s3 sync --delete");
            }
        }
        ("s3api", "delete-bucket") => e.hit("AGENT-CLOUD-001", detail),
        ("s3api", "put-bucket-acl") | ("s3api", "put-object-acl") => {
            if opt_value(&t, &["--acl"]).is_some_and(|a| a.starts_with("public-read")) {
                e.hit("AGENT-CLOUD-005", format!("{detail} --acl public"));
            } else {
                e.hit_prod("AGENT-CLOUD-006", detail, prod);
            }
        }
        ("s3api", "put-bucket-policy") => policy_doc(e, &t, &detail, prod),
        ("s3api", "delete-public-access-block") => e.hit("AGENT-CLOUD-006", detail),
        ("s3api", o) if o.starts_with("delete-") => e.hit_prod("AGENT-CLOUD-002", detail, prod),
        ("rds", o) if o.starts_with("delete-db-") => {
            if has_long(&t, "skip-final-snapshot") {
                e.hit("AGENT-CLOUD-003", format!("{detail} --skip-final-snapshot"));
            } else {
                e.hit_prod("AGENT-CLOUD-004", detail, prod);
            }
        }
        ("ec2", "terminate-instances")
        | ("cloudformation", "delete-stack")
        | ("dynamodb", "delete-table")
        | ("eks", "delete-cluster")
        | ("ecs", "delete-cluster")
        | ("organizations", "close-account")
        | ("kms", "schedule-key-deletion") => e.hit("AGENT-CLOUD-003", detail),
        ("iam", o) => iam(e, &t, o, &detail, prod),
        ("ec2", "authorize-security-group-ingress")
            if t.iter()
                .any(|a| a.contains("0.0.0.0/0") || a.contains("::/0")) =>
        {
            e.hit_prod("AGENT-CLOUD-006", format!("{detail} from anywhere"), prod);
        }
        ("secretsmanager", "delete-secret")
        | ("ssm", "delete-parameter")
        | ("ssm", "delete-parameters") => e.hit("AGENT-VAULT-001", detail),
        ("secretsmanager", "put-secret-value") | ("secretsmanager", "update-secret") => {
            e.hit_prod("AGENT-VAULT-002", detail, prod)
        }
        ("ssm", "put-parameter") if has_long(&t, "overwrite") => {
            e.hit_prod("AGENT-VAULT-002", detail, prod)
        }
        ("sqs", "delete-queue")
        | ("sqs", "purge-queue")
        | ("sns", "delete-topic")
        | ("kinesis", "delete-stream") => e.hit("AGENT-MSG-001", detail),
        ("sqs", o) | ("sns", o)
            if o.starts_with("delete-") || o == "unsubscribe" || o == "remove-permission" =>
        {
            e.hit_prod("AGENT-MSG-002", detail, prod)
        }
        ("configure", "export-credentials") => e.hit("AGENT-SECRET-003", detail),
        ("configure", "get")
            if t.iter()
                .any(|a| a.contains("secret") || a.contains("session_token")) =>
        {
            e.hit("AGENT-SECRET-003", detail)
        }
        _ if DESTRUCTIVE_VERBS.contains(&verb) || aws_destructive(op) => {
            e.hit_prod("AGENT-CLOUD-004", detail, prod)
        }
        _ => {
            if let Some(z) = scales_to_zero(&t, &[]) {
                e.hit_prod("AGENT-CLOUD-004", format!("{detail} {z}"), prod);
            }
        }
    }
}

fn iam(e: &mut Engine<'_>, t: &[&str], op: &str, detail: &str, prod: bool) {
    if op.starts_with("attach-") {
        let arn = opt_value(t, &["--policy-arn"]).unwrap_or("");
        if arn.ends_with("/AdministratorAccess")
            || arn.ends_with("/IAMFullAccess")
            || arn.ends_with(":policy/*")
        {
            e.hit("AGENT-CLOUD-005", format!("{detail} {arn}"));
        } else {
            e.hit_prod("AGENT-CLOUD-006", detail.to_string(), prod);
        }
    } else if op.starts_with("put-") && op.ends_with("-policy")
        || op == "create-policy"
        || op == "create-policy-version"
        || op == "update-assume-role-policy"
    {
        policy_doc(e, t, detail, prod);
    } else if matches!(
        op,
        "create-access-key" | "create-login-profile" | "update-login-profile" | "add-user-to-group"
    ) {
        e.hit_prod("AGENT-CLOUD-006", detail.to_string(), prod);
    } else if DESTRUCTIVE_VERBS.iter().any(|v| op.starts_with(v)) || op.starts_with("detach-") {
        e.hit_prod("AGENT-CLOUD-004", detail.to_string(), prod);
    }
}

/// A policy document given inline: `"Action": "*"` or `"Principal": "*"` with Allow.
fn policy_doc(e: &mut Engine<'_>, t: &[&str], detail: &str, prod: bool) {
    let doc = opt_value(t, &["--policy-document", "--policy"]).unwrap_or("");
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(doc) {
        if wildcard_policy(&v) {
            e.hit(
                "AGENT-CLOUD-005",
                format!("{detail} with a wildcard statement"),
            );
            return;
        }
    }
    e.hit_prod("AGENT-CLOUD-006", detail.to_string(), prod);
}

fn wildcard_policy(v: &serde_json::Value) -> bool {
    let stmts = match v.get("Statement") {
        Some(serde_json::Value::Array(a)) => a.clone(),
        Some(s @ serde_json::Value::Object(_)) => vec![s.clone()],
        _ => return false,
    };
    let star = |x: Option<&serde_json::Value>| -> bool {
        match x {
            Some(serde_json::Value::String(s)) => s == "*",
            Some(serde_json::Value::Array(a)) => a.iter().any(|s| s.as_str() == Some("*")),
            Some(serde_json::Value::Object(o)) => o.values().any(|p| {
                p.as_str() == Some("*")
                    || p.as_array()
                        .is_some_and(|a| a.iter().any(|s| s.as_str() == Some("*")))
            }),
            _ => false,
        }
    };
    stmts.iter().any(|s| {
        s.get("Effect").and_then(|x| x.as_str()) == Some("Allow")
            && (star(s.get("Action"))
                || star(s.get("NotAction"))
                || (star(s.get("Principal")) && s.get("Condition").is_none()))
    })
}

/// Positional words of a gcloud/az/gsutil command line.
fn words<'a>(t: &[&'a str], with_value: &[&str]) -> Vec<&'a str> {
    crate::shell::argv::positionals(t, with_value)
}

pub fn gcp_azure(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    if asks_for_help(&t) {
        return;
    }
    let prod = super::production(e, inv, &["--resource-group", "-g", "--name", "-n"]);
    match inv.prog {
        "gsutil" => {
            let w = words(&t, &["-o", "-h", "-u", "-p"]);
            let sub = w.first().copied().unwrap_or("");
            match sub {
                "rb" => e.hit("AGENT-CLOUD-001", "gsutil rb"),
                "rm" if has_short(&t, 'r') || has_short(&t, 'R') || has_short(&t, 'a') => {
                    e.hit("AGENT-CLOUD-001", "gsutil rm -r")
                }
                "rm" => e.hit_prod("AGENT-CLOUD-002", "gsutil rm", prod),
                "rsync" if has_short(&t, 'd') => e.hit("AGENT-CLOUD-001", "gsutil rsync -d"),
                "iam" | "acl"
                    if t.iter()
                        .any(|a| a.contains("allUsers") || a.contains("allAuthenticatedUsers")) =>
                {
                    e.hit("AGENT-CLOUD-005", "public bucket access")
                }
                _ => {}
            }
        }
        "gcloud" => {
            let w = words(
                &t,
                &[
                    "--project",
                    "--account",
                    "--configuration",
                    "--zone",
                    "--region",
                    "--format",
                    "--verbosity",
                    "--impersonate-service-account",
                    "--member",
                    "--role",
                    "--filter",
                ],
            );
            let joined = w.join(" ");
            let role = opt_value(&t, &["--role"]).unwrap_or("");
            let member = opt_value(&t, &["--member"]).unwrap_or("");
            if joined.starts_with("projects delete") {
                e.hit("AGENT-CLOUD-003", "gcloud projects delete");
            } else if joined.starts_with("sql instances delete")
                || joined.starts_with("container clusters delete")
            {
                e.hit(
                    "AGENT-CLOUD-003",
                    format!("gcloud {}", w[..3.min(w.len())].join(" ")),
                );
            } else if joined.starts_with("storage rm") {
                if has_short(&t, 'r') || has_long(&t, "recursive") {
                    e.hit("AGENT-CLOUD-001", "gcloud storage rm -r");
                } else {
                    e.hit_prod("AGENT-CLOUD-002", "gcloud storage rm", prod);
                }
            } else if joined.starts_with("storage buckets delete") {
                e.hit("AGENT-CLOUD-001", "gcloud storage buckets delete");
            } else if joined.starts_with("secrets delete") {
                e.hit("AGENT-VAULT-001", "gcloud secrets delete");
            } else if w
                .iter()
                .any(|x| x.ends_with("add-iam-policy-binding") || *x == "set-iam-policy")
            {
                if matches!(role, "roles/owner" | "roles/editor")
                    || member.starts_with("allUsers")
                    || member.starts_with("allAuthenticatedUsers")
                {
                    e.hit("AGENT-CLOUD-005", format!("IAM binding {role} {member}"));
                } else {
                    e.hit_prod("AGENT-CLOUD-006", "gcloud IAM policy change", prod);
                }
            } else if joined.starts_with("auth print-access-token")
                || joined.starts_with("auth print-identity-token")
            {
                e.hit("AGENT-SECRET-003", "gcloud auth print-access-token");
            } else if let Some(v) = cli_verb(&w, GCLOUD_VERBS) {
                e.hit_prod("AGENT-CLOUD-004", format!("gcloud {joined} ({v})"), prod);
            } else if let Some(z) = scales_to_zero(&t, &["--size"]) {
                e.hit_prod("AGENT-CLOUD-004", format!("gcloud {joined} {z}"), prod);
            }
        }
        _ => {
            let w = words(
                &t,
                &[
                    "--subscription",
                    "--resource-group",
                    "-g",
                    "--name",
                    "-n",
                    "--output",
                    "-o",
                    "--query",
                    "--role",
                    "--assignee",
                    "--scope",
                    "--vault-name",
                ],
            );
            let joined = w.join(" ");
            let role = opt_value(&t, &["--role"]).unwrap_or("");
            if joined.starts_with("group delete") {
                e.hit("AGENT-CLOUD-003", "az group delete");
            } else if joined.starts_with("keyvault")
                && w.iter().any(|x| matches!(*x, "delete" | "purge"))
            {
                e.hit("AGENT-VAULT-001", format!("az {joined}"));
            } else if joined.starts_with("role assignment create")
                && matches!(role, "Owner" | "Contributor" | "User Access Administrator")
            {
                e.hit("AGENT-CLOUD-005", format!("az role assignment {role}"));
            } else if joined.starts_with("account get-access-token") {
                e.hit("AGENT-SECRET-003", "az account get-access-token");
            } else if let Some(v) = cli_verb(&w, AZ_VERBS) {
                e.hit_prod("AGENT-CLOUD-004", format!("az {joined} ({v})"), prod);
            } else if let Some(z) = scales_to_zero(&t, &[]) {
                e.hit_prod("AGENT-CLOUD-004", format!("az {joined} {z}"), prod);
            }
        }
    }
}

/// `heroku auth:token` prints the account's API token. (Heroku's destructive verbs
/// are rows of the vendor table.)
pub fn heroku_token(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    let w = words(&t, &["--app", "-a", "--remote", "-r"]);
    if w.first().is_some_and(|x| *x == "auth:token") {
        e.hit("AGENT-SECRET-003", "heroku auth:token");
    }
}
