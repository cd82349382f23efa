//! The interactive login: authorization code + PKCE through a loopback listener (RFC 8252).
//!
//! Fresh `state` and `nonce` per attempt; state is checked on the callback, nonce on the
//! id_token, PKCE by the provider. The URL is always printed on stderr (headless hosts, a
//! browser that did not open), then the browser is opened unless told not to.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use base64::Engine as _;
use openidconnect::PkceCodeChallenge;

use super::browser::Opener;
use super::http::HttpClient;
use super::loopback;
use super::provider::{AuthRequest, ClientConfig, ProviderState, Tokens};
use crate::token::secret::Secret;
use crate::ui;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PkceMethod {
    /// S256 when the provider advertises it in code_challenge_methods_supported.
    Auto,
    #[value(name = "S256")]
    S256,
    No,
}

pub struct LoginOptions<'a> {
    pub scopes: &'a [String],
    pub extra_params: &'a [(String, String)],
    pub pkce: PkceMethod,
    pub listen: &'a [SocketAddr],
    pub redirect_url: Option<&'a url::Url>,
    pub opener: &'a Opener,
    pub timeout: Duration,
}

fn random_token() -> anyhow::Result<Secret<String>> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness available: {e}"))?;
    Ok(Secret::new(
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
    ))
}

pub fn login(
    provider: &mut ProviderState,
    config: &ClientConfig,
    http: &HttpClient,
    options: &LoginOptions<'_>,
) -> anyhow::Result<Tokens> {
    let listener = loopback::bind(options.listen, |addr, e| {
        ui::warn(&format!(
            "cannot listen on {addr} ({e}); trying the next --listen-address"
        ))
    })?;
    let (redirect, path) = match options.redirect_url {
        Some(u) => (u.to_string(), u.path().to_owned()),
        None => {
            let host = match listener.addr {
                SocketAddr::V4(a) => a.ip().to_string(),
                SocketAddr::V6(a) => format!("[{}]", a.ip()),
            };
            (
                format!("http://{host}:{}/callback", listener.addr.port()),
                "/callback".to_owned(),
            )
        }
    };
    let (state, nonce) = (random_token()?, random_token()?);
    let use_pkce = match options.pkce {
        PkceMethod::S256 => true,
        PkceMethod::No => false,
        PkceMethod::Auto => provider.supports_pkce_s256(),
    };
    let (challenge, verifier) = if use_pkce {
        let (c, v) = PkceCodeChallenge::new_random_sha256();
        (Some(c), Some(Secret::new(v.secret().clone())))
    } else {
        (None, None)
    };
    let url = provider.authorize_url(
        config,
        AuthRequest {
            redirect: &redirect,
            scopes: options.scopes,
            extra_params: options.extra_params,
            pkce_challenge: challenge,
            state: &state,
            nonce: &nonce,
        },
    )?;
    ui::info(&format!(
        "Log in to {} in your browser:\n\n    {url}\n",
        config.issuer
    ));
    if let Err(e) = options.opener.open(url.as_str()) {
        ui::warn(&format!("{e:#}; open the URL above yourself"));
    }
    ui::info(&format!(
        "Waiting up to {}s for the login to finish (callback on {redirect})",
        options.timeout.as_secs()
    ));
    let deadline = Instant::now() + options.timeout;
    let code = listener.wait(
        &path,
        &state,
        &config.issuer,
        deadline,
        options.timeout.as_secs(),
    )?;
    drop(listener);
    provider
        .exchange_code(config, http, &redirect, code, verifier, &nonce)
        .context("login failed")
}
