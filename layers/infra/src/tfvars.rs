//! Variable definition files: `terraform.tfvars`, `terraform.tfvars.json`,
//! `*.auto.tfvars(.json)` and `-var-file` files, in Terraform's order.
//!
//! Terraform takes a variable's value from the last of, in order: its
//! `default`, `terraform.tfvars`, `terraform.tfvars.json`, the
//! `*.auto.tfvars` / `*.auto.tfvars.json` files in lexical order of their
//! names, then each `-var-file` in the order given. [`auto_files`] lists the
//! files Terraform loads by itself in that order; [`load`] turns any of them
//! into HCL text for [`crate::hcl::Scope`], where a later file overrides an
//! earlier one.

use crate::InfraError;
use std::path::{Path, PathBuf};

/// Whether Terraform loads the file named `name` by itself.
pub fn is_auto_file(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "terraform.tfvars"
        || n == "terraform.tfvars.json"
        || n.ends_with(".auto.tfvars")
        || n.ends_with(".auto.tfvars.json")
}

/// Where a file Terraform loads by itself comes in the order (lowest first;
/// files of one rank go by name); `None` for other files.
pub fn auto_rank(name: &str) -> Option<u8> {
    match name {
        "terraform.tfvars" => Some(0),
        "terraform.tfvars.json" => Some(1),
        n if n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json") => Some(2),
        _ => None,
    }
}

/// The variable files of `dir` Terraform loads by itself, lowest precedence first.
pub fn auto_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(u8, String, PathBuf)> = entries
        .flatten()
        .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            Some((auto_rank(&name)?, name, e.path()))
        })
        .collect();
    // Terraform sorts the auto files by name, byte-wise.
    found.sort();
    found.into_iter().map(|(_, _, p)| p).collect()
}

/// The text of a variable file as HCL: `.tfvars` as it is (checked to
/// parse), `.json` converted. `display` names the file in errors.
pub fn load(display: &str, text: &str) -> Result<String, InfraError> {
    if display.to_ascii_lowercase().ends_with(".json") {
        json_to_hcl(display, text)
    } else {
        let body = crate::hcl::parse_body(text).map_err(|e| InfraError::Parse {
            path: display.into(),
            line: e.line,
            col: e.col,
            message: e.message,
        })?;
        if let Some(b) = body.blocks().next() {
            return Err(InfraError::Input {
                path: display.into(),
                message: format!(
                    "a variable file holds `NAME = value` assignments only, found a `{}` block",
                    b.ident.as_str()
                ),
            });
        }
        Ok(text.to_string())
    }
}

/// Nesting accepted in a JSON variable file.
const MAX_DEPTH: usize = 64;

fn json_to_hcl(display: &str, text: &str) -> Result<String, InfraError> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| InfraError::Parse {
        path: display.into(),
        line: e.line() as u32,
        col: e.column() as u32,
        message: format!("not valid JSON: {e}"),
    })?;
    let serde_json::Value::Object(map) = v else {
        return Err(InfraError::Input {
            path: display.into(),
            message: "expected a JSON object of variable names to values".into(),
        });
    };
    let mut out = String::new();
    for (k, v) in &map {
        if !is_identifier(k) {
            return Err(InfraError::Input {
                path: display.into(),
                message: format!("`{k}` is not a valid variable name"),
            });
        }
        out.push_str(k);
        out.push_str(" = ");
        value_to_hcl(v, &mut out, 0).map_err(|m| InfraError::Input {
            path: display.into(),
            message: format!("variable `{k}`: {m}"),
        })?;
        out.push('\n');
    }
    Ok(out)
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn value_to_hcl(v: &serde_json::Value, out: &mut String, depth: usize) -> Result<(), String> {
    use serde_json::Value;
    if depth > MAX_DEPTH {
        return Err(format!("nested deeper than {MAX_DEPTH} levels"));
    }
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => hcl_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                value_to_hcl(item, out, depth + 1)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                hcl_string(k, out);
                out.push_str(" = ");
                value_to_hcl(item, out, depth + 1)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// A quoted HCL string holding `s` literally: JSON variable values are not
/// templates, so `${` and `%{` are escaped.
fn hcl_string(s: &str, out: &mut String) {
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_files_come_in_terraform_order() {
        let dir = tempfile::tempdir().unwrap();
        for n in [
            "b.auto.tfvars",
            "a.auto.tfvars.json",
            "terraform.tfvars.json",
            "terraform.tfvars",
            "other.tfvars",
            "main.tf",
        ] {
            std::fs::write(dir.path().join(n), "").unwrap();
        }
        let names: Vec<String> = auto_files(dir.path())
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "terraform.tfvars",
                "terraform.tfvars.json",
                "a.auto.tfvars.json",
                "b.auto.tfvars"
            ]
        );
    }

    #[test]
    fn json_values_become_literal_hcl() {
        let hcl = load(
            "x.tfvars.json",
            r#"{"protect": false, "cidrs": ["0.0.0.0/0"], "tags": {"a b": "${x}"}, "n": 3}"#,
        )
        .unwrap();
        assert!(hcl.contains("protect = false\n"), "{hcl}");
        assert!(hcl.contains("cidrs = [\"0.0.0.0/0\"]\n"), "{hcl}");
        assert!(hcl.contains("tags = {\"a b\" = \"$${x}\"}\n"), "{hcl}");
        crate::hcl::parse_body(&hcl).unwrap();
    }

    #[test]
    fn bad_variable_files_are_errors_with_a_place() {
        let e = load("v.tfvars.json", "{\"a\": [1,}").unwrap_err();
        assert!(e.to_string().starts_with("v.tfvars.json:1:"), "{e}");
        let e = load("v.tfvars.json", "[1]").unwrap_err();
        assert!(e.to_string().contains("expected a JSON object"), "{e}");
        let e = load("v.tfvars", "a = [1,\n").unwrap_err();
        assert!(e.to_string().starts_with("v.tfvars:"), "{e}");
        let e = load("v.tfvars", "resource \"x\" \"y\" {}\n").unwrap_err();
        assert!(e.to_string().contains("assignments only"), "{e}");
    }
}
