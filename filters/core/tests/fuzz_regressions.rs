//! Replays every input under `fuzz/regressions/<target>/` through its fuzz
//! target (`llm_policy_core::fuzzing`): crashes `make fuzz` found, and inputs
//! chosen by hand, stay fixed.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::panic)]

use llm_policy_core::fuzzing::TARGETS;
use std::path::Path;

#[test]
fn every_regression_input_passes_its_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions");
    let mut replayed = 0;
    for (name, target) in TARGETS {
        let Ok(entries) = std::fs::read_dir(root.join(name)) else {
            continue;
        };
        let mut files: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for file in files {
            let data = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            target(&data);
            replayed += 1;
        }
    }
    assert!(
        replayed >= TARGETS.len(),
        "expected inputs for every target, replayed {replayed}"
    );
}
