//! The value enums of the command line: what `--token-cache-storage`, `--oidc-pkce-method`,
//! `--provider`, `--grant-type` and `completion` accept.

use clap::ValueEnum;

/// Where tokens are kept (`--token-cache-storage`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StorageMode {
    /// Refresh token sealed by the OS keyring; falls back to `disk` (with a notice) without one.
    Auto,
    /// Everything sealed by the OS keyring; fails if there is none. Every call reads the keyring.
    Keyring,
    /// Plain 0600 files, like kubelogin's default.
    Disk,
    /// Keep nothing: every call logs in.
    None,
}

/// `--oidc-pkce-method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PkceMethod {
    /// S256 when the provider advertises it in code_challenge_methods_supported.
    Auto,
    #[value(name = "S256")]
    S256,
    No,
}

/// `--provider`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProviderArg {
    /// Detect from the issuer URL (Cognito, Entra ID, Google, Okta, Keycloak, Dex), else generic.
    Auto,
    /// Amazon Cognito: no offline_access (it answers invalid_scope); localhost redirect URI.
    Cognito,
    /// Microsoft Entra ID: offline_access, PKCE S256.
    Entra,
    /// Google: access_type=offline and prompt=consent, for a refresh token.
    Google,
    /// Okta: offline_access.
    Okta,
    /// Keycloak: nothing beyond the standard.
    Keycloak,
    /// Dex: offline_access and groups.
    Dex,
    /// No preset.
    Generic,
}

/// `completion SHELL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

/// `--browser`: whether a login may open the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BrowserWhen {
    /// From a terminal, always; without one (an IDE, Lens, Headlamp), once per session and
    /// only on a desktop: not in CI, not over SSH.
    Auto,
    /// Also without a terminal, wherever it runs (once per session still).
    Always,
    /// Never: the login URL is printed (as --skip-open-browser), and a call without a
    /// terminal fails at once with the command that logs in.
    Never,
}

/// `--notify`: a desktop notification when the browser opens without a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NotifyWhen {
    /// When a call without a terminal opens the browser (once per such login), where the
    /// desktop has a notification service.
    Auto,
    Never,
}

/// `--grant-type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GrantType {
    /// The browser flow (authorization code + PKCE through a loopback listener).
    Auto,
    /// The browser flow.
    Authcode,
    /// Print the login URL and read the code (or the URL the browser ended at) from the
    /// terminal: for jump hosts whose browser cannot reach a listener here.
    AuthcodeKeyboard,
    /// The resource owner password grant (ROPC), for CI and legacy providers: --username,
    /// and the password from --password-file, KUBECTL_OIDC_PASSWORD or the terminal.
    Password,
    /// The device flow (RFC 8628): a code to approve in any browser, for SSH hosts and
    /// containers.
    DeviceCode,
    /// The client credentials grant, for CI: the client's own token (client secret needed;
    /// usually an access token only, so with --oidc-use-access-token).
    ClientCredentials,
    /// Token exchange (RFC 8693), for CI and workloads: trade a token from elsewhere
    /// (--subject-token-file, KUBECTL_OIDC_SUBJECT_TOKEN) for one the cluster accepts.
    TokenExchange,
}
