//! Issue 27: the third sweep's thirteen defects (migration, setup's writer, the desktop login,
//! the session lifecycle), each reproduced through the real binary. Every test here failed on
//! 814054a (BENCHMARKS.md "The third sweep" lists them with what each did before).

#![allow(
    clippy::disallowed_methods,
    reason = "clippy.toml holds the crate's rules; tests read the clock freely"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::common::*;

/// The plugin with the home's scrubbed environment, the provider's CA trusted by the scripted
/// browser, and the plugin on PATH (kubeconfig entries run `kubectl-oidc`).
fn plugin(s: &TlsLogin, command: &str, args: &[&str]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.arg(command).args(args);
    scrub(&mut cmd, s.home.dir.path());
    cmd.env("NODE_EXTRA_CA_CERTS", s.tls.ca())
        .env("PATH", path_with_plugin())
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn exec_args(doc: &serde_json::Value, user: &str) -> Vec<String> {
    doc["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == user)
        .unwrap_or_else(|| panic!("no user {user} in {doc}"))["user"]["exec"]["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_owned())
        .collect()
}

/// Item 1: `setup --write` wrote each argument through kubectl's CSV-read `--exec-arg`, so
/// `--oidc-extra-scope=email,groups` became two arguments (and every kubectl call exited 2),
/// and a `"` failed the write. The entry now holds exactly the arguments given, kubectl uses
/// it, and the printed commands (without --write) give the same entry.
#[test]
fn setup_writes_an_argument_with_a_comma_or_a_quote_as_one_argument() {
    let s = TlsLogin::on_cluster("mallory");
    let c = cluster();
    let kubeconfig = s.home.dir.path().join("kubeconfig");
    let kc = format!("--kubeconfig={}", kubeconfig.display());
    let mut given: Vec<String> = s
        .home
        .args
        .iter()
        .filter(|a| !a.starts_with("--oidc-extra-scope"))
        .cloned()
        .collect();
    given.push("--oidc-extra-scope=email,groups".to_owned());
    given.push("--oidc-auth-request-extra-params=login_hint=\"alice the first\"".to_owned());
    let cluster = [
        "--cluster=test".to_owned(),
        format!("--server={}", c.server),
        format!("--cluster-certificate-authority={}", c.ca.display()),
    ];
    let browser = s.home.browser("--login mallory");
    let mut args: Vec<&str> = given.iter().map(String::as_str).collect();
    args.extend(["--write", &kc, &browser]);
    args.extend(cluster.iter().map(String::as_str));
    let out = plugin(&s, "setup", &args);
    assert_success(&out);
    let doc = kubeconfig_view(&s.home, &kubeconfig);
    let written = exec_args(&doc, "oidc");
    assert_eq!(written[0], "get-token");
    for a in &given[..] {
        if a.starts_with("--token-cache-dir=") || a.starts_with("--certificate-authority=") {
            continue; // made absolute: they already are
        }
        assert_eq!(
            written.iter().filter(|w| *w == a).count(),
            1,
            "{a:?} is not one argument of {written:?}"
        );
    }
    assert!(!written.iter().any(|w| w == "groups"), "{written:?}");
    // kubectl runs the entry: the plugin accepts every argument and the real API server
    // takes the token.
    let out = kubectl(
        &s.home,
        &[
            &kc,
            "--context=test",
            "auth",
            "whoami",
            "-o",
            "jsonpath={.status.userInfo.username}",
        ],
    );
    assert_success(&out);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "oidc:mallory@example.com"
    );

    // Without --write, the printed commands, run as printed, write the same arguments.
    let out = plugin(
        &s,
        "setup",
        &given
            .iter()
            .map(String::as_str)
            .chain(["--user=printed", &browser])
            .collect::<Vec<_>>(),
    );
    assert_success(&out);
    let printed = String::from_utf8(out.stdout.clone()).unwrap();
    let fresh = s.home.dir.path().join("fresh");
    let script = printed.replace(
        "kubectl config ",
        &format!("kubectl --kubeconfig {} config ", fresh.display()),
    );
    let mut sh = Command::new("sh");
    sh.args(["-ec", &script]);
    scrub(&mut sh, s.home.dir.path());
    assert_success(&sh.output().unwrap());
    let doc = kubeconfig_view(&s.home, &fresh);
    let mut without_browser = exec_args(&doc, "printed");
    without_browser.retain(|a| !a.starts_with("--browser-command"));
    let mut expected = written.clone();
    expected.retain(|a| !a.starts_with("--browser-command"));
    assert_eq!(without_browser, expected, "{printed}");
}

/// Item 1, migration: a kubelogin entry whose `--oidc-extra-scope=email,groups` is one
/// argument is written with exactly the arguments of its `+` line.
#[test]
fn migration_writes_exactly_the_arguments_of_its_plus_line() {
    // kubelogin's fixed redirect ports (8000, 18000).
    let _ports = kubelogin_ports();
    let s = TlsLogin::new();
    let home = s.home.dir.path();
    let kubelogin_args: Vec<String> = vec![
        "oidc-login".into(),
        "get-token".into(),
        format!("--oidc-issuer-url={}", s.idp.issuer),
        "--oidc-client-id=kubelogin".into(),
        "--oidc-extra-scope=email,groups".into(),
        "--oidc-auth-request-extra-params=login_hint=\"a b\"".into(),
        format!("--certificate-authority={}", s.tls.ca().display()),
    ];
    let kubeconfig = home.join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nusers:\n- name: oidc\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: kubectl\n      interactiveMode: IfAvailable\n      args:{}\n",
            yaml_args(&kubelogin_args)
        ),
    )
    .unwrap();
    let kc = format!("--kubeconfig={}", kubeconfig.display());
    let out = plugin(&s, "setup", &["--migrate", &kc]);
    assert_success(&out);
    let err = stderr(&out);
    let plus = err
        .lines()
        .find_map(|l| l.trim().strip_prefix("+ kubectl-oidc "))
        .unwrap_or_else(|| panic!("no + line in {err}"));
    let doc = kubeconfig_view(&s.home, &kubeconfig);
    assert_eq!(exec_args(&doc, "oidc").join(" "), plus, "{err}");
    assert!(
        exec_args(&doc, "oidc").contains(&"--oidc-extra-scope=email,groups".to_owned()),
        "{doc}"
    );
}

/// A kubeconfig with one legacy `auth-provider: oidc` user `legacy` holding a live refresh
/// token of the client `confidential`, and its context: what item 4, 5 and 10 migrate.
fn auth_provider_kubeconfig(s: &TlsLogin) -> (PathBuf, String) {
    let (id_token, refresh) = tokens_of_a_login(
        s,
        &[
            "--oidc-client-id=confidential",
            "--oidc-client-secret=test-client-secret",
            "--oidc-extra-scope=email",
        ],
    );
    let kubeconfig = s.home.dir.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: {server}\n    certificate-authority: {cluster_ca}\n\
             users:\n- name: legacy\n  user:\n    auth-provider:\n      name: oidc\n      config:\n        idp-issuer-url: {issuer}\n        client-id: confidential\n        client-secret: test-client-secret\n        extra-scopes: email\n        idp-certificate-authority: {ca}\n        id-token: {id_token}\n        refresh-token: {refresh}\n\
             contexts:\n- name: legacy\n  context: {{cluster: test, user: legacy}}\ncurrent-context: legacy\n",
            server = cluster().server,
            cluster_ca = cluster().ca.display(),
            ca = s.tls.ca().display(),
            issuer = s.idp.issuer,
        ),
    )
    .unwrap();
    (kubeconfig, refresh)
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Item 3: the "before" line hid `--oidc-client-secret=V` but not `--oidc-client-secret V`,
/// and `--password` was printed in both spellings, before and after, with and without
/// --dry-run. Every secret is hidden; the password moves to a 0600 file.
#[test]
fn migration_prints_no_secret_in_any_spelling_and_moves_the_password_to_a_file() {
    let s = TlsLogin::new();
    let issuer = &s.idp.issuer;
    let kubeconfig = s.home.dir.path().join("kubeconfig");
    let entry = |args: &[&str]| {
        let mut all = vec![
            "oidc-login".to_owned(),
            "get-token".to_owned(),
            format!("--oidc-issuer-url={issuer}"),
        ];
        all.extend(args.iter().map(|a| a.to_string()));
        format!(
            "  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: kubectl\n      args:{}\n",
            yaml_args(&all)
        )
    };
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nusers:\n- name: two-words\n{}- name: password-eq\n{}- name: password-space\n{}",
            entry(&[
                "--oidc-client-id=confidential",
                "--oidc-client-secret",
                "secret-two-words"
            ]),
            entry(&[
                "--oidc-client-id=kubernetes",
                "--grant-type=password",
                "--username=alice",
                "--password=alice-password"
            ]),
            entry(&[
                "--oidc-client-id=kubernetes",
                "--grant-type=password",
                "--username=bob",
                "--password",
                "pw-with-space"
            ]),
        ),
    )
    .unwrap();
    let kc = format!("--kubeconfig={}", kubeconfig.display());
    let secrets = ["secret-two-words", "alice-password", "pw-with-space"];
    for dry in [true, false] {
        let mut args = vec!["--migrate", kc.as_str()];
        if dry {
            args.push("--dry-run");
        }
        let out = plugin(&s, "setup", &args);
        assert_success(&out);
        let err = stderr(&out);
        assert_eq!(
            err.matches("\n  + kubectl-oidc get-token").count(),
            3,
            "{err}"
        );
        for secret in secrets {
            assert!(!err.contains(secret), "a secret was printed: {err}");
        }
        assert_eq!(
            err.matches(if dry {
                "the password would move to the 0600 file"
            } else {
                "the password moved to the 0600 file"
            })
            .count(),
            2,
            "{err}"
        );
    }
    let written = std::fs::read_to_string(&kubeconfig).unwrap();
    for secret in secrets {
        assert!(!written.contains(secret), "{written}");
    }
    let doc = kubeconfig_view(&s.home, &kubeconfig);
    for (user, password) in [
        ("password-eq", "alice-password"),
        ("password-space", "pw-with-space"),
    ] {
        let args = exec_args(&doc, user);
        let file = args
            .iter()
            .find_map(|a| a.strip_prefix("--password-file="))
            .unwrap_or_else(|| panic!("no --password-file in {args:?}"));
        assert_eq!(std::fs::read_to_string(file).unwrap(), password);
        assert_eq!(mode(Path::new(file)), 0o600);
    }
    // The password file works: get-token through the migrated entry logs in with it.
    let args = exec_args(&doc, "password-eq");
    let mut cmd = Command::new(BIN);
    cmd.args(&args)
        .arg(format!("--certificate-authority={}", s.tls.ca().display()));
    scrub(&mut cmd, s.home.dir.path());
    cmd.env("KUBERNETES_EXEC_INFO", EXEC_V1_NONINTERACTIVE)
        .stdin(Stdio::null());
    let out = cmd.output().unwrap();
    assert_success(&out);
    assert_eq!(claims(&token_of(&out))["sub"], "alice");
}

/// Item 4: an imported session had no issuer, client or time: `status` said "unknown issuer,
/// client ?" and suggested `rm`, and `clean --older-than 30d` removed it as "never
/// refreshed". Item 10: the backup of a 0644 kubeconfig was 0644, with the secrets moved out.
#[test]
fn an_imported_session_says_what_it_is_and_the_backup_is_private() {
    let s = TlsLogin::leased("alice");
    let (kubeconfig, refresh) = auth_provider_kubeconfig(&s);
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&kubeconfig, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let kc = format!("--kubeconfig={}", kubeconfig.display());
    let out = plugin(&s, "setup", &["--migrate", &kc]);
    assert_success(&out);
    let backup = s.home.dir.path().join("kubeconfig.kubectl-oidc.bak");
    assert!(std::fs::read_to_string(&backup).unwrap().contains(&refresh));
    assert_eq!(mode(&backup), 0o600, "the backup holds the moved secrets");
    assert_eq!(mode(&kubeconfig), 0o600);

    let out = plugin(&s, "status", &[&kc]);
    assert_success(&out);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        text.contains(&s.idp.issuer) && text.contains("client confidential"),
        "{text}"
    );
    assert!(text.contains("imported by setup --migrate"), "{text}");
    assert!(
        !text.contains("unknown issuer") && !text.contains("rm "),
        "{text}"
    );
    let out = plugin(&s, "status", &["-o", "json", &kc]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["client_id"], "confidential", "{rows}");
    assert!(rows[0]["imported_at"].is_string(), "{rows}");

    // Imported a moment ago: not older than 30 days.
    let out = plugin(&s, "clean", &["--older-than=30d"]);
    assert_success(&out);
    assert!(stderr(&out).contains("Removed 0 of 1"), "{}", stderr(&out));
    // And kubectl uses it: the imported refresh token is refreshed, no browser.
    let logins = s.idp.grants("authorization_code");
    let out = kubectl(
        &s.home,
        &[
            &kc,
            "auth",
            "whoami",
            "-o",
            "jsonpath={.status.userInfo.username}",
        ],
    );
    assert_success(&out);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "oidc:alice");
    assert_eq!(s.idp.grants("authorization_code"), logins);
    let out = plugin(&s, "clean", &["--dry-run"]);
    assert!(stderr(&out).contains("last refreshed"), "{}", stderr(&out));
}

/// Item 5: the kubeconfig was rewritten before the import ran; when the import failed (a
/// cache directory refused as writable by others), the command exited 0 and the
/// auth-provider's refresh token survived only in the backup. Now the import comes first: on
/// failure that user's entry is unchanged and the command fails with the fix.
#[test]
fn a_failed_import_leaves_the_entry_and_its_refresh_token_where_they_were() {
    let s = TlsLogin::new();
    let (kubeconfig, refresh) = auth_provider_kubeconfig(&s);
    let cache = s.home.dir.path().join("shared-cache");
    std::fs::create_dir(&cache).unwrap();
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o770)).unwrap();
    }
    let before = std::fs::read(&kubeconfig).unwrap();
    let kc = format!("--kubeconfig={}", kubeconfig.display());
    let mut cmd = Command::new(BIN);
    cmd.args(["setup", "--migrate", &kc]);
    scrub(&mut cmd, s.home.dir.path());
    cmd.env("KUBECTL_OIDC_CACHE_DIR", &cache)
        .stdin(Stdio::null());
    let out = cmd.output().unwrap();
    let err = assert_failure(&out, 7, &["legacy", "not migrated", "chmod 700"]);
    assert!(!err.contains("Migrated"), "{err}");
    assert_eq!(std::fs::read(&kubeconfig).unwrap(), before, "{err}");
    assert!(
        std::fs::read_to_string(&kubeconfig)
            .unwrap()
            .contains(&refresh)
    );
    assert!(!err.contains(&refresh));
    // Fixed, it migrates.
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let out = cmd.output().unwrap();
    assert_success(&out);
    assert!(
        stderr(&out).contains("imported the refresh token"),
        "{}",
        stderr(&out)
    );
}

/// Item 6: SIGINT, SIGTERM or SIGHUP while `setup --migrate` held the kubeconfig's lock left
/// `<kubeconfig>.lock` (every later `kubectl config` failed with "file exists") and a temp
/// copy with the secrets. A kubectl that blocks inside the write holds the window open.
#[test]
fn a_signal_during_a_kubeconfig_write_leaves_no_lock_and_no_copy() {
    let s = TlsLogin::new();
    // A kubectl on PATH that records its start and then waits: the write is in progress.
    let bin = s.home.dir.path().join("slow-bin");
    std::fs::create_dir(&bin).unwrap();
    let started = s.home.dir.path().join("kubectl-started");
    let real = k8s_tool("kubectl").display().to_string();
    let script = bin.join("kubectl");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\ncase \"$*\" in *'view --raw'*-o*) ;; *'view --raw'*) touch {started}; sleep 30;; esac\nexec {} \"$@\"\n",
            real.trim(),
            started = started.display()
        ),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        let _ = std::fs::remove_file(&started);
        let (kubeconfig, _) = auth_provider_kubeconfig(&s);
        let kc = format!("--kubeconfig={}", kubeconfig.display());
        let path = format!("{}:{}", bin.display(), path_with_plugin().to_string_lossy());
        let mut cmd = Command::new(BIN);
        cmd.args(["setup", "--migrate", &kc]);
        default_sigint(&mut cmd);
        scrub(&mut cmd, s.home.dir.path());
        cmd.env("PATH", &path)
            .stdin(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !started.exists() {
            assert!(
                std::time::Instant::now() < deadline,
                "the write never started"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let lock = PathBuf::from(format!("{}.lock", kubeconfig.display()));
        assert!(lock.exists(), "the lock is held during the write");
        unsafe { libc::kill(child.id() as i32, signal) };
        let status = child.wait().unwrap();
        assert!(!status.success());
        assert!(
            !lock.exists(),
            "signal {signal}: {} left behind",
            lock.display()
        );
        let left: Vec<String> = std::fs::read_dir(s.home.dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp") || n.ends_with(".json"))
            .collect();
        assert!(left.is_empty(), "signal {signal}: {left:?} left behind");
        // kubectl config works on the file.
        let out = kubectl(&s.home, &[&kc, "config", "use-context", "legacy"]);
        assert_success(&out);
    }
}

/// libfaketime, which the test command installs: a process whose clock is `offset` seconds
/// off, as a workstation's can be.
fn clock_off(cmd: &mut Command, offset: i64) {
    let lib = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";
    assert!(
        Path::new(lib).exists(),
        "{lib} is missing: run the README's test command (./scripts/test.sh), which installs faketime"
    );
    cmd.env("LD_PRELOAD", lib)
        .env("FAKETIME", format!("{offset:+}"))
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1");
}

/// get-token as a desktop app runs it: no terminal, `DISPLAY` set, a parent of its own.
fn app_call(home: &Home, extra: &[&str]) -> Command {
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "\"$@\"; exit $?", "sh", BIN, "get-token"])
        .args(&home.args)
        .args(extra);
    scrub(&mut cmd, home.dir.path());
    cmd.env("KUBERNETES_EXEC_INFO", EXEC_V1_NONINTERACTIVE)
        .env("DISPLAY", ":0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn lines_in(path: &Path) -> usize {
    std::fs::read_to_string(path)
        .map(|s| s.lines().count())
        .unwrap_or(0)
}

fn expiration(out: &Output) -> i64 {
    let at = exec_credential(out)["status"]["expirationTimestamp"]
        .as_str()
        .unwrap()
        .to_owned();
    chrono::DateTime::parse_from_rfc3339(&at)
        .unwrap()
        .timestamp()
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Item 7: with 5-minute tokens (Keycloak's default) and a clock 4 minutes ahead, a token just
/// obtained was already inside the early-refresh margin: 4 callers without a terminal opened
/// 4 logins, and kubectl got an expiry already past. Now one login serves them all, with an
/// expiry ahead, and the next call is a cache hit.
#[test]
fn a_token_just_obtained_serves_its_waiters_whatever_the_clock_says() {
    let idp = Idp::start(IdpOptions {
        id_token_ttl: Some(300),
        ..Default::default()
    });
    let home = Home::new(&idp);
    let record = home.dir.path().join("opened");
    let browser = home.browser(&format!("--record {} --delay-ms 1000", record.display()));
    let ahead = 240;
    let children: Vec<_> = (0..4)
        .map(|_| {
            let mut cmd = app_call(&home, &[&browser]);
            clock_off(&mut cmd, ahead);
            cmd.spawn().unwrap()
        })
        .collect();
    let outs: Vec<Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    for out in &outs {
        assert_success(out);
        // kubectl (whose clock is the plugin's) is told to come back later, not in the past.
        assert!(
            expiration(out) > unix_now() + ahead + 60,
            "expiry {} at {}",
            expiration(out),
            unix_now() + ahead
        );
    }
    assert_eq!(lines_in(&record), 1, "browsers opened");
    assert_eq!(idp.grants("authorization_code"), 1);
    let mut cmd = app_call(&home, &[&browser]);
    clock_off(&mut cmd, ahead);
    let out = cmd.output().unwrap();
    assert_success(&out);
    assert_eq!(stderr(&out), "", "a cache hit");
    assert_eq!(
        idp.grants("authorization_code") + idp.grants("refresh_token"),
        1
    );
}

/// Item 8: a FIFO planted as `<digest>.last-error` in a cache directory already refused as
/// writable by others hung get-token for good (a link to /dev/zero grew its memory). Nothing
/// is read from a refused directory, and records are opened without following links,
/// non-blocking, size-limited.
#[test]
fn a_refused_cache_directory_is_not_read_even_for_records() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    home.login();
    let digest = home
        .cache_path("id_token")
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let record = home.cache_dir().join(format!("{digest}.last-error"));
    let make_fifo = |path: &Path| {
        let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    };
    for planted in ["fifo", "/dev/zero"] {
        let _ = std::fs::remove_file(&record);
        if planted == "fifo" {
            make_fifo(&record);
        } else {
            std::os::unix::fs::symlink(planted, &record).unwrap();
        }
        for mode in [0o777, 0o700] {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(home.cache_dir(), std::fs::Permissions::from_mode(mode))
                .unwrap();
            let mut cmd = home.command(
                "get-token",
                &["--force-refresh"],
                Some(EXEC_V1_NONINTERACTIVE),
            );
            let mut child = cmd
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
            while child.try_wait().unwrap().is_none() {
                if std::time::Instant::now() > deadline {
                    let _ = child.kill();
                    panic!("get-token hangs on a planted {planted} (cache directory {mode:o})");
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            let out = child.wait_with_output().unwrap();
            if mode == 0o777 {
                assert_failure(&out, 7, &["chmod 700"]);
            } else {
                // A trusted directory: the record is refused as what it is, the call served.
                assert_success(&out);
            }
        }
    }
    // A planted lock file that is a FIFO is refused, not waited on.
    let lock = home.cache_dir().join(format!("{digest}.lock"));
    let _ = std::fs::remove_file(&lock);
    make_fifo(&lock);
    let out = home.run(
        "get-token",
        &["--force-refresh"],
        Some(EXEC_V1_NONINTERACTIVE),
    );
    assert_failure(&out, 7, &["not a regular file"]);
}

/// Item 9: `status` ignored the kubeconfig entry's `--token-cache-dir`: after `login --context
/// prod`, `status --context prod` said "not logged in yet", and a bare `status` listed no
/// session and named no context.
#[test]
fn status_reads_each_kubeconfig_entrys_own_cache_directory() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let own = home.dir.path().join("entry-cache");
    let mut args = vec!["get-token".to_owned()];
    args.extend(
        home.args
            .iter()
            .filter(|a| !a.starts_with("--token-cache-dir"))
            .cloned(),
    );
    args.push(format!("--token-cache-dir={}", own.display()));
    let kubeconfig = home.dir.path().join("kubeconfig");
    write_exec_kubeconfig(&kubeconfig, "prod", &args, &[]);
    let run = |command: &str, extra: &[&str]| {
        let mut all = vec![command];
        all.extend(extra);
        plugin_with_kubeconfig(&home, &kubeconfig, &all)
    };
    assert_success(&run("login", &["--context=prod", &home.browser("")]));
    let out = run("status", &["--context=prod"]);
    assert_success(&out);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        text.contains("1 cached session in") && text.contains(&own.display().to_string()),
        "{text}"
    );
    assert!(text.contains("used by kubeconfig context prod"), "{text}");
    let out = run("status", &["-o", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["contexts"], serde_json::json!(["prod"]));
    assert_eq!(rows[0]["cache_dir"], own.display().to_string());
}

/// Item 11: `clean` did not take the entry lock: it said "Removed 1 of 1" during a refresh,
/// which then wrote the session back with a live refresh token.
#[test]
fn clean_waits_for_a_refresh_in_flight_and_removes_what_it_stored() {
    let idp = Idp::start(IdpOptions {
        token_delay_ms: Some(3000),
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
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The refresh holds the entry lock and waits for the provider.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while idp.grants("refresh_token") == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "no refresh reached the provider"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let mut clean = Command::new(BIN);
    clean
        .arg("clean")
        .arg(format!("--token-cache-dir={}", home.cache_dir().display()));
    scrub(&mut clean, home.dir.path());
    let out = clean.stdin(Stdio::null()).output().unwrap();
    assert_success(&out);
    assert!(stderr(&out).contains("Removed 1 of 1"), "{}", stderr(&out));
    assert_success(&refresh.wait_with_output().unwrap());
    let left: Vec<String> = std::fs::read_dir(home.cache_dir())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".session") || n.ends_with(".id_token"))
        .collect();
    assert!(
        left.is_empty(),
        "the refresh wrote the session back: {left:?}"
    );
}

/// Item 12: a leader killed with SIGKILL left its "open" record past its deadline; 3 of 4
/// callers of the next burst failed at once ("in progress in pid N") while the new leader's
/// login succeeded. A record whose deadline passed is ignored: they wait as for any leader.
#[test]
fn a_dead_leaders_record_does_not_fail_the_next_burst() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let record = home.dir.path().join("opened");
    let never = home.browser(&format!("--record {} --never", record.display()));
    let mut leader = Command::new(BIN);
    leader
        .arg("get-token")
        .args(&home.args)
        .args([&never, "--authentication-timeout-sec=2"]);
    scrub(&mut leader, home.dir.path());
    let mut leader = leader
        .env("KUBERNETES_EXEC_INFO", EXEC_V1_NONINTERACTIVE)
        .env("DISPLAY", ":0")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while lines_in(&record) == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the leader never opened the browser"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    leader.kill().unwrap(); // SIGKILL: no handler runs, the "open" record stays
    leader.wait().unwrap();
    let attempt = home.cache_path("browser-attempt");
    assert!(
        std::fs::read_to_string(&attempt)
            .unwrap()
            .starts_with("open ")
    );
    // Past its deadline.
    std::thread::sleep(std::time::Duration::from_secs(3));
    let browser = home.browser(&format!("--record {} --delay-ms 1500", record.display()));
    let children: Vec<_> = (0..4)
        .map(|_| app_call(&home, &[&browser]).spawn().unwrap())
        .collect();
    for child in children {
        assert_success(&child.wait_with_output().unwrap());
    }
    assert_eq!(
        lines_in(&record),
        2,
        "one browser for the dead leader, one for the burst"
    );
}

/// Item 13: output cleaning kept line breaks, so a kubeconfig user named
/// `kl\nkubectl-oidc: FAKE-LINE` printed a line of its own. Kubeconfig values are printed on
/// one line.
#[test]
fn a_kubeconfig_name_cannot_forge_a_line() {
    // kubelogin's fixed redirect ports (8000, 18000).
    let _ports = kubelogin_ports();
    let s = TlsLogin::new();
    let kubeconfig = s.home.dir.path().join("kubeconfig");
    let args: Vec<String> = vec![
        "oidc-login".into(),
        "get-token".into(),
        format!("--oidc-issuer-url={}", s.idp.issuer),
        "--oidc-client-id=kubelogin".into(),
        "--oidc-extra-scope=a\nkubectl-oidc: FAKE-LINE from an argument".into(),
    ];
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nusers:\n- name: \"kl\\nkubectl-oidc: FAKE-LINE from a name\"\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: kubectl\n      args:{}\n\
             - name: \"ap\\nkubectl-oidc: FAKE-LINE from a skipped user\"\n  user:\n    client-certificate: /c\n    auth-provider: {{name: oidc, config: {{idp-issuer-url: https://x, client-id: k}}}}\n\
             contexts:\n- name: \"ctx\\nkubectl-oidc: FAKE-LINE from a context\"\n  context: {{cluster: c, user: \"kl\\nkubectl-oidc: FAKE-LINE from a name\"}}\n",
            yaml_args(&args)
        ),
    )
    .unwrap();
    let kc = format!("--kubeconfig={}", kubeconfig.display());
    for run in [
        vec!["setup", "--migrate", "--dry-run", &kc],
        vec!["setup", "--migrate", &kc],
        vec![
            "status",
            &kc,
            "--context=ctx\nkubectl-oidc: FAKE-LINE from a context",
        ],
    ] {
        let out = plugin(&s, run[0], &run[1..]);
        for line in stderr(&out)
            .lines()
            .chain(String::from_utf8_lossy(&out.stdout).lines())
        {
            assert!(
                !line.starts_with("kubectl-oidc: FAKE-LINE"),
                "{run:?}: {line}"
            );
        }
        assert!(
            stderr(&out).contains("FAKE-LINE")
                || String::from_utf8_lossy(&out.stdout).contains("FAKE-LINE"),
            "{run:?} did not print the name at all: {}",
            stderr(&out)
        );
    }
}
