//! Messages for people, on stderr. stdout belongs to the ExecCredential protocol.
//!
//! Untrusted text (provider error descriptions, claim values) is stripped of control
//! characters before it reaches a terminal.

use std::io::Write as _;
use std::sync::atomic::{AtomicU8, Ordering};

use crate::text::sanitize;

pub fn info(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", sanitize(message, true));
}

pub fn warn(message: &str) {
    info(&format!("kubectl-oidc: warning: {message}"));
}

static VERBOSITY: AtomicU8 = AtomicU8::new(0);

/// Set how verbose [`trace`] is (`-v` counted).
pub fn set_verbosity(level: u8) {
    VERBOSITY.store(level, Ordering::Relaxed);
}

/// A line for `-v` (level 1) or `-vv` (level 2); the message is built only when shown. Callers
/// never pass a token, code, verifier or secret.
pub fn trace(level: u8, message: impl FnOnce() -> String) {
    if VERBOSITY.load(Ordering::Relaxed) >= level {
        info(&format!("kubectl-oidc: [v{level}] {}", message()));
    }
}
