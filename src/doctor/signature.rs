//! PURE. Check a token's signature against a JWKS given as JSON ([`crate::token::signature`]),
//! as debug-token reports it. Claims are not validated here; the replay does that in the API
//! server's order.

use jsonwebtoken::jwk::JwkSet;

use super::authn::Signature;
use crate::token::signature::{Failure, verify};

pub fn check(token: &str, jwks: &serde_json::Value) -> Signature {
    let set = serde_json::from_value::<JwkSet>(jwks.clone())
        .map_err(|e| format!("the provider's JWKS is not usable: {e}"));
    // Claims are the replay's to check, in the API server's order.
    let signature_only = |v: &mut jsonwebtoken::Validation| {
        v.validate_exp = false;
        v.validate_nbf = false;
        v.validate_aud = false;
        v.required_spec_claims.clear();
    };
    match verify(token, set.as_ref().map_err(String::as_str), signature_only) {
        Ok(()) => Signature::Verified,
        Err(Failure::NotJwt(e)) => Signature::Invalid(format!("unreadable header: {e}")),
        Err(Failure::UnusableJwks(e)) => Signature::Unchecked(e),
        Err(Failure::UnknownKid(kid)) => Signature::UnknownKid(kid),
        Err(Failure::Invalid(e)) => Signature::Invalid(e),
    }
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
    // is tested end to end against the test provider's JWKS (tests/it/doctor.rs).
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
