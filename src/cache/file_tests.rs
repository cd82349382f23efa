//! Cache files: atomic 0600 writes, locks, the directory's trust, temp files tidied.

use super::*;
use std::time::Duration;

/// The kinds written under the entry lock.
const KINDS: &[&str] = &["session", "id_token"];

#[test]
fn atomic_write_is_private_and_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.id_token");
    write_atomic(&p, b"one").unwrap();
    write_atomic(&p, b"two").unwrap();
    assert_eq!(read(&p).unwrap().unwrap(), b"two");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // no temp files left behind
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    assert_eq!(read(&dir.path().join("missing")).unwrap(), None);
    // A reservation allocates first and leaves nothing when dropped uncommitted.
    let r = Reserved::new(&p, 4096).unwrap();
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    drop(r);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    Reserved::new(&p, 4096).unwrap().commit(b"three").unwrap();
    assert_eq!(read(&p).unwrap().unwrap(), b"three");
    // Killed writers' temp files go; other entries' files stay, and so do this entry's
    // records written under another lock (issue 31 item 1: a login's browser-attempt record).
    fs::write(dir.path().join(".x.id_token.abcdef.tmp"), b"secret").unwrap();
    fs::write(dir.path().join(".y.session.abcdef.tmp"), b"other").unwrap();
    fs::write(dir.path().join(".x.browser-attempt.abcdef.tmp"), b"open").unwrap();
    tidy_temp_files(dir.path(), "x", KINDS, "session", |_| true);
    let mut left: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            ".x.browser-attempt.abcdef.tmp",
            ".y.session.abcdef.tmp",
            "x.id_token"
        ]
    );
}

/// A killed writer's complete temp session, newer than the session, replaces it; a part
/// of one (or an older one) is removed.
#[test]
fn a_complete_temp_session_is_adopted() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("x.session");
    let (old, part, whole) = (
        dir.path().join(".x.session.000001.tmp"),
        dir.path().join(".x.session.000002.tmp"),
        dir.path().join(".x.session.000003.tmp"),
    );
    // A complete temp file a minute older than the session.
    #[expect(clippy::disallowed_methods, reason = "a file's mtime in a test")]
    let write_old = || {
        fs::write(&old, b"{older}").unwrap();
        let before = std::time::SystemTime::now() - Duration::from_secs(60);
        let file = File::options().write(true).open(&old).unwrap();
        file.set_modified(before).unwrap();
    };
    write_old();
    fs::write(&session, b"{spent}").unwrap();
    fs::write(&part, b"{rota").unwrap();
    fs::write(&whole, b"{rotated}").unwrap();
    let complete = |b: &[u8]| b.ends_with(b"}");
    tidy_temp_files(dir.path(), "x", KINDS, "session", complete);
    assert_eq!(read(&session).unwrap().unwrap(), b"{rotated}");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    // Only an older complete one: removed, the session stays.
    write_old();
    tidy_temp_files(dir.path(), "x", KINDS, "session", complete);
    assert_eq!(read(&session).unwrap().unwrap(), b"{rotated}");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// Issue 17 item 5: a directory others can write to, or that another user owns, is not
/// trusted; a lock or cache file that is a symbolic link is not followed.
#[cfg(unix)]
#[test]
fn an_untrusted_directory_and_links_are_refused() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    ensure_dir(&cache).unwrap();
    assert_eq!(
        fs::metadata(&cache).unwrap().permissions().mode() & 0o777,
        0o700
    );
    assert_eq!(check_dir(&dir.path().join("absent")), Ok(()));
    fs::set_permissions(&cache, fs::Permissions::from_mode(0o777)).unwrap();
    let err = check_dir(&cache).unwrap_err();
    assert!(
        err.contains("writable by other users (mode 777)")
            && err.contains(&format!("chmod 700 {}", cache.display())),
        "{err}"
    );
    assert!(ensure_dir(&cache).is_err());
    fs::set_permissions(&cache, fs::Permissions::from_mode(0o755)).unwrap();
    ensure_dir(&cache).unwrap();
    // A lock file replaced by a link: its target is neither opened nor truncated.
    let target = dir.path().join("precious");
    fs::write(&target, b"keep me").unwrap();
    let lock_path = cache.join("k.lock");
    std::os::unix::fs::symlink(&target, &lock_path).unwrap();
    let err = format!(
        "{:#}",
        lock(&lock_path, Duration::from_millis(100), |_| {}).unwrap_err()
    );
    assert!(err.contains("is a symbolic link"), "{err}");
    let cached = cache.join("k.id_token");
    std::os::unix::fs::symlink(&target, &cached).unwrap();
    let err = read(&cached).unwrap_err().to_string();
    assert!(err.contains("is a symbolic link"), "{err}");
    assert_eq!(fs::read(&target).unwrap(), b"keep me");
}

/// A lock file removed while a process waited on it is not a lock: the waiter takes the
/// file that is there now, so two processes never both hold "the" lock.
#[test]
fn a_removed_lock_file_is_not_held() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("k.lock");
    let held = lock(&p, Duration::from_secs(1), |_| {}).unwrap();
    let waiter = {
        let p = p.clone();
        std::thread::spawn(move || lock(&p, Duration::from_secs(5), |_| {}).unwrap())
    };
    std::thread::sleep(Duration::from_millis(100));
    // Removed while held (as clean removed a held lock before issue 17), then released.
    assert!(!remove_if_free(&p).unwrap(), "a held lock was removed");
    fs::remove_file(&p).unwrap();
    drop(held);
    let _waiter_lock = waiter.join().unwrap();
    assert!(p.exists(), "the waiter holds a lock file that is not there");
    assert!(holder(&p).is_some());
    assert!(!remove_if_free(&p).unwrap());
}

#[test]
fn lock_excludes_and_times_out_with_the_holder() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("k.lock");
    let held = lock(&p, Duration::from_secs(1), |_| {}).unwrap();
    let mut seen = None;
    let err = lock(&p, Duration::from_millis(1200), |pid| seen = pid)
        .unwrap_err()
        .to_string();
    assert_eq!(seen, Some(std::process::id()));
    assert!(err.contains("timed out") && err.contains("k.lock"), "{err}");
    drop(held);
    assert_eq!(holder(&p), None);
    lock(&p, Duration::from_secs(1), |_| {}).unwrap();
}
