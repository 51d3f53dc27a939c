//! The infra rule table: the single source for `guard rules infra`, SARIF rule
//! metadata and the prohibitions written into agent instructions (CLAUDE.md).
//! Titles are phrased as concrete things not to do.

use guard_core::{Rule, Severity};

const IAM_REF: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege";
const SG_REF: &str =
    "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-group-rules.html";

pub static IAM_FULL_ADMIN: Rule = Rule {
    id: "INFRA-IAM-001",
    severity: Severity::Critical,
    title: "IAM policy allows every action on every resource (`Action: \"*\"` or `\"*:*\"` with `Resource: \"*\"`)",
    rationale: "An Allow statement with Action \"*\" grants full administrator rights on the resources it names; one leaked credential or confused agent then controls the account.",
    remediation: "List the specific actions the workload needs (e.g. `s3:GetObject`) and scope `Resource` to the ARNs it uses.",
    tags: &["CWE-269", "OWASP:A01:2021", "STRIDE:Elevation"],
    references: &[IAM_REF],
};

pub static IAM_WRITE_ANY_RESOURCE: Rule = Rule {
    id: "INFRA-IAM-002",
    severity: Severity::High,
    title: "IAM policy allows write or permission-management actions on `Resource: \"*\"`",
    rationale: "Write, delete or IAM-management actions on every resource let the holder change or destroy anything of that type in the account, not just what it owns.",
    remediation: "Scope `Resource` to the specific ARNs (bucket, table, role) the actions must touch.",
    tags: &["CWE-732", "OWASP:A01:2021"],
    references: &[IAM_REF],
};

pub static IAM_SERVICE_WILDCARD: Rule = Rule {
    id: "INFRA-IAM-003",
    severity: Severity::Medium,
    title: "IAM policy allows a whole service (`\"s3:*\"`, `\"iam:*\"`, ...) or every action on named resources",
    rationale: "A service-wide wildcard grants every present and future action of the service, including deletion and policy changes.",
    remediation: "Replace `service:*` with the named actions required.",
    tags: &["CWE-732", "OWASP:A01:2021"],
    references: &[IAM_REF],
};

pub static IAM_NOT_ACTION: Rule = Rule {
    id: "INFRA-IAM-004",
    severity: Severity::High,
    title: "IAM policy uses `NotAction` or `NotResource` with `Effect: Allow`",
    rationale: "Allow with NotAction/NotResource grants everything except a list, so every new action or resource is allowed by default.",
    remediation: "Use `Action`/`Resource` allow-lists; keep NotAction only in Deny statements.",
    tags: &["CWE-732", "OWASP:A01:2021"],
    references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html"],
};

pub static IAM_PASSROLE_ANY: Rule = Rule {
    id: "INFRA-IAM-005",
    severity: Severity::High,
    title: "IAM policy allows `iam:PassRole` on `Resource: \"*\"`",
    rationale: "PassRole on every role lets the holder hand any role (including administrator roles) to a service it controls: a classic privilege escalation.",
    remediation: "Limit `iam:PassRole` to the ARNs of the roles the service must receive, ideally with an `iam:PassedToService` condition.",
    tags: &["CWE-269", "OWASP:A01:2021", "STRIDE:Elevation"],
    references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html"],
};

pub static IAM_ANY_PRINCIPAL: Rule = Rule {
    id: "INFRA-IAM-006",
    severity: Severity::Critical,
    title: "Resource or trust policy allows any principal (`Principal: \"*\"` or `{\"AWS\": \"*\"}`) without a restricting Condition",
    rationale: "A wildcard principal opens the resource (bucket, key, queue, function, role assumption) to every AWS account and, for some services, to anonymous callers.",
    remediation: "Name the account, role or service principals, or add a Condition such as `aws:PrincipalOrgID` / `aws:SourceArn` that restricts callers.",
    tags: &["CWE-284", "OWASP:A01:2021"],
    references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html"],
};

pub static NET_ADMIN_PORT_OPEN: Rule = Rule {
    id: "INFRA-NET-001",
    severity: Severity::Critical,
    title: "Ingress from `0.0.0.0/0` or `::/0` to SSH, RDP, database or all ports",
    rationale: "Administration and database ports reachable from the whole internet are scanned and brute-forced within minutes.",
    remediation: "Restrict the source CIDR to known networks, or reach the host through a bastion, VPN or SSM Session Manager.",
    tags: &["CWE-284", "OWASP:A05:2021"],
    references: &[SG_REF],
};

pub static NET_PORT_OPEN: Rule = Rule {
    id: "INFRA-NET-002",
    severity: Severity::High,
    title: "Ingress from `0.0.0.0/0` or `::/0` to a port other than 80/443",
    rationale: "Only web ports are normally meant to be public; any other world-open port widens the attack surface.",
    remediation: "Restrict the source CIDR or put the service behind a load balancer that exposes 80/443 only.",
    tags: &["CWE-284", "OWASP:A05:2021"],
    references: &[SG_REF],
};

pub static NET_RULE_NO_DESCRIPTION: Rule = Rule {
    id: "INFRA-NET-003",
    severity: Severity::Low,
    title: "Security group rule without a `description`",
    rationale:
        "Undocumented rules cannot be reviewed: nobody can tell whether an opening is still needed.",
    remediation: "Add a `description` saying who needs the rule and why.",
    tags: &["CWE-710"],
    references: &[SG_REF],
};

pub static DATA_FORCE_DESTROY: Rule = Rule {
    id: "INFRA-DATA-001",
    severity: Severity::High,
    title: "`force_destroy = true` on a bucket, IAM user or other data-holding resource",
    rationale: "force_destroy lets `terraform destroy` or a replacement delete the resource together with all its objects, with no recovery.",
    remediation: "Remove `force_destroy` (or set it to false) and empty resources deliberately when they must go.",
    tags: &["CWE-404", "STRIDE:Tampering"],
    references: &["https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket#force_destroy"],
};

pub static DATA_DELETION_PROTECTION_OFF: Rule = Rule {
    id: "INFRA-DATA-002",
    severity: Severity::High,
    title: "Deletion protection turned off or left at its default off (`deletion_protection`, `enable_deletion_protection`, `deletion_protection_enabled`, `delete_protection`)",
    rationale: "Without deletion protection a single API call or plan deletes the database, cluster or load balancer.",
    remediation: "Set deletion protection to true; turn it off only in a reviewed change that intends to delete the resource.",
    tags: &["CWE-404"],
    references: &["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html"],
};

pub static DATA_SKIP_FINAL_SNAPSHOT: Rule = Rule {
    id: "INFRA-DATA-003",
    severity: Severity::High,
    title: "`skip_final_snapshot = true` on a database",
    rationale: "Deleting or replacing the database then leaves no snapshot to restore from.",
    remediation: "Set `skip_final_snapshot = false` and a `final_snapshot_identifier`.",
    tags: &["CWE-404"],
    references: &["https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#skip_final_snapshot"],
};

pub static DATA_STATEFUL_DESTROYED: Rule = Rule {
    id: "INFRA-DATA-004",
    severity: Severity::Critical,
    title: "Plan deletes or replaces a stateful resource (database, bucket, table, volume, file system, KMS key, ...)",
    rationale: "Delete and replace destroy the data the resource holds; a replacement often comes from a harmless-looking attribute change.",
    remediation: "Check the plan's action reason and replace paths; revert the attribute that forces replacement, use `moved`/`import`, or take a backup and get explicit approval.",
    tags: &["CWE-404", "STRIDE:Tampering"],
    references: &["https://developer.hashicorp.com/terraform/internals/json-format#change-representation"],
};

pub static DATA_PREVENT_DESTROY_REMOVED: Rule = Rule {
    id: "INFRA-DATA-005",
    severity: Severity::High,
    title: "`lifecycle { prevent_destroy = true }` removed from a resource",
    rationale: "prevent_destroy is the last guard against an accidental destroy; removing it is how a later plan gets to delete the resource.",
    remediation: "Keep `prevent_destroy = true`; remove it only in a reviewed change that intends to destroy the resource.",
    tags: &["CWE-404"],
    references: &["https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy"],
};

pub static DATA_BACKUP_DISABLED: Rule = Rule {
    id: "INFRA-DATA-006",
    severity: Severity::Medium,
    title: "Automated backups or point-in-time recovery disabled (`backup_retention_period = 0`, snapshot retention 0, `point_in_time_recovery` off)",
    rationale: "Without automated backups there is no point-in-time recovery after corruption or deletion.",
    remediation: "Set `backup_retention_period` to at least 7 days.",
    tags: &["CWE-404"],
    references: &["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html"],
};

pub static ENC_DISABLED: Rule = Rule {
    id: "INFRA-ENC-001",
    severity: Severity::High,
    title: "Storage encryption off (`encrypted = false`, `storage_encrypted = false`, server-side encryption disabled)",
    rationale: "Unencrypted volumes, databases and tables expose data in snapshots, backups and on decommissioned media.",
    remediation: "Set `encrypted`/`storage_encrypted = true` (or enable `server_side_encryption`) and use a KMS key.",
    tags: &["CWE-311", "OWASP:A02:2021"],
    references: &["https://docs.aws.amazon.com/kms/latest/developerguide/services.html"],
};

pub static ENC_EMPTY_KMS_KEY: Rule = Rule {
    id: "INFRA-ENC-002",
    severity: Severity::Medium,
    title: "Empty `kms_key_id` / `kms_master_key_id`",
    rationale: "An empty key id silently falls back to no or default encryption.",
    remediation: "Set the ARN of a customer-managed KMS key, or remove the attribute deliberately.",
    tags: &["CWE-311"],
    references: &[],
};

pub static ENC_REMOVED: Rule = Rule {
    id: "INFRA-ENC-003",
    severity: Severity::High,
    title: "Server-side encryption configuration removed in an update",
    rationale: "Removing an encryption block or key leaves new data unencrypted or encrypted with a weaker default.",
    remediation: "Keep the encryption configuration; change the key, not the presence of encryption.",
    tags: &["CWE-311", "OWASP:A02:2021"],
    references: &[],
};

pub static EXP_PUBLIC_ACL: Rule = Rule {
    id: "INFRA-EXP-001",
    severity: Severity::Critical,
    title: "Public S3 ACL (`public-read`, `public-read-write`, `authenticated-read` or an AllUsers grant)",
    rationale: "A public ACL exposes every object of the bucket to the internet (or every AWS user).",
    remediation: "Use `acl = \"private\"`, keep S3 Block Public Access on, and serve public content through CloudFront with origin access control.",
    tags: &["CWE-284", "OWASP:A01:2021"],
    references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl"],
};

pub static EXP_PUBLIC_ACCESS_BLOCK_OFF: Rule = Rule {
    id: "INFRA-EXP-002",
    severity: Severity::High,
    title: "S3 Block Public Access setting turned off (`block_public_acls`, `block_public_policy`, `ignore_public_acls`, `restrict_public_buckets` = false)",
    rationale: "Block Public Access is the account- and bucket-level backstop against public ACLs and policies.",
    remediation: "Keep all four settings true.",
    tags: &["CWE-284", "OWASP:A01:2021"],
    references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"],
};

pub static EXP_PUBLICLY_ACCESSIBLE: Rule = Rule {
    id: "INFRA-EXP-003",
    severity: Severity::High,
    title: "Database, cluster or instance made reachable from the internet (`publicly_accessible = true`, notebook direct internet access)",
    rationale:
        "A public endpoint exposes the database to credential stuffing and exploits of the engine.",
    remediation: "Set `publicly_accessible = false` and connect through the VPC.",
    tags: &["CWE-284", "OWASP:A05:2021"],
    references: &[],
};

pub static EXP_CLOUDFRONT_HTTP: Rule = Rule {
    id: "INFRA-EXP-004",
    severity: Severity::Medium,
    title: "CloudFront allows plain HTTP (`viewer_protocol_policy = \"allow-all\"`)",
    rationale:
        "Viewers can then fetch content over unencrypted HTTP, open to interception and tampering.",
    remediation: "Use `redirect-to-https` or `https-only`.",
    tags: &["CWE-319", "OWASP:A02:2021"],
    references: &[],
};

pub static EXP_CLOUDFRONT_OAC_REMOVED: Rule = Rule {
    id: "INFRA-EXP-005",
    severity: Severity::Critical,
    title: "CloudFront origin access control / identity removed from an origin",
    rationale: "Without OAC/OAI the S3 origin must be public for CloudFront to read it, and is usually made so next.",
    remediation: "Keep `origin_access_control_id` (or `s3_origin_config.origin_access_identity`) on S3 origins.",
    tags: &["CWE-284", "OWASP:A01:2021"],
    references: &["https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html"],
};

pub static ENC_IN_TRANSIT_OFF: Rule = Rule {
    id: "INFRA-ENC-004",
    severity: Severity::Medium,
    title: "Encryption in transit off: plain HTTP listener, TLS not required, node-to-node or client traffic unencrypted, outdated TLS policy",
    rationale: "Traffic between clients, load balancers, brokers and cluster nodes crosses networks guard cannot vouch for; without TLS (or with TLS 1.0/1.1) it can be read or altered.",
    remediation: "Require TLS (HTTPS/TLS listeners, `transit_encryption_enabled = true`, `client_broker = \"TLS\"`, `enforce_https = true`) and a TLS 1.2+ policy.",
    tags: &["CWE-319", "OWASP:A02:2021"],
    references: &["https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html"],
};

pub static ENC_KEY_ROTATION_OFF: Rule = Rule {
    id: "INFRA-ENC-005",
    severity: Severity::Medium,
    title: "KMS key without automatic rotation (`enable_key_rotation` false or not set)",
    rationale: "A symmetric key that never rotates keeps protecting years of data with one key version; rotation limits what a leaked key version decrypts.",
    remediation: "Set `enable_key_rotation = true` on symmetric customer-managed keys.",
    tags: &["CWE-320"],
    references: &["https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html"],
};

pub static DATA_VERSIONING_OFF: Rule = Rule {
    id: "INFRA-DATA-007",
    severity: Severity::Low,
    title: "S3 bucket without versioning (no `aws_s3_bucket_versioning` with `status = \"Enabled\"`, or versioning suspended)",
    rationale: "Without versioning an overwrite or delete of an object is final: no earlier version to restore after a mistake or ransomware.",
    remediation: "Add `aws_s3_bucket_versioning` with `versioning_configuration { status = \"Enabled\" }` for the bucket.",
    tags: &["CWE-404"],
    references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html"],
};

pub static LOG_OFF: Rule = Rule {
    id: "INFRA-LOG-001",
    severity: Severity::Low,
    title: "Access or audit logging off (S3, load balancer, CloudFront, API Gateway, database log exports, CloudTrail, VPC flow logs, ...)",
    rationale: "Without access and audit logs nobody can tell afterwards who read, changed or deleted what.",
    remediation: "Enable the service's logging (access logs, log exports, multi-region CloudTrail with log file validation, VPC flow logs) to a protected destination.",
    tags: &["CWE-778", "OWASP:A09:2021"],
    references: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html"],
};

pub static LOG_RETENTION: Rule = Rule {
    id: "INFRA-LOG-002",
    severity: Severity::Low,
    title: "CloudWatch log group retention not set or shorter than a year",
    rationale: "Logs deleted before an incident is found cannot be investigated; an unset retention means nobody decided how long evidence is kept.",
    remediation: "Set `retention_in_days` to 365 or more (or to the period your policy requires).",
    tags: &["CWE-778", "OWASP:A09:2021"],
    references: &["https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html"],
};

pub static EXP_IMDSV1: Rule = Rule {
    id: "INFRA-EXP-006",
    severity: Severity::Medium,
    title: "Instance metadata service v1 allowed (`http_tokens` not `\"required\"`) or hop limit above 1",
    rationale: "IMDSv1 answers any request, so a server-side request forgery in the workload yields the instance role's credentials; a hop limit above 1 lets containers reach them too.",
    remediation: "Set `metadata_options { http_tokens = \"required\", http_put_response_hop_limit = 1 }`.",
    tags: &["CWE-918", "OWASP:A10:2021"],
    references: &["https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html"],
};

pub static EXP_NO_PUBLIC_ACCESS_BLOCK: Rule = Rule {
    id: "INFRA-EXP-007",
    severity: Severity::Info,
    title: "S3 bucket without a public access block (`aws_s3_bucket_public_access_block`) in its configuration",
    rationale: "AWS turns all four Block Public Access settings on for new buckets (since April 2023), so a bucket without one is not public unless the account settings were turned off (or the bucket predates the change). The bucket-level block keeps the backstop in the configuration, under review. Public ACLs and policies themselves are INFRA-EXP-001 and INFRA-IAM-006.",
    remediation: "Add `aws_s3_bucket_public_access_block` for the bucket with all four settings true (or manage `aws_s3_account_public_access_block`).",
    tags: &["CWE-284", "OWASP:A01:2021"],
    references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"],
};

pub static EXP_ACLS_ENABLED: Rule = Rule {
    id: "INFRA-EXP-008",
    severity: Severity::Low,
    title: "S3 ACLs not disabled (object ownership other than `BucketOwnerEnforced`)",
    rationale: "With ACLs enabled, objects can be shared by ACL outside the bucket policy, and objects written by other accounts stay theirs.",
    remediation: "Set `aws_s3_bucket_ownership_controls` `rule { object_ownership = \"BucketOwnerEnforced\" }`.",
    tags: &["CWE-284"],
    references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html"],
};

pub static NET_EGRESS_ALL: Rule = Rule {
    id: "INFRA-NET-004",
    severity: Severity::Low,
    title: "Security group egress to `0.0.0.0/0` or `::/0` on all ports and protocols",
    rationale: "Unrestricted egress lets a compromised workload exfiltrate data or reach command-and-control anywhere.",
    remediation: "Limit egress to the ports and destinations (CIDRs, prefix lists, security groups) the workload needs.",
    tags: &["CWE-284"],
    references: &[SG_REF],
};

pub static IAM_DATA_READ_ANY: Rule = Rule {
    id: "INFRA-IAM-009",
    severity: Severity::Medium,
    title: "IAM policy allows reading every object or secret (`s3:GetObject`, `secretsmanager:GetSecretValue`, `ssm:GetParameter*`) on `Resource: \"*\"`",
    rationale: "Read access to every bucket's objects or every secret and parameter of the account is how credentials and customer data leak; no workload needs all of them.",
    remediation: "Scope `Resource` to the bucket prefixes, secrets and parameter paths the workload reads.",
    tags: &["CWE-200", "OWASP:A01:2021"],
    references: &[IAM_REF],
};

pub static IAM_WEAK_PASSWORD_POLICY: Rule = Rule {
    id: "INFRA-IAM-010",
    severity: Severity::Low,
    title: "Weak IAM account password policy (short minimum length, no reuse prevention, no character classes, no expiry)",
    rationale: "IAM users' console passwords follow the account policy; the provider's defaults (6 characters, no reuse prevention) make guessed and reused passwords easy to use against the account.",
    remediation: "Set `minimum_password_length` to 14 or more, `password_reuse_prevention` to 24, require symbols, numbers and both cases, and a `max_password_age` your policy accepts (or move people to SSO).",
    tags: &["CWE-521"],
    references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html"],
};

pub static IAM_USER_POLICY: Rule = Rule {
    id: "INFRA-IAM-007",
    severity: Severity::Low,
    title: "IAM policy attached directly to a user",
    rationale:
        "Per-user grants drift and are missed in reviews; permissions belong to groups or roles.",
    remediation: "Attach the policy to a group (or a role) and add the user to the group.",
    tags: &["CWE-269"],
    references: &[IAM_REF],
};

pub static IAM_DB_AUTH_OFF: Rule = Rule {
    id: "INFRA-IAM-008",
    severity: Severity::Low,
    title: "Database IAM authentication off (`iam_database_authentication_enabled` false or not set)",
    rationale: "Without IAM authentication every client needs a long-lived database password instead of short-lived, audited IAM tokens.",
    remediation: "Set `iam_database_authentication_enabled = true` and grant `rds-db:connect` to the roles that connect.",
    tags: &["CWE-798"],
    references: &["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html"],
};

pub static SEC_IN_CONFIG: Rule = Rule {
    id: "INFRA-SEC-001",
    severity: Severity::High,
    title: "Secret in EC2 `user_data`, Lambda environment variables or an ECS task definition",
    rationale: "These values are stored in plain text in the state, the plan and the service's API responses, readable by anyone who can describe the resource.",
    remediation: "Store the secret in Secrets Manager or SSM SecureString and read it at run time (ECS `secrets`, Lambda extension or SDK call).",
    tags: &["CWE-798", "OWASP:A07:2021"],
    references: &["https://docs.aws.amazon.com/secretsmanager/latest/userguide/intro.html"],
};

pub static SEC_ROTATION_OFF: Rule = Rule {
    id: "INFRA-SEC-002",
    severity: Severity::Medium,
    title: "Secrets Manager secret without rotation (`aws_secretsmanager_secret_rotation`)",
    rationale: "A secret that never rotates stays valid forever once leaked.",
    remediation: "Add `aws_secretsmanager_secret_rotation` with a rotation Lambda and a schedule.",
    tags: &["CWE-798"],
    references: &[
        "https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html",
    ],
};

pub static HYG_MODULE_UNPINNED: Rule = Rule {
    id: "INFRA-HYG-001",
    severity: Severity::Medium,
    title: "Module source not pinned to a version or commit",
    rationale: "An unpinned module (registry source without `version`, git source without `?ref=` to a tag or commit) changes under you on the next `terraform init`.",
    remediation: "Set `version = \"x.y.z\"` for registry modules, or `?ref=<tag or commit>` for git sources.",
    tags: &["CWE-829"],
    references: &["https://developer.hashicorp.com/terraform/language/modules/sources"],
};

pub static PLAN_UNVERIFIABLE: Rule = Rule {
    id: "INFRA-PLAN-001",
    severity: Severity::Medium,
    title: "Security-relevant value unknown until apply or not statically readable (policy, CIDR, ACL)",
    rationale: "A value computed at apply time cannot be checked before apply; passing it silently would be a blind spot.",
    remediation: "Make the value static (e.g. a literal or `aws_iam_policy_document` with known inputs), or review it by hand after apply.",
    tags: &["CWE-1059"],
    references: &["https://developer.hashicorp.com/terraform/internals/json-format#change-representation"],
};

pub static HCL_UNRESOLVED: Rule = Rule {
    id: "INFRA-PLAN-002",
    severity: Severity::Low,
    title: "Security-relevant HCL value depends on a variable or expression with no static value (cannot verify)",
    rationale: "A policy, CIDR, port, ACL or protection flag set from a variable without a default (or from an expression guard does not evaluate) cannot be checked in the configuration; passing it silently would be a blind spot.",
    remediation: "Give the variable a safe static default, set it in terraform.tfvars, or check the plan (`terraform show -json`) where the value is known.",
    tags: &["CWE-1059"],
    references: &["https://developer.hashicorp.com/terraform/language/values/variables"],
};

pub static INPUT_UNPARSED: Rule = Rule {
    id: "INFRA-INPUT-001",
    severity: Severity::High,
    title: "Terraform or policy file that does not parse, so nothing in it was checked",
    rationale: "A Terraform or policy file with a syntax error hides everything in it from review; the rest of the tree is still checked, but this file is a blind spot.",
    remediation: "Fix the syntax error at the reported place (`terraform validate` shows it too), then re-run guard.",
    tags: &["CWE-1059"],
    references: &["https://developer.hashicorp.com/terraform/language/syntax/configuration"],
};

/// Every rule of the layer, in the order `guard rules infra` lists them.
pub static RULES: &[Rule] = &[
    IAM_FULL_ADMIN,
    IAM_WRITE_ANY_RESOURCE,
    IAM_SERVICE_WILDCARD,
    IAM_NOT_ACTION,
    IAM_PASSROLE_ANY,
    IAM_ANY_PRINCIPAL,
    NET_ADMIN_PORT_OPEN,
    NET_PORT_OPEN,
    NET_RULE_NO_DESCRIPTION,
    DATA_FORCE_DESTROY,
    DATA_DELETION_PROTECTION_OFF,
    DATA_SKIP_FINAL_SNAPSHOT,
    DATA_STATEFUL_DESTROYED,
    DATA_PREVENT_DESTROY_REMOVED,
    DATA_BACKUP_DISABLED,
    ENC_DISABLED,
    ENC_EMPTY_KMS_KEY,
    ENC_REMOVED,
    ENC_IN_TRANSIT_OFF,
    ENC_KEY_ROTATION_OFF,
    DATA_VERSIONING_OFF,
    LOG_OFF,
    LOG_RETENTION,
    EXP_IMDSV1,
    EXP_NO_PUBLIC_ACCESS_BLOCK,
    EXP_ACLS_ENABLED,
    NET_EGRESS_ALL,
    IAM_DATA_READ_ANY,
    IAM_WEAK_PASSWORD_POLICY,
    IAM_USER_POLICY,
    IAM_DB_AUTH_OFF,
    SEC_IN_CONFIG,
    SEC_ROTATION_OFF,
    HYG_MODULE_UNPINNED,
    EXP_PUBLIC_ACL,
    EXP_PUBLIC_ACCESS_BLOCK_OFF,
    EXP_PUBLICLY_ACCESSIBLE,
    EXP_CLOUDFRONT_HTTP,
    EXP_CLOUDFRONT_OAC_REMOVED,
    PLAN_UNVERIFIABLE,
    HCL_UNRESOLVED,
    INPUT_UNPARSED,
];

pub fn rules() -> &'static [Rule] {
    RULES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_unique_and_complete() {
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        for r in RULES {
            assert!(r.id.starts_with("INFRA-"));
            assert!(!r.title.is_empty() && !r.rationale.is_empty() && !r.remediation.is_empty());
        }
    }
}
