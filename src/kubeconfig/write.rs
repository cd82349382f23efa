//! Writing a kubeconfig: through `kubectl config` itself (so every field it knows, extensions
//! and preferences included, is kept as kubectl keeps it), on a copy beside the file that
//! replaces it atomically, with a backup of the original beside it.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde_json::Value as Json;

use super::Kubectl;
use crate::error::{Kind, ResultExt as _};

/// The kubeconfig `setup` writes: `--kubeconfig`, else the first file of `$KUBECONFIG`, else
/// `~/.kube/config`.
pub fn target_path(
    flag: Option<&Path>,
    env: Option<&OsStr>,
    home: Option<&Path>,
) -> Option<PathBuf> {
    if let Some(p) = flag {
        return Some(p.to_owned());
    }
    if let Some(first) =
        env.and_then(|v| std::env::split_paths(v).find(|p| !p.as_os_str().is_empty()))
    {
        return Some(first);
    }
    home.map(|h| h.join(".kube").join("config"))
}

/// `kubectl config set-credentials NAME` for an exec entry that runs `kubectl oidc get-token`.
pub fn set_credentials(user: &str, get_token_args: &[String]) -> Vec<String> {
    let mut cmd: Vec<String> = [
        "set-credentials",
        user,
        "--exec-api-version=client.authentication.k8s.io/v1",
        "--exec-interactive-mode=IfAvailable",
        "--exec-command=kubectl",
        "--exec-arg=oidc",
        "--exec-arg=get-token",
    ]
    .map(str::to_owned)
    .to_vec();
    cmd.extend(get_token_args.iter().map(|a| format!("--exec-arg={a}")));
    cmd
}

/// `kubectl config set-cluster` (and its CA) and `set-context` for a new cluster.
pub fn set_cluster(cluster: &str, server: &str, ca: Option<&Path>, user: &str) -> Vec<Vec<String>> {
    let mut set = vec![
        "set-cluster".to_owned(),
        cluster.to_owned(),
        format!("--server={server}"),
    ];
    if let Some(ca) = ca {
        set.push(format!("--certificate-authority={}", ca.display()));
        set.push("--embed-certs=true".to_owned());
    }
    let context = vec![
        "set-context".to_owned(),
        cluster.to_owned(),
        format!("--cluster={cluster}"),
        format!("--user={user}"),
    ];
    vec![set, context]
}

/// The whole kubeconfig file as kubectl reads it (`{}` when it does not exist).
pub fn view(path: &Path) -> anyhow::Result<Json> {
    if !path.exists() {
        return Ok(Json::Object(Default::default()));
    }
    let kubectl = Kubectl {
        kubeconfig: Some(path.to_owned()),
    };
    let out = kubectl
        .run(None, &["config", "view", "--raw", "-o", "json"])
        .kind(Kind::Config)?;
    serde_json::from_slice(&out).context("kubectl config view printed something that is not JSON")
}

/// The `user` object of the user named `name`, if the kubeconfig has one.
pub fn user<'a>(doc: &'a Json, name: &str) -> Option<&'a Json> {
    doc["users"]
        .as_array()?
        .iter()
        .find(|u| u["name"] == name)
        .map(|u| &u["user"])
}

/// Apply `kubectl config` commands to `path`: on a copy beside it, which then replaces it
/// (readers see the old file or the new one). The original is kept as `<path>.kubectl-oidc.bak`.
/// Returns the backup's path, when there was a file to back up.
pub fn edit(path: &Path, commands: &[Vec<String>]) -> anyhow::Result<Option<PathBuf>> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create {}", dir.display()))
        .kind(Kind::Config)?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("config");
    let tmp = dir.join(format!(".{name}.kubectl-oidc.tmp"));
    let backup = path
        .exists()
        .then(|| dir.join(format!("{name}.kubectl-oidc.bak")));
    let result = (|| -> anyhow::Result<()> {
        if let Some(b) = &backup {
            std::fs::copy(path, b)
                .with_context(|| format!("cannot back up {} to {}", path.display(), b.display()))?;
            std::fs::copy(path, &tmp).with_context(|| format!("cannot copy {}", path.display()))?;
        }
        let kubectl = Kubectl {
            kubeconfig: Some(tmp.clone()),
        };
        for command in commands {
            let mut args = vec!["config"];
            args.extend(command.iter().map(String::as_str));
            kubectl.run(None, &args)?;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            // A kubeconfig holds credentials of other users: keep it private.
            std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))?;
        }
        std::fs::rename(&tmp, path)
            .with_context(|| format!("cannot replace {}", path.display()))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.kind(Kind::Config)?;
    Ok(backup)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kubeconfig_to_write() {
        let home = Path::new("/home/u");
        assert_eq!(
            target_path(Some(Path::new("/k")), Some(OsStr::new("/a:/b")), Some(home)),
            Some(PathBuf::from("/k"))
        );
        assert_eq!(
            target_path(None, Some(OsStr::new(":/a:/b")), Some(home)),
            Some(PathBuf::from("/a"))
        );
        assert_eq!(
            target_path(None, None, Some(home)),
            Some(PathBuf::from("/home/u/.kube/config"))
        );
    }

    #[test]
    fn an_exec_entry_that_runs_the_plugin() {
        let cmd = set_credentials("oidc", &["--oidc-issuer-url=https://idp".into()]);
        assert_eq!(cmd[..2], ["set-credentials", "oidc"]);
        assert!(cmd.contains(&"--exec-interactive-mode=IfAvailable".to_owned()));
        assert_eq!(
            cmd.last().unwrap(),
            "--exec-arg=--oidc-issuer-url=https://idp"
        );
    }
}
