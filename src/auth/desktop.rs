//! A browser login for a call without a terminal (an IDE, Lens, Headlamp, k9s): client-go says
//! `interactive: false`, yet a person may be at a desktop, and a browser login needs no stdin.
//!
//! Opened at most once per session however many callers ask: the first caller takes the login
//! lock and leads (opens the browser once, waits up to `--authentication-timeout-sec`); the
//! others follow (poll the cache until the leader's deadline, at most [`FOLLOW`]), and a lock
//! whose holder died is taken over. A login the leader opened and that was not finished (timed
//! out, refused, cancelled by a signal) leaves the record `unanswered`: later calls without a
//! terminal fail at once, with no network and no browser, until a login succeeds or a person
//! runs `kubectl oidc login`. Where to open at all is [`may_open`], pure and table-tested.

use std::ffi::OsString;
use std::time::{Duration, Instant};

use super::authcode::Unattended;
use super::credential::{Credential, cached};
use super::messages;
use crate::cache::{Entry, TryLock};
use crate::error::{Error, Kind, kind_of};
use crate::grants::Grant;
use crate::settings::BrowserPolicy;
use crate::settings::Settings;
use crate::ui;

/// How long a follower waits for the leader's login, at most.
const FOLLOW: Duration = Duration::from_secs(30);

/// What decides whether a browser may open without a terminal.
#[derive(Debug, Default, Clone)]
pub struct Desktop {
    /// The CI variable that is set (`CI`, `GITHUB_ACTIONS`, ...), if one is.
    pub ci: Option<&'static str>,
    /// `SSH_CONNECTION` or `SSH_TTY` is set.
    pub ssh: bool,
    /// `DISPLAY` or `WAYLAND_DISPLAY` is set.
    pub display: bool,
    /// WSL with interop (`WSL_INTEROP`, or its binfmt entry): the Windows browser opens.
    pub wsl_interop: bool,
    /// macOS.
    pub macos: bool,
    /// Windows in a user's session (not session 0, where services run): `SESSIONNAME` is set.
    pub windows_session: bool,
}

/// The variables CI systems set.
const CI_VARIABLES: [&str; 8] = [
    "CI",
    "GITHUB_ACTIONS",
    "GITLAB_CI",
    "BUILDKITE",
    "JENKINS_URL",
    "TF_BUILD",
    "TEAMCITY_VERSION",
    "CODEBUILD_BUILD_ID",
];

impl Desktop {
    /// Where this process runs.
    #[expect(
        clippy::disallowed_methods,
        reason = "the snapshot `may_open` decides over"
    )]
    pub fn here() -> Self {
        let set = |name: &str| {
            std::env::var_os(name).is_some_and(|v| {
                !v.is_empty() && !matches!(v.to_str(), Some("0" | "false" | "False" | "FALSE"))
            })
        };
        Self {
            ci: CI_VARIABLES.into_iter().find(|v| set(v)),
            ssh: set("SSH_CONNECTION") || set("SSH_TTY"),
            display: set("DISPLAY") || set("WAYLAND_DISPLAY"),
            wsl_interop: set("WSL_DISTRO_NAME")
                && (set("WSL_INTEROP")
                    || std::path::Path::new("/proc/sys/fs/binfmt_misc/WSLInterop").exists()),
            macos: cfg!(target_os = "macos"),
            windows_session: cfg!(windows) && set("SESSIONNAME"),
        }
    }
}

/// Whether a call without a terminal may open the browser login, or why not (words that
/// follow "but kubectl ran this plugin non-interactively, and"). Pure.
pub fn may_open(when: BrowserPolicy, d: &Desktop) -> Result<(), String> {
    match when {
        BrowserPolicy::Never => Err("--browser=never (or --skip-open-browser) is set".into()),
        BrowserPolicy::Always => Ok(()),
        BrowserPolicy::Auto => {
            if let Some(var) = d.ci {
                Err(format!("this is a CI job ({var} is set)"))
            } else if d.ssh {
                Err("this is an SSH session (SSH_CONNECTION is set)".into())
            } else if d.display || d.wsl_interop || d.macos || d.windows_session {
                Ok(())
            } else {
                Err(
                    "no desktop is here to open a browser on (no DISPLAY or WAYLAND_DISPLAY; \
                     --browser=always opens one anyway)"
                        .into(),
                )
            }
        }
    }
}

/// The record of the browser login opened for a call without a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Opened at `opened_at`; the leader waits until `deadline` (unix seconds).
    Open { opened_at: i64, deadline: i64 },
    /// Opened at `opened_at` and not finished: no browser opens again without a terminal.
    Unanswered { opened_at: i64 },
}

impl Attempt {
    /// The record as written: `open OPENED DEADLINE` or `unanswered OPENED`. Pure.
    pub fn parse(text: &str) -> Option<Self> {
        let mut words = text.split_whitespace();
        let (what, opened_at) = (words.next()?, words.next()?.parse().ok()?);
        match what {
            "open" => Some(Attempt::Open {
                opened_at,
                deadline: words.next()?.parse().ok()?,
            }),
            "unanswered" => Some(Attempt::Unanswered { opened_at }),
            _ => None,
        }
    }

    pub fn render(self) -> String {
        match self {
            Attempt::Open {
                opened_at,
                deadline,
            } => format!("open {opened_at} {deadline}\n"),
            Attempt::Unanswered { opened_at } => format!("unanswered {opened_at}\n"),
        }
    }
}

/// The browser login the caller gives (`log_in`, told when the browser opens), for a call
/// without a terminal that only a login can serve.
pub(super) type LogIn<'a> = dyn Fn(&Unattended<'_>) -> anyhow::Result<Credential> + 'a;

/// A call without a terminal that only a login can serve: `log_in` run once per session (led
/// here, or followed), or the error that says why not and what to run. A wrapper around the
/// login, which it never starts itself.
pub(super) fn login(
    settings: &Settings,
    entry: &Entry<'_>,
    grant: Grant,
    (who, why): (&str, &str),
    argv: &[OsString],
    (now, log_in): (i64, &LogIn<'_>),
) -> anyhow::Result<Credential> {
    let no_browser =
        |reason: &str| messages::need_login(settings, why, &format!("{who}, and {reason}"), argv);
    let refuse = |reason: String| match entry.login_in_progress() {
        Some(pid) => messages::login_in_progress(settings, why, Some(pid), argv),
        None => no_browser(&reason),
    };
    browser_allowed(settings, entry, grant).map_err(refuse)?;
    let attempt = || entry.browser_attempt().as_deref().and_then(Attempt::parse);
    let until = Instant::now() + FOLLOW;
    let mut followed = None;
    loop {
        if let Some(credential) = cached(entry, now) {
            return Ok(credential);
        }
        match entry.try_login_lock()? {
            TryLock::Taken(lock) => {
                if let Some(Attempt::Unanswered { opened_at }) = attempt() {
                    return Err(messages::browser_login_unanswered(
                        settings, why, opened_at, argv,
                    ));
                }
                let result = lead(settings, entry, (argv, &no_browser), (now, log_in));
                drop(lock);
                return result;
            }
            // Another process leads: wait for its login, until its deadline at most.
            TryLock::Busy => {
                // Until the leader's deadline, when its record gives one still ahead; a
                // record past its deadline is a dead leader's (killed before it could say
                // so): the one holding the lock now is waited for as any leader.
                let until = *followed.get_or_insert_with(|| match attempt() {
                    Some(Attempt::Open { deadline, .. }) if deadline > now => {
                        let left = u64::try_from(deadline - now).unwrap_or(0);
                        until.min(Instant::now() + Duration::from_secs(left))
                    }
                    _ => until,
                });
                if Instant::now() >= until {
                    return Err(messages::login_in_progress(
                        settings,
                        why,
                        entry.login_in_progress(),
                        argv,
                    ));
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        }
    }
}

/// Whether this call may open the browser login; why not, when it may not.
fn browser_allowed(settings: &Settings, entry: &Entry<'_>, grant: Grant) -> Result<(), String> {
    if grant != Grant::AuthCode {
        return Err(format!(
            "--grant-type={} needs a terminal",
            settings.grant_name
        ));
    }
    if !entry.keeps_files() {
        return Err("--token-cache-storage=none keeps no record of a login in progress".into());
    }
    may_open(settings.browser.when, &Desktop::here())
}

/// The error for a call that opens no browser, given why not.
type NoBrowser<'a> = dyn Fn(&str) -> anyhow::Error + 'a;

/// This process leads: the browser login, under the login lock, recorded while it runs; a
/// login it opened and that did not finish is recorded as unanswered.
fn lead(
    settings: &Settings,
    entry: &Entry<'_>,
    (argv, no_browser): (&[OsString], &NoBrowser<'_>),
    (now, log_in): (i64, &LogIn<'_>),
) -> anyhow::Result<Credential> {
    // The previous leader may have finished between our look at the cache and the lock.
    if let Some(credential) = cached(entry, now) {
        return Ok(credential);
    }
    let opened = std::cell::Cell::new(None);
    let recorded = std::cell::Cell::new(false);
    // A signal (the app closing, Ctrl-C) while the leader waits is a login not finished: the
    // record says so before the process ends, so that the next call opens no other tab.
    let on_signal = std::cell::RefCell::new(None);
    // The record first: the other callers follow it, and a browser is never open without it.
    let opening = || -> anyhow::Result<()> {
        let deadline = now + settings.auth_timeout.as_secs() as i64;
        entry.set_browser_attempt(
            &Attempt::Open {
                opened_at: now,
                deadline,
            }
            .render(),
        )?;
        *on_signal.borrow_mut() = Some(crate::signals::write_on_signal(
            &entry.browser_attempt_path(),
            Attempt::Unanswered { opened_at: now }.render().as_bytes(),
        ));
        recorded.set(true);
        Ok(())
    };
    let on_open = || {
        opened.set(Some(now));
        ui::info(&format!(
            "kubectl-oidc: opened the browser to log in to {}; waiting up to {}s for the login there",
            settings.entry.issuer,
            settings.auth_timeout.as_secs()
        ));
        if settings.browser.notify {
            notify(&settings.entry.issuer, settings.auth_timeout);
        }
    };
    let result = log_in(&Unattended {
        opening: &opening,
        opened: &on_open,
    });
    drop(on_signal.take());
    match (result, opened.get()) {
        (Ok(credential), _) => Ok(credential),
        // The browser could not be opened: no record of it, and the failure at once, as when
        // no browser is here.
        (Err(e), None) if recorded.get() => {
            entry.clear_browser_attempt();
            Err(no_browser(&format!("{e:#}")))
        }
        (Err(e), None) => Err(e),
        (Err(e), Some(opened_at)) => {
            let _ = entry.set_browser_attempt(&Attempt::Unanswered { opened_at }.render());
            Err(unanswered(settings, e, argv))
        }
    }
}

/// The browser login opened for a call without a terminal failed: no browser opens again for
/// such calls until a login succeeds. A timeout, the common case, says nothing a person needs
/// but this.
fn unanswered(settings: &Settings, e: anyhow::Error, argv: &[OsString]) -> anyhow::Error {
    let advice = format!(
        "no browser opens again for a call without a terminal until a login succeeds; log in \
         with:{}",
        messages::command_to_run(&messages::login_command(argv))
    );
    match kind_of(&e) {
        Kind::LoginNeeded => Error::new(
            Kind::LoginNeeded,
            format!(
                "the browser login to {} was not finished within {}s; {advice}",
                settings.entry.issuer,
                settings.auth_timeout.as_secs()
            ),
        ),
        _ => Error::hint(e, advice),
    }
}

/// A desktop notification that the browser opened for a login, for a person whose app (an
/// IDE) shows nothing: sent from a thread of its own, never waited for, errors ignored (no
/// notification service, no session bus). Linux only: the macOS and Windows backends cannot
/// be built or tried here.
fn notify(issuer: &str, wait: Duration) {
    #[cfg(target_os = "linux")]
    {
        let body = format!(
            "A browser tab asks you to log in to {issuer} for kubectl; it waits {}s.",
            wait.as_secs()
        );
        let _ = std::thread::Builder::new()
            .name("notify".into())
            .spawn(move || {
                // org.freedesktop.Notifications.Notify (the Desktop Notifications spec):
                // app_name, replaces_id, app_icon, summary, body, actions, hints, timeout (ms).
                let hints = std::collections::HashMap::<&str, zbus::zvariant::Value<'_>>::new();
                let shown = zbus::blocking::Connection::session().and_then(|bus| {
                    bus.call_method(
                        Some("org.freedesktop.Notifications"),
                        "/org/freedesktop/Notifications",
                        Some("org.freedesktop.Notifications"),
                        "Notify",
                        &(
                            "kubectl-oidc",
                            0u32,
                            "",
                            "kubectl: log in in your browser",
                            body.as_str(),
                            Vec::<&str>::new(),
                            hints,
                            15_000i32,
                        ),
                    )
                });
                if let Err(e) = shown {
                    ui::trace(1, || format!("desktop notification not shown: {e}"));
                }
            });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (issuer, wait);
}

#[cfg(test)]
#[path = "desktop_tests.rs"]
mod tests;
