//! The refresh lock: an advisory lock (flock) on `<digest>.lock`, released on drop and by the
//! OS when the process dies, with the holder's pid written in it for the messages of those
//! who wait.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read as _, Seek as _, Write as _};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

use super::{explain_link, no_follow, open_private};

/// A held cross-process lock; released on drop (and by the OS if the process dies).
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// Take the exclusive lock at `path`, waiting up to `timeout`. After a second of waiting,
/// `waiting` is called once with the holder's pid (if it wrote one) so the user knows why.
pub fn lock(
    path: &Path,
    timeout: Duration,
    mut waiting: impl FnMut(Option<u32>),
) -> anyhow::Result<Lock> {
    let open = || {
        open_private(path, false)
            .with_context(|| format!("cannot open the lock file {}", path.display()))
    };
    let mut file = open()?;
    let start = Instant::now();
    let mut told = false;
    crate::ui::trace(2, || format!("lock: taking {}", path.display()));
    loop {
        if take_now(&mut file, path, open)? {
            break;
        }
        let holder = || read_pid(&mut no_follow(OpenOptions::new().read(true)).open(path).ok()?);
        if !told && start.elapsed() >= Duration::from_secs(1) {
            waiting(holder());
            told = true;
        }
        if start.elapsed() >= timeout {
            let who = holder().map(|p| format!(" (pid {p})")).unwrap_or_default();
            bail!(
                "timed out after {}s waiting for another kubectl-oidc{who} that holds {}; stop it, or try again when it finishes",
                timeout.as_secs(),
                path.display()
            );
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    if start.elapsed() >= Duration::from_millis(50) {
        crate::ui::trace(1, || {
            format!(
                "lock: waited {} ms for {}",
                start.elapsed().as_millis(),
                path.display()
            )
        });
    }
    Ok(held(file))
}

/// Take the lock at `path` if it is free now: `None` when another process holds it.
pub fn try_lock(path: &Path) -> anyhow::Result<Option<Lock>> {
    let open = || {
        open_private(path, false)
            .with_context(|| format!("cannot open the lock file {}", path.display()))
    };
    let mut file = open()?;
    Ok(take_now(&mut file, path, open)?.then(|| held(file)))
}

/// One attempt at the lock on `file`: `true` when taken. A lock file removed (clean, logout)
/// while we waited is no lock: the one that is there now is opened and tried instead.
fn take_now(
    file: &mut File,
    path: &Path,
    open: impl Fn() -> anyhow::Result<File>,
) -> anyhow::Result<bool> {
    loop {
        match file.try_lock() {
            Ok(()) if !same_file(file, path) => *file = open()?,
            Ok(()) => return Ok(true),
            Err(fs::TryLockError::WouldBlock) => return Ok(false),
            Err(fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
    }
}

/// A lock just taken, with our pid in its file to tell later waiters who holds it (best
/// effort: the lock works without it).
fn held(mut file: File) -> Lock {
    let _ = file
        .set_len(0)
        .and_then(|()| file.rewind())
        .and_then(|()| write!(file, "{}", std::process::id()));
    Lock { _file: file }
}

/// Whether the open `file` is still the file at `path` (not removed or replaced since).
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        match (file.metadata(), fs::symlink_metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

/// The pid written into a lock file that another process holds now; `None` when the lock is
/// free (or its holder wrote no pid).
pub fn holder(path: &Path) -> Option<u32> {
    let mut file = no_follow(OpenOptions::new().read(true)).open(path).ok()?;
    match file.try_lock() {
        Ok(()) => None, // free; dropping the file releases it again
        Err(_) => read_pid(&mut file),
    }
}

/// Remove a lock file that nobody holds (a lock held by a running login or refresh stays):
/// taken first, so that no one takes it between the check and the removal.
pub fn remove_if_free(path: &Path) -> io::Result<bool> {
    let file = match no_follow(OpenOptions::new().read(true)).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(explain_link(e, path)),
    };
    match file.try_lock() {
        Ok(()) => {
            fs::remove_file(path)?;
            Ok(true)
        }
        Err(fs::TryLockError::WouldBlock) => Ok(false),
        Err(fs::TryLockError::Error(e)) => Err(e),
    }
}

/// The pid a lock's holder wrote into the lock file.
fn read_pid(file: &mut File) -> Option<u32> {
    let mut s = String::new();
    file.read_to_string(&mut s).ok()?;
    s.trim().parse().ok()
}
