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
    let kind = match v {
        Json::Bool(_) => "bool",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
        Json::Null => "null",
    };
    format!("json: cannot unmarshal {kind} into Go value of type {into}")
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

/// `convertCELValueToStringList`: "", [] and null are no value; "" inside a list is dropped.
pub fn cel_string_list(v: &Json) -> Result<Vec<String>, String> {
    let bad = || "expression must return a string or a list of strings".to_owned();
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
