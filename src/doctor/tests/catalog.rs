//! spec §6: the catalog of findings.

use super::serde_json::{Json, json};
use super::*;
use crate::doctor::authn::{Discovery, Signature, Token, UserInfo, config_refusal, replay};
use crate::doctor::cluster;
use crate::doctor::config::Authenticator;
use crate::doctor::diagnose::{Inputs, dex_sub, diagnose};
use crate::doctor::findings::{Finding, FindingId as Id};
use crate::doctor::rbac::analyze;
use crate::doctor::report::Report;
use crate::kubeconfig::{Context, Exec};

fn diagnosed(
    t: &Token,
    a: &[Authenticator],
    discovery: &Discovery,
    signature: &Signature,
) -> Vec<Finding> {
    let r = replay(t, a, discovery, signature, NOW);
    diagnose(&Inputs {
        token: t,
        authenticators: a,
        discovery,
        signature,
        replay: &r,
        now: NOW,
    })
}

fn finding_ids(t: &Token, a: &[Authenticator]) -> Vec<Id> {
    ids(&diagnosed(t, a, &Discovery::Ok, &Signature::Verified))
}

fn ids(findings: &[Finding]) -> Vec<Id> {
    findings.iter().map(|f| f.id).collect()
}

/// A scenario: what it is, and the findings it produces.
type Scenario = (&'static str, Vec<Finding>);

/// spec §6 rows detectable from a token and a configuration, with the id each must produce.
fn token_scenarios() -> Vec<(&'static str, Json, Vec<&'static str>, Id)> {
    vec![
        ("row 1", json!({}), vec![], Id::DefaultUsernamePrefix),
        (
            "row 4",
            json!({"email": "a@b", "email_verified": false}),
            vec!["--oidc-username-claim=email"],
            Id::EmailNotVerified,
        ),
        (
            "row 5",
            json!({}),
            vec!["--oidc-groups-claim=groups"],
            Id::GroupsClaimMissing,
        ),
        (
            "row 6 string",
            json!({"groups": "a,b"}),
            vec!["--oidc-groups-claim=groups"],
            Id::GroupsClaimShape,
        ),
        (
            "row 6 objects",
            json!({"groups": [1]}),
            vec!["--oidc-groups-claim=groups"],
            Id::GroupsClaimShape,
        ),
        (
            "row 7",
            json!({"groups": ["/admins"]}),
            vec!["--oidc-groups-claim=groups"],
            Id::GroupNameForm,
        ),
        (
            "row 8",
            json!({"aud": "headlamp"}),
            vec![],
            Id::AudienceMismatch,
        ),
        (
            "row 9",
            json!({"token_use": "access", "-aud": null, "client_id": "x"}),
            vec![],
            Id::AccessToken,
        ),
        (
            "row 10",
            json!({"iss": "https://idp.example.com/"}),
            vec![],
            Id::IssuerMismatch,
        ),
        (
            "row 11",
            json!({"iss": "https://sts.windows.net/tenant/"}),
            vec!["--oidc-issuer-url=https://sts.windows.net/tenant/"],
            Id::AzureIssuerVersion,
        ),
        (
            "row 12",
            json!({"_claim_names": {"groups": "src1"}, "_claim_sources": {"src1": {"endpoint": "https://graph.microsoft.com/v1.0/users/x/getMemberObjects"}}}),
            vec!["--oidc-groups-claim=groups"],
            Id::AzureGroupOverage,
        ),
        (
            "row 13",
            json!({"iss": "https://cognito-idp.eu-west-1.amazonaws.com/pool", "cognito:groups": ["a"]}),
            vec![
                "--oidc-issuer-url=https://cognito-idp.eu-west-1.amazonaws.com/pool",
                "--oidc-groups-claim=groups",
            ],
            Id::CognitoGroups,
        ),
        (
            "row 14",
            json!({"iss": "https://accounts.google.com"}),
            vec![
                "--oidc-issuer-url=https://accounts.google.com",
                "--oidc-groups-claim=groups",
            ],
            Id::GoogleNoGroups,
        ),
        (
            "row 15",
            json!({"sub": "CgVhbGljZRIGZ2l0aHVi"}),
            vec![],
            Id::DexEncodedSub,
        ),
        (
            "row 17 expired",
            json!({"exp": NOW - 30}),
            vec![],
            Id::TokenExpired,
        ),
        (
            "row 17 nbf",
            json!({"nbf": NOW + 120}),
            vec![],
            Id::TokenNotYetValid,
        ),
        (
            "row 17 skew",
            json!({"exp": NOW + 30}),
            vec![],
            Id::ClockSkew,
        ),
        (
            "row 20",
            json!({}),
            vec!["--oidc-required-claim=hd=x"],
            Id::RequiredClaim,
        ),
        (
            "row 22",
            json!({"groups": ["system:masters"]}),
            vec!["--oidc-groups-claim=groups"],
            Id::SystemPrefix,
        ),
        (
            "missing username claim",
            json!({}),
            vec!["--oidc-username-claim=preferred_username"],
            Id::UsernameClaim,
        ),
        (
            "claim names without sources",
            json!({"_claim_names": {"groups": "nowhere"}}),
            vec![],
            Id::MalformedToken,
        ),
    ]
}

/// Everything else the doctor can say: refusals from the signature, discovery and the
/// configuration, and the verdicts on the kubeconfig and the cluster's answers.
fn other_scenarios() -> Vec<Scenario> {
    let t = token(json!({}));
    let a = [flags(&[])];
    let with =
        |discovery: Discovery, signature: Signature| diagnosed(&t, &a, &discovery, &signature);
    let mut hs256 = t.clone();
    hs256.header.insert("alg".into(), json!("HS256"));
    let uid = structured(
        "  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n    uid: {claim: oid}\n",
    );
    let cel = structured(
        "  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n  claimValidationRules:\n  - expression: 'claims.sub == \"x\"'\n    message: no\n",
    );
    let mut config_refused = replay(&t, &a, &Discovery::Ok, &Signature::Verified, NOW);
    config_refused.refusal = Some(config_refusal("jwt[0].issuer.url: Invalid value"));
    let user = run(&t, &a).user.unwrap();
    let other = UserInfo {
        username: "bob".into(),
        ..user.clone()
    };
    let exec = |interactive_mode: Option<&str>, static_token: bool| Context {
        has_user: true,
        static_token,
        exec: Some(Exec {
            api_version: "client.authentication.k8s.io/v1".into(),
            interactive_mode: interactive_mode.map(str::to_owned),
            command: "kubectl-oidc".into(),
            args: vec!["get-token".into()],
            env: Vec::new(),
            provide_cluster_info: false,
        }),
        ..Default::default()
    };
    let near = analyze(
        &[
            json!({"kind": "ClusterRoleBinding", "metadata": {"name": "b"}, "roleRef": {"kind": "ClusterRole", "name": "view"}, "subjects": [{"kind": "User", "name": "1234"}]}),
        ],
        &user,
        &t.claims,
        &["https://idp.example.com#".to_owned()],
    );
    let http = ApiserverFlags {
        issuer_url: Some("http://idp".into()),
        client_id: Some("kubernetes".into()),
        ..Default::default()
    };
    let http = from_flags(&http, KubeVersion::NEWEST).unwrap_err().partial;
    let unsimulated = structured(
        "  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n  claimValidationRules:\n  - expression: \"timestamp('2024-01-01T00:00:00Z').getFullYear() > 2000\"\n",
    );
    vec![
        // Row 24: the configuration does not load; debug-token reports what it describes.
        ("row 24", crate::doctor::config::config_findings(&http[0])),
        (
            "not simulated",
            diagnosed(&t, &[unsimulated], &Discovery::Ok, &Signature::Verified),
        ),
        (
            "unknown kid",
            with(Discovery::Ok, Signature::UnknownKid("k9".into())),
        ),
        (
            "bad signature",
            with(Discovery::Ok, Signature::Invalid("no".into())),
        ),
        (
            "offline",
            with(Discovery::Ok, Signature::Unchecked("--offline".into())),
        ),
        (
            "discovery",
            with(Discovery::Failed("refused".into()), Signature::Verified),
        ),
        (
            "algorithm",
            diagnosed(&hs256, &a, &Discovery::Ok, &Signature::Verified),
        ),
        (
            "uid claim",
            diagnosed(&t, &[uid], &Discovery::Ok, &Signature::Verified),
        ),
        (
            "cel rule",
            diagnosed(&t, &[cel], &Discovery::Ok, &Signature::Verified),
        ),
        (
            "not configured",
            diagnosed(&t, &[], &Discovery::Ok, &Signature::Verified),
        ),
        (
            "configuration does not load",
            diagnose(&Inputs {
                token: &t,
                authenticators: &a,
                discovery: &Discovery::Ok,
                signature: &Signature::Verified,
                replay: &config_refused,
                now: NOW,
            }),
        ),
        (
            "tls",
            cluster::discovery_findings(
                &crate::error::Failure::UntrustedCertificate,
                "invalid peer certificate: UnknownIssuer",
            ),
        ),
        (
            "static token beside exec",
            cluster::kubeconfig_findings(&exec(Some("IfAvailable"), true)),
        ),
        (
            "v1 exec without interactiveMode",
            cluster::kubeconfig_findings(&exec(None, false)),
        ),
        (
            "401",
            cluster::self_subject_review("https://k", 401, None, Some(&user)),
        ),
        (
            "server disagrees",
            cluster::self_subject_review("https://k", 201, Some(&other), Some(&user)),
        ),
        (
            "forbidden",
            vec![cluster::access_denied("get", "pods", Some("dev"), &user)],
        ),
        ("near miss", cluster::rbac_findings(&near, &user, true)),
        ("no binding", cluster::rbac_findings(&[], &user, true)),
        (
            "cluster unreachable",
            vec![cluster::cluster_unreachable(
                "https://k",
                "failed to lookup address information",
            )],
        ),
        (
            "not a JWT",
            Report::unreadable("argument".into(), "not a JWT".into(), NOW).findings,
        ),
    ]
}

/// spec §6: each catalog row detectable from a token and a configuration produces its id.
#[test]
fn catalog_findings() {
    for (label, claims, args, want) in token_scenarios() {
        let ids = finding_ids(&token(claims), &[flags(&args)]);
        assert!(ids.contains(&want), "{label}: {ids:?}");
    }
}

/// The catalog is exactly what the doctor says: every id is produced by some scenario (and,
/// by its type, nothing outside the catalog can be).
#[test]
fn every_catalog_id_is_emitted_by_some_scenario() {
    let mut emitted: std::collections::BTreeSet<Id> = other_scenarios()
        .into_iter()
        .flat_map(|(_, f)| ids(&f))
        .collect();
    for (_, claims, args, _) in token_scenarios() {
        emitted.extend(finding_ids(&token(claims), &[flags(&args)]));
    }
    let missing: Vec<&Id> = Id::ALL.iter().filter(|id| !emitted.contains(id)).collect();
    assert!(missing.is_empty(), "never emitted: {missing:?}");
}

/// The fixes name the exact subject, quoted for a shell where it needs it.
#[test]
fn cluster_verdicts_quote_what_they_print() {
    let user = UserInfo {
        username: "https://idp.example.com#alice".into(),
        uid: String::new(),
        groups: vec!["dev".into()],
        extra: Default::default(),
    };
    let f = cluster::access_denied("get", "deployments.apps", None, &user);
    assert!(
        f.message.contains(
            r#"cannot get resource "deployments" in API group "apps" at the cluster scope"#
        ),
        "{}",
        f.message
    );
    assert!(
        f.fix.contains("--user='https://idp.example.com#alice'"),
        "{}",
        f.fix
    );
    let none = cluster::rbac_findings(&[], &user, true);
    assert_eq!(
        none[0].fix,
        "kubectl create clusterrolebinding NAME --clusterrole=view --user='https://idp.example.com#alice'"
    );
    assert!(cluster::rbac_findings(&[], &user, false).is_empty());
    // Typed, not read from the text: an unreachable provider whose message names a
    // certificate is not a TLS failure.
    assert!(
        cluster::discovery_findings(
            &crate::error::Failure::Unreachable,
            "connection refused (certificate server)"
        )
        .is_empty()
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
