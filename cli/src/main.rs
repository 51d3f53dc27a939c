fn main() -> std::process::ExitCode {
    bounded_malloc_arenas();
    guard_cli::main()
}

/// glibc gives every thread that allocates while another does an arena of its
/// own, up to eight per core. A thread arena grows a few pages at a time, one
/// `mprotect` each (thousands for a large plan), while the main arena grows
/// with `brk` in large steps; but one arena for all serialises the threads a
/// large model is read and reported on (two halves of the YAML, flows beside
/// elements, findings and JSON in two halves), which then wait on its lock.
/// Four arenas, measured side by side with one: 30% less wall time on a
/// 10,000-element model, a 10,000-change plan 5-15% slower (within noise).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn bounded_malloc_arenas() {
    // SAFETY: mallopt only sets an allocator parameter; it is called before
    // any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 4);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn bounded_malloc_arenas() {}
