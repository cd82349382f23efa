//! TLS fixtures: a private CA and a server certificate for 127.0.0.1, made with openssl, and
//! a provider served with them.

use std::path::PathBuf;
use std::process::Command;

use super::{Home, Idp, IdpOptions, assert_success};

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

/// A test's own, or one the shared cluster owns (`common/cluster.rs`), which lives for the
/// whole run.
pub enum Shared<T: 'static> {
    Own(T),
    Cluster(&'static T),
    /// Leased from the cluster's pool (`common::cluster::lease`).
    Leased(Box<dyn std::ops::Deref<Target = T>>),
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        match self {
            Shared::Own(t) => t,
            Shared::Cluster(t) => t,
            Shared::Leased(t) => t,
        }
    }
}

/// An https provider with a private CA and a home logged in to it, the plugin trusting the CA
/// (`--certificate-authority`) and the scripted browser too (`NODE_EXTRA_CA_CERTS`).
pub struct TlsLogin {
    pub idp: Shared<Idp>,
    pub home: Home,
    /// Dropped last: the provider's certificate files live in it.
    pub tls: Shared<Tls>,
}

impl TlsLogin {
    /// A provider of the test's own.
    pub fn new() -> Self {
        let tls = Tls::new();
        let idp = Idp::start(IdpOptions {
            tls: Some(&tls),
            ..Default::default()
        });
        Self::logged_in(Shared::Own(idp), Shared::Own(tls), "alice")
    }

    /// The real cluster's main provider (`cluster().main`, which the API server trusts),
    /// logged in to as `login` (shared: its request counts are not this test's alone).
    pub fn on_cluster(login: &str) -> Self {
        let c = super::cluster();
        Self::logged_in(Shared::Cluster(&c.main), Shared::Cluster(&c.idp_tls), login)
    }

    /// A provider of the real cluster's pool, this test's alone while it runs (its request
    /// counts are this test's; usernames there are `oidc:<sub>`), logged in to as `login`.
    pub fn leased(login: &str) -> Self {
        let c = super::cluster();
        let idp = Shared::Leased(Box::new(super::lease()));
        Self::logged_in(idp, Shared::Cluster(&c.idp_tls), login)
    }

    fn logged_in(idp: Shared<Idp>, tls: Shared<Tls>, login: &str) -> Self {
        let mut home = Home::new(&idp);
        home.args
            .push(format!("--certificate-authority={}", tls.ca().display()));
        let out = home
            .command("login", &[&home.browser(&format!("--login {login}"))], None)
            .env("NODE_EXTRA_CA_CERTS", tls.ca())
            .output()
            .unwrap();
        assert_success(&out);
        Self { idp, home, tls }
    }
}

/// A provider that accepts the client `https-loopback` with the redirect
/// `https://127.0.0.1:PORT/callback`, and a home whose login listens there.
pub fn https_loopback() -> (Idp, Home, u16) {
    let port = super::free_port();
    let redirect = format!("https://127.0.0.1:{port}/callback");
    let idp = Idp::start(IdpOptions {
        extra: &["--extra-redirect", &redirect],
        ..Default::default()
    });
    let mut home = Home::new(&idp);
    home.args
        .retain(|a| !a.starts_with("--listen-address") && !a.starts_with("--oidc-client-id"));
    home.args.extend([
        format!("--listen-address=127.0.0.1:{port}"),
        "--oidc-client-id=https-loopback".into(),
    ]);
    (idp, home, port)
}
