//! One libFuzzer binary for every target in `llm_policy_core::fuzzing::TARGETS`;
//! the target is chosen by the `FUZZ_TARGET` environment variable.
#![no_main]

use libfuzzer_sys::fuzz_target;
use llm_policy_core::fuzzing::TARGETS;
use std::sync::OnceLock;

fn target() -> fn(&[u8]) {
    static CHOSEN: OnceLock<fn(&[u8])> = OnceLock::new();
    *CHOSEN.get_or_init(|| {
        let name = std::env::var("FUZZ_TARGET").unwrap_or_default();
        match TARGETS.iter().find(|(n, _)| *n == name) {
            Some((_, f)) => *f,
            None => {
                let names: Vec<&str> = TARGETS.iter().map(|(n, _)| *n).collect();
                eprintln!("FUZZ_TARGET must be one of {names:?}");
                std::process::exit(2);
            }
        }
    })
}

fuzz_target!(|data: &[u8]| target()(data));
