//! Hard-coded secret detection.
//!
//! [`scan_text`] finds credentials in one file's text; [`scan_bytes`] first
//! decides whether the file is worth scanning (lock files, minified bundles and
//! binaries are skipped, invalid UTF-8 is scanned with the bad bytes masked);
//! [`history::scan_repo`] scans what every commit added in a git repository.
//! [`to_finding`] turns a [`SecretHit`] into a guard [`Finding`], and
//! [`RULES`] is the rule table to append to the owasp layer's.
//!
//! Order of checks, for every detector in the table:
//! 1. an Aho-Corasick keyword prefilter over the whole text, so a detector's
//!    pattern only runs on text that holds one of its keywords;
//! 2. the pattern (the `regex` crate: linear time, no backtracking);
//! 3. structure: length, charset, the provider's CRC32 checksum (GitHub, npm),
//!    the JWT header, the private key body; a failing checksum drops the hit;
//! 4. the placeholder filter (`example`, `your_...`, `xxx`, `${...}`, env
//!    lookups, a value equal to its key name, ...);
//! 5. entropy and stopwords, for the generic rule only.
//!
//! Hits in test code, fixtures and examples are kept at a lower severity, never
//! dropped. Evidence never holds the secret: it shows a public prefix, the
//! length and a short SHA-256. The fingerprint is `sha256(rule_id, secret)`, so
//! it survives line moves and renames.
//!
//! ```
//! use guard_owasp::secrets::{self, ScanOptions};
//! # let token = guard_owasp::secrets::testkit::github_classic(1);
//! let text = format!("GITHUB_TOKEN = \"{token}\"\n");
//! let hits = secrets::scan_text("app/settings.py", &text, &ScanOptions::default());
//! assert_eq!(hits[0].rule_id, "OWASP-SECRET-003");
//! assert!(hits[0].evidence.starts_with("ghp_...(40 chars, sha256:"));
//! let finding = secrets::to_finding(&hits[0]);
//! assert_eq!(finding.tags[0], "CWE-798");
//! ```

mod detectors;
mod filters;
pub mod history;
pub mod rules;
#[doc(hidden)]
pub mod testkit;

pub use rules::RULES;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use detectors::{Check, Detector, DETECTORS};
use filters::PathClass;
use guard_core::{Confidence, Finding, Location, Rule, Severity};
use regex::Regex;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::ops::Range;
use std::sync::OnceLock;

/// Knobs of a scan. `Default` gives the documented behaviour.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Minimum Shannon entropy (bits per character) of a generic secret value.
    pub min_entropy: f64,
    /// Files larger than this are skipped by [`scan_bytes`] (and said so).
    pub max_file_bytes: usize,
    /// At most this many hits are reported per file; further ones are counted
    /// in a note on the last hit.
    pub max_hits_per_file: usize,
    /// Rule ids (`OWASP-SECRET-016`, case-insensitive) not to report.
    pub disabled_rules: Vec<String>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            min_entropy: 3.5,
            max_file_bytes: 64 * 1024 * 1024,
            max_hits_per_file: 1000,
            disabled_rules: Vec::new(),
        }
    }
}

/// A place in the text. Lines and columns are 1-based; an end column is
/// exclusive (one past the last character), as in SARIF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: u32,
    /// Column counted in bytes.
    pub col_byte: u32,
    /// Column counted in Unicode code points.
    pub col_char: u32,
}

/// One secret found in a file (or in a blob of the git history).
#[derive(Debug, Clone, Serialize)]
pub struct SecretHit {
    /// The rule this hit belongs to.
    #[serde(skip)]
    pub rule: &'static Rule,
    pub rule_id: &'static str,
    /// Who issued the credential: "GitHub", "AWS", "generic", ...
    pub provider: &'static str,
    /// What it is: "classic token", "access key id", ...
    pub kind: &'static str,
    pub path: String,
    pub start: Position,
    pub end: Position,
    /// Byte offsets of the secret in the scanned text.
    pub byte_range: Range<usize>,
    pub severity: Severity,
    pub confidence: Confidence,
    /// Public prefix, length and short SHA-256 of the secret; never the secret.
    pub evidence: String,
    /// The line with every secret on it replaced by its redaction.
    pub snippet: String,
    /// `sha256(rule_id, secret)`, hex, 16 digits (the same hash as
    /// [`Finding::fingerprint_key`]).
    pub fingerprint: String,
    /// Why the confidence or severity is what it is (checksum verified,
    /// test path, local host, ...).
    pub notes: Vec<String>,
    /// The commit that added the blob, for hits from the git history.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

/// The result of [`scan_bytes`].
#[derive(Debug, Clone, Serialize)]
pub enum FileScan {
    Scanned(Vec<SecretHit>),
    /// Not scanned, and why (lock file, minified, binary, too large).
    Skipped(String),
}

/// The compiled table: prefilter automaton, one regex per detector.
struct Engine {
    prefilter: AhoCorasick,
    /// Prefilter pattern index to detector index.
    keyword_owner: Vec<usize>,
    /// Per detector, compiled the first time its keywords are seen: most
    /// scans trigger a few detectors, and compiling all of them costs more
    /// than a small scan. The flag: check the characters around a match
    /// (token patterns).
    patterns: Vec<OnceLock<(Regex, bool)>>,
    /// Keywords of the windowed detectors (case-insensitive), and their owners.
    window_keywords: AhoCorasick,
    window_owner: Vec<usize>,
    aws_secret: Regex,
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let (mut keywords, mut keyword_owner) = (Vec::new(), Vec::new());
        let (mut win_keywords, mut window_owner) = (Vec::new(), Vec::new());
        for (i, d) in DETECTORS.iter().enumerate() {
            for k in d.keywords {
                if d.windowed() {
                    win_keywords.push(*k);
                    window_owner.push(i);
                } else {
                    keywords.push(*k);
                    keyword_owner.push(i);
                }
            }
        }
        // The table is constant and compiled by the unit tests; a failure
        // here is a programming error, not an input error.
        let prefilter = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostFirst)
            .build(&keywords)
            .expect("secret keyword table compiles");
        let window_keywords = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            // Case-insensitive search gets no SIMD prefilter; a full DFA is
            // the fastest automaton for a few dozen keywords.
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .match_kind(MatchKind::LeftmostFirst)
            .build(&win_keywords)
            .expect("secret window keyword table compiles");
        let patterns = DETECTORS.iter().map(|_| OnceLock::new()).collect();
        let aws_secret =
            Regex::new(detectors::AWS_SECRET_PATTERN).expect("AWS secret pattern compiles");
        Engine {
            prefilter,
            keyword_owner,
            patterns,
            window_keywords,
            window_owner,
            aws_secret,
        }
    })
}

/// A hit before positions, snippet and path policy are worked out.
struct Candidate {
    det: &'static Detector,
    span: Range<usize>,
    /// What the fingerprint and evidence hash are computed from.
    secret: String,
    severity: Severity,
    confidence: Confidence,
    notes: Vec<String>,
    /// Other spans of the same credential (the AWS secret next to its id).
    extra_spans: Vec<Range<usize>>,
    /// Evidence that is not the default `prefix...(n chars, sha256:..)`.
    evidence: Option<String>,
    /// Rule override (an AWS id with its secret is a different rule).
    rule: &'static Rule,
}

/// Scans one file's text. `path` is used for the findings, to lower the
/// severity of hits in test code and fixtures, and to know whether a bare
/// `KEY=value` is a literal (config files) or code. The text is scanned as
/// given: use [`scan_bytes`] to also skip lock files, minified and binary files.
pub fn scan_text(path: &str, text: &str, opts: &ScanOptions) -> Vec<SecretHit> {
    let mut hits = finish(path, text, detect(path, text, opts), opts);
    if filters::classify_path(path) == PathClass::Test {
        for h in &mut hits {
            h.severity = h.severity.min(Severity::Low);
            h.notes
                .push("in test code, fixtures or examples: severity lowered".into());
        }
    }
    hits
}

/// Scans one file's bytes: skips lock files, minified files, binary files and
/// files over [`ScanOptions::max_file_bytes`] (returning why), decodes UTF-8
/// (or UTF-16 with a byte-order mark), and scans UTF-8 with invalid sequences
/// masked byte for byte, so offsets stay those of the file.
pub fn scan_bytes(path: &str, bytes: &[u8], opts: &ScanOptions) -> FileScan {
    if let Some(reason) = filters::skip_by_path(path) {
        return FileScan::Skipped(reason.into());
    }
    if bytes.len() > opts.max_file_bytes {
        return FileScan::Skipped(format!(
            "larger than {} bytes ({} bytes)",
            opts.max_file_bytes,
            bytes.len()
        ));
    }
    let text = match decode(path, bytes) {
        Ok(t) => t,
        Err(reason) => return FileScan::Skipped(reason),
    };
    if filters::looks_minified(path, &text) {
        return FileScan::Skipped("minified file".into());
    }
    FileScan::Scanned(scan_text(path, &text, opts))
}

/// [`scan_bytes`] for text a caller has already read and decoded (one read
/// shared with other passes over the file): the same skip rules (lock file,
/// minified, binary by name, size), then [`scan_text`].
pub fn scan_decoded(path: &str, text: &str, opts: &ScanOptions) -> FileScan {
    if let Some(reason) = filters::skip_by_path(path) {
        return FileScan::Skipped(reason.into());
    }
    if text.len() > opts.max_file_bytes {
        return FileScan::Skipped(format!(
            "larger than {} bytes ({} bytes)",
            opts.max_file_bytes,
            text.len()
        ));
    }
    if filters::looks_minified(path, text) {
        return FileScan::Skipped("minified file".into());
    }
    FileScan::Scanned(scan_text(path, text, opts))
}

/// Why a file is not scanned, judged from its path alone (lock file,
/// minified bundle by name, binary format by extension); lets a walker skip
/// the read and count the file in its summary.
pub fn skip_reason(path: &str) -> Option<&'static str> {
    filters::skip_by_path(path)
}

fn decode(path: &str, bytes: &[u8]) -> Result<String, String> {
    let utf16_bom = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if utf16_bom {
        return guard_core::walk::decode_text(path, bytes).map_err(|e| e.to_string());
    }
    if let Some(offset) = bytes.iter().take(8192).position(|&b| b == 0) {
        return Err(format!("binary file (NUL byte at offset {offset})"));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(_) => {
            // Mask each invalid byte with `?`: the text keeps the file's
            // offsets, and a secret (always ASCII) next to bad bytes is still
            // found.
            let mut out = String::with_capacity(bytes.len());
            for chunk in bytes.utf8_chunks() {
                out.push_str(chunk.valid());
                out.extend(std::iter::repeat_n('?', chunk.invalid().len()));
            }
            Ok(out)
        }
    }
}

/// Turns a hit into a guard finding of the `owasp` layer: rule metadata and
/// tags (`CWE-798` first), the hit's severity and confidence, a location with
/// code-point columns, the redacted snippet (so the report never reads the
/// line back in clear), the evidence, the fingerprint, and for history hits
/// `commit:<id>` in `resource`.
pub fn to_finding(hit: &SecretHit) -> Finding {
    let mut message = format!("{} {} found", hit.provider, hit.kind);
    if let Some(c) = &hit.commit {
        message.push_str(&format!(" in commit {}", short(c)));
    }
    if !hit.notes.is_empty() {
        message.push_str(&format!(" ({})", hit.notes.join("; ")));
    }
    let mut location = Location::span(
        hit.path.clone(),
        (hit.start.line, hit.start.col_char),
        (hit.end.line, hit.end.col_char),
    );
    location.snippet = Some(hit.snippet.clone());
    let mut f = Finding::new(hit.rule, message)
        .at(location)
        .severity(hit.severity)
        .confidence(hit.confidence)
        .evidence(hit.evidence.clone());
    f.layer = "owasp".into();
    f.fingerprint = hit.fingerprint.clone();
    if let Some(c) = &hit.commit {
        f = f.resource(format!("commit:{c}"));
    }
    f
}

/// [`to_finding`] for each hit.
pub fn to_findings(hits: &[SecretHit]) -> Vec<Finding> {
    hits.iter().map(to_finding).collect()
}

fn short(commit: &str) -> &str {
    commit.get(..12).unwrap_or(commit)
}

/// Stage 1-5 for every detector whose keywords occur in the text.
fn detect(path: &str, text: &str, opts: &ScanOptions) -> Vec<Candidate> {
    let eng = engine();
    let mut triggered = vec![false; DETECTORS.len()];
    let mut remaining = DETECTORS.iter().filter(|d| !d.windowed()).count();
    // Windowed detectors: the keyword positions, per detector.
    let mut windows: Vec<Vec<(usize, usize)>> = vec![Vec::new(); DETECTORS.len()];
    for m in eng.window_keywords.find_iter(text) {
        let d = eng.window_owner[m.pattern().as_usize()];
        triggered[d] = true;
        windows[d].push((m.start(), m.end()));
    }
    // Leftmost matches, restarting one byte after each: as complete as an
    // overlapping search, but every step uses the automaton's fast literal
    // prefilter.
    let mut at = 0;
    while remaining > 0 && at < text.len() {
        let input = aho_corasick::Input::new(text).span(at..text.len());
        let Some(m) = eng.prefilter.find(input) else {
            break;
        };
        let d = eng.keyword_owner[m.pattern().as_usize()];
        if !triggered[d] {
            triggered[d] = true;
            remaining -= 1;
        }
        at = m.start() + 1;
    }
    let mut out: Vec<Candidate> = Vec::new();
    // Provider-shaped values whose checksum fails: not that provider's token,
    // and not a generic secret either.
    let mut vetoed: Vec<Range<usize>> = Vec::new();
    for (i, det) in DETECTORS.iter().enumerate() {
        if !triggered[i] {
            continue;
        }
        let (re, bounded) = eng.patterns[i].get_or_init(|| {
            // The table is constant and compiled by the unit tests.
            let re = Regex::new(det.pattern).expect("secret detector pattern compiles");
            let bounded = re.capture_names().any(|n| n == Some("bounded"));
            (re, bounded)
        });
        let mut on_match = |caps: &regex::Captures<'_>, s: regex::Match<'_>| {
            if *bounded {
                let before = text[..s.start()].chars().next_back();
                let after = text[s.end()..].chars().next();
                if before.is_some_and(detectors::is_token_char)
                    || after.is_some_and(detectors::is_token_char)
                {
                    return;
                }
            }
            match check(det, caps, s.range(), text, path, opts) {
                Some(c) => out.push(c),
                None if matches!(det.check, Check::Crc32Base62 { .. }) => vetoed.push(s.range()),
                None => {}
            }
        };
        if det.windowed() {
            // No literal prefix to search for: run the pattern only in a
            // window around each keyword.
            let mut next_from = 0;
            for &(kw_start, kw_end) in &windows[i] {
                if kw_start < next_from {
                    continue;
                }
                let from =
                    floor_boundary(text, kw_start.saturating_sub(WINDOW_BEFORE)).max(next_from);
                let to = ceil_boundary(text, kw_end + WINDOW_AFTER);
                // Find with the DFA first; resolve groups on the match only.
                let Some(m) = re.find_at(&text[..to], from) else {
                    continue;
                };
                let Some(caps) = re.captures_at(&text[..m.end()], m.start()) else {
                    continue;
                };
                let Some(s) = caps.name("s") else {
                    continue;
                };
                next_from = s.end();
                on_match(&caps, s);
            }
        } else {
            let mut pos = 0;
            while pos <= text.len() {
                let Some(caps) = re.captures_at(text, pos) else {
                    break;
                };
                let Some(s) = caps.name("s") else {
                    break;
                };
                pos = ceil_boundary(text, s.end().max(pos + 1));
                on_match(&caps, s);
            }
        }
    }
    for c in &mut out {
        example_nearby(c, text);
    }
    if triggered.first().copied().unwrap_or(false) {
        pair_aws(&mut out, text, eng);
    }
    let mut out = drop_overlaps(out, &vetoed);
    if !opts.disabled_rules.is_empty() {
        out.retain(|c| {
            !opts
                .disabled_rules
                .iter()
                .any(|d| d.eq_ignore_ascii_case(c.rule.id))
        });
    }
    out
}

/// Documentation shows sample credentials under "For example": a hit of a
/// rule without a checksum whose preceding lines say "example" is kept at
/// low confidence.
fn example_nearby(c: &mut Candidate, text: &str) {
    const LOOK_BACK_LINES: usize = 6;
    const LOOK_BACK_BYTES: usize = 600;
    if !matches!(
        c.det.check,
        Check::Generic | Check::Jwt | Check::UrlPassword | Check::Structure
    ) {
        return;
    }
    let from = floor_boundary(text, c.span.start.saturating_sub(LOOK_BACK_BYTES));
    let before = &text[from..c.span.start];
    let window: String = before
        .rsplit('\n')
        .take(LOOK_BACK_LINES + 1)
        .collect::<Vec<_>>()
        .join("\n");
    if window.to_ascii_lowercase().contains("example") {
        c.confidence = Confidence::Low;
        c.notes
            .push("the word \"example\" precedes it: likely documentation".into());
    }
}

fn base_candidate(det: &'static Detector, span: Range<usize>, secret: &str) -> Candidate {
    Candidate {
        det,
        span,
        secret: secret.to_owned(),
        severity: det.rule.severity,
        confidence: det.confidence,
        notes: Vec::new(),
        extra_spans: Vec::new(),
        evidence: None,
        rule: det.rule,
    }
}

/// Structure and placeholder checks of one pattern match.
fn check(
    det: &'static Detector,
    caps: &regex::Captures<'_>,
    span: Range<usize>,
    text: &str,
    path: &str,
    opts: &ScanOptions,
) -> Option<Candidate> {
    let secret = &text[span.clone()];
    match det.check {
        Check::PrivateKeyBody => return private_key(det, span, text),
        Check::UrlPassword => return url_password(det, caps, span, secret),
        Check::Generic => return generic(det, caps, span, secret, text, path, opts),
        _ => {}
    }
    if filters::token_placeholder_reason(secret).is_some() {
        return None;
    }
    let mut c = base_candidate(det, span, secret);
    match det.check {
        Check::Crc32Base62 { prefix_len } => {
            if !detectors::crc_ok(secret, prefix_len) {
                return None;
            }
            c.notes.push("checksum verified".into());
        }
        Check::StripeMode => {
            c.severity = detectors::stripe_severity(secret, det.rule.severity);
            if c.severity < det.rule.severity {
                c.notes.push("test-mode key".into());
            }
        }
        Check::Structure if std::ptr::eq(det.rule, &rules::SLACK_WEBHOOK) => {
            // The host and the kind of hook are public; the ids and key are not.
            let shown = ["/services/", "/workflows/", "/triggers/"]
                .iter()
                .find_map(|k| secret.find(k).map(|i| i + k.len()))
                .unwrap_or(0);
            c.evidence = Some(format!(
                "{}...({} chars, {})",
                &secret[..shown],
                secret.len(),
                short_hash(secret)
            ));
        }
        Check::Jwt => {
            let alg = detectors::jwt_alg(secret)?;
            c.notes.push(format!("header alg {alg}"));
        }
        Check::AwsKeyId => {
            // A real key id body is base32 with no long runs; `AKIAAAAA...`
            // is a stand-in.
            let body = secret.get(4..).unwrap_or("");
            if filters::shannon_entropy(body) < 2.5 {
                return None;
            }
        }
        _ => {}
    }
    Some(c)
}

fn private_key(det: &'static Detector, span: Range<usize>, text: &str) -> Option<Candidate> {
    const MAX_BODY: usize = 64 * 1024;
    let rest = &text[span.end..];
    let window = &rest[..floor_boundary(rest, MAX_BODY)];
    let end_at = window.find("-----END")?;
    let after_end = &rest[end_at + 8..];
    let close = after_end
        .get(..floor_boundary(after_end, 120))?
        .find("-----")?;
    let end = span.end + end_at + 8 + close + 5;
    let block = &text[span.start..end];
    let material = detectors::private_key_body(block)?;
    let header = &text[span.clone()];
    let mut c = base_candidate(det, span.start..end, &material);
    c.evidence = Some(format!(
        "{header}...({} body chars, {})",
        material.len(),
        short_hash(&material)
    ));
    Some(c)
}

/// How far before a keyword a windowed match may start: a generic name's
/// prefix (at most 40 characters) plus a quote and a bracket, or a URL scheme
/// (`jdbc:cockroachdb` is the longest).
const WINDOW_BEFORE: usize = 48;
/// How far after a keyword a windowed match may end: a generic name's suffix,
/// type annotation, operator, quote and value (at most 200 characters), or a
/// URL's user, password and host (128 + 256 + 253).
const WINDOW_AFTER: usize = 700;

/// The smallest char boundary at or above `at` (or the end).
fn ceil_boundary(s: &str, at: usize) -> usize {
    let mut i = at.min(s.len());
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The largest char boundary at or below `at`.
fn floor_boundary(s: &str, at: usize) -> usize {
    let mut i = at.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn url_password(
    det: &'static Detector,
    caps: &regex::Captures<'_>,
    span: Range<usize>,
    password: &str,
) -> Option<Candidate> {
    let (user_len, host_len) = (
        caps.name("user").map_or(0, |m| m.len()),
        caps.name("host").map_or(0, |m| m.len()),
    );
    if user_len > 128 || password.len() > 256 || host_len > 253 {
        return None;
    }
    let lower = password.to_ascii_lowercase();
    if filters::placeholder_reason(password).is_some()
        || matches!(
            lower.as_str(),
            "pass" | "passwd" | "pwd" | "pw" | "user" | "username" | "****"
        )
        || password.starts_with('$')
        || password.starts_with('{')
    {
        return None;
    }
    let scheme = caps.name("scheme").map_or("", |m| m.as_str());
    let user = caps.name("user").map_or("", |m| m.as_str());
    let host = caps.name("host").map_or("", |m| m.as_str());
    if filters::placeholder_reason(user).is_some() && user.contains('<') {
        return None;
    }
    // The finding covers the URL from its scheme to its host; only the
    // password is secret (and hashed).
    let whole = caps.get(0).map_or(span, |m| m.range());
    let mut c = base_candidate(det, whole, password);
    c.evidence = Some(format!(
        "{scheme}://{user}:****({} chars, {})@{host}",
        password.chars().count(),
        short_hash(password)
    ));
    if detectors::is_local_host(host) {
        c.severity = Severity::Low;
        c.notes.push("local development host".into());
    }
    Some(c)
}

#[allow(clippy::too_many_arguments)]
fn generic(
    det: &'static Detector,
    caps: &regex::Captures<'_>,
    span: Range<usize>,
    value: &str,
    text: &str,
    path: &str,
    opts: &ScanOptions,
) -> Option<Candidate> {
    let key = caps.name("key").map_or("", |m| m.as_str());
    if key.len() > 96 {
        return None;
    }
    let quote = caps.name("q").map_or("", |m| m.as_str());
    if quote.is_empty() {
        // A bare value is only a literal in config files and shell/.env files.
        if !filters::is_config_file(path) {
            return None;
        }
    } else if !text[span.end..].starts_with(quote) {
        // The literal goes on past what a secret may contain (a space, ...).
        return None;
    }
    // The name must start at an identifier boundary.
    if let Some(k) = caps.name("key") {
        let before = text[..k.start()].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            return None;
        }
    }
    if detectors::generic_key_stopword(key).is_some()
        || filters::placeholder_reason(value).is_some()
        || detectors::generic_value_reject(key, value, opts.min_entropy).is_some()
    {
        return None;
    }
    // Docs encode their sample credentials too: `base64("not my real password")`.
    if let Some(decoded) = base64_text(value) {
        if filters::placeholder_reason(&decoded).is_some() {
            return None;
        }
    }
    let mut c = base_candidate(det, span, value);
    c.notes.push(format!(
        "entropy {:.1} bits/char, assigned to `{key}`",
        filters::shannon_entropy(value)
    ));
    if detectors::is_uuid(value) {
        c.confidence = Confidence::Low;
        c.notes.push("UUID-shaped".into());
    }
    Some(c)
}

/// The value as text, if it is standard base64 of printable ASCII.
fn base64_text(value: &str) -> Option<String> {
    use base64::Engine;
    if value.len() % 4 != 0 {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(value)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.bytes()
        .all(|b| b == b' ' || b.is_ascii_graphic())
        .then_some(text)
}

/// An AWS key id with a secret access key within a few lines becomes one
/// critical finding covering both.
fn pair_aws(out: &mut [Candidate], text: &str, eng: &Engine) {
    let secrets: Vec<Range<usize>> = eng
        .aws_secret
        .captures_iter(text)
        .filter_map(|c| c.name("s"))
        .filter(|m| filters::token_placeholder_reason(m.as_str()).is_none())
        .map(|m| m.range())
        .collect();
    if secrets.is_empty() {
        return;
    }
    let mut offsets: Vec<usize> = secrets.iter().map(|r| r.start).collect();
    let ids: Vec<usize> = out
        .iter()
        .enumerate()
        .filter(|(_, c)| c.det.check == Check::AwsKeyId)
        .map(|(i, _)| i)
        .collect();
    offsets.extend(ids.iter().map(|&i| out[i].span.start));
    let lines: std::collections::HashMap<usize, u32> = offsets
        .iter()
        .copied()
        .zip(positions(text, &offsets).into_iter().map(|p| p.line))
        .collect();
    let line_of = |off: usize| -> u32 { lines.get(&off).copied().unwrap_or(0) };
    // Secrets sorted by line, so each id looks only at its neighbourhood.
    let mut by_line: Vec<(u32, &Range<usize>)> =
        secrets.iter().map(|s| (line_of(s.start), s)).collect();
    by_line.sort_by_key(|(l, _)| *l);
    for i in ids {
        let id_line = line_of(out[i].span.start);
        let lo = by_line.partition_point(|(l, _)| *l + detectors::AWS_PAIR_LINES < id_line);
        let hi = by_line.partition_point(|(l, _)| *l <= id_line + detectors::AWS_PAIR_LINES);
        let nearest = by_line[lo..hi]
            .iter()
            .min_by_key(|(l, _)| l.abs_diff(id_line))
            .map(|(_, s)| *s);
        if let Some(s) = nearest {
            let c = &mut out[i];
            let secret = &text[s.clone()];
            c.rule = &rules::AWS_KEY_PAIR;
            c.severity = rules::AWS_KEY_PAIR.severity;
            c.evidence = Some(format!(
                "{} + secret access key ({} chars, {})",
                redacted(&c.secret, 4),
                secret.len(),
                short_hash(secret)
            ));
            c.secret = format!("{}:{secret}", c.secret);
            c.extra_spans.push(s.clone());
            c.notes
                .push(format!("secret access key on line {}", line_of(s.start)));
        }
    }
}

/// One hit per place: a provider hit wins over the generic rule on the same
/// text, and a span is reported once.
fn drop_overlaps(mut cands: Vec<Candidate>, vetoed: &[Range<usize>]) -> Vec<Candidate> {
    let taken: Vec<Range<usize>> = cands
        .iter()
        .filter(|c| c.det.check != Check::Generic)
        .flat_map(|c| std::iter::once(c.span.clone()).chain(c.extra_spans.iter().cloned()))
        .chain(vetoed.iter().cloned())
        .collect();
    let mut taken = taken;
    taken.sort_by_key(|t| t.start);
    // max_end[i]: the furthest end among taken[..=i].
    let max_end: Vec<usize> = taken
        .iter()
        .scan(0usize, |m, t| {
            *m = (*m).max(t.end);
            Some(*m)
        })
        .collect();
    let overlaps_taken = |r: &Range<usize>| {
        let n = taken.partition_point(|t| t.start < r.end);
        n > 0 && max_end[n - 1] > r.start
    };
    cands.retain(|c| c.det.check != Check::Generic || !overlaps_taken(&c.span));
    cands.sort_by_key(|c| (c.span.start, c.span.end));
    cands.dedup_by(|b, a| a.span == b.span);
    cands
}

/// Positions of the offsets (in the order given), in one forward pass.
fn positions(text: &str, offsets: &[usize]) -> Vec<Position> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![
        Position {
            line: 1,
            col_byte: 1,
            col_char: 1
        };
        offsets.len()
    ];
    let (mut at, mut line, mut line_start, mut col_char) = (0usize, 1u32, 0usize, 1u32);
    for i in order {
        let target = floor_boundary(text, offsets[i]);
        if target > at {
            let seg = &text[at..target];
            match seg.rfind('\n') {
                Some(nl) => {
                    let newlines = seg.bytes().filter(|&b| b == b'\n').count();
                    line = line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
                    line_start = at + nl + 1;
                    col_char =
                        1u32.saturating_add(count_u32(text[line_start..target].chars().count()));
                }
                None => col_char = col_char.saturating_add(count_u32(seg.chars().count())),
            }
            at = target;
        }
        out[i] = Position {
            line,
            col_byte: 1u32.saturating_add(count_u32(target - line_start)),
            col_char,
        };
    }
    out
}

fn count_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `sha256:` and the first 8 hex digits of the secret's SHA-256.
fn short_hash(secret: &str) -> String {
    let d = Sha256::digest(secret.as_bytes());
    format!("sha256:{}", guard_core::finding::hex(&d[..4]))
}

/// `prefix...(n chars, sha256:xxxxxxxx)`.
fn redacted(secret: &str, shown_prefix: usize) -> String {
    let n = secret.chars().count();
    // Never show more than a third of the secret, whatever the prefix.
    let shown = shown_prefix.min(n / 3);
    let prefix: String = secret.chars().take(shown).collect();
    format!("{prefix}...({n} chars, {})", short_hash(secret))
}

/// `sha256(rule_id, secret)`, as [`Finding::fingerprint_key`] computes it.
fn fingerprint(rule_id: &str, secret: &str) -> String {
    guard_core::finding::hash_parts(&[rule_id, secret])
}

/// Positions, evidence, snippets, fingerprints.
fn finish(path: &str, text: &str, cands: Vec<Candidate>, opts: &ScanOptions) -> Vec<SecretHit> {
    if cands.is_empty() {
        return Vec::new();
    }
    let total = cands.len();
    let cands: Vec<Candidate> = cands.into_iter().take(opts.max_hits_per_file).collect();
    let mut offsets = Vec::with_capacity(cands.len() * 2);
    for c in &cands {
        offsets.push(c.span.start);
        offsets.push(c.span.end);
    }
    let pos = positions(text, &offsets);
    let all_spans: Vec<Range<usize>> = cands
        .iter()
        .flat_map(|c| std::iter::once(c.span.clone()).chain(c.extra_spans.iter().cloned()))
        .collect();
    let mut hits: Vec<SecretHit> = cands
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let evidence = c
                .evidence
                .clone()
                .unwrap_or_else(|| redacted(&c.secret, c.det.shown_prefix));
            let start = pos[2 * i];
            let end = pos[2 * i + 1];
            let snippet = snippet(text, &c.span, start, &evidence, &all_spans);
            SecretHit {
                rule: c.rule,
                rule_id: c.rule.id,
                provider: c.det.provider,
                kind: if c.rule.id == rules::AWS_KEY_PAIR.id {
                    "access key id and secret access key"
                } else {
                    c.det.kind
                },
                path: path.to_owned(),
                start,
                end,
                byte_range: c.span.clone(),
                severity: c.severity,
                confidence: c.confidence,
                evidence,
                snippet,
                fingerprint: fingerprint(c.rule.id, &c.secret),
                notes: c.notes,
                commit: None,
            }
        })
        .collect();
    if total > hits.len() {
        if let Some(last) = hits.last_mut() {
            last.notes.push(format!(
                "{} more hits in this file not reported (limit {})",
                total - opts.max_hits_per_file,
                opts.max_hits_per_file
            ));
        }
    }
    hits
}

/// The hit's line around the secret (at most 80 characters either side),
/// with the secret replaced by its evidence and any other secret on the line
/// by `[redacted]`. A multi-line secret ends the snippet.
fn snippet(
    text: &str,
    span: &Range<usize>,
    start: Position,
    evidence: &str,
    all: &[Range<usize>],
) -> String {
    const SIDE: usize = 80;
    let line_start = span.start - (start.col_byte as usize - 1);
    let before_start = floor_boundary(text, span.start.saturating_sub(SIDE * 4).max(line_start));
    let multi_line = text[span.clone()].contains('\n');
    let after_end = if multi_line {
        span.end
    } else {
        let rest = &text[span.end..];
        let lim = floor_boundary(rest, SIDE * 4);
        span.end + rest[..lim].find('\n').unwrap_or(lim)
    };
    let mut out = String::new();
    let mut at = before_start;
    let mut others: Vec<&Range<usize>> = all
        .iter()
        .filter(|r| *r != span && r.start < after_end && r.end > before_start)
        .collect();
    others.sort_by_key(|r| r.start);
    let mut pieces: Vec<(Range<usize>, String)> = others
        .into_iter()
        .map(|r| (r.clone(), "[redacted]".to_owned()))
        .collect();
    pieces.push((span.clone(), evidence.to_owned()));
    pieces.sort_by_key(|(r, _)| r.start);
    for (r, repl) in pieces {
        let r_start = floor_boundary(text, r.start.max(at));
        if r_start > at {
            out.push_str(&text[at..r_start]);
        }
        if r.end > at {
            out.push_str(&repl);
            at = floor_boundary(text, r.end.min(after_end.max(r.end)));
        }
    }
    if after_end > at {
        out.push_str(&text[at..after_end]);
    }
    let trimmed = out.trim_end_matches(['\r', '\n']);
    // Keep the snippet one line and bounded, around the evidence.
    let chars: Vec<char> = trimmed.chars().collect();
    if chars.len() <= 2 * SIDE + evidence.chars().count() {
        return trimmed.to_owned();
    }
    let ev_at = trimmed.find(evidence).unwrap_or(0);
    let ev_char = trimmed[..ev_at].chars().count();
    let from = ev_char.saturating_sub(SIDE);
    let to = (ev_char + evidence.chars().count() + SIDE).min(chars.len());
    chars[from..to].iter().collect()
}

#[cfg(test)]
mod tests;
