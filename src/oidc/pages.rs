//! PURE. The pages the login callback answers the browser with: what happened, what to do
//! next, in a page of their own (inline style, nothing fetched from elsewhere, readable as
//! plain text too). Provider text in them is HTML-escaped; nothing secret is ever put in one
//! (no code, state or token: the issuer and the provider's error at most).

const STYLE: &str = "body{margin:0;background:#f3f5f7;color:#1f2933;\
font:16px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif}\
main{max-width:36em;margin:10vh auto;padding:2em 2.4em;background:#fff;border-radius:12px;\
box-shadow:0 1px 3px rgba(0,0,0,.08),0 8px 24px rgba(0,0,0,.06)}\
.mark{width:2.2em;height:2.2em;border-radius:50%;color:#fff;font-size:1.4em;font-weight:700;\
display:flex;align-items:center;justify-content:center}\
.ok .mark{background:#1a7f37}.fail .mark{background:#c62828}\
h1{font-size:1.45em;margin:.6em 0 .5em}p{margin:.55em 0}\
b{font-weight:600}code{background:#eef1f4;padding:.1em .35em;border-radius:4px;font-size:.92em}\
footer{margin-top:1.8em;padding-top:1em;border-top:1px solid #e4e7eb;color:#7b8794;font-size:.82em}";

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A page: `title` (the tab's and the heading's), a mark, paragraphs of HTML (escaped by the
/// caller), and extra `<head>` lines.
fn page(class: &str, mark: &str, title: &str, body: &[String], head: &str, script: &str) -> String {
    let paragraphs: String = body.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8>\
<meta name=viewport content=\"width=device-width,initial-scale=1\">\
<title>{title} · kubectl-oidc</title>{head}<style>{STYLE}</style></head>\
<body><main class={class}><div class=mark aria-hidden=true>{mark}</div><h1>{title}</h1>{paragraphs}\
<footer>kubectl-oidc: OpenID Connect logins for kubectl</footer></main>{script}</body></html>"
    )
}

/// The page of a login that worked, or one that sends the browser on to `next`
/// (`--open-url-after-authentication`, an http(s) URL).
pub fn success(issuer: &str, next: Option<&str>) -> String {
    let issuer = escape(issuer);
    let done = format!("<b>What happened:</b> kubectl-oidc has your login at <b>{issuer}</b>.");
    match next {
        None => page(
            "ok",
            "&#10003;",
            "You are logged in",
            &[
                done,
                "<b>What to do next:</b> go back to the terminal; kubectl carries on by itself. \
                 You can close this tab."
                    .to_owned(),
            ],
            "",
            "<script>window.close()</script>",
        ),
        Some(url) => {
            let url = escape(url);
            page(
                "ok",
                "&#10003;",
                "You are logged in",
                &[done, format!("Opening <a href=\"{url}\">{url}</a>&hellip;")],
                &format!("<meta http-equiv=\"refresh\" content=\"0;url={url}\">"),
                "",
            )
        }
    }
}

/// The page of a login that did not finish: `what` happened (the provider's error, or why the
/// callback was not taken) and `todo`, what to do about it; both plain text.
pub fn failure(what: &str, todo: &str) -> String {
    page(
        "fail",
        "&#10005;",
        "The login did not finish",
        &[
            format!("<b>What happened:</b> {}", escape(what)),
            format!("<b>What to do:</b> {}", escape(todo)),
        ],
        "",
        "",
    )
}

/// What to do after the provider refused the login.
pub const AFTER_REFUSAL: &str = "go back to the terminal: kubectl-oidc says there what failed \
and how to fix it; then log in again (kubectl oidc login). You can close this tab.";

/// What to do after a callback that was not this login's.
pub const AFTER_REJECTION: &str = "if you started a login, finish it in the newest tab it opened, \
or run kubectl oidc login again. You can close this tab.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_say_what_happened_and_what_to_do_and_escape_provider_text() {
        let ok = success("https://idp.example.com/<x>", None);
        assert!(ok.contains("<title>You are logged in · kubectl-oidc</title>"));
        assert!(
            ok.contains("What to do next:") && ok.contains("https://idp.example.com/&lt;x&gt;")
        );
        let on = success("https://idp", Some("https://wiki.example.com/?a=1&b=\"2\""));
        assert!(on.contains(
            "<meta http-equiv=\"refresh\" content=\"0;url=https://wiki.example.com/?a=1&amp;b=&quot;2&quot;\">"
        ));
        let fail = failure(
            "The provider said: <script>alert(1)</script>",
            AFTER_REFUSAL,
        );
        assert!(fail.contains("&lt;script&gt;") && !fail.contains("<script>alert"));
        assert!(fail.contains("What happened:") && fail.contains("What to do:"));
        // Nothing is fetched from elsewhere.
        for p in [ok, on, fail] {
            assert!(!p.contains("src=") && !p.contains("<link"), "{p}");
        }
    }
}
