//! Faults of the machine, end to end: a full or read-only cache (in a mount namespace of its
//! own), corrupted cache files, temp files a killed writer left, a keyring that cannot work, a
//! closed stdout. Each checks the exit code by cause, an empty stdout, the message, and that no
//! refresh token is spent or lost.

use crate::common::*;

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
fn a_corrupted_cache_is_a_warning_and_a_refresh_not_a_crash() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    home.login();
    let id_file = home.cache_path("id_token");
    std::fs::write(&id_file, b"\x00\x01 not json").unwrap();
    let out = home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
    assert_success(&out);
    // Said once, though the cache hit looked at the file before the refresh did.
    let err = stderr(&out);
    assert_eq!(err.matches("ignoring the cache file").count(), 1, "{err}");
    assert_eq!(err.matches(".id_token").count(), 1, "{err}");
    assert_eq!(idp.grants("refresh_token"), 1);
    // A token that is not a JWT is also just a miss, said once.
    std::fs::write(
        &id_file,
        br#"{"version":1,"format":"plain","data":{"id_token":"garbage"}}"#,
    )
    .unwrap();
    let out = home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
    assert_success(&out);
    let err = stderr(&out);
    assert_eq!(
        err.matches("ignoring the cached id_token").count(),
        1,
        "{err}"
    );
    assert!(err.contains("the next login replaces it"), "{err}");
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
    // status lists the entry it cannot read, with what replaces it or removes it.
    let mut status = std::process::Command::new(BIN);
    status
        .arg("status")
        .arg(format!("--token-cache-dir={}", home.cache_dir().display()));
    scrub(&mut status, home.dir.path());
    let out = status.output().unwrap();
    assert_success(&out);
    let listed = String::from_utf8_lossy(&out.stdout);
    let stem = session.with_extension("");
    assert!(
        listed.contains(
            "its files cannot be read: the next login of its issuer and client replaces them"
        ) && listed.contains(&format!("rm {}.*", stem.display())),
        "{listed}"
    );
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
    let err = assert_failure(&out, 7, &[]);
    assert!(
        err.contains("--token-cache-storage=keyring needs a working OS keyring"),
        "{err}"
    );
    assert!(!marker.exists(), "the browser login ran first");
    assert!(idp.stats()["paths"]["/auth"].is_null());
}

/// Issue 12 item 6: temp files that a writer killed mid-write left behind (one may hold a
/// refresh token) are removed by the next writer, under the lock.
#[test]
fn temp_files_of_a_killed_writer_are_removed() {
    let (_idp, home, first) = logged_in(IdpOptions {
        id_token_ttl: Some(6),
        ..Default::default()
    });
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
mount -t tmpfs -o size=64k,mode=700 tmpfs {cache} || exit 90
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

/// A read-only cache directory (a read-only bind mount in a mount namespace of its own): the
/// stale path fails at once, naming the cache (exit 7), before any refresh token is spent.
#[cfg(target_os = "linux")]
#[test]
fn a_read_only_cache_fails_before_the_refresh_token_is_spent() {
    let (idp, home, first) = logged_in(IdpOptions {
        id_token_ttl: Some(6),
        ..Default::default()
    });
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
    let err = assert_failure(&out, 7, &[]);
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

/// Issue 17 (from the sweep): kill -9 after a refresh wrote and flushed the rotated refresh
/// token to its temp file, before the rename. The provider has spent the old token; the next
/// call adopts the complete temp file (newer than the session) instead of deleting it, and
/// refreshes without a login.
#[test]
fn a_killed_writers_complete_session_is_adopted() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    home.login();
    let session_path = home.cache_path("session");
    let digest = session_path
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let session: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&session_path).unwrap()).unwrap();
    let old = session["data"]["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    // The refresh the killed writer made: the provider rotates the token and spends the old.
    let (status, body) = idp.try_refresh(&old);
    assert_eq!(status, 200, "{body}");
    let rotated = serde_json::from_str::<serde_json::Value>(&body).unwrap()["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(rotated, old);
    let mut written = session.clone();
    written["data"]["refresh_token"] = rotated.clone().into();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let tmp = home
        .cache_dir()
        .join(format!(".{digest}.session.0a1b2c3d4e5f.tmp"));
    std::fs::write(&tmp, serde_json::to_vec(&written).unwrap()).unwrap();
    // A part of another write beside it is removed, not adopted.
    let part = home
        .cache_dir()
        .join(format!(".{digest}.session.ffeeddccbbaa.tmp"));
    std::fs::write(&part, br#"{"format":1,"data":{"refresh_token":"rt-ha"#).unwrap();

    let out = home.run(
        "get-token",
        &["--force-refresh"],
        Some(EXEC_V1_NONINTERACTIVE),
    );
    assert_success(&out);
    assert_eq!(idp.grants("authorization_code"), 1, "a login was needed");
    assert!(!tmp.exists() && !part.exists());
    let now: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&session_path).unwrap()).unwrap();
    let newest = now["data"]["refresh_token"].as_str().unwrap();
    assert_ne!(newest, old);
    assert_ne!(newest, rotated, "the adopted token was not used");
}

/// Issue 17 item 5: a cache directory others can write to (or that another user owns) is not
/// used, as ssh treats ~/.ssh: not even a valid cached token is served from it, and the
/// message gives the fix. Lock and cache files that are symbolic links are not followed:
/// their targets are neither truncated nor read.
#[cfg(unix)]
#[test]
fn an_untrusted_cache_directory_is_refused_with_the_fix() {
    use std::os::unix::fs::PermissionsExt as _;
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    home.login();
    let dir = home.cache_dir();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    for exec_info in [EXEC_V1_NONINTERACTIVE, EXEC_V1_INTERACTIVE] {
        let out = home.run("get-token", &[], Some(exec_info));
        let err = assert_failure(&out, 7, &[]);
        assert!(
            out.stdout.is_empty(),
            "a token was served from {}",
            dir.display()
        );
        assert!(
            err.contains("is writable by other users (mode 777)")
                && err.contains(&format!("chmod 700 {}", dir.display())),
            "{err}"
        );
    }
    let out = home.run("logout", &[], None);
    assert_eq!(out.status.code(), Some(7), "logout: {}", stderr(&out));
    for command in ["status", "clean"] {
        let mut cmd = std::process::Command::new(BIN);
        cmd.arg(command)
            .arg(format!("--token-cache-dir={}", dir.display()));
        scrub(&mut cmd, home.dir.path());
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(7), "{command}: {}", stderr(&out));
    }
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert_success(&home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE)));

    // Owned by another user (as root, the suite's usual case here, it can be arranged).
    if unsafe { libc::geteuid() } == 0 {
        let c = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::chown(c.as_ptr(), 65534, 65534) }, 0);
        let out = home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
        let err = assert_failure(&out, 7, &[]);
        assert!(err.contains("belongs to uid 65534, not to you"), "{err}");
        assert_eq!(unsafe { libc::chown(c.as_ptr(), 0, 0) }, 0);
    } else {
        say_skipped(
            "cache_faults::an_untrusted_cache_directory_is_refused_with_the_fix (another user's directory)",
            "not root, so no directory of another user can be made",
        );
    }

    // The lock file replaced by a link to a file of the user's: the refresh stops, the
    // target is untouched.
    let precious = home.dir.path().join("precious");
    std::fs::write(&precious, "keep me").unwrap();
    let lock = home.cache_path("session").with_extension("lock");
    let _ = std::fs::remove_file(&lock);
    std::os::unix::fs::symlink(&precious, &lock).unwrap();
    let out = home.run(
        "get-token",
        &["--force-refresh"],
        Some(EXEC_V1_NONINTERACTIVE),
    );
    let err = assert_failure(&out, 7, &[]);
    assert!(err.contains("is a symbolic link"), "{err}");
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "keep me");
    // The cached id_token replaced by a link to a token elsewhere: not read.
    std::fs::remove_file(&lock).unwrap();
    let id_token = home.cache_path("id_token");
    let planted = home.dir.path().join("planted");
    std::fs::copy(&id_token, &planted).unwrap();
    std::fs::remove_file(&id_token).unwrap();
    std::os::unix::fs::symlink(&planted, &id_token).unwrap();
    let refreshes = idp.grants("refresh_token");
    let out = home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
    // Not read: said, and a fresh token refreshed and served in its place (issue 33: any
    // answer passed).
    assert_success(&out);
    assert!(
        stderr(&out).contains("is a symbolic link, which kubectl-oidc never makes"),
        "{}",
        stderr(&out)
    );
    assert_eq!(idp.grants("refresh_token"), refreshes + 1);
}
