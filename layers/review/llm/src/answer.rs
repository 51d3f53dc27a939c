//! The answer every backend must give: a findings list matching
//! `schemas/llm-review.schema.json`, validated locally whatever the backend
//! claims to enforce.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::OnceLock;

/// Most findings one answer may carry.
pub const MAX_FINDINGS: usize = 25;

/// What a reviewer model returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "LlmReviewAnswer")]
pub struct Answer {
    /// Problems found in the added lines; empty when there are none.
    #[schemars(length(max = 25))]
    pub findings: Vec<AnswerFinding>,
}

/// One problem, quoted from the diff's added lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerFinding {
    /// Path of the file as written in the diff header.
    #[schemars(length(min = 1, max = 512))]
    pub path: String,
    /// New-side line number the finding is about (guard re-derives it from `quote`).
    #[schemars(range(min = 1))]
    pub line: u32,
    /// The code the finding is about, copied exactly from one or more added lines.
    #[schemars(length(min = 1, max = 400))]
    pub quote: String,
    pub severity: AnswerSeverity,
    pub confidence: AnswerConfidence,
    /// One line: what is wrong.
    #[schemars(length(min = 1, max = 160))]
    pub title: String,
    /// Why it is a problem, in a few sentences.
    #[schemars(length(min = 1, max = 1500))]
    pub explanation: String,
    /// How to fix it; may be empty.
    #[schemars(length(max = 1000))]
    pub suggestion: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AnswerSeverity {
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AnswerConfidence {
    Low,
    Medium,
    High,
}

/// The answer schema as committed under `schemas/`.
pub fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA
        .get_or_init(|| serde_json::to_value(schemars::schema_for!(Answer)).unwrap_or(Value::Null))
}

/// Pretty text with a trailing newline, as committed under `schemas/`.
pub fn schema_text() -> String {
    serde_json::to_string_pretty(schema()).unwrap_or_default() + "\n"
}

/// The schema as sent to a backend: self-contained, without the `$schema`
/// keyword some servers reject.
pub fn wire_schema() -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                // `format: uint32` is a schemars annotation strict servers reject.
                map.remove("format");
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut s = schema().clone();
    if let Value::Object(map) = &mut s {
        map.remove("$schema");
        map.remove("title");
    }
    strip(&mut s);
    s
}

/// Why an answer was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("the answer is not JSON: {0}")]
    NotJson(String),
    #[error("the answer does not match the findings schema: {0}")]
    Schema(String),
}

/// Extracts the JSON text of a model reply: the whole text, or the one
/// fenced ```json block it contains.
pub fn strip_fence(text: &str) -> &str {
    let t = text.trim();
    if let Some(rest) = t.strip_prefix("```") {
        let rest = rest.strip_prefix("json").unwrap_or(rest);
        if let Some(body) = rest.trim_end().strip_suffix("```") {
            return body.trim();
        }
    }
    t
}

/// Parses a reply text into a validated answer.
pub fn parse_text(text: &str) -> Result<Answer, AnswerError> {
    let value: Value = serde_json::from_str(strip_fence(text))
        .map_err(|e| AnswerError::NotJson(format!("{e} (reply starts {:?})", head(text, 80))))?;
    validate(&value)
}

/// Validates a JSON value against the schema, then reads it.
pub fn validate(value: &Value) -> Result<Answer, AnswerError> {
    static VALIDATOR: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    let validator = VALIDATOR
        .get_or_init(|| jsonschema::validator_for(schema()).ok())
        .as_ref()
        .ok_or_else(|| AnswerError::Schema("the findings schema does not compile".into()))?;
    if validator.is_valid(value) {
        return serde_json::from_value(value.clone())
            .map_err(|e| AnswerError::Schema(e.to_string()));
    }
    let errors: Vec<String> = validator
        .iter_errors(value)
        .take(3)
        .map(|e| {
            let at = e.instance_path.to_string();
            let at = if at.is_empty() { "/".to_string() } else { at };
            format!("at {at}: {e}")
        })
        .collect();
    if !errors.is_empty() {
        return Err(AnswerError::Schema(errors.join("; ")));
    }
    serde_json::from_value(value.clone()).map_err(|e| AnswerError::Schema(e.to_string()))
}

/// The first `n` characters of `s`, for messages.
pub(crate) fn head(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().nth(n).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn finding() -> Value {
        json!({"path": "a.py", "line": 3, "quote": "eval(x)", "severity": "high",
               "confidence": "medium", "title": "eval of input", "explanation": "runs code",
               "suggestion": ""})
    }

    #[test]
    fn committed_schema_is_fresh() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../schemas/llm-review.schema.json");
        let fresh = schema_text();
        if std::env::var_os("GUARD_UPDATE_SCHEMAS").is_some_and(|v| v == "1") {
            std::fs::write(&path, &fresh).expect("write schema");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            committed, fresh,
            "stale schemas/llm-review.schema.json; regenerate with GUARD_UPDATE_SCHEMAS=1 cargo test -p guard-llm"
        );
    }

    #[test]
    fn schema_is_strict() {
        let s = schema();
        assert_eq!(s["additionalProperties"], json!(false));
        assert_eq!(s["properties"]["findings"]["maxItems"], json!(MAX_FINDINGS));
        let item = &s["$defs"]["AnswerFinding"];
        assert_eq!(item["additionalProperties"], json!(false));
        assert_eq!(item["required"].as_array().map(Vec::len), Some(8));
    }

    #[test]
    fn accepts_valid_and_fenced() {
        let a = validate(&json!({"findings": [finding()]})).expect("valid");
        assert_eq!(a.findings[0].severity, AnswerSeverity::High);
        let text = format!("```json\n{}\n```", json!({"findings": []}));
        assert!(parse_text(&text).expect("fenced").findings.is_empty());
    }

    #[test]
    fn refuses_garbage_and_schema_mismatch() {
        assert!(matches!(
            parse_text("sure! here you go"),
            Err(AnswerError::NotJson(_))
        ));
        let mut f = finding();
        f["severity"] = json!("catastrophic");
        let err = validate(&json!({"findings": [f]})).expect_err("bad enum");
        assert!(err.to_string().contains("/findings/0/severity"), "{err}");
        let mut f = finding();
        f["extra"] = json!(1);
        assert!(validate(&json!({"findings": [f]})).is_err());
        assert!(validate(&json!({"findings": [finding()], "verdict": "approve"})).is_err());
        let many: Vec<Value> = (0..=MAX_FINDINGS).map(|_| finding()).collect();
        assert!(validate(&json!({"findings": many})).is_err());
        assert!(validate(&json!([])).is_err());
    }
}
