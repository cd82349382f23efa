//! Opening the authorization URL in the user's browser.
//!
//! `--browser-command` is a command line with arguments (shell-words), the URL appended as the
//! last argument (int128/kubelogin#916 asked for arguments). Without it: `$BROWSER` (which the
//! `open` crate ignores), then the system opener. The browser's stdout goes to our stderr so it
//! can never corrupt the ExecCredential on stdout; its stdin is closed; its environment has
//! none of our variables (the client secret may be one), and its argv only the URL.

use std::process::{Command, Stdio};

use anyhow::{Context as _, bail};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opener {
    /// `$BROWSER` if set, else the system opener.
    System {
        browser_env: Option<String>,
    },
    Command(Vec<String>),
    /// `--skip-open-browser`: the URL is only printed.
    Skip,
}

pub fn parse_command(line: &str) -> Result<Vec<String>, String> {
    let words = shell_words::split(line).map_err(|e| format!("{line:?}: {e}"))?;
    if words.is_empty() {
        return Err("the browser command is empty".into());
    }
    Ok(words)
}

impl Opener {
    /// Open `url` in the browser; only an http(s) URL is handed to one (a provider's
    /// `file:` or `javascript:` URL is not). `env`: a kubeconfig entry's variables, set for
    /// the browser over this process's (as kubectl would have set them for us).
    pub fn open(&self, url: &str, env: &[(String, String)]) -> anyhow::Result<()> {
        self.open_with(url, Output::Stderr, env)
    }

    /// [`Opener::open`] for a call without a terminal: the browser command's own output
    /// goes nowhere (an app may show our stderr, or merge it into the ExecCredential).
    pub fn open_quietly(&self, url: &str, env: &[(String, String)]) -> anyhow::Result<()> {
        self.open_with(url, Output::Nowhere, env)
    }

    fn open_with(&self, url: &str, output: Output, env: &[(String, String)]) -> anyhow::Result<()> {
        let scheme = url::Url::parse(url).map(|u| u.scheme().to_owned());
        if !matches!(scheme.as_deref(), Ok("http" | "https")) {
            bail!("{url:?} is not an http(s) URL, so it is not opened in a browser");
        }
        match self {
            Self::Skip => Ok(()),
            Self::Command(words) => spawn(words, url, output, env),
            Self::System {
                browser_env: Some(b),
            } if !b.trim().is_empty() => {
                // $BROWSER may be a ':'-separated list; the first entry is the user's choice.
                let first = b.split(':').next().unwrap_or(b);
                let words = parse_command(first).map_err(anyhow::Error::msg)?;
                spawn(&words, url, output, env)
            }
            Self::System { .. } => system(url, env),
        }
    }
}

/// Where a browser command's output goes: to our stderr (never stdout, the protocol's), or
/// nowhere.
#[derive(Clone, Copy)]
enum Output {
    Stderr,
    Nowhere,
}

/// The browser gets the URL and nothing secret: none of our own variables (the client secret,
/// a password) reach its environment.
#[expect(
    clippy::disallowed_methods,
    reason = "the child's environment is ours minus our variables"
)]
fn scrub<'c>(cmd: &'c mut Command, env: &[(String, String)]) -> &'c mut Command {
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with(OUR_ENV_PREFIX) {
            cmd.env_remove(key);
        }
    }
    for (key, value) in env {
        if !key.starts_with(OUR_ENV_PREFIX) {
            cmd.env(key, value);
        }
    }
    cmd
}

/// Every variable of ours starts with this; some hold secrets (KUBECTL_OIDC_CLIENT_SECRET).
pub const OUR_ENV_PREFIX: &str = "KUBECTL_OIDC_";

fn spawn(
    words: &[String],
    url: &str,
    output: Output,
    env: &[(String, String)],
) -> anyhow::Result<()> {
    let Some((program, args)) = words.split_first() else {
        bail!("the browser command is empty");
    };
    let (stdout, stderr) = match output {
        Output::Stderr => (Stdio::from(std::io::stderr()), Stdio::inherit()),
        Output::Nowhere => (Stdio::null(), Stdio::null()),
    };
    let child = scrub(&mut Command::new(program), env)
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .with_context(|| format!("cannot run the browser command {program:?}"))?;
    launched(child).map_err(|e| anyhow::anyhow!("the browser command {program:?} {e}"))
}

/// A launcher that fails does so at once: its exit status within half a second is the failure;
/// one still running then, or that exited with success, has opened the browser.
fn launched(mut child: std::process::Child) -> Result<(), String> {
    let until = std::time::Instant::now() + std::time::Duration::from_millis(500);
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => return Err(format!("failed ({status})")),
            Ok(None) if std::time::Instant::now() >= until => return Ok(()),
            Ok(None) => std::thread::sleep(std::time::Duration::from_millis(20)),
            Err(e) => return Err(format!("could not be waited for: {e}")),
        }
    }
}

/// The system's openers (xdg-open and friends, `open`, `start`), tried in order like
/// `open::that_detached`, but with the environment scrubbed.
fn system(url: &str, env: &[(String, String)]) -> anyhow::Result<()> {
    let mut failures = Vec::new();
    for mut cmd in open::commands(url) {
        let shown = cmd.get_program().to_string_lossy().into_owned();
        let spawned = scrub(&mut cmd, env)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        match spawned.map_err(|e| e.to_string()).and_then(launched) {
            Ok(()) => return Ok(()),
            Err(e) => failures.push(format!("{shown}: {e}")),
        }
    }
    bail!(
        "the system could not open a browser ({})",
        failures.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines_keep_arguments() {
        assert_eq!(
            parse_command(r#"open -a "Google Chrome" --args --profile-directory=Work"#).unwrap(),
            [
                "open",
                "-a",
                "Google Chrome",
                "--args",
                "--profile-directory=Work"
            ]
        );
        assert!(parse_command("  ").is_err());
        assert!(parse_command("unterminated 'quote").is_err());
    }

    /// Issue 17: a provider's URL that is not http(s) (a device verification_uri, say) is
    /// never handed to a browser command.
    #[cfg(unix)]
    #[test]
    fn only_http_urls_are_opened() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("opened");
        // sh -c 'touch MARKER' URL: the URL is $0, unused.
        let opener = Opener::Command(vec![
            "sh".into(),
            "-c".into(),
            format!("touch '{}'", marker.display()),
        ]);
        for url in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "x-evil://a",
            "not a url",
        ] {
            let err = opener.open(url, &[]).unwrap_err().to_string();
            assert!(err.contains("is not an http(s) URL"), "{url}: {err}");
        }
        assert!(!marker.exists());
        opener.open("https://idp.example.com/device", &[]).unwrap();
        let start = std::time::Instant::now();
        while !marker.exists() && start.elapsed() < std::time::Duration::from_secs(5) {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert!(marker.exists());
    }
}
