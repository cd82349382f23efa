//! Obtaining a credential: serve the cache, or refresh, or log in, exactly once across
//! processes.
//!
//! [`cached`] is the hot path (one file read, no lock, no HTTP). [`obtain`] is everything
//! else: it takes the entry's lock, re-reads the cache (another process may have refreshed
//! while we waited), refreshes with the cached refresh token, and logs in (one file per
//! flow, chosen by the grant type) only where a login may run. A refresh token the provider
//! refuses (`invalid_grant`) leads to a login; a provider that cannot be reached or fails
//! leads to an error naming it, and the session is kept.

mod authcode;
pub mod messages;

use std::ffi::OsString;

use crate::cache::{Entry, Session};
use crate::cli::GrantType;
use crate::error::{Error, Kind};
use crate::oidc::http::HttpClient;
use crate::oidc::provider::{self, ClientConfig, ProviderState, RefreshError, Tokens};
use crate::secret::Secret;
use crate::settings::Settings;
use crate::token::freshness::{Freshness, freshness, margin};
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
    /// A credential for an id_token we just verified; `now` stands in for a missing `exp`.
    fn new(id_token: Secret<String>, now: i64) -> Self {
        let claims = jwt::decode_payload::<TimeClaims>(id_token.expose()).unwrap_or_default();
        let exp = claims.exp.unwrap_or(now);
        Self {
            expires_at: exp - margin(claims),
            exp,
            id_token,
        }
    }
}

/// The cached credential, if it is fresh at `now`: the whole cache-hit path.
pub fn cached(entry: &Entry<'_>, now: i64) -> Option<Credential> {
    let id_token = entry.load_id_token()?;
    let claims = match jwt::decode_payload::<TimeClaims>(id_token.expose()) {
        Ok(c) => c,
        Err(e) => {
            ui::warn(&format!(
                "ignoring the cached id_token in {}: {e}",
                entry.dir().display()
            ));
            return None;
        }
    };
    match freshness(claims, now, false) {
        Freshness::Fresh { expires_at } => Some(Credential {
            id_token,
            expires_at,
            exp: claims.exp.unwrap_or(expires_at),
        }),
        Freshness::Stale(_) => None,
    }
}

/// What the caller wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// get-token: the cached token, else a refresh, else a login where one may run.
    Serve,
    /// login: a new login now, whatever the cache holds.
    Login,
}

/// Whether this call may run an interactive login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interaction {
    Allowed,
    /// It may not; the words say who decided (for the message).
    Forbidden(&'static str),
}

/// How to log in, from `--grant-type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grant {
    AuthCode,
}

impl From<GrantType> for Grant {
    fn from(g: GrantType) -> Self {
        match g {
            GrantType::Auto | GrantType::Authcode => Grant::AuthCode,
        }
    }
}

fn has_refresh_token(session: Option<&Session>) -> bool {
    session.is_some_and(|s| s.refresh_token.is_some())
}

/// The provider's discovery document and JWKS kept with the session, if still readable.
fn cached_provider(session: Option<&Session>) -> Option<ProviderState> {
    serde_json::from_value(session?.provider.clone()?).ok()
}

/// The stale path: lock, re-check, refresh or log in, verify, store.
#[cold]
pub fn obtain(
    settings: &Settings,
    entry: &Entry<'_>,
    mode: Mode,
    interaction: Interaction,
    argv: &[OsString],
    now: i64,
) -> anyhow::Result<Credential> {
    let need_login = |why: &str| match interaction {
        Interaction::Forbidden(who) => Some(messages::need_login(settings, why, who, argv)),
        Interaction::Allowed => None,
    };
    // Fail fast, before waiting for a lock, when only a login would help and none may run.
    if mode == Mode::Serve
        && !has_refresh_token(entry.load_session().as_ref())
        && let Some(e) = need_login("no refresh token is cached")
    {
        return Err(e);
    }
    let wait = settings.auth_timeout + settings.http_timeout * 2;
    let _lock = entry.lock(wait, |pid, path| {
        let who = pid.map(|p| format!(" (pid {p})")).unwrap_or_default();
        ui::info(&format!(
            "Waiting for another kubectl-oidc{who} that is refreshing or logging in to {} (lock {})",
            settings.entry.issuer,
            path.display()
        ));
    })?;
    // Another process may have refreshed or logged in while we waited.
    if mode == Mode::Serve
        && !settings.force_refresh
        && let Some(credential) = cached(entry, now)
    {
        return Ok(credential);
    }
    let session = entry.load_session();
    let refresh_token = session.as_ref().and_then(|s| s.refresh_token.clone());
    if mode == Mode::Serve
        && refresh_token.is_none()
        && let Some(e) = need_login("no refresh token is cached")
    {
        return Err(e);
    }
    let config = ClientConfig {
        issuer: settings.entry.issuer.clone(),
        client_id: settings.entry.client_id.clone(),
        client_secret: settings.client_secret()?,
    };
    let http = HttpClient::new(&settings.tls, settings.http_timeout)?;
    let refreshed = match (mode, &refresh_token) {
        (Mode::Serve, Some(rt)) => {
            // A refresh uses the cached discovery document and JWKS.
            let mut provider = match cached_provider(session.as_ref()) {
                Some(p) => p,
                None => provider::discover(&config, &http)
                    .map_err(|e| messages::refresh_failed(e, &settings.entry.issuer))?,
            };
            match provider.refresh(&config, &http, rt) {
                Ok(tokens) => Some((tokens, provider)),
                Err(RefreshError::Rejected(why)) => {
                    let why = format!("the provider refused the refresh token: {why}");
                    if let Some(e) = need_login(&why) {
                        return Err(e);
                    }
                    ui::warn(&format!("{why}; logging in again"));
                    None
                }
                Err(RefreshError::Failed(e)) => {
                    return Err(messages::refresh_failed(e, &settings.entry.issuer));
                }
            }
        }
        _ => None,
    };
    let (tokens, provider) = match refreshed {
        Some(done) => done,
        None => {
            // A login discovers afresh: the provider may have changed since the last one.
            let mut provider = provider::discover(&config, &http)?;
            let tokens = login(
                settings.grant.into(),
                settings,
                &mut provider,
                &config,
                &http,
            )?;
            if tokens.refresh_token.is_none() {
                ui::warn(&messages::no_refresh_token(&settings.entry.issuer));
            }
            (tokens, provider)
        }
    };
    let new_session = Session {
        refresh_token: tokens.refresh_token.clone(),
        provider: Some(serde_json::to_value(&provider).map_err(|e| {
            Error::new(
                Kind::Internal,
                format!("serializing the provider metadata: {e}"),
            )
        })?),
    };
    entry.save(&tokens.id_token, &new_session, session.as_ref())?;
    Ok(Credential::new(tokens.id_token, now))
}

fn login(
    grant: Grant,
    settings: &Settings,
    provider: &mut ProviderState,
    config: &ClientConfig,
    http: &HttpClient,
) -> anyhow::Result<Tokens> {
    match grant {
        Grant::AuthCode => authcode::login(settings, provider, config, http),
    }
}
