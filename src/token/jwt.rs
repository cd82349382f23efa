//! Decode a compact JWT (header and payload) without verifying it.
//!
//! This is for reading `exp`/`iat` of a token we verified before caching it, and for
//! diagnostics. It never checks a signature: verification happens in `oidc::provider`
//! before anything reaches the cache.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum JwtError {
    #[error("not a compact JWT: expected 3 dot-separated parts, found {0}")]
    Parts(usize),
    #[error("the JWT {0} is not base64url")]
    Base64(&'static str),
    #[error("the JWT {0} is not a JSON object: {1}")]
    Json(&'static str, String),
}

/// The time claims every freshness decision needs. Kubernetes accepts integers and floats
/// (the fraction is truncated), so we do too.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct TimeClaims {
    #[serde(default, deserialize_with = "numeric_date")]
    pub exp: Option<i64>,
    #[serde(default, deserialize_with = "numeric_date")]
    pub iat: Option<i64>,
}

fn numeric_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let value = Option::<serde_json::Number>::deserialize(d)?;
    Ok(value.and_then(|n| n.as_i64().or_else(|| n.as_f64().map(|f| f.trunc() as i64))))
}

/// Split a compact JWT into its three parts.
fn parts(token: &str) -> Result<[&str; 3], JwtError> {
    let mut it = token.trim().split('.');
    match (it.next(), it.next(), it.next(), it.next()) {
        (Some(h), Some(p), Some(s), None) => Ok([h, p, s]),
        _ => Err(JwtError::Parts(token.trim().split('.').count())),
    }
}

fn decode_part<T: DeserializeOwned>(part: &str, what: &'static str) -> Result<T, JwtError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|_| JwtError::Base64(what))?;
    serde_json::from_slice(&bytes).map_err(|e| JwtError::Json(what, e.to_string()))
}

/// Decode the payload into `T` (e.g. [`TimeClaims`] or a `serde_json::Map`).
pub fn decode_payload<T: DeserializeOwned>(token: &str) -> Result<T, JwtError> {
    decode_part(parts(token)?[1], "payload")
}

/// Decode the header into `T`.
pub fn decode_header<T: DeserializeOwned>(token: &str) -> Result<T, JwtError> {
    decode_part(parts(token)?[0], "header")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Build an unsigned test JWT from a payload. Tokens in tests are fabricated, never real.
    pub(crate) fn jwt(payload: &serde_json::Value) -> String {
        let h = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
        let p = URL_SAFE_NO_PAD.encode(payload.to_string());
        format!("{h}.{p}.c2lnbmF0dXJl")
    }

    #[test]
    fn time_claims_table() {
        let cases: &[(serde_json::Value, TimeClaims)] = &[
            (
                serde_json::json!({"exp": 100, "iat": 40}),
                TimeClaims {
                    exp: Some(100),
                    iat: Some(40),
                },
            ),
            (
                serde_json::json!({"exp": 100.9}),
                TimeClaims {
                    exp: Some(100),
                    iat: None,
                },
            ),
            (
                serde_json::json!({"sub": "x"}),
                TimeClaims {
                    exp: None,
                    iat: None,
                },
            ),
            (
                serde_json::json!({"exp": null}),
                TimeClaims {
                    exp: None,
                    iat: None,
                },
            ),
        ];
        for (payload, want) in cases {
            let got: TimeClaims = decode_payload(&jwt(payload)).unwrap();
            assert_eq!(got, *want, "payload {payload}");
        }
    }

    #[test]
    fn malformed_tokens_are_errors_not_panics() {
        let cases: &[(&str, JwtError)] = &[
            ("", JwtError::Parts(1)),
            ("a.b", JwtError::Parts(2)),
            ("a.b.c.d", JwtError::Parts(4)),
            ("e30.!!!.c", JwtError::Base64("payload")),
        ];
        for (token, want) in cases {
            assert_eq!(
                decode_payload::<TimeClaims>(token).unwrap_err(),
                *want,
                "{token:?}"
            );
        }
        let not_json = format!("e30.{}.c", URL_SAFE_NO_PAD.encode("[1,2"));
        assert!(matches!(
            decode_payload::<TimeClaims>(&not_json),
            Err(JwtError::Json("payload", _))
        ));
    }

    #[test]
    fn header_decodes() {
        let h: serde_json::Value = decode_header(&jwt(&serde_json::json!({}))).unwrap();
        assert_eq!(h["alg"], "RS256");
    }
}
