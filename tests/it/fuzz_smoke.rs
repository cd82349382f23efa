//! The fuzz targets on the stable toolchain: every seed and every crash kept in
//! fuzz/corpus/<target>/ is replayed, then a few thousand deterministic mutations of them
//! (bit flips, truncations, splices, repeated bytes, interesting values). A panic fails the
//! test and names the target and the input, so it can be added to the corpus.

use std::path::Path;

use kubectl_oidc::fuzz_targets::ALL;

use crate::common::Rng;

const INTERESTING: &[&[u8]] = &[
    b"\x00",
    b"\xff",
    b"%",
    b"%zz",
    b"=",
    b"&",
    b"?",
    b".",
    b"..",
    b"\"",
    b"{",
    b"}",
    b"[",
    b"]",
    b"\\u0000",
    b"\r\n",
    b"\r\n\r\n",
    b"1e308",
    b"-1",
    b"18446744073709551616",
    b"null",
    b"true",
    b"\xf0\x9f\x92",
    b"~",
    b"!!",
    b"*a",
    b"&a",
];

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..=rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(6) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 => data.truncate(at),
            2 => {
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len() + 1);
                data.splice(at..at, other[from..].iter().copied());
            }
            3 => {
                let v = INTERESTING[rng.below(INTERESTING.len())];
                data.splice(at..at, v.iter().copied());
            }
            4 if !data.is_empty() => {
                let i = rng.below(data.len());
                let b = data[i];
                data.splice(i..i, std::iter::repeat_n(b, rng.below(64)));
            }
            _ => {
                let end = (at + rng.below(8)).min(data.len());
                data.drain(at..end);
            }
        }
    }
    data
}

/// Each target of `fuzz_targets::ALL` is one cargo-fuzz can run: its file in fuzz/fuzz_targets/,
/// calling it, and its `[[bin]]` in fuzz/Cargo.toml (the seeds are checked below).
#[test]
fn every_fuzz_target_has_its_cargo_fuzz_binary() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let manifest = std::fs::read_to_string(fuzz.join("Cargo.toml")).unwrap();
    for (name, _) in ALL {
        let file = fuzz.join(format!("fuzz_targets/{name}.rs"));
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("{name}: {}: {e}", file.display()));
        assert!(text.contains(&format!("fuzz_targets::{name}(")), "{text}");
        assert!(
            manifest.contains(&format!(
                "name = \"{name}\"\npath = \"fuzz_targets/{name}.rs\""
            )),
            "{name}: no [[bin]] in fuzz/Cargo.toml"
        );
    }
}

#[test]
fn every_fuzz_target_survives_its_corpus_and_mutations_of_it() {
    const MUTATIONS: usize = 3000;
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    for (i, (name, target)) in ALL.iter().enumerate() {
        let dir = corpus.join(name);
        let mut seeds: Vec<Vec<u8>> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| std::fs::read(e.path()).unwrap())
            .collect();
        assert!(!seeds.is_empty(), "{name}: no seeds in {}", dir.display());
        seeds.push(Vec::new());
        let mut rng = Rng(0x00f0_22ed + i as u64);
        let inputs = seeds
            .clone()
            .into_iter()
            .chain((0..MUTATIONS).map(|_| mutate(&mut rng, &seeds)));
        for input in inputs {
            let ok = std::panic::catch_unwind(|| target(&input));
            assert!(
                ok.is_ok(),
                "fuzz target {name} panicked on {:?}",
                String::from_utf8_lossy(&input)
            );
        }
    }
}
