//! A kubeconfig exec entry's get-token flags under the command line's: what `login`, `logout`
//! and `status` act with when they read a context (see `cmd/by_context.rs`).

use clap::CommandFactory as _;

use super::{GetTokenOnly, Given, Origin, TokenArgs, parse_get_token};

/// get-token's flags of a kubeconfig exec entry (its arguments, and below them its
/// `KUBECTL_OIDC_*` environment), with the flags given on this command line (`here`) on top:
/// a flag given here replaces the entry's, all its values for a repeatable one. The verbosity
/// is this command line's.
pub fn over_entry(
    entry_args: &[String],
    entry_env: &[(String, String)],
    here: Option<&TokenArgs>,
) -> Result<TokenArgs, clap::Error> {
    let cmd = GetTokenOnly::command();
    // The entry's own flags; its issuer and client may be in its environment instead.
    let mut lenient = GetTokenOnly::command()
        .mut_arg("oidc_issuer_url", |a| a.required(false))
        .mut_arg("oidc_client_id", |a| a.required(false));
    let matches = lenient.try_get_matches_from_mut(entry_args)?;
    let entry = Given::of(&lenient, &matches);
    let flag = |given: &Given, long: &str| -> Option<Vec<String>> {
        match given.0.get(long) {
            Some((values, Origin::Flag)) => Some(values.clone()),
            _ => None,
        }
    };
    let mut merged: Vec<String> = Vec::new();
    for arg in cmd.get_arguments() {
        let Some(long) = arg.get_long() else {
            continue;
        };
        if matches!(long, "verbose" | "help" | "show-config") {
            continue;
        }
        let from_env = || {
            let name = arg.get_env()?.to_str()?;
            let (_, value) = entry_env.iter().find(|(k, _)| k == name)?;
            Some(match arg.get_action() {
                clap::ArgAction::Append => value.split(',').map(str::to_owned).collect(),
                _ => vec![value.clone()],
            })
        };
        let Some(values) = here
            .and_then(|h| flag(&h.given, long))
            .or_else(|| flag(&entry, long))
            .or_else(from_env)
        else {
            continue;
        };
        match arg.get_action() {
            clap::ArgAction::SetTrue => {
                let on = values
                    .iter()
                    .any(|v| matches!(v.as_str(), "true" | "1" | "yes" | "on" | "y"));
                if on {
                    merged.push(format!("--{long}"));
                }
            }
            _ => merged.extend(values.iter().map(|v| format!("--{long}={v}"))),
        }
    }
    let mut args = parse_get_token(&merged)?.args;
    if let Some(here) = here {
        args.verbose = here.verbose;
        args.show_config = here.show_config;
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn here(args: &[&str]) -> TokenArgs {
        let mut all = vec!["--oidc-issuer-url=https://here", "--oidc-client-id=here"];
        all.extend(args);
        let mut a = parse_get_token(all).unwrap().args;
        // As login's parser marks them: given on this command line only when passed.
        a.given.0.retain(|k, _| {
            args.iter()
                .any(|x| x.trim_start_matches('-').starts_with(k.as_str()))
        });
        a
    }

    #[test]
    fn the_command_line_wins_and_the_entry_fills_the_rest() {
        let entry: Vec<String> = [
            "--oidc-issuer-url=https://idp",
            "--oidc-client-id=k",
            "--oidc-extra-scope=email",
            "--oidc-extra-scope=groups",
            "--skip-open-browser",
            "--v=1",
        ]
        .map(str::to_owned)
        .to_vec();
        let env = [
            (
                "KUBECTL_OIDC_TOKEN_CACHE_DIR".to_owned(),
                "/cache".to_owned(),
            ),
            ("KUBECTL_OIDC_CLIENT_ID".to_owned(), "from-env".to_owned()),
            ("HTTPS_PROXY".to_owned(), "http://proxy".to_owned()),
        ];
        let merged = over_entry(&entry, &env, None).unwrap();
        assert_eq!(merged.entry.oidc_issuer_url.as_deref(), Some("https://idp"));
        // The entry's argument beats its own environment, as clap does for the plugin.
        assert_eq!(merged.entry.oidc_client_id.as_deref(), Some("k"));
        assert_eq!(merged.entry.oidc_extra_scope, ["email", "groups"]);
        assert_eq!(
            merged.entry.token_cache_dir.as_deref(),
            Some(std::path::Path::new("/cache"))
        );
        assert!(merged.skip_open_browser);
        assert_eq!(merged.verbosity(), 1);

        let cli = here(&[
            "--oidc-extra-scope=profile",
            "--browser-command=firefox",
            "-vv",
        ]);
        let merged = over_entry(&entry, &env, Some(&cli)).unwrap();
        assert_eq!(merged.entry.oidc_issuer_url.as_deref(), Some("https://idp"));
        assert_eq!(
            merged.entry.oidc_extra_scope,
            ["profile"],
            "a list is replaced whole"
        );
        assert_eq!(merged.browser_command.as_deref(), Some("firefox"));
        assert_eq!(merged.verbose, 2);
    }

    #[test]
    fn an_entry_without_an_issuer_anywhere_is_refused() {
        let entry = vec!["--oidc-client-id=k".to_owned()];
        assert!(over_entry(&entry, &[], None).is_err());
        let env = [(
            "KUBECTL_OIDC_ISSUER_URL".to_owned(),
            "https://idp".to_owned(),
        )];
        let merged = over_entry(&entry, &env, None).unwrap();
        assert_eq!(merged.entry.oidc_issuer_url.as_deref(), Some("https://idp"));
    }
}
