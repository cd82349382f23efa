//! The grants for machines, which need nobody at a keyboard: client credentials (the client's
//! own token) and token exchange (RFC 8693: a CI job's token for ours).

use crate::error::{Error, Kind};
use crate::oidc::grants::Exchange;
use crate::oidc::http::HttpClient;
use crate::oidc::provider::{ClientConfig, ProviderState, Tokens};
use crate::settings::Settings;

pub fn client_credentials(
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

pub fn token_exchange(
    settings: &Settings,
    provider: &mut ProviderState,
    config: &ClientConfig,
    http: &HttpClient,
) -> anyhow::Result<Tokens> {
    let subject = settings
        .subject_token
        .as_ref()
        .ok_or_else(|| Error::new(Kind::Internal, "token exchange without a subject token"))?;
    provider.exchange_token(
        config,
        http,
        &Exchange {
            subject_token: subject,
            subject_token_type: &settings.subject_token_type,
            requested_token_type: &settings.requested_token_type,
            scopes: &settings.entry.scopes,
            params: &settings.entry.extra_params,
        },
    )
}
