//! The packs: per-program judges over a parsed argv (after wrapper stripping). Each
//! raises catalogue rule ids through `Engine::hit`; the config turns them into
//! decisions.

pub mod cloud;
pub mod db;
pub mod fs;
pub mod git;
pub mod iac;
pub mod infra_write;
pub mod interp;
pub mod k8s;
pub mod pipe;
pub mod policy;
pub mod protect;
pub mod secrets;
pub mod tools;
pub mod vendors;

use super::{Engine, Inv};

/// Programs some pack judges; the token scan starts windows only at these.
pub fn is_known_program(p: &str) -> bool {
    let p = p.strip_suffix(".sh").unwrap_or(p);
    KNOWN.contains(&p) || p.starts_with("mkfs") || p.starts_with("python") || vendors::knows(p)
}

const KNOWN: &[&str] = &[
    "rm",
    "dd",
    "mkfs",
    "mke2fs",
    "wipefs",
    "fdisk",
    "sfdisk",
    "parted",
    "sgdisk",
    "shred",
    "srm",
    "wipe",
    "truncate",
    "chmod",
    "chown",
    "chgrp",
    "find",
    "shutdown",
    "reboot",
    "poweroff",
    "halt",
    "init",
    "telinit",
    "systemctl",
    "kill",
    "killall",
    "pkill",
    "crontab",
    "iptables",
    "ip6tables",
    "nft",
    "ufw",
    "git",
    "terraform",
    "tofu",
    "terragrunt",
    "pulumi",
    "cdktf",
    "serverless",
    "sls",
    "sam",
    "cdk",
    "aws",
    "gcloud",
    "gsutil",
    "az",
    "heroku",
    "fly",
    "flyctl",
    "vercel",
    "netlify",
    "firebase",
    "wrangler",
    "doctl",
    "supabase",
    "kubectl",
    "oc",
    "helm",
    "docker",
    "podman",
    "nerdctl",
    "docker-compose",
    "podman-compose",
    "psql",
    "mysql",
    "mariadb",
    "sqlite3",
    "mongosh",
    "mongo",
    "redis-cli",
    "dropdb",
    "mysqladmin",
    "mongorestore",
    "prisma",
    "rails",
    "rake",
    "manage.py",
    "sequelize",
    "knex",
    "alembic",
    "drizzle-kit",
    "curl",
    "wget",
    "http",
    "https",
    "xh",
    "cat",
    "less",
    "more",
    "head",
    "tail",
    "bat",
    "batcat",
    "nl",
    "tac",
    "grep",
    "rg",
    "ag",
    "sed",
    "awk",
    "cut",
    "sort",
    "strings",
    "xxd",
    "od",
    "hexdump",
    "base64",
    "cp",
    "scp",
    "env",
    "printenv",
    "gh",
    "vault",
    "op",
    "doppler",
    "npm",
    "yarn",
    "pnpm",
    "bun",
    "cargo",
    "twine",
    "poetry",
    "gem",
    "mvn",
    "gradle",
    "gradlew",
    "dotnet",
    "uv",
    "flit",
    "hatch",
    "rsync",
    "rclone",
    "restic",
    "borg",
    "velero",
    "kafka-topics",
    "kafka-delete-records",
    "kafka-consumer-groups",
    "kafka-acls",
    "kafka-configs",
    "rabbitmqctl",
    "rabbitmqadmin",
    "nats",
    "java",
    "jenkins-cli",
    "gitlab-runner",
    "glab",
    "circleci",
    "mv",
    "tee",
    "ln",
    "install",
    "jq",
    "bash",
    "sh",
    "zsh",
    "eval",
    "sudo",
    "xargs",
    "node",
    "ruby",
    "perl",
    "security",
    "cargo",
    "guard",
];

/// Judges one command.
pub fn judge(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let p = inv.prog;
    let p = p.strip_suffix(".sh").unwrap_or(p);
    match p {
        "rm" | "rmdir" | "unlink" => fs::rm(e, inv),
        "dd" | "wipefs" | "fdisk" | "sfdisk" | "parted" | "sgdisk" | "mke2fs" | "cfdisk" => {
            fs::disk(e, inv)
        }
        p if p.starts_with("mkfs") => fs::disk(e, inv),
        "shred" | "srm" | "wipe" | "truncate" => fs::shred(e, inv),
        "chmod" | "chown" | "chgrp" | "setfacl" => fs::perms(e, inv),
        "find" => fs::find(e, inv),
        "shutdown" | "reboot" | "poweroff" | "halt" | "init" | "telinit" | "systemctl" | "kill"
        | "killall" | "pkill" | "crontab" | "iptables" | "ip6tables" | "nft" | "ufw" => {
            tools::system(e, inv)
        }
        "git" => git::git(e, inv),
        "terraform" | "tofu" | "terragrunt" => iac::terraform(e, inv),
        "pulumi" | "cdktf" | "serverless" | "sls" | "sam" | "cdk" => iac::others(e, inv),
        "aws" => cloud::aws(e, inv),
        "gcloud" | "gsutil" | "az" => cloud::gcp_azure(e, inv),
        "heroku" => cloud::heroku_token(e, inv),
        "kubectl" | "oc" | "helm" => k8s::kube(e, inv),
        "docker" | "podman" | "nerdctl" | "docker-compose" | "podman-compose" => {
            k8s::containers(e, inv)
        }
        "psql" | "mysql" | "mariadb" | "sqlite3" | "mongosh" | "mongo" | "redis-cli" | "dropdb"
        | "mysqladmin" | "mongorestore" | "clickhouse-client" | "cockroach" => db::client(e, inv),
        "bq" | "snow" | "snowsql" | "databricks" => db::warehouse(e, inv),
        "prisma" | "rails" | "rake" | "sequelize" | "knex" | "alembic" | "drizzle-kit"
        | "manage.py" | "django-admin" => db::orm(e, inv),
        "curl" | "wget" | "http" | "https" | "xh" | "httpie" => tools::http(e, inv),
        "gh" => tools::github(e, inv),
        "vault" | "op" | "doppler" => tools::secret_stores(e, inv),
        "npm" | "yarn" | "pnpm" | "bun" | "cargo" | "twine" | "poetry" | "gem" | "mvn"
        | "gradle" | "gradlew" | "dotnet" | "uv" | "flit" | "hatch" => tools::publishing(e, inv),
        "rsync" | "rclone" => tools::sync(e, inv),
        "restic" | "borg" | "borgbackup" | "velero" => tools::backup(e, inv),
        "kafka-topics"
        | "kafka-delete-records"
        | "kafka-consumer-groups"
        | "kafka-acls"
        | "kafka-configs"
        | "rabbitmqctl"
        | "rabbitmqadmin"
        | "nats" => tools::messaging(e, inv),
        "java" | "jenkins-cli" | "gitlab-runner" | "glab" | "circleci" => tools::ci(e, inv),
        _ => {}
    }
    vendors::judge(e, inv);
    policy::judge(e, inv);
    secrets::reading(e, inv);
    protect::bash_writes(e, inv);
    infra_write::argv(e, inv);
    env_only(e, inv.env);
}

/// Rules that look at variables alone (`export TF_CLI_ARGS=-auto-approve`, `HUSKY=0`).
pub fn env_only(e: &mut Engine<'_>, env: &[(String, String)]) {
    for (k, v) in env {
        if k.starts_with("TF_CLI_ARGS") {
            let words: Vec<&str> = v.split_whitespace().collect();
            if super::argv::has_any(&words, &["-auto-approve", "--auto-approve"]) {
                e.hit("AGENT-TF-001", format!("{k} injects -auto-approve"));
            }
            if super::argv::has_any(&words, &["-destroy", "--destroy"]) {
                e.hit("AGENT-TF-002", format!("{k} injects -destroy"));
            }
        }
        if (k == "HUSKY" && v == "0") || k == "HUSKY_SKIP_HOOKS" || (k == "SKIP" && !v.is_empty()) {
            e.hit("AGENT-GIT-010", format!("{k}={v} skips git hooks"));
        }
        if k == "DISABLE_DATABASE_ENVIRONMENT_CHECK" && v == "1" {
            e.hit(
                "AGENT-DB-004",
                "DISABLE_DATABASE_ENVIRONMENT_CHECK=1 removes the production guard",
            );
        }
    }
}

/// Environment variables whose value names the target environment.
const ENV_KEYS: &[&str] = &[
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "RAILS_ENV",
    "RACK_ENV",
    "NODE_ENV",
    "APP_ENV",
    "ENV",
    "ENVIRONMENT",
    "STAGE",
    "MIX_ENV",
    "DJANGO_SETTINGS_MODULE",
    "KUBECONTEXT",
    "KUBECONFIG",
    "PGHOST",
    "PGDATABASE",
    "PGSERVICE",
    "DATABASE_URL",
    "MYSQL_HOST",
    "REDIS_URL",
    "MONGO_URL",
    "MONGODB_URI",
    "CLOUDSDK_CORE_PROJECT",
    "GOOGLE_CLOUD_PROJECT",
    "AZURE_SUBSCRIPTION_ID",
    "TF_WORKSPACE",
];

/// Options whose value names the target environment.
const PROD_OPTS: &[&str] = &[
    "--profile",
    "--context",
    "--kube-context",
    "--project",
    "--subscription",
    "--env",
    "--environment",
    "--stage",
    "--host",
    "--dbname",
    "--cluster",
    "--app",
    "-a",
];

/// Whether the invocation targets something that looks like production.
pub fn production(e: &Engine<'_>, inv: &Inv<'_>, extra_opts: &[&str]) -> bool {
    let cfg = e.config;
    if inv
        .env
        .iter()
        .any(|(k, v)| ENV_KEYS.contains(&k.as_str()) && cfg.looks_production(v))
    {
        return true;
    }
    let t = inv.texts();
    for (i, a) in t.iter().enumerate() {
        for o in PROD_OPTS.iter().chain(extra_opts) {
            if a == o {
                if let Some(v) = t.get(i + 1) {
                    if cfg.looks_production(v) {
                        return true;
                    }
                }
            } else if let Some(v) = a.strip_prefix(o).and_then(|r| r.strip_prefix('=')) {
                if cfg.looks_production(v) {
                    return true;
                }
            }
        }
        if a.contains("://") && cfg.looks_production(a) {
            return true;
        }
    }
    false
}
