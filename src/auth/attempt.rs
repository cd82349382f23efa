//! One authorization request's secrets (state, nonce, PKCE) and its URL: shared by the browser,
//! keyboard and device logins.

use base64::Engine as _;
use openidconnect::PkceCodeChallenge;

use crate::oidc::provider::{AuthRequest, ClientConfig, ProviderState};
use crate::secret::Secret;
use crate::settings::{Pkce, Settings};

/// A PKCE challenge and its verifier when the provider takes PKCE (S256 advertised in its
/// discovery document) or --oidc-pkce-method says so.
pub(super) fn pkce(
    settings: &Settings,
    provider: &ProviderState,
) -> Option<(PkceCodeChallenge, Secret<String>)> {
    let use_pkce = match settings.pkce {
        Pkce::Always => true,
        Pkce::Never => false,
        Pkce::IfAdvertised => provider.supports_pkce_s256(),
    };
    use_pkce.then(|| {
        let (c, v) = PkceCodeChallenge::new_random_sha256();
        (c, Secret::new(v.secret().clone()))
    })
}

/// One authorization request: fresh state and nonce, PKCE when the provider takes it (or
/// --oidc-pkce-method says so), and the URL that carries them.
pub(super) struct Attempt {
    pub url: url::Url,
    pub state: Secret<String>,
    pub nonce: Secret<String>,
    pub verifier: Option<Secret<String>>,
}

impl Attempt {
    pub fn new(
        settings: &Settings,
        provider: &ProviderState,
        config: &ClientConfig,
        redirect: &str,
    ) -> anyhow::Result<Self> {
        let (state, nonce) = (random_token()?, random_token()?);
        let (challenge, verifier) = pkce(settings, provider).unzip();
        let url = provider.authorize_url(
            config,
            AuthRequest {
                redirect,
                scopes: &settings.entry.scopes,
                extra_params: &settings.entry.extra_params,
                pkce_challenge: challenge,
                state: &state,
                nonce: &nonce,
            },
        )?;
        Ok(Self {
            url,
            state,
            nonce,
            verifier,
        })
    }
}

fn random_token() -> anyhow::Result<Secret<String>> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness available: {e}"))?;
    Ok(Secret::new(
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
    ))
}
