//! Messages for people, on stderr. stdout belongs to the ExecCredential protocol.
//!
//! Untrusted text (provider error descriptions, claim values) is stripped of control
//! characters before it reaches a terminal.

use std::io::Write as _;

fn sanitize(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

pub fn info(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", sanitize(message));
}

pub fn warn(message: &str) {
    let _ = writeln!(
        std::io::stderr().lock(),
        "kubectl-oidc: warning: {}",
        sanitize(message)
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_are_removed() {
        assert_eq!(super::sanitize("a\x1b[31mb\nc"), "a[31mb\nc");
    }
}
