//! An entry's locks: the one the stale path holds while it reads and writes the entry (a
//! refresh, storing a login's result), and the one an interactive login holds while it waits
//! for the user. A cache hit takes neither.

use std::path::Path;
use std::time::Duration;

use anyhow::Context as _;

use super::entry::Entry;
use super::store::{Backend, LOCKS};
use super::{Session, file};
use crate::error::{Kind, ResultExt as _};

/// [`Entry::try_login_lock`]: taken (`None` where nothing is kept, so nothing is locked), or
/// held by another process.
pub enum TryLock {
    Taken(Option<file::Lock>),
    Busy,
}

impl Entry<'_> {
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
            // No writer of the entry's tokens runs now: what a killed one left behind goes, but
            // for a whole session it wrote (the provider may have rotated the refresh token in
            // it). The records written under the login lock, or under none, are not ours to tidy.
            let kinds = ["session", "id_token"];
            file::tidy_temp_files(self.store.dir(), &self.digest, &kinds, "session", |bytes| {
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
        if self.store.backend() == Backend::Nothing {
            return Ok(TryLock::Taken(None));
        }
        file::ensure_dir(self.store.dir()).kind(Kind::Cache)?;
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
        if self.store.backend() == Backend::Nothing {
            return Ok(None);
        }
        file::ensure_dir(self.store.dir()).kind(Kind::Cache)?;
        let path = self.path(kind);
        file::lock(&path, timeout, |pid| waiting(pid, &path))
            .kind(Kind::Cache)
            .map(Some)
    }
}
