//! The four backends: how a request is built, sent and read. Every failure is
//! a value ([`CallError`]); the caller decides whether to retry.

use crate::answer::{self, head, Answer};
use crate::config::{BackendKind, LlmConfig};
use crate::sigv4::{self, AwsCredentials};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// Tokens used by one call, and the cost when the backend reports it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// Reported by the backend (claude-cli); else computed from the price table.
    pub reported_cost_usd: Option<f64>,
}

/// A call that got an answer from the model; the answer may still be refused.
#[derive(Debug, Clone)]
pub struct Reply {
    pub usage: Usage,
    pub answer: Result<Answer, String>,
}

/// A call that got no usable reply.
#[derive(Debug, Clone, PartialEq)]
pub enum CallError {
    /// Worth another try: 408, 429, 5xx, 529, a timeout or a broken connection.
    Retryable {
        reason: String,
        retry_after: Option<Duration>,
    },
    /// Not worth another try: 4xx, a missing program, a garbage reply.
    Fatal(String),
}

/// A setting or credential guard cannot use; raised before any request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetupError {
    #[error("LLM backend {backend} needs a model: set --llm-model or [layers.review.llm] model")]
    NoModel { backend: &'static str },
    #[error("LLM backend {backend} needs an API key in the environment variable {var}")]
    NoKey { backend: &'static str, var: String },
    #[error("LLM backend bedrock needs credentials: AWS_BEARER_TOKEN_BEDROCK, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")]
    NoAwsCredentials,
    #[error("LLM backend bedrock needs a region: set [layers.review.llm] region, AWS_REGION or AWS_DEFAULT_REGION")]
    NoRegion,
    #[error("LLM endpoint {0:?} is not an http:// or https:// URL with a host")]
    BadEndpoint(String),
    #[error("{0}")]
    Config(String),
}

#[derive(Debug, Clone)]
enum Auth {
    None,
    XApiKey(String),
    Bearer(String),
    Sigv4(AwsCredentials),
}

/// A configured backend, ready to send.
#[derive(Debug)]
pub struct Backend {
    kind: BackendKind,
    model: Option<String>,
    /// Full URL of the call (HTTP backends).
    url: String,
    auth: Auth,
    region: String,
    binary: String,
    extra_args: Vec<String>,
    timeout: Duration,
    max_output_tokens: u32,
    agent: ureq::Agent,
}

/// Name of the tool the Messages API is forced to call with the findings.
const TOOL_NAME: &str = "report_findings";
/// Largest reply body read.
const MAX_BODY_BYTES: u64 = 8 << 20;

fn check_url(url: &str) -> Result<(), SetupError> {
    let ok = (url.starts_with("http://") || url.starts_with("https://"))
        && url
            .parse::<ureq::http::Uri>()
            .ok()
            .is_some_and(|u| u.host().is_some_and(|h| !h.is_empty()));
    if ok {
        Ok(())
    } else {
        Err(SetupError::BadEndpoint(url.to_string()))
    }
}

/// Percent-encodes a Bedrock model id for the request path (`:` and `/` in
/// ARNs and versioned ids included).
fn encode_path_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Backend {
    /// Resolves endpoint, model and credentials; `env` reads environment variables.
    pub fn new(
        kind: BackendKind,
        cfg: &LlmConfig,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Backend, SetupError> {
        let model = cfg.model.clone().filter(|m| !m.trim().is_empty());
        let key_env = |default: &str| {
            cfg.api_key_env
                .clone()
                .unwrap_or_else(|| default.to_string())
        };
        let endpoint = cfg
            .endpoint
            .as_deref()
            .map(|e| e.trim_end_matches('/').to_string());
        let mut region = String::new();
        let (url, auth, model) = match kind {
            BackendKind::ClaudeCli => (String::new(), Auth::None, model),
            BackendKind::Anthropic => {
                let var = key_env("ANTHROPIC_API_KEY");
                let key = env(&var)
                    .filter(|k| !k.is_empty())
                    .ok_or(SetupError::NoKey {
                        backend: "anthropic",
                        var,
                    })?;
                let base = endpoint.unwrap_or_else(|| "https://api.anthropic.com".into());
                let model = model.unwrap_or_else(|| "claude-sonnet-4-5".into());
                (
                    format!("{base}/v1/messages"),
                    Auth::XApiKey(key),
                    Some(model),
                )
            }
            BackendKind::Bedrock => {
                let model = model.ok_or(SetupError::NoModel { backend: "bedrock" })?;
                region = cfg
                    .region
                    .clone()
                    .or_else(|| env("AWS_REGION"))
                    .or_else(|| env("AWS_DEFAULT_REGION"))
                    .filter(|r| !r.is_empty())
                    .ok_or(SetupError::NoRegion)?;
                let auth = if let Some(token) =
                    env("AWS_BEARER_TOKEN_BEDROCK").filter(|t| !t.is_empty())
                {
                    Auth::Bearer(token)
                } else {
                    match (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
                        (Some(id), Some(secret)) if !id.is_empty() && !secret.is_empty() => {
                            Auth::Sigv4(AwsCredentials {
                                access_key_id: id,
                                secret_access_key: secret,
                                session_token: env("AWS_SESSION_TOKEN").filter(|t| !t.is_empty()),
                            })
                        }
                        _ => return Err(SetupError::NoAwsCredentials),
                    }
                };
                let base = endpoint
                    .unwrap_or_else(|| format!("https://bedrock-runtime.{region}.amazonaws.com"));
                let url = format!("{base}/model/{}/invoke", encode_path_segment(&model));
                (url, auth, Some(model))
            }
            BackendKind::OpenaiCompatible => {
                let model = model.ok_or(SetupError::NoModel {
                    backend: "openai-compatible",
                })?;
                let var = key_env("OPENAI_API_KEY");
                let auth = match env(&var).filter(|k| !k.is_empty()) {
                    Some(k) => Auth::Bearer(k),
                    // An explicitly named variable must exist; the default one is
                    // optional because local servers (Ollama, vLLM) need no key.
                    None if cfg.api_key_env.is_some() => {
                        return Err(SetupError::NoKey {
                            backend: "openai-compatible",
                            var,
                        })
                    }
                    None => Auth::None,
                };
                let base = endpoint.unwrap_or_else(|| "http://127.0.0.1:11434/v1".into());
                (format!("{base}/chat/completions"), auth, Some(model))
            }
        };
        if kind != BackendKind::ClaudeCli {
            check_url(&url)?;
        }
        let timeout = Duration::from_secs_f64(cfg.timeout_secs);
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("guard/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(Backend {
            kind,
            model,
            url,
            auth,
            region,
            binary: cfg.binary.clone().unwrap_or_else(|| "claude".into()),
            extra_args: cfg.extra_args.clone(),
            timeout,
            max_output_tokens: cfg.max_output_tokens,
            agent,
        })
    }

    pub fn kind(&self) -> BackendKind {
        self.kind
    }

    pub fn model(&self) -> Option<&str> {
        self.model.as_deref()
    }

    /// One attempt: send the prompts, read the reply, within the request
    /// timeout and before `deadline`.
    pub fn call(
        &self,
        system: &str,
        user: &str,
        deadline: Option<Instant>,
    ) -> Result<Reply, CallError> {
        let timeout = match deadline {
            Some(d) => self
                .timeout
                .min(d.saturating_duration_since(Instant::now())),
            None => self.timeout,
        };
        if timeout.is_zero() {
            return Err(CallError::Fatal(
                "the layer deadline passed before the request".into(),
            ));
        }
        match self.kind {
            BackendKind::ClaudeCli => self.call_claude_cli(system, user, timeout),
            BackendKind::Anthropic | BackendKind::Bedrock => {
                let body = self.messages_body(system, user);
                let v = self.post(&body, timeout)?;
                Ok(read_messages_reply(&v))
            }
            BackendKind::OpenaiCompatible => {
                let body = json!({
                    "model": self.model,
                    "messages": [
                        {"role": "system", "content": system},
                        {"role": "user", "content": user},
                    ],
                    "temperature": 0,
                    "max_tokens": self.max_output_tokens,
                    "response_format": {
                        "type": "json_schema",
                        "json_schema": {"name": "guard_review", "schema": answer::wire_schema(), "strict": true},
                    },
                });
                let v = self.post(&body, timeout)?;
                Ok(read_chat_reply(&v))
            }
        }
    }

    /// The Messages API body (Anthropic, and Bedrock without `model`).
    fn messages_body(&self, system: &str, user: &str) -> Value {
        let mut body = json!({
            "max_tokens": self.max_output_tokens,
            "temperature": 0,
            "system": system,
            "messages": [{"role": "user", "content": user}],
            "tools": [{
                "name": TOOL_NAME,
                "description": "Report the findings of the review (an empty list when there are none).",
                "input_schema": answer::wire_schema(),
            }],
            "tool_choice": {"type": "tool", "name": TOOL_NAME},
        });
        if let Value::Object(map) = &mut body {
            if self.kind == BackendKind::Bedrock {
                map.insert("anthropic_version".into(), json!("bedrock-2023-05-31"));
            } else {
                map.insert("model".into(), json!(self.model));
            }
        }
        body
    }

    fn post(&self, body: &Value, timeout: Duration) -> Result<Value, CallError> {
        let bytes = serde_json::to_vec(body).map_err(|e| CallError::Fatal(e.to_string()))?;
        let mut headers: Vec<(String, String)> = vec![
            ("content-type".into(), "application/json".into()),
            ("accept".into(), "application/json".into()),
        ];
        match &self.auth {
            Auth::None => {}
            Auth::XApiKey(k) => {
                headers.push(("x-api-key".into(), k.clone()));
                headers.push(("anthropic-version".into(), "2023-06-01".into()));
            }
            Auth::Bearer(k) => headers.push(("authorization".into(), format!("Bearer {k}"))),
            Auth::Sigv4(creds) => {
                let signed: Vec<(&str, &str)> = headers
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                let extra = sigv4::signature_headers(
                    "POST",
                    &self.url,
                    &signed,
                    &bytes,
                    creds,
                    sigv4::Scope {
                        region: &self.region,
                        service: "bedrock",
                        time: SystemTime::now(),
                    },
                )
                .map_err(CallError::Fatal)?;
                headers.extend(extra);
            }
        }
        let mut req = self
            .agent
            .post(&self.url)
            .config()
            .timeout_global(Some(timeout))
            .build();
        for (k, v) in &headers {
            req = req.header(k.as_str(), v.as_str());
        }
        let mut resp = match req.send(&bytes[..]) {
            Ok(r) => r,
            Err(ureq::Error::Timeout(_)) => {
                return Err(CallError::Retryable {
                    reason: format!("no answer within {:.1} s", timeout.as_secs_f64()),
                    retry_after: None,
                })
            }
            Err(e) => {
                return Err(CallError::Retryable {
                    reason: format!("request failed: {e}"),
                    retry_after: None,
                })
            }
        };
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(Duration::from_secs_f64);
        let text = match resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES)
            .read_to_string()
        {
            Ok(t) => t,
            Err(ureq::Error::Timeout(_)) => {
                return Err(CallError::Retryable {
                    reason: format!("answer not complete within {:.1} s", timeout.as_secs_f64()),
                    retry_after: None,
                })
            }
            Err(e) => {
                return Err(CallError::Fatal(format!(
                    "reading the reply (HTTP {status}): {e}"
                )))
            }
        };
        if !(200..300).contains(&status) {
            let reason = format!("HTTP {status}: {}", error_message(&text));
            return Err(
                if matches!(status, 408 | 429 | 500 | 502 | 503 | 504 | 529) {
                    CallError::Retryable {
                        reason,
                        retry_after,
                    }
                } else {
                    CallError::Fatal(reason)
                },
            );
        }
        serde_json::from_str(&text).map_err(|e| {
            CallError::Fatal(format!(
                "the reply is not JSON ({e}); it starts {:?}",
                head(&text, 80)
            ))
        })
    }

    fn call_claude_cli(
        &self,
        system: &str,
        user: &str,
        timeout: Duration,
    ) -> Result<Reply, CallError> {
        // An empty private directory: Claude Code must not load the reviewed
        // repository's CLAUDE.md, settings or hooks.
        let dir = tempfile::tempdir()
            .map_err(|e| CallError::Fatal(format!("temporary directory: {e}")))?;
        let mut cmd = Command::new(&self.binary);
        cmd.args(["-p", "--output-format", "json", "--max-turns", "1"])
            .args([
                "--disallowedTools",
                "Bash,Edit,Write,MultiEdit,NotebookEdit,Read,Glob,Grep,WebFetch,WebSearch,Task",
            ])
            .args(["--system-prompt", system]);
        if let Some(m) = &self.model {
            cmd.args(["--model", m]);
        }
        cmd.args(&self.extra_args)
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .map_err(|e| CallError::Fatal(format!("cannot run {:?}: {e}", self.binary)))?;
        let stdin = child.stdin.take();
        let input = user.to_string();
        let writer = std::thread::spawn(move || {
            if let Some(mut s) = stdin {
                let _ = s.write_all(input.as_bytes());
            }
        });
        let mut stdout = child.stdout.take();
        let reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(s) = stdout.as_mut() {
                let _ = s.take(MAX_BODY_BYTES).read_to_end(&mut buf);
            }
            buf
        });
        let mut stderr = child.stderr.take();
        let err_reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(s) = stderr.as_mut() {
                let _ = s.take(64 * 1024).read_to_end(&mut buf);
            }
            buf
        });
        let start = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(s)) => break s,
                Ok(None) if start.elapsed() >= timeout => {
                    let _ = child.kill();
                    let _ = child.wait();
                    let _ = writer.join();
                    return Err(CallError::Retryable {
                        reason: format!(
                            "{} gave no answer within {:.1} s",
                            self.binary,
                            timeout.as_secs_f64()
                        ),
                        retry_after: None,
                    });
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(10)),
                Err(e) => {
                    return Err(CallError::Fatal(format!(
                        "waiting for {}: {e}",
                        self.binary
                    )))
                }
            }
        };
        let _ = writer.join();
        let out = reader.join().unwrap_or_default();
        let err = err_reader.join().unwrap_or_default();
        let out = String::from_utf8_lossy(&out);
        let v: Value = match serde_json::from_str(out.trim()) {
            Ok(v) => v,
            Err(_) => {
                let why = if status.success() {
                    format!("its output is not JSON; it starts {:?}", head(&out, 80))
                } else {
                    format!(
                        "it exited with {status}: {}",
                        head(String::from_utf8_lossy(&err).trim(), 200)
                    )
                };
                return Err(CallError::Fatal(format!("{}: {why}", self.binary)));
            }
        };
        read_claude_result(&v)
    }
}

/// The error text of an HTTP error body (Anthropic, OpenAI and AWS shapes).
fn error_message(body: &str) -> String {
    let msg = serde_json::from_str::<Value>(body).ok().and_then(|v| {
        v.pointer("/error/message")
            .or_else(|| v.get("message"))
            .or_else(|| v.get("Message"))
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    head(&msg.unwrap_or_else(|| body.trim().to_string()), 300)
}

fn u64_at(v: &Value, ptr: &str) -> u64 {
    v.pointer(ptr).and_then(Value::as_u64).unwrap_or(0)
}

/// Reads an Anthropic Messages reply (also Bedrock's).
pub(crate) fn read_messages_reply(v: &Value) -> Reply {
    let usage = Usage {
        input_tokens: u64_at(v, "/usage/input_tokens")
            + u64_at(v, "/usage/cache_creation_input_tokens")
            + u64_at(v, "/usage/cache_read_input_tokens"),
        output_tokens: u64_at(v, "/usage/output_tokens"),
        reported_cost_usd: None,
    };
    let content = v.get("content").and_then(Value::as_array);
    let tool_input = content.and_then(|c| {
        c.iter().find(|b| {
            b.get("type").and_then(Value::as_str) == Some("tool_use")
                && b.get("name").and_then(Value::as_str) == Some(TOOL_NAME)
        })
    });
    let answer = if let Some(block) = tool_input {
        match block.get("input") {
            Some(input) => answer::validate(input).map_err(|e| e.to_string()),
            None => Err("the tool call has no input".into()),
        }
    } else {
        match v.get("stop_reason").and_then(Value::as_str) {
            Some("max_tokens") => Err("the answer was cut at max_tokens".into()),
            Some("refusal") => Err("the model refused to answer".into()),
            _ => match content {
                None => Err(format!(
                    "the reply has no content; it starts {:?}",
                    head(&v.to_string(), 80)
                )),
                Some(blocks) => {
                    let text: String = blocks
                        .iter()
                        .filter_map(|b| b.get("text").and_then(Value::as_str))
                        .collect();
                    answer::parse_text(&text).map_err(|e| e.to_string())
                }
            },
        }
    };
    Reply { usage, answer }
}

/// Reads an OpenAI chat completions reply.
pub(crate) fn read_chat_reply(v: &Value) -> Reply {
    let usage = Usage {
        input_tokens: u64_at(v, "/usage/prompt_tokens"),
        output_tokens: u64_at(v, "/usage/completion_tokens"),
        reported_cost_usd: None,
    };
    let choice = v.pointer("/choices/0");
    let answer = match choice {
        None => Err(format!(
            "the reply has no choices; it starts {:?}",
            head(&v.to_string(), 80)
        )),
        Some(c) => {
            if c.get("finish_reason").and_then(Value::as_str) == Some("length") {
                Err("the answer was cut at max_tokens".into())
            } else if let Some(r) = c.pointer("/message/refusal").and_then(Value::as_str) {
                Err(format!("the model refused: {}", head(r, 200)))
            } else {
                match c.pointer("/message/content").and_then(Value::as_str) {
                    Some(text) => answer::parse_text(text).map_err(|e| e.to_string()),
                    None => Err("the reply has no message content".into()),
                }
            }
        }
    };
    Reply { usage, answer }
}

/// Reads the result object of `claude -p --output-format json`.
pub(crate) fn read_claude_result(v: &Value) -> Result<Reply, CallError> {
    let usage = Usage {
        input_tokens: u64_at(v, "/usage/input_tokens")
            + u64_at(v, "/usage/cache_creation_input_tokens")
            + u64_at(v, "/usage/cache_read_input_tokens"),
        output_tokens: u64_at(v, "/usage/output_tokens"),
        reported_cost_usd: v.get("total_cost_usd").and_then(Value::as_f64),
    };
    if v.get("type").and_then(Value::as_str) != Some("result") {
        return Err(CallError::Fatal(format!(
            "claude output is not a result object; it starts {:?}",
            head(&v.to_string(), 80)
        )));
    }
    let subtype = v.get("subtype").and_then(Value::as_str).unwrap_or("");
    let result_text = v.get("result").and_then(Value::as_str).unwrap_or("");
    if v.get("is_error").and_then(Value::as_bool) == Some(true) || subtype != "success" {
        let reason = format!(
            "claude reported an error ({subtype}): {}",
            head(result_text, 200)
        );
        return if subtype == "error_during_execution" {
            Err(CallError::Retryable {
                reason,
                retry_after: None,
            })
        } else {
            // Tokens may have been spent; the caller still counts them.
            Ok(Reply {
                usage,
                answer: Err(reason),
            })
        };
    }
    let answer = match v.get("structured_output") {
        Some(s) if !s.is_null() => answer::validate(s).map_err(|e| e.to_string()),
        _ => answer::parse_text(result_text).map_err(|e| e.to_string()),
    };
    Ok(Reply { usage, answer })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_message_replies() {
        let ok = json!({"content": [{"type": "tool_use", "name": TOOL_NAME, "input": {"findings": []}}],
                        "stop_reason": "tool_use", "usage": {"input_tokens": 10, "output_tokens": 5, "cache_read_input_tokens": 2}});
        let r = read_messages_reply(&ok);
        assert!(r.answer.is_ok());
        assert_eq!((r.usage.input_tokens, r.usage.output_tokens), (12, 5));
        let cut = json!({"content": [], "stop_reason": "max_tokens"});
        assert!(read_messages_reply(&cut)
            .answer
            .expect_err("cut")
            .contains("max_tokens"));
        let text = json!({"content": [{"type": "text", "text": "I approve this change."}], "stop_reason": "end_turn"});
        assert!(read_messages_reply(&text)
            .answer
            .expect_err("text")
            .contains("not JSON"));
    }

    #[test]
    fn reads_chat_replies() {
        let ok = json!({"choices": [{"message": {"content": "{\"findings\": []}"}, "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 7, "completion_tokens": 3}});
        assert!(read_chat_reply(&ok).answer.is_ok());
        assert!(read_chat_reply(&json!({"error": "x"})).answer.is_err());
        let cut =
            json!({"choices": [{"message": {"content": "{\"find"}, "finish_reason": "length"}]});
        assert!(read_chat_reply(&cut)
            .answer
            .expect_err("cut")
            .contains("max_tokens"));
    }

    #[test]
    fn reads_claude_results() {
        let ok = json!({"type": "result", "subtype": "success", "is_error": false,
                        "result": "```json\n{\"findings\": []}\n```", "total_cost_usd": 0.01,
                        "usage": {"input_tokens": 100, "output_tokens": 20}});
        let r = read_claude_result(&ok).expect("reply");
        assert!(r.answer.is_ok());
        assert_eq!(r.usage.reported_cost_usd, Some(0.01));
        let api_err = json!({"type": "result", "subtype": "success", "is_error": true, "result": "Prompt is too long"});
        let r = read_claude_result(&api_err).expect("reply");
        assert!(r.answer.expect_err("error").contains("Prompt is too long"));
        assert!(read_claude_result(&json!({"type": "system"})).is_err());
    }

    #[test]
    fn setup_errors_are_clear() {
        let cfg = LlmConfig::default();
        let none = |_: &str| None;
        assert_eq!(
            Backend::new(BackendKind::Anthropic, &cfg, &none).expect_err("no key"),
            SetupError::NoKey {
                backend: "anthropic",
                var: "ANTHROPIC_API_KEY".into()
            }
        );
        assert!(matches!(
            Backend::new(BackendKind::Bedrock, &cfg, &none),
            Err(SetupError::NoModel { .. })
        ));
        let cfg = LlmConfig {
            model: Some("m".into()),
            endpoint: Some("ftp://x".into()),
            ..LlmConfig::default()
        };
        assert!(matches!(
            Backend::new(BackendKind::OpenaiCompatible, &cfg, &none),
            Err(SetupError::BadEndpoint(_))
        ));
        let env = |k: &str| (k == "AWS_REGION").then(|| "eu-west-1".to_string());
        let cfg = LlmConfig {
            model: Some("m".into()),
            ..LlmConfig::default()
        };
        assert_eq!(
            Backend::new(BackendKind::Bedrock, &cfg, &env).expect_err("no creds"),
            SetupError::NoAwsCredentials
        );
        assert_eq!(
            encode_path_segment("anthropic.claude-v2:1"),
            "anthropic.claude-v2%3A1"
        );
    }
}
