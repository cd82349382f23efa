//! Talking to the OpenID provider. Only the stale path (refresh or login) reaches this
//! module: the cache hit never builds an HTTP client, TLS config or listener. Protocol only,
//! with one exception: the hints for a provider's answers that only a setting fixes
//! (`invalid_client`, a discovery document that names another issuer, an access token that is
//! not a JWT) name the flag to change, in `endpoint.rs`, `messages.rs` and `grants.rs`; every
//! other message that names a flag is built in `auth/`. Every failure of the provider leaves
//! here as a [`crate::error::ProviderError`], classified in one place.

pub mod browser;
pub mod callback;
mod connection;
pub mod device;
pub mod endpoint;
pub mod grants;
pub mod http;
pub mod loopback;
mod messages;
mod pages;
pub mod preflight;
pub mod provider;
mod revocation;
pub mod transport;
mod verify;

pub use endpoint::read_token_answer;
pub use verify::check_against_jwks;
