//! The OS keyring for real: gnome-keyring's Secret Service under dbus-run-session seals the
//! refresh token across processes; without a session bus, or with a locked collection, `auto`
//! falls back to 0600 files with a one-line notice and the login still succeeds.
//!
//! Needs `dbus-run-session` and `gnome-keyring-daemon` (Debian: dbus-daemon, gnome-keyring);
//! the README's test command installs them. Without them these tests fail, never pass: only
//! the test script skips them, when told to (KUBECTL_OIDC_SKIP_KEYRING_TESTS=1), and says so.

use std::process::{Command, Output, Stdio};

use crate::common::*;

const UNLOCKED: &str = "echo kubectl-oidc-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec \"$@\"";
const LOCKED: &str =
    "gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1; exec \"$@\"";

/// The tools these tests need are installed: a missing one fails the test with the fix.
fn require_tools() {
    for tool in ["dbus-run-session", "gnome-keyring-daemon"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .stdout(Stdio::null())
            .status()
            .unwrap()
            .success();
        assert!(
            found,
            "{tool} is missing: run the README's test command (it installs gnome-keyring and dbus), \
             or skip these tests explicitly: KUBECTL_OIDC_SKIP_KEYRING_TESTS=1 ./scripts/test.sh"
        );
    }
}

/// The plugin inside a fresh D-Bus session whose keyring lives in the test's HOME, so it
/// persists from one call (and session) to the next like a desktop login keyring.
fn in_session(
    home: &Home,
    script: &str,
    subcommand: &str,
    extra: &[&str],
    exec_info: Option<&str>,
) -> Output {
    let runtime = home.dir.path().join("runtime");
    std::fs::create_dir_all(&runtime).unwrap();
    let mut cmd = Command::new("dbus-run-session");
    cmd.args(["--", "sh", "-c", script, "sh", BIN, subcommand])
        .args(&home.args)
        .args(extra);
    scrub(&mut cmd, home.dir.path());
    cmd.env("XDG_RUNTIME_DIR", &runtime).stdin(Stdio::null());
    if let Some(info) = exec_info {
        cmd.env("KUBERNETES_EXEC_INFO", info);
    }
    cmd.output().unwrap()
}

/// A browser login (the scripted browser) inside a fresh D-Bus session.
fn login_in_session(home: &Home, script: &str) -> Output {
    in_session(
        home,
        script,
        "get-token",
        &[&home.browser("")],
        Some(EXEC_V1_INTERACTIVE),
    )
}

fn cache_file(home: &Home, ext: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(home.cache_path(ext)).unwrap()).unwrap()
}

fn home_with(idp: &Idp, storage: &str) -> Home {
    let mut home = Home::new(idp);
    home.args
        .retain(|a| !a.starts_with("--token-cache-storage"));
    home.args.push(format!("--token-cache-storage={storage}"));
    home
}

#[test]
fn os_keyring_secret_service_seals_the_refresh_token_across_processes() {
    require_tools();
    let idp = Idp::start(IdpOptions {
        id_token_ttl: Some(6),
        ..Default::default()
    });
    let home = home_with(&idp, "auto");
    let out = login_in_session(&home, UNLOCKED);
    assert_success(&out);
    assert!(
        !stderr(&out).contains("notice"),
        "no fallback expected: {}",
        stderr(&out)
    );
    let session = cache_file(&home, "session");
    assert_eq!(
        session["format"], "sealed",
        "the refresh token must be sealed by the keyring key"
    );
    assert_eq!(
        cache_file(&home, "id_token")["format"],
        "plain",
        "the hot path reads a plain 0600 file"
    );
    let token = token_of(&out);

    // A new process in a new session refreshes with the key from the keyring.
    sleep_until_stale(&out);
    let out = in_session(
        &home,
        UNLOCKED,
        "get-token",
        &[],
        Some(EXEC_V1_NONINTERACTIVE),
    );
    assert_success(&out);
    assert_ne!(token_of(&out), token);
    assert_eq!(idp.grants("refresh_token"), 1);
    assert_eq!(cache_file(&home, "session")["format"], "sealed");

    // Without the keyring the sealed refresh token is unusable: a warning, never a crash.
    sleep_until_stale(&out);
    let out = home
        .command("get-token", &[], Some(EXEC_V1_NONINTERACTIVE))
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("ignoring the cache file")
            && err.contains("it is sealed")
            && err.contains("kubectl oidc login"),
        "{err}"
    );
}

#[test]
fn os_keyring_strict_mode_seals_the_id_token_too() {
    require_tools();
    let idp = Idp::start(IdpOptions::default());
    let home = home_with(&idp, "keyring");
    let out = login_in_session(&home, UNLOCKED);
    assert_success(&out);
    assert_eq!(cache_file(&home, "id_token")["format"], "sealed");
    let again = in_session(
        &home,
        UNLOCKED,
        "get-token",
        &[],
        Some(EXEC_V1_NONINTERACTIVE),
    );
    assert_success(&again);
    assert_eq!(token_of(&again), token_of(&out));
    assert_eq!(idp.grants("authorization_code"), 1);
    // Strict mode does not fall back.
    let locked = home_with(&idp, "keyring");
    let out = login_in_session(&locked, LOCKED);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("--token-cache-storage=keyring needs a working OS keyring"),
        "{}",
        stderr(&out)
    );
}

fn assert_one_line_notice(out: &Output) {
    let err = stderr(out);
    let notices: Vec<&str> = err.lines().filter(|l| l.contains("notice:")).collect();
    assert_eq!(notices.len(), 1, "{err}");
    assert!(notices[0].contains("0600 file"), "{err}");
}

#[test]
fn no_session_bus_auto_falls_back_to_files_with_a_notice() {
    // No keyring is involved (no session bus at all): not skipped with the keyring tests.
    let idp = Idp::start(IdpOptions::default());
    let home = home_with(&idp, "auto");
    let out = home
        .command("get-token", &[&home.browser("")], Some(EXEC_V1_INTERACTIVE))
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .output()
        .unwrap();
    assert_success(&out);
    assert_one_line_notice(&out);
    assert!(stderr(&out).contains("session bus"), "{}", stderr(&out));
    assert_eq!(cache_file(&home, "session")["format"], "plain");
}

#[test]
fn os_keyring_with_a_locked_collection_auto_falls_back_to_files_with_a_notice() {
    // The login collection cannot be unlocked: gnome-keyring's prompter has no display.
    require_tools();
    let idp = Idp::start(IdpOptions::default());
    let home = home_with(&idp, "auto");
    let started = std::time::Instant::now();
    let out = login_in_session(&home, LOCKED);
    assert_success(&out);
    assert_one_line_notice(&out);
    // The keyring was there and locked, not missing (issue 33: without gnome-keyring this
    // passed too).
    assert!(
        stderr(&out).contains("the OS keyring is locked or refused access"),
        "{}",
        stderr(&out)
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "a locked keyring must not hang"
    );
    assert_eq!(cache_file(&home, "session")["format"], "plain");
}

/// Issue 18 and issue 28 item 4: the real kubelogin (v1.36.3), logged in with
/// `--token-cache-storage=keyring`, writes its token cache to the Secret Service (service
/// `kubelogin`, user `kubelogin/tokencache/<digest>`, as zalando/go-keyring stores it) and no
/// cache file; in a later session `setup --migrate` finds that item for the entry's issuer and
/// client and imports its refresh token: the migrated entry, in a third session, refreshes
/// without a login.
#[test]
fn os_keyring_kubelogins_keyring_cache_is_imported_by_the_migration() {
    // kubelogin's fixed redirect ports (8000, 18000).
    let _ports = kubelogin_ports();
    require_tools();
    let mut s = TlsLogin::new();
    s.home
        .args
        .retain(|a| !a.starts_with("--token-cache-storage"));
    s.home.args.push("--token-cache-storage=keyring".to_owned());
    let runtime = s.home.dir.path().join("runtime");
    std::fs::create_dir_all(&runtime).unwrap();
    let entry_args = vec![
        format!("--oidc-issuer-url={}", s.idp.issuer),
        "--oidc-client-id=kubelogin".to_owned(),
        "--oidc-extra-scope=email".to_owned(),
        format!("--certificate-authority={}", s.tls.ca().display()),
        "--token-cache-storage=keyring".to_owned(),
    ];
    // kubelogin's login, in a D-Bus session whose keyring lives in the test's HOME.
    let argv = kubelogin_argv(&s, "alice", &entry_args);
    let mut cmd = Command::new("dbus-run-session");
    cmd.args(["--", "sh", "-c", UNLOCKED, "sh"]).args(&argv);
    kubelogin_env(&mut cmd, &s);
    let out = cmd.env("XDG_RUNTIME_DIR", &runtime).output().unwrap();
    assert_success(&out);
    let refresh_before = s.idp.grants("refresh_token");
    let kl_cache = s.home.dir.path().join(".kube/cache/oidc-login");
    let files: Vec<_> = std::fs::read_dir(&kl_cache)
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().extension().is_none())
                .collect()
        })
        .unwrap_or_default();
    assert!(files.is_empty(), "kubelogin wrote a cache file: {files:?}");

    let mut args = vec!["oidc-login".to_owned(), "get-token".to_owned()];
    args.extend(entry_args.iter().cloned());
    let kubeconfig = s.home.dir.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nusers:\n- name: kl\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: kubectl\n      args:{}\n",
            yaml_args(&args)
        ),
    )
    .unwrap();
    let mut cmd = Command::new("dbus-run-session");
    cmd.args(["--", "sh", "-c", UNLOCKED, "sh", BIN, "setup", "--migrate"])
        .arg("--remove-kubelogin-cache")
        .arg(format!("--kubeconfig={}", kubeconfig.display()));
    scrub(&mut cmd, s.home.dir.path());
    let out = cmd
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("PATH", path_with_plugin())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_success(&out);
    let err = stderr(&out);
    assert!(
        err.contains(
            "imported the refresh token from kubelogin's keyring item kubelogin/tokencache/"
        ),
        "{err}"
    );
    assert!(
        !err.contains("token cache /"),
        "a cache file was read: {err}"
    );
    // Issue 31 item 2: kubelogin's copy is gone from its keyring.
    assert!(
        err.contains(
            "kubelogin's copy removed from kubelogin's keyring item kubelogin/tokencache/"
        ),
        "{err}"
    );

    // The migrated entry's get-token, as the kubeconfig now runs it, in a third session: a
    // refresh with the imported token, no browser.
    let doc = kubeconfig_view(&s.home, &kubeconfig);
    let exec_args: Vec<String> = user_of(&doc, "kl")["exec"]["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_owned())
        .collect();
    let logins = s.idp.grants("authorization_code");
    let mut cmd = Command::new("dbus-run-session");
    cmd.args(["--", "sh", "-c", UNLOCKED, "sh", BIN])
        .args(&exec_args);
    scrub(&mut cmd, s.home.dir.path());
    let out = cmd
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("KUBERNETES_EXEC_INFO", EXEC_V1_NONINTERACTIVE)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_success(&out);
    assert_eq!(claims(&token_of(&out))["sub"], "alice");
    assert_eq!(s.idp.grants("refresh_token"), refresh_before + 1);
    assert_eq!(s.idp.grants("authorization_code"), logins);

    // kubelogin itself, whose cached id_token is still fresh, finds nothing in its keyring: it
    // wants a login (its browser command fails; it gives up after 2 s).
    let mut argv = kubelogin_argv(&s, "alice", &entry_args);
    argv.retain(|a| !a.starts_with("--browser-command="));
    argv.extend([
        "--browser-command=false".to_owned(),
        "--authentication-timeout-sec=2".to_owned(),
    ]);
    let mut cmd = Command::new("dbus-run-session");
    cmd.args(["--", "sh", "-c", UNLOCKED, "sh"]).args(&argv);
    kubelogin_env(&mut cmd, &s);
    let out = cmd.env("XDG_RUNTIME_DIR", &runtime).output().unwrap();
    assert!(
        !out.status.success(),
        "kubelogin still had its keyring cache: {}",
        stderr(&out)
    );
}

/// Issue 21 item 6 and issue 31 item 9: with no Secret Service, the notice comes once per
/// cache directory, then never again (not to kubectl, not at a person's login; `status` shows
/// the store); logout neither warns about a key that was never made nor claims to have
/// removed anything from the keyring.
#[test]
fn a_missing_keyring_is_said_once_and_logout_claims_no_keyring_removal() {
    // No keyring is involved (no session bus at all): not skipped with the keyring tests.
    let idp = Idp::start(IdpOptions {
        id_token_ttl: Some(6),
        ..Default::default()
    });
    let home = home_with(&idp, "auto");
    let no_bus = |cmd: &mut Command| {
        cmd.env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus");
    };
    let run = |sub: &str, extra: &[&str], info: Option<&str>| {
        let mut cmd = home.command(sub, extra, info);
        no_bus(&mut cmd);
        cmd.output().unwrap()
    };
    let first = run("get-token", &[&home.browser("")], Some(EXEC_V1_INTERACTIVE));
    assert_success(&first);
    assert_one_line_notice(&first);
    assert!(
        stderr(&first).contains("no Secret Service"),
        "{}",
        stderr(&first)
    );

    // kubectl's refresh: nothing on stderr.
    sleep_until_stale(&first);
    let refreshed = run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
    assert_success(&refreshed);
    assert_eq!(stderr(&refreshed), "");

    // A person's login: the notice was given for this directory; status says where it is.
    let login = run("login", &[&home.browser("")], None);
    assert_success(&login);
    assert!(!stderr(&login).contains("notice:"), "{}", stderr(&login));
    let mut status = Command::new(BIN);
    status
        .arg("status")
        .arg(format!("--token-cache-dir={}", home.cache_dir().display()));
    scrub(&mut status, home.dir.path());
    no_bus(&mut status);
    let status = status.output().unwrap();
    assert_success(&status);
    assert!(
        String::from_utf8_lossy(&status.stdout).contains("store: plain 0600 file"),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );

    // logout: no warning about a keyring key, no claim of a keyring removal.
    let out = run("logout", &[], None);
    assert_success(&out);
    let err = stderr(&out);
    assert!(!err.contains("warning"), "{err}");
    assert!(!err.contains("OS keyring"), "{err}");
    assert!(err.contains("the session is removed from"), "{err}");
}
