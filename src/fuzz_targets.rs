//! Every parser of untrusted input, as a function of raw bytes, for the fuzz targets in
//! `fuzz/` (cargo-fuzz, nightly) and for their stable replay in `tests/it/fuzz_smoke.rs`. Each
//! must return, never panic, whatever the bytes.

use crate::oidc::provider::{Metadata, ProviderState};

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// A JWT as the cache and debug-token decode it, and a pasted token as debug-token reads it.
pub fn jwt(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let _ = crate::token::jwt::decode_payload::<crate::token::jwt::TimeClaims>(s);
    let _ = crate::token::jwt::decode_header::<serde_json::Map<String, serde_json::Value>>(s);
    if let Ok(t) = crate::doctor::input::normalize(s) {
        let _ = crate::token::jwt::decode_payload::<serde_json::Map<String, serde_json::Value>>(&t);
    }
}

/// A request to the loopback listener: the head, then the callback's query.
pub fn callback(data: &[u8]) {
    if let Ok(head) = crate::oidc::callback::parse_head(data) {
        let _ = crate::oidc::callback::host_is_allowed(head.host.as_deref(), None);
        let _ = crate::oidc::callback::parse(&head.target, "/callback", "S", "https://idp");
    }
    if let Some(s) = text(data) {
        let _ = crate::oidc::callback::parse(s, "/callback", "S", "https://idp");
    }
}

/// `KUBERNETES_EXEC_INFO` as kubectl sets it.
pub fn exec_info(data: &[u8]) {
    if let Some(s) = text(data) {
        let _ = crate::exec_credential::parse_exec_info(Some(s));
    }
}

/// A cache file: the envelope, then opening it (a sealed one with a fixed key).
pub fn cache_entry(data: &[u8]) {
    if let Ok(envelope) = crate::cache::envelope::Envelope::parse(data) {
        let _ = envelope.open(Some(&[7u8; 32]), "digest.session");
    }
    if let Ok(v) = serde_json::from_slice::<crate::cache::Session>(data)
        && let Some(p) = v.provider
    {
        let _ = serde_json::from_value::<ProviderState>(p);
    }
}

/// A discovery document and a JWKS, and a token checked against it as debug-token does.
pub fn discovery(data: &[u8]) {
    let _ = serde_json::from_slice::<Metadata>(data);
    if let Ok(jwks) = serde_json::from_slice::<serde_json::Value>(data) {
        let token = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ4In0.c2ln";
        let _ = crate::doctor::signature::check(token, &jwks);
    }
}

/// A token endpoint's answer, as every grant reads it: the first byte picks the status (200, or
/// a 400 or 500 failure) and whether it says it is JSON; the rest is the body.
pub fn token_answer(data: &[u8]) {
    let Some((&first, body)) = data.split_first() else {
        return;
    };
    let status = [200, 200, 400, 500][usize::from(first & 3)];
    let content_type = (first & 4 == 0).then_some("application/json");
    let _ = crate::oidc::read_token_answer(status, content_type, body);
}

/// A JWKS as a login reads it, and a token checked against it as an id_token and as a JWT.
pub fn jwks(data: &[u8]) {
    const TOKEN: &str = concat!(
        // {"alg":"RS256","kid":"k1"}
        "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.",
        // {"iss":"https://idp.example.com","aud":"c","sub":"x","exp":2000000000,"iat":1}
        "eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlLmNvbSIsImF1ZCI6ImMiLCJzdWIiOiJ4IiwiZXhwIjoyMDAwMDAwMDAwLCJpYXQiOjF9.",
        "c2ln"
    );
    let _ = crate::oidc::check_against_jwks(data, TOKEN, "https://idp.example.com", "c");
}

/// An AuthenticationConfiguration file, and a replay of a token against what it yields.
pub fn authentication_config(data: &[u8]) {
    let Some(s) = text(data) else { return };
    if let Ok(authenticators) = crate::doctor::config::from_authentication_config(
        s,
        crate::doctor::version::KubeVersion::NEWEST,
        &[],
    ) {
        let token = crate::doctor::authn::Token {
            header: serde_json::from_str(r#"{"alg":"RS256"}"#).unwrap_or_default(),
            claims: serde_json::from_str(
                r#"{"iss":"https://idp.example.com","aud":"kubernetes","sub":"1","exp":2000000000,"email":"a@b","email_verified":true,"groups":["g"]}"#,
            )
            .unwrap_or_default(),
        };
        let _ = crate::doctor::authn::replay(
            &token,
            &authenticators,
            &crate::doctor::authn::Discovery::Ok,
            &crate::doctor::authn::Signature::Verified,
            1_900_000_000,
        );
    }
}

/// A fuzz target: raw bytes in, nothing out, never a panic.
pub type Target = fn(&[u8]);

/// Every target by name, for the replay.
pub const ALL: &[(&str, Target)] = &[
    ("jwt", jwt),
    ("callback", callback),
    ("exec_info", exec_info),
    ("cache_entry", cache_entry),
    ("discovery", discovery),
    ("authentication_config", authentication_config),
    ("token_answer", token_answer),
    ("jwks", jwks),
];
