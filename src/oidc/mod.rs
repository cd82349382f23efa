//! Talking to the OpenID provider. Only the stale path (refresh or login) reaches this
//! module: the cache hit never builds an HTTP client, TLS config or listener. Protocol only:
//! nothing here knows a command-line flag (the messages that name one are built in `auth/`).

pub mod browser;
pub mod callback;
pub mod classify;
pub mod device;
pub mod grants;
pub mod http;
pub mod loopback;
mod messages;
mod pages;
pub mod provider;
mod revocation;
pub mod transport;
