//! Discovery, the authorization URL, and the user's token requests: code, password and
//! refresh, through the one request path (`endpoint.rs`), checked in `verify.rs`.
//!
//! The discovery document and the JWKS are kept with the cache entry ([`ProviderState`]), so
//! a refresh makes exactly one request (the token endpoint) unless the new id_token is signed
//! with a key id we have not seen, in which case the JWKS is fetched once more.

use anyhow::Context as _;
use openidconnect::core::{
    CoreAuthDisplay, CoreClaimName, CoreClaimType, CoreClient, CoreClientAuthMethod, CoreGrantType,
    CoreJsonWebKey, CoreJsonWebKeySet, CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm, CoreResponseMode, CoreResponseType, CoreSubjectIdentifierType,
    CoreTokenResponse,
};
use openidconnect::{
    AdditionalProviderMetadata, ClientId, ClientSecret, IssuerUrl, Nonce, OAuth2TokenResponse as _,
    ProviderMetadata, RedirectUrl, TokenResponse as _,
};
use serde::{Deserialize, Serialize};

use super::endpoint;
pub use super::endpoint::ClientConfig;
use super::http::HttpClient;
use super::messages::{discovery_hint, refresh_token_in};
use crate::error::{Endpoint, Error, Failure, Kind, ProviderError};
use crate::secret::Secret;

/// Provider metadata we need beyond the core set: PKCE support (RFC 8414), token revocation
/// (RFC 7009) and RP-initiated logout.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExtraMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_challenge_methods_supported: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation_endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_session_endpoint: Option<String>,
    /// RFC 8628.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_authorization_endpoint: Option<String>,
}
impl AdditionalProviderMetadata for ExtraMetadata {}

pub type Metadata = ProviderMetadata<
    ExtraMetadata,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// What we keep of the provider between runs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProviderState {
    pub metadata: Metadata,
    pub jwks: CoreJsonWebKeySet,
}

/// What one authorization request asks for.
pub struct AuthRequest<'a> {
    pub redirect: &'a str,
    pub scopes: &'a [String],
    pub extra_params: &'a [(String, String)],
    pub pkce_challenge: Option<openidconnect::PkceCodeChallenge>,
    pub state: &'a Secret<String>,
    pub nonce: &'a Secret<String>,
}

/// A verified token response.
#[derive(Debug)]
pub struct Tokens {
    /// The token kubectl gets: the id_token, or with `use_access_token` the access token (or
    /// an exchanged token), verified either way.
    pub id_token: Secret<String>,
    pub refresh_token: Option<Secret<String>>,
}

/// How a refresh failed.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    /// `invalid_grant`: the refresh token expired or was revoked; only a login helps.
    #[error("the provider refused the refresh token: {0}")]
    Rejected(String),
    /// Anything else (unreachable, failing, another OAuth error), classified by its [`Kind`];
    /// a login would not help.
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
    /// The provider answered with a new refresh token, but the rest of the answer is unusable
    /// (no id_token, or one that fails verification). The provider may already have spent
    /// the old refresh token, so the new one must be kept.
    #[error("{error}")]
    Unusable {
        error: anyhow::Error,
        refresh_token: Secret<String>,
    },
    /// The answer is a valid token response without an id_token (some providers refresh
    /// only the access token); the refresh token to keep, new or old.
    #[error("the provider's refresh answer carries no id_token")]
    NoIdToken { refresh_token: Secret<String> },
}

pub fn discover(config: &ClientConfig, http: &HttpClient) -> anyhow::Result<ProviderState> {
    let issuer = IssuerUrl::new(config.issuer.clone()).map_err(|e| {
        Error::new(
            Kind::Usage,
            format!("the issuer {:?} is not a URL: {e}", config.issuer),
        )
    })?;
    let document = issuer
        .join(".well-known/openid-configuration")
        .map_err(|e| Error::new(Kind::Usage, format!("the issuer {:?}: {e}", config.issuer)))?;
    crate::ui::trace(1, || format!("discovery: {document}"));
    // A failure says what was being done, with the fix when the issuer URL is it (advice
    // attached, the provider's error kept whole).
    let failed = |e: ProviderError, named: Option<&str>| -> anyhow::Error {
        let hint = discovery_hint(&config.issuer, &e, named);
        let e = e.about(|_| format!("OpenID discovery failed for issuer {}", config.issuer));
        match hint {
            Some(hint) => Error::hint(e.into(), hint),
            None => e.into(),
        }
    };
    let metadata: Metadata = endpoint::get(
        http,
        Endpoint::Discovery,
        document.as_str(),
        "an OpenID discovery document",
    )
    .map_err(|e| failed(e, None))?;
    if metadata.issuer() != &issuer {
        let theirs = metadata.issuer().as_str();
        let e = ProviderError::new(
            Endpoint::Discovery,
            Failure::Verification,
            format!("the document at {document} names the issuer {theirs:?}"),
        );
        return Err(failed(e, Some(theirs)));
    }
    let jwks: CoreJsonWebKeySet = endpoint::get(
        http,
        Endpoint::Jwks,
        metadata.jwks_uri().as_str(),
        "a JSON Web Key Set",
    )
    .map_err(|e| failed(e, None))?;
    let state = ProviderState {
        metadata: metadata.set_jwks(jwks.clone()),
        jwks,
    };
    state.check_transport(config)?;
    Ok(state)
}

impl ProviderState {
    /// Every endpoint the discovery document names is held to the issuer's rule (https, or
    /// plain http on loopback only, unless `--insecure-skip-tls-verify`): the code, the PKCE
    /// verifier, the client secret and the refresh token go to them. Checked after each
    /// discovery and before a refresh with the cached document.
    pub fn check_transport(&self, config: &ClientConfig) -> anyhow::Result<()> {
        let m = &self.metadata;
        let extra = m.additional_metadata();
        let endpoints = [
            (
                "authorization_endpoint",
                Some(m.authorization_endpoint().as_str()),
            ),
            ("token_endpoint", m.token_endpoint().map(|u| u.as_str())),
            ("jwks_uri", Some(m.jwks_uri().as_str())),
            (
                "userinfo_endpoint",
                m.userinfo_endpoint().map(|u| u.as_str()),
            ),
            (
                "device_authorization_endpoint",
                extra.device_authorization_endpoint.as_deref(),
            ),
            ("revocation_endpoint", extra.revocation_endpoint.as_deref()),
            (
                "end_session_endpoint",
                extra.end_session_endpoint.as_deref(),
            ),
        ];
        for (name, url) in endpoints {
            let Some(url) = url else { continue };
            super::transport::check(
                &format!("the {name} {url} that {} advertises", config.issuer),
                url,
                config.insecure,
            )
            .map_err(|e| Error::new(Kind::Config, e))?;
        }
        Ok(())
    }

    pub fn supports_pkce_s256(&self) -> bool {
        self.metadata
            .additional_metadata()
            .code_challenge_methods_supported
            .as_ref()
            .is_some_and(|m| m.iter().any(|m| m == "S256"))
    }

    pub(super) fn client(
        &self,
        config: &ClientConfig,
        redirect: Option<&str>,
    ) -> anyhow::Result<
        CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
    > {
        let metadata = self.metadata.clone().set_jwks(self.jwks.clone());
        let mut client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(config.client_id.clone()),
            config
                .client_secret
                .as_ref()
                .map(|s| ClientSecret::new(s.expose().clone())),
        );
        if let Some(uri) = redirect {
            client = client.set_redirect_uri(
                RedirectUrl::new(uri.to_owned()).context("invalid redirect URL")?,
            );
        }
        Ok(client)
    }

    /// The authorization URL for a login attempt.
    pub fn authorize_url(
        &self,
        config: &ClientConfig,
        auth: AuthRequest<'_>,
    ) -> anyhow::Result<url::Url> {
        let client = self.client(config, Some(auth.redirect))?;
        let (state, nonce) = (auth.state.expose().clone(), auth.nonce.expose().clone());
        let mut request = client.authorize_url(
            openidconnect::AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            move || openidconnect::CsrfToken::new(state),
            move || Nonce::new(nonce),
        );
        // openidconnect adds `openid` itself.
        for scope in auth.scopes.iter().filter(|s| *s != "openid") {
            request = request.add_scope(openidconnect::Scope::new(scope.clone()));
        }
        for (k, v) in auth.extra_params {
            request = request.add_extra_param(k.clone(), v.clone());
        }
        if let Some(challenge) = auth.pkce_challenge {
            request = request.set_pkce_challenge(challenge);
        }
        Ok(request.url().0)
    }

    /// The token endpoint, which every grant but the implicit one needs.
    pub(super) fn token_endpoint(&self, config: &ClientConfig) -> Result<String, ProviderError> {
        self.metadata
            .token_endpoint()
            .map(|u| u.to_string())
            .ok_or_else(|| {
                ProviderError::new(
                    Endpoint::Token,
                    Failure::Unsupported,
                    format!(
                        "the discovery document of {} has no token_endpoint",
                        config.issuer
                    ),
                )
            })
    }

    /// A token request with this grant's `form` (the one path every grant takes), its answer
    /// parsed as a token response.
    pub(super) fn token_request(
        &self,
        config: &ClientConfig,
        http: &HttpClient,
        form: &[(&str, &str)],
    ) -> Result<CoreTokenResponse, ProviderError> {
        let answer = endpoint::post(
            config,
            http,
            Endpoint::Token,
            &self.token_endpoint(config)?,
            form,
        )?;
        endpoint::token_response(&answer)
    }

    /// Exchange an authorization code and verify the id_token (signature, iss, aud, exp, nonce).
    pub fn exchange_code(
        &mut self,
        config: &ClientConfig,
        http: &HttpClient,
        redirect: &str,
        code: Secret<String>,
        verifier: Option<Secret<String>>,
        nonce: &Secret<String>,
    ) -> anyhow::Result<Tokens> {
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code.expose().as_str()),
            ("redirect_uri", redirect),
        ];
        if let Some(v) = &verifier {
            form.push(("code_verifier", v.expose()));
        }
        let response = self.token_request(config, http, &form).map_err(|e| {
            e.about(|verb| {
                format!(
                    "the token endpoint of {} {verb} the authorization code",
                    config.issuer
                )
            })
        })?;
        let nonce = Nonce::new(nonce.expose().clone());
        self.verify(config, http, &response, None, Some(&nonce))
    }

    /// The resource owner password grant (RFC 6749 §4.3); the id_token is verified as any
    /// other (there is no nonce in this grant).
    pub fn exchange_password(
        &mut self,
        config: &ClientConfig,
        http: &HttpClient,
        username: &str,
        password: &Secret<String>,
        scopes: &[String],
    ) -> anyhow::Result<Tokens> {
        let scope = scopes.join(" ");
        let mut form = vec![
            ("grant_type", "password"),
            ("username", username),
            ("password", password.expose().as_str()),
        ];
        if !scope.is_empty() {
            form.push(("scope", &scope));
        }
        let response = self.token_request(config, http, &form).map_err(|e| {
            e.about(|verb| {
                format!(
                    "the token endpoint of {} {verb} the password login of {username}",
                    config.issuer
                )
            })
        })?;
        self.verify(config, http, &response, None, None)
    }

    /// Use a refresh token. The old refresh token is kept when the response carries none.
    pub fn refresh(
        &mut self,
        config: &ClientConfig,
        http: &HttpClient,
        refresh_token: &Secret<String>,
    ) -> Result<Tokens, RefreshError> {
        let failed = |e: ProviderError| {
            anyhow::Error::from(
                e.about(|_| format!("refreshing the token at {} failed", config.issuer)),
            )
        };
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.expose().as_str()),
        ];
        let answer = endpoint::post(
            config,
            http,
            Endpoint::Token,
            &self.token_endpoint(config).map_err(failed)?,
            &form,
        )
        .map_err(|e| match e.oauth_error() {
            Some("invalid_grant") => RefreshError::Rejected(e.detail().to_owned()),
            _ => RefreshError::Failed(failed(e)),
        })?;
        // An answer that did not parse (a malformed id_token, say) may still carry the new
        // refresh token.
        let response = endpoint::token_response(&answer).map_err(|e| {
            match refresh_token_in(&answer.body) {
                Some(refresh_token) => RefreshError::Unusable {
                    error: failed(e),
                    refresh_token,
                },
                None => RefreshError::Failed(failed(e)),
            }
        })?;
        if response.id_token().is_none() && !config.use_access_token {
            return Err(RefreshError::NoIdToken {
                refresh_token: response.refresh_token().map_or_else(
                    || refresh_token.clone(),
                    |t| Secret::new(t.secret().clone()),
                ),
            });
        }
        self.verify(config, http, &response, Some(refresh_token), None)
            .map_err(|error| match response.refresh_token() {
                Some(rt) => RefreshError::Unusable {
                    error,
                    refresh_token: Secret::new(rt.secret().clone()),
                },
                None => RefreshError::Failed(error),
            })
    }
}
