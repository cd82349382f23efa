//! spec §5.1: RBAC near misses; the report's JSON document and text.

use super::serde_json::{Json, json};
use super::*;
use crate::doctor::authn::Token;
use crate::doctor::config::Authenticator;
use crate::doctor::rbac::analyze;
use crate::doctor::report::Verdict;

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

fn report_for(t: &Token, a: &[Authenticator]) -> crate::doctor::report::Report {
    let r = run(t, a);
    let verdict = Verdict::of(&r, &[]);
    crate::doctor::report::Report {
        verdict,
        authenticated: verdict == Verdict::Accepted,
        user: r.authenticated().then(|| r.user.clone()).flatten(),
        findings: Vec::new(),
        header: t.header.clone(),
        claims: t.claims.clone(),
        error: r.error().map(str::to_owned),
        source: "argument".into(),
        config: "flags".into(),
        kube_version: "1.37".into(),
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
    assert_eq!(rep.verdict, Verdict::Refused);
    assert_eq!(doc["verdict"], "refused");
    let text = crate::doctor::report::render_text(&rep, false);
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
    assert_eq!(ok.verdict, Verdict::Accepted);
    let text = crate::doctor::report::render_text(&ok, true);
    assert!(text.contains("\u{1b}[1;32mAUTHENTICATED:\u{1b}[0m"));
    assert!(text.contains("username: https://idp.example.com#1234"));
}

/// The headline follows the verdict: a configuration the API server refuses at start is not a
/// refused token, and an error finding is never shown under AUTHENTICATED (issue 20).
#[test]
fn headline_follows_the_verdict() {
    use crate::doctor::authn::{Check, Refusal, Replay};
    use crate::doctor::findings::{Finding, FindingId, Severity};
    let mut rep = report_for(&token(json!({})), &[flags(&[])]);
    let config = Replay {
        refusal: Some(crate::doctor::authn::config_refusal(
            "invalid authentication configuration: x",
        )),
        ..Replay::default()
    };
    rep.verdict = Verdict::of(&config, &[]);
    rep.error = config.error().map(str::to_owned);
    assert_eq!(rep.verdict, Verdict::ConfigError);
    assert_eq!(
        ::serde_json::to_value(&rep).unwrap()["verdict"],
        "config-error"
    );
    let text = crate::doctor::report::render_text(&rep, false);
    assert!(
        text.contains("CONFIG ERROR: kube-apiserver 1.37 does not start with this configuration"),
        "{text}"
    );

    let error_finding = Finding::new(FindingId::HttpIssuer, Severity::Error, "m", "f");
    let accepted = Replay::default();
    rep.verdict = Verdict::of(&accepted, std::slice::from_ref(&error_finding));
    rep.error = None;
    assert_eq!(rep.verdict, Verdict::Refused);
    let text = crate::doctor::report::render_text(&rep, false);
    assert!(
        text.contains("REFUSED: the token passes the replay, but a finding below is an error"),
        "{text}"
    );
    assert!(!text.contains("AUTHENTICATED"), "{text}");

    let not_simulated = Replay {
        refusal: Some(Refusal {
            check: Check::NotSimulated,
            error: "ip()".into(),
        }),
        ..Replay::default()
    };
    assert_eq!(Verdict::of(&not_simulated, &[]), Verdict::Unverified);
    let offline = Replay {
        signature_unchecked: Some("--offline".into()),
        ..Replay::default()
    };
    assert_eq!(Verdict::of(&offline, &[]), Verdict::Unverified);
    assert_eq!(Verdict::of(&offline, &[error_finding]), Verdict::Refused);
}

/// A RoleBinding that names the user's group exactly, in another namespace than the one
/// denied: said, with the binding that grants the same role there.
#[test]
fn a_binding_in_another_namespace_is_named_with_the_fix() {
    use crate::doctor::authn::UserInfo;
    use crate::doctor::cluster::other_namespaces;
    let user = UserInfo {
        username: "oidc:bob@example.com".into(),
        groups: vec!["oidc:dev".into(), "system:authenticated".into()],
        uid: String::new(),
        extra: Default::default(),
    };
    let rb = |ns: &str, name: &str, role_kind: &str, group: &str| json!({"kind": "RoleBinding", "metadata": {"name": name, "namespace": ns}, "roleRef": {"kind": role_kind, "name": "pod-reader"}, "subjects": [{"kind": "Group", "name": group}]});
    let bindings = vec![
        rb("team", "devs-view", "ClusterRole", "oidc:dev"),
        rb("lab", "devs-lab", "Role", "oidc:dev"),
        rb("elsewhere", "here-already", "ClusterRole", "oidc:dev"),
        rb("team", "others", "ClusterRole", "oidc:qa"),
        rb("team", "everyone", "ClusterRole", "system:authenticated"),
    ];
    let m = analyze(&bindings, &user, &Default::default(), &[]);
    let found = other_namespaces(&m, "elsewhere");
    let fixes: Vec<&str> = found.iter().map(|f| f.fix.as_str()).collect();
    assert_eq!(
        fixes,
        [
            "kubectl create rolebinding devs-view -n elsewhere --clusterrole=pod-reader --group=oidc:dev",
            "make Role \"pod-reader\" in \"elsewhere\" as it is in \"lab\", then: kubectl create rolebinding devs-lab -n elsewhere --role=pod-reader --group=oidc:dev",
        ]
    );
    assert!(
        found[0]
            .message
            .contains("in the namespace \"team\" only, not in \"elsewhere\""),
        "{}",
        found[0].message
    );
}
