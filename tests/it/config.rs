//! Configuration from the environment (issue 9): every flag reads `KUBECTL_OIDC_<NAME>`, a flag
//! beats its variable, and `--show-config` says where each setting came from.

use std::process::{Command, Output, Stdio};

use crate::common::*;

/// The plugin with the environment scrubbed and no flags at all but `extra`.
fn bare(home: &Home, subcommand: &str, extra: &[&str], env: &[(&str, String)]) -> Output {
    let mut cmd = Command::new(BIN);
    default_sigint(&mut cmd);
    cmd.arg(subcommand).args(extra);
    scrub(&mut cmd, home.dir.path());
    cmd.env("KUBERNETES_EXEC_INFO", EXEC_V1_INTERACTIVE);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdin(Stdio::null()).output().unwrap()
}

/// Every setting the test home passes as flags, as variables instead.
fn environment(home: &Home, idp: &Idp) -> Vec<(&'static str, String)> {
    vec![
        ("KUBECTL_OIDC_ISSUER_URL", idp.issuer.clone()),
        ("KUBECTL_OIDC_CLIENT_ID", "kubernetes".into()),
        ("KUBECTL_OIDC_EXTRA_SCOPE", "email,groups".into()),
        ("KUBECTL_OIDC_LISTEN_ADDRESS", "127.0.0.1:0".into()),
        (
            "KUBECTL_OIDC_TOKEN_CACHE_DIR",
            home.cache_dir().display().to_string(),
        ),
        ("KUBECTL_OIDC_TOKEN_CACHE_STORAGE", "disk".into()),
        (
            "KUBECTL_OIDC_BROWSER_COMMAND",
            home.browser("")
                .trim_start_matches("--browser-command=")
                .to_owned(),
        ),
    ]
}

#[test]
fn the_environment_alone_configures_login_and_the_cache_hit() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let env = environment(&home, &idp);
    let first = bare(&home, "get-token", &[], &env);
    assert_success(&first);
    // The comma-separated scopes were both requested: the groups claim is there.
    let token = token_of(&first);
    assert_eq!(claims(&token)["groups"], serde_json::json!(["dev", "ops"]));
    assert_eq!(claims(&token)["email"], "alice@example.com");
    assert!(
        home.cached_id_token().is_some(),
        "not cached in KUBECTL_OIDC_TOKEN_CACHE_DIR"
    );
    let requests = idp.stats()["requests"].as_u64().unwrap();
    let second = bare(&home, "get-token", &[], &env);
    assert_success(&second);
    assert_eq!(token_of(&second), token);
    assert_eq!(idp.stats()["requests"].as_u64().unwrap(), requests);
}

#[test]
fn a_flag_beats_its_variable_and_show_config_says_where_each_came_from() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let mut env = environment(&home, &idp);
    // A client the provider does not know: the login works only if the flag wins.
    env.retain(|(k, _)| *k != "KUBECTL_OIDC_CLIENT_ID");
    env.push(("KUBECTL_OIDC_CLIENT_ID", "not-registered".into()));
    env.push(("KUBECTL_OIDC_CLIENT_SECRET", "hunter2-secret".into()));
    env.push(("KUBECTL_OIDC_PASSWORD", "swordfish-password".into()));
    let requests = idp.stats()["requests"].as_u64().unwrap();

    let shown = bare(
        &home,
        "get-token",
        &["--oidc-client-id=kubernetes", "--show-config"],
        &env,
    );
    assert_success(&shown);
    let text = String::from_utf8(shown.stdout.clone()).unwrap();
    let row = |flag: &str| {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(flag))
            .unwrap_or_else(|| panic!("no {flag} row in\n{text}"))
            .split_whitespace()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(row("--oidc-client-id")[1..], ["kubernetes", "flag"]);
    assert_eq!(
        row("--oidc-issuer-url")[1..],
        [idp.issuer.as_str(), "KUBECTL_OIDC_ISSUER_URL"]
    );
    assert_eq!(
        row("--oidc-extra-scope")[1..],
        ["email,groups", "KUBECTL_OIDC_EXTRA_SCOPE"]
    );
    assert_eq!(row("--http-timeout-sec")[1..], ["30", "default"]);
    assert_eq!(
        row("--oidc-client-secret").last().unwrap(),
        "KUBECTL_OIDC_CLIENT_SECRET"
    );
    assert!(!text.contains("hunter2"), "the secret was printed:\n{text}");
    assert!(
        !text.contains("swordfish"),
        "the password was printed:\n{text}"
    );
    assert_eq!(row("--password").last().unwrap(), "KUBECTL_OIDC_PASSWORD");
    assert!(shown.stderr.is_empty(), "{}", stderr(&shown));
    // Nothing was logged in, read or sent.
    assert_eq!(idp.stats()["requests"].as_u64().unwrap(), requests);
    assert!(!home.cache_dir().exists());

    env.retain(|(k, _)| !["KUBECTL_OIDC_CLIENT_SECRET", "KUBECTL_OIDC_PASSWORD"].contains(k));
    let login = bare(&home, "get-token", &["--oidc-client-id=kubernetes"], &env);
    assert_success(&login);
    assert_eq!(claims(&token_of(&login))["aud"], "kubernetes");
}

#[test]
fn the_older_cache_dir_variable_still_works_and_booleans_read_yes_and_no() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let mut env = environment(&home, &idp);
    env.retain(|(k, _)| *k != "KUBECTL_OIDC_TOKEN_CACHE_DIR");
    env.push((
        "KUBECTL_OIDC_CACHE_DIR",
        home.cache_dir().display().to_string(),
    ));
    // A switch from the environment: with no browser and no code, the login times out at once.
    // The browser command leaves a marker when it runs (issue 33: its output was looked for,
    // and it prints none).
    let marker = home.dir.path().join("browser-opened");
    env.retain(|(k, _)| *k != "KUBECTL_OIDC_BROWSER_COMMAND");
    env.push((
        "KUBECTL_OIDC_BROWSER_COMMAND",
        home.browser(&format!("--marker {}", marker.display()))
            .trim_start_matches("--browser-command=")
            .to_owned(),
    ));
    env.push(("KUBECTL_OIDC_SKIP_OPEN_BROWSER", "yes".into()));
    env.push(("KUBECTL_OIDC_AUTHENTICATION_TIMEOUT_SEC", "1".into()));
    let out = bare(&home, "get-token", &[], &env);
    assert!(!out.status.success());
    assert!(
        !marker.exists(),
        "the browser command ran although KUBECTL_OIDC_SKIP_OPEN_BROWSER=yes: {}",
        stderr(&out)
    );
    // And with the switch off, the same environment logs in, into KUBECTL_OIDC_CACHE_DIR.
    env.retain(|(k, _)| *k != "KUBECTL_OIDC_SKIP_OPEN_BROWSER");
    env.push(("KUBECTL_OIDC_SKIP_OPEN_BROWSER", "no".into()));
    env.retain(|(k, _)| *k != "KUBECTL_OIDC_AUTHENTICATION_TIMEOUT_SEC");
    assert_success(&bare(&home, "get-token", &[], &env));
    assert!(home.cached_id_token().is_some());
    assert!(marker.exists(), "the browser command never ran");
}

#[test]
fn kubelogin_flags_of_old_kubeconfigs_parse_and_are_mapped_with_a_notice() {
    // kubelogin's fixed redirect ports (8000, 18000).
    let _ports = kubelogin_ports();
    let idp = Idp::start(IdpOptions::default());
    let mut home = Home::new(&idp);
    home.args.retain(|a| !a.starts_with("--listen-address"));
    // Client `kubelogin` is registered with kubelogin's redirect URIs (http://localhost:PORT).
    home.args
        .retain(|a| !a.starts_with("--oidc-client-id") && !a.starts_with("--oidc-extra-scope"));
    home.args.push("--oidc-client-id=kubelogin".to_owned());
    let out = home.run(
        "get-token",
        &[
            "--listen-port=0",
            "--oidc-redirect-url-hostname=localhost",
            "--tls-renegotiation-once",
            &home.browser(""),
        ],
        Some(EXEC_V1_INTERACTIVE),
    );
    assert_success(&out);
    let err = stderr(&out);
    assert!(
        err.contains("removed --listen-port is taken as --listen-address=127.0.0.1:0"),
        "{err}"
    );
    // --oidc-redirect-url-hostname is kubelogin's redirect again (issue 18): http://HOST:PORT.
    let redirect = idp.stats()["last_auth"]["redirect_uri"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        redirect.starts_with("http://localhost:") && !redirect.ends_with("/callback"),
        "{redirect}"
    );
    assert!(
        err.contains("rustls implements no TLS renegotiation"),
        "{err}"
    );
    assert_eq!(idp.grants("authorization_code"), 1);
}

#[test]
fn request_headers_reach_the_token_endpoint_as_entra_spa_clients_need() {
    let idp = Idp::start(IdpOptions {
        require_origin: Some("http://localhost"),
        ..Default::default()
    });
    let home = Home::new(&idp);
    let without = home.run("get-token", &[&home.browser("")], Some(EXEC_V1_INTERACTIVE));
    assert_eq!(without.status.code(), Some(5), "{}", stderr(&without));
    assert!(
        stderr(&without).contains("AADSTS9002327"),
        "{}",
        stderr(&without)
    );
    // From the environment, as a team would set it once.
    let with = home
        .command("get-token", &[&home.browser("")], Some(EXEC_V1_INTERACTIVE))
        .env("KUBECTL_OIDC_REQUEST_HEADER", "Origin=http://localhost")
        .output()
        .unwrap();
    assert_success(&with);
    let bad = home.run(
        "get-token",
        &["--oidc-request-header=no-equals-sign", "--force-refresh"],
        Some(EXEC_V1_NONINTERACTIVE),
    );
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
}
