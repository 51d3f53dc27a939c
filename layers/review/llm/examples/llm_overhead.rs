//! Overhead of the LLM review path apart from the model: prompt building,
//! answer validation, re-anchoring, and whole runs against a loopback server
//! that answers at once. Run through `bench/review_llm_overhead.sh`.
//!
//! Usage: llm_overhead [FILES] [LINES_PER_FILE] [ROUNDS]

use guard_core::diff::ChangeSet;
use guard_llm::{anchor, answer, prompt, BackendKind, LlmConfig, LlmReviewers, Reviewer};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

fn synthetic_diff(files: usize, lines: usize) -> String {
    let mut d = String::new();
    for f in 0..files {
        d.push_str(&format!(
            "diff --git a/src/mod{f}.py b/src/mod{f}.py\n--- a/src/mod{f}.py\n+++ b/src/mod{f}.py\n@@ -1,2 +1,{} @@\n import os\n",
            lines + 2
        ));
        for l in 0..lines {
            d.push_str(&format!(
                "+def handler_{f}_{l}(request): return os.system(request.args['c{l}'])\n"
            ));
        }
        d.push_str(" done = True\n");
    }
    d
}

fn answer_for(files: usize, lines: usize) -> Value {
    let findings: Vec<Value> = (0..answer::MAX_FINDINGS)
        .map(|i| {
            let f = i % files;
            let l = (i * 7) % lines;
            json!({"path": format!("src/mod{f}.py"), "line": l + 2,
                   "quote": format!("return os.system(request.args['c{l}'])"),
                   "severity": "high", "confidence": "medium", "title": "Command injection",
                   "explanation": "Request data reaches os.system.", "suggestion": "Use a list argv."})
        })
        .collect();
    json!({"findings": findings})
}

/// Answers every request at once with `reply`, until the process ends.
fn instant_server(reply: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let reply = reply.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(match stream.try_clone() {
                    Ok(s) => s,
                    Err(_) => return,
                });
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    if line.trim().is_empty() {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        len = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; len];
                let _ = reader.read_exact(&mut body);
                let mut stream = stream;
                let _ = stream.set_nodelay(true);
                let out = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
                    reply.len()
                );
                let _ = stream.write_all(out.as_bytes());
            });
        }
    });
    url
}

fn per(d: Duration, n: u32) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0 / f64::from(n))
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let files = args.first().copied().unwrap_or(200).max(1);
    let lines = args.get(1).copied().unwrap_or(25).max(1);
    let rounds = args.get(2).copied().unwrap_or(20).max(1) as u32;

    let diff = synthetic_diff(files, lines);
    let t = Instant::now();
    let changes = ChangeSet::parse(&diff, "bench.diff").expect("synthetic diff parses");
    let parse = t.elapsed();
    let cfg = LlmConfig {
        backend: Some(BackendKind::OpenaiCompatible),
        model: Some("bench-model".into()),
        max_diff_bytes: 120_000,
        max_total_bytes: 4_000_000,
        concurrency: 2,
        ..LlmConfig::default()
    };

    // 1. Prompt building: packing, rendering, one system and user prompt per reviewer and chunk.
    let t = Instant::now();
    let mut chunks = 0;
    let mut bytes = 0;
    for _ in 0..rounds {
        let p = prompt::pack(&changes, &[], cfg.max_diff_bytes, cfg.max_total_bytes);
        let tag = prompt::delimiter(b"bench", "");
        chunks = p.chunks.len();
        bytes = 0;
        for r in Reviewer::ALL {
            for c in &p.chunks {
                bytes += prompt::system_prompt(r, &tag).len()
                    + prompt::user_prompt(c, &p.left_out, &tag).len();
            }
        }
    }
    let build = t.elapsed();

    // 2. Validation of a full answer (25 findings).
    let answer_text = answer_for(files, lines).to_string();
    let t = Instant::now();
    answer::parse_text(&answer_text).expect("valid answer");
    let compile = t.elapsed();
    let t = Instant::now();
    let mut parsed = None;
    for _ in 0..rounds {
        parsed = Some(answer::parse_text(&answer_text).expect("valid answer"));
    }
    let validate = t.elapsed();

    // 3. Re-anchoring its findings by quote.
    let parsed = parsed.expect("parsed");
    let t = Instant::now();
    let mut anchored = 0;
    for _ in 0..rounds {
        anchored = parsed
            .findings
            .iter()
            .filter(|f| {
                anchor::find_file(&changes, &f.path)
                    .and_then(|file| anchor::anchor(file, &f.quote, f.line))
                    .is_some()
            })
            .count();
    }
    let reanchor = t.elapsed();

    // 4. Whole runs, four reviewers, against a server that answers at once.
    let reply = json!({"choices": [{"message": {"content": answer_text}, "finish_reason": "stop"}],
                       "usage": {"prompt_tokens": 1, "completion_tokens": 1}})
    .to_string();
    let url = instant_server(reply);
    let cfg = LlmConfig {
        endpoint: Some(url),
        ..cfg
    };
    let reviewers = LlmReviewers::new(&cfg, &|_| None)
        .expect("config")
        .expect("on");
    let t = Instant::now();
    let mut requests = 0;
    let mut findings = 0;
    for _ in 0..rounds {
        let review = reviewers.review(&changes, &[], None);
        requests = review.summary.requests;
        findings = review.findings.len();
    }
    let whole = t.elapsed();

    let added: usize = changes.files.iter().map(|f| f.added_lines().count()).sum();
    println!(
        "change: {files} files, {added} added lines, {} diff bytes (parsed in {:.3} ms)",
        diff.len(),
        parse.as_secs_f64() * 1000.0
    );
    println!(
        "prompt building   {:>12}  ({chunks} chunks x 4 reviewers, {bytes} prompt bytes)",
        per(build, rounds)
    );
    println!(
        "schema compile    {:>12}  (once per process, with the first answer)",
        per(compile, 1)
    );
    println!(
        "answer validation {:>12}  (25 findings)",
        per(validate, rounds)
    );
    println!(
        "re-anchoring      {:>12}  ({anchored}/25 anchored)",
        per(reanchor, rounds)
    );
    println!("whole LLM path    {:>12}  ({requests} loopback requests, {findings} findings after dedupe, concurrency 2)", per(whole, rounds));
}
