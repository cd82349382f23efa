//! A home for one test: its cache directory, the plugin's flags, the plugin run with a
//! scrubbed environment, and what its output and cache say.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use super::{BIN, EXEC_V1_INTERACTIVE, Idp, idp_dir};

/// A home for one test: cache dir, scrubbed environment, and the plugin's flags.
pub struct Home {
    pub dir: tempfile::TempDir,
    pub args: Vec<String>,
}

impl Home {
    pub fn new(idp: &Idp) -> Self {
        Self::with_issuer(&idp.issuer)
    }

    /// A home whose plugin logs in to `issuer` (a provider other than the test IdP: Dex).
    pub fn with_issuer(issuer: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let args = vec![
            format!("--oidc-issuer-url={issuer}"),
            "--oidc-client-id=kubernetes".to_owned(),
            "--oidc-extra-scope=email".to_owned(),
            "--oidc-extra-scope=groups".to_owned(),
            "--listen-address=127.0.0.1:0".to_owned(),
            format!("--token-cache-dir={}", dir.path().join("cache").display()),
            "--token-cache-storage=disk".to_owned(),
        ];
        Self { dir, args }
    }

    pub fn cache_dir(&self) -> PathBuf {
        self.dir.path().join("cache")
    }

    /// The browser command playing the user, with extra browser.js flags.
    pub fn browser(&self, flags: &str) -> String {
        format!(
            "--browser-command=node {} {flags}",
            idp_dir().join("browser.js").display()
        )
    }

    /// The scripted browser leaving a marker file when it is opened, and that file: a test
    /// proves no browser was opened by the file's absence.
    pub fn marked_browser(&self) -> (PathBuf, String) {
        let marker = self.dir.path().join("browser-opened");
        let browser = self.browser(&format!("--marker {}", marker.display()));
        (marker, browser)
    }

    /// The plugin with a scrubbed environment (no inherited kubectl/XDG/browser settings).
    pub fn command(&self, subcommand: &str, extra: &[&str], exec_info: Option<&str>) -> Command {
        let mut cmd = Command::new(BIN);
        default_sigint(&mut cmd);
        cmd.arg(subcommand).args(&self.args).args(extra);
        scrub(&mut cmd, self.dir.path());
        if let Some(info) = exec_info {
            cmd.env("KUBERNETES_EXEC_INFO", info);
        }
        cmd.stdin(Stdio::null());
        cmd
    }

    pub fn run(&self, subcommand: &str, extra: &[&str], exec_info: Option<&str>) -> Output {
        self.command(subcommand, extra, exec_info).output().unwrap()
    }

    /// Log in through the scripted browser; panics with the plugin's stderr on failure.
    pub fn login(&self) -> Output {
        let out = self.run("get-token", &[&self.browser("")], Some(EXEC_V1_INTERACTIVE));
        assert_success(&out);
        out
    }

    /// A login that waits for a user who never comes (its browser does nothing), started and
    /// past its discovery: it holds the entry's login lock until killed or 60 s have passed.
    pub fn pending_login(&self, idp: &Idp) -> std::process::Child {
        let discoveries = || {
            idp.stats()["paths"]["/.well-known/openid-configuration"]
                .as_u64()
                .unwrap_or(0)
        };
        let before = discoveries();
        let child = self
            .command(
                "login",
                &[&self.browser("--never"), "--authentication-timeout-sec=60"],
                None,
            )
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        while discoveries() == before {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the login never started"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        child
    }

    /// The one cache file with this extension (`id_token`, `session`, `lock`).
    pub fn cache_path(&self, ext: &str) -> PathBuf {
        let entries = std::fs::read_dir(self.cache_dir()).unwrap();
        let found = entries
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == ext));
        found.unwrap_or_else(|| panic!("no .{ext} file in {}", self.cache_dir().display()))
    }

    /// The refresh token the session holds (disk mode).
    pub fn refresh_token(&self) -> String {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(self.cache_path("session")).unwrap()).unwrap();
        v["data"]["refresh_token"].as_str().unwrap().to_owned()
    }

    /// The id_token the cache holds (disk mode), if any.
    pub fn cached_id_token(&self) -> Option<String> {
        let path = std::fs::read_dir(self.cache_dir())
            .ok()?
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "id_token"))?;
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
        v["data"]["id_token"].as_str().map(str::to_owned)
    }
}

/// Give the child the default SIGINT disposition: a suite started with SIGINT ignored (`nohup`,
/// `trap '' INT`) would otherwise pass that on, and Ctrl-C tests could not interrupt it.
pub fn default_sigint(cmd: &mut Command) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt as _;
        // SAFETY: signal(2) is async-signal-safe, as pre_exec requires.
        unsafe {
            cmd.pre_exec(|| {
                libc::signal(libc::SIGINT, libc::SIG_DFL);
                Ok(())
            });
        }
    }
}

pub fn scrub(cmd: &mut Command, home: &Path) {
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().into_owned();
        if k.starts_with("KUBECTL_OIDC_")
            || k.starts_with("XDG_")
            || k.starts_with("KUBE")
            || [
                "BROWSER",
                "HTTPS_PROXY",
                "HTTP_PROXY",
                "ALL_PROXY",
                "https_proxy",
                "http_proxy",
                "NO_PROXY",
                "no_proxy",
                "all_proxy",
                "DBUS_SESSION_BUS_ADDRESS",
                "SSH_CONNECTION",
                "SSH_TTY",
                // Whether a call without a terminal may open a browser (auth/desktop.rs):
                // the tests that want a desktop, CI or SSH say so.
                "DISPLAY",
                "WAYLAND_DISPLAY",
                "WSL_DISTRO_NAME",
                "WSL_INTEROP",
                "SESSIONNAME",
                "CI",
                "GITHUB_ACTIONS",
                "GITLAB_CI",
                "BUILDKITE",
                "JENKINS_URL",
                "TF_BUILD",
                "TEAMCITY_VERSION",
                "CODEBUILD_BUILD_ID",
            ]
            .contains(&k.as_str())
        {
            cmd.env_remove(&k);
        }
    }
    cmd.env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("xdg-cache"))
        .env("PATH", super::test_path());
}

pub fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The ExecCredential on stdout, checked to be exactly one JSON document.
pub fn exec_credential(out: &Output) -> serde_json::Value {
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    let mut docs = serde_json::Deserializer::from_str(&text).into_iter::<serde_json::Value>();
    let doc = docs.next().expect("an ExecCredential on stdout").unwrap();
    assert!(
        docs.next().is_none(),
        "stdout must hold exactly one document: {text}"
    );
    assert_eq!(doc["kind"], "ExecCredential");
    doc
}

pub fn token_of(out: &Output) -> String {
    exec_credential(out)["status"]["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub fn claims(token: &str) -> serde_json::Value {
    use base64::Engine as _;
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap()
}

/// Sleep until the plugin no longer serves the token of this get-token output from its cache:
/// the `expirationTimestamp` it told kubectl (the plugin's own early-refresh margin, read from
/// the protocol rather than copied here).
pub fn sleep_until_stale(out: &Output) {
    let expires = exec_credential(out)["status"]["expirationTimestamp"]
        .as_str()
        .unwrap()
        .to_owned();
    let stale_at = chrono::DateTime::parse_from_rfc3339(&expires)
        .unwrap()
        .timestamp();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    let wait = (stale_at as f64 - now + 0.2).max(0.0);
    std::thread::sleep(Duration::from_secs_f64(wait));
}

/// A provider started with `options`, a home, and a first login through get-token: where most
/// tests begin. Keep the provider bound (`_idp` at least): dropping it stops it.
pub fn logged_in(options: super::IdpOptions<'_>) -> (Idp, Home, Output) {
    let idp = Idp::start(options);
    let home = Home::new(&idp);
    let login = home.login();
    (idp, home, login)
}

/// The call failed with exit `code`, printed nothing on stdout and said each of `says` on
/// stderr; its stderr, for more checks.
pub fn assert_failure(out: &Output, code: i32, says: &[&str]) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(
        out.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    for s in says {
        assert!(err.contains(s), "{s:?} not in: {err}");
    }
    err
}

/// A small deterministic generator (xorshift64*), so a failing run can be replayed from its
/// seed.
pub struct Rng(pub u64);

impl Rng {
    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n.max(1) as u64) as usize
    }
}
