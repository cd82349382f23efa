//! Test harness: a real OpenID provider (tests/idp, npm `oidc-provider`), the real plugin
//! binary with a scrubbed environment, and helpers for TLS fixtures and provider statistics.
#![allow(dead_code)]

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_kubectl-oidc");
pub const EXEC_V1_INTERACTIVE: &str = r#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":true}}"#;
pub const EXEC_V1_NONINTERACTIVE: &str = r#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}"#;

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

pub struct Tls {
    pub dir: tempfile::TempDir,
}

impl Tls {
    /// A private CA and a server certificate for 127.0.0.1, made with openssl.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let run = |args: &[&str]| {
            let out = Command::new("openssl")
                .args(args)
                .current_dir(dir.path())
                .output()
                .expect("openssl");
            assert!(
                out.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        run(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=kubectl-oidc test CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ]);
        run(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=127.0.0.1",
        ]);
        std::fs::write(
            dir.path().join("ext.cnf"),
            "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
        )
        .unwrap();
        run(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
        ]);
        Self { dir }
    }
    pub fn ca(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }
}

pub struct Idp {
    child: Child,
    pub issuer: String,
    pub kube_api: Option<String>,
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
            kube_api: v["kube_api"].as_str().map(str::to_owned),
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

    /// Request counts seen by the provider (and the fake Kubernetes API).
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

/// A home for one test: cache dir, scrubbed environment, and the plugin's flags.
pub struct Home {
    pub dir: tempfile::TempDir,
    pub args: Vec<String>,
}

impl Home {
    pub fn new(idp: &Idp) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let args = vec![
            format!("--oidc-issuer-url={}", idp.issuer),
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

    /// The plugin with a scrubbed environment (no inherited kubectl/XDG/browser settings).
    pub fn command(&self, subcommand: &str, extra: &[&str], exec_info: Option<&str>) -> Command {
        let mut cmd = Command::new(BIN);
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

    /// The one cache file with this extension (`id_token`, `session`, `lock`).
    pub fn cache_path(&self, ext: &str) -> PathBuf {
        let entries = std::fs::read_dir(self.cache_dir()).unwrap();
        let found = entries
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == ext));
        found.unwrap_or_else(|| panic!("no .{ext} file in {}", self.cache_dir().display()))
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
            ]
            .contains(&k.as_str())
        {
            cmd.env_remove(&k);
        }
    }
    cmd.env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("xdg-cache"));
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

pub fn sleep_until_stale(token: &str) {
    // The plugin refreshes `margin` seconds before exp: a quarter of a short token's life.
    let c = claims(token);
    let (exp, iat) = (c["exp"].as_i64().unwrap(), c["iat"].as_i64().unwrap());
    let stale_at = exp - (exp - iat).min(240) / 4;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    let wait = (stale_at as f64 - now + 0.2).max(0.0);
    std::thread::sleep(Duration::from_secs_f64(wait));
}

/// An https provider with a private CA and a home logged in to it, the plugin trusting the CA
/// (`--certificate-authority`) and the scripted browser too (`NODE_EXTRA_CA_CERTS`).
pub struct TlsLogin {
    pub idp: Idp,
    pub home: Home,
    /// Dropped last: the provider's certificate files live in it.
    pub tls: Tls,
}

impl TlsLogin {
    pub fn new() -> Self {
        let tls = Tls::new();
        let idp = Idp::start(IdpOptions {
            tls: Some(&tls),
            ..Default::default()
        });
        let mut home = Home::new(&idp);
        home.args
            .push(format!("--certificate-authority={}", tls.ca().display()));
        let out = home
            .command("login", &[&home.browser("")], None)
            .env("NODE_EXTRA_CA_CERTS", tls.ca())
            .output()
            .unwrap();
        assert_success(&out);
        Self { idp, home, tls }
    }
}

/// A kubeconfig with context `oidc` (this plugin as the exec entry, with `home.args`) and
/// context `admin` (the fake API server's static admin token).
pub fn write_kubeconfig(home: &Home, server: &str, ca: &Path) -> PathBuf {
    let mut args = String::new();
    for a in std::iter::once("get-token".to_owned()).chain(home.args.iter().cloned()) {
        args.push_str(&format!("\n      - {}", serde_json::to_string(&a).unwrap()));
    }
    let path = home.dir.path().join("kubeconfig");
    std::fs::write(
        &path,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: {server}\n    certificate-authority: {ca}\n\
             users:\n- name: oidc\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      interactiveMode: IfAvailable\n      command: {bin}\n      args:{args}\n\
             - name: admin\n  user:\n    token: admin-token\n\
             contexts:\n- name: oidc\n  context: {{cluster: test, user: oidc}}\n- name: admin\n  context: {{cluster: test, user: admin}}\ncurrent-context: oidc\n",
            ca = ca.display(),
            bin = BIN,
        ),
    )
    .unwrap();
    path
}
