//! Screening throughput of the embedded default policy on English text, in
//! MB/s: `cargo run --release --example screen_throughput`, or built for
//! wasm32-wasip1 and run under Node's WASI (V8, Envoy's engine) by
//! `tests/bench/run_wasi.mjs`. Prints one JSON line. With
//! `SCREEN_THROUGHPUT_ROUNDS=n` it screens the corpus exactly `n` times
//! instead of for two seconds, so that the instructions of two runs under
//! callgrind (`n` = 1 and 2) differ by the cost of one round alone.

use llm_policy_core::policy::Policy;
use llm_policy_core::screen::{Direction, Tally};
use std::time::Instant;

#[path = "prose/mod.rs"]
mod prose;
use prose::corpus;

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
    let rounds: Option<usize> = std::env::var("SCREEN_THROUGHPUT_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok());
    let start = Instant::now();
    let mut round = 0;
    while rounds.map_or(start.elapsed().as_secs_f64() < 2.0, |n| round < n) {
        round += 1;
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
