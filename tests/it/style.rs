//! The size rules ARCHITECTURE.md states (issue 19 item 5), held by the suite: no function in
//! `src` over about 60 lines and no file over about 450, tests aside. A data table may be
//! longer when it is named here with the reason.

use std::path::{Path, PathBuf};

/// About 60 lines: from the `fn` line to its closing brace, as rustfmt lays it out.
const MAX_FN_LINES: usize = 64;
const MAX_FILE_LINES: usize = 450;

/// Functions that are tables, not logic: (file, function).
const TABLES: &[(&str, &str)] = &[
    // The provider profiles: one entry per provider, read by settings, auth and the doctor.
    ("src/presets.rs", "preset"),
];

#[test]
fn no_function_or_file_in_src_is_too_long() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    assert!(files.len() > 50, "src was not found: {}", root.display());
    let mut too_long = Vec::new();
    for path in files {
        let name = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        if lines.len() > MAX_FILE_LINES {
            too_long.push(format!("{name}: {} lines", lines.len()));
        }
        for (function, n) in functions(&lines) {
            if n > MAX_FN_LINES && !TABLES.contains(&(name.as_str(), function)) {
                too_long.push(format!("{name}: fn {function}, {n} lines"));
            }
        }
    }
    assert!(
        too_long.is_empty(),
        "over {MAX_FN_LINES} lines a function or {MAX_FILE_LINES} a file (split it, or move its \
         tests to a sibling <file>_tests.rs):\n{}",
        too_long.join("\n")
    );
}

/// Issue 30 item 3 (ARCHITECTURE.md, "Rules the code keeps"): a provider's failure is a
/// `ProviderError` built in `oidc/` (from every answer, on its one request path), classified by
/// `error::classify` alone; nothing else builds one (tests aside).
#[test]
fn provider_errors_are_built_in_oidc_alone() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let outside: Vec<String> = files
        .iter()
        .map(|p| {
            p.strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .filter(|name| !name.starts_with("src/oidc/") && name != "src/error.rs")
        .filter(|name| {
            let text = std::fs::read_to_string(root.join(name)).unwrap();
            // Unit tests at the end of a file may build one to test with.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            code.contains("ProviderError::new(")
        })
        .collect();
    assert!(
        outside.is_empty(),
        "ProviderError built outside oidc/: {outside:?}"
    );
}

/// The `.rs` files under `dir` that are not tests (`tests/` directories, `*tests.rs`).
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "tests" {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") && !name.ends_with("tests.rs") {
            out.push(path);
        }
    }
}

/// Every function with a body before the file's `#[cfg(test)]`, and its length in lines (the
/// `fn` line to the brace that closes it at the same indent).
fn functions<'a>(lines: &[&'a str]) -> Vec<(&'a str, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        if let Some(name) = fn_name(line) {
            let indent = &line[..line.len() - line.trim_start().len()];
            let close = format!("{indent}}}");
            let end = (i..lines.len())
                .find(|&j| lines[j].starts_with(&close))
                .unwrap_or(lines.len() - 1);
            out.push((name, end - i + 1));
            i = end;
        }
        i += 1;
    }
    out
}

/// The name of the function a line starts, if it starts one with a body.
fn fn_name(line: &str) -> Option<&str> {
    if line.trim_end().ends_with(';') {
        return None;
    }
    let mut rest = line.trim_start();
    for qualifier in [
        "pub(crate) ",
        "pub(super) ",
        "pub ",
        "const ",
        "async ",
        "unsafe ",
    ] {
        rest = rest.strip_prefix(qualifier).unwrap_or(rest);
    }
    let rest = rest.strip_prefix("fn ")?;
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

#[test]
fn the_scanner_measures_a_function_from_its_line_to_its_brace() {
    let lines = [
        "pub(super) fn one(x: u8) -> u8 {",
        "    x",
        "}",
        "fn declared();",
        "    pub fn two() {",
        "        let s = \"fn not_one() {\";",
        "    }",
        "#[cfg(test)]",
        "fn tested() {",
        "}",
    ];
    assert_eq!(functions(&lines), [("one", 3), ("two", 3)]);
}
