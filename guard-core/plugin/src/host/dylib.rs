//! Loading a plugin library with `libloading` and calling its three exports.
//! Only a worker process does this: loading runs the library's code.
#![allow(unsafe_code)]

use super::trust::Verified;
use super::PluginError;
use crate::protocol::{ABI_VERSION, MAX_RESPONSE_BYTES};

type AbiFn = unsafe extern "C" fn() -> u32;
type CallFn = unsafe extern "C" fn(*const u8, usize, *mut *mut u8, *mut usize) -> i32;
type FreeFn = unsafe extern "C" fn(*mut u8, usize);

/// A loaded plugin library. It is never unloaded: Rust libraries register
/// thread-local destructors that would run in unmapped code after `dlclose`,
/// and the worker exits after one call anyway.
pub struct Library {
    path: String,
    call: CallFn,
    free: FreeFn,
}

impl std::fmt::Debug for Library {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Library").field("path", &self.path).finish()
    }
}

impl Library {
    /// Loads the verified file through its open descriptor (the hashed bytes
    /// are the loaded bytes), resolves every symbol now, and checks the ABI
    /// version before anything else is called.
    #[cfg(unix)]
    pub fn open(v: &Verified) -> Result<Library, PluginError> {
        use libloading::os::unix::{Library as Raw, RTLD_LOCAL, RTLD_NOW};
        let path = v.canonical.display().to_string();
        let load_err = |message: String| PluginError::Load {
            path: path.clone(),
            message,
        };
        let target = if cfg!(target_os = "linux") {
            use std::os::fd::AsRawFd;
            std::path::PathBuf::from(format!("/proc/self/fd/{}", v.file.as_raw_fd()))
        } else {
            v.canonical.clone()
        };
        // SAFETY: loading runs the library's initialisers. guard loads plugins
        // only inside a worker process of their own, after the trust checks of
        // `trust::verify`, so what they do is contained to that process.
        let lib = unsafe { Raw::open(Some(&target), RTLD_NOW | RTLD_LOCAL) }
            .map_err(|e| load_err(format!("cannot load: {e}")))?;
        // SAFETY: the symbol is declared by the plugin ABI as
        // `extern "C" fn() -> u32`; the type below is exactly that.
        let version: AbiFn = unsafe { lib.get::<AbiFn>(b"guard_plugin_abi_version\0") }
            .map(|s| *s)
            .map_err(|e| {
                load_err(format!(
                    "not a guard plugin (no `guard_plugin_abi_version` export): {e}"
                ))
            })?;
        // SAFETY: a plain call with no arguments, of the type the ABI declares.
        let found = unsafe { version() };
        if found != ABI_VERSION {
            return Err(PluginError::AbiMismatch {
                path,
                plugin: found,
                host: ABI_VERSION,
            });
        }
        // SAFETY: both symbols have the types the plugin ABI declares for them.
        let call: CallFn = unsafe { lib.get::<CallFn>(b"guard_plugin_call\0") }
            .map(|s| *s)
            .map_err(|e| load_err(format!("missing export `guard_plugin_call`: {e}")))?;
        // SAFETY: as above.
        let free: FreeFn = unsafe { lib.get::<FreeFn>(b"guard_plugin_free\0") }
            .map(|s| *s)
            .map_err(|e| load_err(format!("missing export `guard_plugin_free`: {e}")))?;
        // Never unloaded: the function pointers above stay valid for the
        // life of the process.
        std::mem::forget(lib);
        Ok(Library { path, call, free })
    }

    /// Plugins are supported on Unix only.
    #[cfg(not(unix))]
    pub fn open(v: &Verified) -> Result<Library, PluginError> {
        Err(PluginError::Load {
            path: v.canonical.display().to_string(),
            message: "plugins are supported on Unix only".into(),
        })
    }

    /// Sends `request`, copies the response out and gives it back to the
    /// plugin to free.
    pub fn call(&self, request: &[u8]) -> Result<Vec<u8>, PluginError> {
        let mut out: *mut u8 = std::ptr::null_mut();
        let mut out_len: usize = 0;
        // SAFETY: `request` is a live slice for the duration of the call and
        // the out pointers point to locals; the ABI forbids the plugin to keep
        // `request` after returning.
        let status =
            unsafe { (self.call)(request.as_ptr(), request.len(), &mut out, &mut out_len) };
        if out.is_null() {
            return Err(PluginError::Protocol {
                plugin: self.path.clone(),
                message: format!("`guard_plugin_call` returned status {status} and no response"),
            });
        }
        let result = if out_len > MAX_RESPONSE_BYTES {
            Err(PluginError::Protocol {
                plugin: self.path.clone(),
                message: format!(
                    "response of {out_len} bytes is over the limit of {MAX_RESPONSE_BYTES}"
                ),
            })
        } else {
            // SAFETY: the plugin wrote a buffer of `out_len` bytes at `out`;
            // it stays valid until it is handed back below.
            Ok(unsafe { std::slice::from_raw_parts(out, out_len) }.to_vec())
        };
        // SAFETY: exactly the pointer and length the plugin gave, returned once
        // to the allocator that made them.
        unsafe { (self.free)(out, out_len) };
        result
    }
}
