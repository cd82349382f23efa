//! `version`: what this binary is, for bug reports.

use std::io::Write as _;

use anyhow::Context as _;

use crate::error::ExitStatus;

/// The OS keyring backend compiled in for this target.
pub const KEYRING: &str = if cfg!(target_os = "linux") {
    "Secret Service (D-Bus: gnome-keyring, KWallet)"
} else if cfg!(target_os = "macos") {
    "macOS Keychain"
} else if cfg!(target_os = "windows") {
    "Windows Credential Manager"
} else {
    "none (0600 files only)"
};

pub fn run() -> anyhow::Result<ExitStatus> {
    let text = format!(
        "kubectl-oidc {}\ncommit: {}\ntarget: {}\nkeyring: {}\n",
        env!("CARGO_PKG_VERSION"),
        env!("KUBECTL_OIDC_COMMIT"),
        env!("KUBECTL_OIDC_TARGET"),
        KEYRING
    );
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write the version")?;
    Ok(ExitStatus::Success)
}
