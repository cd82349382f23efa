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

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use serde_json::json;

    fn token(header: serde_json::Value) -> String {
        let b = |v: serde_json::Value| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(&v).unwrap())
        };
        format!("{}.{}.c2lnbmF0dXJl", b(header), b(json!({"sub": "a"})))
    }

    // An RSA public key; a made-up signature never verifies against it. The verifying path
    // is tested end to end against the test provider's JWKS (tests/doctor.rs).
    fn jwks(kid: &str) -> serde_json::Value {
        json!({"keys": [{"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig", "n": "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw", "e": "AQAB"}]})
    }

    #[test]
    fn outcomes() {
        let t = token(json!({"alg": "RS256", "kid": "k2"}));
        assert_eq!(check(&t, &jwks("k1")), Signature::UnknownKid("k2".into()));
        let t = token(json!({"alg": "RS256", "kid": "k1"}));
        assert!(matches!(check(&t, &jwks("k1")), Signature::Invalid(_)));
        assert!(matches!(
            check(&t, &json!({"nokeys": 1})),
            Signature::Unchecked(_)
        ));
        assert!(matches!(
            check("e30.e30.x", &jwks("k1")),
            Signature::Invalid(_)
        ));
    }
}
