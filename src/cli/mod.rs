//! The command line, clap derive only: it depends on clap and `secret` alone, so completions
//! and man pages can be rendered from it without the rest of the crate. Flag names follow
//! int128/kubelogin's `get-token`, so switching is an edit of one word in a kubeconfig
//! (`oidc-login` -> `oidc`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub mod cluster;
mod debug;
mod entry;
mod env;
pub mod fast;
pub mod klog;
mod lifecycle;
mod token;
mod values;

pub use self::debug::{ApiserverArgs, DebugArgs};
use self::debug::{DEBUG_TOKEN_EXAMPLES, debug_token_arg};
pub use self::entry::over_entry;
pub use self::env::{Given, Origin, env_name};
use self::lifecycle::{
    CLEAN_EXAMPLES, LOGOUT_EXAMPLES, SETUP_EXAMPLES, STATUS_EXAMPLES, setup_arg,
};
pub use self::lifecycle::{CleanArgs, LogoutArgs, SetupArgs, StatusArgs};
pub use self::token::{EntryArgs, TlsArgs, TokenArgs};

pub use self::values::{BrowserWhen, NotifyWhen, OrAuto, PkceMethod, Shell, StorageMode};

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
        Command::Setup(a) => Some(&mut a.token_args),
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

#[cfg(test)]
mod tests;
