//! The format library's validators and their texts, by release, as cel-go and apimachinery give them.

use super::*;

fn v(name: &'static str, minor: u8, s: &str) -> Vec<String> {
    validate(&Format { name, minor }, s)
}

/// Texts as apimachinery v0.34.4 and v0.37.2 print them.
#[test]
fn formats_validate_with_the_releases_texts() {
    assert!(v("dns1123Label", 37, "my-name").is_empty());
    assert_eq!(v("dns1123Label", 37, "a.b"), ["must not contain dots"]);
    assert_eq!(
        v("dns1123Label", 37, "A"),
        [
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
        ]
    );
    assert!(v("dns1123LabelPrefix", 37, "abc-").is_empty());
    assert!(v("dns1035Label", 37, "1abc").len() == 1);
    assert_eq!(
        v("qualifiedName", 37, "a/b/c")[0][..18].to_owned(),
        "a valid label key "
    );
    assert_eq!(
        v("qualifiedName", 34, "a/b/c")[0][..17].to_owned(),
        "a qualified name "
    );
    let long = "a".repeat(64);
    assert_eq!(
        v("labelValue", 37, &long),
        ["must be no more than 63 bytes"]
    );
    assert_eq!(
        v("labelValue", 34, &long),
        ["must be no more than 63 characters"]
    );
    assert!(v("labelValue", 37, "").is_empty());
    assert!(v("uuid", 37, "123e4567-E89B-12d3-a456-426614174000").is_empty());
    assert!(v("uuid", 37, "123e4567e89b12d3a456426614174000").is_empty());
    assert_eq!(v("uuid", 37, "x"), ["does not match the UUID format"]);
    assert!(v("byte", 37, "aGk=").is_empty());
    assert_eq!(v("byte", 37, ""), ["invalid base64"]);
    assert!(v("date", 37, "2024-02-29").is_empty());
    assert_eq!(v("date", 37, "2023-02-29"), ["invalid date"]);
    assert!(v("datetime", 37, "2024-01-01T10:00:00Z").is_empty());
    assert!(v("datetime", 37, "2024-01-01t10:00:00.123+01:00").is_empty());
    assert_eq!(
        v("datetime", 37, "2024-01-01T24:00:00Z"),
        ["invalid datetime"]
    );
    assert_eq!(
        v("uri", 37, "example.com"),
        ["parse \"example.com\": invalid URI for request"]
    );
}
