use serde_json::json;

use super::*;

fn entry() -> EntryArgs {
    use clap::Parser as _;
    #[derive(clap::Parser)]
    struct P {
        #[command(flatten)]
        entry: EntryArgs,
    }
    P::parse_from([
        "p",
        "--oidc-issuer-url=https://idp.example",
        "--oidc-client-id=kubernetes",
        "--oidc-extra-scope=email",
        "--oidc-auth-request-extra-params=prompt=login",
        "--oidc-auth-request-extra-params=audience=all",
    ])
    .entry
}

#[test]
fn a_cluster_chooses_per_flag() {
    // (config, client id, scopes, params) after the choice.
    let table: &[(Json, &str, &[&str], &[&str])] = &[
        (
            Json::Null,
            "kubernetes",
            &["email"],
            &["prompt=login", "audience=all"],
        ),
        (
            json!({}),
            "kubernetes",
            &["email"],
            &["prompt=login", "audience=all"],
        ),
        (
            json!({"oidc-client-id": "cluster-b"}),
            "cluster-b",
            &["email"],
            &["prompt=login", "audience=all"],
        ),
        (
            json!({"oidc-extra-scope": "groups,offline_access"}),
            "kubernetes",
            &["email", "groups", "offline_access"],
            &["prompt=login", "audience=all"],
        ),
        (
            json!({"oidc-extra-scope": ["groups"], "oidc-client-id": ["b"]}),
            "b",
            &["email", "groups"],
            &["prompt=login", "audience=all"],
        ),
        // A parameter the cluster names replaces the entry's of that name; others stay.
        (
            json!({"oidc-auth-request-extra-params": ["audience=cluster-b", "resource=x=y"]}),
            "kubernetes",
            &["email"],
            &["prompt=login", "audience=cluster-b", "resource=x=y"],
        ),
    ];
    for (config, client, scopes, params) in table {
        let choice = Choice::from_config(Some(config)).unwrap();
        let mut e = entry();
        choice.apply(&mut e);
        assert_eq!(e.oidc_client_id.as_deref(), Some(*client), "{config}");
        assert_eq!(e.oidc_extra_scope, *scopes, "{config}");
        assert_eq!(e.oidc_auth_request_extra_params, *params, "{config}");
    }
}

#[test]
fn what_a_cluster_cannot_choose_is_refused_with_what_it_can() {
    let table: &[(Json, &str)] = &[
        (json!("cluster-b"), "is a string, not an object"),
        (json!({"oidc-issuer-url": "https://x"}), "cannot choose"),
        (json!({"oidc-client-secret": "s"}), "cannot choose"),
        (json!({"oidc-client-id": 3}), "to a number"),
        (json!({"oidc-client-id": ["a", "b"]}), "give one client ID"),
        (json!({"oidc-client-id": ""}), "give one client ID"),
        (json!({"oidc-extra-scope": [1]}), "to a list"),
        (
            json!({"oidc-auth-request-extra-params": "audience"}),
            "write KEY=VALUE",
        ),
        (
            json!({"oidc-auth-request-extra-params": ["audience=b", "redirect_uri=https://evil"]}),
            "own parameter \"redirect_uri\"",
        ),
        (
            json!({"oidc-auth-request-extra-params": "state=x"}),
            "own parameter \"state\"",
        ),
    ];
    for (config, says) in table {
        let e = Choice::from_config(Some(config)).unwrap_err();
        assert!(e.contains(says), "{config}: {e}");
        assert!(e.contains(EXTENSION), "{config}: {e}");
        if e.contains("cannot choose") {
            assert!(e.contains("oidc-client-id, oidc-extra-scope"), "{e}");
        }
    }
}

#[test]
fn setup_settings_become_the_config_a_cluster_reads_back() {
    let given = [
        "oidc-client-id=cluster-b",
        "--oidc-extra-scope=groups",
        "oidc-extra-scope=email",
        "oidc-auth-request-extra-params=audience=b",
    ]
    .map(str::to_owned);
    let config = Choice::config_of(&given).unwrap();
    assert_eq!(
        config,
        json!({
            "oidc-client-id": "cluster-b",
            "oidc-extra-scope": ["groups", "email"],
            "oidc-auth-request-extra-params": ["audience=b"],
        })
    );
    let choice = Choice::from_config(Some(&config)).unwrap();
    assert_eq!(choice.client_id.as_deref(), Some("cluster-b"));
    assert_eq!(choice.extra_scopes, ["groups", "email"]);
    for (bad, says) in [
        (&["oidc-client-id"][..], "write FLAG=VALUE"),
        (&["token-cache-dir=/x"], "cannot choose"),
        (&["oidc-client-id=a", "oidc-client-id=b"], "twice"),
        (&["oidc-auth-request-extra-params=audience"], "KEY=VALUE"),
    ] {
        let bad: Vec<String> = bad.iter().map(|s| s.to_string()).collect();
        let e = Choice::config_of(&bad).unwrap_err();
        assert!(e.contains(says), "{bad:?}: {e}");
    }
}
