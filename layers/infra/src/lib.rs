//! Layer 5, infra: Terraform plan / HCL / IAM policy guard.
//!
//! Three inputs (plan JSON, `.tf` HCL, raw IAM policy JSON) are normalised
//! into one resource model ([`model`]) that one rule table ([`rules`](mod@rules)) runs
//! over. [`check_content`] checks a file's content before it is written (for
//! the agent hook); the [`InfraLayer`] scans files, directories and plans.

pub mod base;
pub mod cfn;
pub mod checks;
pub mod hcl;
pub mod iam;
pub mod json_lines;
pub mod model;
pub mod plan;
pub mod plan_eval;
pub mod rules;
pub mod scan;
pub mod tfvars;
pub mod value;

use guard_core::walk::{self, SourceFile};
use guard_core::{Context, Finding, Layer, LayerError, LayerInfo, Location};
use scan::{JsonKind, Kind};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The rule table (titles are prohibitions an agent can follow), for other
/// layers that render it, e.g. into CLAUDE.md.
pub use rules::rules;

/// Input kinds this layer reads from the command line (`--input KIND=PATH`).
pub const INPUT_KINDS: &[&str] = &["infra", "plan", "policy", "cfn"];

/// [`INPUT_KINDS`] with the help `guard run --help` prints.
static INPUT_HELP: &[guard_core::InputKind] = &[
    guard_core::InputKind {
        kind: "plan",
        help: "Terraform plan (`terraform show -json` output, or a binary plan) [infra]",
    },
    guard_core::InputKind {
        kind: "cfn",
        help: "CloudFormation template (JSON or YAML) [infra]",
    },
    guard_core::InputKind {
        kind: "policy",
        help: "IAM policy JSON document [infra]",
    },
    guard_core::InputKind {
        kind: "infra",
        help:
            "plan, policy, .tf file or directory checked instead of the tree's infra files [infra]",
    },
    guard_core::InputKind {
        kind: VAR_FILE_KIND,
        help: "Terraform variable file (.tfvars or .tfvars.json) as with `-var-file`, for every module checked [infra]",
    },
];
/// Input kind of `-var-file` files (`guard infra --var-file FILE`), applied
/// after the variable files each directory loads by itself, in the order given.
pub const VAR_FILE_KIND: &str = "var-file";
/// Input kind used as a flag by `guard infra --all` (the path is ignored).
pub const ALL_FLAG_KIND: &str = "infra-all";

/// Plans beyond this size are refused (large real plans are tens of MB).
pub const MAX_PLAN_SIZE: u64 = 512 * 1024 * 1024;

#[derive(Debug, Clone, thiserror::Error)]
pub enum InfraError {
    #[error("{path}:{line}:{col}: {message}")]
    Parse {
        path: String,
        line: u32,
        col: u32,
        message: String,
    },
    #[error("{path}: {message}")]
    Input { path: String, message: String },
}

impl From<InfraError> for LayerError {
    fn from(e: InfraError) -> Self {
        match e {
            // The path is said once: `plan.json:2:1: ...`.
            InfraError::Parse {
                path,
                line,
                col,
                message,
            } => LayerError::input(format!("{path}:{line}:{col}"), message),
            InfraError::Input { path, message } => LayerError::input(path, message),
        }
    }
}

/// Checks the content of one infra file before it is written: IAM policies,
/// network ingress and the other static rules (no plan semantics). Content
/// that is not a recognised infra file gives `Ok(empty)`. A `.tf` file sees
/// the variables and locals of the other `.tf` files of its directory on
/// disk (relative paths are taken from the current directory).
pub fn check_content(path: &str, content: &str) -> Result<Vec<Finding>, InfraError> {
    if content.len() > scan::MAX_TEXT_FILE {
        return Err(InfraError::Input {
            path: path.into(),
            message: format!(
                "{} bytes is over the {} byte limit for a configuration file",
                content.len(),
                scan::MAX_TEXT_FILE
            ),
        });
    }
    let findings = match scan::kind_of(path) {
        Some(Kind::Hcl) => hcl_in_module(Path::new(path), path, content.to_string(), &[])?,
        Some(Kind::TfJson) => scan::scan_tf_json(path, content)?,
        Some(Kind::Json) => match scan::classify_json(content) {
            JsonKind::Policy => {
                let doc = json_lines::parse(content, 1, false).map_err(|e| InfraError::Parse {
                    path: path.into(),
                    line: e.line,
                    col: e.col,
                    message: e.message,
                })?;
                scan::scan_policy(path, &doc)
            }
            JsonKind::TfJson => scan::scan_tf_json(path, content)?,
            JsonKind::Plan | JsonKind::Other => Vec::new(),
        },
        None => Vec::new(),
    };
    Ok(with_layer(findings))
}

/// A walked file whose text does not parse, as a finding at the error's
/// place, so one broken file does not hide the rest of the tree.
pub fn unparsed_finding(e: &InfraError) -> Finding {
    let loc = match e {
        InfraError::Parse {
            path, line, col, ..
        } => Location::span(path.as_str(), (*line, *col), (*line, *col)),
        InfraError::Input { path, .. } => Location::line(path.as_str(), 1),
    };
    // The error's text names file:line:col, as the named-file error does.
    let mut f = Finding::new(&rules::INPUT_UNPARSED, format!("not checked: {e}")).at(loc);
    f.layer = "infra".into();
    f
}

fn with_layer(mut findings: Vec<Finding>) -> Vec<Finding> {
    for f in &mut findings {
        f.layer = "infra".into();
    }
    findings
}

/// `[layers.infra]` in guard.toml.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InfraConfig {
    /// Report risks a plan does not change at their own severity instead of Info.
    #[serde(default)]
    pub all: bool,
    /// What to do with protective settings left at an insecure provider
    /// default ("not set (defaults to ...)"): report them (default) or
    /// ignore them and gate on explicit settings only.
    #[serde(default)]
    pub unset: UnsetMode,
}

/// `[layers.infra] unset = "report" | "ignore"`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnsetMode {
    #[default]
    Report,
    Ignore,
}

/// The infra layer: Terraform plans, `.tf` files and IAM policies under the
/// root, plus plans named with `--input plan=FILE`.
///
/// ```
/// use guard_core::{Context, Layer};
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(
///     dir.path().join("main.tf"),
///     "resource \"aws_security_group\" \"a\" {\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n",
/// ).unwrap();
/// let findings = guard_infra::layer().run(&Context::new(dir.path())).unwrap();
/// assert!(findings.iter().any(|f| f.rule_id == "INFRA-NET-001"));
/// ```
pub struct InfraLayer;

/// The layer, for `guard run` and for embedding.
pub fn layer() -> InfraLayer {
    InfraLayer
}

/// How strictly a file is read: named on the command line (must be an infra
/// file, errors are errors) or met in a walk (unrelated JSON is skipped).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    Named,
    Walked,
}

fn read_input(path: &Path, display: &str, limit: u64) -> Result<String, InfraError> {
    let err = |m: String| InfraError::Input {
        path: display.into(),
        message: m,
    };
    let meta = std::fs::metadata(path).map_err(|e| err(format!("cannot read: {e}")))?;
    if meta.len() > limit {
        return Err(err(format!(
            "{} bytes is over the {limit} byte limit",
            meta.len()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| err(format!("cannot read: {e}")))?;
    let shown = display;
    tracing::debug!("read {shown} ({} bytes)", bytes.len());
    let bytes = if plan::is_binary_plan(&bytes) {
        plan::convert_binary(path).map_err(|e| err(e.to_string()))?
    } else {
        bytes
    };
    walk::decode_text(display, &bytes).map_err(|e| {
        err(e
            .to_string()
            .trim_start_matches(&format!("{display}: "))
            .to_string())
    })
}

fn scan_file(
    path: &Path,
    display: &str,
    origin: Origin,
    all: bool,
    var_files: &[String],
) -> Result<Vec<Finding>, InfraError> {
    let kind = scan::kind_of(display);
    let limit = match kind {
        None if cfn::is_yaml_name(display) => scan::MAX_TEXT_FILE as u64,
        Some(Kind::Json) | None => MAX_PLAN_SIZE,
        _ => scan::MAX_TEXT_FILE as u64,
    };
    let text = read_input(path, display, limit)?;
    scan_text(path, display, text, origin, all, var_files)
}

/// The checks of one file's text, by its kind.
fn scan_text(
    path: &Path,
    display: &str,
    text: String,
    origin: Origin,
    all: bool,
    var_files: &[String],
) -> Result<Vec<Finding>, InfraError> {
    if cfn::is_yaml_name(display) {
        return scan_yaml(display, &text, origin);
    }
    if scan::kind_of(display) != Some(Kind::Hcl) && cfn::may_be_template(&text) {
        if let Ok(doc) = json_lines::parse(&text, 1, false) {
            if cfn::is_template(&doc) {
                return Ok(scan::scan_cfn(display, &doc, &text));
            }
        }
    }
    match scan::kind_of(display) {
        Some(Kind::Hcl) => hcl_in_module(path, display, text, var_files),
        Some(Kind::TfJson) => scan::scan_tf_json(display, &text),
        Some(Kind::Json) | None => match scan::classify_json(&text) {
            JsonKind::Plan => scan::scan_plan(display, &text, all),
            JsonKind::Policy => {
                let doc = json_lines::parse(&text, 1, false).map_err(|e| InfraError::Parse {
                    path: display.into(),
                    line: e.line,
                    col: e.col,
                    message: e.message,
                })?;
                Ok(scan::scan_policy(display, &doc))
            }
            JsonKind::TfJson => scan::scan_tf_json(display, &text),
            JsonKind::Other if origin == Origin::Walked => Ok(Vec::new()),
            JsonKind::Other => Err(named_json_error(display, &text)),
        },
    }
}

/// A YAML file: a CloudFormation template is checked; any other YAML met in
/// a walk is not infra (named on the command line, it is an error).
fn scan_yaml(display: &str, text: &str, origin: Origin) -> Result<Vec<Finding>, InfraError> {
    let not_template = || {
        InfraError::Input {
        path: display.into(),
        message: "expected a CloudFormation template (`AWSTemplateFormatVersion` or `Resources` with `AWS::` types)".into(),
    }
    };
    if origin == Origin::Walked && !cfn::may_be_template(text) {
        return Ok(Vec::new());
    }
    match cfn::parse(display, text) {
        Ok(doc) if cfn::is_template(&doc) => Ok(scan::scan_cfn(display, &doc, text)),
        Ok(_) if origin == Origin::Walked => Ok(Vec::new()),
        Ok(_) => Err(not_template()),
        // Other YAML that does not parse is not ours to report.
        Err(_) if origin == Origin::Walked && !text.contains("AWSTemplateFormatVersion") => {
            Ok(Vec::new())
        }
        Err(e) => Err(e),
    }
}

/// One `.tf` file checked with the definitions of the other files of its
/// directory on disk (its module), if that directory exists.
fn hcl_in_module(
    path: &Path,
    display: &str,
    text: String,
    var_files: &[String],
) -> Result<Vec<Finding>, InfraError> {
    // `main.tf` has the parent "", which read_dir does not take.
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let (context, tfvars) = dir_context(dir, Some(path), var_files)?;
    let mut results = scan::scan_hcl_module(&[(display.to_string(), text)], &context, &tfvars);
    results.pop().unwrap_or_else(|| Ok(Vec::new()))
}

/// Most files of one directory read as context for a named `.tf` file.
const MAX_CONTEXT_FILES: usize = 1000;

/// What else of `dir` counts for its module: the other `.tf` files (except
/// `skip`; `None` skips them all, when the caller checks them itself) and
/// the variable files Terraform loads by itself, in its order, then
/// `var_files` (`-var-file`, already read). Unreadable `.tf` files are left
/// out: they are context, not the subject. A variable file that cannot be
/// read or does not parse is an error: values would silently fall back to
/// defaults.
fn dir_context(
    dir: &Path,
    skip: Option<&Path>,
    var_files: &[String],
) -> Result<(Vec<String>, Vec<String>), InfraError> {
    let mut context = Vec::new();
    if let (Some(skip), Ok(entries)) = (skip, std::fs::read_dir(dir)) {
        for e in entries.flatten().take(MAX_CONTEXT_FILES * 4) {
            let name = e.file_name().to_string_lossy().to_ascii_lowercase();
            let path = e.path();
            if !name.ends_with(".tf")
                || skip.file_name() == path.file_name()
                || context.len() >= MAX_CONTEXT_FILES
            {
                continue;
            }
            match read_input(&path, &name, scan::MAX_TEXT_FILE as u64) {
                Ok(t) => context.push(t),
                Err(e) => tracing::debug!("module context skipped: {e}"),
            }
        }
    }
    let mut tfvars = Vec::new();
    for path in tfvars::auto_files(dir) {
        let rel = std::env::current_dir()
            .ok()
            .and_then(|c| path.strip_prefix(c).ok().map(Path::to_path_buf))
            .unwrap_or_else(|| path.clone());
        let shown = rel.to_string_lossy().replace('\\', "/");
        let shown = shown.strip_prefix("./").unwrap_or(&shown).to_string();
        let text = read_input(&path, &shown, scan::MAX_TEXT_FILE as u64)?;
        tfvars.push(tfvars::load(&shown, &text)?);
    }
    tfvars.extend(var_files.iter().cloned());
    Ok((context, tfvars))
}

/// The `-var-file` inputs, read and converted to HCL, in the order given.
fn load_var_files(ctx: &Context) -> Result<Vec<String>, InfraError> {
    ctx.inputs(VAR_FILE_KIND)
        .iter()
        .map(|p| {
            let shown = p.to_string_lossy().replace('\\', "/");
            let text = read_input(p, &shown, scan::MAX_TEXT_FILE as u64)?;
            tfvars::load(&shown, &text)
        })
        .collect()
}

/// The `.tf` files of a walk, one directory (module) at a time: text that
/// does not parse becomes an `INFRA-INPUT-001` finding.
///
/// A file that cannot be read at all is left to the context, which reports it
/// as the walk does: an input error when unreadable, skipped (named) when
/// binary or not text. Only text that does not parse is a finding.
fn scan_walked_hcl(
    files: &[&SourceFile],
    ctx: &Context,
    var_files: &[String],
) -> Result<Vec<Finding>, LayerError> {
    let mut by_dir: std::collections::BTreeMap<&Path, Vec<&SourceFile>> = Default::default();
    for f in files {
        by_dir
            .entry(f.abs_path.parent().unwrap_or(Path::new(".")))
            .or_default()
            .push(f);
    }
    let mut out = Vec::new();
    for (dir, members) in by_dir {
        ctx.check()?;
        let mut checked = Vec::new();
        for f in members {
            if let Some(text) = walked_text(ctx, f, scan::MAX_TEXT_FILE as u64) {
                checked.push((f.rel_path.clone(), text));
            }
        }
        let tfvars = match dir_context(dir, None, var_files) {
            Ok((_, t)) => t,
            Err(e) => {
                // The module is still checked; values its variable files
                // would set are then unresolved or defaults.
                tracing::warn!("{e}");
                out.push(unparsed_finding(&e));
                Vec::new()
            }
        };
        for r in scan::scan_hcl_module(&checked, &[], &tfvars) {
            match r {
                Ok(fs) => out.extend(fs),
                Err(e) => {
                    tracing::warn!("{e}");
                    out.push(unparsed_finding(&e));
                }
            }
        }
    }
    Ok(out)
}

/// The text of a file met in a walk, read through the context: a file that
/// cannot be read is an input error, one that is binary, not text or over
/// the size limit is skipped and named (none of them is a finding).
fn walked_text(ctx: &Context, f: &SourceFile, limit: u64) -> Option<String> {
    if f.size > limit {
        ctx.record_problems(
            Vec::new(),
            vec![walk::SkippedFile {
                path: f.rel_path.clone(),
                reason: format!("{} bytes is over the {limit} byte limit", f.size),
            }],
        );
        return None;
    }
    ctx.read_text(f).ok()
}

/// A file met in a walk: text that does not parse becomes an
/// `INFRA-INPUT-001` finding.
fn scan_walked(ctx: &Context, f: &SourceFile, all: bool, var_files: &[String]) -> Vec<Finding> {
    let limit = match scan::kind_of(&f.rel_path) {
        None if cfn::is_yaml_name(&f.rel_path) => scan::MAX_TEXT_FILE as u64,
        Some(Kind::Json) | None => MAX_PLAN_SIZE,
        _ => scan::MAX_TEXT_FILE as u64,
    };
    let Some(text) = walked_text(ctx, f, limit) else {
        return Vec::new();
    };
    scan_text(
        &f.abs_path,
        &f.rel_path,
        text,
        Origin::Walked,
        all,
        var_files,
    )
    .unwrap_or_else(|e| {
        tracing::warn!("{e}");
        vec![unparsed_finding(&e)]
    })
}

/// Why a named file is not a plan or policy: a JSON syntax error with its
/// place, or the shape that was expected.
fn named_json_error(display: &str, text: &str) -> InfraError {
    match json_lines::parse(text, 1, false) {
        Err(e) => InfraError::Parse {
            path: display.into(),
            line: e.line,
            col: e.col,
            message: format!("not valid JSON: {}", e.message),
        },
        Ok(_) => match scan::scan_plan(display, text, false) {
            Err(e) => e,
            Ok(_) => InfraError::Input {
                path: display.into(),
                message: "expected a `terraform show -json` plan, an IAM policy (with `Statement`) or Terraform JSON configuration".into(),
            },
        },
    }
}

/// Infra files of a walk, minus Terraform's own caches (`.terraform/`
/// holds downloaded modules and providers, not the code under review).
fn is_infra_file(f: &SourceFile) -> bool {
    (scan::kind_of(&f.rel_path).is_some() || cfn::is_yaml_name(&f.rel_path))
        && !f.rel_path.split('/').any(|c| c == ".terraform")
}

impl InfraLayer {
    fn scan_dir(
        &self,
        ctx: &Context,
        dir: &Path,
        prefix: &str,
        all: bool,
        var_files: &[String],
    ) -> Result<Vec<Finding>, LayerError> {
        let set = walk::walk(dir, ctx.walk_options());
        if let Some(e) = set.errors.first() {
            return Err(LayerError::input(join(prefix, &e.path), e.message.clone()));
        }
        // What the walk of a named directory passed over is named in the
        // report, as for the scanned root.
        ctx.record_problems(
            Vec::new(),
            set.skipped
                .iter()
                .map(|s| walk::SkippedFile {
                    path: join(prefix, &s.path),
                    reason: s.reason.clone(),
                })
                .collect(),
        );
        let mut out = Vec::new();
        let mut hcl = Vec::new();
        for f in set.files.iter().filter(|f| is_infra_file(f)) {
            ctx.check()?;
            let display = join(prefix, &f.rel_path);
            if scan::kind_of(&f.rel_path) == Some(Kind::Hcl) {
                hcl.push(SourceFile {
                    rel_path: display,
                    ..f.clone()
                });
            } else {
                let shown = SourceFile {
                    rel_path: display,
                    ..f.clone()
                };
                out.extend(scan_walked(ctx, &shown, all, var_files));
            }
        }
        let hcl: Vec<&SourceFile> = hcl.iter().collect();
        out.extend(scan_walked_hcl(&hcl, ctx, var_files)?);
        Ok(out)
    }

    fn base_findings(&self, ctx: &Context) -> Vec<Finding> {
        let Some(change) = ctx.change() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for file in &change.files {
            let path = file.path();
            if scan::kind_of(path) != Some(Kind::Hcl) || file.binary {
                continue;
            }
            let current = match file.status {
                guard_core::diff::FileStatus::Deleted => None,
                _ => std::fs::read(ctx.root().join(path))
                    .ok()
                    .and_then(|b| walk::decode_text(path, &b).ok()),
            };
            let old = base::base_text(current.as_deref(), file);
            out.extend(base::compare_with_base(path, &old, current.as_deref()));
        }
        out
    }
}

/// The directory part of a `/`-separated path ("" for a file at the root).
fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

/// What identifies "the same finding" before and after a change: lines move,
/// the rule, file, resource and message do not (a changed value changes
/// the message).
fn change_key(f: &Finding) -> (String, String, String, String) {
    (
        f.rule_id.clone(),
        f.location
            .as_ref()
            .map(|l| l.path.clone())
            .unwrap_or_default(),
        f.resource.clone().unwrap_or_default(),
        f.message.clone(),
    )
}

/// The HCL findings of the module in `dir` (relative to the root) as it was
/// before the change: changed `.tf` and variable files rebuilt from the
/// diff, added ones left out, deleted ones restored.
fn old_module_findings(
    ctx: &Context,
    change: &guard_core::ChangeSet,
    dir: &str,
    var_files: &[String],
) -> Vec<Finding> {
    let abs = ctx.root().join(dir);
    let mut names: std::collections::BTreeSet<String> = std::fs::read_dir(&abs)
        .map(|es| {
            es.flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    for f in &change.files {
        if let Some(old) = &f.old_path {
            if parent_dir(old) == dir {
                names.insert(old.rsplit('/').next().unwrap_or(old).to_string());
            }
        }
    }
    let mut tf = Vec::new();
    let mut vars: Vec<(u8, String, String)> = Vec::new();
    for name in names {
        let is_tf = scan::kind_of(&name) == Some(Kind::Hcl);
        let rank = tfvars::auto_rank(&name);
        if !is_tf && rank.is_none() {
            continue;
        }
        let rel = join(dir, &name);
        let current = std::fs::read(abs.join(&name))
            .ok()
            .and_then(|b| walk::decode_text(&rel, &b).ok());
        let changed = change.files.iter().find(|f| {
            f.new_path.as_deref() == Some(rel.as_str())
                || f.old_path.as_deref() == Some(rel.as_str())
        });
        let old = match changed {
            Some(f) if f.status == guard_core::diff::FileStatus::Added => None,
            Some(f) => Some(base::base_text(current.as_deref(), f)),
            None => current,
        };
        let Some(old) = old else { continue };
        match rank {
            Some(r) => {
                if let Ok(t) = tfvars::load(&rel, &old) {
                    vars.push((r, name, t));
                }
            }
            None => tf.push((rel, old)),
        }
    }
    vars.sort();
    let mut var_texts: Vec<String> = vars.into_iter().map(|(_, _, t)| t).collect();
    var_texts.extend(var_files.iter().cloned());
    scan::scan_hcl_module(&tf, &[], &var_texts)
        .into_iter()
        .flatten()
        .flatten()
        .collect()
}

/// Tags each `.tf` finding as introduced by the change under review or
/// already present before it ([`guard_core::report::TAG_EXISTING`]): the
/// modules the change touches are evaluated as they were before it too.
fn tag_by_change(ctx: &Context, findings: &mut [Finding], var_files: &[String]) {
    use guard_core::report::{TAG_EXISTING, TAG_INTRODUCED};
    let Some(change) = ctx.change() else {
        return;
    };
    let mut dirs: std::collections::BTreeSet<&str> = Default::default();
    for f in &change.files {
        for p in [f.old_path.as_deref(), f.new_path.as_deref()]
            .into_iter()
            .flatten()
        {
            let name = p.rsplit('/').next().unwrap_or(p);
            if scan::kind_of(p) == Some(Kind::Hcl) || tfvars::auto_rank(name).is_some() {
                dirs.insert(parent_dir(p));
            }
        }
    }
    let mut old: std::collections::HashSet<(String, String, String, String)> = Default::default();
    for dir in &dirs {
        old.extend(
            old_module_findings(ctx, change, dir, var_files)
                .iter()
                .map(change_key),
        );
    }
    for f in findings.iter_mut() {
        let Some(path) = f.location.as_ref().map(|l| l.path.clone()) else {
            continue;
        };
        if scan::kind_of(&path) != Some(Kind::Hcl) {
            continue;
        }
        let introduced = dirs.contains(parent_dir(&path)) && !old.contains(&change_key(f));
        f.tags.push(
            if introduced {
                TAG_INTRODUCED
            } else {
                TAG_EXISTING
            }
            .into(),
        );
    }
}

fn join(prefix: &str, rel: &str) -> String {
    if prefix.is_empty() || prefix == "." {
        rel.to_string()
    } else {
        format!("{}/{rel}", prefix.trim_end_matches('/'))
    }
}

impl Layer for InfraLayer {
    fn id(&self) -> &'static str {
        "infra"
    }

    fn info(&self) -> LayerInfo {
        LayerInfo {
            id: "infra",
            name: "Infra",
            description: "Terraform plans, HCL and IAM policies: wildcard IAM, world-open ingress, data loss, encryption, public exposure",
            rules: rules::RULES,
        }
    }

    fn input_kinds(&self) -> &'static [guard_core::InputKind] {
        INPUT_HELP
    }

    fn check_config(&self, ctx: &Context) -> Result<(), guard_core::ConfigError> {
        ctx.config().parse::<InfraConfig>().map(|_| ())
    }

    fn run(&self, ctx: &Context) -> Result<Vec<Finding>, LayerError> {
        let cfg: InfraConfig = ctx.config().parse()?;
        let all = cfg.all || !ctx.inputs(ALL_FLAG_KIND).is_empty();
        let named: Vec<&PathBuf> = INPUT_KINDS.iter().flat_map(|k| ctx.inputs(k)).collect();
        let var_files = load_var_files(ctx)?;
        let mut out = Vec::new();
        // `guard infra PATHS` (kind `infra`) scans exactly its paths; under
        // `guard run` the root is walked, plus any `--input plan=...`.
        if ctx.inputs("infra").is_empty() {
            let mut hcl = Vec::new();
            for f in ctx.files().files.iter().filter(|f| is_infra_file(f)) {
                ctx.check()?;
                if scan::kind_of(&f.rel_path) == Some(Kind::Hcl) {
                    hcl.push(f);
                } else {
                    out.extend(scan_walked(ctx, f, all, &var_files));
                }
            }
            out.extend(scan_walked_hcl(&hcl, ctx, &var_files)?);
        }
        for p in named {
            ctx.check()?;
            let display = p.to_string_lossy().replace('\\', "/");
            if p.is_dir() {
                out.extend(self.scan_dir(ctx, p, &display, all, &var_files)?);
            } else {
                out.extend(scan_file(p, &display, Origin::Named, all, &var_files)?);
            }
        }
        if ctx.change().is_some() {
            tag_by_change(ctx, &mut out, &var_files);
            let mut base = self.base_findings(ctx);
            for f in &mut base {
                f.tags.push(guard_core::report::TAG_INTRODUCED.into());
            }
            out.extend(base);
        } else {
            out.extend(self.base_findings(ctx));
        }
        if cfg.unset == UnsetMode::Ignore {
            out.retain(|f| !f.tags.iter().any(|t| t == scan::UNSET_TAG));
        }
        Ok(with_layer(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_mode_is_validated() {
        let c: InfraConfig = serde_json::from_str(r#"{"unset":"ignore"}"#).unwrap();
        assert_eq!(c.unset, UnsetMode::Ignore);
        let c: InfraConfig = serde_json::from_str("{}").unwrap();
        assert_eq!(c.unset, UnsetMode::Report);
        let e = serde_json::from_str::<InfraConfig>(r#"{"unset":"sometimes"}"#).unwrap_err();
        assert!(e.to_string().contains("report"), "{e}");
    }

    #[test]
    fn every_input_kind_has_help() {
        let mut helped: Vec<&str> = INPUT_HELP.iter().map(|k| k.kind).collect();
        let mut kinds = INPUT_KINDS.to_vec();
        kinds.push(VAR_FILE_KIND);
        helped.sort_unstable();
        kinds.sort_unstable();
        assert_eq!(helped, kinds);
    }

    #[test]
    fn content_check_sees_the_module_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("variables.tf"),
            "variable \"cidr\" {\n  default = \"0.0.0.0/0\"\n}\n",
        )
        .unwrap();
        let path = dir.path().join("main.tf");
        let text = "resource \"aws_security_group_rule\" \"r\" {\n  type        = \"ingress\"\n  from_port   = 22\n  to_port     = 22\n  protocol    = \"tcp\"\n  cidr_blocks = [var.cidr]\n  description = \"ssh\"\n}\n";
        let fs = check_content(&path.to_string_lossy(), text).unwrap();
        let ids: Vec<&str> = fs.iter().map(|f| f.rule_id.as_str()).collect();
        assert_eq!(ids, ["INFRA-NET-001"]);
        // Without the module the variable cannot be checked.
        let fs = check_content("nowhere/main.tf", text).unwrap();
        let ids: Vec<&str> = fs.iter().map(|f| f.rule_id.as_str()).collect();
        assert_eq!(ids, ["INFRA-PLAN-002"]);
    }
}
