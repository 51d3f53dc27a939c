//! `[layers.owasp]` in guard.toml.
//!
//! ```toml
//! [layers.owasp]
//! exclude = ["legacy/**"]                 # globs, relative to the root
//! disable = ["OWASP-RAND-001"]            # rule ids (source-code and OWASP-SECRET-*)
//! history = true                          # also scan the git history for secrets
//! history_max_commits = 1000              # newest commits scanned (default 10000)
//!
//! [[layers.owasp.sources]]                # calls or attributes giving user input
//! pattern = "myframework.get_param"
//! language = "python"                     # optional: python, javascript, typescript, go, java
//!
//! [[layers.owasp.sinks]]
//! pattern = "db.run_raw"                  # dotted callee, `.method`, or `new Type`
//! kind = "sql"                            # sql, command, code, path, ssrf, xss,
//!                                         # deserialization, ldap, xpath, redirect, trust-boundary
//! arg = 0                                 # optional: argument index; default any argument
//!
//! [[layers.owasp.sanitizers]]
//! pattern = "myescape.html"
//! cleans = "xss"                          # kinds, comma separated, or "all"
//! ```
//!
//! Unknown keys, kinds, languages and rule ids are errors naming the file
//! and line.

use crate::engine::tables::{self, ArgSel, SanitizerSpec, SinkSpec, SourceSpec};
use crate::engine::{Lang, Tables};
use guard_core::{ConfigError, LayerConfig};
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub disable: Vec<Spanned<String>>,
    #[serde(default)]
    pub history: bool,
    #[serde(default)]
    pub history_max_commits: Option<Spanned<usize>>,
    #[serde(default)]
    pub sources: Vec<RawSource>,
    #[serde(default)]
    pub sinks: Vec<RawSink>,
    #[serde(default)]
    pub sanitizers: Vec<RawSanitizer>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub pattern: String,
    #[serde(default)]
    pub language: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSink {
    pub pattern: String,
    pub kind: Spanned<String>,
    #[serde(default)]
    pub arg: Option<usize>,
    #[serde(default)]
    pub language: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSanitizer {
    pub pattern: String,
    pub cleans: Spanned<String>,
    #[serde(default)]
    pub language: Option<Spanned<String>>,
}

/// The validated config: tables with the user's entries added.
#[derive(Debug, Clone)]
pub struct OwaspConfig {
    pub exclude: globset::GlobSet,
    pub disabled: Vec<String>,
    pub tables: Tables,
    /// Scan the git history for secrets under `guard run` too.
    pub history: bool,
    /// How many commits (newest first) a history scan covers.
    pub history_max_commits: usize,
}

/// Commits a history scan covers when nothing says otherwise.
pub const DEFAULT_HISTORY_MAX_COMMITS: usize = 10_000;

impl Default for OwaspConfig {
    fn default() -> Self {
        OwaspConfig {
            exclude: globset::GlobSet::empty(),
            disabled: vec![],
            tables: Tables::builtin(),
            history: false,
            history_max_commits: DEFAULT_HISTORY_MAX_COMMITS,
        }
    }
}

const ALL_LANGS: &[Lang] = &[
    Lang::Python,
    Lang::JavaScript,
    Lang::TypeScript,
    Lang::Tsx,
    Lang::Go,
    Lang::Java,
];

fn langs(name: Option<&str>) -> Option<&'static [Lang]> {
    Some(match name {
        None => ALL_LANGS,
        Some("python") => &[Lang::Python],
        Some("javascript") => &[Lang::JavaScript, Lang::Tsx],
        Some("typescript") => &[Lang::TypeScript, Lang::Tsx],
        Some("go") => &[Lang::Go],
        Some("java") => &[Lang::Java],
        Some(_) => return None,
    })
}

fn line_of(src: Option<&str>, offset: usize) -> usize {
    src.map(|s| s[..offset.min(s.len())].matches('\n').count() + 1)
        .unwrap_or(0)
}

pub fn load(lc: &LayerConfig) -> Result<OwaspConfig, ConfigError> {
    let raw: RawConfig = lc.parse()?;
    let path = lc
        .path
        .clone()
        .unwrap_or_else(|| guard_core::config::CONFIG_FILE.into());
    let src = lc.source.as_deref();
    let err = |offset: usize, msg: String| ConfigError::Invalid {
        path: path.clone(),
        message: format!("line {}: [layers.owasp] {msg}", line_of(src, offset)),
    };
    let mut out = OwaspConfig::default();
    let mut b = globset::GlobSetBuilder::new();
    for g in &raw.exclude {
        let glob = globset::Glob::new(g).map_err(|e| ConfigError::Invalid {
            path: path.clone(),
            message: format!("[layers.owasp] exclude: `{g}`: {e}"),
        })?;
        b.add(glob);
    }
    out.exclude = b.build().map_err(|e| ConfigError::Invalid {
        path: path.clone(),
        message: format!("[layers.owasp] exclude: {e}"),
    })?;
    for d in &raw.disable {
        let id = d.get_ref();
        if crate::rules::rule(id).is_none() {
            return Err(err(
                d.span().start,
                format!("disable: unknown rule `{id}` (see `guard rules owasp`)"),
            ));
        }
        out.disabled.push(id.clone());
    }
    out.history = raw.history;
    if let Some(n) = &raw.history_max_commits {
        if *n.get_ref() == 0 {
            return Err(err(
                n.span().start,
                "history_max_commits: expected a number of commits above 0".into(),
            ));
        }
        out.history_max_commits = *n.get_ref();
    }
    let lang_of = |l: &Option<Spanned<String>>| -> Result<&'static [Lang], ConfigError> {
        match l {
            None => Ok(ALL_LANGS),
            Some(s) => langs(Some(s.get_ref())).ok_or_else(|| {
                err(s.span().start, format!("language: unknown `{}` (expected python, javascript, typescript, go or java)", s.get_ref()))
            }),
        }
    };
    let check_pattern = |p: &str| -> Result<(), ConfigError> {
        if p.trim().is_empty() || p.contains(char::is_whitespace) && !p.starts_with("new ") {
            return Err(ConfigError::Invalid {
                path: path.clone(),
                message: format!(
                    "[layers.owasp] pattern `{p}`: expected a dotted name, `.method` or `new Type`"
                ),
            });
        }
        Ok(())
    };
    for s in &raw.sources {
        check_pattern(&s.pattern)?;
        out.tables.sources.push(SourceSpec {
            pattern: s.pattern.clone(),
            langs: lang_of(&s.language)?,
            what: "a declared source",
            local: false,
        });
    }
    for s in &raw.sinks {
        check_pattern(&s.pattern)?;
        let kind = tables::parse_kinds(s.kind.get_ref())
            .filter(|k| k.count_ones() == 1)
            .ok_or_else(|| err(s.kind.span().start, format!("sinks: unknown kind `{}` (expected one of sql, command, code, path, ssrf, xss, deserialization, ldap, xpath, redirect, trust-boundary)", s.kind.get_ref())))?;
        out.tables.sinks.push(SinkSpec {
            pattern: s.pattern.clone(),
            kind,
            args: match s.arg {
                Some(i) => ArgSel::Pos(i, None),
                None => ArgSel::Any,
            },
            langs: lang_of(&s.language)?,
            what: "a declared sink",
        });
    }
    for s in &raw.sanitizers {
        check_pattern(&s.pattern)?;
        let cleans = tables::parse_kinds(s.cleans.get_ref()).ok_or_else(|| {
            err(
                s.cleans.span().start,
                format!("sanitizers: unknown kind in `{}`", s.cleans.get_ref()),
            )
        })?;
        // Declared sanitisers are tried before the built-in ones.
        out.tables.sanitizers.insert(
            0,
            SanitizerSpec {
                pattern: s.pattern.clone(),
                cleans,
                langs: lang_of(&s.language)?,
            },
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(t: &str) -> Result<OwaspConfig, ConfigError> {
        load(&LayerConfig::from_toml("owasp", t))
    }

    #[test]
    fn accepts_documented_format() {
        let c = cfg("[layers.owasp]\nhistory = true\nhistory_max_commits = 5\ndisable = [\"OWASP-SECRET-016\"]\n")
            .expect("valid");
        assert!(c.history);
        assert_eq!(c.history_max_commits, 5);
        assert_eq!(c.disabled, vec!["OWASP-SECRET-016"]);
        let e = cfg("[layers.owasp]\nhistory_max_commits = 0\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 2") && e.contains("history_max_commits"),
            "{e}"
        );
        let c = cfg("[layers.owasp]\nexclude = [\"legacy/**\"]\ndisable = [\"OWASP-RAND-001\"]\n[[layers.owasp.sinks]]\npattern = \"db.run_raw\"\nkind = \"sql\"\narg = 0\n[[layers.owasp.sanitizers]]\npattern = \"esc.html\"\ncleans = \"xss\"\n[[layers.owasp.sources]]\npattern = \"fw.param\"\nlanguage = \"python\"\n").expect("valid");
        assert_eq!(c.disabled, vec!["OWASP-RAND-001"]);
        assert!(c.exclude.is_match("legacy/a.py"));
        assert!(c.tables.sinks.iter().any(|s| s.pattern == "db.run_raw"));
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = cfg("[layers.owasp]\n[[layers.owasp.sinks]]\npattern = \"x.y\"\nkind = \"sqll\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 4") && e.contains("sqll"), "{e}");
        let e = cfg("[layers.owasp]\ndisable = [\"NOPE-1\"]\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2") && e.contains("NOPE-1"), "{e}");
        let e = cfg("[layers.owasp]\nsinkz = []\n").unwrap_err().to_string();
        assert!(e.contains("sinkz"), "{e}");
        let e = cfg(
            "[layers.owasp]\n[[layers.owasp.sources]]\npattern = \"a.b\"\nlanguage = \"cobol\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("cobol") && e.contains("line 4"), "{e}");
    }
}
