//! Messages for people, on stderr. stdout belongs to the ExecCredential protocol.
//!
//! Untrusted text (provider error descriptions, claim values) is stripped of control
//! characters before it reaches a terminal.

use std::io::Write as _;

use crate::text::sanitize;

pub fn info(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", sanitize(message, true));
}

pub fn warn(message: &str) {
    info(&format!("kubectl-oidc: warning: {message}"));
}
