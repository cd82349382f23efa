//! PURE. The operators' types, as cel-go's checker resolves their overloads: `None` where no
//! overload takes the operands (an `any` operand takes any overload).

use cel::common::ast::operators as op;

use super::types::{DYN, Ty};

/// The operator's symbol in the source (where an error points); `None` for a call that is
/// not an operator.
pub fn symbol(f: &str) -> Option<&'static str> {
    Some(match f {
        op::LOGICAL_AND => "&&",
        op::LOGICAL_OR => "||",
        op::LOGICAL_NOT => "!",
        op::EQUALS => "==",
        op::NOT_EQUALS => "!=",
        op::LESS => "<",
        op::LESS_EQUALS => "<=",
        op::GREATER => ">",
        op::GREATER_EQUALS => ">=",
        op::ADD => "+",
        op::SUBSTRACT | op::NEGATE => "-",
        op::MULTIPLY => "*",
        op::DIVIDE => "/",
        op::MODULO => "%",
        op::INDEX | op::OPT_INDEX => "[",
        op::OPT_SELECT => ".?",
        op::IN => " in ",
        op::CONDITIONAL => "?",
        op::NOT_STRICTLY_FALSE => "",
        _ => return None,
    })
}

/// The result type of operator `f` on `args`, or `None`: no matching overload.
pub fn result(f: &str, args: &[Ty]) -> Option<Ty> {
    let concrete = |t: &Ty| !t.dynamic();
    match (f, args) {
        (op::LOGICAL_AND | op::LOGICAL_OR, [a, b]) => {
            (![a, b].iter().any(|t| concrete(t) && **t != Ty::Bool)).then_some(Ty::Bool)
        }
        (op::LOGICAL_NOT, [a]) => (!concrete(a) || *a == Ty::Bool).then_some(Ty::Bool),
        (op::NOT_STRICTLY_FALSE | op::IN, _) => Some(Ty::Bool),
        (
            op::EQUALS
            | op::NOT_EQUALS
            | op::LESS
            | op::LESS_EQUALS
            | op::GREATER
            | op::GREATER_EQUALS,
            [a, b],
        ) => (!concrete(a) || !concrete(b) || comparable(a, b)).then_some(Ty::Bool),
        (op::NEGATE, [a]) => (!concrete(a) || matches!(a, Ty::Int | Ty::Double)).then(|| a.clone()),
        (op::ADD, [a, b]) => arithmetic(a, b, true),
        (op::SUBSTRACT | op::MULTIPLY | op::DIVIDE | op::MODULO, [a, b]) => arithmetic(a, b, false),
        (op::INDEX | op::OPT_INDEX, [a, _]) => index(a, f == op::OPT_INDEX),
        (op::CONDITIONAL, [c, a, b]) => conditional(c, a, b),
        _ => Some(DYN),
    }
}

fn index(container: &Ty, optional: bool) -> Option<Ty> {
    let t = match container {
        Ty::List(t) | Ty::Map(_, t) => (**t).clone(),
        Ty::Dyn(_) => DYN,
        _ => return None,
    };
    Some(if optional { Ty::Opt(Box::new(t)) } else { t })
}

fn conditional(c: &Ty, a: &Ty, b: &Ty) -> Option<Ty> {
    let concrete = |t: &Ty| !t.dynamic();
    if concrete(c) && *c != Ty::Bool || concrete(a) && concrete(b) && !same_kind(a, b) {
        return None;
    }
    Some(if a.dynamic() { b.clone() } else { a.clone() })
}

/// Same type constructor (list vs list, map vs map, else equal), parameters not compared.
pub fn same_kind(a: &Ty, b: &Ty) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
        && (matches!(a, Ty::List(_) | Ty::Map(..) | Ty::Opt(_)) || a == b)
}

/// `==` and the orderings: the same type, numbers with numbers (1.28+ cross-type
/// comparisons), anything with null for `==`.
fn comparable(a: &Ty, b: &Ty) -> bool {
    same_kind(a, b) || (a.numeric() && b.numeric()) || *a == Ty::Null || *b == Ty::Null
}

fn arithmetic(a: &Ty, b: &Ty, add: bool) -> Option<Ty> {
    let takes = |t: &Ty| {
        t.dynamic() || t.numeric() || add && matches!(t, Ty::Str | Ty::Bytes | Ty::List(_))
    };
    if !takes(a) || !takes(b) {
        return None;
    }
    match (a.dynamic(), b.dynamic()) {
        (true, true) => Some(DYN),
        (true, false) => Some(b.clone()),
        (false, true) => Some(a.clone()),
        (false, false) if same_kind(a, b) => Some(match a {
            Ty::List(_) if a != b => Ty::List(Box::new(DYN)),
            _ => a.clone(),
        }),
        _ => None,
    }
}
