//! The secret rules: one row per detector family, in the same [`Rule`] form as
//! every other layer's table, so the owasp layer can append them to its own.

use guard_core::{Rule, Severity};

const TAGS: &[&str] = &["CWE-798", "OWASP:A07:2021"];
const CWE_798: &str = "https://cwe.mitre.org/data/definitions/798.html";
const OWASP_A07: &str =
    "https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/";
const ROTATE: &str = "Revoke and rotate the credential now (it is in the repository history even after the line is deleted), then load it at run time from the environment or a secret manager.";

pub static AWS_KEY_PAIR: Rule = Rule {
    id: "OWASP-SECRET-001",
    severity: Severity::Critical,
    title: "AWS access key id with its secret access key in source",
    rationale: "An access key id next to its 40-character secret is a complete, usable AWS credential: anyone who can read the file can act as that IAM user.",
    remediation: ROTATE,
    tags: TAGS,
    references: &[
        CWE_798,
        OWASP_A07,
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
    ],
};

pub static AWS_KEY_ID: Rule = Rule {
    id: "OWASP-SECRET-002",
    severity: Severity::Medium,
    title: "AWS access key id in source",
    rationale: "An access key id alone cannot sign requests, but it names the account and the IAM user, and its secret is usually close by (another file, another commit).",
    remediation: ROTATE,
    tags: TAGS,
    references: &[
        CWE_798,
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
    ],
};

pub static GITHUB_TOKEN: Rule = Rule {
    id: "OWASP-SECRET-003",
    severity: Severity::Critical,
    title: "GitHub token (ghp_/gho_/ghu_/ghs_/ghr_) in source",
    rationale: "GitHub classic tokens carry a CRC32 checksum; one that verifies is a real token format and grants the owner's repository and organisation access.",
    remediation: ROTATE,
    tags: TAGS,
    references: &[
        CWE_798,
        "https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/",
    ],
};

pub static GITHUB_FINE_GRAINED: Rule = Rule {
    id: "OWASP-SECRET-004",
    severity: Severity::Critical,
    title: "GitHub fine-grained personal access token in source",
    rationale: "A `github_pat_` token authenticates as its owner to every repository it was granted.",
    remediation: ROTATE,
    tags: TAGS,
    references: &[
        CWE_798,
        "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/managing-your-personal-access-tokens",
    ],
};

pub static NPM_TOKEN: Rule = Rule {
    id: "OWASP-SECRET-005",
    severity: Severity::High,
    title: "npm access token in source",
    rationale: "An npm token with a valid checksum can publish packages as its owner: a supply-chain compromise of every user of those packages.",
    remediation: ROTATE,
    tags: TAGS,
    references: &[CWE_798, "https://docs.npmjs.com/about-access-tokens"],
};

pub static GITLAB_TOKEN: Rule = Rule {
    id: "OWASP-SECRET-006",
    severity: Severity::High,
    title: "GitLab token (glpat-, glptt-, gldt-, glrt-, ...) in source",
    rationale: "GitLab personal, pipeline-trigger, deploy and runner tokens give API or repository access to the projects they were issued for.",
    remediation: ROTATE,
    tags: TAGS,
    references: &[
        CWE_798,
        "https://docs.gitlab.com/ee/security/tokens/",
    ],
};

pub static SLACK_TOKEN: Rule = Rule {
    id: "OWASP-SECRET-007",
    severity: Severity::High,
    title: "Slack API token (xoxb-, xoxp-, xapp-, ...) in source",
    rationale: "Slack bot, user and app tokens read and post messages in the workspace, including private channels the token can see.",
    remediation: ROTATE,
    tags: TAGS,
    references: &[CWE_798, "https://api.slack.com/authentication/token-types"],
};

pub static SLACK_WEBHOOK: Rule = Rule {
    id: "OWASP-SECRET-008",
    severity: Severity::Medium,
    title: "Slack incoming webhook URL in source",
    rationale: "Anyone holding the webhook URL can post messages to its channel, e.g. convincing phishing links from a trusted integration.",
    remediation: ROTATE,
    tags: TAGS,
    references: &[CWE_798, "https://api.slack.com/messaging/webhooks"],
};

pub static STRIPE_KEY: Rule = Rule {
    id: "OWASP-SECRET-009",
    severity: Severity::Critical,
    title: "Stripe secret or restricted key in source",
    rationale: "A live `sk_`/`rk_` key moves money and reads customer payment data; test-mode keys (lower severity) still expose the account's test data and settings.",
    remediation: ROTATE,
    tags: TAGS,
    references: &[CWE_798, "https://docs.stripe.com/keys"],
};

pub static GOOGLE_API_KEY: Rule = Rule {
    id: "OWASP-SECRET-010",
    severity: Severity::High,
    title: "Google API key in source",
    rationale: "An `AIza` key bills its project for every call made with it and, unless restricted, works for every enabled API.",
    remediation: "Restrict the key to the APIs and referrers that need it, rotate it, and load it from configuration instead of source.",
    tags: TAGS,
    references: &[
        CWE_798,
        "https://cloud.google.com/docs/authentication/api-keys",
    ],
};

pub static ANTHROPIC_KEY: Rule = Rule {
    id: "OWASP-SECRET-011",
    severity: Severity::Critical,
    title: "Anthropic API or admin key in source",
    rationale: "An `sk-ant-api03-` key spends the organisation's credits; an `sk-ant-admin01-` key manages its members and keys.",
    remediation: ROTATE,
    tags: TAGS,
    references: &[CWE_798, "https://docs.anthropic.com/en/api/getting-started"],
};

pub static OPENAI_KEY: Rule = Rule {
    id: "OWASP-SECRET-012",
    severity: Severity::Critical,
    title: "OpenAI API key in source",
    rationale: "An OpenAI key (marked by `T3BlbkFJ`, base64 of \"OpenAI\") spends the project's credits and reads its files and fine-tunes.",
    remediation: ROTATE,
    tags: TAGS,
    references: &[
        CWE_798,
        "https://platform.openai.com/docs/api-reference/authentication",
    ],
};

pub static PRIVATE_KEY: Rule = Rule {
    id: "OWASP-SECRET-013",
    severity: Severity::Critical,
    title: "Private key block in source",
    rationale: "A PEM/OpenSSH private key with its body present lets anyone impersonate the server, sign as the user or decrypt the traffic it protects.",
    remediation: "Revoke the key pair, issue a new one, and keep private keys out of the repository (a secret manager, or a mounted file listed in .gitignore).",
    tags: TAGS,
    references: &[CWE_798, CWE_321_REF],
};
const CWE_321_REF: &str = "https://cwe.mitre.org/data/definitions/321.html";

pub static JWT: Rule = Rule {
    id: "OWASP-SECRET-014",
    severity: Severity::Medium,
    title: "JSON Web Token in source",
    rationale: "A committed JWT is a bearer credential until it expires (often never for service tokens), and its claims reveal user and system details.",
    remediation: "Remove the token, invalidate it (rotate the signing key if it cannot be revoked), and obtain tokens at run time.",
    tags: TAGS,
    references: &[CWE_798, "https://datatracker.ietf.org/doc/html/rfc7519"],
};

pub static DATABASE_URL: Rule = Rule {
    id: "OWASP-SECRET-015",
    severity: Severity::High,
    title: "Connection URL with an embedded password",
    rationale: "A database or broker URL with `user:password@host` hands the database credentials to everyone who can read the file or its history.",
    remediation: "Keep the password out of the URL in source: read the whole URL, or the password alone, from the environment or a secret manager.",
    tags: TAGS,
    references: &[CWE_798, OWASP_A07],
};

pub static GENERIC_SECRET: Rule = Rule {
    id: "OWASP-SECRET-016",
    severity: Severity::Medium,
    title: "High-entropy literal assigned to a secret-looking name",
    rationale: "A random-looking literal (at least 3.5 bits per character, with digits or symbols) assigned to a name such as password, secret, token or api_key is very likely a hard-coded credential.",
    remediation: "Load the value from the environment or a secret manager; if it is not a secret, rename the variable or add `guard:ignore[OWASP-SECRET-016] reason`.",
    tags: TAGS,
    references: &[CWE_798, OWASP_A07],
};

/// Every secret rule, in id order: append to the owasp layer's rule table.
pub static RULES: &[Rule] = &[
    AWS_KEY_PAIR,
    AWS_KEY_ID,
    GITHUB_TOKEN,
    GITHUB_FINE_GRAINED,
    NPM_TOKEN,
    GITLAB_TOKEN,
    SLACK_TOKEN,
    SLACK_WEBHOOK,
    STRIPE_KEY,
    GOOGLE_API_KEY,
    ANTHROPIC_KEY,
    OPENAI_KEY,
    PRIVATE_KEY,
    JWT,
    DATABASE_URL,
    GENERIC_SECRET,
];

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id.eq_ignore_ascii_case(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_unique_sorted_and_cwe_first() {
        for w in RULES.windows(2) {
            assert!(w[0].id < w[1].id, "{} before {}", w[0].id, w[1].id);
        }
        for r in RULES {
            assert_eq!(r.tags.first(), Some(&"CWE-798"), "{}", r.id);
            assert!(r.tags.contains(&"OWASP:A07:2021"), "{}", r.id);
            assert!(!r.references.is_empty(), "{}", r.id);
            assert!(
                !r.remediation.is_empty() && !r.rationale.is_empty(),
                "{}",
                r.id
            );
        }
        assert_eq!(
            rule("owasp-secret-013").map(|r| r.id),
            Some("OWASP-SECRET-013")
        );
    }
}
