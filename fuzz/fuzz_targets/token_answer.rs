#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kubectl_oidc::fuzz_targets::token_answer(data));
