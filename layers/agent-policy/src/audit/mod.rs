//! The layer's audit in `guard run`: existing agent instructions (CLAUDE.md)
//! and Claude Code settings (permission modes, rules, hooks).

pub mod command;
pub mod instructions;
pub mod permission_rule;
pub mod rules;
pub mod scripts;
pub mod settings;

use crate::catalogue::catalogue;
use crate::config::EffectiveRule;
use crate::init::files;
use guard_core::{Context, Finding, LayerError};
use std::ffi::OsString;

pub use rules::AUDIT_RULES;

/// What the audit compares against beyond the effective rules.
#[derive(Debug, Clone, Default)]
pub struct AuditOptions {
    /// PATH on which hook programs are resolved.
    pub path_var: Option<OsString>,
    /// Infra rules the managed CLAUDE.md block lists (as `guard init` writes it).
    pub infra_rules: Vec<&'static guard_core::Rule>,
}

/// Audit the project at `ctx.root()` against the effective rules, resolving
/// hook programs on this process's PATH.
pub fn audit(ctx: &Context, rules: &[EffectiveRule]) -> Result<Vec<Finding>, LayerError> {
    let options = AuditOptions {
        path_var: std::env::var_os("PATH"),
        infra_rules: crate::init::claude_md::infra_prohibitions(),
    };
    audit_with(ctx, rules, &options)
}

/// [`audit`] with explicit options (tests pin PATH and the infra rules).
pub fn audit_with(
    ctx: &Context,
    rules: &[EffectiveRule],
    options: &AuditOptions,
) -> Result<Vec<Finding>, LayerError> {
    let root = ctx.root();
    if root.is_file() {
        // A single file was named; there is no project configuration to audit.
        return Ok(Vec::new());
    }
    let read = |rel: &str| {
        files::read(root, rel).map_err(|e| match e {
            crate::init::InitError::Unusable { path, message }
            | crate::init::InitError::Io { path, message } => LayerError::input(path, message),
            other => LayerError::Other(other.to_string()),
        })
    };

    let mut loaded = Vec::new();
    for rel in instructions::INSTRUCTION_FILES {
        if let Some(e) = read(rel)? {
            loaded.push((*rel, e.text));
        }
    }
    let docs: Vec<instructions::Instructions<'_>> = loaded
        .iter()
        .map(|(path, text)| instructions::Instructions { path, text })
        .collect();
    let mut out = instructions::audit(&docs, rules, &options.infra_rules);
    ctx.check()?;

    let mut settings_text = Vec::new();
    for rel in settings::SETTINGS_FILES {
        if let Some(e) = read(rel)? {
            settings_text.push((*rel, e.text));
        }
    }
    let files: Vec<settings::SettingsFile<'_>> = settings_text
        .iter()
        .map(|(path, text)| settings::SettingsFile { path, text })
        .collect();
    let catalogue_strings: Vec<&str> = catalogue()
        .iter()
        .flat_map(|r| r.settings.iter().copied())
        .collect();
    let env = settings::Env {
        root,
        path_var: options.path_var.as_deref(),
        catalogue_strings: &catalogue_strings,
    };
    out.extend(settings::audit(&files, &env));

    for f in ctx.files().files.iter().filter(|f| scripts::is_script(f)) {
        ctx.check()?;
        // Read through the context: a file that cannot be read is an input
        // error, a binary or non-UTF-8 one is skipped and named.
        if f.size > scripts::MAX_SCRIPT_BYTES {
            ctx.record_problems(
                Vec::new(),
                vec![guard_core::walk::SkippedFile {
                    path: f.rel_path.clone(),
                    reason: format!(
                        "{} bytes is over the {} byte limit for a script or tool config",
                        f.size,
                        scripts::MAX_SCRIPT_BYTES
                    ),
                }],
            );
        } else if let Ok(text) = ctx.read_text(f) {
            out.extend(scripts::scan(&f.rel_path, &text));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, body) in files {
            let p = dir.path().join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, body).unwrap();
        }
        dir
    }

    fn ids(dir: &tempfile::TempDir) -> Result<Vec<String>, String> {
        audit_with(&Context::new(dir.path()), &[], &AuditOptions::default())
            .map(|fs| fs.into_iter().map(|f| f.rule_id).collect())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn unreadable_instructions_are_input_errors() {
        let e = ids(&project(&[("CLAUDE.md", b"ab\0cd")])).unwrap_err();
        assert!(e.contains("CLAUDE.md") && e.contains("binary"), "{e}");
        let big = vec![b'#'; files::MAX_FILE_BYTES as usize + 10];
        let e = ids(&project(&[("CLAUDE.local.md", &big)])).unwrap_err();
        assert!(e.contains("CLAUDE.local.md") && e.contains("limit"), "{e}");
        let e = ids(&project(&[(".claude/settings.json", b"\xC3\x28")])).unwrap_err();
        assert!(e.contains("not valid UTF-8"), "{e}");
    }

    #[test]
    fn malformed_settings_are_findings() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        for body in [
            &b""[..],
            b"{",
            b"null",
            deep.as_bytes(),
            b"{\"permissions\": []}",
        ] {
            let found = ids(&project(&[(".claude/settings.json", body)])).unwrap();
            assert!(found.iter().any(|id| id == "AGENT-AUDIT-010"), "{found:?}");
        }
    }

    #[test]
    fn a_single_file_target_has_nothing_to_audit() {
        let dir = project(&[("main.tf", b"x")]);
        let ctx = Context::new(dir.path().join("main.tf"));
        assert!(audit_with(&ctx, &[], &AuditOptions::default())
            .unwrap()
            .is_empty());
    }
}
