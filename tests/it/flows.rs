//! Login flows other than the loopback browser flow (issue 9), against the real test provider
//! with its device flow enabled, and kubectl driving one through an exec entry.
//!
//! Stand-in (issue 33): oidc-provider has no password grant and does not check PKCE in its
//! device flow, so tests/idp/server.js answers those; they stay here for what Dex cannot be
//! made to do (a provider without refresh tokens for the password grant, a wrong password's
//! own text, the terminal prompt). The same grants are proven against the real Dex in
//! tests/it/dex.rs.

use std::time::{Duration, Instant};

use crate::common::*;

fn device_idp(options: IdpOptions<'_>) -> Idp {
    Idp::start(IdpOptions {
        device_interval: Some(1),
        ..options
    })
}

#[test]
fn device_code_login_shows_the_code_opens_the_complete_uri_and_then_refreshes() {
    let idp = device_idp(IdpOptions {
        id_token_ttl: Some(6),
        ..Default::default()
    });
    let home = Home::new(&idp);
    let marker = home.dir.path().join("opened-url");
    let browser = home.browser(&format!("--marker {}", marker.display()));
    let out = home.run(
        "get-token",
        &["--grant-type=device-code", &browser],
        Some(EXEC_V1_INTERACTIVE),
    );
    assert_success(&out);
    let err = stderr(&out);
    let code = err
        .split("enter the code ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no user code on stderr: {err}"));
    assert!(err.contains(&format!("{}/device", idp.issuer)), "{err}");
    // The browser got verification_uri_complete: the URI with this code in it.
    let opened = std::fs::read_to_string(&marker).unwrap();
    assert!(
        opened.starts_with(&format!("{}/device", idp.issuer)),
        "{opened}"
    );
    assert!(opened.contains("user_code="), "{opened}");
    let token = token_of(&out);
    assert_eq!(claims(&token)["sub"], "alice");
    assert_eq!(claims(&token)["groups"], serde_json::json!(["dev", "ops"]));
    assert!(idp.grants("urn:ietf:params:oauth:grant-type:device_code") >= 1);
    // With PKCE, as the provider advertises S256: the poll that got the tokens carried the
    // verifier of the challenge sent with the device authorization request.
    assert!(
        idp.stats()["device_pkce"].as_u64() >= Some(1),
        "{}",
        idp.stats()
    );
    assert!(
        opened.contains(code),
        "{opened} does not carry the code {code}"
    );

    // The session refreshes like any other: no second device login.
    sleep_until_stale(&out);
    let device_polls = idp.grants("urn:ietf:params:oauth:grant-type:device_code");
    let again = home.run(
        "get-token",
        &["--grant-type=device-code"],
        Some(EXEC_V1_NONINTERACTIVE),
    );
    assert_success(&again);
    assert_ne!(token_of(&again), token);
    assert_eq!(idp.grants("refresh_token"), 1);
    assert_eq!(
        idp.grants("urn:ietf:params:oauth:grant-type:device_code"),
        device_polls
    );
}

#[test]
fn device_code_polling_slows_down_when_told_to() {
    let idp = device_idp(IdpOptions::default());
    let home = Home::new(&idp);
    idp.slow_down_next();
    let started = Instant::now();
    let out = home.run(
        "get-token",
        &["--grant-type=device-code", &home.browser("")],
        Some(EXEC_V1_INTERACTIVE),
    );
    assert_success(&out);
    assert_eq!(idp.stats()["slow_downs"], 1);
    // RFC 8628 §3.5: slow_down adds 5 s to the 1 s interval.
    assert!(
        started.elapsed() >= Duration::from_secs(6),
        "polled again after {:?}",
        started.elapsed()
    );
}

#[test]
fn a_device_code_that_is_not_approved_expires_with_a_clear_message() {
    let idp = device_idp(IdpOptions {
        device_ttl: Some(3),
        ..Default::default()
    });
    let home = Home::new(&idp);
    let out = home.run(
        "get-token",
        &["--grant-type=device-code", &home.browser("--never")],
        Some(EXEC_V1_INTERACTIVE),
    );
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("was not approved in time"), "{err}");
    assert!(err.contains("run the command again"), "{err}");
    assert!(home.cached_id_token().is_none());
    // The provider ends the code first (expired_token): classified where every provider
    // error is (a login is needed, exit 4), with the same advice.
    idp.device_error_next("expired_token");
    let out = home.run(
        "get-token",
        &["--grant-type=device-code", &home.browser("--never")],
        Some(EXEC_V1_INTERACTIVE),
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(
        err.contains("expired_token") && err.contains("was not approved in time"),
        "{err}"
    );
}

#[test]
fn kubectl_drives_a_device_code_login_through_its_exec_entry() {
    // A provider of the real cluster's pool (device polls every second), this test's alone.
    let c = cluster();
    let idp = lease();
    let mut home = Home::new(&idp);
    home.args.extend([
        format!("--certificate-authority={}", c.idp_tls.ca().display()),
        "--grant-type=device-code".to_owned(),
        home.browser(""),
    ]);
    let kubeconfig = write_kubeconfig(&home, &c.server, &c.ca);
    let (devices, logins) = (
        idp.grants("urn:ietf:params:oauth:grant-type:device_code"),
        idp.grants("authorization_code"),
    );
    // interactiveMode: IfAvailable is interactive only when kubectl's stdin is a terminal:
    // run kubectl in a pseudo-terminal (script(1)); the real API server takes the token.
    let line = format!(
        "kubectl --kubeconfig {} auth whoami -o jsonpath={{.status.userInfo.username}}",
        kubeconfig.display()
    );
    let mut script = std::process::Command::new("script");
    script.args(["-qec", &line, "/dev/null"]);
    scrub(&mut script, home.dir.path());
    let out = script
        .env("NODE_EXTRA_CA_CERTS", c.idp_tls.ca())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script(1) on PATH");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}\n{}", stderr(&out));
    assert!(text.trim_end().ends_with("oidc:alice"), "{text}");
    assert!(
        text.contains("enter the code"),
        "the code went to the terminal: {text}"
    );
    assert!(idp.grants("urn:ietf:params:oauth:grant-type:device_code") > devices);
    assert_eq!(idp.grants("authorization_code"), logins);
    assert!(home.cached_id_token().is_some());
}

/// The plugin in a pseudo-terminal (script(1)): its /dev/tty is the pty, and what the test
/// writes to the child's stdin is what the user types there.
fn in_pty(home: &Home, extra: &[&str]) -> std::process::Child {
    let mut words = vec![BIN.to_owned(), "get-token".to_owned()];
    words.extend(home.args.iter().cloned());
    words.extend(extra.iter().map(|s| s.to_string()));
    let mut script = std::process::Command::new("script");
    script.args(["-qec", &shell_words::join(&words), "/dev/null"]);
    scrub(&mut script, home.dir.path());
    script
        .env("KUBERNETES_EXEC_INFO", EXEC_V1_INTERACTIVE)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("script(1) on PATH")
}

/// A login in a pty (`grant` flags) where the browser ends at a redirect URL nothing listens
/// on; the test pastes `paste(url)` into the terminal. Returns the output and the URL.
fn paste_redirect(
    home: &Home,
    grant: &[&str],
    paste: impl Fn(&str) -> String,
) -> (std::process::Output, String) {
    let marker = home.dir.path().join("callback-url");
    let browser = home.browser(&format!("--print-callback {}", marker.display()));
    let mut args = grant.to_vec();
    args.extend(["--oidc-redirect-url=http://127.0.0.1:9/callback", &browser]);
    let mut child = in_pty(home, &args);
    let deadline = Instant::now() + Duration::from_secs(30);
    let url = loop {
        if let Ok(url) = std::fs::read_to_string(&marker) {
            break url;
        }
        assert!(
            Instant::now() < deadline,
            "the browser never reached the redirect"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    use std::io::Write as _;
    writeln!(child.stdin.take().unwrap(), "{}", paste(&url)).unwrap();
    (child.wait_with_output().unwrap(), url)
}

/// A keyboard login, pasting `paste(url)`.
fn keyboard_login(home: &Home, paste: impl Fn(&str) -> String) -> (std::process::Output, String) {
    paste_redirect(home, &["--grant-type=authcode-keyboard"], paste)
}

#[test]
fn authcode_keyboard_takes_the_pasted_redirect_url_from_the_terminal() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let (out, url) = keyboard_login(&home, str::to_owned);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(url.contains("code=") && url.contains("state="), "{url}");
    assert!(text.contains("paste the code"), "{text}");
    assert_eq!(idp.grants("authorization_code"), 1);
    let token = home.cached_id_token().expect("the login was stored");
    assert_eq!(claims(&token)["sub"], "alice");
}

#[test]
fn authcode_keyboard_refuses_a_pasted_url_with_another_state() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let (out, _) = keyboard_login(&home, |url| {
        let state = url
            .split("state=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap();
        url.replace(state, "forged")
    });
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("does not match this login attempt"), "{text}");
    assert!(
        idp.stats()["grants"]["authorization_code"].is_null(),
        "the code was spent"
    );
    assert!(home.cached_id_token().is_none());
}

#[test]
fn authcode_keyboard_without_a_terminal_fails_at_once_naming_the_alternatives() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    // setsid: a session of its own, so no controlling terminal even when the suite has one.
    let mut cmd = std::process::Command::new("setsid");
    cmd.arg(BIN)
        .arg("get-token")
        .args(&home.args)
        .arg("--grant-type=authcode-keyboard");
    scrub(&mut cmd, home.dir.path());
    let out = cmd
        .env("KUBERNETES_EXEC_INFO", EXEC_V1_INTERACTIVE)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("reads the code from a terminal"), "{err}");
    assert!(err.contains("--grant-type=device-code"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn password_grant_runs_unattended_where_kubectl_says_non_interactive() {
    let idp = Idp::start(IdpOptions {
        id_token_ttl: Some(6),
        ..Default::default()
    });
    let home = Home::new(&idp);
    // --username selects the password grant (grant type auto), as in kubelogin.
    let run = || {
        home.command(
            "get-token",
            &["--username=alice"],
            Some(EXEC_V1_NONINTERACTIVE),
        )
        .env("KUBECTL_OIDC_PASSWORD", "alice-password")
        .output()
        .unwrap()
    };
    let first = run();
    assert_success(&first);
    assert!(!stderr(&first).contains("alice-password"));
    let token = token_of(&first);
    assert_eq!(claims(&token)["sub"], "alice");
    assert_eq!(claims(&token)["groups"], serde_json::json!(["dev", "ops"]));
    assert_eq!(idp.grants("password"), 1);
    // No refresh token from this provider: after expiry the password grant runs again, still
    // without anybody at a keyboard.
    sleep_until_stale(&first);
    let again = run();
    assert_success(&again);
    assert_ne!(token_of(&again), token);
    assert_eq!(idp.grants("password"), 2);
}

#[test]
fn a_wrong_password_is_named_as_the_providers_answer_and_never_printed() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let secret = home.dir.path().join("password");
    std::fs::write(&secret, "not-the-password\n").unwrap();
    let out = home.run(
        "get-token",
        &[
            "--grant-type=password",
            "--username=alice",
            &format!("--password-file={}", secret.display()),
        ],
        Some(EXEC_V1_NONINTERACTIVE),
    );
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("refused the password login of alice"), "{err}");
    assert!(err.contains("wrong username or password"), "{err}");
    assert!(!err.contains("not-the-password"), "{err}");
    assert!(home.cached_id_token().is_none());
}

#[test]
fn the_password_is_asked_on_the_terminal_without_echo() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let mut child = in_pty(&home, &["--grant-type=password", "--username=bob"]);
    // Type only once the prompt shows, as a person would (what is typed before echo is
    // turned off is echoed by the terminal itself).
    let mut stdout = child.stdout.take().unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let reader = {
        let seen = seen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = std::io::Read::read(&mut stdout, &mut buf) {
                seen.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        })
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while !String::from_utf8_lossy(&seen.lock().unwrap()).contains("Password of bob: ") {
        assert!(Instant::now() < deadline, "no password prompt");
        std::thread::sleep(Duration::from_millis(50));
    }
    use std::io::Write as _;
    writeln!(child.stdin.take().unwrap(), "bob-password").unwrap();
    let status = child.wait().unwrap();
    reader.join().unwrap();
    let text = String::from_utf8_lossy(&seen.lock().unwrap()).into_owned();
    assert!(status.success(), "{text}");
    assert!(text.contains("Password of bob: "), "{text}");
    assert!(
        !text.contains("bob-password"),
        "the password was echoed: {text}"
    );
    assert_eq!(claims(&home.cached_id_token().unwrap())["sub"], "bob");
}

#[test]
fn auto_picks_the_device_flow_on_an_ssh_session_without_a_display_and_says_why() {
    let idp = device_idp(IdpOptions::default());
    let home = Home::new(&idp);
    // No --browser-command, no $BROWSER, no display; an SSH session.
    let mut child = home
        .command("get-token", &[], Some(EXEC_V1_INTERACTIVE))
        .env("SSH_CONNECTION", "192.0.2.1 50000 192.0.2.2 22")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Play the user on "another machine": read the URI from stderr, approve it there.
    let mut stderr_pipe = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    let url = loop {
        let mut line = String::new();
        let n = std::io::BufRead::read_line(&mut stderr_pipe, &mut line).unwrap();
        assert!(n > 0, "no verification URI on stderr: {seen}");
        seen.push_str(&line);
        if let Some(rest) = line.trim().strip_prefix("(or open ") {
            break rest.trim_end_matches(')').to_owned();
        }
    };
    let browser = std::process::Command::new("node")
        .arg(idp_dir().join("browser.js"))
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        browser.status.success(),
        "{}",
        String::from_utf8_lossy(&browser.stderr)
    );
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{seen}");
    assert!(
        seen.contains("No browser here (an SSH session without a display): logging in with the device code flow"),
        "{seen}"
    );
    assert_eq!(claims(&token_of(&out))["sub"], "alice");
}

#[test]
fn the_browser_flow_also_takes_the_redirect_url_pasted_into_the_terminal() {
    // A jump host: the browser runs elsewhere and ends at a redirect URL it cannot load; the
    // user pastes it into the terminal where the plugin waits on its loopback listener.
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let (out, _) = paste_redirect(&home, &[], str::to_owned);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("Or paste here the URL"), "{text}");
    assert_eq!(idp.grants("authorization_code"), 1);
    assert_eq!(claims(&home.cached_id_token().unwrap())["sub"], "alice");
}

#[test]
fn the_success_page_sends_the_browser_on_when_asked() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let next = "https://portal.example.com/welcome?team=a&b=1";
    let out = home.run(
        "get-token",
        &[
            &format!("--open-url-after-authentication={next}"),
            &home.browser(""),
        ],
        Some(EXEC_V1_INTERACTIVE),
    );
    assert_success(&out);
    assert!(
        stderr(&out).contains(&format!("[browser] sent on to {next}")),
        "{}",
        stderr(&out)
    );
    let bad = home.run(
        "get-token",
        &[
            "--open-url-after-authentication=javascript:alert(1)",
            "--force-refresh",
        ],
        Some(EXEC_V1_NONINTERACTIVE),
    );
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
}

#[test]
fn the_callback_listener_serves_https_with_the_given_certificate() {
    let tls = Tls::new();
    let (idp, mut home, port) = https_loopback();
    let redirect = format!("https://127.0.0.1:{port}/callback");
    home.args.push("--authentication-timeout-sec=30".into());
    let cert = format!(
        "--local-server-cert={}",
        tls.dir.path().join("server.pem").display()
    );
    let key = format!(
        "--local-server-key={}",
        tls.dir.path().join("server.key").display()
    );
    // The scripted browser trusts the test CA, as a user would trust their certificate.
    let out = home
        .command(
            "get-token",
            &[&home.browser(""), &cert, &key],
            Some(EXEC_V1_INTERACTIVE),
        )
        .env("NODE_EXTRA_CA_CERTS", tls.ca())
        .output()
        .unwrap();
    assert_success(&out);
    assert_eq!(idp.stats()["last_auth"]["redirect_uri"], redirect.as_str());
    assert!(
        stderr(&out).contains(&format!("callback on {redirect}")),
        "{}",
        stderr(&out)
    );
    // A key without its certificate is a usage error; a certificate that cannot be read is
    // named before the browser opens.
    let out = home.run("login", &[&key], None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let marker = home.dir.path().join("browser-opened");
    let out = home.run(
        "login",
        &[
            "--local-server-cert=/nonexistent/cert.pem",
            &key,
            &format!("--browser-command=touch {}", marker.display()),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("/nonexistent/cert.pem"),
        "{}",
        stderr(&out)
    );
    assert!(!marker.exists());
}
