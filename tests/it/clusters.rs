//! Issue 32 item 2: one user entry for many clusters. With `provideClusterInfo: true`, kubectl
//! passes each cluster's `client.authentication.k8s.io/exec` extension to get-token, which
//! takes the cluster's choice (here its client ID, so the token's audience) on top of the
//! entry's flags. Through the real kubectl 1.37 to the real API server, whose authenticator
//! maps the token's audience to the user's extra `kubectl-oidc.test/aud` (common/cluster.rs).

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::common::*;

/// The plugin with the home's arguments (or none) and the provider's CA for the browser.
pub(crate) fn plugin(home: &Home, with_home_args: bool, args: &[String]) -> Output {
    let mut cmd = if with_home_args {
        home.command(args[0].as_str(), &[], None)
    } else {
        let mut cmd = Command::new(BIN);
        cmd.arg(&args[0]);
        scrub(&mut cmd, home.dir.path());
        cmd.stdin(Stdio::null());
        cmd
    };
    cmd.args(&args[1..])
        .env("NODE_EXTRA_CA_CERTS", cluster().idp_tls.ca())
        .env("PATH", path_with_plugin());
    cmd.output().unwrap()
}

/// `kubectl auth whoami` through `context`: the audience of the token the server took.
pub(crate) fn audience(home: &Home, kubeconfig: &Path, context: &str) -> Result<String, String> {
    let out = kubectl(
        home,
        &[
            &format!("--kubeconfig={}", kubeconfig.display()),
            &format!("--context={context}"),
            "auth",
            "whoami",
            "-o",
            "json",
        ],
    );
    if !out.status.success() {
        return Err(stderr(&out));
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    Ok(v["status"]["userInfo"]["extra"]["kubectl-oidc.test/aud"].to_string())
}

/// A home of a leased provider of the cluster's pool, and its kubeconfig's path.
pub(crate) fn person(idp: &Idp) -> (Home, std::path::PathBuf) {
    let mut home = Home::new(idp);
    home.args.push(format!(
        "--certificate-authority={}",
        cluster().idp_tls.ca().display()
    ));
    let kubeconfig = home.dir.path().join("kubeconfig");
    (home, kubeconfig)
}

/// `setup --write` of `cluster` (the real API server) with these `--cluster-setting`s, logged
/// in through the scripted browser.
pub(crate) fn setup(
    home: &Home,
    kubeconfig: &Path,
    cluster_name: &str,
    settings: &[&str],
) -> Output {
    let c = cluster();
    let mut args = vec![
        "setup".to_owned(),
        "--write".into(),
        format!("--kubeconfig={}", kubeconfig.display()),
        format!("--cluster={cluster_name}"),
        format!("--server={}", c.server),
        format!("--cluster-certificate-authority={}", c.ca.display()),
        home.browser(""),
    ];
    args.extend(settings.iter().map(|s| format!("--cluster-setting={s}")));
    plugin(home, true, &args)
}

#[test]
fn one_user_entry_serves_two_clusters_each_with_its_own_audience() {
    let idp = lease();
    let (home, kubeconfig) = person(&idp);
    let logins = || idp.grants("authorization_code");
    let refreshes = || idp.grants("refresh_token");
    let before = logins();
    for (cluster, client) in [("a", "kubernetes"), ("b", "cluster-b")] {
        let out = setup(
            &home,
            &kubeconfig,
            cluster,
            &[&format!("oidc-client-id={client}")],
        );
        assert_success(&out);
    }
    // A login for each client: a refresh token is its client's.
    assert_eq!(logins(), before + 2);

    // One user entry, shared; each cluster says what it chooses.
    let view = kubeconfig_view(&home, &kubeconfig);
    let users = view["users"].as_array().unwrap();
    assert_eq!(users.len(), 1, "{view}");
    assert_eq!(
        users[0]["user"]["exec"]["provideClusterInfo"], true,
        "{view}"
    );
    let args = users[0]["user"]["exec"]["args"].to_string();
    assert!(args.contains("--oidc-client-id=kubernetes"), "{args}");
    assert!(!args.contains("cluster-b"), "{args}");
    for (cluster, client) in [("a", "kubernetes"), ("b", "cluster-b")] {
        let k = view["clusters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["name"] == cluster)
            .unwrap();
        assert_eq!(
            k["cluster"]["extensions"],
            serde_json::json!([{
                "name": "client.authentication.k8s.io/exec",
                "extension": {"oidc-client-id": client},
            }]),
            "{k}"
        );
    }

    // Through kubectl, each cluster gets a token for itself, from its own cache entry.
    let (logins_then, refreshes_then) = (logins(), refreshes());
    for _ in 0..2 {
        assert_eq!(
            audience(&home, &kubeconfig, "a").unwrap(),
            r#"["kubernetes"]"#
        );
        assert_eq!(
            audience(&home, &kubeconfig, "b").unwrap(),
            r#"["cluster-b"]"#
        );
    }
    assert_eq!((logins(), refreshes()), (logins_then, refreshes_then));

    // status names each session's context.
    let kc = format!("--kubeconfig={}", kubeconfig.display());
    let out = plugin(
        &home,
        false,
        &["status".into(), kc.clone(), "-o".into(), "json".into()],
    );
    assert_success(&out);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut sessions: Vec<String> = rows
        .as_array()
        .unwrap_or_else(|| panic!("{rows}"))
        .iter()
        .map(|r| format!("{} {}", r["client_id"], r["contexts"]))
        .collect();
    sessions.sort();
    assert_eq!(
        sessions,
        [r#""cluster-b" ["b"]"#, r#""kubernetes" ["a"]"#],
        "{rows}"
    );

    // logout and login through a context act on that cluster's session alone.
    let out = plugin(
        &home,
        false,
        &["logout".into(), kc.clone(), "--context=b".into()],
    );
    assert_success(&out);
    assert_eq!(
        audience(&home, &kubeconfig, "a").unwrap(),
        r#"["kubernetes"]"#
    );
    let out = plugin(
        &home,
        false,
        &["login".into(), kc.clone(), "--context=b".into()],
    );
    assert_success(&out);
    assert_eq!(logins(), logins_then + 1);
    assert_eq!(
        audience(&home, &kubeconfig, "b").unwrap(),
        r#"["cluster-b"]"#
    );

    // setup again for cluster a without a choice keeps the entry shared (b still chooses).
    let out = plugin(
        &home,
        true,
        &[
            "setup".into(),
            "--write".into(),
            kc.clone(),
            home.browser(""),
        ],
    );
    assert_success(&out);
    let view = kubeconfig_view(&home, &kubeconfig);
    assert_eq!(view["users"][0]["user"]["exec"]["provideClusterInfo"], true);
    assert_eq!(
        audience(&home, &kubeconfig, "b").unwrap(),
        r#"["cluster-b"]"#
    );
}

/// A cluster that chooses what it cannot (the issuer) fails every call through it with what it
/// may choose, and the plugin writes no token; the other cluster is unaffected.
#[test]
fn a_cluster_choosing_what_it_cannot_is_refused_by_name() {
    let idp = lease();
    let (home, kubeconfig) = person(&idp);
    let out = setup(&home, &kubeconfig, "a", &["oidc-extra-scope=email"]);
    assert_success(&out);
    // setup refuses the same itself, before any login.
    let out = setup(
        &home,
        &kubeconfig,
        "bad",
        &["oidc-issuer-url=https://elsewhere"],
    );
    assert_failure(
        &out,
        2,
        &[
            "cannot choose \"oidc-issuer-url\"",
            "oidc-client-id, oidc-extra-scope",
            "nothing was written",
        ],
    );

    // A hand-edited cluster with that choice: kubectl's call fails with the plugin's reason.
    let mut view = kubeconfig_view(&home, &kubeconfig);
    let mut bad = view["clusters"][0].clone();
    bad["name"] = "bad".into();
    bad["cluster"]["extensions"][0]["extension"] =
        serde_json::json!({"oidc-issuer-url": "https://elsewhere"});
    view["clusters"].as_array_mut().unwrap().push(bad);
    let mut context = view["contexts"][0].clone();
    context["name"] = "bad".into();
    context["context"]["cluster"] = "bad".into();
    view["contexts"].as_array_mut().unwrap().push(context);
    std::fs::write(&kubeconfig, view.to_string()).unwrap();
    let err = audience(&home, &kubeconfig, "bad").unwrap_err();
    assert!(
        err.contains("client.authentication.k8s.io/exec extension sets \"oidc-issuer-url\""),
        "{err}"
    );
    assert!(err.contains("provideClusterInfo: false"), "{err}");
    assert_eq!(
        audience(&home, &kubeconfig, "a").unwrap(),
        r#"["kubernetes"]"#
    );
}
