//! kubectl's lock on a kubeconfig (client-go's `lockFile`): `<file>.lock`, created exclusively
//! and removed after, so that two writers (ours, or ours and `kubectl config set-...`) never
//! lose each other's entries. Removed on a signal too (src/signals.rs): a lock left behind
//! fails every later `kubectl config` with "file exists".

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context as _;

use crate::error::{Error, Kind, ResultExt as _};

/// kubectl's lock on a kubeconfig: `<file>.lock`, created exclusively, removed on drop. Ours
/// holds our pid, so that one a killed kubectl-oidc left behind is taken over; kubectl's own
/// (empty) is waited for.
pub(super) struct FileLock {
    path: PathBuf,
    /// Removes the lock file when a signal ends the process while it is held.
    on_signal: Option<crate::signals::Guard>,
}

impl FileLock {
    pub(super) fn take(file: &Path, timeout: Duration) -> anyhow::Result<Self> {
        let mut name = file.as_os_str().to_owned();
        name.push(".lock");
        let path = PathBuf::from(name);
        let start = Instant::now();
        loop {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            match options.open(&path) {
                Ok(mut f) => {
                    use std::io::Write as _;
                    let _ = write!(f, "{}", std::process::id());
                    let on_signal = crate::signals::remove_on_signal(&path);
                    return Ok(Self {
                        path,
                        on_signal: Some(on_signal),
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("cannot create the lock file {}", path.display()))
                        .kind(Kind::Config);
                }
            }
            let holder = std::fs::read_to_string(&path)
                .ok()
                .and_then(|s| s.trim().parse::<u32>().ok());
            if holder.is_some_and(|pid| !process_alive(pid)) {
                // A kubectl-oidc that was killed while writing: its lock is stale.
                let _ = std::fs::remove_file(&path);
                continue;
            }
            if start.elapsed() >= timeout {
                return Err(Error::new(
                    Kind::Config,
                    format!(
                        "{} is locked by {} (the lock file {} has been there for {}s); when no kubectl                          or kubectl-oidc is writing it, remove the lock file and try again",
                        file.display(),
                        holder.map_or_else(
                            || "another program".to_owned(),
                            |p| format!("process {p}")
                        ),
                        path.display(),
                        timeout.as_secs()
                    ),
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        // Forgotten first: once removed, the name may be another writer's lock.
        drop(self.on_signal.take());
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether a process with this pid exists (a pid of another user's process counts).
fn process_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: kill with signal 0 sends nothing; it only checks that the pid exists.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}
