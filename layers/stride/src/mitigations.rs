//! Named mitigations with stable ids. Threats name the mitigations that
//! close them; `guard stride verify` looks for evidence of each.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mitigation {
    pub id: &'static str,
    pub title: &'static str,
    /// What evidence `verify` accepts, in words.
    pub evidence: &'static str,
}

pub static MITIGATIONS: &[Mitigation] = &[
    Mitigation {
        id: "MIT-TLS",
        title: "Encrypt the connection with TLS",
        evidence: "HTTPS/TLS listeners in Terraform, TLS contexts in code",
    },
    Mitigation {
        id: "MIT-HSTS",
        title: "Send Strict-Transport-Security",
        evidence: "a Strict-Transport-Security header set in code",
    },
    Mitigation {
        id: "MIT-AUTHN",
        title: "Authenticate the caller",
        evidence: "authentication decorators or middleware in code",
    },
    Mitigation {
        id: "MIT-MFA",
        title: "Require a second factor",
        evidence: "an MFA/OTP library in code, MFA on IAM users",
    },
    Mitigation {
        id: "MIT-AUTHZ",
        title: "Check authorisation on every request",
        evidence: "permission decorators or middleware in code",
    },
    Mitigation {
        id: "MIT-TENANT-ISOLATION",
        title: "Scope every query and object to the caller's tenant",
        evidence: "a `guard:mitigates MIT-TENANT-ISOLATION` annotation",
    },
    Mitigation {
        id: "MIT-AUDIT-LOG",
        title: "Write an audit log of security-relevant actions",
        evidence: "logging calls in code, CloudTrail in Terraform",
    },
    Mitigation {
        id: "MIT-LOG-INTEGRITY",
        title: "Make logs append-only and tamper-evident",
        evidence: "CloudTrail log file validation, S3 object lock",
    },
    Mitigation {
        id: "MIT-RATE-LIMIT",
        title: "Rate-limit the entry point",
        evidence: "rate-limit middleware in code, a WAF rate-based rule",
    },
    Mitigation {
        id: "MIT-INPUT-VALIDATION",
        title: "Validate and sanitise input",
        evidence: "sanitiser or validation calls in code",
    },
    Mitigation {
        id: "MIT-PARAMETERIZED-QUERIES",
        title: "Use parameterised queries / safe interpreter APIs",
        evidence: "no injection finding of the source-code engine in the code",
    },
    Mitigation {
        id: "MIT-OUTPUT-ENCODING",
        title: "Encode output for its context",
        evidence: "escaping calls or auto-escaping templates in code",
    },
    Mitigation {
        id: "MIT-CSP",
        title: "Send a Content-Security-Policy",
        evidence: "a Content-Security-Policy header set in code",
    },
    Mitigation {
        id: "MIT-CSRF-TOKEN",
        title: "Protect state-changing requests with CSRF tokens",
        evidence: "CSRF middleware in code",
    },
    Mitigation {
        id: "MIT-ENCRYPT-AT-REST",
        title: "Encrypt data at rest",
        evidence: "storage encryption in Terraform",
    },
    Mitigation {
        id: "MIT-SECRETS-VAULT",
        title: "Keep secrets in a secret manager, not in configuration",
        evidence: "a secret manager in Terraform or code",
    },
    Mitigation {
        id: "MIT-SIGNED-UPDATES",
        title: "Verify signatures or pinned hashes of updates and dependencies",
        evidence: "lock files with hashes, signature checks",
    },
    Mitigation {
        id: "MIT-WAF",
        title: "Put a web application firewall in front",
        evidence: "a WAF web ACL in Terraform",
    },
    Mitigation {
        id: "MIT-ADMIN-ISOLATION",
        title: "Expose administration only on a private network or VPN",
        evidence: "a `guard:mitigates MIT-ADMIN-ISOLATION` annotation",
    },
    Mitigation {
        id: "MIT-NETWORK-SEGMENTATION",
        title: "Segment the network; allow only the flows modelled",
        evidence: "security groups without open ingress in Terraform",
    },
    Mitigation {
        id: "MIT-FLOW-LOGS",
        title: "Record network flow logs",
        evidence: "VPC flow logs in Terraform",
    },
    Mitigation {
        id: "MIT-SAFE-PARSING",
        title: "Parse XML and serialised data safely (no external entities, no arbitrary types)",
        evidence: "defusedxml or safe loaders in code",
    },
    Mitigation {
        id: "MIT-SSRF-ALLOWLIST",
        title: "Allow outgoing requests only to listed hosts",
        evidence: "an egress allowlist (network layer) or annotation",
    },
    Mitigation {
        id: "MIT-PATH-CANONICALIZATION",
        title: "Canonicalise and confine file paths",
        evidence: "a `guard:mitigates` annotation",
    },
    Mitigation {
        id: "MIT-REDUNDANCY",
        title: "Run redundantly; back up the data",
        evidence: "multi-AZ or backups in Terraform",
    },
    Mitigation {
        id: "MIT-HARDENING",
        title: "Harden the runtime (least privilege, no root, read-only file system)",
        evidence: "a `guard:mitigates MIT-HARDENING` annotation",
    },
    Mitigation {
        id: "MIT-MODEL-COMPLETE",
        title: "Complete the model",
        evidence: "the model itself",
    },
];

pub fn mitigation(id: &str) -> Option<&'static Mitigation> {
    MITIGATIONS.iter().find(|m| m.id.eq_ignore_ascii_case(id))
}
