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

/// A 0600 temp file beside its destination, created (and its space allocated) before the
/// bytes are known: a refresh reserves the session file before it spends the refresh token,
/// so that a read-only or full cache directory fails the call while the old token still works.
#[derive(Debug)]
pub struct Reserved {
    file: File,
    tmp: std::path::PathBuf,
    path: std::path::PathBuf,
}

impl Reserved {
    /// Create the temp file for `path` with `size` bytes allocated.
    pub fn new(path: &Path, size: u64) -> anyhow::Result<Self> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("cache");
        let mut suffix = [0u8; 6];
        getrandom::fill(&mut suffix)
            .map_err(|e| anyhow::anyhow!("no randomness available: {e}"))?;
        let tmp = dir.join(format!(".{name}.{}.tmp", crate::text::hex(&suffix)));
        let context = || format!("cannot write the cache file {}", path.display());
        let file = open_private(&tmp, true).with_context(context)?;
        if let Err(e) = allocate(&file, size) {
            let _ = fs::remove_file(&tmp);
            return Err(e).with_context(context);
        }
        Ok(Self {
            file,
            tmp,
            path: path.to_owned(),
        })
    }

    /// Write `bytes`, fsync, rename over the destination, fsync the directory. Readers see
    /// the old file or the new one, never a part.
    pub fn commit(mut self, bytes: &[u8]) -> anyhow::Result<()> {
        let result = (|| -> io::Result<()> {
            self.file.set_len(bytes.len() as u64)?;
            self.file.rewind()?;
            self.file.write_all(bytes)?;
            self.file.sync_all()?;
            fs::rename(&self.tmp, &self.path)?;
            #[cfg(unix)]
            File::open(self.path.parent().unwrap_or(Path::new(".")))?.sync_all()?;
            Ok(())
        })();
        result.with_context(|| format!("cannot write the cache file {}", self.path.display()))
    }
}

impl Drop for Reserved {
    /// An uncommitted reservation leaves nothing behind (after a commit the temp name is gone).
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.tmp);
    }
}

/// Allocate `size` bytes for `file` for real (not a sparse hole), so that a full disk is
/// found now rather than on the write.
fn allocate(file: &File, size: u64) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd as _;
        let len = libc::off_t::try_from(size).unwrap_or(libc::off_t::MAX);
        // SAFETY: a valid open file descriptor and a length; no memory is passed.
        match unsafe { libc::posix_fallocate(file.as_raw_fd(), 0, len) } {
            0 => Ok(()),
            // File systems without fallocate: fall back to set_len below.
            libc::EOPNOTSUPP | libc::EINVAL => file.set_len(size),
            e => Err(io::Error::from_raw_os_error(e)),
        }
    }
    #[cfg(not(target_os = "linux"))]
    file.set_len(size)
}

/// Write `bytes` to `path` atomically: a 0600 temp file beside it, fsync, rename, fsync the
/// directory. Readers see the old file or the new one, never a part.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    Reserved::new(path, bytes.len() as u64)?.commit(bytes)
}

/// Remove the temp files a killed writer left for the files named `<prefix>.*` in `dir`.
/// Call it under the entry's lock (no writer of the entry is running then).
pub fn remove_stale_temp_files(dir: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let start = format!(".{prefix}.");
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(&start) && name.ends_with(".tmp") {
            let _ = fs::remove_file(e.path());
        }
    }
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
    crate::ui::trace(2, || format!("lock: taking {}", path.display()));
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(fs::TryLockError::WouldBlock) => {}
            Err(fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
        let holder = || read_pid(&mut File::open(path).ok()?);
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
    // Tell later waiters who holds the lock. Best effort: the lock works without it.
    let _ = file
        .set_len(0)
        .and_then(|()| file.rewind())
        .and_then(|()| write!(file, "{}", std::process::id()));
    Ok(Lock { _file: file })
}

/// The pid written into a lock file that another process holds now; `None` when the lock is
/// free (or its holder wrote no pid).
pub fn holder(path: &Path) -> Option<u32> {
    let mut file = File::open(path).ok()?;
    match file.try_lock() {
        Ok(()) => None, // free; dropping the file releases it again
        Err(_) => read_pid(&mut file),
    }
}

/// The pid a lock's holder wrote into the lock file.
fn read_pid(file: &mut File) -> Option<u32> {
    let mut s = String::new();
    file.read_to_string(&mut s).ok()?;
    s.trim().parse().ok()
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
        // A reservation allocates first and leaves nothing when dropped uncommitted.
        let r = Reserved::new(&p, 4096).unwrap();
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
        drop(r);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        Reserved::new(&p, 4096).unwrap().commit(b"three").unwrap();
        assert_eq!(read(&p).unwrap().unwrap(), b"three");
        // Killed writers' temp files go; other entries' files stay.
        fs::write(dir.path().join(".x.id_token.abcdef.tmp"), b"secret").unwrap();
        fs::write(dir.path().join(".y.session.abcdef.tmp"), b"other").unwrap();
        remove_stale_temp_files(dir.path(), "x");
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".y.session.abcdef.tmp", "x.id_token"]);
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
}
