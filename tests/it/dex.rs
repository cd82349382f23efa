//! Issue 33 item 1: what only the stand-in answered (tests/idp/server.js's password grant, the
//! device flow's PKCE check, refresh-token rotation, the `dex` preset) proved against a real
//! provider: Dex, built from the Go module proxy (tests/go/dex). Its own login pages are played
//! by the scripted browser.

use crate::common::*;

/// The flags of a home on Dex, with the password in a 0600 file.
fn on_dex(dex: &Dex) -> (Home, String) {
    let home = Home::with_issuer(&dex.issuer);
    let file = home.dir.path().join("password");
    std::fs::write(&file, format!("{DEX_PASSWORD}\n")).unwrap();
    (home, format!("--password-file={}", file.display()))
}

/// The password grant (Dex's local password connector) runs unattended where kubectl says the
/// call is not interactive; Dex issues a refresh token (the `dex` preset asks offline_access)
/// and rotates it on every refresh: the newest is kept each time, so refreshes go on. A wrong
/// password is Dex's refusal, exit 5, never printed.
#[test]
fn the_password_grant_against_dex_logs_in_and_refreshes_through_rotation() {
    let dex = Dex::start();
    let (home, password) = on_dex(&dex);
    let user = format!("--username={DEX_EMAIL}");
    let entry = ["--grant-type=password", &user, &password];
    let first = home.run("get-token", &entry, Some(EXEC_V1_NONINTERACTIVE));
    assert!(first.status.success(), "{}\n{}", stderr(&first), dex.log());
    let token = token_of(&first);
    let c = claims(&token);
    assert_eq!(c["iss"], dex.issuer.as_str());
    assert_eq!(c["aud"], "kubernetes");
    assert_eq!(c["email"], DEX_EMAIL);
    // The entry's own flags, as kubectl runs them (the account is part of the cache key).
    assert_refreshes_rotate(&home, &entry, 2, || dex.log());

    let wrong = home.dir.path().join("wrong");
    std::fs::write(&wrong, "not-the-password\n").unwrap();
    let other = Home::with_issuer(&dex.issuer);
    let out = other.run(
        "get-token",
        &[
            "--grant-type=password",
            &user,
            &format!("--password-file={}", wrong.display()),
        ],
        Some(EXEC_V1_NONINTERACTIVE),
    );
    let err = assert_failure(&out, 5, &[&dex.issuer]);
    assert!(!err.contains("not-the-password"), "{err}");
    assert!(other.cached_id_token().is_none());
}

/// The device flow against Dex, which advertises S256 and so gets a PKCE challenge with the
/// device code and checks the verifier at the token endpoint (RFC 8628 with RFC 7636; its
/// deviceflowhandlers.go): the scripted browser opens verification_uri_complete, confirms the
/// code and logs in on Dex's own pages while the plugin polls; then the session refreshes.
#[test]
fn the_device_flow_against_dex_logs_in_with_pkce_and_refreshes() {
    let dex = Dex::start();
    let discovery: serde_json::Value =
        ureq::get(format!("{}/.well-known/openid-configuration", dex.issuer))
            .call()
            .unwrap()
            .into_body()
            .read_to_string()
            .map(|s| serde_json::from_str(&s).unwrap())
            .unwrap();
    assert!(
        discovery["code_challenge_methods_supported"]
            .as_array()
            .unwrap()
            .contains(&"S256".into())
    );
    let (home, _) = on_dex(&dex);
    let browser = home.browser(&format!("--login {DEX_EMAIL} --password {DEX_PASSWORD}"));
    let out = home.run(
        "login",
        &[
            "--grant-type=device-code",
            &browser,
            "--authentication-timeout-sec=60",
        ],
        None,
    );
    assert!(out.status.success(), "{}\n{}", stderr(&out), dex.log());
    let token = home.cached_id_token().expect("nothing cached");
    assert_eq!(claims(&token)["email"], DEX_EMAIL);
    // The session it left refreshes.
    let out = home.run(
        "get-token",
        &["--force-refresh"],
        Some(EXEC_V1_NONINTERACTIVE),
    );
    assert!(out.status.success(), "{}\n{}", stderr(&out), dex.log());
    assert_ne!(token_of(&out), token);
}

/// The browser login (authorization code with PKCE) against Dex, detected as the `dex` preset
/// by its issuer path: offline_access is asked for, so a refresh token comes.
#[test]
fn the_browser_login_against_dex_uses_the_dex_preset() {
    let dex = Dex::start();
    let (home, _) = on_dex(&dex);
    let browser = home.browser(&format!("--login {DEX_EMAIL} --password {DEX_PASSWORD}"));
    let out = home.run("get-token", &[&browser], Some(EXEC_V1_INTERACTIVE));
    assert!(out.status.success(), "{}\n{}", stderr(&out), dex.log());
    assert_eq!(claims(&token_of(&out))["email"], DEX_EMAIL);
    assert!(
        !home.refresh_token().is_empty(),
        "no offline_access asked for"
    );
}

/// Token exchange (RFC 8693) against Dex: an id_token of the upstream provider (the test IdP,
/// Dex's OIDC connector `upstream`, named by Dex's own `connector_id` parameter) is traded for
/// a Dex id_token of the same person, verified (Dex's signature, iss) before it is cached.
#[test]
fn a_token_exchange_against_dex_trades_the_upstream_id_token() {
    let idp = Idp::start(IdpOptions::default());
    let upstream = Home::new(&idp);
    upstream.login();
    let subject = upstream.cached_id_token().unwrap();
    let dex = Dex::with_upstream(&idp.issuer);
    let home = Home::with_issuer(&dex.issuer);
    let file = home.dir.path().join("subject");
    std::fs::write(&file, &subject).unwrap();
    let out = exchange(&home, &file);
    assert!(out.status.success(), "{}\n{}", stderr(&out), dex.log());
    let token = token_of(&out);
    assert_ne!(token, subject);
    let c = claims(&token);
    assert_eq!(c["iss"], dex.issuer.as_str());
    assert_eq!(c["aud"], "kubernetes");
    assert_eq!(c["email"], claims(&subject)["email"]);
    // A subject token Dex's connector does not verify: Dex's refusal, named; nothing cached.
    let forged = format!(
        "{}.{}.c2ln",
        subject.split('.').next().unwrap(),
        subject.split('.').nth(1).unwrap()
    );
    std::fs::write(&file, forged).unwrap();
    let other = Home::with_issuer(&dex.issuer);
    let out = exchange(&other, &file);
    let err = assert_failure(&out, 5, &[&dex.issuer, "token exchange"]);
    assert!(!err.contains(subject.split('.').nth(1).unwrap()), "{err}");
    assert!(other.cached_id_token().is_none());
}

/// get-token exchanging the subject token in `file` through Dex's connector `upstream`.
fn exchange(home: &Home, file: &std::path::Path) -> std::process::Output {
    home.run(
        "get-token",
        &[
            "--grant-type=token-exchange",
            &format!("--subject-token-file={}", file.display()),
            "--subject-token-type=id_token",
            "--oidc-auth-request-extra-params=connector_id=upstream",
        ],
        Some(EXEC_V1_NONINTERACTIVE),
    )
}

/// The Dex the tests run is the pinned release, built by the test command.
#[test]
fn dex_is_the_pinned_release() {
    let out = std::process::Command::new(k8s_tool("dex"))
        .arg("version")
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Dex Version: v2.45.1"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
