//! Guard rounds in an exchange: block, unavailable, flag, redact, cache.

use super::*;
use crate::flow;
use crate::policy::Policy;
use crate::request::RequestHead;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn policy(json: &str) -> Policy {
    match Policy::parse(json.as_bytes()) {
        Ok(p) => p,
        Err(e) => panic!("test policy refused: {e}"),
    }
}

fn exchange(policy: &Policy) -> Exchange {
    let head = RequestHead {
        method: "POST".into(),
        path: "/v1/chat/completions".into(),
        authority: "llm".into(),
        route_name: None,
        headers: Vec::new(),
    };
    let mut random = || "r1".to_string();
    let plan = flow::plan(policy, &head, true, &mut random);
    Exchange::new(plan, &policy.revision, 1_000)
}

const MODERATION: &str = r#"{"version":1,"screening":{
    "detectors":{"email":{"action":"redact"}},
    "guards":[{"name":"mod","protocol":"openai_moderation","cluster":"guard",
               "rules":[{"label":"flagged","action":"block"},
                        {"label":"harassment","min_score":0.5,"action":"flag"}]}]}}"#;

const BODY: &[u8] =
    br#"{"model":"m","messages":[{"role":"system","content":"be nice"},{"role":"user","content":"mail a@example.com please"}]}"#;

fn start(ex: &mut Exchange, body: &[u8], caches: &mut GuardCaches) -> GuardStart {
    let answer = ex.judge_body(body);
    ex.start_guards(body, answer, caches, 5)
}

#[test]
fn guards_see_the_rewritten_body_and_a_block_answers_like_a_builtin_block() {
    let p = policy(MODERATION);
    let mut ex = exchange(&p);
    assert!(ex.has_request_guards());
    let mut caches = GuardCaches::new([7; 16]);
    let GuardStart::Calls(calls) = start(&mut ex, BODY, &mut caches) else {
        panic!("calls expected");
    };
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].cluster, "guard");
    let sent: Value = serde_json::from_slice(&calls[0].body).unwrap();
    assert_eq!(sent["input"], serde_json::json!(["mail [EMAIL] please"]));
    let reply = br#"{"results":[{"flagged":true,"categories":{"violence":true},"category_scores":{"violence":0.9}}]}"#;
    let d = ex
        .guard_answered(0, Ok(reply), &mut caches, 6)
        .expect("decided");
    let r = d.answer.reply.expect("blocked");
    assert_eq!(
        (r.reply.status, r.reply.code),
        (400, "content_policy_violation")
    );
    assert_eq!(d.answer.action, "blocked");
    let flags = r
        .headers
        .iter()
        .find(|(n, _)| n == "x-llm-screening")
        .map(|(_, v)| v.as_str());
    assert_eq!(flags, Some("email=redact, guard:mod:flagged=block"));
    assert_eq!(d.outcomes[0].0, "mod");
    assert_eq!(d.outcomes[0].1.calls, 1);
}

#[test]
fn a_second_turn_is_decided_from_the_cache_and_flags_pass() {
    let p = policy(MODERATION);
    let mut caches = GuardCaches::new([7; 16]);
    let mut ex = exchange(&p);
    let GuardStart::Calls(_) = start(&mut ex, BODY, &mut caches) else {
        panic!("calls expected");
    };
    let reply = br#"{"results":[{"flagged":false,"categories":{"harassment":false},"category_scores":{"harassment":0.7}}]}"#;
    let d = ex.guard_answered(0, Ok(reply), &mut caches, 6).unwrap();
    assert!(d.answer.reply.is_none());
    assert_eq!(d.answer.action, "rewritten", "the built-in rewrite stays");
    assert_eq!(
        ex.flag_header().map(|(_, v)| v),
        Some("email=redact, guard:mod:harassment=flag".into())
    );
    let mut again = exchange(&p);
    match start(&mut again, BODY, &mut caches) {
        GuardStart::Decided(d) => assert_eq!(d.outcomes[0].1.cache_hits, 1),
        other => panic!("decided from the cache expected, got {other:?}"),
    }
}

#[test]
fn a_fail_closed_guard_that_cannot_answer_gives_503_and_an_open_one_passes() {
    for (mode, refused) in [("closed", true), ("open", false)] {
        let json = MODERATION.replace(
            r#""cluster":"guard","#,
            &format!(r#""cluster":"guard","failure_mode":"{mode}","#),
        );
        let p = policy(&json);
        let mut ex = exchange(&p);
        let mut caches = GuardCaches::new([7; 16]);
        let GuardStart::Calls(_) = start(&mut ex, BODY, &mut caches) else {
            panic!("calls expected");
        };
        let d = ex
            .guard_answered(0, Err(CallFailure::Timeout), &mut caches, 6)
            .unwrap();
        assert_eq!(d.outcomes[0].1.failures, vec![CallFailure::Timeout]);
        match (d.answer.reply, refused) {
            (Some(r), true) => {
                assert_eq!((r.reply.status, r.reply.code), (503, "guard_unavailable"))
            }
            (None, false) => assert_eq!(d.answer.action, "rewritten"),
            (r, _) => panic!("{mode}: unexpected {r:?}"),
        }
    }
}

#[test]
fn presidio_spans_are_redacted_in_the_strings_they_cover_and_restorable() {
    let p = policy(
        r#"{"version":1,"screening":{"redaction":{"style":"hash","key":"0123456789abcdef0123","restore":true},
        "guards":[{"name":"pii","protocol":"presidio","cluster":"presidio","entities":["PERSON"]}]}}"#,
    );
    let body = br#"{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"Hi"},{"type":"text","text":"I am Jos\u00e9 Smith"}]}]}"#;
    let mut ex = exchange(&p);
    let mut caches = GuardCaches::new([7; 16]);
    let GuardStart::Calls(calls) = start(&mut ex, body, &mut caches) else {
        panic!("calls expected");
    };
    let sent: Value = serde_json::from_slice(&calls[0].body).unwrap();
    assert_eq!(sent["text"], "Hi\nI am José Smith");
    // Presidio counts characters: "José Smith" is characters 8..18.
    let reply = br#"[{"entity_type":"PERSON","start":8,"end":18,"score":0.85}]"#;
    let d = ex.guard_answered(0, Ok(reply), &mut caches, 6).unwrap();
    let out: Value = serde_json::from_slice(&d.answer.rewrite.expect("rewritten")).unwrap();
    let text = out["messages"][0]["content"][1]["text"].as_str().unwrap();
    assert!(text.starts_with("I am [PERSON_"), "{text}");
    assert_eq!(out["messages"][0]["content"][0]["text"], "Hi");
    let restore = ex.restore.as_deref().expect("restore map");
    assert_eq!(restore.restore(text).as_deref(), Some("I am José Smith"));
}

#[test]
fn a_rule_without_guards_starts_nothing() {
    let p = policy(r#"{"version":1,"screening":{"detectors":{"email":{"action":"redact"}}}}"#);
    let mut ex = exchange(&p);
    assert!(!ex.has_request_guards());
    let mut caches = GuardCaches::new([7; 16]);
    assert!(matches!(
        start(&mut ex, BODY, &mut caches),
        GuardStart::Skip(_)
    ));
}

#[test]
fn the_api_key_comes_from_the_vm_environment_and_a_route_replaces_the_list() {
    let json = r#"{"version":1,"screening":{"guards":[{"name":"mod","protocol":"openai_moderation",
        "cluster":"guard","api_key":{"value_env":"GUARD_KEY"}}]},
        "routes":[{"name":"plain","match":{"prefix":"/plain"},"screening":{"guards":[]}},
                  {"name":"inherits","match":{"prefix":"/"}}]}"#;
    let refused = Policy::parse(json.as_bytes()).map(|_| ()).unwrap_err();
    assert_eq!(
        refused.to_string(),
        "screening: guards[0].api_key.value_env: environment variable GUARD_KEY is not set in the Wasm VM"
    );
    let env = |name: &str| (name == "GUARD_KEY").then(|| "sk-test".to_string());
    let p = Policy::parse_with_env(json.as_bytes(), &env).unwrap();
    let guards =
        |rule: &crate::policy::Rule| rule.screening.as_ref().map_or(0, |s| s.config.guards.len());
    assert_eq!(guards(&p.routes[0].1), 0);
    assert_eq!(guards(&p.routes[1].1), 1);
    let s = p.default_rule.screening.as_ref().unwrap();
    assert_eq!(s.guard_keys, vec![Some("sk-test".to_string())]);
    let mut ex = exchange(&p);
    let mut caches = GuardCaches::new([7; 16]);
    let GuardStart::Calls(calls) = start(&mut ex, BODY, &mut caches) else {
        panic!("calls expected");
    };
    assert!(calls[0]
        .headers
        .contains(&("authorization".to_string(), "Bearer sk-test".to_string())));
    assert!(calls[0]
        .headers
        .contains(&(":authority".to_string(), "guard".to_string())));
}

#[test]
fn a_rule_with_only_output_guards_asks_for_uncompressed_outputs_and_holds_them() {
    let p = policy(
        r#"{"version":1,"screening":{"guards":[{"name":"lg","protocol":"llama_guard",
        "cluster":"guard","directions":["response"]}]}}"#,
    );
    let mut ex = exchange(&p);
    assert!(!ex.has_request_guards() && ex.has_response_guards());
    assert!(ex
        .request_headers_done()
        .remove
        .contains(&"accept-encoding"));
    assert_eq!(
        ex.response_kind(Some(200), false, Some("application/json"), None),
        super::super::response::ResponseKind::Json {
            limit: p.default_rule.max_body_bytes
        }
    );
}

#[test]
fn dry_run_reports_a_guard_block_and_changes_nothing() {
    let p = policy(&MODERATION.replace(r#""screening":{"#, r#""screening":{"mode":"dry_run","#));
    let mut ex = exchange(&p);
    let mut caches = GuardCaches::new([7; 16]);
    let GuardStart::Calls(_) = start(&mut ex, BODY, &mut caches) else {
        panic!("calls expected");
    };
    let reply = br#"{"results":[{"flagged":true}]}"#;
    let d = ex.guard_answered(0, Ok(reply), &mut caches, 6).unwrap();
    assert!(d.answer.reply.is_none() && d.answer.rewrite.is_none());
    assert_eq!(d.decision, "would_block");
    let flags = ex.flag_header().map(|(_, v)| v).unwrap_or_default();
    assert!(flags.contains("guard:mod:flagged=would_block"), "{flags}");
}
