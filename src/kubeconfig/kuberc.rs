//! kubectl's credential plugin policy (kuberc `credentialPluginPolicy` and
//! `credentialPluginAllowlist`, kubectl 1.35+): an organisation lets kubectl run only listed
//! exec plugins. Pure: what the file says, and whether it lets a command run, judged as
//! client-go's `checkAllowlistLocked` judges it, with the caller's `exec.LookPath`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// What a kuberc file says about credential plugins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Policy {
    /// No policy (or `AllowAll`): kubectl runs every plugin.
    AllowAll,
    DenyAll,
    /// Only these commands (a deprecated `name` is taken as the `command`, as kubectl does).
    Allowlist(Vec<String>),
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Raw {
    #[serde(default)]
    credential_plugin_policy: String,
    credential_plugin_allowlist: Option<Vec<RawEntry>>,
}

#[derive(Deserialize)]
struct RawEntry {
    #[serde(default)]
    name: String,
    #[serde(default)]
    command: String,
}

/// The policy of a kuberc file's text; an error is what kubectl would refuse every command
/// with (so every plugin fails), in kubectl's words where it has them.
pub fn parse(text: &str) -> Result<Policy, String> {
    let raw: Raw = if text.trim().is_empty() {
        Raw::default()
    } else {
        serde_saphyr::from_str(text).map_err(|e| format!("it is not a kuberc file ({e})"))?
    };
    let list = raw.credential_plugin_allowlist;
    match raw.credential_plugin_policy.as_str() {
        "" | "AllowAll" | "DenyAll" if list.is_some() => Err(format!(
            "misconfigured credential plugin allowlist: plugin policy is {:?} but allowlist is non-nil",
            raw.credential_plugin_policy
        )),
        "" | "AllowAll" => Ok(Policy::AllowAll),
        "DenyAll" => Ok(Policy::DenyAll),
        "Allowlist" => {
            let list = list.ok_or(
                "credential plugin policy set to \"Allowlist\", but allowlist is unspecified",
            )?;
            if list.is_empty() {
                return Err(
                    "credential plugin policy set to \"Allowlist\", but allowlist is empty".into(),
                );
            }
            list.into_iter()
                .enumerate()
                .map(|(i, e)| match (e.name.as_str(), e.command.as_str()) {
                    ("", "") => Err(format!(
                        "misconfigured credential plugin allowlist: empty allowlist entry #{}",
                        i + 1
                    )),
                    (n, c) if !n.is_empty() && !c.is_empty() && n != c => Err(format!(
                        "allowlist entry #{} gives both name {n:?} and command {c:?}",
                        i + 1
                    )),
                    (n, "") => Ok(n.to_owned()),
                    (_, c) => Ok(c.to_owned()),
                })
                .collect::<Result<_, _>>()
                .map(Policy::Allowlist)
        }
        other => Err(format!("unknown plugin policy: {other:?}")),
    }
}

/// Whether kubectl runs an exec entry's `command` under `policy`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// kubectl refuses it, with (about) its words.
    Refused(String),
}

/// Judge `command` as client-go does: allowed when the allowlist holds the command as written
/// or as resolved, or an entry of the same base name resolves to the same path. `look_path` is
/// `exec.LookPath`: a name without a separator searched on PATH, a path taken as it is when it
/// is an executable file.
pub fn judge(
    policy: &Policy,
    command: &str,
    look_path: impl Fn(&str) -> Option<PathBuf>,
) -> Verdict {
    let list = match policy {
        Policy::AllowAll => return Verdict::Allowed,
        Policy::DenyAll => {
            return Verdict::Refused(format!(
                "plugin {command:?} not allowed: policy set to \"DenyAll\""
            ));
        }
        Policy::Allowlist(list) => list,
    };
    let listed = |p: &str| list.iter().any(|e| e == p);
    let resolved = look_path(command);
    let shown = resolved
        .as_deref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| command.to_owned());
    if listed(command) || listed(&shown) {
        return Verdict::Allowed;
    }
    let Some(resolved) = resolved else {
        return Verdict::Refused(format!(
            "plugin path {command:?} cannot be resolved for credential plugin allowlist check"
        ));
    };
    let base = |p: &str| Path::new(p).file_name().map(ToOwned::to_owned);
    let same = list.iter().any(|e| {
        base(e) == resolved.file_name().map(ToOwned::to_owned)
            && look_path(e).as_deref() == Some(resolved.as_path())
    });
    if same {
        Verdict::Allowed
    } else {
        Verdict::Refused(format!(
            "plugin path {shown:?} is not permitted by the credential plugin allowlist"
        ))
    }
}

/// Whether kubectl's failure text is its credential plugin policy refusing a plugin.
pub fn is_refusal(kubectl_stderr: &str) -> bool {
    kubectl_stderr.contains("is not permitted by the credential plugin allowlist")
        || (kubectl_stderr.contains("not allowed: policy set to"))
        || kubectl_stderr.contains("cannot be resolved for credential plugin allowlist check")
}

/// The allowlist with `ours` added (kept as it is when listed already).
pub fn with_entry(list: &[String], ours: &str) -> Vec<String> {
    let mut list = list.to_vec();
    if !list.iter().any(|e| e == ours) {
        list.push(ours.to_owned());
    }
    list
}

#[cfg(test)]
#[path = "kuberc_tests.rs"]
mod tests;
