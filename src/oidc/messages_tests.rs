//! Provider messages: nothing secret in them, the verification errors named, discovery's fix.

use super::*;

#[test]
fn a_discovery_failure_says_whether_the_issuer_url_is_the_fix() {
    let at = |endpoint, failure| ProviderError::new(endpoint, failure, "");
    let discovery = |failure| at(Endpoint::Discovery, failure);
    let issuer = "https://idp.example/realms/x";
    let theirs = Some("https://idp.example/realms/x/");
    for (e, named, kind, hint) in [
        (
            discovery(Failure::Status(404)),
            None,
            Kind::Config,
            Some(
                "https://idp.example/realms/x/.well-known/openid-configuration is not an OpenID discovery document",
            ),
        ),
        (
            discovery(Failure::Status(403)),
            None,
            Kind::Config,
            Some("check --oidc-issuer-url"),
        ),
        // A page that is not JSON (a web site's HTML).
        (
            discovery(Failure::NotJson),
            None,
            Kind::Config,
            Some("Keycloak: https://HOST/realms/REALM"),
        ),
        (
            discovery(Failure::Status(429)),
            None,
            Kind::ProviderUnavailable,
            None,
        ),
        (
            discovery(Failure::Status(503)),
            None,
            Kind::ProviderUnavailable,
            None,
        ),
        (
            discovery(Failure::Verification),
            theirs,
            Kind::Config,
            Some("--oidc-issuer-url=https://idp.example/realms/x/ (the API server"),
        ),
        (
            discovery(Failure::InvalidResponse),
            None,
            Kind::ProviderUnavailable,
            None,
        ),
        (
            discovery(Failure::Timeout),
            None,
            Kind::ProviderUnavailable,
            None,
        ),
        // The JWKS the document names: the provider failing, not the issuer URL.
        (
            at(Endpoint::Jwks, Failure::Status(404)),
            None,
            Kind::ProviderUnavailable,
            None,
        ),
        (
            at(Endpoint::Jwks, Failure::NotJson),
            None,
            Kind::ProviderUnavailable,
            None,
        ),
    ] {
        assert_eq!(e.kind(), kind, "{e:?}");
        match (hint, discovery_hint(issuer, &e, named)) {
            (Some(want), Some(got)) => assert!(got.contains(want), "{got}"),
            (None, None) => {}
            (want, got) => panic!("{e:?}: want {want:?}, got {got:?}"),
        }
    }
}

const RT: &str = "rt-Q2hhbmdlTWUxMjM0NTY3ODkwYWJjZGVmZ2hpams";
const AT: &str = "at-9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddcc";

#[test]
fn a_quoted_body_keeps_the_error_and_the_shape_only() {
    for (body, want) in [
        (
            format!(r#"{{"access_token":"{AT}","refresh_token":"{RT}","expires_in":"3600"}}"#),
            "{access_token: a string, expires_in: a string, refresh_token: a string}".to_owned(),
        ),
        (
            format!(
                r#"{{"error":"invalid_grant","error_description":"token {RT} expired\nkubectl-oidc: fake"}}"#
            ),
            r#"{error: "invalid_grant", error_description: "token … expired?kubectl-oidc: fake"}"#
                .to_owned(),
        ),
        (
            format!(r#"["{RT}"]"#),
            "JSON that is an array where an object belongs".to_owned(),
        ),
        (
            format!("access_token={AT}&refresh_token={RT}&token_type=bearer"),
            "a form-encoded body: access_token=…&refresh_token=…&token_type=…".to_owned(),
        ),
        (
            format!("<html><h1>502 Bad Gateway</h1>{RT}</html>"),
            r#""<html><h1>502 Bad Gateway</h1>…</html>""#.to_owned(),
        ),
    ] {
        let shown = body_excerpt(body.as_bytes());
        assert_eq!(shown, want, "{body}");
        assert!(
            !shown.contains("Q2hhbmdl") && !shown.contains("9f8e7d6c"),
            "{shown}"
        );
    }
}

#[test]
fn a_parse_error_quotes_field_names_and_numbers_only() {
    let body = format!(r#"{{"access_token":"{AT}","token_type":"{RT}"}}"#);
    for (message, want) in [
        ("missing field `token_type`", "missing field `token_type`"),
        (
            "expires_in: invalid type: floating point `1e+300`, expected u64",
            "expires_in: invalid type: floating point `1e+300`, expected u64",
        ),
        (
            &format!("token_type: unknown variant `{RT}`, expected `bearer`") as &str,
            "token_type: unknown variant `…`, expected `bearer`",
        ),
        (
            &format!(r#"Failed to parse: Error("invalid type: string \"{AT}\"")"#),
            r#"Failed to parse: Error("…")"#,
        ),
        (
            &format!("a message that quotes {AT} bare"),
            "a message that quotes … bare",
        ),
    ] {
        assert_eq!(parse_error(&message, body.as_bytes()), want, "{message}");
    }
}

#[test]
fn an_id_token_claim_at_fault_is_named() {
    let b64 = |v: serde_json::Value| {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let body = |claims: serde_json::Value| {
        serde_json::json!({"id_token": format!("{}.{}.sig", b64(serde_json::json!({"alg":"RS256"})), b64(claims))})
            .to_string()
    };
    for (claims, want) in [
        (
            serde_json::json!({"exp": 1e300}),
            Some("the id_token's exp claim is 1e+300, not a time between 1970 and 9999"),
        ),
        (
            serde_json::json!({"exp": 253_402_300_800u64}),
            Some("the id_token's exp claim is 253402300800, not a time between 1970 and 9999"),
        ),
        (
            serde_json::json!({"iat": "1700000000"}),
            Some("the id_token's iat claim is not a number of seconds"),
        ),
        (
            serde_json::json!({"aud": [1]}),
            Some("the id_token's aud claim is neither a string nor strings"),
        ),
        (
            serde_json::json!({"sub": 5}),
            Some("the id_token's sub claim is not a string"),
        ),
        (
            serde_json::json!({"exp": 1_700_000_000, "aud": ["a", "b"], "sub": "x"}),
            None,
        ),
    ] {
        assert_eq!(
            id_token_claim_problem(body(claims.clone()).as_bytes()).as_deref(),
            want,
            "{claims}"
        );
    }
}
