//! The command line, clap derive only: it depends on clap and `secret` alone, so completions
//! and man pages can be rendered from it without the rest of the crate. Flag names follow
//! int128/kubelogin's `get-token`, so switching is an edit of one word in a kubeconfig
//! (`oidc-login` -> `oidc`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::secret::Secret;

mod debug;
mod entry;
mod env;
pub mod fast;
pub mod klog;
mod lifecycle;
mod values;

pub use self::debug::{ApiserverArgs, DebugArgs};
use self::debug::{DEBUG_TOKEN_EXAMPLES, debug_token_arg};
pub use self::entry::over_entry;
pub use self::env::{Given, Origin, env_name};
use self::lifecycle::{
    CLEAN_EXAMPLES, LOGOUT_EXAMPLES, SETUP_EXAMPLES, STATUS_EXAMPLES, setup_arg,
};
pub use self::lifecycle::{CleanArgs, LogoutArgs, SetupArgs, StatusArgs};

pub use self::values::{
    BrowserWhen, GrantType, NotifyWhen, PkceMethod, ProviderArg, Shell, StorageMode,
};

/// The OS keyring backend compiled in for this target.
#[cfg(target_os = "linux")]
macro_rules! keyring_backend {
    () => {
        "Secret Service (D-Bus: gnome-keyring, KWallet)"
    };
}
#[cfg(target_os = "macos")]
macro_rules! keyring_backend {
    () => {
        "macOS Keychain"
    };
}
#[cfg(target_os = "windows")]
macro_rules! keyring_backend {
    () => {
        "Windows Credential Manager"
    };
}
#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
macro_rules! keyring_backend {
    () => {
        "none (0600 files only)"
    };
}

/// `--version` and `kubectl oidc version`: the version, the commit and target it was built
/// from (build.rs), and the keyring backend.
pub const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "\ncommit: ",
    env!("KUBECTL_OIDC_COMMIT"),
    "\ntarget: ",
    env!("KUBECTL_OIDC_TARGET"),
    "\nkeyring: ",
    keyring_backend!()
);

#[derive(Debug, Parser)]
#[command(
    name = "kubectl-oidc",
    version,
    long_version = LONG_VERSION,
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

/// The command line as run: [`Cli`] with each subcommand's examples moved from `after_help`
/// into its help template. clap wraps `after_help` at the terminal width (at most 100
/// columns), and a wrapped example breaks when copied; the literal text of a template is never
/// wrapped. Man pages keep `after_help` (roff has no wrapping problem). The usage line reads
/// `kubectl oidc ...`, how the plugin is meant to be run.
pub fn command() -> clap::Command {
    use clap::CommandFactory as _;
    let mut root = Cli::command().bin_name("kubectl oidc");
    for sub in root.get_subcommands_mut() {
        if let Some(examples) = sub.get_after_help().map(ToString::to_string) {
            let template = format!("{HELP_TEMPLATE}\n\n{}", styled_heading(&examples));
            *sub = std::mem::take(sub).help_template(template);
        }
    }
    root
}

/// clap's default template without `{after-help}`.
const HELP_TEMPLATE: &str =
    "{before-help}{about-with-newline}\n{usage-heading} {usage}\n\n{all-args}";

/// "Examples:" in the style of clap's other headings (stripped when colour is off).
fn styled_heading(examples: &str) -> String {
    let style = clap::builder::Styles::default().get_header().to_owned();
    examples.replacen("Examples:", &format!("{style}Examples:{style:#}"), 1)
}

/// Parse `argv` with [`command`]; the token flags keep where each value came from.
pub fn parse(argv: &[std::ffi::OsString]) -> Result<Cli, clap::Error> {
    use clap::FromArgMatches as _;
    let mut cmd = command();
    let matches = cmd.try_get_matches_from_mut(argv)?;
    let mut cli = Cli::from_arg_matches(&matches).map_err(|e| e.format(&mut cmd))?;
    let token_args = match &mut cli.command {
        Command::GetToken(a) => Some(a),
        Command::Login(a) => Some(&mut a.token_args),
        Command::Logout(a) => Some(&mut a.token_args),
        _ => None,
    };
    if let (Some(args), Some((name, sub))) = (token_args, matches.subcommand())
        && let Some(sub_cmd) = cmd.find_subcommand(name)
    {
        args.given = Given::of(sub_cmd, sub);
    }
    Ok(cli)
}

/// Parse get-token's arguments (after `get-token`) alone: the hot path, and debug-token's
/// reading of an exec entry.
pub fn parse_get_token<I, T>(args: I) -> Result<GetTokenOnly, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::{CommandFactory as _, FromArgMatches as _};
    let mut cmd = GetTokenOnly::command();
    let matches = cmd.try_get_matches_from_mut(args)?;
    let mut only = GetTokenOnly::from_arg_matches(&matches).map_err(|e| e.format(&mut cmd))?;
    only.args.given = Given::of(&cmd, &matches);
    Ok(only)
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print an ExecCredential for kubectl (the kubeconfig exec entry runs this)
    #[command(after_help = GET_TOKEN_EXAMPLES, mut_args(env::token_arg))]
    GetToken(TokenArgs),
    /// Log in in the browser now, even if a cached token is still valid
    #[command(after_help = LOGIN_EXAMPLES, mut_args(env::token_arg), mut_args(by_context_arg))]
    Login(LoginArgs),
    /// Explain, as the API server would, who a token makes you and why RBAC does not match
    #[command(
        visible_alias = "doctor",
        after_help = DEBUG_TOKEN_EXAMPLES,
        mut_args(debug_token_arg)
    )]
    DebugToken(Box<DebugArgs>),
    /// List the cached sessions: issuer, client, account, who, expiry, refresh token, store
    #[command(visible_alias = "list", after_help = STATUS_EXAMPLES)]
    Status(StatusArgs),
    /// Log out: revoke the refresh token at the provider, remove the session everywhere
    #[command(after_help = LOGOUT_EXAMPLES, mut_args(env::token_arg), mut_args(by_context_arg))]
    Logout(LogoutArgs),
    /// Remove every cached session, or only those unused for a while
    #[command(after_help = CLEAN_EXAMPLES)]
    Clean(CleanArgs),
    /// Onboard: log in, show who the API server will see, write the kubeconfig user entry
    #[command(after_help = SETUP_EXAMPLES, mut_args(setup_arg))]
    Setup(Box<SetupArgs>),
    /// Print the version, commit, target and the keyring backend compiled in
    Version,
    /// Print the shell completion script (bash, zsh, fish, powershell, elvish)
    #[command(after_help = COMPLETION_EXAMPLES)]
    Completion {
        #[arg(value_enum)]
        shell: Shell,
    },
}

const COMPLETION_EXAMPLES: &str = "\
`kubectl oidc <TAB>` completes through kubectl itself (1.26+) with the kubectl_complete-oidc
script from completions/ on PATH. For kubectl-oidc called directly:

Examples:
  source <(kubectl-oidc completion bash)
  kubectl-oidc completion zsh > \"${fpath[1]}/_kubectl-oidc\"
  kubectl-oidc completion fish > ~/.config/fish/completions/kubectl-oidc.fish";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
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
        command: kubectl-oidc
        args: [get-token, --oidc-issuer-url=https://idp.example.com, --oidc-client-id=kubernetes]
        installHint: see https://github.com/kubectl-oidc/kubectl-oidc#install

  # By hand, to see what kubectl gets:
  kubectl-oidc get-token --oidc-issuer-url=https://idp.example.com --oidc-client-id=kubernetes";

const LOGIN_EXAMPLES: &str = "\
Without --oidc-issuer-url, the flags are those of the exec entry of the current kubeconfig
context (or --context): the session kubectl uses next. Flags given here replace the entry's.

Examples:
  kubectl oidc login
  kubectl oidc login --context prod
  kubectl oidc login --oidc-issuer-url=https://idp.example.com --oidc-client-id=kubernetes
  # On a host without a browser: print the URL and open it elsewhere
  # (the callback must reach this host)
  kubectl oidc login --context prod --skip-open-browser";

/// `--context` and `--kubeconfig`: the kubeconfig entry whose get-token flags a command uses
/// (login, logout), or whose contexts it names (status).
#[derive(Debug, Clone, Default, Args)]
pub struct KubeconfigArgs {
    /// The kubeconfig context whose exec entry gives the flags [default: the current context,
    /// when no --oidc-issuer-url is given]
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,
    /// The kubeconfig to read [default: $KUBECONFIG, all its files, else ~/.kube/config]
    #[arg(long, value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,
}

/// The flags of `login`: get-token's, and the kubeconfig context they may come from.
#[derive(Debug, Clone, Args)]
pub struct LoginArgs {
    #[command(flatten)]
    pub kube: KubeconfigArgs,
    #[command(flatten)]
    pub token_args: TokenArgs,
}

/// `mut_args` of login and logout: the issuer and client may come from a kubeconfig context.
fn by_context_arg(a: clap::Arg) -> clap::Arg {
    match a.get_id().as_str() {
        "oidc_issuer_url" | "oidc_client_id" => a.required(false),
        _ => a,
    }
}

/// `get-token` alone, for the hot path (see `lib::main`); same flags as `Command::GetToken`.
#[derive(Debug, Parser)]
#[command(
    name = "kubectl-oidc get-token",
    no_binary_name = true,
    mut_args(env::token_arg)
)]
pub struct GetTokenOnly {
    #[command(flatten)]
    pub args: TokenArgs,
}

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
    #[arg(long, value_enum, default_value = "auto")]
    pub provider: ProviderArg,

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
    #[arg(long, value_enum, default_value = "auto")]
    pub grant_type: GrantType,

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
}

impl TokenArgs {
    /// How verbose to be: -v counted, or kubelogin's --v=N.
    pub fn verbosity(&self) -> u8 {
        self.verbose.max(self.klog_level.unwrap_or(0))
    }
}

/// An RFC 8693 token type: a short name (access_token, refresh_token, id_token, jwt) or a
/// URI, taken as the URI.
fn token_type(value: &str) -> Result<String, String> {
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
fn issuer_url(value: &str) -> Result<String, String> {
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

#[cfg(test)]
mod tests;
