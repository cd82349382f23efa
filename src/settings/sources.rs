//! Where a setting's value comes from when there are several: a secret or its file (a flag
//! beats a variable; the subject token of a token exchange too), and the kubelogin flags of
//! old kubeconfigs (mapped or ignored, with a notice).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::usage;
use crate::cli::{Origin, TokenArgs};
use crate::error::{Kind, ResultExt as _};
use crate::secret::Secret;

/// kubelogin flags that old kubeconfigs still carry: mapped, or ignored, with a one-line notice
/// to update the kubeconfig; and the TLS renegotiation switches rustls cannot honour.
pub(super) fn removed_kubelogin_flags(args: &TokenArgs, listen: &mut Vec<SocketAddr>) {
    if !args.listen_port.is_empty() {
        if args.given.is_set("listen-address") {
            crate::ui::warn(
                "kubelogin's removed --listen-port is ignored: --listen-address is given",
            );
        } else {
            *listen = args
                .listen_port
                .iter()
                .map(|p| SocketAddr::from(([127, 0, 0, 1], *p)))
                .collect();
            let list: Vec<String> = listen
                .iter()
                .map(|a| format!("--listen-address={a}"))
                .collect();
            crate::ui::warn(&format!(
                "kubelogin's removed --listen-port is taken as {}; put that in the kubeconfig instead",
                list.join(" ")
            ));
        }
    }
    if args.oidc_redirect_url_authcode_keyboard.is_some() {
        crate::ui::warn(
            "kubelogin's removed --oidc-redirect-url-authcode-keyboard is taken as --oidc-redirect-url \
             for --grant-type=authcode-keyboard; use --oidc-redirect-url instead",
        );
    }
    if args.tls.tls_renegotiation_once || args.tls.tls_renegotiation_freely {
        crate::ui::warn(
            "--tls-renegotiation-once/--tls-renegotiation-freely have no effect: rustls implements no TLS \
             renegotiation; a provider that requires it must be reached through a TLS-terminating proxy",
        );
    }
}

/// A secret or its file: a flag beats a variable; two of the same kind are a mistake.
pub(super) type SecretOrFile = (Option<Secret<String>>, Option<PathBuf>);
pub(super) fn one_secret(
    args: &TokenArgs,
    (secret_flag, secret): (&str, &Option<Secret<String>>),
    (file_flag, file): (&str, &Option<PathBuf>),
) -> anyhow::Result<SecretOrFile> {
    match (secret, file) {
        (Some(secret), Some(file)) => {
            let flag = |long| args.given.origin(long) == Some(&Origin::Flag);
            match (flag(secret_flag), flag(file_flag)) {
                (true, false) => Ok((Some(secret.clone()), None)),
                (false, true) => Ok((None, Some(file.clone()))),
                _ => Err(usage(format!(
                    "both --{secret_flag} and --{file_flag} are given (as flags, or as {} and {}): keep one",
                    crate::cli::env_name(secret_flag),
                    crate::cli::env_name(file_flag)
                ))),
            }
        }
        (secret, file) => Ok((secret.clone(), file.clone())),
    }
}

/// A secret given directly, or read from its file now (trailing newline ignored).
pub(super) fn secret_or_file(
    secret: &Option<Secret<String>>,
    file: Option<&Path>,
    file_flag: &str,
) -> anyhow::Result<Option<Secret<String>>> {
    if let Some(path) = file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {file_flag} {}", path.display()))
            .kind(Kind::Config)?;
        return Ok(Some(Secret::new(
            text.trim_end_matches(['\r', '\n']).to_owned(),
        )));
    }
    Ok(secret.clone())
}

/// The token to exchange, from --subject-token(-file) or their variables; required.
pub(super) fn subject_token(args: &TokenArgs) -> anyhow::Result<Secret<String>> {
    let (token, file) = one_secret(
        args,
        ("subject-token", &args.subject_token),
        ("subject-token-file", &args.subject_token_file),
    )?;
    match secret_or_file(&token, file.as_deref(), "--subject-token-file")? {
        Some(t) if !t.expose().trim().is_empty() => Ok(Secret::new(t.expose().trim().to_owned())),
        Some(_) => Err(usage(format!(
            "--grant-type=token-exchange: the subject token{} is empty",
            file.map(|f| format!(" in {}", f.display()))
                .unwrap_or_default()
        ))),
        None => Err(usage(
            "--grant-type=token-exchange needs the token to exchange: --subject-token-file PATH \
             (or KUBECTL_OIDC_SUBJECT_TOKEN_FILE), or KUBECTL_OIDC_SUBJECT_TOKEN",
        )),
    }
}

/// What identifies a subject token in its cache key: its SHA-256 (never the token itself).
pub(super) fn subject_digest(subject: &Secret<String>) -> String {
    use sha2::Digest as _;
    crate::text::hex(&sha2::Sha256::digest(subject.expose().as_bytes()))
}
