//! The owasp rule table: the single source for `guard rules owasp`,
//! `guard explain`, SARIF rule metadata and finding tags. The first tag of
//! every rule is its primary CWE.

use crate::engine::tables::{self, Kinds};
use guard_core::{Confidence, Rule, Severity};
use std::sync::OnceLock;

macro_rules! rule {
    ($id:expr, $sev:ident, $title:expr, $why:expr, $fix:expr, [$($tag:expr),*], [$($r:expr),*]) => {
        Rule {
            id: $id,
            severity: Severity::$sev,
            title: $title,
            rationale: $why,
            remediation: $fix,
            tags: &[$($tag),*],
            references: &[$($r),*],
        }
    };
}

pub const SQLI: &str = "OWASP-SQLI-001";
pub const CMDI: &str = "OWASP-CMDI-001";
pub const CODE: &str = "OWASP-CODE-001";
pub const PATH: &str = "OWASP-PATH-001";
pub const SSRF: &str = "OWASP-SSRF-001";
pub const XSS: &str = "OWASP-XSS-001";
pub const DESER: &str = "OWASP-DESER-001";
pub const HASH: &str = "OWASP-CRYPTO-001";
pub const CIPHER: &str = "OWASP-CRYPTO-002";
pub const RANDOM: &str = "OWASP-RAND-001";
pub const XXE: &str = "OWASP-XXE-001";
pub const LDAP: &str = "OWASP-LDAP-001";
pub const XPATH: &str = "OWASP-XPATH-001";
pub const REDIRECT: &str = "OWASP-REDIRECT-001";
pub const TRUST: &str = "OWASP-TRUST-001";
pub const COOKIE_SECURE: &str = "OWASP-COOKIE-001";
pub const COOKIE_HTTPONLY: &str = "OWASP-COOKIE-002";
pub const CSRF: &str = "OWASP-CSRF-001";
pub const TLS: &str = "OWASP-TLS-001";
pub const DEBUG: &str = "OWASP-DEBUG-001";
pub const CSP: &str = "OWASP-CSP-001";
pub const JWT: &str = "OWASP-JWT-001";

pub static RULES: &[Rule] = &[
    rule!(SQLI, Critical, "SQL injection: request data reaches a SQL query",
        "A query built from request data lets the caller change its meaning: read or modify any row, bypass authentication, sometimes run commands on the database host.",
        "Pass values as bound parameters (`cursor.execute(\"... WHERE id = ?\", (id,))`, `PreparedStatement.setString`), never by concatenating or formatting them into the SQL text.",
        ["CWE-89", "OWASP:A03:2021", "OWASP:A05:2025"],
        ["https://cwe.mitre.org/data/definitions/89.html", "https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html"]),
    rule!(CMDI, Critical, "OS command injection: request data reaches a command",
        "A shell command or program name built from request data lets the caller run any command with the server's rights.",
        "Run a fixed program with an argument list and no shell (`subprocess.run([\"ls\", path])`, `exec.Command(\"ls\", path)`); quote with `shlex.quote` only when a shell cannot be avoided.",
        ["CWE-78", "CWE-77", "OWASP:A03:2021", "OWASP:A05:2025"],
        ["https://cwe.mitre.org/data/definitions/78.html", "https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html"]),
    rule!(CODE, Critical, "Code injection: request data is evaluated as code",
        "eval/exec/new Function/ScriptEngine.eval of request data runs the caller's code inside the application.",
        "Never evaluate request data; parse it (`json.loads`, `ast.literal_eval`) or map it to a fixed set of operations.",
        ["CWE-94", "CWE-95", "OWASP:A03:2021", "OWASP:A05:2025"],
        ["https://cwe.mitre.org/data/definitions/94.html"]),
    rule!(PATH, High, "Path traversal: request data names a file",
        "A file path built from request data can use `..` or an absolute path to read or overwrite files outside the intended directory.",
        "Reduce the name to a basename (`secure_filename`, `filepath.Base`), or resolve the path and check it stays under the base directory (`realpath(p).startswith(base)`), or serve with `send_from_directory`.",
        ["CWE-22", "CWE-23", "OWASP:A01:2021", "OWASP:A01:2025"],
        ["https://cwe.mitre.org/data/definitions/22.html"]),
    rule!(SSRF, High, "Server-side request forgery: request data chooses the URL fetched",
        "The server fetches a URL the caller controls, reaching internal services and cloud metadata endpoints the caller cannot reach directly.",
        "Allow-list the scheme and host of the parsed URL before fetching, or build the URL from a fixed base and an encoded path component.",
        ["CWE-918", "OWASP:A10:2021", "OWASP:A01:2025"],
        ["https://cwe.mitre.org/data/definitions/918.html", "https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html"]),
    rule!(XSS, High, "Cross-site scripting: request data is written into HTML unescaped",
        "Request data written to an HTML response, into innerHTML or through a mark-safe escape hatch runs as script in other users' browsers.",
        "Let the template engine escape (Jinja/Django autoescape, React JSX text), or escape explicitly (`html.escape`, `encodeForHTML`, `html.EscapeString`); never mark request data as safe HTML.",
        ["CWE-79", "CWE-80", "OWASP:A03:2021", "OWASP:A05:2025"],
        ["https://cwe.mitre.org/data/definitions/79.html", "https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html"]),
    rule!(DESER, Critical, "Insecure deserialisation of untrusted data",
        "pickle, unsafe YAML loaders, Java ObjectInputStream and similar formats can construct arbitrary objects and run code while loading.",
        "Use a data-only format (JSON) or a safe loader (`yaml.safe_load`, `SafeConstructor`, an `ObjectInputFilter` allow-list).",
        ["CWE-502", "OWASP:A08:2021", "OWASP:A08:2025"],
        ["https://cwe.mitre.org/data/definitions/502.html", "https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html"]),
    rule!(HASH, Medium, "Weak hash algorithm (MD5, SHA-1, MD4, MD2)",
        "MD5 and SHA-1 have practical collisions and are fast to brute force; they must not protect passwords, signatures or integrity.",
        "Use SHA-256 or better for integrity, and a password hash (argon2, scrypt, bcrypt, PBKDF2) for passwords; pass `usedforsecurity=False` when the hash is not a security control.",
        ["CWE-328", "CWE-327", "CWE-916", "OWASP:A02:2021", "OWASP:A04:2025"],
        ["https://cwe.mitre.org/data/definitions/328.html"]),
    rule!(CIPHER, High, "Weak cipher or mode (DES, 3DES, RC4, Blowfish, ECB)",
        "DES and RC4 are broken, 3DES and Blowfish have 64-bit blocks, and ECB leaks patterns of the plaintext.",
        "Use AES-GCM or ChaCha20-Poly1305 from a maintained library (`AES/GCM/NoPadding`, `cryptography` AESGCM).",
        ["CWE-327", "CWE-326", "OWASP:A02:2021", "OWASP:A04:2025"],
        ["https://cwe.mitre.org/data/definitions/327.html"]),
    rule!(RANDOM, Medium, "Predictable random number generator",
        "random, Math.random, math/rand and java.util.Random are predictable; tokens, passwords, keys and nonces made from them can be guessed.",
        "Use a CSPRNG: `secrets`, `os.urandom`, `crypto.randomBytes`/`getRandomValues`, `crypto/rand`, `SecureRandom`.",
        ["CWE-330", "CWE-338", "OWASP:A02:2021", "OWASP:A04:2025"],
        ["https://cwe.mitre.org/data/definitions/330.html"]),
    rule!(XXE, High, "XML parser resolves external entities (XXE)",
        "A parser that processes DTDs and external entities lets a document read local files and make network requests.",
        "Disable DTDs (`disallow-doctype-decl`), external entities and entity expansion, or use defusedxml.",
        ["CWE-611", "CWE-776", "OWASP:A05:2021", "OWASP:A02:2025"],
        ["https://cwe.mitre.org/data/definitions/611.html", "https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html"]),
    rule!(LDAP, High, "LDAP injection: request data reaches an LDAP filter",
        "A filter built from request data can be widened (`*)(uid=*`) to read or authenticate as other entries.",
        "Escape values with the library's filter escaper (`escape_filter_chars`, `ldap.EscapeFilter`, `encodeForLDAP`).",
        ["CWE-90", "OWASP:A03:2021", "OWASP:A05:2025"],
        ["https://cwe.mitre.org/data/definitions/90.html"]),
    rule!(XPATH, High, "XPath injection: request data reaches an XPath expression",
        "An XPath expression built from request data can be rewritten to select other nodes.",
        "Use bound XPath variables (`XPathVariableResolver`, lxml `xpath(expr, name=value)`) instead of concatenation.",
        ["CWE-643", "OWASP:A03:2021", "OWASP:A05:2025"],
        ["https://cwe.mitre.org/data/definitions/643.html"]),
    rule!(REDIRECT, Medium, "Open redirect: request data chooses the redirect target",
        "Redirecting to a caller-chosen URL lends the site's name to phishing and token theft.",
        "Redirect only to relative paths or allow-listed hosts (`url_has_allowed_host_and_scheme`), or map names to fixed URLs.",
        ["CWE-601", "OWASP:A01:2021", "OWASP:A01:2025"],
        ["https://cwe.mitre.org/data/definitions/601.html"]),
    rule!(TRUST, Medium, "Trust boundary violation: request data stored in the session",
        "The session is trusted server-side state; storing unvalidated request data in it lets later code trust what the caller chose.",
        "Validate the value (type, allow-list) before storing it in the session.",
        ["CWE-501", "OWASP:A04:2021", "OWASP:A06:2025"],
        ["https://cwe.mitre.org/data/definitions/501.html"]),
    rule!(COOKIE_SECURE, Medium, "Cookie without the Secure flag",
        "A cookie without Secure is also sent over plain HTTP, where it can be read on the network.",
        "Set `secure=True` / `setSecure(true)` / `{ secure: true }` (and SESSION_COOKIE_SECURE for framework sessions).",
        ["CWE-614", "OWASP:A05:2021", "OWASP:A02:2025"],
        ["https://cwe.mitre.org/data/definitions/614.html"]),
    rule!(COOKIE_HTTPONLY, Low, "Cookie without the HttpOnly flag",
        "A cookie without HttpOnly can be read by script, so one XSS steals it.",
        "Set `httponly=True` / `setHttpOnly(true)` / `{ httpOnly: true }`.",
        ["CWE-1004", "OWASP:A05:2021", "OWASP:A02:2025"],
        ["https://cwe.mitre.org/data/definitions/1004.html"]),
    rule!(CSRF, High, "CSRF protection disabled",
        "With CSRF protection off, another site can make a logged-in user's browser submit state-changing requests.",
        "Keep the framework's CSRF protection on; exempt only endpoints that do not use cookie authentication.",
        ["CWE-352", "OWASP:A01:2021", "OWASP:A01:2025"],
        ["https://cwe.mitre.org/data/definitions/352.html"]),
    rule!(TLS, High, "TLS certificate verification disabled",
        "Without certificate and host name checks anyone on the path can impersonate the server and read or change the traffic.",
        "Remove `verify=False` / `rejectUnauthorized: false` / `InsecureSkipVerify: true`; trust a private CA by configuring its bundle instead.",
        ["CWE-295", "CWE-297", "OWASP:A07:2021", "OWASP:A07:2025"],
        ["https://cwe.mitre.org/data/definitions/295.html"]),
    rule!(DEBUG, Medium, "Debug mode enabled",
        "Debug mode exposes stack traces, settings and (Werkzeug) an interactive console that runs code.",
        "Read debug from the environment and keep it off in production (`app.run(debug=False)`, `DEBUG = False`).",
        ["CWE-489", "CWE-215", "OWASP:A05:2021", "OWASP:A02:2025"],
        ["https://cwe.mitre.org/data/definitions/489.html"]),
    rule!(CSP, Low, "Content-Security-Policy disabled",
        "Without a CSP, any injected script runs with the page's rights; a CSP is the second line of defence against XSS.",
        "Keep helmet's/Talisman's CSP on and tighten it instead of disabling it.",
        ["CWE-693", "CWE-1021", "OWASP:A05:2021", "OWASP:A02:2025"],
        ["https://cheatsheetseries.owasp.org/cheatsheets/Content_Security_Policy_Cheat_Sheet.html"]),
    rule!(JWT, High, "JWT accepted without signature verification or with alg none",
        "A token whose signature is not verified, or that may use `alg: none`, can be forged by anyone.",
        "Verify every token with a fixed algorithm list and key (`jwt.decode(t, key, algorithms=[\"HS256\"])`, `jwt.verify`, `Jwts.parser().verifyWith(key)`).",
        ["CWE-347", "CWE-345", "OWASP:A02:2021", "OWASP:A04:2025"],
        ["https://cwe.mitre.org/data/definitions/347.html"]),
];

/// Rule of a taint kind.
pub fn rule_for_kind(k: Kinds) -> &'static str {
    match k {
        tables::SQL => SQLI,
        tables::CMD => CMDI,
        tables::CODE => CODE,
        tables::PATH => PATH,
        tables::SSRF => SSRF,
        tables::XSS => XSS,
        tables::DESER => DESER,
        tables::LDAP => LDAP,
        tables::XPATH => XPATH,
        tables::REDIRECT => REDIRECT,
        _ => TRUST,
    }
}

/// The layer's one rule table: the source-code rules ([`RULES`]) followed by
/// the secret detectors' ([`crate::secrets::RULES`]).
pub fn all() -> &'static [Rule] {
    static ALL: OnceLock<Vec<Rule>> = OnceLock::new();
    ALL.get_or_init(|| {
        RULES
            .iter()
            .chain(crate::secrets::RULES.iter())
            .copied()
            .collect()
    })
}

/// A rule of the layer's table (source-code or secret rule) by its id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    all().iter().find(|r| r.id == id)
}

/// Confidence of a finding of the rule when nothing lowers it.
pub fn default_confidence(id: &str) -> Confidence {
    match id {
        RANDOM | COOKIE_HTTPONLY | CSP | DEBUG => Confidence::Medium,
        _ => Confidence::High,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_cwe_first_and_owasp_tags() {
        for r in RULES {
            assert!(r.tags[0].starts_with("CWE-"), "{}", r.id);
            assert!(r.tags.iter().any(|t| t.ends_with(":2021")), "{}", r.id);
            assert!(!r.references.is_empty(), "{}", r.id);
        }
        let mut ids: Vec<_> = all().iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len() + crate::secrets::RULES.len());
        assert!(rule("OWASP-SECRET-003").is_some());
        assert!(rule("OWASP-SQLI-001").is_some());
    }

    #[test]
    fn each_taint_kind_has_its_rule() {
        for (name, k) in tables::KIND_NAMES {
            if *name != "all" {
                assert!(rule(rule_for_kind(*k)).is_some(), "{name}");
            }
        }
    }
}
