//! The kubeconfig entry behind `login` and `logout`: the exec entry of `--context` (or of the
//! current context, when no issuer is given), ours in either form or kubelogin's, read through
//! kubectl and acted on with exactly its arguments and environment, so that `kubectl oidc
//! login` with no flag logs in to the session kubectl uses next. Flags given on the command
//! line still win. Not a command: login and logout share it.

use crate::cli::{KubeconfigArgs, Origin, TokenArgs};
use crate::error::{Error, Kind};
use crate::kubeconfig::{Context, Exec, Kubectl, Plugin, migrate};

/// Which entry the flags came from, for messages.
#[derive(Debug, Clone)]
pub struct FromContext {
    pub context: String,
    pub user: String,
    pub plugin: Plugin,
}

/// get-token's flags for this command: the command line's alone when it names an issuer and no
/// `--context`; else the context's exec entry with the command line's flags on top.
pub fn token_args(
    kube: &KubeconfigArgs,
    here: &TokenArgs,
) -> anyhow::Result<(TokenArgs, Option<FromContext>)> {
    if kube.context.is_none() && here.entry.oidc_issuer_url.is_some() {
        return Ok((here.clone(), None));
    }
    let context = read_context(kube)?;
    let name = kube
        .context
        .clone()
        .or(context.name.clone())
        .unwrap_or_else(|| "(current)".to_owned());
    let user = context.user.clone().unwrap_or_default();
    let (exec, plugin, args) = get_token_entry(&context, &name, &user)?;
    let (mut args, _) = crate::cli::klog::normalize_strings(args);
    if plugin == Plugin::Kubelogin {
        // kubelogin's redirect URIs are what the provider has registered.
        migrate::keep_kubelogin_redirect(&mut args);
    }
    let mut merged = crate::cli::over_entry(&args, &exec.env, Some(here)).map_err(|e| {
        Error::new(
            Kind::Config,
            format!(
                "the exec entry of context {name:?} (user {user:?}) has arguments kubectl-oidc does not take: {}",
                e.to_string()
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim_start_matches("error: ")
            ),
        )
    })?;
    // The entry's other variables, as kubectl would set them for the plugin: settings lay
    // them over this process's environment.
    merged.entry_env = exec.env.clone();
    let choice = cluster_choice(&context, &name, here)?;
    choice.apply(&mut merged.entry);
    crate::ui::trace(1, || {
        format!("kubeconfig: the flags of context {name:?}, user {user:?}")
    });
    Ok((
        merged,
        Some(FromContext {
            context: name,
            user,
            plugin,
        }),
    ))
}

/// What the context's cluster chooses, as kubectl passes it to get-token; a flag of this
/// command line still wins.
fn cluster_choice(
    context: &Context,
    name: &str,
    here: &TokenArgs,
) -> anyhow::Result<crate::cli::cluster::Choice> {
    let mut choice = context.cluster_choice().map_err(|e| {
        Error::new(
            Kind::Config,
            format!("context {name:?}: {e}: edit that extension of the context's cluster"),
        )
    })?;
    let given = |long: &str| matches!(here.given.0.get(long), Some((_, Origin::Flag)));
    if given("oidc-client-id") {
        choice.client_id = None;
    }
    if given("oidc-extra-scope") {
        choice.extra_scopes.clear();
    }
    if given("oidc-auth-request-extra-params") {
        choice.extra_params.clear();
    }
    Ok(choice)
}

/// The kubeconfig contexts of each session, by its cache directory and digest.
pub type BySession = std::collections::BTreeMap<(std::path::PathBuf, String), Vec<String>>;

/// For each session (its cache directory and digest), the kubeconfig contexts whose exec
/// entry (ours, or kubelogin's with our flags) resolves to it, as get-token would resolve it
/// when kubectl runs that entry; and the current context. A kubeconfig kubectl cannot read
/// names none.
pub fn contexts_by_session(kubeconfig: Option<&std::path::Path>) -> (BySession, Option<String>) {
    let mut by_session: std::collections::BTreeMap<_, Vec<String>> = Default::default();
    let kubectl = crate::kubeconfig::Kubectl {
        kubeconfig: kubeconfig.map(std::path::Path::to_path_buf),
    };
    let doc = match kubectl.view() {
        Ok(doc) => doc,
        Err(e) => {
            crate::ui::trace(1, || format!("kubeconfig: no contexts ({e:#})"));
            return (by_session, None);
        }
    };
    let users = doc["users"].as_array().cloned().unwrap_or_default();
    let clusters = doc["clusters"].as_array().cloned().unwrap_or_default();
    for c in doc["contexts"].as_array().into_iter().flatten() {
        let (Some(name), Some(user)) = (c["name"].as_str(), c["context"]["user"].as_str()) else {
            continue;
        };
        let Some(u) = users.iter().find(|u| u["name"] == user) else {
            continue;
        };
        let cluster = clusters
            .iter()
            .find(|k| k["name"] == c["context"]["cluster"])
            .map(|k| vec![k.clone()])
            .unwrap_or_default();
        let view = serde_json::json!({ "users": [u], "clusters": cluster });
        let context = crate::kubeconfig::Context::from_view(&view);
        let Ok(choice) = context.cluster_choice() else {
            continue;
        };
        let Some(exec) = context.exec else {
            continue;
        };
        let Some((_, args)) = exec.get_token() else {
            continue;
        };
        let (args, _) = crate::cli::klog::normalize_strings(args);
        let Ok(mut token_args) = crate::cli::over_entry(&args, &exec.env, None) else {
            continue;
        };
        choice.apply(&mut token_args.entry);
        let Ok(entry) = crate::settings::EntrySettings::resolve(&token_args.entry) else {
            continue;
        };
        by_session
            .entry((entry.cache_dir.clone(), entry.key.digest()))
            .or_default()
            .push(name.to_owned());
    }
    let current = doc["current-context"].as_str().map(str::to_owned);
    (by_session, current)
}

/// A failure of a get-token call that kubectl ran: where a kubeconfig context uses this
/// session, the command that fixes it names the context (`kubectl oidc login --context NAME`)
/// instead of repeating every flag of the entry. Only on failure: kubectl is run here.
pub fn name_the_context(
    e: anyhow::Error,
    settings: &crate::settings::Settings,
    argv: &[std::ffi::OsString],
) -> anyhow::Error {
    let long = crate::auth::messages::login_command(argv);
    let full = format!("{e:#}");
    if !full.contains(&long) {
        return e;
    }
    let (sessions, current) = contexts_by_session(None);
    let key = (
        settings.entry.cache_dir.clone(),
        settings.entry.key.digest(),
    );
    let Some(contexts) = sessions.get(&key) else {
        return e;
    };
    let name = match &current {
        Some(c) if contexts.contains(c) => c,
        _ => &contexts[0],
    };
    let short = format!(
        "kubectl oidc login --context {}",
        crate::text::shell_quote(name)
    );
    Error::wrap(
        crate::error::kind_of(&e),
        anyhow::anyhow!("{}", full.replace(&long, &short)),
    )
}

/// The kubeconfig context the flags come from (`--context`, else the current one).
fn read_context(kube: &KubeconfigArgs) -> anyhow::Result<Context> {
    let kubectl = Kubectl {
        kubeconfig: kube.kubeconfig.clone(),
    };
    let which = match &kube.context {
        Some(c) => format!("context {c:?}"),
        None => "the current context (no --oidc-issuer-url was given)".to_owned(),
    };
    kubectl.context(kube.context.as_deref()).map_err(|e| {
        Error::new(
            Kind::Config,
            format!(
                "the flags come from the kubeconfig's exec entry of {which}, which cannot be read \
                 ({e:#}); pass --context NAME, or --oidc-issuer-url and --oidc-client-id"
            ),
        )
    })
}

/// The context's exec entry, when it runs kubectl-oidc's or kubelogin's get-token; else an
/// error naming what its user has.
fn get_token_entry<'c>(
    context: &'c Context,
    name: &str,
    user: &str,
) -> anyhow::Result<(&'c Exec, Plugin, &'c [String])> {
    let not_ours = |found: String| {
        Error::new(
            Kind::Config,
            format!(
                "the user {user:?} of context {name:?} {found}, not kubectl-oidc's or kubelogin's \
                 get-token; pass --oidc-issuer-url and --oidc-client-id, or another --context"
            ),
        )
    };
    let Some(exec) = &context.exec else {
        return Err(match &context.other_auth {
            Some(auth) if auth == "auth-provider oidc" => not_ours(format!(
                "has the legacy {auth} entry (kubectl dropped it in 1.26; `kubectl oidc setup --migrate` \
                 turns it into a kubectl-oidc exec entry and keeps its session)"
            )),
            Some(auth) => not_ours(format!("authenticates with {auth}")),
            None if context.static_token => not_ours("has a static token".to_owned()),
            None => not_ours("has no exec entry".to_owned()),
        });
    };
    match exec.get_token() {
        Some((plugin, args)) => Ok((exec, plugin, args)),
        None => Err(not_ours(format!("runs `{}`", exec.describe()))),
    }
}
