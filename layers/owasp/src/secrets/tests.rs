//! Per-detector tests: a positive, a negative and a placeholder case each, with
//! every credential built at run time by [`super::testkit`].

use super::testkit::{self, alnum, fixture_values};
use super::*;

fn scan(path: &str, text: &str) -> Vec<SecretHit> {
    let hits = scan_text(path, text, &ScanOptions::default());
    for h in &hits {
        let secret = &text[h.byte_range.clone()];
        // Evidence and snippet never carry the secret in clear.
        if secret.len() >= 8 {
            assert!(
                !h.evidence.contains(secret),
                "evidence leaks: {}",
                h.evidence
            );
            assert!(!h.snippet.contains(secret), "snippet leaks: {}", h.snippet);
        }
    }
    hits
}

fn ids(hits: &[SecretHit]) -> Vec<&'static str> {
    hits.iter().map(|h| h.rule_id).collect()
}

fn val(name: &str) -> String {
    fixture_values(7)
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
        .unwrap_or_default()
}

#[test]
fn github_classic_checksum_verified() {
    let tok = testkit::github_classic(1);
    let hits = scan("src/app.py", &format!("TOKEN = \"{tok}\"\n"));
    assert_eq!(ids(&hits), ["OWASP-SECRET-003"]);
    assert_eq!(hits[0].confidence, Confidence::High);
    assert!(hits[0].notes.iter().any(|n| n.contains("checksum")));
    assert!(hits[0].evidence.starts_with("ghp_...(40 chars, sha256:"));
    assert_eq!(hits[0].start.col_char, 10);
    assert_eq!(hits[0].end.col_char, 50);
}

#[test]
fn github_classic_failing_checksum_dropped() {
    let hits = scan(
        "src/app.py",
        &format!("x = '{}'\n", val("GITHUB_CLASSIC_BAD")),
    );
    assert!(ids(&hits).is_empty(), "{hits:?}");
}

#[test]
fn github_classic_placeholder_dropped() {
    let tok = format!("{}{}", ["gh", "p_"].concat(), "x".repeat(36));
    assert!(scan("a.py", &format!("t = '{tok}'")).is_empty());
}

#[test]
fn github_fine_grained() {
    let hits = scan("ci.yml", &format!("token: {}\n", val("GITHUB_FINE")));
    assert_eq!(ids(&hits), ["OWASP-SECRET-004"]);
    let short = format!("{}{}", ["github", "_pat_"].concat(), alnum(1, 30));
    assert!(!ids(&scan("ci.yml", &format!("token: {short}\n"))).contains(&"OWASP-SECRET-004"));
}

#[test]
fn npm_checksum() {
    let tok = testkit::npm(3);
    let hits = scan(
        ".npmrc",
        &format!("//registry.npmjs.org/:_authToken={tok}\n"),
    );
    assert_eq!(ids(&hits), ["OWASP-SECRET-005"]);
    let mut bad = tok.clone();
    bad.replace_range(39..40, if &tok[39..40] == "a" { "b" } else { "a" });
    assert!(scan(".npmrc", &format!("_authToken={bad}\n")).is_empty());
}

#[test]
fn gitlab_tokens() {
    let hits = scan(
        "deploy.sh",
        &format!("curl -H 'PRIVATE-TOKEN: {}'\n", val("GITLAB")),
    );
    assert_eq!(ids(&hits), ["OWASP-SECRET-006"]);
    // Routable format: base + `.` + 2-char version + 7-char CRC field.
    let routable = format!(
        "{}{}.01{}",
        ["gl", "pat-"].concat(),
        alnum(5, 36),
        "a1b2c3d"
    );
    assert_eq!(
        ids(&scan("x.sh", &format!("T={routable}\n"))),
        ["OWASP-SECRET-006"]
    );
    // Too short, and a placeholder.
    assert!(scan(
        "x.sh",
        &format!("T={}{}\n", ["gl", "pat-"].concat(), alnum(1, 12))
    )
    .is_empty());
    assert!(scan("x.sh", "T=glpat-xxxxxxxxxxxxxxxxxxxx\n").is_empty());
}

#[test]
fn slack_token_and_webhook() {
    let text = format!(
        "bot = \"{}\"\nhook = \"{}\"\n",
        val("SLACK_BOT"),
        val("SLACK_HOOK")
    );
    let hits = scan("notify.py", &text);
    assert_eq!(ids(&hits), ["OWASP-SECRET-007", "OWASP-SECRET-008"]);
    assert!(scan(
        "n.py",
        "url = 'https://hooks.slack.com/services/T000/B000/XXXX'"
    )
    .is_empty());
}

#[test]
fn stripe_live_vs_test() {
    let text = format!(
        "LIVE = '{}'\nTEST = '{}'\n",
        val("STRIPE_LIVE"),
        val("STRIPE_TEST")
    );
    let hits = scan("billing.py", &text);
    assert_eq!(ids(&hits), ["OWASP-SECRET-009", "OWASP-SECRET-009"]);
    assert_eq!(hits[0].severity, Severity::Critical);
    assert_eq!(hits[1].severity, Severity::Low);
    // Publishable keys are public.
    let pk = format!("{}{}", ["pk_", "live_"].concat(), alnum(2, 24));
    assert!(scan("b.js", &format!("const k = '{pk}';")).is_empty());
}

#[test]
fn google_api_key() {
    let hits = scan("maps.js", &format!("const key = \"{}\";\n", val("GOOGLE")));
    assert_eq!(ids(&hits), ["OWASP-SECRET-010"]);
    let short = format!("{}{}", ["AI", "za"].concat(), alnum(2, 20));
    assert!(scan("maps.js", &format!("const k = \"{short}\";")).is_empty());
}

#[test]
fn anthropic_key() {
    let hits = scan(
        "agent.py",
        &format!("client = Anthropic(api_key=\"{}\")\n", val("ANTHROPIC")),
    );
    assert_eq!(ids(&hits), ["OWASP-SECRET-011"]);
    assert!(hits[0].evidence.starts_with("sk-ant-api03-..."));
    // Without the `AA` suffix it is not the format.
    let bad = format!("{}{}BB", ["sk-", "ant-api03-"].concat(), alnum(1, 93));
    assert!(ids(&scan("a.py", &format!("k = \"{bad}\""))).is_empty());
}

#[test]
fn openai_key() {
    let hits = scan(
        "llm.ts",
        &format!("const OPENAI = \"{}\";\n", val("OPENAI")),
    );
    assert_eq!(ids(&hits), ["OWASP-SECRET-012"]);
    let no_marker = format!("{}{}", ["sk-", "proj-"].concat(), alnum(4, 60));
    assert!(!ids(&scan("llm.ts", &format!("x(\"{no_marker}\")"))).contains(&"OWASP-SECRET-012"));
}

#[test]
fn private_key_needs_body() {
    let block = val("PRIVATE_KEY");
    let hits = scan("deploy/id_rsa", &format!("{block}\n"));
    assert_eq!(ids(&hits), ["OWASP-SECRET-013"]);
    assert_eq!(hits[0].start.line, 1);
    assert_eq!(hits[0].end.line, 8);
    assert!(hits[0]
        .evidence
        .starts_with("-----BEGIN RSA PRIVATE KEY-----...("));
    // Header only, or an elided body: documentation, not a key.
    let label = ["RSA PRIVATE", " KEY"].concat();
    assert!(scan("README.md", &format!("-----BEGIN {label}-----\n")).is_empty());
    let elided = format!("-----BEGIN {label}-----\nMIIEpAIBAAKCAQEA...\n-----END {label}-----\n");
    assert!(scan("README.md", &elided).is_empty());
    // Embedded in a string with `\n` escapes.
    let escaped = format!("key = \"{}\"\n", block.replace('\n', "\\n"));
    assert_eq!(ids(&scan("cfg.json", &escaped)), ["OWASP-SECRET-013"]);
}

#[test]
fn jwt_header_checked() {
    let hits = scan("client.js", &format!("auth = 'Bearer {}'\n", val("JWT")));
    assert_eq!(ids(&hits), ["OWASP-SECRET-014"]);
    assert!(hits[0].notes.iter().any(|n| n == "header alg HS256"));
    let enc = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    use base64::Engine as _;
    let no_alg = format!(
        "{}.{}.sig",
        enc(r#"{"typ":"JWT","kid":"abc"}"#),
        enc(r#"{"sub":"someone-here"}"#)
    );
    assert!(scan("client.js", &format!("t = '{no_alg}'")).is_empty());
}

#[test]
fn connection_urls() {
    let pw = val("DB_PASSWORD");
    let text = format!(
        "DATABASE_URL = \"postgresql://app:{pw}@db.internal:5432/app\"\nMONGO = \"mongodb+srv://svc:{pw}@cluster0.mongodb.net/x\"\n"
    );
    let hits = scan("settings.py", &text);
    assert_eq!(ids(&hits), ["OWASP-SECRET-015", "OWASP-SECRET-015"]);
    assert!(hits[0].evidence.starts_with("postgresql://app:****("));
    assert!(hits[0].evidence.ends_with("@db.internal"));
    // Local development hosts are low severity.
    let local = scan(
        "docker.env",
        &format!("DB=postgres://app:{pw}@localhost/app\n"),
    );
    assert_eq!(local[0].severity, Severity::Low);
    // Placeholders and variables.
    for p in [
        "postgres://user:password@host/db",
        "postgres://user:${DB_PASSWORD}@host/db",
        "mysql://root:<password>@host/db",
        "redis://:changeme@cache:6379",
        "postgres://user@host/db",
    ] {
        assert!(scan("s.py", &format!("u = \"{p}\"")).is_empty(), "{p}");
    }
}

#[test]
fn aws_id_with_and_without_secret() {
    let id = val("AWS_ID");
    let secret = val("AWS_SECRET");
    let pair = format!("[default]\naws_access_key_id = {id}\naws_secret_access_key = {secret}\n");
    let hits = scan("credentials.ini", &pair);
    assert_eq!(ids(&hits), ["OWASP-SECRET-001"], "{hits:?}");
    assert_eq!(hits[0].severity, Severity::Critical);
    assert!(hits[0]
        .notes
        .iter()
        .any(|n| n == "secret access key on line 3"));
    let alone = scan("app.py", &format!("KEY_ID = \"{id}\"\n"));
    assert_eq!(ids(&alone), ["OWASP-SECRET-002"]);
    assert_eq!(alone[0].severity, Severity::Medium);
    // The AWS documentation keys contain EXAMPLE.
    let doc = format!("{}{}", ["AK", "IA"].concat(), "IOSFODNN7EXAMPLE");
    assert!(scan("README.md", &format!("id = {doc}")).is_empty());
}

#[test]
fn generic_assignments() {
    let v = val("GENERIC");
    for (path, line) in [
        ("app.py", format!("password = \"{v}\"")),
        ("app.js", format!("const apiKey = '{v}';")),
        ("cfg.json", format!("{{\"client_secret\": \"{v}\"}}")),
        ("config.yaml", format!("auth_token: {v}")),
        (".env", format!("DB_PASSWORD={v}")),
        ("main.go", format!("token := \"{v}\"")),
        ("index.php", format!("$cfg['api_key'] => '{v}',")),
        ("settings.py", format!("    secret_key: str = \"{v}\"")),
        ("client.ts", format!("const apiToken: string = \"{v}\";")),
        ("main.go", format!("var dbPassword string = \"{v}\"")),
        (
            "App.java",
            format!("private static final String API_KEY = \"{v}\";"),
        ),
    ] {
        let hits = scan(path, &format!("{line}\n"));
        assert_eq!(ids(&hits), ["OWASP-SECRET-016"], "{path}: {line}");
        assert_eq!(hits[0].confidence, Confidence::Medium);
    }
}

#[test]
fn generic_negatives() {
    let v = val("GENERIC");
    for (path, line) in [
        // Not a secret name.
        ("app.py", format!("greeting = \"{v}\"")),
        // Stopword names.
        ("app.py", format!("public_key = \"{v}\"")),
        ("app.py", format!("client_id = \"{v}\"")),
        ("app.py", format!("token_url = \"{v}\"")),
        // Not a literal in code.
        (
            "app.py",
            "password = os.environ[\"DB_PASSWORD\"]".to_owned(),
        ),
        ("app.py", "token = get_token(user)".to_owned()),
        ("app.py", format!("password = {v}")),
        // Placeholders.
        ("app.py", "api_key = \"your_api_key_here\"".to_owned()),
        ("app.py", "secret = \"${SECRET_VALUE}\"".to_owned()),
        ("app.py", "password = \"<password>\"".to_owned()),
        ("app.py", "password = \"********\"".to_owned()),
        (".env", "API_TOKEN={{ vault_token }}".to_owned()),
        // Low entropy, letters only, equal to the key.
        ("app.py", "password = \"password123\"".to_owned()),
        ("app.py", "secret = \"supersecretvalue\"".to_owned()),
        ("app.py", "api_key = \"API_KEY\"".to_owned()),
        // base64 of "not my real password".
        (
            "README.md",
            "  password: 'bm90IG15IHJlYWwgcGFzc3dvcmQ=',".to_owned(),
        ),
        // A sentence, not a value.
        (
            "app.py",
            "password = \"Enter your password here\"".to_owned(),
        ),
    ] {
        let hits = scan(path, &format!("{line}\n"));
        assert!(hits.is_empty(), "{path}: {line}: {hits:?}");
    }
}

#[test]
fn provider_hit_wins_over_generic() {
    let tok = testkit::github_classic(9);
    let hits = scan("app.py", &format!("github_token = \"{tok}\"\n"));
    assert_eq!(ids(&hits), ["OWASP-SECRET-003"]);
}

#[test]
fn test_paths_lower_severity_but_keep_hit() {
    let tok = testkit::github_classic(2);
    let text = format!("T = \"{tok}\"\n");
    for p in [
        "tests/test_api.py",
        "pkg/api_test.go",
        "web/app.spec.ts",
        "fixtures/a.json",
        "examples/demo.py",
    ] {
        let hits = scan(p, &text);
        assert_eq!(hits.len(), 1, "{p}");
        assert_eq!(hits[0].severity, Severity::Low, "{p}");
    }
    // A bare "test" substring is not a test path.
    let hits = scan("contest/latest_app.py", &text);
    assert_eq!(hits[0].severity, Severity::Critical);
}

#[test]
fn adjacent_tokens_separated_by_one_char() {
    let a = testkit::github_classic(11);
    let b = testkit::github_classic(12);
    let hits = scan("x.txt", &format!("{a},{b}\n"));
    assert_eq!(hits.len(), 2);
    assert_ne!(hits[0].fingerprint, hits[1].fingerprint);
}

#[test]
fn columns_in_bytes_and_chars() {
    let tok = testkit::github_classic(4);
    let text = format!("# é\nmsg = \"ü→\" ; t = \"{tok}\"\n");
    let hits = scan("a.py", &text);
    let h = &hits[0];
    assert_eq!(h.start.line, 2);
    assert_eq!(h.start.col_char, 19);
    assert_eq!(h.start.col_byte, 22);
    assert_eq!(h.end.col_char, 59);
    assert_eq!(h.end.col_byte, 62);
    assert_eq!(&text[h.byte_range.clone()], tok);
}

#[test]
fn fingerprint_is_rule_and_secret_only() {
    let tok = testkit::github_classic(5);
    let a = scan("a.py", &format!("t = '{tok}'\n"));
    let b = scan("moved/b.py", &format!("\n\n\n   x = \"{tok}\"\n"));
    assert_eq!(a[0].fingerprint, b[0].fingerprint);
    let f = Finding::new(&rules::GITHUB_TOKEN, "m").fingerprint_key(&tok);
    assert_eq!(a[0].fingerprint, f.fingerprint);
}

#[test]
fn snippet_redacts_every_secret_on_the_line() {
    let a = testkit::github_classic(21);
    let b = val("STRIPE_LIVE");
    let hits = scan("a.py", &format!("x = ('{a}', '{b}')\n"));
    assert_eq!(hits.len(), 2);
    assert!(
        hits[0].snippet.contains("[redacted]"),
        "{}",
        hits[0].snippet
    );
    assert!(
        hits[1].snippet.contains("[redacted]"),
        "{}",
        hits[1].snippet
    );
}

#[test]
fn finding_shape() {
    let tok = testkit::github_classic(6);
    let hits = scan("src/a.py", &format!("t = '{tok}'\n"));
    let f = to_finding(&hits[0]);
    assert_eq!(f.layer, "owasp");
    assert_eq!(f.rule_id, "OWASP-SECRET-003");
    assert_eq!(f.tags.first().map(String::as_str), Some("CWE-798"));
    assert!(f.tags.iter().any(|t| t == "OWASP:A07:2021"));
    let loc = f
        .location
        .as_ref()
        .map(|l| (l.start_line, l.start_col, l.end_col));
    assert_eq!(loc, Some((1, 6, 46)));
    let snippet = f.location.and_then(|l| l.snippet).unwrap_or_default();
    assert!(!snippet.contains(&tok) && snippet.contains("ghp_..."));
    assert_eq!(f.fingerprint, hits[0].fingerprint);
    assert!(f.resource.is_none());
}

#[test]
fn bytes_skip_and_mask() {
    let opts = ScanOptions::default();
    assert!(
        matches!(scan_bytes("yarn.lock", b"x", &opts), FileScan::Skipped(r) if r == "lock file")
    );
    assert!(
        matches!(scan_bytes("a.py", b"\x7fELF\0\0\x01", &opts), FileScan::Skipped(r) if r.starts_with("binary"))
    );
    // Invalid UTF-8 before the token: offsets stay those of the file.
    let tok = testkit::github_classic(8);
    let mut bytes = b"a\xff\xfe = '".to_vec();
    bytes.extend_from_slice(tok.as_bytes());
    bytes.extend_from_slice(b"'\n");
    match scan_bytes("a.py", &bytes, &opts) {
        FileScan::Scanned(h) => {
            assert_eq!(h.len(), 1);
            assert_eq!(h[0].byte_range.start, 7);
        }
        FileScan::Skipped(r) => panic!("skipped: {r}"),
    }
    // UTF-16 with a BOM is decoded.
    let mut utf16 = vec![0xFF, 0xFE];
    for u in format!("t = '{tok}'").encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    assert!(matches!(scan_bytes("a.ps1", &utf16, &opts), FileScan::Scanned(h) if h.len() == 1));
    let minified = format!("var a=1;{}\n", "b=2;".repeat(3000));
    assert!(
        matches!(scan_bytes("dist/app.js", minified.as_bytes(), &opts), FileScan::Skipped(r) if r == "minified file")
    );
    let small = ScanOptions {
        max_file_bytes: 4,
        ..ScanOptions::default()
    };
    assert!(
        matches!(scan_bytes("a.py", b"12345", &small), FileScan::Skipped(r) if r.starts_with("larger"))
    );
}

#[test]
fn huge_single_line_is_linear_and_safe() {
    // 10 MB on one line, with secret-ish keywords all along and a token at the end.
    let tok = testkit::github_classic(10);
    let mut text = String::with_capacity(10_500_000);
    while text.len() < 10_000_000 {
        text.push_str("key=value; token: abc; password = x; eyJ AKIA glpat- ");
    }
    text.push_str(&tok);
    let start = std::time::Instant::now();
    let hits = scan("big.txt", &text);
    assert_eq!(ids(&hits), ["OWASP-SECRET-003"]);
    assert_eq!(hits[0].start.line, 1);
    assert!(hits[0].snippet.chars().count() < 300);
    // Generous bound for a debug build on a shared machine; linear time.
    assert!(start.elapsed().as_secs() < 120, "{:?}", start.elapsed());
}

#[test]
fn hit_limit_is_reported() {
    let text: String = (0..20)
        .map(|i| format!("{}\n", testkit::github_classic(100 + i)))
        .collect();
    let opts = ScanOptions {
        max_hits_per_file: 5,
        ..ScanOptions::default()
    };
    let hits = scan_text("a.txt", &text, &opts);
    assert_eq!(hits.len(), 5);
    assert!(hits[4].notes.iter().any(|n| n.contains("15 more hits")));
}

#[test]
fn example_wording_lowers_confidence() {
    let v = val("GENERIC");
    let hits = scan(
        "docs.py",
        &format!("    For example::\n\n        oauth_token=\"{v}\",\n"),
    );
    assert_eq!(ids(&hits), ["OWASP-SECRET-016"]);
    assert_eq!(hits[0].confidence, Confidence::Low);
    // Checksummed tokens keep their confidence.
    let tok = testkit::github_classic(31);
    let hits = scan("docs.py", &format!("# example\nT = '{tok}'\n"));
    assert_eq!(hits[0].confidence, Confidence::High);
}

#[test]
fn many_candidates_stay_linear() {
    // 5,000 AWS id/secret pairs and as many tokens named like secrets: pairing
    // and overlap removal must not be quadratic.
    let mut text = String::new();
    for i in 0..5000u64 {
        text.push_str(&format!(
            "aws_access_key_id = {}\naws_secret_access_key = {}\ngithub_token = \"{}\"\n",
            testkit::aws_key_id(i),
            testkit::aws_secret(i),
            testkit::github_classic(i)
        ));
    }
    let start = std::time::Instant::now();
    let hits = scan_text("creds.ini", &text, &ScanOptions::default());
    assert_eq!(hits.len(), 1000);
    let generic: Vec<_> = hits
        .iter()
        .filter(|h| h.rule_id == "OWASP-SECRET-016")
        .map(|h| (h.start.line, h.evidence.clone(), h.snippet.clone()))
        .collect();
    assert!(generic.is_empty(), "{generic:?}");
    assert!(hits[0].rule_id == "OWASP-SECRET-001");
    assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
}

#[test]
fn disabled_rules_are_not_reported() {
    let id = val("AWS_ID");
    let text = format!("KEY_ID = \"{id}\"\npassword = \"{}\"\n", val("GENERIC"));
    let opts = ScanOptions {
        disabled_rules: vec!["owasp-secret-016".into()],
        ..ScanOptions::default()
    };
    assert_eq!(ids(&scan_text("a.py", &text, &opts)), ["OWASP-SECRET-002"]);
    assert_eq!(skip_reason("go.sum"), Some("lock file"));
    assert_eq!(skip_reason("main.go"), None);
}

#[test]
fn random_fragments_never_panic() {
    // Text assembled from fragments that sit on every code path (token
    // prefixes, key blocks, URLs, quotes, multi-byte characters, escapes),
    // in random order: no panic, and every hit's range lies in the text.
    let fragments: Vec<String> = vec![
        ["gh", "p_"].concat(),
        ["AK", "IA"].concat(),
        "-----BEGIN RSA PRIVATE KEY-----".into(),
        "-----END RSA PRIVATE KEY-----".into(),
        "-----END".into(),
        "\n".into(),
        "\\n".into(),
        "é".into(),
        "→".into(),
        "\u{1F600}".into(),
        "password".into(),
        "api_key".into(),
        " = ".into(),
        ": ".into(),
        "\"".into(),
        "'".into(),
        "://".into(),
        "postgres".into(),
        "@".into(),
        ":".into(),
        "eyJ".into(),
        ".".into(),
        ["sk-", "ant-api03-"].concat(),
        ["xo", "xb-"].concat(),
        "hooks.slack.com/services/".into(),
        "T3BlbkFJ".into(),
        "aws_secret_access_key=".into(),
        testkit::github_classic(1),
        testkit::aws_secret(2),
        alnum(3, 40),
        alnum(4, 7),
    ];
    let opts = ScanOptions::default();
    for seed in 0..3000u64 {
        let picks = testkit::chars(seed, 60, b"0123456789abcdefghijklmnopqrstuvwxyzABCDE");
        let text: String = picks
            .bytes()
            .map(|b| fragments[usize::from(b) % fragments.len()].as_str())
            .collect();
        for h in scan_text("f.env", &text, &opts) {
            assert!(h.byte_range.start < h.byte_range.end && h.byte_range.end <= text.len());
            assert!(h.start.line <= h.end.line);
        }
        // The same with bytes that are not UTF-8 spliced in.
        let mut bytes = text.into_bytes();
        bytes.insert(bytes.len() / 2, 0xC3);
        bytes.push(0xE2);
        let _ = scan_bytes("f.py", &bytes, &opts);
    }
}
