//! Test plugin declaring ABI version 999; its other exports must never be called.
#![allow(unsafe_code)]

/// A version this guard does not speak.
#[unsafe(no_mangle)]
pub extern "C" fn guard_plugin_abi_version() -> u32 {
    999
}

/// Must not be reached: aborts if it is.
///
/// # Safety
///
/// None needed; it never returns.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn guard_plugin_call(
    _req: *const u8,
    _req_len: usize,
    _out: *mut *mut u8,
    _out_len: *mut usize,
) -> i32 {
    std::process::abort()
}

/// Must not be reached.
///
/// # Safety
///
/// None needed; it never returns.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn guard_plugin_free(_ptr: *mut u8, _len: usize) {
    std::process::abort()
}
