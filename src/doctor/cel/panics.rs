//! PURE. Where cel-go panics and the API server reports the panic. Two functions of the lists
//! extension take an error value unchecked and assert it is a list: `distinct` on a receiver
//! that failed (`claims.groups.distinct()` without a groups claim), and `sortBy`'s keys when
//! they fail (for an element; or because the receiver did, when the key is typed). The panic, recovered by the interpreter, replaces
//! whatever else the expression would have failed with. The `cel` crate stops at the first
//! error instead, so after an evaluation fails, each such receiver (or list of keys) that needs
//! no comprehension variable is evaluated alone: if it fails, the answer is cel-go's panic.

use cel::common::ast::{EntryExpr, Expr, IdedExpr};
use cel::{Context, ExecutionError, Value};

/// cel-go's text for a `*types.Err` asserted to be a list.
pub const NOT_A_LISTER: &str =
    "internal error: interface conversion: *types.Err is not traits.Lister: missing method Add";

/// Whether `e` fails on its own (not for want of a comprehension's variable).
fn fails(e: &IdedExpr, ctx: &Context) -> bool {
    !matches!(
        Value::resolve(e, ctx),
        Ok(_) | Err(ExecutionError::UndeclaredReference(_))
    )
}

/// Whether `keys`, `l.map(v, key)` as rewrite.rs expands `sortBy`, has `v` itself as the key.
fn key_is_the_element(keys: &IdedExpr) -> bool {
    let Expr::Comprehension(c) = &keys.expr else {
        return false;
    };
    let Expr::Call(step) = &c.loop_step.expr else {
        return false;
    };
    let Some(Expr::List(item)) = step.args.get(1).map(|a| &a.expr) else {
        return false;
    };
    matches!(item.elements.as_slice(), [k] if matches!(&k.expr, Expr::Ident(v) if *v == c.iter_var))
}

/// cel-go's panic, if evaluating the rewritten `e` reaches one (in evaluation order).
pub fn panic_of(e: &IdedExpr, ctx: &Context) -> Option<&'static str> {
    match &e.expr {
        Expr::Call(c) => {
            if let Some(t) = &c.target {
                if c.func_name == "distinct" && c.args.is_empty() && fails(t, ctx) {
                    return Some(NOT_A_LISTER);
                }
                if let Some(p) = panic_of(t, ctx) {
                    return Some(p);
                }
            }
            // Keys that fail for an element of a list or map panic; keys that fail because
            // the target did (an absent claim, a null) panic too when the key has a static type
            // (`g.size()`), not when it is the element itself (`g`, dyn), as the oracle shows.
            if let ("@sortByKeys", [target, keys]) = (c.func_name.as_str(), c.args.as_slice())
                && (matches!(
                    Value::resolve(target, ctx),
                    Ok(Value::List(_) | Value::Map(_))
                ) || !key_is_the_element(keys))
                && fails(keys, ctx)
            {
                return Some(NOT_A_LISTER);
            }
            c.args.iter().find_map(|a| panic_of(a, ctx))
        }
        Expr::Select(s) => panic_of(&s.operand, ctx),
        Expr::List(l) => l.elements.iter().find_map(|x| panic_of(x, ctx)),
        Expr::Map(m) => m.entries.iter().find_map(|entry| match &entry.expr {
            EntryExpr::MapEntry(me) => panic_of(&me.key, ctx).or_else(|| panic_of(&me.value, ctx)),
            _ => None,
        }),
        Expr::Comprehension(c) => panic_of(&c.iter_range, ctx)
            .or_else(|| panic_of(&c.accu_init, ctx))
            .or_else(|| panic_of(&c.loop_step, ctx))
            .or_else(|| panic_of(&c.result, ctx)),
        _ => None,
    }
}
