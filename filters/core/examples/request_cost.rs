//! Drives the core through N requests (plan + body judgement) so that
//! `valgrind --tool=callgrind` can count instructions per request.
//! Usage: `request_cost [requests] [body_bytes]`.

use llm_policy_core::flow::{plan, BodyVerdict};
use llm_policy_core::policy::Policy;
use llm_policy_core::request::RequestHead;

fn chat_body(bytes: usize) -> Vec<u8> {
    let word = "lorem ipsum dolor sit amet ";
    let text: String = word.repeat(bytes / word.len() + 1)[..bytes.saturating_sub(120)].to_string();
    format!(
        r#"{{"model":"llm","messages":[{{"role":"user","content":"{text}"}}],"max_tokens":16}}"#
    )
    .into_bytes()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let requests: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let bytes: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1024);
    let Ok(policy) = Policy::embedded_default() else {
        eprintln!("embedded default policy refused");
        std::process::exit(2);
    };
    let body = chat_body(bytes);
    let head = RequestHead {
        method: "POST".into(),
        path: "/v1/chat/completions".into(),
        authority: "localhost:10000".into(),
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("x-user-id".into(), "user-1".into()),
        ],
        route_name: None,
    };
    let mut forwarded = 0usize;
    for _ in 0..requests {
        let p = plan(&policy, &head, true, &mut || String::from("r0"));
        if let BodyVerdict::Forward { .. } = p.judge_body(&body) {
            forwarded += 1;
        }
    }
    println!(
        "requests={requests} body_bytes={} forwarded={forwarded}",
        body.len()
    );
}
