//! The controlling terminal (/dev/tty, CONIN$ on Windows), for the prompts of the keyboard and
//! password logins: never stdin, which kubectl owns, and never echoed into a pipe or a log.

use std::io::{BufRead as _, Write as _};

use anyhow::Context as _;

use crate::error::{Error, Kind};
use crate::secret::Secret;

/// The controlling terminal, for a prompt and one line of input.
pub struct Terminal {
    input: std::io::BufReader<std::fs::File>,
    output: std::fs::File,
}

impl Terminal {
    /// `what` says who needs it, for the error without one ("--grant-type=... reads the code").
    pub fn open(what: &str) -> anyhow::Result<Self> {
        #[cfg(windows)]
        let (input, output) = ("CONIN$", "CONOUT$");
        #[cfg(not(windows))]
        let (input, output) = ("/dev/tty", "/dev/tty");
        let no_terminal = |e: std::io::Error| {
            Error::new(
                Kind::LoginNeeded,
                format!(
                    "{what} from a terminal, and there is none ({input}: {e}); run `kubectl oidc login` \
                     with the same flags in a terminal, or use --grant-type=device-code"
                ),
            )
        };
        let read = std::fs::File::open(input).map_err(no_terminal)?;
        let write = std::fs::OpenOptions::new()
            .write(true)
            .open(output)
            .map_err(no_terminal)?;
        Ok(Self {
            input: std::io::BufReader::new(read),
            output: write,
        })
    }

    pub fn prompt(&mut self, text: &str) -> anyhow::Result<Secret<String>> {
        self.output.write_all(text.as_bytes())?;
        self.output.flush()?;
        let mut line = String::new();
        self.input
            .read_line(&mut line)
            .context("cannot read from the terminal")?;
        Ok(Secret::new(line))
    }

    /// A line typed without echo (a password), or an error where echo cannot be turned off.
    pub fn prompt_hidden(&mut self, text: &str) -> anyhow::Result<Secret<String>> {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd as _;
            let fd = self.input.get_ref().as_raw_fd();
            // SAFETY: tcgetattr/tcsetattr on a terminal fd we own, with a zeroed termios that
            // tcgetattr fills before it is read.
            let mut saved: libc::termios = unsafe { std::mem::zeroed() };
            if unsafe { libc::tcgetattr(fd, &mut saved) } != 0 {
                anyhow::bail!("cannot turn off echo on the terminal");
            }
            let mut quiet = saved;
            quiet.c_lflag &= !libc::ECHO;
            quiet.c_lflag |= libc::ECHONL;
            unsafe { libc::tcsetattr(fd, libc::TCSANOW, &quiet) };
            let line = self.prompt(text);
            unsafe { libc::tcsetattr(fd, libc::TCSANOW, &saved) };
            line
        }
        #[cfg(not(unix))]
        {
            let _ = text;
            anyhow::bail!(
                "cannot read a password without echo here; give --password-file or KUBECTL_OIDC_PASSWORD"
            )
        }
    }
}

/// Whether stdin is a terminal that a full-screen program holds in raw mode (k9s, a TUI that
/// runs kubectl): no prompt may be drawn or read there.
pub fn stdin_in_raw_mode() -> bool {
    #[cfg(unix)]
    {
        // SAFETY: isatty and tcgetattr on fd 0 with a zeroed termios that tcgetattr fills
        // before it is read.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            libc::isatty(0) == 1 && libc::tcgetattr(0, &mut t) == 0 && t.c_lflag & libc::ICANON == 0
        }
    }
    #[cfg(not(unix))]
    {
        false
    }
}
