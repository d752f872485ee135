//! Screening throughput of the embedded default policy on English text, in
//! MB/s: `cargo run --release --example screen_throughput`, or built for
//! wasm32-wasip1 and run under Node's WASI (V8, Envoy's engine) by
//! `tests/bench/run_wasi.mjs`. Prints one JSON line.

use llm_policy_core::policy::Policy;
use llm_policy_core::screen::{Direction, Tally};
use std::time::Instant;

const SENTENCES: &[&str] = &[
    "The operators reviewed the deployment plan before the evening release.",
    "Our quarterly report shows that latency improved by twelve percent after the upgrade.",
    "Please summarize the attached meeting notes and list the open action items.",
    "The model answered every question about routing, quotas and retries.",
    "When the cache is cold, the first request takes noticeably longer than the rest.",
    "She asked whether the new contract terms would apply to existing customers as well.",
    "Write a short poem about the sea, the wind and a lighthouse keeper.",
    "The committee will meet again next Tuesday to discuss the budget proposal.",
    "Translate the following paragraph into French, keeping the formal tone.",
    "Kubernetes schedules the pods onto nodes with enough free memory and GPUs.",
    "I think the second option is better because it keeps the interface simple.",
    "Explain the difference between a process and a thread to a new engineer.",
];

/// About `size` bytes of prose, with an email and a phone number every ~4 KB.
fn corpus(size: usize) -> String {
    let mut rng = fastrand::Rng::with_seed(42);
    let mut text = String::with_capacity(size + 128);
    let mut next_pii = 4096;
    while text.len() < size {
        text.push_str(SENTENCES[rng.usize(..SENTENCES.len())]);
        text.push(' ');
        if text.len() > next_pii {
            text.push_str("Contact jane.doe@example.com or (415) 555-0132 for details. ");
            next_pii += 4096;
        }
    }
    text
}

fn main() {
    let Ok(policy) = Policy::embedded_default() else {
        eprintln!("the embedded default policy does not parse");
        std::process::exit(1);
    };
    let Some(screener) = policy.default_rule.screening.clone() else {
        eprintln!("the embedded default policy has no screening");
        std::process::exit(1);
    };
    let message = 16 * 1024;
    let text = corpus(1 << 20);
    let pieces: Vec<&str> = text
        .as_bytes()
        .chunks(message)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .collect();
    let mut bytes = 0usize;
    let mut findings = 0usize;
    let start = Instant::now();
    while start.elapsed().as_secs_f64() < 2.0 {
        for p in &pieces {
            let mut tally = Tally::default();
            let _ = screener.screen_text(p, Direction::Request, &mut tally, None);
            findings += tally.counts.iter().map(|c| c.2 as usize).sum::<usize>();
            bytes += p.len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{{\"mb_per_s\": {:.1}, \"bytes\": {bytes}, \"seconds\": {secs:.3}, \"findings\": {findings}, \"message_bytes\": {message}}}",
        bytes as f64 / secs / 1e6
    );
}
