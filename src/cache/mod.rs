//! The token cache: where a login's results live between kubectl calls.
//!
//! Per cache key (see [`key`]) there are up to three files in a 0700 directory:
//! - `<digest>.id_token`: the short-lived id_token. Plain in the default store, so the cache
//!   hit reads one small file and touches no keyring (a Secret Service round trip costs 6-9 ms);
//!   sealed in `keyring` mode.
//! - `<digest>.session`: the refresh token and the provider's discovery document and JWKS.
//!   Sealed with the keyring-held key in `auto`/`keyring` mode, plain in `disk` mode.
//! - `<digest>.lock`: taken only by the stale path (refresh or login), never by a cache hit.
//!
//! Files are written atomically (temp file, fsync, rename) with mode 0600, so a crash or a
//! Ctrl-C leaves the previous entry intact. An unreadable file is treated as absent, with a
//! warning, and is only replaced by a successful login or refresh.

pub mod envelope;
pub mod file;
pub mod key;
pub mod keyring;

use std::cell::{OnceCell, RefCell};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use self::envelope::Envelope;
use self::keyring::KeyringError;
use crate::token::secret::Secret;
use crate::ui;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StorageMode {
    /// Refresh token sealed by the OS keyring; falls back to `disk` (with a notice) without one.
    Auto,
    /// Everything sealed by the OS keyring; fails if there is none. Every call reads the keyring.
    Keyring,
    /// Plain 0600 files, like kubelogin's default.
    Disk,
    /// Keep nothing: every call logs in.
    None,
}

/// What a login leaves behind besides the id_token.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Session {
    #[serde(default)]
    pub refresh_token: Option<Secret<String>>,
    /// The provider's discovery document and JWKS (`oidc::provider::ProviderState`), kept as
    /// JSON so that a format change there costs a discovery, never the refresh token.
    #[serde(default)]
    pub provider: Option<serde_json::Value>,
}

#[derive(Serialize, Deserialize)]
struct IdTokenData {
    id_token: String,
}

pub struct Cache {
    dir: PathBuf,
    digest: String,
    mode: StorageMode,
    key: OnceCell<Result<[u8; 32], KeyringError>>,
    /// Files already warned about, so a path that reads the cache twice warns once.
    warned: RefCell<Vec<PathBuf>>,
}

impl Cache {
    pub fn new(dir: PathBuf, digest: String, mode: StorageMode) -> Self {
        Self {
            dir,
            digest,
            mode,
            key: OnceCell::new(),
            warned: RefCell::new(Vec::new()),
        }
    }

    pub fn mode(&self) -> StorageMode {
        self.mode
    }

    fn path(&self, kind: &str) -> PathBuf {
        self.dir.join(format!("{}.{kind}", self.digest))
    }

    fn aad(&self, kind: &str) -> String {
        format!("{}.{kind}", self.digest)
    }

    fn existing_key(&self) -> Result<[u8; 32], KeyringError> {
        self.key
            .get_or_init(|| keyring::get_key(&self.digest))
            .clone()
    }

    /// Warn about a cache file once per process.
    fn warn(&self, path: &Path, message: &str) {
        let mut warned = self.warned.borrow_mut();
        if !warned.iter().any(|p| p == path) {
            warned.push(path.to_owned());
            ui::warn(message);
        }
    }

    /// Read and open one cache file; `None` (with a warning where it helps) when unusable.
    fn load(&self, kind: &str) -> Option<serde_json::Value> {
        let path = self.path(kind);
        let bytes = match file::read(&path) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return None,
            Err(e) => {
                self.warn(
                    &path,
                    &format!("ignoring the unreadable cache file {}: {e}", path.display()),
                );
                return None;
            }
        };
        let envelope = match Envelope::parse(&bytes) {
            Ok(e) => e,
            Err(e) => {
                self.warn(
                    &path,
                    &format!(
                        "ignoring the cache file {}: {e}; the next login replaces it",
                        path.display()
                    ),
                );
                return None;
            }
        };
        let key = if envelope.is_sealed() {
            match self.existing_key() {
                Ok(k) => Some(k),
                Err(e) => {
                    self.warn(
                        &path,
                        &format!("cannot open the sealed cache file {}: {e}", path.display()),
                    );
                    return None;
                }
            }
        } else {
            None
        };
        match envelope.open(key.as_ref(), &self.aad(kind)) {
            Ok(v) => Some(v),
            Err(e) => {
                self.warn(
                    &path,
                    &format!("ignoring the cache file {}: {e}", path.display()),
                );
                None
            }
        }
    }

    /// The cached id_token: the whole of the cache-hit path's I/O.
    pub fn load_id_token(&self) -> Option<String> {
        if self.mode == StorageMode::None {
            return None;
        }
        let data: IdTokenData = serde_json::from_value(self.load("id_token")?).ok()?;
        Some(data.id_token)
    }

    pub fn load_session(&self) -> Option<Session> {
        if self.mode == StorageMode::None {
            return None;
        }
        let value = self.load("session")?;
        let path = self.path("session");
        match serde_json::from_value(value) {
            Ok(s) => Some(s),
            Err(e) => {
                self.warn(
                    &path,
                    &format!("ignoring the cache file {}: {e}", path.display()),
                );
                None
            }
        }
    }

    /// The key to seal with, or `None` for plain files (disk mode, or auto without a keyring).
    fn sealing_key(&self) -> anyhow::Result<Option<[u8; 32]>> {
        match self.mode {
            StorageMode::Disk | StorageMode::None => Ok(None),
            StorageMode::Keyring => keyring::get_or_create_key(&self.digest).map(Some).map_err(|e| {
                anyhow::anyhow!(
                    "{e}; --token-cache-storage=keyring needs a working OS keyring (use auto to fall back to 0600 files)"
                )
            }),
            StorageMode::Auto => match self.existing_key() {
                Ok(k) => Ok(Some(k)),
                Err(_) => match keyring::get_or_create_key(&self.digest) {
                    Ok(k) => Ok(Some(k)),
                    Err(e) => {
                        ui::info(&format!(
                            "kubectl-oidc: notice: {e}; keeping the refresh token in a 0600 file in {} instead (--token-cache-storage=disk skips the keyring and this notice)",
                            self.dir.display()
                        ));
                        Ok(None)
                    }
                },
            },
        }
    }

    fn envelope(
        &self,
        data: serde_json::Value,
        key: Option<&[u8; 32]>,
        kind: &str,
    ) -> anyhow::Result<Envelope> {
        Ok(match key {
            None => Envelope::plain(data),
            Some(key) => {
                let mut nonce = [0u8; 24];
                getrandom::fill(&mut nonce)
                    .map_err(|e| anyhow::anyhow!("no randomness available: {e}"))?;
                Envelope::seal(&data, key, nonce, &self.aad(kind))
            }
        })
    }

    /// Store a verified id_token and its session. The session file is rewritten only when it
    /// changed (a rotated refresh token, new provider keys).
    pub fn save(
        &self,
        id_token: &Secret<String>,
        session: &Session,
        previous: Option<&Session>,
    ) -> anyhow::Result<()> {
        if self.mode == StorageMode::None {
            return Ok(());
        }
        file::ensure_dir(&self.dir)?;
        let key = self.sealing_key()?;
        if previous != Some(session) || !self.path("session").exists() {
            let data = serde_json::to_value(session).context("serializing the session")?;
            file::write_atomic(
                &self.path("session"),
                &self.envelope(data, key.as_ref(), "session")?.to_bytes(),
            )?;
        }
        let id_key = if self.mode == StorageMode::Keyring {
            key
        } else {
            None
        };
        let data = serde_json::to_value(IdTokenData {
            id_token: id_token.expose().clone(),
        })?;
        file::write_atomic(
            &self.path("id_token"),
            &self.envelope(data, id_key.as_ref(), "id_token")?.to_bytes(),
        )
    }

    pub fn lock_path(&self) -> PathBuf {
        self.path("lock")
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}
