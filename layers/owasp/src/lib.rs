//! The owasp layer: static analysis of source code for OWASP Top 10 weaknesses
//! and hard-coded secrets.
//!
//! [`secrets`] holds the secret detectors (provider formats with their offline
//! checksums, plus high-entropy values assigned to secret-looking names) and the
//! git-history scan; it is a library API that other layers may call directly.

pub mod secrets;
