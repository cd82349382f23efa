//! PURE. Kubernetes' quantity library (`k8s.io/apiserver/pkg/cel/library/quantity.go`, 1.28+):
//! `quantity("1.5Gi")`, `isQuantity`, and the members `sign`, `isInteger`, `asInteger`,
//! `asApproximateFloat`, `add`, `sub`, `isGreaterThan`, `isLessThan`, `compareTo`. A quantity is
//! held exactly in billionths (the API's smallest unit, `1n`), rounded up as the API rounds.

use std::cmp::Ordering;
use std::sync::Arc;

use cel::common::types::{DYN_TYPE, STRING_TYPE, Type};
use cel::objects::Opaque;
use cel::{DeclarationError, Env, Value};

use super::kube::{Wrapper, call};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Quantity {
    nanos: i128,
}

impl Opaque for Quantity {
    fn runtime_type_name(&self) -> &str {
        "kubernetes.Quantity"
    }
}

const NANO: i128 = 1_000_000_000;
const SHAPE: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/// The multiplier of a suffix, as (numerator, denominator) over billionths.
fn suffix(s: &str) -> Option<(i128, i128)> {
    let binary = |p: u32| Some((NANO << p, 1));
    let decimal = |e: i32| {
        let e = e + 9;
        (e >= 0).then(|| (10i128.pow(e as u32), 1))
    };
    match s {
        "Ki" => binary(10),
        "Mi" => binary(20),
        "Gi" => binary(30),
        "Ti" => binary(40),
        "Pi" => binary(50),
        "Ei" => binary(60),
        "n" => decimal(-9),
        "u" => decimal(-6),
        "m" => decimal(-3),
        "" => decimal(0),
        "k" => decimal(3),
        "M" => decimal(6),
        "G" => decimal(9),
        "T" => decimal(12),
        "P" => decimal(15),
        "E" => decimal(18),
        _ => {
            let exp = s.strip_prefix(['e', 'E'])?.parse::<i32>().ok()?;
            match exp + 9 {
                e if (0..=28).contains(&e) => Some((10i128.pow(e as u32), 1)),
                e if (-28..0).contains(&e) => Some((1, 10i128.pow((-e) as u32))),
                _ => None,
            }
        }
    }
}

fn parse(text: &str) -> Result<Quantity, String> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || "+-.".contains(c)))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let (negative, digits) = match number.as_bytes().first() {
        Some(b'-') => (true, &number[1..]),
        Some(b'+') => (false, &number[1..]),
        _ => (false, number),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let well_formed = !digits.is_empty()
        && digits != "."
        && (whole.bytes().chain(fraction.bytes())).all(|b| b.is_ascii_digit());
    let (num, den) = suffix(unit).filter(|_| well_formed).ok_or(SHAPE)?;
    let too_big = || "quantity is too large to simulate".to_owned();
    let all = format!("{whole}{fraction}");
    let mantissa: i128 = match all.trim_start_matches('0') {
        "" => 0,
        significant => significant.parse().map_err(|_| too_big())?,
    };
    let scale = 10i128
        .checked_pow(fraction.len() as u32)
        .ok_or_else(too_big)?;
    let top = mantissa.checked_mul(num).ok_or_else(too_big)?;
    let bottom = scale * den;
    // Rounded up to the next billionth, as resource.Quantity rounds.
    let nanos = top / bottom + i128::from(top % bottom != 0);
    Ok(Quantity {
        nanos: if negative { -nanos } else { nanos },
    })
}

fn quantity_of(v: &Value) -> Result<Quantity, String> {
    match v {
        Value::Opaque(o) => o
            .downcast_ref::<Quantity>()
            .copied()
            .ok_or_else(|| "expected a quantity".into()),
        Value::Int(i) => Ok(Quantity {
            nanos: i128::from(*i) * NANO,
        }),
        _ => Err("expected a quantity".into()),
    }
}

fn wrap(q: Quantity) -> Value {
    Value::Opaque(Arc::new(q))
}

fn new(args: &[Value]) -> Result<Value, String> {
    match &args[0] {
        Value::String(s) => parse(s).map(wrap),
        _ => Err("expected a string".into()),
    }
}

fn is_quantity(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(
        matches!(&args[0], Value::String(s) if parse(s).is_ok()),
    ))
}

fn sign(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Int(quantity_of(&args[0])?.nanos.signum() as i64))
}

fn is_integer(args: &[Value]) -> Result<Value, String> {
    let q = quantity_of(&args[0])?;
    Ok(Value::Bool(
        q.nanos % NANO == 0 && i64::try_from(q.nanos / NANO).is_ok(),
    ))
}

fn as_integer(args: &[Value]) -> Result<Value, String> {
    let q = quantity_of(&args[0])?;
    match (q.nanos % NANO, i64::try_from(q.nanos / NANO)) {
        (0, Ok(i)) => Ok(Value::Int(i)),
        _ => Err("cannot convert value to integer".into()),
    }
}

fn as_float(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Float(
        quantity_of(&args[0])?.nanos as f64 / NANO as f64,
    ))
}

fn add(args: &[Value]) -> Result<Value, String> {
    let (a, b) = (quantity_of(&args[0])?, quantity_of(&args[1])?);
    Ok(wrap(Quantity {
        nanos: a.nanos + b.nanos,
    }))
}

fn sub(args: &[Value]) -> Result<Value, String> {
    let (a, b) = (quantity_of(&args[0])?, quantity_of(&args[1])?);
    Ok(wrap(Quantity {
        nanos: a.nanos - b.nanos,
    }))
}

fn compare(args: &[Value]) -> Result<Ordering, String> {
    // Versions share these members (the semver library's comparisons).
    if let Some(versions) = super::semver::compare_values(&args[0], &args[1]) {
        return versions;
    }
    Ok(quantity_of(&args[0])?
        .nanos
        .cmp(&quantity_of(&args[1])?.nanos))
}

fn greater(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(compare(args)? == Ordering::Greater))
}

fn less(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(compare(args)? == Ordering::Less))
}

fn compare_to(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Int(compare(args)? as i64))
}

super::kube::functions! {
    w_new: "quantity" => new;
    w_is_quantity: "isQuantity" => is_quantity;
    w_sign: "sign" => sign;
    w_is_integer: "isInteger" => is_integer;
    w_as_integer: "asInteger" => as_integer;
    w_as_float: "asApproximateFloat" => as_float;
    w_add: "add" => add;
    w_sub: "sub" => sub;
    w_greater: "isGreaterThan" => greater;
    w_less: "isLessThan" => less;
    w_compare_to: "compareTo" => compare_to;
}

pub fn register(env: &mut Env) -> Result<(), DeclarationError> {
    env.add_overload("quantity", "k8s_quantity", vec![STRING_TYPE], w_new)?;
    env.add_overload(
        "isQuantity",
        "k8s_isQuantity",
        vec![STRING_TYPE],
        w_is_quantity,
    )?;
    let members: [(&str, usize, Wrapper); 9] = [
        ("sign", 0, w_sign),
        ("isInteger", 0, w_is_integer),
        ("asInteger", 0, w_as_integer),
        ("asApproximateFloat", 0, w_as_float),
        ("add", 1, w_add),
        ("sub", 1, w_sub),
        ("isGreaterThan", 1, w_greater),
        ("isLessThan", 1, w_less),
        ("compareTo", 1, w_compare_to),
    ];
    for (name, arity, f) in members {
        let args: Vec<Type> = (0..arity).map(|_| DYN_TYPE).collect();
        env.add_member_overload(name, &format!("k8s_quantity_{name}"), DYN_TYPE, args, f)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// k8s.io/apimachinery resource/quantity_test.go forms.
    #[test]
    fn parses_like_resource_quantity() {
        for (text, nanos) in [
            ("1", NANO),
            ("1.5Gi", 3 * (NANO << 29)),
            ("100m", NANO / 10),
            ("1k", 1000 * NANO),
            ("1Ki", 1024 * NANO),
            ("-2", -2 * NANO),
            ("1e3", 1000 * NANO),
            ("1E-3", NANO / 1000),
            ("0.1n", 1),
            (".5", NANO / 2),
            ("0", 0),
        ] {
            assert_eq!(parse(text), Ok(Quantity { nanos }), "{text}");
        }
        for bad in ["", "abc", "1Zi", "1.2.3", ".", "--1", "1e"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
