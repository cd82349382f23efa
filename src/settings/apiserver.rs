//! The API server's side, for debug-token and setup: its flags as the replay takes them, the
//! release it is judged as, and its AuthenticationConfiguration file.

use std::path::Path;

use anyhow::Context as _;

use crate::cli::ApiserverArgs;
use crate::doctor::config::{self, ApiserverFlags, Authenticator, ConfigError};
use crate::doctor::version::KubeVersion;
use crate::error::{Error, Kind, ResultExt as _};

/// The API server's legacy `--oidc-*` flags as given to debug-token or setup, with the issuer
/// and client id they replay against.
pub fn apiserver_flags(
    args: &ApiserverArgs,
    issuer_url: Option<String>,
    client_id: Option<String>,
) -> ApiserverFlags {
    ApiserverFlags {
        issuer_url,
        client_id,
        username_claim: args.oidc_username_claim.clone(),
        username_prefix: args.oidc_username_prefix.clone(),
        groups_claim: args.oidc_groups_claim.clone(),
        groups_prefix: args.oidc_groups_prefix.clone(),
        required_claims: args.oidc_required_claim.clone(),
        signing_algs: args.oidc_signing_algs.clone(),
        ca_file: args.oidc_ca_file.as_ref().map(|p| p.display().to_string()),
        service_account_issuers: args.service_account_issuer.clone(),
    }
}

/// `--kube-version`: the API server release simulated (the newest by default).
pub fn kube_version(args: &ApiserverArgs) -> anyhow::Result<KubeVersion> {
    match &args.kube_version {
        None => Ok(KubeVersion::NEWEST),
        Some(v) => KubeVersion::parse(v)
            .map_err(|e| Error::new(Kind::Usage, format!("--kube-version: {e}"))),
    }
}

/// `--authentication-config`, read and validated as the API server would (with its
/// `--service-account-issuer`s, which no JWT issuer may be).
pub fn authentication_config(
    path: &Path,
    args: &ApiserverArgs,
    version: KubeVersion,
) -> anyhow::Result<Result<Vec<Authenticator>, ConfigError>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read --authentication-config {}", path.display()))
        .kind(Kind::Config)?;
    Ok(config::from_authentication_config(
        &text,
        version,
        &args.service_account_issuer,
    ))
}
