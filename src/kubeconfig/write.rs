//! Writing a kubeconfig: through `kubectl config` itself (so every field it knows, extensions
//! and preferences included, is kept as kubectl keeps it), on a copy beside the file that
//! replaces it atomically, with a backup of the original beside it.
//!
//! Writers are serialised the way kubectl serialises its own: `<file>.lock`, created
//! exclusively and removed after (client-go's `lockFile`), so two `setup --write` at once, or
//! one beside `kubectl config set-...`, never lose each other's entries. What to change is
//! decided on the file as it is once the lock is held. A kubeconfig that is a symbolic link
//! (a dotfile manager's) is written through the link, to its target.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use serde_json::Value as Json;

use super::Kubectl;
use super::lock::FileLock;
use crate::error::{Error, Kind, ResultExt as _};

/// The kubeconfig files kubectl reads, in order: `--kubeconfig`, else every file of
/// `$KUBECONFIG`, else `~/.kube/config`.
pub fn files(flag: Option<&Path>, env: Option<&OsStr>, home: Option<&Path>) -> Vec<PathBuf> {
    if let Some(p) = flag {
        return vec![p.to_owned()];
    }
    let listed: Vec<PathBuf> = env
        .map(|v| {
            std::env::split_paths(v)
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        })
        .unwrap_or_default();
    if !listed.is_empty() {
        return listed;
    }
    home.map(|h| vec![h.join(".kube").join("config")])
        .unwrap_or_default()
}

/// The file kubectl's `config set-credentials` writes a new entry to, among `files`: the one
/// given, else the first that exists, else the last (client-go's `GetDefaultFilename`).
pub fn default_file(files: &[PathBuf]) -> Option<PathBuf> {
    files.iter().find(|f| f.exists()).or(files.last()).cloned()
}

/// Where a kubeconfig path leads: the file itself, or the target of the symbolic link(s) it
/// is, so that a write replaces the target and the link stays.
pub fn resolve(path: &Path) -> anyhow::Result<PathBuf> {
    let mut path = path.to_owned();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&path)
                    .with_context(|| format!("cannot read the symbolic link {}", path.display()))
                    .kind(Kind::Config)?;
                path = match path.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(path),
        }
    }
    Err(Error::new(
        Kind::Config,
        format!("{} is a loop of symbolic links", path.display()),
    ))
}

/// The exec entry's command: the plugin itself, found on PATH (krew's bin directory and the
/// archives' install put it there; Windows finds `kubectl-oidc.exe` by itself). Not
/// `kubectl oidc ...`: that starts kubectl a second time on every API call only to look the
/// plugin up (55 ms against 1 ms for the plugin itself, BENCHMARKS.md).
pub const COMMAND: &str = "kubectl-oidc";

/// What kubectl shows when the entry's command is not on PATH (the exec entry's
/// `installHint`).
pub const INSTALL_HINT: &str = "kubectl-oidc, the OpenID Connect credential plugin of this \
kubeconfig entry, is not on PATH. Install it from a checkout of its source:
  cargo install --locked --path .
and put ~/.cargo/bin on PATH (no release is published yet; the README's Install section has
the other routes).";

/// The `user` object of an exec entry that runs `kubectl-oidc get-token ARGS`, with its
/// `installHint`, as `kubectl config view -o json` shows it. `base` is the user object it
/// replaces: a kubelogin entry's apiVersion, interactiveMode and env are kept (not the nulls
/// and defaults kubectl's view adds); anything that is not an exec entry (an auth-provider, a
/// token) is replaced whole.
pub fn exec_user(get_token_args: &[String], base: Option<&Json>) -> Json {
    let mut args = vec![Json::from("get-token")];
    args.extend(get_token_args.iter().map(|a| Json::from(a.as_str())));
    let mut exec = serde_json::json!({
        "apiVersion": "client.authentication.k8s.io/v1",
        "interactiveMode": "IfAvailable",
    });
    if let Some(kept) = base.and_then(|b| b["exec"].as_object()) {
        for (k, v) in kept {
            exec[k] = v.clone();
        }
    }
    exec["command"] = COMMAND.into();
    exec["args"] = Json::Array(args);
    exec["installHint"] = INSTALL_HINT.into();
    let user = serde_json::json!({ "exec": exec });
    without_view_defaults(user)
}

/// A user object without what kubectl's view adds to every exec entry and nobody wrote
/// (`env: null`, `provideClusterInfo: false`).
fn without_view_defaults(mut user: Json) -> Json {
    if let Some(exec) = user["exec"].as_object_mut() {
        exec.retain(|k, v| !(v.is_null() || (k == "provideClusterInfo" && *v == false)));
    }
    user
}

/// `kubectl config set-credentials NAME` for an exec entry that runs `kubectl-oidc get-token
/// ARGS`, for people to run (`--write` writes the entry as data instead): kubectl reads
/// `--exec-arg` as CSV, so an argument with a comma, a quote or surrounding blanks is quoted
/// as one CSV field.
pub fn set_credentials(user: &str, get_token_args: &[String]) -> Vec<String> {
    let mut cmd: Vec<String> = [
        "set-credentials",
        user,
        "--exec-api-version=client.authentication.k8s.io/v1",
        "--exec-interactive-mode=IfAvailable",
    ]
    .map(str::to_owned)
    .to_vec();
    cmd.push(format!("--exec-command={COMMAND}"));
    cmd.push("--exec-arg=get-token".to_owned());
    cmd.extend(
        get_token_args
            .iter()
            .map(|a| format!("--exec-arg={}", csv_field(a))),
    );
    cmd
}

/// One value as a field of pflag's CSV-read flags (`StringSlice`): quoted when it holds what
/// CSV would split or unquote, `"` doubled inside.
fn csv_field(value: &str) -> String {
    let plain =
        !value.is_empty() && !value.contains([',', '"', '\n', '\r']) && value.trim() == value;
    if plain {
        value.to_owned()
    } else {
        format!("\"{}\"", value.replace('"', "\"\""))
    }
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

/// Where [`edit`] keeps the file as it was: `<file>.kubectl-oidc.bak` beside it.
pub(super) fn backup_of(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(".kubectl-oidc.bak");
    path.with_file_name(name)
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
        .map_err(|e| {
            Error::new(
                Kind::Config,
                format!(
                    "kubectl cannot read the kubeconfig {} ({e:#}); nothing was changed in it: fix \
                     the file{}, or pass --kubeconfig with another",
                    path.display(),
                    Some(backup_of(path))
                        .filter(|b| b.exists())
                        .map(|b| format!(
                            " (the copy kubectl-oidc kept before its last edit is {})",
                            b.display()
                        ))
                        .unwrap_or_default()
                ),
            )
        })?;
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

/// What a plan for [`edit`] changes: `kubectl config` commands (clusters, contexts, users to
/// delete), then users written as data, each `(name, user object)`, replacing the user of
/// that name or added after the others. Users are never written through `kubectl config
/// set-credentials`, whose `--exec-arg` is read as CSV and would split an argument at a comma.
/// Last, each `(cluster, config)` of `cluster_extensions` becomes that cluster's
/// `client.authentication.k8s.io/exec` extension (`kubectl config` has no flag for one).
#[derive(Debug, Default)]
pub struct Changes {
    pub commands: Vec<Vec<String>>,
    pub users: Vec<(String, Json)>,
    pub cluster_extensions: Vec<(String, Json)>,
}

impl Changes {
    fn is_empty(&self) -> bool {
        self.commands.is_empty() && self.users.is_empty() && self.cluster_extensions.is_empty()
    }
}

/// What [`edit`] did.
#[derive(Debug)]
pub enum Edited {
    /// The commands were applied; the previous file is kept at the backup path (when there
    /// was one).
    Written { backup: Option<PathBuf> },
    /// The plan had nothing to change.
    Unchanged,
}

/// Edit the kubeconfig at `path` (through a symbolic link, to its target): under the file's
/// lock, `plan` sees the file as it is now and gives the `kubectl config` commands to apply
/// (none: nothing to change); they run on a copy beside it, which then replaces it (readers
/// see the old file or the new one). The original is kept as `<file>.kubectl-oidc.bak`.
pub fn edit(
    path: &Path,
    plan: impl FnOnce(&Json) -> anyhow::Result<Changes>,
) -> anyhow::Result<Edited> {
    let path = resolve(path)?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_owned();
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create {}", dir.display()))
        .kind(Kind::Config)?;
    let _lock = FileLock::take(&path, Duration::from_secs(10))?;
    let changes = plan(&view(&path)?)?;
    if changes.is_empty() {
        return Ok(Edited::Unchanged);
    }
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("config");
    let mut suffix = [0u8; 6];
    getrandom::fill(&mut suffix).map_err(|e| anyhow::anyhow!("no randomness available: {e}"))?;
    let tmp = dir.join(format!(
        ".{name}.kubectl-oidc.{}.tmp",
        crate::text::hex(&suffix)
    ));
    let backup = path.exists().then(|| backup_of(&path));
    // Ctrl-C (or SIGTERM, SIGHUP) now leaves neither the copy, which holds the file's
    // secrets, nor the lock, which would fail every later `kubectl config` ("file exists").
    let _remove_tmp = crate::signals::remove_on_signal(&tmp);
    let result = apply(&path, &tmp, backup.as_deref(), &changes);
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.kind(Kind::Config)?;
    Ok(Edited::Written { backup })
}

/// Make the changes in a copy of `path` (`tmp`; the original first copied to `backup`) with
/// `kubectl config`, make it private and durable, and put it in place.
fn apply(path: &Path, tmp: &Path, backup: Option<&Path>, changes: &Changes) -> anyhow::Result<()> {
    if let Some(b) = backup {
        copy_private(path, b)
            .with_context(|| format!("cannot back up {} to {}", path.display(), b.display()))?;
        copy_private(path, tmp)
            .with_context(|| format!("cannot copy {} to {}", path.display(), tmp.display()))?;
    }
    let kubectl = Kubectl {
        kubeconfig: Some(tmp.to_owned()),
    };
    for command in &changes.commands {
        let mut args = vec!["config"];
        args.extend(command.iter().map(String::as_str));
        kubectl.run(None, &args)?;
    }
    if !changes.users.is_empty() || !changes.cluster_extensions.is_empty() {
        super::data::set(tmp, changes)?;
    }
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(tmp)
        .with_context(|| format!("cannot open {}", tmp.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        // A kubeconfig holds credentials of other users: keep it private.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot make {} private", tmp.display()))?;
    }
    file.sync_all()
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(tmp, path)
        .with_context(|| format!("cannot replace {} with {}", path.display(), tmp.display()))?;
    Ok(())
}

/// Copy `from` to `to`, which is 0600 from its creation (a kubeconfig holds credentials: a
/// backup or a copy of one is as private as a cache file, whatever the original's mode).
fn copy_private(from: &Path, to: &Path) -> std::io::Result<()> {
    let mut source = std::fs::File::open(from)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut target = options.open(to)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        // An existing backup keeps its mode on open: make it private too.
        target.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    std::io::copy(&mut source, &mut target)?;
    target.sync_all()
}

/// Whether two user objects are the same entry, kubectl's view defaults aside (`env: null`,
/// `provideClusterInfo: false`).
pub fn same_user(a: &Json, b: &Json) -> bool {
    without_view_defaults(a.clone()) == without_view_defaults(b.clone())
}

/// Whether two user objects run the same login: the same entry, whether shared by clusters
/// (`provideClusterInfo`) or not.
pub fn same_login(a: &Json, b: &Json) -> bool {
    let unshared = |u: &Json| {
        let mut u = u.clone();
        if let Some(exec) = u["exec"].as_object_mut() {
            exec.remove("provideClusterInfo");
        }
        u
    };
    same_user(&unshared(a), &unshared(b))
}

/// Whether kubectl kept what was set of a user: its exec command, arguments, install hint and
/// sharing exactly (kubectl adds its defaults, such as `env: null`, to the rest).
pub(super) fn same_exec(got: &Json, wanted: &Json) -> bool {
    let shared = |u: &Json| u["exec"]["provideClusterInfo"] == true;
    shared(got) == shared(wanted)
        && ["command", "args", "installHint"]
            .iter()
            .all(|k| got["exec"][k] == wanted["exec"][k])
}

#[cfg(test)]
#[path = "write_tests.rs"]
mod tests;
