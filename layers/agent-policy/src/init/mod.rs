//! `guard init --agent claude`: the managed CLAUDE.md block, the merged
//! `.claude/settings.json` and a starter `guard.toml`, planned as a set of file
//! changes (so a dry run can show the diff) and then written atomically.

pub mod claude_md;
pub mod files;
pub mod json;
pub mod settings;

use crate::config::EffectiveRule;
use files::Existing;
use std::path::{Path, PathBuf};

pub use settings::{hook_tools, HookSpec, HOOK_MATCHER};

pub const SETTINGS_PATH: &str = ".claude/settings.json";
pub const CONFIG_PATH: &str = "guard.toml";

#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    pub hook: HookSpec,
    /// Write a starter guard.toml at the root when it has none.
    pub write_config: bool,
    /// Infra rules listed in the block as things never to write
    /// ([`claude_md::infra_prohibitions`]).
    pub infra_rules: Vec<&'static guard_core::Rule>,
}

/// One file guard would create or change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Relative to the root, `/`-separated (for messages and diffs).
    pub path: String,
    /// Where the bytes go (a symlink inside the root is written through).
    pub target: PathBuf,
    /// `None` when the file does not exist yet.
    pub before: Option<String>,
    pub after: String,
    /// The file started with a UTF-8 byte-order mark, which is kept.
    pub bom: bool,
}

/// Every change `guard init` would make; files already up to date are absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InitPlan {
    pub files: Vec<FileChange>,
    /// Files checked and found up to date.
    pub unchanged: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    #[error("{path}: {message}; the file was left unchanged")]
    Unusable { path: String, message: String },
    #[error("{path}: {error}; the file was left unchanged")]
    Markers {
        path: String,
        error: claude_md::MarkerError,
    },
    #[error("{path}:{}:{}: {}; the file was left unchanged", .error.line, .error.column, .error.message)]
    Settings {
        path: String,
        error: settings::SettingsError,
    },
    #[error("{path}: changed on disk since it was read; run guard init again")]
    Raced { path: String },
}

impl InitPlan {
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// A unified diff of every change (`/dev/null` for new files).
    pub fn diff(&self) -> String {
        let mut out = String::new();
        for f in &self.files {
            let before = f.before.as_deref().unwrap_or("");
            let old = if f.before.is_some() {
                format!("a/{}", f.path)
            } else {
                "/dev/null".to_string()
            };
            let new = format!("b/{}", f.path);
            let diff = similar::TextDiff::from_lines(before, f.after.as_str());
            out.push_str(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&old, &new)
                    .to_string(),
            );
        }
        out
    }
}

/// Where the managed block goes: the CLAUDE.md that already holds it, else
/// `./CLAUDE.md` unless only `.claude/CLAUDE.md` exists.
fn claude_md_target(root: &Path) -> Result<(String, Option<Existing>), InitError> {
    let top = files::read(root, "CLAUDE.md")?;
    let nested = files::read(root, ".claude/CLAUDE.md")?;
    let has_block = |e: &Option<Existing>| {
        e.as_ref().is_some_and(|e| {
            e.text
                .lines()
                .any(|l| l.trim().starts_with(claude_md::BEGIN_MARKER))
        })
    };
    Ok(match (&top, &nested) {
        (_, Some(_)) if has_block(&nested) && !has_block(&top) => {
            (".claude/CLAUDE.md".to_string(), nested)
        }
        (None, Some(_)) => (".claude/CLAUDE.md".to_string(), nested),
        _ => ("CLAUDE.md".to_string(), top),
    })
}

/// The changes that bring `root` in line with `rules`. Reads only; see [`apply`].
pub fn plan_init(
    root: &Path,
    rules: &[EffectiveRule],
    options: &InitOptions,
) -> Result<InitPlan, InitError> {
    let mut plan = InitPlan::default();

    let (md_path, md) = claude_md_target(root)?;
    let block = claude_md::render_block(rules, &options.infra_rules);
    let after =
        claude_md::splice(md.as_ref().map(|e| e.text.as_str()), &block).map_err(|error| {
            InitError::Markers {
                path: md_path.clone(),
                error,
            }
        })?;
    plan.push(root, md_path, md, after);

    let existing = files::read(root, SETTINGS_PATH)?;
    let merged = settings::merge(
        existing.as_ref().map(|e| e.text.as_str()),
        rules,
        &options.hook,
    )
    .map_err(|error| InitError::Settings {
        path: SETTINGS_PATH.into(),
        error,
    })?;
    match merged {
        Some(after) => plan.push(root, SETTINGS_PATH.into(), existing, after),
        None => plan.unchanged.push(SETTINGS_PATH.into()),
    }

    if options.write_config {
        match files::read(root, CONFIG_PATH)? {
            None => plan.push(root, CONFIG_PATH.into(), None, starter_config()),
            Some(_) => plan.unchanged.push(CONFIG_PATH.into()),
        }
    }
    Ok(plan)
}

impl InitPlan {
    fn push(&mut self, root: &Path, path: String, before: Option<Existing>, after: String) {
        if before.as_ref().is_some_and(|b| b.text == after) {
            self.unchanged.push(path);
            return;
        }
        let (target, bom, before) = match before {
            Some(e) => (e.target, e.bom, Some(e.text)),
            None => (root.join(&path), false, None),
        };
        self.files.push(FileChange {
            path,
            target,
            before,
            after,
            bom,
        });
    }
}

/// Write every change: temp file beside the target, then rename, so a crash
/// never leaves a half-written settings file. A file changed on disk since it
/// was planned is not overwritten.
pub fn apply(plan: &InitPlan) -> Result<(), InitError> {
    for f in &plan.files {
        files::write_atomic(f)?;
    }
    Ok(())
}

/// `guard.toml` for a project that has none.
pub fn starter_config() -> String {
    "\
# guard configuration; `guard schema config` prints every key.
[run]
fail_on = \"high\"

# The agent rules written to CLAUDE.md and .claude/settings.json and enforced by
# `guard hook claude`. After changing this table, run `guard init --agent claude`.
[layers.agent-policy]
# Rule ids never enforced nor written (`guard rules agent-policy` lists them):
# disable = [\"AGENT-GIT-004\"]
# Whole packs to switch off:
# disable_packs = [\"publishing\"]
# Rule ids whose deny becomes ask:
# downgrade = [\"AGENT-TF-004\"]
# What the hook answers when it cannot judge a call (\"ask\" or \"deny\"):
# fail_closed = \"ask\"
"
    .to_string()
}
