//! The flags of the session lifecycle and onboarding: status, logout, clean, setup.

use std::path::PathBuf;

use clap::Args;

use super::{ApiserverArgs, KubeconfigArgs, OutputFormat, TokenArgs};

pub(super) const STATUS_EXAMPLES: &str = "\
Each session names the kubeconfig contexts whose exec entry uses it.

Examples:
  kubectl oidc status
  kubectl oidc status --context prod
  kubectl oidc status -o json | jq '.[] | select(.refresh_token | not)'";

pub(super) const LOGOUT_EXAMPLES: &str = "\
The flags are get-token's: without --oidc-issuer-url, those of the exec entry of the current
kubeconfig context (or --context). The refresh token is revoked at the provider when it has a
revocation endpoint (RFC 7009); the session is removed from the cache and the keyring either way.

Examples:
  kubectl oidc logout
  kubectl oidc logout --context prod
  kubectl oidc logout --oidc-issuer-url=https://idp.example.com --oidc-client-id=kubernetes
  # Also end the provider's browser session (RP-initiated logout):
  kubectl oidc logout --context prod --end-session";

pub(super) const CLEAN_EXAMPLES: &str = "\
Examples:
  kubectl oidc clean --dry-run
  kubectl oidc clean --older-than 30d";

/// The flags of `status`.
#[derive(Debug, Clone, Args)]
pub struct StatusArgs {
    /// Directory of the token cache [default: KUBECTL_OIDC_CACHE_DIR, else the user cache
    /// directory]
    #[arg(long, value_name = "PATH", env = "KUBECTL_OIDC_TOKEN_CACHE_DIR")]
    pub token_cache_dir: Option<PathBuf>,
    /// Output format
    #[arg(long, short = 'o', value_enum, default_value = "text")]
    pub output: OutputFormat,
    /// Only the session that this kubeconfig context's exec entry uses
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,
    /// The kubeconfig whose contexts are named [default: $KUBECONFIG, all its files, else
    /// ~/.kube/config]
    #[arg(long, value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,
}

/// The flags of `logout`: get-token's, and `--end-session`.
#[derive(Debug, Clone, Args)]
pub struct LogoutArgs {
    /// Also open the provider's end_session_endpoint in the browser (RP-initiated logout)
    #[arg(long)]
    pub end_session: bool,
    #[command(flatten)]
    pub kube: KubeconfigArgs,
    #[command(flatten, next_help_heading = "The session (get-token flags)")]
    pub token_args: TokenArgs,
}

/// The flags of `clean`.
#[derive(Debug, Clone, Args)]
pub struct CleanArgs {
    /// Directory of the token cache [default: KUBECTL_OIDC_CACHE_DIR, else the user cache
    /// directory]
    #[arg(long, value_name = "PATH", env = "KUBECTL_OIDC_TOKEN_CACHE_DIR")]
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

pub(super) const SETUP_EXAMPLES: &str = "\
What a platform team sends a new engineer (one command; no secret goes into the kubeconfig):
  kubectl oidc setup --oidc-issuer-url=https://idp.example.com --oidc-client-id=kubernetes \\
      --oidc-extra-scope=email --oidc-extra-scope=groups \\
      --oidc-username-claim=email --oidc-groups-claim=groups --oidc-groups-prefix=oidc: \\
      --cluster=prod --server=https://prod.example.com:6443 \\
      --cluster-certificate-authority=prod-ca.pem --write

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
    /// What this cluster chooses for the shared user entry: oidc-client-id=ID,
    /// oidc-extra-scope=SCOPE or oidc-auth-request-extra-params=KEY=VALUE (repeatable; with
    /// --cluster and --write). Written into the cluster's client.authentication.k8s.io/exec
    /// extension; the user entry gets provideClusterInfo: true
    #[arg(long, value_name = "FLAG=VALUE", requires_all = ["cluster", "write"])]
    pub cluster_setting: Vec<String>,
    /// Rewrite every exec entry that runs kubelogin (kubectl oidc-login) to run kubectl-oidc
    #[arg(long)]
    pub migrate: bool,
    /// With --migrate: show what would change, change nothing
    #[arg(long, requires = "migrate")]
    pub dry_run: bool,
    /// With --migrate: move kubelogin's copy of each imported refresh token aside (a file to a
    /// 0600 backup beside it, a keyring item removed), so that kubelogin never presents a
    /// refresh token kubectl-oidc has rotated
    #[arg(long, requires = "migrate")]
    pub remove_kubelogin_cache: bool,
    /// Add kubectl-oidc to the kuberc's credentialPluginAllowlist when that allowlist does not
    /// let kubectl run it (through `kubectl kuberc set` where kubectl has it, else in the
    /// file, the previous one kept beside it); alone, without the login flags, it does only that
    #[arg(long)]
    pub kuberc_allow: bool,
    /// The kuberc kubectl reads [default: $KUBERC, else ~/.kube/kuberc]
    #[arg(long, value_name = "PATH")]
    pub kuberc: Option<PathBuf>,

    #[command(flatten)]
    pub apiserver: ApiserverArgs,

    #[command(
        flatten,
        next_help_heading = "The login (get-token flags, written into the exec entry)"
    )]
    pub token_args: TokenArgs,
}

/// `setup --migrate` needs no issuer or client: they come from the entries it rewrites; nor
/// does `setup --kuberc-allow` alone.
pub(super) fn setup_arg(a: clap::Arg) -> clap::Arg {
    match a.get_id().as_str() {
        "oidc_issuer_url" | "oidc_client_id" => a
            .required(false)
            .required_unless_present_any(["migrate", "kuberc_allow"]),
        _ => a,
    }
}
