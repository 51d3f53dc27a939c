//! `guard net audit-firewall`: read an init-firewall shell script, an
//! `iptables-save` file, an nftables ruleset or a squid.conf and report holes.

mod argv;
mod checks;
pub mod model;
mod nft;
mod shell;
mod squid;

pub use model::Syntax;

use crate::allowlist::Allowlist;
use guard_core::Finding;
use std::path::Path;

/// Larger files are refused: firewall configurations are small.
pub const MAX_FILE_SIZE: u64 = 4 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("{path}: {message}")]
    Read { path: String, message: String },
    /// Binary or mis-encoded text; the message names the file and place.
    #[error("{0}")]
    Text(String),
    #[error("{path}: {size} bytes is larger than the {limit}-byte limit for a firewall file")]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}:{line}: {message}")]
    Syntax {
        path: String,
        line: u32,
        message: String,
    },
    #[error("{path}: not a firewall script, iptables-save file, nftables ruleset or squid.conf (expected iptables/ip6tables/ipset calls, `table` blocks, or http_access/acl lines)")]
    Unrecognized { path: String },
}

/// Guess the syntax from the name and the first significant lines.
pub fn detect(path: &str, text: &str) -> Option<Syntax> {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && (!l.starts_with('#') || l.starts_with("#!")))
        .unwrap_or("");
    if name.ends_with(".nft")
        || first.starts_with("#!/usr/sbin/nft")
        || first.starts_with("table ")
        || first == "flush ruleset"
    {
        return Some(Syntax::Nftables);
    }
    if first.starts_with('*')
        || first.starts_with(':')
        || name.ends_with(".rules")
        || name.ends_with(".v4")
        || name.ends_with(".v6")
    {
        return Some(Syntax::Shell);
    }
    let squidish = text.lines().any(|l| {
        let l = l.trim_start();
        l.starts_with("http_access ") || l.starts_with("http_port ")
    });
    if name.contains("squid") || (name.ends_with(".conf") && squidish) {
        return Some(Syntax::Squid);
    }
    let shellish = first.starts_with("#!") || name.ends_with(".sh") || name.ends_with(".bash");
    if shellish || text.contains("iptables") || text.contains("ipset") {
        return Some(Syntax::Shell);
    }
    squidish.then_some(Syntax::Squid)
}

/// Parse `text` (already decoded) as `syntax`.
pub fn parse(path: &str, text: &str, syntax: Syntax) -> Result<model::Model, AuditError> {
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("");
    match syntax {
        Syntax::Nftables => nft::parse(text).map_err(|(line, message)| AuditError::Syntax {
            path: path.to_string(),
            line,
            message,
        }),
        Syntax::Squid => Ok(squid::parse(text)),
        Syntax::Shell if first.starts_with('*') || first.starts_with(':') => {
            // iptables-save / iptables-restore input; a name with 6 means IPv6.
            let fam = if path.contains('6') {
                model::Family::V6
            } else {
                model::Family::V4
            };
            let mut m = model::Model::new(Syntax::Shell);
            let mut table = String::from("filter");
            for (i, l) in text.lines().enumerate() {
                argv::restore_line(
                    fam,
                    l,
                    &mut table,
                    u32::try_from(i + 1).unwrap_or(u32::MAX),
                    &mut m,
                );
            }
            Ok(m)
        }
        Syntax::Shell => shell::parse(text).map_err(|message| AuditError::Syntax {
            path: path.to_string(),
            line: 1,
            message,
        }),
    }
}

/// Audit one file's bytes. `allow`: the chosen profile, for "outside the profile".
pub fn audit_bytes(
    path: &str,
    bytes: &[u8],
    allow: Option<&Allowlist>,
) -> Result<Vec<Finding>, AuditError> {
    let text =
        guard_core::walk::decode_text(path, bytes).map_err(|e| AuditError::Text(e.to_string()))?;
    let syntax = detect(path, &text).ok_or_else(|| AuditError::Unrecognized {
        path: path.to_string(),
    })?;
    let model = parse(path, &text, syntax)?;
    Ok(checks::to_findings(checks::run(&model, allow), path, &text))
}

/// Audit a file on disk, shown as `display` in findings.
pub fn audit_file(
    file: &Path,
    display: &str,
    allow: Option<&Allowlist>,
) -> Result<Vec<Finding>, AuditError> {
    let meta = std::fs::metadata(file).map_err(|e| AuditError::Read {
        path: display.to_string(),
        message: e.to_string(),
    })?;
    if !meta.is_file() {
        return Err(AuditError::Read {
            path: display.to_string(),
            message: "not a regular file".into(),
        });
    }
    if meta.len() > MAX_FILE_SIZE {
        return Err(AuditError::TooLarge {
            path: display.to_string(),
            size: meta.len(),
            limit: MAX_FILE_SIZE,
        });
    }
    let bytes = std::fs::read(file).map_err(|e| AuditError::Read {
        path: display.to_string(),
        message: e.to_string(),
    })?;
    audit_bytes(display, &bytes, allow)
}
