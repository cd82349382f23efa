//! Obtaining a credential: serve the cache, or refresh, or log in, exactly once across
//! processes.
//!
//! [`cached`] is the hot path (one file read, no lock, no HTTP). [`obtain`] is everything
//! else: it takes the entry's lock, re-reads the cache (another process may have refreshed
//! while we waited), refreshes with the cached refresh token, and logs in (one file per
//! flow, chosen by the grant type) only where a login may run. A refresh token the provider
//! refuses (`invalid_grant`) leads to a login; a provider that cannot be reached or fails
//! leads to an error naming it, and the session is kept.

mod attempt;
mod authcode;
mod client_credentials;
mod credential;
mod desktop;
mod device;
mod flow;
mod keyboard;
pub mod messages;
mod password;
mod refresh;
mod session;
mod terminal;
mod token_exchange;

use std::ffi::OsString;

pub use terminal::stdin_in_raw_mode;

pub use credential::{Credential, cached};
pub use session::lock_entry;

use crate::cache::{Entry, Session};
use crate::grants::{Grant, Unattended};
use crate::oidc::http::HttpClient;
use crate::oidc::provider::{self, ClientConfig, ProviderState, Tokens};
use crate::secret::Secret;
use crate::settings::Settings;
use crate::token::jwt;
use crate::ui;
use session::{client_config, session_of};

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

/// How a grant logs in.
type LoginFn =
    fn(&Settings, &mut ProviderState, &ClientConfig, &HttpClient) -> anyhow::Result<Tokens>;

macro_rules! logins {
    ($(
        $(#[doc = $help:literal])*
        $variant:ident = $name:literal, login: $file:ident, unattended: $unattended:ident,
            per_subject: $per_subject:literal;
    )*) => {
        /// Each grant's login (the `login` of `auth/<file>.rs`), from the table in
        /// `grants.rs`.
        fn login_of(grant: Grant) -> LoginFn {
            match grant {
                $(Grant::$variant => $file::login),*
            }
        }
    };
}

crate::grants::grant_table!(logins);

/// A login that needs nobody at a keyboard: it may run when kubectl says the call is not
/// interactive.
fn unattended(grant: Grant, settings: &Settings) -> bool {
    match grant.unattended() {
        Unattended::Never => false,
        Unattended::Always => true,
        Unattended::WithPassword => settings.password.complete(),
    }
}

/// `--grant-type=auto` without a username: the browser flow, unless no browser is here.
fn auto_flow(settings: &Settings, provider: &ProviderState) -> Grant {
    // --browser-command and --skip-open-browser (the URL opened elsewhere, the callback
    // forwarded over SSH) are choices of the browser flow.
    let place = flow::Place::here(
        matches!(
            settings.browser.opener,
            crate::oidc::browser::Opener::Command(_) | crate::oidc::browser::Opener::Skip
        ),
        &settings.env,
    );
    match flow::choose(&place, provider.device_endpoint().is_some()) {
        (flow::Auto::Browser, _) => Grant::AuthCode,
        (flow::Auto::DeviceCode, Some(why)) => {
            ui::info(&format!(
                "No browser here ({why}): logging in with the device code flow (--grant-type to choose another)"
            ));
            Grant::DeviceCode
        }
        (_, why) => {
            ui::info(&format!(
                "No browser here ({}) and {} offers no device flow: logging in by pasting the code \
                 (--grant-type to choose another)",
                why.unwrap_or("headless"),
                settings.entry.issuer
            ));
            Grant::Keyboard
        }
    }
}

fn has_refresh_token(session: Option<&Session>) -> bool {
    session.is_some_and(|s| s.refresh_token.is_some())
}

/// The stale path: refresh under the entry's lock, or log in under the login lock, verify,
/// store.
#[cold]
pub fn obtain(
    settings: &Settings,
    entry: &Entry<'_>,
    mode: Mode,
    interaction: Interaction,
    argv: &[OsString],
    now: i64,
) -> anyhow::Result<Credential> {
    // A cache directory others can write to is not used (a planted token or session).
    entry.check_trusted()?;
    let grant = settings.grant;
    // A call without a terminal: the browser login once per session (auth/desktop.rs wraps
    // the login given here), or the error that says what to run.
    let browser_login = |on_open: &authcode::Unattended<'_>| {
        log_in_and_store(settings, entry, Grant::AuthCode, Some(on_open), now)
    };
    let without_terminal = |who: &str, why: &str| {
        desktop::login(
            settings,
            entry,
            grant,
            (who, why),
            argv,
            (now, &browser_login),
        )
    };
    let interaction = match unattended(grant, settings) {
        true => Interaction::Allowed,
        false => interaction,
    };
    // Without a terminal and without a refresh token, only a browser login once per session
    // (auth/desktop.rs) may help, or none: decided before waiting for a lock.
    if mode == Mode::Serve
        && let Interaction::Forbidden(who) = interaction
        && !has_refresh_token(entry.load_session().as_ref())
    {
        return without_terminal(who, "no refresh token is cached");
    }
    // 1. A refresh, under the entry's lock: held for one request at most.
    if mode == Mode::Serve {
        let (why, had_refresh_token) = match refresh::refresh_step(settings, entry, now)? {
            Ok(credential) => return Ok(credential),
            Err(login_needed) => login_needed,
        };
        if let Interaction::Forbidden(who) = interaction {
            return without_terminal(who, &why);
        }
        if had_refresh_token {
            ui::warn(&format!("{why}; logging in again"));
        }
    }
    log_in(settings, entry, mode, now)
}

/// 2. A login, under the login lock only: while it waits for the user, other processes still
///    refresh and read the cache.
fn log_in(
    settings: &Settings,
    entry: &Entry<'_>,
    mode: Mode,
    now: i64,
) -> anyhow::Result<Credential> {
    entry.check_ready()?;
    let issuer = &settings.entry.issuer;
    let _login = entry.login_lock(
        settings.auth_timeout + settings.http_timeout * 2,
        |pid, path| messages::waiting(pid, path, "logging in", issuer),
    )?;
    if mode == Mode::Serve
        && !settings.force_refresh
        && let Some(credential) = cached(entry, now)
    {
        return Ok(credential); // the other process's login finished
    }
    if mode == Mode::Login {
        // A person logs in: calls without a terminal may open the browser again.
        entry.clear_browser_attempt();
    }
    log_in_and_store(settings, entry, settings.grant, None, now)
}

/// Log in with `grant` (a fresh discovery first) and store the result under the entry's
/// lock. `on_open`: a login for a call without a terminal (auth/desktop.rs), quiet but for
/// one line, told before the browser opens and once it has.
fn log_in_and_store(
    settings: &Settings,
    entry: &Entry<'_>,
    grant: Grant,
    on_open: Option<&authcode::Unattended<'_>>,
    now: i64,
) -> anyhow::Result<Credential> {
    let issuer = &settings.entry.issuer;
    let config = client_config(settings)?;
    let http = settings.http_client()?;
    // A login discovers afresh: the provider may have changed since the last one.
    let mut provider = provider::discover(&config, &http)
        .map_err(|e| messages::login_discovery_failed(e, issuer))?;
    let grant = match grant {
        // Without a terminal the browser was chosen (auth/desktop.rs).
        Grant::AuthCode if settings.grant_auto && on_open.is_none() => {
            auto_flow(settings, &provider)
        }
        other => other,
    };
    ui::trace(1, || format!("login: {grant:?} flow"));
    // Notes and warnings are for a person at a terminal; without one, a working call says
    // nothing but the line that the browser opened (at -v, the rest).
    let say = |text: &str| match on_open {
        None => ui::info(text),
        Some(_) => ui::trace(1, || text.to_owned()),
    };
    if let Some(note) = settings.entry.preset_note() {
        say(&note);
    }
    let tokens = match (grant, on_open) {
        (Grant::AuthCode, Some(on_open)) => {
            authcode::login_unattended(settings, &mut provider, &config, &http, on_open)?
        }
        _ => login_of(grant)(settings, &mut provider, &config, &http)?,
    };
    if let Some(overage) = jwt::decode_payload::<serde_json::Value>(tokens.id_token.expose())
        .ok()
        .and_then(|claims| messages::groups_overage(issuer, &claims))
    {
        say(&format!("kubectl-oidc: warning: {overage}"));
    }
    if tokens.refresh_token.is_none() && !unattended(grant, settings) {
        say(&format!(
            "kubectl-oidc: warning: {}",
            messages::no_refresh_token(issuer, settings.entry.provider, &settings.entry.scopes)
        ));
    }
    // 3. Store it under the entry's lock.
    let _lock = lock_entry(settings, entry)?;
    let previous = entry.load_session();
    let session = session_of(tokens.refresh_token.clone(), &provider)?;
    let about = settings.entry.about(tokens.refresh_token.is_some());
    entry.save(
        &tokens.id_token,
        &about,
        &session,
        previous.as_ref(),
        None,
        now,
    )?;
    entry.clear_browser_attempt();
    Ok(Credential::new(tokens.id_token, Some(now), now))
}

/// What logging out did at the provider.
pub enum Revocation {
    /// The provider accepted the revocation at this endpoint.
    Revoked(String),
    /// The provider has no revocation endpoint.
    Unsupported,
}

/// Revoke a refresh token at the provider (a fresh discovery finds its endpoint), and the
/// end_session_endpoint URL for `--end-session`.
pub fn revoke(
    settings: &Settings,
    refresh_token: Option<&Secret<String>>,
) -> anyhow::Result<(Option<Revocation>, Option<url::Url>)> {
    let config = client_config(settings)?;
    let http = settings.http_client()?;
    let provider = provider::discover(&config, &http)?;
    let revocation = match refresh_token {
        None => None,
        Some(rt) => Some(match provider.revoke(&config, &http, rt)? {
            Some(endpoint) => Revocation::Revoked(endpoint),
            None => Revocation::Unsupported,
        }),
    };
    Ok((revocation, provider.end_session_url(&config)))
}
