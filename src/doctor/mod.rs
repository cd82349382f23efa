//! `debug-token`: explain, as the API server would, who a token makes you and why.
//!
//! Everything here is pure (no I/O, no clock): the command in `cmd/debug_token/` gathers the
//! token, the configuration, the provider's keys and the cluster's answers, and passes them in.

pub mod authn;
pub mod cel;
pub mod cluster;
pub mod config;
pub mod diagnose;
pub mod findings;
pub mod input;
pub mod rbac;
pub mod report;
pub mod signature;
pub mod version;

#[cfg(test)]
mod tests;
