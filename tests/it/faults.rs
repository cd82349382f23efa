//! Faults end to end: what the plugin does when the provider, the cache, the user (Ctrl-C) or
//! the reader of its output fails. Each checks the exit code by cause, an empty stdout, a
//! message that names the cause and the fix, and a cache that is unchanged (or keeps the
//! newest refresh token).

use std::time::{Duration, Instant};

use crate::common::*;

/// `host:port` of a URL, as the messages name it.
fn host_of(url: &str) -> String {
    url.split("://")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned()
}

#[test]
fn a_failing_or_unreachable_provider_during_a_refresh_is_named_and_the_session_kept() {
    let (idp, home, login) = logged_in(IdpOptions {
        id_token_ttl: Some(6),
        ..Default::default()
    });
    let (session, id_token) = (home.cache_path("session"), home.cache_path("id_token"));
    let before = (
        std::fs::read(&session).unwrap(),
        std::fs::read(&id_token).unwrap(),
    );
    let unchanged = || {
        assert_eq!(
            (
                std::fs::read(&session).unwrap(),
                std::fs::read(&id_token).unwrap()
            ),
            before,
            "the cache was changed"
        );
    };
    sleep_until_stale(&login);
    let host = host_of(&idp.issuer);

    // A 502 error page at the token endpoint, in an interactive call: the provider is named,
    // exit 6, and no browser login is started for it.
    let opened = home.dir.path().join("browser-opened");
    idp.fail_next_refresh("html");
    let out = home.run(
        "get-token",
        &[&format!("--browser-command=touch {}", opened.display())],
        Some(EXEC_V1_INTERACTIVE),
    );
    let err = assert_failure(&out, 6, &[]);
    assert!(out.stdout.is_empty());
    assert!(
        err.contains("502 Bad Gateway") && err.contains(&host),
        "{err}"
    );
    assert!(
        err.contains("session is kept") && !err.contains("log in"),
        "{err}"
    );
    assert!(
        !opened.exists(),
        "a browser was opened for a failing provider"
    );
    assert_eq!(idp.grants("authorization_code"), 1);
    unchanged();

    // The provider is down: the same, without a provider to ask. (The second call repeats the
    // first one's error, so it is the one-line reference to it, which still names the host.)
    drop(idp);
    for (i, exec_info) in [EXEC_V1_NONINTERACTIVE, EXEC_V1_INTERACTIVE]
        .into_iter()
        .enumerate()
    {
        let out = home.run(
            "get-token",
            &[&format!("--browser-command=touch {}", opened.display())],
            Some(exec_info),
        );
        let err = assert_failure(&out, 6, &[]);
        assert!(out.stdout.is_empty());
        assert!(err.contains(&host), "{err}");
        assert!(
            err.contains(["session is kept", "same error as"][i]),
            "{err}"
        );
        assert!(!err.contains("kubectl oidc login"), "{err}");
        assert!(
            !opened.exists(),
            "a browser was opened for a provider that is down"
        );
        unchanged();
    }
}

#[test]
fn kubectl_retries_show_the_error_in_full_once_then_as_a_one_line_reference() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    std::fs::create_dir_all(home.cache_dir()).unwrap();
    let runs: Vec<String> = (0..3)
        .map(|_| {
            let out = home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
            assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
            stderr(&out)
        })
        .collect();
    assert!(
        runs[0].contains("log in with: kubectl oidc login"),
        "{}",
        runs[0]
    );
    for later in &runs[1..] {
        assert_eq!(later.trim_end().lines().count(), 1, "{later}");
        assert!(
            later.contains("same error as") && later.contains(&idp.issuer),
            "{later}"
        );
    }
}

/// An app that runs the plugin itself (k9s, Lens, Headlamp, an IDE), played by one long-lived
/// Python process: it runs `get-token` several times in a row, its stdin a pipe it holds open
/// and never writes.
const APP: &str = r#"
import json, subprocess, sys, time
n, argv = int(sys.argv[1]), sys.argv[2:]
runs = []
for _ in range(n):
    started = time.monotonic()
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = p.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
    runs.append({"rc": p.returncode, "stdout": out.decode(), "stderr": err.decode(),
                 "seconds": time.monotonic() - started})
print(json.dumps(runs))
"#;

/// Issue 32 item 4: an app without a parent kubectl, with kubectl's non-interactive exec info
/// and without any: it never waits on stdin; the first failure is in full, the repeats within
/// 5 s are short but still end with the command that fixes it (an app may show only the
/// latest one).
#[test]
fn an_app_that_runs_the_plugin_itself_gets_the_fix_every_time_and_no_stdin_read() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    std::fs::create_dir_all(home.cache_dir()).unwrap();
    for exec_info in [Some(EXEC_V1_NONINTERACTIVE), None] {
        let mut app = std::process::Command::new("python3");
        app.args(["-c", APP, "4", BIN, "get-token"])
            .args(&home.args);
        scrub(&mut app, home.dir.path());
        if let Some(info) = exec_info {
            app.env("KUBERNETES_EXEC_INFO", info);
        }
        let out = app.output().unwrap();
        assert_success(&out);
        let runs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let runs = runs.as_array().unwrap();
        for (i, run) in runs.iter().enumerate() {
            let err = run["stderr"].as_str().unwrap();
            assert_eq!(run["rc"], 4, "{exec_info:?} run {i}: {err}");
            assert_eq!(run["stdout"], "", "{exec_info:?} run {i}");
            assert!(
                run["seconds"].as_f64().unwrap() < 10.0,
                "stdin was waited on: {err}"
            );
            assert!(
                err.contains("log in with: kubectl oidc login "),
                "{exec_info:?} run {i}: {err}"
            );
            let short = err.contains("(the same error as ");
            match exec_info {
                // kubectl's exec info: the first in full, then short.
                Some(_) => assert_eq!(short, i > 0, "run {i}: {err}"),
                // A call that says nothing of kubectl is a person's or a script's: in full.
                None => assert!(!short, "run {i}: {err}"),
            }
            if short {
                assert_eq!(err.trim_end().lines().count(), 1, "{err}");
                assert!(!err.contains("no refresh token is cached), but"), "{err}");
            }
        }
    }
}

/// Issue 21 item 5: the one-line reference is for kubectl's own retries only. Two commands a
/// person types (two kubectl processes) each get the full text, with the fix.
#[test]
fn two_kubectl_commands_each_show_the_error_in_full() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    std::fs::create_dir_all(home.cache_dir()).unwrap();
    let mut args = String::new();
    for a in std::iter::once("get-token".to_owned()).chain(home.args.iter().cloned()) {
        args.push_str(&format!("\n      - {}", serde_json::to_string(&a).unwrap()));
    }
    let kubeconfig = home.dir.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {{server: \"https://127.0.0.1:1\"}}\n\
             users:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      interactiveMode: Never\n      command: kubectl-oidc\n      args:{args}\n\
             contexts:\n- name: c\n  context: {{cluster: c, user: u}}\ncurrent-context: c\n"
        ),
    )
    .unwrap();
    let path = kubeconfig.display().to_string();
    for run in 0..2 {
        let out = kubectl(&home, &["--kubeconfig", &path, "get", "--raw", "/version"]);
        assert!(!out.status.success());
        let err = stderr(&out);
        assert!(
            err.contains("log in with: kubectl oidc login"),
            "kubectl command {run}: {err}"
        );
    }
}

#[test]
fn a_revoked_refresh_token_in_a_non_interactive_call_says_how_to_log_in_and_keeps_the_cache() {
    let (idp, home, login) = logged_in(IdpOptions {
        id_token_ttl: Some(6),
        ..Default::default()
    });
    sleep_until_stale(&login);
    let session = home.cache_path("session");
    let before = std::fs::read(&session).unwrap();

    idp.fail_next_refresh("invalid_grant");
    let out = home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("invalid_grant")
            && err.contains("test: refresh token revoked")
            && err.contains("kubectl oidc login"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&session).unwrap(),
        before,
        "the cache was changed"
    );

    // An HTML error page from the provider: its status and text, not a parse error.
    idp.fail_next_refresh("html");
    let out = home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("502 Bad Gateway") && err.contains(&idp.issuer),
        "{err}"
    );

    // Interactive: the failed refresh falls back to a browser login.
    idp.fail_next_refresh("invalid_grant");
    let out = home.run("get-token", &[&home.browser("")], Some(EXEC_V1_INTERACTIVE));
    assert_success(&out);
    assert!(stderr(&out).contains("logging in again"));
    assert_eq!(idp.grants("authorization_code"), 2);
}

#[test]
fn ctrl_c_during_login_releases_the_port_and_the_lock_and_leaves_the_cache() {
    let idp = Idp::start(IdpOptions::default());
    let mut home = Home::new(&idp);
    let port = free_port();
    home.args.retain(|a| !a.starts_with("--listen-address"));
    home.args.push(format!("--listen-address=127.0.0.1:{port}"));
    let child = home
        .command(
            "get-token",
            &[&home.browser("--never")],
            Some(EXEC_V1_INTERACTIVE),
        )
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_until("the listener is up", || {
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    kill_int(child.id());
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success() && out.stdout.is_empty());
    std::net::TcpListener::bind(("127.0.0.1", port)).expect("the port is free again");
    let lock = home.cache_path("lock");
    std::fs::File::open(&lock)
        .unwrap()
        .try_lock()
        .expect("the lock is free again");
    assert_eq!(home.cached_id_token(), None);
}

fn kill_int(pid: u32) {
    let status = std::process::Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn a_hanging_provider_does_not_hang_kubectl() {
    // A provider that accepts connections and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let issuer = format!("http://{}", silent.local_addr().unwrap());
    let _keep = std::thread::spawn(move || {
        let _conns: Vec<_> = silent.incoming().take(4).collect();
        std::thread::sleep(Duration::from_secs(120));
    });
    let home = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(BIN);
    cmd.args([
        "get-token",
        &format!("--oidc-issuer-url={issuer}"),
        "--oidc-client-id=kubernetes",
        "--http-timeout-sec=1",
    ]);
    cmd.arg(format!("--token-cache-dir={}", home.path().display()));
    scrub(&mut cmd, home.path());
    let started = Instant::now();
    let out = cmd
        .env("KUBERNETES_EXEC_INFO", EXEC_V1_INTERACTIVE)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    // The provider holds the connections two minutes: the call ended on its own timeout.
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
    assert!(!out.status.success() && out.stdout.is_empty());
    let err = stderr(&out);
    assert!(
        err.contains(&issuer)
            && err.contains("/.well-known/openid-configuration")
            && err.to_lowercase().contains("timeout"),
        "{err}"
    );
}

#[test]
fn ctrl_c_during_a_refresh_releases_the_lock_and_leaves_the_cache() {
    let (idp, home, login) = logged_in(IdpOptions {
        id_token_ttl: Some(6),
        ..Default::default()
    });
    // The refresh's answer would come after two minutes, past any bound below; the plugin's
    // own timeout is longer still, so only Ctrl-C can end the call early.
    idp.delay_tokens(120_000);
    let session = home.cache_path("session");
    let id_token = home.cache_path("id_token");
    let (session_before, id_before) = (
        std::fs::read(&session).unwrap(),
        std::fs::read(&id_token).unwrap(),
    );
    sleep_until_stale(&login);
    let child = home
        .command(
            "get-token",
            &["--http-timeout-sec=600"],
            Some(EXEC_V1_NONINTERACTIVE),
        )
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_until("the refresh reaches the provider", || {
        idp.grants("refresh_token") > 0
    });
    let interrupted = Instant::now();
    kill_int(child.id());
    let out = child.wait_with_output().unwrap();
    assert!(
        interrupted.elapsed() < Duration::from_secs(60),
        "Ctrl-C waited for the provider"
    );
    assert!(!out.status.success() && out.stdout.is_empty());
    std::fs::File::open(home.cache_path("lock"))
        .unwrap()
        .try_lock()
        .expect("the lock is free again");
    assert_eq!(std::fs::read(&session).unwrap(), session_before);
    assert_eq!(std::fs::read(&id_token).unwrap(), id_before);
}

/// spec §1.3 and issue 12 items 2 and 9: the provider spends the old refresh token and sends a
/// new one, but the id_token in its answer is unusable. Each cause is named as such (not
/// "signature verification failed"), the exit code says the provider refused it, nothing is
/// served, and the new refresh token is kept: the next call refreshes without a login.
#[test]
fn an_unusable_refresh_answer_is_named_and_its_new_refresh_token_kept() {
    let idp = Idp::start(IdpOptions {
        id_token_ttl: Some(6),
        ..Default::default()
    });
    let home = Home::new(&idp);
    let mut last = home.login();
    let cases = [
        ("bad-signature", "does not verify with the provider's key"),
        ("alg-none", "\"none\""),
        ("wrong-aud", "is not for client kubernetes"),
        ("wrong-iss", "another issuer than"),
        (
            "unknown-kid",
            "\"rotated-away\", which is not in the provider's JWKS",
        ),
        ("expired", "has already expired"),
    ];
    for (i, (mode, cause)) in cases.into_iter().enumerate() {
        sleep_until_stale(&last);
        let id_token_before = std::fs::read(home.cache_path("id_token")).unwrap();
        idp.fail_next_refresh(mode);
        let out = home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(5), "{mode}: {err}");
        assert!(out.stdout.is_empty(), "{mode}");
        assert!(err.contains(cause), "{mode}: {err}");
        assert!(
            err.contains("new refresh token it sent was kept"),
            "{mode}: {err}"
        );
        assert!(
            !err.contains("Signature verification failed"),
            "{mode}: {err}"
        );
        assert_eq!(
            std::fs::read(home.cache_path("id_token")).unwrap(),
            id_token_before,
            "{mode}: the unusable id_token was stored"
        );
        // The rotated refresh token was kept: the next call refreshes, no login.
        last = home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
        assert_success(&last);
        assert_eq!(idp.grants("refresh_token"), 2 * (i as u64 + 1), "{mode}");
        assert_eq!(
            idp.grants("authorization_code"),
            1,
            "{mode}: a login was needed"
        );
    }
}

/// A discovery document that is an error page, or JSON cut short: the provider is named as
/// failing (exit 6), no browser opens, nothing is cached.
#[test]
fn a_broken_discovery_document_is_named_and_opens_no_browser() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let marker = home.dir.path().join("browser-opened");
    for (mode, says) in [
        ("html", "503"),
        (
            "garbage",
            "an answer that is not an OpenID discovery document",
        ),
    ] {
        idp.break_discovery(mode);
        let out = home.run(
            "get-token",
            &[&home.browser(&format!("--marker {}", marker.display()))],
            Some(EXEC_V1_INTERACTIVE),
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(6), "{mode}: {err}");
        assert!(out.stdout.is_empty());
        assert!(
            err.contains("OpenID discovery failed for issuer")
                && err.contains(&idp.issuer)
                && err.contains(says),
            "{mode}: {err}"
        );
        assert!(!marker.exists(), "{mode}: a browser was opened");
        assert_eq!(home.cached_id_token(), None);
    }
}

/// Issue 21 item 4: an issuer URL that is not the provider's is a setting to fix (exit 3), and
/// the message says which: the issuer the provider names (a trailing slash too many), or that
/// there is no discovery document at the URL given. No browser opens.
#[test]
fn an_issuer_url_that_is_not_the_providers_says_what_to_pass() {
    let idp = Idp::start(IdpOptions::default());
    let mut home = Home::new(&idp);
    let marker = home.dir.path().join("browser-opened");
    for (issuer, says) in [
        (
            format!("{}/", idp.issuer),
            format!(
                "the provider names itself {0}: pass exactly that, --oidc-issuer-url={0} ",
                idp.issuer
            ),
        ),
        (
            format!("{}/realms/nope", idp.issuer),
            format!(
                "{}/realms/nope/.well-known/openid-configuration is not an OpenID discovery document",
                idp.issuer
            ),
        ),
    ] {
        home.args.retain(|a| !a.starts_with("--oidc-issuer-url"));
        home.args.push(format!("--oidc-issuer-url={issuer}"));
        let out = home.run(
            "get-token",
            &[&home.browser(&format!("--marker {}", marker.display()))],
            Some(EXEC_V1_INTERACTIVE),
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(3), "{issuer}: {err}");
        assert!(out.stdout.is_empty());
        assert!(err.contains(&says), "{issuer}: {err}");
        assert!(!marker.exists(), "{issuer}: a browser was opened");
    }
}

/// Issue 21 item 4, and issue 31 item 4: a client the provider does not know gets the
/// provider's error page, never a callback; that page is found before any browser opens
/// (oidc-provider answers the authorization request 400 invalid_client), and the error names
/// the client, at once.
#[test]
fn a_client_the_provider_does_not_know_is_said_before_any_browser_opens() {
    let idp = Idp::start(IdpOptions::default());
    let mut home = Home::new(&idp);
    home.args.retain(|a| !a.starts_with("--oidc-client-id"));
    home.args.push("--oidc-client-id=nobody".into());
    let (marker, browser) = home.marked_browser();
    let out = home.run(
        "login",
        &[&browser, "--authentication-timeout-sec=60"],
        None,
    );
    let err = assert_failure(
        &out,
        5,
        &[
            &format!(
                "{} refused the login request of the client nobody before any browser opened: \
                 HTTP 400, invalid_client",
                idp.issuer
            ),
            "check --oidc-client-id=nobody: the provider does not know that client",
        ],
    );
    assert!(!marker.exists(), "a browser was opened: {err}");
}

/// Issue 9: a refresh answer without an id_token (providers that renew only the access token).
/// While the cached id_token is valid it is served, with a notice, and the new refresh token is
/// kept; once it has expired, only a login helps, and a non-interactive call says so. The
/// refresh tokens the provider rotated on the way are kept: the next refresh works.
#[test]
fn a_refresh_answer_without_an_id_token_serves_the_valid_one_then_asks_for_a_login() {
    let (idp, home, first) = logged_in(IdpOptions {
        id_token_ttl: Some(8),
        ..Default::default()
    });
    let old = token_of(&first);
    let exp = claims(&old)["exp"].as_i64().unwrap();

    // Stale (inside the refresh margin) but valid: the old id_token, good until its exp.
    sleep_until_stale(&first);
    idp.fail_next_refresh("no-id-token");
    let served = home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
    assert_success(&served);
    assert_eq!(token_of(&served), old);
    let err = stderr(&served);
    assert!(
        err.contains("refreshed without sending an id_token"),
        "{err}"
    );
    let until = exec_credential(&served)["status"]["expirationTimestamp"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(&until)
            .unwrap()
            .timestamp(),
        exp
    );

    // Expired: a non-interactive call asks for a login, naming why.
    #[expect(clippy::disallowed_methods, reason = "a test waits on the clock")]
    let now = || chrono::Utc::now().timestamp();
    while now() <= exp {
        std::thread::sleep(Duration::from_millis(200));
    }
    idp.fail_next_refresh("no-id-token");
    let refused = home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
    assert_eq!(refused.status.code(), Some(4), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("carries no id_token"),
        "{}",
        stderr(&refused)
    );
    assert!(refused.stdout.is_empty());

    // Both answers rotated the refresh token; the newest was kept, so this refresh works.
    let again = home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
    assert_success(&again);
    assert_ne!(token_of(&again), old);
    assert_eq!(idp.grants("refresh_token"), 3);
}

/// Issue 17 item 1: a token response that does not parse must not put any token on stderr.
/// The provider refreshes for real (so the tokens are live) and then spoils its answer in
/// every way in tests/idp/server.js's MALFORMED; none of the access token, refresh token or
/// id_token it carried may appear in the message, whole or in part. `expires_in` as a string
/// (as some providers send it) is accepted as the number it spells. The session survives:
/// the last refresh works.
#[test]
fn a_malformed_token_response_never_puts_a_token_on_stderr() {
    let idp = Idp::start(IdpOptions {
        no_rotation: true,
        ..Default::default()
    });
    let home = Home::new(&idp);
    home.login();
    // Each mode, and what the message says of it (beside the issuer).
    let modes = [
        ("expires-in-word", "expires_in: invalid type: string"),
        (
            "expires-in-huge",
            "expires_in: invalid type: floating point `1e+300`",
        ),
        (
            "expires-in-negative",
            "expires_in: invalid value: integer `-5`",
        ),
        ("no-token-type", "missing field `token_type`"),
        ("token-type-number", "token_type: invalid type: integer `7`"),
        ("no-access-token", "missing field `access_token`"),
        ("access-token-number", "access_token: invalid type: integer"),
        ("access-token-object", "access_token: invalid type: map"),
        (
            "refresh-token-number",
            "refresh_token: invalid type: integer",
        ),
        (
            "refresh-token-array",
            "refresh_token: invalid type: sequence",
        ),
        ("scope-number", "scope: invalid type: integer"),
        ("id-token-number", "expected JsonWebToken"),
        ("id-token-not-jwt", "Invalid JSON web token"),
        ("id-token-bad-base64", "Invalid base64url payload"),
        ("id-token-payload-not-json", "Failed to parse payload JSON"),
        (
            "id-token-exp-string",
            "the id_token's exp claim is not a number of seconds",
        ),
        (
            "id-token-exp-huge",
            "the id_token's exp claim is 1e+300, not a time between 1970 and 9999",
        ),
        (
            "id-token-exp-object",
            "the id_token's exp claim is not a number",
        ),
        (
            "id-token-aud-number",
            "the id_token's aud claim is neither a string nor strings",
        ),
        (
            "id-token-sub-secret-type",
            "the id_token's sub claim is not a string",
        ),
        ("truncated", "EOF while parsing"),
        ("array", "JSON that is an array where an object belongs"),
        ("string", "JSON that is a string where an object belongs"),
        ("html", "text/html"),
        ("form-encoded", "application/x-www-form-urlencoded"),
        (
            "error-with-tokens",
            "error: \"server_error\", error_description: \"could not finish\"",
        ),
        (
            "unknown-error-with-tokens",
            "{access_token: a string, error: \"…\"}",
        ),
    ];
    for (mode, says) in modes {
        idp.fail_next_refresh(&format!("malformed-{mode}"));
        let out = home.run(
            "get-token",
            &["--force-refresh"],
            Some(EXEC_V1_NONINTERACTIVE),
        );
        let err = stderr(&out);
        let secrets: Vec<String> = idp.stats()["malformed_secrets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(secrets.len(), 3, "{mode}: the provider did not refresh");
        assert_eq!(out.status.code(), Some(6), "{mode}: {err}");
        assert!(out.stdout.is_empty(), "{mode}");
        assert!(
            err.contains(&format!("refreshing the token at {} failed", idp.issuer))
                && err.contains(says),
            "{mode}: {err}"
        );
        for secret in &secrets {
            assert_no_part_of(secret, &err, mode);
        }
    }

    // Answers that are odd but usable: an unknown token_type, JSON with something after it.
    // They carry tokens too, which stderr must not show (issue 33: they were not checked).
    for mode in ["token-type-secret", "trailing-garbage"] {
        idp.fail_next_refresh(&format!("malformed-{mode}"));
        let out = home.run(
            "get-token",
            &["--force-refresh"],
            Some(EXEC_V1_NONINTERACTIVE),
        );
        assert_success(&out);
        let secrets = idp.stats()["malformed_secrets"].clone();
        let secrets = secrets.as_array().unwrap();
        assert_eq!(secrets.len(), 3, "{mode}: the provider did not refresh");
        for secret in secrets {
            assert_no_part_of(secret.as_str().unwrap(), &stderr(&out), mode);
        }
    }

    // A string expires_in is the number it spells: the refresh succeeds.
    idp.fail_next_refresh("malformed-expires-in-string");
    let out = home.run(
        "get-token",
        &["--force-refresh"],
        Some(EXEC_V1_NONINTERACTIVE),
    );
    assert_success(&out);
    assert_eq!(stderr(&out), "");
    let secrets = idp.stats()["malformed_secrets"].clone();
    assert_eq!(token_of(&out), secrets[2].as_str().unwrap());
    assert_eq!(idp.grants("authorization_code"), 1, "a login was needed");
}

/// No 16-character piece of `secret` (a JWT's header, which only names the algorithm and the
/// key, aside) is in `text`.
fn assert_no_part_of(secret: &str, text: &str, what: &str) {
    let parts: Vec<&str> = secret.split('.').collect();
    let secret_parts: &[&str] = if parts.len() == 3 {
        &parts[1..]
    } else {
        &parts[..]
    };
    for part in secret_parts {
        let chars: Vec<char> = part.chars().collect();
        for window in chars.windows(16.min(chars.len())) {
            let piece: String = window.iter().collect();
            assert!(
                !text.contains(&piece),
                "{what}: stderr carries {piece:?}, a part of a token: {text}"
            );
        }
    }
}

/// Issue 17 item 9: an id_token valid until the year 10000 (signed, verified) is served with
/// an expirationTimestamp kubectl can read (the last second of 9999), and kubectl uses it.
#[test]
fn an_id_token_valid_past_the_year_9999_is_reported_as_kubectl_can_read() {
    // A provider of the real cluster's pool, this test's alone (its next refresh is broken).
    let TlsLogin { idp, home, .. } = TlsLogin::leased("alice");
    let c = cluster();
    let refreshes = idp.grants("refresh_token");
    idp.fail_next_refresh("year-10000");
    let out = home.run(
        "get-token",
        &["--force-refresh"],
        Some(EXEC_V1_NONINTERACTIVE),
    );
    assert_success(&out);
    assert_eq!(
        exec_credential(&out)["status"]["expirationTimestamp"],
        "9999-12-31T23:59:59Z"
    );
    // kubectl reads the expiry, and the real API server takes the token.
    let kubeconfig = write_kubeconfig(&home, &c.server, &c.ca);
    let got = kubectl(
        &home,
        &[
            &format!("--kubeconfig={}", kubeconfig.display()),
            "auth",
            "whoami",
            "-o",
            "jsonpath={.status.userInfo.username}",
        ],
    );
    assert_success(&got);
    assert_eq!(String::from_utf8_lossy(&got.stdout), "oidc:alice");
    assert_eq!(
        idp.grants("refresh_token"),
        refreshes + 1,
        "the cached token was not served"
    );
}
