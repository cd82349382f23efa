//! The desktop login: who may open the browser, the leader and its followers, the record.

use super::*;

#[test]
fn a_browser_opens_without_a_terminal_only_at_a_desktop() {
    let d = |f: fn(&mut Desktop)| {
        let mut desktop = Desktop::default();
        f(&mut desktop);
        desktop
    };
    use BrowserPolicy::*;
    for (when, desktop, want) in [
        (Auto, d(|d| d.display = true), Ok(())),
        (Auto, d(|d| d.macos = true), Ok(())),
        (Auto, d(|d| d.windows_session = true), Ok(())),
        (Auto, d(|d| d.wsl_interop = true), Ok(())),
        (Auto, d(|_| {}), Err("no desktop is here")),
        (
            Auto,
            d(|d| {
                d.display = true;
                d.ci = Some("GITHUB_ACTIONS")
            }),
            Err("this is a CI job (GITHUB_ACTIONS is set)"),
        ),
        (
            Auto,
            d(|d| {
                d.macos = true;
                d.ssh = true
            }),
            Err("this is an SSH session"),
        ),
        (Never, d(|d| d.display = true), Err("--browser=never")),
        (
            Always,
            d(|d| {
                d.ci = Some("CI");
                d.ssh = true
            }),
            Ok(()),
        ),
        (Always, d(|_| {}), Ok(())),
    ] {
        match (may_open(when, &desktop), want) {
            (Ok(()), Ok(())) => {}
            (Err(got), Err(want)) => assert!(got.contains(want), "{got}"),
            (got, want) => panic!("{when:?} {desktop:?}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn the_attempt_record_round_trips_and_garbage_is_no_record() {
    for attempt in [
        Attempt::Open {
            opened_at: 1_800_000_000,
            deadline: 1_800_000_180,
        },
        Attempt::Unanswered {
            opened_at: 1_800_000_000,
        },
    ] {
        assert_eq!(Attempt::parse(&attempt.render()), Some(attempt));
    }
    for garbage in [
        "",
        "open",
        "open 1",
        "unanswered x",
        "closed 1 2",
        "open 1 x",
    ] {
        assert_eq!(Attempt::parse(garbage), None, "{garbage:?}");
    }
}
