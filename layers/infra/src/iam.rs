//! IAM policy documents: normalisation (statement object or list, string or
//! list values, keys in any case) and the IAM rules.

use crate::model::Hit;
use crate::rules::*;
use crate::value::{Node, V};
use std::collections::HashSet;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    /// Attached to a user, group or role: no Principal.
    Identity,
    /// Attached to a resource (bucket, key, queue, ...): has a Principal.
    Resource,
    /// A role's assume-role policy.
    Trust,
}

/// Condition keys that narrow who a wildcard principal can be.
const RESTRICTING_KEYS: &[&str] = &[
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalservicename",
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourceowner",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:vpceaccount",
    "aws:vpceorgid",
    "aws:vpceorgpaths",
    "aws:userid",
    "aws:username",
    "kms:calleraccount",
    // Delegation to the account's access points (S3 does not count it as public).
    "s3:dataaccesspointaccount",
    "s3:dataaccesspointarn",
    "sts:externalid",
];

/// Read actions that hand out data or secrets (Cloudsplaining's data
/// exfiltration set): on `Resource: "*"` they read everything of the kind.
const DATA_READ: &[&str] = &[
    "s3:GetObject",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "secretsmanager:GetSecretValue",
];

/// Verb prefixes of actions that only read.
const READ_PREFIXES: &[&str] = &[
    "get", "list", "describe", "head", "view", "lookup", "search", "query", "scan", "select",
    "batchget", "check", "validate", "estimate", "preview",
];

fn strings(n: Option<&Node>) -> Vec<(&str, &Node)> {
    let Some(n) = n else { return Vec::new() };
    n.items()
        .into_iter()
        .filter_map(|x| x.as_str().map(|s| (s, x)))
        .collect()
}

/// Case-insensitive glob with `*` and `?`, as IAM matches actions.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let t: Vec<char> = text.to_ascii_lowercase().chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0usize, 0usize, None, 0usize);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

fn is_full_wildcard(action: &str) -> bool {
    let a = action.trim();
    a == "*" || a == "*:*"
}

fn service_wildcard(action: &str) -> Option<&str> {
    let (svc, verb) = action.trim().split_once(':')?;
    (verb == "*" && svc != "*").then_some(svc)
}

/// Whether an action (pattern) can write, delete or manage permissions.
/// An action of a service the AWS reference does not know grants nothing.
pub fn is_write_action(action: &str) -> bool {
    let Some((svc, verb)) = action.trim().split_once(':') else {
        return action.contains('*');
    };
    if !svc.contains(['*', '?']) && !known_service(svc) {
        return false;
    }
    let verb = verb.to_ascii_lowercase();
    if verb.starts_with('*') {
        return true;
    }
    !READ_PREFIXES.iter().any(|p| verb.starts_with(p))
}

/// The actions the AWS Service Authorization Reference lists without any
/// resource type: IAM accepts only `"Resource": "*"` for them. Derived from a
/// packaged copy of the reference by `data/refresh.py`.
static STAR_ONLY_TEXT: &str = include_str!("../data/star_only_actions.txt");

fn star_only() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| word_list(STAR_ONLY_TEXT))
}

/// A data file's lines, lower-cased, without blanks and `#` comments.
fn word_list(text: &str) -> HashSet<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_ascii_lowercase)
        .collect()
}

/// The service prefixes of the same reference (`data/refresh.py`).
static SERVICE_PREFIXES_TEXT: &str = include_str!("../data/service_prefixes.txt");

fn known_service(prefix: &str) -> bool {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| word_list(SERVICE_PREFIXES_TEXT))
        .contains(&prefix.trim().to_ascii_lowercase())
}

/// Whether `action` (no wildcard) accepts only `"Resource": "*"`, so a grant
/// on `*` is the only way to grant it, not "write on everything".
pub fn accepts_only_star(action: &str) -> bool {
    let a = action.trim();
    !a.contains(['*', '?']) && star_only().contains(&a.to_ascii_lowercase())
}

/// Whether a Condition can exclude callers: some key that names the caller
/// or the calling resource is compared, with a positive operator, to values
/// that are not wildcards. `ForAllValues:` (true when the key is absent),
/// `...IfExists`, negated operators and `Null` do not restrict; neither does
/// `ArnLike`/`StringLike` with a wildcard account or a bare `*`.
fn has_restricting_condition(cond: Option<&Node>) -> bool {
    let Some(cond) = cond else { return false };
    let V::Obj(ops) = &cond.v else {
        // A condition guard cannot read (e.g. computed): give it the benefit.
        return cond.is_unknown();
    };
    ops.iter().any(|(op, keys)| {
        let op_l = op.to_ascii_lowercase();
        if op_l.starts_with("forallvalues:")
            || op_l.ends_with("ifexists")
            || op_l.contains("not")
            || op_l == "null"
        {
            return false;
        }
        let like = op_l.contains("like");
        match &keys.v {
            V::Obj(ks) => ks.iter().any(|(k, values)| {
                let k = k.to_ascii_lowercase();
                let key_restricts = RESTRICTING_KEYS.contains(&k.as_str())
                    || k.ends_with(":sub")
                    || k.ends_with(":aud");
                key_restricts && values_restrict(values, like)
            }),
            V::Unknown | V::Unresolved(_) => true,
            _ => false,
        }
    })
}

/// Whether the compared values pin something down: unknown values get the
/// benefit of the doubt; `*`, an ARN with a wildcard account and a `*Like`
/// pattern with almost no fixed prefix do not.
fn values_restrict(values: &Node, like: bool) -> bool {
    let items = values.items();
    if items.is_empty() {
        return false;
    }
    items.iter().all(|v| match &v.v {
        V::Str(s) => value_restricts(s.trim(), like),
        V::Num(_) | V::Bool(_) => true,
        V::Unknown | V::Unresolved(_) => true,
        _ => false,
    })
}

fn value_restricts(s: &str, like: bool) -> bool {
    if s.is_empty() || s == "*" {
        return false;
    }
    if s.starts_with("arn:") {
        return !arn_any_account(s);
    }
    if like {
        let fixed = s.split(['*', '?']).next().unwrap_or("");
        return fixed.len() >= 4;
    }
    true
}

/// `arn:PARTITION:SERVICE:REGION:ACCOUNT:...` whose account is a wildcard
/// (S3 ARNs have no account field and name a global bucket).
fn arn_any_account(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        [_, _, svc, _, account, ..] => {
            let svc_is_s3 = *svc == "s3";
            account.contains(['*', '?'])
                || (account.is_empty() && !svc_is_s3 && parts.len() > 5 && parts[5].contains('*'))
        }
        _ => arn.contains('*'),
    }
}

/// Whether the principal is "anyone": `"*"`, `{"AWS": "*"}` (string or list).
fn wildcard_principal(p: &Node) -> Option<&Node> {
    match &p.v {
        V::Str(s) if s.trim() == "*" => Some(p),
        V::Obj(fields) => fields.iter().find_map(|(k, v)| {
            if k.eq_ignore_ascii_case("AWS") || k == "*" {
                // `arn:aws:iam::*:role/x` is that role in any account.
                strings(Some(v))
                    .into_iter()
                    .find(|(s, _)| {
                        let s = s.trim();
                        s == "*" || (s.starts_with("arn:") && arn_any_account(s))
                    })
                    .map(|(_, n)| n)
            } else {
                None
            }
        }),
        _ => None,
    }
}

/// Runs the IAM rules over one policy document. `key` names where the policy
/// sits (an attribute path) and keeps hits comparable between plan sides.
pub fn check_document(doc: &Node, kind: PolicyKind, key: &str) -> Vec<Hit> {
    let mut hits = Vec::new();
    let Some(stmts) = doc.get_ci("Statement") else {
        return hits;
    };
    for (i, st) in stmts.items().into_iter().enumerate() {
        if !matches!(st.v, V::Obj(_)) {
            continue;
        }
        let sid = st
            .get_ci("Sid")
            .and_then(Node::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| i.to_string());
        let k = format!("{key}:Statement[{sid}]");
        check_statement(st, kind, &k, &mut hits);
    }
    hits
}

/// One finding per statement: every rule that matches is a facet of the same
/// grant, so the statement reports its most severe one and names the others
/// in the message (fixing the statement fixes them all).
fn check_statement(st: &Node, kind: PolicyKind, key: &str, hits: &mut Vec<Hit>) {
    let mut found = Vec::new();
    statement_hits(st, kind, key, &mut found);
    if let Some(best) = strongest(found) {
        hits.push(best);
    }
}

fn rank(h: &Hit) -> guard_core::Severity {
    h.severity.unwrap_or(h.rule.severity)
}

/// The most severe hit (the first among equals, i.e. in the order
/// `statement_hits` pushes them), with the others named in its message.
fn strongest(found: Vec<Hit>) -> Option<Hit> {
    let mut best = 0;
    for (i, h) in found.iter().enumerate() {
        if rank(h) > rank(&found[best]) {
            best = i;
        }
    }
    let mut others: Vec<String> = Vec::new();
    let mut chosen = None;
    for (i, h) in found.into_iter().enumerate() {
        if i == best {
            chosen = Some(h);
        } else if !others.contains(&h.message) {
            others.push(h.message);
        }
    }
    let mut h = chosen?;
    if !others.is_empty() {
        h.message = format!("{}; also {}", h.message, others.join("; "));
    }
    Some(h)
}

fn statement_hits(st: &Node, kind: PolicyKind, key: &str, hits: &mut Vec<Hit>) {
    let allow = match st.get_ci("Effect").map(|e| &e.v) {
        Some(V::Str(e)) => e.trim().eq_ignore_ascii_case("allow"),
        // Effect is required in JSON policies; aws_iam_policy_document defaults to Allow.
        None | Some(V::Null) => true,
        _ => false,
    };
    if !allow {
        return;
    }
    let actions = strings(st.get_ci("Action"));
    let resources = strings(st.get_ci("Resource"));
    let any_resource = resources.iter().any(|(r, _)| r.trim() == "*");
    let line_of = |n: &Node| n.line_or(st.line);

    // IAM rejects a policy whose resources are neither ARNs nor `*`
    // (MalformedPolicyDocument): nothing is granted, and guard says so.
    let malformed = |r: &str| {
        let r = r.trim();
        r != "*" && !r.starts_with("arn:") && !r.contains("${")
    };
    if kind != PolicyKind::Trust
        && !resources.is_empty()
        && resources.iter().all(|(r, _)| malformed(r))
    {
        let n = st.get_ci("Resource").unwrap_or(st);
        hits.push(
            Hit::new(
                &PLAN_UNVERIFIABLE,
                line_of(n),
                format!("{key}:Resource:malformed"),
                format!(
                    "`Resource` `{}` is neither an ARN nor `*`: AWS rejects the policy (MalformedPolicyDocument), so its grants cannot be judged as written",
                    resources[0].0.trim()
                ),
            )
            .over(n),
        );
        return;
    }

    // Who: a wildcard principal is the statement's main problem on resource
    // and trust policies, whatever it is allowed to do.
    if kind != PolicyKind::Identity {
        let restricted = has_restricting_condition(st.get_ci("Condition"));
        if let Some(p) = st.get_ci("Principal") {
            if let Some(w) = wildcard_principal(p) {
                if !restricted {
                    let what = if kind == PolicyKind::Trust {
                        "any AWS principal can assume this role"
                    } else {
                        "any principal is allowed"
                    };
                    hits.push(
                        Hit::new(
                            &IAM_ANY_PRINCIPAL,
                            line_of(w),
                            format!("{key}:Principal:*"),
                            format!(
                                "{what} (`Principal` is a wildcard) and no Condition restricts it"
                            ),
                        )
                        .over(w),
                    );
                }
            }
        }
        // (Policy documents with principals may be trust policies too.)
        if let Some(h) = github_oidc_unrestricted(st, key) {
            hits.push(h);
        }
        if let Some(np) = st.get_ci("NotPrincipal").filter(|n| is_present(n)) {
            if !restricted {
                hits.push(
                    Hit::new(
                        &IAM_ANY_PRINCIPAL,
                        line_of(np),
                        format!("{key}:NotPrincipal"),
                        "Allow with `NotPrincipal` allows every principal not listed",
                    )
                    .over(np),
                );
            }
        }
    }

    // No Resource at all (or NotResource) counts as every resource.
    let all_resources = any_resource || st.get_ci("Resource").is_none();
    let mut services: Vec<&str> = Vec::new();
    let mut first_service: Option<&Node> = None;
    for (a, n) in &actions {
        if is_full_wildcard(a) && all_resources {
            hits.push(
                Hit::new(
                    &IAM_FULL_ADMIN,
                    line_of(n),
                    format!("{key}:Action:*"),
                    format!("statement allows every action (`{a}`)"),
                )
                .over(n),
            );
        } else if is_full_wildcard(a) {
            hits.push(
                Hit::new(
                    &IAM_SERVICE_WILDCARD,
                    line_of(n),
                    format!("{key}:Action:{a}"),
                    format!("statement allows every action (`{a}`) of every service on the resources it names"),
                )
                .severity(guard_core::Severity::High)
                .over(n),
            );
        } else if let Some(svc) = service_wildcard(a) {
            services.push(svc);
            first_service.get_or_insert(n);
        }
    }
    // In a resource policy `Resource: "*"` is the resource the policy is
    // attached to (a key, a queue): who may act is the question (IAM-006),
    // not "every resource of the account".
    if any_resource && kind == PolicyKind::Identity {
        if let Some((a, n)) = actions
            .iter()
            .find(|(a, _)| !is_full_wildcard(a) && glob_match(a, "iam:PassRole"))
        {
            hits.push(
                Hit::new(
                    &IAM_PASSROLE_ANY,
                    line_of(n),
                    format!("{key}:PassRole"),
                    format!("`{a}` lets the holder pass any role to a service"),
                )
                .over(n),
            );
        }
        let writes: Vec<&str> = actions
            .iter()
            .map(|(a, _)| *a)
            .filter(|a| !is_full_wildcard(a) && is_write_action(a) && !accepts_only_star(a))
            // PassRole itself is INFRA-IAM-005 above.
            .filter(|a| !a.trim().eq_ignore_ascii_case("iam:PassRole"))
            .collect();
        if !writes.is_empty() {
            let n = st.get_ci("Resource").unwrap_or(st);
            let shown: Vec<&str> = writes.iter().take(5).copied().collect();
            hits.push(
                Hit::new(
                    &IAM_WRITE_ANY_RESOURCE,
                    line_of(n),
                    format!("{key}:Resource:*"),
                    format!(
                        "write/permission actions on every resource: {}{}",
                        shown.join(", "),
                        if writes.len() > shown.len() {
                            ", ..."
                        } else {
                            ""
                        }
                    ),
                )
                .over(n),
            );
        }
    }
    if any_resource && kind == PolicyKind::Identity {
        let reads: Vec<&str> = actions
            .iter()
            .map(|(a, _)| *a)
            .filter(|a| !is_full_wildcard(a) && DATA_READ.iter().any(|t| glob_match(a, t)))
            .collect();
        if !reads.is_empty() {
            let n = st.get_ci("Resource").unwrap_or(st);
            hits.push(
                Hit::new(
                    &IAM_DATA_READ_ANY,
                    line_of(n),
                    format!("{key}:Resource:*:read"),
                    format!(
                        "reads every object or secret of the account: {}",
                        reads.join(", ")
                    ),
                )
                .over(n),
            );
        }
    }
    for field in ["NotAction", "NotResource"] {
        if let Some(n) = st.get_ci(field).filter(|n| is_present(n)) {
            hits.push(
                Hit::new(
                    &IAM_NOT_ACTION,
                    line_of(n),
                    format!("{key}:{field}"),
                    format!("Allow with `{field}` grants everything not listed"),
                )
                .over(n),
            );
        }
    }
    // An account root in a resource policy delegates to that account's IAM
    // policies (the default key policy): not a grant to review here.
    let delegates = kind == PolicyKind::Resource
        && st
            .get_ci("Principal")
            .is_some_and(principals_are_account_roots);
    if let Some(n) = first_service.filter(|_| !delegates) {
        let listed: Vec<String> = services.iter().map(|s| format!("`{s}:*`")).collect();
        let span = st.get_ci("Action").unwrap_or(n);
        hits.push(
            Hit::new(
                &IAM_SERVICE_WILDCARD,
                line_of(n),
                format!("{key}:Action:service:*"),
                format!(
                    "statement allows every action of {} {}",
                    if services.len() == 1 {
                        "service"
                    } else {
                        "services"
                    },
                    listed.join(", ")
                ),
            )
            .over(if services.len() == 1 { n } else { span }),
        );
    }
}

/// `{"AWS": "arn:aws:iam::111122223333:root"}` or a bare account id (one or
/// more, nothing else).
fn principals_are_account_roots(p: &Node) -> bool {
    let V::Obj(fields) = &p.v else { return false };
    let mut any = false;
    for (k, v) in fields {
        if !k.eq_ignore_ascii_case("AWS") {
            return false;
        }
        for (s, _) in strings(Some(v)) {
            let s = s.trim();
            let account = s
                .strip_prefix("arn:")
                .and_then(|rest| rest.split_once(":iam::"))
                .and_then(|(_, tail)| tail.strip_suffix(":root"))
                .unwrap_or(s);
            if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
                return false;
            }
            any = true;
        }
    }
    any
}

const GITHUB_OIDC: &str = "token.actions.githubusercontent.com";

/// A trust policy for GitHub's OIDC provider without a `sub` condition
/// naming an organisation or repository lets a workflow of any GitHub
/// repository assume the role (`aud` is the same for everyone).
fn github_oidc_unrestricted(st: &Node, key: &str) -> Option<Hit> {
    let p = st.get_ci("Principal")?;
    let V::Obj(fields) = &p.v else { return None };
    let fed = fields
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("Federated"))
        .flat_map(|(_, v)| strings(Some(v)))
        .find(|(s, _)| s.contains(GITHUB_OIDC))?;
    let sub_key = format!("{GITHUB_OIDC}:sub");
    let pinned = st.get_ci("Condition").is_some_and(|c| match &c.v {
        V::Obj(ops) => ops.iter().any(|(op, keys)| {
            let op = op.to_ascii_lowercase();
            if op.starts_with("forallvalues:") || op.contains("not") || op.ends_with("ifexists") {
                return false;
            }
            let V::Obj(ks) = &keys.v else {
                return matches!(keys.v, V::Unknown | V::Unresolved(_));
            };
            ks.iter().any(|(k, values)| {
                k.eq_ignore_ascii_case(&sub_key)
                    && !values.items().is_empty()
                    && values.items().iter().all(|v| match &v.v {
                        // `repo:org/...`: an organisation or repository is named.
                        V::Str(s) => s
                            .trim()
                            .strip_prefix("repo:")
                            .and_then(|r| r.split('/').next())
                            .is_some_and(|org| !org.is_empty() && !org.contains(['*', '?'])),
                        V::Unknown | V::Unresolved(_) => true,
                        _ => false,
                    })
            })
        }),
        V::Unknown | V::Unresolved(_) => true,
        _ => false,
    });
    if pinned {
        return None;
    }
    Some(
        Hit::new(
            &IAM_ANY_PRINCIPAL,
            fed.1.line_or(st.line),
            format!("{key}:Principal:github-oidc"),
            "workflows of any GitHub repository can assume this role: no `token.actions.githubusercontent.com:sub` condition names an organisation or repository",
        )
        .over(fed.1),
    )
}

/// Set to something: not null, not an empty list, string or object (plan
/// values of unset `aws_iam_policy_document` fields are empty lists).
fn is_present(n: &Node) -> bool {
    match &n.v {
        V::Null => false,
        V::Str(s) => !s.is_empty(),
        V::List(xs) => !xs.is_empty(),
        V::Obj(fs) => !fs.is_empty(),
        _ => true,
    }
}

/// The policy an `aws_iam_policy_document` data source renders, as a JSON
/// policy tree (keeping lines). Works on HCL blocks and on plan values.
pub fn from_policy_document(values: &Node) -> Node {
    let mut stmts = Vec::new();
    for st in values.blocks("statement") {
        let mut f: Vec<(String, Node)> = Vec::new();
        let copy = |f: &mut Vec<(String, Node)>, from: &str, to: &str| {
            if let Some(n) = st.get(from).filter(|n| is_present(n)) {
                f.push((to.to_string(), n.clone()));
            }
        };
        copy(&mut f, "sid", "Sid");
        match st.get("effect").filter(|n| is_present(n)) {
            Some(e) => f.push(("Effect".into(), e.clone())),
            None => f.push(("Effect".into(), Node::new(V::Str("Allow".into()), st.line))),
        }
        copy(&mut f, "actions", "Action");
        copy(&mut f, "not_actions", "NotAction");
        copy(&mut f, "resources", "Resource");
        copy(&mut f, "not_resources", "NotResource");
        for (block, to) in [
            ("principals", "Principal"),
            ("not_principals", "NotPrincipal"),
        ] {
            let ps = st.blocks(block);
            if ps.is_empty() {
                continue;
            }
            let mut map: Vec<(String, Node)> = Vec::new();
            let mut line = ps[0].line;
            for p in ps {
                line = line.min(p.line.max(1));
                let t = p
                    .get("type")
                    .and_then(Node::as_str)
                    .unwrap_or("")
                    .to_string();
                let ids = p
                    .get("identifiers")
                    .cloned()
                    .unwrap_or_else(|| Node::new(V::Null, p.line));
                if t == "*" {
                    // `type = "*"` is the document's spelling of `Principal: "*"`.
                    map.push(("AWS".into(), ids));
                } else {
                    map.push((t, ids));
                }
            }
            f.push((to.to_string(), Node::new(V::Obj(map), line)));
        }
        let conds = st.blocks("condition");
        if !conds.is_empty() {
            let mut ops: Vec<(String, Node)> = Vec::new();
            for c in conds {
                let test = c
                    .get("test")
                    .and_then(Node::as_str)
                    .unwrap_or("")
                    .to_string();
                let var = c
                    .get("variable")
                    .and_then(Node::as_str)
                    .unwrap_or("")
                    .to_string();
                let vals = c
                    .get("values")
                    .cloned()
                    .unwrap_or_else(|| Node::new(V::Null, c.line));
                ops.push((test, Node::new(V::Obj(vec![(var, vals)]), c.line)));
            }
            f.push(("Condition".into(), Node::new(V::Obj(ops), st.line)));
        }
        stmts.push(Node::spanning(V::Obj(f), st.line, st.end));
    }
    Node::spanning(
        V::Obj(vec![(
            "Statement".into(),
            Node::spanning(V::List(stmts), values.line, values.end),
        )]),
        values.line,
        values.end,
    )
}

/// Whether a JSON tree looks like an IAM policy document.
pub fn looks_like_policy(doc: &Node) -> bool {
    doc.get_ci("Statement").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_lines;

    fn ids(doc: &str, kind: PolicyKind) -> Vec<&'static str> {
        let n = json_lines::parse(doc, 1, false).unwrap();
        check_document(&n, kind, "p")
            .iter()
            .map(|h| h.rule.id)
            .collect()
    }

    #[test]
    fn glob() {
        assert!(glob_match("iam:Pass*", "iam:PassRole"));
        assert!(glob_match("IAM:passrole", "iam:PassRole"));
        assert!(glob_match("*", "iam:PassRole"));
        assert!(!glob_match("iam:Get*", "iam:PassRole"));
        assert!(glob_match("i?m:*Role", "iam:PassRole"));
    }

    #[test]
    fn action_star_any_case() {
        let d = r#"{"statement":{"effect":"Allow","action":"*","resource":"*"}}"#;
        assert_eq!(ids(d, PolicyKind::Identity), vec!["INFRA-IAM-001"]);
        let d = r#"{"Statement":[{"Effect":"Allow","Action":["*:*"],"Resource":["*"]}]}"#;
        assert_eq!(ids(d, PolicyKind::Identity), vec!["INFRA-IAM-001"]);
    }

    #[test]
    fn deny_is_fine() {
        let d = r#"{"Statement":[{"Effect":"Deny","NotAction":"s3:*","Resource":"*"}]}"#;
        assert!(ids(d, PolicyKind::Identity).is_empty());
    }

    #[test]
    fn write_and_passrole_on_star() {
        let d = r#"{"Statement":[{"Effect":"Allow","Action":["s3:ListBucket","iam:PassRole"],"Resource":"*"}]}"#;
        assert_eq!(ids(d, PolicyKind::Identity), vec!["INFRA-IAM-005"]);
        let n = json_lines::parse(d, 1, false).unwrap();
        let hits = check_document(&n, PolicyKind::Identity, "p");
        assert!(!hits[0].message.contains("also"), "{}", hits[0].message);
        // One finding per statement: the escalation, naming the other writes.
        let d = r#"{"Statement":[{"Effect":"Allow","Action":["s3:PutObject","iam:PassRole"],"Resource":"*"}]}"#;
        assert_eq!(ids(d, PolicyKind::Identity), vec!["INFRA-IAM-005"]);
        let n = json_lines::parse(d, 1, false).unwrap();
        let hits = check_document(&n, PolicyKind::Identity, "p");
        assert!(hits[0]
            .message
            .contains("also write/permission actions on every resource: s3:PutObject"));
        let d = r#"{"Statement":[{"Effect":"Allow","Action":["s3:List*","ec2:Describe*"],"Resource":"*"}]}"#;
        assert!(ids(d, PolicyKind::Identity).is_empty());
    }

    #[test]
    fn principal_star_and_conditions() {
        let d = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
        assert_eq!(ids(d, PolicyKind::Resource), vec!["INFRA-IAM-006"]);
        let d = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]}"#;
        assert!(ids(d, PolicyKind::Resource).is_empty());
        let d = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#;
        assert_eq!(ids(d, PolicyKind::Resource), vec!["INFRA-IAM-006"]);
        // Principal is meaningless in identity policies.
        let d = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
        assert!(ids(d, PolicyKind::Identity).is_empty());
    }

    #[test]
    fn conditions_are_evaluated() {
        let with = |cond: &str| {
            format!(
                r#"{{"Statement":[{{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:eu-west-1:111122223333:q","Condition":{cond}}}]}}"#
            )
        };
        // Restricting: a named source, org or endpoint.
        for c in [
            r#"{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:eu-west-1:111122223333:t"}}"#,
            r#"{"StringEquals":{"aws:SourceAccount":"111122223333"}}"#,
            r#"{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}"#,
            r#"{"StringEquals":{"aws:PrincipalOrgID":"o-abcdef1234"}}"#,
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::acme-*"}}"#,
            r#"{"StringEquals":{"aws:VpceAccount":"111122223333"}}"#,
            r#"{"StringEquals":{"s3:DataAccessPointAccount":"111122223333"}}"#,
        ] {
            assert!(ids(&with(c), PolicyKind::Resource).is_empty(), "{c}");
        }
        // Not restricting: absent keys pass, wildcards and negations exclude nobody.
        for c in [
            r#"{"ForAllValues:StringEquals":{"aws:PrincipalOrgID":"o-abcdef1234"}}"#,
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:sns:eu-west-1:*:t"}}"#,
            r#"{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/x"}}"#,
            r#"{"StringLike":{"aws:SourceAccount":"*"}}"#,
            r#"{"StringLike":{"aws:PrincipalOrgID":"o-*"}}"#,
            r#"{"StringNotEquals":{"aws:SourceAccount":"111122223333"}}"#,
            r#"{"StringEqualsIfExists":{"aws:SourceArn":"arn:aws:sns:eu-west-1:111122223333:t"}}"#,
            r#"{"Null":{"aws:SourceArn":"false"}}"#,
            r#"{"Bool":{"aws:SecureTransport":"true"}}"#,
            // A network location is not an identity: anyone there passes.
            r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
            r#"{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#,
        ] {
            assert_eq!(
                ids(&with(c), PolicyKind::Resource),
                ["INFRA-IAM-006"],
                "{c}"
            );
        }
    }

    #[test]
    fn wildcard_account_principal_is_anyone() {
        let d = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:role/deploy"},"Action":"sts:AssumeRole"}]}"#;
        assert_eq!(ids(d, PolicyKind::Trust), ["INFRA-IAM-006"]);
        let d = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/deploy"},"Action":"sts:AssumeRole"}]}"#;
        assert!(ids(d, PolicyKind::Trust).is_empty());
    }

    #[test]
    fn star_only_actions_are_not_write_on_everything() {
        assert!(accepts_only_star("xray:PutTraceSegments"));
        assert!(!accepts_only_star("s3:PutObject"));
        assert!(!accepts_only_star("xray:Put*"));
        let d = r#"{"Statement":[{"Effect":"Allow","Action":["xray:PutTraceSegments","xray:PutTelemetryRecords"],"Resource":"*"}]}"#;
        assert!(ids(d, PolicyKind::Identity).is_empty());
        let d = r#"{"Statement":[{"Effect":"Allow","Action":["xray:PutTraceSegments","s3:PutObject"],"Resource":"*"}]}"#;
        assert_eq!(ids(d, PolicyKind::Identity), ["INFRA-IAM-002"]);
    }

    #[test]
    fn one_finding_per_statement() {
        // Several service wildcards: one finding naming them all.
        let d = r#"{"Statement":[{"Effect":"Allow","Action":["ec2:*","s3:*","lambda:*"],"Resource":"arn:aws:s3:::b"}]}"#;
        let n = json_lines::parse(d, 1, false).unwrap();
        let hits = check_document(&n, PolicyKind::Identity, "p");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].rule.id, "INFRA-IAM-003");
        assert!(hits[0].message.contains("`ec2:*`, `s3:*`, `lambda:*`"));
        // Service wildcards on every resource: the write finding carries them.
        let d = r#"{"Statement":[{"Effect":"Allow","Action":["ec2:*","s3:*"],"Resource":"*"}]}"#;
        assert_eq!(ids(d, PolicyKind::Identity), ["INFRA-IAM-002"]);
        // Full admin hides the rest of the statement.
        let d = r#"{"Statement":[{"Effect":"Allow","Action":["*","s3:*","iam:PassRole"],"Resource":"*"}]}"#;
        assert_eq!(ids(d, PolicyKind::Identity), ["INFRA-IAM-001"]);
        // A wildcard principal is the main problem of a resource policy.
        let d = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}]}"#;
        assert_eq!(ids(d, PolicyKind::Resource), ["INFRA-IAM-006"]);
        // Two statements still give two findings.
        let d = r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b"},{"Effect":"Allow","Action":"ec2:*","Resource":"arn:aws:ec2:*:*:instance/i-1"}]}"#;
        assert_eq!(
            ids(d, PolicyKind::Identity),
            ["INFRA-IAM-003", "INFRA-IAM-003"]
        );
    }

    #[test]
    fn resource_policies_are_about_who() {
        // The default key policy and a service granted use of the key.
        let d = r#"{"Statement":[
            {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
            {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":["kms:Encrypt","kms:Decrypt"],"Resource":"*"},
            {"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"*"}]}"#;
        assert!(ids(d, PolicyKind::Resource).is_empty());
        // A service wildcard to another principal is still reported.
        let d = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/x"},"Action":"kms:*","Resource":"*"}]}"#;
        assert_eq!(ids(d, PolicyKind::Resource), ["INFRA-IAM-003"]);
        // And anyone is anyone.
        let d = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}]}"#;
        assert_eq!(ids(d, PolicyKind::Resource), ["INFRA-IAM-006"]);
    }

    #[test]
    fn github_oidc_trust_needs_a_repository() {
        let with = |cond: &str| {
            format!(
                r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{cond}}}]}}"#
            )
        };
        for c in [
            r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}"#,
            r#"{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:*"}}"#,
            r#"{"StringLike":{"token.actions.githubusercontent.com:sub":"*"}}"#,
        ] {
            assert_eq!(ids(&with(c), PolicyKind::Trust), ["INFRA-IAM-006"], "{c}");
        }
        for c in [
            r#"{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/*"}}"#,
            r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":"repo:acme/app:ref:refs/heads/main"}}"#,
        ] {
            assert!(ids(&with(c), PolicyKind::Trust).is_empty(), "{c}");
        }
    }

    #[test]
    fn data_reads_on_everything() {
        let d = r#"{"Statement":[{"Effect":"Allow","Action":["s3:Get*","ec2:Describe*"],"Resource":"*"}]}"#;
        assert_eq!(ids(d, PolicyKind::Identity), ["INFRA-IAM-009"]);
        let d = r#"{"Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}"#;
        assert_eq!(ids(d, PolicyKind::Identity), ["INFRA-IAM-009"]);
        // Scoped reads, and other reads on everything, are fine.
        let d = r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
        assert!(ids(d, PolicyKind::Identity).is_empty());
        let d = r#"{"Statement":[{"Effect":"Allow","Action":["s3:ListAllMyBuckets","ec2:DescribeInstances"],"Resource":"*"}]}"#;
        assert!(ids(d, PolicyKind::Identity).is_empty());
        // A write on everything is the statement's stronger finding.
        let d = r#"{"Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":"*"}]}"#;
        assert_eq!(ids(d, PolicyKind::Identity), ["INFRA-IAM-002"]);
    }

    #[test]
    fn non_arn_resources_are_malformed() {
        let d = r#"{"Statement":[{"Effect":"Allow","Action":["s3:*","ec2:*"],"Resource":"SomeResource"}]}"#;
        assert_eq!(ids(d, PolicyKind::Identity), ["INFRA-PLAN-001"]);
        let d = r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"${...}"}]}"#;
        assert_eq!(ids(d, PolicyKind::Identity), ["INFRA-IAM-003"]);
    }

    #[test]
    fn unknown_services_grant_nothing() {
        assert!(known_service("s3") && known_service("IAM"));
        assert!(!known_service("some"));
        let d = r#"{"Statement":[{"Effect":"Allow","Action":["some:action"],"Resource":"*"}]}"#;
        assert!(ids(d, PolicyKind::Identity).is_empty());
        // A wildcard service prefix may match any service.
        let d = r#"{"Statement":[{"Effect":"Allow","Action":["s*:Put*"],"Resource":"*"}]}"#;
        assert_eq!(ids(d, PolicyKind::Identity), ["INFRA-IAM-002"]);
    }

    #[test]
    fn not_action_with_allow() {
        let d =
            r#"{"Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"arn:aws:s3:::b"}]}"#;
        assert_eq!(ids(d, PolicyKind::Identity), vec!["INFRA-IAM-004"]);
    }
}
