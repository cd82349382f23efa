//! Dex (github.com/dexidp/dex, built from the Go module proxy by tests/go/build.sh), a real
//! OpenID provider for what oidc-provider cannot be made to do without code of ours: the
//! password grant (its local password connector), the device flow with PKCE, refresh-token
//! rotation. In-memory storage, one static user, one public client with no redirect URIs
//! (Dex then takes any loopback redirect, as RFC 8252 asks).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{free_port, k8s_tool};

/// The static user: Dex's own example user, whose bcrypt hash is of "password".
pub const DEX_EMAIL: &str = "alice@example.com";
pub const DEX_PASSWORD: &str = "password";
const DEX_HASH: &str = "$2a$10$2b2cU8CPhOTaGrs1HRQuAueS7JTT5ZHsHSzYiFPm1leZck7Mc8T4W";

pub struct Dex {
    pub issuer: String,
    child: Child,
    dir: tempfile::TempDir,
}

impl Dex {
    /// Dex on a free loopback port, answering its discovery document. A port taken between
    /// choosing and binding it is tried again with another.
    pub fn start() -> Self {
        Self::start_with(None)
    }

    /// Dex with an OIDC connector `upstream` to `issuer` (the test IdP, whose id_tokens for the
    /// client `kubernetes` it then takes as subject tokens of a token exchange).
    pub fn with_upstream(issuer: &str) -> Self {
        Self::start_with(Some(issuer))
    }

    fn start_with(upstream: Option<&str>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut last = String::new();
        for _ in 0..5 {
            let port = free_port();
            let issuer = format!("http://127.0.0.1:{port}/dex");
            let config = dir.path().join("config.yaml");
            let mut yaml = config_yaml(&issuer, port);
            if let Some(up) = upstream {
                yaml.push_str(&connector_yaml(&issuer, up));
            }
            std::fs::write(&config, yaml).unwrap();
            // Dex logs on stderr.
            let mut child = Command::new(k8s_tool("dex"))
                .arg("serve")
                .arg(&config)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(dir.path().join("dex.log")).unwrap())
                .spawn()
                .unwrap();
            if ready(&issuer, &mut child) {
                return Self { issuer, child, dir };
            }
            let _ = child.kill();
            let _ = child.wait();
            last = std::fs::read_to_string(dir.path().join("dex.log")).unwrap_or_default();
        }
        panic!("dex did not start: {last}");
    }

    /// Dex's log so far, for a failing test's message.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dex.log")).unwrap_or_default()
    }
}

impl Drop for Dex {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether Dex answers its discovery document within 30 s (false: it exited, the port taken).
fn ready(issuer: &str, child: &mut Child) -> bool {
    let until = Instant::now() + Duration::from_secs(30);
    let url = format!("{issuer}/.well-known/openid-configuration");
    while Instant::now() < until {
        if let Ok(Some(_)) = child.try_wait() {
            return false;
        }
        if ureq::get(&url).call().is_ok_and(|r| r.status() == 200) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

fn config_yaml(issuer: &str, port: u16) -> String {
    format!(
        r#"issuer: {issuer}
storage:
  type: memory
web:
  http: 127.0.0.1:{port}
logger:
  level: info
oauth2:
  skipApprovalScreen: true
  passwordConnector: local
  grantTypes:
  - authorization_code
  - refresh_token
  - password
  - urn:ietf:params:oauth:grant-type:device_code
  - urn:ietf:params:oauth:grant-type:token-exchange
expiry:
  idTokens: 1h
enablePasswordDB: true
staticPasswords:
- email: {DEX_EMAIL}
  hash: "{DEX_HASH}"
  username: alice
  userID: 08a8684b-db88-4b73-90a9-3cd1661f5466
staticClients:
- id: kubernetes
  name: kubernetes
  public: true
"#
    )
}

/// The OIDC connector `upstream`: id_tokens of `upstream` for its client `kubernetes`.
fn connector_yaml(issuer: &str, upstream: &str) -> String {
    format!(
        r#"connectors:
- type: oidc
  id: upstream
  name: upstream
  config:
    issuer: {upstream}
    clientID: kubernetes
    clientSecret: unused
    redirectURI: {issuer}/callback
    insecureSkipEmailVerified: true
    userNameKey: email
"#
    )
}
