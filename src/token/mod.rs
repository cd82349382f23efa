//! Token handling that needs no I/O: decoding JWTs, checking signatures against a JWKS, and
//! deciding freshness.
//! Nothing in here reads the clock, the environment or the file system.

pub mod freshness;
pub mod jwt;
pub mod signature;
