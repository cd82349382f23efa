//! Token exchange (`--grant-type=token-exchange`, RFC 8693), for CI and workloads: a token from
//! elsewhere (a CI job's) traded for one the cluster accepts, with nobody at a keyboard.

use crate::error::{Error, Kind};
use crate::oidc::grants::Exchange;
use crate::oidc::http::HttpClient;
use crate::oidc::provider::{ClientConfig, ProviderState, Tokens};
use crate::settings::Settings;

pub fn login(
    settings: &Settings,
    provider: &mut ProviderState,
    config: &ClientConfig,
    http: &HttpClient,
) -> anyhow::Result<Tokens> {
    let exchange = settings
        .exchange
        .as_ref()
        .ok_or_else(|| Error::new(Kind::Internal, "token exchange without a subject token"))?;
    provider.exchange_token(
        config,
        http,
        &Exchange {
            subject_token: &exchange.subject_token,
            subject_token_type: &exchange.subject_token_type,
            requested_token_type: &exchange.requested_token_type,
            scopes: &settings.entry.scopes,
            params: &settings.entry.extra_params,
        },
    )
}
