//! The deterministic filters every candidate goes through: offline checksums,
//! Shannon entropy, placeholder values, and what a path says about a file
//! (test code, lock file, minified bundle, binary format).

/// Base62 alphabet GitHub and npm use for the token checksum.
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `n` in base62, left-padded with `0` to `width` digits.
pub(crate) fn base62(mut n: u32, width: usize) -> String {
    let mut digits = Vec::with_capacity(width);
    while n > 0 {
        digits.push(BASE62[(n % 62) as usize]);
        n /= 62;
    }
    while digits.len() < width {
        digits.push(b'0');
    }
    digits.reverse();
    String::from_utf8_lossy(&digits).into_owned()
}

/// The checksum scheme of GitHub classic and npm tokens: the last 6 characters
/// of the body are CRC32-IEEE of the first 30, in zero-padded base62.
/// `body` is the token without its `ghp_` / `npm_` prefix.
pub(crate) fn crc32_base62_ok(body: &str) -> bool {
    if body.len() != 36 || !body.is_ascii() {
        return false;
    }
    let (payload, check) = body.split_at(30);
    base62(crc32fast::hash(payload.as_bytes()), 6) == check
}

/// Shannon entropy in bits per character.
pub(crate) fn shannon_entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    let mut n = 0u32;
    for b in s.bytes() {
        counts[b as usize] += 1;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    let n = f64::from(n);
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// Words that mark a value as a stand-in rather than a credential.
const PLACEHOLDER_WORDS: &[&str] = &[
    "example",
    "sample",
    "dummy",
    "changeme",
    "change_me",
    "change-me",
    "placeholder",
    "your_",
    "your-",
    "yourapikey",
    "yourtoken",
    "yourpassword",
    "yoursecret",
    "redacted",
    "replace_me",
    "replaceme",
    "insert_",
    "notarealsecret",
    "not_a_real",
    "not-a-real",
    "not my real",
    "notmyreal",
    "not_my_real",
    "fake",
];

/// Why a value is taken as a placeholder, or `None` for a value that may be real.
pub(crate) fn placeholder_reason(value: &str) -> Option<&'static str> {
    placeholder_with_mask(value, 3)
}

/// [`placeholder_reason`] for provider tokens, whose random bodies contain
/// `xxx` by chance (about 1 in 2,500 AWS key ids): a mask must be a run of at
/// least five.
pub(crate) fn token_placeholder_reason(value: &str) -> Option<&'static str> {
    placeholder_with_mask(value, 5)
}

fn placeholder_with_mask(value: &str, mask_run: usize) -> Option<&'static str> {
    let v = value.trim();
    if v.is_empty() {
        return Some("empty value");
    }
    let lower = v.to_ascii_lowercase();
    if let Some(w) = PLACEHOLDER_WORDS.iter().find(|w| lower.contains(*w)) {
        return Some(match *w {
            "example" => "contains `example`",
            "sample" => "contains `sample`",
            "dummy" => "contains `dummy`",
            _ => "placeholder wording",
        });
    }
    let masked = ["x", "X", "*"]
        .iter()
        .any(|m| v.contains(&m.repeat(mask_run)));
    if masked || v.contains("...") {
        return Some("masked value (xxx, ***, ...)");
    }
    if is_template(v) {
        return Some("template or variable reference");
    }
    if has_sequential_run(v, 8) {
        return Some("sequential characters (abcdefgh..., 12345678...)");
    }
    if is_env_lookup(v) {
        return Some("environment lookup");
    }
    if matches!(
        lower.as_str(),
        "true" | "false" | "null" | "none" | "nil" | "undefined" | "password" | "secret" | "token"
    ) {
        return Some("keyword, not a secret");
    }
    let mut chars = v.chars();
    if let Some(first) = chars.next() {
        if v.chars().count() >= 3 && chars.all(|c| c == first) {
            return Some("one repeated character");
        }
    }
    None
}

/// A run of at least `n` characters each one after the previous in the
/// alphabet or in the digits (`ABCDEFGHIJ`, `3456789`): typed by a person,
/// not generated.
fn has_sequential_run(v: &str, n: usize) -> bool {
    let mut run = 1;
    let mut prev: Option<u8> = None;
    for b in v.bytes().map(|b| b.to_ascii_lowercase()) {
        match prev {
            Some(p) if b.is_ascii_alphanumeric() && p.checked_add(1) == Some(b) => {
                run += 1;
                if run >= n {
                    return true;
                }
            }
            _ => run = 1,
        }
        prev = Some(b);
    }
    false
}

/// `<...>`, `${...}`, `{{...}}`, `%...%`, `@VAR@`, `$VAR`, printf verbs.
fn is_template(v: &str) -> bool {
    let at_var = v.len() > 2
        && v.starts_with('@')
        && v.ends_with('@')
        && v.trim_matches('@')
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    at_var
        || (v.starts_with('<') && v.ends_with('>'))
        || v.contains("${")
        || v.contains("{{")
        || v.contains("#{")
        || (v.len() > 2 && v.starts_with('%') && v.ends_with('%'))
        || (v.starts_with('$')
            && v.len() > 1
            && v[1..]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        || v == "%s"
        || v == "%v"
}

/// Reads from the environment or a secret store rather than a literal.
fn is_env_lookup(v: &str) -> bool {
    const LOOKUPS: &[&str] = &[
        "process.env",
        "os.environ",
        "os.getenv",
        "getenv(",
        "env(",
        "env[",
        "secrets.",
        "vault:",
        "import.meta.env",
        "system.getenv",
        "environment.getenvironmentvariable",
    ];
    let lower = v.to_ascii_lowercase();
    LOOKUPS.iter().any(|l| lower.contains(l))
}

/// What a path says about the file being scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PathClass {
    /// Ordinary source or config.
    Normal,
    /// Test code, fixtures or examples: hits are kept with a lower severity.
    Test,
}

/// Directory names that hold test code, fixtures or examples. Matched against
/// whole path components only: a project under `contest/` or `latest/` is not
/// test code.
const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "__tests__",
    "__mocks__",
    "spec",
    "specs",
    "testdata",
    "test-data",
    "test_data",
    "fixture",
    "fixtures",
    "examples",
    "example",
    "e2e",
];

pub(crate) fn classify_path(path: &str) -> PathClass {
    let norm = path.replace('\\', "/");
    let mut parts: Vec<&str> = norm.split('/').filter(|p| !p.is_empty()).collect();
    let Some(file) = parts.pop() else {
        return PathClass::Normal;
    };
    if parts
        .iter()
        .any(|d| TEST_DIRS.iter().any(|t| d.eq_ignore_ascii_case(t)))
    {
        return PathClass::Test;
    }
    let lower = file.to_ascii_lowercase();
    let stem = lower.split('.').next().unwrap_or("");
    let test_file = ["_test", "_tests", "_spec", "_unittest"]
        .iter()
        .any(|s| stem.ends_with(s))
        || (lower.starts_with("test_") && lower.contains('.'))
        || lower == "conftest.py"
        || [".spec.", ".test."].iter().any(|m| lower.contains(m))
        || (file.ends_with("Test.java")
            || file.ends_with("Tests.java")
            || file.ends_with("Test.kt"))
        || stem.ends_with("_fixture")
        || stem.ends_with("_fixtures");
    if test_file {
        PathClass::Test
    } else {
        PathClass::Normal
    }
}

/// Why a file is not scanned at all, decided from its path.
pub(crate) fn skip_by_path(path: &str) -> Option<&'static str> {
    let norm = path.replace('\\', "/");
    let file = norm.rsplit('/').next().unwrap_or(&norm);
    let lower = file.to_ascii_lowercase();
    const LOCK_FILES: &[&str] = &[
        "cargo.lock",
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lockb",
        "poetry.lock",
        "pipfile.lock",
        "uv.lock",
        "gemfile.lock",
        "composer.lock",
        "go.sum",
        "gradle.lockfile",
        "packages.lock.json",
        "flake.lock",
        "mix.lock",
        "pubspec.lock",
    ];
    if LOCK_FILES.contains(&lower.as_str()) {
        return Some("lock file");
    }
    if [".min.js", ".min.css", ".min.mjs", "-min.js", ".bundle.js"]
        .iter()
        .any(|s| lower.ends_with(s))
        || lower.ends_with(".js.map")
        || lower.ends_with(".css.map")
    {
        return Some("minified file");
    }
    const BINARY_EXT: &[&str] = &[
        "png", "jpg", "jpeg", "gif", "bmp", "ico", "webp", "tiff", "psd", "woff", "woff2", "ttf",
        "otf", "eot", "pdf", "zip", "gz", "tgz", "bz2", "xz", "zst", "7z", "rar", "jar", "war",
        "class", "so", "dylib", "dll", "exe", "o", "a", "lib", "wasm", "pyc", "mp3", "mp4", "mov",
        "avi", "webm", "ogg", "wav", "flac", "sqlite", "db",
    ];
    if let Some((_, ext)) = lower.rsplit_once('.') {
        if BINARY_EXT.contains(&ext) {
            return Some("binary file");
        }
    }
    None
}

/// Minified code is recognised from its shape as well as its name: a script
/// or stylesheet whose lines average more than 500 bytes.
pub(crate) fn looks_minified(path: &str, text: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let is_web = [".js", ".mjs", ".cjs", ".css"]
        .iter()
        .any(|e| lower.ends_with(e));
    if !is_web || text.len() < 4096 {
        return false;
    }
    let lines = text.bytes().filter(|&b| b == b'\n').count() + 1;
    text.len() / lines > 500
}

/// Files where a bare `KEY=value` or `key: value` is a literal setting rather
/// than code (so an unquoted value can be a secret).
pub(crate) fn is_config_file(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let file = lower.rsplit('/').next().unwrap_or(&lower);
    file == ".env"
        || file.starts_with(".env.")
        || file.ends_with(".env")
        || file == ".npmrc"
        || file == ".pypirc"
        || file == ".netrc"
        || [
            ".yaml",
            ".yml",
            ".toml",
            ".ini",
            ".cfg",
            ".conf",
            ".properties",
            ".tfvars",
            ".hcl",
            ".tf",
            ".txt",
            ".sh",
            ".bash",
            ".zsh",
        ]
        .iter()
        .any(|e| file.ends_with(e))
        || file == "dockerfile"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base62_pads_and_encodes() {
        assert_eq!(base62(0, 6), "000000");
        assert_eq!(base62(61, 6), "00000z");
        assert_eq!(base62(62, 6), "000010");
        assert_eq!(base62(u32::MAX, 6), "4gfFC3");
    }

    #[test]
    fn checksum_accepts_computed_and_rejects_altered() {
        let payload = "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5";
        let body = format!(
            "{payload}{}",
            base62(crc32fast::hash(payload.as_bytes()), 6)
        );
        assert!(crc32_base62_ok(&body));
        let mut altered = body.clone().into_bytes();
        altered[3] = b'Z';
        assert!(!crc32_base62_ok(&String::from_utf8_lossy(&altered)));
        assert!(!crc32_base62_ok("short"));
        // The documentation example token fails, as GitHub's own docs token does.
        assert!(!crc32_base62_ok("16C7e42F292c6912E7710c838347Ae178B4a"));
    }

    #[test]
    fn entropy_bounds() {
        assert_eq!(shannon_entropy(""), 0.0);
        assert_eq!(shannon_entropy("aaaa"), 0.0);
        assert!((shannon_entropy("abcd") - 2.0).abs() < 1e-9);
        assert!(shannon_entropy("x8Fq2LmZ0pRt7VwK") >= 3.5);
    }

    #[test]
    fn placeholders() {
        for p in [
            "your_api_key_here",
            "EXAMPLEKEY123",
            "xxxxxxxxxxxx",
            "sk_live_****",
            "<token>",
            "${DB_PASSWORD}",
            "{{ secrets.TOKEN }}",
            "%API_KEY%",
            "$TOKEN",
            "os.environ['X']",
            "process.env.TOKEN",
            "changeme",
            "aaaaaaaaaaaa",
            "null",
        ] {
            assert!(placeholder_reason(p).is_some(), "{p}");
        }
        for real in ["x8Fq2LmZ0pRt7VwK", "hunter2!", "Tr0ub4dor&3"] {
            assert_eq!(placeholder_reason(real), None, "{real}");
        }
        // A random token body may hold `XXX`; a mask is longer.
        let id = |body: &str| format!("{}{body}", ["AK", "IA"].concat());
        assert_eq!(token_placeholder_reason(&id("Q7XXXZ2RWB4N6M3P")), None);
        assert!(token_placeholder_reason(&id("XXXXXXXXXXXXXXXX")).is_some());
        // Sequential filler, and autoconf-style `@VAR@` templates.
        assert!(token_placeholder_reason(&id("ABCDEFGHIJKLMNOP")).is_some());
        assert!(placeholder_reason("x1234567890y").is_some());
        assert!(placeholder_reason("@DB_PASSWORD@").is_some());
        assert!(placeholder_reason("@@GITHUB_TOKEN@@").is_some());
        assert!(!has_sequential_run("\u{ff}\u{fe}ÿÿabc", 8));
        assert!(placeholder_reason("abcXXXdef123").is_some());
    }

    #[test]
    fn test_paths_by_component_not_substring() {
        for p in [
            "tests/a.py",
            "src/__tests__/x.js",
            "pkg/auth_test.go",
            "web/app.spec.ts",
            "test_login.py",
            "fixtures/keys.pem",
            "examples/demo/.env",
            "src/test/java/FooTest.java",
            "crypto/dsa/dsa_test.cc",
            "src/parser_tests.rs",
        ] {
            assert_eq!(classify_path(p), PathClass::Test, "{p}");
        }
        for p in [
            "contest/app.py",
            "latest/config.py",
            "attestation/keys.go",
            "src/testing_utils_prod.rs",
            "benchmark-test-suite/App.java",
        ] {
            assert_eq!(classify_path(p), PathClass::Normal, "{p}");
        }
    }

    #[test]
    fn skipped_paths() {
        assert_eq!(skip_by_path("web/package-lock.json"), Some("lock file"));
        assert_eq!(skip_by_path("go.sum"), Some("lock file"));
        assert_eq!(skip_by_path("static/app.min.js"), Some("minified file"));
        assert_eq!(skip_by_path("img/logo.PNG"), Some("binary file"));
        assert_eq!(skip_by_path("src/lock.rs"), None);
        let mini = "var a=1;".repeat(1000);
        assert!(looks_minified("dist/app.js", &mini));
        assert!(!looks_minified("src/app.py", &mini));
    }
}
