//! Reading the files guard init edits (with size, encoding and symlink checks)
//! and writing them back atomically.

use super::{FileChange, InitError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Agent instruction and settings files larger than this are refused: they are
/// not something a person wrote by hand, and guard will not rewrite them.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// A file as read: its text (BOM removed) and where writes go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    pub text: String,
    pub bom: bool,
    pub target: PathBuf,
}

fn io(path: &str, e: impl std::fmt::Display) -> InitError {
    InitError::Io {
        path: path.to_string(),
        message: e.to_string(),
    }
}

fn unusable(path: &str, message: impl Into<String>) -> InitError {
    InitError::Unusable {
        path: path.to_string(),
        message: message.into(),
    }
}

/// `rel` under `root`, or `None` when it does not exist. Refuses directories,
/// symlinks leading out of the root, files over [`MAX_FILE_BYTES`], binary
/// and non-UTF-8 text.
pub fn read(root: &Path, rel: &str) -> Result<Option<Existing>, InitError> {
    let path = root.join(rel);
    let meta = match std::fs::symlink_metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(rel, e)),
    };
    let target = if meta.file_type().is_symlink() {
        let resolved = path
            .canonicalize()
            .map_err(|e| unusable(rel, format!("symlink that cannot be resolved ({e})")))?;
        let canon_root = root.canonicalize().map_err(|e| io(".", e))?;
        if !resolved.starts_with(&canon_root) {
            return Err(unusable(
                rel,
                format!(
                    "symlink to {} outside the project; guard does not write outside it",
                    resolved.display()
                ),
            ));
        }
        resolved
    } else {
        path
    };
    let meta = std::fs::metadata(&target).map_err(|e| io(rel, e))?;
    if !meta.is_file() {
        return Err(unusable(rel, "not a regular file"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(unusable(
            rel,
            format!(
                "{} bytes, over the {MAX_FILE_BYTES}-byte limit for files guard edits",
                meta.len()
            ),
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(&target)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| io(rel, e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(unusable(rel, "grew past the size limit while being read"));
    }
    let text = decode(rel, &bytes)?;
    let bom = bytes.starts_with(UTF8_BOM);
    Ok(Some(Existing { text, bom, target }))
}

/// UTF-8 only (guard writes back what it read, and will not re-encode a
/// UTF-16 file behind the user's back).
pub fn decode(rel: &str, bytes: &[u8]) -> Result<String, InitError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(unusable(
            rel,
            "UTF-16 text; guard edits UTF-8 files only (convert it to UTF-8 first)",
        ));
    }
    let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if let Some(offset) = body.iter().position(|&b| b == 0) {
        return Err(unusable(
            rel,
            format!("binary file (NUL byte at offset {offset}), expected text"),
        ));
    }
    match std::str::from_utf8(body) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let offset = e.valid_up_to();
            let line = body[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(unusable(
                rel,
                format!("not valid UTF-8 at byte {offset} (line {line})"),
            ))
        }
    }
}

/// Temp file in the target's directory, same permissions, fsync, rename.
pub fn write_atomic(change: &FileChange) -> Result<(), InitError> {
    let rel = change.path.as_str();
    let target = &change.target;
    // Refuse to overwrite what the user changed since the plan was made.
    let current = match std::fs::read(target) {
        Ok(b) => Some(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(rel, e)),
    };
    let current_text = match &current {
        Some(b) => Some(decode(rel, b)?),
        None => None,
    };
    if current_text != change.before {
        return Err(InitError::Raced {
            path: rel.to_string(),
        });
    }
    let dir = target
        .parent()
        .ok_or_else(|| io(rel, "has no parent directory"))?;
    std::fs::create_dir_all(dir).map_err(|e| io(rel, e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".guard-init-")
        .tempfile_in(dir)
        .map_err(|e| io(rel, format!("cannot create a temporary file: {e}")))?;
    let permissions = match std::fs::metadata(target) {
        Ok(meta) => Some(meta.permissions()),
        Err(_) => new_file_permissions(),
    };
    if let Some(p) = permissions {
        tmp.as_file().set_permissions(p).map_err(|e| io(rel, e))?;
    }
    if change.bom {
        tmp.write_all(UTF8_BOM).map_err(|e| io(rel, e))?;
    }
    tmp.write_all(change.after.as_bytes())
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| io(rel, e))?;
    tmp.persist(target).map_err(|e| io(rel, e.error))?;
    Ok(())
}

/// Temporary files are private (0600); a new CLAUDE.md or settings file is
/// meant to be read by the team and committed, so it gets the usual 0644.
#[cfg(unix)]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_binary_utf16_and_bad_utf8() {
        assert!(decode("a", b"ok\0")
            .unwrap_err()
            .to_string()
            .contains("NUL byte at offset 2"));
        assert!(decode("a", b"\xFF\xFEh\0")
            .unwrap_err()
            .to_string()
            .contains("UTF-16"));
        let e = decode("a", b"one\ntwo \xC3\x28").unwrap_err().to_string();
        assert!(e.contains("line 2"), "{e}");
        assert_eq!(decode("a", b"\xEF\xBB\xBFhi").unwrap(), "hi");
    }

    #[test]
    fn refuses_huge_files_and_directories() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("big"),
            vec![b'a'; MAX_FILE_BYTES as usize + 1],
        )
        .unwrap();
        let e = read(dir.path(), "big").unwrap_err().to_string();
        assert!(e.contains("over the 1048576-byte limit"), "{e}");
        std::fs::create_dir(dir.path().join("d")).unwrap();
        assert!(read(dir.path(), "d")
            .unwrap_err()
            .to_string()
            .contains("not a regular file"));
        assert_eq!(read(dir.path(), "missing").unwrap(), None);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_root_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("CLAUDE.md"), "x").unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("CLAUDE.md"),
            dir.path().join("CLAUDE.md"),
        )
        .unwrap();
        let e = read(dir.path(), "CLAUDE.md").unwrap_err().to_string();
        assert!(e.contains("outside the project"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_inside_the_root_are_written_through() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("docs")).unwrap();
        std::fs::write(dir.path().join("docs/agents.md"), "old\n").unwrap();
        std::os::unix::fs::symlink("docs/agents.md", dir.path().join("CLAUDE.md")).unwrap();
        let e = read(dir.path(), "CLAUDE.md").unwrap().unwrap();
        write_atomic(&FileChange {
            path: "CLAUDE.md".into(),
            target: e.target,
            before: Some(e.text),
            after: "new\n".into(),
            bom: false,
        })
        .unwrap();
        let link = std::fs::symlink_metadata(dir.path().join("CLAUDE.md")).unwrap();
        assert!(link.file_type().is_symlink(), "the link stays a link");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("docs/agents.md")).unwrap(),
            "new\n"
        );
    }

    #[test]
    fn write_keeps_bom_and_detects_races() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.md");
        std::fs::write(&p, b"\xEF\xBB\xBFold\n").unwrap();
        let e = read(dir.path(), "f.md").unwrap().unwrap();
        let change = FileChange {
            path: "f.md".into(),
            target: e.target.clone(),
            before: Some(e.text.clone()),
            after: "new\n".into(),
            bom: e.bom,
        };
        write_atomic(&change).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"\xEF\xBB\xBFnew\n");
        // The plan's `before` no longer matches the disk.
        assert!(matches!(
            write_atomic(&change),
            Err(InitError::Raced { .. })
        ));
    }
}
