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
    /// Advice shown after the message (`{inner:#}; {hint}`); the error under it is kept
    /// whole, so its kind and its typed causes ([`find`]) still count.
    hint: Option<String>,
}

impl Error {
    /// A new classified error with this message.
    #[allow(clippy::new_ret_no_self)] // it is born an `anyhow::Error`, the type every caller returns
    pub fn new(kind: Kind, message: impl fmt::Display) -> anyhow::Error {
        Self {
            kind,
            inner: anyhow::Error::msg(message.to_string()),
            hint: None,
        }
        .into()
    }

    /// Classify an existing error (its message and chain are kept).
    pub fn wrap(kind: Kind, inner: anyhow::Error) -> anyhow::Error {
        Self {
            kind,
            inner,
            hint: None,
        }
        .into()
    }

    /// Advice after an error's message (`message; hint`), its kind unchanged.
    pub fn hint(inner: anyhow::Error, hint: impl fmt::Display) -> anyhow::Error {
        Self::hint_as(kind_of(&inner), inner, hint)
    }

    /// Advice after an error's message, and the kind the advice makes it.
    pub fn hint_as(kind: Kind, inner: anyhow::Error, hint: impl fmt::Display) -> anyhow::Error {
        Self {
            kind,
            inner,
            hint: Some(hint.to_string()),
        }
        .into()
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.inner, f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.hint {
            // The causes before the advice, on one line, as they read.
            Some(hint) => write!(f, "{:#}; {hint}", self.inner),
            None => fmt::Display::fmt(&self.inner, f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self.hint {
            // Already in the message; [`find`] still reaches it.
            Some(_) => None,
            None => self.inner.source(),
        }
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

/// The kind of an error: the outermost classified one in its chain (an [`Error`] or a
/// [`ProviderError`]), else `Internal`.
pub fn kind_of(e: &anyhow::Error) -> Kind {
    e.chain()
        .find_map(|c| match c.downcast_ref::<Error>() {
            Some(e) => Some(e.kind),
            None => c.downcast_ref::<ProviderError>().map(ProviderError::kind),
        })
        .unwrap_or(Kind::Internal)
}

/// The first `T` in an error's chain, looking inside classified errors too.
pub fn find<T: std::error::Error + Send + Sync + 'static>(e: &anyhow::Error) -> Option<&T> {
    e.chain().find_map(|c| match c.downcast_ref::<Error>() {
        Some(classified) => find(&classified.inner),
        None => c.downcast_ref::<T>(),
    })
}

/// Where a provider's answer (or its absence) came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// `/.well-known/openid-configuration`.
    Discovery,
    Jwks,
    /// The token endpoint, whichever grant: code, refresh, password, client credentials,
    /// device code, token exchange.
    Token,
    /// The authorization request, sent once before the browser opens it (oidc/preflight.rs).
    Authorization,
    /// The authorization response at the loopback listener, or pasted by the user.
    Callback,
    DeviceAuthorization,
    Revocation,
}

/// What a provider did, wherever it answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Not sent: plain http to another machine (transport rule), or a TLS certificate this
    /// machine does not trust. A setting fixes it.
    NotSent,
    UntrustedCertificate,
    /// No answer: DNS, a refused or reset connection.
    Unreachable,
    /// No answer in time (`--http-timeout-sec`).
    Timeout,
    /// An HTTP status with no OAuth error in the body (an error page, a proxy's).
    Status(u16),
    /// An OAuth error code (RFC 6749 §4.1.2.1 and §5.2, RFC 8628 §3.5, RFC 7009 §2.2.1).
    OAuth(String),
    /// An answer that is not what the protocol says: broken JSON, a field missing or mistyped.
    InvalidResponse,
    /// An answer of another type where JSON belongs (a web page): at the discovery URL, the
    /// issuer URL is not the provider's.
    NotJson,
    /// The provider lacks what the request needs (a token or device endpoint).
    Unsupported,
    /// An answer that fails its checks: an id_token's signature, `iss`, `aud` or nonce; a
    /// discovery document that names another issuer.
    Verification,
}

/// A provider's failure, typed: where, what, and the sentence for people. Built in `oidc/`
/// from every answer; mapped to a [`Kind`] here, once ([`classify`]).
#[derive(Debug)]
pub struct ProviderError {
    pub endpoint: Endpoint,
    pub failure: Failure,
    /// What was being done ("the token endpoint of X refused the login"), if said.
    what: Option<String>,
    /// What the provider answered, for people (never a token).
    detail: String,
}

impl ProviderError {
    pub fn new(endpoint: Endpoint, failure: Failure, detail: impl fmt::Display) -> Self {
        Self {
            endpoint,
            failure,
            what: None,
            detail: detail.to_string(),
        }
    }

    /// Say what was being done, given how the provider ended it ([`ProviderError::verb`]).
    pub fn about(mut self, what: impl FnOnce(&str) -> String) -> Self {
        self.what = Some(what(self.verb()));
        self
    }

    pub fn kind(&self) -> Kind {
        classify(self.endpoint, &self.failure)
    }

    /// "refused", or "could not complete" when the provider failed.
    pub fn verb(&self) -> &'static str {
        match self.kind() {
            Kind::ProviderUnavailable => "could not complete",
            _ => "refused",
        }
    }

    /// The OAuth error code, when the provider sent one.
    pub fn oauth_error(&self) -> Option<&str> {
        match &self.failure {
            Failure::OAuth(code) => Some(code),
            _ => None,
        }
    }

    /// What the provider answered, without what was being done.
    pub fn detail(&self) -> &str {
        &self.detail
    }
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.what {
            Some(what) => write!(f, "{what}: {}", self.detail),
            None => f.write_str(&self.detail),
        }
    }
}

impl std::error::Error for ProviderError {}

/// The kind of a provider's failure: the one mapping, wherever the answer arrived. The
/// provider failing or overloaded is "unavailable" (exit 6: the session is kept, no browser
/// login is started for it); a setting to fix is "config" (3); anything else it says is
/// "refused" (5). Whether a refused refresh leads to a login is the caller's policy (only
/// `invalid_grant` does, in `auth/`). Pure.
pub fn classify(endpoint: Endpoint, failure: &Failure) -> Kind {
    use Failure::*;
    let failing = |status: u16| status >= 500 || matches!(status, 408 | 429);
    match (endpoint, failure) {
        (_, NotSent | UntrustedCertificate) => Kind::Config,
        (Endpoint::Discovery, NotJson) => Kind::Config,
        (_, Unreachable | Timeout | InvalidResponse | NotJson) => Kind::ProviderUnavailable,
        // RFC 8628 §3.5: the device code expired before the user approved it: log in again.
        (_, OAuth(code)) if code == "expired_token" => Kind::LoginNeeded,
        (_, OAuth(code))
            if matches!(
                code.as_str(),
                "server_error" | "temporarily_unavailable" | "slow_down"
            ) =>
        {
            Kind::ProviderUnavailable
        }
        (_, OAuth(_) | Unsupported) => Kind::ProviderRefused,
        // A document that is not there, or names another issuer: the issuer URL is the fix.
        (Endpoint::Discovery, Status(s)) if !failing(*s) => Kind::Config,
        (Endpoint::Discovery, Verification) => Kind::Config,
        // The JWKS the provider's own document names is missing: the provider is failing.
        (Endpoint::Jwks, Status(_)) => Kind::ProviderUnavailable,
        (_, Status(s)) if failing(*s) => Kind::ProviderUnavailable,
        (_, Status(_) | Verification) => Kind::ProviderRefused,
    }
}

/// Whether the error is a write to a closed pipe (the reader went away: not our failure).
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
#[path = "error_tests.rs"]
mod tests;
