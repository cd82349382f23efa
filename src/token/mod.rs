//! Token handling that needs no I/O: decoding JWTs, deciding freshness, keeping secrets
//! out of logs. Nothing in here reads the clock, the environment or the file system.

pub mod freshness;
pub mod jwt;
pub mod secret;
