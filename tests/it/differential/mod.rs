//! Issue 29: the doctor agrees with the Kubernetes code itself. Every case of a seeded
//! generator (cases.rs) is judged by the authenticator oracle (tests/go/k8s/oracle: kube-apiserver's
//! own option parsing and validation, and the JWT authenticator of k8s.io/apiserver) and by
//! `debug-token --offline`; they must agree: the same user (username, uid, groups, extra
//! exactly), or a rejection or a refusal at start of the same kind, with the API server's own
//! error text in the tool's output.
//!
//! `DIFFERENTIAL_SEED` and `DIFFERENTIAL_CASES` run another sample (the suite runs seed
//! 20261207, 320 cases).

#![allow(
    clippy::disallowed_methods,
    reason = "clippy.toml holds the crate's rules; tests read the clock and environment freely"
)]

mod cases;

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Command, Stdio};

use serde_json::Value as Json;

use self::cases::{Case, Form};
use crate::common::*;

/// The oracle's verdicts, in the order of `cases`.
fn oracle(binary: &str, cases: &[Case]) -> Vec<Json> {
    let mut child = Command::new(k8s_tool(binary))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let lines: Vec<String> = cases.iter().map(|c| c.to_oracle().to_string()).collect();
    let writer = std::thread::spawn(move || {
        for l in lines {
            writeln!(stdin, "{l}").unwrap();
        }
    });
    let answers: Vec<Json> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
        .collect();
    writer.join().unwrap();
    assert!(child.wait().unwrap().success(), "{binary} failed");
    assert_eq!(answers.len(), cases.len(), "{binary} answered fewer cases");
    answers
}

/// What `debug-token --offline -o json` says of the oracle's token under the case's
/// configuration.
fn doctor(dir: &std::path::Path, case: &Case, token: &str, version: &str) -> Json {
    let mut cmd = Command::new(BIN);
    cmd.args(["debug-token", "--offline", "-o", "json"])
        .arg(format!("--kube-version={version}"))
        .arg(token);
    match &case.form {
        Form::Flags(f) => {
            cmd.args(f);
        }
        Form::Config(c) => {
            let file = dir.join(format!("{}.yaml", case.id));
            std::fs::write(&file, c).unwrap();
            cmd.arg(format!("--authentication-config={}", file.display()));
        }
    }
    for iss in &case.sa_issuers {
        cmd.arg(format!("--service-account-issuer={iss}"));
    }
    scrub(&mut cmd, dir);
    let out = cmd.stdin(Stdio::null()).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        serde_json::json!({"verdict": "no-report", "exit": out.status.code(),
                           "stdout": String::from_utf8_lossy(&out.stdout),
                           "stderr": stderr(&out)})
    })
}

/// Everything the report says in words: its error and its findings.
fn words(doc: &Json) -> String {
    let mut w = doc["error"].as_str().unwrap_or_default().to_owned();
    for f in doc["findings"].as_array().into_iter().flatten() {
        w.push('\n');
        w.push_str(f["message"].as_str().unwrap_or_default());
        w.push('\n');
        w.push_str(f["fix"].as_str().unwrap_or_default());
    }
    w
}

/// The text with the moment of judging left out: go-oidc's "current time T before the nbf"
/// names the clock of the process that judged (and Go's monotonic reading), which the
/// oracle's and the tool's are not.
fn timeless(text: &str) -> String {
    match (text.find("current time "), text.find(" before the nbf")) {
        (Some(a), Some(b)) if a < b => format!("{}current time …{}", &text[..a], &text[b..]),
        _ => text.to_owned(),
    }
}

/// Why the doctor disagrees with the oracle on one case, if it does.
fn disagreement(oracle: &Json, doc: &Json) -> Option<String> {
    let verdict = doc["verdict"].as_str().unwrap_or("?");
    let said = timeless(&words(doc));
    let contains_all = |texts: Vec<&str>| texts.iter().all(|t| said.contains(t));
    match oracle["verdict"].as_str().unwrap() {
        "refused" => {
            let errors: Vec<&str> = match oracle["errors"].as_array() {
                Some(list) => list.iter().filter_map(Json::as_str).collect(),
                None => vec![oracle["error"].as_str().unwrap()],
            };
            (verdict != "config-error" || !contains_all(errors)).then(|| {
                format!(
                    "the API server refuses to start: {}\n  the tool says {verdict}: {said}",
                    oracle["error"]
                )
            })
        }
        "rejected" => {
            let error = &timeless(oracle["error"].as_str().unwrap());
            (verdict != "refused" || !said.contains(error)).then(|| {
                format!(
                    "the API server rejects the token: {error}\n  the tool says {verdict} ({}): {said}",
                    doc["user"]
                )
            })
        }
        "accepted" => {
            let user = &oracle["user"];
            let mine = &doc["user"];
            let same = ["username", "uid", "groups", "extra"]
                .iter()
                .all(|k| mine[k] == user[k]);
            let ok = matches!(verdict, "accepted" | "unverified") && doc["error"].is_null();
            (!(same && ok)).then(|| {
                format!("the API server accepts the token as {user}\n  the tool says {verdict}: {mine} {said}")
            })
        }
        other => Some(format!(
            "the oracle could not judge it: {other} {}",
            oracle["error"]
        )),
    }
}

/// Run `n` cases of `seed` through the oracle and the doctor; the number that agree, and the
/// disagreements.
fn run(binary: &str, version: &str, seed: u64, n: usize) -> (usize, Vec<String>) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let cases = cases::generate(seed, n, now);
    let verdicts = oracle(binary, &cases);
    let dir = tempfile::tempdir().unwrap();
    let results: Vec<Option<String>> = std::thread::scope(|scope| {
        let chunks: Vec<_> = cases
            .chunks(n.div_ceil(4).max(1))
            .zip(verdicts.chunks(n.div_ceil(4).max(1)))
            .map(|(cs, vs)| {
                let dir = dir.path();
                scope.spawn(move || {
                    cs.iter()
                        .zip(vs)
                        .map(|(c, v)| {
                            let doc = doctor(dir, c, v["token"].as_str().unwrap(), version);
                            disagreement(v, &doc).map(|why| {
                                format!(
                                    "{} ({}): {why}\n  configuration: {:?}\n  claims: {}",
                                    c.id, c.alg, c.form, c.claims
                                )
                            })
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        chunks.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let wrong: Vec<String> = results.into_iter().flatten().collect();
    (n - wrong.len(), wrong)
}

fn seed_and_count() -> (u64, usize) {
    let seed = std::env::var("DIFFERENTIAL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261207);
    let n = std::env::var("DIFFERENTIAL_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(320);
    (seed, n)
}

fn assert_agrees(binary: &str, version: &str, k8s: &str) {
    let (seed, n) = seed_and_count();
    let (agree, wrong) = run(binary, version, seed, n);
    println!("differential: {n} cases, {agree} agree with Kubernetes {k8s} (seed {seed})");
    eprintln!("differential: {n} cases, {agree} agree with Kubernetes {k8s} (seed {seed})");
    assert!(
        wrong.is_empty(),
        "{} disagreements with Kubernetes {k8s}:\n\n{}",
        wrong.len(),
        wrong.join("\n\n")
    );
}

#[test]
fn debug_token_agrees_with_the_kubernetes_authenticator() {
    assert_agrees("authn-oracle", "1.37", "v1.37.2");
}

/// `--kube-version=1.34` follows the oracle built from Kubernetes 1.34 (tests/go/k8s134), whose
/// CEL environment has no `includes` and whose libraries differ from 1.37's.
#[test]
fn debug_token_at_1_34_agrees_with_kubernetes_1_34() {
    assert_agrees("authn-oracle-1.34", "1.34", "v1.34.4");
}
