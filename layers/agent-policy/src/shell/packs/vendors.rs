//! Vendor and SaaS CLIs as data: one [`Tool`] per program family, one [`Row`] per
//! destructive verb (verb pattern, decision, reason, safer alternative). Adding a CLI
//! is adding a row; the matcher below is shared.
//!
//! A row's decision picks the tool's deny or ask rule in the catalogue, so
//! `disable`, `disable_packs` and `downgrade` in guard.toml apply as to every other
//! rule, and a production-looking target turns `ask` into `deny`.
//!
//! A verb pattern is one or more phrases separated by `|`; a phrase is words matched
//! in order against the command's positional words (options and the values of the
//! tool's value-taking options removed): `a,b` is either word, `*` any one word,
//! `pre*` / `*suf` a prefix / suffix. A word that directly follows an unknown
//! option may be that option's value, so the matcher may skip it. The pattern matches the start of the positional words; the empty
//! pattern matches every invocation.

use crate::catalogue::{self, Decision};
use crate::shell::argv::{has_long, has_short, opt_value};
use crate::shell::{Engine, Hit, Inv};
use std::collections::HashMap;
use std::sync::OnceLock;

/// One program family.
#[derive(Debug)]
pub struct Tool {
    /// Program names (basenames) this entry judges.
    pub names: &'static [&'static str],
    /// Catalogue rule raised by rows that deny.
    pub deny_rule: &'static str,
    /// Catalogue rule raised by rows that ask.
    pub ask_rule: &'static str,
    /// Options of this tool that take the next word as their value.
    pub value_opts: &'static [&'static str],
    pub rows: &'static [Row],
}

/// One destructive verb of a tool.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// Verb pattern (see the module documentation).
    pub verbs: &'static str,
    pub decision: Decision,
    /// What the command destroys (shown as the rule title of the hit).
    pub reason: &'static str,
    /// The safer alternative.
    pub alternative: &'static str,
    /// Options one of which must be present: `--all`, `-r`, `-X=DELETE` (value,
    /// case-insensitive). Empty: no condition.
    pub with: &'static [&'static str],
    /// Options none of which may be present.
    pub without: &'static [&'static str],
    /// Positional words one of which must match (same word syntax as `verbs`):
    /// critical unit or package names. Empty: no condition.
    pub args: &'static [&'static str],
}

const fn row(
    verbs: &'static str,
    decision: Decision,
    reason: &'static str,
    alternative: &'static str,
) -> Row {
    Row {
        verbs,
        decision,
        reason,
        alternative,
        with: &[],
        without: &[],
        args: &[],
    }
}

/// A row that denies.
const fn deny(verbs: &'static str, reason: &'static str, alternative: &'static str) -> Row {
    row(verbs, Decision::Deny, reason, alternative)
}

/// A row that asks.
const fn ask(verbs: &'static str, reason: &'static str, alternative: &'static str) -> Row {
    row(verbs, Decision::Ask, reason, alternative)
}

/// Options that always take a value, for every tool.
const COMMON_VALUE_OPTS: &[&str] = &[
    "--profile",
    "--region",
    "--project",
    "--project-id",
    "--project-ref",
    "--app",
    "--config",
    "--context",
    "--token",
    "--org",
    "--organization",
    "--account",
    "--output",
    "--format",
    "--env",
    "--environment",
    "--team",
    "--scope",
    "--zone",
    "--api-key",
    "--site",
    "--tenant",
    "--service-id",
    "--cluster",
    "--namespace",
];

/// Flags that make the invocation print help or only simulate.
const NEVER_RUNS: &[&str] = &["--help", "--dry-run", "--dryrun", "--simulate"];

// Shared texts.
const ASK_USER: &str =
    "Show the user what would be removed (list or describe it) and let them run the command.";
const DATA_GONE: &str =
    "Take a backup or snapshot first and let the user run the deletion themselves.";

// ---- old PaaS generic (keeps the behaviour of the former `paas` judge) ----

/// Any destructive word among the first four positionals, or a `topic:verb` command
/// ending in one, on the PaaS CLIs judged before the table existed.
const PAAS_GENERIC: &[Row] = &[ask(
    "delete,destroy,remove,rm,purge,reset,*:delete,*:destroy,*:remove,*:reset,*:disable\
     |* delete,destroy,remove,rm,purge,reset,*:delete,*:destroy,*:remove,*:reset,*:disable\
     |* * delete,destroy,remove,rm,purge,reset,*:delete,*:destroy,*:remove,*:reset,*:disable\
     |* * * delete,destroy,remove,rm,purge,reset,*:delete,*:destroy,*:remove,*:reset,*:disable",
    "Deletes or resets a hosted app, deployment or its data",
    ASK_USER,
)];

macro_rules! rows {
    ($($r:expr),* $(,)?) => { &[$($r),*] };
}

/// Critical system units: stopping them locks the user out or blinds the machine.
const CRITICAL_UNITS: &[&str] = &[
    "ssh",
    "sshd",
    "ssh.*",
    "sshd.*",
    "networking",
    "networking.*",
    "network",
    "network.*",
    "NetworkManager",
    "NetworkManager.*",
    "systemd-networkd",
    "systemd-networkd.*",
    "systemd-resolved",
    "systemd-resolved.*",
    "systemd-journald",
    "systemd-journald.*",
    "systemd-logind",
    "systemd-logind.*",
    "dbus",
    "dbus.*",
    "docker",
    "docker.*",
    "containerd",
    "containerd.*",
    "kubelet",
    "kubelet.*",
    "firewalld",
    "firewalld.*",
    "ufw",
    "ufw.*",
    "nftables",
    "nftables.*",
    "iptables",
    "iptables.*",
    "auditd",
    "auditd.*",
    "rsyslog",
    "rsyslog.*",
    "cron",
    "cron.*",
    "crond",
    "crond.*",
    "polkit",
    "polkit.*",
    "getty@*",
    "multi-user.target",
    "default.target",
];

/// Packages whose removal breaks the system or the package manager itself.
const CRITICAL_PACKAGES: &[&str] = &[
    "libc6",
    "libc-bin",
    "glibc",
    "glibc-common",
    "musl",
    "systemd",
    "systemd-sysv",
    "init",
    "bash",
    "coreutils",
    "util-linux",
    "sudo",
    "openssh-server",
    "openssh",
    "apt",
    "dpkg",
    "rpm",
    "dnf",
    "yum",
    "pacman",
    "zypper",
    "apk-tools",
    "python3",
    "python3-minimal",
    "perl-base",
    "linux-image-*",
    "linux-generic",
    "kernel",
    "kernel-core",
    "linux",
    "grub*",
    "base-files",
    "base-passwd",
    "login",
    "passwd",
    "e2fsprogs",
    "mount",
    "libpam*",
    "pam",
    "ca-certificates",
    "tar",
    "gzip",
    "sed",
    "grep",
    "findutils",
    "busybox",
    "alpine-base",
];

const CLI_DENY: &str = "AGENT-CLI-001";
const CLI_ASK: &str = "AGENT-CLI-002";

/// The table. Tools already judged by code elsewhere (aws, gcloud, az, gh, vault,
/// docker, systemctl) add only the verbs that code does not cover.
pub static TOOLS: &[Tool] = &[
    // ---- Cloudflare ----
    Tool {
        names: &["wrangler"],
        deny_rule: CLI_DENY,
        ask_rule: "AGENT-CLOUD-007",
        value_opts: &["-c", "-e", "--binding", "--namespace-id", "--database", "--name"],
        rows: rows![
            deny("delete", "Deletes a Worker and its routes", ASK_USER),
            deny("d1 delete", "Deletes a D1 database with all its data", DATA_GONE),
            deny("r2 bucket delete", "Deletes an R2 bucket", DATA_GONE),
            deny("kv namespace delete|kv:namespace delete", "Deletes a KV namespace with every key", DATA_GONE),
            deny("queues delete|vectorize delete|hyperdrive delete", "Deletes a queue, vector index or Hyperdrive config", ASK_USER),
            deny("pages project delete", "Deletes a Pages project and its deployments", ASK_USER),
            ask("kv key delete|kv:key delete|kv bulk delete|kv:bulk delete", "Deletes keys from a KV namespace", ASK_USER),
            ask("r2 object delete", "Deletes an R2 object", ASK_USER),
            ask("secret delete", "Deletes a Worker secret", ASK_USER),
            ask("rollback|deployments rollback", "Rolls a Worker back to an older version", "Deploy a fixed version, or let the user roll back."),
            ask("d1 time-travel restore", "Restores a D1 database to a point in time, dropping later writes", DATA_GONE),
            PAAS_GENERIC[0],
        ],
    },
    Tool {
        names: &["flarectl"],
        deny_rule: "AGENT-DNS-001",
        ask_rule: "AGENT-DNS-002",
        value_opts: &["--zone", "--id", "--name"],
        rows: rows![
            deny("zone delete|zone rm", "Deletes a Cloudflare zone with every DNS record", "Export the zone (`flarectl dns list`) and let the user delete it."),
            ask("dns delete|dns rm|dns update|dns create-or-update|dns create|dns d|dns u", "Changes or deletes DNS records", "Show the planned record change and let the user apply it."),
            ask("zone purge", "Purges the CDN cache of a zone", ASK_USER),
        ],
    },
    // ---- Fastly ----
    Tool {
        names: &["fastly"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["-s", "--service-id", "--service-name", "--version", "-t", "-p", "--name", "-n", "--key"],
        rows: rows![
            deny("service delete", "Deletes a Fastly service", ASK_USER),
            deny("kv-store delete|kvstore delete|secret-store delete|config-store delete", "Deletes a Fastly store with its data", DATA_GONE),
            ask("purge", "Purges cached content (all of it with --all), sending every request to the origin", "Purge one URL or surrogate key, after asking."),
            ask("service-version deactivate|service version deactivate", "Deactivates the live service version", ASK_USER),
            ask("* delete", "Deletes Fastly configuration (backend, domain, dictionary, ACL, logging endpoint)", ASK_USER),
            ask("* * delete", "Deletes Fastly configuration", ASK_USER),
        ],
    },
    // ---- Akamai ----
    Tool {
        names: &["akamai"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["--section", "--edgerc", "--account-key", "--network"],
        rows: rows![
            deny("dns delete-zone|dns rm-zone", "Deletes an Edge DNS zone", ASK_USER),
            ask("purge delete|purge invalidate", "Deletes or invalidates cached content on the edge", "Purge one URL after asking."),
            ask("dns rm-record|dns delete-record|dns rm", "Deletes DNS records", ASK_USER),
            ask("* delete*|* remove*|* rm|* deactivate*", "Deletes or deactivates an Akamai property, EdgeWorker or NetStorage object", ASK_USER),
            ask("* * delete*|* * remove*|* * rm|* * deactivate*", "Deletes or deactivates Akamai configuration", ASK_USER),
        ],
    },
    // ---- Vercel, Netlify, Fly, Heroku, Firebase, Supabase, DigitalOcean (former PaaS judge) ----
    Tool {
        names: &["vercel"],
        deny_rule: CLI_DENY,
        ask_rule: "AGENT-CLOUD-007",
        value_opts: &["-t", "-S", "-A", "--local-config", "-e", "-b", "--build-env"],
        rows: rows![
            deny("project rm|project remove|projects rm|projects remove", "Deletes a Vercel project with every deployment", ASK_USER),
            ask("rollback|promote", "Changes which deployment serves production", "Let the user roll back or promote in the dashboard."),
            ask("env rm|env remove|secrets rm|secrets remove", "Deletes environment variables or secrets", ASK_USER),
            ask("dns rm|dns remove|domains rm|domains remove|alias rm|alias remove|certs rm", "Removes domains, DNS records, aliases or certificates", ASK_USER),
            PAAS_GENERIC[0],
        ],
    },
    Tool {
        names: &["netlify"],
        deny_rule: CLI_DENY,
        ask_rule: "AGENT-CLOUD-007",
        value_opts: &["--site", "--auth", "--filter", "--context"],
        rows: rows![
            deny("sites:delete|sites delete", "Deletes a Netlify site with its deploys and forms", ASK_USER),
            ask("env:unset|env unset|env:clone", "Removes or overwrites environment variables", ASK_USER),
            ask("api deleteSite|api deleteDeploy|api deleteEnvVar|api delete*", "Deletes through the Netlify API", ASK_USER),
            ask("api rollbackSiteDeploy|api restoreSiteDeploy", "Changes the deploy serving production", ASK_USER),
            PAAS_GENERIC[0],
        ],
    },
    Tool {
        names: &["fly", "flyctl"],
        deny_rule: CLI_DENY,
        ask_rule: "AGENT-CLOUD-007",
        value_opts: &["-a", "-c", "-r", "-o", "--region", "--image", "--vm-size"],
        rows: rows![
            deny("apps destroy|apps delete|apps remove|destroy", "Destroys a Fly app with its machines and volumes", ASK_USER),
            deny("volumes destroy|volumes delete|volumes rm|volume destroy|volume delete|vol destroy|vol delete", "Destroys a volume and its data", DATA_GONE),
            deny("postgres destroy|pg destroy|mpg destroy|redis destroy|redis delete|storage destroy|tigris destroy|consul destroy", "Destroys a database or storage cluster", DATA_GONE),
            ask("machine destroy|machine rm|machine remove|machines destroy|machines rm|m destroy|m rm", "Destroys a machine", ASK_USER),
            ask("machine stop|machine kill|machines stop|machines kill|m stop|m kill|apps suspend|suspend", "Stops machines serving the app", ASK_USER),
            ask("scale count 0|scale count *=0", "Scales the app to zero machines", "Scale down to a small count, after asking."),
            ask("secrets unset|secrets rm", "Removes secrets the app reads", ASK_USER),
            ask("ips release|ips rm|certs delete|certs remove|certs rm", "Releases IP addresses or certificates", ASK_USER),
            PAAS_GENERIC[0],
        ],
    },
    Tool {
        names: &["heroku"],
        deny_rule: CLI_DENY,
        ask_rule: "AGENT-CLOUD-007",
        value_opts: &["-a", "-r", "--remote", "-t", "--confirm", "-s"],
        rows: rows![
            deny("apps:destroy|apps destroy|destroy", "Destroys a Heroku app with its add-ons", ASK_USER),
            deny("pg:reset|pg reset", "Drops every table of the app's Postgres database", DATA_GONE),
            deny("addons:destroy|addons:remove|addons destroy", "Destroys an add-on (database, cache) and its data", DATA_GONE),
            deny("pg:backups:delete|pg:backups delete|pg:backups:cancel", "Deletes database backups", ASK_USER),
            deny("pg:backups:restore|pg:backups restore|pg:copy|pg:push", "Overwrites a database with a backup or another database", DATA_GONE),
            ask("pg:killall|pg:kill|ps:kill|ps:stop|ps:restart|restart", "Kills database queries or stops dynos", ASK_USER),
            ask("ps:scale *=0|scale *=0|ps:scale * *=0|scale * *=0", "Scales dynos to zero, which stops the app", "Scale to a non-zero count, after asking."),
            ask("config:unset|config:remove", "Removes config vars the app reads", ASK_USER),
            ask("releases:rollback|rollback", "Rolls the app back to an older release", ASK_USER),
            ask("maintenance:on", "Takes the app offline", ASK_USER),
            ask("domains:remove|domains:clear|access:remove|keys:clear|keys:remove|apps:leave|certs:remove", "Removes domains, collaborators or keys", ASK_USER),
            PAAS_GENERIC[0],
        ],
    },
    Tool {
        names: &["firebase"],
        deny_rule: CLI_DENY,
        ask_rule: "AGENT-CLOUD-007",
        value_opts: &["-P", "--project", "--token", "--only", "--instance", "--site"],
        rows: rows![
            Row { with: &["--recursive", "-r", "--all-collections"], ..deny("firestore:delete|firestore delete", "Deletes Firestore collections recursively", DATA_GONE) },
            deny("database:remove|database remove", "Deletes a Realtime Database path and everything below it", DATA_GONE),
            deny("hosting:sites:delete|projects:delete|apps:delete|database:instances:delete", "Deletes a Firebase site, app or database instance", ASK_USER),
            ask("database:set|database:update|database:push|firestore:delete", "Overwrites or deletes database data", DATA_GONE),
            ask("hosting:disable|hosting:channel:delete|functions:delete|ext:uninstall|remoteconfig:rollback|hosting:rollback|auth:import", "Disables hosting, deletes functions or rolls configuration back", ASK_USER),
            PAAS_GENERIC[0],
        ],
    },
    Tool {
        names: &["supabase"],
        deny_rule: CLI_DENY,
        ask_rule: "AGENT-CLOUD-007",
        value_opts: &["--project-ref", "--db-url", "--workdir", "-o", "--password", "-p", "--schema", "-s"],
        rows: rows![
            Row { with: &["--linked", "--db-url"], ..deny("db reset", "Resets the remote (linked) database: every table is dropped", DATA_GONE) },
            deny("projects delete|orgs delete", "Deletes a Supabase project with its database", DATA_GONE),
            ask("db reset", "Resets the local database to its migrations", "Make a new migration instead, or ask the user."),
            ask("branches delete|functions delete|secrets unset|storage rm|domains delete|vanity-subdomains delete|sso remove", "Deletes branches, functions, secrets or storage objects", ASK_USER),
            Row { with: &["--no-backup"], ..ask("stop", "Stops the local stack and deletes its data volumes", "Run `supabase stop` without --no-backup.") },
            ask("migration repair", "Rewrites the remote migration history", ASK_USER),
            PAAS_GENERIC[0],
        ],
    },
    Tool {
        names: &["doctl"],
        deny_rule: CLI_DENY,
        ask_rule: "AGENT-CLOUD-007",
        value_opts: &["-t", "--access-token", "-u", "--api-url", "-o", "--format", "--config", "-c"],
        rows: rows![
            deny("compute droplet delete|compute droplet rm|compute droplet d|compute droplet-action rebuild", "Deletes or rebuilds a Droplet and its disk", DATA_GONE),
            deny("databases delete|databases rm|databases d|databases db delete|databases db rm|databases db d|databases pool delete", "Deletes a managed database cluster or database", DATA_GONE),
            deny("kubernetes cluster delete|kubernetes cluster rm|kubernetes cluster d|k8s cluster delete|k8s c delete|apps delete|apps rm|apps d", "Deletes a Kubernetes cluster or an App Platform app", ASK_USER),
            deny("compute volume delete|compute volume rm|compute volume d|registry delete|projects delete|projects rm", "Deletes a volume, registry or project", DATA_GONE),
            ask("compute droplet-action power-off|compute droplet-action shutdown|compute droplet-action power-cycle|compute droplet-action restore", "Powers off or restores a Droplet", ASK_USER),
            ask("* * delete|* * rm|* * d|* * * delete|* * * rm|* delete|* rm", "Deletes a DigitalOcean resource", ASK_USER),
        ],
    },
    // ---- Railway, Render ----
    Tool {
        names: &["railway"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["-s", "--service", "-e", "--environment", "-p"],
        rows: rows![
            deny("delete|project delete", "Deletes a Railway project with its services and volumes", ASK_USER),
            deny("environment delete|environment rm|env delete|env rm|volume delete|volume rm", "Deletes an environment or a volume with its data", DATA_GONE),
            ask("down", "Removes the latest deployment of the service", ASK_USER),
            ask("service delete|domain delete|volume detach|variables delete", "Deletes a service, domain or variables", ASK_USER),
            Row { with: &["--remove"], ..ask("variables|variable|vars", "Removes service variables", ASK_USER) },
        ],
    },
    Tool {
        names: &["render"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["-o", "--output"],
        rows: rows![
            deny("services delete|postgres delete|redis delete|disks delete", "Deletes a Render service or datastore", DATA_GONE),
            ask("* delete|* suspend|deploys cancel|services suspend|restart", "Deletes, suspends or restarts Render resources", ASK_USER),
        ],
    },
    // ---- databases as a service ----
    Tool {
        names: &["pscale"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["--org", "--service-token", "--service-token-id", "-f", "--format"],
        rows: rows![
            deny("database delete|db delete|backup delete|org delete", "Deletes a PlanetScale database or backup", DATA_GONE),
            deny("backup restore", "Restores a backup over a branch", DATA_GONE),
            ask("branch delete|branch demote|password delete|service-token delete|deploy-request close|deploy-request revert|keyspace delete", "Deletes a branch, password or token, or reverts a deploy request", ASK_USER),
        ],
    },
    Tool {
        names: &["neonctl", "neon"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["--project-id", "--org-id", "--api-key", "-o", "--output", "--name"],
        rows: rows![
            deny("projects delete|project delete|databases delete|database delete|db delete", "Deletes a Neon project or database", DATA_GONE),
            deny("branches reset|branch reset|branches restore|branch restore", "Resets a branch to its parent, dropping its changes", DATA_GONE),
            ask("branches delete|branch delete|roles delete|role delete|ip-allow remove|ip-allow reset|set-context --project-id", "Deletes a branch or role, or changes access", ASK_USER),
        ],
    },
    Tool {
        names: &["turso"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["--group", "--location", "-l"],
        rows: rows![
            deny("db destroy|db delete|group destroy|group delete|org destroy|org delete", "Destroys a Turso database, group or organisation", DATA_GONE),
            ask("db tokens invalidate|group tokens invalidate|db locations remove|group locations remove|org members remove", "Invalidates tokens or removes replicas and members", ASK_USER),
        ],
    },
    Tool {
        names: &["atlas"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["--projectId", "--orgId", "-o", "--output", "--clusterName", "-u", "--url", "--dev-url", "--env", "--to", "--dir"],
        rows: rows![
            deny("clusters delete|cluster delete|projects delete|project delete|organizations delete|serverless delete|backups snapshots delete|dataLakes delete|streams instances delete", "Deletes an Atlas cluster, project or backup", DATA_GONE),
            deny("backups restores start", "Restores a snapshot over a cluster", DATA_GONE),
            deny("schema clean", "Drops every object in the target database (Atlas schema tool)", DATA_GONE),
            ask("dbusers delete|accessLists delete|clusters pause|cluster pause|* * delete|* delete", "Deletes users or access lists, or pauses a cluster", ASK_USER),
            Row { with: &["--auto-approve"], ..ask("schema apply|migrate apply", "Applies schema changes without review", "Run `atlas schema apply` without --auto-approve and show the plan.") },
        ],
    },
    Tool {
        names: &["confluent"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["--environment", "--cluster", "--context", "-o", "--output", "--resource", "--service-account"],
        rows: rows![
            deny("kafka cluster delete|environment delete|env delete|kafka topic delete|ksql cluster delete|flink compute-pool delete|schema-registry cluster delete", "Deletes a Confluent environment, cluster or topic", DATA_GONE),
            ask("api-key delete|kafka acl delete|schema-registry subject delete|schema-registry schema delete|connect cluster delete|connect delete|iam rbac role-binding delete|service-account delete|kafka link delete|local destroy|local services stop", "Deletes keys, ACLs, schemas, connectors or role bindings", ASK_USER),
        ],
    },
    Tool {
        names: &["snow"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["-c", "--connection", "--database", "--schema", "--role", "--warehouse", "--format", "-q", "--query", "-f", "--filename"],
        rows: rows![
            deny("object drop|app teardown|spcs service drop", "Drops a Snowflake object or application", DATA_GONE),
            ask("stage remove|stage rm|git drop|streamlit drop|notebook drop|spcs compute-pool stop-all|spcs compute-pool drop", "Removes stage files or drops apps and compute pools", ASK_USER),
        ],
    },
    Tool {
        names: &["databricks"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["-p", "--profile", "-t", "--target", "-o", "--output", "--host"],
        rows: rows![
            Row { with: &["--recursive", "-r"], ..deny("workspace delete|fs rm|fs delete", "Deletes a workspace folder or DBFS tree recursively", DATA_GONE) },
            deny("catalogs delete|schemas delete|tables delete|volumes delete|metastores delete|clusters permanent-delete|secrets delete-scope|bundle destroy|workspaces delete|repos delete", "Deletes a catalog, schema, table, cluster or whole bundle", DATA_GONE),
            ask("workspace delete|fs rm|fs delete|clusters delete|clusters terminate|jobs delete|jobs reset|pipelines delete|warehouses delete|secrets delete-secret|secrets delete-acl|tokens delete|token-management delete|instance-pools delete|cluster-policies delete|experiments delete-experiment|model-registry delete-model|serving-endpoints delete", "Deletes or terminates Databricks resources", ASK_USER),
        ],
    },
    Tool {
        names: &["bq"],
        deny_rule: "AGENT-DB-001",
        ask_rule: CLI_ASK,
        value_opts: &["--project_id", "--location", "--format", "--dataset_id", "--api", "--max_rows", "-n", "--destination_table"],
        rows: rows![
            Row { with: &["-r", "--recursive", "--recursive=true"], ..deny("rm", "Deletes a BigQuery dataset with every table in it", DATA_GONE) },
            Row { with: &["-d", "--dataset", "--dataset=true"], ..deny("rm", "Deletes a BigQuery dataset", DATA_GONE) },
            ask("rm", "Deletes a BigQuery table, view, model or job", DATA_GONE),
            Row { with: &["--replace", "--replace=true", "-f", "--force"], ..ask("load|cp", "Overwrites a table", "Write to a new table and let the user swap it.") },
        ],
    },
    // ---- payments, messaging, identity ----
    Tool {
        names: &["stripe"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["--api-key", "--project-name", "-p", "--stripe-account", "--stripe-version", "-d", "--data", "-e", "--expand"],
        rows: rows![
            Row { with: &["--live"], ..deny("* delete|delete|* cancel|refunds create|payouts create|transfers create|* void|* void_invoice", "Deletes or cancels live Stripe objects, or moves live money", "Run it in test mode, or let the user do it in the dashboard.") },
            ask("* delete|delete", "Deletes a Stripe object (customer, product, price, webhook endpoint)", ASK_USER),
            ask("subscriptions cancel|payment_intents cancel|setup_intents cancel|invoices void_invoice|invoices void|refunds create|payouts create|transfers create|charges refund", "Cancels subscriptions or payments, or moves money", ASK_USER),
        ],
    },
    Tool {
        names: &["twilio"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["-p", "--profile", "-o", "--properties", "--sid"],
        rows: rows![
            deny("api:core:incoming-phone-numbers:remove|phone-numbers:remove|api:core:accounts:update", "Releases a phone number or closes an account", ASK_USER),
            ask("*:remove|*:delete", "Deletes a Twilio resource (messages, calls, recordings, services)", ASK_USER),
        ],
    },
    Tool {
        names: &["auth0"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["--tenant", "-t", "--json", "--format", "-n", "--number"],
        rows: rows![
            deny("tenants delete|tenants rm", "Deletes an Auth0 tenant", ASK_USER),
            ask("* delete|* rm|* * delete|* * rm|api delete", "Deletes an Auth0 application, API, user, role, rule, action or organisation", ASK_USER),
            ask("users blocks unblock|users roles remove|orgs members remove|apps session-transfer", "Changes user access", ASK_USER),
        ],
    },
    Tool {
        names: &["okta"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["--app", "--org-url", "--config-file", "-o"],
        rows: rows![
            ask("* delete|* rm|* deactivate|* remove|delete", "Deletes or deactivates an Okta application or user", ASK_USER),
        ],
    },
    // ---- hosting and compute ----
    Tool {
        names: &["linode-cli", "linode"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["--token", "--format", "--as-user", "--label", "--region", "--type", "--image", "--root_pass"],
        rows: rows![
            deny("linodes delete|linodes rebuild|volumes delete|lke cluster-delete|databases mysql-delete|databases postgresql-delete|object-storage bucket-delete|obj rb|images delete", "Deletes or rebuilds a Linode, volume, cluster, database or bucket", DATA_GONE),
            deny("domains delete", "Deletes a DNS domain with its records", ASK_USER),
            ask("linodes shutdown|linodes reboot|linodes disk-delete|obj del|obj rm|domains records-delete|firewalls delete|nodebalancers delete|* delete|* *-delete", "Shuts down a Linode or deletes a resource", ASK_USER),
        ],
    },
    Tool {
        names: &["hcloud"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["--context", "--config", "-o", "--output", "--selector", "-l", "--type", "--image", "--location", "--server"],
        rows: rows![
            deny("server delete|server rebuild|volume delete|image delete", "Deletes or rebuilds a server, volume or image", DATA_GONE),
            ask("server reset|server shutdown|server poweroff|server detach-iso|volume detach|* delete|* remove-*|* detach-*", "Powers off a server or deletes a Hetzner resource", ASK_USER),
        ],
    },
    Tool {
        names: &["scw"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["-p", "--profile", "-c", "--config", "-o", "--output"],
        rows: rows![
            deny("instance server delete|instance server terminate|instance volume delete|rdb instance delete|k8s cluster delete|object bucket delete|block volume delete|mongodb instance delete|redis cluster delete|account project delete", "Deletes a server, volume, database, cluster or bucket", DATA_GONE),
            deny("dns zone delete", "Deletes a DNS zone", ASK_USER),
            ask("instance server stop|instance server reboot|instance server standby|dns record delete|dns record set|* * delete|* * * delete", "Stops a server or deletes a Scaleway resource", ASK_USER),
        ],
    },
    Tool {
        names: &["openstack"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["--os-cloud", "--os-project-name", "--os-region-name", "--os-auth-url", "-f", "--format", "-c", "--column"],
        rows: rows![
            deny("server delete|volume delete|project delete|project purge|stack delete|database instance delete|container delete|server rebuild|share delete|image delete", "Deletes servers, volumes, projects, stacks or images", DATA_GONE),
            deny("zone delete", "Deletes a DNS zone", ASK_USER),
            ask("server stop|server shelve|server suspend|server pause|volume detach|server remove *|recordset delete|recordset set|* delete|* * delete|* unset", "Stops a server or deletes an OpenStack resource", ASK_USER),
        ],
    },
    // ---- HashiCorp ----
    Tool {
        names: &["nomad"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["-address", "-region", "-namespace", "-token", "-var", "-var-file", "-t"],
        rows: rows![
            Row { with: &["-purge", "--purge"], ..deny("job stop|stop", "Stops a job and purges it from the cluster", ASK_USER) },
            deny("namespace delete|volume delete|var purge|operator raft remove-peer|operator snapshot restore", "Deletes a namespace or volume, or changes the cluster state", DATA_GONE),
            ask("job stop|stop|alloc stop|alloc signal|job revert|deployment fail|node drain|node eligibility|system gc|volume deregister|acl token delete|acl policy delete|acl role delete|var delete|job scale * 0|job scale * * 0", "Stops jobs or allocations, drains nodes or deletes ACLs and variables", ASK_USER),
        ],
    },
    Tool {
        names: &["consul"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["-http-addr", "-token", "-datacenter", "-namespace", "-partition", "-format"],
        rows: rows![
            Row { with: &["-recurse", "--recurse"], ..deny("kv delete", "Deletes a whole key prefix from the KV store", DATA_GONE) },
            deny("snapshot restore|operator raft remove-peer|namespace delete|partition delete", "Overwrites the cluster state or removes a server", DATA_GONE),
            ask("kv delete|services deregister|acl token delete|acl policy delete|acl role delete|acl auth-method delete|intention delete|config delete|peering delete|leave|force-leave", "Deletes keys, services, ACLs or intentions, or removes a node", ASK_USER),
        ],
    },
    Tool {
        names: &["vault"],
        deny_rule: "AGENT-VAULT-001",
        ask_rule: "AGENT-VAULT-002",
        value_opts: &["-address", "-namespace", "-mount", "-format", "-field", "-version", "-versions", "-ca-cert", "-method", "-path"],
        rows: rows![
            deny("operator seal|operator raft remove-peer|operator raft snapshot restore|namespace delete|plugin deregister", "Seals Vault, removes a server, restores a snapshot or deletes a namespace", "Ask the user; Vault operations affect every client."),
            Row { with: &["-prefix", "--prefix"], ..deny("lease revoke", "Revokes every lease under a prefix", ASK_USER) },
            ask("operator step-down|operator rekey|operator generate-root|operator rotate|kv rollback|token revoke|write sys/rotate", "Changes Vault's keys, leader or secret versions", ASK_USER),
        ],
    },
    // ---- API gateways ----
    Tool {
        names: &["apigeecli"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["-o", "--org", "-e", "--env", "-t", "--token", "-n", "--name", "-r", "--rev"],
        rows: rows![
            deny("orgs delete|envs delete|environments delete", "Deletes an Apigee organisation or environment", ASK_USER),
            ask("* delete|* undeploy|* * delete|* cleanup|apis clean", "Deletes or undeploys an API proxy, product, app or key store", ASK_USER),
        ],
    },
    Tool {
        names: &["apigeetool"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["-o", "--organization", "-e", "--environments", "-n", "--api", "-u", "--username", "-p", "--password", "-r"],
        rows: rows![
            ask("delete|delete*|undeploy|remove*|revoke*", "Deletes or undeploys an Apigee proxy, product, app, developer or cache", ASK_USER),
        ],
    },
    Tool {
        names: &["deck"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["--kong-addr", "--headers", "-s", "--state", "--workspace", "-w", "--select-tag", "--konnect-token", "--konnect-control-plane-name"],
        rows: rows![
            deny("reset|gateway reset", "Deletes every entity in Kong", "Run `deck gateway diff` and let the user apply changes."),
            ask("sync|gateway sync|gateway apply", "Makes Kong match the file, deleting every entity not in it", "Run `deck gateway diff` and show the plan."),
        ],
    },
    // ---- GitOps and delivery ----
    Tool {
        names: &["argocd"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["--server", "--auth-token", "--grpc-web-root-path", "-o", "--output", "-p", "--project", "--revision", "--resource", "--kind", "--group", "--namespace", "--propagation-policy"],
        rows: rows![
            Row { without: &["--cascade=false"], ..deny("app delete|apps delete|appset delete|applicationset delete|proj delete", "Deletes an Argo CD application with every resource it manages", "Use `argocd app delete --cascade=false` only after asking, or remove the app from Git.") },
            ask("app delete|apps delete|app rollback|app terminate-op|app delete-resource|cluster rm|cluster remove|repo rm|repocreds rm|account delete-token|proj role delete-token|cert rm|gpg rm", "Rolls back an application or deletes Argo CD configuration", ASK_USER),
            Row { with: &["--prune", "--force", "--replace"], ..ask("app sync", "Syncs with pruning or force, deleting resources not in Git", "Run `argocd app diff` and sync without --prune.") },
        ],
    },
    Tool {
        names: &["flux"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["-n", "--namespace", "--context", "--kubeconfig", "--timeout"],
        rows: rows![
            deny("uninstall", "Removes Flux and its custom resources from the cluster", ASK_USER),
            ask("delete|suspend", "Deletes or suspends a Flux source, kustomization or release", ASK_USER),
        ],
    },
    Tool {
        names: &["spin"],
        deny_rule: CLI_DENY,
        ask_rule: CLI_ASK,
        value_opts: &["--gate-endpoint", "--config", "-o", "--output", "--application-name", "--name", "-n", "--id"],
        rows: rows![
            deny("application delete|app delete|project delete", "Deletes a Spinnaker application", ASK_USER),
            ask("pipeline delete|pipeline-templates delete|pipeline-template delete|canary canary-config delete|pipeline execution cancel", "Deletes a pipeline, template or canary config", ASK_USER),
        ],
    },
    // ---- GitHub and GitLab (beyond the github and ci judges) ----
    Tool {
        names: &["gh"],
        deny_rule: "AGENT-GH-001",
        ask_rule: "AGENT-GH-003",
        value_opts: &["-R", "--repo", "-H", "--header", "-f", "-F", "--field", "--raw-field", "-q", "--jq", "-t", "--template", "--hostname", "--input"],
        rows: rows![
            Row { with: &["-X=PUT", "-X=PATCH", "-X=POST", "--method=PUT", "--method=PATCH", "--method=POST", "-X=DELETE", "--method=DELETE"], args: &["*/collaborators*", "*/protection*", "*/hooks*", "*/keys*", "*/actions/secrets*", "*/actions/permissions*", "*/rulesets*", "*/members*", "*/memberships*", "*/teams*", "*/environments*", "*/transfer", "*/visibility*", "*/pages*", "*/invitations*"], ..ask("api", "Changes repository or organisation administration through the API", "Ask the user to change it in the repository settings.") },
            Row { with: &["-F=visibility=public", "-f=visibility=public", "--field=visibility=public", "--raw-field=visibility=public"], ..deny("api", "Makes a repository public through the API", "Ask the user.") },
            ask("release delete-asset|cache delete|workflow disable|codespace delete|repo rename|ruleset delete|project delete|label delete|run delete|repo unarchive|org remove", "Deletes release assets, caches, codespaces or workflows", ASK_USER),
        ],
    },
    Tool {
        names: &["glab"],
        deny_rule: CLI_DENY,
        ask_rule: "AGENT-CI-001",
        value_opts: &["-R", "--repo", "-H", "--header", "-f", "-F", "--field", "--raw-field", "--hostname", "-g", "--group"],
        rows: rows![
            deny("repo delete|project delete", "Deletes a GitLab project with its issues and history", "Ask the user to do it in the GitLab UI."),
            Row { with: &["-X=DELETE", "--method=DELETE"], ..ask("api", "Deletes through the GitLab API", ASK_USER) },
            Row { with: &["-X=PUT", "-X=POST", "-X=PATCH", "--method=PUT", "--method=POST", "--method=PATCH"], args: &["*/members*", "*/protected_branches*", "*/protected_tags*", "*/hooks*", "*/deploy_keys*", "*/variables*", "*/share*", "*/transfer*", "*/archive"], ..ask("api", "Changes project or group administration through the API", ASK_USER) },
            ask("release delete|variable delete|schedule delete|label delete|deploy-key delete|cluster agent delete|snippet delete|ci delete", "Deletes GitLab releases, variables, schedules or pipelines", ASK_USER),
        ],
    },
    // ---- containers (beyond the containers judge) ----
    Tool {
        names: &["docker", "podman", "nerdctl"],
        deny_rule: "AGENT-CTR-001",
        ask_rule: "AGENT-CTR-002",
        value_opts: &["-H", "--host", "--context", "-c", "--config", "-l", "--log-level", "--connection"],
        rows: rows![
            deny("system reset|machine reset", "Deletes every container, image, volume and network", "Remove the containers and images you created by name."),
            ask("stack rm|stack remove|stack down|service rm|service remove|secret rm|secret remove|config rm|config remove|swarm leave|node rm|node remove|pod rm|pod prune|machine rm|machine remove", "Removes swarm stacks, services, secrets, pods or machines", ASK_USER),
        ],
    },
    // ---- system services ----
    Tool {
        names: &["systemctl"],
        deny_rule: "AGENT-SYS-003",
        ask_rule: "AGENT-SYS-002",
        value_opts: &["-H", "--host", "-M", "--machine", "-t", "--type", "-s", "--signal", "--state", "-p", "--property"],
        rows: rows![
            Row { args: CRITICAL_UNITS, ..deny("stop|disable|mask|kill|isolate", "Stops or disables a critical service (ssh, networking, firewall, container runtime, logging)", "Ask the user; a stopped ssh or network service locks them out.") },
        ],
    },
    Tool {
        names: &["service", "rc-service"],
        deny_rule: "AGENT-SYS-003",
        ask_rule: "AGENT-SYS-002",
        value_opts: &[],
        rows: rows![
            Row { args: CRITICAL_UNITS, ..deny("* stop|* force-stop|* disable", "Stops or restarts a critical service (ssh, networking, firewall, container runtime, logging)", "Ask the user; a stopped ssh or network service locks them out.") },
            ask("* stop|* force-stop|* disable|* zap", "Stops a system service", ASK_USER),
        ],
    },
    Tool {
        names: &["update-rc.d", "chkconfig", "rc-update"],
        deny_rule: "AGENT-SYS-003",
        ask_rule: "AGENT-SYS-002",
        value_opts: &[],
        rows: rows![
            ask("* disable|* remove|* off|del *|delete *|--del *", "Stops a system service from starting at boot", ASK_USER),
        ],
    },
    // ---- system packages ----
    Tool {
        names: &["apt", "apt-get", "aptitude"],
        deny_rule: "AGENT-PKG-001",
        ask_rule: "AGENT-PKG-002",
        value_opts: &["-o", "-c", "-t", "--target-release"],
        rows: rows![
            Row { args: CRITICAL_PACKAGES, without: &["-s", "--no-act", "--just-print", "--recon"], ..deny("remove|purge|autoremove|autopurge", "Removes an essential system package", "Leave system packages alone; ask the user.") },
            Row { without: &["-s", "--no-act", "--just-print", "--recon"], ..ask("remove|purge|autoremove|autopurge", "Removes system packages", "Run it with `-s` (simulate) and show the list to the user.") },
        ],
    },
    Tool {
        names: &["dnf", "yum", "microdnf", "tdnf"],
        deny_rule: "AGENT-PKG-001",
        ask_rule: "AGENT-PKG-002",
        value_opts: &["-c", "--config", "--installroot", "--releasever", "--repo", "--enablerepo", "--disablerepo", "-x", "--exclude", "--setopt"],
        rows: rows![
            Row { args: CRITICAL_PACKAGES, ..deny("remove|erase|autoremove|rm", "Removes an essential system package", "Leave system packages alone; ask the user.") },
            Row { without: &["--assumeno"], ..ask("remove|erase|autoremove|rm|history undo|history rollback", "Removes system packages", "Show the package list to the user and let them remove it.") },
        ],
    },
    Tool {
        names: &["zypper"],
        deny_rule: "AGENT-PKG-001",
        ask_rule: "AGENT-PKG-002",
        value_opts: &["-r", "--repo", "--root", "-R"],
        rows: rows![
            Row { args: CRITICAL_PACKAGES, ..deny("remove|rm", "Removes an essential system package", "Leave system packages alone; ask the user.") },
            ask("remove|rm|removerepo|rr", "Removes system packages or repositories", "Show the package list to the user and let them remove it."),
        ],
    },
    Tool {
        names: &["apk"],
        deny_rule: "AGENT-PKG-001",
        ask_rule: "AGENT-PKG-002",
        value_opts: &["-X", "--repository", "-p", "--root"],
        rows: rows![
            Row { args: CRITICAL_PACKAGES, ..deny("del", "Removes an essential system package", "Leave system packages alone; ask the user.") },
            ask("del", "Removes system packages", "Show the package list to the user and let them remove it."),
        ],
    },
    Tool {
        names: &["pacman"],
        deny_rule: "AGENT-PKG-001",
        ask_rule: "AGENT-PKG-002",
        value_opts: &["-b", "--dbpath", "-r", "--root", "--config", "--cachedir"],
        rows: rows![
            Row { with: &["-R", "--remove"], args: CRITICAL_PACKAGES, ..deny("", "Removes an essential system package", "Leave system packages alone; ask the user.") },
            Row { with: &["-R", "--remove"], without: &["-p", "--print"], ..ask("", "Removes system packages", "Run `pacman -Rp` to print what would go and show it to the user.") },
        ],
    },
    Tool {
        names: &["dpkg"],
        deny_rule: "AGENT-PKG-001",
        ask_rule: "AGENT-PKG-002",
        value_opts: &["--root", "--admindir", "--instdir"],
        rows: rows![
            Row { with: &["-r", "-P", "--remove", "--purge"], args: CRITICAL_PACKAGES, without: &["--no-act"], ..deny("", "Removes an essential system package", "Leave system packages alone; ask the user.") },
            Row { with: &["-r", "-P", "--remove", "--purge"], without: &["--no-act"], ..ask("", "Removes system packages", "Show the package list to the user and let them remove it.") },
        ],
    },
    Tool {
        names: &["rpm"],
        deny_rule: "AGENT-PKG-001",
        ask_rule: "AGENT-PKG-002",
        value_opts: &["--root", "--dbpath"],
        rows: rows![
            Row { with: &["-e", "--erase"], args: CRITICAL_PACKAGES, without: &["--test"], ..deny("", "Removes an essential system package", "Leave system packages alone; ask the user.") },
            Row { with: &["-e", "--erase"], without: &["--test"], ..ask("", "Removes system packages", "Show the package list to the user and let them remove it.") },
        ],
    },
    Tool {
        names: &["snap"],
        deny_rule: "AGENT-PKG-001",
        ask_rule: "AGENT-PKG-002",
        value_opts: &[],
        rows: rows![
            ask("remove", "Removes a snap with its data", "Ask the user."),
        ],
    },
    // ---- DNS ----
    Tool {
        names: &["nsupdate"],
        deny_rule: "AGENT-DNS-001",
        ask_rule: "AGENT-DNS-002",
        value_opts: &["-k", "-y", "-t", "-u", "-p", "-r", "-s"],
        rows: rows![ask("", "Sends dynamic DNS updates (adds or deletes records)", "Show the update to the user and let them send it.")],
    },
    Tool {
        names: &["dnscontrol"],
        deny_rule: "AGENT-DNS-001",
        ask_rule: "AGENT-DNS-002",
        value_opts: &["--config", "--creds", "--domains", "--providers"],
        rows: rows![ask("push", "Pushes DNS changes to the providers (records not in the file are deleted)", "Run `dnscontrol preview` and show the result.")],
    },
    Tool {
        names: &["octodns-sync"],
        deny_rule: "AGENT-DNS-001",
        ask_rule: "AGENT-DNS-002",
        value_opts: &["--config-file", "--source", "--target"],
        rows: rows![Row { with: &["--doit"], ..ask("", "Applies DNS changes (records not in the config are deleted)", "Run without --doit and show the plan.") }],
    },
    Tool {
        names: &["lexicon"],
        deny_rule: "AGENT-DNS-001",
        ask_rule: "AGENT-DNS-002",
        value_opts: &["--auth-token", "--auth-username", "--auth-password", "--ttl", "--name", "--content"],
        rows: rows![ask("* delete|* update|* create", "Changes DNS records", "Show the record change and let the user apply it.")],
    },
    // ---- the big clouds: verbs their judges above do not single out ----
    Tool {
        names: &["aws"],
        deny_rule: "AGENT-DNS-001",
        ask_rule: "AGENT-DNS-002",
        value_opts: &["--profile", "--region", "--output", "--endpoint-url", "--query", "--color", "--ca-bundle", "--cli-read-timeout", "--cli-connect-timeout", "--cli-binary-format", "--hosted-zone-id", "--id", "--change-batch"],
        rows: rows![
            deny("route53 delete-hosted-zone|route53domains delete-domain|route53domains disable-domain-auto-renew|route53domains transfer-domain-to-another-aws-account", "Deletes a hosted zone or gives up a domain", "Export the zone and let the user delete it."),
            ask("route53 change-resource-record-sets|route53 delete-*|route53resolver delete-*|servicediscovery delete-namespace|route53 disassociate-vpc-from-hosted-zone", "Changes or deletes DNS records", "Show the change batch to the user and let them apply it."),
        ],
    },
    Tool {
        names: &["gcloud"],
        deny_rule: "AGENT-DNS-001",
        ask_rule: "AGENT-DNS-002",
        value_opts: &["--project", "--account", "--configuration", "--zone", "--region", "--format", "--verbosity", "--impersonate-service-account", "--filter", "--type", "--ttl", "--rrdatas"],
        rows: rows![
            deny("dns managed-zones delete", "Deletes a Cloud DNS zone", "Export the zone and let the user delete it."),
            ask("dns record-sets delete|dns record-sets update|dns record-sets create|dns record-sets transaction execute|dns record-sets import|dns policies delete|dns response-policies delete", "Changes or deletes DNS records", "Show the record change and let the user apply it."),
        ],
    },
    Tool {
        names: &["az"],
        deny_rule: "AGENT-DNS-001",
        ask_rule: "AGENT-DNS-002",
        value_opts: &["--subscription", "--resource-group", "-g", "--name", "-n", "--output", "-o", "--query", "--zone-name", "-z", "--record-set-name", "--ipv4-address", "--ttl"],
        rows: rows![
            deny("network dns zone delete|network private-dns zone delete", "Deletes a DNS zone", "Export the zone (`az network dns zone export`) and let the user delete it."),
            ask("network dns record-set * delete|network dns record-set * remove-record|network dns record-set * update|network dns record-set * set-record|network dns record-set * add-record|network dns zone import|network private-dns record-set * delete|network private-dns record-set * remove-record", "Changes or deletes DNS records", "Show the record change and let the user apply it."),
        ],
    },
];

/// Tools by program name, built once.
fn index() -> &'static HashMap<&'static str, Vec<&'static Tool>> {
    static INDEX: OnceLock<HashMap<&'static str, Vec<&'static Tool>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m: HashMap<&'static str, Vec<&'static Tool>> = HashMap::new();
        for t in TOOLS {
            for n in t.names {
                m.entry(*n).or_default().push(t);
            }
        }
        m
    })
}

/// Whether the table judges `prog`.
pub fn knows(prog: &str) -> bool {
    index().contains_key(prog)
}

/// One word of a pattern against one command word.
fn word_matches(pat: &str, w: &str) -> bool {
    pat.split(',').any(|alt| {
        if alt == "*" {
            true
        } else if let Some(p) = alt.strip_suffix('*') {
            if let Some(s) = p.strip_prefix('*') {
                w.contains(s)
            } else {
                w.starts_with(p) && w.len() > p.len()
            }
        } else if let Some(s) = alt.strip_prefix('*') {
            w.ends_with(s) && w.len() > s.len()
        } else {
            alt == w
        }
    })
}

/// A positional word, and whether it directly follows an option that may have taken
/// it as its value.
#[derive(Debug, Clone, Copy)]
struct Pos<'a> {
    text: &'a str,
    maybe_value: bool,
}

fn positional_words<'a>(args: &[&'a str], value_opts: &[&str]) -> Vec<Pos<'a>> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut after_opt = false;
    while i < args.len() {
        let a = args[i];
        if a == "--" {
            out.extend(args[i + 1..].iter().map(|t| Pos {
                text: t,
                maybe_value: false,
            }));
            break;
        }
        if a.starts_with('-') && a.len() > 1 {
            if value_opts.contains(&a) || COMMON_VALUE_OPTS.contains(&a) {
                i += 1;
                after_opt = false;
            } else {
                after_opt = !a.contains('=');
            }
        } else {
            out.push(Pos {
                text: a,
                maybe_value: after_opt,
            });
            after_opt = false;
        }
        i += 1;
    }
    out
}

/// Matches `pat` against the start of `pos`, possibly skipping words that may be
/// option values. Returns how many positional words the match used.
fn match_prefix(pat: &[&str], pos: &[Pos<'_>]) -> Option<usize> {
    let Some((p, rest)) = pat.split_first() else {
        return Some(0);
    };
    let (w, wrest) = pos.split_first()?;
    if word_matches(p, w.text) {
        if let Some(n) = match_prefix(rest, wrest) {
            return Some(n + 1);
        }
    }
    if w.maybe_value {
        return match_prefix(pat, wrest).map(|n| n + 1);
    }
    None
}

/// One option condition (`--all`, `-r`, `-X=DELETE`, `--cascade=false`).
fn option_present(t: &[&str], spec: &str) -> bool {
    if let Some((name, value)) = spec.split_once('=').filter(|(n, _)| n.starts_with('-')) {
        if let Some(v) = opt_value(t, &[name]) {
            return v.eq_ignore_ascii_case(value);
        }
        return false;
    }
    if let Some(long) = spec.strip_prefix("--") {
        return has_long(t, long);
    }
    if let Some(short) = spec.strip_prefix('-') {
        let mut cs = short.chars();
        if let (Some(c), None) = (cs.next(), cs.next()) {
            return has_short(t, c);
        }
        // A single-dash long option (`-purge`, `-recurse`).
        return t
            .iter()
            .take_while(|a| **a != "--")
            .any(|a| *a == spec || a.strip_prefix(spec).is_some_and(|r| r.starts_with('=')));
    }
    false
}

fn never_runs(t: &[&str], pos: &[Pos<'_>], tool: &Tool) -> bool {
    if pos.first().is_some_and(|p| p.text == "help") {
        return true;
    }
    t.iter().take_while(|a| **a != "--").any(|a| {
        NEVER_RUNS.contains(a)
            || (*a == "-h" && !tool.value_opts.contains(&"-h"))
            || a.strip_prefix("--dry-run=")
                .is_some_and(|v| !matches!(v, "false" | "none" | "0"))
    })
}

/// Judges one invocation against the table.
pub fn judge(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let Some(tools) = index().get(inv.prog) else {
        return;
    };
    let t = inv.texts();
    for tool in tools {
        let pos = positional_words(&t, tool.value_opts);
        if never_runs(&t, &pos, tool) {
            continue;
        }
        // First matching row decides for this tool: rows are written most specific first.
        for r in tool.rows {
            let Some(used) = r.verbs.split('|').find_map(|phrase| {
                let pat: Vec<&str> = phrase.split_whitespace().collect();
                match_prefix(&pat, &pos)
            }) else {
                continue;
            };
            if !r.with.is_empty() && !r.with.iter().any(|s| option_present(&t, s)) {
                continue;
            }
            if r.without.iter().any(|s| option_present(&t, s)) {
                continue;
            }
            if !r.args.is_empty()
                && !pos
                    .iter()
                    .skip(used)
                    .any(|p| r.args.iter().any(|a| word_matches(a, p.text)))
                && !t.iter().any(|a| r.args.iter().any(|p| word_matches(p, a)))
            {
                continue;
            }
            // Conditional rows also name the word the condition is about (a path, a package).
            let extra = usize::from(!r.args.is_empty() || !r.with.is_empty());
            let words: Vec<&str> = pos
                .iter()
                .take(used.max(1) + extra)
                .map(|p| p.text)
                .collect();
            let detail = format!("{} {}", inv.prog, words.join(" "))
                .trim_end()
                .to_string();
            raise(e, inv, tool, r, detail);
            break;
        }
    }
}

fn raise(e: &mut Engine<'_>, inv: &Inv<'_>, tool: &Tool, r: &Row, detail: String) {
    let id = match r.decision {
        Decision::Deny => tool.deny_rule,
        _ => tool.ask_rule,
    };
    let Some(rule) = catalogue::find(id) else {
        return;
    };
    let Some(mut decision) = e.config.decide(rule.rule.id, rule.pack, r.decision) else {
        return;
    };
    let mut detail = detail;
    if decision == Decision::Ask && super::production(e, inv, &[]) {
        decision = Decision::Deny;
        detail.push_str(" (target looks like production)");
    }
    e.hit_fixed(Hit {
        rule_id: rule.rule.id.to_string(),
        pack: rule.pack.to_string(),
        decision,
        segment: String::new(),
        detail,
        title: r.reason.to_string(),
        alternative: r.alternative.to_string(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::{analyse, Options};
    use crate::PolicyConfig;

    fn decide(cmd: &str) -> Decision {
        analyse(
            cmd,
            &PolicyConfig::default(),
            &Options {
                cwd: Some("/work/proj".into()),
                home: Some("/home/dev".into()),
                ..Options::default()
            },
        )
        .decision
    }

    #[test]
    fn every_row_names_rules_that_exist_with_its_decision() {
        for tool in TOOLS {
            assert!(!tool.names.is_empty());
            for (id, want) in [
                (tool.deny_rule, Decision::Deny),
                (tool.ask_rule, Decision::Ask),
            ] {
                let r = catalogue::find(id).unwrap_or_else(|| panic!("{id} missing"));
                assert_eq!(r.decision, want, "{id} for {:?}", tool.names);
            }
            for r in tool.rows {
                assert!(
                    r.decision != Decision::Allow,
                    "{:?} {}",
                    tool.names,
                    r.verbs
                );
                assert!(!r.reason.is_empty() && !r.alternative.is_empty());
                assert!(
                    !r.verbs.is_empty() || !r.with.is_empty() || tool.names == ["nsupdate"],
                    "{:?}: an empty pattern needs an option condition",
                    tool.names
                );
            }
        }
    }

    #[test]
    fn word_patterns() {
        assert!(word_matches("a,b", "b"));
        assert!(word_matches("*:destroy", "apps:destroy"));
        assert!(!word_matches("*:destroy", ":destroy"));
        assert!(word_matches("delete*", "deleteApp"));
        assert!(!word_matches("delete*", "delete"));
        assert!(word_matches("*/hooks*", "repos/o/r/hooks/1"));
        assert!(!word_matches("rm", "rmi"));
    }

    #[test]
    fn option_values_between_verbs_are_skipped() {
        let t = ["-a", "myapp", "apps", "destroy"];
        let pos = positional_words(&t, &["-a"]);
        assert_eq!(match_prefix(&["apps", "destroy"], &pos), Some(2));
        // An unknown option's value may be skipped.
        let t = ["--weird", "v", "apps", "destroy"];
        let pos = positional_words(&t, &[]);
        assert_eq!(match_prefix(&["apps", "destroy"], &pos), Some(3));
        // A plain word in between is not.
        let t = ["apps", "list", "destroy"];
        let pos = positional_words(&t, &[]);
        assert_eq!(match_prefix(&["apps", "destroy"], &pos), None);
    }

    #[test]
    fn options() {
        assert!(option_present(&["-X", "delete", "x"], "-X=DELETE"));
        assert!(option_present(&["--method=DELETE"], "--method=DELETE"));
        assert!(!option_present(&["-X", "GET"], "-X=DELETE"));
        assert!(option_present(&["-rf"], "-r"));
        assert!(option_present(&["-purge"], "-purge"));
        assert!(option_present(&["--cascade=false"], "--cascade=false"));
    }

    #[test]
    fn vendor_rows_decide() {
        for (cmd, want) in [
            ("fly apps destroy myapp", Decision::Deny),
            (
                "flyctl -a web volumes destroy vol_123 --yes",
                Decision::Deny,
            ),
            ("fly machine stop 148e", Decision::Ask),
            ("fly status", Decision::Allow),
            ("fly scale count 0", Decision::Ask),
            ("fly scale count 2", Decision::Allow),
            ("heroku pg:reset DATABASE_URL --confirm app", Decision::Deny),
            ("heroku logs --tail -a app", Decision::Allow),
            ("wrangler d1 delete prod-db", Decision::Deny),
            ("wrangler d1 list", Decision::Allow),
            ("turso db destroy mydb --yes", Decision::Deny),
            ("turso db list", Decision::Allow),
            ("stripe customers delete cus_123", Decision::Ask),
            ("stripe customers delete cus_123 --live", Decision::Deny),
            ("stripe customers list", Decision::Allow),
            ("bq rm -r -f -d proj:dataset", Decision::Deny),
            ("bq rm -f proj:dataset.table", Decision::Ask),
            ("bq ls proj:dataset", Decision::Allow),
            ("argocd app delete guestbook", Decision::Deny),
            ("argocd app delete guestbook --cascade=false", Decision::Ask),
            ("argocd app get guestbook", Decision::Allow),
            ("deck gateway reset", Decision::Deny),
            ("deck gateway diff kong.yaml", Decision::Allow),
            ("nsupdate -k key.conf update.txt", Decision::Ask),
            ("systemctl stop sshd", Decision::Deny),
            ("systemctl stop myapp", Decision::Ask),
            ("systemctl status sshd", Decision::Allow),
            ("service ssh stop", Decision::Deny),
            ("service nginx stop", Decision::Ask),
            ("service nginx status", Decision::Allow),
            ("apt-get remove -y libc6", Decision::Deny),
            ("apt-get remove -y nginx", Decision::Ask),
            ("apt-get -s remove nginx", Decision::Allow),
            ("apt-get install -y nginx", Decision::Allow),
            ("pacman -Rns vim", Decision::Ask),
            ("pacman -Syu", Decision::Allow),
            ("gh api -X PUT repos/o/r/collaborators/bob", Decision::Ask),
            ("gh api repos/o/r/collaborators", Decision::Allow),
            ("glab api -X DELETE projects/1/issues/2", Decision::Ask),
            ("glab api projects/1/issues", Decision::Allow),
            ("aws route53 delete-hosted-zone --id Z1", Decision::Deny),
            ("aws route53 list-hosted-zones", Decision::Allow),
            ("gcloud dns managed-zones delete my-zone", Decision::Deny),
            (
                "az network dns zone delete -g rg -n example.com",
                Decision::Deny,
            ),
            ("doctl compute droplet delete web-1 --force", Decision::Deny),
            ("doctl compute droplet list", Decision::Allow),
            ("fly apps destroy --help", Decision::Allow),
            ("echo fly apps destroy myapp", Decision::Allow),
        ] {
            assert_eq!(decide(cmd), want, "{cmd}");
        }
    }

    #[test]
    fn downgrade_and_disable_apply_to_rows() {
        let opts = Options::default();
        let cfg = PolicyConfig {
            downgrade: vec!["AGENT-CLI-001".into()],
            ..PolicyConfig::default()
        };
        assert_eq!(
            analyse("turso db destroy x", &cfg, &opts).decision,
            Decision::Ask
        );
        let cfg = PolicyConfig {
            disable_packs: vec!["saas".into()],
            ..PolicyConfig::default()
        };
        assert_eq!(
            analyse("turso db destroy x", &cfg, &opts).decision,
            Decision::Allow
        );
    }

    /// Every row's words, shuffled with options, values and quoting, never panic the
    /// analyser (a deterministic stand-in for fuzzing the table matcher).
    #[test]
    fn shuffled_rows_never_panic() {
        let mut words: Vec<String> = Vec::new();
        for tool in TOOLS {
            words.extend(tool.names.iter().map(|s| s.to_string()));
            for r in tool.rows {
                for phrase in r.verbs.split('|') {
                    words.extend(phrase.split_whitespace().map(|w| w.replace(',', " ")));
                }
                words.extend(r.with.iter().map(|s| s.replace('=', " ")));
            }
            words.extend(tool.value_opts.iter().map(|s| s.to_string()));
        }
        words.extend(
            [
                "--", "-", "=", "'", "\"", "$(x)", "--help", "-X", "0", "*=0", "",
            ]
            .iter()
            .map(|s| s.to_string()),
        );
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let cfg = PolicyConfig::default();
        let opts = Options::default();
        for _ in 0..3000 {
            let n = 1 + (next() % 9) as usize;
            let mut cmd = TOOLS[(next() % TOOLS.len() as u64) as usize].names[0].to_string();
            for _ in 0..n {
                cmd.push(' ');
                cmd.push_str(&words[(next() % words.len() as u64) as usize]);
            }
            let _ = analyse(&cmd, &cfg, &opts);
        }
    }

    #[test]
    fn production_targets_escalate_asks() {
        let a = analyse(
            "fly machine stop 148e -a web-prod",
            &PolicyConfig::default(),
            &Options::default(),
        );
        assert_eq!(a.decision, Decision::Deny);
        assert!(a.hits[0].detail.contains("production"), "{:?}", a.hits);
    }
}
