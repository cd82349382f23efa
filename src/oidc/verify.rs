//! What the provider answers is checked before anything is kept: an id_token's signature,
//! `iss`, `aud`, `exp` and nonce (openidconnect's verifier), a JWT that is not an id_token (an
//! access token, an exchanged token: jsonwebtoken against the same JWKS), and the JWKS fetched
//! once more for a key id not yet seen (the provider rotated its keys).

use jsonwebtoken::jwk::JwkSet;
use openidconnect::core::{CoreIdToken, CoreJsonWebKeySet, CoreTokenResponse};
use openidconnect::{
    ClaimsVerificationError, Nonce, OAuth2TokenResponse as _, SignatureVerificationError,
    TokenResponse as _,
};

use super::http::HttpClient;
use super::messages::verification_error;
use super::provider::{ClientConfig, ProviderState, Tokens};
use crate::error::{Endpoint, Failure, ProviderError};
use crate::secret::Secret;
use crate::token::signature;

impl ProviderState {
    pub(super) fn verify(
        &mut self,
        config: &ClientConfig,
        http: &HttpClient,
        response: &CoreTokenResponse,
        previous_refresh: Option<&Secret<String>>,
        nonce: Option<&Nonce>,
    ) -> anyhow::Result<Tokens> {
        if config.use_access_token {
            // The id_token, when one came, is still checked (nonce included).
            if response.id_token().is_some() {
                self.verify_id_token(config, http, response, nonce)?;
            }
            let access_token = Secret::new(response.access_token().secret().clone());
            self.verify_jwt(config, http, &access_token, "the access token")?;
            return Ok(Tokens {
                id_token: access_token,
                refresh_token: refresh_token_of(response, previous_refresh),
            });
        }
        let id_token = self.verify_id_token(config, http, response, nonce)?;
        Ok(Tokens {
            id_token: Secret::new(id_token),
            refresh_token: refresh_token_of(response, previous_refresh),
        })
    }

    /// Fetch the JWKS again: `what` is signed with a key we have not seen (the provider
    /// rotated its keys since the JWKS was cached).
    pub(super) fn refetch_jwks(
        &mut self,
        config: &ClientConfig,
        http: &HttpClient,
        what: &str,
    ) -> anyhow::Result<()> {
        crate::ui::trace(1, || {
            format!("jwks: {what}'s key is not cached; fetching the JWKS again")
        });
        let url = self.metadata.jwks_uri().as_str();
        self.jwks = super::endpoint::get(http, Endpoint::Jwks, url, "a JSON Web Key Set")
            .map_err(|e| e.about(|_| format!("fetching the JWKS of {}", config.issuer)))?;
        Ok(())
    }

    /// The response's id_token, verified (signature, iss, aud, exp, nonce).
    fn verify_id_token(
        &mut self,
        config: &ClientConfig,
        http: &HttpClient,
        response: &CoreTokenResponse,
        nonce: Option<&Nonce>,
    ) -> anyhow::Result<String> {
        let id_token = response.id_token().ok_or_else(|| {
            ProviderError::new(Endpoint::Token, Failure::Verification, format!(
                "the token response from {} carries no id_token; is the `openid` scope allowed for client {}?",
                config.issuer,
                config.client_id
            ))
        })?;
        match self.verify_claims(config, id_token, nonce) {
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) => {
                // The provider rotated its keys since we cached the JWKS: fetch it once more.
                self.refetch_jwks(config, http, "the id_token")?;
                self.verify_claims(config, id_token, nonce)
            }
            other => other,
        }
        .map_err(|e| {
            ProviderError::new(
                Endpoint::Token,
                Failure::Verification,
                verification_error(
                    &e,
                    &config.issuer,
                    &config.client_id,
                    self.metadata.jwks_uri().as_str(),
                    &id_token.to_string(),
                ),
            )
        })?;
        Ok(id_token.to_string())
    }

    fn verify_claims(
        &self,
        config: &ClientConfig,
        id_token: &CoreIdToken,
        nonce: Option<&Nonce>,
    ) -> Result<(), ClaimsVerificationError> {
        // Like the API server, accept an aud array that contains our client id (spec §1.3.3).
        let client = self
            .client(config, None)
            .map_err(|e| ClaimsVerificationError::Other(e.to_string()))?;
        let verifier = client
            .id_token_verifier()
            .set_other_audience_verifier_fn(|_| true);
        match nonce {
            Some(n) => id_token.claims(&verifier, n)?,
            // A refreshed id_token carries the original nonce or none (OIDC Core §12.2).
            None => id_token.claims(&verifier, |_: Option<&Nonce>| Ok(()))?,
        };
        Ok(())
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
        if let Err(signature::Failure::UnknownKid(_) | signature::Failure::UnusableJwks(_)) =
            checked
        {
            self.refetch_jwks(config, http, what)?;
            checked = check(&self.jwks);
        }
        checked.map_err(|failure| {
            let why = match failure {
                signature::Failure::NotJwt(e) => format!(
                    "it is not a JWT ({e}), so no cluster can validate it (--oidc-use-access-token \
                     needs a provider that issues JWT access tokens)"
                ),
                signature::Failure::UnknownKid(kid) => format!(
                    "it is signed with key {kid:?}, which is not in the provider's JWKS ({})",
                    self.metadata.jwks_uri().as_str()
                ),
                signature::Failure::UnusableJwks(e) | signature::Failure::Invalid(e) => e,
            };
            ProviderError::new(
                Endpoint::Token,
                Failure::Verification,
                format!("{what} from {} is not usable: {why}", config.issuer),
            )
            .into()
        })
    }
}

/// A JWKS as bytes, read as a login reads it (openidconnect's key set), and `token` checked
/// against it both ways a login checks one: as an id_token by openidconnect's verifier, and as
/// another JWT through jsonwebtoken. For the fuzz targets (`fuzz_targets.rs`); never a panic.
pub fn check_against_jwks(jwks: &[u8], token: &str, issuer: &str, client_id: &str) -> bool {
    let (Ok(set), Ok(issuer)) = (
        serde_json::from_slice::<CoreJsonWebKeySet>(jwks),
        openidconnect::IssuerUrl::new(issuer.to_owned()),
    ) else {
        return false;
    };
    let as_jwt = signature::verify(token, jwk_set(&set).as_ref().ok_or("unusable"), |_| {}).is_ok();
    let verifier = openidconnect::core::CoreIdTokenVerifier::new_public_client(
        openidconnect::ClientId::new(client_id.to_owned()),
        issuer,
        set,
    );
    let as_id_token = token
        .parse::<CoreIdToken>()
        .is_ok_and(|t| t.claims(&verifier, |_: Option<&Nonce>| Ok(())).is_ok());
    as_jwt || as_id_token
}

/// The response's refresh token, else the one just used (providers that do not rotate).
fn refresh_token_of(
    response: &CoreTokenResponse,
    previous: Option<&Secret<String>>,
) -> Option<Secret<String>> {
    response
        .refresh_token()
        .map(|t| Secret::new(t.secret().clone()))
        .or_else(|| previous.cloned())
}

fn jwk_set(jwks: &CoreJsonWebKeySet) -> Option<JwkSet> {
    serde_json::to_value(jwks)
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
}
