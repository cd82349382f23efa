//! Talking to the OpenID provider. Only the stale path (refresh or login) reaches this
//! module: the cache hit never builds an HTTP client, TLS config or listener.

pub mod browser;
pub mod callback;
pub mod http;
pub mod login;
pub mod loopback;
pub mod provider;
