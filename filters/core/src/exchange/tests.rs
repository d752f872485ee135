//! The exchange phase by phase, with a fake of what each phase reads.

use super::outcome::{BreakerUpdate, LogHost};
use super::response::{BodyHost, ResponseHost, ResponseKind};
use super::*;
use crate::flow;
use crate::policy::Policy;
use crate::usage::Usage;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// What the phases read: headers, the body, the clock, Envoy's flags.
#[derive(Default)]
struct Fake {
    headers: Vec<(&'static str, &'static str)>,
    body: Vec<u8>,
    elapsed: u64,
    flags: u64,
    reads: Vec<String>,
    body_reads: usize,
}

impl ResponseHost for Fake {
    fn header(&mut self, name: &str) -> Option<String> {
        self.reads.push(name.to_string());
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string())
    }
    fn elapsed_ms(&mut self) -> u64 {
        self.elapsed
    }
}

impl BodyHost for Fake {
    fn body(&mut self, start: usize, size: usize) -> Vec<u8> {
        self.body_reads += 1;
        let end = start.saturating_add(size).min(self.body.len());
        self.body.get(start..end).unwrap_or_default().to_vec()
    }
    fn elapsed_ms(&mut self) -> u64 {
        self.elapsed
    }
}

impl LogHost for Fake {
    fn response_flags(&mut self) -> u64 {
        self.reads.push("flags".into());
        self.flags
    }
    fn now_ms(&mut self) -> u64 {
        1_000 + self.elapsed
    }
}

fn policy(json: &str) -> Policy {
    match Policy::parse(json.as_bytes()) {
        Ok(p) => p,
        Err(e) => panic!("test policy refused: {e}"),
    }
}

fn exchange(policy: &Policy, headers: &[(&str, &str)]) -> Exchange {
    let head = RequestHead {
        method: "POST".into(),
        path: "/v1/chat/completions".into(),
        authority: "llm".into(),
        route_name: None,
        headers: headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
    };
    let mut random = || "r1".to_string();
    let mut plan = flow::plan(policy, &head, true, &mut random);
    plan.choose_canary(&head, false, &mut random);
    Exchange::new(plan, &policy.revision, 1_000)
}

const SCREEN: &str = r#"{"version":1,"screening":{"detectors":{"email":{"action":"redact"}}}}"#;
const SCREEN_OPEN: &str = r#"{"version":1,"failure_mode":{"screening":"open"},
    "screening":{"detectors":{"email":{"action":"redact"}}}}"#;
const BREAKER: &str = r#"{"version":1,"debug_headers":true,"routes":[{"name":"r","match":{"prefix":"/"},
    "circuit":{"per":"cluster","consecutive_failures":1,"open_s":30,
               "retry":{"max_retries":2,"retry_on":"5xx","timeout_ms":900}}}]}"#;
const FALLBACK: &str = r#"{"version":1,"routes":[{"name":"r","match":{"prefix":"/"},
    "circuit":{"consecutive_failures":1,"fallback":{"header":{"name":"x-fb","value":"yes"}}}}]}"#;

#[test]
fn an_admitted_request_gets_envoys_retry_headers() {
    let p = policy(BREAKER);
    let mut ex = exchange(&p, &[]);
    assert!(ex.needs_cluster_name());
    assert_eq!(ex.circuit_target(Some("pods".into())), "pods");
    assert_eq!(ex.circuit_target(None), "r");
    let answer = ex.admitted("pods".into(), Admission::Allow);
    assert_eq!(
        answer,
        CircuitAnswer::Proceed(vec![
            ("x-envoy-max-retries", "2".into()),
            ("x-envoy-retry-on", "5xx".into()),
            ("x-envoy-upstream-rq-timeout-ms", "900".into()),
        ])
    );
    assert_eq!(answer.open_action(), None);
    assert!(!ex.replied());
}

#[test]
fn an_open_breaker_answers_503_with_retry_after_through_the_one_reply_path() {
    let p = policy(BREAKER);
    let mut ex = exchange(&p, &[]);
    let CircuitAnswer::Reply { reply, .. } =
        ex.admitted("r".into(), Admission::Reject { retry_after_s: 7 })
    else {
        panic!("a reply expected");
    };
    assert_eq!(
        (reply.reply.status, reply.reply.code),
        (503, "circuit_open")
    );
    let names: Vec<&str> = reply.headers.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["content-type", "retry-after", "x-llm-circuit", DEBUG_HEADER]
    );
    assert_eq!(reply.headers[1].1, "7");
    assert!(ex.replied());
    let end = ex.finish(&mut Fake::default());
    assert_eq!(end.breaker, None, "a rejected request was never admitted");
}

#[test]
fn an_open_breaker_with_a_fallback_sets_its_header() {
    let p = policy(FALLBACK);
    let mut ex = exchange(&p, &[]);
    let answer = ex.admitted("r".into(), Admission::Reject { retry_after_s: 7 });
    assert_eq!(
        answer,
        CircuitAnswer::Fallback {
            name: "x-fb".into(),
            value: "yes".into(),
            target: "r".into()
        }
    );
    assert_eq!(answer.open_action(), Some("fallback"));
}

#[test]
fn request_headers_drop_what_screening_needs_gone_and_judge_a_compressed_body() {
    let p = policy(SCREEN);
    let mut ex = exchange(&p, &[]);
    let answer = ex.request_headers_done();
    assert_eq!(answer.remove, ["content-length", "accept-encoding"]);
    assert!(answer.reads_body && answer.verdict.is_none());

    let mut ex = exchange(&p, &[("content-encoding", "gzip")]);
    let verdict = ex.request_headers_done().verdict;
    let reply = verdict.as_ref().and_then(|v| v.reply.as_ref());
    assert_eq!(reply.map(|r| r.reply.status), Some(415));
    assert_eq!(
        verdict.map(|v| (v.outcome, v.action)),
        Some(("unsupported_content_encoding", "rejected"))
    );

    let p = policy(SCREEN_OPEN);
    let mut ex = exchange(&p, &[("content-encoding", "gzip")]);
    let verdict = ex.request_headers_done().verdict;
    assert_eq!(
        verdict.map(|v| (v.action, v.reply.is_none())),
        Some(("forwarded_unread", true))
    );
}

#[test]
fn the_body_is_buffered_judged_or_refused_past_the_limit() {
    let p = policy(
        r#"{"version":1,"limits":{"max_body_bytes":64},
        "screening":{"detectors":{"email":{"action":"redact"}}}}"#,
    );
    let mut ex = exchange(&p, &[]);
    ex.request_headers_done();
    assert_eq!(ex.on_request_body(10, false), BodyStep::Buffer);
    assert_eq!(ex.on_request_trailers(), BodyStep::Judge);
    assert_eq!(ex.on_request_body(20, true), BodyStep::Judge);
    let answer = ex.judge_body(br#"{"messages":[{"role":"user","content":"a@b.org"}]}"#);
    assert_eq!((answer.outcome, answer.action), ("read", "rewritten"));
    assert_eq!(
        answer.rewrite.as_deref(),
        Some(&br#"{"messages":[{"role":"user","content":"[EMAIL]"}]}"#[..])
    );
    assert_eq!(
        ex.findings(&answer.findings)
            .map(|f| f.detector)
            .collect::<Vec<_>>(),
        ["email"]
    );
    assert_eq!(ex.on_request_body(30, true), BodyStep::Pass, "judged once");

    let mut ex = exchange(&p, &[]);
    ex.request_headers_done();
    let BodyStep::Answer(answer) = ex.on_request_body(65, false) else {
        panic!("too large is answered at once");
    };
    assert_eq!(answer.reply.map(|r| r.reply.status), Some(413));
}

#[test]
fn how_each_response_is_screened() {
    let p = policy(SCREEN);
    let ex = exchange(&p, &[]);
    let json = Some("application/json");
    let limit = p.default_rule.max_body_bytes;
    assert_eq!(
        ex.response_kind(Some(200), false, json, None),
        ResponseKind::Json { limit }
    );
    assert_eq!(
        ex.response_kind(
            Some(200),
            false,
            Some("text/event-stream; charset=utf-8"),
            None
        ),
        ResponseKind::Stream
    );
    assert_eq!(
        ex.response_kind(Some(200), false, json, Some("gzip")),
        ResponseKind::Refused
    );
    assert_eq!(
        ex.response_kind(Some(200), false, json, Some("identity")),
        ResponseKind::Json { limit }
    );
    assert_eq!(
        ex.response_kind(Some(503), false, json, None),
        ResponseKind::Passed
    );
    assert_eq!(
        ex.response_kind(Some(200), true, json, None),
        ResponseKind::Passed,
        "no body"
    );
    let p = policy(SCREEN_OPEN);
    let ex = exchange(&p, &[]);
    assert_eq!(
        ex.response_kind(Some(200), false, json, Some("br")),
        ResponseKind::PassedUnread
    );
    let p = policy(r#"{"version":1}"#);
    let ex = exchange(&p, &[]);
    assert_eq!(
        ex.response_kind(Some(200), false, json, None),
        ResponseKind::Passed
    );
}

#[test]
fn response_headers_read_only_what_the_decision_needs() {
    let p = policy(SCREEN);
    let mut ex = exchange(&p, &[]);
    let mut host = Fake {
        headers: vec![
            ("content-encoding", "gzip"),
            ("content-type", "application/json"),
        ],
        ..Fake::default()
    };
    let answer = ex.on_response_headers(Some(200), false, &mut host);
    assert_eq!(
        host.reads,
        ["content-encoding"],
        "a compressed body's type is not read"
    );
    assert_eq!(answer.unscreenable, Some("encoded"));
    assert_eq!(answer.remove, ["content-length"]);
    host.body = b"\x1f\x8b".to_vec();
    let chunk = ex.on_response_body(2, false, &mut host);
    assert_eq!(chunk.replace.as_deref(), Some(&b""[..]), "withheld");
    let last = ex.on_response_body(2, true, &mut host);
    let body = String::from_utf8(last.replace.unwrap_or_default()).unwrap_or_default();
    assert!(body.contains("unscreenable_output"), "{body}");

    let mut ex = exchange(&p, &[]);
    let mut host = Fake::default();
    let answer = ex.on_response_headers(Some(500), false, &mut host);
    assert!(host.reads.is_empty() && answer.remove.is_empty() && answer.unscreenable.is_none());
}

#[test]
fn a_held_body_that_is_not_json_is_withheld_or_passed_per_failure_mode() {
    for (json, replaced) in [(SCREEN, true), (SCREEN_OPEN, false)] {
        let p = policy(json);
        let mut ex = exchange(&p, &[]);
        let mut host = Fake {
            headers: vec![("content-type", "application/json")],
            ..Fake::default()
        };
        ex.on_response_headers(Some(200), false, &mut host);
        host.body = b"plain text".to_vec();
        assert!(
            ex.on_response_body(4, false, &mut host).pause,
            "held until it ends"
        );
        let end = ex.on_response_body(10, true, &mut host);
        assert_eq!(end.unscreenable, Some("not_json"));
        assert_eq!(end.replace.is_some(), replaced, "{json}");
        assert_eq!(
            ex.unscreenable_action(),
            if replaced { "withheld" } else { "passed" }
        );
    }
}

#[test]
fn a_json_body_past_the_limit_is_screened_as_it_passes() {
    let p = policy(
        r#"{"version":1,"limits":{"max_body_bytes":16},
        "screening":{"detectors":{"email":{"action":"redact"}}}}"#,
    );
    let mut ex = exchange(&p, &[]);
    let mut host = Fake::default();
    ex.on_response_headers(Some(200), false, &mut host);
    host.body = br#"{"choices":[{"message":{"content":"to a@b.org"}}]}"#.to_vec();
    let n = host.body.len();
    let chunk = ex.on_response_body(n, true, &mut host);
    assert!(!chunk.pause);
    let out = String::from_utf8(chunk.replace.unwrap_or_default()).unwrap_or_default();
    assert!(out.contains("[EMAIL]") && !out.contains("a@b.org"), "{out}");
    assert_eq!(chunk.span, n);
}

#[test]
fn the_end_feeds_the_breaker_and_the_canary_with_one_definition_of_failure() {
    let p = policy(
        r#"{"version":1,"canary":{"weight_percent":100,"halt":{"max_error_rate":0.5}},
        "routes":[{"name":"r","match":{"prefix":"/"},
        "canary":{"weight_percent":100,"halt":{"max_error_rate":0.5}},
        "circuit":{"consecutive_failures":1}}]}"#,
    );
    for (status, breaker_fails, canary_fails) in [
        (Some(200), false, false),
        (Some(429), true, false),
        (Some(503), true, true),
        (None, true, true),
    ] {
        let mut ex = exchange(&p, &[]);
        ex.admitted("r".into(), Admission::Allow);
        let mut host = Fake {
            elapsed: 40,
            ..Fake::default()
        };
        ex.on_response_headers(status, true, &mut host);
        let end = ex.finish(&mut host);
        assert!(
            matches!(end.breaker, Some(BreakerUpdate::Record(_, f)) if f == breaker_fails),
            "{status:?}: {:?}",
            end.breaker
        );
        let sample = end
            .canary
            .unwrap_or_else(|| panic!("{status:?}: no canary sample"));
        assert_eq!(sample.failure, canary_fails, "{status:?}");
        assert_eq!(sample.latency_ms, 40);
        assert_eq!(end.outcome.elapsed_ms, 40);
        assert_eq!(
            host.reads.contains(&"flags".to_string()),
            status.is_none(),
            "flags only when abnormal"
        );
        assert!(ex.finish(&mut host).breaker.is_none(), "recorded once");
    }
}

#[test]
fn a_client_that_went_away_is_no_ones_failure() {
    let p = policy(
        r#"{"version":1,"routes":[{"name":"r","match":{"prefix":"/"},
        "circuit":{"consecutive_failures":1}}]}"#,
    );
    let mut ex = exchange(&p, &[]);
    ex.admitted("r".into(), Admission::Allow);
    let mut host = Fake {
        flags: crate::breaker::DOWNSTREAM_TERMINATION_FLAG,
        ..Fake::default()
    };
    let end = ex.finish(&mut host);
    assert!(
        matches!(end.breaker, Some(BreakerUpdate::Record(_, false))),
        "{:?}",
        end.breaker
    );
}

#[test]
fn request_findings_set_the_flag_header_on_the_response() {
    let p = policy(SCREEN);
    let mut ex = exchange(&p, &[]);
    ex.request_headers_done();
    ex.on_request_body(60, true);
    ex.judge_body(br#"{"messages":[{"role":"user","content":"a@b.org"}]}"#);
    let answer = ex.on_response_headers(Some(200), false, &mut Fake::default());
    assert!(answer
        .set
        .contains(&("x-llm-screening".to_string(), "email=redact".to_string())));
    let end = ex.finish(&mut Fake::default());
    assert_eq!(end.screening, Some("redact"));
}

#[test]
fn an_event_stream_is_read_for_usage_only_when_the_request_may_have_asked() {
    let p = policy(
        r#"{"version":1,"read_bodies":false,"subject":{"sources":[{"header":"x-user-id"}]},
        "ab":{"experiments":[{"id":"e","arms":[{"name":"a","weight":50},{"name":"b","weight":50}]}]}}"#,
    );
    let events: [&[u8]; 3] = [
        b"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\n",
        b"data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\n\n",
        b"data: [DONE]\n\n",
    ];
    let asked = br#"{"stream":true,"stream_options":{"include_usage":true}}"#;
    let plain = br#"{"stream":true,"messages":[]}"#;
    for (body, want_usage, want_reads) in [(&asked[..], true, 3), (&plain[..], false, 1)] {
        let mut ex = exchange(&p, &[("x-user-id", "u")]);
        assert!(ex.request_headers_done().verdict.is_none());
        let (a, b) = body.split_at(20);
        assert_eq!(ex.on_request_body(a.len(), false), BodyStep::Peek);
        assert_eq!(ex.peek_request_body(a, false), BodyStep::Pass);
        assert_eq!(ex.on_request_body(b.len(), true), BodyStep::Peek);
        assert_eq!(ex.peek_request_body(b, true), BodyStep::Pass);
        let (usage, reads) = stream_usage(&mut ex, &events);
        assert_eq!(usage.is_some(), want_usage);
        assert_eq!(reads, want_reads, "chunks read");
    }
    // A JSON completion always carries usage: read whatever the request said.
    let mut ex = exchange(&p, &[("x-user-id", "u")]);
    ex.request_headers_done();
    ex.peek_request_body(plain, true);
    let mut host = Fake::default();
    ex.on_response_headers(Some(200), false, &mut host);
    host.body = br#"{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2}}"#.to_vec();
    let answer = ex.on_response_body(host.body.len(), true, &mut host);
    assert!(answer.usage.is_some());
}

/// Streams `events` as a 200 response: the usage found and the chunks read.
fn stream_usage(ex: &mut Exchange, events: &[&[u8]]) -> (Option<Usage>, usize) {
    let mut host = Fake::default();
    ex.on_response_headers(Some(200), false, &mut host);
    let mut usage = None;
    for (i, e) in events.iter().enumerate() {
        host.body = e.to_vec();
        let last = i + 1 == events.len();
        usage = ex
            .on_response_body(e.len(), last, &mut host)
            .usage
            .or(usage);
    }
    (usage, host.body_reads)
}

#[test]
fn a_judged_streamed_request_tells_whether_its_stream_carries_usage() {
    let p = policy(
        r#"{"version":1,"subject":{"sources":[{"header":"x-user-id"}]},
        "ab":{"experiments":[{"id":"e","arms":[{"name":"a","weight":50},{"name":"b","weight":50}]}]}}"#,
    );
    let events: [&[u8]; 2] = [
        b"data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\n\n",
        b"data: [DONE]\n\n",
    ];
    let asked = br#"{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}"#;
    let plain = br#"{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}"#;
    for (body, want_usage, want_reads) in [(&asked[..], true, 2), (&plain[..], false, 1)] {
        let mut ex = exchange(&p, &[("x-user-id", "u")]);
        assert!(ex.request_headers_done().reads_body);
        assert_eq!(ex.on_request_body(body.len(), true), BodyStep::Judge);
        assert!(ex.judge_body(body).reply.is_none());
        let (usage, reads) = stream_usage(&mut ex, &events);
        assert_eq!(usage.is_some(), want_usage);
        assert_eq!(reads, want_reads, "chunks read");
    }
}
