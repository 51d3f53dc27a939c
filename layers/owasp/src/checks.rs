//! Configuration rules: read the folded constant arguments of calls and
//! assignments the engine saw (cipher names, cookie flags, `verify=False`).

use crate::engine::{Analysis, ArgInfo, CallEvent, Const, Lang, Span};
use crate::rules::*;
use guard_core::Confidence;

/// A finding before it is placed in a file.
#[derive(Debug, Clone)]
pub struct Raw {
    pub rule: &'static str,
    pub span: Span,
    pub message: String,
    pub confidence: Confidence,
    pub trace: Vec<crate::engine::Step>,
}

fn raw(rule: &'static str, span: Span, message: impl Into<String>, confidence: Confidence) -> Raw {
    Raw {
        rule,
        span,
        message: message.into(),
        confidence,
        trace: vec![],
    }
}

fn is_false(a: Option<&ArgInfo>) -> bool {
    matches!(
        a.and_then(|a| a.konst.as_ref()),
        Some(Const::Bool(false)) | Some(Const::Int(0))
    ) || a
        .and_then(|a| a.path.as_deref())
        .is_some_and(|p| p == "False")
}

fn is_true(a: Option<&ArgInfo>) -> bool {
    matches!(
        a.and_then(|a| a.konst.as_ref()),
        Some(Const::Bool(true)) | Some(Const::Int(1))
    )
}

fn const_str(a: Option<&ArgInfo>) -> Option<&str> {
    a.and_then(|a| a.konst.as_ref()).and_then(|c| c.as_str())
}

/// Whether an argument is a name (module path or constant) ending in one of
/// `suffixes`, e.g. `MODE_ECB` or `NoopHostnameVerifier.INSTANCE`.
fn arg_path_ends_with(c: &CallEvent, suffixes: &[&str]) -> bool {
    c.args.iter().any(|a| {
        a.path
            .as_deref()
            .is_some_and(|x| suffixes.iter().any(|s| x.ends_with(s)))
    })
}

fn map_get<'a>(a: &'a ArgInfo, key: &str) -> Option<&'a crate::engine::MapEntry> {
    a.map.iter().find(|(k, _, _)| k.eq_ignore_ascii_case(key))
}

const WEAK_HASHES: &[&str] = &["md5", "md4", "md2", "sha1", "sha-1", "sha", "ripemd160"];

fn weak_hash_name(s: &str) -> bool {
    WEAK_HASHES.contains(&s.to_ascii_lowercase().as_str())
}

fn weak_cipher_name(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    let algo = l.split('/').next().unwrap_or("");
    matches!(algo, "des" | "desede" | "tripledes" | "3des" | "rc2" | "rc4" | "arcfour" | "blowfish" | "aes" if algo != "aes" || !l.contains('/'))
        || l.contains("/ecb/")
        || l.starts_with("des-")
        || l.starts_with("des3")
        || l.starts_with("rc4")
        || l.starts_with("rc2")
        || l.starts_with("bf-")
        || l.ends_with("-ecb")
        || l == "des"
        || l == "bf"
}

const SECURITY_WORDS: &[&str] = &[
    "token",
    "password",
    "passwd",
    "secret",
    "key",
    "nonce",
    "salt",
    "session",
    "otp",
    "csrf",
    "auth",
    "cookie",
    "remember",
    "reset",
    "apikey",
    "credential",
    "iv",
];

fn security_context(line: &str, func: &str) -> bool {
    let l = line.to_ascii_lowercase();
    let f = func.to_ascii_lowercase();
    SECURITY_WORDS.iter().any(|w| {
        // whole-word-ish: `key` in `rememberMeKey` or `api_key`, not in `monkey`
        l.match_indices(w).any(|(i, _)| {
            i == 0 || !l.as_bytes()[i - 1].is_ascii_lowercase() || *w != "key" && *w != "iv"
        }) || f.contains(w) && *w != "iv"
    })
}

/// Config rules of one analysed file. `lines` are the file's lines (for
/// security-context words near a weak random call).
pub fn check(path: &str, lang: Lang, a: &Analysis, lines: &[&str]) -> Vec<Raw> {
    let mut out = Vec::new();
    let line_of = |s: Span| {
        lines
            .get(s.start_line.saturating_sub(1) as usize)
            .copied()
            .unwrap_or("")
    };
    for c in &a.calls {
        let func = a
            .functions
            .get(c.func)
            .map(|f| f.name.as_str())
            .unwrap_or("");
        call_checks(lang, c, func, line_of(c.span), &mut out);
    }
    for s in &a.assigns {
        let t = s.target.as_str();
        let v = s.value.as_ref();
        let falsy =
            matches!(v, Some(Const::Bool(false))) || s.value_path.as_deref() == Some("False");
        let truthy =
            matches!(v, Some(Const::Bool(true))) || s.value_path.as_deref() == Some("True");
        let last = t
            .rsplit(['.', '['])
            .next()
            .unwrap_or(t)
            .trim_end_matches(']');
        match (lang, last) {
            (Lang::Python, "SESSION_COOKIE_SECURE" | "CSRF_COOKIE_SECURE" | "REMEMBER_COOKIE_SECURE") if falsy => {
                out.push(raw(COOKIE_SECURE, s.span, format!("{last} is False: the cookie is also sent over plain HTTP"), Confidence::High))
            }
            (Lang::Python, "SESSION_COOKIE_HTTPONLY" | "REMEMBER_COOKIE_HTTPONLY") if falsy => {
                out.push(raw(COOKIE_HTTPONLY, s.span, format!("{last} is False: script can read the session cookie"), Confidence::High))
            }
            (Lang::Python, "WTF_CSRF_ENABLED" | "WTF_CSRF_CHECK_DEFAULT") if falsy => {
                out.push(raw(CSRF, s.span, format!("{last} = False turns CSRF protection off"), Confidence::High))
            }
            (Lang::Python, "DEBUG") if truthy && (path.ends_with("settings.py") || path.contains("/settings/") || t.contains("config")) => {
                out.push(raw(DEBUG, s.span, "DEBUG = True in settings: stack traces and settings are shown to anyone", Confidence::Medium))
            }
            (Lang::Python, "debug") if truthy && t.ends_with("app.debug") => {
                out.push(raw(DEBUG, s.span, "app.debug = True enables the Werkzeug debugger", Confidence::High))
            }
            (Lang::Python, "check_hostname") if falsy => {
                out.push(raw(TLS, s.span, "check_hostname = False accepts any certificate host name", Confidence::High))
            }
            (Lang::Python, "verify_mode") if s.value_path.as_deref().is_some_and(|p| p.ends_with("CERT_NONE")) => {
                out.push(raw(TLS, s.span, "verify_mode = CERT_NONE turns certificate verification off", Confidence::High))
            }
            (_, "NODE_TLS_REJECT_UNAUTHORIZED") if matches!(v, Some(Const::Str(x)) if x == "0") || matches!(v, Some(Const::Int(0))) => {
                out.push(raw(TLS, s.span, "NODE_TLS_REJECT_UNAUTHORIZED=0 turns TLS verification off for the whole process", Confidence::High))
            }
            (Lang::Go, "InsecureSkipVerify") if truthy => {
                out.push(raw(TLS, s.span, "InsecureSkipVerify = true turns certificate verification off", Confidence::High))
            }
            _ => {}
        }
    }
    for (i, f) in a.functions.iter().enumerate() {
        if i == 0 {
            continue;
        }
        for d in &f.decorators {
            let last = d.rsplit('.').next().unwrap_or(d);
            if last == "csrf_exempt" || d == "csrf.exempt" {
                out.push(raw(
                    CSRF,
                    f.span,
                    format!("`{}` is exempt from CSRF protection (@{d})", f.name),
                    Confidence::High,
                ));
            }
        }
        if lang == Lang::Java {
            if f.name == "checkServerTrusted" && f.empty_body {
                out.push(raw(
                    TLS,
                    f.span,
                    "a TrustManager whose checkServerTrusted accepts every certificate",
                    Confidence::High,
                ));
            }
            if f.name == "verify" && f.params == 2 && f.returns_true {
                out.push(raw(
                    TLS,
                    f.span,
                    "a HostnameVerifier that accepts every host name",
                    Confidence::High,
                ));
            }
        }
    }
    out
}

fn call_checks(lang: Lang, c: &CallEvent, func: &str, line: &str, out: &mut Vec<Raw>) {
    let p = c.path.as_str();
    let m = c.method.as_str();
    let ends = |pat: &str| crate::engine::tables::path_matches(p, c.is_new, pat);
    match lang {
        Lang::Python => {
            // ---- hashes
            let weak_direct = [
                "hashlib.md5",
                "hashlib.sha1",
                "hashlib.md4",
                "Crypto.Hash.MD5.new",
                "Crypto.Hash.SHA.new",
                "Crypto.Hash.MD4.new",
                "MD5.new",
                "SHA1.new",
                "hashes.MD5",
                "hashes.SHA1",
            ];
            let hash_new = ends("hashlib.new")
                && const_str(c.pos(0).or(c.kwarg("name"))).is_some_and(weak_hash_name);
            if (weak_direct.iter().any(|w| ends(w)) || hash_new)
                && !is_false(c.kwarg("usedforsecurity"))
            {
                out.push(raw(
                    HASH,
                    c.span,
                    format!("`{p}` uses a broken hash algorithm"),
                    Confidence::High,
                ));
            }
            // ---- ciphers
            let weak_ciphers = [
                "DES.new",
                "DES3.new",
                "ARC4.new",
                "ARC2.new",
                "Blowfish.new",
                "algorithms.TripleDES",
                "algorithms.ARC4",
                "algorithms.Blowfish",
                "algorithms.IDEA",
                "modes.ECB",
                "Cipher.DES.new",
                "Cipher.ARC4.new",
            ];
            let ecb = arg_path_ends_with(c, &["MODE_ECB"]);
            if weak_ciphers.iter().any(|w| ends(w)) || (ends("AES.new") && ecb) {
                out.push(raw(
                    CIPHER,
                    c.span,
                    format!("`{p}` uses a broken cipher or ECB mode"),
                    Confidence::High,
                ));
            }
            // ---- random
            let rand_fns = [
                "random",
                "randint",
                "randrange",
                "choice",
                "choices",
                "getrandbits",
                "uniform",
                "sample",
                "shuffle",
                "randbytes",
                "triangular",
            ];
            if p.starts_with("random.")
                && !p.starts_with("random.SystemRandom")
                && p.matches('.').count() == 1
                && rand_fns.contains(&m)
            {
                let conf = if security_context(line, func) {
                    Confidence::High
                } else {
                    Confidence::Low
                };
                out.push(raw(
                    RANDOM,
                    c.span,
                    format!("`{p}` is predictable; use `secrets` for security values"),
                    conf,
                ));
            }
            // ---- deserialisation (the call itself is the issue)
            if ends("yaml.load") || ends("yaml.load_all") {
                let loader = c.kwarg("Loader").or(c.pos(1)).and_then(|a| a.path.clone());
                let safe = loader.as_deref().is_some_and(|l| {
                    l.ends_with("SafeLoader")
                        || l.ends_with("CSafeLoader")
                        || l.ends_with("BaseLoader")
                });
                if !safe {
                    out.push(raw(
                        DESER,
                        c.span,
                        "yaml.load without SafeLoader can construct arbitrary Python objects",
                        Confidence::Medium,
                    ));
                }
            }
            if ends("yaml.unsafe_load") {
                out.push(raw(
                    DESER,
                    c.span,
                    "yaml.unsafe_load constructs arbitrary Python objects",
                    Confidence::Medium,
                ));
            }
            // ---- TLS
            if is_false(c.kwarg("verify")) && !p.starts_with("jwt.") && !p.contains("jose") {
                out.push(raw(
                    TLS,
                    c.span,
                    format!("`{p}(verify=False)` accepts any certificate"),
                    Confidence::High,
                ));
            }
            if ends("ssl._create_unverified_context") || ends("ssl._create_stdlib_context") {
                out.push(raw(
                    TLS,
                    c.span,
                    "an unverified SSL context accepts any certificate",
                    Confidence::High,
                ));
            }
            // ---- XXE
            if (ends("etree.XMLParser") || ends("lxml.etree.XMLParser"))
                && (is_true(c.kwarg("resolve_entities")) || is_false(c.kwarg("no_network")))
            {
                out.push(raw(
                    XXE,
                    c.span,
                    "lxml XMLParser with entity resolution / network access enabled",
                    Confidence::High,
                ));
            }
            if m == "setFeature"
                && c.pos(0).and_then(|a| a.path.as_deref()).is_some_and(|x| {
                    x.ends_with("feature_external_ges") || x.ends_with("feature_external_pes")
                })
                && is_true(c.pos(1))
            {
                out.push(raw(
                    XXE,
                    c.span,
                    "the SAX parser is told to resolve external entities",
                    Confidence::High,
                ));
            }
            // ---- cookies
            // response.set_cookie(key, value, ...), not CookieJar.set_cookie(cookie)
            if m == "set_cookie" && p.contains('.') && c.args.len() >= 2 {
                if !is_true(c.kwarg("secure")) {
                    out.push(raw(
                        COOKIE_SECURE,
                        c.span,
                        "set_cookie without secure=True",
                        Confidence::High,
                    ));
                }
                if !is_true(c.kwarg("httponly")) {
                    out.push(raw(
                        COOKIE_HTTPONLY,
                        c.span,
                        "set_cookie without httponly=True",
                        Confidence::High,
                    ));
                }
            }
            // ---- Jinja without autoescape
            if (ends("jinja2.Environment") || p == "jinja2.Template")
                && (c.kwarg("autoescape").is_none() || is_false(c.kwarg("autoescape")))
            {
                out.push(raw(
                    XSS,
                    c.span,
                    "a Jinja2 environment without autoescape renders variables unescaped",
                    Confidence::Medium,
                ));
            }
            // ---- debug, CSP
            if m == "run" && is_true(c.kwarg("debug")) {
                out.push(raw(
                    DEBUG,
                    c.span,
                    format!("`{p}(debug=True)` enables the debugger"),
                    Confidence::High,
                ));
            }
            if ends("Talisman")
                && (matches!(
                    c.kwarg("content_security_policy")
                        .and_then(|a| a.konst.as_ref()),
                    Some(Const::Null) | Some(Const::Bool(false))
                ))
            {
                out.push(raw(
                    CSP,
                    c.span,
                    "Talisman with content_security_policy disabled",
                    Confidence::High,
                ));
            }
            // ---- JWT
            if ends("jwt.decode") || ends("jose.jwt.decode") {
                let opts = c.kwarg("options");
                let no_verify = opts
                    .and_then(|o| map_get(o, "verify_signature"))
                    .is_some_and(|(_, v, _)| matches!(v, Some(Const::Bool(false))));
                let none_alg = c.kwarg("algorithms").is_some_and(|a| {
                    a.list
                        .iter()
                        .any(|x| matches!(x, Some(Const::Str(s)) if s.eq_ignore_ascii_case("none")))
                });
                if no_verify || none_alg || is_false(c.kwarg("verify")) {
                    out.push(raw(
                        JWT,
                        c.span,
                        "jwt.decode without signature verification (or with alg none)",
                        Confidence::High,
                    ));
                }
            }
        }
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx => {
            if (ends("crypto.createHash") || m == "createHash")
                && const_str(c.pos(0)).is_some_and(weak_hash_name)
            {
                out.push(raw(
                    HASH,
                    c.span,
                    "createHash with a broken algorithm",
                    Confidence::High,
                ));
            }
            if matches!(m, "createCipheriv" | "createCipher" | "createDecipheriv")
                && const_str(c.pos(0)).is_some_and(weak_cipher_name)
            {
                out.push(raw(
                    CIPHER,
                    c.span,
                    "a broken cipher or ECB mode",
                    Confidence::High,
                ));
            }
            if p == "Math.random" {
                let conf = if security_context(line, func) {
                    Confidence::High
                } else {
                    Confidence::Low
                };
                out.push(raw(
                    RANDOM,
                    c.span,
                    "Math.random is predictable; use crypto.randomBytes / getRandomValues",
                    conf,
                ));
            }
            for a in &c.args {
                if map_get(a, "rejectUnauthorized")
                    .is_some_and(|(_, v, _)| matches!(v, Some(Const::Bool(false))))
                {
                    out.push(raw(
                        TLS,
                        c.span,
                        "rejectUnauthorized: false accepts any certificate",
                        Confidence::High,
                    ));
                }
            }
            if m == "cookie" && p.contains('.') && c.args.len() >= 2 {
                let opts = c.pos(2);
                let flag = |k: &str| {
                    opts.and_then(|o| map_get(o, k))
                        .is_some_and(|(_, v, _)| matches!(v, Some(Const::Bool(true))))
                };
                if opts.is_none() || opts.is_some_and(|o| !o.map.is_empty() || o.konst.is_some()) {
                    if !flag("secure") {
                        out.push(raw(
                            COOKIE_SECURE,
                            c.span,
                            "res.cookie without secure: true",
                            Confidence::High,
                        ));
                    }
                    if !flag("httpOnly") {
                        out.push(raw(
                            COOKIE_HTTPONLY,
                            c.span,
                            "res.cookie without httpOnly: true",
                            Confidence::High,
                        ));
                    }
                }
            }
            if ends("helmet") || p == "helmet" {
                if let Some(a) = c.pos(0) {
                    if map_get(a, "contentSecurityPolicy")
                        .is_some_and(|(_, v, _)| matches!(v, Some(Const::Bool(false))))
                    {
                        out.push(raw(
                            CSP,
                            c.span,
                            "helmet with contentSecurityPolicy: false",
                            Confidence::High,
                        ));
                    }
                }
            }
            if (m == "verify" && p.contains("jwt") || ends("jsonwebtoken.verify"))
                && c.args.iter().any(|a| map_get(a, "algorithms").is_some_and(|(_, _, l)| l.as_ref().is_some_and(|l| l.iter().any(|x| matches!(x, Some(Const::Str(s)) if s.eq_ignore_ascii_case("none")))))) {
                    out.push(raw(JWT, c.span, "jwt.verify accepts alg none", Confidence::High));
            }
            if (m == "decode" && (p == "jwt.decode" || ends("jsonwebtoken.decode")))
                && !line.contains("complete")
            {
                out.push(raw(
                    JWT,
                    c.span,
                    "jwt.decode does not verify the signature; use jwt.verify",
                    Confidence::Medium,
                ));
            }
            if matches!(m, "parseXml" | "parseXmlString")
                && c.args.iter().any(|a| {
                    map_get(a, "noent")
                        .is_some_and(|(_, v, _)| matches!(v, Some(Const::Bool(true))))
                })
            {
                out.push(raw(
                    XXE,
                    c.span,
                    "libxmljs with noent: true expands external entities",
                    Confidence::High,
                ));
            }
        }
        Lang::Go => {
            if p.starts_with("crypto/md5.")
                || p.starts_with("crypto/sha1.")
                || p.starts_with("golang.org/x/crypto/md4.")
            {
                out.push(raw(
                    HASH,
                    c.span,
                    format!("`{p}` uses a broken hash algorithm"),
                    Confidence::High,
                ));
            }
            if p.starts_with("crypto/des.")
                || p.starts_with("crypto/rc4.")
                || p.starts_with("golang.org/x/crypto/blowfish.")
            {
                out.push(raw(
                    CIPHER,
                    c.span,
                    format!("`{p}` is a broken cipher"),
                    Confidence::High,
                ));
            }
            if (p.starts_with("math/rand.") || p.starts_with("math/rand/v2."))
                && !matches!(m, "New" | "NewSource" | "Seed")
            {
                let conf = if security_context(line, func) {
                    Confidence::High
                } else {
                    Confidence::Low
                };
                out.push(raw(
                    RANDOM,
                    c.span,
                    "math/rand is predictable; use crypto/rand",
                    conf,
                ));
            }
            if c.is_new && (ends("tls.Config") || p.ends_with("crypto/tls.Config")) {
                if let Some(a) = c.pos(0) {
                    if map_get(a, "InsecureSkipVerify")
                        .is_some_and(|(_, v, _)| matches!(v, Some(Const::Bool(true))))
                    {
                        out.push(raw(
                            TLS,
                            c.span,
                            "tls.Config{InsecureSkipVerify: true} accepts any certificate",
                            Confidence::High,
                        ));
                    }
                }
            }
            if c.is_new && (ends("http.Cookie") || p.ends_with("net/http.Cookie")) {
                if let Some(a) = c.pos(0) {
                    let flag = |k: &str| {
                        map_get(a, k).is_some_and(|(_, v, _)| matches!(v, Some(Const::Bool(true))))
                    };
                    if !flag("Secure") {
                        out.push(raw(
                            COOKIE_SECURE,
                            c.span,
                            "http.Cookie without Secure: true",
                            Confidence::Medium,
                        ));
                    }
                    if !flag("HttpOnly") {
                        out.push(raw(
                            COOKIE_HTTPONLY,
                            c.span,
                            "http.Cookie without HttpOnly: true",
                            Confidence::Medium,
                        ));
                    }
                }
            }
            if m == "SetCookie" && c.args.len() >= 7 {
                if is_false(c.pos(5)) {
                    out.push(raw(
                        COOKIE_SECURE,
                        c.span,
                        "SetCookie with secure=false",
                        Confidence::High,
                    ));
                }
                if is_false(c.pos(6)) {
                    out.push(raw(
                        COOKIE_HTTPONLY,
                        c.span,
                        "SetCookie with httpOnly=false",
                        Confidence::High,
                    ));
                }
            }
            if m == "ParseUnverified"
                || arg_path_ends_with(c, &["SigningMethodNone", "UnsafeAllowNoneSignatureType"])
            {
                out.push(raw(
                    JWT,
                    c.span,
                    "a JWT parsed without verification or with alg none",
                    Confidence::High,
                ));
            }
        }
        Lang::Java => {
            if ends("MessageDigest.getInstance") && const_str(c.pos(0)).is_some_and(weak_hash_name)
            {
                out.push(raw(
                    HASH,
                    c.span,
                    format!(
                        "MessageDigest.getInstance(\"{}\") is a broken hash",
                        const_str(c.pos(0)).unwrap_or("")
                    ),
                    Confidence::High,
                ));
            }
            if p.contains("DigestUtils.")
                && (m.starts_with("md5")
                    || m.starts_with("sha1")
                    || m == "shaHex"
                    || m.starts_with("md2"))
            {
                out.push(raw(
                    HASH,
                    c.span,
                    format!("DigestUtils.{m} is a broken hash"),
                    Confidence::High,
                ));
            }
            if (ends("Cipher.getInstance")
                || ends("KeyGenerator.getInstance")
                    && const_str(c.pos(0)).is_some_and(|s| !s.eq_ignore_ascii_case("aes")))
                && const_str(c.pos(0)).is_some_and(weak_cipher_name)
            {
                out.push(raw(
                    CIPHER,
                    c.span,
                    format!(
                        "\"{}\" is a broken cipher or ECB mode",
                        const_str(c.pos(0)).unwrap_or("")
                    ),
                    Confidence::High,
                ));
            }
            if (c.is_new && (ends("Random") || p == "java.util.Random"))
                || p == "Math.random"
                || ends("ThreadLocalRandom.current")
            {
                let conf = if security_context(line, func) {
                    Confidence::High
                } else {
                    Confidence::Medium
                };
                out.push(raw(
                    RANDOM,
                    c.span,
                    format!("`{p}` is predictable; use java.security.SecureRandom"),
                    conf,
                ));
            }
            if c.recv_obj == Some("cookie") && m == "setSecure" && is_false(c.pos(0)) {
                out.push(raw(
                    COOKIE_SECURE,
                    c.span,
                    "cookie.setSecure(false)",
                    Confidence::High,
                ));
            }
            if c.recv_obj == Some("cookie") && m == "setHttpOnly" && is_false(c.pos(0)) {
                out.push(raw(
                    COOKIE_HTTPONLY,
                    c.span,
                    "cookie.setHttpOnly(false)",
                    Confidence::High,
                ));
            }
            if m == "addCookie" {
                if let Some(a) = c.pos(0).filter(|a| a.obj == Some("cookie")) {
                    let set = |name: &str| a.facts.iter().any(|(f, _)| f == name);
                    if !set("setSecure") {
                        out.push(raw(
                            COOKIE_SECURE,
                            c.span,
                            "a cookie added without setSecure(true)",
                            Confidence::Medium,
                        ));
                    }
                    if !set("setHttpOnly") {
                        out.push(raw(
                            COOKIE_HTTPONLY,
                            c.span,
                            "a cookie added without setHttpOnly(true)",
                            Confidence::Medium,
                        ));
                    }
                }
            }
            if matches!(
                m,
                "newDocumentBuilder"
                    | "newSAXParser"
                    | "createXMLStreamReader"
                    | "createXMLEventReader"
                    | "newTransformer"
                    | "newSchema"
                    | "newXMLReader"
            ) && c.recv_obj == Some("xml-factory")
            {
                let protected = c.recv_facts.iter().any(|(f, args)| {
                    let texts: Vec<String> = args.iter().flatten().map(|x| x.to_text()).collect();
                    let has = |s: &str| texts.iter().any(|t| t.contains(s));
                    (f == "setFeature"
                        && (has("disallow-doctype-decl")
                            && args.get(1) == Some(&Some(Const::Bool(true)))
                            || (has("external-general-entities") || has("load-external-dtd"))
                                && args.get(1) == Some(&Some(Const::Bool(false)))
                            || has("FEATURE_SECURE_PROCESSING")
                                && args.get(1) == Some(&Some(Const::Bool(true)))))
                        || (f == "setProperty" || f == "setAttribute")
                            && (args.get(1) == Some(&Some(Const::Bool(false)))
                                || args.get(1) == Some(&Some(Const::Str(String::new()))))
                        || f == "setExpandEntityReferences"
                            && args.first() == Some(&Some(Const::Bool(false)))
                });
                if !protected {
                    out.push(raw(
                        XXE,
                        c.span,
                        "the XML parser factory keeps DTDs and external entities enabled",
                        Confidence::Medium,
                    ));
                }
            }
            if m == "disable" && p.contains("csrf()")
                || m == "csrf" && arg_path_ends_with(c, &["::disable"])
            {
                out.push(raw(
                    CSRF,
                    c.span,
                    "Spring Security CSRF protection disabled",
                    Confidence::High,
                ));
            }
            if (c.is_new && ends("NoopHostnameVerifier"))
                || arg_path_ends_with(
                    c,
                    &[
                        "ALLOW_ALL_HOSTNAME_VERIFIER",
                        "NoopHostnameVerifier.INSTANCE",
                    ],
                )
            {
                out.push(raw(
                    TLS,
                    c.span,
                    "a host name verifier that accepts every host",
                    Confidence::High,
                ));
            }
            if matches!(
                m,
                "parseClaimsJwt" | "parseUnsecuredClaims" | "parseUnsecuredContent"
            ) || ends("Algorithm.none")
            {
                out.push(raw(
                    JWT,
                    c.span,
                    format!("`{m}` accepts unsigned tokens"),
                    Confidence::High,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cipher_names() {
        for w in [
            "DES/CBC/PKCS5Padding",
            "DESede/ECB/PKCS5Padding",
            "AES/ECB/NoPadding",
            "AES",
            "RC4",
            "des-ede3-cbc",
            "aes-128-ecb",
            "bf-cbc",
        ] {
            assert!(weak_cipher_name(w), "{w}");
        }
        for s in [
            "AES/GCM/NoPadding",
            "AES/CBC/PKCS5Padding",
            "aes-256-gcm",
            "AES/CCM/NoPadding",
            "chacha20-poly1305",
        ] {
            assert!(!weak_cipher_name(s), "{s}");
        }
    }

    #[test]
    fn security_words() {
        assert!(security_context("String rememberMeKey = x;", "doPost"));
        assert!(security_context("tok = random.random()", "make_token"));
        assert!(!security_context("n = random.randint(1, 6)", "roll_dice"));
        assert!(!security_context("monkey = random.choice(zoo)", "pick"));
    }
}
