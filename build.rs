//! Build metadata for `kubectl oidc version`: the target triple and the git commit (when
//! built from a git checkout; "unknown" from a source archive). And, on Linux, a
//! position-dependent executable.

#[expect(
    clippy::disallowed_methods,
    reason = "a build script reads what cargo sets"
)]
fn main() {
    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown".into());
    println!("cargo:rustc-env=KUBECTL_OIDC_TARGET={target}");
    // kubectl runs get-token before every request, and a PIE spends most of a cache hit's
    // extra time on start-up relocation: ~13,000 relative relocations rewrite ~270 KiB of
    // data pages at every start. Linked as a plain executable the addresses are fixed at link
    // time. For the binary only (proc-macros and tests are unaffected), so `cargo install`
    // gets it too. The trade-off (the executable's own code at a fixed address; heap, stack
    // and libraries still randomized) is in the README, "Release archives and start-up time".
    if target.contains("-linux-gnu") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    let commit = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=KUBECTL_OIDC_COMMIT={commit}");
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs/heads");
    println!("cargo:rerun-if-env-changed=KUBECTL_OIDC_COMMIT");
}
