//! PURE. How Go (and so the API server) decodes claims and prints values, reproduced so that
//! the replay's error texts are the API server's own.

use serde_json::{Map, Value as Json};

/// Go's `%q` of a string slice: `["a" "b"]`.
pub fn quote_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("{s:?}")).collect();
    format!("[{}]", quoted.join(" "))
}

/// Go's `%v` of a UTC time.Time.
pub fn time(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S +0000 UTC").to_string())
        .unwrap_or_else(|| unix.to_string())
}

/// Go's `json: cannot unmarshal X into Go value of type T` for a JSON value.
pub fn unmarshal_error(v: &Json, into: &str) -> String {
    format!(
        "json: cannot unmarshal {} into Go value of type {into}",
        kind(v)
    )
}

/// Decode a claim as a Go string: absent is an error, null is "", other types fail.
pub fn string_claim(claims: &Map<String, Json>, name: &str) -> Result<String, String> {
    match claims.get(name) {
        None => Err("claim not present".into()),
        Some(Json::String(s)) => Ok(s.clone()),
        Some(Json::Null) => Ok(String::new()),
        Some(v) => Err(unmarshal_error(v, "string")),
    }
}

/// Go's `stringOrArray`: a string or an array of strings (null elements become "").
pub fn string_or_array(v: &Json) -> Result<Vec<String>, String> {
    match v {
        Json::Null => Ok(Vec::new()),
        Json::String(s) => Ok(vec![s.clone()]),
        Json::Array(a) if a.iter().all(|x| x.is_string() || x.is_null()) => Ok(a
            .iter()
            .map(|x| x.as_str().unwrap_or("").to_owned())
            .collect()),
        other => Err(unmarshal_error(other, "string")),
    }
}

/// `convertCELValueToStringList` of the value of `expression`: "", [] and null are no value;
/// "" inside a list is dropped; a list of Go strings (`split`, `findAll`) is refused.
pub fn cel_string_list(expression: &str, v: &Json) -> Result<Vec<String>, String> {
    let bad = || "expression must return a string or a list of strings".to_owned();
    if v.is_array() && crate::doctor::cel::returns_go_string_list(expression) {
        return Err(bad());
    }
    match v {
        Json::Null => Ok(Vec::new()),
        Json::String(s) if s.is_empty() => Ok(Vec::new()),
        Json::String(s) => Ok(vec![s.clone()]),
        Json::Array(a) => a
            .iter()
            .filter(|x| x.as_str() != Some(""))
            .map(|x| x.as_str().map(str::to_owned).ok_or_else(bad))
            .collect(),
        _ => Err(bad()),
    }
}

/// What go-oidc's `idToken` decode (`json.Unmarshal` into its struct) makes of the claims it
/// types: the audience, and `exp` and `nbf` in seconds (`None`: absent, the zero time for
/// `exp`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdToken {
    pub aud: Vec<String>,
    pub exp: Option<i64>,
    pub nbf: Option<i64>,
}

/// The kind of a JSON value, as Go's decoder names it.
fn kind(v: &Json) -> &'static str {
    match v {
        Json::Bool(_) => "bool",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
        Json::Null => "null",
    }
}

/// A JSON number literal, as Go's `isValidNumber` reads one.
fn valid_number(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let (int, rest) = s.split_at(s.find(['.', 'e', 'E']).unwrap_or(s.len()));
    let int_ok = int == "0"
        || (int.starts_with(|c: char| ('1'..='9').contains(&c))
            && int.chars().all(|c| c.is_ascii_digit()));
    let (frac, exp) = match rest.strip_prefix('.') {
        Some(r) => r.split_at(r.find(['e', 'E']).unwrap_or(r.len())),
        None => ("", rest),
    };
    let frac_ok =
        !rest.starts_with('.') || (!frac.is_empty() && frac.chars().all(|c| c.is_ascii_digit()));
    let exp_ok = exp.is_empty() || {
        let e = exp[1..].strip_prefix(['+', '-']).unwrap_or(&exp[1..]);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    };
    int_ok && frac_ok && exp_ok
}

/// `jsonTime.UnmarshalJSON`: a json.Number (a number, or a string holding one) as seconds:
/// an integer as is, else the float truncated (Go's int64 conversion: out of range is the
/// smallest int64 on amd64).
fn json_time(field: &str, v: &Json) -> Result<i64, String> {
    let literal = match v {
        Json::Number(n) => n.to_string(),
        Json::String(s) if valid_number(s) => s.clone(),
        Json::String(s) => {
            return Err(format!(
                "json: invalid number literal, trying to unmarshal {:?} into Number",
                format!("{s:?}")
            ));
        }
        Json::Null => return Err("strconv.ParseFloat: parsing \"\": invalid syntax".into()),
        other => {
            return Err(format!(
                "json: cannot unmarshal {} into Go struct field idToken.{field} of type json.Number",
                kind(other)
            ));
        }
    };
    if let Ok(i) = literal.parse::<i64>() {
        return Ok(i);
    }
    let f: f64 = literal
        .parse()
        .map_err(|_| format!("strconv.ParseFloat: parsing {literal:?}: invalid syntax"))?;
    Ok(
        if f.is_finite() && f >= i64::MIN as f64 && f < i64::MAX as f64 {
            f.trunc() as i64
        } else {
            i64::MIN
        },
    )
}

/// `audience.UnmarshalJSON`: a string (null is ""), or an array of strings (null elements
/// are "").
fn audience(v: &Json) -> Result<Vec<String>, String> {
    let type_error = |of: &Json, t: &str| {
        format!(
            "json: cannot unmarshal {} into Go struct field idToken.aud of type {t}",
            kind(of)
        )
    };
    match v {
        Json::String(s) => Ok(vec![s.clone()]),
        Json::Null => Ok(vec![String::new()]),
        Json::Array(items) => items
            .iter()
            .map(|x| match x {
                Json::String(s) => Ok(s.clone()),
                Json::Null => Ok(String::new()),
                other => Err(type_error(other, "string")),
            })
            .collect(),
        other => Err(type_error(other, "[]string")),
    }
}

/// go-oidc's `json.Unmarshal(payload, &idToken)`, in the claims' order: an error of a custom
/// decoder (`aud`, `exp`, `iat`, `nbf`) ends it at once; a plain field of the wrong type
/// (`iss`, `sub`, `nonce`, `at_hash`, `_claim_names`, `_claim_sources`) is remembered and
/// reported at the end if nothing worse came, as Go's decoder does.
pub fn decode_id_token(claims: &Map<String, Json>) -> Result<IdToken, String> {
    let mut t = IdToken {
        aud: Vec::new(),
        exp: None,
        nbf: None,
    };
    // The first plain field of the wrong type, reported if nothing worse comes.
    let mut saved: Option<String> = None;
    let mut save = |field: &str, v: &Json, ty: &str| {
        saved.get_or_insert_with(|| {
            format!(
                "json: cannot unmarshal {} into Go struct field {field} of type {ty}",
                kind(v)
            )
        });
    };
    let plain = |v: &Json| v.is_string() || v.is_null();
    for (k, v) in claims {
        match (k.as_str(), v) {
            ("iss" | "sub" | "nonce" | "at_hash", v) if !plain(v) => {
                save(&format!("idToken.{k}"), v, "string");
            }
            ("aud", v) => t.aud = audience(v)?,
            ("exp", v) => t.exp = Some(json_time(k, v)?),
            ("iat", v) => {
                json_time(k, v)?;
            }
            ("nbf", v) if !v.is_null() => t.nbf = Some(json_time(k, v)?),
            ("_claim_names", Json::Object(m)) => {
                for x in m.values().filter(|x| !plain(x)) {
                    save("idToken._claim_names", x, "string");
                }
            }
            ("_claim_names", v) if !v.is_null() => {
                save("idToken._claim_names", v, "map[string]string");
            }
            ("_claim_sources", Json::Object(m)) => {
                for src in m.values() {
                    match src {
                        Json::Object(fields) => {
                            for (f, x) in fields {
                                if matches!(f.as_str(), "endpoint" | "access_token") && !plain(x) {
                                    save(&format!("claimSource._claim_sources.{f}"), x, "string");
                                }
                            }
                        }
                        Json::Null => {}
                        other => save("idToken._claim_sources", other, "oidc.claimSource"),
                    }
                }
            }
            ("_claim_sources", v) if !v.is_null() => {
                save("idToken._claim_sources", v, "map[string]oidc.claimSource");
            }
            _ => {}
        }
    }
    match saved {
        Some(e) => Err(e),
        None => Ok(t),
    }
}
