//! The plugin side of the C ABI, used by [`export_plugin!`](crate::export_plugin).
//!
//! Three functions cross the boundary, with C types only:
//!
//! - `guard_plugin_abi_version() -> u32`
//! - `guard_plugin_call(req, req_len, out, out_len) -> i32`: the request JSON
//!   in; a response the plugin allocated out; [`STATUS_OK`], or
//!   [`STATUS_ERROR`] when the response is an error document.
//! - `guard_plugin_free(ptr, len)`: the host hands every response back to
//!   the plugin that allocated it.
//!
//! No panic crosses the boundary: the call runs inside `catch_unwind` and a
//! panic becomes an error response of kind `panicked`.
#![allow(unsafe_code)]

use crate::protocol::{ErrorKind, PluginInfo, Request, Response, RunRequest, ABI_VERSION};
use guard_core::{Context, Layer, LayerError};
use std::panic::{self, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// The response is a [`Response::Info`] or [`Response::Findings`].
pub const STATUS_OK: i32 = 0;
/// The response is a [`Response::Error`].
pub const STATUS_ERROR: i32 = 1;
/// The call could not produce a response (null pointers).
pub const STATUS_INVALID: i32 = 2;

/// Serves one request with `layer`: what `guard_plugin_call` does between
/// the pointers. Panics are caught here.
pub fn serve(layer: &dyn Layer, request: &[u8]) -> Response {
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| handle(layer, request)));
    match outcome {
        Ok(resp) => resp,
        Err(payload) => {
            let message = if let Some(s) = payload.downcast_ref::<&str>() {
                (*s).to_string()
            } else if let Some(s) = payload.downcast_ref::<String>() {
                s.clone()
            } else {
                "panic with a non-string payload".to_string()
            };
            Response::Error {
                kind: ErrorKind::Panicked,
                message,
            }
        }
    }
}

fn handle(layer: &dyn Layer, request: &[u8]) -> Response {
    let req: Request = match serde_json::from_slice(request) {
        Ok(r) => r,
        Err(e) => {
            return Response::Error {
                kind: ErrorKind::BadRequest,
                message: format!("cannot read the request: {e}"),
            }
        }
    };
    match req {
        Request::Describe { abi_version } => match check_version(abi_version) {
            Some(e) => e,
            None => Response::Info(PluginInfo::from_layer_info(&layer.info())),
        },
        Request::Run(run) => match check_version(run.abi_version) {
            Some(e) => e,
            None => run_layer(layer, *run),
        },
    }
}

fn check_version(host: u32) -> Option<Response> {
    (host != ABI_VERSION).then(|| Response::Error {
        kind: ErrorKind::BadRequest,
        message: format!("the host speaks plugin ABI version {host}, this plugin {ABI_VERSION}"),
    })
}

fn run_layer(layer: &dyn Layer, run: RunRequest) -> Response {
    let mut ctx = Context::new(run.root)
        .with_inputs(run.inputs)
        .with_walk_options(run.walk)
        .with_config(run.config)
        .with_deadline(Instant::now() + Duration::from_millis(run.timeout_ms));
    if let Some(change) = run.change {
        ctx = ctx.with_change(change);
    }
    let result = layer
        .check_config(&ctx)
        .map_err(LayerError::from)
        .and_then(|()| layer.run(&ctx));
    match result {
        Ok(findings) => {
            let (mut input_errors, mut skipped) = ctx.read_problems();
            if let Some(set) = ctx.files_if_walked() {
                input_errors.extend(set.errors.iter().cloned());
                skipped.extend(set.skipped.iter().cloned());
            }
            Response::Findings {
                findings,
                input_errors,
                skipped,
            }
        }
        Err(LayerError::Cancelled) => Response::Error {
            kind: ErrorKind::Cancelled,
            message: "deadline reached".into(),
        },
        Err(e) => Response::Error {
            kind: ErrorKind::Failed,
            message: e.to_string(),
        },
    }
}

/// Body of `guard_plugin_call`.
///
/// # Safety
///
/// `req` must point to `req_len` readable bytes (or be null with length 0);
/// `out` and `out_len` must be valid for writes. The host must release the
/// response with [`free`] of this same library.
pub unsafe fn call(
    layer: &dyn Layer,
    req: *const u8,
    req_len: usize,
    out: *mut *mut u8,
    out_len: *mut usize,
) -> i32 {
    if out.is_null() || out_len.is_null() || (req.is_null() && req_len != 0) {
        return STATUS_INVALID;
    }
    let request: &[u8] = if req_len == 0 {
        &[]
    } else {
        // SAFETY: the caller guarantees `req` points to `req_len` bytes that
        // stay valid for this call; they are not kept after it returns.
        unsafe { std::slice::from_raw_parts(req, req_len) }
    };
    let response = serve(layer, request);
    let status = match response {
        Response::Error { .. } => STATUS_ERROR,
        _ => STATUS_OK,
    };
    let bytes = serde_json::to_vec(&response).unwrap_or_else(|e| {
        format!(
            r#"{{"status":"error","kind":"failed","message":"cannot encode the response: {}"}}"#,
            e.to_string().replace(['"', '\\'], "'")
        )
        .into_bytes()
    });
    let boxed: Box<[u8]> = bytes.into_boxed_slice();
    let len = boxed.len();
    let ptr = Box::into_raw(boxed) as *mut u8;
    // SAFETY: both pointers were checked non-null and the caller guarantees
    // they are valid for writes.
    unsafe {
        *out = ptr;
        *out_len = len;
    }
    status
}

/// Body of `guard_plugin_free`.
///
/// # Safety
///
/// `ptr` and `len` must be exactly what one [`call`] of this library wrote,
/// and each response is freed once.
pub unsafe fn free(ptr: *mut u8, len: usize) {
    if ptr.is_null() {
        return;
    }
    // SAFETY: `ptr`/`len` come from `Box::<[u8]>::into_raw` in `call`, in this
    // library's allocator, and are freed once.
    drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len)) });
}

#[cfg(test)]
mod tests {
    use super::*;
    use guard_core::{Finding, LayerInfo, Rule, Severity};

    static RULES: &[Rule] = &[Rule {
        id: "PLUGIN-T-001",
        severity: Severity::Low,
        title: "t",
        rationale: "",
        remediation: "",
        tags: &[],
        references: &[],
    }];

    struct T(bool);
    impl Layer for T {
        fn id(&self) -> &'static str {
            "t"
        }
        fn info(&self) -> LayerInfo {
            LayerInfo {
                id: "t",
                name: "T",
                description: "test",
                rules: RULES,
            }
        }
        fn run(&self, _ctx: &Context) -> Result<Vec<Finding>, LayerError> {
            if self.0 {
                panic!("boom");
            }
            Ok(vec![Finding::new(&RULES[0], "found")])
        }
    }

    fn run_req() -> Vec<u8> {
        format!(r#"{{"action":"run","abi_version":{ABI_VERSION},"root":".","timeout_ms":1000}}"#)
            .into_bytes()
    }

    #[test]
    fn describe_and_run() {
        let r = serve(&T(false), br#"{"action":"describe","abi_version":1}"#);
        assert!(matches!(r, Response::Info(ref i) if i.id == "t" && i.rules.len() == 1));
        let r = serve(&T(false), &run_req());
        assert!(matches!(r, Response::Findings { ref findings, .. } if findings.len() == 1));
    }

    #[test]
    fn panic_is_an_error_response() {
        let prev = panic::take_hook();
        panic::set_hook(Box::new(|_| {}));
        let r = serve(&T(true), &run_req());
        panic::set_hook(prev);
        assert!(
            matches!(r, Response::Error { kind: ErrorKind::Panicked, ref message } if message == "boom"),
            "{r:?}"
        );
    }

    #[test]
    fn version_and_json_errors() {
        let r = serve(&T(false), br#"{"action":"describe","abi_version":7}"#);
        assert!(
            matches!(r, Response::Error { kind: ErrorKind::BadRequest, ref message } if message.contains("version 7") && message.contains("this plugin 1")),
            "{r:?}"
        );
        let r = serve(&T(false), b"{not json");
        assert!(matches!(
            r,
            Response::Error {
                kind: ErrorKind::BadRequest,
                ..
            }
        ));
    }

    #[test]
    fn call_and_free_round_trip() {
        let req = run_req();
        let mut out: *mut u8 = std::ptr::null_mut();
        let mut len = 0usize;
        // SAFETY: valid request slice and out pointers.
        let status = unsafe { call(&T(false), req.as_ptr(), req.len(), &mut out, &mut len) };
        assert_eq!(status, STATUS_OK);
        // SAFETY: `call` wrote `len` bytes at `out`.
        let text =
            String::from_utf8(unsafe { std::slice::from_raw_parts(out, len) }.to_vec()).unwrap();
        assert!(text.contains("PLUGIN-T-001"));
        // SAFETY: freed once, as allocated.
        unsafe { free(out, len) };
        // SAFETY: null out pointers are refused before any write.
        let status = unsafe {
            call(
                &T(false),
                req.as_ptr(),
                req.len(),
                std::ptr::null_mut(),
                &mut len,
            )
        };
        assert_eq!(status, STATUS_INVALID);
    }
}
