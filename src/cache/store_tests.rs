//! The store: entries round trip, are listed and deleted; `none` keeps nothing.

use std::time::Duration;

use super::*;
use crate::cache::{About, Session};
use crate::secret::Secret;

#[test]
fn disk_entries_round_trip_list_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path().join("c"), Backend::Plain);
    assert_eq!(store.list().unwrap(), Vec::<String>::new());
    let entry = store.entry("abc".into());
    assert_eq!(entry.load_id_token(), None);
    let session = Session {
        refresh_token: Some(Secret::new("rt".into())),
        provider: None,
    };
    entry
        .save(
            &Secret::new("a.b.c".into()),
            &About::default(),
            &session,
            None,
            None,
            0,
        )
        .unwrap();
    assert_eq!(entry.load_id_token().unwrap().expose(), "a.b.c");
    assert_eq!(entry.load_session(), Some(session));
    drop(entry.lock(Duration::from_secs(1), |_, _| {}).unwrap());
    store
        .entry("def".into())
        .save(
            &Secret::new("x".into()),
            &About::default(),
            &Session::default(),
            None,
            None,
            0,
        )
        .unwrap();
    assert_eq!(store.list().unwrap(), ["abc", "def"]);
    entry.delete().unwrap();
    entry.delete().unwrap();
    assert_eq!(store.list().unwrap(), ["def"]);
}

#[test]
fn nothing_is_kept_in_none_mode() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path().join("c"), Backend::Nothing);
    let entry = store.entry("abc".into());
    entry
        .save(
            &Secret::new("a.b.c".into()),
            &About::default(),
            &Session::default(),
            None,
            None,
            0,
        )
        .unwrap();
    assert_eq!(entry.load_id_token(), None);
    assert!(
        entry
            .lock(Duration::from_secs(1), |_, _| {})
            .unwrap()
            .is_none()
    );
    assert!(!dir.path().join("c").exists());
}
