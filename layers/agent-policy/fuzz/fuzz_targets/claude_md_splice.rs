//! Any CLAUDE.md text: splicing the block never panics, the user's text before
//! the block is kept, and a second splice is a no-op.
#![no_main]

use guard_agent_policy::init::claude_md;
use guard_agent_policy::PolicyConfig;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let rules = PolicyConfig::default().effective_rules();
    let block = claude_md::render_block(&rules[..rules.len().min(5)], &[]);
    if let Ok(out) = claude_md::splice(Some(text), &block) {
        let found = claude_md::find_block(&out).expect("spliced text has a valid block");
        let b = found.expect("spliced text has a block");
        match claude_md::find_block(text).ok().flatten() {
            Some(old) => assert_eq!(&out[..b.start], &text[..old.start]),
            None if text.trim().is_empty() => {}
            None => assert!(out.starts_with(text)),
        }
        assert_eq!(
            claude_md::splice(Some(&out), &block).as_deref(),
            Ok(out.as_str())
        );
    }
});
