//! The kuberc file kubectl reads, judged for kubectl-oidc ([`super::kuberc`]), and
//! kubectl-oidc added to its credential plugin allowlist: through `kubectl kuberc set` where
//! kubectl has its `credentialplugin` section, else in the file itself (its previous content kept
//! beside it), under kubectl's lock on the file either way.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use serde_json::Value as Json;

use super::kuberc::{self, Policy, Verdict};
use super::lock::FileLock;
use crate::error::{Kind, ResultExt as _};

/// Where kubectl reads its kuberc: `--kuberc`, else `$KUBERC`, else `~/.kube/kuberc`; none
/// when `KUBERC=off` or the `KUBECTL_KUBERC=false` feature gate turns kuberc off. Pure.
pub fn locate(
    flag: Option<&Path>,
    kuberc_env: Option<OsString>,
    gate: Option<OsString>,
    home: Option<&Path>,
) -> Option<PathBuf> {
    if gate.is_some_and(|g| g.eq_ignore_ascii_case("false")) {
        return None;
    }
    if let Some(f) = flag {
        return Some(f.to_owned());
    }
    match kuberc_env.filter(|v| !v.is_empty()) {
        Some(v) if v == "off" => None,
        Some(v) => Some(PathBuf::from(v)),
        None => home.map(|h| h.join(".kube").join("kuberc")),
    }
}

/// The kuberc kubectl reads on this machine: `flag`, else as the environment says.
pub fn here(flag: Option<&Path>) -> Option<PathBuf> {
    let (env, gate) = crate::settings::kuberc_env();
    let home = directories::BaseDirs::new().map(|b| b.home_dir().to_owned());
    locate(flag, env, gate, home.as_deref())
}

/// Why kubectl here will not run the kubeconfig entries' command, if it will not: the
/// kuberc's path and kubectl's reason.
pub fn refusal() -> Option<(PathBuf, String)> {
    let path = here(None)?;
    let why = match read(&path).ok()? {
        Err(why) => format!("kubectl refuses this kuberc: {why}"),
        Ok(p) => match judge(&p) {
            Verdict::Allowed => return None,
            Verdict::Refused(why) => why,
        },
    };
    Some((path, why))
}

/// The policy in the file at `path` (none there: kubectl runs every plugin); `Err` inside:
/// what kubectl says of a file it refuses.
pub fn read(path: &Path) -> anyhow::Result<Result<Policy, String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(kuberc::parse(&text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Ok(Policy::AllowAll)),
        Err(e) => Err(e)
            .with_context(|| format!("cannot read the kuberc {}", path.display()))
            .kind(Kind::Config),
    }
}

/// Go's `exec.LookPath`: a command with a separator is taken as it is when it is an
/// executable file; a name is searched in `$PATH`.
pub fn look_path(command: &str) -> Option<PathBuf> {
    let executable = |p: &Path| {
        let Ok(m) = std::fs::metadata(p) else {
            return false;
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            m.is_file() && m.permissions().mode() & 0o111 != 0
        }
        #[cfg(not(unix))]
        m.is_file()
    };
    if command.contains(std::path::MAIN_SEPARATOR) || command.contains('/') {
        return executable(Path::new(command)).then(|| PathBuf::from(command));
    }
    let path = crate::settings::path_env()?;
    std::env::split_paths(&path)
        .filter(|d| d.is_absolute())
        .map(|d| d.join(command))
        .find(|p| executable(p))
}

/// How kubectl judges the command the kubeconfig entries run.
pub fn judge(policy: &Policy) -> Verdict {
    kuberc::judge(policy, super::write::COMMAND, look_path)
}

/// The allowlist entry that lets the entries' command run: where kubectl finds it on PATH
/// (else this binary).
pub fn our_entry() -> String {
    look_path(super::write::COMMAND)
        .or_else(|| std::env::current_exe().ok())
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| super::write::COMMAND.to_owned())
}

/// What [`allow`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Allowed {
    /// kubectl runs every plugin (no policy, or `AllowAll`): nothing written.
    NotRestricted,
    /// The allowlist lets it run already.
    Already,
    /// Added `entry`, through `kubectl kuberc set` or into the file (`backup`: the file as it
    /// was).
    Added {
        through_kubectl: bool,
        backup: Option<PathBuf>,
    },
    /// `DenyAll`, or a file kubectl refuses: not ours to change.
    Refused(String),
}

/// Add `entry` to the kuberc's allowlist at `path` when its policy is an allowlist that does
/// not let the entries' command run; decided on the file as it is under kubectl's lock.
pub fn allow(path: &Path, entry: &str, kubectl: &super::Kubectl) -> anyhow::Result<Allowed> {
    let _lock = FileLock::take(path, Duration::from_secs(10))?;
    let list = match read(path)? {
        Err(why) => return Ok(Allowed::Refused(why)),
        Ok(Policy::AllowAll) => return Ok(Allowed::NotRestricted),
        Ok(Policy::DenyAll) => {
            return Ok(Allowed::Refused(
                "its credentialPluginPolicy is DenyAll: kubectl runs no credential plugin".into(),
            ));
        }
        Ok(p @ Policy::Allowlist(_)) if judge(&p) == Verdict::Allowed => {
            return Ok(Allowed::Already);
        }
        Ok(Policy::Allowlist(list)) => kuberc::with_entry(&list, entry),
    };
    // `kuberc set` replaces the list with its --allowlist-entry flags, which it splits at commas.
    if kubectl.has_kuberc_set() && !list.iter().any(|e| e.contains(',')) {
        let mut args = vec![
            "kuberc".to_owned(),
            "set".into(),
            format!("--kuberc={}", path.display()),
            "--section=credentialplugin".into(),
            "--policy=Allowlist".into(),
        ];
        args.extend(
            list.iter()
                .map(|e| format!("--allowlist-entry=command={e}")),
        );
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        kubectl.run(None, &args).kind(Kind::Config)?;
        return Ok(Allowed::Added {
            through_kubectl: true,
            backup: None,
        });
    }
    let backup = write_file(path, &list)?;
    Ok(Allowed::Added {
        through_kubectl: false,
        backup: Some(backup),
    })
}

/// The kuberc at `path` with this allowlist, every other field kept (comments are not: the
/// file as it was stays at `<file>.kubectl-oidc.bak`).
fn write_file(path: &Path, list: &[String]) -> anyhow::Result<PathBuf> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the kuberc {}", path.display()))
        .kind(Kind::Config)?;
    let mut doc: Json = serde_saphyr::from_str(&text)
        .with_context(|| format!("cannot read the kuberc {}", path.display()))
        .kind(Kind::Config)?;
    doc["credentialPluginAllowlist"] = list
        .iter()
        .map(|e| serde_json::json!({ "command": e }))
        .collect();
    let yaml = serde_saphyr::to_string(&doc).context("cannot write YAML")?;
    let backup = super::write::backup_of(path);
    let tmp = path.with_extension("kubectl-oidc.tmp");
    let _remove_tmp = crate::signals::remove_on_signal(&tmp);
    let result = (|| -> std::io::Result<()> {
        std::fs::copy(path, &backup)?;
        std::fs::copy(path, &tmp)?;
        std::fs::write(&tmp, yaml)?;
        std::fs::File::open(&tmp)?.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
        .with_context(|| format!("cannot write the kuberc {}", path.display()))
        .kind(Kind::Config)?;
    Ok(backup)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn where_kubectl_reads_its_kuberc() {
        let home = Path::new("/home/u");
        let os = |s: &str| Some(OsString::from(s));
        // (--kuberc, $KUBERC, $KUBECTL_KUBERC, the file kubectl reads)
        type Case<'a> = (
            Option<&'a str>,
            Option<OsString>,
            Option<OsString>,
            Option<&'a str>,
        );
        let table: &[Case] = &[
            (None, None, None, Some("/home/u/.kube/kuberc")),
            (None, os(""), None, Some("/home/u/.kube/kuberc")),
            (None, os("/etc/kuberc"), None, Some("/etc/kuberc")),
            (None, os("off"), None, None),
            (
                Some("/x/kuberc"),
                os("/etc/kuberc"),
                None,
                Some("/x/kuberc"),
            ),
            (None, None, os("false"), None),
            (None, None, os("true"), Some("/home/u/.kube/kuberc")),
        ];
        for (flag, env, gate, want) in table {
            assert_eq!(
                locate(flag.map(Path::new), env.clone(), gate.clone(), Some(home)).as_deref(),
                want.map(Path::new),
                "{flag:?} {env:?} {gate:?}"
            );
        }
    }
}
