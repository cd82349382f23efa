//! File primitives for the cache: 0700 directory, atomic 0600 writes, the refresh lock.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read as _, Seek as _, Write as _};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

/// Read a whole file; `Ok(None)` when it does not exist.
pub fn read(path: &Path) -> io::Result<Option<Vec<u8>>> {
    match fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

pub fn ensure_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .with_context(|| format!("cannot create the token cache directory {}", dir.display()))
}

fn open_private(path: &Path, create_new: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true);
    if create_new {
        options.create_new(true);
    } else {
        options.create(true);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Write `bytes` to `path` atomically: a 0600 temp file beside it, fsync, rename, fsync the
/// directory. Readers see the old file or the new one, never a part.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("cache");
    let mut suffix = [0u8; 6];
    getrandom::fill(&mut suffix).map_err(|e| anyhow::anyhow!("no randomness available: {e}"))?;
    let suffix: String = suffix.iter().map(|b| format!("{b:02x}")).collect();
    let tmp = dir.join(format!(".{name}.{suffix}.tmp"));
    let result = (|| -> io::Result<()> {
        let mut f = open_private(&tmp, true)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)?;
        #[cfg(unix)]
        File::open(dir)?.sync_all()?;
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot write the cache file {}", path.display()))
}

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
    let mut file = open_private(path, false)
        .with_context(|| format!("cannot open the lock file {}", path.display()))?;
    let start = Instant::now();
    let mut told = false;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(fs::TryLockError::WouldBlock) => {}
            Err(fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
        let holder = || {
            let mut s = String::new();
            File::open(path).ok()?.read_to_string(&mut s).ok()?;
            s.trim().parse::<u32>().ok()
        };
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
    // Tell later waiters who holds the lock. Best effort: the lock works without it.
    let _ = file
        .set_len(0)
        .and_then(|()| file.rewind())
        .and_then(|()| write!(file, "{}", std::process::id()));
    Ok(Lock { _file: file })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        lock(&p, Duration::from_secs(1), |_| {}).unwrap();
    }
}
