//! `version`: what this binary is, for bug reports (the same as `--version`).

use crate::cli::LONG_VERSION;
use crate::error::ExitStatus;

pub fn run() -> anyhow::Result<ExitStatus> {
    super::print(
        "version",
        format!("kubectl-oidc {LONG_VERSION}\n").as_bytes(),
    )?;
    Ok(ExitStatus::Success)
}
