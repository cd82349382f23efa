//! The refresh, under the entry's lock: the cached discovery document and JWKS, the session
//! file's replacement reserved before the refresh token is spent, and whatever new refresh
//! token the provider sends kept, even when the rest of its answer is unusable. Only
//! `invalid_grant` (or an answer without an id_token once the cached one expired) leads to a
//! login.

use super::credential::{Credential, cached};
use super::messages;
use super::session::{client_config, lock_entry, session_of};
use crate::cache::{Entry, Session};
use crate::oidc::http::HttpClient;
use crate::oidc::provider::{self, ClientConfig, ProviderState, RefreshError};
use crate::secret::Secret;
use crate::settings::Settings;
use crate::ui;

/// The refresh, under the entry's lock (released on return): the credential (another process
/// may have refreshed while we waited), or why a login is needed and whether a refresh token
/// was cached.
pub(super) fn refresh_step(
    settings: &Settings,
    entry: &Entry<'_>,
    now: i64,
) -> anyhow::Result<Result<Credential, (String, bool)>> {
    let _lock = lock_entry(settings, entry)?;
    if !settings.force_refresh
        && let Some(credential) = cached(entry, now)
    {
        return Ok(Ok(credential));
    }
    let session = entry.load_session();
    let Some(rt) = session.as_ref().and_then(|s| s.refresh_token.clone()) else {
        return Ok(Err(("no refresh token is cached".to_owned(), false)));
    };
    ui::trace(1, || "refresh: using the cached refresh token".to_owned());
    Ok(
        match refresh(settings, entry, session.as_ref(), &rt, now)? {
            Refreshed::Done(credential) => Ok(credential),
            Refreshed::Rejected(why) => Err((
                format!("the provider refused the refresh token: {why}"),
                true,
            )),
        },
    )
}

enum Refreshed {
    Done(Credential),
    /// The provider refused the refresh token (`invalid_grant`): only a login helps.
    Rejected(String),
}

/// A refresh uses the cached discovery document and JWKS (held to the transport rule again),
/// else discovers.
fn provider_for_refresh(
    session: Option<&Session>,
    config: &ClientConfig,
    http: &HttpClient,
) -> anyhow::Result<ProviderState> {
    match cached_provider(session) {
        Some(p) => {
            ui::trace(2, || {
                "refresh: discovery document and JWKS from the cache".to_owned()
            });
            p.check_transport(config)?;
            Ok(p)
        }
        None => provider::discover(config, http)
            .map_err(|e| messages::refresh_failed(e, &config.issuer)),
    }
}

/// The refresh answer carried no id_token: the cached one serves while it is valid.
fn keep_the_cached_id_token(entry: &Entry<'_>, issuer: &str, now: i64) -> Refreshed {
    match entry
        .load_id_token_obtained()
        .map(|(t, at)| Credential::new(t, at, now))
    {
        Some(old) if old.exp > now => {
            ui::warn(&messages::refresh_without_id_token(issuer, old.exp - now));
            Refreshed::Done(Credential {
                expires_at: old.exp,
                ..old
            })
        }
        _ => Refreshed::Rejected(
            "its refresh answer carries no id_token, and the cached id_token has expired"
                .to_owned(),
        ),
    }
}

/// Use the refresh token; the caller holds the entry's lock. The session file's replacement
/// is reserved before the token is spent, and whatever new refresh token the provider sends
/// is kept, even when the rest of its answer is unusable.
fn refresh(
    settings: &Settings,
    entry: &Entry<'_>,
    session: Option<&Session>,
    refresh_token: &Secret<String>,
    now: i64,
) -> anyhow::Result<Refreshed> {
    let issuer = &settings.entry.issuer;
    let config = client_config(settings)?;
    let http = settings.http_client()?;
    let mut provider = provider_for_refresh(session, &config, &http)?;
    let reserved = entry.reserve_session().map_err(messages::cannot_store)?;
    match provider.refresh(&config, &http, refresh_token) {
        Ok(tokens) => {
            let new_session = session_of(tokens.refresh_token.clone(), &provider)?;
            let about = settings.entry.about(tokens.refresh_token.is_some());
            entry.save(
                &tokens.id_token,
                &about,
                &new_session,
                session,
                reserved,
                now,
            )?;
            Ok(Refreshed::Done(Credential::new(
                tokens.id_token,
                Some(now),
                now,
            )))
        }
        Err(RefreshError::Rejected(why)) => Ok(Refreshed::Rejected(why)),
        Err(RefreshError::Failed(e)) => Err(messages::refresh_failed(e, issuer)),
        // An answer without an id_token (the provider refreshed only the access token): keep
        // its refresh token, and the cached id_token while it is still valid; past its `exp`,
        // only a login gives a new one.
        Err(RefreshError::NoIdToken { refresh_token }) => {
            let kept = session_of(Some(refresh_token), &provider)?;
            entry
                .save_session(&kept, session, reserved)
                .map_err(|e| e.context("cannot store the refresh token the provider just sent"))?;
            Ok(keep_the_cached_id_token(entry, issuer, now))
        }
        Err(RefreshError::Unusable {
            error,
            refresh_token,
        }) => {
            let kept = session_of(Some(refresh_token), &provider)?;
            let stored = entry.save_session(&kept, session, reserved);
            Err(messages::refresh_unusable(error, issuer, stored.err()))
        }
    }
}

/// The provider's discovery document and JWKS kept with the session, if still readable.
fn cached_provider(session: Option<&Session>) -> Option<ProviderState> {
    serde_json::from_value(session?.provider.clone()?).ok()
}
