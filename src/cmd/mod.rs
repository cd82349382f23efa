//! Commands. Only this layer reads the clock and the environment, picks backends and talks
//! to the user; lower layers return values or errors.

pub mod debug_token;
pub mod get_token;
pub mod login;

use std::time::{SystemTime, UNIX_EPOCH};

/// The one clock read of a command, in unix seconds.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
