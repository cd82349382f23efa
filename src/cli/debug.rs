//! The flags of `debug-token` (alias `doctor`).

use std::path::PathBuf;

use clap::Args;

use super::{OutputFormat, TokenArgs};
use crate::secret::Secret;

pub(super) const DEBUG_TOKEN_EXAMPLES: &str = "\
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
  kubectl oidc doctor --context prod --authentication-config auth.yaml \\
      --verb get --resource pods -n dev
  # For a support ticket:
  kubectl oidc debug-token --context prod -o json";

/// The API server's JWT authenticator flags, with kube-apiserver's names (debug-token and
/// setup replay the token against them).
#[derive(Debug, Clone, Args)]
pub struct ApiserverArgs {
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
    /// An issuer of the API server's service account tokens, as kube-apiserver --service-account-issuer (repeatable): no JWT authenticator may have it
    #[arg(long, value_name = "URL", help_heading = "API server flags")]
    pub service_account_issuer: Vec<String>,
    /// The kube-apiserver release to judge the configuration as (1.29 to 1.37): its API versions, validation rules and CEL libraries [default: 1.37]
    #[arg(long, value_name = "VERSION", help_heading = "API server flags")]
    pub kube_version: Option<String>,
}

/// The flags of `debug-token`.
#[derive(Debug, Clone, Args)]
pub struct DebugArgs {
    /// The token (`-` reads stdin); without it, the cached id_token for the get-token flags
    #[arg(value_name = "TOKEN")]
    pub token: Option<Secret<String>>,

    #[command(flatten)]
    pub apiserver: ApiserverArgs,
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
pub(super) const LOGIN_ONLY: &[&str] = &[
    "klog_level",
    "oidc_client_secret",
    "oidc_client_secret_file",
    "oidc_pkce_method",
    "oidc_use_pkce",
    "oidc_redirect_url",
    "listen_address",
    "browser_command",
    "skip_open_browser",
    "browser",
    "notify",
    "authentication_timeout_sec",
    "force_refresh",
    "grant_type",
];

/// debug-token's view of the get-token flags: the token's own iss and aud stand in for
/// --oidc-issuer-url and --oidc-client-id when they are not given, and login-only flags are
/// hidden.
pub(super) fn debug_token_arg(a: clap::Arg) -> clap::Arg {
    match a.get_id().as_str() {
        "oidc_issuer_url" | "oidc_client_id" => a.required(false),
        id if LOGIN_ONLY.contains(&id) => a.hide(true),
        _ => a,
    }
}
