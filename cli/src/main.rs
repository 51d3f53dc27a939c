fn main() -> std::process::ExitCode {
    one_malloc_arena();
    guard_cli::main()
}

/// Layers run on their own threads, and glibc gives each thread an arena that
/// grows a page at a time with `mprotect`: that dominated the layers that
/// allocate much (plans, models, long commands). The main arena grows with
/// `brk` in large steps. Blocks up to 32 MiB (parse buffers, report text)
/// come from that heap too and freed memory stays there for the next
/// allocation, instead of each large block being mapped, faulted in page by
/// page and unmapped again; a guard process is short-lived.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn one_malloc_arena() {
    // SAFETY: mallopt only sets an allocator parameter; it is called before
    // any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn one_malloc_arena() {}
