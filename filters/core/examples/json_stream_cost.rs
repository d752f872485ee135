//! Cost of screening a large non-streamed chat output whole versus as it
//! passes: `cargo run --release -p llm-policy-core --example json_stream_cost`.

use llm_policy_core::policy::Policy;
use llm_policy_core::screen::body::screen_response_bytes;
use llm_policy_core::screen::json_stream::JsonStreamScreener;
use std::time::Instant;

fn main() {
    let Ok(policy) = Policy::embedded_default() else {
        eprintln!("the embedded default policy does not parse");
        std::process::exit(1);
    };
    let Some(screener) = policy.default_rule.screening.clone() else {
        eprintln!("the embedded default policy has no screening");
        std::process::exit(1);
    };
    let prose =
        "The committee reviewed the quarterly figures and agreed to revisit the plan next week. ";
    let mut text = prose.repeat((4 << 20) / prose.len());
    text.push_str("Write to jane.doe@example.com today.");
    let body = serde_json::json!({"id":"c","object":"chat.completion","choices":[{"index":0,
        "message":{"role":"assistant","content":text},"logprobs":null,"finish_reason":"stop"}],
        "usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}})
    .to_string();
    let mb = body.len() as f64 / 1e6;
    for round in 0..3 {
        let t = Instant::now();
        let Ok(whole) = screen_response_bytes(&screener, body.as_bytes(), None) else {
            eprintln!("the body did not screen");
            std::process::exit(1);
        };
        let whole_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let mut s = JsonStreamScreener::new(screener.clone(), None, true);
        let mut out = Vec::new();
        let chunks: Vec<&[u8]> = body.as_bytes().chunks(64 << 10).collect();
        for (i, c) in chunks.iter().enumerate() {
            out.extend(s.feed(c, i + 1 == chunks.len()));
        }
        let stream_s = t.elapsed().as_secs_f64();
        let same = whole.0.as_deref() == Some(out.as_slice());
        println!(
            "round {round}: {mb:.1} MB  whole {:.0} MB/s  stream {:.0} MB/s  identical bytes: {same}",
            mb / whole_s,
            mb / stream_s
        );
    }
}
