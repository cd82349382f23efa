//! `logout`: revoke the refresh token at the provider (RFC 7009) when it can, and remove the
//! session from the cache and the keyring whatever happens there.

use std::ffi::OsString;

use crate::auth::{self, Revocation};
use crate::cache::KeyringKey;
use crate::cli::LogoutArgs;
use crate::error::ExitStatus;
use crate::settings::Settings;
use crate::ui;

pub fn run(args: &LogoutArgs, _argv: &[OsString]) -> anyhow::Result<ExitStatus> {
    ui::set_verbosity(args.token_args.verbosity());
    if let Some(notice) = crate::cli::klog::notice() {
        ui::info(&format!("kubectl-oidc: notice: {notice}"));
    }
    let (token_args, from) = super::by_context::token_args(&args.kube, &args.token_args)?;
    // The entry's own verbosity (kubelogin's -v1) counts too.
    ui::set_verbosity(token_args.verbosity());
    let settings = Settings::resolve(&token_args, crate::settings::browser_env())?;
    let issuer = &settings.entry.issuer;
    let store = settings.entry.store();
    let entry = store.entry(settings.entry.key.digest());
    // Under the entry's lock: a refresh in flight finishes first, and the refresh token it
    // stored is the one revoked and removed (else it would bring the session back).
    let lock = auth::lock_entry(&settings, &entry)?;
    let session = entry.load_session();
    let cached = session.is_some() || entry.load_id_token().is_some();
    if !cached && !args.end_session {
        return no_such_session(&settings, &store);
    }
    let refresh_token = session.as_ref().and_then(|s| s.refresh_token.as_ref());
    let (revocation, end_session) = revoke(&settings, refresh_token, args.end_session);
    let key = entry.delete()?;
    drop(lock);
    entry.remove_free_locks()?;
    let at_provider = at_provider(issuer, revocation.as_ref(), refresh_token.is_some(), cached);
    let account = settings
        .entry
        .account
        .as_deref()
        .map(|a| format!(", account {a}"))
        .unwrap_or_default();
    let context = from
        .map(|f| format!(", context {:?}", f.context))
        .unwrap_or_default();
    let from = match key {
        KeyringKey::Removed => " and the OS keyring",
        KeyringKey::None => "",
        KeyringKey::Stays => " (its key stays in the OS keyring, see above)",
    };
    ui::info(&format!(
        "Logged out of {issuer} (client {}{account}{context}): {at_provider}; the session is removed from {}{from}.",
        settings.entry.client_id,
        settings.entry.cache_dir.display()
    ));
    if args.end_session {
        end_provider_session(&settings, end_session);
    }
    Ok(ExitStatus::Success)
}

/// Revoke the refresh token and find where the provider's session ends, asking the provider
/// only when there is something to revoke or a session to end; a failure is a warning (the
/// local session is removed anyway).
fn revoke(
    settings: &Settings,
    refresh_token: Option<&crate::secret::Secret<String>>,
    end_session: bool,
) -> (Option<auth::Revocation>, Option<url::Url>) {
    if refresh_token.is_none() && !end_session {
        return (None, None);
    }
    auth::revoke(settings, refresh_token).unwrap_or_else(|e| {
        ui::warn(&format!(
            "could not revoke the refresh token at {} ({e:#}); it stays valid there until it expires",
            settings.entry.issuer
        ));
        (None, None)
    })
}

/// What happened to the refresh token at the provider, for the closing line.
fn at_provider(
    issuer: &str,
    revocation: Option<&Revocation>,
    had_refresh_token: bool,
    cached: bool,
) -> String {
    match (revocation, had_refresh_token) {
        (Some(Revocation::Revoked(endpoint)), _) => {
            format!("the refresh token was revoked at {endpoint}")
        }
        (Some(Revocation::Unsupported), _) => format!(
            "{issuer} has no revocation endpoint, so the refresh token was not revoked there (it stays valid until it expires)"
        ),
        (None, false) if !cached => "no session was cached for these flags".to_owned(),
        (None, false) => "no refresh token was cached, so there was nothing to revoke".to_owned(),
        (None, true) => "the refresh token was not revoked (see above)".to_owned(),
    }
}

/// `--end-session`: the provider's end_session_endpoint in the browser, or why not.
fn end_provider_session(settings: &Settings, end_session: Option<url::Url>) {
    let issuer = &settings.entry.issuer;
    match end_session {
        Some(url) => {
            ui::info(&format!(
                "End the session at the provider in your browser:\n\n    {url}\n"
            ));
            if let Err(e) = settings.browser.open(url.as_str()) {
                ui::warn(&format!("{e:#}; open the URL above yourself"));
            }
        }
        None => ui::warn(&format!(
            "{issuer} advertises no end_session_endpoint, so its browser session stays; log out on its web page"
        )),
    }
}

/// The flags select no cached session: say so (nothing was removed), and list the sessions of
/// that issuer and client, which the flags may have been meant for.
/// Nothing cached for these flags: with no other session of the issuer and client, nothing to
/// do (a logout run twice succeeds, as `rm -f` does); with one whose scopes or account differ,
/// the flags were likely not the ones logged in with: a configuration error that lists them.
fn no_such_session(settings: &Settings, store: &crate::cache::Store) -> anyhow::Result<ExitStatus> {
    let e = &settings.entry;
    let mut others = Vec::new();
    for id in store.list_sessions().unwrap_or_default() {
        let about = store.entry(id).describe().about;
        if let Some(a) = about.filter(|a| a.issuer == e.issuer && a.client_id == e.client_id) {
            others.push(format!(
                "  - scopes {}{}",
                beyond_openid(&a.scopes),
                a.account
                    .map(|x| format!(", account {x}"))
                    .unwrap_or_default()
            ));
        }
    }
    let what = format!(
        "no session of {} (client {}, scopes {}{}) is cached in {}, so nothing was logged out or removed",
        e.issuer,
        e.client_id,
        beyond_openid(&e.scopes),
        e.account
            .as_deref()
            .map(|a| format!(", account {a}"))
            .unwrap_or_default(),
        e.cache_dir.display()
    );
    let message = match others.as_slice() {
        [] => {
            ui::info(&format!(
                "kubectl-oidc: nothing to do: {what} (already logged out); `kubectl oidc status` \
                 lists the sessions there"
            ));
            return Ok(ExitStatus::Success);
        }
        list => format!(
            "{what}. The cached sessions of that issuer and client:\n{}\n\
             The scopes (and --account) are part of a session: log out with the flags you logged in \
             with (the kubeconfig entry's: `kubectl oidc logout --context NAME`), or remove every \
             session with `kubectl oidc clean`",
            list.join("\n")
        ),
    };
    Err(crate::error::Error::new(
        crate::error::Kind::Config,
        message,
    ))
}

/// The scopes a session asked for besides `openid`, as logout names them.
fn beyond_openid(scopes: &[String]) -> String {
    let rest: Vec<&str> = scopes
        .iter()
        .map(String::as_str)
        .filter(|s| *s != "openid")
        .collect();
    if rest.is_empty() {
        "(none but openid)".to_owned()
    } else {
        rest.join(" ")
    }
}
