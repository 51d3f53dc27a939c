//! The review rule table: the single source for `guard rules review`,
//! `guard explain`, SARIF rule metadata and finding tags.
//!
//! Severities follow the review scale: CRITICAL blocks a merge (remote code
//! execution, authentication bypass), HIGH must be fixed (SQL injection,
//! stored XSS, privilege escalation), MEDIUM should be (CSRF, reflected XSS,
//! likely bugs), LOW is best practice.

use guard_core::{Rule, Severity};

macro_rules! rule {
    ($id:expr, $sev:ident, $title:expr, $why:expr, $fix:expr, [$($tag:expr),*]) => {
        Rule {
            id: $id,
            severity: Severity::$sev,
            title: $title,
            rationale: $why,
            remediation: $fix,
            tags: &[$($tag),*],
            references: &[],
        }
    };
}

pub const BUG_SWALLOWED: &str = "REVIEW-BUG-001";
pub const BUG_IGNORED_ERROR: &str = "REVIEW-BUG-002";
pub const BUG_NULL_DEREF: &str = "REVIEW-BUG-003";
pub const BUG_RESOURCE: &str = "REVIEW-BUG-004";
pub const BUG_MUTABLE_DEFAULT: &str = "REVIEW-BUG-005";
pub const BUG_SELF_COMPARE: &str = "REVIEW-BUG-006";
pub const BUG_UNREACHABLE: &str = "REVIEW-BUG-007";
pub const BUG_OFF_BY_ONE: &str = "REVIEW-BUG-008";
pub const BUG_UNWRAP: &str = "REVIEW-BUG-009";

pub const SEC_CMD: &str = "REVIEW-SEC-001";
pub const SEC_CODE: &str = "REVIEW-SEC-002";
pub const SEC_DESER: &str = "REVIEW-SEC-003";
pub const SEC_SQL: &str = "REVIEW-SEC-004";
pub const SEC_PATH: &str = "REVIEW-SEC-005";
pub const SEC_SSRF: &str = "REVIEW-SEC-006";
pub const SEC_XSS: &str = "REVIEW-SEC-007";
pub const SEC_QUERY_LANG: &str = "REVIEW-SEC-008";
pub const SEC_REDIRECT: &str = "REVIEW-SEC-009";
pub const SEC_TRUST: &str = "REVIEW-SEC-010";
pub const SEC_SECRET: &str = "REVIEW-SEC-011";
pub const SEC_AUTH_REMOVED: &str = "REVIEW-SEC-012";
pub const SEC_CSRF: &str = "REVIEW-SEC-013";

pub const PERF_N_PLUS_ONE: &str = "REVIEW-PERF-001";
pub const PERF_REGEX_LOOP: &str = "REVIEW-PERF-002";
pub const PERF_AWAIT_LOOP: &str = "REVIEW-PERF-003";
pub const PERF_LIST_MEMBERSHIP: &str = "REVIEW-PERF-004";
pub const PERF_STRING_CONCAT: &str = "REVIEW-PERF-005";
pub const PERF_UNBOUNDED_BODY: &str = "REVIEW-PERF-006";

pub const QUAL_LENGTH: &str = "REVIEW-QUAL-001";
pub const QUAL_COGNITIVE: &str = "REVIEW-QUAL-002";
pub const QUAL_NESTING: &str = "REVIEW-QUAL-003";
pub const QUAL_PARAMS: &str = "REVIEW-QUAL-004";
pub const QUAL_DUPLICATE: &str = "REVIEW-QUAL-005";
pub const QUAL_NAMING: &str = "REVIEW-QUAL-006";

pub static RULES: &[Rule] = &[
    rule!(BUG_SWALLOWED, Medium, "Exception swallowed",
        "An `except: pass`, an empty `catch {}` or a handler that does nothing hides the failure: the program goes on in a state nobody checked.",
        "Handle the error, log it with context, or let it propagate; catch only the exceptions you expect.",
        ["CWE-390", "reviewer:bug"]),
    rule!(BUG_IGNORED_ERROR, Medium, "Error result ignored",
        "Assigning an error to `_` (`_ = f()`, `x, _ := f()`, `let _ = f();`) drops the only sign that the call failed.",
        "Check the error and return or handle it.",
        ["CWE-252", "reviewer:bug"]),
    rule!(BUG_NULL_DEREF, Medium, "Possible null dereference after a call that may return nothing",
        "The value comes from a call that returns None/null/undefined when nothing matches (`re.match`, `dict.get`, `querySelector`, `find`), and is used without a check.",
        "Check the value (`if m is None: ...`, `?.`) before using it.",
        ["CWE-476", "reviewer:bug"]),
    rule!(BUG_RESOURCE, Medium, "Resource opened and not closed on every path",
        "A file or connection opened outside `with`/try-with-resources/`defer` leaks when an exception or early return skips the close.",
        "Use `with open(...)`, try-with-resources, `defer f.Close()` or close it in `finally`.",
        ["CWE-772", "reviewer:bug"]),
    rule!(BUG_MUTABLE_DEFAULT, Medium, "Mutable default argument",
        "A list, dict or set default is created once and shared by every call: items added in one call appear in the next.",
        "Default to `None` and create the value in the body.",
        ["CWE-1188", "reviewer:bug"]),
    rule!(BUG_SELF_COMPARE, Medium, "Value compared with itself",
        "`x == x` is always true (and `x < x` always false): the comparison was almost certainly meant to use another operand.",
        "Compare with the intended value; to test for NaN use `math.isnan`/`Number.isNaN`.",
        ["CWE-570", "CWE-571", "reviewer:bug"]),
    rule!(BUG_UNREACHABLE, Low, "Unreachable code after return, raise or break",
        "Statements after an unconditional `return`, `raise`, `throw`, `break` or `continue` never run; usually a misplaced line.",
        "Remove the dead code or move the jump.",
        ["CWE-561", "reviewer:bug"]),
    rule!(BUG_OFF_BY_ONE, Medium, "Off-by-one loop bound",
        "A loop runs to `<= len(x)` (or `range(len(x) + 1)`) and indexes `x` with the counter: the last iteration reads past the end.",
        "Use `< len(x)` (or `range(len(x))`), or iterate over the items directly.",
        ["CWE-193", "reviewer:bug"]),
    rule!(BUG_UNWRAP, Low, "unwrap/expect in non-test Rust code",
        "`unwrap()`/`expect()` panic on `None`/`Err`; in library or service code a bad input then aborts the thread or the process.",
        "Propagate with `?` or handle the case; keep unwrap for tests and proven invariants (with a comment).",
        ["CWE-248", "reviewer:bug"]),
    rule!(SEC_CMD, Critical, "Request data reaches a shell command (remote code execution)",
        "A value from the request flows into a command run by a shell or process API: an attacker runs commands on the server.",
        "Pass arguments as a list without a shell, and validate against an allow list.",
        ["CWE-78", "OWASP:A03:2021", "reviewer:security"]),
    rule!(SEC_CODE, Critical, "Request data is evaluated as code (remote code execution)",
        "A value from the request reaches `eval`, `exec`, a template compiled at run time or a dynamic import.",
        "Never evaluate request data; parse it (`json.loads`, `ast.literal_eval`) or map it to fixed choices.",
        ["CWE-94", "OWASP:A03:2021", "reviewer:security"]),
    rule!(SEC_DESER, Critical, "Request data is deserialised unsafely (remote code execution)",
        "`pickle`, `yaml.load`, Java serialisation and similar run code chosen by whoever wrote the bytes.",
        "Use a data-only format (JSON) or a safe loader (`yaml.safe_load`).",
        ["CWE-502", "OWASP:A08:2021", "reviewer:security"]),
    rule!(SEC_SQL, High, "SQL injection",
        "A value from the request is concatenated or formatted into an SQL statement.",
        "Use bound parameters (`cursor.execute(sql, (v,))`, `?`/`$1` placeholders, the ORM's filters).",
        ["CWE-89", "OWASP:A03:2021", "reviewer:security"]),
    rule!(SEC_PATH, High, "Path traversal",
        "A value from the request builds a file path: `../` reads or writes files outside the intended folder.",
        "Resolve the path and check it stays under the base folder, or map names to files.",
        ["CWE-22", "OWASP:A01:2021", "reviewer:security"]),
    rule!(SEC_SSRF, High, "Server-side request forgery",
        "A value from the request chooses the URL or host the server connects to (cloud metadata, internal services).",
        "Allow-list hosts and schemes; never fetch a URL taken from the request as is.",
        ["CWE-918", "OWASP:A10:2021", "reviewer:security"]),
    rule!(SEC_XSS, Medium, "Cross-site scripting (reflected)",
        "A value from the request is written into HTML without escaping. Stored XSS (the value saved and shown to others) is High: review where the value goes.",
        "Let the template engine escape, or escape explicitly (`html.escape`, `textContent`).",
        ["CWE-79", "OWASP:A03:2021", "reviewer:security"]),
    rule!(SEC_QUERY_LANG, High, "LDAP or XPath injection",
        "A value from the request is put into an LDAP filter or an XPath expression.",
        "Escape with the library's filter encoder or use parameterised queries.",
        ["CWE-90", "CWE-643", "OWASP:A03:2021", "reviewer:security"]),
    rule!(SEC_REDIRECT, Medium, "Open redirect",
        "A value from the request chooses where the user is redirected: phishing through the site's own domain.",
        "Redirect to relative paths or allow-listed hosts only.",
        ["CWE-601", "OWASP:A01:2021", "reviewer:security"]),
    rule!(SEC_TRUST, Medium, "Request data stored in a trusted place",
        "A value from the request is stored in the session or another place later code trusts.",
        "Validate before storing; keep user input apart from trusted state.",
        ["CWE-501", "OWASP:A04:2021", "reviewer:security"]),
    rule!(SEC_SECRET, High, "Secret added in the change",
        "A credential written into source is readable by everyone with the repository and stays in its history.",
        "Remove it, rotate it, and read it from the environment or a secret manager.",
        ["CWE-798", "OWASP:A07:2021", "reviewer:security"]),
    rule!(SEC_AUTH_REMOVED, Critical, "Authentication or authorisation check removed (auth bypass)",
        "The change removes an auth decorator, annotation or route middleware (`@login_required`, `@PreAuthorize`, `requireAuth`) from a handler that keeps existing: the endpoint becomes reachable without it.",
        "Restore the check, or confirm the endpoint is meant to be public and say so in the code.",
        ["CWE-862", "CWE-306", "OWASP:A01:2021", "reviewer:security"]),
    rule!(SEC_CSRF, Medium, "CSRF protection disabled in the change",
        "The change exempts a handler from CSRF protection (`@csrf_exempt`, `csrf().disable()`): a page on another site can submit requests as the logged-in user.",
        "Keep CSRF protection; for token-authenticated APIs document why it is safe.",
        ["CWE-352", "OWASP:A01:2021", "reviewer:security"]),
    rule!(PERF_N_PLUS_ONE, Medium, "Database query or HTTP call inside a loop (N+1)",
        "A query or request per item multiplies latency by the number of items; ORM attribute access on each row of an unprefetched query set does the same.",
        "Fetch in one query (`IN (...)`, `select_related`/`prefetch_related`, a join, a batch endpoint) before the loop.",
        ["CWE-1049", "reviewer:performance"]),
    rule!(PERF_REGEX_LOOP, Low, "Regular expression compiled inside a loop",
        "Compiling the same pattern on every iteration wastes time; the pattern does not change.",
        "Compile once, outside the loop (a module constant, `static LazyLock<Regex>`).",
        ["CWE-1050", "reviewer:performance"]),
    rule!(PERF_AWAIT_LOOP, Low, "await inside a loop over independent items",
        "Each iteration waits for the previous one; independent operations could run concurrently.",
        "Start them together (`Promise.all`, `asyncio.gather`) with a concurrency limit, unless order matters.",
        ["CWE-1050", "reviewer:performance"]),
    rule!(PERF_LIST_MEMBERSHIP, Low, "Membership test on a list inside a loop",
        "`x in list`, `list.includes(x)` or `list.contains(x)` scans the list each time: quadratic work.",
        "Build a set (or map) once before the loop.",
        ["CWE-1050", "reviewer:performance"]),
    rule!(PERF_STRING_CONCAT, Low, "String built by concatenation in a loop",
        "Each `+=` copies the string built so far: quadratic time in the number of pieces.",
        "Collect the pieces and join once (`''.join`, `StringBuilder`, `strings.Builder`, `Array.join`).",
        ["CWE-1050", "reviewer:performance"]),
    rule!(PERF_UNBOUNDED_BODY, Medium, "Request body read without a size limit",
        "Reading the whole body into memory lets one client exhaust the server's memory.",
        "Bound the read (`http.MaxBytesReader`, `io.LimitReader`, a body-size limit in the framework).",
        ["CWE-400", "CWE-770", "reviewer:performance"]),
    rule!(QUAL_LENGTH, Low, "Function longer than the threshold",
        "Long functions are hard to review and test; the change made this one longer than the configured limit.",
        "Split it into smaller functions with clear names.",
        ["reviewer:quality"]),
    rule!(QUAL_COGNITIVE, Low, "Cognitive complexity over the threshold",
        "Cognitive complexity (SonarSource) counts breaks in linear flow, weighted by nesting; above the limit a function is hard to follow.",
        "Extract branches into functions, return early, flatten nested conditions.",
        ["reviewer:quality"]),
    rule!(QUAL_NESTING, Low, "Nesting deeper than the threshold",
        "Deeply nested blocks hide which condition holds where.",
        "Return early, extract the inner blocks.",
        ["reviewer:quality"]),
    rule!(QUAL_PARAMS, Low, "Too many parameters",
        "Many parameters make calls error-prone (swapped arguments) and suggest the function does several things.",
        "Group related parameters into a struct or object.",
        ["reviewer:quality"]),
    rule!(QUAL_DUPLICATE, Low, "Duplicated block",
        "The change adds a block of lines that already exists in the change or elsewhere in the file: fixes will have to be made twice.",
        "Extract the shared lines into a function.",
        ["CWE-1041", "reviewer:quality"]),
    rule!(QUAL_NAMING, Low, "Name breaks the file's naming convention",
        "The other functions of the file follow one convention (snake_case or camelCase); this one does not.",
        "Rename it to the file's convention.",
        ["reviewer:quality"]),
];

pub fn rule(id: &str) -> &'static Rule {
    RULES.iter().find(|r| r.id == id).unwrap_or(&RULES[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_named_by_reviewer() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n);
        for r in RULES {
            let reviewer = r
                .tags
                .iter()
                .find_map(|t| t.strip_prefix("reviewer:"))
                .expect("reviewer tag");
            let prefix = match reviewer {
                "bug" => "REVIEW-BUG-",
                "security" => "REVIEW-SEC-",
                "performance" => "REVIEW-PERF-",
                "quality" => "REVIEW-QUAL-",
                other => panic!("unknown reviewer {other}"),
            };
            assert!(r.id.starts_with(prefix), "{}", r.id);
        }
    }
}
