//! `get-token`: the exec credential plugin.
//!
//! The cache hit is the product: parse flags, read `KUBERNETES_EXEC_INFO`, read one small
//! file, decode the JWT payload, compare `exp` with now, print. No HTTP client, TLS, async
//! runtime or lock. Everything else lives behind [`auth::obtain`], which is `#[cold]`.

use std::ffi::OsString;
use std::io::IsTerminal as _;

use crate::auth::{self, Credential, Interaction, Mode};
use crate::cache::Entry;
use crate::cli::TokenArgs;
use crate::cli::cluster::Choice;
use crate::error::{Error, ExitStatus, kind_of};
use crate::exec_credential::{self, ExecInfo};
use crate::settings::{EntrySettings, Settings};

/// How long a repeated error is shown as a one-line reference: kubectl runs the plugin up to
/// five times for one command (discovery retries), within a second or two.
const REPEAT_WINDOW_SECS: i64 = 5;

/// `get-token` after the fast path (`lib::main`) did not serve it; `missed`: it read this
/// entry, quietly, and it was not fresh, so it is not read again before `obtain`.
pub fn run(
    args: &TokenArgs,
    argv: &[OsString],
    now: i64,
    missed: bool,
) -> anyhow::Result<ExitStatus> {
    crate::ui::set_verbosity(args.verbosity());
    // kubectl runs this: notices meant for people stay quiet (a working call writes nothing).
    crate::ui::set_attended(false);
    let exec_info = crate::settings::exec_info_env();
    let exec = exec_credential::parse_exec_info(exec_info.as_deref())
        .map_err(|e| Error::new(crate::error::Kind::Usage, e))?;
    let args = &*with_cluster_choice(args, &exec)?;
    // A cache hit needs the entry alone: the login-only settings are resolved after a miss.
    // One store and one entry for the whole call, so a damaged file is warned about once.
    // (An exchanged token's entry depends on the subject token, which the settings read;
    // `obtain` serves its cache hit.)
    let entry_settings = EntrySettings::resolve(&args.entry)?;
    let store = entry_settings.store();
    let early = (!args.grant_type.per_subject()).then(|| store.entry(entry_settings.key.digest()));
    if let Some(entry) = &early
        && !args.force_refresh
        && !missed
        && let Some(credential) = auth::cached(entry, now)
    {
        return print(&exec, &credential);
    }
    // kubelogin's logging flags were left out: said at -v only (a call that works writes
    // nothing on stderr).
    if let Some(notice) = crate::cli::klog::notice() {
        crate::ui::trace(1, || notice);
    }
    let settings = Settings::complete(entry_settings, args, crate::settings::browser_env())?;
    let entry = early.unwrap_or_else(|| store.entry(settings.entry.key.digest()));
    let interaction = match exec.interactive {
        // A full-screen program (k9s) holds the terminal: a prompt would corrupt its screen
        // and steal its keys, so this call counts as one without a terminal.
        Some(true) | None if auth::stdin_in_raw_mode() => {
            Interaction::Forbidden("the terminal is held in raw mode by a full-screen program")
        }
        Some(true) => Interaction::Allowed,
        Some(false) => Interaction::Forbidden("kubectl ran this plugin non-interactively"),
        None if std::io::stdin().is_terminal() => Interaction::Allowed,
        None => {
            Interaction::Forbidden("this command ran non-interactively (stdin is not a terminal)")
        }
    };
    match auth::obtain(&settings, &entry, Mode::Serve, interaction, argv, now) {
        Ok(credential) => print(&exec, &credential),
        Err(e) if exec_info.is_some() => {
            let e = super::by_context::name_the_context(e, &settings, argv);
            Err(shorten_if_repeated(e, &entry, now))
        }
        Err(e) => Err(e),
    }
}

/// What the fast path did with a `get-token` call.
pub enum Fast {
    /// Served from the cache (or failed to print).
    Served(anyhow::Result<ExitStatus>),
    /// Read the entry: not fresh.
    Missed,
    /// Left it to the full parser (a forced refresh, an exec info or settings that need the
    /// full path's messages).
    NotTried,
}

/// The cache hit from the fast parser's arguments (`cli::fast`). Quiet: on a miss `obtain`
/// reads the entry again and says once what was wrong.
pub fn serve_cached(fast: &crate::cli::fast::Fast, now: i64) -> Fast {
    if fast.force_refresh {
        return Fast::NotTried;
    }
    let exec_info = crate::settings::exec_info_env();
    let Ok(exec) = exec_credential::parse_exec_info(exec_info.as_deref()) else {
        return Fast::NotTried;
    };
    let chosen;
    let entry = match cluster_choice(&exec) {
        Ok(None) => &fast.entry,
        Ok(Some(choice)) => {
            let mut e = fast.entry.clone();
            choice.apply(&mut e);
            chosen = e;
            &chosen
        }
        Err(_) => return Fast::NotTried,
    };
    let Ok(entry) = EntrySettings::resolve(entry) else {
        return Fast::NotTried;
    };
    match auth::cached(&entry.store().quiet_entry(entry.key.digest()), now) {
        Some(credential) => Fast::Served(print(&exec, &credential)),
        None => Fast::Missed,
    }
}

/// The flags with what the cluster chose on top.
fn with_cluster_choice<'a>(
    args: &'a TokenArgs,
    exec: &ExecInfo,
) -> anyhow::Result<std::borrow::Cow<'a, TokenArgs>> {
    Ok(match cluster_choice(exec)? {
        Some(choice) => {
            let mut a = args.clone();
            choice.apply(&mut a.entry);
            std::borrow::Cow::Owned(a)
        }
        None => std::borrow::Cow::Borrowed(args),
    })
}

/// What the cluster chose for itself (`provideClusterInfo`, `cli::cluster`), if anything.
fn cluster_choice(exec: &ExecInfo) -> anyhow::Result<Option<Choice>> {
    let choice = Choice::from_config(exec.cluster_config.as_ref()).map_err(|e| {
        Error::new(
            crate::error::Kind::Config,
            format!(
                "{e}: edit that extension of the cluster in your kubeconfig (kubectl config view \
                 --raw shows it), or set provideClusterInfo: false in the user's exec entry"
            ),
        )
    })?;
    Ok((!choice.is_empty()).then_some(choice))
}

fn print(exec: &ExecInfo, credential: &Credential) -> anyhow::Result<ExitStatus> {
    let out = exec_credential::render(
        exec.api_version,
        credential.id_token.expose(),
        credential.expires_at,
    );
    super::print("ExecCredential to stdout", format!("{out}\n").as_bytes())?;
    Ok(ExitStatus::Success)
}

/// kubectl retries a failing plugin and prints each stderr: the first failure is shown in
/// full; the same failure again within a few seconds, from the same kubectl (the parent
/// process), becomes a one-line reference to it. Another command a person types is another
/// kubectl, and gets the full text.
fn shorten_if_repeated(e: anyhow::Error, entry: &Entry<'_>, now: i64) -> anyhow::Error {
    use sha2::Digest as _;
    let full = format!("{e:#}");
    let mut digest = sha2::Sha256::new();
    digest.update(full.as_bytes());
    digest.update(parent_pid().to_le_bytes());
    let hash = crate::text::hex(&digest.finalize()[..8]);
    match entry.last_error() {
        Some((at, h)) if h == hash && (0..REPEAT_WINDOW_SECS).contains(&(now - at)) => Error::wrap(
            kind_of(&e),
            anyhow::anyhow!("{}", repeated(&full, now - at)),
        ),
        _ => {
            entry.remember_error(now, &hash);
            e
        }
    }
}

/// The short form of an error printed in full `ago` seconds before: its first clause (up to
/// the first `;` outside parentheses, or the line's end), said to be the same, and the last
/// clause with the command that fixes it (`kubectl oidc ...`, or a command in backquotes), kept
/// whole: an app that runs the plugin itself (k9s, Lens, an IDE) may show only the latest
/// failure, so the short form must still say what to run.
fn repeated(full: &str, ago: i64) -> String {
    let line = full.lines().next().unwrap_or(full);
    let clauses = clauses(line);
    let first = head(
        clauses
            .first()
            .copied()
            .unwrap_or(line)
            .trim_end_matches(':'),
    );
    let fix = clauses
        .iter()
        .skip(1)
        .rev()
        .find(|c| c.contains("kubectl oidc ") || c.contains("kubectl-oidc ") || c.contains('`'))
        .map(|c| format!("; {}", c.trim()))
        .unwrap_or_default();
    format!("{first} (the same error as {ago}s ago, printed in full then){fix}")
}

/// The longest first clause kept whole; a longer one is cut at a comma (see [`head`]).
const HEAD: usize = 100;

/// A clause of at most [`HEAD`] bytes, else its start up to its last `, ` (outside parentheses
/// and backquotes) within them, or its first one after them, and `...`; a clause without one
/// is kept whole. Never cut within a word: `(the provider refused the refresh token:
/// invalid_grant)` stays whole, the OAuth code with it.
fn head(clause: &str) -> String {
    if clause.len() <= HEAD {
        return clause.to_owned();
    }
    let commas = top_level(clause, ',');
    let cut = commas.iter().rev().find(|&&i| i <= HEAD).or(commas.first());
    match cut {
        Some(&i) => format!("{}...", &clause[..i]),
        None => clause.to_owned(),
    }
}

/// A line's `;`-separated clauses, a `;` inside parentheses or backquotes not counted.
fn clauses(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in top_level(line, ';') {
        out.push(&line[start..i]);
        start = i + 1;
    }
    out.push(&line[start..]);
    out
}

/// Where `sep` is in `line` outside parentheses and backquotes.
fn top_level(line: &str, sep: char) -> Vec<usize> {
    let (mut at, mut depth, mut quoted) = (Vec::new(), 0i32, false);
    for (i, c) in line.char_indices() {
        match c {
            '`' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            c if c == sep && !quoted && depth <= 0 => at.push(i),
            _ => {}
        }
    }
    at
}

/// The pid of the process that ran us (kubectl); 0 where the platform does not say.
fn parent_pid() -> u32 {
    #[cfg(unix)]
    {
        std::os::unix::process::parent_id()
    }
    #[cfg(not(unix))]
    {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::repeated;

    #[test]
    fn a_repeated_error_keeps_its_first_clause_and_its_fix() {
        let cases = [
            (
                "a browser login to https://idp is needed (no refresh token is cached), but no \
                 desktop is here (no DISPLAY; --browser=always opens one anyway), so no browser \
                 was opened; log in with: kubectl oidc login --context prod",
                "a browser login to https://idp is needed (no refresh token is cached)... (the \
                 same error as 2s ago, printed in full then); log in with: kubectl oidc login \
                 --context prod",
            ),
            (
                "refreshing the token at https://idp failed: GET https://idp/token: timed out; \
                 the session is kept",
                "refreshing the token at https://idp failed: GET https://idp/token: timed out \
                 (the same error as 2s ago, printed in full then)",
            ),
            (
                "the cache directory /c is writable by others; fix it with `chmod 700 /c; ls`\nmore",
                "the cache directory /c is writable by others (the same error as 2s ago, printed \
                 in full then); fix it with `chmod 700 /c; ls`",
            ),
            (
                "a browser login to http://127.0.0.1:40083 is needed (the provider refused the \
                 refresh token: invalid_grant, grant request is invalid), but kubectl ran this \
                 plugin non-interactively; log in with: kubectl oidc login --context dev",
                "a browser login to http://127.0.0.1:40083 is needed (the provider refused the \
                 refresh token: invalid_grant, grant request is invalid)... (the same error as 2s \
                 ago, printed in full then); log in with: kubectl oidc login --context dev",
            ),
        ];
        for (full, short) in cases {
            assert_eq!(repeated(full, 2), short, "{full}");
        }
    }
}
