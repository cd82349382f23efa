//! Opening the authorization URL in the user's browser.
//!
//! `--browser-command` is a command line with arguments (shell-words), the URL appended as the
//! last argument (int128/kubelogin#916 asked for arguments). Without it: `$BROWSER` (which the
//! `open` crate ignores), then the system opener. The browser's stdout goes to our stderr so it
//! can never corrupt the ExecCredential on stdout; its stdin is closed.

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
    pub fn open(&self, url: &str) -> anyhow::Result<()> {
        match self {
            Self::Skip => Ok(()),
            Self::Command(words) => spawn(words, url),
            Self::System {
                browser_env: Some(b),
            } if !b.trim().is_empty() => {
                // $BROWSER may be a ':'-separated list; the first entry is the user's choice.
                let first = b.split(':').next().unwrap_or(b);
                let words = parse_command(first).map_err(anyhow::Error::msg)?;
                spawn(&words, url)
            }
            Self::System { .. } => {
                open::that_detached(url).context("the system could not open a browser")
            }
        }
    }
}

fn spawn(words: &[String], url: &str) -> anyhow::Result<()> {
    let Some((program, args)) = words.split_first() else {
        bail!("the browser command is empty");
    };
    Command::new(program)
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::from(std::io::stderr()))
        .spawn()
        .with_context(|| format!("cannot run the browser command {program:?}"))?;
    Ok(())
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
}
