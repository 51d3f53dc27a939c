//! Test plugin with the right ABI version that answers every call with bytes
//! that are not JSON.
#![allow(unsafe_code)]

static ANSWER: &[u8] = b"this is not JSON {";

/// The current ABI.
#[unsafe(no_mangle)]
pub extern "C" fn guard_plugin_abi_version() -> u32 {
    guard_plugin::ABI_VERSION
}

/// Answers garbage.
///
/// # Safety
///
/// `out` and `out_len` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn guard_plugin_call(
    _req: *const u8,
    _req_len: usize,
    out: *mut *mut u8,
    out_len: *mut usize,
) -> i32 {
    let boxed: Box<[u8]> = ANSWER.to_vec().into_boxed_slice();
    let len = boxed.len();
    // SAFETY: the host passes writable out pointers.
    unsafe {
        *out = Box::into_raw(boxed) as *mut u8;
        *out_len = len;
    }
    0
}

/// Frees an answer.
///
/// # Safety
///
/// Only with what `guard_plugin_call` returned.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn guard_plugin_free(ptr: *mut u8, len: usize) {
    // SAFETY: allocated as a boxed slice of `len` bytes above.
    drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len)) });
}
