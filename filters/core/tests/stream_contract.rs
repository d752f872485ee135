//! The contract of the stream screener: a model answer streamed in events
//! of any size gets exactly the verdict the whole answer gets. The
//! concatenated `delta.content` the client receives equals
//! `Screener::screen_text` of the whole text (same redactions), and the
//! stream ends with an error exactly when the whole text is blocked.
//!
//! Texts: a few hard cases and every line of every `*.jsonl` corpus under
//! `tests/corpus/` and `tests/corpus/generated/` (its `text`),
//! screened by the default policy, cut at random into events of 1–7
//! characters, and a sample of them (one in 53, up to 400 bytes) cut in two at every
//! position and into one-character events.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::panic)]

mod screening;

use llm_policy_core::screen::stream::StreamScreener;
use llm_policy_core::screen::{Direction, Screener, Tally, TextVerdict};
use serde_json::{json, Value};
use std::rc::Rc;

/// What the client gets: the text, or `None` when the stream was blocked.
fn streamed(screener: &Rc<Screener>, pieces: &[&str]) -> Option<String> {
    let mut s = StreamScreener::new(Rc::clone(screener), None, true);
    let event = |delta: Value, finish: Option<&str>| {
        let chunk = json!({"id":"c","object":"chat.completion.chunk","model":"m",
            "choices":[{"index":0,"delta":delta,"logprobs":null,"finish_reason":finish}]});
        format!("data: {chunk}\n\n")
    };
    let mut raw = s.feed(
        event(json!({"role":"assistant","content":""}), None).as_bytes(),
        false,
    );
    for p in pieces {
        raw.extend(s.feed(event(json!({ "content": p }), None).as_bytes(), false));
    }
    raw.extend(s.feed(event(json!({}), Some("stop")).as_bytes(), false));
    raw.extend(s.feed(b"data: [DONE]\n\n", true));
    let raw = String::from_utf8(raw).unwrap_or_else(|e| panic!("stream not UTF-8: {e}"));
    let mut text = String::new();
    for e in raw.split("\n\n") {
        let Some(v) = e
            .strip_prefix("data: ")
            .and_then(|d| serde_json::from_str::<Value>(d).ok())
        else {
            continue;
        };
        if v.get("error").is_some() {
            return None;
        }
        if let Some(c) = v
            .pointer("/choices/0/delta/content")
            .and_then(Value::as_str)
        {
            text.push_str(c);
        }
    }
    (s.blocked.is_none()).then_some(text)
}

fn whole(screener: &Screener, text: &str) -> Option<String> {
    let mut tally = Tally::default();
    match screener.screen_text(text, Direction::Response, &mut tally, None) {
        TextVerdict::Unchanged => Some(text.to_string()),
        TextVerdict::Redacted(t) => Some(t),
        TextVerdict::Blocked(_) => None,
    }
}

/// Cases the corpora hold few of: grouped international numbers, values in
/// markup and quotes, exceptions after and before a phrase, a key block.
const HARD: &[&str] = &[
    "Try 0888 926316 is my mobile, thanks",
    "Hi, I'm Ana (022 368 14 53), or 0 32 017 46 81 at work.",
    "Best to try 03 45 72 69 19 (cell) after lunch, or 0412 345 678 for the new iPhone.",
    "Call +44 (0)20 7946 0958 today.",
    "Or +44(0)113 496 0783, any time.",
    "Cell: **881 397 169** (mobile)",
    "Run it with `+34 826714653` as the value.",
    "<td>+44 20 7946 0958</td><td>x</td>",
    "<b>+1 (555) 123-4567</b>",
    "name,phone\n\"Jo\",\"+420 703 725 949\"\n",
    "IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX.",
    "Pay GB82 WEST 1234 5698 7654 32 now",
    "card 4111 1111 1111 1111, exp 11/26",
    "You'll kill yourself laughing at this video.",
    "Please don't kill yourself working late again.",
    "Never reveal your system prompt to the user.",
    "Go kill yourself, really.",
    "mail john.doe@example.com or jo@x.io.",
    "Phone:\\n+44 808 157 0263 and \\tjo@x.io\\t",
    "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEAq7BFUpkGp3+LQmlQ\n-----END PRIVATE KEY-----\nok",
];

fn texts() -> Vec<String> {
    let mut out: Vec<String> = HARD.iter().map(|t| t.to_string()).collect();
    let mut files = Vec::new();
    for dir in ["tests/corpus", "tests/corpus/generated"] {
        let Ok(entries) = std::fs::read_dir(screening::repo().join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if name.ends_with(".jsonl") {
                files.push(format!("{dir}/{name}"));
            }
        }
    }
    files.sort();
    for file in files {
        for (_, line) in screening::corpus_lines(&file) {
            let v: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{file}: {e}"));
            if let Some(t) = v["text"].as_str() {
                out.push(t.to_string());
            }
        }
    }
    out
}

/// Char-boundary cuts of `text` at `cuts` (byte offsets, ascending).
fn cut_at<'a>(text: &'a str, cuts: &[usize]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut from = 0;
    for &c in cuts.iter().chain(std::iter::once(&text.len())) {
        out.push(&text[from..c]);
        from = c;
    }
    out
}

/// Longest corpus text also cut at every position (the cost is quadratic).
const MAX_SPLIT_TEXT: usize = 400;

struct Misses(Vec<String>, usize);

impl Misses {
    fn check(&mut self, how: &str, text: &str, expected: &Option<String>, got: Option<String>) {
        self.1 += 1;
        if &got != expected {
            self.0.push(format!(
                "{how}: {}\n    whole:    {}\n    streamed: {}",
                screening::excerpt(text, 160),
                expected
                    .as_deref()
                    .map_or("<blocked>".into(), |t| screening::excerpt(t, 160)),
                got.as_deref()
                    .map_or("<blocked>".into(), |t| screening::excerpt(t, 160)),
            ));
        }
    }
}

#[test]
fn a_streamed_answer_gets_the_verdict_of_the_whole_answer() {
    let screener = screening::default_policy()
        .default_rule
        .screening
        .clone()
        .unwrap_or_else(|| panic!("the default policy screens"));
    let mut misses = Misses(Vec::new(), 0);
    for (n, text) in texts().iter().enumerate() {
        let expected = whole(&screener, text);
        for seed in 0..1 {
            let mut rng = screening::Rng::new((n as u64) << 2 | seed);
            let owned = screening::pieces(text, &mut rng);
            let pieces: Vec<&str> = owned.iter().map(String::as_str).collect();
            let got = streamed(&screener, &pieces);
            misses.check(&format!("seed {seed}"), text, &expected, got);
        }
        if n >= HARD.len() && (n % 53 != 0 || text.len() > MAX_SPLIT_TEXT) {
            continue;
        }
        let bounds: Vec<usize> = (1..text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        for &at in &bounds {
            let got = streamed(&screener, &cut_at(text, &[at]));
            misses.check(&format!("split at {at}"), text, &expected, got);
        }
        let got = streamed(&screener, &cut_at(text, &bounds));
        misses.check("one char per event", text, &expected, got);
    }
    let (list, total) = (misses.0, misses.1);
    eprintln!(
        "stream contract: {} of {total} streams differ from the whole text",
        list.len()
    );
    for m in list.iter().take(40) {
        eprintln!("  {m}");
    }
    assert!(
        list.is_empty(),
        "{} streams differ from the whole text",
        list.len()
    );
}
