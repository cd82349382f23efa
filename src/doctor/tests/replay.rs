//! spec §1, §2.1, §7: the replay, check by check, in the API server's order and texts.

use super::serde_json::{Json, json};
use super::*;

/// spec §7, the worked mapping examples, row by row.
#[test]
fn section_7_worked_examples() {
    let t = token(section7());
    check(
        "defaults",
        &t,
        flags(&[]),
        Ok(("https://idp.example.com#1234", &["system:authenticated"])),
    );
    check(
        "email",
        &t,
        flags(&["--oidc-username-claim=email"]),
        Ok(("Alice@Example.com", &["system:authenticated"])),
    );
    check(
        "email+prefix",
        &t,
        flags(&[
            "--oidc-username-claim=email",
            "--oidc-username-prefix=oidc:",
        ]),
        Ok(("oidc:Alice@Example.com", &["system:authenticated"])),
    );
    check(
        "groups+prefix",
        &t,
        flags(&[
            "--oidc-username-claim=email",
            "--oidc-groups-claim=groups",
            "--oidc-groups-prefix=oidc:",
        ]),
        Ok((
            "Alice@Example.com",
            &["oidc:dev", "oidc:ops", "system:authenticated"],
        )),
    );
    check(
        "structured",
        &t,
        structured(
            "  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n    groups: {claim: groups, prefix: \"\"}\n",
        ),
        Ok(("1234", &["dev", "ops", "system:authenticated"])),
    );
    let unverified = token(json!({"email": "a@b.c", "email_verified": false}));
    check(
        "email_verified false",
        &unverified,
        flags(&["--oidc-username-claim=email"]),
        Err("oidc: email not verified"),
    );
    let one = token(json!({"groups": "dev"}));
    check(
        "string group",
        &one,
        flags(&["--oidc-groups-claim=groups", "--oidc-username-prefix=-"]),
        Ok(("1234", &["dev", "system:authenticated"])),
    );
    let objects = token(json!({"groups": [{"name": "dev"}]}));
    check(
        "object groups",
        &objects,
        flags(&["--oidc-groups-claim=groups"]),
        Err(
            "oidc: parse groups claim \"groups\": json: cannot unmarshal array into Go value of type string",
        ),
    );
}

/// The docs' CEL example (spec §7, "Valid token" tab), as the API server 1.37 runs it: its
/// groups expression `claims.roles.split(",")` yields a list of Go strings, which the
/// conversion of a mapping's result refuses (the oracle, issue 29: this test expected the
/// docs' user); a list built anew (`.map(r, r)`) is taken.
#[test]
fn docs_cel_example() {
    let t = token(
        json!({"roles": "user,admin", "sub": "auth", "tenant": "72f988bf", "username": "foo"}),
    );
    let docs = structured(
        "  claimMappings:\n    username:\n      expression: 'claims.username + \":external-user\"'\n    groups:\n      expression: 'claims.roles.split(\",\")'\n",
    );
    assert_eq!(
        run(&t, &[docs]).error(),
        Some(
            "oidc: error evaluating group claim expression: expression must return a string or a list of strings"
        )
    );
    docs_cel_example_rebuilt(&t);
}

fn docs_cel_example_rebuilt(t: &Token) {
    let a = structured(
        "  claimMappings:\n    username:\n      expression: 'claims.username + \":external-user\"'\n    groups:\n      expression: 'claims.roles.split(\",\").map(r, r)'\n    uid:\n      expression: 'claims.sub'\n    extra:\n    - key: example.com/tenant\n      valueExpression: claims.tenant\n",
    );
    let u = run(t, &[a]).user.unwrap();
    assert_eq!(u.username, "foo:external-user");
    assert_eq!(u.uid, "auth");
    assert_eq!(u.groups, ["user", "admin", "system:authenticated"]);
    assert_eq!(u.extra["example.com/tenant"], ["72f988bf"]);
}

/// spec §1.1-§1.6: each check, its error text, and its place in the order.
#[test]
fn checks_in_order_with_the_api_servers_texts() {
    type Case = (
        &'static str,
        Json,
        Vec<&'static str>,
        Result<&'static str, &'static str>,
    );
    let cases: Vec<Case> = vec![
        (
            "issuer abstains",
            json!({"iss": "https://idp.example.com/"}),
            vec![],
            Err("invalid bearer token"),
        ),
        (
            "google quirk",
            json!({"iss": "accounts.google.com"}),
            vec!["--oidc-issuer-url=https://accounts.google.com"],
            Ok("https://accounts.google.com#1234"),
        ),
        (
            "aud",
            json!({"aud": ["headlamp"]}),
            vec![],
            Err("oidc: verify token: oidc: expected audience \"kubernetes\" got [\"headlamp\"]"),
        ),
        (
            "aud array contains",
            json!({"aud": ["other", "kubernetes"]}),
            vec![],
            Ok("https://idp.example.com#1234"),
        ),
        (
            "expired, no leeway",
            json!({"exp": NOW - 1}),
            vec![],
            Err(
                "oidc: verify token: oidc: token is expired (Token Expiry: 2027-01-15 07:59:59 +0000 UTC)",
            ),
        ),
        (
            "exp == now is fine",
            json!({"exp": NOW}),
            vec![],
            Ok("https://idp.example.com#1234"),
        ),
        (
            "missing exp is expired",
            json!({"-exp": null}),
            vec![],
            Err(
                "oidc: verify token: oidc: token is expired (Token Expiry: 0001-01-01 00:00:00 +0000 UTC)",
            ),
        ),
        (
            "float exp",
            json!({"exp": (NOW + 5) as f64 + 0.9}),
            vec![],
            Ok("https://idp.example.com#1234"),
        ),
        (
            "nbf within a minute",
            json!({"nbf": NOW + 60}),
            vec![],
            Ok("https://idp.example.com#1234"),
        ),
        (
            "nbf beyond a minute",
            json!({"nbf": NOW + 61}),
            vec![],
            Err(
                "oidc: verify token: oidc: current time 2027-01-15 08:00:00 +0000 UTC before the nbf (not before) time: 2027-01-15 08:01:01 +0000 UTC",
            ),
        ),
        (
            "iat ignored",
            json!({"iat": NOW + 9999}),
            vec![],
            Ok("https://idp.example.com#1234"),
        ),
        (
            "expired beats aud? no: aud first",
            json!({"aud": "x", "exp": NOW - 5}),
            vec![],
            Err("oidc: verify token: oidc: expected audience \"kubernetes\" got [\"x\"]"),
        ),
        (
            "required claim absent",
            json!({}),
            vec!["--oidc-required-claim=hd=example.com"],
            Err("oidc: required claim hd not present in ID token"),
        ),
        (
            "required claim differs",
            json!({"hd": "evil.com"}),
            vec!["--oidc-required-claim=hd=example.com"],
            Err("oidc: required claim hd value does not match. Got = evil.com, want = example.com"),
        ),
        (
            "required claim not a string",
            json!({"hd": true}),
            vec!["--oidc-required-claim=hd=true"],
            Err("oidc: parse claim hd: json: cannot unmarshal bool into Go value of type string"),
        ),
        (
            "username claim absent",
            json!({}),
            vec!["--oidc-username-claim=email"],
            Err("oidc: parse username claims \"email\": claim not present"),
        ),
        (
            "username claim not a string",
            json!({"uid": 5}),
            vec!["--oidc-username-claim=uid"],
            Err(
                "oidc: parse username claims \"uid\": json: cannot unmarshal number into Go value of type string",
            ),
        ),
        (
            "email_verified string",
            json!({"email": "a@b", "email_verified": "true"}),
            vec!["--oidc-username-claim=email"],
            Err(
                "oidc: parse 'email_verified' claim: json: cannot unmarshal string into Go value of type bool",
            ),
        ),
        (
            "email_verified absent is fine",
            json!({"email": "a@b"}),
            vec!["--oidc-username-claim=email"],
            Ok("a@b"),
        ),
        (
            "email_verified only for email",
            json!({"upn": "a@b", "email_verified": false}),
            vec!["--oidc-username-claim=upn", "--oidc-username-prefix=-"],
            Ok("a@b"),
        ),
        (
            "username error before required claim",
            json!({}),
            vec!["--oidc-username-claim=email", "--oidc-required-claim=hd=x"],
            Err("oidc: parse username claims \"email\": claim not present"),
        ),
        (
            "groups number",
            json!({"groups": 5}),
            vec!["--oidc-groups-claim=groups"],
            Err(
                "oidc: parse groups claim \"groups\": json: cannot unmarshal number into Go value of type string",
            ),
        ),
    ];
    for (label, claims, args, want) in cases {
        let r = run(&token(claims), &[flags(&args)]);
        match want {
            Ok(user) => {
                assert_eq!(r.error(), None, "{label}");
                assert_eq!(r.user.unwrap().username, user, "{label}");
            }
            Err(e) => assert_eq!(r.error(), Some(e), "{label}"),
        }
    }
}

#[test]
fn algorithms_signature_and_discovery() {
    let mut t = token(json!({}));
    t.header.insert("alg".into(), json!("ES256"));
    assert_eq!(
        run(&t, &[flags(&[])]).error(),
        Some(
            "oidc: verify token: oidc: id token signed with unsupported algorithm, expected [\"RS256\"] got \"ES256\""
        )
    );
    assert_eq!(
        run(&t, &[flags(&["--oidc-signing-algs=RS256,ES256"])]).error(),
        None
    );
    // Structured configuration accepts all nine.
    assert_eq!(
        run(
            &t,
            &[structured(
                "  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n"
            )]
        )
        .error(),
        None
    );
    let t = token(json!({}));
    let bad = replay(
        &t,
        &[flags(&[])],
        &Discovery::Ok,
        &Signature::Invalid("x".into()),
        NOW,
    );
    assert_eq!(
        bad.error(),
        Some("oidc: verify token: failed to verify signature: failed to verify id token signature")
    );
    // Expired with a bad signature is reported as a bad signature: go-oidc's Verify checks the
    // signature before it decodes the claims (the oracle, issue 29: spec §1.3's note and
    // this test had it the other way round).
    let expired = token(json!({"exp": NOW - 1}));
    let r = replay(
        &expired,
        &[flags(&[])],
        &Discovery::Ok,
        &Signature::Invalid("x".into()),
        NOW,
    );
    assert!(
        r.error().unwrap().contains("failed to verify signature"),
        "{:?}",
        r.error()
    );
    // Offline: an unchecked signature is not a refusal.
    let r = replay(
        &t,
        &[flags(&[])],
        &Discovery::Skipped,
        &Signature::Unchecked("--offline".into()),
        NOW,
    );
    assert!(r.authenticated() && r.signature_unchecked.is_some());
    let r = replay(
        &t,
        &[flags(&[])],
        &Discovery::IssuerMismatch("https://idp.example.com/".into()),
        &Signature::Verified,
        NOW,
    );
    assert_eq!(r.error(), Some("oidc: authenticator not initialized"));
}

#[test]
fn structured_rules_and_multiple_audiences() {
    let t = token(json!({"hd": "example.com", "groups": ["system:masters"]}));
    let rules = "  claimValidationRules:\n  - expression: 'claims.hd == \"corp.com\"'\n    message: wrong domain\n  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n";
    assert_eq!(
        run(&t, &[structured(rules)]).error(),
        Some(
            "oidc: error evaluating claim validation expression: validation expression 'claims.hd == \"corp.com\"' failed: wrong domain"
        )
    );
    let user_rule = "  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n    groups: {claim: groups, prefix: \"\"}\n  userValidationRules:\n  - expression: \"!user.groups.exists(g, g.startsWith('system:'))\"\n    message: no system groups\n";
    assert!(
        run(&t, &[structured(user_rule)])
            .error()
            .unwrap()
            .ends_with("failed: no system groups")
    );
    let cel_error = "  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n    groups: {expression: 'claims.roles'}\n";
    assert!(run(&t, &[structured(cel_error)]).error().unwrap().starts_with("oidc: error evaluating group claim expression: expression 'claims.roles' resulted in error"));
    let empty = "  claimMappings:\n    username: {expression: 'claims.?nick.orValue(\"\")'}\n";
    assert_eq!(
        run(&t, &[structured(empty)]).error(),
        Some("oidc: empty username via CEL expression is not allowed")
    );
    let multi = format!(
        "apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: {ISS}\n    audiences: [a, b]\n    audienceMatchPolicy: MatchAny\n  claimMappings:\n    username: {{claim: sub, prefix: \"\"}}\n"
    );
    let a = from_authentication_config(&multi, KubeVersion::NEWEST, &[]).unwrap();
    assert_eq!(
        run(&t, &a).error(),
        Some("oidc: verify token: oidc: expected audience in [\"a\" \"b\"] got [\"kubernetes\"]")
    );
    let jti = token(json!({"jti": "abc"}));
    let u = run(&jti, &[flags(&[])]).user.unwrap();
    assert_eq!(
        u.extra["authentication.kubernetes.io/credential-id"],
        ["JTI=abc"]
    );
}
