#![no_main]
//! The taint engine on arbitrary text, in every language: parse, lower,
//! interpret, configuration rules. Any input must give findings or a
//! per-file error, never a panic or a hang (the step budget bounds work).
use guard_owasp::engine::{Lang, Limits, Tables};
use libfuzzer_sys::fuzz_target;
use std::time::Duration;

const FILES: &[(&str, Lang)] = &[
    ("a.py", Lang::Python),
    ("a.js", Lang::JavaScript),
    ("a.ts", Lang::TypeScript),
    ("a.tsx", Lang::Tsx),
    ("a.go", Lang::Go),
    ("A.java", Lang::Java),
];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let (path, lang) = FILES[sel as usize % FILES.len()];
    let limits = Limits {
        max_steps: 200_000,
        max_time: Duration::from_secs(2),
        max_summaries: 50,
        parameters_as_sources: true,
    };
    let _ = guard_owasp::scan::analyze_text(path, lang, text, &Tables::builtin(), &limits, &|| false);
    let _ = guard_owasp::fix::fix_diff(path, text);
});
