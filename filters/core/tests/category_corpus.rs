//! The built-in content categories against the labelled corpus
//! `tests/corpus/categories.jsonl`: every category must reach precision and
//! recall of at least 0.98. (Runs natively and, compiled to wasm32, under
//! Node.)
//!
//! Each line is `{"text": "...", "expect": ["banned", ...]}` (plus an
//! optional `note`): the categories that must be found in the text, none
//! for a negative. Scoring is per text and category: a category found and
//! expected is a true positive, found and not expected a false positive,
//! expected and not found a false negative.
//!
//! The three attack families are scored here as their group
//! `prompt_injection` (found when any family is found); each family is
//! scored on its own in `attack_corpus.rs`.

#![allow(clippy::panic)]

use llm_policy_core::screen::categories::{group, BUILTIN};
use llm_policy_core::screen::phrases::PhraseMatcher;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

mod common;
use common::{Score, THRESHOLD};

const CORPUS: &str = include_str!("../../../tests/corpus/categories.jsonl");
const MIN_POSITIVES: usize = 30;
const MIN_NEGATIVES: usize = 150;

const GROUP: &str = "prompt_injection";

/// The scored names: the built-in categories outside the group, then the group.
fn names() -> Vec<&'static str> {
    let members = group(GROUP).unwrap_or(&[]);
    let mut names: Vec<&str> = BUILTIN
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| !members.contains(n))
        .collect();
    names.push(GROUP);
    names
}

/// The scored slot of the built-in category at `index`.
fn slot(index: usize) -> usize {
    let name = BUILTIN[index].0;
    let names = names();
    let members = group(GROUP).unwrap_or(&[]);
    let name = if members.contains(&name) { GROUP } else { name };
    names.iter().position(|n| *n == name).unwrap_or(0)
}

/// One corpus line: its text and the slots (in [`names`]) of the
/// categories expected in it.
fn parse_line(index: usize, line: &str) -> (String, Vec<usize>) {
    let (text, expect) = common::text_and_expect(index, line);
    let names = names();
    let expect = expect
        .iter()
        .map(|name| {
            let name = name.as_str().unwrap_or_default();
            names
                .iter()
                .position(|n| *n == name)
                .unwrap_or_else(|| panic!("line {index}: unknown category {name:?}"))
        })
        .collect();
    (text, expect)
}

/// Every built-in category, group id = its index in [`BUILTIN`].
fn builtin_matcher() -> PhraseMatcher {
    let lists: Vec<(u16, Vec<String>)> = BUILTIN
        .iter()
        .enumerate()
        .map(|(index, (_, patterns))| {
            let group = u16::try_from(index).unwrap_or_else(|_| panic!("too many categories"));
            (group, patterns.iter().map(|p| p.to_string()).collect())
        })
        .collect();
    PhraseMatcher::new(&lists).unwrap_or_else(|e| panic!("built-in categories: {e}"))
}

/// The categories found in `text`, as slots in [`names`].
fn categories_in(matcher: &PhraseMatcher, text: &str) -> Vec<usize> {
    let mut found = Vec::new();
    matcher.scan(text, &mut found);
    let mut categories: Vec<usize> = found
        .iter()
        .map(|(group, _)| slot(usize::from(*group)))
        .collect();
    categories.sort_unstable();
    categories.dedup();
    categories
}

#[test]
fn builtin_categories_meet_precision_and_recall_on_the_corpus() {
    let matcher = builtin_matcher();
    let names = names();
    let mut scores = vec![Score::default(); names.len()];
    let mut positives = vec![0; names.len()];
    let mut negatives = 0;
    let mut mistakes = Vec::new();
    for (index, line) in CORPUS
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let (text, expect) = parse_line(index + 1, line);
        let found = categories_in(&matcher, &text);
        negatives += usize::from(expect.is_empty());
        for (category, score) in scores.iter_mut().enumerate() {
            let (expected, was_found) = (expect.contains(&category), found.contains(&category));
            positives[category] += usize::from(expected);
            match (expected, was_found) {
                (true, true) => score.tp += 1,
                (false, true) => score.fp += 1,
                (true, false) => score.fn_ += 1,
                (false, false) => continue,
            }
            if expected != was_found {
                let what = if expected { "missed" } else { "false alarm" };
                mistakes.push(format!("{what} {}: {text:?}", names[category]));
            }
        }
    }
    println!(
        "{:<18} {:>4} {:>4} {:>4} {:>9} {:>7}",
        "category", "tp", "fp", "fn", "precision", "recall"
    );
    for (name, score) in names.iter().zip(&scores) {
        println!(
            "{name:<18} {:>4} {:>4} {:>4} {:>9.3} {:>7.3}",
            score.tp,
            score.fp,
            score.fn_,
            score.precision(),
            score.recall()
        );
    }
    println!("negatives: {negatives}");
    for mistake in &mistakes {
        println!("{mistake}");
    }
    for (name, (score, positives)) in names.iter().zip(scores.iter().zip(&positives)) {
        assert!(
            *positives >= MIN_POSITIVES,
            "{name}: only {positives} positives"
        );
        assert!(
            score.precision() >= THRESHOLD,
            "{name}: precision {:.3}",
            score.precision()
        );
        assert!(
            score.recall() >= THRESHOLD,
            "{name}: recall {:.3}",
            score.recall()
        );
    }
    assert!(negatives >= MIN_NEGATIVES, "only {negatives} negatives");
}

#[test]
fn every_corpus_match_is_a_whole_span_of_its_text() {
    let matcher = builtin_matcher();
    for (index, line) in CORPUS
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let (text, _) = parse_line(index + 1, line);
        let mut found = Vec::new();
        matcher.scan(&text, &mut found);
        for (_, span) in found {
            let matched = text.get(span.start..span.end);
            assert!(
                matched.is_some_and(|m| !m.trim().is_empty()),
                "line {}: {span:?}",
                index + 1
            );
        }
    }
}
