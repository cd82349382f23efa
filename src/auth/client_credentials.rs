//! The client credentials grant (`--grant-type=client-credentials`), for CI: the client's own
//! token, with nobody at a keyboard.

use crate::oidc::http::HttpClient;
use crate::oidc::provider::{ClientConfig, ProviderState, Tokens};
use crate::settings::Settings;

pub fn login(
    settings: &Settings,
    provider: &mut ProviderState,
    config: &ClientConfig,
    http: &HttpClient,
) -> anyhow::Result<Tokens> {
    provider.exchange_client_credentials(
        config,
        http,
        &settings.entry.scopes,
        &settings.entry.extra_params,
    )
}
