//! Faults end to end: what the plugin does when the provider, the cache, the user (Ctrl-C) or
//! the reader of its output fails. Each checks the exit code by cause, an empty stdout, a
//! message that names the cause and the fix, and a cache that is unchanged (or keeps the
//! newest refresh token).

mod common;

use std::time::{Duration, Instant};

use common::*;

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
    let idp = Idp::start(IdpOptions {
        id_token_ttl: Some(6),
        ..Default::default()
    });
    let home = Home::new(&idp);
    let login = home.login();
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
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(6), "{err}");
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
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(6), "{err}");
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
        runs[0].contains("log in with:\n\n    kubectl oidc login"),
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

#[cfg(unix)]
#[test]
fn a_closed_stdout_is_a_quiet_success() {
    use std::os::fd::{FromRawFd as _, OwnedFd};
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    home.login();
    // `kubectl-oidc get-token ... | head -c0`, without the race: the read end is closed before
    // the plugin starts, so its write fails with EPIPE.
    let mut fds = [0; 2];
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    drop(read);
    let out = home
        .command("get-token", &[], Some(EXEC_V1_NONINTERACTIVE))
        .stdout(write)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
}

#[test]
fn a_revoked_refresh_token_in_a_non_interactive_call_says_how_to_log_in_and_keeps_the_cache() {
    let idp = Idp::start(IdpOptions {
        id_token_ttl: Some(6),
        ..Default::default()
    });
    let home = Home::new(&idp);
    let login = home.login();
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
fn a_corrupted_cache_is_a_warning_and_a_refresh_not_a_crash() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    home.login();
    let id_file = home.cache_path("id_token");
    std::fs::write(&id_file, b"\x00\x01 not json").unwrap();
    let out = home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
    assert_success(&out);
    assert!(
        stderr(&out).contains("ignoring the cache file"),
        "{}",
        stderr(&out)
    );
    assert_eq!(idp.grants("refresh_token"), 1);
    // A token that is not a JWT is also just a miss.
    std::fs::write(
        &id_file,
        br#"{"version":1,"format":"plain","data":{"id_token":"garbage"}}"#,
    )
    .unwrap();
    let out = home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
    assert_success(&out);
    assert_eq!(idp.grants("refresh_token"), 2);
    // A corrupt session loses the refresh token: a non-interactive call says how to log in,
    // warns once (not once per read), and leaves the file for the next login to replace.
    let session = home.cache_path("session");
    std::fs::write(&session, b"{ torn").unwrap();
    std::fs::write(&id_file, b"").unwrap();
    let out = home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_eq!(err.matches(".session").count(), 1, "{err}");
    assert!(err.contains("kubectl oidc login"), "{err}");
    assert_eq!(std::fs::read(&session).unwrap(), b"{ torn");
}

#[test]
fn ctrl_c_during_login_releases_the_port_and_the_lock_and_leaves_the_cache() {
    let idp = Idp::start(IdpOptions::default());
    let mut home = Home::new(&idp);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
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
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the listener never came up"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
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
        std::thread::sleep(Duration::from_secs(30));
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
    assert!(
        started.elapsed() < Duration::from_secs(5),
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
    let idp = Idp::start(IdpOptions {
        id_token_ttl: Some(6),
        token_delay_ms: Some(4000),
        ..Default::default()
    });
    let home = Home::new(&idp);
    let login = home.login();
    let session = home.cache_path("session");
    let id_token = home.cache_path("id_token");
    let (session_before, id_before) = (
        std::fs::read(&session).unwrap(),
        std::fs::read(&id_token).unwrap(),
    );
    sleep_until_stale(&login);
    let child = home
        .command("get-token", &[], Some(EXEC_V1_NONINTERACTIVE))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while idp.grants("refresh_token") == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the refresh never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    kill_int(child.id());
    let out = child.wait_with_output().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(3),
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
        ("no-id-token", "carries no id_token"),
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

/// Issue 12 item 8: `--token-cache-storage=keyring` without a Secret Service fails before the
/// browser login, not after it.
#[test]
fn a_strict_keyring_store_that_cannot_work_fails_before_the_login() {
    let idp = Idp::start(IdpOptions::default());
    let mut home = Home::new(&idp);
    home.args
        .retain(|a| !a.starts_with("--token-cache-storage"));
    home.args.push("--token-cache-storage=keyring".into());
    let marker = home.dir.path().join("browser-opened");
    let out = home
        .command(
            "get-token",
            &[&home.browser(&format!("--marker {}", marker.display()))],
            Some(EXEC_V1_INTERACTIVE),
        )
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(7), "{err}");
    assert!(
        err.contains("--token-cache-storage=keyring needs a working OS keyring"),
        "{err}"
    );
    assert!(!marker.exists(), "the browser login ran first");
    assert!(idp.stats()["paths"]["/auth"].is_null());
}

/// Issue 12 item 5: a login waiting for the browser in one terminal does not hold up a
/// kubectl call that only needs a refresh; one that needs a login says which pid is doing it.
#[test]
fn a_pending_login_neither_blocks_a_refresh_nor_hides_itself() {
    let idp = Idp::start(IdpOptions {
        id_token_ttl: Some(6),
        ..Default::default()
    });
    let home = Home::new(&idp);
    let first = home.login();
    let mut pending = home
        .command(
            "login",
            &[&home.browser("--never"), "--authentication-timeout-sec=60"],
            None,
        )
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while idp.stats()["paths"]["/.well-known/openid-configuration"] != 2 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the login never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    sleep_until_stale(&first);
    let started = Instant::now();
    let out = home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
    assert_success(&out);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the refresh waited {:?} behind the pending login",
        started.elapsed()
    );
    assert_eq!(idp.grants("refresh_token"), 1);
    // The refresh token is refused now: only a login helps, and one is in progress.
    sleep_until_stale(&out);
    idp.fail_next_refresh("invalid_grant");
    let started = Instant::now();
    let out = home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(
        err.contains(&format!("in progress in pid {}", pending.id())),
        "{err}"
    );
    pending.kill().unwrap();
    pending.wait().unwrap();
}

/// Issue 12 item 6: temp files that a writer killed mid-write left behind (one may hold a
/// refresh token) are removed by the next writer, under the lock.
#[test]
fn temp_files_of_a_killed_writer_are_removed() {
    let idp = Idp::start(IdpOptions {
        id_token_ttl: Some(6),
        ..Default::default()
    });
    let home = Home::new(&idp);
    let first = home.login();
    let session = home.cache_path("session");
    let digest = session.file_stem().unwrap().to_string_lossy().into_owned();
    let orphans: Vec<_> = ["session.0a1b2c3d4e5f", "id_token.a1b2c3d4e5f6"]
        .iter()
        .map(|s| home.cache_dir().join(format!(".{digest}.{s}.tmp")))
        .collect();
    for o in &orphans {
        std::fs::write(o, "a refresh token, half written").unwrap();
    }
    let other = home
        .cache_dir()
        .join(".other-entry.session.0a1b2c3d4e5f.tmp");
    std::fs::write(&other, "not ours").unwrap();
    sleep_until_stale(&first);
    assert_success(&home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE)));
    for o in &orphans {
        assert!(!o.exists(), "{} is still there", o.display());
    }
    assert!(other.exists(), "another entry's file was removed");
    let left: Vec<_> = std::fs::read_dir(home.cache_dir())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!(".{digest}")))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// Issue 12 item 2: a full disk fails the refresh before the refresh token is spent, so once
/// there is room again the same refresh token still works. Runs the plugin in a mount
/// namespace of its own (unshare) with the cache on a 64 KiB tmpfs.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_fails_before_the_refresh_token_is_spent() {
    let idp = Idp::start(IdpOptions {
        id_token_ttl: Some(6),
        ..Default::default()
    });
    let home = Home::new(&idp);
    let cache = home.cache_dir();
    std::fs::create_dir_all(&cache).unwrap();
    let plugin = |extra: &str| {
        let mut args = vec![BIN.to_owned(), "get-token".to_owned()];
        args.extend(home.args.iter().cloned());
        if !extra.is_empty() {
            args.push(extra.to_owned());
        }
        args.iter()
            .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
            .collect::<Vec<_>>()
            .join(" ")
    };
    // One shell in one namespace: log in, wait, fill the disk, refresh, free it, refresh.
    let script = format!(
        r#"set -u
mount -t tmpfs -o size=64k tmpfs {cache} || exit 90
KUBERNETES_EXEC_INFO='{interactive}' {login} >/dev/null || exit 91
sleep 5
dd if=/dev/zero of={cache}/filler bs=1k 2>/dev/null
{get} >/dev/null 2>{cache}/../full.err; echo "full=$?"
rm {cache}/filler
{get} >/dev/null 2>{cache}/../room.err; echo "room=$?""#,
        cache = cache.display(),
        login = plugin(&home.browser("")),
        interactive = EXEC_V1_INTERACTIVE,
        get = plugin(""),
    );
    let mut cmd = std::process::Command::new("unshare");
    cmd.args(["-rm", "sh", "-c", &script]);
    scrub(&mut cmd, home.dir.path());
    cmd.env("KUBERNETES_EXEC_INFO", EXEC_V1_NONINTERACTIVE);
    let out = cmd.output().expect("unshare (util-linux) is needed");
    let text = String::from_utf8_lossy(&out.stdout);
    let full_err = std::fs::read_to_string(home.dir.path().join("full.err")).unwrap_or_default();
    assert!(
        text.contains("full=7"),
        "{text} {}\n{full_err}",
        stderr(&out)
    );
    assert!(
        full_err.contains("the refresh token was not used"),
        "{full_err}"
    );
    assert!(
        text.contains("room=0"),
        "{text}\n{}",
        std::fs::read_to_string(home.dir.path().join("room.err")).unwrap_or_default()
    );
    assert_eq!(
        idp.grants("refresh_token"),
        1,
        "the full disk spent a refresh token"
    );
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

/// A discovery document that is an error page, or JSON cut short: the provider is named as
/// failing (exit 6), no browser opens, nothing is cached.
#[test]
fn a_broken_discovery_document_is_named_and_opens_no_browser() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let marker = home.dir.path().join("browser-opened");
    for (mode, says) in [
        ("html", "503"),
        ("garbage", "Failed to parse server response"),
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

/// A read-only cache directory (a read-only bind mount in a mount namespace of its own): the
/// stale path fails at once, naming the cache (exit 7), before any refresh token is spent.
#[cfg(target_os = "linux")]
#[test]
fn a_read_only_cache_fails_before_the_refresh_token_is_spent() {
    let idp = Idp::start(IdpOptions {
        id_token_ttl: Some(6),
        ..Default::default()
    });
    let home = Home::new(&idp);
    let first = home.login();
    sleep_until_stale(&first);
    let cache = home.cache_dir();
    let mut args = vec![BIN.to_owned(), "get-token".to_owned()];
    args.extend(home.args.iter().cloned());
    let script = format!(
        "mount --bind {c} {c} && mount -o remount,bind,ro {c} || exit 90; exec \"$@\"",
        c = cache.display()
    );
    let mut cmd = std::process::Command::new("unshare");
    cmd.args(["-rm", "sh", "-c", &script, "sh"]).args(&args);
    scrub(&mut cmd, home.dir.path());
    cmd.env("KUBERNETES_EXEC_INFO", EXEC_V1_NONINTERACTIVE);
    let out = cmd.output().expect("unshare (util-linux) is needed");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(7), "{err}");
    assert!(out.stdout.is_empty());
    assert!(
        err.contains(&cache.display().to_string()) && err.contains("Read-only"),
        "{err}"
    );
    assert_eq!(idp.grants("refresh_token"), 0, "a refresh token was spent");
    // Writable again: the same refresh token works.
    assert_success(&home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE)));
    assert_eq!(idp.grants("refresh_token"), 1);
}
