//! PURE. One classification of what a provider answers, wherever the answer arrives (the token
//! endpoint, the loopback callback, a pasted callback, the device poll, revocation, the grants
//! for machines): the same OAuth error code or HTTP status is the same kind of failure, and so
//! the same exit code.

use crate::error::Kind;

/// The kind of an OAuth error code (RFC 6749 §4.1.2.1 and §5.2, RFC 8628 §3.5, RFC 7009 §2.2.1).
/// The provider failing or overloaded is "unavailable" (exit 6: the session is kept, no browser
/// login is started for it); anything else it says is "refused" (exit 5). Whether a refused
/// refresh leads to a login is the caller's policy (only `invalid_grant` does, in `auth/`).
pub fn oauth_error_kind(code: &str) -> Kind {
    match code {
        "server_error" | "temporarily_unavailable" | "slow_down" => Kind::ProviderUnavailable,
        _ => Kind::ProviderRefused,
    }
}

/// A failure the provider answered with HTTP `status` and no OAuth error: failing (5xx, 408,
/// 429), or saying no.
pub fn status_kind(status: u16) -> Kind {
    match status {
        500.. | 408 | 429 => Kind::ProviderUnavailable,
        _ => Kind::ProviderRefused,
    }
}

/// How the message says what the provider did.
pub fn verb(kind: Kind) -> &'static str {
    match kind {
        Kind::ProviderUnavailable => "could not complete",
        _ => "refused",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The classification table: one row per answer, the same kind wherever it arrives.
    #[test]
    fn the_same_answer_is_the_same_kind_everywhere() {
        use Kind::{ProviderRefused as Refused, ProviderUnavailable as Unavailable};
        for (code, kind) in [
            ("temporarily_unavailable", Unavailable),
            ("server_error", Unavailable),
            ("slow_down", Unavailable),
            ("access_denied", Refused),
            ("invalid_grant", Refused),
            ("invalid_client", Refused),
            ("unauthorized_client", Refused),
            ("invalid_scope", Refused),
            ("invalid_request", Refused),
            ("unsupported_response_type", Refused),
            ("consent_required", Refused),
            ("login_required", Refused),
            ("anything_else", Refused),
        ] {
            assert_eq!(oauth_error_kind(code), kind, "{code}");
        }
        for (status, kind) in [
            (400, Refused),
            (401, Refused),
            (403, Refused),
            (404, Refused),
            (408, Unavailable),
            (429, Unavailable),
            (500, Unavailable),
            (502, Unavailable),
            (503, Unavailable),
        ] {
            assert_eq!(status_kind(status), kind, "{status}");
        }
    }
}
