//! PURE. Findings (spec §6) from the token, the configuration and the replay's outcome.

use serde_json::{Map, Value as Json};

use super::authn::{Check, Discovery, Refusal, Replay, Signature, Token, audiences, time_claim};
use super::config::{Authenticator, Source, Style};
use super::findings::{Finding, FindingId as Id, Severity::*};

fn str_claim<'a>(c: &'a Map<String, Json>, name: &str) -> Option<&'a str> {
    c.get(name).and_then(Json::as_str)
}

/// Dex's `sub` is base64url of a protobuf `{1: user id, 2: connector id}`.
pub fn dex_sub(sub: &str) -> Option<(String, String)> {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(sub.trim_end_matches('='))
        .ok()?;
    let mut fields = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let tag = bytes[i];
        let len = *bytes.get(i + 1)? as usize;
        let value = bytes.get(i + 2..i + 2 + len)?;
        if tag != 0x0a && tag != 0x12 {
            return None;
        }
        fields.push(String::from_utf8(value.to_vec()).ok()?);
        i += 2 + len;
    }
    match fields.as_slice() {
        [user, connector] if !user.is_empty() && !connector.is_empty() => {
            Some((user.clone(), connector.clone()))
        }
        _ => None,
    }
}

/// Where two issuer strings differ, for a person.
fn issuer_difference(token: &str, configured: &str) -> String {
    if token.trim_end_matches('/') == configured.trim_end_matches('/') {
        "they differ only in the trailing slash, which counts".into()
    } else if token.eq_ignore_ascii_case(configured) {
        "they differ only in case, which counts".into()
    } else if token.trim_end_matches("/v2.0") == configured.trim_end_matches("/v2.0") {
        "they differ in the /v2.0 suffix (Azure v1 vs v2 endpoints)".into()
    } else {
        "the API server compares them byte for byte".into()
    }
}

pub struct Inputs<'a> {
    pub token: &'a Token,
    pub authenticators: &'a [Authenticator],
    pub discovery: &'a Discovery,
    pub signature: &'a Signature,
    pub replay: &'a Replay,
    pub now: i64,
}

pub fn diagnose(i: &Inputs<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(refusal) = &i.replay.refusal {
        out.push(refusal_finding(i, refusal));
    }
    token_kind(i, &mut out);
    if let Some(a) = i.replay.authenticator.map(|n| &i.authenticators[n]) {
        groups(i, a, &mut out);
        username_prefix(i, a, &mut out);
    }
    names(i, &mut out);
    // Config findings (rows 24 etc.).
    for a in i.authenticators {
        out.extend(super::config::config_findings(a));
    }
    out
}

/// The refusal itself, with the API server's text and the fix.
fn refusal_finding(i: &Inputs<'_>, refusal: &Refusal) -> Finding {
    let fix = match refusal.check.fix() {
        // A claim is `any` to the API server's CEL, which does not iterate it (1.37: the
        // oracle showed `claims.groups.map(...)` is refused at start).
        Some(fixed)
            if refusal.check == Check::Config
                && refusal.error.contains("cannot be range of a comprehension") =>
        {
            format!(
                "{fixed}: a claim is of type any, which CEL does not iterate; wrap it in dyn(), as in dyn(claims.groups).map(g, 'team-' + g)"
            )
        }
        // The list `split` or `findAll` makes is refused as a mapping's result (1.37: the
        // oracle showed the docs' own `claims.roles.split(",")` fails); one built anew is not.
        Some(_)
            if refusal.check == Check::Cel
                && refusal
                    .error
                    .ends_with("expression must return a string or a list of strings") =>
        {
            "the API server takes a list of values, not the list of strings split() or findAll() returns: build it anew, as in claims.roles.split(',').map(r, r)".to_owned()
        }
        Some(fixed) => fixed.to_owned(),
        None => refusal_fix(i, refusal.check),
    };
    let severity = match refusal.check {
        Check::NotSimulated => Warning,
        _ => Error,
    };
    Finding::new(
        refusal.check.finding(),
        severity,
        refusal_message(i, refusal),
        fix,
    )
}

/// What the refusal means, around the API server's error.
fn refusal_message(i: &Inputs<'_>, refusal: &Refusal) -> String {
    let c = &i.token.claims;
    let h = &i.token.header;
    let iss = str_claim(c, "iss").unwrap_or("");
    let error = &refusal.error;
    match refusal.check {
        Check::NotConfigured => {
            "no JWT authenticator is configured, so the API server logs only `invalid bearer token`"
                .into()
        }
        Check::Issuer => {
            let list: Vec<&str> = i
                .authenticators
                .iter()
                .map(|a| a.issuer_url.as_str())
                .collect();
            let closest = list.first().copied().unwrap_or("");
            format!(
                "the token's iss {iss:?} matches no configured issuer ({}); the API server skips it and logs only `invalid bearer token`; {}",
                list.join(", "),
                issuer_difference(iss, closest)
            )
        }
        Check::Discovery => format!(
            "the API server cannot initialize this issuer ({}), so every token fails with `{error}`",
            discovery_failure(i)
        ),
        Check::Audience => format!("`{error}`: the token was minted for another client"),
        Check::UnknownKid => format!(
            "`{error}`: the provider's JWKS has no key {:?}",
            h.get("kid").and_then(Json::as_str).unwrap_or("")
        ),
        Check::Signature => {
            format!("`{error}`: the signature does not verify against the provider's keys")
        }
        Check::EmailVerified => format!(
            "`{error}`: the username claim is email, and email_verified is {}",
            c.get("email_verified")
                .map(Json::to_string)
                .unwrap_or_default()
        ),
        Check::GroupsClaim => format!(
            "`{error}`: the groups claim must be a string or an array of strings, and any other shape fails the whole login"
        ),
        Check::GroupOverage => format!(
            "`{error}`: the user is in too many groups, so Entra ID sent a Graph link instead of groups"
        ),
        Check::DistributedClaims => {
            format!("`{error}`: _claim_names names a source that _claim_sources lacks")
        }
        Check::NotSimulated => error.clone(),
        // The API server's error says it all.
        _ => format!("`{error}`"),
    }
}

/// Why the API server's discovery of the issuer fails, as it logs it.
fn discovery_failure(i: &Inputs<'_>) -> String {
    let authenticator = i.replay.authenticator.map(|n| &i.authenticators[n]);
    match i.discovery {
        Discovery::IssuerMismatch(got) => format!(
            "oidc: issuer did not match the issuer returned by provider, expected {:?} got {got:?}",
            authenticator.map(|a| a.issuer_url.as_str()).unwrap_or("")
        ),
        Discovery::Failed(e) => e.clone(),
        _ => String::new(),
    }
}

/// The fix of a refusal that depends on the token or the configuration ([`Check::fix`] has
/// the fixed ones).
fn refusal_fix(i: &Inputs<'_>, check: Check) -> String {
    let c = &i.token.claims;
    let authenticator = i.replay.authenticator.map(|n| &i.authenticators[n]);
    match check {
        Check::Issuer => format!(
            "make --oidc-issuer-url exactly {:?} on both the API server and the plugin (the provider's discovery document decides the exact string)",
            str_claim(c, "iss").unwrap_or("")
        ),
        Check::Audience => format!(
            "log in with --oidc-client-id={} (or add {:?} to the API server's audiences)",
            authenticator.map(|a| a.audiences[0].as_str()).unwrap_or(""),
            audiences(c).first().cloned().unwrap_or_default()
        ),
        Check::Algorithm => format!(
            "add {} to --oidc-signing-algs on the API server, or make the provider sign with RS256",
            i.token
                .header
                .get("alg")
                .and_then(Json::as_str)
                .unwrap_or("?")
        ),
        _ => "check the provider and the API server's configuration".into(),
    }
}

/// The signature left unchecked, an access token sent for an id_token (row 9), a token about
/// to expire (row 17), Entra ID's v1 issuer and group overage (rows 11, 12).
fn token_kind(i: &Inputs<'_>, out: &mut Vec<Finding>) {
    let c = &i.token.claims;
    let h = &i.token.header;
    let iss = str_claim(c, "iss").unwrap_or("");
    if let Some(why) = &i.replay.signature_unchecked {
        out.push(Finding::new(
            Id::SignatureUnchecked,
            Warning,
            format!("the signature was not checked ({why})"),
            "run without --offline to verify it against the provider's JWKS",
        ));
    }

    // Access token instead of id_token (spec §6 row 9).
    let typ = h.get("typ").and_then(Json::as_str).unwrap_or("");
    let token_use = str_claim(c, "token_use").unwrap_or("");
    let access = typ.eq_ignore_ascii_case("at+jwt")
        || token_use == "access"
        || (c.contains_key("scope") && !c.contains_key("nonce"))
        || (!c.contains_key("aud") && c.contains_key("client_id"))
        || str_claim(c, "typ") == Some("Bearer");
    if access {
        out.push(Finding::new(Id::AccessToken, Warning,
            format!("this looks like an access token, not an id_token (typ {typ:?}, token_use {token_use:?}, scope {}, aud {})", if c.contains_key("scope") { "present" } else { "absent" }, if c.contains_key("aud") { "present" } else { "absent" }),
            "send the id_token: kubectl-oidc get-token does; tools that send access tokens need their own audience setup"));
    }

    // Expiry and clock (row 17).
    if let Some(exp) = time_claim(c, "exp")
        && i.now <= exp
        && exp - i.now < 60
    {
        out.push(Finding::new(Id::ClockSkew, Warning, format!("the token expires in {}; a clock behind the API server's makes it fail sooner (exp has no leeway)", crate::text::duration(exp - i.now)), "kubectl-oidc get-token refreshes early; other clients should refresh a minute before exp"));
    }

    // Azure v1/v2 issuer (row 11), overage (row 12).
    if iss.starts_with("https://sts.windows.net/") {
        out.push(Finding::new(Id::AzureIssuerVersion, Info,
            format!("this is an Entra ID v1.0 token (iss {iss}); v2.0 tokens have iss https://login.microsoftonline.com/<tenant>/v2.0"),
            "configure the API server with the issuer the tokens carry, or set accessTokenAcceptedVersion/requestedAccessTokenVersion 2 in the app manifest"));
    }
    if let Some(claim) = crate::presets::overage_claim(c)
        && i.replay.check() != Some(Check::GroupOverage)
    {
        out.push(Finding::new(Id::AzureGroupOverage, Warning,
            format!("the token carries a distributed-claims link (_claim_names/_claim_sources or hasgroups) instead of its {claim:?} claim (group overage)"),
            "assign fewer groups or emit only groups assigned to the application; the API server cannot fetch them from Microsoft Graph"));
    }
}

/// Groups (rows 5, 6, 7, 13, 14).
fn groups(i: &Inputs<'_>, a: &Authenticator, out: &mut Vec<Finding>) {
    let c = &i.token.claims;
    let iss = str_claim(c, "iss").unwrap_or("");
    if let Some(g) = &a.groups
        && let Source::Claim(name) = &g.source
    {
        match c.get(name) {
            None => {
                let provider = crate::presets::detect(iss);
                let profile = crate::presets::preset(provider);
                // A provider whose groups claim is not `groups` (Cognito), and the token has it.
                let hint = if let Some(theirs) = profile
                    .groups_claim
                    .filter(|g| *g != "groups" && g != name && c.contains_key(*g))
                {
                    out.push(Finding::new(
                        Id::CognitoGroups,
                        Error,
                        format!(
                            "{} puts groups in `{theirs}`, not {name:?}",
                            provider.title()
                        ),
                        format!(
                            "use --oidc-groups-claim={theirs} (structured: claim: \"{theirs}\")"
                        ),
                    ));
                    None
                } else if profile.groups_claim.is_none() {
                    // The presets whose id_tokens carry no groups (Google's, today).
                    let title = provider.title();
                    out.push(Finding::new(
                        Id::GoogleNoGroups,
                        Warning,
                        format!("{title} id_tokens carry no groups claim at all"),
                        format!(
                            "bind users one by one, restrict by a claim in claimValidationRules \
                             (Google's `hd`, the Workspace domain), or put Dex in front of {title} \
                             for groups"
                        ),
                    ));
                    None
                } else {
                    Some(format!(
                        "the groups claim {name:?} is not in the token, so the user has only system:authenticated"
                    ))
                };
                if let Some(msg) = hint
                    && !c.contains_key("_claim_names")
                {
                    out.push(Finding::new(Id::GroupsClaimMissing, Warning, msg, "request the groups scope (Dex: --oidc-extra-scope=groups) or add a groups mapper to the id_token at the provider (Keycloak: Group Membership, \"Add to ID token\")"));
                }
            }
            Some(Json::String(s)) if s.contains(',') || s.starts_with('[') || s.contains(' ') => {
                out.push(Finding::new(Id::GroupsClaimShape, Warning, format!("the groups claim is the single string {s:?}, which becomes one group with that literal name"), "make the provider emit a JSON array of strings, or split it with a CEL groups expression"));
            }
            _ => {}
        }
    }
    if a.groups.is_none() && c.contains_key("groups") {
        out.push(Finding::new(Id::GroupsClaimMissing, Info, "the token has a groups claim, but the API server is not told to use it, so Group bindings never match", "add --oidc-groups-claim=groups (structured: claimMappings.groups: {claim: groups, prefix: \"\"})"));
    }
}

/// The default username prefix (row 1).
fn username_prefix(i: &Inputs<'_>, a: &Authenticator, out: &mut Vec<Finding>) {
    if a.style == Style::Flags
        && let Some(p) = &a.username.prefix
        && p == &format!("{}#", a.issuer_url)
        && let Some(u) = &i.replay.user
    {
        out.push(Finding::new(Id::DefaultUsernamePrefix, Info,
                format!("the username is {:?}: with --oidc-username-claim other than email and no --oidc-username-prefix, kube-apiserver prefixes the issuer URL and #", u.username),
                "bind that exact name, or set --oidc-username-prefix=- (no prefix) or --oidc-username-prefix=oidc: on the API server"));
    }
}

/// Names that trip bindings: Dex's encoded sub (row 15), reserved system: names (row 22),
/// Keycloak's group paths (row 7).
fn names(i: &Inputs<'_>, out: &mut Vec<Finding>) {
    let c = &i.token.claims;
    // Dex-encoded sub (row 15).
    if let Some(sub) = str_claim(c, "sub")
        && let Some((user, connector)) = dex_sub(sub)
    {
        out.push(Finding::new(Id::DexEncodedSub, Info,
            format!("sub {sub:?} is Dex's encoding of user {user:?} from connector {connector:?}; usernames built from it are unreadable"),
            "use --oidc-username-claim=email (with email_verified) or preferred_username, or request the federated:id scope"));
    }

    // system: prefixes (row 22).
    if let Some(u) = &i.replay.user {
        let bad: Vec<&String> = std::iter::once(&u.username)
            .chain(u.groups.iter().filter(|g| *g != "system:authenticated"))
            .filter(|s| s.starts_with("system:"))
            .collect();
        if !bad.is_empty() {
            out.push(Finding::new(Id::SystemPrefix, Warning, format!("the provider supplies reserved system: names: {bad:?}; `system:unauthenticated` in groups even stops the system:authenticated group"), "set a username/groups prefix, or reject them with a userValidationRules expression"));
        }
        for g in &u.groups {
            if g.starts_with('/') {
                let (who, turn_off) =
                    crate::presets::group_paths(str_claim(c, "iss").unwrap_or(""));
                out.push(Finding::new(
                    Id::GroupNameForm,
                    Info,
                    format!(
                        "group {g:?} is a {who} full path; bindings must use it with the leading /"
                    ),
                    format!("bind the exact string, or {turn_off}"),
                ));
                break;
            }
        }
    }
}
