//! `get-token`: the exec credential plugin.
//!
//! The cache hit is the product: parse flags, read `KUBERNETES_EXEC_INFO`, read one small
//! file, decode the JWT payload, compare `exp` with now, print. No HTTP client, TLS, async
//! runtime or lock. Everything else lives behind [`obtain`], which is `#[cold]`.

use std::ffi::OsString;
use std::io::{IsTerminal as _, Write as _};

use anyhow::{Context as _, anyhow};

use super::unix_now;
use crate::cache::{Cache, Session};
use crate::cli::TokenArgs;
use crate::exec_credential::{self, ExecInfo};
use crate::oidc::http::HttpClient;
use crate::oidc::login::{self, LoginOptions};
use crate::oidc::provider::{self, ClientConfig, ProviderState, Tokens};
use crate::settings::Settings;
use crate::token::freshness::{Freshness, freshness, margin};
use crate::token::jwt::{self, TimeClaims};
use crate::ui;

pub fn run(args: &TokenArgs, argv: &[OsString]) -> anyhow::Result<()> {
    let exec =
        exec_credential::parse_exec_info(std::env::var("KUBERNETES_EXEC_INFO").ok().as_deref())?;
    let settings = Settings::resolve(args, std::env::var("BROWSER").ok())?;
    let cache = Cache::new(
        settings.cache_dir.clone(),
        settings.key.digest(),
        settings.storage,
    );
    let now = unix_now();
    if !settings.force_refresh
        && let Some(out) = serve_cached(&cache, exec.api_version, now)
    {
        return print(&out);
    }
    let interactive = exec
        .interactive
        .unwrap_or_else(|| std::io::stdin().is_terminal());
    let tokens = obtain(
        &settings,
        &cache,
        Mode::GetToken {
            interactive,
            exec: &exec,
        },
        argv,
    )?;
    let Some(tokens) = tokens else {
        // Another process refreshed while we waited for the lock.
        let out = serve_cached(&cache, exec.api_version, unix_now())
            .context("the token another kubectl-oidc just cached is not usable")?;
        return print(&out);
    };
    print(&exec_credential::render(
        exec.api_version,
        tokens.id_token.expose(),
        expires_at(&tokens),
    ))
}

/// When kubectl should come back for a fresh token: `exp` minus the early-refresh margin.
fn expires_at(tokens: &Tokens) -> i64 {
    let claims =
        jwt::decode_payload::<TimeClaims>(tokens.id_token.expose()).unwrap_or(TimeClaims {
            exp: Some(tokens.expires_at),
            iat: None,
        });
    tokens.expires_at - margin(claims)
}

fn print(out: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{out}")
        .and_then(|()| stdout.flush())
        .context("cannot write the ExecCredential to stdout")
}

/// The cached token as an ExecCredential, if it is fresh at `now`.
fn serve_cached(cache: &Cache, api_version: &str, now: i64) -> Option<String> {
    let token = cache.load_id_token()?;
    let claims = match jwt::decode_payload::<TimeClaims>(&token) {
        Ok(c) => c,
        Err(e) => {
            ui::warn(&format!(
                "ignoring the cached id_token in {}: {e}",
                cache.dir().display()
            ));
            return None;
        }
    };
    match freshness(claims, now, false) {
        Freshness::Fresh { expires_at } => {
            Some(exec_credential::render(api_version, &token, expires_at))
        }
        Freshness::Stale(_) => None,
    }
}

pub enum Mode<'a> {
    /// Refresh if possible; log in only when interactive.
    GetToken {
        interactive: bool,
        exec: &'a ExecInfo,
    },
    /// `login`: always run the browser flow.
    Login,
}

/// The stale path: lock, re-check, refresh or log in, verify, store. `Ok(None)` means another
/// process stored a fresh token while we waited for the lock.
#[cold]
pub fn obtain(
    settings: &Settings,
    cache: &Cache,
    mode: Mode<'_>,
    argv: &[OsString],
) -> anyhow::Result<Option<Tokens>> {
    let interactive = match mode {
        Mode::GetToken { interactive, .. } => interactive,
        Mode::Login => true,
    };
    let has_refresh_token =
        |s: &Option<Session>| s.as_ref().is_some_and(|s| s.refresh_token.is_some());
    if !interactive && !has_refresh_token(&cache.load_session()) {
        return Err(need_login(settings, "no refresh token is cached", argv));
    }
    let _lock = if cache.mode() == crate::cache::StorageMode::None {
        None
    } else {
        crate::cache::file::ensure_dir(cache.dir())?;
        let wait = settings.auth_timeout + settings.http_timeout * 2;
        Some(crate::cache::file::lock(&cache.lock_path(), wait, |pid| {
            let who = pid.map(|p| format!(" (pid {p})")).unwrap_or_default();
            ui::info(&format!(
                "Waiting for another kubectl-oidc{who} that is refreshing or logging in to {} (lock {})",
                settings.issuer,
                cache.lock_path().display()
            ));
        })?)
    };
    if let Mode::GetToken { exec, .. } = mode
        && !settings.force_refresh
        && serve_cached(cache, exec.api_version, unix_now()).is_some()
    {
        return Ok(None);
    }
    let session = cache.load_session();
    let config = ClientConfig {
        issuer: settings.issuer.clone(),
        client_id: settings.client_id.clone(),
        client_secret: settings.client_secret()?,
    };
    let http = HttpClient::new(&settings.tls, settings.http_timeout)?;
    let cached_provider = session
        .as_ref()
        .and_then(|s| s.provider.clone())
        .and_then(|p| serde_json::from_value::<ProviderState>(p).ok());
    let refresh_token = session.as_ref().and_then(|s| s.refresh_token.clone());
    if !interactive && refresh_token.is_none() {
        // Another process may have replaced the session while we waited for the lock.
        return Err(need_login(settings, "no refresh token is cached", argv));
    }
    let login_now = |provider: &mut ProviderState| -> anyhow::Result<Tokens> {
        let options = LoginOptions {
            scopes: &settings.scopes,
            extra_params: &settings.extra_params,
            pkce: settings.pkce,
            listen: &settings.listen,
            redirect_url: settings.redirect_url.as_ref(),
            opener: &settings.opener,
            timeout: settings.auth_timeout,
        };
        let tokens = login::login(provider, &config, &http, &options)?;
        if tokens.refresh_token.is_none() {
            ui::warn(&format!(
                "{} issued no refresh token, so the next login is due when this id_token expires; \
                 many providers want --oidc-extra-scope=offline_access (Google: --oidc-auth-request-extra-params=access_type=offline)",
                settings.issuer
            ));
        }
        Ok(tokens)
    };
    let is_login = matches!(mode, Mode::Login);
    // A refresh uses the cached discovery document and JWKS; a login discovers afresh.
    let mut provider = match cached_provider {
        Some(p) if !is_login && refresh_token.is_some() => p,
        _ => provider::discover(&config, &http)?,
    };
    let mut refreshed = None;
    if let (false, Some(rt)) = (is_login, &refresh_token) {
        match provider.refresh(&config, &http, rt) {
            Ok(t) => refreshed = Some(t),
            Err(e) if !interactive => {
                return Err(need_login(
                    settings,
                    &format!("the refresh failed: {e:#}"),
                    argv,
                ));
            }
            Err(e) => {
                ui::warn(&format!("the refresh failed ({e:#}); logging in again"));
                provider = provider::discover(&config, &http)?;
            }
        }
    }
    let tokens = match refreshed {
        Some(t) => t,
        None => login_now(&mut provider)?,
    };
    let new_session = Session {
        refresh_token: tokens.refresh_token.clone(),
        provider: Some(
            serde_json::to_value(&provider).context("serializing the provider metadata")?,
        ),
    };
    cache.save(&tokens.id_token, &new_session, session.as_ref())?;
    Ok(Some(tokens))
}

/// The error for a login that we may not run: what happened and the command that fixes it.
fn need_login(settings: &Settings, why: &str, argv: &[OsString]) -> anyhow::Error {
    anyhow!(
        "a browser login to {} is needed ({why}), but kubectl ran this plugin non-interactively, so no browser was opened; log in with:\n\n    {}\n",
        settings.issuer,
        login_command(argv)
    )
}

/// `kubectl oidc login` with the same flags as this call, minus secrets and one-off flags.
pub fn login_command(argv: &[OsString]) -> String {
    let args: Vec<String> = argv
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let start = args
        .iter()
        .position(|a| a == "get-token")
        .map(|i| i + 1)
        .unwrap_or(args.len());
    let mut out = vec!["kubectl".to_owned(), "oidc".to_owned(), "login".to_owned()];
    let mut skip_value = false;
    for a in &args[start..] {
        if std::mem::take(&mut skip_value) {
            continue;
        }
        if a == "--force-refresh" {
            continue;
        }
        if a == "--oidc-client-secret" {
            skip_value = true;
            out.push("--oidc-client-secret=<your client secret>".to_owned());
            continue;
        }
        if a.starts_with("--oidc-client-secret=") {
            out.push("--oidc-client-secret=<your client secret>".to_owned());
            continue;
        }
        out.push(shell_quote(a));
    }
    out.join(" ")
}

/// Quote for a POSIX shell only when needed, so the printed command reads like the kubeconfig.
fn shell_quote(s: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_command_keeps_flags_and_drops_secrets() {
        let argv: Vec<OsString> = [
            "/usr/bin/kubectl-oidc",
            "get-token",
            "--oidc-issuer-url=https://idp",
            "--oidc-client-id",
            "kube",
            "--oidc-client-secret",
            "s3cret",
            "--oidc-client-secret=s3cret2",
            "--force-refresh",
            "--browser-command=open -a Firefox",
        ]
        .iter()
        .map(OsString::from)
        .collect();
        let cmd = login_command(&argv);
        assert!(!cmd.contains("s3cret"), "{cmd}");
        assert_eq!(
            cmd,
            "kubectl oidc login --oidc-issuer-url=https://idp --oidc-client-id kube \
             --oidc-client-secret=<your client secret> --oidc-client-secret=<your client secret> \
             '--browser-command=open -a Firefox'"
        );
    }
}
