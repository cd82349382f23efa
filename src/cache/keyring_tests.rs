//! The size rule (issue 32 item 3), driven through a keyring that holds at most 2,560 bytes in
//! an item, as Windows' Credential Manager does: every key fits, a bigger secret is refused by
//! it, and a session of any size is sealed by the key it holds.

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;

use keyring_core::api::{CredentialApi, CredentialStoreApi};
use keyring_core::{Credential, Entry, Error, Result};

use super::{ITEM_LIMITS, KEY_LEN, STORE, get_key, get_or_create_key};

/// An item of the limited keyring: the in-memory mock's, refusing what is over the limit.
struct LimitedCred {
    inner: Entry,
    limit: usize,
}

impl CredentialApi for LimitedCred {
    fn set_secret(&self, secret: &[u8]) -> Result<()> {
        if secret.len() > self.limit {
            return Err(Error::TooLong("secret".into(), self.limit as u32));
        }
        self.inner.set_secret(secret)
    }
    fn get_secret(&self) -> Result<Vec<u8>> {
        self.inner.get_secret()
    }
    fn delete_credential(&self) -> Result<()> {
        self.inner.delete_credential()
    }
    fn get_credential(&self) -> Result<Option<Arc<Credential>>> {
        Ok(None)
    }
    fn get_specifiers(&self) -> Option<(String, String)> {
        self.inner.get_specifiers()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A keyring whose items hold at most `limit` bytes.
struct LimitedStore {
    inner: Arc<keyring_core::mock::Store>,
    limit: usize,
}

impl CredentialStoreApi for LimitedStore {
    fn vendor(&self) -> String {
        "a keyring holding at most a Windows credential's 2,560 bytes".into()
    }
    fn id(&self) -> String {
        self.inner.id()
    }
    fn build(
        &self,
        service: &str,
        user: &str,
        modifiers: Option<&HashMap<&str, &str>>,
    ) -> Result<Entry> {
        let inner = self.inner.build(service, user, modifiers)?;
        Ok(Entry::new_with_credential(Arc::new(LimitedCred {
            inner,
            limit: self.limit,
        })))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[test]
fn a_keyring_of_2560_byte_items_holds_every_key_and_any_session_fits() {
    let windows = ITEM_LIMITS
        .iter()
        .find(|(os, _)| *os == "windows")
        .and_then(|(_, limit)| *limit)
        .unwrap();
    keyring_core::set_default_store(Arc::new(LimitedStore {
        inner: keyring_core::mock::Store::new().unwrap(),
        limit: windows,
    }));
    // The process's keyring is this one (this test binary has no other keyring test).
    STORE.set(Ok(())).unwrap();

    // The limit is real: a secret one byte over it is refused, one at it is kept.
    let probe = Entry::new("kubectl-oidc-test", "probe").unwrap();
    assert!(matches!(
        probe.set_secret(&vec![7; windows + 1]),
        Err(Error::TooLong(..))
    ));
    probe.set_secret(&vec![7; windows]).unwrap();

    // What we keep there is one key per entry, within it; read back the same.
    let key = get_or_create_key("digest-a").unwrap();
    assert_eq!(key.len(), KEY_LEN);
    assert_eq!(get_key("digest-a").unwrap(), key);
    assert_eq!(get_or_create_key("digest-a").unwrap(), key);

    // A session far over the limit (an id_token with hundreds of groups) is sealed by that key
    // in the file, and opens again.
    let groups: Vec<String> = (0..600).map(|i| format!("team-{i:04}-readers")).collect();
    let session = serde_json::json!({"refresh_token": "r".repeat(2000), "groups": groups});
    assert!(session.to_string().len() > 4 * windows);
    let sealed =
        crate::cache::envelope::Envelope::seal(&session, &key, [1; 24], "digest-a.session");
    let bytes = serde_json::to_vec(&sealed).unwrap();
    let opened = crate::cache::envelope::Envelope::parse(&bytes)
        .unwrap()
        .open(Some(&key), "digest-a.session")
        .unwrap();
    assert_eq!(opened, session);
}
