//! What went wrong, as a kind that decides the exit code, in one place.
//!
//! Errors travel as `anyhow::Error`. Where a failure's class is known (a flag is wrong, the
//! provider cannot be reached, the provider said no, a login is needed, the cache failed) it
//! is raised as an [`Error`] with a [`Kind`]; `lib::main` walks the chain once, prints the
//! message, and exits with [`Kind::exit_code`]. Anything unclassified is `Internal` (1).
//! A closed stdout (`kubectl-oidc get-token | head -c0`) is not an error: exit 0 quietly,
//! like ripgrep and zoxide.

use std::fmt;

/// The failure classes, each with its documented exit code (README, "Exit codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A flag or its value is wrong (clap's errors too).
    Usage,
    /// A file or setting the user pointed at is unreadable or invalid (CA, client secret,
    /// kubeconfig, AuthenticationConfiguration).
    Config,
    /// A login is needed, but this call may not open a browser (non-interactive), or the
    /// provider refused the cached refresh token.
    LoginNeeded,
    /// The provider answered and said no (access_denied, invalid_client, a token that fails
    /// verification).
    ProviderRefused,
    /// The provider could not be reached, timed out, or failed (5xx, an error page, a
    /// document that is not what OpenID Connect says).
    ProviderUnavailable,
    /// The token cache or the OS keyring failed.
    Cache,
    /// Everything else.
    Internal,
}

impl Kind {
    pub fn exit_code(self) -> u8 {
        match self {
            Kind::Internal => 1,
            Kind::Usage => 2,
            Kind::Config => 3,
            Kind::LoginNeeded => 4,
            Kind::ProviderRefused => 5,
            Kind::ProviderUnavailable => 6,
            Kind::Cache => 7,
        }
    }
}

/// How a command that ran to the end finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    Success,
    /// debug-token: the API server would refuse the token, or a finding is an error. Exit 1,
    /// shared with `Kind::Internal` on purpose: "the check failed" is 1 by custom, and
    /// debug-token's report (stdout) says which.
    Refused,
    /// debug-token: the token would be accepted only if what was not checked passes.
    Unverified,
    /// debug-token: the API server would not start with the configuration.
    ConfigError,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Refused => 1,
            ExitStatus::Unverified => 8,
            ExitStatus::ConfigError => 9,
        }
    }
}

/// A classified failure. `Display` is the message; the chain below it is kept for `{:#}`.
pub struct Error {
    kind: Kind,
    inner: anyhow::Error,
}

impl Error {
    /// A new classified error with this message.
    #[allow(clippy::new_ret_no_self)] // it is born an `anyhow::Error`, the type every caller returns
    pub fn new(kind: Kind, message: impl fmt::Display) -> anyhow::Error {
        Self {
            kind,
            inner: anyhow::Error::msg(message.to_string()),
        }
        .into()
    }

    /// Classify an existing error (its message and chain are kept).
    pub fn wrap(kind: Kind, inner: anyhow::Error) -> anyhow::Error {
        Self { kind, inner }.into()
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.inner, f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.inner, f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.source()
    }
}

/// `.kind(Kind::Config)` on a result: classify its error.
pub trait ResultExt<T> {
    fn kind(self, kind: Kind) -> anyhow::Result<T>;
}

impl<T, E: Into<anyhow::Error>> ResultExt<T> for Result<T, E> {
    fn kind(self, kind: Kind) -> anyhow::Result<T> {
        self.map_err(|e| Error::wrap(kind, e.into()))
    }
}

/// The kind of an error: the outermost classified one in its chain, else `Internal`.
pub fn kind_of(e: &anyhow::Error) -> Kind {
    e.chain()
        .find_map(|c| c.downcast_ref::<Error>().map(|e| e.kind))
        .unwrap_or(Kind::Internal)
}

/// Whether the error is a write to a closed pipe (the reader went away: not our failure).
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context as _;

    #[test]
    fn the_outermost_kind_wins_and_context_keeps_it() {
        let e = Error::new(Kind::ProviderUnavailable, "GET https://idp/x: timed out");
        let e = Err::<(), _>(e).context("refreshing").unwrap_err();
        assert_eq!(kind_of(&e), Kind::ProviderUnavailable);
        assert_eq!(format!("{e:#}"), "refreshing: GET https://idp/x: timed out");
        let e = Err::<(), _>(e).kind(Kind::LoginNeeded).unwrap_err();
        assert_eq!(kind_of(&e), Kind::LoginNeeded);
        assert_eq!(kind_of(&anyhow::anyhow!("plain")), Kind::Internal);
    }

    #[test]
    fn exit_codes_are_distinct_and_documented() {
        let kinds = [
            Kind::Internal,
            Kind::Usage,
            Kind::Config,
            Kind::LoginNeeded,
            Kind::ProviderRefused,
            Kind::ProviderUnavailable,
            Kind::Cache,
        ];
        let mut codes: Vec<u8> = kinds.iter().map(|k| k.exit_code()).collect();
        let statuses = [ExitStatus::Unverified, ExitStatus::ConfigError];
        codes.extend(statuses.iter().map(|s| s.code()));
        let n = codes.len();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), n, "two failure classes share an exit code");
        let readme = include_str!("../README.md");
        for k in kinds {
            assert!(
                readme.contains(&format!("| {} |", k.exit_code())),
                "exit code {} of {k:?} is not in the README's table",
                k.exit_code()
            );
        }
        for s in statuses {
            assert!(readme.contains(&format!("| {} |", s.code())), "{s:?}");
        }
    }

    #[test]
    fn broken_pipe_is_found_under_context() {
        let io = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        let e = Err::<(), _>(io).context("writing").unwrap_err();
        assert!(is_broken_pipe(&e));
        assert!(!is_broken_pipe(&anyhow::anyhow!("x")));
    }
}
