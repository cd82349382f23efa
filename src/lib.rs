//! kubectl-oidc: a kubectl credential plugin for OpenID Connect.
//!
//! `main` parses the command line, dispatches, and is the one place that turns an error
//! into a message on stderr and an exit code.

pub mod cache;
pub mod cli;
pub mod cmd;
pub mod doctor;
pub mod exec_credential;
pub mod oidc;
pub mod settings;
pub mod token;
pub mod ui;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser as _;

pub fn main() -> ExitCode {
    let argv: Vec<OsString> = std::env::args_os().collect();
    // The hot path: kubectl runs `get-token` on every call. clap derive builds every
    // subcommand's arguments before parsing; building only get-token's saves a third of the
    // startup instructions. Anything it does not accept (--help, typos) goes to the full
    // parser below, which prints the usual help and errors.
    if argv.get(1).is_some_and(|a| a == "get-token")
        && let Ok(only) = cli::GetTokenOnly::try_parse_from(&argv[2..])
    {
        return exit(cmd::get_token::run(&only.args, &argv).map(|()| true));
    }
    let cli = match cli::Cli::try_parse_from(&argv) {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout and succeed; usage errors exit 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    exit(match &cli.command {
        cli::Command::GetToken(args) => cmd::get_token::run(args, &argv).map(|()| true),
        cli::Command::Login(args) => cmd::login::run(args, &argv).map(|()| true),
        cli::Command::DebugToken(args) => cmd::debug_token::run(args),
    })
}

/// The one place that turns a command's result into an exit code and a message.
fn exit(result: anyhow::Result<bool>) -> ExitCode {
    match result {
        Ok(true) => ExitCode::SUCCESS,
        // debug-token printed its report; the token would be refused or has errors.
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            ui::info(&format!("kubectl-oidc: error: {e:#}"));
            ExitCode::FAILURE
        }
    }
}
