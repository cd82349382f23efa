//! One cache key's files in a [`Store`]: load (a damaged file is warned about once and read
//! as absent), save (sealed or plain, as the backend says), describe and delete.

use std::cell::{OnceCell, RefCell};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use super::envelope::Envelope;
use super::keyring::{self, KeyringError};
use super::store::{BROWSER_ATTEMPT, Backend, IMPORTED, KINDS, LAST_ERROR, LOCKS, Store};
use super::{About, Session, file};
use crate::error::{Error, Kind, ResultExt as _};
use crate::secret::Secret;
use crate::ui;

#[derive(Serialize, Deserialize)]
struct IdTokenData {
    id_token: Secret<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    about: Option<About>,
    /// When this id_token was obtained, by this machine's clock (unix seconds): it lives its
    /// lifetime from then (`token::freshness::local_exp`). Kept when a refresh gives the same
    /// id_token back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    obtained_at: Option<i64>,
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
    /// When the session was imported by `setup --migrate`, for one imported and not yet
    /// refreshed.
    pub imported_at: Option<i64>,
}

pub struct Entry<'s> {
    pub(super) store: &'s Store,
    pub(super) digest: String,
    key: OnceCell<Result<[u8; 32], KeyringError>>,
    /// Files already warned about, so a path that reads the cache twice warns once.
    warned: RefCell<Vec<PathBuf>>,
    /// Warn about nothing ([`Store::quiet_entry`]).
    quiet: bool,
}

impl Store {
    /// The entry for a cache key's digest.
    pub fn entry(&self, digest: String) -> Entry<'_> {
        Entry::new(self, digest, false)
    }

    /// The entry for a digest, read without warnings: a first look (get-token's cache hit)
    /// that a miss follows with the entry read again, which says what was wrong once.
    pub fn quiet_entry(&self, digest: String) -> Entry<'_> {
        Entry::new(self, digest, true)
    }
}

impl<'s> Entry<'s> {
    fn new(store: &'s Store, digest: String, quiet: bool) -> Self {
        Entry {
            store,
            digest,
            key: OnceCell::new(),
            warned: RefCell::new(Vec::new()),
            quiet,
        }
    }

    pub(super) fn path(&self, kind: &str) -> PathBuf {
        self.store.dir().join(format!("{}.{kind}", self.digest))
    }

    fn aad(&self, kind: &str) -> String {
        format!("{}.{kind}", self.digest)
    }

    pub fn dir(&self) -> &Path {
        self.store.dir()
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
        if self.store.backend() == Backend::Nothing || self.store.check_trusted().is_err() {
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
    pub(super) fn decode<T: serde::de::DeserializeOwned>(
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
        let imported = self.imported();
        Described {
            id_token_sealed: sealed("id_token"),
            session_sealed: sealed("session"),
            about: data
                .as_ref()
                .and_then(|d| d.about.clone())
                .or_else(|| imported.as_ref().map(|i| i.about.clone())),
            id_token: data.map(|d| d.id_token),
            refreshed_at,
            imported_at: imported.map(|i| i.at),
        }
    }

    /// The id_token file's path, for messages about it.
    pub fn id_token_path(&self) -> PathBuf {
        self.path("id_token")
    }

    /// The cached id_token.
    pub fn load_id_token(&self) -> Option<Secret<String>> {
        self.load::<IdTokenData>("id_token").map(|d| d.id_token)
    }

    /// The cached id_token and when it was obtained: the whole of the cache-hit path's I/O.
    pub fn load_id_token_obtained(&self) -> Option<(Secret<String>, Option<i64>)> {
        self.load::<IdTokenData>("id_token")
            .map(|d| (d.id_token, d.obtained_at))
    }

    pub fn load_session(&self) -> Option<Session> {
        self.load("session")
    }

    /// The key to seal the session with, or `None` for plain files.
    fn sealing_key(&self) -> anyhow::Result<Option<[u8; 32]>> {
        match self.store.backend() {
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
        match self.store.backend() {
            Backend::Keyring => self.sealing_key().map(drop),
            _ => Ok(()),
        }
    }

    /// Reserve the session file's replacement (created and allocated now), so that a cache
    /// directory that is read-only or full fails before the refresh token is spent.
    pub fn reserve_session(&self) -> anyhow::Result<Option<file::Reserved>> {
        if self.store.backend() == Backend::Nothing {
            return Ok(None);
        }
        file::ensure_dir(self.store.dir()).kind(Kind::Cache)?;
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
        if self.store.backend() == Backend::Nothing
            || (previous == Some(session) && self.path("session").exists())
        {
            return Ok(());
        }
        file::ensure_dir(self.store.dir()).kind(Kind::Cache)?;
        let key = self.sealing_key()?;
        let data = serde_json::to_value(session).context("serializing the session")?;
        let bytes = self.envelope("session", data, key.as_ref())?;
        match reserved {
            Some(r) => r.commit(&bytes),
            None => file::write_atomic(&self.path("session"), &bytes),
        }
        .kind(Kind::Cache)
    }

    /// Store a verified id_token, obtained at `now`, and its session (the session first: it
    /// holds the refresh token the provider may just have rotated).
    pub fn save(
        &self,
        id_token: &Secret<String>,
        about: &About,
        session: &Session,
        previous: Option<&Session>,
        reserved: Option<file::Reserved>,
        now: i64,
    ) -> anyhow::Result<()> {
        if self.store.backend() == Backend::Nothing {
            return Ok(());
        }
        self.save_session(session, previous, reserved)?;
        let id_key = match self.store.backend() {
            Backend::Keyring => self.sealing_key()?,
            _ => None,
        };
        // The same id_token again (a refresh that re-sends it) was obtained when it first was.
        let obtained_at = match self.load_id_token_obtained() {
            Some((old, Some(at))) if old == *id_token => at,
            _ => now,
        };
        let data = serde_json::to_value(IdTokenData {
            id_token: id_token.clone(),
            about: Some(about.clone()),
            obtained_at: Some(obtained_at),
        })?;
        let bytes = self.envelope("id_token", data, id_key.as_ref())?;
        file::write_atomic(&self.path("id_token"), &bytes).kind(Kind::Cache)
    }

    /// Whether this entry is kept in files at all (not `--token-cache-storage=none`).
    pub fn keeps_files(&self) -> bool {
        self.store.backend() != Backend::Nothing
    }

    /// Remove this entry's files and its keyring key. Absent ones are fine; a lock file stays
    /// while someone holds it ([`Entry::remove_free_locks`]). Says what became of the key.
    pub fn delete(&self) -> anyhow::Result<KeyringKey> {
        self.store.check_trusted()?;
        let described = self.describe();
        let sealed =
            described.id_token_sealed == Some(true) || described.session_sealed == Some(true);
        for kind in KINDS.into_iter().filter(|k| !LOCKS.contains(k)).chain([
            LAST_ERROR,
            BROWSER_ATTEMPT,
            IMPORTED,
        ]) {
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
            self.store.backend(),
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
}
