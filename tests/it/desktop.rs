//! Calls without a terminal (IDEs, Lens, Headlamp, k9s) on a desktop: one browser login for
//! many callers, never a tab storm, never in CI or over SSH (issue 22, auth/desktop.rs). The
//! scripted browser records every URL it is given, so "opened once" is counted, not assumed.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

/// get-token as an app runs it: `interactive: false`, stdin /dev/null, a desktop (`DISPLAY`),
/// `env` on top; each call from a parent of its own, as each kubectl an IDE starts (one parent
/// would be one kubectl retrying, whose repeated error is shortened).
fn app_call(home: &Home, extra: &[&str], env: &[(&str, &str)]) -> Command {
    app_call_under(&[], home, extra, env)
}

/// [`app_call`] with `wrapper` (a program and its arguments) running the plugin.
fn app_call_under(wrapper: &[&str], home: &Home, extra: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "\"$@\"; exit $?", "sh"])
        .args(wrapper)
        .args([BIN, "get-token"])
        .args(&home.args)
        .args(extra);
    scrub(&mut cmd, home.dir.path());
    cmd.env("KUBERNETES_EXEC_INFO", EXEC_V1_NONINTERACTIVE)
        .env("DISPLAY", ":0")
        .envs(env.iter().copied())
        .stdin(Stdio::null());
    cmd
}

/// The scripted browser, recording each URL it is opened with into `record`.
fn recording_browser(home: &Home, record: &Path, flags: &str) -> String {
    home.browser(&format!("--record {} {flags}", record.display()))
}

fn opened(record: &Path) -> usize {
    std::fs::read_to_string(record)
        .map(|s| s.lines().count())
        .unwrap_or(0)
}

/// `n` app calls at once, their outputs in order.
fn at_once(n: usize, call: impl Fn() -> Command) -> Vec<Output> {
    let children: Vec<_> = (0..n)
        .map(|_| {
            call()
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect()
}

const OPENED: &str = "kubectl-oidc: opened the browser to log in to ";

#[test]
fn twenty_calls_without_a_terminal_open_one_browser_and_all_get_the_token() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let record = home.dir.path().join("opened");
    // The person takes a second and a half to log in; the other 19 calls arrive meanwhile.
    let browser = recording_browser(&home, &record, "--delay-ms 1500");
    let outs = at_once(20, || app_call(&home, &[&browser], &[]));
    for out in &outs {
        assert_success(out);
    }
    assert_eq!(opened(&record), 1, "browsers opened");
    assert_eq!(idp.grants("authorization_code"), 1);
    let tokens: std::collections::BTreeSet<String> = outs.iter().map(token_of).collect();
    assert_eq!(tokens.len(), 1, "one login, one token");
    // stderr: the leader's one line; nothing from the 19 others.
    let leaders: Vec<String> = outs.iter().map(stderr).filter(|e| !e.is_empty()).collect();
    assert_eq!(leaders.len(), 1, "{leaders:?}");
    assert_eq!(leaders[0].lines().count(), 1, "{}", leaders[0]);
    assert!(
        leaders[0].starts_with(&format!("{OPENED}{}; waiting up to 180s", idp.issuer)),
        "{}",
        leaders[0]
    );
    // A cache hit afterwards, from an app: nothing on stderr.
    let out = app_call(&home, &[&browser], &[]).output().unwrap();
    assert_success(&out);
    assert_eq!(stderr(&out), "");
    assert_eq!(opened(&record), 1);
}

#[test]
fn a_browser_login_left_unanswered_is_not_opened_again_until_a_person_logs_in() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let record = home.dir.path().join("opened");
    let browser = recording_browser(&home, &record, "--never");
    let timeout = "--authentication-timeout-sec=2";
    let outs = at_once(20, || app_call(&home, &[&browser, timeout], &[]));
    assert_eq!(opened(&record), 1, "browsers opened");
    for out in &outs {
        assert_eq!(out.status.code(), Some(4), "{}", stderr(out));
        assert!(out.stdout.is_empty());
    }
    let leader = outs
        .iter()
        .map(stderr)
        .find(|e| e.starts_with(OPENED))
        .expect("one call led");
    assert!(
        leader.contains(&format!(
            "the browser login to {} was not finished within 2s; no browser opens again for a \
             call without a terminal until a login succeeds; log in with: kubectl oidc login",
            idp.issuer
        )),
        "{leader}"
    );

    // The next calls fail at once: no browser, not a request to the provider, and not a wait
    // for a login (whose timeout is now two minutes: a call that waited would take that long).
    let requests = idp.stats()["requests"].as_u64().unwrap();
    let start = Instant::now();
    let long = "--authentication-timeout-sec=120";
    let outs = at_once(20, || app_call(&home, &[&browser, long], &[]));
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(opened(&record), 1, "a browser opened again");
    assert_eq!(idp.stats()["requests"].as_u64().unwrap(), requests);
    for out in &outs {
        let err = stderr(out);
        assert_eq!(out.status.code(), Some(4), "{err}");
        // One line, the cause and the command, as an app shows it.
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(
            err.contains(
                "for a call without a terminal was not finished, so no browser opens again"
            ) && err.contains("kubectl oidc login"),
            "{err}"
        );
    }

    // A person logs in: the record goes, and the next time an app may open the browser again.
    assert_success(&home.login());
    assert_eq!(
        std::fs::read_dir(home.cache_dir())
            .unwrap()
            .flatten()
            .filter(|f| f
                .file_name()
                .to_string_lossy()
                .ends_with(".browser-attempt"))
            .count(),
        0
    );
    let out = app_call(&home, &[&browser], &[]).output().unwrap();
    assert_success(&out);
}

/// Issue 31 item 1: five app calls at once whose cached refresh token the provider refuses
/// (spent elsewhere: oidc-provider rotates refresh tokens, so the old one is refused). One
/// browser login, every time, and every call gets its token. Every rename is delayed (strace,
/// notes on race windows): a temp file lives long enough for any caller that would remove
/// another's to do so, and a browser opened before its record is written is seen by the others.
#[test]
fn calls_whose_refresh_token_is_refused_open_one_browser_every_time() {
    require_tool("strace");
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    home.login();
    let record = home.dir.path().join("opened");
    let browser = recording_browser(&home, &record, "");
    let widened = [
        "strace",
        "-f",
        "-qq",
        "-o",
        "/dev/null",
        "-e",
        "trace=rename,renameat,renameat2",
        "-e",
        "inject=rename,renameat,renameat2:delay_enter=100000",
    ];
    for round in 1..=50 {
        let (status, body) = idp.try_refresh(&home.refresh_token());
        assert_eq!(status, 200, "{body}");
        std::fs::remove_file(home.cache_path("id_token")).unwrap();
        let outs = at_once(5, || app_call_under(&widened, &home, &[&browser], &[]));
        for out in &outs {
            assert_success(out);
        }
        assert_eq!(opened(&record), round, "round {round}: browsers opened");
        let leaders = outs
            .iter()
            .filter(|o| stderr(o).starts_with(OPENED))
            .count();
        assert_eq!(leaders, 1, "round {round}");
    }
    assert_eq!(idp.grants("authorization_code"), 51);
}

/// Issue 31 item 3: a browser command that fails at once is reported at once, with its exit
/// status and the command that logs in, as when no browser exists; no call waits for a login
/// that never opened, and the next call is not refused as if one had been left unanswered.
#[test]
fn a_browser_command_that_fails_is_reported_at_once() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    for (browser, env, failed) in [
        ("--browser-command=false", ("X", "1"), "\"false\""),
        ("--browser=auto", ("BROWSER", "sh -c 'exit 3'"), "\"sh\""),
    ] {
        for _ in 0..2 {
            // A call that waited for the login would take its two minutes.
            let start = Instant::now();
            let out = app_call(
                &home,
                &[browser, "--authentication-timeout-sec=120"],
                &[env],
            )
            .output()
            .unwrap();
            let err = stderr(&out);
            assert!(start.elapsed() < Duration::from_secs(60), "{err}");
            assert_eq!(out.status.code(), Some(4), "{err}");
            assert!(!err.contains(OPENED), "{err}");
            assert_eq!(err.trim_end().lines().count(), 1, "{err}");
            assert!(
                err.contains(&format!(
                    "the browser command {failed} failed (exit status: "
                )) && err.contains("so no browser was opened; log in with: kubectl oidc login"),
                "{browser} {env:?}: {err}"
            );
        }
    }
    assert_eq!(idp.grants("authorization_code"), 0);
}

/// Where no person sits at a desktop, or the user said never: no browser, the fast failure
/// with the reason and the command; `--browser=always` opens one wherever it runs.
#[test]
fn no_browser_opens_without_a_terminal_in_ci_over_ssh_or_when_told_never() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let record = home.dir.path().join("opened");
    let browser = recording_browser(&home, &record, "");
    for (extra, env, says) in [
        (
            "--browser=auto",
            ("CI", "true"),
            "this is a CI job (CI is set)",
        ),
        (
            "--browser=auto",
            ("GITHUB_ACTIONS", "true"),
            "this is a CI job (GITHUB_ACTIONS is set)",
        ),
        (
            "--browser=auto",
            ("SSH_CONNECTION", "10.0.0.1 50000 10.0.0.2 22"),
            "this is an SSH session",
        ),
        ("--browser=never", ("X", "1"), "--browser=never"),
        (
            "--skip-open-browser",
            ("X", "1"),
            "--browser=never (or --skip-open-browser)",
        ),
        ("--browser=auto", ("DISPLAY", ""), "no desktop is here"),
    ] {
        // A call that waited for the login would take its two minutes.
        let start = Instant::now();
        let out = app_call(
            &home,
            &[&browser, extra, "--authentication-timeout-sec=120"],
            &[env],
        )
        .output()
        .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(4), "{env:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(start.elapsed() < Duration::from_secs(60), "{env:?}");
        assert!(
            err.contains(&format!(
                "but kubectl ran this plugin non-interactively, and {says}"
            )) && err.contains("log in with: kubectl oidc login"),
            "{env:?}: {err}"
        );
    }
    assert_eq!(opened(&record), 0);
    assert_eq!(idp.grants("authorization_code"), 0);
    // The variable works as the flag does.
    let out = app_call(&home, &[&browser], &[("KUBECTL_OIDC_BROWSER", "never")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert_eq!(opened(&record), 0);
    // always: even in CI, over SSH, without a display.
    let out = app_call(
        &home,
        &[&browser, "--browser=always"],
        &[("CI", "true"), ("SSH_TTY", "/dev/pts/1"), ("DISPLAY", "")],
    )
    .output()
    .unwrap();
    assert_success(&out);
    assert_eq!(opened(&record), 1);
}

/// A terminal that a full-screen program holds in raw mode (k9s) is no terminal: kubectl may
/// say `interactive: true`, yet no prompt is drawn there and nothing is read from it.
#[test]
fn a_terminal_in_raw_mode_counts_as_none() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let record = home.dir.path().join("opened");
    let browser = recording_browser(&home, &record, "");
    let run = |display: &str| {
        let mut words = vec![BIN.to_owned(), "get-token".to_owned()];
        words.extend(home.args.iter().cloned());
        words.push(browser.clone());
        let line = format!("stty raw -echo; exec {}", shell_words::join(&words));
        let mut script = Command::new("script");
        script.args(["-qec", &line, "/dev/null"]);
        scrub(&mut script, home.dir.path());
        script
            .env("KUBERNETES_EXEC_INFO", EXEC_V1_INTERACTIVE)
            .env("DISPLAY", display)
            .stdin(Stdio::piped())
            .output()
            .expect("script(1) on PATH")
    };
    // No desktop: the fast failure, with the reason; no login prompt, no URL on the screen.
    let out = run("");
    let screen = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!out.status.success(), "{screen}");
    assert!(
        screen.contains("the terminal is held in raw mode by a full-screen program"),
        "{screen}"
    );
    assert!(!screen.contains("Log in to"), "{screen}");
    assert_eq!(opened(&record), 0);
    // A desktop: the browser opens once, quietly; the token comes back.
    let out = run(":0");
    let screen = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{screen}");
    assert!(
        screen.contains(OPENED) && !screen.contains("Log in to"),
        "{screen}"
    );
    assert_eq!(opened(&record), 1);
}

/// The browser opened without a terminal: a desktop notification says so, over the real
/// session bus (dbus-monitor sees the Notify call; no notification service is needed, the
/// call's error is ignored); `--notify=never` sends none.
#[test]
fn a_desktop_notification_says_the_browser_opened() {
    require_tool("dbus-run-session");
    require_tool("dbus-monitor");
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let record = home.dir.path().join("opened");
    let browser = recording_browser(&home, &record, "--never");
    let monitored = |notify: &str| {
        let log = home.dir.path().join(format!("monitor-{notify}"));
        // The monitor is waited for (it has its name on the bus) before the call, and after it
        // a call of our own on the same interface is waited for: a monitor that was not yet
        // listening, or had not caught up, cannot make "no Notify" pass (issue 33).
        let script = format!(
            "log={log}; dbus-monitor --session type=method_call,interface=org.freedesktop.Notifications \
             > $log 2>&1 & m=$!; \
             i=0; until grep -q NameAcquired $log; do i=$((i+1)); [ $i -lt 400 ] || exit 90; sleep 0.05; done; \
             \"$@\"; \
             dbus-send --session --type=method_call --dest=org.freedesktop.Notifications \
             /org/freedesktop/Notifications org.freedesktop.Notifications.GetServerInformation; \
             i=0; until grep -q member=GetServerInformation $log; do i=$((i+1)); [ $i -lt 400 ] || exit 91; sleep 0.05; done; \
             kill $m",
            log = log.display()
        );
        let mut cmd = Command::new("dbus-run-session");
        cmd.args(["--", "sh", "-c", &script, "sh", BIN, "get-token"])
            .args(&home.args)
            .args([
                browser.as_str(),
                "--authentication-timeout-sec=2",
                &format!("--notify={notify}"),
            ]);
        scrub(&mut cmd, home.dir.path());
        let out = cmd
            .env("KUBERNETES_EXEC_INFO", EXEC_V1_NONINTERACTIVE)
            .env("DISPLAY", ":0")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(stderr(&out).contains(OPENED), "{}", stderr(&out));
        assert!(
            ![Some(90), Some(91)].contains(&out.status.code()),
            "dbus-monitor never listened or never caught up: {}",
            stderr(&out)
        );
        // A fresh start for the next run: the unanswered record goes, as after a login.
        for f in std::fs::read_dir(home.cache_dir()).unwrap().flatten() {
            if f.file_name()
                .to_string_lossy()
                .ends_with(".browser-attempt")
            {
                std::fs::remove_file(f.path()).unwrap();
            }
        }
        std::fs::read_to_string(log).unwrap()
    };
    let seen = monitored("auto");
    assert!(
        seen.contains("member=Notify")
            && seen.contains("kubectl: log in in your browser")
            && seen.contains(&format!("log in to {} for kubectl", idp.issuer)),
        "{seen}"
    );
    assert!(!monitored("never").contains("member=Notify"));
    assert_eq!(opened(&record), 2);
}
