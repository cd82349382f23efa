//! get-token's flags, which login, logout, setup and debug-token take too: the ones that pick
//! the cache entry (`EntryArgs`), TLS (`TlsArgs`), and the rest (`TokenArgs`), with
//! kubelogin's names.

use std::path::PathBuf;

use clap::Args;

use super::Given;
use super::values::{BrowserWhen, NotifyWhen, OrAuto, PkceMethod, StorageMode};
use crate::grants::Grant;
use crate::presets::Provider;
use crate::secret::Secret;

/// Which cache entry: the flags that decide who a token is for (and where it is kept).
#[derive(Debug, Clone, Args)]
pub struct EntryArgs {
    /// Issuer URL of the OpenID provider, exactly as the API server's --oidc-issuer-url
    #[arg(long, value_name = "URL", required = true, value_parser = issuer_url)]
    pub oidc_issuer_url: Option<String>,

    /// Client ID registered at the provider
    #[arg(long, value_name = "ID", required = true)]
    pub oidc_client_id: Option<String>,

    /// Extra scope to request (repeatable; `openid` is always requested)
    #[arg(long, value_name = "SCOPE")]
    pub oidc_extra_scope: Vec<String>,

    /// Extra parameter for the authorization request, e.g. prompt=login (repeatable)
    #[arg(long, value_name = "KEY=VALUE")]
    pub oidc_auth_request_extra_params: Vec<String>,

    /// Which of your identities at this provider and client: each account is a session of
    /// its own, and the provider gets it as login_hint
    #[arg(long, value_name = "NAME")]
    pub account: Option<String>,

    /// Username for --grant-type=password (a session of its own, like --account); with
    /// --grant-type=auto it selects the password grant, as in kubelogin
    #[arg(long, value_name = "USER")]
    pub username: Option<String>,

    /// Give kubectl the access token instead of the id_token, for clusters that validate the
    /// provider's JWT access tokens (its signature and issuer are checked, not its audience)
    #[arg(long)]
    pub oidc_use_access_token: bool,

    /// The provider's preset (scopes, parameters, PKCE, redirect host it needs); auto detects
    /// it from the issuer URL. --show-config says what it set
    #[arg(long, value_parser = super::values::provider(), default_value = "auto")]
    pub provider: OrAuto<Provider>,

    /// Directory of the token cache [default: KUBECTL_OIDC_CACHE_DIR, else the user cache
    /// directory, e.g. ~/.cache/kubectl-oidc]
    #[arg(long, value_name = "PATH")]
    pub token_cache_dir: Option<PathBuf>,

    /// Where tokens are kept (see the README for the trade-offs)
    #[arg(long, value_enum, default_value = "auto")]
    pub token_cache_storage: StorageMode,
}

/// How to reach the provider.
#[derive(Debug, Clone, Args)]
pub struct TlsArgs {
    /// PEM file with CA certificates to trust for the provider (repeatable)
    #[arg(long, value_name = "PATH")]
    pub certificate_authority: Vec<PathBuf>,

    /// Base64 of PEM CA certificates to trust for the provider (repeatable)
    #[arg(long, value_name = "BASE64")]
    pub certificate_authority_data: Vec<String>,

    /// Do not verify the provider's TLS certificate, and allow a plain-http issuer that is not
    /// on this machine (insecure)
    #[arg(long)]
    pub insecure_skip_tls_verify: bool,

    /// Accepted for kubelogin compatibility, without effect: rustls implements no TLS
    /// renegotiation (a provider that needs it, such as an old AD FS, must be reached through
    /// a proxy that terminates TLS)
    #[arg(long)]
    pub tls_renegotiation_once: bool,

    /// Like --tls-renegotiation-once
    #[arg(long)]
    pub tls_renegotiation_freely: bool,

    /// Connect and overall timeout of every request to the provider (at most an hour)
    #[arg(long, value_name = "SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=3_600))]
    pub http_timeout_sec: u64,
}

/// The flags of `get-token` and `login` (int128/kubelogin names).
#[derive(Debug, Clone, Args)]
pub struct TokenArgs {
    #[command(flatten)]
    pub entry: EntryArgs,

    /// Client secret, for confidential clients. Prefer --oidc-client-secret-file or the
    /// environment variable, which keep it out of argv and the kubeconfig
    #[arg(long, value_name = "SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<Secret<String>>,

    /// Read the client secret from this file (trailing newline ignored)
    #[arg(long, value_name = "PATH")]
    pub oidc_client_secret_file: Option<PathBuf>,

    /// Password for --grant-type=password. Prefer --password-file or KUBECTL_OIDC_PASSWORD;
    /// without any, it is asked on the terminal without echo
    #[arg(long, value_name = "PASSWORD", hide_env_values = true)]
    pub password: Option<Secret<String>>,

    /// Read the password from this file (trailing newline ignored)
    #[arg(long, value_name = "PATH")]
    pub password_file: Option<PathBuf>,

    /// --grant-type=token-exchange: the token to exchange (RFC 8693 subject_token). Prefer
    /// --subject-token-file or KUBECTL_OIDC_SUBJECT_TOKEN
    #[arg(long, value_name = "TOKEN", hide_env_values = true)]
    pub subject_token: Option<Secret<String>>,

    /// --grant-type=token-exchange: read the token to exchange from this file, afresh on every
    /// exchange (a projected service account token, a CI job's OIDC token)
    #[arg(long, value_name = "PATH")]
    pub subject_token_file: Option<PathBuf>,

    /// --grant-type=token-exchange: the subject token's type: access_token, id_token, jwt, or
    /// a full urn:ietf:params:oauth:token-type URI
    #[arg(long, value_name = "TYPE", default_value = "access_token", value_parser = token_type)]
    pub subject_token_type: String,

    /// --grant-type=token-exchange: the token type to ask for (as --subject-token-type)
    #[arg(long, value_name = "TYPE", default_value = "id_token", value_parser = token_type)]
    pub requested_token_type: String,

    /// Extra HTTP header for every request to the provider, e.g. Origin=http://localhost for
    /// an Entra ID single-page-application client (repeatable)
    #[arg(long, value_name = "KEY=VALUE")]
    pub oidc_request_header: Vec<String>,

    /// PKCE: auto uses S256 when the provider advertises it
    #[arg(long, value_enum, default_value = "auto", ignore_case = true)]
    pub oidc_pkce_method: PkceMethod,

    /// Deprecated kubelogin alias of --oidc-pkce-method=S256
    #[arg(long, hide = true)]
    pub oidc_use_pkce: bool,

    /// Redirect URL to send to the provider instead of http://127.0.0.1:PORT/callback
    #[arg(long, value_name = "URL")]
    pub oidc_redirect_url: Option<String>,

    /// Loopback address for the login callback, tried in order (repeatable; port 0 = any free port)
    #[arg(long, value_name = "ADDRESS", default_values = ["127.0.0.1:8000", "127.0.0.1:18000"])]
    pub listen_address: Vec<String>,

    /// Removed from kubelogin (v1.19); taken as --listen-address=127.0.0.1:PORT
    #[arg(long, hide = true, value_name = "PORT", value_delimiter = ',')]
    pub listen_port: Vec<u16>,

    /// Redirect to http://HOST:PORT (no path, the port the listener got) as kubelogin does
    /// (it uses localhost), instead of http://127.0.0.1:PORT/callback: entries moved from
    /// kubelogin keep the redirect URIs registered for it
    #[arg(long, value_name = "HOST")]
    pub oidc_redirect_url_hostname: Option<String>,

    /// Removed from kubelogin; taken as --oidc-redirect-url for --grant-type=authcode-keyboard
    #[arg(long, hide = true, value_name = "URL")]
    pub oidc_redirect_url_authcode_keyboard: Option<String>,

    /// Command that opens the login URL, with arguments; the URL is appended
    #[arg(long, value_name = "COMMAND")]
    pub browser_command: Option<String>,

    /// After the browser login, send the browser on to this URL (a team's landing page, say)
    /// instead of showing "Logged in"
    #[arg(long, value_name = "URL")]
    pub open_url_after_authentication: Option<String>,

    /// Serve the login callback over HTTPS with this PEM certificate (chain), for providers
    /// that accept only https redirect URIs; with --local-server-key
    #[arg(long, value_name = "PATH", requires = "local_server_key")]
    pub local_server_cert: Option<PathBuf>,

    /// The PEM private key of --local-server-cert
    #[arg(long, value_name = "PATH", requires = "local_server_cert")]
    pub local_server_key: Option<PathBuf>,

    /// Do not open a browser; only print the login URL (as --browser=never)
    #[arg(long)]
    pub skip_open_browser: bool,

    /// When a login opens the browser: auto (from a terminal; without one, as for an IDE or
    /// Lens, once per session on a desktop, never in CI or over SSH), always, never
    #[arg(long, value_enum, value_name = "WHEN", default_value = "auto")]
    pub browser: BrowserWhen,

    /// A desktop notification when a call without a terminal opens the browser: auto (where
    /// the desktop has a notification service), never
    #[arg(long, value_enum, value_name = "WHEN", default_value = "auto")]
    pub notify: NotifyWhen,

    /// How long to wait for the browser login (at most a day)
    #[arg(long, value_name = "SECONDS", default_value_t = 180,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub authentication_timeout_sec: u64,

    #[command(flatten)]
    pub tls: TlsArgs,

    /// Ignore a cached id_token that is still valid and refresh it
    #[arg(long)]
    pub force_refresh: bool,

    /// How to log in
    #[arg(long, value_parser = super::values::grant_type(), default_value = "auto")]
    pub grant_type: OrAuto<Grant>,

    /// Say on stderr what happens: cache decisions, lock waits, discovery, HTTP status lines
    /// (-vv: more). Never a token, code, verifier or secret
    #[arg(short = 'v', long = "verbose", action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// kubelogin's log level (`--v=1`), taken as that many -v
    #[arg(long = "v", value_name = "LEVEL", hide = true)]
    pub klog_level: Option<u8>,

    /// Print every effective setting and where it came from (flag, variable, preset,
    /// default), secrets redacted, and exit without logging in
    #[arg(long)]
    pub show_config: bool,

    /// Where each flag's value came from (filled by the parser, see `parse`).
    #[arg(skip)]
    pub given: Given,

    /// The kubeconfig exec entry's variables beyond ours (a proxy, a CA bundle, a browser),
    /// when login or logout act for a context: settings lay them over this process's
    /// environment, as kubectl would set them for the plugin.
    #[arg(skip)]
    pub entry_env: Vec<(String, String)>,
}

impl TokenArgs {
    /// How verbose to be: -v counted, or kubelogin's --v=N.
    pub fn verbosity(&self) -> u8 {
        self.verbose.max(self.klog_level.unwrap_or(0))
    }
}

/// An RFC 8693 token type: a short name (access_token, refresh_token, id_token, jwt) or a
/// URI, taken as the URI.
pub(super) fn token_type(value: &str) -> Result<String, String> {
    match value.trim() {
        short @ ("access_token" | "refresh_token" | "id_token" | "jwt" | "saml1" | "saml2") => {
            Ok(format!("urn:ietf:params:oauth:token-type:{short}"))
        }
        uri if uri.contains(':') && !uri.chars().any(char::is_whitespace) => Ok(uri.to_owned()),
        _ => Err(
            "not a token type: access_token, id_token, jwt, or a URI such as \
                  urn:ietf:params:oauth:token-type:jwt"
                .into(),
        ),
    }
}

/// An issuer is an absolute http(s) URL with a host; anything else is a usage error at once,
/// not a failed login later.
pub(super) fn issuer_url(value: &str) -> Result<String, String> {
    let v = value.trim();
    let rest = v
        .strip_prefix("https://")
        .or_else(|| v.strip_prefix("http://"))
        .ok_or("not an https:// URL (the issuer URL of your OpenID provider, e.g. https://idp.example.com)")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.starts_with(':') || v.chars().any(char::is_whitespace) {
        return Err("not a URL with a host (e.g. https://idp.example.com)".into());
    }
    // Credentials in it (`user:password@`) are refused by the settings, whose message leaves
    // them out (clap's would quote the value).
    Ok(v.to_owned())
}
