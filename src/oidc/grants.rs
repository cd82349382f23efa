//! The grants for machines: client credentials (RFC 6749 §4.4) and token exchange (RFC 8693),
//! which usually answer with a JWT access token instead of an id_token (checked in
//! `verify.rs`, as `--oidc-use-access-token` asks).

use openidconnect::TokenResponse as _;

use super::endpoint;
use super::http::HttpClient;
use super::messages::body_excerpt;
use super::provider::{ClientConfig, ProviderState, Tokens};
use crate::error::{Endpoint, Error, Failure, Kind, ProviderError};
use crate::secret::Secret;

/// What an RFC 8693 exchange asks for.
pub struct Exchange<'a> {
    pub subject_token: &'a Secret<String>,
    pub subject_token_type: &'a str,
    pub requested_token_type: &'a str,
    /// Scopes (without `openid`, which an exchange does not need) and extra parameters such
    /// as `audience`.
    pub scopes: &'a [String],
    pub params: &'a [(String, String)],
}

/// The answer of a token exchange (RFC 8693 §2.2.1): the issued token is in `access_token`
/// whatever its type.
#[derive(serde::Deserialize)]
struct ExchangeAnswer {
    access_token: Option<String>,
    issued_token_type: Option<String>,
    id_token: Option<String>,
}

impl ProviderState {
    /// The client credentials grant: the client's own token, for CI. Scopes and the extra
    /// parameters go to the token endpoint, as kubelogin sends them.
    pub fn exchange_client_credentials(
        &mut self,
        config: &ClientConfig,
        http: &HttpClient,
        scopes: &[String],
        params: &[(String, String)],
    ) -> anyhow::Result<Tokens> {
        if config.client_secret.is_none() {
            return Err(Error::new(
                Kind::Usage,
                format!(
                    "the client credentials grant needs the client secret of {} at {}",
                    config.client_id, config.issuer
                ),
            ));
        }
        let scope = endpoint::scope(scopes, false);
        let mut form = vec![("grant_type", "client_credentials")];
        if !scope.is_empty() {
            form.push(("scope", &scope));
        }
        form.extend(params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let response = self.token_request(config, http, &form).map_err(|e| {
            e.about(|verb| {
                format!(
                    "the token endpoint of {} {verb} the client credentials of {}",
                    config.issuer, config.client_id
                )
            })
        })?;
        match (config.use_access_token, response.id_token()) {
            (false, None) => Err(Error::new(
                Kind::Config,
                format!(
                    "{} answered the client credentials grant with an access token only (no id_token); \
                     if the cluster accepts the provider's access tokens, add --oidc-use-access-token",
                    config.issuer
                ),
            )),
            _ => self.verify(config, http, &response, None, None),
        }
    }

    /// Token exchange (RFC 8693): trade the subject token for one the cluster accepts. The
    /// issued token is checked as a JWT of this issuer (signature, `iss`, `exp`) before it is
    /// kept; its audience is the one the exchange asked for, not necessarily our client.
    pub fn exchange_token(
        &mut self,
        config: &ClientConfig,
        http: &HttpClient,
        exchange: &Exchange<'_>,
    ) -> anyhow::Result<Tokens> {
        let scope = endpoint::scope(exchange.scopes, false);
        let mut form: Vec<(&str, &str)> = vec![
            (
                "grant_type",
                "urn:ietf:params:oauth:grant-type:token-exchange",
            ),
            ("subject_token", exchange.subject_token.expose()),
            ("subject_token_type", exchange.subject_token_type),
            ("requested_token_type", exchange.requested_token_type),
        ];
        if !scope.is_empty() {
            form.push(("scope", &scope));
        }
        form.extend(
            exchange
                .params
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str())),
        );
        let url = self.token_endpoint(config)?;
        let answered = |e: ProviderError| {
            e.about(|verb| {
                format!(
                    "the token endpoint of {} {verb} the token exchange",
                    config.issuer
                )
            })
        };
        let answer =
            endpoint::post(config, http, Endpoint::Token, &url, &form).map_err(answered)?;
        let parsed = endpoint::parse(Endpoint::Token, &answer, "a token exchange answer");
        let Some(token) = exchanged_token(config, parsed.map_err(answered)?)? else {
            let excerpt = body_excerpt(&answer.body);
            let no_token = format!("an answer with no token: {excerpt}");
            return Err(answered(ProviderError::new(
                Endpoint::Token,
                Failure::InvalidResponse,
                no_token,
            ))
            .into());
        };
        let token = Secret::new(token);
        self.verify_jwt(config, http, &token, "the exchanged token")?;
        Ok(Tokens {
            id_token: token,
            refresh_token: None,
        })
    }
}

/// The token in a token exchange's answer: the id_token, or the access token when it was
/// issued as one (or `--oidc-use-access-token`); `None` when it carries neither.
fn exchanged_token(config: &ClientConfig, a: ExchangeAnswer) -> anyhow::Result<Option<String>> {
    let issued_id_token =
        a.issued_token_type.as_deref() == Some("urn:ietf:params:oauth:token-type:id_token");
    match (a.id_token, a.access_token) {
        (_, Some(t)) if issued_id_token || config.use_access_token => Ok(Some(t)),
        (Some(t), _) => Ok(Some(t)),
        (None, Some(_)) => Err(Error::new(
            Kind::Config,
            format!(
                "{} issued a token of type {} where an id_token was asked for; if the cluster \
                 accepts it, add --oidc-use-access-token",
                config.issuer,
                a.issued_token_type.as_deref().unwrap_or("(none given)")
            ),
        )),
        (None, None) => Ok(None),
    }
}
