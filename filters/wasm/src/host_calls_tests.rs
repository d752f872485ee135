//! Host calls per request, by kind, for the bench's two policies (issue 15):
//! the header-only policy (experiment, canary, breaker) and the embedded
//! default, each through one whole 1 KB chat exchange like the callgrind
//! bench's (`x-user-id`, a JSON completion). A host call that returns a
//! value costs Envoy a call back into the VM to allocate it (~11k
//! instructions), one that returns nothing ~1.2k: these budgets are the
//! per-request fixed cost. Run with `--nocapture` to see the table.
//!
//! Per request (value / none), main 3139dd9 → now: header-only 3 / 18 →
//! 3 / 9 (no shared-data read: breaker and canary halt come from the
//! worker's copies; no increment_metric: counters flush on the tick);
//! default 5 / 21 → 5 / 13. Whole-Envoy callgrind at 1 KB, one run:
//! empty filter 219,880; header-only 359,963 → 343,874; default 541,528 →
//! 519,794. The value calls left: request headers, `:status`, the response
//! chunk the usage counter reads (header-only: ~17k of its cost, the body
//! path's), and in the default also the request body and `content-type`.
//! A streamed response under the default policy costs, per token event,
//! one chunk read and one write (nearly every event's text moves by the
//! held tail), and nothing else.

use crate::canary::CanaryState;
use crate::circuit::Breakers;
use crate::fake::{FakeHost, HostCall};
use crate::hold::HoldState;
use crate::host::Host;
use crate::http::PolicyHttp;
use crate::metrics::Metrics;
use llm_policy_core::guard::round::GuardCaches;
use llm_policy_core::policy::Policy;
use proxy_wasm::traits::{Context, HttpContext};
use std::cell::RefCell;
use std::rc::Rc;

const T0: u64 = 1_700_000_000_000;
const HEADER_ONLY: &str = include_str!("../../../tests/bench/header-only.json");

/// The bench's 1 KB chat body.
fn chat_1k() -> String {
    let text: String = "The quarterly report shows that revenue grew. "
        .repeat(23)
        .chars()
        .take(1000)
        .collect();
    format!(r#"{{"model":"llm","messages":[{{"role":"user","content":"{text}"}}]}}"#)
}

const COMPLETION: &str = r#"{"id":"c","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"The report is fine."},"finish_reason":"stop"}],"usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10}}"#;

/// One worker's state over a fake host, as the root context hands it to
/// each HTTP context.
struct Worker {
    host: Rc<FakeHost>,
    dyn_host: Rc<dyn Host>,
    policy: Rc<Policy>,
    metrics: Rc<Metrics>,
    canary: Rc<CanaryState>,
    breakers: Rc<Breakers>,
    hold: Rc<HoldState>,
    caches: Rc<RefCell<GuardCaches>>,
}

impl Worker {
    fn new(policy: &Policy) -> Worker {
        let host = Rc::new(FakeHost::at(T0));
        host.properties
            .borrow_mut()
            .insert("response.flags".into(), 0u64.to_le_bytes().to_vec());
        let dyn_host: Rc<dyn Host> = host.clone();
        let canary = Rc::new(CanaryState::for_policy(policy));
        canary.create_windows(&*dyn_host);
        Worker {
            metrics: Rc::new(Metrics::new(&dyn_host)),
            host,
            dyn_host,
            policy: Rc::new(policy.clone()),
            canary,
            breakers: Rc::new(Breakers::default()),
            hold: Rc::new(HoldState::new(false)),
            caches: Rc::new(RefCell::new(GuardCaches::new([3; 16]))),
        }
    }

    /// A new HTTP context of this worker (context id 2).
    fn http(&self) -> PolicyHttp {
        PolicyHttp::new(
            Rc::clone(&self.dyn_host),
            Some(Rc::clone(&self.policy)),
            Rc::clone(&self.metrics),
            Rc::clone(&self.canary),
            Rc::clone(&self.breakers),
            Rc::clone(&self.hold),
            Rc::clone(&self.caches),
            2,
        )
    }
}

/// One exchange's host calls by kind, after `warm` exchanges (metric
/// definitions and shared keys are made on first use).
fn calls_per_request(policy: &Policy) -> Vec<(HostCall, usize)> {
    let worker = Worker::new(policy);
    let host = &worker.host;
    let body = chat_1k();
    for _ in 0..3 {
        *host.request_headers.borrow_mut() = vec![
            (":method".into(), "POST".into()),
            (":path".into(), "/v1/chat/completions".into()),
            (":authority".into(), "127.0.0.1".into()),
            (":scheme".into(), "http".into()),
            ("content-type".into(), "application/json".into()),
            ("content-length".into(), body.len().to_string()),
            ("x-user-id".into(), "bench-user".into()),
            ("x-forwarded-proto".into(), "http".into()),
            (
                "x-request-id".into(),
                "8c0d7c4e-0a7b-4e0e-9a50-6b6f1c3f2d11".into(),
            ),
        ];
        *host.request_body.borrow_mut() = body.clone().into_bytes();
        host.response_headers.borrow_mut().clear();
        host.take_call_counts();
        let mut http = worker.http();
        http.on_http_request_headers(9, false);
        http.on_http_request_body(body.len(), true);
        *host.response_headers.borrow_mut() = vec![
            (":status".into(), "200".into()),
            ("content-type".into(), "application/json".into()),
            ("content-length".into(), COMPLETION.len().to_string()),
            ("date".into(), "Tue, 01 Dec 2026 14:00:00 GMT".into()),
            ("server".into(), "envoy".into()),
            ("x-envoy-upstream-service-time".into(), "1".into()),
        ];
        http.on_http_response_headers(6, false);
        *host.response_body.borrow_mut() = COMPLETION.as_bytes().to_vec();
        http.on_http_response_body(COMPLETION.len(), true);
        http.on_log();
        http.on_done();
    }
    host.take_call_counts()
}

fn table(name: &str, counts: &[(HostCall, usize)]) -> (usize, usize) {
    println!("{name}: host calls per request");
    let (mut valued, mut void) = (0, 0);
    for (call, n) in counts {
        let kind = if call.returned_value {
            "value"
        } else {
            "no value"
        };
        println!("  {n:>2} × {:<44} {kind}", call.name);
        if call.returned_value {
            valued += n;
        } else {
            void += n;
        }
    }
    println!("  = {valued} returning a value, {void} returning none");
    (valued, void)
}

fn parse(json: &str) -> Policy {
    match Policy::parse(json.as_bytes()) {
        Ok(p) => p,
        Err(e) => panic!("policy refused: {e}"),
    }
}

fn count(counts: &[(HostCall, usize)], name: &str) -> usize {
    counts
        .iter()
        .filter(|(c, _)| c.name == name)
        .map(|(_, n)| n)
        .sum()
}

#[test]
fn header_only_policy_host_calls_per_request() {
    let counts = calls_per_request(&parse(HEADER_ONLY));
    let (valued, _) = table("header-only", &counts);
    // The request headers, `:status`, the response chunk the usage counter
    // reads, and the unread request body peeked once for `include_usage`
    // (so a stream nobody asked usage for is not read event by event).
    assert_eq!(valued, 4, "{counts:?}");
    assert_eq!(
        count(&counts, "get_shared_data"),
        0,
        "breaker and canary halt come from the worker's copies"
    );
}

#[test]
fn default_policy_host_calls_per_request() {
    let counts = calls_per_request(&parse(""));
    let (valued, _) = table("default", &counts);
    // Request headers and body, `:status` and `content-type`, the response body.
    assert_eq!(valued, 5, "{counts:?}");
    assert_eq!(
        count(&counts, "get_shared_data"),
        0,
        "the canary halt is the worker's copy"
    );
}

/// The host calls of one streamed chat exchange of `events` 4-character
/// token events (as the bench's `sse-500`), after two warm-up exchanges.
fn calls_per_stream(policy: &Policy, events: usize) -> Vec<(HostCall, usize)> {
    let worker = Worker::new(policy);
    let host = &worker.host;
    let body = r#"{"model":"llm","stream":true,"messages":[{"role":"user","content":"Summarise the committee's plan."}]}"#;
    let prose =
        "The committee reviewed the quarterly figures and agreed to revisit the plan next week. ";
    let chunk = |delta: &str, finish: &str| {
        format!(
            "data: {{\"id\":\"chatcmpl-1\",\"created\":1764600000,\"model\":\"llm\",\"object\":\"chat.completion.chunk\",\"choices\":[{{\"index\":0,\"delta\":{delta},\"logprobs\":null,\"finish_reason\":{finish}}}]}}\n\n"
        )
    };
    for _ in 0..3 {
        *host.request_headers.borrow_mut() = vec![
            (":method".into(), "POST".into()),
            (":path".into(), "/v1/chat/completions".into()),
            (":authority".into(), "127.0.0.1".into()),
            ("content-type".into(), "application/json".into()),
            ("content-length".into(), body.len().to_string()),
            ("x-user-id".into(), "bench-user".into()),
        ];
        *host.request_body.borrow_mut() = body.as_bytes().to_vec();
        host.response_headers.borrow_mut().clear();
        host.take_call_counts();
        let mut http = worker.http();
        http.on_http_request_headers(6, false);
        http.on_http_request_body(body.len(), true);
        *host.response_headers.borrow_mut() = vec![
            (":status".into(), "200".into()),
            ("content-type".into(), "text/event-stream".into()),
        ];
        http.on_http_response_headers(2, false);
        let mut send = |event: String, end: bool| {
            *host.response_body.borrow_mut() = event.into_bytes();
            let size = host.response_body.borrow().len();
            http.on_http_response_body(size, end);
        };
        send(chunk(r#"{"role":"assistant","content":""}"#, "null"), false);
        for i in 0..events {
            let at = (i * 4) % (prose.len() - 4);
            let piece = prose.get(at..at + 4).unwrap_or("word");
            send(
                chunk(&format!("{{\"content\":\"{piece}\"}}"), "null"),
                false,
            );
        }
        send(chunk("{}", "\"stop\""), false);
        send("data: [DONE]\n\n".to_string(), true);
        http.on_log();
        http.on_done();
    }
    host.take_call_counts()
}

#[test]
fn default_policy_host_calls_per_streamed_event() {
    let policy = parse("");
    let short = calls_per_stream(&policy, 20);
    let long = calls_per_stream(&policy, 120);
    let per_100: Vec<(HostCall, usize)> = long
        .iter()
        .map(|(c, n)| {
            let before = short.iter().find(|(s, _)| s == c).map_or(0, |(_, m)| *m);
            (*c, n.saturating_sub(before))
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    let (valued, void) = table("default, per 100 more stream events", &per_100);
    // Each token event: its chunk read, and (when the held tail moved the
    // text, as it does for nearly every 4-character event) one write.
    assert_eq!(valued, 100, "{per_100:?}");
    assert!(void <= 100, "{per_100:?}");
}
