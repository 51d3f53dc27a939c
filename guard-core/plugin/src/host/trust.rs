//! Whether a plugin file may be run: it must be a regular file owned by the
//! user running guard (or by root), writable by nobody else, in folders that
//! nobody else can swap it in. The file is opened once and hashed through
//! that descriptor, so the bytes hashed are the bytes later loaded.
#![allow(unsafe_code)]

use super::PluginError;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A plugin file that passed the checks, still open.
#[derive(Debug)]
pub struct Verified {
    /// Absolute path with every symbolic link resolved.
    pub canonical: PathBuf,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// The open file whose bytes were hashed.
    pub file: File,
}

/// The effective user id of this process.
#[cfg(unix)]
fn current_uid() -> u32 {
    // SAFETY: geteuid(2) takes no arguments, cannot fail and touches no memory.
    unsafe { libc::geteuid() }
}

/// Checks `path` and hashes it.
#[cfg(unix)]
pub fn verify(path: &Path) -> Result<Verified, PluginError> {
    use std::os::unix::fs::MetadataExt;
    let shown = path.display().to_string();
    let refused = |reason: String| PluginError::Refused {
        path: shown.clone(),
        reason,
    };
    let canonical = path
        .canonicalize()
        .map_err(|e| refused(format!("cannot resolve the path: {e}")))?;
    let mut file = File::open(&canonical).map_err(|e| refused(format!("cannot open: {e}")))?;
    let meta = file
        .metadata()
        .map_err(|e| refused(format!("cannot stat: {e}")))?;
    if !meta.is_file() {
        return Err(refused("not a regular file".into()));
    }
    let uid = current_uid();
    if meta.uid() != uid && meta.uid() != 0 {
        return Err(refused(format!(
            "owned by uid {}, not by you (uid {uid}) or root; a file another user controls is their code",
            meta.uid()
        )));
    }
    if meta.mode() & 0o022 != 0 {
        return Err(refused(format!(
            "writable by {} (mode {:o}); run `chmod go-w {}`",
            if meta.mode() & 0o002 != 0 {
                "everyone"
            } else {
                "its group"
            },
            meta.mode() & 0o7777,
            canonical.display()
        )));
    }
    let mut dir = canonical.parent();
    while let Some(d) = dir {
        let m = std::fs::metadata(d)
            .map_err(|e| refused(format!("cannot stat folder {}: {e}", d.display())))?;
        let sticky = m.mode() & 0o1000 != 0;
        if m.mode() & 0o002 != 0 && !sticky {
            return Err(refused(format!(
                "folder {} is writable by everyone, so the file can be replaced",
                d.display()
            )));
        }
        if m.uid() != uid && m.uid() != 0 {
            return Err(refused(format!(
                "folder {} is owned by uid {}, so the file can be replaced",
                d.display(),
                m.uid()
            )));
        }
        dir = d.parent();
    }
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| refused(format!("cannot read: {e}")))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    let sha256 = guard_core::finding::hex(&hasher.finalize());
    Ok(Verified {
        canonical,
        sha256,
        file,
    })
}

/// Plugins are supported on Unix only.
#[cfg(not(unix))]
pub fn verify(path: &Path) -> Result<Verified, PluginError> {
    Err(PluginError::Refused {
        path: path.display().to_string(),
        reason: "plugins are supported on Unix only".into(),
    })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn hashes_and_refuses_writable_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("lib.so");
        std::fs::write(&p, b"abc").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        let v = verify(&p).unwrap();
        assert_eq!(
            v.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o646)).unwrap();
        let e = verify(&p).unwrap_err().to_string();
        assert!(e.contains("writable by everyone"), "{e}");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o664)).unwrap();
        let e = verify(&p).unwrap_err().to_string();
        assert!(e.contains("writable by its group"), "{e}");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        // Only root can give a file away; elsewhere this case is not reachable.
        if std::os::unix::fs::chown(&p, Some(65534), None).is_ok() {
            let e = verify(&p).unwrap_err().to_string();
            assert!(e.contains("owned by uid 65534"), "{e}");
        }
    }

    #[test]
    fn refuses_world_writable_folder_and_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("open");
        std::fs::create_dir(&sub).unwrap();
        let p = sub.join("lib.so");
        std::fs::write(&p, b"abc").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o777)).unwrap();
        let e = verify(&p).unwrap_err().to_string();
        assert!(
            e.contains("writable by everyone, so the file can be replaced"),
            "{e}"
        );
        let e = verify(&dir.path().join("nope.so")).unwrap_err().to_string();
        assert!(e.contains("cannot resolve"), "{e}");
    }
}
