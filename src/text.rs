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
/// carriage returns, and line breaks unless `multiline`) becomes `?`.
pub fn sanitize(s: &str, multiline: bool) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && !(multiline && (c == '\n' || c == '\t')) {
                '?'
            } else {
                c
            }
        })
        .collect()
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
    }
}
