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

/// Whether a person runs this command (login, setup, status...), rather than kubectl
/// (get-token), whose successful calls must write nothing on stderr.
static ATTENDED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// get-token says so: kubectl runs it.
pub fn set_attended(attended: bool) {
    ATTENDED.store(attended, Ordering::Relaxed);
}

/// Whether a notice that is only for people may be shown ([`set_attended`]).
pub fn attended() -> bool {
    ATTENDED.load(Ordering::Relaxed)
}

/// Set how verbose [`trace`] is (`-v` counted).
pub fn set_verbosity(level: u8) {
    VERBOSITY.store(level, Ordering::Relaxed);
}

/// A line for `-v` (level 1) or `-vv` (level 2); the message is built only when shown, and a
/// line already shown by this process is not shown again (the cache is looked at more than
/// once on the way to a refresh). Callers never pass a token, code, verifier or secret.
pub fn trace(level: u8, message: impl FnOnce() -> String) {
    static SHOWN: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    if VERBOSITY.load(Ordering::Relaxed) >= level {
        let line = format!("kubectl-oidc: [v{level}] {}", message());
        let mut shown = SHOWN
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !shown.contains(&line) {
            info(&line);
            shown.push(line);
        }
    }
}

/// A progress line on stderr that rewrites itself, shown only on a terminal (a pipe or a log
/// file gets nothing).
pub struct Progress {
    enabled: bool,
}

impl Progress {
    pub fn new() -> Self {
        use std::io::IsTerminal as _;
        Self {
            enabled: std::io::stderr().is_terminal(),
        }
    }

    /// No progress line at all.
    pub fn off() -> Self {
        Self { enabled: false }
    }

    /// Replace the line with `text` (ours, not untrusted input).
    pub fn show(&self, text: &str) {
        if self.enabled {
            let _ = write!(
                std::io::stderr().lock(),
                "\r\x1b[2K{}",
                sanitize(text, false)
            );
        }
    }

    /// Remove the line.
    pub fn clear(&self) {
        if self.enabled {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
        }
    }
}

impl Default for Progress {
    fn default() -> Self {
        Self::new()
    }
}
