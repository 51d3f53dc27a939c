//! The resource table: one row per protective setting of an AWS resource
//! type that stores, moves or protects data. A row names the attribute path,
//! what value is insecure, what the provider does when the attribute is left
//! out (and for which provider versions), the rule and its severity, and the
//! modes where AWS protects the data anyway. Adding a service is adding rows
//! plus fixtures; [`check`] is the only code.
//!
//! Paths are dotted: every step but the last names a nested block (all its
//! instances are checked), the last an attribute or a block.
//! Unset settings are judged the same way for every row: when the provider's
//! default is insecure the hit says "not set (defaults to ...)" and is marked
//! [`Hit::unset`]; when the default is safe (or the attribute is required)
//! an unset setting is not a finding.

use crate::model::{Hit, Mode, Resource};
use crate::rules::*;
use crate::value::{Node, V};
use guard_core::{Rule, Severity};

/// Which values of the attribute are insecure.
#[derive(Debug, Clone, Copy)]
pub enum Test {
    /// `false`.
    False,
    /// `true`.
    True,
    /// One of these strings (ASCII case-insensitive).
    OneOf(&'static [&'static str]),
    /// A number below this.
    Below(f64),
    /// A number above this.
    Above(f64),
    /// A number above 0 and below this (0 means "keep forever").
    Short(f64),
    /// An empty string or list: the setting (key, block, list) must be given.
    Empty,
}

/// A condition on another attribute of the same resource (dotted path, first
/// block instance).
#[derive(Debug, Clone, Copy)]
pub enum Cond {
    /// Equal to this string (ASCII case-insensitive).
    Eq(&'static str),
    /// Set and different from this string.
    Ne(&'static str),
    /// One of these strings (ASCII case-insensitive).
    In(&'static [&'static str]),
    /// Starts with this string.
    Prefix(&'static str),
    /// `true`.
    IsTrue,
    /// Given a value (unknown values count as given).
    Set,
}

#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub types: &'static [&'static str],
    pub path: &'static str,
    pub test: Test,
    /// The provider's default when the attribute is unset, when that default
    /// is insecure ("unencrypted", "false"); `None` when the default is safe
    /// or the attribute is required.
    pub default: Option<&'static str>,
    /// The AWS provider versions whose default that is ("all", "< 6.0").
    pub since: &'static str,
    pub rule: &'static Rule,
    /// Severity of an explicit insecure value, when not the rule's.
    pub severity: Option<Severity>,
    /// Severity of an unset setting, when not the explicit one's.
    pub unset_severity: Option<Severity>,
    /// The row applies only when all of these hold.
    pub when: &'static [(&'static str, Cond)],
    /// Modes where AWS protects anyway: the row does not apply when any holds.
    pub unless: &'static [(&'static str, Cond)],
}

const fn row(
    types: &'static [&'static str],
    path: &'static str,
    test: Test,
    rule: &'static Rule,
) -> Row {
    Row {
        types,
        path,
        test,
        default: None,
        since: "all",
        rule,
        severity: None,
        unset_severity: None,
        when: &[],
        unless: &[],
    }
}

impl Row {
    const fn dflt(mut self, d: &'static str) -> Row {
        self.default = Some(d);
        self
    }
    const fn since(mut self, v: &'static str) -> Row {
        self.since = v;
        self
    }
    const fn sev(mut self, s: Severity) -> Row {
        self.severity = Some(s);
        self
    }
    const fn unset_sev(mut self, s: Severity) -> Row {
        self.unset_severity = Some(s);
        self
    }
    const fn when(mut self, c: &'static [(&'static str, Cond)]) -> Row {
        self.when = c;
        self
    }
    const fn unless(mut self, c: &'static [(&'static str, Cond)]) -> Row {
        self.unless = c;
        self
    }
}

use Cond::*;
use Severity::{Low, Medium};
use Test::*;

const RDS_DBS: &[&str] = &["aws_db_instance", "aws_rds_cluster"];
const DOC_NEPTUNE: &[&str] = &["aws_docdb_cluster", "aws_neptune_cluster"];
const SEARCH: &[&str] = &["aws_opensearch_domain", "aws_elasticsearch_domain"];
const LBS: &[&str] = &["aws_lb", "aws_alb"];
const LISTENERS: &[&str] = &["aws_lb_listener", "aws_alb_listener"];
const INSTANCES: &[&str] = &[
    "aws_instance",
    "aws_launch_template",
    "aws_launch_configuration",
];
/// Load balancer policies that still accept TLS 1.0 or 1.1.
const OUTDATED_TLS: &[&str] = &[
    "ELBSecurityPolicy-2016-08",
    "ELBSecurityPolicy-2015-05",
    "ELBSecurityPolicy-TLS-1-0-2015-04",
    "ELBSecurityPolicy-TLS-1-1-2017-01",
    "ELBSecurityPolicy-FS-2018-06",
    "ELBSecurityPolicy-FS-1-1-2019-08",
    "ELBSecurityPolicy-TLS13-1-0-2021-06",
    "ELBSecurityPolicy-TLS13-1-1-2021-06",
    "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04",
];
const UNENC: &str = "unencrypted";

/// The table. Sources: the AWS provider documentation of each resource
/// (defaults) and the service guides (what AWS encrypts regardless).
pub static ROWS: &[Row] = &[
    // ---- Encryption at rest -------------------------------------------
    row(&["aws_ebs_volume"], "encrypted", False, &ENC_DISABLED)
        .dflt(UNENC)
        .unless(&[("kms_key_id", Set)]),
    row(&["aws_efs_file_system"], "encrypted", False, &ENC_DISABLED)
        .dflt(UNENC)
        .unless(&[("kms_key_id", Set)]),
    row(&["aws_db_instance"], "storage_encrypted", False, &ENC_DISABLED)
        .dflt(UNENC)
        // Replicas, restores and Aurora members take the source's or the
        // cluster's encryption.
        .unless(&[
            ("kms_key_id", Set),
            ("replicate_source_db", Set),
            ("snapshot_identifier", Set),
            ("engine", Prefix("aurora")),
        ]),
    row(&["aws_rds_cluster"], "storage_encrypted", False, &ENC_DISABLED)
        .dflt(UNENC)
        // Aurora Serverless v1 is always encrypted.
        .unless(&[
            ("engine_mode", Eq("serverless")),
            ("kms_key_id", Set),
            ("snapshot_identifier", Set),
            ("replication_source_identifier", Set),
            ("global_cluster_identifier", Set),
        ]),
    row(
        &["aws_rds_global_cluster"],
        "storage_encrypted",
        False,
        &ENC_DISABLED,
    )
    .dflt(UNENC)
    .unless(&[("source_db_cluster_identifier", Set)]),
    row(DOC_NEPTUNE, "storage_encrypted", False, &ENC_DISABLED)
        .dflt(UNENC)
        .unless(&[
            ("kms_key_id", Set),
            ("kms_key_arn", Set),
            ("snapshot_identifier", Set),
        ]),
    row(&["aws_redshift_cluster"], "encrypted", False, &ENC_DISABLED)
        .dflt(UNENC)
        .since("< 6.0")
        .unless(&[("kms_key_id", Set), ("snapshot_identifier", Set)]),
    row(
        &["aws_elasticache_replication_group"],
        "at_rest_encryption_enabled",
        False,
        &ENC_DISABLED,
    )
    .dflt(UNENC)
    .unset_sev(Medium),
    row(
        &["aws_dax_cluster"],
        "server_side_encryption.enabled",
        False,
        &ENC_DISABLED,
    )
    .dflt(UNENC),
    row(SEARCH, "encrypt_at_rest.enabled", False, &ENC_DISABLED).dflt(UNENC),
    row(
        &["aws_kinesis_stream"],
        "encryption_type",
        OneOf(&["NONE"]),
        &ENC_DISABLED,
    )
    .dflt("\"NONE\""),
    row(
        &["aws_kinesis_firehose_delivery_stream"],
        "server_side_encryption.enabled",
        False,
        &ENC_DISABLED,
    )
    .dflt(UNENC)
    .sev(Medium)
    // A Kinesis stream source encrypts with the stream's own setting.
    .unless(&[("kinesis_source_configuration", Set)]),
    // SQS encrypts new queues with SSE-SQS unless told not to.
    row(
        &["aws_sqs_queue"],
        "sqs_managed_sse_enabled",
        False,
        &ENC_DISABLED,
    )
    .unless(&[("kms_master_key_id", Set)]),
    row(&["aws_sns_topic"], "kms_master_key_id", Empty, &ENC_DISABLED)
        .dflt("no server-side encryption")
        .sev(Medium),
    // DynamoDB always encrypts; without a block the key is AWS-owned.
    row(
        &["aws_dynamodb_table"],
        "server_side_encryption.enabled",
        False,
        &ENC_DISABLED,
    )
    .dflt("an AWS-owned key you cannot control or audit")
    .unset_sev(Low),
    row(
        &["aws_glue_data_catalog_encryption_settings"],
        "data_catalog_encryption_settings.encryption_at_rest.catalog_encryption_mode",
        OneOf(&["DISABLED"]),
        &ENC_DISABLED,
    ),
    row(
        &["aws_glue_data_catalog_encryption_settings"],
        "data_catalog_encryption_settings.connection_password_encryption.return_connection_password_encrypted",
        False,
        &ENC_DISABLED,
    )
    .sev(Medium),
    row(
        &["aws_glue_security_configuration"],
        "encryption_configuration.s3_encryption.s3_encryption_mode",
        OneOf(&["DISABLED"]),
        &ENC_DISABLED,
    )
    .dflt("\"DISABLED\""),
    row(
        &["aws_glue_security_configuration"],
        "encryption_configuration.cloudwatch_encryption.cloudwatch_encryption_mode",
        OneOf(&["DISABLED"]),
        &ENC_DISABLED,
    )
    .dflt("\"DISABLED\"")
    .sev(Medium),
    row(
        &["aws_glue_security_configuration"],
        "encryption_configuration.job_bookmarks_encryption.job_bookmarks_encryption_mode",
        OneOf(&["DISABLED"]),
        &ENC_DISABLED,
    )
    .dflt("\"DISABLED\"")
    .sev(Medium),
    row(
        &["aws_codebuild_project"],
        "artifacts.encryption_disabled",
        True,
        &ENC_DISABLED,
    ),
    row(
        &["aws_codebuild_project"],
        "secondary_artifacts.encryption_disabled",
        True,
        &ENC_DISABLED,
    ),
    row(
        &["aws_codebuild_report_group"],
        "export_config.s3_destination.encryption_disabled",
        True,
        &ENC_DISABLED,
    ),
    row(
        &["aws_api_gateway_method_settings"],
        "settings.cache_data_encrypted",
        False,
        &ENC_DISABLED,
    )
    .dflt(UNENC)
    .sev(Medium)
    .when(&[("settings.caching_enabled", IsTrue)]),
    row(
        &["aws_appsync_api_cache"],
        "at_rest_encryption_enabled",
        False,
        &ENC_DISABLED,
    )
    .dflt(UNENC)
    .sev(Medium),
    // Athena results land in S3, which encrypts new objects; a workgroup
    // that does not enforce its configuration lets clients turn it off.
    row(
        &["aws_athena_workgroup"],
        "configuration.enforce_workgroup_configuration",
        False,
        &ENC_DISABLED,
    )
    .sev(Low),
    row(
        &["aws_workspaces_workspace"],
        "root_volume_encryption_enabled",
        False,
        &ENC_DISABLED,
    )
    .dflt(UNENC),
    row(
        &["aws_workspaces_workspace"],
        "user_volume_encryption_enabled",
        False,
        &ENC_DISABLED,
    )
    .dflt(UNENC),
    row(
        &["aws_dlm_lifecycle_policy"],
        "policy_details.schedule.cross_region_copy_rule.encrypted",
        False,
        &ENC_DISABLED,
    ),
    row(&["aws_ami"], "ebs_block_device.encrypted", False, &ENC_DISABLED),
    row(
        &["aws_ami_copy", "aws_ebs_snapshot_copy"],
        "encrypted",
        False,
        &ENC_DISABLED,
    )
    .dflt("the source's encryption (unencrypted sources stay unencrypted)")
    .unset_sev(Medium)
    .unless(&[("kms_key_id", Set)]),
    row(
        &["aws_ebs_encryption_by_default"],
        "enabled",
        False,
        &ENC_DISABLED,
    ),
    // CloudTrail logs get SSE-S3 anyway; a KMS key adds access control.
    row(&["aws_cloudtrail"], "kms_key_id", Empty, &ENC_DISABLED)
        .dflt("SSE-S3 only, no KMS key")
        .sev(Low),
    // Instance root volumes take the AMI's snapshot encryption: unencrypted
    // unless the AMI or the account's EBS encryption by default says otherwise.
    row(
        &["aws_instance", "aws_launch_configuration"],
        "root_block_device.encrypted",
        False,
        &ENC_DISABLED,
    )
    .dflt("the AMI's snapshot encryption, unencrypted unless the AMI or EBS encryption by default encrypts it")
    .unset_sev(Low)
    .unless(&[("root_block_device.kms_key_id", Set)]),
    row(
        &["aws_launch_template"],
        "block_device_mappings.ebs.encrypted",
        False,
        &ENC_DISABLED,
    ),
    // Always encrypted by the service; without a key of your own nobody can
    // restrict or audit decryption with a key policy. Reported Low, as for
    // CloudTrail and DynamoDB. (A queue left to SSE-SQS stays quiet: see
    // INFRA-ENC-001.neg-modes.tf.)
    row(
        &["aws_cloudwatch_log_group"],
        "kms_key_id",
        Empty,
        &ENC_DISABLED,
    )
    .dflt("CloudWatch Logs' own keys, no KMS key")
    .sev(Low),
    row(
        &["aws_secretsmanager_secret"],
        "kms_key_id",
        Empty,
        &ENC_DISABLED,
    )
    .dflt("the AWS managed key `aws/secretsmanager`, no key policy of your own")
    .sev(Low),
    row(
        &["aws_ecr_repository"],
        "encryption_configuration.encryption_type",
        OneOf(&["AES256"]),
        &ENC_DISABLED,
    )
    .dflt("\"AES256\", no KMS key")
    .sev(Low),
    // ---- Encryption in transit ----------------------------------------
    row(
        &["aws_elasticache_replication_group"],
        "transit_encryption_enabled",
        False,
        &ENC_IN_TRANSIT_OFF,
    )
    .dflt("plain-text client traffic"),
    row(
        &["aws_appsync_api_cache"],
        "transit_encryption_enabled",
        False,
        &ENC_IN_TRANSIT_OFF,
    )
    .dflt("plain-text traffic"),
    row(
        &["aws_memorydb_cluster"],
        "tls_enabled",
        False,
        &ENC_IN_TRANSIT_OFF,
    ),
    row(
        SEARCH,
        "node_to_node_encryption.enabled",
        False,
        &ENC_IN_TRANSIT_OFF,
    )
    .dflt("unencrypted node-to-node traffic"),
    row(
        SEARCH,
        "domain_endpoint_options.enforce_https",
        False,
        &ENC_IN_TRANSIT_OFF,
    ),
    row(
        SEARCH,
        "domain_endpoint_options.tls_security_policy",
        OneOf(&["Policy-Min-TLS-1-0-2019-07"]),
        &ENC_IN_TRANSIT_OFF,
    ),
    row(
        &["aws_msk_cluster"],
        "encryption_info.encryption_in_transit.client_broker",
        OneOf(&["PLAINTEXT", "TLS_PLAINTEXT"]),
        &ENC_IN_TRANSIT_OFF,
    ),
    row(
        &["aws_msk_cluster"],
        "encryption_info.encryption_in_transit.in_cluster",
        False,
        &ENC_IN_TRANSIT_OFF,
    ),
    row(LISTENERS, "protocol", OneOf(&["HTTP"]), &ENC_IN_TRANSIT_OFF)
        .unless(&[("default_action.type", Eq("redirect"))]),
    row(
        LISTENERS,
        "ssl_policy",
        OneOf(OUTDATED_TLS),
        &ENC_IN_TRANSIT_OFF,
    )
    .dflt("\"ELBSecurityPolicy-2016-08\", which accepts TLS 1.0")
    .when(&[("protocol", In(&["HTTPS", "TLS"]))]),
    row(
        &["aws_elb"],
        "listener.lb_protocol",
        OneOf(&["http"]),
        &ENC_IN_TRANSIT_OFF,
    ),
    row(
        &["aws_cloudfront_distribution"],
        "viewer_certificate.minimum_protocol_version",
        OneOf(&["SSLv3", "TLSv1", "TLSv1_2016", "TLSv1.1_2016"]),
        &ENC_IN_TRANSIT_OFF,
    )
    .dflt("\"TLSv1\"")
    .unless(&[("viewer_certificate.cloudfront_default_certificate", IsTrue)]),
    row(
        &["aws_cloudfront_distribution"],
        "origin.custom_origin_config.origin_protocol_policy",
        OneOf(&["http-only"]),
        &ENC_IN_TRANSIT_OFF,
    ),
    row(
        &["aws_api_gateway_domain_name"],
        "security_policy",
        OneOf(&["TLS_1_0"]),
        &ENC_IN_TRANSIT_OFF,
    )
    .dflt("\"TLS_1_0\""),
    // ---- Key rotation ---------------------------------------------------
    row(
        &["aws_kms_key"],
        "enable_key_rotation",
        False,
        &ENC_KEY_ROTATION_OFF,
    )
    .dflt("false")
    // Only symmetric encryption keys rotate automatically.
    .unless(&[
        ("customer_master_key_spec", Ne("SYMMETRIC_DEFAULT")),
        ("key_spec", Ne("SYMMETRIC_DEFAULT")),
    ]),
    // ---- Deletion protection --------------------------------------------
    row(
        RDS_DBS,
        "deletion_protection",
        False,
        &DATA_DELETION_PROTECTION_OFF,
    )
    .dflt("false"),
    row(
        &["aws_rds_global_cluster"],
        "deletion_protection",
        False,
        &DATA_DELETION_PROTECTION_OFF,
    )
    .dflt("false"),
    row(
        DOC_NEPTUNE,
        "deletion_protection",
        False,
        &DATA_DELETION_PROTECTION_OFF,
    )
    .dflt("false"),
    row(
        LBS,
        "enable_deletion_protection",
        False,
        &DATA_DELETION_PROTECTION_OFF,
    )
    .dflt("false"),
    row(
        &["aws_networkfirewall_firewall"],
        "delete_protection",
        False,
        &DATA_DELETION_PROTECTION_OFF,
    )
    .dflt("false"),
    row(
        &["aws_dynamodb_table"],
        "deletion_protection_enabled",
        False,
        &DATA_DELETION_PROTECTION_OFF,
    )
    .dflt("false"),
    row(
        &["aws_qldb_ledger"],
        "deletion_protection",
        False,
        &DATA_DELETION_PROTECTION_OFF,
    ),
    // ---- Backups and snapshot retention -----------------------------------
    row(
        &[
            "aws_db_instance",
            "aws_rds_cluster",
            "aws_docdb_cluster",
            "aws_neptune_cluster",
        ],
        "backup_retention_period",
        Below(1.0),
        &DATA_BACKUP_DISABLED,
    )
    // Read replicas back up through their source.
    .unless(&[("replicate_source_db", Set)]),
    row(
        &["aws_redshift_cluster"],
        "automated_snapshot_retention_period",
        Below(1.0),
        &DATA_BACKUP_DISABLED,
    ),
    row(
        &["aws_elasticache_replication_group"],
        "snapshot_retention_limit",
        Below(1.0),
        &DATA_BACKUP_DISABLED,
    )
    .dflt("0, no automatic backups")
    .unset_sev(Low),
    row(
        &["aws_elasticache_cluster"],
        "snapshot_retention_limit",
        Below(1.0),
        &DATA_BACKUP_DISABLED,
    )
    .dflt("0, no automatic backups")
    .unset_sev(Low)
    .when(&[("engine", In(&["redis", "valkey"]))]),
    row(
        &["aws_dynamodb_table"],
        "point_in_time_recovery.enabled",
        False,
        &DATA_BACKUP_DISABLED,
    )
    .dflt("off"),
    row(
        &[
            "aws_fsx_windows_file_system",
            "aws_fsx_ontap_file_system",
            "aws_fsx_openzfs_file_system",
            "aws_fsx_lustre_file_system",
        ],
        "automatic_backup_retention_days",
        Below(1.0),
        &DATA_BACKUP_DISABLED,
    ),
    // ---- Versioning ---------------------------------------------------------
    row(
        &["aws_s3_bucket_versioning"],
        "versioning_configuration.status",
        OneOf(&["Suspended", "Disabled"]),
        &DATA_VERSIONING_OFF,
    ),
    row(
        &["aws_s3_bucket"],
        "versioning.enabled",
        False,
        &DATA_VERSIONING_OFF,
    ),
    // ---- Public access --------------------------------------------------------
    row(
        &["aws_s3_access_point"],
        "public_access_block_configuration.block_public_acls",
        False,
        &EXP_PUBLIC_ACCESS_BLOCK_OFF,
    ),
    row(
        &["aws_s3_access_point"],
        "public_access_block_configuration.block_public_policy",
        False,
        &EXP_PUBLIC_ACCESS_BLOCK_OFF,
    ),
    row(
        &["aws_s3_access_point"],
        "public_access_block_configuration.ignore_public_acls",
        False,
        &EXP_PUBLIC_ACCESS_BLOCK_OFF,
    ),
    row(
        &["aws_s3_access_point"],
        "public_access_block_configuration.restrict_public_buckets",
        False,
        &EXP_PUBLIC_ACCESS_BLOCK_OFF,
    ),
    row(
        &["aws_s3_bucket_ownership_controls"],
        "rule.object_ownership",
        OneOf(&["ObjectWriter", "BucketOwnerPreferred"]),
        &EXP_ACLS_ENABLED,
    ),
    row(
        &["aws_redshift_cluster"],
        "publicly_accessible",
        True,
        &EXP_PUBLICLY_ACCESSIBLE,
    )
    .dflt("true")
    .since("< 6.0"),
    row(
        &["aws_dms_replication_instance"],
        "publicly_accessible",
        True,
        &EXP_PUBLICLY_ACCESSIBLE,
    )
    .dflt("true"),
    row(
        &["aws_sagemaker_notebook_instance"],
        "direct_internet_access",
        OneOf(&["Enabled"]),
        &EXP_PUBLICLY_ACCESSIBLE,
    )
    .dflt("\"Enabled\"")
    .sev(Medium),
    // A public address exposes whatever the security groups let through.
    row(
        &["aws_instance"],
        "associate_public_ip_address",
        True,
        &EXP_PUBLICLY_ACCESSIBLE,
    )
    .sev(Low),
    row(
        &["aws_launch_template"],
        "network_interfaces.associate_public_ip_address",
        True,
        &EXP_PUBLICLY_ACCESSIBLE,
    )
    .sev(Low),
    row(
        &["aws_subnet"],
        "map_public_ip_on_launch",
        True,
        &EXP_PUBLICLY_ACCESSIBLE,
    )
    .sev(Low),
    // The Kubernetes API endpoint is public unless turned off.
    row(
        &["aws_eks_cluster"],
        "vpc_config.endpoint_public_access",
        True,
        &EXP_PUBLICLY_ACCESSIBLE,
    )
    .dflt("true")
    .sev(Medium),
    row(
        &["aws_lambda_function_url"],
        "authorization_type",
        OneOf(&["NONE"]),
        &EXP_PUBLICLY_ACCESSIBLE,
    )
    .sev(Medium),
    // ---- Instance metadata ------------------------------------------------------
    row(
        INSTANCES,
        "metadata_options.http_tokens",
        OneOf(&["optional"]),
        &EXP_IMDSV1,
    )
    .dflt("\"optional\", IMDSv1 allowed")
    .unless(&[("metadata_options.http_endpoint", Eq("disabled"))]),
    row(
        INSTANCES,
        "metadata_options.http_put_response_hop_limit",
        Above(1.0),
        &EXP_IMDSV1,
    )
    .unless(&[("metadata_options.http_endpoint", Eq("disabled"))]),
    // ---- Logging ------------------------------------------------------------------
    row(LBS, "access_logs.enabled", False, &LOG_OFF)
        .dflt("false")
        .unless(&[("load_balancer_type", Eq("gateway"))]),
    // Classic ELB: a block without `enabled` logs.
    row(&["aws_elb"], "access_logs", Empty, &LOG_OFF).dflt("no access logs"),
    row(&["aws_elb"], "access_logs.enabled", False, &LOG_OFF),
    row(
        &["aws_cloudfront_distribution"],
        "logging_config",
        Empty,
        &LOG_OFF,
    )
    .dflt("no access logs"),
    row(
        &["aws_api_gateway_stage", "aws_apigatewayv2_stage"],
        "access_log_settings",
        Empty,
        &LOG_OFF,
    )
    .dflt("no access logs"),
    row(
        &["aws_db_instance"],
        "enabled_cloudwatch_logs_exports",
        Empty,
        &LOG_OFF,
    )
    .dflt("no log exports")
    .unless(&[("engine", Prefix("aurora"))]),
    row(
        &["aws_rds_cluster", "aws_docdb_cluster"],
        "enabled_cloudwatch_logs_exports",
        Empty,
        &LOG_OFF,
    )
    .dflt("no log exports"),
    row(
        &["aws_neptune_cluster"],
        "enable_cloudwatch_logs_exports",
        Empty,
        &LOG_OFF,
    )
    .dflt("no log exports"),
    row(&["aws_cloudtrail"], "is_multi_region_trail", False, &LOG_OFF).dflt("false"),
    row(
        &["aws_cloudtrail"],
        "enable_log_file_validation",
        False,
        &LOG_OFF,
    )
    .dflt("false"),
    row(&["aws_cloudtrail"], "enable_logging", False, &LOG_OFF).sev(Medium),
    row(SEARCH, "log_publishing_options", Empty, &LOG_OFF).dflt("no logs published"),
    row(&["aws_msk_cluster"], "logging_info", Empty, &LOG_OFF).dflt("no broker logs"),
    row(&["aws_mq_broker"], "logs.general", False, &LOG_OFF).dflt("false"),
    row(&["aws_redshift_cluster"], "logging.enable", False, &LOG_OFF),
    row(
        &["aws_appsync_graphql_api"],
        "log_config",
        Empty,
        &LOG_OFF,
    )
    .dflt("no logs"),
    // ---- Log retention ----------------------------------------------------------
    row(
        &["aws_cloudwatch_log_group"],
        "retention_in_days",
        Short(365.0),
        &LOG_RETENTION,
    )
    .dflt("0, kept forever with no retention decided"),
    // ---- Account password policy ----------------------------------------------------
    // The provider defaults to 6 characters, no classes, no reuse
    // prevention, no expiry.
    row(
        &["aws_iam_account_password_policy"],
        "minimum_password_length",
        Below(14.0),
        &IAM_WEAK_PASSWORD_POLICY,
    )
    .dflt("6")
    .sev(Medium),
    row(
        &["aws_iam_account_password_policy"],
        "password_reuse_prevention",
        Below(24.0),
        &IAM_WEAK_PASSWORD_POLICY,
    )
    .dflt("no reuse prevention"),
    row(
        &["aws_iam_account_password_policy"],
        "require_symbols",
        False,
        &IAM_WEAK_PASSWORD_POLICY,
    )
    .dflt("false"),
    row(
        &["aws_iam_account_password_policy"],
        "require_numbers",
        False,
        &IAM_WEAK_PASSWORD_POLICY,
    )
    .dflt("false"),
    row(
        &["aws_iam_account_password_policy"],
        "require_uppercase_characters",
        False,
        &IAM_WEAK_PASSWORD_POLICY,
    )
    .dflt("false"),
    row(
        &["aws_iam_account_password_policy"],
        "require_lowercase_characters",
        False,
        &IAM_WEAK_PASSWORD_POLICY,
    )
    .dflt("false"),
    row(
        &["aws_iam_account_password_policy"],
        "max_password_age",
        Above(90.0),
        &IAM_WEAK_PASSWORD_POLICY,
    )
    .dflt("0, passwords never expire"),
    // ---- Database IAM authentication ---------------------------------------------
    row(
        &["aws_db_instance"],
        "iam_database_authentication_enabled",
        False,
        &IAM_DB_AUTH_OFF,
    )
    .dflt("false")
    .when(&[(
        "engine",
        In(&["mysql", "postgres", "mariadb"]),
    )]),
    row(
        &["aws_rds_cluster", "aws_neptune_cluster"],
        "iam_database_authentication_enabled",
        False,
        &IAM_DB_AUTH_OFF,
    )
    .dflt("false"),
];

/// Whether a row covers `attr` of `rtype` (generic checks then stay quiet,
/// so one setting gives one finding).
pub fn covers(rtype: &str, attr: &str) -> bool {
    ROWS.iter()
        .any(|r| r.path == attr && r.types.contains(&rtype))
}

/// The value at a dotted path, through the first instance of each block.
fn first<'a>(v: &'a Node, path: &str) -> Option<&'a Node> {
    let mut cur = v;
    let mut parts = path.split('.').peekable();
    while let Some(p) = parts.next() {
        if parts.peek().is_none() {
            return cur.get(p).filter(|n| !n.is_null());
        }
        cur = *cur.blocks(p).first()?;
    }
    None
}

fn str_eq(n: &Node, s: &str) -> bool {
    n.as_str().is_some_and(|x| x.eq_ignore_ascii_case(s))
}

fn holds(v: &Node, (path, cond): &(&str, Cond)) -> Option<bool> {
    let n = first(v, path);
    if n.is_some_and(Node::is_unknown) {
        return None;
    }
    Some(match cond {
        Cond::Eq(s) => n.is_some_and(|n| str_eq(n, s)),
        Cond::Ne(s) => n.is_some_and(|n| n.as_str().is_some() && !str_eq(n, s)),
        Cond::In(xs) => n.is_some_and(|n| xs.iter().any(|s| str_eq(n, s))),
        Cond::Prefix(p) => n.and_then(Node::as_str).is_some_and(|s| s.starts_with(p)),
        Cond::IsTrue => n.and_then(Node::as_bool) == Some(true),
        Cond::Set => n.is_some_and(|n| !is_empty(n)),
    })
}

fn is_empty(n: &Node) -> bool {
    match &n.v {
        V::Null => true,
        V::Str(s) => s.trim().is_empty(),
        V::List(xs) => xs.is_empty(),
        V::Obj(fs) => fs.is_empty(),
        _ => false,
    }
}

fn insecure(test: Test, n: &Node) -> bool {
    match test {
        Test::False => n.as_bool() == Some(false),
        Test::True => n.as_bool() == Some(true),
        Test::OneOf(xs) => xs.iter().any(|s| str_eq(n, s)),
        Test::Below(x) => n.as_f64().is_some_and(|v| v < x),
        Test::Above(x) => n.as_f64().is_some_and(|v| v > x),
        Test::Short(x) => n.as_f64().is_some_and(|v| v > 0.0 && v < x),
        Test::Empty => is_empty(n),
    }
}

/// One place a row looks at.
enum Leaf<'a> {
    Set(&'a Node),
    /// Not given; the node is the object it is missing from.
    Unset(&'a Node),
}

fn leaves<'a>(v: &'a Node, parts: &[&str], out: &mut Vec<Leaf<'a>>) {
    let Some((head, rest)) = parts.split_first() else {
        return;
    };
    let n = v.get(head);
    if n.is_some_and(Node::is_unknown) {
        return;
    }
    if rest.is_empty() {
        match n {
            Some(n) if !n.is_null() && !matches!(&n.v, V::List(xs) if xs.is_empty()) => {
                out.push(Leaf::Set(n))
            }
            _ => out.push(Leaf::Unset(v)),
        }
        return;
    }
    let blocks = v.blocks(head);
    if blocks.is_empty() {
        out.push(Leaf::Unset(v));
    }
    for b in blocks {
        leaves(b, rest, out);
    }
}

/// Whether a plan says the first step of `path` is known only after apply.
fn unknown_in_plan(r: &Resource, path: &str) -> bool {
    let head = path.split('.').next().unwrap_or(path);
    r.change
        .as_ref()
        .and_then(|c| c.after_unknown.as_ref())
        .and_then(|u| u.get(head))
        .is_some_and(|u| !matches!(u.v, V::Bool(false) | V::Null))
}

pub fn check(r: &Resource, hits: &mut Vec<Hit>) {
    if r.mode != Mode::Managed {
        return;
    }
    for row in ROWS
        .iter()
        .filter(|row| row.types.contains(&r.rtype.as_str()))
    {
        check_row(r, row, hits);
    }
}

fn check_row(r: &Resource, row: &Row, hits: &mut Vec<Hit>) {
    let v = &r.values;
    for c in row.when {
        if holds(v, c) != Some(true) {
            return;
        }
    }
    for c in row.unless {
        if holds(v, c) != Some(false) {
            return;
        }
    }
    if unknown_in_plan(r, row.path) {
        return;
    }
    let parts: Vec<&str> = row.path.split('.').collect();
    let mut found = Vec::new();
    leaves(v, &parts, &mut found);
    for leaf in found {
        match leaf {
            Leaf::Set(n) if insecure(row.test, n) => {
                let mut h = Hit::new(
                    row.rule,
                    n.line_or(r.line),
                    row.path,
                    format!("`{} = {}`", row.path, n.short()),
                )
                .over(n);
                if let Some(s) = row.severity {
                    h = h.severity(s);
                }
                hits.push(h);
            }
            Leaf::Set(_) => {}
            Leaf::Unset(at) => {
                // Module inputs have the module's defaults, not the provider's.
                let Some(d) = row.default.filter(|_| !r.via_module) else {
                    continue;
                };
                let when = match row.since {
                    "all" => String::new(),
                    v => format!(" with AWS provider {v}"),
                };
                let mut h = Hit::new(
                    row.rule,
                    at.line_or(r.line),
                    row.path,
                    format!("`{}` not set (defaults to {d}{when})", row.path),
                )
                .over(at)
                .unset();
                if let Some(s) = row.unset_severity.or(row.severity) {
                    h = h.severity(s);
                }
                hits.push(h);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_well_formed() {
        for row in ROWS {
            assert!(!row.types.is_empty() && !row.path.is_empty(), "{row:?}");
            assert!(row.types.iter().all(|t| t.starts_with("aws_")), "{row:?}");
            assert!(
                row.since == "all" || row.since.starts_with('<') || row.since.starts_with(">="),
                "{row:?}"
            );
            assert!(
                row.default.is_some() || row.since == "all",
                "a version range needs a default: {row:?}"
            );
        }
    }

    #[test]
    fn unset_and_explicit_paths() {
        let v: Node = serde_json::from_str(r#"{"a":[{"b":false},{"c":1}]}"#).unwrap();
        let mut out = Vec::new();
        leaves(&v, &["a", "b"], &mut out);
        assert!(matches!(out.as_slice(), [Leaf::Set(_), Leaf::Unset(_)]));
        let mut out = Vec::new();
        leaves(&v, &["x", "b"], &mut out);
        assert!(matches!(out.as_slice(), [Leaf::Unset(_)]));
        assert!(holds(&v, &("a.b", Cond::Set)) == Some(true));
        assert!(holds(&v, &("a.c", Cond::Set)) == Some(false));
    }
}
