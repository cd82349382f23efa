//! PURE. The API server's validation rules (spec §1.6): claim validation expressions, and
//! user validation expressions on the user before the group adder.

use serde_json::{Map, Value as Json};

use super::steps::cel_refusal;
use super::{Check, Refusal, UserInfo, refuse};
use crate::doctor::cel::{self, CelError};
use crate::doctor::config::{Authenticator, ClaimRule};

/// A validation rule's outcome: true passes, false fails with its message.
fn validation_rule(
    outcome: Result<Json, CelError>,
    prefix: &str,
    expression: &str,
    message: &str,
) -> Result<(), Refusal> {
    match outcome {
        Err(e) => Err(cel_refusal(prefix, e)),
        Ok(Json::Bool(true)) => Ok(()),
        Ok(Json::Bool(false)) => refuse(
            Check::Cel,
            format!("{prefix}: validation expression '{expression}' failed: {message}"),
        ),
        Ok(_) => refuse(
            Check::Cel,
            format!("{prefix}: validation expression must return a boolean"),
        ),
    }
}

/// §1.6: claim validation expressions.
pub(super) fn claim_validation_rules(
    claims: &Map<String, Json>,
    a: &Authenticator,
) -> Result<(), Refusal> {
    for rule in &a.claim_rules {
        if let ClaimRule::Expression {
            expression,
            message,
        } = rule
        {
            validation_rule(
                cel::eval_claims(expression, claims, a.version),
                "oidc: error evaluating claim validation expression",
                expression,
                message,
            )?;
        }
    }
    Ok(())
}

/// §1.6: user validation expressions, on the user before the group adder.
pub(super) fn user_validation_rules(user: &UserInfo, a: &Authenticator) -> Result<(), Refusal> {
    if a.user_rules.is_empty() {
        return Ok(());
    }
    let as_json = serde_json::json!({
        "username": user.username, "uid": user.uid, "groups": user.groups, "extra": user.extra,
    });
    for rule in &a.user_rules {
        validation_rule(
            cel::eval_user(&rule.expression, &as_json, a.version),
            "oidc: error evaluating user info validation rule",
            &rule.expression,
            &rule.message,
        )?;
    }
    Ok(())
}
