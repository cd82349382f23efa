//! The credential kubectl gets, and the cache hit: one file read, `exp` against the clock, no
//! lock and no HTTP.

use crate::cache::Entry;
use crate::secret::Secret;
use crate::token::freshness::{Freshness, freshness, local_exp, margin};
use crate::token::jwt::{self, TimeClaims};
use crate::ui;

/// An id_token and when kubectl should come back for a new one.
#[derive(Debug)]
pub struct Credential {
    pub id_token: Secret<String>,
    /// `exp` minus the early-refresh margin (unix seconds), for `expirationTimestamp`.
    pub expires_at: i64,
    /// The token's `exp` (unix seconds).
    pub exp: i64,
}

impl Credential {
    /// A credential for an id_token obtained at `obtained_at` (this machine's clock); `now`
    /// stands in for a missing `exp`.
    pub(super) fn new(id_token: Secret<String>, obtained_at: Option<i64>, now: i64) -> Self {
        let claims = jwt::decode_payload::<TimeClaims>(id_token.expose()).unwrap_or_default();
        let exp = local_exp(claims, obtained_at).unwrap_or(now);
        Self {
            expires_at: exp.saturating_sub(margin(claims)),
            exp,
            id_token,
        }
    }
}

/// The cached credential, if it is fresh at `now`: the whole cache-hit path.
pub fn cached(entry: &Entry<'_>, now: i64) -> Option<Credential> {
    let Some((id_token, obtained_at)) = entry.load_id_token_obtained() else {
        ui::trace(1, || {
            format!(
                "cache: no id_token for this entry in {}",
                entry.dir().display()
            )
        });
        return None;
    };
    let claims = match jwt::decode_payload::<TimeClaims>(id_token.expose()) {
        Ok(c) => c,
        Err(e) => {
            let path = entry.id_token_path();
            entry.warn(
                &path,
                &format!(
                    "ignoring the cached id_token {}: {e}; the next login replaces it",
                    path.display()
                ),
            );
            return None;
        }
    };
    match freshness(claims, obtained_at, now, false) {
        Freshness::Fresh { expires_at } => {
            ui::trace(1, || {
                format!(
                    "cache: serving the cached id_token; kubectl comes back in {}s",
                    expires_at - now
                )
            });
            Some(Credential {
                id_token,
                expires_at,
                exp: local_exp(claims, obtained_at).unwrap_or(expires_at),
            })
        }
        Freshness::Stale(why) => {
            ui::trace(1, || {
                format!("cache: not serving the cached id_token: {why}")
            });
            None
        }
    }
}
