//! spec §3.2: AuthenticationConfiguration validation, with the API server's texts.

use crate::doctor::config::{Style, from_authentication_config, references_claim};

const BASE: &str = "apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: https://idp.example.com\n    audiences: [kubernetes]\n";

/// spec §3.2: the validation rules and their texts.
#[test]
fn structured_config_validation() {
    let cases: &[(&str, &str)] = &[
        (
            "  claimMappings:\n    username: {claim: sub}\n",
            "prefix is required when claim is set. It can be set to an empty string to disable prefixing",
        ),
        (
            "  claimMappings:\n    username: {claim: sub, expression: claims.sub}\n",
            "claim and expression can't both be set",
        ),
        (
            "  claimMappings:\n    username: {}\n",
            "claim or expression is required",
        ),
        (
            "  claimMappings:\n    username: {expression: claims.email}\n",
            "claims.email_verified must be used in claimMappings.username.expression",
        ),
        (
            "  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n    extra:\n    - key: kubernetes.io/x\n      valueExpression: claims.x\n",
            "k8s.io, kubernetes.io and their subdomains are reserved",
        ),
        (
            "  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n  unknownField: 1\n",
            "unknownField",
        ),
    ];
    for (tail, want) in cases {
        let e = from_authentication_config(&format!("{BASE}{tail}")).unwrap_err();
        assert!(e.0.contains(want), "{tail}: {e}");
    }
    let multi = "apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: https://idp.example.com\n    audiences: [a, b]\n  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n";
    assert!(
        from_authentication_config(multi)
            .unwrap_err()
            .0
            .contains("audienceMatchPolicy must be MatchAny for multiple audiences")
    );
    let http = BASE.replace("https://idp", "http://idp")
        + "  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n";
    assert!(
        from_authentication_config(&http)
            .unwrap_err()
            .0
            .contains("URL scheme must be https")
    );
    let ok = format!(
        "{BASE}  claimMappings:\n    username:\n      expression: 'claims.email'\n  claimValidationRules:\n  - expression: 'claims.?email_verified.orValue(true) == true'\n"
    );
    let a = &from_authentication_config(&ok).unwrap()[0];
    assert_eq!(a.signing_algs.len(), 9);
    assert_eq!(a.style, Style::Structured);
}

#[test]
fn claim_references() {
    assert!(references_claim("claims.email", "email"));
    assert!(!references_claim("claims.email_verified", "email"));
    assert!(references_claim(
        "claims.?email_verified.orValue(true)",
        "email_verified"
    ));
    assert!(references_claim("claims[\"email\"] + ':x'", "email"));
    assert!(!references_claim("claims.emails", "email"));
}
