//! The built-in PII detectors against the labelled corpus
//! `tests/corpus/pii.jsonl`: every kind must reach precision and recall of
//! at least 0.98. (Runs natively and, compiled to wasm32, under Node.)
//!
//! A match counts as a true positive when an expected entry of the same
//! line has its kind and exactly its text; any other match is a false
//! positive, and every expected entry left unmatched a false negative.

#![allow(clippy::panic)]

use llm_policy_core::screen::pii::{PiiKind, PiiMatch, PiiScanner};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

mod common;
use common::{Score, THRESHOLD};

const CORPUS: &str = include_str!("../../../tests/corpus/pii.jsonl");

/// One corpus line: its text and the expected (kind, text) pairs.
fn parse_line(index: usize, line: &str) -> (String, Vec<(PiiKind, String)>) {
    let (text, expect) = common::text_and_expect(index, line);
    let expect = expect
        .iter()
        .map(|e| {
            let kind = e["kind"].as_str().and_then(PiiKind::from_name);
            let kind = kind.unwrap_or_else(|| panic!("line {index}: bad kind {e}"));
            let value = e["value"]
                .as_str()
                .unwrap_or_else(|| panic!("line {index}: bad value"));
            (kind, value.to_string())
        })
        .collect();
    (text, expect)
}

fn kind_index(kind: PiiKind) -> usize {
    PiiKind::ALL.iter().position(|&k| k == kind).unwrap_or(0)
}

#[test]
fn pii_corpus_precision_and_recall() {
    let scanner = PiiScanner::new(&PiiKind::ALL);
    let mut scores = [Score::default(); PiiKind::ALL.len()];
    let mut misses: Vec<String> = Vec::new();
    let mut found: Vec<PiiMatch> = Vec::new();
    let mut lines = 0;
    for (index, line) in CORPUS
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        lines += 1;
        let (text, mut expected) = parse_line(index, line);
        found.clear();
        scanner.scan(&text, &mut found);
        for m in &found {
            let got = &text[m.span.start..m.span.end];
            let score = &mut scores[kind_index(m.kind)];
            match expected.iter().position(|(k, v)| *k == m.kind && v == got) {
                Some(at) => {
                    expected.swap_remove(at);
                    score.tp += 1;
                }
                None => {
                    score.fp += 1;
                    misses.push(format!("line {index}: false positive {}", m.kind.name()));
                }
            }
        }
        for (kind, _) in expected {
            scores[kind_index(kind)].fn_ += 1;
            misses.push(format!("line {index}: false negative {}", kind.name()));
        }
    }

    println!("{lines} lines");
    println!(
        "{:<8} {:>5} {:>4} {:>4} {:>9} {:>7}",
        "kind", "tp", "fp", "fn", "precision", "recall"
    );
    for (kind, s) in PiiKind::ALL.iter().zip(&scores) {
        println!(
            "{:<8} {:>5} {:>4} {:>4} {:>9.3} {:>7.3}",
            kind.name(),
            s.tp,
            s.fp,
            s.fn_,
            s.precision(),
            s.recall()
        );
    }
    for miss in &misses {
        println!("{miss}");
    }
    for (kind, s) in PiiKind::ALL.iter().zip(&scores) {
        assert!(
            s.tp >= 40,
            "{}: only {} positives in the corpus",
            kind.name(),
            s.tp
        );
        assert!(
            s.precision() >= THRESHOLD && s.recall() >= THRESHOLD,
            "{}: precision {:.3}, recall {:.3} (below {THRESHOLD}); misses: {misses:?}",
            kind.name(),
            s.precision(),
            s.recall()
        );
    }
}
