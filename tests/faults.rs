//! Faults end to end: what the plugin does when the provider, the cache or the reader of its
//! output fails. Each checks the exit code by cause, an empty stdout, a message that names the
//! cause and the fix, and a cache that is unchanged (or keeps the newest refresh token).

mod common;

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
    let token = token_of(&home.login());
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
    sleep_until_stale(&token);
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
