//! A real Keycloak (26.5.6, the Quarkus distribution from Maven Central, fetched by
//! tests/keycloak/fetch.sh into target/keycloak/), started once per test run on first use, on
//! 127.0.0.1 with an in-memory database and the realm `test` of tests/keycloak/realm.json: the
//! public client `kubernetes` (PKCE S256, loopback redirects on any port), the user alice
//! (password "password", email alice@example.com) in the groups dev and ops, and a Group
//! Membership mapper on the client that sends full group paths (`/dev`), Keycloak's default.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::{free_port, owned};

pub const KEYCLOAK_VERSION: &str = "26.5.6";
pub const KEYCLOAK_PASSWORD: &str = "password";

pub struct Keycloak {
    /// `http://127.0.0.1:PORT/realms/test`.
    pub issuer: String,
    /// How long it took to be ready.
    pub started_in: Duration,
    log: PathBuf,
}

impl Keycloak {
    pub fn log(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let tail: Vec<&str> = text.lines().rev().take(40).collect();
        tail.into_iter().rev().collect::<Vec<_>>().join("\n")
    }
}

fn home() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/keycloak")
        .join(format!("keycloak-{KEYCLOAK_VERSION}"))
}

/// The shared Keycloak, started on first use (it dies with the test process).
pub fn keycloak() -> &'static Keycloak {
    static KEYCLOAK: OnceLock<Keycloak> = OnceLock::new();
    KEYCLOAK.get_or_init(|| super::started_for_the_run(start))
}

fn start() -> Keycloak {
    let home = home();
    assert!(
        home.join("bin/kc.sh").exists(),
        "Keycloak {KEYCLOAK_VERSION} is not in {}: the test command fetches it (tests/keycloak/fetch.sh)",
        home.display()
    );
    let import = home.join("data/import");
    std::fs::create_dir_all(&import).unwrap();
    let realm = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/keycloak/realm.json");
    std::fs::copy(&realm, import.join("kubectl-oidc-test.json")).unwrap();
    let log =
        std::env::temp_dir().join(format!("kubectl-oidc-keycloak-{}.log", std::process::id()));
    let mut last = String::new();
    for _ in 0..3 {
        let port = free_port();
        let started = Instant::now();
        let mut child = owned(
            Command::new(home.join("bin/kc.sh"))
                .args([
                    "start-dev",
                    "--http-host=127.0.0.1",
                    &format!("--http-port={port}"),
                    "--db=dev-mem",
                    "--import-realm",
                ])
                .stdin(Stdio::null())
                .stdout(std::fs::File::create(&log).unwrap())
                .stderr(Stdio::null()),
        )
        .spawn()
        .unwrap();
        let issuer = format!("http://127.0.0.1:{port}/realms/test");
        let discovery = format!("{issuer}/.well-known/openid-configuration");
        let until = Instant::now() + Duration::from_secs(180);
        while Instant::now() < until {
            if let Ok(Some(_)) = child.try_wait() {
                break;
            }
            if ureq::get(&discovery).call().is_ok() {
                std::mem::forget(child);
                return Keycloak {
                    issuer,
                    started_in: started.elapsed(),
                    log,
                };
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        let _ = child.kill();
        let _ = child.wait();
        last = std::fs::read_to_string(&log).unwrap_or_default();
    }
    panic!("Keycloak did not start: {last}");
}
