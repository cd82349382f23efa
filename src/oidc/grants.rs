//! The grants for machines: client credentials (RFC 6749 §4.4) and token exchange (RFC 8693),
//! and the check of a JWT access token (`--oidc-use-access-token`), which those grants
//! usually answer with instead of an id_token.

use jsonwebtoken::jwk::JwkSet;
use openidconnect::TokenResponse as _;
use openidconnect::core::CoreJsonWebKeySet;

use super::classify::{self, oauth_error_kind, status_kind};
use super::http::HttpClient;
use super::messages::{body_excerpt, describe_oauth_error, token_error, token_error_kind};
use super::provider::{ClientConfig, ProviderState, Tokens};
use crate::error::{Error, Kind};
use crate::secret::Secret;
use crate::token::signature::{self, Failure};

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
    error: Option<String>,
    error_description: Option<String>,
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
        let client = self.client(config, None)?;
        let mut request = client
            .exchange_client_credentials()
            .map_err(|_| no_token_endpoint(config))?;
        for scope in scopes.iter().filter(|s| *s != "openid") {
            request = request.add_scope(openidconnect::Scope::new(scope.clone()));
        }
        for (k, v) in params {
            request = request.add_extra_param(k.clone(), v.clone());
        }
        let response = request.request(http).map_err(|e| {
            Error::new(
                token_error_kind(&e),
                format!(
                    "the token endpoint of {} refused the client credentials of {}: {}",
                    config.issuer,
                    config.client_id,
                    token_error(&e)
                ),
            )
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
        let endpoint = self
            .metadata
            .token_endpoint()
            .ok_or_else(|| no_token_endpoint(config))?
            .to_string();
        let scope = exchange
            .scopes
            .iter()
            .filter(|s| *s != "openid")
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
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
        let (status, body) = post_form(config, http, &endpoint, &form)?;
        let token = exchanged_token(config, status, &body)?;
        let token = Secret::new(token);
        self.verify_jwt(config, http, &token, "the exchanged token")?;
        Ok(Tokens {
            id_token: token,
            refresh_token: None,
        })
    }

    /// A JWT the provider issued that is not an id_token (an access token, an exchanged
    /// token): its signature against the provider's keys (fetched once more for a key id we
    /// have not seen), `iss` and `exp`. The audience is the cluster's business.
    pub(super) fn verify_jwt(
        &mut self,
        config: &ClientConfig,
        http: &HttpClient,
        token: &Secret<String>,
        what: &str,
    ) -> anyhow::Result<()> {
        let check = |jwks: &CoreJsonWebKeySet| {
            let set = jwk_set(jwks).ok_or("the JWKS is not usable");
            signature::verify(token.expose(), set.as_ref().map_err(|e| *e), |v| {
                v.set_issuer(&[config.issuer.as_str()]);
                v.validate_aud = false;
                v.set_required_spec_claims(&["exp", "iss"]);
                v.leeway = 0;
            })
        };
        let mut checked = check(&self.jwks);
        if let Err(Failure::UnknownKid(_) | Failure::UnusableJwks(_)) = checked {
            self.refetch_jwks(config, http, what)?;
            checked = check(&self.jwks);
        }
        checked.map_err(|failure| {
            let why = match failure {
                Failure::NotJwt(e) => format!(
                    "it is not a JWT ({e}), so no cluster can validate it (--oidc-use-access-token \
                     needs a provider that issues JWT access tokens)"
                ),
                Failure::UnknownKid(kid) => format!(
                    "it is signed with key {kid:?}, which is not in the provider's JWKS ({})",
                    self.metadata.jwks_uri().as_str()
                ),
                Failure::UnusableJwks(e) | Failure::Invalid(e) => e,
            };
            Error::new(
                Kind::ProviderRefused,
                format!("{what} from {} is not usable: {why}", config.issuer),
            )
        })
    }
}

/// The token in a token exchange's answer: the id_token, or the access token when it was
/// issued as one (or `--oidc-use-access-token`); the provider's refusal, classified.
fn exchanged_token(config: &ClientConfig, status: u16, body: &[u8]) -> anyhow::Result<String> {
    let answer: Option<ExchangeAnswer> = serde_json::from_slice(body).ok();
    match answer {
        Some(ExchangeAnswer {
            error: Some(error),
            error_description,
            ..
        }) => {
            let kind = oauth_error_kind(&error);
            Err(Error::new(
                kind,
                format!(
                    "the token endpoint of {} {} the token exchange: {}",
                    config.issuer,
                    classify::verb(kind),
                    describe_oauth_error(&error, error_description.as_deref())
                ),
            ))
        }
        Some(a) if status == 200 => {
            let issued_id_token =
                a.issued_token_type.as_deref() == Some("urn:ietf:params:oauth:token-type:id_token");
            match (a.id_token, a.access_token) {
                (_, Some(t)) if issued_id_token || config.use_access_token => Ok(t),
                (Some(t), _) => Ok(t),
                (None, Some(_)) => Err(Error::new(
                    Kind::Config,
                    format!(
                        "{} issued a token of type {} where an id_token was asked for; if the \
                             cluster accepts it, add --oidc-use-access-token",
                        config.issuer,
                        a.issued_token_type.as_deref().unwrap_or("(none given)")
                    ),
                )),
                (None, None) => Err(unexpected(config, status, body)),
            }
        }
        _ => Err(unexpected(config, status, body)),
    }
}

fn jwk_set(jwks: &CoreJsonWebKeySet) -> Option<JwkSet> {
    serde_json::to_value(jwks)
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
}

fn no_token_endpoint(config: &ClientConfig) -> anyhow::Error {
    Error::new(
        Kind::ProviderRefused,
        format!(
            "the discovery document of {} has no token_endpoint",
            config.issuer
        ),
    )
}

/// An answer without a token: a 200 is the provider misbehaving, as is a 5xx.
fn unexpected(config: &ClientConfig, status: u16, body: &[u8]) -> anyhow::Error {
    Error::new(
        match status {
            200 => Kind::ProviderUnavailable,
            _ => status_kind(status),
        },
        format!(
            "the token endpoint of {} answered HTTP {status} with no token: {:?}",
            config.issuer,
            body_excerpt(body)
        ),
    )
}

/// POST a form to one of the provider's endpoints with the client's authentication:
/// client_secret_basic for a confidential client (RFC 6749 §2.3.1), else `client_id` in the
/// form. The status and the body.
pub(super) fn post_form(
    config: &ClientConfig,
    http: &HttpClient,
    endpoint: &str,
    form: &[(&str, &str)],
) -> anyhow::Result<(u16, Vec<u8>)> {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let mut body = url::form_urlencoded::Serializer::new(String::new());
    body.extend_pairs(form);
    let basic;
    let mut headers = vec![
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Accept", "application/json"),
    ];
    match &config.client_secret {
        Some(secret) => {
            use base64::Engine as _;
            basic = format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!(
                    "{}:{}",
                    enc(&config.client_id),
                    enc(secret.expose())
                ))
            );
            headers.push(("Authorization", basic.as_str()));
        }
        None => {
            body.append_pair("client_id", &config.client_id);
        }
    }
    http.send("POST", endpoint, &headers, body.finish().into_bytes())
        .map_err(|e| Error::wrap(Kind::ProviderUnavailable, e))
}
