//! Logins without a person (issue 9): the client credentials grant with
//! `--oidc-use-access-token`, token exchange (RFC 8693) of a CI job's token, and the access
//! token served instead of the id_token after a browser login. Each against the test provider
//! (`oidc-provider`'s client credentials and JWT access tokens; the exchange in server.js),
//! and kubectl through an exec entry where a cluster takes part.
//!
//! Stand-in (issue 33): oidc-provider has no token exchange, so server.js answers it, for a
//! CI system's job tokens (an issuer of its own) with the cluster's audience, which Dex's
//! exchange (only its connectors' upstream tokens) cannot be made to take; the exchange itself
//! is proven against the real Dex in tests/it/dex.rs.

use crate::common::*;

/// A home for client `ci` (client credentials and token exchange), its secret in the
/// environment as a CI system would give it.
fn ci_home(idp: &Idp, grant: &str) -> Home {
    let mut home = Home::new(idp);
    home.args
        .retain(|a| !a.starts_with("--oidc-client-id") && !a.starts_with("--oidc-extra-scope"));
    home.args.push("--oidc-client-id=ci".into());
    home.args.push(format!("--grant-type={grant}"));
    home
}

/// `kubectl auth whoami` through the kubeconfig: the username the real API server gives the
/// token it was handed.
fn whoami(home: &Home, kubeconfig: &std::path::Path, envs: &[(&str, &str)]) -> String {
    let mut cmd = std::process::Command::new(k8s_tool("kubectl"));
    cmd.arg(format!("--kubeconfig={}", kubeconfig.display()))
        .args([
            "auth",
            "whoami",
            "-o",
            "jsonpath={.status.userInfo.username}",
        ]);
    scrub(&mut cmd, home.dir.path());
    let out = cmd
        .envs(envs.iter().copied())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_success(&out);
    assert!(!stderr(&out).contains("ci-secret"), "{}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn client_credentials_serve_the_access_token_to_kubectl_and_run_again_unattended() {
    // A provider of the real cluster's pool, this test's alone; 6-second tokens.
    let c = cluster();
    let idp = lease();
    idp.set_ttl(6);
    let mut home = ci_home(&idp, "client-credentials");
    home.args.push(format!(
        "--certificate-authority={}",
        c.idp_tls.ca().display()
    ));
    let secret = [("KUBECTL_OIDC_CLIENT_SECRET", "ci-secret")];
    // An access token only: the error says which flag serves it.
    let out = home
        .command("get-token", &[], Some(EXEC_V1_NONINTERACTIVE))
        .envs(secret)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("add --oidc-use-access-token"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
    // Without the secret: named, before any request.
    let before = idp.grants("client_credentials");
    let out = home.run(
        "get-token",
        &["--oidc-use-access-token"],
        Some(EXEC_V1_NONINTERACTIVE),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("client secret of ci"),
        "{}",
        stderr(&out)
    );
    assert_eq!(idp.grants("client_credentials"), before);
    // kubectl, non-interactive as in CI, through the exec entry.
    home.args.push("--oidc-use-access-token".into());
    let kubeconfig = write_kubeconfig(&home, &c.server, &c.ca);
    let out = whoami(&home, &kubeconfig, &secret);
    assert_eq!(
        out, "oidc:ci",
        "the real API server took the client's access token"
    );
    let served = home.cached_id_token().unwrap();
    let c = claims(&served);
    assert_eq!(
        (c["sub"].as_str(), c["client_id"].as_str()),
        (Some("ci"), Some("ci"))
    );
    assert_eq!(c["aud"], "kubernetes");
    assert_eq!(idp.grants("client_credentials"), before + 1);
    // A cache hit, then (past its exp) the grant again, nobody at a keyboard.
    let hit = home
        .command("get-token", &[], Some(EXEC_V1_NONINTERACTIVE))
        .envs(secret)
        .output()
        .unwrap();
    assert_eq!(token_of(&hit), served);
    assert_eq!(idp.grants("client_credentials"), before + 1);
    sleep_until_stale(&hit);
    assert_eq!(whoami(&home, &kubeconfig, &secret), "oidc:ci");
    assert_eq!(idp.grants("client_credentials"), before + 2);
    assert_ne!(home.cached_id_token().unwrap(), served);
}

#[test]
fn the_access_token_of_a_browser_login_is_served_and_refreshed_without_an_id_token() {
    let idp = Idp::start(IdpOptions {
        extra: &["--jwt-access-tokens"],
        id_token_ttl: Some(6),
        ..Default::default()
    });
    let mut home = Home::new(&idp);
    let id_only = home.run("get-token", &[&home.browser("")], Some(EXEC_V1_INTERACTIVE));
    assert_success(&id_only);
    assert_eq!(claims(&token_of(&id_only))["aud"], "kubernetes");
    assert!(
        claims(&token_of(&id_only))["nonce"].is_string(),
        "an id_token"
    );
    // The access token is another entry: no login is lost, none is reused for it.
    home.args.push("--oidc-use-access-token".into());
    let out = home.run("get-token", &[&home.browser("")], Some(EXEC_V1_INTERACTIVE));
    assert_success(&out);
    let token = token_of(&out);
    let c = claims(&token);
    assert!(
        c["nonce"].is_null() && c["client_id"] == "kubernetes",
        "{c}"
    );
    assert_eq!(idp.grants("authorization_code"), 2);
    // A refresh answer without an id_token (as some providers send) still serves the new
    // access token.
    sleep_until_stale(&out);
    idp.fail_next_refresh("no-id-token");
    let refreshed = home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
    assert_success(&refreshed);
    assert_ne!(token_of(&refreshed), token);
    assert!(claims(&token_of(&refreshed))["client_id"] == "kubernetes");
    assert_eq!(idp.grants("refresh_token"), 1);
    // A provider whose access tokens are not JWTs: refused before anything is cached.
    let plain = Idp::start(IdpOptions::default());
    let mut home = Home::new(&plain);
    home.args.push("--oidc-use-access-token".into());
    let out = home.run("get-token", &[&home.browser("")], Some(EXEC_V1_INTERACTIVE));
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stderr(&out).contains("is not a JWT"), "{}", stderr(&out));
    assert!(home.cached_id_token().is_none());
}

#[test]
fn token_exchange_trades_each_ci_job_token_for_its_own_cluster_token() {
    // A provider of the real cluster's pool, this test's alone.
    let c = cluster();
    let idp = lease();
    let mut home = ci_home(&idp, "token-exchange");
    home.args.extend([
        format!("--certificate-authority={}", c.idp_tls.ca().display()),
        "--subject-token-type=jwt".into(),
        "--oidc-auth-request-extra-params=audience=kubernetes".into(),
    ]);
    let job = home.dir.path().join("job-token");
    std::fs::write(&job, idp.ci_token("job-1")).unwrap();
    let env = [
        ("KUBECTL_OIDC_CLIENT_SECRET", "ci-secret"),
        ("KUBECTL_OIDC_SUBJECT_TOKEN_FILE", job.to_str().unwrap()),
    ];
    let kubeconfig = write_kubeconfig(&home, &c.server, &c.ca);
    let exchanges_before = idp.grants("urn:ietf:params:oauth:grant-type:token-exchange");
    assert_eq!(whoami(&home, &kubeconfig, &env), "oidc:ci:job-1");
    let exchange = &idp.stats()["last_exchange"];
    assert_eq!(exchange["client"], "ci");
    assert_eq!(exchange["audience"], "kubernetes");
    assert_eq!(
        exchange["subject_token_type"],
        "urn:ietf:params:oauth:token-type:jwt"
    );
    assert_eq!(
        exchange["requested_token_type"],
        "urn:ietf:params:oauth:token-type:id_token"
    );
    let exchanges =
        || idp.grants("urn:ietf:params:oauth:grant-type:token-exchange") - exchanges_before;
    assert_eq!(exchanges(), 1);
    // The same job token again: served from the cache.
    assert_eq!(whoami(&home, &kubeconfig, &env), "oidc:ci:job-1");
    assert_eq!(exchanges(), 1);
    // The next job's token is never served the first job's cluster token.
    std::fs::write(&job, idp.ci_token("job-2")).unwrap();
    assert_eq!(whoami(&home, &kubeconfig, &env), "oidc:ci:job-2");
    assert_eq!(exchanges(), 2);
    // A token the provider does not accept: its answer, named; nothing printed or cached.
    std::fs::write(&job, "not-a-job-token").unwrap();
    let out = home
        .command("get-token", &[], Some(EXEC_V1_NONINTERACTIVE))
        .envs(env)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("refused the token exchange: invalid_request"),
        "{err}"
    );
    assert!(
        !err.contains("not-a-job-token") && !err.contains("ci-secret"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    // No subject token at all: the flags that give one.
    let out = home
        .command("get-token", &[], Some(EXEC_V1_NONINTERACTIVE))
        .env("KUBECTL_OIDC_CLIENT_SECRET", "ci-secret")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--subject-token-file"),
        "{}",
        stderr(&out)
    );
}
