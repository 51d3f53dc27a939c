//! Write a guard layer once, ship it as a plugin.
//!
//! A plugin author implements the ordinary [`guard_core::Layer`] trait in a
//! crate built as a `cdylib` and adds one line, [`export_plugin!`], which
//! exports the plugin C ABI:
//!
//! ```
//! use guard_core::{Context, Finding, Layer, LayerError, LayerInfo, Rule, Severity};
//!
//! static RULES: &[Rule] = &[Rule {
//!     id: "PLUGIN-ACME-001",
//!     severity: Severity::Medium,
//!     title: "Internal host name in code",
//!     rationale: "Internal names leak the network layout.",
//!     remediation: "Read the host from configuration.",
//!     tags: &[],
//!     references: &[],
//! }];
//!
//! pub struct Acme;
//! impl Layer for Acme {
//!     fn id(&self) -> &'static str { "acme" }
//!     fn info(&self) -> LayerInfo {
//!         LayerInfo { id: "acme", name: "Acme rules", description: "company rules", rules: RULES }
//!     }
//!     fn run(&self, _ctx: &Context) -> Result<Vec<Finding>, LayerError> { Ok(vec![]) }
//! }
//!
//! guard_plugin::export_plugin!(Acme);
//! ```
//!
//! and `guard run --plugin target/release/libacme.so .` runs it beside the
//! built-in layers.
//!
//! # The contract
//!
//! - JSON bytes cross the boundary in both directions ([`protocol`]); no Rust
//!   type does, so the host and the plugin need not share a compiler.
//! - `guard_plugin_abi_version()` is called first; a plugin built for another
//!   [`protocol::ABI_VERSION`] is refused with both versions named.
//! - A panic inside the layer is caught at the boundary and returned as an
//!   error response; the host reports it as the layer's `panicked` outcome.
//! - guard loads a plugin only inside a worker process of its own, under a
//!   memory limit, with a deadline, and never in its own process: a crash,
//!   an abort (including a plugin built with `panic = "abort"`) or a hang is
//!   that plugin's outcome and the other layers still report.
//! - Rule ids start with `PLUGIN-<ID>-` (or the prefix the plugin declares)
//!   and may not shadow a built-in rule; findings of undeclared rules fail
//!   the plugin's run.
//!
//! The same JSON over stdin and stdout makes a process plugin, in any
//! language; see the repository's `examples/plugin-python`.
//!
//! With the `host` feature the crate also holds the loading side (trust
//! checks, `libloading`, worker limits), used by the `guard` binary.
#![warn(missing_docs)]

#[doc(hidden)]
pub mod export;
#[cfg(feature = "host")]
pub mod host;
pub mod protocol;

pub use protocol::ABI_VERSION;

/// Exports the plugin C ABI for a layer: `export_plugin!(MyLayer)` or
/// `export_plugin!(MyLayer::new())`. The expression is evaluated for each
/// call, so it should be cheap (all work belongs in `Layer::run`).
///
/// Use it once per `cdylib`.
#[macro_export]
macro_rules! export_plugin {
    ($layer:expr) => {
        /// The plugin ABI version this library was built for.
        #[allow(unsafe_code)]
        #[unsafe(no_mangle)]
        pub extern "C" fn guard_plugin_abi_version() -> u32 {
            $crate::protocol::ABI_VERSION
        }

        /// Serves one JSON request; see `guard_plugin::export`.
        ///
        /// # Safety
        ///
        /// Called by the guard host with a valid request buffer and out pointers.
        #[allow(unsafe_code)]
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn guard_plugin_call(
            req: *const u8,
            req_len: usize,
            out: *mut *mut u8,
            out_len: *mut usize,
        ) -> i32 {
            let layer = $layer;
            // SAFETY: the host passes a request buffer of `req_len` bytes and
            // writable out pointers, per the plugin ABI.
            unsafe { $crate::export::call(&layer, req, req_len, out, out_len) }
        }

        /// Frees a response of `guard_plugin_call`.
        ///
        /// # Safety
        ///
        /// `ptr` and `len` must come from one `guard_plugin_call` of this library.
        #[allow(unsafe_code)]
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn guard_plugin_free(ptr: *mut u8, len: usize) {
            // SAFETY: the host returns exactly what `guard_plugin_call` gave it.
            unsafe { $crate::export::free(ptr, len) }
        }
    };
}
