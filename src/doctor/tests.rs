//! Table tests for the replay, built from the spec (kubernetes-oidc.md §1, §2.1, §6, §7).

use serde_json::{Json, json};

use super::authn::{Discovery, Replay, Signature, Token, replay};
use super::config::{ApiserverFlags, Authenticator, from_authentication_config, from_flags};
use super::diagnose::{Inputs, dex_sub, diagnose};
use super::rbac::analyze;

mod serde_json {
    pub use ::serde_json::{Value as Json, json};
}

const NOW: i64 = 1_800_000_000;
const ISS: &str = "https://idp.example.com";

fn token(claims: Json) -> Token {
    let mut base =
        json!({"iss": ISS, "aud": "kubernetes", "sub": "1234", "exp": NOW + 600, "iat": NOW - 10});
    for (k, v) in claims.as_object().unwrap() {
        if v.is_null() && k.starts_with('-') {
            base.as_object_mut().unwrap().remove(&k[1..]);
        } else {
            base[k] = v.clone();
        }
    }
    Token {
        header: json!({"alg": "RS256", "kid": "k1", "typ": "JWT"})
            .as_object()
            .unwrap()
            .clone(),
        claims: base.as_object().unwrap().clone(),
    }
}

/// The §7 payload.
fn section7() -> Json {
    json!({"email": "Alice@Example.com", "email_verified": true, "groups": ["dev", "ops"]})
}

fn flags(args: &[&str]) -> Authenticator {
    let mut f = ApiserverFlags {
        issuer_url: Some(ISS.into()),
        client_id: Some("kubernetes".into()),
        ..Default::default()
    };
    for a in args {
        let (k, v) = a.trim_start_matches("--").split_once('=').unwrap();
        assert!(f.set(k, v), "{k}");
    }
    from_flags(&f).unwrap()
}

fn structured(mappings: &str) -> Authenticator {
    let text = format!(
        "apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: {ISS}\n    audiences: [kubernetes]\n{mappings}"
    );
    from_authentication_config(&text).unwrap().remove(0)
}

fn run(t: &Token, a: &[Authenticator]) -> Replay {
    replay(t, a, &Discovery::Ok, &Signature::Verified, NOW)
}

/// Expected outcome: Ok((username, groups after the adder)) or Err(API server error).
type Want = Result<(&'static str, &'static [&'static str]), &'static str>;

fn check(label: &str, t: &Token, a: Authenticator, want: Want) {
    let r = run(t, &[a]);
    match want {
        Ok((user, groups)) => {
            assert_eq!(r.error, None, "{label}");
            let u = r.user.unwrap();
            assert_eq!(
                (
                    u.username.as_str(),
                    u.groups.iter().map(String::as_str).collect::<Vec<_>>()
                ),
                (user, groups.to_vec()),
                "{label}"
            );
        }
        Err(e) => assert_eq!(r.error.as_deref(), Some(e), "{label}"),
    }
}

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

/// The docs' CEL example (spec §7, "Valid token" tab).
#[test]
fn docs_cel_example() {
    let t = token(
        json!({"roles": "user,admin", "sub": "auth", "tenant": "72f988bf", "username": "foo"}),
    );
    let a = structured(
        "  claimMappings:\n    username:\n      expression: 'claims.username + \":external-user\"'\n    groups:\n      expression: 'claims.roles.split(\",\")'\n    uid:\n      expression: 'claims.sub'\n    extra:\n    - key: example.com/tenant\n      valueExpression: claims.tenant\n",
    );
    let u = run(&t, &[a]).user.unwrap();
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
                assert_eq!(r.error, None, "{label}");
                assert_eq!(r.user.unwrap().username, user, "{label}");
            }
            Err(e) => assert_eq!(r.error.as_deref(), Some(e), "{label}"),
        }
    }
}

#[test]
fn algorithms_signature_and_discovery() {
    let mut t = token(json!({}));
    t.header.insert("alg".into(), json!("ES256"));
    assert_eq!(
        run(&t, &[flags(&[])]).error.as_deref(),
        Some(
            "oidc: verify token: oidc: id token signed with unsupported algorithm, expected [\"RS256\"] got \"ES256\""
        )
    );
    assert_eq!(
        run(&t, &[flags(&["--oidc-signing-algs=RS256,ES256"])]).error,
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
        .error,
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
        bad.error.as_deref(),
        Some("oidc: verify token: failed to verify signature: failed to verify id token signature")
    );
    // Expired with a bad signature is reported as expired (spec §1.3 note).
    let expired = token(json!({"exp": NOW - 1}));
    let r = replay(
        &expired,
        &[flags(&[])],
        &Discovery::Ok,
        &Signature::Invalid("x".into()),
        NOW,
    );
    assert!(r.error.unwrap().contains("token is expired"));
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
    assert_eq!(
        r.error.as_deref(),
        Some("oidc: authenticator not initialized")
    );
}

#[test]
fn structured_rules_and_multiple_audiences() {
    let t = token(json!({"hd": "example.com", "groups": ["system:masters"]}));
    let rules = "  claimValidationRules:\n  - expression: 'claims.hd == \"corp.com\"'\n    message: wrong domain\n  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n";
    assert_eq!(
        run(&t, &[structured(rules)]).error.as_deref(),
        Some(
            "oidc: error evaluating claim validation expression: validation expression 'claims.hd == \"corp.com\"' failed: wrong domain"
        )
    );
    let user_rule = "  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n    groups: {claim: groups, prefix: \"\"}\n  userValidationRules:\n  - expression: \"!user.groups.exists(g, g.startsWith('system:'))\"\n    message: no system groups\n";
    assert!(
        run(&t, &[structured(user_rule)])
            .error
            .unwrap()
            .ends_with("failed: no system groups")
    );
    let cel_error = "  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n    groups: {expression: 'claims.roles'}\n";
    assert!(run(&t, &[structured(cel_error)]).error.unwrap().starts_with("oidc: error evaluating group claim expression: expression 'claims.roles' resulted in error"));
    let empty = "  claimMappings:\n    username: {expression: 'claims.?nick.orValue(\"\")'}\n";
    assert_eq!(
        run(&t, &[structured(empty)]).error.as_deref(),
        Some("oidc: empty username via CEL expression is not allowed")
    );
    let multi = format!(
        "apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: {ISS}\n    audiences: [a, b]\n    audienceMatchPolicy: MatchAny\n  claimMappings:\n    username: {{claim: sub, prefix: \"\"}}\n"
    );
    let a = from_authentication_config(&multi).unwrap();
    assert_eq!(
        run(&t, &a).error.as_deref(),
        Some("oidc: verify token: oidc: expected audience in [\"a\" \"b\"] got [\"kubernetes\"]")
    );
    let jti = token(json!({"jti": "abc"}));
    let u = run(&jti, &[flags(&[])]).user.unwrap();
    assert_eq!(
        u.extra["authentication.kubernetes.io/credential-id"],
        ["JTI=abc"]
    );
}

fn finding_ids(t: &Token, a: &[Authenticator]) -> Vec<&'static str> {
    let r = run(t, a);
    diagnose(&Inputs {
        token: t,
        authenticators: a,
        discovery: &Discovery::Ok,
        signature: &Signature::Verified,
        replay: &r,
        now: NOW,
    })
    .iter()
    .map(|f| {
        let known = super::findings::CATALOG.iter().any(|(id, _)| *id == f.id);
        assert!(known, "{} is not in the catalog", f.id);
        f.id
    })
    .collect()
}

/// spec §6: the catalog rows detectable from a token and a configuration.
#[test]
fn catalog_findings() {
    let cases: Vec<(&str, Json, Vec<&str>, &str)> = vec![
        ("row 1", json!({}), vec![], "default-username-prefix"),
        (
            "row 4",
            json!({"email": "a@b", "email_verified": false}),
            vec!["--oidc-username-claim=email"],
            "email-not-verified",
        ),
        (
            "row 5",
            json!({}),
            vec!["--oidc-groups-claim=groups"],
            "groups-claim-missing",
        ),
        (
            "row 6 string",
            json!({"groups": "a,b"}),
            vec!["--oidc-groups-claim=groups"],
            "groups-claim-shape",
        ),
        (
            "row 6 objects",
            json!({"groups": [1]}),
            vec!["--oidc-groups-claim=groups"],
            "groups-claim-shape",
        ),
        (
            "row 7",
            json!({"groups": ["/admins"]}),
            vec!["--oidc-groups-claim=groups"],
            "group-name-form",
        ),
        (
            "row 8",
            json!({"aud": "headlamp"}),
            vec![],
            "audience-mismatch",
        ),
        (
            "row 9",
            json!({"token_use": "access", "-aud": null, "client_id": "x"}),
            vec![],
            "access-token",
        ),
        (
            "row 10",
            json!({"iss": "https://idp.example.com/"}),
            vec![],
            "issuer-mismatch",
        ),
        (
            "row 12",
            json!({"_claim_names": {"groups": "src1"}, "_claim_sources": {"src1": {"endpoint": "https://graph.microsoft.com/v1.0/users/x/getMemberObjects"}}}),
            vec!["--oidc-groups-claim=groups"],
            "azure-group-overage",
        ),
        (
            "row 15",
            json!({"sub": "CgVhbGljZRIGZ2l0aHVi"}),
            vec![],
            "dex-encoded-sub",
        ),
        ("row 17", json!({"exp": NOW - 30}), vec![], "token-expired"),
        (
            "row 20",
            json!({}),
            vec!["--oidc-required-claim=hd=x"],
            "required-claim",
        ),
        (
            "row 22",
            json!({"groups": ["system:masters"]}),
            vec!["--oidc-groups-claim=groups"],
            "system-prefix",
        ),
    ];
    for (label, claims, args, want) in cases {
        let ids = finding_ids(&token(claims), &[flags(&args)]);
        assert!(ids.contains(&want), "{label}: {ids:?}");
    }
    // row 13 (Cognito) and row 23 (not configured).
    let cognito = token(
        json!({"iss": "https://cognito-idp.eu-west-1.amazonaws.com/pool", "cognito:groups": ["a"]}),
    );
    let a = flags(&[
        "--oidc-issuer-url=https://cognito-idp.eu-west-1.amazonaws.com/pool",
        "--oidc-groups-claim=groups",
    ]);
    assert!(finding_ids(&cognito, &[a]).contains(&"cognito-groups"));
    assert!(finding_ids(&token(json!({})), &[]).contains(&"oidc-not-configured"));
    // row 24: an http issuer.
    let http = token(json!({"iss": "http://idp"}));
    assert!(
        finding_ids(&http, &[flags(&["--oidc-issuer-url=http://idp"])]).contains(&"http-issuer")
    );
}

#[test]
fn dex_subjects() {
    assert_eq!(
        dex_sub("CgVhbGljZRIGZ2l0aHVi"),
        Some(("alice".into(), "github".into()))
    );
    assert_eq!(dex_sub("1234"), None);
    assert_eq!(dex_sub("alice"), None);
}

/// spec §5.1: exact string matches, and the near misses with their fixes.
#[test]
fn rbac_near_misses() {
    let t = token(section7());
    let user = run(
        &t,
        &[flags(&[
            "--oidc-groups-claim=groups",
            "--oidc-groups-prefix=oidc:",
        ])],
    )
    .user
    .unwrap();
    let prefixes = vec!["https://idp.example.com#".to_owned(), "oidc:".to_owned()];
    let crb = |name: &str, kind: &str, subject: &str| json!({"kind": "ClusterRoleBinding", "metadata": {"name": name}, "roleRef": {"kind": "ClusterRole", "name": "view"}, "subjects": [{"kind": kind, "name": subject}]});
    let bindings = vec![
        crb("exact", "User", "https://idp.example.com#1234"),
        crb("bare", "User", "1234"),
        crb("email", "User", "alice@example.com"),
        crb("group", "Group", "dev"),
        crb("kind", "User", "oidc:ops"),
        crb("unrelated", "User", "bob"),
        json!({"kind": "RoleBinding", "metadata": {"name": "ns", "namespace": "dev"}, "roleRef": {"kind": "Role", "name": "edit"}, "subjects": [{"kind": "Group", "name": "/oidc:dev"}]}),
    ];
    let m = analyze(&bindings, &user, &t.claims, &prefixes);
    let by = |b: &str| {
        m.iter()
            .find(|x| x.binding.ends_with(b))
            .unwrap_or_else(|| panic!("{b}: {m:?}"))
    };
    assert_eq!(by("/exact").near_miss, None);
    assert!(
        by("/bare")
            .near_miss
            .as_ref()
            .unwrap()
            .contains("lacks the username prefix")
    );
    assert_eq!(
        by("/bare").fix.as_deref(),
        Some(
            "kubectl create clusterrolebinding bare-oidc --clusterrole=view --user='https://idp.example.com#1234'"
        )
    );
    assert!(
        by("/email")
            .near_miss
            .as_ref()
            .unwrap()
            .contains("email claim")
    );
    assert!(
        by("/group")
            .near_miss
            .as_ref()
            .unwrap()
            .contains("lacks the groups prefix")
    );
    assert_eq!(
        by("/group").fix.as_deref(),
        Some("kubectl create clusterrolebinding group-oidc --clusterrole=view --group=oidc:dev")
    );
    assert!(
        by("/kind")
            .near_miss
            .as_ref()
            .unwrap()
            .contains("needs kind Group")
    );
    assert!(
        by("dev/ns")
            .near_miss
            .as_ref()
            .unwrap()
            .contains("leading /")
    );
    assert_eq!(
        by("dev/ns").fix.as_deref(),
        Some("kubectl create rolebinding ns-oidc -n dev --role=edit --group=oidc:dev")
    );
    assert!(!m.iter().any(|x| x.binding.ends_with("/unrelated")));
}

fn report_for(t: &Token, a: &[Authenticator]) -> super::report::Report {
    let r = run(t, a);
    super::report::Report {
        authenticated: r.authenticated(),
        user: r.authenticated().then(|| r.user.clone()).flatten(),
        findings: Vec::new(),
        header: t.header.clone(),
        claims: t.claims.clone(),
        error: r.error.clone(),
        source: "argument".into(),
        config: "flags".into(),
        cluster: None,
        token: None,
        now: NOW,
    }
}

/// The JSON document the issue specifies, and text that is safe on a terminal.
#[test]
fn report_json_and_text() {
    let refused = token(json!({"aud": "headlamp", "name": "evil\u{1b}[2J"}));
    let rep = report_for(&refused, &[flags(&[])]);
    let doc: Json = ::serde_json::to_value(&rep).unwrap();
    for key in ["authenticated", "user", "findings", "header", "claims"] {
        assert!(doc.get(key).is_some(), "{key} missing: {doc}");
    }
    assert_eq!(doc["authenticated"], false);
    assert!(doc["user"].is_null());
    assert!(!rep.ok());
    let text = super::report::render_text(&rep, false);
    assert!(text.contains("REFUSED: 401 Unauthorized"), "{text}");
    assert!(
        text.contains("err=\"[invalid bearer token, oidc: verify token: oidc: expected audience"),
        "{text}"
    );
    assert!(
        !text.contains('\u{1b}'),
        "a claim's escape sequence reached the terminal"
    );
    assert!(
        text.contains(
            "exp                1800000600  (number) = 2027-01-15 08:10:00 UTC, in 10m 0s"
        ),
        "{text}"
    );

    let ok = report_for(&token(json!({})), &[flags(&[])]);
    assert!(ok.ok());
    let text = super::report::render_text(&ok, true);
    assert!(text.contains("\u{1b}[1;32mAUTHENTICATED:\u{1b}[0m"));
    assert!(text.contains("username: https://idp.example.com#1234"));
}
