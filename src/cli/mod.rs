//! The command line, clap derive only: it depends on clap and `secret` alone, so completions
//! and man pages can be rendered from it without the rest of the crate. Flag names follow
//! int128/kubelogin's `get-token`, so switching is an edit of one word in a kubeconfig
//! (`oidc-login` -> `oidc`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::secret::Secret;

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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print an ExecCredential for kubectl (the kubeconfig exec entry runs this)
    #[command(after_help = GET_TOKEN_EXAMPLES)]
    GetToken(TokenArgs),
    /// Log in in the browser now, even if a cached token is still valid
    #[command(after_help = LOGIN_EXAMPLES)]
    Login(TokenArgs),
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
    #[command(after_help = LOGOUT_EXAMPLES)]
    Logout(LogoutArgs),
    /// Remove every cached session, or only those unused for a while
    #[command(after_help = CLEAN_EXAMPLES)]
    Clean(CleanArgs),
    /// Onboard: log in, show who the API server will see, write the kubeconfig user entry
    #[command(after_help = SETUP_EXAMPLES, mut_args(setup_arg))]
    Setup(Box<SetupArgs>),
    /// Print the version, commit, target and the keyring backend compiled in
    Version,
}

const SETUP_EXAMPLES: &str = "\
What a platform team sends a new engineer (one command; no secret goes into the kubeconfig):
  kubectl oidc setup --oidc-issuer-url=https://idp.example.com --oidc-client-id=kubernetes \\
      --oidc-extra-scope=email --oidc-extra-scope=groups \\
      --oidc-username-claim=email --oidc-groups-claim=groups --oidc-groups-prefix=oidc: \\
      --cluster=prod --server=https://prod.example.com:6443 --cluster-certificate-authority=prod-ca.pem --write

Without --write it prints the kubectl config commands instead. --oidc-username-claim and the
other API server flags (or --authentication-config) only predict the username and groups the
cluster will see, for the clusterrolebinding it prints.

Move every kubelogin (kubectl oidc-login) entry of a kubeconfig to kubectl-oidc:
  kubectl oidc setup --migrate --dry-run
  kubectl oidc setup --migrate";

/// The flags of `setup`.
#[derive(Debug, Clone, Args)]
pub struct SetupArgs {
    /// Edit the kubeconfig (atomically, with a backup beside it) instead of printing the
    /// kubectl config commands
    #[arg(long)]
    pub write: bool,
    /// The kubeconfig to write [default: the first file of $KUBECONFIG, else ~/.kube/config]
    #[arg(long, value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,
    /// Name of the kubeconfig user entry
    #[arg(long, value_name = "NAME", default_value = "oidc")]
    pub user: String,
    /// Replace an existing, different user entry of that name
    #[arg(long)]
    pub force: bool,
    /// Also add a cluster of this name, and a context of the same name for it and the user
    #[arg(long, value_name = "NAME", requires = "server")]
    pub cluster: Option<String>,
    /// The cluster's API server URL (with --cluster)
    #[arg(long, value_name = "URL", requires = "cluster")]
    pub server: Option<String>,
    /// The cluster's CA file, embedded into the kubeconfig (with --cluster)
    #[arg(long, value_name = "PATH", requires = "cluster")]
    pub cluster_certificate_authority: Option<PathBuf>,
    /// Rewrite every exec entry that runs kubelogin (kubectl oidc-login) to run kubectl-oidc
    #[arg(long)]
    pub migrate: bool,
    /// With --migrate: show what would change, change nothing
    #[arg(long, requires = "migrate")]
    pub dry_run: bool,

    /// Username claim, as kube-apiserver --oidc-username-claim
    #[arg(long, value_name = "CLAIM", help_heading = "API server flags")]
    pub oidc_username_claim: Option<String>,
    /// Username prefix, as kube-apiserver --oidc-username-prefix
    #[arg(
        long,
        value_name = "PREFIX",
        allow_hyphen_values = true,
        help_heading = "API server flags"
    )]
    pub oidc_username_prefix: Option<String>,
    /// Groups claim, as kube-apiserver --oidc-groups-claim
    #[arg(long, value_name = "CLAIM", help_heading = "API server flags")]
    pub oidc_groups_claim: Option<String>,
    /// Groups prefix, as kube-apiserver --oidc-groups-prefix
    #[arg(long, value_name = "PREFIX", help_heading = "API server flags")]
    pub oidc_groups_prefix: Option<String>,
    /// An AuthenticationConfiguration file, instead of the flags above
    #[arg(long, value_name = "FILE", help_heading = "API server flags")]
    pub authentication_config: Option<PathBuf>,

    #[command(
        flatten,
        next_help_heading = "The login (get-token flags, written into the exec entry)"
    )]
    pub token_args: TokenArgs,
}

/// `setup --migrate` needs no issuer or client: they come from the entries it rewrites.
fn setup_arg(a: clap::Arg) -> clap::Arg {
    match a.get_id().as_str() {
        "oidc_issuer_url" | "oidc_client_id" => {
            a.required(false).required_unless_present("migrate")
        }
        _ => a,
    }
}

const STATUS_EXAMPLES: &str = "\
Examples:
  kubectl oidc status
  kubectl oidc status -o json | jq '.[] | select(.refresh_token | not)'";

const LOGOUT_EXAMPLES: &str = "\
The flags are get-token's: copy the exec entry's args. The refresh token is revoked at the
provider when it has a revocation endpoint (RFC 7009); the session is removed from the cache and
the keyring either way.

Examples:
  kubectl oidc logout --oidc-issuer-url=https://idp.example.com --oidc-client-id=kubernetes
  # Also end the provider's browser session (RP-initiated logout):
  kubectl oidc logout --oidc-issuer-url=https://idp.example.com --oidc-client-id=kubernetes --end-session";

const CLEAN_EXAMPLES: &str = "\
Examples:
  kubectl oidc clean --dry-run
  kubectl oidc clean --older-than 30d";

/// The flags of `status`.
#[derive(Debug, Clone, Args)]
pub struct StatusArgs {
    /// Directory of the token cache [default: the user cache directory]
    #[arg(long, value_name = "PATH", env = "KUBECTL_OIDC_CACHE_DIR")]
    pub token_cache_dir: Option<PathBuf>,
    /// Output format
    #[arg(long, short = 'o', value_enum, default_value = "text")]
    pub output: OutputFormat,
}

/// The flags of `logout`: get-token's, and `--end-session`.
#[derive(Debug, Clone, Args)]
pub struct LogoutArgs {
    /// Also open the provider's end_session_endpoint in the browser (RP-initiated logout)
    #[arg(long)]
    pub end_session: bool,
    #[command(flatten, next_help_heading = "The session (get-token flags)")]
    pub token_args: TokenArgs,
}

/// The flags of `clean`.
#[derive(Debug, Clone, Args)]
pub struct CleanArgs {
    /// Directory of the token cache [default: the user cache directory]
    #[arg(long, value_name = "PATH", env = "KUBECTL_OIDC_CACHE_DIR")]
    pub token_cache_dir: Option<PathBuf>,
    /// Only sessions not refreshed for this long: 30d, 12h, 90m, 45s
    #[arg(long, value_name = "AGE", value_parser = age)]
    pub older_than: Option<u64>,
    /// Say what would be removed, remove nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// `30d`, `12h`, `90m`, `45s` (or plain seconds) as seconds.
fn age(value: &str) -> Result<u64, String> {
    let v = value.trim();
    let (number, unit) = v.split_at(v.find(|c: char| !c.is_ascii_digit()).unwrap_or(v.len()));
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{value:?} is not an age like 30d, 12h, 90m or 45s"))?;
    let unit = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return Err(format!("{value:?}: the unit is one of s, m, h, d, w")),
    };
    n.checked_mul(unit)
        .ok_or_else(|| format!("{value:?} is too long"))
}

const DEBUG_TOKEN_EXAMPLES: &str = "\
Where the token comes from: the TOKEN argument, stdin with `-` (`Bearer ...` and base64 are
accepted), or the cache entry that the same get-token flags select, or the exec entry of a
kubeconfig context (--context/--kubeconfig).

How the API server is configured: its --oidc-* flags (same names and defaults as
kube-apiserver; --oidc-issuer-url and --oidc-client-id double as the plugin's), an
AuthenticationConfiguration file (--authentication-config), or the kube-apiserver pod's
arguments read from the cluster (--from-cluster).

Exit status: 0 when the API server would accept the token and nothing is wrong, 1 when it
would refuse it or a finding is an error, 8 when it would accept it only if the signature
verifies (not checked: --offline, or the provider's keys could not be fetched).

Examples:
  # The cached token of a kubeconfig context, against the API server's defaults:
  kubectl oidc debug-token --context prod
  # A pasted token, with the API server's flags:
  pbpaste | kubectl oidc debug-token - --oidc-issuer-url=https://idp.example.com \\
      --oidc-client-id=kubernetes --oidc-username-claim=email --oidc-groups-claim=groups
  # With a structured configuration, and why `get pods` is forbidden:
  kubectl oidc doctor --context prod --authentication-config auth.yaml --verb get --resource pods -n dev
  # For a support ticket:
  kubectl oidc debug-token --context prod -o json";

/// The flags of `debug-token`.
#[derive(Debug, Clone, Args)]
pub struct DebugArgs {
    /// The token (`-` reads stdin); without it, the cached id_token for the get-token flags
    #[arg(value_name = "TOKEN")]
    pub token: Option<Secret<String>>,

    /// Username claim, as kube-apiserver --oidc-username-claim
    #[arg(long, value_name = "CLAIM", help_heading = "API server flags")]
    pub oidc_username_claim: Option<String>,
    /// Username prefix, as kube-apiserver --oidc-username-prefix (`-` disables the default `<issuer>#`)
    #[arg(
        long,
        value_name = "PREFIX",
        allow_hyphen_values = true,
        help_heading = "API server flags"
    )]
    pub oidc_username_prefix: Option<String>,
    /// Groups claim, as kube-apiserver --oidc-groups-claim
    #[arg(long, value_name = "CLAIM", help_heading = "API server flags")]
    pub oidc_groups_claim: Option<String>,
    /// Groups prefix, as kube-apiserver --oidc-groups-prefix
    #[arg(long, value_name = "PREFIX", help_heading = "API server flags")]
    pub oidc_groups_prefix: Option<String>,
    /// Required claim, as kube-apiserver --oidc-required-claim (repeatable)
    #[arg(long, value_name = "KEY=VALUE", help_heading = "API server flags")]
    pub oidc_required_claim: Vec<String>,
    /// Accepted signing algorithms, as kube-apiserver --oidc-signing-algs [default: RS256]
    #[arg(long, value_name = "ALGS", help_heading = "API server flags")]
    pub oidc_signing_algs: Option<String>,
    /// CA file the API server uses for the provider, as kube-apiserver --oidc-ca-file
    #[arg(long, value_name = "PATH", help_heading = "API server flags")]
    pub oidc_ca_file: Option<PathBuf>,
    /// An AuthenticationConfiguration file (apiserver.config.k8s.io v1alpha1/v1beta1/v1)
    #[arg(long, value_name = "FILE", help_heading = "API server flags")]
    pub authentication_config: Option<PathBuf>,
    /// Read the API server's OIDC configuration from the kube-apiserver pod in kube-system
    #[arg(long, help_heading = "API server flags")]
    pub from_cluster: bool,

    /// Kubeconfig to read the context's exec entry and cluster from
    #[arg(long, value_name = "PATH", help_heading = "Cluster")]
    pub kubeconfig: Option<PathBuf>,
    /// Context whose exec entry selects the token and whose cluster is asked (SelfSubjectReview)
    #[arg(long, value_name = "NAME", help_heading = "Cluster")]
    pub context: Option<String>,
    /// Ask the cluster of the current context even without --context
    #[arg(long, help_heading = "Cluster")]
    pub cluster: bool,
    /// Context with permission to list RBAC bindings (default: --context)
    #[arg(long, value_name = "NAME", help_heading = "Cluster")]
    pub admin_context: Option<String>,
    /// Verb for a SelfSubjectAccessReview (with --resource)
    #[arg(
        long,
        value_name = "VERB",
        requires = "resource",
        help_heading = "Cluster"
    )]
    pub verb: Option<String>,
    /// Resource for a SelfSubjectAccessReview, e.g. pods or deployments.apps
    #[arg(
        long,
        value_name = "RESOURCE",
        requires = "verb",
        help_heading = "Cluster"
    )]
    pub resource: Option<String>,
    /// Namespace for a SelfSubjectAccessReview
    #[arg(long, short = 'n', value_name = "NAMESPACE", help_heading = "Cluster")]
    pub namespace: Option<String>,

    /// Do not fetch discovery/JWKS or ask the cluster; the signature is then unchecked
    #[arg(long)]
    pub offline: bool,
    /// Output format
    #[arg(long, short = 'o', value_enum, default_value = "text")]
    pub output: OutputFormat,
    /// Also print the raw token and its signature
    #[arg(long)]
    pub show_token: bool,

    /// The get-token flags, so that a kubeconfig's exec args can be pasted as they are; the
    /// login-only ones are accepted but hidden (see [`debug_token_arg`]).
    #[command(
        flatten,
        next_help_heading = "The cached token and the provider (get-token flags)"
    )]
    pub token_args: TokenArgs,
}

/// The get-token flags that only a login uses: debug-token accepts them (exec args pasted
/// from a kubeconfig) but does not show them.
const LOGIN_ONLY: &[&str] = &[
    "klog_level",
    "oidc_client_secret",
    "oidc_client_secret_file",
    "oidc_pkce_method",
    "oidc_use_pkce",
    "oidc_redirect_url",
    "listen_address",
    "browser_command",
    "skip_open_browser",
    "authentication_timeout_sec",
    "force_refresh",
    "grant_type",
];

/// debug-token's view of the get-token flags: the token's own iss and aud stand in for
/// --oidc-issuer-url and --oidc-client-id when they are not given, and login-only flags are
/// hidden.
fn debug_token_arg(a: clap::Arg) -> clap::Arg {
    match a.get_id().as_str() {
        "oidc_issuer_url" | "oidc_client_id" => a.required(false),
        id if LOGIN_ONLY.contains(&id) => a.hide(true),
        _ => a,
    }
}

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
        command: kubectl
        args: [oidc, get-token, --oidc-issuer-url=https://idp.example.com, --oidc-client-id=kubernetes]

  # By hand, to see what kubectl gets:
  kubectl oidc get-token --oidc-issuer-url=https://idp.example.com --oidc-client-id=kubernetes";

const LOGIN_EXAMPLES: &str = "\
Examples:
  kubectl oidc login --oidc-issuer-url=https://idp.example.com --oidc-client-id=kubernetes
  # On a host without a browser: print the URL and open it elsewhere (the callback must reach this host)
  kubectl oidc login --oidc-issuer-url=https://idp.example.com --oidc-client-id=kubernetes --skip-open-browser";

/// `get-token` alone, for the hot path (see `lib::main`); same flags as `Command::GetToken`.
#[derive(Debug, Parser)]
#[command(name = "kubectl-oidc get-token", no_binary_name = true)]
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
    #[arg(
        long,
        value_name = "SECRET",
        env = "KUBECTL_OIDC_CLIENT_SECRET",
        hide_env_values = true
    )]
    pub oidc_client_secret: Option<Secret<String>>,

    /// Read the client secret from this file (trailing newline ignored)
    #[arg(long, value_name = "PATH", conflicts_with = "oidc_client_secret")]
    pub oidc_client_secret_file: Option<PathBuf>,

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

    /// How long to wait for the browser login (at most a day)
    #[arg(long, value_name = "SECONDS", default_value_t = 180,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub authentication_timeout_sec: u64,

    #[command(flatten)]
    pub tls: TlsArgs,

    /// Ignore a cached id_token that is still valid and refresh it
    #[arg(long)]
    pub force_refresh: bool,

    /// How to log in (kubelogin's flag; only the browser flow exists yet)
    #[arg(long, value_enum, default_value = "auto")]
    pub grant_type: GrantType,

    /// Say on stderr what happens: cache decisions, lock waits, discovery, HTTP status lines
    /// (-vv: more). Never a token, code, verifier or secret
    #[arg(short = 'v', long = "verbose", action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// kubelogin's log level (`--v=1`), taken as that many -v
    #[arg(long = "v", value_name = "LEVEL", hide = true)]
    pub klog_level: Option<u8>,
}

impl TokenArgs {
    /// How verbose to be: -v counted, or kubelogin's --v=N.
    pub fn verbosity(&self) -> u8 {
        self.verbose.max(self.klog_level.unwrap_or(0))
    }
}

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

/// `--grant-type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GrantType {
    /// The browser flow (authorization code + PKCE through a loopback listener).
    Auto,
    /// The browser flow.
    Authcode,
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
    Ok(v.to_owned())
}

#[cfg(test)]
mod tests;
