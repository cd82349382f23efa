//! PURE. A JWT's signature against a JWKS, with jsonwebtoken: the key with the token's `kid`,
//! or, without a `kid`, any key of the set that verifies. Which claims are checked is the
//! caller's `validation` (the algorithm is the token's own); nothing here reads the clock
//! unless that validation checks `exp`.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{DecodingKey, Validation};

/// Why a token does not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Its header does not decode: not a JWT.
    NotJwt(String),
    /// The JWKS could not be read (the caller's reason).
    UnusableJwks(String),
    /// No key of the set has the token's `kid`.
    UnknownKid(String),
    /// No key verifies it, or a claim the validation checks fails: the last reason.
    Invalid(String),
}

/// Verify `token` against `jwks`; `configure` sets the claims to check.
pub fn verify(
    token: &str,
    jwks: Result<&JwkSet, &str>,
    configure: impl FnOnce(&mut Validation),
) -> Result<(), Failure> {
    let header = jsonwebtoken::decode_header(token).map_err(|e| Failure::NotJwt(e.to_string()))?;
    let set = jwks.map_err(|e| Failure::UnusableJwks(e.to_owned()))?;
    let candidates: Vec<_> = match &header.kid {
        Some(kid) => vec![
            set.find(kid)
                .ok_or_else(|| Failure::UnknownKid(kid.clone()))?,
        ],
        None => set.keys.iter().collect(),
    };
    let mut validation = Validation::new(header.alg);
    configure(&mut validation);
    let mut last = "the JWKS has no keys".to_owned();
    for jwk in candidates {
        let key = match DecodingKey::from_jwk(jwk) {
            Ok(k) => k,
            Err(e) => {
                last = format!("unusable key: {e}");
                continue;
            }
        };
        match jsonwebtoken::decode::<serde_json::Value>(token, &key, &validation) {
            Ok(_) => return Ok(()),
            Err(e) => last = e.to_string(),
        }
    }
    Err(Failure::Invalid(last))
}
