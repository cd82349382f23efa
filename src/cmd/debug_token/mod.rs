//! `debug-token` (alias `doctor`): gather the token, the API server's configuration, the
//! provider's keys and the cluster's answers ([`gather`]), let the pure `doctor` modules
//! replay and judge them, and print the report.

mod gather;

use std::io::IsTerminal as _;

use serde_json::{Map, Value as Json};

use crate::cli::{DebugArgs, OutputFormat, TokenArgs};
use crate::doctor::authn::{self, Discovery, Signature, Token};
use crate::doctor::config::{Authenticator, ConfigError};
use crate::doctor::findings::Finding;
use crate::doctor::report::{self, Report, Verdict};
use crate::doctor::{cluster, diagnose};
use crate::error::{Error, ExitStatus, Kind};
use crate::kubeconfig::{Context, Kubectl};
use crate::settings;
use crate::token::jwt;
use crate::ui;

pub fn run(args: &DebugArgs, now: i64) -> anyhow::Result<ExitStatus> {
    let mut findings = Vec::new();
    let wants_cluster = wants_cluster(args);
    let kubectl = Kubectl {
        kubeconfig: args.kubeconfig.clone(),
    };
    let kube = match wants_cluster || args.context.is_some() || args.kubeconfig.is_some() {
        true => Some(kubectl.context(args.context.as_deref())?),
        false => None,
    };
    findings.extend(kube.iter().flat_map(cluster::kubeconfig_findings));
    let token_args = plugin_args(args, kube.as_ref())?;
    let (input, source) = gather::read_input(args, &token_args.entry)?;
    let (raw, token) = match read_token(&input) {
        Ok(t) => t,
        Err(e) => return unreadable(args, source, e, now),
    };
    let version = settings::kube_version(&args.apiserver)?;
    let (authenticators, config_desc) =
        gather::configuration(args, &token_args.entry, &kubectl, &token.claims, version)?;
    let judged = judge(
        args,
        &token_args,
        &raw,
        &token,
        authenticators,
        &mut findings,
        now,
    );
    let predicted = judged.user();
    let cluster = match (&kube, wants_cluster) {
        (Some(k), true) => Some(gather::cluster_checks(
            args,
            &kubectl,
            k,
            gather::Judged {
                token: &raw,
                claims: &token.claims,
                predicted: predicted.as_ref(),
                prefixes: &judged.prefixes,
            },
            &mut findings,
        )?),
        _ => None,
    };
    findings.sort_by_key(|f| f.severity);
    let verdict = Verdict::of(&judged.replay, &findings);
    let report = Report {
        verdict,
        authenticated: verdict == Verdict::Accepted,
        user: predicted,
        findings,
        header: token.header,
        claims: token.claims,
        error: judged.replay.error().map(str::to_owned),
        source,
        config: config_desc,
        kube_version: version.to_string(),
        cluster,
        token: args.show_token.then(|| raw.clone()),
        now,
    };
    print(&report, args, judged.would_be())
}

/// The pasted or cached input as a token: its text, and its header and claims.
fn read_token(input: &str) -> Result<(String, Token), String> {
    let raw = gather::normalize(input)?;
    let token = decode(&raw)?;
    Ok((raw, token))
}

/// Whether the cluster is asked too (not `--offline`, and something names it or a check
/// needs it).
fn wants_cluster(args: &DebugArgs) -> bool {
    !args.offline
        && (args.context.is_some()
            || args.kubeconfig.is_some()
            || args.cluster
            || args.admin_context.is_some()
            || args.verb.is_some())
}

/// Not a token: the API server would refuse it too. JSON still gets its one document.
fn unreadable(args: &DebugArgs, source: String, e: String, now: i64) -> anyhow::Result<ExitStatus> {
    if args.output == OutputFormat::Json {
        return print(&Report::unreadable(source, e, now), args, None);
    }
    ui::info(&format!("kubectl-oidc: error: {e}"));
    Ok(ExitStatus::Refused)
}

/// The plugin's flags: the command line's, else those of the context's exec entry.
fn plugin_args(args: &DebugArgs, kube: Option<&Context>) -> anyhow::Result<TokenArgs> {
    if args.token_args.entry.oidc_issuer_url.is_some() {
        return Ok(args.token_args.clone());
    }
    let Some(exec) = kube
        .and_then(|k| k.exec.as_ref()?.get_token())
        .map(|(_, args)| crate::cli::klog::normalize_strings(args).0)
    else {
        return Ok(args.token_args.clone());
    };
    crate::cli::parse_get_token(&exec)
        .map(|parsed| parsed.args)
        .map_err(|e| {
            Error::new(
                Kind::Config,
                format!("the context's exec args are not kubectl-oidc get-token args: {e}"),
            )
        })
}

/// What the replay concluded, and the prefixes the selected authenticator adds (for the
/// RBAC near misses).
struct Judged {
    replay: authn::Replay,
    prefixes: Vec<String>,
}

impl Judged {
    /// The user the API server would make of the token, when it accepts it.
    fn user(&self) -> Option<authn::UserInfo> {
        let accepted = self.replay.authenticated();
        accepted.then(|| self.replay.user.clone()).flatten()
    }

    /// The user it would have made, when it refuses the token.
    fn would_be(self) -> Option<authn::UserInfo> {
        let refused = !self.replay.authenticated();
        refused.then_some(self.replay.user).flatten()
    }
}

/// The provider's checks, the replay and the findings about the token. A configuration the
/// API server refuses at start authenticates nothing (the verdict is config-error, with no
/// user); what it describes is still replayed as a preview, so that the findings name every
/// fix at once, the configuration's first.
fn judge(
    args: &DebugArgs,
    token_args: &TokenArgs,
    raw: &str,
    token: &Token,
    authenticators: Result<Vec<Authenticator>, ConfigError>,
    findings: &mut Vec<Finding>,
    now: i64,
) -> Judged {
    let (authenticators, startup_error) = match authenticators {
        Ok(a) => (a, None),
        // diagnose's config findings cover the preview's authenticators.
        Err(e) => (e.partial, Some(e.message)),
    };
    let iss = token.claims.get("iss").and_then(Json::as_str).unwrap_or("");
    let selected = authenticators
        .iter()
        .find(|a| authn::issuer_matches(&a.issuer_url, iss));
    let (discovery, sig) = match (selected, args.offline) {
        (_, true) => (Discovery::Skipped, Signature::Unchecked("--offline".into())),
        (None, false) => (
            Discovery::Skipped,
            Signature::Unchecked("no configured issuer matches the token".into()),
        ),
        (Some(a), false) => {
            let (d, s, f) = gather::provider_checks(a, &token_args.tls, raw);
            findings.extend(f);
            (d, s)
        }
    };
    let mut replay = authn::replay(token, &authenticators, &discovery, &sig, now);
    if let Some(e) = startup_error {
        replay.refusal = Some(authn::config_refusal(&e));
    }
    findings.extend(diagnose::diagnose(&diagnose::Inputs {
        token,
        authenticators: &authenticators,
        discovery: &discovery,
        signature: &sig,
        replay: &replay,
        now,
    }));
    let prefixes = selected
        .map(|a| {
            [
                a.username.prefix.clone(),
                a.groups.as_ref().and_then(|g| g.prefix.clone()),
            ]
            .into_iter()
            .flatten()
            .collect()
        })
        .unwrap_or_default();
    Judged { replay, prefixes }
}

/// The token's header and claims, decoded without verification.
fn decode(raw: &str) -> Result<Token, String> {
    let header: Map<String, Json> = jwt::decode_header(raw)
        .map_err(|e| format!("the token's header cannot be decoded: {e}"))?;
    let claims: Map<String, Json> = jwt::decode_payload(raw)
        .map_err(|e| format!("the token's payload cannot be decoded: {e}"))?;
    Ok(Token { header, claims })
}

/// Print the report; the exit status follows its verdict.
fn print(
    report: &Report,
    args: &DebugArgs,
    would_be: Option<authn::UserInfo>,
) -> anyhow::Result<ExitStatus> {
    let text = match args.output {
        OutputFormat::Json => {
            crate::text::json_for_terminal(&serde_json::to_string_pretty(report)?) + "\n"
        }
        OutputFormat::Text => {
            let color = std::io::stdout().is_terminal() && !crate::settings::no_color();
            let mut t = report::render_text(report, color);
            if let Some(u) = would_be {
                t.push_str(&format!(
                    "\n(Were it accepted, the user would be {:?} with groups {:?}.)\n",
                    u.username, u.groups
                ));
            }
            t
        }
    };
    crate::cmd::print("report", text.as_bytes())?;
    Ok(match report.verdict {
        Verdict::Accepted => ExitStatus::Success,
        Verdict::Unverified => ExitStatus::Unverified,
        Verdict::Refused => ExitStatus::Refused,
        Verdict::ConfigError => ExitStatus::ConfigError,
    })
}
