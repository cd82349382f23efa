//! The executable: [`kubectl_oidc::main`] and its exit code.
//!
//! On Linux the C `main` is ours (`no_main`). Rust's own start-up code is skipped, and most of
//! what it does is for a long-running program: finding the main thread's stack guard by
//! reading /proc/self/maps, a signal stack and SIGSEGV/SIGBUS handlers to name a stack
//! overflow. Measured here that is ~0.2 ms of a ~1.8 ms cache hit (README, "Start-up time").
//! What the program relies on is kept: SIGPIPE is ignored, as Rust's start-up does, so a
//! closed stdout is an EPIPE error (`kubectl oidc status | head`), and stdout is flushed
//! before returning. Arguments are read by std as usual (glibc hands them to std's
//! `.init_array` entry).
#![cfg_attr(all(target_os = "linux", not(test)), no_main)]

#[cfg(all(target_os = "linux", not(test)))]
#[unsafe(no_mangle)]
extern "C" fn main(_argc: libc::c_int, _argv: *const *const libc::c_char) -> libc::c_int {
    use std::io::Write;
    // SAFETY: sets the disposition of one signal before any thread exists.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
    let code = kubectl_oidc::main();
    // std::process::exit flushes stdout; returning from C `main` does not.
    let _ = std::io::stdout().flush();
    libc::c_int::from(code)
}

#[cfg(not(all(target_os = "linux", not(test))))]
fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(kubectl_oidc::main())
}
