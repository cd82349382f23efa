//! Writing users and cluster extensions into a kubeconfig as data, through kubectl's own
//! reader and serializer (`kubectl config set-credentials` reads `--exec-arg` as CSV and
//! would split an argument at a comma; `kubectl config` has no flag for an extension).

use std::path::Path;

use anyhow::Context as _;
use serde_json::Value as Json;

use super::Kubectl;
use super::write::{Changes, same_exec, user, view};

/// Set the users and cluster extensions of `changes` in the kubeconfig `file` as data: the
/// file as kubectl reads it (`view --raw -o json`) gets each user object and extension, and
/// kubectl writes it back as its own YAML (`view --raw` of that JSON): kubectl's serializer,
/// every other field as it was. Checked by reading the result back: each user is exactly what
/// was set.
pub(super) fn set(file: &Path, changes: &Changes) -> anyhow::Result<()> {
    let users = &changes.users;
    let mut doc = view(file)?;
    if !doc["users"].is_array() {
        doc["users"] = Json::Array(Vec::new());
    }
    let list = doc["users"].as_array_mut().expect("an array, just made");
    for (name, user) in users {
        let entry = serde_json::json!({ "name": name, "user": user });
        match list.iter_mut().find(|u| u["name"] == name.as_str()) {
            Some(existing) => *existing = entry,
            None => list.push(entry),
        }
    }
    for (cluster, config) in &changes.cluster_extensions {
        set_extension(&mut doc, cluster, config)?;
    }
    let json = file.with_file_name(format!(
        "{}.json",
        file.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("config")
    ));
    let _remove_json = crate::signals::remove_on_signal(&json);
    let result = (|| -> anyhow::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut f = options
            .open(&json)
            .with_context(|| format!("cannot create {}", json.display()))?;
        std::io::Write::write_all(&mut f, &serde_json::to_vec(&doc)?)
            .with_context(|| format!("cannot write {}", json.display()))?;
        let yaml = Kubectl {
            kubeconfig: Some(json.clone()),
        }
        .run(None, &["config", "view", "--raw"])?;
        let yaml = without_defaults(&String::from_utf8_lossy(&yaml));
        std::fs::write(file, yaml).with_context(|| format!("cannot write {}", file.display()))?;
        let written = view(file)?;
        anyhow::ensure!(
            written == view(&json)?,
            "kubectl reads {} otherwise than what was set",
            file.display()
        );
        kept(file, &written, changes)
    })();
    let _ = std::fs::remove_file(&json);
    result
}

/// Whether kubectl kept each user and extension as set in `file` (read back as `written`).
fn kept(file: &Path, written: &Json, changes: &Changes) -> anyhow::Result<()> {
    for (name, wanted) in &changes.users {
        let got = user(written, name);
        anyhow::ensure!(
            got.is_some_and(|g| same_exec(g, wanted)),
            "kubectl did not keep user {name:?} as it was set in {}",
            file.display()
        );
    }
    for (cluster, config) in &changes.cluster_extensions {
        anyhow::ensure!(
            extension(written, cluster) == Some(config),
            "kubectl did not keep the exec extension of cluster {cluster:?} as it was set in {}",
            file.display()
        );
    }
    Ok(())
}

/// The cluster's `client.authentication.k8s.io/exec` extension in a view of the kubeconfig.
fn extension<'a>(doc: &'a Json, cluster: &str) -> Option<&'a Json> {
    doc["clusters"]
        .as_array()?
        .iter()
        .find(|c| c["name"] == cluster)?["cluster"]["extensions"]
        .as_array()?
        .iter()
        .find(|e| e["name"] == crate::cli::cluster::EXTENSION)
        .map(|e| &e["extension"])
}

/// Make `config` the exec extension of `cluster` (which the commands made), keeping its other
/// extensions.
fn set_extension(doc: &mut Json, cluster: &str, config: &Json) -> anyhow::Result<()> {
    let c = doc["clusters"]
        .as_array_mut()
        .and_then(|l| l.iter_mut().find(|c| c["name"] == cluster))
        .with_context(|| format!("the kubeconfig has no cluster {cluster:?}"))?;
    let cluster = &mut c["cluster"];
    if !cluster["extensions"].is_array() {
        cluster["extensions"] = Json::Array(Vec::new());
    }
    let list = cluster["extensions"]
        .as_array_mut()
        .expect("an array, just made");
    list.retain(|e| e["name"] != crate::cli::cluster::EXTENSION);
    list.push(serde_json::json!({
        "name": crate::cli::cluster::EXTENSION,
        "extension": config,
    }));
    Ok(())
}

/// kubectl's YAML without the defaults its serializer adds to every exec entry (`env: null`,
/// `provideClusterInfo: false`), which nobody wrote; kubectl reads the file the same without
/// them (checked after each write).
fn without_defaults(yaml: &str) -> String {
    yaml.lines()
        .filter(|l| !matches!(l.trim_start(), "env: null" | "provideClusterInfo: false"))
        .map(|l| format!("{l}\n"))
        .collect()
}
