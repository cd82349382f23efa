//! PURE. Check a token's signature against a JWKS (given as JSON), with jsonwebtoken: the
//! key with the token's `kid`, or, without a `kid`, any key that verifies. Claims are not
//! validated here; the replay does that in the API server's order.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{DecodingKey, Validation};

use super::authn::Signature;

pub fn check(token: &str, jwks: &serde_json::Value) -> Signature {
    let header = match jsonwebtoken::decode_header(token) {
        Ok(h) => h,
        Err(e) => return Signature::Invalid(format!("unreadable header: {e}")),
    };
    let set: JwkSet = match serde_json::from_value(jwks.clone()) {
        Ok(s) => s,
        Err(e) => return Signature::Unchecked(format!("the provider's JWKS is not usable: {e}")),
    };
    let candidates: Vec<_> = match &header.kid {
        Some(kid) => match set.find(kid) {
            Some(k) => vec![k],
            None => return Signature::UnknownKid(kid.clone()),
        },
        None => set.keys.iter().collect(),
    };
    let mut validation = Validation::new(header.alg);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
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
            Ok(_) => return Signature::Verified,
            Err(e) => last = e.to_string(),
        }
    }
    Signature::Invalid(last)
}
