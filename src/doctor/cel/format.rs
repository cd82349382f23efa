//! PURE. Kubernetes' format library (`k8s.io/apiserver/pkg/cel/library/format.go`, 1.31+):
//! `format.dns1123Label()` and its siblings, `format.named(name)` and `validate(s)`, which gives
//! `optional.none()` for a valid string and `optional.of([errors])` otherwise, with
//! apimachinery's texts of the release: from 1.35 `qualifiedName` and `labelValue` are
//! apimachinery's `content` validators ("must be no more than 63 bytes", "a valid label key"),
//! before it `util/validation`'s ("63 characters", "a qualified name").
//!
//! `rewrite.rs` turns `format.x()` into `@format('x', minor)` and `format.named(s)` into
//! `@formatNamed(s, minor)`, so the value knows its release.

use std::sync::Arc;

use cel::common::types::{DYN_TYPE, INT_TYPE, STRING_TYPE};
use cel::objects::{Opaque, OptionalValue};
use cel::{DeclarationError, Env, Value};

use super::gourl::parse_request_uri;
use super::kube::{call, functions};

/// The names `format.<name>()` takes, in the library's table.
pub const NAMES: [&str; 13] = [
    "dns1123Label",
    "dns1123Subdomain",
    "dns1035Label",
    "qualifiedName",
    "dns1123LabelPrefix",
    "dns1123SubdomainPrefix",
    "dns1035LabelPrefix",
    "labelValue",
    "uri",
    "uuid",
    "byte",
    "date",
    "datetime",
];

#[derive(Debug, Clone, PartialEq, Eq)]
struct Format {
    name: &'static str,
    minor: u8,
}

impl Opaque for Format {
    fn runtime_type_name(&self) -> &str {
        "kubernetes.NamedFormat"
    }
}

const LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const SUBDOMAIN_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1035_FMT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const KEY_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const KEY_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/// apimachinery's `RegexError`.
fn regex_error(msg: &str, re: &str, examples: &[&str]) -> String {
    let examples: Vec<String> = examples.iter().map(|e| format!("'{e}', ")).collect();
    format!(
        "{msg} (e.g. {}regex used for validation is '{re}')",
        examples.join(" or ")
    )
}

fn max_len(n: usize, bytes: bool) -> String {
    format!(
        "must be no more than {n} {}",
        if bytes { "bytes" } else { "characters" }
    )
}

/// `[a-z0-9]` and `-`, starting and ending with the first class (`first` for the start).
fn is_label(s: &str, first: fn(u8) -> bool) -> bool {
    let b = s.as_bytes();
    let mid = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-';
    let end = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    match b {
        [] => false,
        [c] => first(*c) && end(*c),
        [f, m @ .., l] => first(*f) && m.iter().all(|&c| mid(c)) && end(*l),
    }
}

fn alnum_lower(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn is_subdomain(s: &str) -> bool {
    s.split('.').all(|l| is_label(l, alnum_lower))
}

fn dns1123_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len(63, false));
    }
    if !is_label(s, alnum_lower) {
        errs.push(if is_subdomain(s) {
            "must not contain dots".to_owned()
        } else {
            regex_error(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                LABEL_FMT,
                &["my-name", "123-abc"],
            )
        });
    }
    errs
}

fn dns1123_subdomain(s: &str, bytes: bool) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 253 {
        errs.push(max_len(253, bytes));
    }
    if !is_subdomain(s) {
        errs.push(regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
            SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

fn dns1035_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len(63, false));
    }
    if !is_label(s, |c| c.is_ascii_lowercase()) {
        errs.push(regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
            DNS1035_FMT,
            &["my-name", "abc-123"],
        ));
    }
    errs
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`.
fn is_key_name(s: &str) -> bool {
    let b = s.as_bytes();
    let ends = |c: &u8| c.is_ascii_alphanumeric();
    let mid = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.');
    match b {
        [] => false,
        [c] => ends(c),
        [f, m @ .., l] => ends(f) && m.iter().all(mid) && ends(l),
    }
}

/// `IsQualifiedName` (1.35 on: `content.IsLabelKey`, its texts in bytes and "label key").
fn qualified_name(s: &str, minor: u8) -> Vec<String> {
    let content = minor >= 35;
    let examples = ["MyName", "my.name", "123-abc"];
    let parts: Vec<&str> = s.split('/').collect();
    let mut errs = Vec::new();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_owned());
            } else {
                errs.extend(
                    dns1123_subdomain(prefix, content)
                        .into_iter()
                        .map(|e| format!("prefix part {e}")),
                );
            }
            *name
        }
        _ => {
            let what = if content {
                "a valid label key"
            } else {
                "a qualified name"
            };
            return vec![format!(
                "{what} {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(KEY_MSG, KEY_FMT, &examples)
            )];
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_owned());
    } else if name.len() > 63 {
        errs.push(format!("name part {}", max_len(63, content)));
    }
    if !is_key_name(name) {
        errs.push(format!(
            "name part {}",
            regex_error(KEY_MSG, KEY_FMT, &examples)
        ));
    }
    errs
}

fn label_value(s: &str, minor: u8) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len(63, minor >= 35));
    }
    if !(s.is_empty() || is_key_name(s)) {
        errs.push(regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
            &format!("({KEY_FMT})?"),
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// apimachinery's `maskTrailingDash`: a generated name's prefix may end in '-'.
fn mask_trailing_dash(s: &str) -> String {
    if s.len() > 1 && s.ends_with('-') {
        format!("{}a", &s[..s.len() - 2])
    } else {
        s.to_owned()
    }
}

/// strfmt's `uuid`: `(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$`.
fn is_uuid(s: &str) -> bool {
    let mut rest = s.as_bytes();
    for (i, n) in [8, 4, 4, 4, 12].into_iter().enumerate() {
        if i > 0 && rest.first() == Some(&b'-') {
            rest = &rest[1..];
        }
        if rest.len() < n || !rest[..n].iter().all(u8::is_ascii_hexdigit) {
            return false;
        }
        rest = &rest[n..];
    }
    rest.is_empty()
}

/// govalidator's `IsBase64`: whole groups of four, padded at the end only.
fn is_base64(s: &str) -> bool {
    let b = s.as_bytes();
    let alphabet = |c: &u8| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/';
    if b.is_empty() || !b.len().is_multiple_of(4) {
        return false;
    }
    let (body, last) = b.split_at(b.len() - 4);
    body.iter().all(alphabet)
        && match last {
            [a, b2, b'=', b'='] => alphabet(a) && alphabet(b2),
            [a, b2, c, b'='] => alphabet(a) && alphabet(b2) && alphabet(c),
            other => other.iter().all(alphabet),
        }
}

/// Go's `time.Parse("2006-01-02", s)` succeeds.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r.clone()]
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| s[r].parse().ok())?
    };
    let (Some(year), Some(month), Some(day)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// strfmt's `IsDateTime`: split at 't' (any case), a date, then
/// `^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$` with hours up to 23
/// and minutes and seconds up to 59, compared as text.
fn is_datetime(s: &str) -> bool {
    if s.len() < 4 {
        return false;
    }
    let lower = s.to_lowercase();
    let parts: Vec<&str> = lower.split('t').collect();
    if parts.len() < 2 || !is_date(parts[0]) {
        return false;
    }
    let t = parts[1].as_bytes();
    let two = |i: usize| t.len() >= i + 2 && t[i..i + 2].iter().all(u8::is_ascii_digit);
    if !(two(0) && t.get(2) == Some(&b':') && two(3) && t.get(5) == Some(&b':') && two(6)) {
        return false;
    }
    if !(&t[0..2] <= b"23".as_slice()
        && &t[3..5] <= b"59".as_slice()
        && &t[6..8] <= b"59".as_slice())
    {
        return false;
    }
    let mut rest = &t[8..];
    // (.[0-9]+)? : any one character, then digits (backtracking: the zone may follow).
    let zone = |z: &[u8]| {
        z == b"z"
            || (z.len() == 6
                && matches!(z[0], b'+' | b'-')
                && z[1..3].iter().all(u8::is_ascii_digit)
                && z[3] == b':'
                && z[4..6].iter().all(u8::is_ascii_digit))
    };
    if zone(rest) {
        return true;
    }
    if rest.len() < 2 || rest[1..].is_empty() {
        return false;
    }
    rest = &rest[1..];
    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    (1..=digits).any(|n| zone(&rest[n..]))
}

fn validate(f: &Format, s: &str) -> Vec<String> {
    let minor = f.minor;
    match f.name {
        "dns1123Label" => dns1123_label(s),
        "dns1123Subdomain" => dns1123_subdomain(s, false),
        "dns1035Label" => dns1035_label(s),
        "qualifiedName" => qualified_name(s, minor),
        "dns1123LabelPrefix" => dns1123_label(&mask_trailing_dash(s)),
        "dns1123SubdomainPrefix" => dns1123_subdomain(&mask_trailing_dash(s), false),
        "dns1035LabelPrefix" => dns1035_label(&mask_trailing_dash(s)),
        "labelValue" => label_value(s, minor),
        "uri" => parse_request_uri(s).err().into_iter().collect(),
        "uuid" if !is_uuid(s) => vec!["does not match the UUID format".to_owned()],
        "byte" if !is_base64(s) => vec!["invalid base64".to_owned()],
        "date" if !is_date(s) => vec!["invalid date".to_owned()],
        "datetime" if !is_datetime(s) => vec!["invalid datetime".to_owned()],
        _ => Vec::new(),
    }
}

functions! {
    w_format: "format" => format;
    w_named: "format.named" => named;
    w_validate: "validate" => validate_value;
}

fn minor(v: &Value) -> Result<u8, String> {
    match v {
        Value::Int(i) => u8::try_from(*i).map_err(|_| "release out of range".to_owned()),
        _ => Err("no such overload".into()),
    }
}

fn string(v: &Value) -> Result<&str, String> {
    match v {
        Value::String(s) => Ok(s),
        _ => Err("no such overload".into()),
    }
}

fn lookup(name: &str, minor: u8) -> Option<Format> {
    let name = NAMES.into_iter().find(|n| *n == name)?;
    Some(Format { name, minor })
}

fn format(args: &[Value]) -> Result<Value, String> {
    let f =
        lookup(string(&args[0])?, minor(&args[1])?).ok_or_else(|| "no such overload".to_owned())?;
    Ok(Value::Opaque(Arc::new(f)))
}

fn named(args: &[Value]) -> Result<Value, String> {
    let Value::String(name) = &args[0] else {
        return Err(format!(
            "no such overload: format.named({})",
            super::kube::cel_type(&args[0])
        ));
    };
    let found = lookup(name, minor(&args[1])?);
    let opt = match found {
        Some(f) => OptionalValue::of(Value::Opaque(Arc::new(f))),
        None => OptionalValue::none(),
    };
    Ok(Value::Opaque(Arc::new(opt)))
}

fn validate_value(args: &[Value]) -> Result<Value, String> {
    let Value::Opaque(o) = &args[0] else {
        return Err("no such overload".into());
    };
    let f = o
        .downcast_ref::<Format>()
        .ok_or_else(|| "no such overload".to_owned())?;
    let errs = validate(f, string(&args[1])?);
    let opt = if errs.is_empty() {
        OptionalValue::none()
    } else {
        let list: Vec<Value> = errs
            .into_iter()
            .map(|e| Value::String(Arc::new(e)))
            .collect();
        OptionalValue::of(Value::List(Arc::new(list)))
    };
    Ok(Value::Opaque(Arc::new(opt)))
}

/// Register what `rewrite` calls and `validate`.
pub fn register(env: &mut Env) -> Result<(), DeclarationError> {
    env.add_overload(
        "@format",
        "k8s_format",
        vec![STRING_TYPE, INT_TYPE],
        w_format,
    )?;
    env.add_overload(
        "@formatNamed",
        "k8s_format_named",
        vec![STRING_TYPE, INT_TYPE],
        w_named,
    )?;
    env.add_member_overload(
        "validate",
        "k8s_format_validate",
        DYN_TYPE,
        vec![STRING_TYPE],
        w_validate,
    )?;
    Ok(())
}

#[cfg(test)]
#[path = "format_tests.rs"]
mod tests;
