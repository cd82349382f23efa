//! kubectl-oidc: a kubectl credential plugin for OpenID Connect.
//!
//! `main` reads the clock once, parses the command line, dispatches, and is the one place
//! that turns an error into a message on stderr and an exit code (see [`error`]).

pub mod auth;
pub mod cache;
pub mod cli;
pub mod cmd;
pub mod doctor;
pub mod error;
pub mod exec_credential;
#[doc(hidden)]
pub mod fuzz_targets;
pub mod grants;
pub mod kubeconfig;
pub mod oidc;
pub mod presets;
pub mod secret;
pub mod settings;
pub mod signals;
pub mod text;
pub mod token;
pub mod ui;

use std::ffi::OsString;

use crate::error::ExitStatus;

/// Runs the command line and returns the process's exit code (README, "Exit codes").
pub fn main() -> u8 {
    let argv = with_klog_flags_normalized(std::env::args_os().collect());
    let now = cmd::unix_now();
    // The hot path: kubectl runs `get-token` on every call. A cache hit is served from the
    // fast parser's arguments, without building any clap command (cli/fast.rs); a miss, or
    // anything that parser leaves to clap, goes to clap for get-token alone (building only
    // get-token's arguments, not every subcommand's); what that does not accept (--help,
    // typos) goes to the full parser below, which prints the usual help and errors.
    let mut missed = false;
    if argv.get(1).is_some_and(|a| a == "get-token")
        && let Some(fast) = cli::fast::parse(&argv[2..], |name| {
            #[expect(
                clippy::disallowed_methods,
                reason = "a cache hit reads its flags' KUBECTL_OIDC_* without building Settings"
            )]
            std::env::var_os(name)
        })
    {
        match cmd::get_token::serve_cached(&fast, now) {
            cmd::get_token::Fast::Served(result) => return exit(result),
            cmd::get_token::Fast::Missed => missed = true,
            cmd::get_token::Fast::NotTried => {}
        }
    }
    if argv.get(1).is_some_and(|a| a == "get-token")
        && let Ok(only) = cli::parse_get_token(&argv[2..])
    {
        return exit(cmd::get_token(&only.args, &argv, now, missed));
    }
    // kubectl's completion protocol for plugins (completions/kubectl_complete-oidc).
    if argv.get(1).is_some_and(|a| a == "__complete") {
        let words: Vec<String> = argv[2..]
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        return exit(cmd::completion::run_cobra(&words));
    }
    let cli = match cli::parse(&argv) {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout and succeed; usage errors exit 2.
            let _ = e.print();
            return if e.use_stderr() {
                error::Kind::Usage.exit_code()
            } else {
                0
            };
        }
    };
    exit(cmd::run(&cli.command, &argv, now))
}

/// kubelogin's logging flags in the commands that take get-token's flags ([`cli::klog`]):
/// the verbosity becomes ours, the others are left out (and remembered for a notice).
fn with_klog_flags_normalized(argv: Vec<OsString>) -> Vec<OsString> {
    let takes_token_flags = argv
        .get(1)
        .and_then(|a| a.to_str())
        .is_some_and(|a| matches!(a, "get-token" | "login" | "logout" | "setup"));
    if !takes_token_flags {
        return argv;
    }
    let normalized = cli::klog::normalize(&argv[2..]);
    if normalized.ignored.is_empty() && matches!(normalized.args, std::borrow::Cow::Borrowed(_)) {
        return argv;
    }
    let mut out = argv[..2].to_vec();
    out.extend(normalized.args.iter().cloned());
    cli::klog::remember_ignored(normalized.ignored);
    out
}

/// The one place that turns a command's result into an exit code and a message.
fn exit(result: anyhow::Result<ExitStatus>) -> u8 {
    match result {
        Ok(status) => status.code(),
        // The reader of stdout went away (`| head`): nothing to report.
        Err(e) if error::is_broken_pipe(&e) => 0,
        Err(e) => {
            ui::info(&format!("kubectl-oidc: error: {e:#}"));
            error::kind_of(&e).exit_code()
        }
    }
}
