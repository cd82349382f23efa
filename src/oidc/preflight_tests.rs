use super::{About, Refusal, judge};

const REDIRECT: &str = "http://127.0.0.1:8000/callback";

/// oidc-provider's own error page (lib/helpers/defaults.js renderError), as it is served.
const OIDC_PROVIDER_PAGE: &str = "<!DOCTYPE html><html><head><title>oops! something went wrong</title>\
    <style>h1{font-weight:100}</style></head><body><div class=\"container\">\
    <h1>oops! something went wrong</h1><pre><strong>error</strong>: invalid_redirect_uri</pre>\
    <pre><strong>error_description</strong>: redirect_uri did not match any of the client&#39;s \
    registered redirect_uris</pre><pre><strong>state</strong>: abc</pre>\
    <pre><strong>iss</strong>: http://127.0.0.1:1234</pre></div></body></html>";

fn refusal(
    status: u16,
    code: Option<&str>,
    description: Option<&str>,
    about: About,
) -> Option<Refusal> {
    Some(Refusal {
        status,
        code: code.map(str::to_owned),
        description: description.map(str::to_owned),
        about,
    })
}

/// A case: its name, the status, the Location header, the body, the verdict.
type Case = (
    &'static str,
    u16,
    Option<&'static str>,
    &'static str,
    Option<Refusal>,
);

#[test]
fn answers_table() {
    let cases: Vec<Case> = vec![
        (
            "oidc-provider, unregistered redirect URI",
            400,
            None,
            OIDC_PROVIDER_PAGE,
            refusal(
                400,
                Some("invalid_redirect_uri"),
                Some("redirect_uri did not match any of the client's registered redirect_uris"),
                About::RedirectUri,
            ),
        ),
        (
            "Google",
            400,
            None,
            "<html><body><h1>Access blocked</h1><p>Error 400: redirect_uri_mismatch</p></body></html>",
            refusal(400, Some("redirect_uri_mismatch"), None, About::RedirectUri),
        ),
        (
            "Keycloak names the parameter, no code",
            400,
            None,
            "<html><body><p id=\"kc-error-message\">Invalid parameter: redirect_uri</p></body></html>",
            refusal(400, None, None, About::RedirectUri),
        ),
        (
            "unknown client, JSON",
            400,
            None,
            r#"{"error":"invalid_client","error_description":"client is invalid"}"#,
            refusal(
                400,
                Some("invalid_client"),
                Some("client is invalid"),
                About::Client,
            ),
        ),
        (
            "a 400 page that says nothing known",
            400,
            None,
            "<html>Bad Request</html>",
            refusal(400, None, None, About::Other),
        ),
        (
            "a 404 without an OAuth code is a wrong page, not a refusal",
            404,
            None,
            "<html>Not Found</html>",
            None,
        ),
        (
            "a 404 naming unauthorized_client",
            404,
            None,
            "error: unauthorized_client",
            refusal(404, Some("unauthorized_client"), None, About::Client),
        ),
        ("Kerberos proxy", 401, None, "invalid_request", None),
        ("rate limited", 429, None, "invalid_request", None),
        ("login page", 200, None, "<form>sign in</form>", None),
        ("provider down", 503, None, "invalid_client", None),
        (
            "a redirect to the login page",
            303,
            Some("/interaction/abc"),
            "",
            None,
        ),
        (
            "a redirect to our redirect URI with an error",
            302,
            Some(
                "http://127.0.0.1:8000/callback?error=invalid_scope&error_description=groups+is+not+allowed&state=s",
            ),
            "",
            refusal(
                302,
                Some("invalid_scope"),
                Some("groups is not allowed"),
                About::Other,
            ),
        ),
        (
            "an error in the fragment",
            302,
            Some("http://127.0.0.1:8000/callback#error=unauthorized_client"),
            "",
            refusal(302, Some("unauthorized_client"), None, About::Client),
        ),
        (
            "Cognito's own error page",
            302,
            Some("https://auth.example.com/error?error=redirect_mismatch&client_id=abc"),
            "",
            refusal(302, Some("redirect_mismatch"), None, About::RedirectUri),
        ),
        (
            "a redirect with a code (an SSO session): go on",
            302,
            Some("http://127.0.0.1:8000/callback?code=abc&state=s"),
            "",
            None,
        ),
        ("a redirect without Location", 302, None, "", None),
    ];
    for (name, status, location, body, want) in cases {
        assert_eq!(
            judge(status, location, body.as_bytes(), REDIRECT),
            want,
            "{name}"
        );
    }
}

#[test]
fn a_long_description_is_clipped_and_control_characters_dropped() {
    let body = format!(
        "error: invalid_request\nerror_description: \x1b[31m{}\n",
        "x".repeat(500)
    );
    let got = judge(400, None, body.as_bytes(), REDIRECT).unwrap();
    let description = got.description.unwrap();
    assert!(!description.contains('\x1b'), "{description:?}");
    assert_eq!(description.chars().count(), 200 + "...".len());
}
