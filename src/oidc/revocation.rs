//! Ending a session at the provider: token revocation (RFC 7009) and the RP-initiated logout
//! URL.

use super::http::HttpClient;
use super::provider::{ClientConfig, ProviderState};
use crate::error::Endpoint;
use crate::secret::Secret;

impl ProviderState {
    /// Revoke a refresh token (RFC 7009); `Ok(None)` when the provider has no revocation
    /// endpoint, `Ok(Some(endpoint))` when it accepted the revocation.
    pub fn revoke(
        &self,
        config: &ClientConfig,
        http: &HttpClient,
        refresh_token: &Secret<String>,
    ) -> anyhow::Result<Option<String>> {
        let Some(endpoint) = self
            .metadata
            .additional_metadata()
            .revocation_endpoint
            .clone()
        else {
            return Ok(None);
        };
        let form = [
            ("token", refresh_token.expose().as_str()),
            ("token_type_hint", "refresh_token"),
        ];
        super::endpoint::post(config, http, Endpoint::Revocation, &endpoint, &form)
            .map_err(|e| e.about(|_| format!("POST {endpoint}")))?;
        Ok(Some(endpoint))
    }

    /// The provider's end_session_endpoint (RP-initiated logout), with our client id and
    /// nothing secret (no id_token_hint: the URL goes to a browser's argv).
    pub fn end_session_url(&self, config: &ClientConfig) -> Option<url::Url> {
        let endpoint = self
            .metadata
            .additional_metadata()
            .end_session_endpoint
            .as_deref()?;
        let mut url = url::Url::parse(endpoint).ok()?;
        url.query_pairs_mut()
            .append_pair("client_id", &config.client_id);
        Some(url)
    }
}
