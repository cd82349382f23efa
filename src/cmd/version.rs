//! `version`: what this binary is, for bug reports (the same as `--version`).

use std::io::Write as _;

use anyhow::Context as _;

use crate::cli::LONG_VERSION;
use crate::error::ExitStatus;

pub fn run() -> anyhow::Result<ExitStatus> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "kubectl-oidc {LONG_VERSION}")
        .and_then(|()| out.flush())
        .context("cannot write the version")?;
    Ok(ExitStatus::Success)
}
