//! The test provider: tests/idp/server.js (npm `oidc-provider` from the committed lockfile)
//! on 127.0.0.1, with its test hooks (request counts, injected failures).

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

use super::Tls;

pub fn idp_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/idp")
}

/// `npm ci` once per test process, from the committed lockfile.
fn ensure_node_modules() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        if idp_dir().join("node_modules/oidc-provider").is_dir() {
            return;
        }
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(idp_dir())
            .status()
            .expect("npm is needed for the test provider");
        assert!(status.success(), "npm ci in tests/idp failed");
    });
}

pub struct Idp {
    child: Child,
    pub issuer: String,
    /// An HTTP CONNECT proxy in front of everything (stats: `proxy.connects`).
    pub proxy: String,
    ca: Option<PathBuf>,
}

impl Drop for Idp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Default)]
pub struct IdpOptions<'a> {
    pub tls: Option<&'a Tls>,
    pub id_token_ttl: Option<u64>,
    pub token_delay_ms: Option<u64>,
    /// Refresh tokens stay valid when used (the default rotates them on every use).
    pub no_rotation: bool,
    /// The provider has no revocation endpoint.
    pub no_revocation: bool,
    /// The device authorization answer's `interval` (none by default: 5 s applies).
    pub device_interval: Option<u64>,
    /// How long a device code lives (600 s by default).
    pub device_ttl: Option<u64>,
    /// The token endpoint wants this Origin header (Entra ID's SPA clients).
    pub require_origin: Option<&'a str>,
    /// An authorization request for this scope is answered invalid_scope (Cognito).
    pub reject_scope: Option<&'a str>,
    /// Discovery does not advertise PKCE, which stays required (Entra ID).
    pub hide_pkce: bool,
    /// More server.js flags (--jwt-access-tokens, --refresh-needs-offline-access, ...).
    pub extra: &'a [&'a str],
    /// Owned by the shared cluster (common/cluster.rs): ends with the test process.
    pub owned: bool,
}

impl Idp {
    pub fn start(options: IdpOptions<'_>) -> Self {
        ensure_node_modules();
        let mut cmd = Command::new("node");
        cmd.arg(idp_dir().join("server.js"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(tls) = options.tls {
            cmd.arg("--tls-cert").arg(tls.dir.path().join("server.pem"));
            cmd.arg("--tls-key").arg(tls.dir.path().join("server.key"));
        }
        if let Some(ttl) = options.id_token_ttl {
            cmd.args(["--id-token-ttl", &ttl.to_string()]);
        }
        if let Some(ms) = options.token_delay_ms {
            cmd.args(["--token-delay-ms", &ms.to_string()]);
        }
        if options.no_rotation {
            cmd.arg("--no-rotation");
        }
        if options.no_revocation {
            cmd.arg("--no-revocation");
        }
        if let Some(s) = options.device_interval {
            cmd.args(["--device-interval", &s.to_string()]);
        }
        if let Some(s) = options.device_ttl {
            cmd.args(["--device-ttl", &s.to_string()]);
        }
        if let Some(origin) = options.require_origin {
            cmd.args(["--require-origin", origin]);
        }
        if let Some(scope) = options.reject_scope {
            cmd.args(["--reject-scope", scope]);
        }
        if options.hide_pkce {
            cmd.arg("--hide-pkce");
        }
        cmd.args(options.extra);
        if options.owned {
            super::owned(&mut cmd);
        }
        let mut child = cmd.spawn().expect("node is needed for the test provider");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("idp said {line:?}: {e}"));
        Self {
            child,
            issuer: v["issuer"].as_str().unwrap().to_owned(),
            proxy: v["proxy"].as_str().unwrap().to_owned(),
            ca: options.tls.map(Tls::ca),
        }
    }

    fn agent(&self) -> ureq::Agent {
        let mut tls = ureq::tls::TlsConfig::builder();
        if let Some(ca) = &self.ca {
            let pem = std::fs::read(ca).unwrap();
            let cert = ureq::tls::Certificate::from_pem(&pem).unwrap();
            tls = tls.root_certs(ureq::tls::RootCerts::from([cert]));
        }
        ureq::Agent::new_with_config(
            ureq::Agent::config_builder()
                .tls_config(tls.build())
                .build(),
        )
    }

    /// A job token of the test CI system, the subject of a token exchange.
    pub fn ci_token(&self, sub: &str) -> String {
        self.agent()
            .get(format!("{}/__test/ci-token?sub={sub}", self.issuer))
            .call()
            .unwrap()
            .into_body()
            .read_to_string()
            .unwrap()
    }

    /// Request counts seen by the provider.
    pub fn stats(&self) -> serde_json::Value {
        let body = self
            .agent()
            .get(format!("{}/__test/stats", self.issuer))
            .call()
            .unwrap()
            .into_body()
            .read_to_string()
            .unwrap();
        serde_json::from_str(&body).unwrap()
    }

    pub fn grants(&self, grant: &str) -> u64 {
        self.stats()["grants"][grant].as_u64().unwrap_or(0)
    }

    /// What the token endpoint says to a refresh with this refresh token: the HTTP status and
    /// the body (to prove a revocation at the provider itself).
    pub fn try_refresh(&self, refresh_token: &str) -> (u16, String) {
        let agent = ureq::Agent::new_with_config(
            ureq::Agent::config_builder()
                .http_status_as_error(false)
                .build(),
        );
        let mut response = agent
            .post(format!("{}/token", self.issuer))
            .send_form([
                ("grant_type", "refresh_token"),
                ("client_id", "kubernetes"),
                ("refresh_token", refresh_token),
            ])
            .unwrap();
        (
            response.status().as_u16(),
            response.body_mut().read_to_string().unwrap(),
        )
    }

    /// The next discovery document is an error page (`html`) or truncated JSON (`garbage`).
    pub fn break_discovery(&self, mode: &str) {
        self.agent()
            .get(format!(
                "{}/__test/break-discovery?mode={mode}",
                self.issuer
            ))
            .call()
            .unwrap();
    }

    /// Every later discovery document has these fields set (none: as the provider made it).
    pub fn override_discovery(&self, fields: &[(&str, &str)]) {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        self.agent()
            .get(format!("{}/__test/override-discovery?{query}", self.issuer))
            .call()
            .unwrap();
    }

    /// Put `text` where a provider's words reach the user (tests/idp/server.js).
    pub fn provider_text(&self, text: &str) {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("text", text)
            .finish();
        self.agent()
            .get(format!("{}/__test/provider-text?{query}", self.issuer))
            .call()
            .unwrap();
    }

    /// The lifetime of the tokens issued from now on (the default is `id_token_ttl`).
    pub fn set_ttl(&self, seconds: u64) {
        self.agent()
            .get(format!("{}/__test/ttl?seconds={seconds}", self.issuer))
            .call()
            .unwrap();
    }

    /// The next device-code poll is answered `slow_down`.
    /// Every later token request waits `ms` before it is answered.
    pub fn delay_tokens(&self, ms: u64) {
        self.agent()
            .get(format!("{}/__test/token-delay?ms={ms}", self.issuer))
            .call()
            .unwrap();
    }

    /// The next device-code poll is answered with this OAuth error (RFC 8628 §3.5).
    pub fn device_error_next(&self, error: &str) {
        self.agent()
            .get(format!(
                "{}/__test/slow-down-next?error={error}",
                self.issuer
            ))
            .call()
            .unwrap();
    }

    pub fn slow_down_next(&self) {
        self.agent()
            .get(format!("{}/__test/slow-down-next", self.issuer))
            .call()
            .unwrap();
    }

    pub fn fail_next_refresh(&self, mode: &str) {
        self.agent()
            .get(format!(
                "{}/__test/fail-next-refresh?mode={mode}",
                self.issuer
            ))
            .call()
            .unwrap();
    }
}
