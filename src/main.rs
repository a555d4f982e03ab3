// mimalloc instead of glibc's malloc: a page's render allocates per template value, per
// minify-html node and per text token, and malloc/free were a fifth of the instructions of
// `build --target html` (callgrind, 200 events). It costs a steady ~18 MiB more peak RSS
// (its segments), not growing with the number of events.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
