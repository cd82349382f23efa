//! The small records kept beside an entry: the error last printed in full (so kubectl's
//! retries print it once), the browser login opened for a call without a terminal, and what
//! a session imported by `setup --migrate` is for (it has no id_token yet). None is a secret.

use std::path::PathBuf;

use super::entry::Entry;
use super::file;
use serde::{Deserialize, Serialize};

use super::About;
use super::store::{BROWSER_ATTEMPT, IMPORTED, LAST_ERROR};
use crate::error::{Kind, ResultExt as _};

/// The most a record may hold: a line, or an entry's issuer, client and scopes.
const RECORD_LIMIT: u64 = 16 * 1024;

impl Entry<'_> {
    /// The time and hash of the error last printed in full for this entry.
    pub fn last_error(&self) -> Option<(i64, String)> {
        if self.store.check_trusted().is_err() {
            return None;
        }
        let bytes = file::read_limited(&self.path(LAST_ERROR), RECORD_LIMIT).ok()??;
        let text = String::from_utf8(bytes).ok()?;
        let (at, hash) = text.trim().split_once(' ')?;
        Some((at.parse().ok()?, hash.to_owned()))
    }

    /// Remember an error printed in full. Best effort, and only where the cache directory
    /// already exists (and can be trusted).
    pub fn remember_error(&self, at: i64, hash: &str) {
        if self.store.dir().is_dir() && self.store.check_trusted().is_ok() {
            let _ = file::write_atomic(&self.path(LAST_ERROR), format!("{at} {hash}\n").as_bytes());
        }
    }

    /// The record of the browser login opened for a call without a terminal, as written.
    pub fn browser_attempt(&self) -> Option<String> {
        if self.store.check_trusted().is_err() {
            return None;
        }
        let bytes = file::read_limited(&self.path(BROWSER_ATTEMPT), RECORD_LIMIT).ok()??;
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

    /// Record what an imported session is for, and when it was imported (unix seconds).
    pub fn record_import(&self, about: &About, at: i64) -> anyhow::Result<()> {
        let record = Imported {
            about: about.clone(),
            at,
        };
        file::write_atomic(&self.path(IMPORTED), &serde_json::to_vec(&record)?).kind(Kind::Cache)
    }

    /// The record of an imported session, if this entry has one.
    pub fn imported(&self) -> Option<Imported> {
        if self.store.check_trusted().is_err() {
            return None;
        }
        let bytes = file::read_limited(&self.path(IMPORTED), RECORD_LIMIT).ok()??;
        serde_json::from_slice(&bytes).ok()
    }
}

/// What a session imported by `setup --migrate` is for, and when it was imported.
#[derive(Debug, Serialize, Deserialize)]
pub struct Imported {
    pub about: About,
    pub at: i64,
}
