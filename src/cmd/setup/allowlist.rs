//! kubectl's credential plugin policy after setup: the kuberc allowlist entry that lets
//! kubectl run kubectl-oidc is said, and with `--kuberc-allow` added (kubeconfig/policy.rs).

use crate::cli::SetupArgs;
use crate::error::{Error, Kind};
use crate::kubeconfig::kuberc::{Policy, Verdict};
use crate::kubeconfig::{Kubectl, policy};
use crate::ui;

/// The kuberc's verdict on kubectl-oidc, said; with `--kuberc-allow`, the entry added where
/// an allowlist lacks it. An allowlist this cannot change (DenyAll, a file kubectl refuses) is
/// an error only when the change was asked for.
pub fn advise(args: &SetupArgs) -> anyhow::Result<()> {
    let Some(path) = policy::here(args.kuberc.as_deref()) else {
        if args.kuberc_allow {
            ui::info(
                "kubectl reads no kuberc here (KUBERC=off or KUBECTL_KUBERC=false): it runs every \
                 credential plugin; nothing to allow",
            );
        }
        return Ok(());
    };
    let entry = policy::our_entry();
    let file = path.display();
    let refused = |why: String| -> anyhow::Result<()> {
        let text = format!(
            "kubectl will not run kubectl-oidc: {why} ({file}); whoever manages that file can \
             allow it with the entry `command: {entry}` under credentialPluginAllowlist"
        );
        if args.kuberc_allow {
            return Err(Error::new(
                Kind::Config,
                format!("{text}; nothing was changed"),
            ));
        }
        ui::warn(&text);
        Ok(())
    };
    match policy::read(&path)? {
        Err(why) => refused(format!("kubectl refuses this kuberc: {why}")),
        Ok(Policy::DenyAll) => refused(
            "its credentialPluginPolicy is DenyAll, so kubectl runs no credential plugin".into(),
        ),
        Ok(Policy::AllowAll) if args.kuberc_allow => {
            ui::info(&format!(
                "{file} does not restrict kubectl's credential plugins (no \
                 credentialPluginPolicy: Allowlist): nothing to allow"
            ));
            Ok(())
        }
        Ok(Policy::AllowAll) => {
            ui::info(&format!(
                "Where kubectl's credential plugins are restricted (kuberc credentialPluginPolicy: \
                 Allowlist), the entry that lets kubectl-oidc run is `command: {entry}`; \
                 `kubectl oidc setup --kuberc-allow` adds it"
            ));
            Ok(())
        }
        Ok(p) => match (policy::judge(&p), args.kuberc_allow) {
            (Verdict::Allowed, _) => {
                ui::info(&format!(
                    "{file} lets kubectl run kubectl-oidc (credentialPluginAllowlist)"
                ));
                Ok(())
            }
            (Verdict::Refused(why), false) => {
                ui::warn(&format!(
                    "kubectl will not run kubectl-oidc: {why} ({file}); `kubectl oidc setup \
                     --kuberc-allow` adds `command: {entry}` to its credentialPluginAllowlist"
                ));
                Ok(())
            }
            (Verdict::Refused(_), true) => add(&path, &entry),
        },
    }
}

fn add(path: &std::path::Path, entry: &str) -> anyhow::Result<()> {
    let kubectl = Kubectl::default();
    let file = path.display();
    match policy::allow(path, entry, &kubectl)? {
        policy::Allowed::Added {
            through_kubectl,
            backup,
        } => ui::info(&format!(
            "Added `command: {entry}` to the credentialPluginAllowlist of {file} ({})",
            match (through_kubectl, backup) {
                (true, _) => "through kubectl kuberc set".to_owned(),
                (false, Some(b)) => format!(
                    "this kubectl has no kuberc set: written into the file, the previous one kept \
                     as {}",
                    b.display()
                ),
                (false, None) => "written into the file".to_owned(),
            }
        )),
        policy::Allowed::Already | policy::Allowed::NotRestricted => {
            ui::info(&format!("{file} lets kubectl run kubectl-oidc already"));
        }
        policy::Allowed::Refused(why) => {
            return Err(Error::new(
                Kind::Config,
                format!("kubectl will not run kubectl-oidc: {why} ({file}); nothing was changed"),
            ));
        }
    }
    Ok(())
}
