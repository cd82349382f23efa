//! The browser login: authorization code + PKCE through a loopback listener (RFC 8252).
//!
//! Fresh `state` and `nonce` per attempt; state is checked on the callback, nonce on the
//! id_token, PKCE by the provider. The URL is always printed on stderr (headless hosts, a
//! browser that did not open), then the browser is opened unless told not to.

use std::net::SocketAddr;
use std::time::Instant;

use anyhow::Context as _;

use crate::error::{Error, Kind};
use crate::oidc::callback;
use crate::oidc::http::HttpClient;
use crate::oidc::loopback::{self, Event, Expect, Listener};
use crate::oidc::preflight;
use crate::oidc::provider::{ClientConfig, ProviderState, Tokens};
use crate::secret::Secret;
use crate::settings::Settings;
use crate::ui;

use super::attempt::Attempt;

/// The host of the redirect URI when it is not the listener's address: `--oidc-redirect-url`'s,
/// `--oidc-redirect-url-hostname`, or the preset's.
fn redirect_host(settings: &Settings) -> Option<&str> {
    settings
        .browser
        .redirect_url
        .as_ref()
        .and_then(|u| u.host_str())
        .or(settings.browser.redirect_host.as_deref())
}

/// The callback listener on the first free `--listen-address`, over HTTPS with
/// `--local-server-cert`. A redirect to `localhost` reaches whichever loopback family the
/// browser picks: both must be ours.
fn listen(settings: &Settings) -> anyhow::Result<loopback::Listener> {
    let localhost = redirect_host(settings).is_some_and(|h| h.eq_ignore_ascii_case("localhost"));
    let listener = loopback::bind(&settings.browser.listen, localhost, |addr, e| {
        ui::warn(&format!(
            "cannot listen on {addr} ({e}); trying the next --listen-address"
        ))
    })
    .map_err(|e| {
        Error::new(
            Kind::Config,
            format!(
                "{e}; pass a free one with --listen-address (it must match a redirect URI registered at \
                 your provider; 127.0.0.1:0 picks any free port where the provider allows any loopback port)"
            ),
        )
    })?;
    if let Some(why) = listener.twin_failed.as_deref().filter(|_| localhost) {
        ui::warn(&format!(
            "cannot listen on the other loopback address as well ({why}); a browser that tries \
             localhost there first may not reach the login callback"
        ));
    }
    Ok(match &settings.browser.local_server_tls {
        None => listener,
        Some((cert, key)) => listener.with_tls(loopback::tls_config(cert, key).map_err(|e| {
            Error::wrap(
                Kind::Config,
                e.context("--local-server-cert/--local-server-key: cannot serve HTTPS"),
            )
        })?),
    })
}

/// The redirect URI and the path the callback comes back to: `--oidc-redirect-url`, else
/// `{scheme}://{host}:{port}/callback` on the listener (or kubelogin's `http://HOST:PORT`,
/// whose callback comes back to `/`).
fn redirect_uri(settings: &Settings, listener: &loopback::Listener) -> (String, String) {
    if let Some(u) = &settings.browser.redirect_url {
        return (u.to_string(), u.path().to_owned());
    }
    let host = match (&settings.browser.redirect_host, listener.addr) {
        (Some(host), _) => host.clone(),
        (None, SocketAddr::V4(a)) => a.ip().to_string(),
        (None, SocketAddr::V6(a)) => format!("[{}]", a.ip()),
    };
    let path = match settings.browser.redirect_path {
        "" => "/",
        path => path,
    };
    (
        format!(
            "{}://{host}:{}{}",
            listener.scheme(),
            listener.addr.port(),
            settings.browser.redirect_path
        ),
        path.to_owned(),
    )
}

/// A login for a call without a terminal (auth/desktop.rs): told before the browser opens (an
/// error there opens none: the record the other callers follow is written first) and once it
/// has opened.
pub struct Unattended<'a> {
    pub opening: &'a dyn Fn() -> anyhow::Result<()>,
    pub opened: &'a dyn Fn(),
}

/// The browser login.
pub fn login(
    settings: &Settings,
    provider: &mut ProviderState,
    config: &ClientConfig,
    http: &HttpClient,
) -> anyhow::Result<Tokens> {
    run(settings, provider, config, http, None)
}

/// The browser login for a call without a terminal (auth/desktop.rs): the browser opens
/// quietly (its output goes nowhere), nothing is printed or read from the terminal, and
/// `unattended` is told before and after it opens (a browser that cannot be opened is an
/// error, as nobody would see the URL).
pub(super) fn login_unattended(
    settings: &Settings,
    provider: &mut ProviderState,
    config: &ClientConfig,
    http: &HttpClient,
    unattended: &Unattended<'_>,
) -> anyhow::Result<Tokens> {
    run(settings, provider, config, http, Some(unattended))
}

fn run(
    settings: &Settings,
    provider: &mut ProviderState,
    config: &ClientConfig,
    http: &HttpClient,
    unattended: Option<&Unattended<'_>>,
) -> anyhow::Result<Tokens> {
    let listener = listen(settings)?;
    let (redirect, path) = redirect_uri(settings, &listener);
    let Attempt {
        url,
        state,
        nonce,
        verifier,
    } = Attempt::new(settings, provider, config, &redirect)?;
    preflight(settings, config, http, &url, &redirect)?;
    open_browser(settings, config, &url, &redirect, unattended)?;
    let deadline = Instant::now() + settings.auth_timeout;
    let expect = Expect {
        path,
        state,
        issuer: config.issuer.clone(),
        redirect_host: redirect_host(settings).map(str::to_owned),
        then_open: settings
            .browser
            .open_url_after_authentication
            .as_ref()
            .map(url::Url::to_string),
    };
    let attended = unattended.is_none();
    if attended {
        relay_pasted(listener.paster(), &expect.path, &expect.state);
    }
    let code = wait_for_callback(&listener, expect, deadline, attended)
        .map_err(|e| scope_hint(e, &settings.entry.scopes))?
        .ok_or_else(|| no_callback(settings, config, &listener, &redirect))?;
    drop(listener);
    provider
        .exchange_code(config, http, &redirect, code, verifier, &nonce)
        .context("login failed")
}

/// The authorization request sent once before a browser opens it ([`preflight::judge`]): a
/// provider that refuses it outright (an unknown client, an unregistered redirect URI) is said
/// at once with what fixes it, instead of on a page while the CLI waits out its timeout. No
/// answer, or any other answer, lets the login go on. Shared with the keyboard flow.
pub(super) fn preflight(
    settings: &Settings,
    config: &ClientConfig,
    http: &HttpClient,
    url: &url::Url,
    redirect: &str,
) -> anyhow::Result<()> {
    let response = match http.request("GET", url.as_str(), &[("Accept", "text/html")], Vec::new()) {
        Ok(response) => response,
        Err(e) => {
            ui::trace(1, || {
                format!("login: the authorization request was not checked: {e}")
            });
            return Ok(());
        }
    };
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok());
    let status = response.status().as_u16();
    let Some(refusal) = preflight::judge(status, location, response.body(), redirect) else {
        return Ok(());
    };
    let e = refusal.error(&config.issuer, &config.client_id);
    Err(match refusal.code.as_deref() {
        Some("invalid_scope") => scope_hint(e.into(), &settings.entry.scopes),
        _ => Error::hint(
            e.into(),
            refused_hint(settings, config, redirect, refusal.about),
        ),
    })
}

/// What fixes a refused authorization request.
fn refused_hint(
    settings: &Settings,
    config: &ClientConfig,
    redirect: &str,
    about: preflight::About,
) -> String {
    match about {
        preflight::About::RedirectUri => format!(
            "the redirect URI {redirect} is not registered for the client {} there. Register \
             it, or use one the client has: a client registered for kubelogin \
             (http://localhost:8000, no path) takes --oidc-redirect-url-hostname=localhost (a \
             kubelogin kubeconfig entry: `kubectl oidc setup --migrate` keeps its redirect); \
             any other, --oidc-redirect-url=URI with --listen-address=127.0.0.1:PORT",
            config.client_id
        ),
        preflight::About::Client => format!(
            "check --oidc-client-id={}: the provider does not know that client, or it may not \
             use the authorization code flow (a public client with PKCE)",
            config.client_id
        ),
        preflight::About::Other => format!(
            "check what the request asks for: the scopes {} (--oidc-extra-scope) and \
             --oidc-auth-request-extra-params",
            settings.entry.scopes.join(" ")
        ),
    }
}

/// Open the login in the browser: said at the terminal, or, for a call without one, quietly,
/// between `unattended`'s two calls.
fn open_browser(
    settings: &Settings,
    config: &ClientConfig,
    url: &url::Url,
    redirect: &str,
    unattended: Option<&Unattended<'_>>,
) -> anyhow::Result<()> {
    match unattended {
        None => {
            ui::info(&format!(
                "Log in to {} in your browser:\n\n    {url}\n",
                config.issuer
            ));
            if let Err(e) = settings.browser.open(url.as_str()) {
                ui::warn(&format!("{e:#}; open the URL above yourself"));
            }
            ui::info(&format!(
                "Waiting up to {}s for the login to finish (callback on {redirect})",
                settings.auth_timeout.as_secs()
            ));
            Ok(())
        }
        Some(unattended) => {
            (unattended.opening)()?;
            settings
                .browser
                .open_quietly(url.as_str())
                .map_err(|e| Error::wrap(Kind::LoginNeeded, e))?;
            (unattended.opened)();
            Ok(())
        }
    }
}

/// The listener's wait, with a countdown and the first few ignored requests said at a
/// terminal (without one, stderr may still be one a full-screen program draws on: k9s).
fn wait_for_callback(
    listener: &Listener,
    expect: Expect,
    deadline: Instant,
    attended: bool,
) -> anyhow::Result<Option<Secret<String>>> {
    let mut told = 0;
    let progress = match attended {
        true => ui::Progress::new(),
        false => ui::Progress::off(),
    };
    let code = listener.wait(expect, deadline, |event| match event {
        Event::Ignored(ignored) => {
            // A few lines are enough to show what is going on; a flood is not repeated.
            told += 1;
            if attended && told <= 3 {
                progress.clear();
                ui::warn(&format!(
                    "ignored a request to the login callback from {}: {}; still waiting for the login",
                    ignored.peer, ignored.why
                ));
            }
        }
        Event::Tick(left) => progress.show(&format!(
            "Waiting for the login in the browser: {} left",
            crate::text::duration(left.as_secs() as i64)
        )),
    });
    progress.clear();
    code
}

/// No callback in time: what may have happened, and what fixes each.
fn no_callback(
    settings: &Settings,
    config: &ClientConfig,
    listener: &Listener,
    redirect: &str,
) -> anyhow::Error {
    Error::new(
        Kind::LoginNeeded,
        format!(
            "no login callback arrived on {}://{} within {}s; if the browser shows the login, \
             finish it sooner or raise --authentication-timeout-sec; if {} showed an error \
             instead (an unknown client, a redirect URI it does not know), check that the client \
             {} exists there with the redirect URI {redirect} registered",
            listener.scheme(),
            listener.addr,
            settings.auth_timeout.as_secs(),
            config.issuer,
            config.client_id,
        ),
    )
}

/// An `invalid_scope` answer names the scopes asked for and the flag that removes one.
fn scope_hint(e: anyhow::Error, scopes: &[String]) -> anyhow::Error {
    let invalid_scope = crate::error::find::<crate::error::ProviderError>(&e)
        .is_some_and(|p| p.oauth_error() == Some("invalid_scope"));
    if !invalid_scope {
        return e;
    }
    Error::hint(
        e,
        format!(
            "the scopes asked for were: {}. Remove the one the provider does not know from \
             --oidc-extra-scope (Cognito refuses offline_access yet issues refresh tokens: \
             --provider=cognito drops it)",
            scopes.join(" ")
        ),
    )
}

/// On a terminal, a pasted redirect URL (or code) completes the login too: a jump host whose
/// browser cannot reach this listener works without choosing a mode up front. What is pasted
/// goes to the listener as the callback request target it stands for, so it passes the same
/// checks as the browser's request (path, state, issuer); a bare code gets this attempt's
/// state ([`callback::pasted_target`], as in the keyboard login).
fn relay_pasted(paster: loopback::Paster, path: &str, state: &Secret<String>) {
    let Ok(mut tty) = super::terminal::Terminal::open("") else {
        return;
    };
    let (path, state) = (path.to_owned(), state.clone());
    ui::info("(Or paste here the URL the browser ended at, if it cannot reach this machine.)");
    std::thread::spawn(move || {
        while let Ok(line) = tty.prompt("") {
            let line = line.expose().trim().to_owned();
            if line.is_empty() {
                continue;
            }
            let Some(target) = callback::pasted_target(&line, &path, state.expose()) else {
                ui::warn("that is not a code or a redirect URL; paste it again");
                continue;
            };
            if paster.paste(target) {
                return;
            }
            ui::warn("that is not the code or redirect URL of this login; paste it again");
        }
    });
}
