//! The token cache: where a login's results live between kubectl calls.
//!
//! Per cache key (see [`key`]) there are up to six files in a 0700 directory:
//! - `<digest>.id_token`: the short-lived id_token. Plain in the default store, so the cache
//!   hit reads one small file and touches no keyring (a Secret Service read adds about 10 ms);
//!   sealed in `keyring` mode.
//! - `<digest>.session`: the refresh token and the provider's discovery document and JWKS.
//!   Sealed with the keyring-held key in `auto`/`keyring` mode, plain in `disk` mode.
//! - `<digest>.lock`: taken only by the stale path (refresh or login), never by a cache hit.
//! - `<digest>.login-lock`: held through a browser or device login, so one login runs for
//!   many callers while the entry lock stays free for refreshes.
//! - `<digest>.last-error`: when and which error was last printed in full (kubectl's repeated
//!   calls get a one-line reference to it), no secret.
//! - `<digest>.browser-attempt`: the browser login opened for a call without a terminal
//!   (auth/desktop.rs), so other callers wait for it instead of opening another.
//!
//! Files are written atomically (temp file, fsync, rename) with mode 0600, so a crash or a
//! Ctrl-C leaves the previous entry intact. An unreadable file is treated as absent, with a
//! warning, and is only replaced by a successful login or refresh.
//!
//! [`store`] is the one place that knows what each `--token-cache-storage` mode keeps where.

mod entry;
pub mod envelope;
pub mod file;
pub mod key;
pub mod keyring;
mod locks;
mod records;
pub mod store;

use serde::{Deserialize, Serialize};

pub use self::entry::{Described, Entry, KeyringKey};
pub use self::locks::TryLock;
pub use self::records::Imported;
pub use self::store::{Backend, Store};
use crate::secret::Secret;

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

/// What an entry is for, kept beside its id_token (not a secret), so that `status` can say
/// it without opening the session.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct About {
    pub issuer: String,
    pub client_id: String,
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Whether the session holds a refresh token.
    #[serde(default)]
    pub refresh_token: bool,
}
