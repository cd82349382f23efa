//! The command line, clap derive only. Flag names follow int128/kubelogin's `get-token`, so
//! switching is an edit of one word in a kubeconfig (`oidc-login` -> `oidc`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::cache::StorageMode;
use crate::oidc::login::PkceMethod;

#[derive(Debug, Parser)]
#[command(
    name = "kubectl-oidc",
    version,
    about = "kubectl credential plugin for OpenID Connect",
    long_about = "kubectl credential plugin for OpenID Connect.\n\n\
        kubectl runs `kubectl-oidc get-token` from a kubeconfig exec entry on every call; a cached \
        id_token is served in about a millisecond, refreshed once when it expires, and a browser \
        login runs only when no refresh token works."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print an ExecCredential for kubectl (the kubeconfig exec entry runs this)
    #[command(after_help = GET_TOKEN_EXAMPLES)]
    GetToken(TokenArgs),
    /// Log in in the browser now, even if a cached token is still valid
    #[command(after_help = LOGIN_EXAMPLES)]
    Login(TokenArgs),
}

const GET_TOKEN_EXAMPLES: &str = "\
Examples:
  # In a kubeconfig:
  users:
  - name: oidc
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1
        interactiveMode: IfAvailable
        command: kubectl
        args: [oidc, get-token, --oidc-issuer-url=https://idp.example.com, --oidc-client-id=kubernetes]

  # By hand, to see what kubectl gets:
  kubectl oidc get-token --oidc-issuer-url=https://idp.example.com --oidc-client-id=kubernetes";

const LOGIN_EXAMPLES: &str = "\
Examples:
  kubectl oidc login --oidc-issuer-url=https://idp.example.com --oidc-client-id=kubernetes
  # On a host without a browser: print the URL and open it elsewhere (the callback must reach this host)
  kubectl oidc login --oidc-issuer-url=https://idp.example.com --oidc-client-id=kubernetes --skip-open-browser";

/// The flags of `get-token` and `login` (int128/kubelogin names).
#[derive(Debug, Clone, Args)]
pub struct TokenArgs {
    /// Issuer URL of the OpenID provider (exactly as in the API server's --oidc-issuer-url)
    #[arg(long, value_name = "URL")]
    pub oidc_issuer_url: String,

    /// Client ID registered at the provider
    #[arg(long, value_name = "ID")]
    pub oidc_client_id: String,

    /// Client secret, for confidential clients. Prefer --oidc-client-secret-file or the
    /// environment variable, which keep it out of argv and the kubeconfig
    #[arg(
        long,
        value_name = "SECRET",
        env = "KUBECTL_OIDC_CLIENT_SECRET",
        hide_env_values = true
    )]
    pub oidc_client_secret: Option<String>,

    /// Read the client secret from this file (trailing newline ignored)
    #[arg(long, value_name = "PATH", conflicts_with = "oidc_client_secret")]
    pub oidc_client_secret_file: Option<PathBuf>,

    /// Extra scope to request (repeatable; `openid` is always requested)
    #[arg(long, value_name = "SCOPE")]
    pub oidc_extra_scope: Vec<String>,

    /// Extra parameter for the authorization request, e.g. prompt=login (repeatable)
    #[arg(long, value_name = "KEY=VALUE")]
    pub oidc_auth_request_extra_params: Vec<String>,

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

    /// Command that opens the login URL, with arguments; the URL is appended
    #[arg(long, value_name = "COMMAND")]
    pub browser_command: Option<String>,

    /// Do not open a browser; only print the login URL
    #[arg(long)]
    pub skip_open_browser: bool,

    /// How long to wait for the browser login
    #[arg(long, value_name = "SECONDS", default_value_t = 180)]
    pub authentication_timeout_sec: u64,

    /// Connect and overall timeout of every request to the provider
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub http_timeout_sec: u64,

    /// PEM file with CA certificates to trust for the provider (repeatable)
    #[arg(long, value_name = "PATH")]
    pub certificate_authority: Vec<PathBuf>,

    /// Base64 of PEM CA certificates to trust for the provider (repeatable)
    #[arg(long, value_name = "BASE64")]
    pub certificate_authority_data: Vec<String>,

    /// Do not verify the provider's TLS certificate (insecure)
    #[arg(long)]
    pub insecure_skip_tls_verify: bool,

    /// Directory of the token cache [default: the user cache directory, e.g. ~/.cache/kubectl-oidc]
    #[arg(long, value_name = "PATH", env = "KUBECTL_OIDC_CACHE_DIR")]
    pub token_cache_dir: Option<PathBuf>,

    /// Where tokens are kept (see the README for the trade-offs)
    #[arg(
        long,
        value_enum,
        default_value = "auto",
        env = "KUBECTL_OIDC_TOKEN_CACHE_STORAGE"
    )]
    pub token_cache_storage: StorageMode,

    /// Ignore a cached id_token that is still valid and refresh it
    #[arg(long)]
    pub force_refresh: bool,

    /// Accepted for kubelogin compatibility; only the browser flow (authcode) is implemented
    #[arg(long, hide = true, value_parser = ["auto", "authcode"], default_value = "auto")]
    pub grant_type: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory as _;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn kubelogin_args_parse_unchanged() {
        // A real kubelogin exec entry's args, with `oidc-login` replaced by `oidc`.
        let cli = Cli::try_parse_from([
            "kubectl-oidc",
            "get-token",
            "--oidc-issuer-url=https://issuer.example.com",
            "--oidc-client-id=YOUR_CLIENT_ID",
            "--oidc-client-secret=YOUR_CLIENT_SECRET",
            "--oidc-extra-scope=email",
            "--oidc-extra-scope=groups",
            "--oidc-pkce-method=S256",
            "--oidc-auth-request-extra-params=prompt=login",
            "--listen-address=127.0.0.1:12345",
            "--skip-open-browser",
            "--token-cache-storage=disk",
            "--certificate-authority=/tmp/ca.pem",
            "--grant-type=authcode",
        ])
        .unwrap();
        let Command::GetToken(args) = cli.command else {
            panic!()
        };
        assert_eq!(args.oidc_extra_scope, ["email", "groups"]);
        assert_eq!(args.oidc_pkce_method, PkceMethod::S256);
        assert_eq!(args.listen_address, ["127.0.0.1:12345"]);
        assert_eq!(args.token_cache_storage, StorageMode::Disk);
    }
}
