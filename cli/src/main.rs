fn main() -> std::process::ExitCode {
    one_malloc_arena();
    guard_cli::main()
}

/// Layers run on their own threads, and glibc gives each thread an arena that
/// grows a page at a time with `mprotect`: that dominated the layers that
/// allocate much (plans, models, long commands). The main arena grows with
/// `brk` in large steps.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn one_malloc_arena() {
    // SAFETY: mallopt only sets an allocator parameter; it is called before
    // any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn one_malloc_arena() {}
