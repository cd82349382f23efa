//! When is a cached id_token still good, and what expiry do we report to kubectl?
//!
//! The API server checks `exp` with no leeway (spec §1.3.4) and kubectl reuses a credential
//! until its `expirationTimestamp` (spec §4.4). kubelogin reports `exp` itself, so a workstation
//! clock that lags the API server yields intermittent 401s (int128/kubelogin#754). We refresh
//! `margin` seconds early and report `exp - margin`, so kubectl comes back before the server
//! would refuse the token. The margin is 60 s but never more than a quarter of the token's
//! lifetime, so a 2-minute token is still cached for 90 s.
//!
//! A token lives `exp - iat` seconds from when it was obtained, whatever this machine's clock
//! says of `exp`: with a clock minutes ahead of the provider's, a 5-minute token obtained now
//! looks nearly expired, and judged by `exp` alone every caller would log in again and kubectl
//! would get an expiry already past. So a token whose obtaining was recorded (by this
//! machine's clock) after its `iat` ends, here, at that moment plus its lifetime
//! ([`local_exp`]).

use std::fmt;

use super::jwt::TimeClaims;

/// The default early-refresh margin, in seconds.
pub const MAX_MARGIN_SECS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Serve the token; tell kubectl to come back at `expires_at` (unix seconds).
    Fresh {
        expires_at: i64,
    },
    Stale(StaleReason),
}

/// Why a token cannot be served: a type, so that logs and `doctor` can say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaleReason {
    MissingExp,
    Expired { exp: i64 },
    ExpiresSoon { exp: i64, margin: i64 },
    Forced,
}

impl fmt::Display for StaleReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingExp => f.write_str("the id_token has no exp claim"),
            Self::Expired { exp } => write!(f, "the id_token expired (exp {exp})"),
            Self::ExpiresSoon { exp, margin } => {
                write!(f, "the id_token expires within {margin}s (exp {exp})")
            }
            Self::Forced => f.write_str("--force-refresh was given"),
        }
    }
}

/// The early-refresh margin for a token: 60 s, at most a quarter of `exp - iat`.
pub fn margin(claims: TimeClaims) -> i64 {
    match (claims.exp, claims.iat) {
        (Some(exp), Some(iat)) if exp > iat => MAX_MARGIN_SECS.min(exp.saturating_sub(iat) / 4),
        _ => MAX_MARGIN_SECS,
    }
}

/// When a token stops being good by this machine's clock: `exp`, or, for one obtained at
/// `obtained_at` (this clock) by a clock ahead of the provider's, that moment plus its
/// lifetime `exp - iat`. (A clock behind it is what the early-refresh margin is for; and the
/// moment a login began, which `obtained_at` may be, is before the provider's `iat`.)
pub fn local_exp(claims: TimeClaims, obtained_at: Option<i64>) -> Option<i64> {
    let exp = claims.exp?;
    Some(match (claims.iat, obtained_at) {
        (Some(iat), Some(at)) if exp > iat => exp.max(at.saturating_add(exp - iat)),
        _ => exp,
    })
}

/// Decide whether a token with these claims, obtained at `obtained_at` when that was
/// recorded, may be served at `now` (unix seconds, this machine's clock).
pub fn freshness(claims: TimeClaims, obtained_at: Option<i64>, now: i64, force: bool) -> Freshness {
    if force {
        return Freshness::Stale(StaleReason::Forced);
    }
    let Some(exp) = local_exp(claims, obtained_at) else {
        return Freshness::Stale(StaleReason::MissingExp);
    };
    let margin = margin(claims);
    if now >= exp {
        Freshness::Stale(StaleReason::Expired { exp })
    } else if now >= exp.saturating_sub(margin) {
        Freshness::Stale(StaleReason::ExpiresSoon { exp, margin })
    } else {
        Freshness::Fresh {
            expires_at: exp.saturating_sub(margin),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(exp: Option<i64>, iat: Option<i64>) -> TimeClaims {
        TimeClaims { exp, iat }
    }

    #[test]
    fn margin_table() {
        let cases = [
            (c(Some(3600), Some(0)), 60), // an hour-long token: the full minute
            (c(Some(120), Some(0)), 30),  // 2-minute token: a quarter of its life
            (c(Some(4), Some(0)), 1),
            (c(Some(3), Some(0)), 0),      // too short for any margin
            (c(Some(100), None), 60),      // no iat: the default
            (c(Some(100), Some(200)), 60), // iat after exp is nonsense: the default
        ];
        for (claims, want) in cases {
            assert_eq!(margin(claims), want, "{claims:?}");
        }
    }

    #[test]
    fn freshness_table() {
        use Freshness::*;
        use StaleReason::*;
        let hour = c(Some(10_000), Some(6_400));
        let cases = [
            (hour, 9_000, false, Fresh { expires_at: 9_940 }),
            (hour, 9_939, false, Fresh { expires_at: 9_940 }),
            (
                hour,
                9_940,
                false,
                Stale(ExpiresSoon {
                    exp: 10_000,
                    margin: 60,
                }),
            ),
            (hour, 10_000, false, Stale(Expired { exp: 10_000 })),
            (hour, 20_000, false, Stale(Expired { exp: 10_000 })),
            (hour, 9_000, true, Stale(Forced)),
            (c(None, Some(1)), 0, false, Stale(MissingExp)),
            // A 2-minute token is served for 90 of its 120 seconds.
            (c(Some(120), Some(0)), 89, false, Fresh { expires_at: 90 }),
            (
                c(Some(120), Some(0)),
                90,
                false,
                Stale(ExpiresSoon {
                    exp: 120,
                    margin: 30,
                }),
            ),
        ];
        for (claims, now, force, want) in cases {
            assert_eq!(
                freshness(claims, None, now, force),
                want,
                "{claims:?} at {now}"
            );
        }
    }

    /// Issue 27 item 7: a 5-minute token obtained by a clock 4 minutes ahead of the provider's
    /// is served for its whole life but the margin, not judged nearly expired at once.
    #[test]
    fn a_token_lives_its_lifetime_from_when_it_was_obtained() {
        use Freshness::*;
        let five_minutes = c(Some(1_300), Some(1_000));
        // Obtained at 1_240 by a clock 240 s ahead: good until 1_540, kubectl back at 1_480.
        assert_eq!(
            freshness(five_minutes, Some(1_240), 1_240, false),
            Fresh { expires_at: 1_480 }
        );
        assert_eq!(
            freshness(five_minutes, Some(1_240), 1_479, false),
            Fresh { expires_at: 1_480 }
        );
        assert!(matches!(
            freshness(five_minutes, Some(1_240), 1_480, false),
            Stale(StaleReason::ExpiresSoon { exp: 1_540, .. })
        ));
        // Judged by exp alone, the same token was already inside the margin.
        assert!(matches!(
            freshness(five_minutes, None, 1_240, false),
            Stale(StaleReason::ExpiresSoon { .. })
        ));
        // Obtained before its iat (a clock behind, or a login that began before the
        // provider issued it): exp, with the margin.
        assert_eq!(
            freshness(five_minutes, Some(900), 900, false),
            Fresh { expires_at: 1_240 }
        );
        // No iat: exp.
        assert_eq!(local_exp(c(Some(50), None), Some(10)), Some(50));
    }

    #[test]
    fn reasons_read_as_sentences() {
        assert_eq!(
            StaleReason::ExpiresSoon { exp: 5, margin: 60 }.to_string(),
            "the id_token expires within 60s (exp 5)"
        );
    }
}
