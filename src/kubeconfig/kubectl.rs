//! Running kubectl: `config view` for a context, `get --raw` with a context's credentials.
//! stdin is closed, so an exec plugin of that context can never wait for input.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use anyhow::{Context as _, bail};
use serde_json::Value as Json;

use super::Context;
use crate::error::{Error, Kind, ResultExt as _};
use crate::text::shell_quote;

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
        let shown = std::iter::once(cmd.get_program())
            .chain(cmd.get_args())
            .map(|a| shell_quote(&a.to_string_lossy()))
            .collect::<Vec<_>>()
            .join(" ");
        let out = cmd
            .output()
            .with_context(|| format!("cannot run kubectl ({shown}); is it on PATH?"))
            .kind(Kind::Config)?;
        if !out.status.success() {
            let said = String::from_utf8_lossy(&out.stderr);
            let fix = if super::kuberc::is_refusal(&said) {
                "; kubectl's credential plugin policy (kuberc) does not let it run the plugin: \
                 `kubectl oidc setup --kuberc-allow` adds kubectl-oidc to its \
                 credentialPluginAllowlist (`kubectl kuberc view` shows the policy)"
            } else {
                ""
            };
            bail!("{shown} failed: {}{fix}", said.trim());
        }
        Ok(out.stdout)
    }

    /// The context (the current one when `None`), as kubectl resolves it; a context that is
    /// not there, or no current context, is said as such, with the command that lists them.
    pub fn context(&self, context: Option<&str>) -> anyhow::Result<Context> {
        let out = self
            .run(
                context,
                &["config", "view", "--raw", "--minify", "-o", "json"],
            )
            .map_err(|e| match self.no_such_context(context, &format!("{e:#}")) {
                Some(why) => Error::new(Kind::Config, why),
                None => Error::wrap(Kind::Config, e),
            })?;
        let doc: Json = serde_json::from_slice(&out)
            .context("kubectl config view printed something that is not JSON")?;
        Ok(Context::from_view(&doc))
    }

    /// What kubectl's `config view --minify` failure means for people, when it is the context
    /// that is missing. Pure.
    fn no_such_context(&self, context: Option<&str>, failure: &str) -> Option<String> {
        let (file, list) = match &self.kubeconfig {
            Some(k) => {
                let k = k.display().to_string();
                (
                    k.clone(),
                    format!("kubectl --kubeconfig {} config", shell_quote(&k)),
                )
            }
            None => (
                "your kubeconfig ($KUBECONFIG, else ~/.kube/config)".to_owned(),
                "kubectl config".to_owned(),
            ),
        };
        if self.kubeconfig.as_ref().is_some_and(|k| !k.exists()) {
            return Some(format!(
                "the kubeconfig {file} does not exist; pass --kubeconfig the file kubectl uses"
            ));
        }
        if let Some(name) = context.filter(|_| failure.contains("cannot locate context")) {
            return Some(format!(
                "{file} has no context {name:?}; `{list} get-contexts` lists the contexts it has"
            ));
        }
        failure.contains("current-context must exist").then(|| {
            format!(
                "{file} has no current context; pass --context NAME (`{list} get-contexts` \
                 lists them) or choose one with `{list} use-context NAME`"
            )
        })
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

    /// Whether this kubectl sets a kuberc's credential plugin allowlist (`kubectl kuberc set
    /// --section credentialplugin` came after the policy: a kubectl may enforce it without).
    pub fn has_kuberc_set(&self) -> bool {
        self.run(None, &["kuberc", "set", "--help"])
            .is_ok_and(|help| String::from_utf8_lossy(&help).contains("--allowlist-entry"))
    }

    /// `kubectl get --raw PATH` with the context's own credentials, as JSON.
    pub fn get_raw(&self, context: Option<&str>, path: &str) -> anyhow::Result<Json> {
        let out = self.run(context, &["get", "--raw", path])?;
        serde_json::from_slice(&out).with_context(|| format!("kubectl get --raw {path}: not JSON"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_context_is_said_with_the_command_that_lists_them() {
        let default = Kubectl::default();
        // A kubeconfig that exists (the advice for one that does not is another).
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kube config");
        std::fs::write(&path, "").unwrap();
        let named = Kubectl {
            kubeconfig: Some(path.clone()),
        };
        let absent = Kubectl {
            kubeconfig: Some(dir.path().join("absent")),
        };
        let shown = path.display().to_string();
        let cases: [(&Kubectl, Option<&str>, &str, Option<String>); 7] = [
            (
                &default,
                Some("prod"),
                "kubectl --context prod config view failed: error: cannot locate context prod",
                Some(
                    "your kubeconfig ($KUBECONFIG, else ~/.kube/config) has no context \"prod\"; \
                     `kubectl config get-contexts` lists"
                        .into(),
                ),
            ),
            (
                &named,
                Some("prod"),
                "error: cannot locate context prod",
                Some(format!(
                    "{shown} has no context \"prod\"; `kubectl --kubeconfig '{shown}' config get-contexts`"
                )),
            ),
            (
                &default,
                None,
                "error: current-context must exist in order to minify",
                Some(
                    "has no current context; pass --context NAME (`kubectl config get-contexts` \
                     lists them) or choose one with `kubectl config use-context NAME`"
                        .into(),
                ),
            ),
            (
                &named,
                None,
                "error: current-context must exist in order to minify",
                Some(format!("{shown} has no current context")),
            ),
            // kubectl says "current-context must exist" of a file that is not there too.
            (
                &absent,
                None,
                "error: current-context must exist in order to minify",
                Some("absent does not exist; pass --kubeconfig the file kubectl uses".into()),
            ),
            (
                &absent,
                Some("prod"),
                "error: cannot locate context prod",
                Some("absent does not exist".into()),
            ),
            (
                &default,
                Some("prod"),
                "error: unable to read client-cert",
                None,
            ),
        ];
        for (kubectl, context, failure, want) in cases {
            let got = kubectl.no_such_context(context, failure);
            match (want, got) {
                (Some(want), Some(got)) => assert!(got.contains(&want), "{got}"),
                (None, None) => {}
                (want, got) => panic!("{failure}: want {want:?}, got {got:?}"),
            }
        }
    }
}
