//! Issue 33 item 1: the keycloak preset against a real Keycloak (common/keycloak.rs): a browser
//! login on Keycloak's own pages with the preset detected from the `/realms/` issuer, full
//! group paths (Keycloak's default) explained by the doctor, and refreshes through Keycloak's
//! rotating refresh tokens. Only the preset's text for a missing refresh token stays on the
//! stand-in (providers.rs): a Keycloak client without refresh tokens is a setting these tests
//! do not change.

use crate::common::*;

/// A home on Keycloak with the flags of the README's Keycloak section: the group mapper is
/// the client's own (its dedicated scope), so no `groups` scope is asked for (Keycloak refuses
/// a scope it does not have).
fn on_keycloak(k: &Keycloak) -> Home {
    let mut home = Home::with_issuer(&k.issuer);
    home.args.retain(|a| a != "--oidc-extra-scope=groups");
    home
}

fn login(home: &Home, k: &Keycloak) -> std::process::Output {
    let out = home.run(
        "get-token",
        &[&home.browser(&format!("--password {KEYCLOAK_PASSWORD}"))],
        Some(EXEC_V1_INTERACTIVE),
    );
    assert!(out.status.success(), "{}\n{}", stderr(&out), k.log());
    out
}

#[test]
fn a_browser_login_on_keycloak_gets_its_full_group_paths_explained() {
    let k = keycloak();
    eprintln!("Keycloak {KEYCLOAK_VERSION} ready in {:?}", k.started_in);
    let home = on_keycloak(k);
    // The preset is detected from the issuer's /realms/ path.
    let shown = home.run("get-token", &["--show-config"], None);
    assert_success(&shown);
    let config = String::from_utf8_lossy(&shown.stdout);
    assert!(config.contains("keycloak"), "{config}");

    let out = login(&home, k);
    let c = claims(&token_of(&out));
    assert_eq!(c["iss"], k.issuer.as_str());
    assert_eq!(c["aud"], "kubernetes");
    assert_eq!(c["email"], "alice@example.com");
    assert_eq!(c["groups"], serde_json::json!(["/dev", "/ops"]));

    // The API server maps the groups as they are; the doctor says why a binding to `dev`
    // does not match and what to change at Keycloak.
    let mut doctor = std::process::Command::new(BIN);
    doctor
        .args(["debug-token", "--token-cache-dir"])
        .arg(home.cache_dir())
        .args(&home.args[..4])
        .args(["--oidc-groups-claim=groups", "--oidc-username-claim=email"]);
    scrub(&mut doctor, home.dir.path());
    let report = doctor.output().unwrap();
    let text = String::from_utf8_lossy(&report.stdout);
    assert!(
        text.contains("Keycloak full path"),
        "{text}{}",
        stderr(&report)
    );
    assert!(text.contains("Full group path"), "{text}");
}

/// Keycloak issues a new refresh token with every refresh: the newest is kept each time, so
/// refreshes go on, with no browser.
#[test]
fn refreshes_against_keycloak_keep_the_newest_refresh_token() {
    let k = keycloak();
    let home = on_keycloak(k);
    login(&home, k);
    let (marker, browser) = home.marked_browser();
    assert_refreshes_rotate(&home, &[&browser], 2, || k.log());
    assert!(!marker.exists(), "a browser was opened");
}

#[test]
fn keycloak_is_the_pinned_release() {
    let k = keycloak();
    let home = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("target/keycloak/keycloak-{KEYCLOAK_VERSION}"));
    let version = std::fs::read_to_string(home.join("version.txt")).unwrap();
    assert_eq!(
        version.trim(),
        format!("Keycloak - Version {KEYCLOAK_VERSION}")
    );
    // The server that answers is that one (its discovery names the realm's issuer).
    let body = ureq::get(format!("{}/.well-known/openid-configuration", k.issuer))
        .call()
        .unwrap()
        .into_body()
        .read_to_string()
        .unwrap();
    let discovery: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(discovery["issuer"], k.issuer.as_str());
}
