//! The device authorization grant (RFC 8628): ask for a user code, then poll the token
//! endpoint until the user has approved it elsewhere; with PKCE (the challenge with the
//! device authorization request, the verifier with each poll) where the provider takes it.
//! The id_token is verified as any other.

use std::time::Duration;

use anyhow::Context as _;
use openidconnect::core::CoreDeviceAuthorizationResponse;
use openidconnect::{DeviceAuthorizationUrl, DeviceCodeErrorResponseType, RequestTokenError};

use super::http::HttpClient;
use super::messages::{token_error, token_error_kind};
use super::provider::{ClientConfig, ProviderState, Tokens};
use crate::error::{Error, Kind};

/// What the user is asked to do, and what is polled for.
pub struct DeviceAuthorization {
    pub user_code: String,
    pub verification_uri: String,
    /// The URI with the code in it, when the provider gives one (opened in a browser).
    pub verification_uri_complete: Option<String>,
    /// How long the code lives.
    pub expires_in: Duration,
    response: CoreDeviceAuthorizationResponse,
}

impl ProviderState {
    /// The device authorization endpoint, when the provider advertises one.
    pub fn device_endpoint(&self) -> Option<&str> {
        self.metadata
            .additional_metadata()
            .device_authorization_endpoint
            .as_deref()
    }

    fn device_url(&self) -> anyhow::Result<DeviceAuthorizationUrl> {
        let endpoint = self
            .device_endpoint()
            .context("the provider advertises no device_authorization_endpoint")?;
        DeviceAuthorizationUrl::new(endpoint.to_owned())
            .with_context(|| format!("device_authorization_endpoint {endpoint:?} is not a URL"))
    }

    /// Ask for a user code (RFC 8628 §3.1).
    pub fn start_device(
        &self,
        config: &ClientConfig,
        http: &HttpClient,
        scopes: &[String],
        pkce: Option<openidconnect::PkceCodeChallenge>,
    ) -> anyhow::Result<DeviceAuthorization> {
        let client = self
            .client(config, None)?
            .set_device_authorization_url(self.device_url()?);
        let mut request = client.exchange_device_code();
        for scope in scopes.iter().filter(|s| *s != "openid") {
            request = request.add_scope(openidconnect::Scope::new(scope.clone()));
        }
        if let Some(challenge) = pkce {
            request = request
                .add_extra_param("code_challenge", challenge.as_str().to_owned())
                .add_extra_param(
                    "code_challenge_method",
                    challenge.method().as_str().to_owned(),
                );
        }
        let response: CoreDeviceAuthorizationResponse = request.request(http).map_err(|e| {
            Error::new(
                token_error_kind(&e),
                format!(
                    "the device authorization endpoint of {} refused the request: {}",
                    config.issuer,
                    token_error(&e)
                ),
            )
        })?;
        // The user's browser goes there: held to the issuer's rule, as every endpoint is.
        let complete = response.verification_uri_complete().map(|u| u.secret());
        for uri in std::iter::once(response.verification_uri().as_str())
            .chain(complete.map(String::as_str))
        {
            super::transport::check(
                &format!("the verification URI {uri:?} that {} sent", config.issuer),
                uri,
                config.insecure,
            )
            .map_err(|e| Error::new(Kind::ProviderRefused, e))?;
        }
        Ok(DeviceAuthorization {
            // Shown at the terminal: provider text, on one line.
            user_code: crate::text::one_line(response.user_code().secret()),
            verification_uri: crate::text::one_line(response.verification_uri()),
            verification_uri_complete: response
                .verification_uri_complete()
                .map(|u| u.secret().clone()),
            expires_in: response.expires_in(),
            response,
        })
    }

    /// Poll the token endpoint at the provider's interval (RFC 8628 §3.4: 5 s when it gives
    /// none; 5 s more on each `slow_down`), sleeping with `sleep`, for at most `timeout`.
    pub fn finish_device(
        &mut self,
        config: &ClientConfig,
        http: &HttpClient,
        device: &DeviceAuthorization,
        verifier: Option<crate::secret::Secret<String>>,
        sleep: impl Fn(Duration),
        timeout: Duration,
    ) -> anyhow::Result<Tokens> {
        let client = self
            .client(config, None)?
            .set_device_authorization_url(self.device_url()?);
        let mut request = client
            .exchange_device_access_token(&device.response)
            .context("the provider's discovery document has no token_endpoint")?;
        if let Some(v) = verifier {
            request = request.add_extra_param("code_verifier", v.expose().clone());
        }
        let response = request
            .request(http, sleep, Some(timeout))
            .map_err(|e| match &e {
                RequestTokenError::ServerResponse(r)
                    if *r.error() == DeviceCodeErrorResponseType::ExpiredToken =>
                {
                    Error::new(
                        Kind::LoginNeeded,
                        format!(
                            "the code {} was not approved in time ({}s)",
                            device.user_code,
                            timeout.as_secs()
                        ),
                    )
                }
                RequestTokenError::ServerResponse(r)
                    if *r.error() == DeviceCodeErrorResponseType::AccessDenied =>
                {
                    Error::new(
                        Kind::ProviderRefused,
                        format!(
                            "the login at {} was denied: {}",
                            config.issuer,
                            token_error(&e)
                        ),
                    )
                }
                _ => Error::new(
                    token_error_kind(&e),
                    format!(
                        "the token endpoint of {} failed while waiting for the device login: {}",
                        config.issuer,
                        token_error(&e)
                    ),
                ),
            })?;
        self.verify(config, http, &response, None, None)
    }
}
