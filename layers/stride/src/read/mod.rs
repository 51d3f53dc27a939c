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
use std::path::Path;

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
    let text = String::from_utf8(bytes).map_err(|e| {
        ModelError::file(
            shown,
            format!(
                "model is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
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
    let text = read_bounded(path, shown)?;
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
                    threagile::read(path, shown, root)?
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
