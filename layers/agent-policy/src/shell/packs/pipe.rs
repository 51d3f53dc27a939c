//! pipe-to-shell helpers. The detection itself sits where code is run (shells,
//! `eval`, `source`, interpreters reading stdin) in [`crate::shell::unwrap`].

/// Programs that fetch from the network.
pub fn is_downloader(p: &str) -> bool {
    matches!(
        p,
        "curl"
            | "wget"
            | "fetch"
            | "http"
            | "https"
            | "xh"
            | "aria2c"
            | "iwr"
            | "irm"
            | "Invoke-WebRequest"
            | "Invoke-RestMethod"
            | "lwp-request"
            | "GET"
    )
}
