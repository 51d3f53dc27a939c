#![no_main]
//! Any bytes given as `ruleset.nft`: an error or findings, never a panic or a hang.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = guard_network::firewall_audit::audit_bytes("ruleset.nft", data, None);
});
