//! The device authorization grant (RFC 8628): ask for a user code, then poll the token
//! endpoint until the user has approved it elsewhere; with PKCE (the challenge with the
//! device authorization request, the verifier with each poll) where the provider takes it.
//! The id_token is verified as any other.

use std::time::{Duration, Instant};

use openidconnect::core::CoreDeviceAuthorizationResponse;

use super::endpoint;
use super::http::HttpClient;
use super::provider::{ClientConfig, ProviderState, Tokens};
use crate::error::{Endpoint, Error, Failure, Kind, ProviderError};

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

    /// Ask for a user code (RFC 8628 §3.1).
    pub fn start_device(
        &self,
        config: &ClientConfig,
        http: &HttpClient,
        scopes: &[String],
        pkce: Option<openidconnect::PkceCodeChallenge>,
    ) -> anyhow::Result<DeviceAuthorization> {
        let url = self.device_endpoint().ok_or_else(|| {
            ProviderError::new(
                Endpoint::DeviceAuthorization,
                Failure::Unsupported,
                format!(
                    "{} advertises no device_authorization_endpoint",
                    config.issuer
                ),
            )
        })?;
        let scope = endpoint::scope(scopes, true);
        let mut form = vec![("scope", scope.as_str())];
        let method;
        if let Some(challenge) = &pkce {
            method = challenge.method().as_str().to_owned();
            form.push(("code_challenge", challenge.as_str()));
            form.push(("code_challenge_method", &method));
        }
        let response: CoreDeviceAuthorizationResponse =
            endpoint::post(config, http, Endpoint::DeviceAuthorization, url, &form)
                .and_then(|answer| {
                    endpoint::parse(
                        Endpoint::DeviceAuthorization,
                        &answer,
                        "a device authorization answer",
                    )
                })
                .map_err(|e| {
                    e.about(|verb| {
                        format!(
                            "the device authorization endpoint of {} {verb} the request",
                            config.issuer
                        )
                    })
                })?;
        check_verification_uris(config, &response)?;
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
        let url = self.token_endpoint(config)?;
        let mut form = vec![
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            (
                "device_code",
                device.response.device_code().secret().as_str(),
            ),
        ];
        if let Some(v) = &verifier {
            form.push(("code_verifier", v.expose()));
        }
        let deadline = Instant::now() + timeout;
        let mut interval = device.response.interval();
        let response = loop {
            if Instant::now() > deadline {
                return Err(not_approved(device, timeout));
            }
            match endpoint::post(config, http, Endpoint::Token, &url, &form) {
                Ok(answer) => break endpoint::token_response(&answer),
                Err(e) => match e.oauth_error() {
                    Some("authorization_pending") => {}
                    Some("slow_down") => interval += Duration::from_secs(5),
                    Some("access_denied") => {
                        return Err(e
                            .about(|_| format!("the login at {} was denied", config.issuer))
                            .into());
                    }
                    // RFC 8628 §3.5: a connection timeout asks for a backoff (at most 10 s).
                    None if matches!(e.failure, Failure::Timeout | Failure::Unreachable) => {
                        interval = (interval * 2).min(Duration::from_secs(10)).max(interval);
                    }
                    _ => break Err(e),
                },
            }
            sleep(interval);
        }
        .map_err(|e| {
            e.about(|verb| {
                format!(
                    "the token endpoint of {} {verb} the device login",
                    config.issuer
                )
            })
        })?;
        self.verify(config, http, &response, None, None)
    }
}

/// The user did not approve the code before it (or our patience) expired: a login is needed.
fn not_approved(device: &DeviceAuthorization, timeout: Duration) -> anyhow::Error {
    Error::new(
        Kind::LoginNeeded,
        format!(
            "the code {} was not approved in time ({}s)",
            device.user_code,
            timeout.as_secs()
        ),
    )
}

/// The user's browser goes to the verification URIs: held to the issuer's rule, as every
/// endpoint is.
fn check_verification_uris(
    config: &ClientConfig,
    response: &CoreDeviceAuthorizationResponse,
) -> anyhow::Result<()> {
    let complete = response.verification_uri_complete().map(|u| u.secret());
    for uri in
        std::iter::once(response.verification_uri().as_str()).chain(complete.map(String::as_str))
    {
        super::transport::check(
            &format!("the verification URI {uri:?} that {} sent", config.issuer),
            uri,
            config.insecure,
        )
        .map_err(|e| ProviderError::new(Endpoint::DeviceAuthorization, Failure::Verification, e))?;
    }
    Ok(())
}
