//! spec §3.1, §3.2: AuthenticationConfiguration and the legacy flags, validated as the API
//! server validates them at start, with its texts. Each row names the test of
//! `k8s.io/apiserver/pkg/apis/apiserver/validation/validation_test.go` (or of
//! `pkg/kubeapiserver/options/authentication_test.go`) it mirrors.

use crate::doctor::cel::selects_claim;
use crate::doctor::config::{ApiserverFlags, Style, from_authentication_config, from_flags};
use crate::doctor::version::KubeVersion;

const HEAD: &str = "apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\n";
const ISSUER: &str =
    "jwt:\n- issuer:\n    url: https://idp.example.com\n    audiences: [kubernetes]\n";
const MAPPING: &str = "  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n";

fn load(text: &str, minor: u8) -> Result<(), String> {
    from_authentication_config(text, KubeVersion(minor), &[])
        .map(drop)
        .map_err(|e| e.message)
}

/// One rule per row: the configuration's tail after `jwt[0].issuer`, and the error.
#[test]
fn validation_rules() {
    type Row = (&'static str, &'static str, &'static str);
    let rows: &[Row] = &[
        (
            "  claimMappings:\n    username: {claim: sub}\n",
            "jwt[0].claimMappings.username.prefix: Required value: prefix is required when claim is set. It can be set to an empty string to disable prefixing",
            "TestValidateClaimMappings: username prefix not set",
        ),
        (
            "  claimMappings:\n    username: {claim: sub, expression: claims.sub}\n",
            "jwt[0].claimMappings.username: Invalid value: \"\": claim and expression can't both be set",
            "TestValidateClaimMappings: username expression and claim are set",
        ),
        (
            "  claimMappings:\n    username: {}\n",
            "jwt[0].claimMappings.username: Required value: claim or expression is required",
            "TestValidateClaimMappings: username expression and claim are empty",
        ),
        (
            "  claimMappings:\n    username: {expression: claims.sub, prefix: x}\n",
            "jwt[0].claimMappings.username.prefix: Invalid value: \"x\": may not be specified when expression is set",
            "TestValidateClaimMappings: username prefix set when expression is set",
        ),
        (
            "  claimMappings:\n    username: {expression: claims.email}\n",
            "jwt[0].claimMappings.username.expression: Invalid value: \"claims.email\": claims.email_verified must be used in",
            "TestValidateClaimMappings: email claim used without email_verified",
        ),
        (
            "  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n    groups: {expression: claim.groups}\n",
            "jwt[0].claimMappings.groups.expression: Invalid value: \"claim.groups\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'claim' (in container '')",
            "TestValidateClaimMappings: groups expression is invalid",
        ),
        (
            "  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n    uid: {claim: sub, expression: claims.sub}\n",
            "jwt[0].claimMappings.uid: Invalid value: \"\": claim and expression can't both be set",
            "TestValidateClaimMappings: uid claim and expression are set",
        ),
        (
            "  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n    extra:\n    - key: kubernetes.io/x\n      valueExpression: claims.x\n",
            "jwt[0].claimMappings.extra[0].key: Invalid value: \"kubernetes.io/x\": k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use",
            "TestValidateClaimMappings: extra mapping key is k8s.io",
        ),
        (
            "  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n    extra:\n    - key: example.org/Foo\n      valueExpression: claims.x\n",
            "jwt[0].claimMappings.extra[0].key: Invalid value: \"example.org/Foo\": must be lowercase",
            "TestValidateClaimMappings: extra mapping key is not lowercase",
        ),
        (
            "  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n    extra:\n    - key: foo\n      valueExpression: claims.x\n",
            "jwt[0].claimMappings.extra[0].key: Invalid value: \"foo\": must be a domain-prefixed path",
            "TestValidateClaimMappings: extra mapping key is not domain prefix path",
        ),
        (
            "  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n    extra:\n    - key: example.org/a\n      valueExpression: claims.a\n    - key: example.org/a\n      valueExpression: claims.b\n",
            "jwt[0].claimMappings.extra[1].key: Duplicate value: \"example.org/a\"",
            "TestValidateClaimMappings: duplicate extra mapping key",
        ),
        (
            "  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n    extra:\n    - key: example.org/a\n      valueExpression: \"\"\n",
            "jwt[0].claimMappings.extra[0].valueExpression: Required value",
            "TestValidateClaimMappings: extra mapping value expression is empty",
        ),
        (
            "  claimValidationRules:\n  - {claim: hd, expression: 'claims.hd == \"x\"'}\n",
            "jwt[0].claimValidationRules[0]: Invalid value: \"hd\": claim and expression can't both be set",
            "TestValidateClaimValidationRules: claim and expression are set",
        ),
        (
            "  claimValidationRules:\n  - {}\n",
            "jwt[0].claimValidationRules[0]: Required value: claim or expression is required",
            "TestValidateClaimValidationRules: claim and expression are empty",
        ),
        (
            "  claimValidationRules:\n  - {claim: hd, message: m}\n",
            "jwt[0].claimValidationRules[0].message: Invalid value: \"m\": may not be specified when claim is set",
            "TestValidateClaimValidationRules: message set when claim is set",
        ),
        (
            "  claimValidationRules:\n  - {expression: 'claims.hd == \"x\"', requiredValue: v}\n",
            "jwt[0].claimValidationRules[0].requiredValue: Invalid value: \"v\": may not be specified when expression is set",
            "TestValidateClaimValidationRules: requiredValue set when expression is set",
        ),
        (
            "  claimValidationRules:\n  - {claim: hd}\n  - {claim: hd}\n",
            "jwt[0].claimValidationRules[1].claim: Duplicate value: \"hd\"",
            "TestValidateClaimValidationRules: duplicate claim",
        ),
        (
            "  claimValidationRules:\n  - {expression: 'claims.hd == \"x\"'}\n  - {expression: 'claims.hd == \"x\"'}\n",
            "jwt[0].claimValidationRules[1].expression: Duplicate value: \"claims.hd == \\\"x\\\"\"",
            "TestValidateClaimValidationRules: duplicate expression",
        ),
        (
            "  claimValidationRules:\n  - {expression: foo.bar}\n",
            "jwt[0].claimValidationRules[0].expression: Invalid value: \"foo.bar\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'foo' (in container '')\n | foo.bar\n | ^",
            "TestValidateClaimValidationRules: CEL expression compilation error",
        ),
        (
            "  claimValidationRules:\n  - {expression: claims.foo}\n",
            "jwt[0].claimValidationRules[0].expression: Invalid value: \"claims.foo\": must evaluate to bool",
            "TestValidateClaimValidationRules: expression does not evaluate to bool",
        ),
        (
            "  userValidationRules:\n  - {expression: \"\"}\n",
            "jwt[0].userValidationRules[0].expression: Required value",
            "TestValidateUserValidationRules: user info validation rule, expression is empty",
        ),
        (
            "  userValidationRules:\n  - {expression: \"user.username == 'a'\"}\n  - {expression: \"user.username == 'a'\"}\n",
            "jwt[0].userValidationRules[1].expression: Duplicate value",
            "TestValidateUserValidationRules: duplicate expression",
        ),
        (
            "  userValidationRules:\n  - {expression: \"claims.sub == 'a'\"}\n",
            "undeclared reference to 'claims'",
            "TestValidateUserValidationRules: user info validation rule, expression is invalid",
        ),
    ];
    for (tail, want, cites) in rows {
        let text = format!("{HEAD}{ISSUER}{}", tail);
        let text = if tail.contains("claimMappings") {
            text
        } else {
            format!("{text}{MAPPING}")
        };
        let e = load(&text, 37).unwrap_err();
        assert!(
            e.starts_with("invalid authentication configuration: ") && e.contains(want),
            "{cites}:\n got {e}\nwant {want}"
        );
    }
}

/// `issuer`: url, discoveryURL, audiences, audienceMatchPolicy, certificateAuthority,
/// egressSelectorType, and duplicates across authenticators.
#[test]
fn issuer_rules() {
    type Row = (&'static str, &'static str, &'static str);
    let i = |fields: &str| format!("{HEAD}jwt:\n- issuer:\n{fields}{MAPPING}");
    let rows: &[Row] = &[
        (
            "    url: http://idp.example.com\n    audiences: [k]\n",
            "jwt[0].issuer.url: Invalid value: \"http://idp.example.com\": URL scheme must be https",
            "TestValidateIssuerURL: url is not https",
        ),
        (
            "    url: https://u:p@idp.example.com\n    audiences: [k]\n",
            "URL must not contain a username or password",
            "TestValidateIssuerURL: url user info is not allowed",
        ),
        (
            "    url: https://idp.example.com?a=b\n    audiences: [k]\n",
            "URL must not contain a query",
            "TestValidateIssuerURL: url raw query is not allowed",
        ),
        (
            "    url: https://idp.example.com#f\n    audiences: [k]\n",
            "URL must not contain a fragment",
            "TestValidateIssuerURL: url fragment is not allowed",
        ),
        (
            "    url: \"\"\n    audiences: [k]\n",
            "jwt[0].issuer.url: Required value",
            "TestValidateIssuerURL: url is empty",
        ),
        (
            "    url: https://idp.example.com\n    discoveryURL: https://idp.example.com/\n    audiences: [k]\n",
            "jwt[0].issuer.discoveryURL: Invalid value: \"https://idp.example.com/\": discoveryURL must be different from URL",
            "TestValidateIssuerDiscoveryURL: discovery url same as issuer url, with trailing slash",
        ),
        (
            "    url: https://idp.example.com\n    audiences: []\n",
            "jwt[0].issuer.audiences: Required value: at least one jwt[0].issuer.audiences is required",
            "TestValidateAudiences: audiences is empty",
        ),
        (
            "    url: https://idp.example.com\n    audiences: [\"\"]\n",
            "jwt[0].issuer.audiences[0]: Required value",
            "TestValidateAudiences: at most one audiences is allowed / empty audience",
        ),
        (
            "    url: https://idp.example.com\n    audiences: [a, a]\n    audienceMatchPolicy: MatchAny\n",
            "jwt[0].issuer.audiences[1]: Duplicate value: \"a\"",
            "TestValidateAudiences: duplicate audience",
        ),
        (
            "    url: https://idp.example.com\n    audiences: [a, b]\n",
            "jwt[0].issuer.audienceMatchPolicy: Invalid value: \"\": audienceMatchPolicy must be MatchAny for multiple audiences",
            "TestValidateAudiences: multiple audiences set when audienceMatchPolicy is empty",
        ),
        (
            "    url: https://idp.example.com\n    audiences: [a]\n    audienceMatchPolicy: MatchOne\n",
            "jwt[0].issuer.audienceMatchPolicy: Invalid value: \"MatchOne\": audienceMatchPolicy must be empty or MatchAny for single audience",
            "TestValidateAudiences: invalid match policy with single audience",
        ),
        (
            "    url: https://idp.example.com\n    audiences: [a]\n    certificateAuthority: /etc/ca.pem\n",
            "jwt[0].issuer.certificateAuthority: Invalid value: \"<omitted>\": data does not contain any valid RSA or ECDSA certificates",
            "TestValidateCertificateAuthority: invalid certificate authority",
        ),
        (
            "    url: https://idp.example.com\n    audiences: [a]\n    egressSelectorType: etcd\n",
            "jwt[0].issuer.egressSelectorType: Invalid value: \"etcd\": egress selector must be either controlplane or cluster",
            "TestValidateEgressSelector: invalid egress selector",
        ),
    ];
    for (fields, want, cites) in rows {
        let e = load(&i(fields), 37).unwrap_err();
        assert!(e.contains(want), "{cites}:\n got {e}\nwant {want}");
    }
    for ok in ["controlplane", "cluster"] {
        let f = format!(
            "    url: https://idp.example.com\n    audiences: [a]\n    egressSelectorType: {ok}\n"
        );
        assert_eq!(load(&i(&f), 37), Ok(()), "{ok}");
    }
    // TestValidateIssuerURL: the URL is one of the API server's --service-account-issuer.
    let sa = vec![
        "https://kubernetes.default.svc".to_owned(),
        "https://idp.example.com".to_owned(),
    ];
    let e = from_authentication_config(
        &format!("{HEAD}{ISSUER}{MAPPING}"),
        KubeVersion::NEWEST,
        &sa,
    )
    .unwrap_err()
    .message;
    // At start the API server validates the configuration without its service-account
    // issuers and finds the overlap as it builds the authenticator (oidc.New), with a path
    // relative to it (the oracle, issue 29: this test expected validation's jwt[0] path).
    assert_eq!(
        e,
        "issuer.url: Invalid value: \"https://idp.example.com\": URL must not overlap with disallowed issuers: [https://idp.example.com https://kubernetes.default.svc]"
    );
    let mut flags = ApiserverFlags {
        issuer_url: Some("https://idp.example.com".into()),
        client_id: Some("kubernetes".into()),
        ..Default::default()
    };
    assert!(flags.set("service-account-issuer", "https://idp.example.com"));
    assert!(
        from_flags(&flags, KubeVersion::NEWEST)
            .unwrap_err()
            .message
            .contains("URL must not overlap with disallowed issuers")
    );
    // TestValidateAuthenticationConfiguration: duplicate issuer / discoveryURL across jwt[*].
    let two = format!(
        "{HEAD}{ISSUER}{MAPPING}- issuer:\n    url: https://idp.example.com\n    audiences: [other]\n{MAPPING}"
    );
    assert!(
        load(&two, 37)
            .unwrap_err()
            .contains("jwt[1].issuer.url: Duplicate value: \"https://idp.example.com\"")
    );
    // Several errors: the API server lists them all, in its order, as ToAggregate does.
    let many = i("    url: http://idp.example.com\n    audiences: [a, b]\n");
    let e = load(&many, 37).unwrap_err();
    assert!(
        e.starts_with("invalid authentication configuration: [jwt[0].issuer.url: "),
        "{e}"
    );
    assert!(e.contains(", jwt[0].issuer.audienceMatchPolicy: "), "{e}");
}

/// spec §3.1: what each release knows (its strict decoder, its limits, its CEL libraries).
#[test]
fn releases() {
    let egress = format!("{HEAD}jwt:\n- issuer:\n    url: https://idp.example.com\n    audiences: [a]\n    egressSelectorType: cluster\n{MAPPING}")
        .replace("config.k8s.io/v1\n", "config.k8s.io/v1beta1\n");
    assert_eq!(load(&egress, 34), Ok(()));
    assert!(
        load(&egress, 33)
            .unwrap_err()
            .contains("strict decoding error: unknown field \"jwt[0].issuer.egressSelectorType\"")
    );
    let v1 = format!("{HEAD}{ISSUER}{MAPPING}");
    assert!(load(&v1, 33).unwrap_err().contains("no kind \"AuthenticationConfiguration\" is registered for version \"apiserver.config.k8s.io/v1\""));
    let beta = v1.replace("config.k8s.io/v1\n", "config.k8s.io/v1beta1\n");
    assert_eq!(load(&beta, 30), Ok(()));
    let two = beta.clone()
        + "- issuer:\n    url: https://other.example.com\n    audiences: [a]\n"
        + MAPPING;
    let alpha = two.replace("v1beta1", "v1alpha1");
    assert!(
        load(&alpha, 29)
            .unwrap_err()
            .contains("jwt: Too many: 2: must have at most 1 items")
    );
    assert_eq!(load(&alpha, 30), Ok(()));
    // The email_verified rule came with 1.30.
    let email = beta
        .replace(
            MAPPING,
            "  claimMappings:\n    username: {expression: claims.email}\n",
        )
        .replace("v1beta1", "v1alpha1");
    assert_eq!(load(&email, 29), Ok(()));
    assert!(load(&email, 30).is_err());
    // The sets library: the "nuanced audience validation" rule of oidc_test.go.
    let sets = format!(
        "{v1}  claimValidationRules:\n  - expression: \"sets.equivalent(claims.aud, ['a', 'b'])\"\n"
    );
    assert_eq!(load(&sets, 37), Ok(()));
}

/// spec §2.3: the flags are translated to one authenticator and validated by the same rules
/// (`ToAuthenticationConfig`), so an http issuer stops the API server.
#[test]
fn flags_are_validated_as_a_configuration() {
    let f = ApiserverFlags {
        issuer_url: Some("http://idp.example.com".into()),
        client_id: Some("kubernetes".into()),
        ..Default::default()
    };
    let e = from_flags(&f, KubeVersion::NEWEST).unwrap_err();
    assert_eq!(
        e.message,
        "invalid authentication configuration: jwt[0].issuer.url: Invalid value: \"http://idp.example.com\": URL scheme must be https"
    );
    // What the flags mean is kept for a preview.
    assert_eq!(e.partial.len(), 1);
    assert_eq!(e.partial[0].style, Style::Flags);
}

/// `validation.go` `hasSelectExp`: `claims.email` and `claims.?email` count, an index does not.
#[test]
fn claim_selection() {
    assert!(selects_claim("claims.email", "email"));
    assert!(!selects_claim("claims.email_verified", "email"));
    assert!(selects_claim(
        "claims.?email_verified.orValue(true)",
        "email_verified"
    ));
    assert!(!selects_claim("claims[\"email\"] + ':x'", "email"));
    assert!(!selects_claim("claims.emails", "email"));
    assert!(selects_claim(
        "claims.groups.exists(g, claims.email == g)",
        "email"
    ));
}
