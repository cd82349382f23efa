//! The session lifecycle end to end: status, logout (with revocation proven at the provider),
//! clean, several accounts for one issuer and client, version.

use crate::common::*;

fn run(home: &Home, subcommand: &str, extra: &[&str]) -> std::process::Output {
    // status and clean take only --token-cache-dir of the plugin's flags.
    let mut cmd = std::process::Command::new(BIN);
    cmd.arg(subcommand)
        .arg(format!("--token-cache-dir={}", home.cache_dir().display()))
        .args(extra)
        .stdin(std::process::Stdio::null());
    scrub(&mut cmd, home.dir.path());
    cmd.output().unwrap()
}

fn status_json(home: &Home) -> Vec<serde_json::Value> {
    let out = run(home, "status", &["-o", "json"]);
    assert_success(&out);
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn status_lists_sessions_and_never_a_token() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    // An empty (even absent) cache is not an error.
    let out = run(&home, "status", &[]);
    assert_success(&out);
    assert!(String::from_utf8_lossy(&out.stdout).contains("No cached sessions"));
    assert_eq!(status_json(&home), Vec::<serde_json::Value>::new());

    let token = token_of(&home.login());
    let rows = status_json(&home);
    assert_eq!(rows.len(), 1, "{rows:?}");
    let r = &rows[0];
    assert_eq!(r["issuer"], idp.issuer.as_str());
    assert_eq!(r["client_id"], "kubernetes");
    assert_eq!(r["subject"], "alice");
    assert_eq!(r["email"], "alice@example.com");
    assert_eq!(r["refresh_token"], true);
    assert_eq!(r["store"], "plain-file");
    assert!(r["account"].is_null());
    assert!(r["expires_in"].as_i64().unwrap() > 0, "{r}");
    assert!(r["expires_at"].as_str().unwrap().ends_with('Z'));
    assert!(r["last_refreshed"].is_string());
    let text = run(&home, "list", &[]);
    assert_success(&text);
    let text_out = String::from_utf8_lossy(&text.stdout);
    assert!(
        text_out.contains("1 cached session")
            && text_out.contains(&idp.issuer)
            && text_out.contains("alice (alice@example.com)")
            && text_out.contains("refresh token held"),
        "{text_out}"
    );
    let refresh_token = home.refresh_token();
    for out in [&text, &run(&home, "status", &["-o", "json"])] {
        let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(out));
        assert!(
            !all.contains(&token) && !all.contains(&refresh_token),
            "a token was printed"
        );
    }
}

#[test]
fn logout_revokes_the_refresh_token_at_the_provider_and_removes_the_session() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    home.login();
    let refresh_token = home.refresh_token();
    let marker = home.dir.path().join("end-session-url");
    let out = home.run(
        "logout",
        &[
            "--end-session",
            &home.browser(&format!("--marker {} --never", marker.display())),
        ],
        None,
    );
    assert_success(&out);
    let err = stderr(&out);
    assert!(
        err.contains("the refresh token was revoked at") && err.contains("removed from"),
        "{err}"
    );
    assert_eq!(status_json(&home).len(), 0);
    assert_eq!(std::fs::read_dir(home.cache_dir()).unwrap().count(), 0);
    // Proven at the provider: the revoked refresh token no longer works there.
    let (status, body) = idp.try_refresh(&refresh_token);
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("invalid_grant"), "{body}");
    // --end-session opened the provider's end_session_endpoint, with no token in the URL.
    let url = std::fs::read_to_string(&marker).unwrap();
    assert!(
        url.starts_with(&idp.issuer) && url.contains("client_id=kubernetes"),
        "{url}"
    );
    assert!(
        !url.contains("id_token_hint") && !url.contains(&refresh_token),
        "{url}"
    );
    // Logging out again: nothing is cached, and logout says so instead of a removal that did
    // not happen (issue 21 item 1); nothing to do is a success, not a configuration error
    // (issue 31 item 5).
    let again = home.run("logout", &[], None);
    assert_success(&again);
    let err = stderr(&again);
    assert!(
        err.starts_with("kubectl-oidc: nothing to do: no session of ")
            && err.contains("so nothing was logged out or removed (already logged out)")
            && !err.contains("Logged out"),
        "{err}"
    );
}

/// Issue 21 item 1: logged in with --oidc-extra-scope=email, a logout without the scope
/// matches no session: it says so, lists the session it may have meant (with its scopes) and
/// how to remove it, exits non-zero, and the session stays.
#[test]
fn logout_with_flags_that_match_no_session_removes_nothing_and_says_which_exist() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    home.login();
    let mut cmd = std::process::Command::new(BIN);
    cmd.arg("logout")
        .arg(format!("--oidc-issuer-url={}", idp.issuer))
        .arg("--oidc-client-id=kubernetes")
        .arg(format!("--token-cache-dir={}", home.cache_dir().display()))
        .arg("--token-cache-storage=disk");
    scrub(&mut cmd, home.dir.path());
    let out = cmd.output().unwrap();
    let err = assert_failure(&out, 3, &[]);
    assert!(
        err.contains("scopes (none but openid)")
            && err.contains("nothing was logged out or removed")
            && err.contains("  - scopes email groups")
            && err.contains("kubectl oidc clean"),
        "{err}"
    );
    assert!(!err.contains("Logged out"), "{err}");
    let rows = status_json(&home);
    assert_eq!(rows.len(), 1, "the session was removed");
    assert_eq!(rows[0]["refresh_token"], true);
}

#[test]
fn logout_without_a_revocation_endpoint_still_removes_the_session_and_says_so() {
    let idp = Idp::start(IdpOptions {
        no_revocation: true,
        ..Default::default()
    });
    let home = Home::new(&idp);
    home.login();
    let refresh_token = home.refresh_token();
    let out = home.run("logout", &[], None);
    assert_success(&out);
    assert!(
        stderr(&out).contains("has no revocation endpoint"),
        "{}",
        stderr(&out)
    );
    assert_eq!(status_json(&home).len(), 0);
    assert_eq!(
        idp.try_refresh(&refresh_token).0,
        200,
        "it was revoked after all"
    );

    // A provider that is down: the local session goes anyway, with a warning.
    home.login();
    drop(idp);
    let out = home.run("logout", &[], None);
    assert_success(&out);
    assert!(
        stderr(&out).contains("could not revoke"),
        "{}",
        stderr(&out)
    );
    assert_eq!(status_json(&home).len(), 0);
}

#[test]
fn two_accounts_for_one_issuer_and_client_live_side_by_side_then_clean_removes_them() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let marker = home.dir.path().join("auth-url");
    let login = |account: &str, user: &str| {
        let out = home.run(
            "get-token",
            &[
                &format!("--account={account}"),
                &home.browser(&format!("--login {user} --marker {}", marker.display())),
            ],
            Some(EXEC_V1_INTERACTIVE),
        );
        assert_success(&out);
        // The provider is told which identity to log in with.
        let url = std::fs::read_to_string(&marker).unwrap();
        assert!(url.contains(&format!("login_hint={account}")), "{url}");
        claims(&token_of(&out))["sub"].as_str().unwrap().to_owned()
    };
    assert_eq!(login("work", "alice"), "alice");
    assert_eq!(login("home", "bob"), "bob");
    // Each account is served from its own cache entry, without a login.
    for (account, sub) in [("work", "alice"), ("home", "bob")] {
        let out = home.run(
            "get-token",
            &[&format!("--account={account}")],
            Some(EXEC_V1_NONINTERACTIVE),
        );
        assert_success(&out);
        assert_eq!(claims(&token_of(&out))["sub"], sub);
    }
    assert_eq!(idp.grants("authorization_code"), 2);
    let rows = status_json(&home);
    let accounts: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["account"].as_str().unwrap(),
                r["subject"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(accounts, [("home", "bob"), ("work", "alice")]);

    // clean: --dry-run and a young --older-than keep everything; plain clean removes all.
    let out = run(&home, "clean", &["--dry-run"]);
    assert_success(&out);
    assert!(
        stderr(&out).contains("Would remove 2 of 2"),
        "{}",
        stderr(&out)
    );
    let out = run(&home, "clean", &["--older-than", "1d"]);
    assert_success(&out);
    assert!(stderr(&out).contains("Removed 0 of 2"), "{}", stderr(&out));
    assert_eq!(status_json(&home).len(), 2);
    let out = run(&home, "clean", &[]);
    assert_success(&out);
    assert!(stderr(&out).contains("Removed 2 of 2"), "{}", stderr(&out));
    assert_eq!(status_json(&home).len(), 0);
    assert_eq!(
        run(&home, "clean", &["--older-than", "nonsense"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn version_names_the_build() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(BIN);
    cmd.arg("version");
    scrub(&mut cmd, home.path());
    let out = cmd.output().unwrap();
    assert_success(&out);
    let text = String::from_utf8_lossy(&out.stdout);
    for line in [
        "kubectl-oidc 0.",
        "commit: ",
        "target: x86_64-",
        "keyring: Secret Service",
    ] {
        assert!(text.contains(line), "{line:?} in {text}");
    }
}

/// Issue 17 item 4: a logout while a refresh is in flight waits for it (the entry's lock),
/// then revokes and removes what it stored: the session does not come back, and the refresh
/// token the refresh was given is revoked at the provider.
#[test]
fn logout_during_a_refresh_revokes_what_the_refresh_stored() {
    let idp = Idp::start(IdpOptions {
        token_delay_ms: Some(1500),
        ..Default::default()
    });
    let home = Home::new(&idp);
    home.login();
    let refresh = home
        .command(
            "get-token",
            &["--force-refresh"],
            Some(EXEC_V1_NONINTERACTIVE),
        )
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The refresh has taken the lock and its request is at the provider (which answers it
    // 1.5 s later).
    wait_until("the refresh request reached the provider", || {
        idp.grants("refresh_token") == 1
    });
    let out = home.run("logout", &[], None);
    assert_success(&out);
    assert!(
        stderr(&out).contains("the refresh token was revoked at"),
        "{}",
        stderr(&out)
    );
    let refreshed = refresh.wait_with_output().unwrap();
    assert_success(&refreshed);
    assert_eq!(idp.grants("refresh_token"), 1);
    assert_eq!(
        status_json(&home),
        Vec::<serde_json::Value>::new(),
        "the session came back"
    );
    let issued = idp.stats()["last_refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body) = idp.try_refresh(&issued);
    assert_eq!(status, 400, "the refreshed token still works: {body}");
}

/// Issue 17 (from the sweep): `clean` leaves the login-lock of a login that is still waiting
/// for the user (a second login must still wait for it), and removes everything else.
#[test]
fn clean_keeps_the_lock_of_a_login_in_progress() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    home.login();
    let mut pending = home.pending_login(&idp);
    let login_lock = home.cache_path("session").with_extension("login-lock");
    assert!(login_lock.exists());
    assert_success(&run(&home, "clean", &[]));
    assert!(
        login_lock.exists(),
        "clean removed the lock of a login in progress"
    );
    assert_eq!(status_json(&home), Vec::<serde_json::Value>::new());
    // A second login waits for the first, as it would have without the clean.
    let said = home.dir.path().join("second.err");
    let mut second = home
        .command("login", &[&home.browser("")], None)
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&said).unwrap())
        .spawn()
        .unwrap();
    // It says it waits (or, wrongly, finishes): whichever comes first, not a guessed time.
    wait_until("the second login said it waits, or ended", || {
        std::fs::read_to_string(&said).is_ok_and(|s| s.contains("Waiting for another"))
            || second.try_wait().unwrap().is_some()
    });
    let _ = second.kill();
    second.wait().unwrap();
    let waited = std::fs::read_to_string(&said).unwrap();
    assert!(
        waited.contains(&format!(
            "Waiting for another kubectl-oidc (pid {})",
            pending.id()
        )),
        "{waited}"
    );
    pending.kill().unwrap();
    pending.wait().unwrap();
    assert_success(&run(&home, "clean", &[]));
    assert!(!login_lock.exists());
}

/// Issue 31 item 10: at `-v1` each trace line is printed once per call, though the cache is
/// looked at again on the way to a refresh.
#[test]
fn a_trace_line_is_printed_once_per_call() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    home.login();
    std::fs::remove_file(home.cache_path("id_token")).unwrap();
    let out = home.run("get-token", &["-v1"], Some(EXEC_V1_NONINTERACTIVE));
    assert_success(&out);
    let err = stderr(&out);
    assert_eq!(
        err.matches("cache: no id_token for this entry").count(),
        1,
        "{err}"
    );
    let lines: Vec<&str> = err.lines().collect();
    let distinct: std::collections::BTreeSet<&str> = lines.iter().copied().collect();
    assert_eq!(lines.len(), distinct.len(), "{err}");
}
