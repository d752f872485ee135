//! Streamed-output screening throughput of the embedded default policy: an
//! English answer cut into SSE `chat.completion.chunk` events of 1–7
//! characters, fed to `StreamScreener`. Prints one JSON line: text MB/s,
//! events per second and the most bytes ever held back.
//! `cargo run --release --example stream_throughput`

use llm_policy_core::policy::Policy;
use llm_policy_core::screen::stream::StreamScreener;
use std::rc::Rc;
use std::time::Instant;

#[path = "prose/mod.rs"]
mod prose;
use prose::SENTENCES;

fn main() {
    let Ok(policy) = Policy::embedded_default() else {
        eprintln!("the embedded default policy does not parse");
        std::process::exit(1);
    };
    let Some(screener) = policy.default_rule.screening.clone() else {
        eprintln!("the embedded default policy has no screening");
        std::process::exit(1);
    };
    let mut rng = fastrand::Rng::with_seed(7);
    let mut text = String::new();
    while text.len() < 64 * 1024 {
        text.push_str(SENTENCES[rng.usize(..SENTENCES.len())]);
        text.push(' ');
    }
    let chars: Vec<char> = text.chars().collect();
    let mut events = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let n = rng.usize(1..=7).min(chars.len() - at);
        let piece: String = chars[at..at + n].iter().collect();
        let chunk = serde_json::json!({"id":"c","object":"chat.completion.chunk","model":"m",
            "choices":[{"index":0,"delta":{"content":piece},"logprobs":null,"finish_reason":null}]});
        events.push(format!("data: {chunk}\n\n"));
        at += n;
    }
    let mut bytes = 0usize;
    let mut count = 0usize;
    let start = Instant::now();
    while start.elapsed().as_secs_f64() < 2.0 {
        let mut s = StreamScreener::new(Rc::clone(&screener), None, true);
        for e in &events {
            let _ = s.feed(e.as_bytes(), false);
        }
        let _ = s.feed(b"data: [DONE]\n\n", true);
        bytes += text.len();
        count += events.len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{{\"text_mb_per_s\": {:.2}, \"events_per_s\": {:.0}, \"us_per_event\": {:.3}, \"events\": {count}}}",
        bytes as f64 / secs / 1e6,
        count as f64 / secs,
        secs * 1e6 / count as f64
    );
}
