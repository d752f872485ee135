// throwaway: callgrind the 16 KB request judge + response screen
use llm_policy_core::flow::{plan, BodyVerdict};
use llm_policy_core::policy::Policy;
use llm_policy_core::request::RequestHead;
use llm_policy_core::screen::body::screen_response_bytes;
fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let size: usize = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(16000);
    let policy = Policy::embedded_default().unwrap();
    let text = "The quarterly report shows that revenue grew. ".repeat(400)[..size].to_string();
    let body = serde_json::json!({"model": "llm", "messages": [{"role": "user", "content": text}]})
        .to_string()
        .into_bytes();
    let resp = format!(
        r#"{{"id": "chatcmpl-0123", "created": 1764590000, "model": "m", "object": "chat.completion", "choices": [{{"index": 0, "message": {{"role": "assistant", "content": "{text}"}}, "logprobs": null, "finish_reason": "stop"}}], "usage": {{"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}}}}"#
    );
    let head = RequestHead {
        method: "POST".into(),
        path: "/v1/chat/completions".into(),
        authority: "l".into(),
        headers: vec![("content-type".into(), "application/json".into())],
        route_name: None,
    };
    let screener = policy.default_rule.screening.clone().unwrap();
    let f = work(n, &policy, &head, &body, &resp, &screener);
    println!("{f}");
}
#[inline(never)]
fn work(
    n: usize,
    policy: &Policy,
    head: &RequestHead,
    body: &[u8],
    resp: &str,
    screener: &std::rc::Rc<llm_policy_core::screen::Screener>,
) -> usize {
    let mut f = 0;
    for _ in 0..n {
        let p = plan(policy, head, true, &mut || String::from("r0"));
        if let BodyVerdict::Forward { rewritten, .. } = p.judge_body(body) {
            if rewritten.is_none() {
                f += 1;
            }
        }
        if let Ok((r, _)) = screen_response_bytes(screener, resp.as_bytes(), None) {
            if r.is_none() {
                f += 1;
            }
        }
    }
    f
}
