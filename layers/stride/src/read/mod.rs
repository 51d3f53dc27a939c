//! Model readers: Threagile YAML, Threat Dragon v1/v2 JSON, pytm `--json`
//! exports and guard's compact YAML, all into [`crate::model::Model`].
//!
//! Unknown keys: errors in guard's own format (a typo must not silently
//! drop a control), warnings in third-party formats (their own tools ignore
//! unknown keys, and real files carry editor extras); warnings become
//! `STRIDE-MODEL-001` findings so they are never silent.

pub mod guard;
pub mod pytm;
pub mod tdragon;
pub mod threagile;

use crate::model::{Format, Model};
use crate::yaml::{YNode, YVal, MAX_MODEL_BYTES};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// A problem at a place in the file (line 0 when the format has no
    /// lines there; the message then names the JSON pointer).
    #[error("{file}:{line}: {message}")]
    At {
        file: String,
        line: u32,
        message: String,
    },
    #[error("{file}: {message}")]
    File { file: String, message: String },
}

impl ModelError {
    pub fn at(file: &str, line: u32, message: impl Into<String>) -> Self {
        ModelError::At {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }

    pub fn file(file: &str, message: impl Into<String>) -> Self {
        ModelError::File {
            file: file.to_string(),
            message: message.into(),
        }
    }

    pub fn file_name(&self) -> &str {
        match self {
            ModelError::At { file, .. } | ModelError::File { file, .. } => file,
        }
    }
}

/// Reads a file of at most [`MAX_MODEL_BYTES`] as UTF-8 text.
pub fn read_bounded(path: &Path, shown: &str) -> Result<String, ModelError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| ModelError::file(shown, format!("cannot read model: {e}")))?;
    if !meta.is_file() {
        return Err(ModelError::file(shown, "model is not a regular file"));
    }
    if meta.len() > MAX_MODEL_BYTES {
        return Err(ModelError::file(
            shown,
            format!(
                "model is {} bytes, more than the {} MiB limit",
                meta.len(),
                MAX_MODEL_BYTES / (1024 * 1024)
            ),
        ));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| ModelError::file(shown, format!("cannot read model: {e}")))?;
    text_of(bytes).map_err(|m| ModelError::file(shown, m))
}

/// Where model files come from: the working tree ([`Disk`]), or elsewhere
/// (a git revision, in `guard stride MODEL --diff A..B`). Threagile
/// `includes` are read through the same source as the model naming them.
pub trait FileSource {
    /// The identity of `path` that includes are confined and cycle-checked
    /// with (on disk: the canonical path).
    fn canonical(&self, path: &Path) -> std::io::Result<PathBuf>;
    /// The file's text: at most [`MAX_MODEL_BYTES`], UTF-8 (a leading BOM
    /// dropped); `Err` says what is wrong, without the file name.
    fn read_text(&self, path: &Path) -> Result<String, String>;
}

/// The working tree.
#[derive(Debug, Clone, Copy, Default)]
pub struct Disk;

impl FileSource for Disk {
    fn canonical(&self, path: &Path) -> std::io::Result<PathBuf> {
        path.canonicalize()
    }

    fn read_text(&self, path: &Path) -> Result<String, String> {
        read_bounded(path, "").map_err(|e| match e {
            ModelError::At { message, .. } | ModelError::File { message, .. } => message,
        })
    }
}

/// Model text from bytes read elsewhere: size bound, UTF-8, BOM dropped.
pub fn text_of(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.len() as u64 > MAX_MODEL_BYTES {
        return Err(format!(
            "model is more than the {} MiB limit",
            MAX_MODEL_BYTES / (1024 * 1024)
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "model is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

/// Reads the model at `path` (shown as `shown` in messages), detecting its
/// format from its content.
pub fn load(path: &Path, shown: &str) -> Result<Model, ModelError> {
    load_from(path, shown, &Disk)
}

/// [`load`] with the model and its includes read from `src`.
pub fn load_from(path: &Path, shown: &str, src: &dyn FileSource) -> Result<Model, ModelError> {
    let text = src
        .read_text(path)
        .map_err(|m| ModelError::file(shown, m))?;
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{');
    let mut model = if is_json {
        let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            ModelError::at(
                shown,
                e.line() as u32,
                format!("invalid JSON at column {}: {e}", e.column()),
            )
        })?;
        if v.get("summary").is_some() && v.get("detail").is_some() {
            tdragon::read(&v, shown)?
        } else if v.get("flows").is_some()
            && (v.get("boundaries").is_some() || v.get("elements").is_some())
        {
            pytm::read(&v, shown)?
        } else {
            return Err(ModelError::file(
                shown,
                "unrecognised JSON model: expected Threat Dragon (`summary` and `detail`) or a pytm `--json` export (`elements`, `flows`, `boundaries`)",
            ));
        }
    } else {
        // guard's own format is read in one typed pass; only a file it does not
        // take is parsed into a tree to tell a Threagile model from a broken one.
        match guard::read(&text, shown) {
            Ok(m) => m,
            Err(guard_err) => {
                let root = crate::yaml::parse(&text).map_err(|e| {
                    ModelError::at(shown, e.line, format!("invalid YAML: {}", e.message))
                })?;
                if root.get("threagile_version").is_some() || root.get("technical_assets").is_some()
                {
                    threagile::read_from(path, shown, root, src)?
                } else {
                    return Err(guard_err);
                }
            }
        }
    };
    model.reindex();
    model.compute_crossings_if_needed();
    model.propagate_data();
    Ok(model)
}

impl Model {
    fn compute_crossings_if_needed(&mut self) {
        if self.format != Format::ThreatDragon {
            self.compute_crossings();
        }
    }
}

/// Field access on a YAML tree with errors that name file, line and what
/// was expected.
pub(crate) struct Y<'a> {
    pub file: &'a str,
}

impl Y<'_> {
    pub fn err(&self, line: u32, msg: impl Into<String>) -> ModelError {
        ModelError::at(self.file, line, msg)
    }

    pub fn map<'n>(
        &self,
        n: &'n YNode,
        what: &str,
    ) -> Result<&'n [(String, u32, YNode)], ModelError> {
        match &n.v {
            YVal::Map(m) => Ok(m),
            YVal::Null => Ok(&[]),
            _ => Err(self.err(
                n.line,
                format!("`{what}` must be a mapping, got {}", n.type_name()),
            )),
        }
    }

    pub fn opt_str(&self, n: &YNode, key: &str) -> Result<Option<String>, ModelError> {
        match n.get(key) {
            None => Ok(None),
            Some(v) => match &v.v {
                YVal::Null => Ok(None),
                YVal::Str(s) => Ok(Some(s.clone())),
                YVal::Int(i) => Ok(Some(i.to_string())),
                YVal::Float(f) => Ok(Some(f.to_string())),
                YVal::Bool(b) => Ok(Some(b.to_string())),
                _ => Err(self.err(
                    v.line,
                    format!("`{key}` must be a string, got {}", v.type_name()),
                )),
            },
        }
    }

    pub fn req_str(&self, n: &YNode, key: &str, owner: &str) -> Result<String, ModelError> {
        self.opt_str(n, key)?
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                self.err(
                    n.line,
                    format!("{owner}: missing required `{key}` (a string)"),
                )
            })
    }

    pub fn bool(&self, n: &YNode, key: &str) -> Result<bool, ModelError> {
        match n.get(key) {
            None => Ok(false),
            Some(v) => match &v.v {
                YVal::Null => Ok(false),
                YVal::Bool(b) => Ok(*b),
                _ => Err(self.err(
                    v.line,
                    format!("`{key}` must be true or false, got {}", v.type_name()),
                )),
            },
        }
    }

    pub fn str_list(&self, n: &YNode, key: &str) -> Result<Vec<(String, u32)>, ModelError> {
        match n.get(key) {
            None => Ok(Vec::new()),
            Some(v) => match &v.v {
                YVal::Null => Ok(Vec::new()),
                YVal::Seq(items) => items
                    .iter()
                    .map(|i| match &i.v {
                        YVal::Str(s) => Ok((s.clone(), i.line)),
                        YVal::Int(x) => Ok((x.to_string(), i.line)),
                        _ => Err(self.err(
                            i.line,
                            format!("`{key}` items must be strings, got {}", i.type_name()),
                        )),
                    })
                    .collect(),
                _ => Err(self.err(
                    v.line,
                    format!("`{key}` must be a list of strings, got {}", v.type_name()),
                )),
            },
        }
    }

    /// An enum value from `allowed` (case-insensitive); `None` when absent.
    pub fn enum_val(
        &self,
        n: &YNode,
        key: &str,
        allowed: &[&str],
    ) -> Result<Option<String>, ModelError> {
        let Some(s) = self.opt_str(n, key)? else {
            return Ok(None);
        };
        let low = s.to_ascii_lowercase();
        if allowed.contains(&low.as_str()) {
            Ok(Some(low))
        } else {
            let line = n.get(key).map_or(n.line, |v| v.line);
            Err(self.err(
                line,
                format!(
                    "`{key}`: unknown value `{s}`; expected one of {}",
                    allowed.join(", ")
                ),
            ))
        }
    }
}

/// Warnings for keys of `n` not in `known`.
pub(crate) fn unknown_keys(
    n: &YNode,
    known: &[&str],
    owner: &str,
    out: &mut Vec<crate::model::Warning>,
) {
    for (k, line, _) in n.entries() {
        if !known.contains(&k.as_str()) {
            out.push(crate::model::Warning {
                line: *line,
                message: format!("{owner}: unknown key `{k}` ignored"),
            });
        }
    }
}

/// `path` with `.` and `..` resolved from its text alone, for files that are
/// not on disk to resolve links in (a git revision, memory).
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Files held in memory, keyed by their (lexical) path.
    struct Memory(BTreeMap<PathBuf, String>);

    impl FileSource for Memory {
        fn canonical(&self, path: &Path) -> std::io::Result<PathBuf> {
            Ok(lexical(path))
        }

        fn read_text(&self, path: &Path) -> Result<String, String> {
            self.0
                .get(path)
                .cloned()
                .ok_or_else(|| format!("`{}` does not exist here", path.display()))
        }
    }

    const MAIN: &str = "threagile_version: 1.0.0\ntitle: t\nincludes:\n  - parts/assets.yaml\ntechnical_assets:\n  Web:\n    id: web\n    type: process\n    technology: web-server\n";

    fn memory(files: &[(&str, &str)]) -> Memory {
        Memory(
            files
                .iter()
                .map(|(p, t)| (PathBuf::from(p), t.to_string()))
                .collect(),
        )
    }

    #[test]
    fn includes_are_read_through_the_models_source() {
        let src = memory(&[
            ("/m/model.yaml", MAIN),
            (
                "/m/parts/assets.yaml",
                "technical_assets:\n  Database:\n    id: db\n    type: datastore\n    technology: database\n",
            ),
        ]);
        let m = load_from(Path::new("/m/model.yaml"), "model.yaml@A", &src).expect("reads");
        assert!(m.element("db").is_some() && m.element("web").is_some());
    }

    #[test]
    fn a_missing_include_names_the_include_and_why() {
        let src = memory(&[("/m/model.yaml", MAIN)]);
        let e = load_from(Path::new("/m/model.yaml"), "model.yaml@A", &src)
            .expect_err("no include")
            .to_string();
        assert!(
            e.starts_with("model.yaml@A:4:")
                && e.contains("include `parts/assets.yaml` cannot be read")
                && e.contains("/m/parts/assets.yaml"),
            "{e}"
        );
    }

    #[test]
    fn includes_stay_confined_and_acyclic_in_any_source() {
        let escape = MAIN.replace("parts/assets.yaml", "../secret.yaml");
        let src = memory(&[("/m/model.yaml", &escape), ("/secret.yaml", "title: x\n")]);
        let e = load_from(Path::new("/m/model.yaml"), "m", &src)
            .expect_err("escapes")
            .to_string();
        assert!(e.contains("lies outside the model's folder"), "{e}");
        let a = MAIN.replace("parts/assets.yaml", "b.yaml");
        let src = memory(&[
            ("/m/model.yaml", &a),
            ("/m/b.yaml", "includes:\n  - model.yaml\n"),
        ]);
        let e = load_from(Path::new("/m/model.yaml"), "m", &src)
            .expect_err("cycle")
            .to_string();
        assert!(e.contains("cyclic include"), "{e}");
    }
}
