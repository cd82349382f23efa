//! Test harness: a real OpenID provider (tests/idp, npm `oidc-provider`), the real plugin
//! binary with a scrubbed environment, TLS fixtures, and kubeconfigs for the real kubectl.
#![allow(
    clippy::disallowed_methods,
    reason = "clippy.toml holds the crate's rules; tests read the clock and environment freely"
)]
#![allow(dead_code, unused_imports)]

mod cluster;
mod dex;
mod home;
mod idp;
mod keycloak;
mod kubeconfig;
mod kubelogin;
mod tls;

pub use cluster::*;
pub use dex::*;
pub use home::*;
pub use idp::*;
pub use keycloak::*;
pub use kubeconfig::*;
pub use kubelogin::*;
pub use tls::*;

pub const BIN: &str = env!("CARGO_BIN_EXE_kubectl-oidc");

/// Wait (up to 30 s, polling every 20 ms) until `ready` holds: a test waits on state, not on a
/// guess of how long something takes on a loaded machine. Panics with `what` if it never does.
pub fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !ready() {
        assert!(std::time::Instant::now() < until, "never happened: {what}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// `start`'s result, from a thread that never ends: a process it starts with
/// `PR_SET_PDEATHSIG` ([`owned`]) lives as long as the test process (the signal fires when the
/// *thread* that started the process exits, and a test's thread exits with its test).
pub fn started_for_the_run<T: Send + 'static>(start: fn() -> T) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(start);
        let failed = result.is_err();
        let _ = tx.send(result);
        if !failed {
            loop {
                std::thread::park();
            }
        }
    });
    match rx.recv().unwrap() {
        Ok(v) => v,
        Err(e) => std::panic::resume_unwind(e),
    }
}

/// `rounds` forced refreshes with `args` (no browser: `home`'s entry must have a refresh
/// token): each serves a new token, silently, and the entry then holds a new refresh token (the
/// provider rotated it and the newest was kept). `log`: the provider's, for a failure.
pub fn assert_refreshes_rotate(
    home: &Home,
    args: &[&str],
    rounds: usize,
    log: impl Fn() -> String,
) {
    let mut previous = home.cached_id_token();
    let mut refresh = home.refresh_token();
    let args = [args, &["--force-refresh"]].concat();
    for round in 0..rounds {
        let out = home.run("get-token", &args, Some(EXEC_V1_NONINTERACTIVE));
        assert!(
            out.status.success(),
            "round {round}: {}\n{}",
            stderr(&out),
            log()
        );
        assert_eq!(stderr(&out), "", "round {round}");
        let token = Some(token_of(&out));
        assert_ne!(token, previous, "round {round}: not refreshed");
        let rotated = home.refresh_token();
        assert_ne!(
            rotated, refresh,
            "round {round}: the provider did not rotate, or the old one was kept"
        );
        (previous, refresh) = (token, rotated);
    }
}

/// Say, where the person running the suite sees it, that part of a test did not run and why.
/// Written to the process's stderr directly: libtest captures `eprintln!` of a passing test.
pub fn say_skipped(test: &str, why: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr().lock(), "SKIPPED part of {test}: {why}");
}
pub const EXEC_V1_INTERACTIVE: &str = r#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":true}}"#;
pub const EXEC_V1_NONINTERACTIVE: &str = r#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}"#;

/// Where the test command (scripts/test.sh) builds the real Kubernetes parts from Go modules
/// (tests/go/): kube-apiserver, etcd, kubectl 1.37 and kubelogin.
pub fn k8s_bin() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/k8s")
}

/// One of the real Kubernetes parts, built by the test command: never skipped, never a stub.
pub fn k8s_tool(name: &str) -> std::path::PathBuf {
    let path = k8s_bin().join(name);
    assert!(
        path.is_file(),
        "{} is missing: run the README's test command (./scripts/test.sh), which builds it from \
         the Go modules pinned in tests/go/",
        path.display()
    );
    path
}

/// `PATH` for every process a test starts: the real Kubernetes parts' directory first (kubectl
/// 1.37, not whatever kubectl the machine has), then the inherited one.
pub fn test_path() -> std::ffi::OsString {
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(k8s_bin()).chain(std::env::split_paths(&rest))).unwrap()
}

/// A port for a listener a test names up front (a provider's, a login's), free on 127.0.0.1
/// when given. Race-free where `bind(":0")` and release is not: it comes from below the
/// kernel's ephemeral range (32768-60999 here, read from /proc), which the kernel never gives
/// an outgoing connection or another `bind(":0")`, so nothing takes it between this check and
/// the listener's bind; each is given at most once per test process (a counter), and two test
/// processes at once count in different blocks of 1000 (chosen by pid), so they do not meet.
pub fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let ephemeral_low = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u32>().ok())
        .unwrap_or(32_768);
    const LOW: u32 = 20_000;
    let blocks = (ephemeral_low.saturating_sub(LOW) / 1000).max(1);
    let block = LOW + (std::process::id() % blocks) * 1000;
    for _ in 0..1000 {
        let port = (block + NEXT.fetch_add(1, Ordering::Relaxed) % 1000) as u16;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port in 127.0.0.1:{block}-{}", block + 999);
}

/// Held by a test whose login listens on kubelogin's fixed ports (8000, else 18000: the
/// `kubelogin` client's registered redirects, and the real kubelogin's): one such test at a
/// time, so each finds its port free.
pub fn kubelogin_ports() -> std::sync::MutexGuard<'static, ()> {
    static PORTS: std::sync::Mutex<()> = std::sync::Mutex::new(());
    PORTS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Fails with the fix when `tool` is not on PATH: what the README's test command installs is
/// required, never skipped.
pub fn require_tool(tool: &str) {
    let found = std::process::Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .unwrap()
        .status
        .success();
    assert!(
        found,
        "{tool} is missing: run the README's test command (./scripts/test.sh), which installs it"
    );
}
