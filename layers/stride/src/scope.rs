//! Where an element's code and infrastructure live, for `guard stride
//! verify`: guard model elements may say `code: [services/api/**, src/api.py]`
//! (paths or globs relative to the verified root; a path without glob
//! characters also covers everything under it) and `resources:
//! [aws_db_instance.main, module.db.*]` (Terraform addresses, `*` matching
//! any run of characters). Evidence counts for a scoped element only when
//! it lies inside that scope.

use crate::model::Element;
use globset::{GlobBuilder, GlobMatcher};

/// Checks one `code` pattern: relative, inside the root, a valid glob.
pub fn check_code_pattern(p: &str) -> Result<(), String> {
    let t = p.trim();
    if t.is_empty() {
        return Err("an empty `code` pattern".into());
    }
    if t.starts_with('/') || t.starts_with('\\') || t.get(1..2) == Some(":") {
        return Err(format!(
            "`code` pattern `{p}` must be relative to the verified root"
        ));
    }
    if t.split(['/', '\\']).any(|part| part == "..") {
        return Err(format!(
            "`code` pattern `{p}` must stay inside the verified root (no `..`)"
        ));
    }
    compile(t)
        .map(|_| ())
        .map_err(|e| format!("`code` pattern `{p}` is not a valid glob: {e}"))
}

/// Checks one `resources` pattern: a Terraform address, `*` as wildcard.
pub fn check_resource_pattern(p: &str) -> Result<(), String> {
    let ok = !p.is_empty()
        && p.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.*[]\"".contains(c));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`resources` pattern `{p}` is not a Terraform address (e.g. `aws_db_instance.main`, `module.db.*`)"
        ))
    }
}

fn compile(p: &str) -> Result<Vec<GlobMatcher>, globset::Error> {
    let p = p.trim().trim_start_matches("./").trim_end_matches('/');
    let glob = |s: &str| -> Result<GlobMatcher, globset::Error> {
        Ok(GlobBuilder::new(s)
            .literal_separator(true)
            .build()?
            .compile_matcher())
    };
    let mut out = vec![glob(p)?];
    // `services/api` and `services/api/*` also cover what lies below.
    if !p.ends_with("**") {
        out.push(glob(&format!("{p}/**"))?);
    }
    Ok(out)
}

/// `*` matches any run of characters (dots included); the rest literally.
pub fn wildcard(pat: &str, s: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let t: Vec<char> = s.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// One code pattern, compiled.
#[derive(Debug, Clone)]
pub struct CodePattern {
    pub text: String,
    matchers: Vec<GlobMatcher>,
}

impl CodePattern {
    pub fn matches(&self, path: &str) -> bool {
        let path = path.replace('\\', "/");
        self.matchers.iter().any(|m| m.is_match(&path))
    }
}

/// An element's scope, compiled.
#[derive(Debug, Clone)]
pub struct Scope {
    pub element: String,
    /// Model line of the element.
    pub line: u32,
    pub code: Vec<CodePattern>,
    pub resources: Vec<String>,
}

impl Scope {
    /// The scope of `e`, `None` when the model gives it none. A pattern
    /// that does not compile (the guard reader refuses those) is an error.
    pub fn of(e: &Element) -> Result<Option<Scope>, String> {
        let s = &e.attrs.scope;
        if s.code.is_empty() && s.resources.is_empty() {
            return Ok(None);
        }
        let mut code = Vec::new();
        for p in &s.code {
            check_code_pattern(p).map_err(|m| format!("element `{}`: {m}", e.id))?;
            let matchers = compile(p).map_err(|m| format!("element `{}`: {m}", e.id))?;
            code.push(CodePattern {
                text: p.clone(),
                matchers,
            });
        }
        Ok(Some(Scope {
            element: e.id.clone(),
            line: e.line,
            code,
            resources: s.resources.clone(),
        }))
    }

    pub fn path(&self, p: &str) -> bool {
        self.code.iter().any(|c| c.matches(p))
    }

    pub fn resource(&self, address: &str) -> bool {
        self.resources.iter().any(|r| wildcard(r, address))
    }

    /// `code: a, b; resources: c` for messages.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.code.is_empty() {
            parts.push(format!(
                "code: {}",
                self.code
                    .iter()
                    .map(|c| c.text.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !self.resources.is_empty() {
            parts.push(format!("resources: {}", self.resources.join(", ")));
        }
        parts.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_addresses() {
        assert!(wildcard("aws_db_instance.main", "aws_db_instance.main"));
        assert!(!wildcard("aws_db_instance.main", "aws_db_instance.mainx"));
        assert!(wildcard("module.db.*", "module.db.aws_db_instance.x"));
        assert!(!wildcard("module.db.*", "module.web.aws_lb.x"));
        assert!(wildcard("aws_*.main", "aws_s3_bucket.main"));
        assert!(wildcard("*", "anything"));
    }

    #[test]
    fn code_patterns() {
        let p = |s: &str| CodePattern {
            text: s.into(),
            matchers: compile(s).expect("glob"),
        };
        assert!(p("services/api/**").matches("services/api/v1/x.py"));
        assert!(!p("services/api/**").matches("services/admin/x.py"));
        assert!(p("services/api").matches("services/api/x.py"));
        assert!(p("src/api.py").matches("src/api.py"));
        assert!(!p("src/api.py").matches("src/api.pyc"));
        assert!(p("src/*.py").matches("src/a.py"));
        assert!(!p("src/*.py").matches("lib/src/a.py"));
        assert!(p("./app.py").matches("app.py"));
    }

    #[test]
    fn bad_patterns_are_refused() {
        assert!(check_code_pattern("/etc/**").is_err());
        assert!(check_code_pattern("../other/**").is_err());
        assert!(check_code_pattern("src/[a").is_err());
        assert!(check_code_pattern("").is_err());
        assert!(check_code_pattern("src/**/*.py").is_ok());
        assert!(check_resource_pattern("aws_db_instance.main").is_ok());
        assert!(check_resource_pattern("module.db.*").is_ok());
        assert!(check_resource_pattern("aws db").is_err());
    }

    #[test]
    fn the_guard_reader_refuses_bad_scopes_with_their_line() {
        let text = "elements:\n  - id: a\n    kind: process\n  - id: b\n    kind: process\n    code: [\"../x/**\"]\n";
        let e = crate::read::guard::read(text, "m.yaml")
            .expect_err("escaping pattern")
            .to_string();
        assert!(e.starts_with("m.yaml:4:") && e.contains("`../x/**`"), "{e}");
        let text = "elements:\n  - id: a\n    kind: store\n    resources: [\"aws db\"]\n";
        let e = crate::read::guard::read(text, "m.yaml")
            .expect_err("bad address")
            .to_string();
        assert!(
            e.contains("m.yaml:2:") && e.contains("Terraform address"),
            "{e}"
        );
        let ok = "elements:\n  - id: a\n    kind: process\n    code: [src/**]\n    resources: [module.a.*]\n";
        let m = crate::read::guard::read(ok, "m.yaml").expect("reads");
        assert_eq!(m.elements[0].attrs.scope.code, vec!["src/**".to_string()]);
        assert_eq!(
            m.elements[0].attrs.scope.resources,
            vec!["module.a.*".to_string()]
        );
    }
}
