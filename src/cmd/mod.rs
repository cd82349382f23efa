//! Commands: one file (or directory) each; no command imports another. Two files here are
//! not commands but shared by them: `by_context.rs` (the kubeconfig context of login, logout,
//! status and get-token's errors) and `show_config.rs` (`--show-config` of get-token and login).
//! setup is a directory of its own (onboarding, migration, kubelogin's cache), not thin. The
//! clock is read once, by
//! `unix_now` from `lib::main`, and passed in; the environment is read through `settings`.

mod by_context;
pub mod clean;
pub mod completion;
pub mod debug_token;
pub mod get_token;
pub mod login;
pub mod logout;
pub mod setup;
pub mod show_config;
pub mod status;
pub mod version;

use std::ffi::OsString;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::cli::Command;
use crate::error::ExitStatus;

/// A command's output on stdout, whole, then flushed: the one place commands write stdout
/// (a closed stdout is EPIPE, which `lib::main` takes for a reader gone away). `what` names
/// it in the error: "cannot write the {what}".
pub(crate) fn print(what: &str, text: &[u8]) -> anyhow::Result<()> {
    use anyhow::Context as _;
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text)
        .and_then(|()| stdout.flush())
        .with_context(|| format!("cannot write the {what}"))
}

/// The one clock read of an invocation, in unix seconds.
#[expect(clippy::disallowed_methods, reason = "the one clock read")]
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `get-token`, or `get-token --show-config`. `missed`: the fast path read the entry and it
/// was not fresh.
pub fn get_token(
    args: &crate::cli::TokenArgs,
    argv: &[OsString],
    now: i64,
    missed: bool,
) -> anyhow::Result<ExitStatus> {
    if args.show_config {
        return show_config::run(args);
    }
    get_token::run(args, argv, now, missed)
}

/// Run a parsed command. `argv` is the whole command line (for the messages that repeat it).
pub fn run(command: &Command, argv: &[OsString], now: i64) -> anyhow::Result<ExitStatus> {
    match command {
        Command::GetToken(args) => get_token(args, argv, now, false),
        Command::Login(args) => login::run(args, argv, now),
        Command::DebugToken(args) => debug_token::run(args, now),
        Command::Status(args) => status::run(args, now),
        Command::Logout(args) => logout::run(args, argv),
        Command::Clean(args) => clean::run(args, now),
        Command::Setup(args) => setup::run(args, argv, now),
        Command::Version => version::run(),
        Command::Completion { shell } => completion::run(*shell),
    }
}
