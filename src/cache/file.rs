//! File primitives for the cache: a private directory, atomic 0600 writes, the refresh lock.
//!
//! The directory is trusted as ssh trusts `~/.ssh`: it must be ours and writable by nobody
//! else, or anyone could plant a token a cache hit serves, or a session whose token endpoint
//! is theirs. Files are opened without following symbolic links (a lock file replaced by a
//! link would truncate its target), and a file that is not ours is not read.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read as _, Seek as _, Write as _};
use std::path::Path;

use anyhow::Context as _;

mod lock;
pub use self::lock::{Lock, holder, lock, remove_if_free, try_lock};

/// Open options that never follow a symbolic link at the last component, and never wait:
/// opening a FIFO planted in place of a cache file would block for a writer or a reader.
fn no_follow(options: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(options, libc::O_NOFOLLOW | libc::O_NONBLOCK);
    options
}

/// Refuse anything but a regular file (a FIFO, a device, a socket planted as a cache file).
fn check_regular(meta: &fs::Metadata, path: &Path) -> io::Result<()> {
    if meta.is_file() {
        return Ok(());
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "{} is not a regular file, which kubectl-oidc never makes; remove it",
            path.display()
        ),
    ))
}

/// What an open on a symbolic link fails with, said for people.
fn explain_link(e: io::Error, path: &Path) -> io::Error {
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ELOOP) {
        return io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{} is a symbolic link, which kubectl-oidc never makes; remove it",
                path.display()
            ),
        );
    }
    let _ = path;
    e
}

/// Refuse a file or directory that another user owns.
fn check_owner(meta: &fs::Metadata, path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if meta.uid() != me {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!(
                    "{} belongs to uid {}, not to you (uid {me})",
                    path.display(),
                    meta.uid()
                ),
            ));
        }
    }
    let _ = (meta, path);
    Ok(())
}

/// The most a cache file may hold: a session with the provider's discovery document and
/// keys is tens of kilobytes.
pub const MAX_FILE: u64 = 1 << 20;

/// Read a whole file of ours; `Ok(None)` when it does not exist. A symbolic link, a file
/// another user owns, anything but a regular file (a FIFO would block the read for good, a
/// device would never end) and a file over [`MAX_FILE`] are errors.
pub fn read(path: &Path) -> io::Result<Option<Vec<u8>>> {
    read_limited(path, MAX_FILE)
}

/// [`read`], for a file of at most `limit` bytes.
pub fn read_limited(path: &Path, limit: u64) -> io::Result<Option<Vec<u8>>> {
    let file = match no_follow(OpenOptions::new().read(true)).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(explain_link(e, path)),
    };
    let meta = file.metadata()?;
    check_owner(&meta, path)?;
    check_regular(&meta, path)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{} is larger than {limit} bytes, which kubectl-oidc never writes; remove it",
                path.display()
            ),
        ));
    }
    Ok(Some(bytes))
}

/// Why the cache directory cannot be trusted, with the command that fixes it; `Ok` when it
/// is ours and writable by nobody else, or does not exist yet.
pub fn check_dir(dir: &Path) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let meta = match fs::metadata(dir) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => {
                return Err(format!(
                    "cannot read the token cache directory {}: {e}; fix its permissions or \
                     pass --token-cache-dir with a directory of yours",
                    dir.display()
                ));
            }
        };
        let shown = crate::text::shell_quote(&dir.display().to_string());
        if let Err(e) = check_owner(&meta, dir) {
            return Err(format!(
                "the token cache directory {e}: its owner could plant tokens there, so kubectl-oidc \
                 does not use it; remove it (rm -r {shown}) or pass --token-cache-dir with a \
                 directory of yours"
            ));
        }
        if meta.mode() & 0o022 != 0 {
            return Err(format!(
                "the token cache directory {} is writable by other users (mode {:o}): anyone could \
                 plant a token or a session there, so kubectl-oidc does not use it; fix it with: \
                 chmod 700 {shown}",
                dir.display(),
                meta.mode() & 0o7777
            ));
        }
    }
    let _ = dir;
    Ok(())
}

/// Create the cache directory (0700) if needed, and check that it can be trusted.
pub fn ensure_dir(dir: &Path) -> anyhow::Result<()> {
    if !dir.is_dir() {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).with_context(|| {
            format!("cannot create the token cache directory {}", dir.display())
        })?;
    }
    check_dir(dir).map_err(anyhow::Error::msg)
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
    let file = no_follow(&mut options)
        .open(path)
        .map_err(|e| explain_link(e, path))?;
    let meta = file.metadata()?;
    check_owner(&meta, path)?;
    check_regular(&meta, path)?;
    Ok(file)
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

/// Tidy what a killed writer left for the files named `<prefix>.*` in `dir`: a complete
/// temp file of `adopt` (written and flushed before its rename, which the kill prevented;
/// `complete` says whether its bytes are whole) newer than the file itself replaces it, so
/// that a refresh token the provider rotated and we wrote is not lost; every other temp file
/// of `kinds` is removed. Call it under the lock that every writer of `kinds` holds (no such
/// writer runs then); temp files of the other kinds, written under other locks, are left.
pub fn tidy_temp_files(
    dir: &Path,
    prefix: &str,
    kinds: &[&str],
    adopt: &str,
    complete: impl Fn(&[u8]) -> bool,
) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let starts: Vec<String> = kinds.iter().map(|k| format!(".{prefix}.{k}.")).collect();
    let target = dir.join(format!("{prefix}.{adopt}"));
    let modified = |p: &Path| fs::symlink_metadata(p).and_then(|m| m.modified()).ok();
    let mut temps: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| starts.iter().any(|s| n.starts_with(s)) && n.ends_with(".tmp"))
        })
        .collect();
    // The newest first: it is the one to adopt.
    temps.sort_by_key(|p| std::cmp::Reverse(modified(p)));
    let mut adopted = false;
    for tmp in temps {
        let name = tmp.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let of_target = name.starts_with(&format!(".{prefix}.{adopt}."));
        let newer = match (modified(&tmp), modified(&target)) {
            (Some(t), Some(f)) => t >= f,
            (Some(_), None) => true,
            _ => false,
        };
        if !adopted
            && of_target
            && newer
            && read(&tmp).ok().flatten().is_some_and(|b| complete(&b))
            && fs::rename(&tmp, &target).is_ok()
        {
            adopted = true;
            crate::ui::trace(1, || {
                format!(
                    "cache: adopted {} (a writer was killed after writing it)",
                    tmp.display()
                )
            });
            continue;
        }
        let _ = fs::remove_file(&tmp);
    }
}

#[cfg(test)]
#[path = "file_tests.rs"]
mod tests;
