//! Test harness: a real OpenID provider (tests/idp, npm `oidc-provider`), the real plugin
//! binary with a scrubbed environment, TLS fixtures, and kubeconfigs for the real kubectl.
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
