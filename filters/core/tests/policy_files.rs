//! Every document under `policies/` goes through the filter's parser: the
//! default and the examples must load, each file in `policies/invalid/` must
//! be refused with exactly the message in its `.expected` twin.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::panic)]

use llm_policy_core::policy::Policy;
use std::fs;
use std::path::{Path, PathBuf};

fn policies_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies")
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// The examples take their trust token from the VM environment (`value_env`).
fn example_environment(name: &str) -> Option<String> {
    (name == "LLM_POLICY_TRUST_TOKEN").then(|| "example-trust-token-0123456789".to_string())
}

#[test]
fn default_and_examples_load() {
    let dir = policies_dir();
    let mut files = json_files(&dir.join("examples"));
    files.push(dir.join("default.json"));
    assert!(
        files.len() >= 3,
        "expected the default and at least two examples"
    );
    for file in files {
        let bytes = fs::read(&file).unwrap();
        if let Err(e) = Policy::parse_with_env(&bytes, &example_environment) {
            panic!("{}: refused: {e}", file.display());
        }
    }
}

#[test]
fn invalid_examples_are_refused_with_their_expected_message() {
    let files = json_files(&policies_dir().join("invalid"));
    assert!(files.len() >= 5, "expected deliberately bad examples");
    for file in files {
        let expected = fs::read_to_string(file.with_extension("expected"))
            .unwrap_or_else(|e| panic!("{}: no .expected twin: {e}", file.display()));
        match Policy::parse(&fs::read(&file).unwrap()) {
            Ok(_) => panic!("{}: accepted, expected refusal", file.display()),
            Err(e) => assert_eq!(e.to_string(), expected.trim(), "{}", file.display()),
        }
    }
}

#[test]
fn empty_configuration_means_the_embedded_default() {
    let embedded = Policy::embedded_default().unwrap();
    assert_eq!(Policy::parse(b"").unwrap(), embedded);
    assert_eq!(Policy::parse(b" \n").unwrap(), embedded);
    let file = fs::read(policies_dir().join("default.json")).unwrap();
    assert_eq!(Policy::parse(&file).unwrap(), embedded);
}
