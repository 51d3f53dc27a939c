//! Builds credential-shaped strings at run time for tests, so the repository
//! itself holds no string that looks like a real secret to other scanners.
//! The values are pseudo-random from a seed (stable across runs) and carry
//! valid checksums where the format has one; none of them was ever issued.

use super::filters::base62;
use base64::Engine;

const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `n` characters drawn from `alphabet`, deterministic in `seed`.
pub fn chars(seed: u64, n: usize, alphabet: &[u8]) -> String {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            alphabet[(x % alphabet.len() as u64) as usize] as char
        })
        .collect()
}

/// Base62 characters.
pub fn alnum(seed: u64, n: usize) -> String {
    chars(seed, n, ALNUM)
}

/// `prefix` + 30 random base62 + CRC32 in base62: the GitHub classic and npm
/// token shape with a checksum that verifies.
pub fn crc_token(prefix: &str, seed: u64) -> String {
    let payload = alnum(seed, 30);
    let check = base62(crc32fast::hash(payload.as_bytes()), 6);
    format!("{prefix}{payload}{check}")
}

/// A GitHub classic token (`ghp_`...) with a valid checksum.
pub fn github_classic(seed: u64) -> String {
    crc_token(&["gh", "p_"].concat(), seed)
}

/// An npm token with a valid checksum.
pub fn npm(seed: u64) -> String {
    crc_token(&["np", "m_"].concat(), seed)
}

/// An AWS access key id (`AKIA` + 16 base32).
pub fn aws_key_id(seed: u64) -> String {
    format!(
        "{}{}",
        ["AK", "IA"].concat(),
        chars(seed, 16, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    )
}

/// A 40-character AWS secret access key.
pub fn aws_secret(seed: u64) -> String {
    chars(
        seed,
        40,
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+",
    )
}

/// A signed-looking JWT whose header is `{"alg":"HS256","typ":"JWT"}`.
pub fn jwt(seed: u64) -> String {
    let enc = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!(
        "{}.{}.{}",
        enc(r#"{"alg":"HS256","typ":"JWT"}"#),
        enc(&format!(
            r#"{{"sub":"{}","iat":1700000000}}"#,
            alnum(seed, 12)
        )),
        chars(
            seed + 1,
            43,
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        )
    )
}

/// A PEM private key block with a random (not a valid key) body.
pub fn private_key_block(seed: u64) -> String {
    let body = chars(
        seed,
        64 * 6,
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
    );
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .collect();
    let label = ["RSA PRIVATE", " KEY"].concat();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----",
        lines.join("\n")
    )
}

/// Named values substituted into `@@NAME@@` markers of a fixture.
pub fn fixture_values(seed: u64) -> Vec<(&'static str, String)> {
    vec![
        ("GITHUB_CLASSIC", github_classic(seed)),
        ("GITHUB_CLASSIC_BAD", {
            let mut t = github_classic(seed + 1);
            t.replace_range(10..11, if &t[10..11] == "Q" { "R" } else { "Q" });
            t
        }),
        (
            "GITHUB_FINE",
            format!(
                "{}{}_{}",
                ["github", "_pat_"].concat(),
                alnum(seed, 22),
                alnum(seed + 2, 59)
            ),
        ),
        ("NPM", npm(seed)),
        (
            "GITLAB",
            format!("{}{}", ["gl", "pat-"].concat(), alnum(seed, 20)),
        ),
        (
            "SLACK_BOT",
            format!(
                "{}{}-{}-{}",
                ["xo", "xb-"].concat(),
                "2384791023",
                "4827361098273",
                alnum(seed, 24)
            ),
        ),
        (
            "SLACK_HOOK",
            format!(
                "https://hooks.slack.com/services/T{}/B{}/{}",
                chars(seed, 9, b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"),
                chars(seed + 1, 9, b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"),
                alnum(seed + 2, 24)
            ),
        ),
        (
            "STRIPE_LIVE",
            format!("{}{}", ["sk_", "live_"].concat(), alnum(seed, 24)),
        ),
        (
            "STRIPE_TEST",
            format!("{}{}", ["sk_", "test_"].concat(), alnum(seed + 1, 24)),
        ),
        (
            "GOOGLE",
            format!("{}{}", ["AI", "za"].concat(), alnum(seed, 35)),
        ),
        (
            "ANTHROPIC",
            format!("{}{}AA", ["sk-", "ant-api03-"].concat(), alnum(seed, 93)),
        ),
        (
            "OPENAI",
            format!(
                "{}{}{}{}",
                ["sk-", "proj-"].concat(),
                alnum(seed, 24),
                ["T3Blbk", "FJ"].concat(),
                alnum(seed + 1, 24)
            ),
        ),
        ("PRIVATE_KEY", private_key_block(seed)),
        ("JWT", jwt(seed)),
        (
            "DB_PASSWORD",
            format!("{}!{}", alnum(seed, 8), alnum(seed + 1, 6)),
        ),
        ("AWS_ID", aws_key_id(seed)),
        ("AWS_SECRET", aws_secret(seed)),
        (
            "GENERIC",
            format!("{}#{}", alnum(seed + 3, 12), alnum(seed + 4, 8)),
        ),
    ]
}

/// `template` with every `@@NAME@@` replaced by its value from [`fixture_values`].
pub fn render(template: &str, seed: u64) -> String {
    let mut out = template.to_owned();
    for (name, value) in fixture_values(seed) {
        out = out.replace(&format!("@@{name}@@"), &value);
    }
    out
}
