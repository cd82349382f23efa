//! The OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows)
//! holds one random 32-byte key per cache entry; the refresh token sits in a 0600 file sealed
//! with it. Any token size fits (Windows caps a credential at 2560 bytes, the kernel keyring
//! quota is 20 KB per user: notes/crates.md §3) and the keyring entry is written once, when the
//! key is created, not on every refresh.

use std::sync::OnceLock;

use keyring_core::{Entry, Error};

const SERVICE: &str = "kubectl-oidc";

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum KeyringError {
    #[error("{0}")]
    Unavailable(String),
    #[error("the OS keyring has no key for this cache entry")]
    Missing,
}

fn describe(e: &Error) -> String {
    match e {
        Error::NoStorageAccess(inner) => {
            format!("the OS keyring is locked or refused access ({inner})")
        }
        Error::PlatformFailure(inner) => format!("the OS keyring failed ({inner})"),
        other => format!("the OS keyring failed ({other})"),
    }
}

fn init_store() -> Result<(), String> {
    #[cfg(target_os = "linux")]
    let store = zbus_secret_service_keyring_store::Store::new();
    #[cfg(target_os = "macos")]
    let store = apple_native_keyring_store::keychain::Store::new();
    #[cfg(target_os = "windows")]
    let store = windows_native_keyring_store::Store::new();
    #[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
    let store: Result<std::sync::Arc<keyring_core::CredentialStore>, Error> = Err(
        Error::NotSupportedByStore("no OS keyring on this platform".into()),
    );
    match store {
        Ok(store) => {
            keyring_core::set_default_store(store);
            Ok(())
        }
        Err(e) => Err(match &e {
            #[cfg(target_os = "linux")]
            Error::PlatformFailure(_) | Error::NoStorageAccess(_) => format!(
                "no Secret Service answers on the session bus ({e}); is gnome-keyring or KWallet running?"
            ),
            _ => describe(&e),
        }),
    }
}

/// Whether the OS keyring's store is set up: once per process.
static STORE: OnceLock<Result<(), String>> = OnceLock::new();

/// The OS keyring's store, set up once per process.
fn store() -> Result<(), KeyringError> {
    STORE
        .get_or_init(init_store)
        .clone()
        .map_err(KeyringError::Unavailable)
}

/// The size rule: what each platform's keyring holds at most in one item, and what we ask it
/// to hold. Windows' Credential Manager caps a credential's blob at 2,560 bytes
/// (`CRED_MAX_CREDENTIAL_BLOB_SIZE`, 5 x 512); the macOS Keychain's own API has no small limit
/// (go-keyring's "data passed to Set was too big" comes from passing the data to the `security`
/// command line, about 3 KB); the Secret Service has none that matters. We keep one
/// [`KEY_LEN`]-byte key per cache entry there and every token in the file it seals, so any token
/// fits everywhere.
pub const ITEM_LIMITS: [(&str, Option<usize>); 3] =
    [("windows", Some(2560)), ("macos", None), ("linux", None)];

/// The bytes of the one secret a cache entry keeps in the OS keyring: its sealing key.
pub const KEY_LEN: usize = 32;

const _: () = assert!(
    KEY_LEN <= 2560,
    "the sealing key must fit Windows' credential"
);

fn entry(digest: &str) -> Result<Entry, KeyringError> {
    store()?;
    Entry::new(SERVICE, digest).map_err(|e| KeyringError::Unavailable(describe(&e)))
}

/// int128/kubelogin's keyring items (service `kubelogin`, user `kubelogin/tokencache/<key>`;
/// zalando/go-keyring's attributes on the Secret Service): each item's name and secret, for
/// `setup --migrate` to find a refresh token in. Where the keyring cannot be searched (no
/// keyring, or a store without search), none.
pub fn kubelogin_items() -> Vec<(String, Vec<u8>)> {
    if store().is_err() {
        return Vec::new();
    }
    let spec = std::collections::HashMap::from([("service", "kubelogin")]);
    let Ok(found) = Entry::search(&spec) else {
        return Vec::new();
    };
    found
        .into_iter()
        .filter_map(|e| {
            let name = e
                .get_attributes()
                .ok()
                .and_then(|a| a.get("username").cloned())
                .unwrap_or_else(|| "kubelogin".to_owned());
            Some((name, e.get_secret().ok()?))
        })
        .collect()
}

/// Remove kubelogin's keyring item of that name (its `username` attribute).
pub fn remove_kubelogin_item(name: &str) -> Result<(), KeyringError> {
    store()?;
    match Entry::new("kubelogin", name).and_then(|e| e.delete_credential()) {
        Ok(()) | Err(Error::NoEntry) => Ok(()),
        Err(e) => Err(KeyringError::Unavailable(describe(&e))),
    }
}

fn to_key(bytes: Vec<u8>) -> Result<[u8; KEY_LEN], KeyringError> {
    bytes.try_into().map_err(|_| {
        KeyringError::Unavailable("the OS keyring entry for this cache is not a 32-byte key".into())
    })
}

pub fn get_key(digest: &str) -> Result<[u8; KEY_LEN], KeyringError> {
    match entry(digest)?.get_secret() {
        Ok(bytes) => to_key(bytes),
        Err(Error::NoEntry) => Err(KeyringError::Missing),
        Err(e) => Err(KeyringError::Unavailable(describe(&e))),
    }
}

/// The key for `digest`, created (and written to the keyring, once) if there is none.
pub fn get_or_create_key(digest: &str) -> Result<[u8; KEY_LEN], KeyringError> {
    match get_key(digest) {
        Err(KeyringError::Missing) => {
            let mut key = [0u8; KEY_LEN];
            getrandom::fill(&mut key)
                .map_err(|e| KeyringError::Unavailable(format!("no randomness available: {e}")))?;
            entry(digest)?
                .set_secret(&key)
                .map_err(|e| KeyringError::Unavailable(describe(&e)))?;
            Ok(key)
        }
        other => other,
    }
}

/// Remove the key for `digest`; a missing one is fine.
pub fn delete_key(digest: &str) -> Result<(), KeyringError> {
    match entry(digest)?.delete_credential() {
        Ok(()) | Err(Error::NoEntry) => Ok(()),
        Err(e) => Err(KeyringError::Unavailable(describe(&e))),
    }
}

#[cfg(test)]
#[path = "keyring_tests.rs"]
mod tests;
