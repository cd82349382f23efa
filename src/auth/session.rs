//! What a refresh and a login share below `auth::obtain`: the client's configuration, the
//! entry's lock, and the session kept beside the id_token.

use crate::cache::{Entry, Session};
use crate::error::{Error, Kind};
use crate::oidc::provider::{ClientConfig, ProviderState};
use crate::secret::Secret;
use crate::settings::Settings;

use super::messages;

/// The entry's lock for a refresh, for storing a login, or for a logout: held for a few
/// requests at most.
pub fn lock_entry(
    settings: &Settings,
    entry: &Entry<'_>,
) -> anyhow::Result<Option<crate::cache::file::Lock>> {
    entry.lock(settings.http_timeout * 3, |pid, path| {
        messages::waiting(pid, path, "refreshing", &settings.entry.issuer)
    })
}

pub(super) fn client_config(settings: &Settings) -> anyhow::Result<ClientConfig> {
    Ok(ClientConfig {
        issuer: settings.entry.issuer.clone(),
        client_id: settings.entry.client_id.clone(),
        client_secret: settings.client_secret()?,
        use_access_token: settings.entry.use_access_token,
        insecure: settings.tls.insecure_skip_verify,
    })
}

pub(super) fn session_of(
    refresh_token: Option<Secret<String>>,
    provider: &ProviderState,
) -> anyhow::Result<Session> {
    Ok(Session {
        refresh_token,
        provider: Some(serde_json::to_value(provider).map_err(|e| {
            Error::new(
                Kind::Internal,
                format!("serializing the provider metadata: {e}"),
            )
        })?),
    })
}
