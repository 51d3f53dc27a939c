//! Threagile's technology catalogue as data: each technology's name, its
//! aliases and the attributes Threagile's built-in rules test
//! (`pkg/types/technologies.yaml` upstream). Rules test attributes, never
//! technology names, except where the attribute *is* the name (every
//! technology carries its own name as an attribute).

use std::collections::BTreeSet;

/// (name, aliases, attributes).
pub static TECHNOLOGIES: &[(&str, &[&str], &[&str])] = &[
    (
        "ai",
        &[
            "artificial-intelligence",
            "machine-learning",
            "deep-learning",
            "neural-network",
            "ml",
            "dl",
        ],
        &["less_protected_type"],
    ),
    (
        "application-server",
        &["app-server"],
        &[
            "high_value_target",
            "less_protected_type",
            "processing_end_user_requests",
            "propagate_identity_to_outgoing_targets",
            "web_application",
        ],
    ),
    (
        "artifact-registry",
        &[],
        &[
            "development_relevant",
            "less_protected_type",
            "may_contain_secrets",
        ],
    ),
    ("batch-processing", &[], &["backend_related"]),
    ("big-data-platform", &["big-data"], &["backend_related"]),
    (
        "block-storage",
        &["san"],
        &["backend_related", "storing_end_user_data"],
    ),
    (
        "browser",
        &["web-browser"],
        &[
            "client",
            "frontend_related",
            "less_protected_type",
            "propagate_identity_to_outgoing_targets",
        ],
    ),
    (
        "build-pipeline",
        &["ci", "continuous-integration"],
        &["development_relevant", "less_protected_type"],
    ),
    (
        "client-system",
        &["client"],
        &[
            "client",
            "frontend_related",
            "less_protected_type",
            "propagate_identity_to_outgoing_targets",
        ],
    ),
    (
        "cli",
        &[
            "command-line",
            "command-line-tool",
            "command-line-interface",
        ],
        &["propagate_identity_to_outgoing_targets"],
    ),
    (
        "cms",
        &["content-management-system"],
        &[
            "frontend_related",
            "less_protected_type",
            "propagate_identity_to_outgoing_targets",
            "web_application",
        ],
    ),
    (
        "code-inspection-platform",
        &["code-inspection", "code-analysis"],
        &["development_relevant", "less_protected_type"],
    ),
    (
        "container-platform",
        &["container", "docker", "kubernetes"],
        &["backend_related", "container_platform"],
    ),
    ("data-lake", &[], &["backend_related"]),
    (
        "database",
        &["db"],
        &[
            "backend_related",
            "storing_end_user_data",
            "vulnerable_to_query_injection",
        ],
    ),
    (
        "desktop",
        &["desktop-system"],
        &[
            "client",
            "frontend_related",
            "less_protected_type",
            "propagate_identity_to_outgoing_targets",
        ],
    ),
    (
        "devops-client",
        &[],
        &[
            "client",
            "development_relevant",
            "frontend_related",
            "less_protected_type",
            "propagate_identity_to_outgoing_targets",
        ],
    ),
    (
        "ejb",
        &["enterprise-java-beans"],
        &[
            "backend_related",
            "less_protected_type",
            "processing_end_user_requests",
            "propagate_identity_to_outgoing_targets",
        ],
    ),
    (
        "erp",
        &["enterprise-resource-planning"],
        &[
            "backend_related",
            "high_value_target",
            "processing_end_user_requests",
            "propagate_identity_to_outgoing_targets",
            "storing_end_user_data",
            "web_application",
        ],
    ),
    ("event-listener", &[], &["backend_related"]),
    (
        "file-server",
        &["file-storage"],
        &["backend_related", "file_storage", "storing_end_user_data"],
    ),
    ("function", &[], &["propagate_identity_to_outgoing_targets"]),
    (
        "gateway",
        &["jump-host", "jump-server", "jump-box"],
        &[
            "frontend_related",
            "ftp_internet_access_ok",
            "http_internet_access_ok",
            "propagate_identity_to_outgoing_targets",
        ],
    ),
    ("hmi", &["human-machine-interface"], &["high_value_target"]),
    (
        "hsm",
        &["hardware-security-module"],
        &["backend_related", "security_control_related"],
    ),
    (
        "identity-provider",
        &["idp"],
        &[
            "backend_related",
            "high_value_target",
            "identity_related",
            "propagate_identity_to_outgoing_targets",
            "web_application",
        ],
    ),
    (
        "identity-store-database",
        &["identity-store"],
        &[
            "backend_related",
            "identity_related",
            "identity_store",
            "vulnerable_to_query_injection",
        ],
    ),
    (
        "identity-store-ldap",
        &[],
        &["backend_related", "identity_related", "identity_store"],
    ),
    (
        "ids",
        &["intrusion-detection-system"],
        &[
            "close_to_high_value_targets_tolerated",
            "no_authentication_required",
            "no_network_segmentation_required",
            "no_storage_at_rest",
            "security_control_related",
            "unnecessary_data_tolerated",
            "unprotected_communications_tolerated",
        ],
    ),
    (
        "industrial-control-actor",
        &[],
        &["embedded_component", "high_value_target"],
    ),
    (
        "industrial-control-sensor",
        &[],
        &["embedded_component", "high_value_target"],
    ),
    (
        "iot-device",
        &["iot"],
        &[
            "client",
            "frontend_related",
            "less_protected_type",
            "propagate_identity_to_outgoing_targets",
        ],
    ),
    (
        "ips",
        &["intrusion-prevention-system"],
        &[
            "close_to_high_value_targets_tolerated",
            "no_authentication_required",
            "no_network_segmentation_required",
            "no_storage_at_rest",
            "security_control_related",
            "unnecessary_data_tolerated",
            "unprotected_communications_tolerated",
        ],
    ),
    (
        "ldap-server",
        &["ldap"],
        &["backend_related", "identity_related", "identity_store"],
    ),
    (
        "library",
        &[],
        &[
            "embedded_component",
            "propagate_identity_to_outgoing_targets",
        ],
    ),
    (
        "load-balancer",
        &["lb"],
        &[
            "close_to_high_value_targets_tolerated",
            "frontend_related",
            "no_authentication_required",
            "no_storage_at_rest",
            "propagate_identity_to_outgoing_targets",
            "traffic_forwarding",
        ],
    ),
    (
        "local-file-system",
        &["local-storage"],
        &["file_storage", "storing_end_user_data"],
    ),
    (
        "mail-server",
        &["email-server"],
        &["less_protected_type", "storing_end_user_data"],
    ),
    (
        "mainframe",
        &[],
        &["backend_related", "less_protected_type"],
    ),
    (
        "message-queue",
        &["mq"],
        &[
            "backend_related",
            "propagate_identity_to_outgoing_targets",
            "storing_end_user_data",
        ],
    ),
    (
        "mobile-app",
        &[],
        &[
            "client",
            "frontend_related",
            "less_protected_type",
            "propagate_identity_to_outgoing_targets",
        ],
    ),
    (
        "monitoring",
        &["siem"],
        &[
            "close_to_high_value_targets_tolerated",
            "less_protected_type",
            "unnecessary_data_tolerated",
            "unprotected_communications_tolerated",
        ],
    ),
    (
        "operational-historian",
        &["historian"],
        &[
            "database",
            "may_contain_secrets",
            "vulnerable_to_query_injection",
        ],
    ),
    (
        "plc",
        &["programmable-logic-controller"],
        &["high_value_target"],
    ),
    (
        "report-engine",
        &["reporting"],
        &[
            "processing_end_user_requests",
            "propagate_identity_to_outgoing_targets",
            "web_application",
        ],
    ),
    (
        "reverse-proxy",
        &[],
        &[
            "close_to_high_value_targets_tolerated",
            "frontend_related",
            "http_internet_access_ok",
            "no_authentication_required",
            "no_network_segmentation_required",
            "no_storage_at_rest",
            "propagate_identity_to_outgoing_targets",
            "traffic_forwarding",
        ],
    ),
    ("scada", &[], &["high_value_target"]),
    (
        "scheduler",
        &["cron"],
        &["backend_related", "less_protected_type"],
    ),
    (
        "search-engine",
        &[],
        &[
            "backend_related",
            "propagate_identity_to_outgoing_targets",
            "search_related",
        ],
    ),
    ("search-index", &[], &["backend_related", "search_related"]),
    (
        "service-mesh",
        &[],
        &["backend_related", "propagate_identity_to_outgoing_targets"],
    ),
    (
        "service-registry",
        &["service-discovery"],
        &[
            "no_authentication_required",
            "no_network_segmentation_required",
        ],
    ),
    (
        "sourcecode-repository",
        &["git"],
        &[
            "development_relevant",
            "less_protected_type",
            "may_contain_secrets",
        ],
    ),
    (
        "stream-processing",
        &[],
        &["backend_related", "storing_end_user_data"],
    ),
    (
        "task",
        &["job"],
        &["propagate_identity_to_outgoing_targets"],
    ),
    (
        "tool",
        &["utility"],
        &["propagate_identity_to_outgoing_targets"],
    ),
    ("unknown-technology", &["unknown"], &[]),
    (
        "vault",
        &["hashicorp-vault"],
        &["backend_related", "security_control_related"],
    ),
    (
        "waf",
        &["web-application-firewall"],
        &[
            "frontend_related",
            "http_internet_access_ok",
            "no_authentication_required",
            "no_network_segmentation_required",
            "no_storage_at_rest",
            "propagate_identity_to_outgoing_targets",
            "security_control_related",
            "traffic_forwarding",
        ],
    ),
    (
        "web-application",
        &["web-app"],
        &[
            "http_internet_access_ok",
            "less_protected_type",
            "processing_end_user_requests",
            "propagate_identity_to_outgoing_targets",
            "web_application",
        ],
    ),
    (
        "web-server",
        &[],
        &[
            "http_internet_access_ok",
            "less_protected_type",
            "processing_end_user_requests",
            "propagate_identity_to_outgoing_targets",
            "web_application",
        ],
    ),
    (
        "web-service-rest",
        &["rest-api"],
        &[
            "backend_related",
            "less_protected_type",
            "processing_end_user_requests",
            "propagate_identity_to_outgoing_targets",
            "web_service",
        ],
    ),
    (
        "web-service-soap",
        &["soap-api"],
        &[
            "backend_related",
            "less_protected_type",
            "processing_end_user_requests",
            "propagate_identity_to_outgoing_targets",
            "web_service",
        ],
    ),
];

/// The canonical entry for a technology name or alias (case-insensitive).
pub fn lookup(
    name: &str,
) -> Option<&'static (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
)> {
    let n = name.trim().to_ascii_lowercase();
    TECHNOLOGIES
        .iter()
        .find(|(c, aliases, _)| *c == n || aliases.contains(&n.as_str()))
}

/// Resolves technology names: (canonical names, attributes including each
/// name, names that are not in the catalogue).
pub fn resolve<'a>(
    names: impl IntoIterator<Item = &'a str>,
) -> (BTreeSet<String>, BTreeSet<&'static str>, Vec<String>) {
    let mut canon = BTreeSet::new();
    let mut attrs = BTreeSet::new();
    let mut unknown = Vec::new();
    for n in names {
        match lookup(n) {
            Some((c, _, a)) => {
                canon.insert((*c).to_string());
                attrs.insert(*c);
                attrs.extend(a.iter().copied());
            }
            None => unknown.push(n.to_string()),
        }
    }
    (canon, attrs, unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve_to_the_canonical_name_and_its_attributes() {
        let (canon, attrs, unknown) = resolve(["IDP", "git", "nonsense"]);
        assert!(canon.contains("identity-provider"));
        assert!(canon.contains("sourcecode-repository"));
        assert!(attrs.contains("identity_related"));
        assert!(attrs.contains("may_contain_secrets"));
        assert!(attrs.contains("sourcecode-repository"));
        assert_eq!(unknown, vec!["nonsense".to_string()]);
    }

    #[test]
    fn names_are_unique() {
        let mut seen = BTreeSet::new();
        for (n, aliases, _) in TECHNOLOGIES {
            assert!(seen.insert(*n), "{n}");
            for a in *aliases {
                assert!(seen.insert(*a), "{a}");
            }
        }
    }
}
