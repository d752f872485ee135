//! Native cost of screening the bench's streamed answer (`sse-500` in
//! `tests/bench/envoy_instructions.py`): the mock's prose, 2,000 characters
//! in 4-character `chat.completion.chunk` events (a role event, 500 token
//! events, the finish event, `[DONE]`), fed to `StreamScreener` one event
//! per chunk, `N` times (the first argument, default 1). For callgrind:
//! per event = (Ir(3) - Ir(1)) / (2 * 503).
//! `cargo build --release -p llm-policy-core --example stream_cost`

use llm_policy_core::policy::Policy;
use llm_policy_core::screen::stream::StreamScreener;
use std::rc::Rc;

const PAD_PROSE: &str =
    "The committee reviewed the quarterly figures and agreed to revisit the plan next week. ";

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1);
    let Ok(policy) = Policy::embedded_default() else {
        eprintln!("the embedded default policy does not parse");
        std::process::exit(1);
    };
    let Some(screener) = policy.default_rule.screening.clone() else {
        eprintln!("the embedded default policy has no screening");
        std::process::exit(1);
    };
    let text: String = PAD_PROSE.repeat(2000 / PAD_PROSE.len() + 1)[..2000].to_string();
    let head = r#"{"id":"chatcmpl-0123456789abcdef01234567","created":1764600000,"model":"llm","object":"chat.completion.chunk","choices":["#;
    let choice = |delta: serde_json::Value, finish: Option<&str>| serde_json::json!({"index":0,"delta":delta,"logprobs":null,"finish_reason":finish});
    let mut events = vec![format!(
        "data: {head}{}]}}\n\n",
        choice(serde_json::json!({"role":"assistant","content":""}), None)
    )];
    for piece in text.as_bytes().chunks(4) {
        let piece = std::str::from_utf8(piece).unwrap_or_default();
        events.push(format!(
            "data: {head}{}]}}\n\n",
            choice(serde_json::json!({ "content": piece }), None)
        ));
    }
    events.push(format!(
        "data: {head}{}]}}\n\n",
        choice(serde_json::json!({}), Some("stop"))
    ));
    events.push("data: [DONE]\n\n".to_string());
    let mut sent = 0usize;
    for _ in 0..rounds {
        let mut s = StreamScreener::new(Rc::clone(&screener), None, true);
        let last = events.len() - 1;
        for (i, e) in events.iter().enumerate() {
            sent += s.feed(e.as_bytes(), i == last).len();
        }
    }
    println!(
        "{{\"events\": {}, \"bytes_out\": {sent}}}",
        events.len() * rounds
    );
}
