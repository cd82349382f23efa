//! PURE. Kubernetes' semver library, version 1 (`k8s.io/apiserver/pkg/cel/library/semverlib.go`,
//! 1.33+): `semver(s[, normalize])`, `isSemver(s[, normalize])`, `major`, `minor`, `patch`, and
//! the comparisons (shared with quantities: `isGreaterThan`, `isLessThan`, `compareTo`), parsed
//! as blang/semver v4 parses, with its error texts.

use std::cmp::Ordering;
use std::sync::Arc;

use cel::common::types::{BOOL_TYPE, DYN_TYPE, STRING_TYPE};
use cel::objects::Opaque;
use cel::{DeclarationError, Env, Value};

use super::kube::{Wrapper, call, functions};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Pre {
    Num(u64),
    Str(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Semver {
    major: u64,
    minor: u64,
    patch: u64,
    pre: Vec<Pre>,
}

impl Opaque for Semver {
    fn runtime_type_name(&self) -> &str {
        "kubernetes.Semver"
    }
}

const NUMBERS: &str = "0123456789";
const ALPHANUM: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789";

fn only(s: &str, set: &str) -> bool {
    s.chars().all(|c| set.contains(c))
}

fn number(s: &str, what: &str) -> Result<u64, String> {
    if !only(s, NUMBERS) {
        return Err(format!("Invalid character(s) found in {what} number {s:?}"));
    }
    if s.len() > 1 && s.starts_with('0') {
        let capital = format!("{}{}", what[..1].to_uppercase(), &what[1..]);
        return Err(format!(
            "{capital} number must not contain leading zeroes {s:?}"
        ));
    }
    s.parse()
        .map_err(|_| format!("strconv.ParseUint: parsing {s:?}: invalid syntax"))
}

/// blang/semver's `Parse`.
fn parse(s: &str) -> Result<Semver, String> {
    if s.is_empty() {
        return Err("Version string empty".into());
    }
    let parts: Vec<&str> = s.splitn(3, '.').collect();
    if parts.len() != 3 {
        return Err("No Major.Minor.Patch elements found".into());
    }
    let major = number(parts[0], "major")?;
    let minor = number(parts[1], "minor")?;
    let mut patch = parts[2];
    let mut build: Vec<&str> = Vec::new();
    if let Some((p, b)) = patch.split_once('+') {
        build = b.split('.').collect();
        patch = p;
    }
    let mut pre_parts: Vec<&str> = Vec::new();
    if let Some((p, r)) = patch.split_once('-') {
        pre_parts = r.split('.').collect();
        patch = p;
    }
    let patch = number(patch, "patch")?;
    let mut pre = Vec::new();
    for p in pre_parts {
        if p.is_empty() {
            return Err("Prerelease is empty".into());
        }
        if only(p, NUMBERS) {
            if p.len() > 1 && p.starts_with('0') {
                return Err(format!(
                    "Numeric PreRelease version must not contain leading zeroes {p:?}"
                ));
            }
            pre.push(Pre::Num(
                p.parse().map_err(|_| "invalid prerelease".to_owned())?,
            ));
        } else if only(p, ALPHANUM) {
            pre.push(Pre::Str(p.to_owned()));
        } else {
            return Err(format!("Invalid character(s) found in prerelease {p:?}"));
        }
    }
    for b in build {
        if b.is_empty() {
            return Err("Build meta data is empty".into());
        }
        if !only(b, ALPHANUM) {
            return Err(format!(
                "Invalid character(s) found in build meta data {b:?}"
            ));
        }
    }
    Ok(Semver {
        major,
        minor,
        patch,
        pre,
    })
}

/// The library's `normalizeAndParse`: a leading `v` and leading zeroes dropped, missing minor
/// and patch filled with 0.
fn normalize_and_parse(s: &str) -> Result<Semver, String> {
    let s = s.strip_prefix('v').unwrap_or(s);
    let mut parts: Vec<String> = s
        .splitn(3, '.')
        .map(|p| {
            if p.len() > 1 {
                let t = p.trim_start_matches('0');
                if t.is_empty() || !t.starts_with(|c: char| c.is_ascii_digit()) {
                    format!("0{t}")
                } else {
                    t.to_owned()
                }
            } else {
                p.to_owned()
            }
        })
        .collect();
    if parts.len() < 3 {
        if parts.last().is_some_and(|p| p.contains(['+', '-'])) {
            return Err("short version cannot contain PreRelease/Build meta data".into());
        }
        while parts.len() < 3 {
            parts.push("0".into());
        }
    }
    parse(&parts.join("."))
}

/// Semantic-version precedence.
fn compare(a: &Semver, b: &Semver) -> Ordering {
    let core = (a.major, a.minor, a.patch).cmp(&(b.major, b.minor, b.patch));
    if core != Ordering::Equal {
        return core;
    }
    match (a.pre.is_empty(), b.pre.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    for (x, y) in a.pre.iter().zip(&b.pre) {
        let o = match (x, y) {
            (Pre::Num(m), Pre::Num(n)) => m.cmp(n),
            (Pre::Num(_), Pre::Str(_)) => Ordering::Less,
            (Pre::Str(_), Pre::Num(_)) => Ordering::Greater,
            (Pre::Str(m), Pre::Str(n)) => m.cmp(n),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    a.pre.len().cmp(&b.pre.len())
}

/// The receiver and argument of a comparison, when both are versions.
pub fn compare_values(a: &Value, b: &Value) -> Option<Result<Ordering, String>> {
    let of = |v: &Value| match v {
        Value::Opaque(o) => o.downcast_ref::<Semver>().cloned(),
        _ => None,
    };
    let a = of(a)?;
    Some(
        of(b)
            .map(|b| compare(&a, &b))
            .ok_or_else(|| "no such overload".to_owned()),
    )
}

fn text_and_normalize(args: &[Value]) -> Result<(&str, bool), String> {
    let s = match &args[0] {
        Value::String(s) => s.as_str(),
        _ => return Err("no such overload".into()),
    };
    let normalize = match args.get(1) {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err("no such overload".into()),
    };
    Ok((s, normalize))
}

fn version(args: &[Value]) -> Result<Value, String> {
    let (s, normalize) = text_and_normalize(args)?;
    let v = if normalize {
        normalize_and_parse(s)?
    } else {
        parse(s)?
    };
    Ok(Value::Opaque(Arc::new(v)))
}

fn is_semver(args: &[Value]) -> Result<Value, String> {
    let (s, normalize) = text_and_normalize(args)?;
    let ok = if normalize {
        normalize_and_parse(s).is_ok()
    } else {
        parse(s).is_ok()
    };
    Ok(Value::Bool(ok))
}

fn part(args: &[Value], f: fn(&Semver) -> u64) -> Result<Value, String> {
    match &args[0] {
        Value::Opaque(o) => o
            .downcast_ref::<Semver>()
            .map(|v| Value::Int(f(v) as i64))
            .ok_or_else(|| "no such overload".into()),
        _ => Err("no such overload".into()),
    }
}

fn major(args: &[Value]) -> Result<Value, String> {
    part(args, |v| v.major)
}

fn minor(args: &[Value]) -> Result<Value, String> {
    part(args, |v| v.minor)
}

fn patch(args: &[Value]) -> Result<Value, String> {
    part(args, |v| v.patch)
}

functions! {
    w_semver: "semver" => version;
    w_is_semver: "isSemver" => is_semver;
    w_major: "major" => major;
    w_minor: "minor" => minor;
    w_patch: "patch" => patch;
}

/// Register the library on `env` (its comparisons are the quantity library's, which defer to
/// [`compare_values`] for versions).
pub fn register(env: &mut Env) -> Result<(), DeclarationError> {
    env.add_overload("semver", "semver_1", vec![STRING_TYPE], w_semver)?;
    env.add_overload("semver", "semver_2", vec![STRING_TYPE, BOOL_TYPE], w_semver)?;
    env.add_overload("isSemver", "isSemver_1", vec![STRING_TYPE], w_is_semver)?;
    env.add_overload(
        "isSemver",
        "isSemver_2",
        vec![STRING_TYPE, BOOL_TYPE],
        w_is_semver,
    )?;
    let members: [(&str, Wrapper); 3] =
        [("major", w_major), ("minor", w_minor), ("patch", w_patch)];
    for (name, f) in members {
        env.add_member_overload(name, &format!("semver_{name}"), DYN_TYPE, vec![], f)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_as_blang_semver_does() {
        assert_eq!(parse("1.2.3").unwrap().patch, 3);
        for (text, error) in [
            ("", "Version string empty"),
            ("v2", "No Major.Minor.Patch elements found"),
            (
                "v1.2.3",
                "Invalid character(s) found in major number \"v1\"",
            ),
            (
                "01.2.3",
                "Major number must not contain leading zeroes \"01\"",
            ),
            ("1.2.3-", "Prerelease is empty"),
            (
                "1.2.3-01",
                "Numeric PreRelease version must not contain leading zeroes \"01\"",
            ),
        ] {
            assert_eq!(parse(text).unwrap_err(), error, "{text}");
        }
        assert_eq!(normalize_and_parse("v1.02").unwrap().minor, 2);
        let v = |s| parse(s).unwrap();
        assert_eq!(compare(&v("1.10.0-rc.1"), &v("1.10.0")), Ordering::Less);
        assert_eq!(
            compare(&v("1.10.0-rc.2"), &v("1.10.0-rc.10")),
            Ordering::Less
        );
        assert_eq!(compare(&v("2.0.0"), &v("1.99.99")), Ordering::Greater);
    }
}
