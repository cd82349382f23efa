//! The cases of the differential test: seeded and reproducible. Each is an API server
//! configuration (legacy `--oidc-*` flags or an AuthenticationConfiguration), a signing
//! algorithm and a token's claims (the exact payload text), drawn from what people configure
//! and what providers send, including what the API server refuses at start and what it
//! rejects: every CEL library of the API server's environment and their runtime errors, claim
//! names that need escaping, validation rules, audiences and their policy, prefixes, email
//! and email_verified in every shape, groups as a string, a list, null; uid and extra; the
//! time claims as numbers, numeric strings, wrong types, absent; iss, sub and aud of the wrong
//! type; signing algorithms; `--oidc-required-claim` parsing; several issuers.

use serde_json::{Value as Json, json};

use crate::common::Rng;

pub const ISS: &str = "https://idp.example.com";
pub const OTHER_ISS: &str = "https://other.example.org/realms/x";
pub const AUD: &str = "kubernetes";

#[derive(Debug, Clone)]
pub enum Form {
    Flags(Vec<String>),
    Config(String),
}

#[derive(Debug, Clone)]
pub struct Case {
    pub id: String,
    pub form: Form,
    pub sa_issuers: Vec<String>,
    pub alg: String,
    pub claims: String,
}

impl Case {
    /// The case as the oracle reads it.
    pub fn to_oracle(&self) -> Json {
        let mut v = json!({"id": self.id, "alg": self.alg, "kid": "k1", "claims": self.claims,
                           "sa_issuers": self.sa_issuers});
        match &self.form {
            Form::Flags(f) => v["flags"] = json!(f),
            Form::Config(c) => v["config"] = json!(c),
        }
        v
    }
}

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.below(items.len())]
}

/// `true` with probability `percent`/100.
fn chance(rng: &mut Rng, percent: usize) -> bool {
    rng.below(100) < percent
}

/// A time claim: a number mostly, else a numeric string, a fraction, a wrong type or nothing.
fn time(rng: &mut Rng, value: i64, absent_ok: bool) -> Option<Json> {
    match rng.below(100) {
        0..=79 => Some(json!(value)),
        80..=83 => Some(json!(value.to_string())),
        84..=86 => Some(json!(value as f64 + 0.5)),
        87..=89 => Some(json!(true)),
        90..=91 => Some(json!({"t": value})),
        _ if absent_ok => None,
        _ => Some(json!(value)),
    }
}

/// A token's claims, varied around a well-formed token of `ISS` for `AUD`.
pub fn claims(rng: &mut Rng, now: i64) -> String {
    let mut c = serde_json::Map::new();
    let mut put = |k: &str, v: Option<Json>| {
        if let Some(v) = v {
            c.insert(k.to_owned(), v);
        }
    };
    put(
        "iss",
        Some(match rng.below(100) {
            0..=87 => json!(ISS),
            88..=90 => json!(format!("{ISS}/")),
            91..=93 => json!(OTHER_ISS),
            94..=96 => json!(42),
            _ => json!([ISS]),
        }),
    );
    put(
        "aud",
        match rng.below(100) {
            0..=59 => Some(json!(AUD)),
            60..=79 => Some(json!(["other", AUD])),
            80..=84 => Some(json!(["other"])),
            85..=89 => Some(json!("other")),
            90..=93 => Some(json!(7)),
            94..=96 => None,
            _ => Some(json!([AUD, 3])),
        },
    );
    let sub = pick(rng, &["1234", "alice", "Alice.Smith", "u-9f2e", "système"]).to_string();
    put(
        "sub",
        match rng.below(100) {
            0..=89 => Some(json!(sub)),
            90..=93 => Some(json!(1234)),
            94..=96 => Some(json!(["x"])),
            _ => None,
        },
    );
    let exp = match rng.below(100) {
        0..=89 => now + 3600,
        90..=95 => now - 3600,
        _ => now + 86_400 * 400,
    };
    put("exp", time(rng, exp, true));
    put("iat", time(rng, now - 60, true).filter(|_| chance(rng, 80)));
    if chance(rng, 20) {
        let nbf = if chance(rng, 70) {
            now - 60
        } else {
            now + 3600
        };
        put("nbf", time(rng, nbf, false));
    }
    put(
        "email",
        match rng.below(100) {
            0..=64 => Some(json!("alice@example.com")),
            65..=74 => Some(json!("Alice@Example.COM")),
            75..=84 => None,
            85..=89 => Some(json!(5)),
            _ => Some(json!(["alice@example.com"])),
        },
    );
    put(
        "email_verified",
        match rng.below(100) {
            0..=49 => Some(json!(true)),
            50..=64 => Some(json!(false)),
            65..=74 => Some(json!("true")),
            75..=79 => Some(json!("false")),
            80..=84 => Some(json!(1)),
            _ => None,
        },
    );
    put(
        "groups",
        match rng.below(100) {
            0..=39 => Some(json!(["dev", "ops"])),
            40..=49 => Some(json!(["dev"])),
            50..=59 => Some(json!("dev")),
            60..=66 => Some(Json::Null),
            67..=74 => None,
            75..=81 => Some(json!([])),
            82..=87 => Some(json!(3)),
            88..=93 => Some(json!(["dev", 7])),
            _ => Some(json!(["/team/dev", "system:masters"])),
        },
    );
    if chance(rng, 60) {
        put(
            "preferred_username",
            Some(json!(pick(rng, &["alice", "ALICE", ""]))),
        );
    }
    if chance(rng, 40) {
        put("name", Some(json!("Alice Smith")));
    }
    if chance(rng, 40) {
        put("my-claim", Some(json!(pick(rng, &["hyphen", "x y", ""]))));
    }
    if chance(rng, 30) {
        put("org.role", Some(json!("admin")));
    }
    if chance(rng, 50) {
        put(
            "roles",
            Some(
                pick(
                    rng,
                    &[json!(["reader", "writer"]), json!("reader"), json!([])],
                )
                .clone(),
            ),
        );
    }
    if chance(rng, 50) {
        put(
            "tenant",
            Some(json!(pick(rng, &["acme", "other", "acme,beta", "a=b"]))),
        );
    }
    if chance(rng, 40) {
        put("jti", Some(json!(pick(rng, &["j-1", "", "x y"]))));
    }
    if chance(rng, 20) {
        put("uid", Some(json!(pick(rng, &["u-1", "42"]))));
    }
    if chance(rng, 15) {
        put(
            "version",
            Some(json!(pick(rng, &["1.2.3", "v2", "1.10.0-rc.1"]))),
        );
    }
    if chance(rng, 15) {
        put(
            "website",
            Some(json!(pick(
                rng,
                &[
                    "https://alice.example.com:8443/p?q=1",
                    "not a url",
                    "mailto:alice@example.com",
                    "/just/a/path?x=1&x=2&y=%zz",
                    "http://[::1]:80/a%2Fb",
                    "http://a b",
                    "ftp://h:1:2/x",
                    "https://h/%zz",
                    "http://x:y",
                    "HTTP://Ex.com/p q?a+b=c+d",
                    "http://[10.0.0.1]/",
                    "",
                ]
            ))),
        );
    }
    if chance(rng, 25) {
        put(
            "label",
            Some(json!(pick(
                rng,
                &[
                    "my-name",
                    "My_Name",
                    "a.b",
                    "-x",
                    "abc-",
                    "",
                    "ex.com/My-Name",
                    "a/b/c",
                    "/x",
                    "Ex.com/x",
                    &"x".repeat(64),
                    "123e4567-e89b-12d3-a456-426614174000",
                    "aGVsbG8=",
                    "2024-02-29",
                    "2023-02-29",
                    "2024-01-01T10:00:00Z",
                    "2024-01-01t10:00:00.5+01:00",
                    "2024-01-01T24:00:00Z",
                ]
            ))),
        );
    }
    if chance(rng, 15) {
        put(
            "fmt",
            Some(json!(pick(
                rng,
                &[
                    "uuid",
                    "date",
                    "datetime",
                    "byte",
                    "uri",
                    "dns1035LabelPrefix",
                    "nope"
                ]
            ))),
        );
    }
    if chance(rng, 10) {
        put(
            "addr",
            Some(json!(pick(rng, &["10.1.2.3", "::1", "999.1.1.1"]))),
        );
    }
    Json::Object(c).to_string()
}

const ALGS: [&str; 10] = [
    "RS256", "RS256", "RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "ES512", "EdDSA",
];

/// The legacy `--oidc-*` flags of a kube-apiserver.
fn flags(rng: &mut Rng) -> Vec<String> {
    let mut f = Vec::new();
    let issuer = match rng.below(100) {
        0..=89 => ISS.to_owned(),
        90..=93 => ISS.replace("https", "http"),
        94..=96 => format!("{ISS}/"),
        _ => format!("{ISS}?x=1"),
    };
    f.push(format!("--oidc-issuer-url={issuer}"));
    // Always a client ID: debug-token's --oidc-client-id is also the plugin's flag, and the
    // token's own aud stands in for it when it is not given, so the API server without one
    // (which refuses to start) cannot be said with these flags.
    f.push(format!("--oidc-client-id={AUD}"));
    match rng.below(100) {
        0..=29 => {}
        30..=54 => f.push("--oidc-username-claim=email".into()),
        55..=66 => f.push("--oidc-username-claim=preferred_username".into()),
        67..=74 => f.push("--oidc-username-claim=name".into()),
        75..=84 => f.push("--oidc-username-claim=my-claim".into()),
        85..=92 => f.push("--oidc-username-claim=sub".into()),
        _ => f.push("--oidc-username-claim=nope".into()),
    }
    match rng.below(100) {
        0..=49 => {}
        50..=64 => f.push("--oidc-username-prefix=-".into()),
        65..=79 => f.push("--oidc-username-prefix=oidc:".into()),
        80..=89 => f.push("--oidc-username-prefix=".into()),
        _ => f.push(format!("--oidc-username-prefix={ISS}#")),
    }
    match rng.below(100) {
        0..=49 => {}
        50..=79 => f.push("--oidc-groups-claim=groups".into()),
        80..=89 => f.push("--oidc-groups-claim=roles".into()),
        _ => f.push("--oidc-groups-claim=nogroups".into()),
    }
    if chance(rng, 40) {
        f.push("--oidc-groups-prefix=oidc:".into());
    }
    match rng.below(100) {
        0..=64 => {}
        65..=72 => f.push("--oidc-required-claim=tenant=acme".into()),
        73..=77 => {
            f.push("--oidc-required-claim=tenant=other".into());
            f.push("--oidc-required-claim=tenant=acme".into());
        }
        78..=82 => f.push("--oidc-required-claim=tenant=a=b".into()),
        83..=87 => f.push("--oidc-required-claim=tenant=acme,beta".into()),
        88..=92 => f.push("--oidc-required-claim=tenant=acme,org.role=admin".into()),
        93..=96 => f.push("--oidc-required-claim= tenant = acme ".into()),
        _ => f.push("--oidc-required-claim=tenant".into()),
    }
    match rng.below(100) {
        0..=59 => {}
        60..=69 => f.push("--oidc-signing-algs=RS256".into()),
        70..=79 => f.push("--oidc-signing-algs=RS256,ES256".into()),
        80..=86 => f.push("--oidc-signing-algs=ES256".into()),
        87..=93 => f.push("--oidc-signing-algs=PS512,EdDSA".into()),
        _ => f.push("--oidc-signing-algs=HS256".into()),
    }
    f
}

/// CEL for claimMappings.username.expression.
const USERNAME_CEL: &[&str] = &[
    "claims.sub",
    "'u:' + claims.sub",
    "claims.email_verified == true ? claims.email : claims.sub",
    "claims.?email_verified.orValue(false) ? claims.email : 'unverified'",
    "claims.email",
    "claims.sub.lowerAscii()",
    "claims.sub.upperAscii()",
    "'x-' + claims.sub.replace('1', 'one')",
    "['a', claims.sub].join('/')",
    "claims['my-claim']",
    "claims.?name.orValue('anon')",
    "has(claims.name) ? claims.name : claims.sub",
    "claims.sub.matches('^[0-9]+$') ? 'num:' + claims.sub : claims.sub",
    "url('https://x.example/' + claims.sub).getPath()",
    "url(claims.website).getHost()",
    "isURL(claims.?website.orValue('')) ? 'web' : claims.sub",
    "isSemver(claims.?version.orValue('')) ? 'v:' + claims.sub : claims.sub",
    "semver(claims.version).major() > 0 ? 'new' : 'old'",
    "sets.contains(['a', 'b'], ['a']) ? claims.sub : 'no'",
    "claims.sub + string(lists.range(3).size())",
    "'%s-%d'.format([claims.sub, 7])",
    "claims.sub.reverse()",
    "claims.sub.charAt(0)",
    "claims.sub.indexOf('l') >= 0 ? 'has-l' : claims.sub",
    "claims.sub.split('e')[0]",
    "claims.sub.substring(1)",
    "claims.sub.trim()",
    "[claims.sub].transformList(i, v, v + string(i))[0]",
    "{'k': claims.sub}.transformMap(k, v, k + v)['k']",
    "[claims.sub].all(i, v, v != '') ? claims.sub : ''",
    "base64.encode(bytes(claims.sub))",
    "math.greatest(1, 2) > 1 ? claims.sub : ''",
    "math.ceil(1.2) == 2.0 ? claims.sub : ''",
    "claims.nope",
    "claims.groups[10]",
    "claims.sub + 1",
    "quantity('1Gi').isInteger() ? claims.sub : ''",
    "ip(claims.?addr.orValue('10.0.0.1')).family() == 4 ? claims.sub : 'v6'",
    "cidr('10.0.0.0/8').containsIP(ip('10.1.1.1')) ? claims.sub : ''",
    "format('%s', [claims.sub])",
    "claims['org.role'] + ':' + claims.sub",
    "string(claims.exp)",
    "claims.sub.find('[0-9]+')",
    "claims.sub.findAll('[a-z]').join('')",
    "strings.quote(claims.sub)",
    "claims.sub == '' ? '' : claims.sub",
    "''",
    "'system:' + claims.sub",
    "format.dns1123Label().validate(claims.?label.orValue('')).hasValue() ? 'bad' : claims.sub",
    "format.qualifiedName().validate(claims.label).orValue(['ok'])[0]",
    "format.labelValue().validate(claims.label).orValue(['ok']).join('; ')",
    "format.named(claims.?fmt.orValue('uuid')).value().validate(claims.label).orValue(['ok'])[0]",
    "format.named(claims.fmt).hasValue() ? 'known' : 'unknown'",
    "format.dns1123SubdomainPrefix().validate(claims.label).orValue(['ok']).join('; ')",
    "format.dns1035Label().validate(claims.label).orValue(['ok'])[0]",
    "format.uri().validate(claims.website).orValue(['ok'])[0]",
    "format.date().validate(claims.label).orValue(['ok'])[0] + '/' + format.datetime().validate(claims.label).orValue(['ok'])[0]",
    "format.byte().validate(claims.label).hasValue() ? 'text' : 'base64'",
    "format.uuid().validate(claims.label).hasValue() ? claims.sub : 'uuid'",
    "url(claims.website).getHostname() + '|' + url(claims.website).getPort() + '|' + url(claims.website).getEscapedPath()",
    "url(claims.website).getScheme()",
    "'x' in url(claims.website).getQuery() ? url(claims.website).getQuery()['x'].join(',') : 'none'",
    "['b', claims.sub, 'a'].sortBy(s, s)[0]",
    "[claims.sub, 'zz'].sortBy(s, -s.size()).join(',')",
];

/// CEL for claimMappings.groups.expression.
const GROUPS_CEL: &[&str] = &[
    "claims.groups",
    "claims.groups.map(g, 'g:' + g)",
    "claims.groups.filter(g, g.startsWith('d'))",
    "has(claims.groups) ? claims.groups : []",
    "claims.?groups.orValue([])",
    "claims.roles",
    "[claims.sub]",
    "claims.groups.sort()",
    "claims.groups.distinct()",
    "claims.groups + ['x']",
    "claims.groups.transformList(i, g, string(i) + g)",
    "sets.intersects(claims.groups, ['dev']) ? ['in'] : ['out']",
    "claims.groups.map(g, g.upperAscii())",
    "claims.groups.exists(g, g == 'dev') ? ['devs'] : []",
    "claims.groups.slice(0, 1)",
    "claims.groups.flatten()",
    "'single'",
    "claims.groups.map(g, g.split('/')).flatten()",
    "claims.groups.size() > 0 ? claims.groups : ['none']",
    "claims.tenant.split(',')",
    "dyn(claims.groups).sortBy(g, g.size())",
    "dyn(claims.groups).sortBy(g, g)",
    "format.labelValue().validate(claims.label).value()",
    "claims.nope",
    "[1, 2]",
];

/// CEL for claimValidationRules[].expression.
const CLAIM_RULES: &[&str] = &[
    "claims.email_verified == true",
    "claims.?tenant.orValue('') == 'acme'",
    "has(claims.sub)",
    "claims.aud == 'kubernetes'",
    "claims.groups.size() < 10",
    "'dev' in claims.groups",
    "claims.exp - claims.iat <= 86400",
    "claims.sub.size() > 2",
    "claims.nope == 'x'",
    "claims.sub",
    "!format.dns1123Label().validate(claims.sub).hasValue()",
    "isURL(claims.?website.orValue('/'))",
];

/// CEL for userValidationRules[].expression.
const USER_RULES: &[&str] = &[
    "!user.username.startsWith('system:')",
    "user.groups.all(g, !g.startsWith('system:'))",
    "user.username != ''",
    "user.uid == ''",
    "user.extra.size() == 0",
    "user.username",
];

fn quoted(s: impl AsRef<str>) -> String {
    let s = s.as_ref();
    serde_json::to_string(s).unwrap()
}

/// One jwt authenticator of an AuthenticationConfiguration (YAML).
fn jwt(rng: &mut Rng, issuer: &str) -> String {
    let mut y = String::new();
    let url = match rng.below(100) {
        0..=91 => issuer.to_owned(),
        92..=94 => issuer.replace("https", "http"),
        95..=96 => format!("{issuer}?q=1"),
        97 => format!("{issuer}#frag"),
        _ => format!("{issuer}/"),
    };
    y.push_str(&format!("- issuer:\n    url: {}\n", quoted(&url)));
    match rng.below(100) {
        0..=59 => y.push_str(&format!("    audiences: [{AUD}]\n")),
        60..=74 => y.push_str(&format!(
            "    audiences: [{AUD}, other]\n    audienceMatchPolicy: MatchAny\n"
        )),
        75..=79 => y.push_str(&format!("    audiences: [other, {AUD}]\n")),
        80..=89 => y.push_str("    audiences: [other]\n"),
        90..=94 => y.push_str("    audiences: []\n"),
        _ => y.push_str(&format!(
            "    audiences: [{AUD}, {AUD}]\n    audienceMatchPolicy: MatchAny\n"
        )),
    }
    match rng.below(100) {
        0..=59 => {}
        60..=69 => y.push_str("  claimValidationRules:\n  - claim: tenant\n    requiredValue: acme\n"),
        70..=89 => y.push_str(&format!(
            "  claimValidationRules:\n  - expression: {}\n    message: the rule says no\n",
            quoted(pick(rng, CLAIM_RULES))
        )),
        90..=94 => y.push_str("  claimValidationRules:\n  - claim: tenant\n    expression: 'true'\n"),
        _ => y.push_str("  claimValidationRules:\n  - claim: 'tenant'\n    requiredValue: acme\n  - expression: 'claims.email_verified == true'\n    message: verify your email\n"),
    }
    y.push_str("  claimMappings:\n");
    match rng.below(100) {
        0..=29 => y.push_str(&format!(
            "    username:\n      claim: {}\n      prefix: {}\n",
            pick(
                rng,
                &["sub", "email", "preferred_username", "my-claim", "nope"]
            ),
            quoted(pick(rng, &["p:", "", "oidc:"]))
        )),
        30..=34 => y.push_str("    username:\n      claim: sub\n"),
        35..=89 => y.push_str(&format!(
            "    username:\n      expression: {}\n",
            quoted(pick(rng, USERNAME_CEL))
        )),
        90..=94 => y.push_str(
            "    username:\n      claim: sub\n      prefix: ''\n      expression: claims.sub\n",
        ),
        _ => y.push_str("    username:\n      prefix: 'x:'\n      expression: claims.sub\n"),
    }
    match rng.below(100) {
        0..=39 => {}
        40..=64 => y.push_str(&format!(
            "    groups:\n      claim: {}\n      prefix: {}\n",
            pick(rng, &["groups", "roles", "tenant"]),
            quoted(pick(rng, &["g:", ""]))
        )),
        65..=94 => y.push_str(&format!(
            "    groups:\n      expression: {}\n",
            quoted(pick(rng, GROUPS_CEL))
        )),
        _ => y.push_str("    groups:\n      claim: groups\n"),
    }
    match rng.below(100) {
        0..=69 => {}
        70..=84 => y.push_str(&format!(
            "    uid:\n      claim: {}\n",
            pick(rng, &["sub", "uid", "jti"])
        )),
        _ => y.push_str(&format!(
            "    uid:\n      expression: {}\n",
            quoted(pick(
                rng,
                &[
                    "claims.sub + '-u'",
                    "claims.?uid.orValue('')",
                    "string(claims.exp)"
                ]
            ))
        )),
    }
    if chance(rng, 25) {
        let (key, value) = pick(
            rng,
            &[
                ("example.com/tenant", "claims.?tenant.orValue('none')"),
                ("example.com/roles", "claims.roles"),
                ("example.com/empty", "''"),
                ("example.com/list", "['a', claims.sub]"),
                ("tenant", "claims.sub"),
                ("example.com/Upper", "claims.sub"),
                ("example.com/number", "7"),
                ("kubernetes.io/x", "claims.sub"),
            ],
        );
        y.push_str(&format!(
            "    extra:\n    - key: {}\n      valueExpression: {}\n",
            quoted(key),
            quoted(value)
        ));
    }
    if chance(rng, 20) {
        y.push_str(&format!(
            "  userValidationRules:\n  - expression: {}\n    message: not this user\n",
            quoted(pick(rng, USER_RULES))
        ));
    }
    y
}

/// An AuthenticationConfiguration (YAML).
fn config(rng: &mut Rng) -> String {
    let version = pick(rng, &["v1", "v1", "v1", "v1", "v1beta1", "v1alpha1"]);
    let mut y = format!(
        "apiVersion: apiserver.config.k8s.io/{version}\nkind: AuthenticationConfiguration\njwt:\n"
    );
    y.push_str(&jwt(rng, ISS));
    match rng.below(100) {
        0..=84 => {}
        85..=94 => y.push_str(&jwt(rng, OTHER_ISS)),
        _ => y.push_str(&jwt(rng, ISS)),
    }
    y
}

/// `n` cases from `seed`, their times around `now`.
pub fn generate(seed: u64, n: usize, now: i64) -> Vec<Case> {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    (0..n)
        .map(|i| {
            let form = if chance(&mut rng, 40) {
                Form::Flags(flags(&mut rng))
            } else {
                Form::Config(config(&mut rng))
            };
            let sa_issuers = if chance(&mut rng, 4) {
                vec![ISS.to_owned()]
            } else {
                Vec::new()
            };
            Case {
                id: format!("c{i}"),
                form,
                sa_issuers,
                alg: pick(&mut rng, &ALGS).to_string(),
                claims: claims(&mut rng, now),
            }
        })
        .collect()
}
