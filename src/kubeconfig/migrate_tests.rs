//! What `setup --migrate` makes of kubelogin and auth-provider entries.

use super::*;

#[test]
fn kubelogin_and_auth_provider_entries_are_planned() {
    let doc = serde_json::json!({"users": [
        {"name": "kl", "user": {"exec": {
            "apiVersion": "client.authentication.k8s.io/v1beta1",
            "command": "kubectl",
            "args": ["oidc-login", "get-token", "--oidc-issuer-url=https://idp", "--oidc-client-id=k",
                     "--oidc-client-secret=s3cret", "-v1", "--logtostderr", "--token-cache-dir=~/kl"]}}},
        {"name": "own-redirect", "user": {"exec": {
            "command": "kubelogin",
            "args": ["get-token", "--oidc-issuer-url=https://idp", "--oidc-client-id=k",
                     "--oidc-redirect-url=http://localhost:9000/cb"]}}},
        {"name": "ap", "user": {"auth-provider": {"name": "oidc", "config": {
            "idp-issuer-url": "https://idp", "client-id": "k", "client-secret": "apsecret",
            "extra-scopes": "email, groups", "idp-certificate-authority": "/ca.pem",
            "refresh-token": "rt-1", "id-token": "x.y.z"}}}},
        {"name": "ap-cert", "user": {"client-certificate": "/c.pem",
            "auth-provider": {"name": "oidc", "config": {"idp-issuer-url": "https://idp", "client-id": "k"}}}},
        {"name": "azure", "user": {"exec": {"command": "kubelogin",
            "args": ["get-token", "--login", "devicecode", "--server-id", "x"]}}},
        {"name": "gcp", "user": {"auth-provider": {"name": "gcp"}}},
        {"name": "ours", "user": {"exec": {"command": "kubectl-oidc", "args": ["get-token", "--oidc-issuer-url=https://idp"]}}}
    ]});
    let (m, skipped) = plan(&doc);
    assert_eq!(m.len(), 3, "{m:?}");
    assert_eq!(m[0].user, "kl");
    assert_eq!(m[0].source, Source::Kubelogin);
    assert_eq!(
        m[0].args,
        [
            "--oidc-issuer-url=https://idp",
            "--oidc-client-id=k",
            "--token-cache-dir=~/kl",
            "--oidc-redirect-url-hostname=localhost"
        ]
    );
    assert_eq!(m[0].dropped, ["--logtostderr"]);
    // Issue 31 item 10: the log level is left out (and said), so that the entry is quiet.
    assert_eq!(m[0].log_level.as_deref(), Some("--v=1"));
    assert_eq!(m[0].client_secret.as_ref().unwrap().expose(), "s3cret");
    assert_eq!(m[0].kubelogin_cache_dir.as_deref(), Some("~/kl"));
    assert!(!m[0].before.contains("s3cret") && m[0].before.contains("--oidc-client-secret=…"));
    assert_eq!(m[1].user, "own-redirect");
    assert!(
        !m[1].args.iter().any(|a| a.contains("hostname")),
        "{:?}",
        m[1].args
    );
    assert_eq!(m[2].source, Source::AuthProvider);
    assert_eq!(
        m[2].args,
        [
            "--oidc-issuer-url=https://idp",
            "--oidc-client-id=k",
            "--oidc-extra-scope=email",
            "--oidc-extra-scope=groups",
            "--certificate-authority=/ca.pem",
            "--oidc-redirect-url-hostname=localhost"
        ]
    );
    assert_eq!(m[2].client_secret.as_ref().unwrap().expose(), "apsecret");
    assert_eq!(m[2].refresh_token.as_ref().unwrap().expose(), "rt-1");
    assert!(!m[2].before.contains("apsecret") && !m[2].before.contains("rt-1"));
    assert_eq!(
        skipped,
        [Skipped {
            user: "ap-cert".into(),
            why: "it has \"client-certificate\" beside its auth-provider; move it by hand (see the README's migration section)".into()
        }]
    );
}

#[test]
fn a_cached_token_is_matched_by_issuer_and_audience() {
    let c = |iss: &str, aud: Json| serde_json::json!({"iss": iss, "aud": aud});
    assert!(token_is_for(
        &c("https://idp/", "k".into()),
        "https://idp",
        "k"
    ));
    assert!(token_is_for(
        &c("https://idp", serde_json::json!(["a", "k"])),
        "https://idp/",
        "k"
    ));
    assert!(!token_is_for(
        &c("https://idp", "other".into()),
        "https://idp",
        "k"
    ));
    assert!(!token_is_for(
        &c("https://evil", "k".into()),
        "https://idp",
        "k"
    ));
    assert!(!token_is_for(&serde_json::json!({}), "https://idp", "k"));
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn every_secret_is_hidden_in_every_spelling() {
    let args = strings(&[
        "get-token",
        "--oidc-client-secret=s1",
        "--oidc-client-secret",
        "s2",
        "--password=p1",
        "--password",
        "p2",
        "--username",
        "alice",
        "--subject-token=t1",
    ]);
    let shown = redacted("kubectl", &args);
    for secret in ["s1", "s2", "p1", "p2", "t1"] {
        assert!(!shown.split(' ').any(|w| w.contains(secret)), "{shown}");
    }
    assert_eq!(
        shown,
        "kubectl get-token --oidc-client-secret=… --oidc-client-secret … --password=… \
         --password … --username alice --subject-token=…"
    );
    // A kubelogin entry's password leaves the arguments for a file, in both spellings.
    for (given, value) in [
        (&["--password=pw"][..], "pw"),
        (&["--password", "pw2"][..], "pw2"),
    ] {
        let mut args = strings(&[
            "oidc-login",
            "get-token",
            "--oidc-issuer-url=https://idp",
            "--oidc-client-id=k",
            "--grant-type=password",
            "--username=alice",
        ]);
        args.extend(strings(given));
        let doc = serde_json::json!({"users": [{"name": "u", "user": {"exec": {
            "command": "kubectl", "args": args}}}]});
        let (m, _) = plan(&doc);
        assert_eq!(m[0].password.as_ref().unwrap().expose(), value);
        assert!(
            !m[0].args.iter().any(|a| a.contains(value)),
            "{:?}",
            m[0].args
        );
        assert!(!m[0].before.contains(value), "{}", m[0].before);
        assert_eq!(m[0].accounts, ["alice"]);
    }
}

#[test]
fn accounts_come_from_login_hint_username_and_account() {
    assert_eq!(
        accounts_of(&strings(&[
            "--oidc-auth-request-extra-params=prompt=login,login_hint=a@x",
            "--oidc-auth-request-extra-params",
            "login_hint=b@x",
            "--username=c",
            "--account",
            "d",
        ])),
        ["a@x", "b@x", "c", "d"]
    );
    assert!(accounts_of(&strings(&["--oidc-client-id=k"])).is_empty());
}

#[test]
fn kubelogin_sessions_go_to_their_own_user_or_to_nobody() {
    let c = |sub: &str, email: &str, aud: &str, iat: i64| serde_json::json!({"iss": "https://idp", "aud": aud, "sub": sub, "email": email, "iat": iat});
    let cached = [
        c("a", "alice@x", "k", 10),
        c("b", "bob@x", "k", 20),
        c("a", "alice@x", "k", 30),
        c("o", "other@x", "other-client", 40),
    ];
    let w = |accounts: &'static [String], key: &'static str| Wants {
        issuer: "https://idp",
        client_id: "k",
        accounts,
        key,
    };
    let alice = Box::leak(Box::new(strings(&["Alice@X"])));
    let bob = Box::leak(Box::new(strings(&["b"])));
    let nobody = Box::leak(Box::new(strings(&["carol@x"])));
    let none: &'static [String] = &[];
    // By login hint (any case) or sub: each their own, alice's newest.
    let picks = pick_sessions(&[w(alice, "1"), w(bob, "2"), w(nobody, "3")], &cached);
    assert_eq!(picks, [Pick::Session(2), Pick::Session(1), Pick::Nothing]);
    // No account named, two accounts cached: nothing.
    let picks = pick_sessions(&[w(none, "1")], &cached);
    assert!(
        matches!(&picks[0], Pick::Ambiguous(why) if why.contains("2 accounts") && why.contains("alice@x, bob@x")),
        "{picks:?}"
    );
    // No account named, one account cached: that one.
    let only_alice = &cached[..1];
    assert_eq!(
        pick_sessions(&[w(none, "1")], only_alice),
        [Pick::Session(0)]
    );
    // ... but not for two users of different entries; for two of one entry, yes.
    let picks = pick_sessions(&[w(none, "1"), w(none, "2")], only_alice);
    assert!(
        picks.iter().all(|p| matches!(p, Pick::Ambiguous(_))),
        "{picks:?}"
    );
    let picks = pick_sessions(&[w(none, "1"), w(alice, "1")], only_alice);
    assert_eq!(picks, [Pick::Session(0), Pick::Session(0)]);
}
