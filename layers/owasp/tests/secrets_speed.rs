//! Throughput of the secret scan. Ignored by default; run with a release build
//! to get the figure:
//!
//! ```text
//! GUARD_SECRETS_BENCH_DIR=~/.cargo/registry/src \
//!   cargo test --release -p guard-owasp --test secrets_speed -- --ignored --nocapture
//! ```
//!
//! Without the variable it scans a generated 50 MB tree of code-like files.

use guard_owasp::secrets::{scan_bytes, testkit, FileScan, ScanOptions};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn collect(dir: &Path, limit: usize, out: &mut Vec<(String, Vec<u8>)>, total: &mut usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if *total >= limit {
            return;
        }
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            collect(&p, limit, out, total);
        } else if meta.is_file() && meta.len() < 4 * 1024 * 1024 {
            if let Ok(bytes) = std::fs::read(&p) {
                *total += bytes.len();
                out.push((p.display().to_string(), bytes));
            }
        }
    }
}

fn generated(limit: usize) -> Vec<(String, Vec<u8>)> {
    let lines = [
        "def handler(request, key):\n    value = cache.get(key)\n",
        "    token = request.headers.get('Authorization')\n",
        "const password = document.getElementById('password').value;\n",
        "    if (apiKey == null) { throw new Error('missing api key'); }\n",
        "func (s *Server) Token(ctx context.Context) (string, error) {\n",
        "    # keys are rotated every 90 days by the secret manager\n",
        "    return {\"id\": 12345, \"name\": \"widget\", \"price\": 9.99}\n",
    ];
    let mut out = Vec::new();
    let mut total = 0;
    let mut i = 0u64;
    while total < limit {
        let mut text = String::new();
        while text.len() < 50_000 {
            text.push_str(lines[(i as usize) % lines.len()]);
            i += 1;
            if i % 5000 == 0 {
                text.push_str(&format!("GITHUB = \"{}\"\n", testkit::github_classic(i)));
            }
        }
        total += text.len();
        out.push((format!("src/mod{i}.py"), text.into_bytes()));
    }
    out
}

#[test]
#[ignore = "speed figure; run in release with --ignored"]
fn fifty_megabytes() {
    const LIMIT: usize = 50 * 1024 * 1024;
    let files = match std::env::var_os("GUARD_SECRETS_BENCH_DIR") {
        Some(dir) => {
            let mut out = Vec::new();
            let mut total = 0;
            collect(Path::new(&dir), LIMIT, &mut out, &mut total);
            out
        }
        None => generated(LIMIT),
    };
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let opts = ScanOptions::default();
    // Compile the tables outside the timing.
    let _ = scan_bytes("warmup.py", b"token = 1", &opts);
    let start = Instant::now();
    let (mut hits, mut skipped) = (0usize, 0usize);
    let mut by_rule = std::collections::BTreeMap::<&str, usize>::new();
    for (path, data) in &files {
        match scan_bytes(path, data, &opts) {
            FileScan::Scanned(h) => {
                hits += h.len();
                for x in &h {
                    *by_rule.entry(x.rule_id).or_default() += 1;
                    if std::env::var_os("GUARD_SECRETS_BENCH_SHOW").is_some() {
                        eprintln!(
                            "{} {}:{} {} | {}",
                            x.rule_id, x.path, x.start.line, x.evidence, x.snippet
                        );
                    }
                }
            }
            FileScan::Skipped(_) => skipped += 1,
        }
    }
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "{} files, {:.1} MB in {:.3} s: {:.0} MB/s, {hits} hits {by_rule:?}, {skipped} skipped",
        files.len(),
        bytes as f64 / 1e6,
        secs,
        bytes as f64 / 1e6 / secs
    );
    assert!(hits > 0 || std::env::var_os("GUARD_SECRETS_BENCH_DIR").is_some());
}

#[test]
#[ignore = "speed figure; run in release with --ignored"]
fn history_of_a_repository() {
    use guard_owasp::secrets::history::{scan_repo, HistoryOptions};
    let Some(repo) = std::env::var_os("GUARD_SECRETS_BENCH_REPO") else {
        eprintln!("set GUARD_SECRETS_BENCH_REPO to a git repository");
        return;
    };
    let start = Instant::now();
    let scan = scan_repo(Path::new(&repo), &HistoryOptions::default()).expect("history scan");
    eprintln!(
        "{} commits, {} blobs, {:.1} MB scanned in {:.3} s, {} hits, {} skipped, truncated: {:?}",
        scan.commits_scanned,
        scan.blobs_scanned,
        scan.bytes_scanned as f64 / 1e6,
        start.elapsed().as_secs_f64(),
        scan.hits.len(),
        scan.skipped.len(),
        scan.truncated
    );
    for h in &scan.hits {
        eprintln!(
            "{} {}:{} {} {}",
            h.rule_id,
            h.path,
            h.start.line,
            h.commit.as_deref().unwrap_or(""),
            h.evidence
        );
    }
}
