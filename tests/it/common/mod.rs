//! Test harness: a real OpenID provider (tests/idp, npm `oidc-provider`), the real plugin
//! binary with a scrubbed environment, TLS fixtures, and kubeconfigs for the real kubectl.
#![allow(
    clippy::disallowed_methods,
    reason = "clippy.toml holds the crate's rules; tests read the clock and environment freely"
)]
#![allow(dead_code, unused_imports)]

mod home;
mod idp;
mod kubeconfig;
mod tls;

pub use home::*;
pub use idp::*;
pub use kubeconfig::*;
pub use tls::*;

pub const BIN: &str = env!("CARGO_BIN_EXE_kubectl-oidc");
pub const EXEC_V1_INTERACTIVE: &str = r#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":true}}"#;
pub const EXEC_V1_NONINTERACTIVE: &str = r#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}"#;

/// A port free on 127.0.0.1 at the time of asking, for a listener the test names up front.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
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
