//! Running kubectl: `config view` for a context, `get --raw` with a context's credentials.
//! stdin is closed, so an exec plugin of that context can never wait for input.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use anyhow::{Context as _, bail};
use serde_json::Value as Json;

use super::Context;
use crate::error::{Kind, ResultExt as _};

/// kubectl with an optional `--kubeconfig`.
#[derive(Debug, Clone, Default)]
pub struct Kubectl {
    pub kubeconfig: Option<PathBuf>,
}

impl Kubectl {
    fn command(&self, context: Option<&str>) -> Command {
        let mut cmd = Command::new("kubectl");
        if let Some(k) = &self.kubeconfig {
            cmd.arg("--kubeconfig").arg(k);
        }
        if let Some(c) = context {
            cmd.args(["--context", c]);
        }
        cmd.stdin(Stdio::null());
        cmd
    }

    pub(super) fn run(&self, context: Option<&str>, args: &[&str]) -> anyhow::Result<Vec<u8>> {
        let mut cmd = self.command(context);
        cmd.args(args);
        let shown = format!("{cmd:?}");
        let out = cmd
            .output()
            .with_context(|| format!("cannot run kubectl ({shown}); is it on PATH?"))
            .kind(Kind::Config)?;
        if !out.status.success() {
            bail!(
                "{shown} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(out.stdout)
    }

    /// The context (the current one when `None`), as kubectl resolves it.
    pub fn context(&self, context: Option<&str>) -> anyhow::Result<Context> {
        let out = self
            .run(
                context,
                &["config", "view", "--raw", "--minify", "-o", "json"],
            )
            .kind(Kind::Config)?;
        let doc: Json = serde_json::from_slice(&out)
            .context("kubectl config view printed something that is not JSON")?;
        Ok(Context::from_view(&doc))
    }

    /// The whole kubeconfig as kubectl merges it (`config view --raw -o json`): every file of
    /// `$KUBECONFIG`, or `--kubeconfig`.
    pub fn view(&self) -> anyhow::Result<Json> {
        let out = self
            .run(None, &["config", "view", "--raw", "-o", "json"])
            .kind(Kind::Config)?;
        serde_json::from_slice(&out)
            .context("kubectl config view printed something that is not JSON")
    }

    /// `kubectl get --raw PATH` with the context's own credentials, as JSON.
    pub fn get_raw(&self, context: Option<&str>, path: &str) -> anyhow::Result<Json> {
        let out = self.run(context, &["get", "--raw", path])?;
        serde_json::from_slice(&out).with_context(|| format!("kubectl get --raw {path}: not JSON"))
    }
}
