//! Token endpoint and verification failures described for people: the OAuth error and its
//! description, an error page's status and first words, or the exact reason an id_token fails
//! verification (never the token itself).

use openidconnect::{ClaimsVerificationError, RequestTokenError, SignatureVerificationError};

use crate::error::Kind;
use crate::secret::Secret;

/// The kind of a token endpoint failure: the provider said no, or it could not answer.
pub(super) fn token_error_kind<RE, T>(
    e: &RequestTokenError<RE, openidconnect::StandardErrorResponse<T>>,
) -> Kind
where
    RE: std::error::Error + 'static,
    T: openidconnect::ErrorResponseType + AsRef<str> + std::fmt::Display,
{
    match e {
        RequestTokenError::ServerResponse(r)
            if !matches!(
                r.error().as_ref(),
                "server_error" | "temporarily_unavailable"
            ) =>
        {
            Kind::ProviderRefused
        }
        _ => Kind::ProviderUnavailable,
    }
}

/// The `refresh_token` of a token response body that did not parse as a whole.
pub(super) fn refresh_token_in(body: &[u8]) -> Option<Secret<String>> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    Some(Secret::new(v.get("refresh_token")?.as_str()?.to_owned()))
}

/// Why an id_token failed verification, named as the API server would name it, with what to
/// do about it.
pub(super) fn verification_error(
    e: &ClaimsVerificationError,
    issuer: &str,
    client_id: &str,
    jwks_uri: &str,
    id_token: &str,
) -> String {
    let header: serde_json::Map<String, serde_json::Value> =
        crate::token::jwt::decode_header(id_token).unwrap_or_default();
    let field = |k: &str| {
        header
            .get(k)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_owned()
    };
    match e {
        ClaimsVerificationError::SignatureVerification(
            SignatureVerificationError::NoMatchingKey,
        ) => format!(
            "the id_token from {issuer} is signed with key {:?}, which is not in the provider's JWKS ({}) even after fetching it again",
            field("kid"),
            jwks_uri
        ),
        ClaimsVerificationError::SignatureVerification(
            SignatureVerificationError::DisallowedAlg(_)
            | SignatureVerificationError::UnsupportedAlg(_)
            | SignatureVerificationError::NoSignature,
        ) => format!(
            "the id_token from {issuer} is signed with algorithm {:?}, which is not accepted (an unsigned token, alg \"none\", never is)",
            field("alg")
        ),
        ClaimsVerificationError::SignatureVerification(
            SignatureVerificationError::CryptoError(_),
        ) => format!(
            "the id_token from {issuer} has a signature that does not verify with the provider's key {:?}: it was altered, or signed by someone else",
            field("kid")
        ),
        ClaimsVerificationError::SignatureVerification(other) => {
            format!("the id_token's signature from {issuer} cannot be verified: {other}")
        }
        ClaimsVerificationError::InvalidAudience(d) => format!(
            "the id_token from {issuer} is not for client {} ({d}); the client id must be the one the provider issued it to",
            client_id
        ),
        ClaimsVerificationError::InvalidIssuer(d) => format!(
            "the id_token says another issuer than {issuer} issued it ({d}); the issuer URL must be exactly the provider's"
        ),
        ClaimsVerificationError::Expired(d) => format!(
            "the id_token from {issuer} has already expired ({d}); is this machine's clock right?"
        ),
        ClaimsVerificationError::InvalidNonce(d) => format!(
            "the id_token from {issuer} carries another nonce than this login sent ({d}): a replayed or injected token"
        ),
        other => format!(
            "the id_token from {issuer} failed verification: {}",
            error_chain(other)
        ),
    }
}

/// An error and its causes on one line.
pub(super) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

pub(super) fn describe_oauth_error(error: &str, description: Option<&str>) -> String {
    match description {
        Some(d) if !d.is_empty() => format!("{error} ({d})"),
        _ => error.to_owned(),
    }
}

/// The start of an answer's body, for a message: 200 characters, control characters left out
/// (an error page's first words).
pub(super) fn body_excerpt(body: &[u8]) -> String {
    String::from_utf8_lossy(body)
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect()
}

/// A failure the provider answered with HTTP `status`: failing (5xx), or saying no.
pub(super) fn status_kind(status: u16) -> Kind {
    match status {
        500.. => Kind::ProviderUnavailable,
        _ => Kind::ProviderRefused,
    }
}

/// A token-endpoint failure for people: the OAuth error and its description, or the
/// HTTP status and the start of an error page (an IdP or proxy HTML page, say).
pub(super) fn token_error<RE, T>(
    e: &RequestTokenError<RE, openidconnect::StandardErrorResponse<T>>,
) -> String
where
    RE: std::error::Error + 'static,
    T: openidconnect::ErrorResponseType + AsRef<str> + std::fmt::Display,
{
    match e {
        RequestTokenError::ServerResponse(r) => describe_oauth_error(
            r.error().as_ref(),
            r.error_description().map(String::as_str),
        ),
        RequestTokenError::Parse(err, body) => {
            format!("unexpected response ({err}): {:?}", body_excerpt(body))
        }
        other => error_chain(other),
    }
}
