fn main() {
    // Behave like other Unix tools when the reader of our output goes away
    // (`bxland rules | head`): end quietly instead of panicking on a closed pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    std::process::exit(bxland::cli::main());
}
