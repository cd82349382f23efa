//! The storage backend, chosen once from `--token-cache-storage`, and the entries in it.
//!
//! A [`Store`] is a cache directory and a [`Backend`]; an [`Entry`] is one cache key's files
//! in it, with `load`/`save`/`delete`, and the lock the stale path takes. [`Store::list`]
//! finds every entry (status, clean).

use std::cell::{OnceCell, RefCell};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use super::envelope::Envelope;
use super::keyring::{self, KeyringError};
use super::{About, Session, file};
use crate::error::{Error, Kind, ResultExt as _};
use crate::secret::Secret;
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
const KINDS: [&str; 4] = ["id_token", "session", "lock", "login-lock"];
/// Those that are locks.
const LOCKS: [&str; 2] = ["lock", "login-lock"];
/// When and which error get-token last printed in full (see `cmd::get_token`); no secret.
const LAST_ERROR: &str = "last-error";
/// The browser login opened for a call without a terminal, and whether it went unanswered
/// (see `auth::desktop`); no secret.
const BROWSER_ATTEMPT: &str = "browser-attempt";

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

    /// Say that no OS keyring works and the refresh token goes to a 0600 file: in full the
    /// first time for this cache directory (a marker file remembers it), then in one line, and
    /// only to a person ([`ui::attended`]): kubectl's own calls say nothing on success.
    fn no_keyring_notice(&self, e: &KeyringError) {
        const MARKER: &str = "no-keyring-notice";
        let marker = self.dir.join(MARKER);
        if !marker.exists() {
            ui::info(&format!(
                "kubectl-oidc: notice: {e}; keeping the refresh token in a 0600 file in {} instead \
                 (--token-cache-storage=disk skips the keyring and this notice)",
                self.dir.display()
            ));
            let _ = file::write_atomic(&marker, b"");
        } else if ui::attended() {
            ui::info(&format!(
                "kubectl-oidc: notice: no OS keyring: the refresh token is in a 0600 file in {}",
                self.dir.display()
            ));
        }
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

    /// The entry for a cache key's digest.
    pub fn entry(&self, digest: String) -> Entry<'_> {
        Entry {
            store: self,
            digest,
            key: OnceCell::new(),
            warned: RefCell::new(Vec::new()),
            quiet: false,
        }
    }

    /// The entry for a digest, read without warnings: a first look (get-token's cache hit)
    /// that a miss follows with the entry read again, which says what was wrong once.
    pub fn quiet_entry(&self, digest: String) -> Entry<'_> {
        Entry {
            quiet: true,
            ..self.entry(digest)
        }
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

#[derive(Serialize, Deserialize)]
struct IdTokenData {
    id_token: Secret<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    about: Option<About>,
}

/// What became of an entry's keyring key when the entry was deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyringKey {
    /// The key that sealed it was removed from the OS keyring.
    Removed,
    /// Nothing of it was in the keyring (plain files, or a store without one).
    None,
    /// It sealed the files, and the keyring could not be reached to remove it.
    Stays,
}

/// [`Entry::try_login_lock`]: taken (`None` where nothing is kept, so nothing is locked), or
/// held by another process.
pub enum TryLock {
    Taken(Option<file::Lock>),
    Busy,
}

/// What `status` shows of an entry, read without a warning for what is missing.
#[derive(Debug, Default)]
pub struct Described {
    pub about: Option<About>,
    /// The id_token (its claims say who and until when); `None` when absent or sealed with a
    /// key the keyring does not give.
    pub id_token: Option<Secret<String>>,
    /// The formats of the id_token and session files: `Some(true)` sealed, `Some(false)`
    /// plain, `None` absent or unreadable.
    pub id_token_sealed: Option<bool>,
    pub session_sealed: Option<bool>,
    /// When the id_token was last written (a login or refresh), unix seconds.
    pub refreshed_at: Option<i64>,
}

pub struct Entry<'s> {
    store: &'s Store,
    digest: String,
    key: OnceCell<Result<[u8; 32], KeyringError>>,
    /// Files already warned about, so a path that reads the cache twice warns once.
    warned: RefCell<Vec<PathBuf>>,
    /// Warn about nothing ([`Store::quiet_entry`]).
    quiet: bool,
}

impl Entry<'_> {
    fn path(&self, kind: &str) -> PathBuf {
        self.store.dir.join(format!("{}.{kind}", self.digest))
    }

    fn aad(&self, kind: &str) -> String {
        format!("{}.{kind}", self.digest)
    }

    pub fn dir(&self) -> &Path {
        &self.store.dir
    }

    /// The store's directory can be trusted ([`Store::check_trusted`]).
    pub fn check_trusted(&self) -> anyhow::Result<()> {
        self.store.check_trusted()
    }

    fn existing_key(&self) -> Result<[u8; 32], KeyringError> {
        self.key
            .get_or_init(|| keyring::get_key(&self.digest))
            .clone()
    }

    /// Warn about a cache file once per entry (a quiet entry: never).
    pub fn warn(&self, path: &Path, message: &str) {
        let mut warned = self.warned.borrow_mut();
        if !self.quiet && !warned.iter().any(|p| p == path) {
            warned.push(path.to_owned());
            ui::warn(message);
        }
    }

    /// Read and open one cache file into `T`; `None` (with a warning where it helps) when
    /// absent or unusable.
    fn load<T: serde::de::DeserializeOwned>(&self, kind: &str) -> Option<T> {
        // An untrusted directory is read by no one; the stale path says why.
        if self.store.backend == Backend::Nothing || self.store.check_trusted().is_err() {
            return None;
        }
        let path = self.path(kind);
        let ignore = |why: String| {
            self.warn(
                &path,
                &format!("ignoring the cache file {}: {why}", path.display()),
            );
            None
        };
        let bytes = match file::read(&path) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return None,
            Err(e) => return ignore(format!("cannot read it ({e})")),
        };
        ui::trace(2, || {
            format!("cache: read {} ({} bytes)", path.display(), bytes.len())
        });
        self.decode(kind, &bytes).map_or_else(ignore, Some)
    }

    /// A cache file's bytes opened (unsealed with the keyring-held key when sealed) into `T`.
    fn decode<T: serde::de::DeserializeOwned>(
        &self,
        kind: &str,
        bytes: &[u8],
    ) -> Result<T, String> {
        let envelope =
            Envelope::parse(bytes).map_err(|e| format!("{e}; the next login replaces it"))?;
        let key = if envelope.is_sealed() {
            Some(
                self.existing_key()
                    .map_err(|e| format!("it is sealed, and {e}"))?,
            )
        } else {
            None
        };
        envelope
            .open(key.as_ref(), &self.aad(kind))
            .map_err(|e| e.to_string())
            .and_then(|v| serde_json::from_value(v).map_err(|e| e.to_string()))
    }

    /// What `status` shows of this entry.
    pub fn describe(&self) -> Described {
        let sealed = |kind: &str| {
            let bytes = file::read(&self.path(kind)).ok()??;
            Envelope::parse(&bytes).ok().map(|e| e.is_sealed())
        };
        let data = self.load::<IdTokenData>("id_token");
        let refreshed_at = std::fs::metadata(self.path("id_token"))
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_secs() as i64);
        Described {
            id_token_sealed: sealed("id_token"),
            session_sealed: sealed("session"),
            about: data.as_ref().and_then(|d| d.about.clone()),
            id_token: data.map(|d| d.id_token),
            refreshed_at,
        }
    }

    /// The id_token file's path, for messages about it.
    pub fn id_token_path(&self) -> PathBuf {
        self.path("id_token")
    }

    /// The cached id_token: the whole of the cache-hit path's I/O.
    pub fn load_id_token(&self) -> Option<Secret<String>> {
        self.load::<IdTokenData>("id_token").map(|d| d.id_token)
    }

    pub fn load_session(&self) -> Option<Session> {
        self.load("session")
    }

    /// The key to seal the session with, or `None` for plain files.
    fn sealing_key(&self) -> anyhow::Result<Option<[u8; 32]>> {
        match self.store.backend {
            Backend::Plain | Backend::Nothing => Ok(None),
            Backend::Keyring => keyring::get_or_create_key(&self.digest).map(Some).map_err(|e| {
                Error::new(Kind::Cache, format!(
                    "{e}; --token-cache-storage=keyring needs a working OS keyring (use auto to fall back to 0600 files)"
                ))
            }),
            Backend::SealedSession => match self.existing_key() {
                Ok(k) => Ok(Some(k)),
                Err(_) => match keyring::get_or_create_key(&self.digest) {
                    Ok(k) => Ok(Some(k)),
                    Err(e) => {
                        self.store.no_keyring_notice(&e);
                        Ok(None)
                    }
                },
            },
        }
    }

    fn envelope(
        &self,
        kind: &str,
        data: serde_json::Value,
        key: Option<&[u8; 32]>,
    ) -> anyhow::Result<Vec<u8>> {
        Ok(match key {
            None => Envelope::plain(data),
            Some(key) => {
                let mut nonce = [0u8; 24];
                getrandom::fill(&mut nonce)
                    .map_err(|e| anyhow::anyhow!("no randomness available: {e}"))?;
                Envelope::seal(&data, key, nonce, &self.aad(kind))
            }
        }
        .to_bytes())
    }

    /// Make sure this entry can be stored before a login or refresh produces something to
    /// store: the `keyring` mode needs a working keyring.
    pub fn check_ready(&self) -> anyhow::Result<()> {
        match self.store.backend {
            Backend::Keyring => self.sealing_key().map(drop),
            _ => Ok(()),
        }
    }

    /// Reserve the session file's replacement (created and allocated now), so that a cache
    /// directory that is read-only or full fails before the refresh token is spent.
    pub fn reserve_session(&self) -> anyhow::Result<Option<file::Reserved>> {
        if self.store.backend == Backend::Nothing {
            return Ok(None);
        }
        file::ensure_dir(&self.store.dir).kind(Kind::Cache)?;
        let path = self.path("session");
        let now = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        file::Reserved::new(&path, now * 2 + 16 * 1024)
            .kind(Kind::Cache)
            .map(Some)
    }

    /// Store a session (the newest refresh token, the provider's metadata), into `reserved`
    /// when there is one. Not rewritten when it did not change.
    pub fn save_session(
        &self,
        session: &Session,
        previous: Option<&Session>,
        reserved: Option<file::Reserved>,
    ) -> anyhow::Result<()> {
        if self.store.backend == Backend::Nothing
            || (previous == Some(session) && self.path("session").exists())
        {
            return Ok(());
        }
        file::ensure_dir(&self.store.dir).kind(Kind::Cache)?;
        let key = self.sealing_key()?;
        let data = serde_json::to_value(session).context("serializing the session")?;
        let bytes = self.envelope("session", data, key.as_ref())?;
        match reserved {
            Some(r) => r.commit(&bytes),
            None => file::write_atomic(&self.path("session"), &bytes),
        }
        .kind(Kind::Cache)
    }

    /// Store a verified id_token and its session (the session first: it holds the refresh
    /// token the provider may just have rotated).
    pub fn save(
        &self,
        id_token: &Secret<String>,
        about: &About,
        session: &Session,
        previous: Option<&Session>,
        reserved: Option<file::Reserved>,
    ) -> anyhow::Result<()> {
        if self.store.backend == Backend::Nothing {
            return Ok(());
        }
        self.save_session(session, previous, reserved)?;
        let id_key = match self.store.backend {
            Backend::Keyring => self.sealing_key()?,
            _ => None,
        };
        let data = serde_json::to_value(IdTokenData {
            id_token: id_token.clone(),
            about: Some(about.clone()),
        })?;
        let bytes = self.envelope("id_token", data, id_key.as_ref())?;
        file::write_atomic(&self.path("id_token"), &bytes).kind(Kind::Cache)
    }

    /// The time and hash of the error last printed in full for this entry.
    pub fn last_error(&self) -> Option<(i64, String)> {
        let text = std::fs::read_to_string(self.path(LAST_ERROR)).ok()?;
        let (at, hash) = text.trim().split_once(' ')?;
        Some((at.parse().ok()?, hash.to_owned()))
    }

    /// Remember an error printed in full. Best effort, and only where the cache directory
    /// already exists (and can be trusted).
    pub fn remember_error(&self, at: i64, hash: &str) {
        if self.store.dir.is_dir() && self.store.check_trusted().is_ok() {
            let _ = file::write_atomic(&self.path(LAST_ERROR), format!("{at} {hash}\n").as_bytes());
        }
    }

    /// Whether this entry is kept in files at all (not `--token-cache-storage=none`).
    pub fn keeps_files(&self) -> bool {
        self.store.backend != Backend::Nothing
    }

    /// The record of the browser login opened for a call without a terminal, as written.
    pub fn browser_attempt(&self) -> Option<String> {
        if self.store.check_trusted().is_err() {
            return None;
        }
        let bytes = file::read(&self.path(BROWSER_ATTEMPT)).ok()??;
        String::from_utf8(bytes).ok()
    }

    /// Record the browser login opened for a call without a terminal (or that it went
    /// unanswered).
    pub fn set_browser_attempt(&self, text: &str) -> anyhow::Result<()> {
        file::write_atomic(&self.path(BROWSER_ATTEMPT), text.as_bytes()).kind(Kind::Cache)
    }

    /// Where that record is kept (written from a signal handler when the login is cancelled).
    pub fn browser_attempt_path(&self) -> PathBuf {
        self.path(BROWSER_ATTEMPT)
    }

    /// Forget it: a login succeeded, or a person runs `kubectl oidc login`.
    pub fn clear_browser_attempt(&self) {
        let _ = std::fs::remove_file(self.path(BROWSER_ATTEMPT));
    }

    /// Remove this entry's lock files that nobody holds (a running login or refresh keeps
    /// its own: a second one must still wait for it).
    pub fn remove_free_locks(&self) -> anyhow::Result<()> {
        for kind in LOCKS {
            let path = self.path(kind);
            file::remove_if_free(&path)
                .with_context(|| format!("cannot remove {}", path.display()))
                .kind(Kind::Cache)?;
        }
        Ok(())
    }

    /// Remove this entry's files and its keyring key. Absent ones are fine; a lock file stays
    /// while someone holds it ([`Entry::remove_free_locks`]). Says what became of the key.
    pub fn delete(&self) -> anyhow::Result<KeyringKey> {
        self.store.check_trusted()?;
        let described = self.describe();
        let sealed =
            described.id_token_sealed == Some(true) || described.session_sealed == Some(true);
        for kind in KINDS
            .into_iter()
            .filter(|k| !LOCKS.contains(k))
            .chain([LAST_ERROR, BROWSER_ATTEMPT])
        {
            let path = self.path(kind);
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("cannot remove {}", path.display()))
                        .kind(Kind::Cache);
                }
            }
        }
        self.remove_free_locks()?;
        if !matches!(
            self.store.backend,
            Backend::SealedSession | Backend::Keyring
        ) {
            return Ok(KeyringKey::None);
        }
        Ok(match (keyring::delete_key(&self.digest), sealed) {
            (Ok(()), true) => KeyringKey::Removed,
            (Ok(()), false) => KeyringKey::None,
            // Plain files were sealed by no key: an unreachable keyring holds none of this.
            (Err(_), false) => KeyringKey::None,
            (Err(e), true) => {
                // The files are gone; a key without them unseals nothing.
                ui::warn(&format!(
                    "{e}; the key that sealed this session stays in the OS keyring (it unseals nothing now)"
                ));
                KeyringKey::Stays
            }
        })
    }

    /// The entry's lock, held while its files are read and written on the stale path (a
    /// refresh, storing a login's result), waiting up to `timeout`; `None` when nothing is
    /// kept (there is nothing to protect).
    pub fn lock(
        &self,
        timeout: Duration,
        waiting: impl FnMut(Option<u32>, &Path),
    ) -> anyhow::Result<Option<file::Lock>> {
        let lock = self.take("lock", timeout, waiting)?;
        if lock.is_some() {
            // No writer of this entry runs now: what a killed one left behind goes, but for a
            // whole session it wrote (the provider may have rotated the refresh token in it).
            file::tidy_temp_files(&self.store.dir, &self.digest, "session", |bytes| {
                self.decode::<Session>("session", bytes).is_ok()
            });
        }
        Ok(lock)
    }

    /// The lock an interactive login holds while it waits for the user: separate from
    /// [`Entry::lock`], so that a pending login never holds up a refresh or a cache read.
    pub fn login_lock(
        &self,
        timeout: Duration,
        waiting: impl FnMut(Option<u32>, &Path),
    ) -> anyhow::Result<Option<file::Lock>> {
        self.take("login-lock", timeout, waiting)
    }

    /// The login lock if no other process holds it now: `Busy` when one does.
    pub fn try_login_lock(&self) -> anyhow::Result<TryLock> {
        if self.store.backend == Backend::Nothing {
            return Ok(TryLock::Taken(None));
        }
        file::ensure_dir(&self.store.dir).kind(Kind::Cache)?;
        Ok(
            match file::try_lock(&self.path("login-lock")).kind(Kind::Cache)? {
                Some(lock) => TryLock::Taken(Some(lock)),
                None => TryLock::Busy,
            },
        )
    }

    /// The pid of the process that is logging in to this entry now, if one is.
    pub fn login_in_progress(&self) -> Option<u32> {
        file::holder(&self.path("login-lock"))
    }

    fn take(
        &self,
        kind: &str,
        timeout: Duration,
        mut waiting: impl FnMut(Option<u32>, &Path),
    ) -> anyhow::Result<Option<file::Lock>> {
        if self.store.backend == Backend::Nothing {
            return Ok(None);
        }
        file::ensure_dir(&self.store.dir).kind(Kind::Cache)?;
        let path = self.path(kind);
        file::lock(&path, timeout, |pid| waiting(pid, &path))
            .kind(Kind::Cache)
            .map(Some)
    }
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
