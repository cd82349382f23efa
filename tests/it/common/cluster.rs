//! A real Kubernetes control plane for the tests: etcd and kube-apiserver v1.37.2, built from
//! Go modules by the test command (tests/go/build.sh, into target/k8s/), started once per test
//! run on loopback and shared by every test that needs a cluster.
//!
//! The API server authenticates with an `apiserver.config.k8s.io/v1` AuthenticationConfiguration
//! (`--authentication-config`, reloaded when the file changes) whose JWT issuers are real test
//! OpenID providers over https (tests/idp, started here too, their CA in the configuration):
//! - `main`: the default provider (1-hour tokens);
//! - `short`: tokens of [`SHORT_TTL`] seconds, for refreshes against the real server;
//! - `reload`: one whose username prefix a test changes, to see the server reload the file;
//! - a pool of [`POOL`] more, each leased to one test at a time ([`lease`]), for tests that
//!   read the provider's own request counts or last request; their usernames are the `sub`
//!   claim (so a machine's token, which has no email, maps too), prefix `oidc:`.
//!
//! Usernames are the `email` claim with the prefix `oidc:`, groups the `groups` claim with the
//! prefix `oidc:`; the audiences are the clients `kubernetes`, `kubelogin`, `confidential` and
//! `cluster-b` (`MatchAny`), and the token's own is the user's extra `kubectl-oidc.test/aud`
//! (so `auth whoami` shows which client's token arrived). Authorization is RBAC; the fixture's own setup (namespaces, bindings) uses an
//! admin client certificate (`system:masters`).
//!
//! The processes belong to a thread that lives as long as the test process, and each is
//! started with `PR_SET_PDEATHSIG`: they end when the test run ends, however it ends. Their
//! files live in `target/k8s/run/<pid>/` (the runs of processes that are gone are removed).

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::{Idp, IdpOptions, Tls, k8s_bin, k8s_tool};

/// The lifetime of the `short` provider's tokens, in seconds.
pub const SHORT_TTL: u64 = 8;
/// The username and groups prefix of the main configuration.
pub const PREFIX: &str = "oidc:";
/// How many providers the pool has.
pub const POOL: usize = 3;

pub struct Cluster {
    /// The API server's URL (`https://127.0.0.1:PORT`).
    pub server: String,
    /// The PEM file of the CA that signed the API server's certificate.
    pub ca: PathBuf,
    /// A kubeconfig with the context `admin` (a `system:masters` client certificate).
    pub admin_kubeconfig: PathBuf,
    /// The AuthenticationConfiguration file the API server reads (and reloads).
    pub authn_config: PathBuf,
    /// The test providers it trusts.
    pub main: Idp,
    pub short: Idp,
    pub reload: Idp,
    /// Providers leased to one test at a time ([`lease`]).
    pool: Vec<Idp>,
    /// The TLS fixture the providers serve with (its CA is in the configuration).
    pub idp_tls: Tls,
    /// How long etcd and the API server took to be ready.
    pub started_in: Duration,
    /// The files of this run.
    pub dir: PathBuf,
}

/// The shared cluster, started on first use.
pub fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(|| super::started_for_the_run(start))
}

/// A child that dies with the test process.
pub fn owned(cmd: &mut Command) -> &mut Command {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt as _;
        // SAFETY: prctl is async-signal-safe, as pre_exec requires.
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
    }
    cmd
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The cluster's PKI: a CA, the API server's serving certificate (127.0.0.1, ::1, localhost),
/// an admin client certificate, and the service-account key.
fn pki(dir: &Path) {
    openssl(
        dir,
        &[
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
            "/CN=kubectl-oidc test cluster CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
    let sign = |name: &str, subject: &str, ext: &str| {
        openssl(
            dir,
            &[
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                &format!("{name}.key"),
                "-out",
                &format!("{name}.csr"),
                "-subj",
                subject,
            ],
        );
        std::fs::write(dir.join(format!("{name}.ext")), ext).unwrap();
        openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                &format!("{name}.csr"),
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                &format!("{name}.pem"),
                "-days",
                "2",
                "-extfile",
                &format!("{name}.ext"),
            ],
        );
    };
    sign(
        "apiserver",
        "/CN=kube-apiserver",
        "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    );
    sign(
        "admin",
        "/O=system:masters/CN=kubectl-oidc-test-admin",
        "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n",
    );
    openssl(
        dir,
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
            "sa.key",
        ],
    );
}

/// One jwt authenticator of the AuthenticationConfiguration, for the provider at `issuer`,
/// its username from `claim`; the token's audience
/// (any of the test clients) is the user's extra `kubectl-oidc.test/aud`, for `auth whoami`.
pub fn jwt_authenticator(issuer: &str, ca_pem: &str, claim: &str, prefix: &str) -> String {
    let ca: String = ca_pem.lines().map(|l| format!("\n      {l}")).collect();
    format!(
        "- issuer:\n    url: {issuer}\n    audiences: [kubernetes, kubelogin, confidential, cluster-b]\n    audienceMatchPolicy: MatchAny\n    certificateAuthority: |{ca}\n  claimMappings:\n    username: {{claim: {claim}, prefix: {prefix:?}}}\n    groups: {{claim: groups, prefix: {prefix:?}}}\n    extra:\n    - {{key: kubectl-oidc.test/aud, valueExpression: claims.aud}}\n"
    )
}

/// The AuthenticationConfiguration for these jwt authenticators.
pub fn authentication_config(authenticators: &[String]) -> String {
    format!(
        "apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n{}",
        authenticators.concat()
    )
}

/// Write a file as an editor or a config manager would: whole, by a rename.
pub fn replace_file(path: &Path, text: &str) {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// Remove the runs of test processes that are gone.
fn tidy_runs(runs: &Path) {
    for e in std::fs::read_dir(runs).into_iter().flatten().flatten() {
        let gone = e
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
            .is_some_and(|pid| unsafe { libc::kill(pid, 0) } != 0);
        if gone {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

fn free_ports(n: usize) -> Vec<u16> {
    (0..n).map(|_| super::free_port()).collect()
}

fn log_file(dir: &Path, name: &str) -> std::fs::File {
    std::fs::File::create(dir.join(format!("{name}.log"))).unwrap()
}

/// What a process said, for a failure message: the end of its log.
pub fn log_tail(dir: &Path, name: &str) -> String {
    let text = std::fs::read_to_string(dir.join(format!("{name}.log"))).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

fn start() -> Cluster {
    let began = Instant::now();
    let runs = k8s_bin().join("run");
    std::fs::create_dir_all(&runs).unwrap();
    tidy_runs(&runs);
    let dir = runs.join(std::process::id().to_string());
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    pki(&dir);

    // The providers first: their issuers go into the configuration.
    let idp_tls = Tls::new();
    let provider = |ttl: Option<u64>| {
        Idp::start(IdpOptions {
            tls: Some(&idp_tls),
            id_token_ttl: ttl,
            // A device flow's poll every second (none is given by default: 5 s).
            device_interval: Some(1),
            owned: true,
            ..Default::default()
        })
    };
    let (main, short, reload) = (provider(None), provider(Some(SHORT_TTL)), provider(None));
    let pool: Vec<Idp> = (0..POOL).map(|_| provider(None)).collect();
    let idp_ca = std::fs::read_to_string(idp_tls.ca()).unwrap();
    let authn_config = dir.join("authentication-config.yaml");
    let mut authenticators = vec![
        jwt_authenticator(&main.issuer, &idp_ca, "email", PREFIX),
        jwt_authenticator(&short.issuer, &idp_ca, "email", PREFIX),
        jwt_authenticator(&reload.issuer, &idp_ca, "email", "reload-a:"),
    ];
    authenticators.extend(
        pool.iter()
            .map(|p| jwt_authenticator(&p.issuer, &idp_ca, "sub", PREFIX)),
    );
    replace_file(&authn_config, &authentication_config(&authenticators));

    let etcd_port = start_etcd(&dir);
    let mut last = String::new();
    for _attempt in 0..3 {
        let port = free_ports(1)[0];
        match start_apiserver(&dir, etcd_port, port, &authn_config) {
            Ok(()) => {
                let server = format!("https://127.0.0.1:{port}");
                let admin_kubeconfig = dir.join("admin.kubeconfig");
                std::fs::write(
                    &admin_kubeconfig,
                    format!(
                        "apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: {server}\n    certificate-authority: {d}/ca.pem\n\
                         users:\n- name: admin\n  user:\n    client-certificate: {d}/admin.pem\n    client-key: {d}/admin.key\n\
                         contexts:\n- name: admin\n  context: {{cluster: test, user: admin}}\ncurrent-context: admin\n",
                        d = dir.display()
                    ),
                )
                .unwrap();
                return Cluster {
                    server,
                    ca: dir.join("ca.pem"),
                    admin_kubeconfig,
                    authn_config,
                    main,
                    short,
                    reload,
                    pool,
                    idp_tls,
                    started_in: began.elapsed(),
                    dir,
                };
            }
            Err(e) => last = e,
        }
    }
    panic!("kube-apiserver did not start: {last}");
}

/// etcd on two free ports; its client port once it answers.
fn start_etcd(dir: &Path) -> u16 {
    let mut last = String::new();
    for _attempt in 0..3 {
        let ports = free_ports(2);
        let (client, peer) = (ports[0], ports[1]);
        let data = dir.join("etcd-data");
        let _ = std::fs::remove_dir_all(&data);
        let mut cmd = Command::new(k8s_tool("etcd"));
        cmd.args([
            "--name=test",
            &format!("--data-dir={}", data.display()),
            &format!("--listen-client-urls=http://127.0.0.1:{client}"),
            &format!("--advertise-client-urls=http://127.0.0.1:{client}"),
            &format!("--listen-peer-urls=http://127.0.0.1:{peer}"),
            &format!("--initial-advertise-peer-urls=http://127.0.0.1:{peer}"),
            &format!("--initial-cluster=test=http://127.0.0.1:{peer}"),
            "--unsafe-no-fsync",
            "--log-level=warn",
        ])
        .stdin(Stdio::null())
        .stdout(log_file(dir, "etcd"))
        .stderr(log_file(dir, "etcd"));
        let mut child = owned(&mut cmd).spawn().expect("target/k8s/etcd");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(body) = http_get(client, "/health")
                && body.contains("\"health\":\"true\"")
            {
                keep(child);
                return client;
            }
            if let Ok(Some(status)) = child.try_wait() {
                last = format!("etcd exited ({status}): {}", log_tail(dir, "etcd"));
                break;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                last = format!("etcd did not answer in 30 s: {}", log_tail(dir, "etcd"));
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    panic!("{last}");
}

/// A plain-http GET on loopback (etcd's health), without a client library.
fn http_get(port: u16, path: &str) -> std::io::Result<String> {
    use std::io::{Read as _, Write as _};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(2)))?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")?;
    let mut body = String::new();
    s.read_to_string(&mut body)?;
    Ok(body)
}

/// kube-apiserver on `port`; `Ok` once `/readyz` answers ok to the admin (the post-start
/// hooks, RBAC's bootstrap roles among them, gate it).
fn start_apiserver(dir: &Path, etcd: u16, port: u16, authn: &Path) -> Result<(), String> {
    let d = dir.display();
    let mut cmd = Command::new(k8s_tool("kube-apiserver"));
    cmd.args([
        format!("--etcd-servers=http://127.0.0.1:{etcd}"),
        "--bind-address=127.0.0.1".to_owned(),
        "--advertise-address=127.0.0.1".to_owned(),
        format!("--secure-port={port}"),
        format!("--cert-dir={d}/apiserver-certs"),
        format!("--tls-cert-file={d}/apiserver.pem"),
        format!("--tls-private-key-file={d}/apiserver.key"),
        format!("--client-ca-file={d}/ca.pem"),
        "--service-account-issuer=https://kubernetes.default.svc".to_owned(),
        format!("--service-account-key-file={d}/sa.key"),
        format!("--service-account-signing-key-file={d}/sa.key"),
        "--service-cluster-ip-range=10.96.0.0/12".to_owned(),
        "--authorization-mode=RBAC".to_owned(),
        format!("--authentication-config={}", authn.display()),
        "--enable-priority-and-fairness=false".to_owned(),
        // Loopback is no address for the kubernetes Service's endpoints: none are kept.
        "--endpoint-reconciler-type=none".to_owned(),
        "--v=2".to_owned(),
    ])
    .stdin(Stdio::null())
    .stdout(log_file(dir, "kube-apiserver"))
    .stderr(log_file(dir, "kube-apiserver"));
    let mut child = owned(&mut cmd)
        .spawn()
        .map_err(|e| format!("target/k8s/kube-apiserver: {e}"))?;
    let admin = dir.join("ready.kubeconfig");
    std::fs::write(
        &admin,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: t\n  cluster:\n    server: https://127.0.0.1:{port}\n    certificate-authority: {d}/ca.pem\n\
             users:\n- name: a\n  user:\n    client-certificate: {d}/admin.pem\n    client-key: {d}/admin.key\n\
             contexts:\n- name: a\n  context: {{cluster: t, user: a}}\ncurrent-context: a\n"
        ),
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let out = Command::new(k8s_tool("kubectl"))
            .arg(format!("--kubeconfig={}", admin.display()))
            .args(["get", "--raw", "/readyz", "--request-timeout=2s"])
            .output()
            .unwrap();
        if out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "ok" {
            keep(child);
            return Ok(());
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!(
                "exited ({status}): {}",
                log_tail(dir, "kube-apiserver")
            ));
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            return Err(format!(
                "not ready in 120 s: {}",
                log_tail(dir, "kube-apiserver")
            ));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A child kept for the whole run (it dies with the test process).
fn keep(child: Child) {
    std::mem::forget(child);
}

/// A provider of the pool, this test's alone until dropped.
pub struct Lease(usize);

static FREE: std::sync::Mutex<Vec<usize>> = std::sync::Mutex::new(Vec::new());
static RETURNED: std::sync::Condvar = std::sync::Condvar::new();

/// A provider of the cluster's pool that no other test uses while the lease is held: its
/// request counts and last request are this test's (taken as they are: compare with a count
/// taken first). Waits for one to be free.
pub fn lease() -> Lease {
    let _ = cluster();
    static FILLED: std::sync::Once = std::sync::Once::new();
    FILLED.call_once(|| FREE.lock().unwrap().extend(0..POOL));
    let mut free = FREE.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        if let Some(i) = free.pop() {
            return Lease(i);
        }
        free = RETURNED.wait(free).unwrap_or_else(|e| e.into_inner());
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        // As the next test expects it: hour-long tokens.
        cluster().pool[self.0].set_ttl(3600);
        FREE.lock().unwrap_or_else(|e| e.into_inner()).push(self.0);
        RETURNED.notify_one();
    }
}

impl std::ops::Deref for Lease {
    type Target = Idp;
    fn deref(&self) -> &Idp {
        &cluster().pool[self.0]
    }
}

impl Cluster {
    /// kubectl as the cluster's admin.
    pub fn admin(&self, args: &[&str]) -> std::process::Output {
        Command::new(k8s_tool("kubectl"))
            .arg(format!("--kubeconfig={}", self.admin_kubeconfig.display()))
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// Apply a manifest as the admin.
    pub fn apply(&self, manifest: &str) {
        let mut child = Command::new(k8s_tool("kubectl"))
            .arg(format!("--kubeconfig={}", self.admin_kubeconfig.display()))
            .args(["apply", "-f", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write as _;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(manifest.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "kubectl apply: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The API server's log lines that contain `text`.
    pub fn log_lines(&self, text: &str) -> Vec<String> {
        let log = std::fs::read_to_string(self.dir.join("kube-apiserver.log")).unwrap_or_default();
        BufReader::new(log.as_bytes())
            .lines()
            .map_while(Result::ok)
            .filter(|l| l.contains(text))
            .collect()
    }
}
