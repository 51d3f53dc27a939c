//! The detector table: one row per provider format. Each row names its rule,
//! the literal keywords the Aho-Corasick prefilter looks for, a linear-time
//! pattern whose capture group `s` is the secret, and the structural check
//! that candidate must pass.

use super::filters::crc32_base62_ok;
use super::rules;
use base64::Engine;
use guard_core::{Confidence, Rule, Severity};

/// The structural check a detector applies after its pattern matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    /// Pattern and placeholder filter only.
    Structure,
    /// GitHub classic / npm: CRC32 of the body in base62; failing drops the hit.
    Crc32Base62 { prefix_len: usize },
    /// AWS access key id: paired with a nearby secret access key if there is one.
    AwsKeyId,
    /// Stripe: live and prod keys keep the rule severity, test keys are low.
    StripeMode,
    /// JWT: the header must base64url-decode to a JSON object with `alg`.
    Jwt,
    /// Private key block: the body must hold at least 64 base64 characters.
    PrivateKeyBody,
    /// Connection URL: the password group must not be a placeholder.
    UrlPassword,
    /// Generic: secret-looking name, literal value, entropy and stopwords.
    Generic,
}

/// One row of the table.
pub(crate) struct Detector {
    pub rule: &'static Rule,
    pub provider: &'static str,
    /// What the secret is, for the message: "classic token", "secret key", ...
    pub kind: &'static str,
    /// Any of these must occur in the text for the pattern to run at all:
    /// exact case for token prefixes; for the rules without a literal prefix
    /// ([`Check::Generic`], [`Check::UrlPassword`]) ASCII case-insensitive,
    /// and the pattern runs only in a window around each occurrence.
    pub keywords: &'static [&'static str],
    /// Named group `s` is the secret; for connection URLs `user`, `host` too.
    pub pattern: &'static str,
    pub check: Check,
    /// Confidence of a hit that passed every check.
    pub confidence: Confidence,
    /// How many leading characters of the secret evidence may show (a fixed,
    /// public prefix such as `ghp_`).
    pub shown_prefix: usize,
}

impl Detector {
    /// Rules whose pattern has no literal prefix: searched in a window around
    /// each keyword occurrence instead of over the whole text.
    pub(crate) fn windowed(&self) -> bool {
        matches!(self.check, Check::Generic | Check::UrlPassword)
    }
}

/// A token must not run on into more token characters on either side. The
/// pattern itself starts with the token's literal prefix (so the regex engine
/// can search for that literal); the empty `bounded` group tells the engine
/// to check the characters on both sides of the match.
macro_rules! tok {
    ($body:literal) => {
        concat!(r"(?P<s>", $body, r")(?P<bounded>)")
    };
}

/// Characters a token is made of: a token must not be preceded or followed
/// by one of them.
pub(crate) fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

pub(crate) static DETECTORS: &[Detector] = &[
    Detector {
        rule: &rules::AWS_KEY_ID,
        provider: "AWS",
        kind: "access key id",
        keywords: &["AKIA", "ASIA", "ABIA", "ACCA", "A3T"],
        pattern: tok!(r"(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}"),
        check: Check::AwsKeyId,
        confidence: Confidence::High,
        shown_prefix: 4,
    },
    Detector {
        rule: &rules::GITHUB_TOKEN,
        provider: "GitHub",
        kind: "classic token",
        keywords: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        pattern: tok!(r"gh[pousr]_[0-9A-Za-z]{36}"),
        check: Check::Crc32Base62 { prefix_len: 4 },
        confidence: Confidence::High,
        shown_prefix: 4,
    },
    Detector {
        rule: &rules::GITHUB_FINE_GRAINED,
        provider: "GitHub",
        kind: "fine-grained personal access token",
        keywords: &["github_pat_"],
        pattern: tok!(r"github_pat_[0-9A-Za-z]{22}_[0-9A-Za-z]{59}"),
        check: Check::Structure,
        confidence: Confidence::High,
        shown_prefix: 11,
    },
    Detector {
        rule: &rules::NPM_TOKEN,
        provider: "npm",
        kind: "access token",
        keywords: &["npm_"],
        pattern: tok!(r"npm_[0-9A-Za-z]{36}"),
        check: Check::Crc32Base62 { prefix_len: 4 },
        confidence: Confidence::High,
        shown_prefix: 4,
    },
    Detector {
        rule: &rules::GITLAB_TOKEN,
        provider: "GitLab",
        kind: "token",
        keywords: &[
            "glpat-", "glptt-", "gldt-", "glrt-", "glcbt-", "glft-", "glagent-", "glsoat-",
            "glimt-",
        ],
        pattern: tok!(
            r"glpat-[0-9A-Za-z_\-]{27,300}\.[0-9a-z]{2}[0-9a-z]{7}|(?:glpat|gldt|glrt|glft|glsoat|glimt)-[0-9A-Za-z_\-]{20}|glptt-[0-9a-f]{40}|glcbt-[0-9A-Za-z]{1,5}_[0-9A-Za-z_\-]{20}|glagent-[0-9A-Za-z_\-]{50}"
        ),
        check: Check::Structure,
        confidence: Confidence::High,
        shown_prefix: 6,
    },
    Detector {
        rule: &rules::SLACK_TOKEN,
        provider: "Slack",
        kind: "API token",
        keywords: &[
            "xoxb-", "xoxp-", "xoxa-", "xoxe-", "xoxr-", "xoxs-", "xoxo-", "xapp-",
        ],
        pattern: tok!(
            r"xox[bpaerso]-[0-9]{10,13}-[0-9A-Za-z\-]{10,250}|xapp-[0-9]-[A-Z0-9]{8,}-[0-9]{6,}-[a-z0-9]{32,}"
        ),
        check: Check::Structure,
        confidence: Confidence::High,
        shown_prefix: 5,
    },
    Detector {
        rule: &rules::SLACK_WEBHOOK,
        provider: "Slack",
        kind: "incoming webhook",
        keywords: &["hooks.slack.com"],
        pattern: r"(?P<s>(?:https?://)?hooks\.slack\.com/(?:services/T[A-Z0-9]{6,12}/B[A-Z0-9]{6,12}/[0-9A-Za-z]{20,32}|(?:workflows|triggers)/[0-9A-Za-z+/]{20,100}))",
        check: Check::Structure,
        confidence: Confidence::High,
        shown_prefix: 0,
    },
    Detector {
        rule: &rules::STRIPE_KEY,
        provider: "Stripe",
        kind: "secret key",
        keywords: &[
            "sk_live_", "sk_test_", "sk_prod_", "rk_live_", "rk_test_", "rk_prod_",
        ],
        pattern: tok!(r"(?:sk|rk)_(?:live|test|prod)_[0-9A-Za-z]{10,99}"),
        check: Check::StripeMode,
        confidence: Confidence::High,
        shown_prefix: 8,
    },
    Detector {
        rule: &rules::GOOGLE_API_KEY,
        provider: "Google",
        kind: "API key",
        keywords: &["AIza"],
        pattern: tok!(r"AIza[0-9A-Za-z_\-]{35}"),
        check: Check::Structure,
        confidence: Confidence::High,
        shown_prefix: 4,
    },
    Detector {
        rule: &rules::ANTHROPIC_KEY,
        provider: "Anthropic",
        kind: "API key",
        keywords: &["sk-ant-"],
        pattern: tok!(r"sk-ant-(?:api03|admin01)-[0-9A-Za-z_\-]{93}AA"),
        check: Check::Structure,
        confidence: Confidence::High,
        shown_prefix: 13,
    },
    Detector {
        rule: &rules::OPENAI_KEY,
        provider: "OpenAI",
        kind: "API key",
        keywords: &["T3BlbkFJ"],
        pattern: tok!(
            r"sk-(?:proj|svcacct|admin)-[0-9A-Za-z_\-]{20,200}T3BlbkFJ[0-9A-Za-z_\-]{20,200}|sk-[0-9A-Za-z]{20}T3BlbkFJ[0-9A-Za-z]{20}"
        ),
        check: Check::Structure,
        confidence: Confidence::High,
        shown_prefix: 3,
    },
    Detector {
        rule: &rules::PRIVATE_KEY,
        provider: "PEM/OpenSSH",
        kind: "private key",
        keywords: &["PRIVATE KEY"],
        // The header only: the engine extends the span to the matching END
        // line (bounded) and checks the body in between.
        pattern: r"(?P<s>-----BEGIN[ A-Z0-9_\-]{0,100}PRIVATE KEY(?: BLOCK)?-----)",
        check: Check::PrivateKeyBody,
        confidence: Confidence::High,
        shown_prefix: 0,
    },
    Detector {
        rule: &rules::JWT,
        provider: "JWT",
        kind: "token",
        keywords: &["eyJ"],
        pattern: tok!(r"eyJ[0-9A-Za-z_\-]{15,}\.eyJ[0-9A-Za-z_\-]{15,}\.[0-9A-Za-z_\-]*"),
        check: Check::Jwt,
        confidence: Confidence::High,
        shown_prefix: 0,
    },
    Detector {
        rule: &rules::DATABASE_URL,
        provider: "connection URL",
        kind: "password",
        keywords: &["://"],
        pattern: r#"(?P<scheme>(?i-u:(?:jdbc:)?(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|sqlserver|oracle|cockroachdb|clickhouse|couchdb|neo4j(?:\+s)?|bolt|ldaps?|ftps?|sftp|smtps?)))://(?P<user>[!-~&&[^:/?#@'"`]]+):(?P<s>[!-~&&[^@/?#'"`]]+)@(?P<host>[!-~&&[^/?#:'"`,;)]]+)"#,
        check: Check::UrlPassword,
        confidence: Confidence::High,
        shown_prefix: 0,
    },
    Detector {
        rule: &rules::GENERIC_SECRET,
        provider: "generic",
        kind: "secret",
        // Specific enough that ordinary code (`key`, `pass`) does not open a
        // window at every line.
        keywords: &[
            "passw",
            "passphrase",
            "pwd",
            "secret",
            "token",
            "credential",
            "apikey",
            "api_key",
            "api-key",
            "api.key",
            "accesskey",
            "access_key",
            "access-key",
            "access.key",
            "privatekey",
            "private_key",
            "private-key",
            "private.key",
            "authkey",
            "auth_key",
            "auth-key",
            "auth.key",
            "signingkey",
            "signing_key",
            "signing-key",
            "signing.key",
            "encryptionkey",
            "encryption_key",
            "encryption-key",
            "encryption.key",
        ],
        pattern: r#"(?P<key>[0-9A-Za-z_.\-]*(?i-u:password|passwd|passphrase|pwd|secret|token|api[_.\-]?key|apikey|access[_.\-]?key|private[_.\-]?key|auth[_.\-]?key|signing[_.\-]?key|encryption[_.\-]?key|credentials?)[0-9A-Za-z_.\-]*)(?P<kq>["'`]?)\]?(?:[ \t]*:?[ \t]*[A-Za-z_][0-9A-Za-z_.\[\]|]*[ \t]*)?[ \t]*(?:=>|:=|==|[:=])[ \t]*(?P<q>["'`]?)(?P<s>[!-~&&[^"'`;,)\]}]]+)"#,
        check: Check::Generic,
        confidence: Confidence::Medium,
        shown_prefix: 0,
    },
];

/// The AWS secret access key that goes with an id: 40 characters after a
/// name that says so.
pub(crate) const AWS_SECRET_PATTERN: &str = r#"(?i-u:(?:aws)?[_.\-]?(?:secret[_.\-]?access[_.\-]?key|secret[_.\-]?key|secretaccesskey))["'`]?[ \t]*(?:=>|:=|==|[:=])[ \t]*["'`]?(?P<s>[A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"#;

/// How far (in lines) an AWS secret may sit from its key id.
pub(crate) const AWS_PAIR_LINES: u32 = 10;

/// Stripe: test-mode keys are low severity.
pub(crate) fn stripe_severity(secret: &str, rule_severity: Severity) -> Severity {
    if secret.contains("_test_") {
        Severity::Low
    } else {
        rule_severity
    }
}

pub(crate) fn crc_ok(secret: &str, prefix_len: usize) -> bool {
    secret.get(prefix_len..).is_some_and(crc32_base62_ok)
}

/// The decoded JWT header has an `alg`; returns it.
pub(crate) fn jwt_alg(token: &str) -> Option<String> {
    let header = token.split('.').next()?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header.trim_end_matches('='))
        .ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    value.as_object()?.get("alg")?.as_str().map(str::to_owned)
}

/// The body of a private key block holds real key material: at least 64
/// base64 characters once headers, line breaks and string escapes are removed,
/// and no placeholder text.
pub(crate) fn private_key_body(block: &str) -> Option<String> {
    let after_begin = block.get(5..)?.split_once("-----")?.1;
    let body = after_begin.rsplit_once("-----END")?.0;
    let mut material = String::new();
    for raw_line in body.split('\n') {
        // A key embedded in a string literal carries `\n` escapes.
        for line in raw_line.split("\\n") {
            let line = line
                .trim()
                .trim_matches(|c| c == '"' || c == '\'' || c == ',' || c == '+');
            let line = line.trim();
            if line.is_empty() || line.contains(':') {
                // Proc-Type / DEK-Info / Comment headers.
                continue;
            }
            if line.contains("...") || line.contains("xxx") || line.contains('<') {
                return None;
            }
            if !line
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=')
            {
                return None;
            }
            material.push_str(line);
        }
    }
    (material.len() >= 64).then_some(material)
}

/// Key names that contain a secret word but do not hold a secret.
const GENERIC_KEY_STOPWORDS: &[&str] = &[
    "public",
    "publishable",
    "_id",
    "-id",
    ".id",
    "name",
    "url",
    "uri",
    "endpoint",
    "path",
    "file",
    "dir",
    "type",
    "length",
    "len",
    "size",
    "min",
    "max",
    "count",
    "format",
    "field",
    "label",
    "prompt",
    "hint",
    "placeholder",
    "pattern",
    "regex",
    "version",
    "header",
    "policy",
    "expir",
    "ttl",
    "timeout",
    "mode",
    "enabled",
    "required",
    "valid",
    "env_var",
    "variable",
    "prefix",
    "suffix",
    "keyboard",
    "keyword",
    "keys_",
    "monkey",
    "donkey",
    "turkey",
    "hockey",
    "jockey",
    "lookup",
    "reset",
    "forgot",
    "strength",
    "policy",
    "hash",
    "digest",
    "salt_rounds",
    "tokenizer",
    "tokens_",
    "max_tokens",
    "token_count",
    "token_limit",
    "bypass",
    "passage",
    "passenger",
    "compass",
    "passive",
    "passthrough",
];

/// Why a key name is not secret-looking after all.
pub(crate) fn generic_key_stopword(key: &str) -> Option<&'static str> {
    let lower = key.to_ascii_lowercase();
    if lower.ends_with("id") && !lower.ends_with("pwd") {
        return Some("_id");
    }
    GENERIC_KEY_STOPWORDS
        .iter()
        .copied()
        .find(|w| lower.contains(w))
}

/// The generic rule's value tests after the placeholder filter: returns the
/// reason a value is rejected, or `None` for a likely secret.
pub(crate) fn generic_value_reject(
    key: &str,
    value: &str,
    min_entropy: f64,
) -> Option<&'static str> {
    let n = value.chars().count();
    if !(10..=200).contains(&n) {
        return Some("length outside 10..=200");
    }
    // `_`, `-` and `.` are identifier and word punctuation
    // (`_RSAPrivateKey`, `my-app.name`): they do not count as the symbol.
    if !value
        .chars()
        .any(|c| c.is_ascii_digit() || !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
    {
        return Some("no digit or symbol");
    }
    if value.contains("://") || value.starts_with('/') || value.starts_with("./") {
        return Some("URL or path");
    }
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    if norm(key).ends_with(&norm(value)) || norm(value) == norm(key) {
        return Some("value equals its key name");
    }
    // An identifier or call (`getPassword()`, `config.token`, `self.key`)
    // is not a literal.
    if value.contains('(') || value.starts_with("self.") || value.starts_with("this.") {
        return Some("expression, not a literal");
    }
    if value
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '_')
    {
        return Some("number or version");
    }
    if super::filters::shannon_entropy(value) < min_entropy {
        return Some("entropy below threshold");
    }
    None
}

/// `8-4-4-4-12` hex: an identifier far more often than a credential.
pub(crate) fn is_uuid(v: &str) -> bool {
    let parts: Vec<&str> = v.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Hosts that only exist on the developer's machine.
pub(crate) fn is_local_host(host: &str) -> bool {
    let h = host.to_ascii_lowercase();
    h == "localhost"
        || h.starts_with("127.")
        || h == "0.0.0.0"
        || h == "[::1]"
        || h.ends_with(".local")
        || h.ends_with(".localhost")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles_with_a_secret_group() {
        for d in DETECTORS {
            let re = regex::Regex::new(d.pattern).unwrap_or_else(|e| panic!("{}: {e}", d.rule.id));
            assert!(
                re.capture_names().any(|n| n == Some("s")),
                "{} has no `s` group",
                d.rule.id
            );
            assert!(!d.keywords.is_empty(), "{}", d.rule.id);
        }
        assert!(regex::Regex::new(AWS_SECRET_PATTERN).is_ok());
    }

    #[test]
    fn jwt_header_must_be_json_with_alg() {
        let enc = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let tok = format!(
            "{}.{}.sig",
            enc(r#"{"alg":"HS256","typ":"JWT"}"#),
            enc("{}")
        );
        assert_eq!(jwt_alg(&tok).as_deref(), Some("HS256"));
        let no_alg = format!("{}.x.y", enc(r#"{"typ":"JWT"}"#));
        assert_eq!(jwt_alg(&no_alg), None);
        assert_eq!(jwt_alg("eyJub3QganNvbg.x.y"), None);
    }

    #[test]
    fn generic_value_tests() {
        assert_eq!(
            generic_value_reject("password", "x8Fq2LmZ0pRt7VwK", 3.5),
            None
        );
        assert!(generic_value_reject("password", "short1", 3.5).is_some());
        assert!(generic_value_reject("password", "onlyletterswords", 3.5).is_some());
        assert!(generic_value_reject("db_password", "get_password()", 3.5).is_some());
        assert!(generic_value_reject("token", "1.2.3.4.5.6.7", 3.5).is_some());
        assert!(generic_value_reject("api_key", "aaaaaaaa11", 3.5).is_some());
        assert!(generic_value_reject("private_key", "_EllipticCurvePrivateKey", 3.5).is_some());
        assert!(generic_value_reject("token", "my-service.auth-token_name", 3.5).is_some());
        assert!(generic_key_stopword("public_key").is_some());
        assert!(generic_key_stopword("client_id").is_some());
        assert!(generic_key_stopword("monkey").is_some());
        assert_eq!(generic_key_stopword("client_secret"), None);
        assert_eq!(generic_key_stopword("DB_PASSWORD"), None);
        assert!(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
        assert!(!is_uuid("123e4567e89b12d3a456426614174000"));
    }
}
