//! The storage backend, chosen once from `--token-cache-storage`, and the entries in it.
//!
//! A [`Store`] is a cache directory and a [`Backend`]; an `Entry` (entry.rs) is one cache
//! key's files in it, with `load`/`save`/`delete`, and its locks (locks.rs) and records
//! (records.rs). [`Store::list`] finds every entry (status, clean).

use std::cell::OnceCell;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::file;
use super::keyring::KeyringError;
use crate::error::{Error, Kind, ResultExt as _};
use crate::ui;

/// What each storage mode keeps where; the only `match` on the mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `auto`: the session sealed by a keyring-held key, or plain with a notice when no
    /// keyring answers; the id_token plain.
    SealedSession,
    /// `keyring`: both sealed; no keyring is an error.
    Keyring,
    /// `disk`: plain 0600 files.
    Plain,
    /// `none`: nothing is kept.
    Nothing,
}

/// The kinds of file an entry has, as `<digest>.<kind>`.
pub(super) const KINDS: [&str; 4] = ["id_token", "session", "lock", "login-lock"];
/// Those that are locks.
pub(super) const LOCKS: [&str; 2] = ["lock", "login-lock"];
/// When and which error get-token last printed in full (see `cmd::get_token`); no secret.
pub(super) const LAST_ERROR: &str = "last-error";
/// The browser login opened for a call without a terminal, and whether it went unanswered
/// (see `auth::desktop`); no secret.
pub(super) const BROWSER_ATTEMPT: &str = "browser-attempt";
/// What a session imported by `setup --migrate` is for, and when (see `cache::records`).
pub(super) const IMPORTED: &str = "imported";

pub struct Store {
    dir: PathBuf,
    backend: Backend,
    /// Whether the directory can be trusted ([`file::check_dir`]), looked at once.
    trusted: OnceCell<Result<(), String>>,
}

impl Store {
    pub fn new(dir: PathBuf, backend: Backend) -> Self {
        Self {
            dir,
            backend,
            trusted: OnceCell::new(),
        }
    }

    /// Say that no OS keyring works and the refresh token goes to a 0600 file: once for this
    /// cache directory (a marker file remembers it; once in a process that writes several
    /// sessions, such as a migration, should the marker not be written). Afterwards only at
    /// `-v1`: `status` shows each session's store.
    pub(super) fn no_keyring_notice(&self, e: &KeyringError) {
        const MARKER: &str = "no-keyring-notice";
        static SAID: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        let marker = self.dir.join(MARKER);
        if marker.exists() || SAID.swap(true, std::sync::atomic::Ordering::Relaxed) {
            ui::trace(1, || {
                format!(
                    "cache: no OS keyring ({e}): the refresh token is in a 0600 file in {}",
                    self.dir.display()
                )
            });
            return;
        }
        ui::info(&format!(
            "kubectl-oidc: notice: {e}; keeping the refresh token in a 0600 file in {} instead \
             (--token-cache-storage=disk skips the keyring and this notice)",
            self.dir.display()
        ));
        let _ = file::write_atomic(&marker, b"");
    }

    /// The directory is ours and writable by nobody else (or does not exist yet): else an
    /// error that says how to fix it. Nothing is read from an untrusted directory.
    pub fn check_trusted(&self) -> anyhow::Result<()> {
        if self.backend == Backend::Nothing {
            return Ok(());
        }
        self.trusted
            .get_or_init(|| file::check_dir(&self.dir))
            .clone()
            .map_err(|e| Error::new(Kind::Cache, e))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The digests of the entries that hold a session or an id_token (not those that are only
    /// a lock file a failed login left behind): what `status` lists.
    pub fn list_sessions(&self) -> anyhow::Result<Vec<String>> {
        Ok(self
            .list()?
            .into_iter()
            .filter(|d| {
                ["id_token", "session"]
                    .iter()
                    .any(|kind| self.dir.join(format!("{d}.{kind}")).exists())
            })
            .collect())
    }

    /// The digests of every entry in the directory (an absent directory has none).
    pub fn list(&self) -> anyhow::Result<Vec<String>> {
        self.check_trusted()?;
        let read = match std::fs::read_dir(&self.dir) {
            Ok(r) => r,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("cannot list the token cache {}", self.dir.display()))
                    .kind(Kind::Cache);
            }
        };
        let mut digests: Vec<String> = read
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let (digest, kind) = name.split_once('.')?;
                (KINDS.contains(&kind) && !digest.is_empty()).then(|| digest.to_owned())
            })
            .collect();
        digests.sort();
        digests.dedup();
        Ok(digests)
    }
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
