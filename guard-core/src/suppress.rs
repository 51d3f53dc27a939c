//! Dropping findings on purpose: inline `guard:ignore[RULE] reason` comments,
//! `[rules]` and `[[ignore]]` in guard.toml, and baselines of fingerprints.

use crate::config::{Config, IgnoreEntry};
use crate::report::SuppressedCounts;
use crate::{Finding, Severity};
use globset::{Glob, GlobSet, GlobSetBuilder};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Component, Path};

const MARKER: &str = "guard:ignore[";

/// A file of fingerprints written by `--write-baseline`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version.
    pub version: u32,
    /// One entry per finding, sorted.
    pub findings: Vec<BaselineEntry>,
}

/// One finding of a baseline.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// The finding's fingerprint.
    pub fingerprint: String,
    /// Its rule, for people reading the baseline.
    pub rule_id: String,
    /// File or resource, for people reading the baseline.
    pub place: String,
}

impl Baseline {
    /// A baseline of these findings.
    pub fn from_findings(findings: &[Finding]) -> Baseline {
        let set: BTreeSet<BaselineEntry> = findings
            .iter()
            .map(|f| BaselineEntry {
                fingerprint: f.fingerprint.clone(),
                rule_id: f.rule_id.clone(),
                place: f
                    .location
                    .as_ref()
                    .map(|l| l.path.clone())
                    .or_else(|| f.resource.clone())
                    .unwrap_or_default(),
            })
            .collect();
        Baseline {
            version: 1,
            findings: set.into_iter().collect(),
        }
    }

    /// Reads a baseline file; errors name the file and place.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read baseline: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}:{}:{}: not a guard baseline: {e}",
                path.display(),
                e.line(),
                e.column()
            )
        })
    }
}

/// Lines of source files, read once per file and shared by snippets and
/// inline-ignore lookups.
#[derive(Debug, Default)]
pub struct SourceCache {
    files: HashMap<String, Option<Vec<String>>>,
}

impl SourceCache {
    /// Lines of `rel` under `root`; `None` for paths outside the root,
    /// unreadable or non-text files.
    pub fn lines(&mut self, root: &Path, rel: &str) -> Option<&[String]> {
        // Looked up once per finding: no key is built for a path already read.
        if !self.files.contains_key(rel) {
            let lines = Self::read(root, rel);
            self.files.insert(rel.to_string(), lines);
        }
        self.files.get(rel).and_then(Option::as_deref)
    }

    fn read(root: &Path, rel: &str) -> Option<Vec<String>> {
        let p = Path::new(rel);
        if p.is_absolute() || p.components().any(|c| matches!(c, Component::ParentDir)) {
            return None;
        }
        let full = if root.is_file() {
            root.to_path_buf()
        } else {
            root.join(p)
        };
        let meta = std::fs::metadata(&full).ok()?;
        if meta.len() > 16 * 1024 * 1024 {
            return None;
        }
        let bytes = std::fs::read(&full).ok()?;
        let text = crate::walk::decode_text(rel, &bytes).ok()?;
        Some(text.lines().map(str::to_string).collect())
    }
}

/// Rule ids named by a `guard:ignore[...]` marker in `line`, if any.
pub fn inline_ignores(line: &str) -> Option<Vec<&str>> {
    let start = line.find(MARKER)? + MARKER.len();
    let end = start + line[start..].find(']')?;
    Some(
        line[start..end]
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect(),
    )
}

use crate::config::rule_id_matches as id_matches;

struct CompiledIgnore {
    rules: Vec<String>,
    paths: Option<GlobSet>,
}

/// Applies inline ignores, `[rules]`, `[[ignore]]` and a baseline to findings.
pub struct Suppressor {
    /// Rule ids or `PREFIX*` patterns.
    disabled: Vec<String>,
    /// Exact ids (upper case) and `PREFIX*` patterns; an exact id wins over a
    /// pattern, a longer pattern over a shorter one.
    severity: HashMap<String, Severity>,
    severity_patterns: Vec<(String, Severity)>,
    ignores: Vec<CompiledIgnore>,
    baseline: Option<HashSet<String>>,
}

impl Suppressor {
    /// From a config and an optional baseline; bad ignore globs are errors.
    pub fn new(config: &Config, baseline: Option<&Baseline>) -> Result<Suppressor, String> {
        let ignores = config
            .ignore
            .iter()
            .map(compile_ignore)
            .collect::<Result<Vec<_>, _>>()?;
        let mut severity_patterns: Vec<(String, Severity)> = config
            .rules
            .severity
            .iter()
            .filter(|(k, _)| k.ends_with('*'))
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        severity_patterns.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
        Ok(Suppressor {
            disabled: config.rules.disable.clone(),
            severity: config
                .rules
                .severity
                .iter()
                .filter(|(k, _)| !k.ends_with('*'))
                .map(|(k, v)| (k.to_ascii_uppercase(), *v))
                .collect(),
            severity_patterns,
            ignores,
            baseline: baseline.map(|b| b.findings.iter().map(|e| e.fingerprint.clone()).collect()),
        })
    }

    /// Applies overrides and suppressions; returns what remains and what was dropped.
    pub fn apply(
        &self,
        findings: Vec<Finding>,
        root: &Path,
        cache: &mut SourceCache,
    ) -> (Vec<Finding>, SuppressedCounts) {
        let mut counts = SuppressedCounts::default();
        let mut kept = Vec::with_capacity(findings.len());
        for mut f in findings {
            if !self.severity.is_empty() || !self.severity_patterns.is_empty() {
                let upper = f.rule_id.to_ascii_uppercase();
                let pattern = || {
                    self.severity_patterns
                        .iter()
                        .find(|(p, _)| id_matches(p, &f.rule_id))
                        .map(|(_, s)| s)
                };
                if let Some(s) = self.severity.get(&upper).or_else(pattern) {
                    f.severity = *s;
                }
            }
            let disabled = self.disabled.iter().any(|p| id_matches(p, &f.rule_id));
            if disabled || self.ignored_by_config(&f) {
                counts.config += 1;
            } else if ignored_inline(&f, root, cache) {
                counts.inline += 1;
            } else if self
                .baseline
                .as_ref()
                .is_some_and(|b| b.contains(&f.fingerprint))
            {
                counts.baseline += 1;
            } else {
                kept.push(f);
            }
        }
        (kept, counts)
    }

    fn ignored_by_config(&self, f: &Finding) -> bool {
        let path = f.location.as_ref().map(|l| l.path.as_str());
        self.ignores.iter().any(|ig| {
            let rule_ok = ig.rules.is_empty() || ig.rules.iter().any(|r| id_matches(r, &f.rule_id));
            let path_ok = match (&ig.paths, path) {
                (None, _) => true,
                (Some(set), Some(p)) => set.is_match(p),
                (Some(_), None) => false,
            };
            rule_ok && path_ok
        })
    }
}

fn compile_ignore(entry: &IgnoreEntry) -> Result<CompiledIgnore, String> {
    let paths = if entry.paths.is_empty() {
        None
    } else {
        let mut b = GlobSetBuilder::new();
        for p in &entry.paths {
            let glob =
                Glob::new(p).map_err(|e| format!("bad path pattern `{p}` in [[ignore]]: {e}"))?;
            b.add(glob);
            // `dir/` or `dir` also covers everything below it.
            let below = format!("{}/**", p.trim_end_matches('/'));
            if let Ok(g) = Glob::new(&below) {
                b.add(g);
            }
        }
        Some(b.build().map_err(|e| e.to_string())?)
    };
    Ok(CompiledIgnore {
        rules: entry.rules.clone(),
        paths,
    })
}

/// A marker on the finding's first line or the line just above it.
fn ignored_inline(f: &Finding, root: &Path, cache: &mut SourceCache) -> bool {
    let Some(loc) = &f.location else { return false };
    let Some(lines) = cache.lines(root, &loc.path) else {
        return false;
    };
    let idx = loc.start_line as usize;
    [idx, idx.saturating_sub(1)]
        .into_iter()
        .filter(|&n| n >= 1)
        .filter_map(|n| lines.get(n - 1))
        .filter_map(|l| inline_ignores(l))
        .any(|ids| ids.iter().any(|id| id_matches(id, &f.rule_id)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Location, Rule};

    const RULE: Rule = Rule {
        id: "INFRA-IAM-001",
        severity: Severity::Critical,
        title: "t",
        rationale: "r",
        remediation: "",
        tags: &[],
        references: &[],
    };

    #[test]
    fn parses_markers_in_any_comment_syntax() {
        assert_eq!(
            inline_ignores("  # guard:ignore[INFRA-IAM-001] break-glass role"),
            Some(vec!["INFRA-IAM-001"])
        );
        assert_eq!(
            inline_ignores("x = 1 // guard:ignore[A-1, B-2]"),
            Some(vec!["A-1", "B-2"])
        );
        assert_eq!(inline_ignores("<!-- guard:ignore[X] -->"), Some(vec!["X"]));
        assert_eq!(inline_ignores("no marker"), None);
        assert_eq!(inline_ignores("guard:ignore[unterminated"), None);
    }

    #[test]
    fn inline_config_and_baseline() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("main.tf"),
            "a\n# guard:ignore[INFRA-IAM-*] reviewed\nb\nc\n",
        )
        .expect("write");
        let at = |line| Finding::new(&RULE, "m").at(Location::line("main.tf", line));
        let mut cfg = Config::default();
        cfg.ignore.push(IgnoreEntry {
            rules: vec![],
            paths: vec!["vendor".into()],
            reason: "third party".into(),
        });
        cfg.rules
            .severity
            .insert("infra-iam-001".into(), Severity::Low);
        let mut vendored = at(1);
        if let Some(l) = vendored.location.as_mut() {
            l.path = "vendor/x/y.tf".into();
        }
        let mut base = at(4);
        base.fingerprint = "feedface".into();
        let baseline = Baseline::from_findings(std::slice::from_ref(&base));
        let s = Suppressor::new(&cfg, Some(&baseline)).expect("compiles");
        let (kept, counts) = s.apply(
            vec![at(1), at(3), vendored, base],
            dir.path(),
            &mut SourceCache::default(),
        );
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert_eq!(kept[0].location.as_ref().map(|l| l.start_line), Some(1));
        assert_eq!(kept[0].severity, Severity::Low);
        assert_eq!(
            counts,
            SuppressedCounts {
                inline: 1,
                config: 1,
                baseline: 1
            }
        );
    }

    #[test]
    fn disable_and_severity_take_patterns() {
        let mut cfg = Config::default();
        cfg.rules.disable.push("infra-iam-*".into());
        let s = Suppressor::new(&cfg, None).expect("compiles");
        let f = Finding::new(&RULE, "m").at(Location::line("x.tf", 1));
        let (kept, counts) = s.apply(vec![f.clone()], Path::new("."), &mut SourceCache::default());
        assert!(kept.is_empty());
        assert_eq!(counts.config, 1);

        let mut cfg = Config::default();
        cfg.rules.severity.insert("INFRA-*".into(), Severity::Info);
        cfg.rules
            .severity
            .insert("INFRA-IAM-*".into(), Severity::Low);
        let s = Suppressor::new(&cfg, None).expect("compiles");
        let (kept, _) = s.apply(vec![f.clone()], Path::new("."), &mut SourceCache::default());
        assert_eq!(kept[0].severity, Severity::Low, "the longer pattern wins");
        cfg.rules
            .severity
            .insert("INFRA-IAM-001".into(), Severity::Medium);
        let s = Suppressor::new(&cfg, None).expect("compiles");
        let (kept, _) = s.apply(vec![f], Path::new("."), &mut SourceCache::default());
        assert_eq!(kept[0].severity, Severity::Medium, "an exact id wins");
    }

    #[test]
    fn cache_refuses_paths_outside_root() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut c = SourceCache::default();
        assert!(c.lines(dir.path(), "../etc/passwd").is_none());
        assert!(c.lines(dir.path(), "/etc/passwd").is_none());
    }
}
