//! `setup`: onboard an engineer in one command. Log in (or reuse the session), show who the
//! API server will see and the binding that grants it access, and write the kubeconfig user
//! entry (or print the kubectl commands that do). `--migrate` moves kubelogin entries over.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde_json::{Map, Value as Json};

use crate::auth::{self, Interaction, Mode};
use crate::cli::{SetupArgs, TokenArgs};
use crate::doctor::authn::{self, Discovery, Signature, Token};
use crate::doctor::config;
use crate::doctor::rbac;
use crate::error::{Error, ExitStatus, Kind, ResultExt as _};
use crate::kubeconfig::write;
use crate::settings::{self, Settings};
use crate::text::shell_quote;
use crate::token::jwt;
use crate::ui;

mod allowlist;
mod clusters;
mod kubelogin_cache;
mod migrate;

pub fn run(args: &SetupArgs, argv: &[OsString], now: i64) -> anyhow::Result<ExitStatus> {
    ui::set_verbosity(args.token_args.verbosity());
    if let Some(notice) = crate::cli::klog::notice() {
        ui::info(&format!("kubectl-oidc: notice: {notice}"));
    }
    let status = if args.migrate {
        migrate::run(args, now)?
    } else if args.kuberc_allow && args.token_args.entry.oidc_issuer_url.is_none() {
        ExitStatus::Success
    } else {
        onboard(args, argv, now)?
    };
    // kubectl's credential plugin policy, said (and with --kuberc-allow, changed) last.
    allowlist::advise(args)?;
    Ok(status)
}

/// Log in, explain who the API server will see, and write the entry (or print the commands).
fn onboard(args: &SetupArgs, argv: &[OsString], now: i64) -> anyhow::Result<ExitStatus> {
    let shared = clusters::Shared::of(args)?;
    let settings = Settings::resolve(&shared.login_args(args), crate::settings::browser_env())?;
    // What --write would refuse is said before the login, not after it.
    let target = if args.write {
        let path = target_file(args)?;
        let wanted = shared.user(&exec_args(&args.token_args)?);
        refuse_a_different_user(args, &path, &write::view(&path)?, &wanted)?;
        Some(path)
    } else {
        None
    };
    let store = settings.entry.store();
    let entry = store.entry(settings.entry.key.digest());
    let credential = match auth::cached(&entry, now) {
        Some(c) => c,
        None => auth::obtain(
            &settings,
            &entry,
            Mode::Serve,
            Interaction::Allowed,
            argv,
            now,
        )?,
    };
    explain(args, &settings, credential.id_token.expose(), now)?;
    if args.token_args.oidc_client_secret.is_some() {
        ui::warn(
            "the client secret is not written into the kubeconfig: keep it in a file and pass \
             --oidc-client-secret-file, or set KUBECTL_OIDC_CLIENT_SECRET where kubectl runs",
        );
    }
    let get_token_args = exec_args(&args.token_args)?;
    let mut cluster_commands = Vec::new();
    if let (Some(cluster), Some(server)) = (&args.cluster, &args.server) {
        let ca = args
            .cluster_certificate_authority
            .as_deref()
            .map(absolute)
            .transpose()?;
        cluster_commands.extend(write::set_cluster(
            cluster,
            server,
            ca.as_deref(),
            &args.user,
        ));
    }
    match target {
        None => {
            let mut commands = vec![write::set_credentials(&args.user, &get_token_args)];
            commands.extend(cluster_commands);
            print_commands(&commands, args.kubeconfig.as_deref())
        }
        Some(path) => write_entry(args, &path, &shared, &get_token_args, cluster_commands),
    }
}

/// A different user of that name in the kubeconfig, without `--force`: refused.
fn refuse_a_different_user(
    args: &SetupArgs,
    path: &Path,
    doc: &Json,
    wanted: &Json,
) -> anyhow::Result<()> {
    match write::user(doc, &args.user) {
        Some(existing) if !write::same_login(existing, wanted) && !args.force => Err(Error::new(
            Kind::Config,
            format!(
                "{} already has a different user {:?}; pass --user with another name, or --force to replace it",
                path.display(),
                args.user
            ),
        )),
        _ => Ok(()),
    }
}

/// Without `--write`: the `kubectl config` commands that add the entry, on stdout (for
/// `--kubeconfig`'s file when one is given).
fn print_commands(
    commands: &[Vec<String>],
    kubeconfig: Option<&Path>,
) -> anyhow::Result<ExitStatus> {
    let mut out = String::from(
        "# Add the kubeconfig entry (or run setup again with --write, which also gives it an\n\
         # installHint: kubectl config has no flag for one):\n",
    );
    let file = kubeconfig
        .map(|k| format!("--kubeconfig {} ", shell_quote(&k.display().to_string())))
        .unwrap_or_default();
    for c in commands {
        let words: Vec<String> = c.iter().map(|w| shell_quote(w)).collect();
        out.push_str(&format!("kubectl {file}config {}\n", words.join(" ")));
    }
    crate::cmd::print("commands", out.as_bytes())?;
    Ok(ExitStatus::Success)
}

/// `--write`: the entry (and cluster) into the kubeconfig, decided under its lock on the file
/// as it is: nothing when the user is already this entry, a refusal for a different one
/// without `--force`.
fn write_entry(
    args: &SetupArgs,
    path: &Path,
    shared: &clusters::Shared,
    get_token_args: &[String],
    cluster_commands: Vec<Vec<String>>,
) -> anyhow::Result<ExitStatus> {
    let plan = |doc: &Json| -> anyhow::Result<write::Changes> {
        // Again under the lock: the file may have changed during the login.
        let existing = write::user(doc, &args.user);
        let wanted = shared.user_beside(get_token_args, existing);
        refuse_a_different_user(args, path, doc, &wanted)?;
        if existing.is_some_and(|u| write::same_user(u, &wanted)) && cluster_commands.is_empty() {
            return Ok(write::Changes::default());
        }
        Ok(write::Changes {
            commands: cluster_commands.clone(),
            users: vec![(args.user.clone(), wanted)],
            cluster_extensions: shared.extension(),
        })
    };
    let backup = match write::edit(path, plan)? {
        write::Edited::Unchanged => {
            ui::info(&format!(
                "{}: user {:?} is already this exec entry; nothing to change",
                path.display(),
                args.user
            ));
            return Ok(ExitStatus::Success);
        }
        write::Edited::Written { backup } => backup,
    };
    ui::info(&format!(
        "Wrote user {:?}{} to {}{}",
        args.user,
        args.cluster
            .as_deref()
            .map(|c| format!(", cluster and context {c:?}"))
            .unwrap_or_default(),
        path.display(),
        backup
            .map(|b| format!(" (the previous file is kept as {})", b.display()))
            .unwrap_or_default()
    ));
    Ok(ExitStatus::Success)
}

/// The kubeconfig files: `--kubeconfig`, else `$KUBECONFIG`'s files, else `~/.kube/config`.
fn kubeconfig_files(args: &SetupArgs) -> anyhow::Result<Vec<PathBuf>> {
    let files = write::files(
        args.kubeconfig.as_deref(),
        crate::settings::kubeconfig_env().as_deref(),
        directories::BaseDirs::new().as_ref().map(|b| b.home_dir()),
    );
    if files.is_empty() {
        return Err(Error::new(
            Kind::Config,
            "cannot find a home directory for the kubeconfig; pass --kubeconfig",
        ));
    }
    Ok(files)
}

/// The file `--write` edits, as kubectl's `config set-credentials` picks it: the one that
/// already defines the user, else the first that exists (else the last); among several
/// files of `$KUBECONFIG`, said.
fn target_file(args: &SetupArgs) -> anyhow::Result<PathBuf> {
    let files = kubeconfig_files(args)?;
    if files.len() == 1 {
        return Ok(files[0].clone());
    }
    let mut defining = None;
    for f in files.iter().filter(|f| f.exists()) {
        if write::user(&write::view(f)?, &args.user).is_some() {
            defining = Some(f.clone());
            break;
        }
    }
    let (path, why) = match defining {
        Some(f) => (f, "it defines user"),
        None => (
            write::default_file(&files).unwrap_or_else(|| files[0].clone()),
            "the first existing file of $KUBECONFIG, where kubectl adds a new user such as",
        ),
    };
    ui::info(&format!(
        "Writing {} ({why} {:?})",
        path.display(),
        args.user
    ));
    Ok(path)
}

/// Who the API server will see, from the replay of the fresh token, and the binding to ask for.
fn explain(args: &SetupArgs, settings: &Settings, id_token: &str, now: i64) -> anyhow::Result<()> {
    let header: Map<String, Json> = jwt::decode_header(id_token).unwrap_or_default();
    let claims: Map<String, Json> = jwt::decode_payload(id_token).unwrap_or_default();
    let shown = |k: &str| {
        claims
            .get(k)
            .map(Json::to_string)
            .unwrap_or_else(|| "-".into())
    };
    ui::info(&format!(
        "Logged in to {}: sub {}, email {}, groups {}",
        settings.entry.issuer,
        shown("sub"),
        shown("email"),
        shown("groups")
    ));
    let authenticators = apiserver_authenticators(args, settings)?;
    // The token was verified at login: the signature is not in question here.
    let token = Token { header, claims };
    let replay = authn::replay(
        &token,
        &authenticators,
        &Discovery::Skipped,
        &Signature::Verified,
        now,
    );
    match (&replay.user, replay.error()) {
        (Some(user), None) => {
            ui::info(&format!(
                "The API server will see you as {:?} with groups {:?}.\nTo grant access, a cluster admin runs (with the role you need):\n\n    {}\n",
                user.username,
                user.groups,
                rbac::binding_command(
                    "oidc-NAME",
                    None,
                    "ClusterRole",
                    "view",
                    "user",
                    &user.username
                )
            ));
        }
        (_, error) => ui::warn(&format!(
            "the API server would refuse this token ({}); run `kubectl oidc debug-token` with the same flags for the cause and the fix",
            error.unwrap_or("no username")
        )),
    }
    Ok(())
}

/// The API server's authenticators, from its AuthenticationConfiguration or its flags (this
/// login's issuer and client by default). A configuration it refuses at start is said, and
/// what it means is still shown.
fn apiserver_authenticators(
    args: &SetupArgs,
    settings: &Settings,
) -> anyhow::Result<Vec<config::Authenticator>> {
    let version = settings::kube_version(&args.apiserver)?;
    let authenticators = match &args.apiserver.authentication_config {
        Some(path) => settings::authentication_config(path, &args.apiserver, version)?,
        None => config::from_flags(
            &settings::apiserver_flags(
                &args.apiserver,
                Some(settings.entry.issuer.clone()),
                Some(settings.entry.client_id.clone()),
            ),
            version,
        )
        .map(|a| vec![a]),
    };
    match authenticators {
        Ok(a) => Ok(a),
        Err(e) if !e.partial.is_empty() => {
            ui::warn(&format!(
                "the API server would not start with this configuration: {e}"
            ));
            Ok(e.partial)
        }
        Err(e) => Err(Error::new(
            Kind::Config,
            format!("the API server's configuration: {e}"),
        )),
    }
}

fn absolute(p: &Path) -> anyhow::Result<PathBuf> {
    std::path::absolute(p)
        .with_context(|| format!("cannot make {} absolute", p.display()))
        .kind(Kind::Config)
}

/// get-token's flags that an exec entry never keeps: secrets (they go to files: the entry names
/// the file), what is asked of one call, and logging.
const NOT_KEPT: &[&str] = &[
    "oidc-client-secret",
    "password",
    "subject-token",
    "force-refresh",
    "show-config",
    "verbose",
    "v",
    "help",
];

/// The get-token flags of the exec entry: exactly the get-token flags the user gave (on the
/// command line or in a `KUBECTL_OIDC_*` variable), with their values as given, in get-token's
/// order, but those [`NOT_KEPT`]; a path made absolute (kubectl runs the plugin from any
/// directory). Derived from get-token's own clap definition, so a new flag is kept with no
/// change here (a round-trip test over every flag holds it).
fn exec_args(a: &TokenArgs) -> anyhow::Result<Vec<String>> {
    use clap::CommandFactory as _;
    let cmd = crate::cli::GetTokenOnly::command();
    let mut v = Vec::new();
    for arg in cmd.get_arguments() {
        let Some(long) = arg.get_long() else {
            continue;
        };
        let Some((values, origin)) = a.given.0.get(long) else {
            continue;
        };
        if NOT_KEPT.contains(&long) || matches!(origin, crate::cli::Origin::Default) {
            continue;
        }
        if matches!(arg.get_action(), clap::ArgAction::SetTrue) {
            if values.iter().all(|b| !crate::cli::fast::falsey(b)) {
                v.push(format!("--{long}"));
            }
            continue;
        }
        let path = arg
            .get_value_names()
            .is_some_and(|n| n.iter().any(|n| n == "PATH"));
        for value in values {
            // `~/...` is the plugin's to expand, wherever kubectl runs it.
            let value = if path && !value.starts_with('~') {
                absolute(Path::new(value))?.display().to_string()
            } else {
                value.clone()
            };
            v.push(format!("--{long}={value}"));
        }
    }
    Ok(v)
}

#[cfg(test)]
#[path = "args_tests.rs"]
mod tests;
