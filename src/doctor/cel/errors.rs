//! PURE. The `cel` crate's run-time errors in cel-go's words, as the API server prints them
//! (`expression '...' resulted in error: <this>`). Found by sweeping every function and
//! operator with values of each type through the oracles (tests/go) and this evaluator.

use cel::{ExecutionError as E, Value};

/// A run-time error of the `cel` crate in cel-go's words.
pub fn go_error(e: &E) -> String {
    match e {
        E::NoSuchKey(key) => format!("no such key: {key}"),
        E::UnsupportedBinaryOperator(op, left, _) => {
            let op = match *op {
                "add" => "_+_",
                "sub" => "_-_",
                "mul" => "_*_",
                "div" => "_/_",
                _ => "_%_",
            };
            operator(op, &super::kube::cel_type(left))
        }
        E::IndexOutOfBounds(Value::Int(i)) => format!("index out of bounds: {i}"),
        E::FunctionError { function, message } if message.starts_with("string parse error") => {
            format!("type conversion error from 'string' to '{function}'")
        }
        E::FunctionError { function, message } if function == "bool" => message.to_lowercase(),
        E::FunctionError { message, .. } => message.clone(),
        E::NoSuchOverload(o) => no_such_overload(o.function(), o.argument_types()),
        // A condition (`?:`, `&&`, `||`) that is not a bool.
        E::UnexpectedType { want, .. } if want == "bool" => "no such overload".to_owned(),
        // A comprehension over what is not a list or map: Go's `%T` of the value.
        E::UnexpectedType { got, want } if want == "iterable" => {
            format!("got '{}', expected iterable type", go_type(got))
        }
        other => other.to_string(),
    }
}

/// Go's `%T` of a value of the CEL type `t`, as the API server holds it: claims' lists and
/// maps are the oidc package's unescaping wrappers.
pub fn go_type(t: &str) -> &'static str {
    match t {
        "null_type" | "null" => "types.Null",
        "double" => "types.Double",
        "string" => "types.String",
        "int" => "types.Int",
        "uint" => "types.Uint",
        "bool" => "types.Bool",
        "bytes" => "types.Bytes",
        "map" => "*oidc.unescapeMapper",
        "list" => "*oidc.unescapeLister",
        _ => "ref.Val",
    }
}

/// Whether a value of CEL type `t` implements the trait an operator needs (cel-go's Adder,
/// Subtractor, Multiplier, Divider, Modder, Comparer, Negater), or answers for itself (a
/// string is a `traits.Receiver`): then a mismatch is the value's plain "no such overload".
fn answers(op: &str, t: &str) -> bool {
    let numeric = matches!(t, "int" | "uint" | "double");
    t == "string"
        || match op {
            "_+_" => numeric || matches!(t, "bytes" | "list"),
            "_-_" | "_*_" | "_/_" => numeric,
            "_%_" => matches!(t, "int" | "uint"),
            "_<_" | "_<=_" | "_>_" | "_>=_" => numeric || matches!(t, "bytes" | "bool"),
            "-_" => matches!(t, "int" | "double" | "bool"),
            _ => true,
        }
}

/// An operator's mismatch: the left operand's own "no such overload", or the operator named.
fn operator(op: &str, left: &str) -> String {
    if answers(op, left) {
        "no such overload".to_owned()
    } else {
        format!("no such overload: {op}")
    }
}

/// cel-go's words when no overload takes the values a call got at run time. Most functions
/// are type-guarded: `no such overload: f(double, string)`, with the values' types. Operators
/// say which one failed unless the left value answers for itself; the string functions with
/// several overloads, and `orValue`, say only "no such overload" (the regex ones name the
/// types for a string receiver); `size` and `sort` name themselves; `flatten` names its
/// receiver; the lists extension's functions without type guards fail as the Go type
/// assertion they make (`list.(traits.Lister)`, `depth.(types.Int)`).
pub fn no_such_overload(function: &str, types: &[String]) -> String {
    let receiver = types.first().map(String::as_str).unwrap_or("");
    let function = function.trim_start_matches('@');
    match function {
        "_+_" | "_-_" | "_*_" | "_/_" | "_%_" | "_<_" | "_<=_" | "_>_" | "_>=_" | "-_" => {
            operator(function, receiver)
        }
        "!_" | "_&&_" | "_||_" | "in" | "_==_" | "_!=_" => "no such overload".to_owned(),
        "find" | "findAll" if receiver == "string" => {
            format!("no such overload: {function}({})", types.join(", "))
        }
        "startsWith" | "endsWith" | "contains" | "matches" | "find" | "findAll" | "orValue" => {
            "no such overload".to_owned()
        }
        // No typed overload matched: a string receiver answers for itself (cel-go's
        // `traits.Receiver`), anything else names the function.
        "sort" if receiver == "string" => "no such overload".to_owned(),
        "size" | "sort" => format!("no such overload: {function}"),
        "sortByKeys" => "no such overload: @sortByAssociatedKeys".to_owned(),
        "formatNamed" => format!("no such overload: format.named({receiver})"),
        "distinct" => {
            let missing = if matches!(receiver, "null_type" | "bool" | "map") {
                "Add"
            } else {
                "Contains"
            };
            format!(
                "internal error: interface conversion: {} is not traits.Lister: missing method {missing}",
                go_type(receiver)
            )
        }
        "flatten" if receiver == "list" && types.len() == 2 => format!(
            "internal error: interface conversion: ref.Val is {}, not types.Int",
            go_type(&types[1])
        ),
        "flatten" => format!(
            "no such overload: {}.flatten({})",
            if receiver == "map" {
                "map(dyn, dyn)"
            } else {
                receiver
            },
            types[1..].join(", ")
        ),
        _ => format!("no such overload: {function}({})", types.join(", ")),
    }
}
