//! kubelogin's logging flags. kubelogin registers klog's flags (`klog.InitFlags`, added to its
//! pflag set: int128/kubelogin#1556), documents `-v1`, and kubeconfigs carry them; an entry
//! moved over by editing one word must not fail on them. Every spelling Go's flag package
//! and pflag take is accepted: `-v1`, `-v=1`, `-v 1`, `--v=1`, `--v 1`, `-logtostderr`,
//! `--logtostderr=false`, `--log_dir DIR`, `-vmodule=x=2`. The verbosity becomes our `--v`;
//! the rest are dropped (we log to stderr only), and [`normalize`] says which.
//!
//! PURE, and cheap: it runs on the cache hit's command line, and allocates only when it
//! changes something.

use std::borrow::Cow;
use std::ffi::OsString;

/// klog's switches (`-name`, `-name=true|false`; they never take the next argument).
const SWITCHES: &[&str] = &[
    "logtostderr",
    "alsologtostderr",
    "add_dir_header",
    "skip_headers",
    "skip_log_headers",
    "one_output",
    "legacy_stderr_threshold_behavior",
];

/// klog's flags with a value (`-name=value` or `-name value`), the verbosity `v` aside.
const VALUED: &[&str] = &[
    "log_dir",
    "log_file",
    "log_file_max_size",
    "stderrthreshold",
    "vmodule",
    "log_backtrace_at",
];

/// What [`normalize`] made of a command line.
#[derive(Debug, PartialEq, Eq)]
pub struct Normalized<'a> {
    /// The arguments with the verbosity as `--v=N` and the other klog flags left out.
    pub args: Cow<'a, [OsString]>,
    /// The klog flags left out, as given (their values too: no secret is ever one).
    pub ignored: Vec<String>,
}

/// The klog flags this run left out, for the notice of the commands that talk to a person.
static IGNORED: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();

/// Remember the klog flags left out of this run's command line (once).
pub fn remember_ignored(flags: Vec<String>) {
    let _ = IGNORED.set(flags);
}

/// One line for the klog flags this run left out, when there were any: said by login,
/// logout and setup, never by get-token (kubectl's calls write nothing on success).
pub fn notice() -> Option<String> {
    let flags = IGNORED.get().filter(|f| !f.is_empty())?;
    Some(format!(
        "ignoring kubelogin's logging flags {} (kubectl-oidc writes its messages to stderr; -v \
         or --v=N says more)",
        flags.join(", ")
    ))
}

/// [`normalize`] for an exec entry's arguments (strings): what get-token's parser takes, and
/// the klog flags left out.
pub fn normalize_strings(args: &[String]) -> (Vec<String>, Vec<String>) {
    let args: Vec<OsString> = args.iter().map(OsString::from).collect();
    let n = normalize(&args);
    let kept = n
        .args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    (kept, n.ignored)
}

/// A token's flag name and value, if it is a flag: `-name`, `--name`, `-name=value`.
fn flag(token: &str) -> Option<(&str, Option<&str>)> {
    let rest = token
        .strip_prefix("--")
        .or_else(|| token.strip_prefix('-'))?;
    if rest.is_empty() || rest.starts_with('-') {
        return None;
    }
    Some(match rest.split_once('=') {
        Some((name, value)) => (name, Some(value)),
        None => (rest, None),
    })
}

/// A klog verbosity: a non-negative number.
fn level(value: &str) -> Option<&str> {
    (!value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())).then_some(value)
}

/// kubelogin's klog flags in `args` (get-token's arguments, after the subcommand) turned into
/// ours: the verbosity into `--v=N`, the others left out. Arguments after `--` are not
/// looked at.
pub fn normalize(args: &[OsString]) -> Normalized<'_> {
    let mut out: Option<Vec<OsString>> = None;
    let mut ignored = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let token = args[i].to_str();
        if token == Some("--") {
            break;
        }
        let next = args.get(i + 1).and_then(|a| a.to_str());
        let replaced = replacement(token, next, &mut ignored);
        match replaced {
            Some((taken, with)) => {
                let out = out.get_or_insert_with(|| args[..i].to_vec());
                out.extend(with.map(OsString::from));
                i += taken;
            }
            None => {
                if let Some(out) = &mut out {
                    out.push(args[i].clone());
                }
                i += 1;
            }
        }
    }
    let args = match out {
        Some(mut out) => {
            out.extend(args[i..].iter().cloned());
            Cow::Owned(out)
        }
        None => Cow::Borrowed(args),
    };
    Normalized { args, ignored }
}

/// What replaces the klog flag at `token` (with `next`, its value if it takes one): the
/// arguments it consumes and our flag for it, if any; a flag left out goes to `ignored`.
/// `None`: not a klog flag.
fn replacement(
    token: Option<&str>,
    next: Option<&str>,
    ignored: &mut Vec<String>,
) -> Option<(usize, Option<String>)> {
    match token.and_then(flag) {
        // -v1 (pflag's shorthand with its value attached)
        Some((name, None))
            if token.is_some_and(|t| !t.starts_with("--"))
                && name.len() > 1
                && name.starts_with('v')
                && level(&name[1..]).is_some() =>
        {
            Some((1, Some(format!("--v={}", &name[1..]))))
        }
        // -v=1, --v=1
        Some(("v", Some(value))) if level(value).is_some() => {
            Some((1, Some(format!("--v={value}"))))
        }
        // -v 1 (ours alone is a count: `-v` then a flag)
        Some(("v", None)) if token == Some("-v") && next.and_then(level).is_some() => {
            Some((2, Some(format!("--v={}", next.unwrap_or_default()))))
        }
        Some((name, _)) if SWITCHES.contains(&name) => {
            ignored.push(token.unwrap_or_default().to_owned());
            Some((1, None))
        }
        Some((name, Some(_))) if VALUED.contains(&name) => {
            ignored.push(token.unwrap_or_default().to_owned());
            Some((1, None))
        }
        Some((name, None)) if VALUED.contains(&name) => {
            let taken = if next.is_some() { 2 } else { 1 };
            ignored.push(match next {
                Some(v) => format!("{} {v}", token.unwrap_or_default()),
                None => token.unwrap_or_default().to_owned(),
            });
            Some((taken, None))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> (Vec<String>, Vec<String>) {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        let n = normalize(&args);
        (
            n.args
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect(),
            n.ignored,
        )
    }

    #[test]
    fn every_spelling_of_the_verbosity_becomes_ours() {
        for (given, want) in [
            (&["-v1"][..], &["--v=1"][..]),
            (&["-v10"], &["--v=10"]),
            (&["-v=1"], &["--v=1"]),
            (&["--v=2"], &["--v=2"]),
            (&["-v", "3"], &["--v=3"]),
            // Ours, unchanged: a count, and --v with its value apart (clap takes it).
            (&["-v"], &["-v"]),
            (&["-vv"], &["-vv"]),
            (&["-v", "--oidc-client-id=k"], &["-v", "--oidc-client-id=k"]),
            (&["--v", "1"], &["--v", "1"]),
            (&["--verbose"], &["--verbose"]),
        ] {
            assert_eq!(
                run(given),
                (want.iter().map(|s| s.to_string()).collect(), vec![]),
                "{given:?}"
            );
        }
    }

    #[test]
    fn the_other_klog_flags_are_left_out_and_named() {
        let (args, ignored) = run(&[
            "--oidc-issuer-url=https://idp",
            "--logtostderr",
            "-alsologtostderr=false",
            "--stderrthreshold",
            "INFO",
            "-log_dir=/tmp/x",
            "--log_file",
            "/tmp/f",
            "--vmodule=foo=2",
            "-add_dir_header",
            "--skip_headers=true",
            "--one_output",
            "--skip_log_headers",
            "--log_file_max_size=5",
            "--log_backtrace_at",
            "x.go:1",
            "--legacy_stderr_threshold_behavior=false",
            "--oidc-client-id=k",
        ]);
        assert_eq!(
            args,
            ["--oidc-issuer-url=https://idp", "--oidc-client-id=k"]
        );
        assert_eq!(
            ignored,
            [
                "--logtostderr",
                "-alsologtostderr=false",
                "--stderrthreshold INFO",
                "-log_dir=/tmp/x",
                "--log_file /tmp/f",
                "--vmodule=foo=2",
                "-add_dir_header",
                "--skip_headers=true",
                "--one_output",
                "--skip_log_headers",
                "--log_file_max_size=5",
                "--log_backtrace_at x.go:1",
                "--legacy_stderr_threshold_behavior=false",
            ]
        );
    }

    #[test]
    fn a_switch_never_takes_the_next_argument_and_nothing_changes_borrows() {
        let (args, _) = run(&["--logtostderr", "--oidc-client-id=k"]);
        assert_eq!(args, ["--oidc-client-id=k"]);
        let plain: Vec<OsString> = ["--oidc-issuer-url=https://idp", "--force-refresh"]
            .iter()
            .map(OsString::from)
            .collect();
        assert!(matches!(normalize(&plain).args, Cow::Borrowed(_)));
        // After `--`, nothing is looked at.
        let (args, ignored) = run(&["--", "--logtostderr"]);
        assert_eq!(args, ["--", "--logtostderr"]);
        assert!(ignored.is_empty());
    }
}
