//! The adapter against a fake host: what it reads, what it writes back.

use crate::canary::CanaryState;
use crate::fake::FakeHost;
use crate::hold::HoldState;
use crate::host::Host;
use crate::http::PolicyHttp;
use crate::metrics::Metrics;
use llm_policy_core::policy::Policy;
use proxy_wasm::traits::HttpContext;
use proxy_wasm::types::Action;
use std::rc::Rc;

const T0: u64 = 1_700_000_000_000;

struct Proxy {
    host: Rc<FakeHost>,
    policy: Rc<Policy>,
    metrics: Rc<Metrics>,
    canary: Rc<CanaryState>,
    hold: Rc<HoldState>,
}

impl Proxy {
    fn new(policy: &str) -> Proxy {
        let policy = match Policy::parse(policy.as_bytes()) {
            Ok(p) => Rc::new(p),
            Err(e) => panic!("test policy refused: {e}"),
        };
        let host = Rc::new(FakeHost::at(T0));
        let dyn_host: Rc<dyn Host> = host.clone();
        let metrics = Rc::new(Metrics::new(&dyn_host));
        host.flush_before_reads(&metrics);
        Proxy {
            metrics,
            canary: Rc::new(CanaryState::for_policy(&policy)),
            hold: Rc::new(HoldState::new(false)),
            host,
            policy,
        }
    }

    fn context(&self) -> PolicyHttp {
        let host: Rc<dyn Host> = self.host.clone();
        PolicyHttp::new(
            host,
            Some(Rc::clone(&self.policy)),
            Rc::clone(&self.metrics),
            Rc::clone(&self.canary),
            Rc::default(),
            Rc::clone(&self.hold),
            Rc::new(std::cell::RefCell::new(
                llm_policy_core::guard::round::GuardCaches::new([3; 16]),
            )),
            1,
        )
    }

    /// A new request on the fake host: headers and body in place.
    fn request(&self, headers: &[(&str, &str)], body: &str) -> PolicyHttp {
        let mut all = vec![
            (":method".to_string(), "POST".to_string()),
            (":path".to_string(), "/v1/chat/completions".to_string()),
            (":authority".to_string(), "llm.example.com".to_string()),
            ("content-type".to_string(), "application/json".to_string()),
        ];
        all.extend(headers.iter().map(|(n, v)| (n.to_string(), v.to_string())));
        *self.host.request_headers.borrow_mut() = all;
        *self.host.request_body.borrow_mut() = body.as_bytes().to_vec();
        self.host.response_headers.borrow_mut().clear();
        self.host.response_body.borrow_mut().clear();
        self.host.replies.borrow_mut().clear();
        self.context()
    }

    /// Sends the request through headers and body; the body action.
    fn send(&self, http: &mut PolicyHttp) -> Action {
        let headers = http.on_http_request_headers(0, false);
        assert_eq!(headers, Action::Continue);
        let size = self.host.request_body.borrow().len();
        http.on_http_request_body(size, true)
    }

    fn respond_headers(&self, http: &mut PolicyHttp, status: u16, content_type: &str) {
        *self.host.response_headers.borrow_mut() = vec![
            (":status".to_string(), status.to_string()),
            ("content-type".to_string(), content_type.to_string()),
            ("content-length".to_string(), "100".to_string()),
        ];
        assert_eq!(http.on_http_response_headers(0, false), Action::Continue);
    }

    /// One response body chunk; what the host forwards of it.
    fn chunk(&self, http: &mut PolicyHttp, bytes: &str, end: bool) -> (Action, String) {
        *self.host.response_body.borrow_mut() = bytes.as_bytes().to_vec();
        let action = http.on_http_response_body(bytes.len(), end);
        let out = String::from_utf8_lossy(&self.host.response_body.borrow()).into_owned();
        (action, out)
    }
}

fn chat(text: &str) -> String {
    format!(r#"{{"model":"llm","messages":[{{"role":"user","content":"{text}"}}]}}"#)
}

fn completion(text: &str) -> String {
    format!(
        r#"{{"id":"c","object":"chat.completion","choices":[{{"index":0,"message":{{"role":"assistant","content":"{text}"}},"finish_reason":"stop"}}],"usage":{{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10}}}}"#
    )
}

const SCREENING: &str = r#"{"version":1,"screening":{
    "detectors":{"email":{"action":"redact"}},
    "categories":{"banned":{"action":"block"}}}}"#;

#[test]
fn a_request_screening_blocks_is_answered_here_with_an_openai_error() {
    let proxy = Proxy::new(SCREENING);
    let mut http = proxy.request(&[], &chat("how to make explosives"));
    assert_eq!(proxy.send(&mut http), Action::Pause);
    let replies = proxy.host.replies.borrow();
    let [reply] = replies.as_slice() else {
        panic!("one reply expected, got {replies:?}");
    };
    assert_eq!(reply.status, 400);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert!(
        reply.body.contains(r#""code":"content_policy_violation""#),
        "{}",
        reply.body
    );
    assert!(reply.body.contains(r#""type":"invalid_request_error""#));
    let rule = ("rule", "default");
    let tags = [rule, ("outcome", "read"), ("action", "blocked")];
    assert_eq!(
        proxy.host.metric("llm_policy_request_bodies_total", &tags),
        1
    );
    let tags = [rule, ("code", "content_policy_violation")];
    assert_eq!(
        proxy.host.metric("llm_policy_local_replies_total", &tags),
        1
    );
    let tags = [
        rule,
        ("direction", "request"),
        ("kind", "category"),
        ("detector", "banned"),
        ("action", "block"),
    ];
    assert_eq!(
        proxy
            .host
            .metric("llm_policy_screening_findings_total", &tags),
        1
    );
}

#[test]
fn a_body_that_is_not_json_is_refused_when_screening_fails_closed() {
    let proxy = Proxy::new(SCREENING);
    let mut http = proxy.request(&[], "{not json");
    assert_eq!(proxy.send(&mut http), Action::Pause);
    let replies = proxy.host.replies.borrow();
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0].status, 400);
    assert!(
        replies[0].body.contains(r#""code":"invalid_json""#),
        "{}",
        replies[0].body
    );
}

#[test]
fn a_redacted_request_is_rewritten_in_place_without_its_content_length() {
    let proxy = Proxy::new(SCREENING);
    let mut http = proxy.request(&[("content-length", "80")], &chat("mail a@example.org"));
    assert_eq!(proxy.send(&mut http), Action::Continue);
    assert!(proxy.host.replies.borrow().is_empty());
    assert_eq!(
        *proxy.host.request_body.borrow(),
        chat("mail [EMAIL]").into_bytes()
    );
    assert_eq!(proxy.host.request_header_value("content-length"), None);
}

const BREAKER: &str = r#"{"version":1,"routes":[{"name":"r","match":{"prefix":"/v1/"},
    "circuit":{"per":"rule","consecutive_failures":2,"open_s":30,
               "retry":{"max_retries":2,"retry_on":"5xx"}}}]}"#;

/// One whole exchange answered by the pod with `status`.
fn exchange(proxy: &Proxy, status: u16) -> PolicyHttp {
    let mut http = proxy.request(&[], &chat("hi"));
    proxy.send(&mut http);
    proxy.respond_headers(&mut http, status, "application/json");
    proxy.chunk(&mut http, "{}", true);
    http.on_log();
    http
}

#[test]
fn an_open_breaker_answers_503_with_retry_after_and_each_outcome_counts_once() {
    let proxy = Proxy::new(BREAKER);
    let mut first = exchange(&proxy, 503);
    assert_eq!(
        proxy
            .host
            .request_header_value("x-envoy-max-retries")
            .as_deref(),
        Some("2")
    );
    assert_eq!(
        proxy
            .host
            .request_header_value("x-envoy-retry-on")
            .as_deref(),
        Some("5xx")
    );
    // A second end of the same exchange records nothing more.
    first.on_log();
    let mut http = proxy.request(&[], &chat("hi"));
    assert_eq!(
        http.on_http_request_headers(0, false),
        Action::Continue,
        "one failure of two"
    );
    proxy.respond_headers(&mut http, 503, "application/json");
    http.on_log();
    let opened = [("target", "r"), ("state", "open")];
    assert_eq!(
        proxy
            .host
            .metric("llm_policy_circuit_transitions_total", &opened),
        1
    );

    proxy.host.now_ms.set(T0 + 1_000);
    let mut http = proxy.request(&[], &chat("hi"));
    assert_eq!(http.on_http_request_headers(0, false), Action::Pause);
    let replies = proxy.host.replies.borrow();
    let [reply] = replies.as_slice() else {
        panic!("one reply expected, got {replies:?}");
    };
    assert_eq!(reply.status, 503);
    assert_eq!(reply.header("retry-after"), Some("29"));
    assert_eq!(reply.header("x-llm-circuit"), Some("open"));
    assert!(
        reply.body.contains(r#""code":"circuit_open""#),
        "{}",
        reply.body
    );
    let rejected = [("target", "r"), ("action", "rejected")];
    assert_eq!(
        proxy
            .host
            .metric("llm_policy_circuit_open_requests_total", &rejected),
        1
    );
}

const OUTPUTS: &str = r#"{"version":1,"screening":{"detectors":{"email":{"action":"redact"}}}}"#;

fn sse(text: &str) -> String {
    format!("data: {{\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{text}\"}}}}]}}\n\n")
}

#[test]
fn an_sse_response_is_screened_chunk_by_chunk_and_a_split_value_never_leaves() {
    let proxy = Proxy::new(OUTPUTS);
    let mut http = proxy.request(&[], &chat("hi"));
    proxy.send(&mut http);
    proxy.respond_headers(&mut http, 200, "text/event-stream");
    assert_eq!(proxy.host.response_header_value("content-length"), None);
    let mut sent = String::new();
    for part in ["write to jane.d", "oe@example.com", " today"] {
        let (action, out) = proxy.chunk(&mut http, &sse(part), false);
        assert_eq!(action, Action::Continue, "a stream is never held whole");
        sent.push_str(&out);
    }
    let (_, out) = proxy.chunk(&mut http, "data: [DONE]\n\n", true);
    sent.push_str(&out);
    assert!(
        !sent.contains("jane.d") && !sent.contains("example.com"),
        "{sent}"
    );
    assert!(
        sent.contains("[EMAIL]") && sent.ends_with("data: [DONE]\n\n"),
        "{sent}"
    );
    http.on_log();
    let tags = [
        ("rule", "default"),
        ("direction", "response"),
        ("kind", "pii"),
        ("detector", "email"),
        ("action", "redact"),
    ];
    assert_eq!(
        proxy
            .host
            .metric("llm_policy_screening_findings_total", &tags),
        1
    );
}

#[test]
fn a_json_response_is_held_whole_then_screened() {
    let proxy = Proxy::new(OUTPUTS);
    let mut http = proxy.request(&[], &chat("hi"));
    proxy.send(&mut http);
    proxy.respond_headers(&mut http, 200, "application/json");
    let body = completion("mail a@example.org");
    let (first, second) = body.split_at(20);
    *proxy.host.response_body.borrow_mut() = first.as_bytes().to_vec();
    assert_eq!(
        http.on_http_response_body(first.len(), false),
        Action::Pause
    );
    let (action, out) = proxy.chunk(&mut http, &format!("{first}{second}"), true);
    assert_eq!(action, Action::Continue);
    assert_eq!(out, completion("mail [EMAIL]"));
}

#[test]
fn a_compressed_response_is_withheld_when_screening_fails_closed() {
    let proxy = Proxy::new(OUTPUTS);
    let mut http = proxy.request(&[], &chat("hi"));
    proxy.send(&mut http);
    *proxy.host.response_headers.borrow_mut() = vec![
        (":status".to_string(), "200".to_string()),
        ("content-encoding".to_string(), "gzip".to_string()),
    ];
    http.on_http_response_headers(0, false);
    let (_, out) = proxy.chunk(&mut http, "\u{1f}binary", false);
    assert_eq!(out, "");
    let (_, out) = proxy.chunk(&mut http, "more", true);
    assert!(out.contains("unscreenable_output"), "{out}");
    let tags = [
        ("rule", "default"),
        ("direction", "response"),
        ("reason", "encoded"),
        ("action", "withheld"),
    ];
    assert_eq!(
        proxy
            .host
            .metric("llm_policy_screening_unscreenable_total", &tags),
        1
    );
}

const ARMS: &str = r#"{"version":1,"subject":{"sources":[{"header":"x-user-id"}]},
    "ab":{"response_header":"x-llm-arm","experiments":[{"id":"e","arms":[{"name":"a","weight":100},{"name":"b","weight":0}]}]}}"#;

#[test]
fn usage_is_counted_per_arm_and_the_arm_header_goes_out() {
    let proxy = Proxy::new(ARMS);
    let mut http = proxy.request(&[("x-user-id", "u1"), ("x-ab-e", "b")], &chat("hi"));
    proxy.send(&mut http);
    assert_eq!(
        proxy.host.request_header_value("x-ab-e").as_deref(),
        Some("a"),
        "the filter's choice replaces the client's copy"
    );
    assert_eq!(proxy.host.route_cache_clears.get(), 1);
    proxy.respond_headers(&mut http, 200, "application/json");
    assert_eq!(
        proxy.host.response_header_value("x-llm-arm").as_deref(),
        Some("e=a")
    );
    let (_, out) = proxy.chunk(&mut http, &completion("fine"), true);
    assert_eq!(out, completion("fine"), "unscreened bodies pass unchanged");
    http.on_log();
    let arm = [("experiment", "e"), ("arm", "a")];
    let m = |base: &str, extra: &[(&str, &str)]| {
        let mut tags = arm.to_vec();
        tags.extend_from_slice(extra);
        proxy.host.metric(base, &tags)
    };
    assert_eq!(m("llm_policy_ab_requests_total", &[]), 1);
    assert_eq!(m("llm_policy_ab_responses_total", &[("class", "2xx")]), 1);
    assert_eq!(m("llm_policy_ab_tokens_total", &[("kind", "prompt")]), 7);
    assert_eq!(
        m("llm_policy_ab_tokens_total", &[("kind", "completion")]),
        3
    );
}

#[test]
fn a_header_only_request_reads_the_headers_once_and_nothing_else() {
    let proxy = Proxy::new(r#"{"version":1}"#);
    let mut http = proxy.request(&[], "");
    assert_eq!(http.on_http_request_headers(0, true), Action::Continue);
    proxy.respond_headers(&mut http, 200, "application/json");
    http.on_log();
    assert_eq!(
        *proxy.host.reads.borrow(),
        ["request_headers", "response_header :status"],
        "no body, property or content-type reads on a rule that does not need them"
    );
}

#[test]
fn every_catalogue_family_has_a_handle() {
    let proxy = Proxy::new(r#"{"version":1}"#);
    let names = proxy.metrics.names();
    let catalogue: Vec<&str> = llm_policy_core::metrics::FAMILIES
        .iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(names, catalogue);
}

const GUARDED: &str = r#"{"version":1,"screening":{
    "detectors":{"email":{"action":"redact"}},
    "guards":[{"name":"mod","protocol":"openai_moderation","cluster":"guard","timeout_ms":300}]}}"#;

impl Proxy {
    /// Delivers the answer to call `token`: `None` for Envoy's no-headers
    /// callback (timeout or reset) after `after_ms`.
    fn guard_answers(
        &self,
        http: &mut PolicyHttp,
        token: u32,
        reply: Option<(u16, &str)>,
        after_ms: u64,
    ) {
        use proxy_wasm::traits::Context;
        self.host.now_ms.set(T0 + after_ms);
        let (headers, body) = match reply {
            // From the guard: Envoy's router adds its upstream timing header.
            Some((status, body)) => (
                vec![
                    (":status".to_string(), status.to_string()),
                    ("x-envoy-upstream-service-time".to_string(), "1".to_string()),
                ],
                body.as_bytes().to_vec(),
            ),
            None => (Vec::new(), Vec::new()),
        };
        let n = headers.len();
        let size = body.len();
        *self.host.call_response.borrow_mut() = (headers, body);
        http.on_http_call_response(token, n, size, 0);
    }
}

#[test]
fn a_guarded_body_is_held_until_the_guard_answers_and_a_block_is_a_local_reply() {
    let proxy = Proxy::new(GUARDED);
    let mut http = proxy.request(&[], &chat("write to a@example.com"));
    assert_eq!(proxy.send(&mut http), Action::Pause, "held for the guard");
    let calls = proxy.host.calls.borrow().clone();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].cluster, "guard");
    assert_eq!(calls[0].timeout_ms, 300);
    assert!(String::from_utf8_lossy(&calls[0].body).contains("write to [EMAIL]"));
    assert!(proxy.host.replies.borrow().is_empty());
    proxy.guard_answers(
        &mut http,
        1,
        Some((200, r#"{"results":[{"flagged":true}]}"#)),
        12,
    );
    let replies = proxy.host.replies.borrow();
    let [reply] = replies.as_slice() else {
        panic!("one reply expected, got {replies:?}");
    };
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("content_policy_violation"));
    assert_eq!(
        reply.header("x-llm-screening"),
        Some("email=redact, guard:mod:flagged=block")
    );
    let tags = [
        ("rule", "default"),
        ("guard", "mod"),
        ("direction", "request"),
    ];
    assert_eq!(proxy.host.metric("llm_policy_guard_calls_total", &tags), 1);
    assert_eq!(
        proxy
            .host
            .metric("llm_policy_guard_latency_ms", &[("guard", "mod")]),
        12
    );
    assert_eq!(
        proxy.host.metric(
            "llm_policy_guard_decisions_total",
            &[
                ("rule", "default"),
                ("direction", "request"),
                ("decision", "blocked")
            ]
        ),
        1
    );
}

#[test]
fn a_passing_verdict_writes_the_builtin_rewrite_and_resumes() {
    let proxy = Proxy::new(GUARDED);
    let mut http = proxy.request(&[], &chat("write to a@example.com"));
    assert_eq!(proxy.send(&mut http), Action::Pause);
    assert!(String::from_utf8_lossy(&proxy.host.request_body.borrow()).contains("a@example.com"));
    proxy.guard_answers(
        &mut http,
        1,
        Some((200, r#"{"results":[{"flagged":false}]}"#)),
        5,
    );
    assert!(proxy.host.replies.borrow().is_empty());
    assert!(String::from_utf8_lossy(&proxy.host.request_body.borrow()).contains("[EMAIL]"));
}

#[test]
fn envoys_callback_without_headers_is_a_timeout_or_a_connection_failure_by_the_clock() {
    // 245 of 300: a timeout Envoy's lagging loop clock fired "early"
    for (after_ms, kind) in [(300, "timeout"), (245, "timeout"), (3, "connection")] {
        let proxy = Proxy::new(GUARDED);
        let mut http = proxy.request(&[], &chat("hello"));
        assert_eq!(proxy.send(&mut http), Action::Pause);
        proxy.guard_answers(&mut http, 1, None, after_ms);
        let tags = [
            ("rule", "default"),
            ("guard", "mod"),
            ("direction", "request"),
            ("kind", kind),
        ];
        assert_eq!(
            proxy.host.metric("llm_policy_guard_failures_total", &tags),
            1,
            "{kind}"
        );
        let replies = proxy.host.replies.borrow();
        assert_eq!(replies.len(), 1, "fails closed by default");
        assert_eq!(replies[0].status, 503);
        assert!(replies[0].body.contains("guard_unavailable"));
    }
}

#[test]
fn a_call_that_cannot_be_dispatched_is_a_connection_failure_and_5xx_a_status_failure() {
    let proxy = Proxy::new(&GUARDED.replace(
        r#""timeout_ms":300"#,
        r#""timeout_ms":300,"failure_mode":"open""#,
    ));
    proxy
        .host
        .dispatch_error
        .set(Some(proxy_wasm::types::Status::BadArgument));
    let mut http = proxy.request(&[], &chat("hello"));
    assert_eq!(
        proxy.send(&mut http),
        Action::Continue,
        "fails open at once"
    );
    proxy.host.dispatch_error.set(None);
    let mut http = proxy.request(&[], &chat("hello"));
    assert_eq!(proxy.send(&mut http), Action::Pause);
    proxy.guard_answers(&mut http, 1, Some((503, "busy")), 4);
    let tags = |kind| {
        [
            ("rule", "default"),
            ("guard", "mod"),
            ("direction", "request"),
            ("kind", kind),
        ]
    };
    assert_eq!(
        proxy
            .host
            .metric("llm_policy_guard_failures_total", &tags("connection")),
        1
    );
    assert_eq!(
        proxy
            .host
            .metric("llm_policy_guard_failures_total", &tags("status_5xx")),
        1
    );
    assert!(proxy.host.replies.borrow().is_empty());
}

#[test]
fn a_rule_without_guards_dispatches_nothing() {
    let proxy = Proxy::new(SCREENING);
    let mut http = proxy.request(&[], &chat("write to a@example.com"));
    assert_eq!(proxy.send(&mut http), Action::Continue);
    assert!(proxy.host.calls.borrow().is_empty());
}

#[test]
fn envoys_own_504_and_503_are_a_timeout_and_a_connection_failure() {
    use proxy_wasm::traits::Context;
    for (status, after_ms, kind) in [(504, 300, "timeout"), (503, 2, "connection")] {
        let proxy = Proxy::new(GUARDED);
        let mut http = proxy.request(&[], &chat("hello"));
        assert_eq!(proxy.send(&mut http), Action::Pause);
        proxy.host.now_ms.set(T0 + after_ms);
        *proxy.host.call_response.borrow_mut() = (
            vec![(":status".to_string(), status.to_string())],
            b"upstream request timeout".to_vec(),
        );
        http.on_http_call_response(1, 1, 24, 0);
        let tags = [
            ("rule", "default"),
            ("guard", "mod"),
            ("direction", "request"),
            ("kind", kind),
        ];
        assert_eq!(
            proxy.host.metric("llm_policy_guard_failures_total", &tags),
            1,
            "{kind}"
        );
    }
}

const OUTPUT_GUARDED: &str = r#"{"version":1,"screening":{
    "detectors":{"email":{"action":"redact"}},
    "guards":[{"name":"out","protocol":"llama_guard","cluster":"guard","directions":["response"]}]}}"#;

#[test]
fn a_json_output_is_held_for_the_response_guard_and_a_block_filters_it() {
    let proxy = Proxy::new(OUTPUT_GUARDED);
    let mut http = proxy.request(&[], &chat("tell me a@example.com"));
    assert_eq!(proxy.send(&mut http), Action::Continue, "no request guard");
    assert!(proxy.host.calls.borrow().is_empty());
    proxy.respond_headers(&mut http, 200, "application/json");
    let (action, _) = proxy.chunk(&mut http, &completion("how to stab"), true);
    assert_eq!(action, Action::Pause, "held for the guard");
    let calls = proxy.host.calls.borrow().clone();
    assert_eq!(calls.len(), 1);
    let sent = String::from_utf8_lossy(&calls[0].body).into_owned();
    assert!(
        sent.contains("tell me [EMAIL]") && sent.contains("how to stab"),
        "{sent}"
    );
    proxy.guard_answers(
        &mut http,
        1,
        Some((200, r#"{"choices":[{"message":{"content":"unsafe\nS1"}}]}"#)),
        8,
    );
    assert_eq!(proxy.host.response_resumes.get(), 1);
    let out = String::from_utf8_lossy(&proxy.host.response_body.borrow()).into_owned();
    assert!(
        out.contains("content_filter") && !out.contains("how to stab"),
        "{out}"
    );
}

#[test]
fn a_safe_json_output_is_released_with_the_builtin_rewrite() {
    let proxy = Proxy::new(OUTPUT_GUARDED);
    let mut http = proxy.request(&[], &chat("hi"));
    assert_eq!(proxy.send(&mut http), Action::Continue);
    proxy.respond_headers(&mut http, 200, "application/json");
    let (action, _) = proxy.chunk(&mut http, &completion("mail b@example.com"), true);
    assert_eq!(action, Action::Pause);
    proxy.guard_answers(
        &mut http,
        1,
        Some((200, r#"{"choices":[{"message":{"content":"safe"}}]}"#)),
        8,
    );
    let out = String::from_utf8_lossy(&proxy.host.response_body.borrow()).into_owned();
    assert!(out.contains("mail [EMAIL]"), "{out}");
}

fn stream_guarded(mode: &str) -> String {
    format!(
        r#"{{"version":1,"screening":{{
        "guards":[{{"name":"out","protocol":"llama_guard","cluster":"guard","directions":["response"],
                   "stream":{{"mode":"{mode}","window_chars":64}}}}]}}}}"#
    )
}

const UNSAFE: &str = r#"{"choices":[{"message":{"content":"unsafe\nS1"}}]}"#;
const SAFE: &str = r#"{"choices":[{"message":{"content":"safe"}}]}"#;

#[test]
fn a_streamed_window_is_judged_as_it_streams_and_an_unsafe_one_ends_the_stream() {
    let proxy = Proxy::new(&stream_guarded("window"));
    let mut http = proxy.request(&[], &chat("hi"));
    proxy.send(&mut http);
    proxy.respond_headers(&mut http, 200, "text/event-stream");
    let words = "a".repeat(40);
    let (action, out) = proxy.chunk(&mut http, &sse(&words), false);
    assert_eq!(action, Action::Continue);
    assert!(out.contains(&words), "window mode streams on");
    assert!(proxy.host.calls.borrow().is_empty(), "no window yet");
    let (_, out) = proxy.chunk(&mut http, &sse(&words), false);
    assert!(out.contains(&words));
    assert_eq!(
        proxy.host.calls.borrow().len(),
        1,
        "the first window went out"
    );
    proxy.guard_answers(&mut http, 1, Some((200, UNSAFE)), 20);
    let (_, out) = proxy.chunk(&mut http, &sse("more"), false);
    assert!(
        out.contains("content_policy_violation") && out.ends_with("data: [DONE]\n\n"),
        "{out}"
    );
    assert!(!out.contains("more"));
    let (action, out) = proxy.chunk(&mut http, "data: [DONE]\n\n", true);
    assert_eq!(
        (action, out.as_str()),
        (Action::Continue, ""),
        "nothing after the cut"
    );
}

#[test]
fn the_final_chunk_waits_for_outstanding_windows() {
    let proxy = Proxy::new(&stream_guarded("window"));
    let mut http = proxy.request(&[], &chat("hi"));
    proxy.send(&mut http);
    proxy.respond_headers(&mut http, 200, "text/event-stream");
    proxy.chunk(&mut http, &sse("short answer"), false);
    let (action, _) = proxy.chunk(&mut http, "data: [DONE]\n\n", true);
    assert_eq!(action, Action::Pause, "the last window is judged first");
    assert_eq!(proxy.host.calls.borrow().len(), 1);
    proxy.guard_answers(&mut http, 1, Some((200, UNSAFE)), 20);
    assert_eq!(proxy.host.response_resumes.get(), 1);
    let out = String::from_utf8_lossy(&proxy.host.response_body.borrow()).into_owned();
    assert!(
        out.contains("content_policy_violation") && out.ends_with("data: [DONE]\n\n"),
        "{out}"
    );
}

#[test]
fn strict_mode_holds_each_window_until_its_verdict() {
    let proxy = Proxy::new(&stream_guarded("strict"));
    let mut http = proxy.request(&[], &chat("hi"));
    proxy.send(&mut http);
    proxy.respond_headers(&mut http, 200, "text/event-stream");
    let words = "b".repeat(40);
    let (_, out) = proxy.chunk(&mut http, &sse(&words), false);
    assert!(!out.contains(&words), "held: {out}");
    let (_, out) = proxy.chunk(&mut http, &sse(&words), false);
    assert!(!out.contains(&words), "held until the verdict: {out}");
    proxy.guard_answers(&mut http, 1, Some((200, SAFE)), 20);
    let (_, out) = proxy.chunk(&mut http, &sse("tail"), false);
    assert_eq!(
        out.matches(&words).count(),
        2,
        "released after a safe verdict: {out}"
    );
    assert!(!out.contains("tail"), "the unjudged rest stays held");
    let (action, _) = proxy.chunk(&mut http, "data: [DONE]\n\n", true);
    assert_eq!(action, Action::Pause);
    proxy.guard_answers(&mut http, 2, Some((200, SAFE)), 30);
    let out = String::from_utf8_lossy(&proxy.host.response_body.borrow()).into_owned();
    assert!(
        out.contains("tail") && out.ends_with("data: [DONE]\n\n"),
        "{out}"
    );
}
