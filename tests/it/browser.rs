//! The login in a real browser: Debian's headless Chromium (tests/idp/chrome.js, playwright-core
//! driving the system binary) as --browser-command, where the scripted client of the other
//! tests cannot tell: a `localhost` redirect (Chromium tries ::1 first), the provider's real
//! pages, our success and error pages (screenshots kept in target/screenshots/),
//! --open-url-after-authentication's redirect, an HTTPS callback, and the device flow's
//! verification page. Few and short: the scripted client covers the rest.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common::*;

/// Where the page's screenshot `name` is kept (target/screenshots/, named in the README), the
/// previous run's removed.
fn screenshot(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let shot = dir.join(name);
    let _ = std::fs::remove_file(&shot);
    shot
}

/// The real browser as --browser-command, with chrome.js's flags. Chromium must be installed:
/// the README's test command does it; without it this fails with the fix.
fn chrome(flags: &str) -> String {
    require_tool("chromium");
    format!(
        "--browser-command=node {} {flags}",
        idp_dir().join("chrome.js").display()
    )
}

/// Wait (10 s at most) for the browser, which runs on after the plugin, to write `file`.
fn written(file: &Path) -> String {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if let Ok(text) = std::fs::read_to_string(file)
            && !text.is_empty()
        {
            return text;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the browser never wrote {}", file.display());
}

/// A home logging in as client `kubelogin` with kubelogin's redirect, http://localhost:PORT.
fn localhost_home(idp: &Idp) -> Home {
    let mut home = Home::new(idp);
    home.args
        .retain(|a| !a.starts_with("--oidc-client-id") && !a.starts_with("--oidc-extra-scope"));
    home.args.extend([
        "--oidc-client-id=kubelogin".to_owned(),
        "--oidc-redirect-url-hostname=localhost".to_owned(),
    ]);
    home
}

#[test]
fn a_real_browser_logs_in_through_a_localhost_redirect_and_sees_our_page() {
    // kubelogin's fixed redirect ports (8000, 18000).
    let _ports = kubelogin_ports();
    let idp = Idp::start(IdpOptions::default());
    let home = localhost_home(&idp);
    let text = home.dir.path().join("page.txt");
    let shot = screenshot("success.png");
    let out = home.run(
        "login",
        &[&chrome(&format!(
            "--text {} --screenshot {}",
            text.display(),
            shot.display()
        ))],
        None,
    );
    assert_success(&out);
    let page = written(&text);
    assert!(
        page.contains("You are logged in")
            && page.contains(&idp.issuer)
            && page.contains("What to do next"),
        "{page}"
    );
    let redirect = idp.stats()["last_auth"]["redirect_uri"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(redirect.starts_with("http://localhost:"), "{redirect}");
    // Nothing secret on the page: no code or state (the page says none; the URL had them).
    assert!(
        !page.contains("code=") && !page.contains("state="),
        "{page}"
    );
    let start = Instant::now();
    while std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0) < 5_000 {
        assert!(start.elapsed() < Duration::from_secs(10), "no screenshot");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_denied_consent_shows_what_happened_and_what_to_do() {
    // kubelogin's fixed redirect ports (8000, 18000).
    let _ports = kubelogin_ports();
    let idp = Idp::start(IdpOptions::default());
    let home = localhost_home(&idp);
    let text = home.dir.path().join("page.txt");
    let shot = screenshot("error.png");
    let out = home.run(
        "login",
        &[&chrome(&format!(
            "--deny --text {} --screenshot {}",
            text.display(),
            shot.display()
        ))],
        None,
    );
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stderr(&out).contains("access_denied"), "{}", stderr(&out));
    let page = written(&text);
    assert!(
        page.contains("The login did not finish")
            && page.contains(&format!("the provider {} said: access_denied", idp.issuer))
            && page.contains("What to do:")
            && page.contains("kubectl oidc login"),
        "{page}"
    );
    let start = Instant::now();
    while std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0) < 5_000 {
        assert!(start.elapsed() < Duration::from_secs(10), "no screenshot");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(idp.grants("authorization_code"), 0);
}

#[test]
fn the_browser_follows_open_url_after_authentication() {
    // kubelogin's fixed redirect ports (8000, 18000).
    let _ports = kubelogin_ports();
    let idp = Idp::start(IdpOptions::default());
    let home = localhost_home(&idp);
    let landing = format!("{}/.well-known/openid-configuration", idp.issuer);
    let went = home.dir.path().join("final-url");
    let out = home.run(
        "login",
        &[
            &chrome(&format!("--final-url {}", went.display())),
            &format!("--open-url-after-authentication={landing}"),
        ],
        None,
    );
    assert_success(&out);
    assert_eq!(written(&went), landing);
}

/// An HTTPS callback (--local-server-cert): the browser trusts it only through the test CA;
/// without that trust it stops at its certificate warning and the login never completes.
#[test]
fn an_https_callback_is_taken_by_a_browser_that_trusts_its_ca_only() {
    let tls = Tls::new();
    let (idp, mut home, port) = https_loopback();
    home.args.retain(|a| !a.starts_with("--oidc-extra-scope"));
    // The listener presents its certificate with the test CA's, as a chain.
    let chain = tls.dir.path().join("chain.pem");
    std::fs::write(
        &chain,
        [
            std::fs::read(tls.dir.path().join("server.pem")).unwrap(),
            std::fs::read(tls.ca()).unwrap(),
        ]
        .concat(),
    )
    .unwrap();
    home.args.extend([
        format!("--local-server-cert={}", chain.display()),
        format!(
            "--local-server-key={}",
            tls.dir.path().join("server.key").display()
        ),
    ]);
    // Not trusted: the certificate warning; the callback never arrives.
    let out = home.run(
        "login",
        &[&chrome(""), "--authentication-timeout-sec=6"],
        None,
    );
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert_eq!(idp.grants("authorization_code"), 0);
    // Trusted through the test CA's key: the login completes over HTTPS.
    let text = home.dir.path().join("page.txt");
    let out = home.run(
        "login",
        &[&chrome(&format!(
            "--spki {} --text {}",
            spki_sha256(&tls.ca()),
            text.display()
        ))],
        None,
    );
    assert_success(&out);
    assert!(written(&text).contains("You are logged in"));
    assert_eq!(
        idp.stats()["last_auth"]["redirect_uri"],
        format!("https://127.0.0.1:{port}/callback")
    );
}

/// The base64 SHA-256 of a certificate's public key (what Chromium's
/// --ignore-certificate-errors-spki-list takes).
fn spki_sha256(cert: &Path) -> String {
    let out = std::process::Command::new("sh")
        .args([
            "-c",
            "openssl x509 -in \"$1\" -pubkey -noout | openssl pkey -pubin -outform der \
             | openssl dgst -sha256 -binary | openssl base64 -A",
            "sh",
        ])
        .arg(cert)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// The device flow's verification page in a real browser: the provider's code confirmation,
/// login and consent, while the plugin polls.
#[test]
fn the_device_flows_verification_page_works_in_a_real_browser() {
    let idp = Idp::start(IdpOptions {
        device_interval: Some(1),
        ..Default::default()
    });
    let home = Home::new(&idp);
    let text = home.dir.path().join("page.txt");
    let out = home.run(
        "login",
        &[
            "--grant-type=device-code",
            &chrome(&format!("--text {}", text.display())),
        ],
        None,
    );
    assert_success(&out);
    // The login was the device flow's (no code came to a loopback listener), and the browser
    // ended on the provider's success page (issue 33: a count of at least one poll and any
    // text at all proved nothing).
    assert_eq!(idp.grants("authorization_code"), 0);
    assert!(idp.grants("urn:ietf:params:oauth:grant-type:device_code") >= 1);
    let page = written(&text);
    assert!(page.contains("Sign-in Success"), "{page}");
    assert!(home.cached_id_token().is_some());
}
