//! `llm-policy explain`: every decision the filter would take for one request.

use llm_policy_core::ab::bucket;
use llm_policy_core::breaker::Admission;
use llm_policy_core::canary::canary_bucket;
use llm_policy_core::exchange::response::ResponseKind;
use llm_policy_core::exchange::{CircuitAnswer, Exchange};
use llm_policy_core::flow::{plan, BodyVerdict};
use llm_policy_core::policy::Policy;
use llm_policy_core::request::RequestHead;
use llm_policy_core::screen::Tally;

/// A request described on the command line.
pub struct ExplainRequest {
    pub head: RequestHead,
    pub body: Option<Vec<u8>>,
    /// Assume this rule's canary is halted on the proxy.
    pub canary_halted: bool,
}

/// The explanation, one decision per line.
pub fn explain(policy: &Policy, req: &ExplainRequest) -> Vec<String> {
    let head = &req.head;
    let mut random = || String::from("r0000000000000000");
    let mut p = plan(policy, head, req.body.is_some(), &mut random);
    p.choose_canary(head, req.canary_halted, &mut random);
    let mut out = vec![
        format!("policy: revision {}", policy.revision),
        format!("rule: {}", p.rule.name),
        match &p.subject {
            Some(s) => format!("subject: {:?} (from {})", s.id, s.source),
            None => "subject: none".to_string(),
        },
        format!("trusted caller: {}", if p.trusted { "yes" } else { "no" }),
        format!(
            "endpoint: {}",
            p.endpoint
                .map_or("not an OpenAI body endpoint", |e| e.label())
        ),
    ];
    for c in &p.arms {
        let exp = &p.rule.ab.experiments[c.experiment];
        let bucket_note = c
            .subject
            .as_ref()
            .map(|s| {
                format!(
                    ", subject {:?} from {}, bucket {} of 100",
                    s.id,
                    s.source,
                    bucket(&exp.id, &s.id)
                )
            })
            .unwrap_or_default();
        out.push(format!(
            "experiment {}: arm {} ({:?}{bucket_note})",
            exp.id, exp.arms[c.arm].name, c.how
        ));
    }
    if let (Some(t), Some(cfg)) = (&p.track, &p.rule.canary) {
        let share = f64::from(cfg.weight_ppm) / 10_000.0;
        let pos = t
            .subject
            .as_ref()
            .map(|s| {
                format!(
                    ", subject {:?} from {}, position {} of 1000000",
                    s.id,
                    s.source,
                    canary_bucket(&s.id)
                )
            })
            .unwrap_or_default();
        out.push(format!(
            "canary: {} ({:?}; share {share}%{pos}{})",
            if t.canary { "canary" } else { "stable" },
            t.how,
            if req.canary_halted {
                "; assumed halted"
            } else {
                ""
            }
        ));
    }
    for (name, value) in p.request_headers() {
        out.push(format!("sets request header: {name}: {value}"));
    }
    if let Some((name, value)) = p.ab_response_header() {
        out.push(format!("sets response header: {name}: {value}"));
    }
    match &p.rule.circuit {
        Some(c) => out.push(format!(
            "circuit breaker: per {:?}, assumed closed: admitted (opens after {} failures in a row, open {} s)",
            c.per, c.consecutive_failures, c.open_s
        )),
        None => out.push("circuit breaker: none".to_string()),
    }
    // The filter's own exchange answers the breaker and the response side.
    let mut ex = Exchange::new(p.clone(), &policy.revision, 0);
    circuit_lines(&mut ex, &mut out);
    match (&req.body, p.read_body) {
        (None, _) => out.push("body: none".to_string()),
        (Some(_), false) => out.push("body: not read (passes through)".to_string()),
        (Some(body), true) => {
            let verdict = if p.over_limit(body.len()) {
                p.judge_problem(llm_policy_core::openai::BodyProblem::TooLarge)
            } else {
                p.judge_body(body)
            };
            // The guards see the body as the built-in screening forwards it.
            let forwarded = Exchange::new(p.clone(), &policy.revision, 0).judge_body(body);
            if forwarded.reply.is_none() && !p.over_limit(body.len()) {
                guard_lines(&p, forwarded.rewrite.as_deref().unwrap_or(body), &mut out);
            }
            out.push(match verdict {
                BodyVerdict::Forward {
                    request: r,
                    rewritten,
                    report,
                } => format!(
                    "body: read ({} text fields, {} bytes, model {:?}, stream {}){}{}",
                    r.text_fields,
                    r.text_bytes,
                    r.model.unwrap_or_default(),
                    r.stream,
                    screening_line(&p, &report.tally),
                    rewritten
                        .map(|b| format!("; rewritten to {}", String::from_utf8_lossy(&b)))
                        .unwrap_or_default()
                ),
                BodyVerdict::Blocked(reply, tally) => format!(
                    "body: read{} → blocked with {} {}",
                    screening_line(&p, &tally),
                    reply.status,
                    reply.body()
                ),
                BodyVerdict::ForwardUnread(problem) => {
                    format!("body: {} → forwarded unread (fail open)", problem.label())
                }
                BodyVerdict::Reject(problem, reply) => format!(
                    "body: {} → refused with {} {}",
                    problem.label(),
                    reply.status,
                    reply.body()
                ),
            });
        }
    }
    response_lines(&ex, &mut out);
    if p.rule.debug_headers {
        out.push(format!(
            "sets response header: x-llm-policy: {}",
            p.debug_header(&policy.revision)
        ));
    }
    out
}

/// What the breaker adds when it admits the request, does when it is open,
/// and what counts as a failure.
fn circuit_lines(ex: &mut Exchange, out: &mut Vec<String>) {
    let Some(cfg) = ex.circuit_config().cloned() else {
        return;
    };
    let target = ex.circuit_target(None);
    if let CircuitAnswer::Proceed(headers) = ex.admitted(target.clone(), Admission::Allow) {
        for (name, value) in headers {
            out.push(format!("sets request header: {name}: {value}"));
        }
    }
    let open = Exchange::new(ex.plan.clone(), "", 0).admitted(
        target,
        Admission::Reject {
            retry_after_s: cfg.open_s.max(1),
        },
    );
    out.push(match open {
        CircuitAnswer::Fallback { name, value, .. } => {
            format!("circuit breaker when open: sets {name}: {value} (the fallback route)")
        }
        CircuitAnswer::Reply { reply: r, .. } => format!(
            "circuit breaker when open: answers {} {} with retry-after",
            r.reply.status, r.reply.code
        ),
        CircuitAnswer::Proceed(_) => "circuit breaker when open: admits".to_string(),
    });
    let mut extra: Vec<String> = cfg.failure_statuses.iter().map(u16::to_string).collect();
    if let Some(ms) = cfg.first_token_timeout_ms {
        extra.push(format!("no first byte within {ms} ms"));
    }
    if let Some(ms) = cfg.stream_idle_timeout_ms {
        extra.push(format!("a silence over {ms} ms"));
    }
    out.push(format!(
        "circuit breaker failures: 5xx, no response, upstream reset or timeout, aborted stream{}",
        if extra.is_empty() {
            String::new()
        } else {
            format!(", {}", extra.join(", "))
        }
    ));
}

/// How each kind of response would be handled (the response-header phase).
fn response_lines(ex: &Exchange, out: &mut Vec<String>) {
    let cases = [
        (
            "200 application/json",
            Some(200),
            Some("application/json"),
            None,
        ),
        (
            "200 text/event-stream",
            Some(200),
            Some("text/event-stream"),
            None,
        ),
        (
            "200 gzip-encoded",
            Some(200),
            Some("application/json"),
            Some("gzip"),
        ),
        ("4xx/5xx", Some(500), Some("application/json"), None),
    ];
    for (label, status, content_type, encoding) in cases {
        let kind = ex.response_kind(status, false, content_type, encoding);
        let how = match kind {
            ResponseKind::Passed => "passes unscreened".to_string(),
            ResponseKind::Json { limit } => format!(
                "held whole up to {limit} bytes and screened (past that, screened as it passes; not JSON: {})",
                if ex.fail_closed() { "withheld" } else { "passed" }
            ),
            ResponseKind::Stream => "screened event by event as it streams".to_string(),
            ResponseKind::Refused => "withheld: unscreenable (fails closed)".to_string(),
            ResponseKind::PassedUnread => "passed unread: unscreenable (fails open)".to_string(),
        };
        out.push(format!("response {label}: {how}"));
    }
}

/// Per guard of the rule: what would be sent for this body (the key
/// header's value is never shown).
fn guard_lines(p: &llm_policy_core::flow::RequestPlan, body: &[u8], out: &mut Vec<String>) {
    use llm_policy_core::guard::round::{GuardCaches, Round, Side};
    use llm_policy_core::guard::texts::prompt_texts;
    let (Some(screener), Some(endpoint)) = (p.rule.screening.as_deref(), p.endpoint) else {
        return;
    };
    let guards = &screener.config.guards;
    if !screener.config.has_guards(true) {
        if !guards.is_empty() {
            out.push("guards: none check prompts on this rule".to_string());
        }
        return;
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return;
    };
    let texts = prompt_texts(endpoint, &value);
    let mut caches = GuardCaches::new([0; 16]);
    let round = Round::start(
        guards,
        Side::Prompt,
        &texts,
        None,
        &screener.guard_keys,
        &mut caches,
        0,
    );
    for (g, spec) in guards.iter().enumerate() {
        if !spec.request {
            out.push(format!("guard {}: checks outputs only", spec.name));
            continue;
        }
        let calls: Vec<_> = round.calls().iter().filter(|c| c.guard == g).collect();
        let roles: Vec<&str> = calls
            .iter()
            .flat_map(|c| c.texts.iter())
            .filter_map(|&i| texts.get(i))
            .map(|t| t.role.name())
            .collect();
        let key = spec
            .api_key
            .as_ref()
            .map(|k| format!(", header {} from ${}", k.header, k.value_env))
            .unwrap_or_default();
        out.push(format!(
            "guard {} ({}): {} call(s) POST {} to cluster {} (authority {}, timeout {} ms{key}) asking about {} message(s) [{}]; fails {}",
            spec.name,
            spec.protocol.name(),
            calls.len(),
            spec.path,
            spec.cluster,
            spec.authority,
            spec.timeout_ms,
            roles.len(),
            roles.join(", "),
            if spec.fail_open { "open" } else { "closed" },
        ));
    }
}

/// `; screening: email → redact ×2, banned → flag` (detector names, never the text).
fn screening_line(p: &llm_policy_core::flow::RequestPlan, tally: &Tally) -> String {
    let Some(screener) = p.rule.screening.as_deref() else {
        return String::new();
    };
    if tally.is_empty() {
        return "; screening: nothing found".to_string();
    }
    let items: Vec<String> = tally
        .counts
        .iter()
        .filter_map(|(entry, outcome, n)| {
            let e = screener.entries.get(usize::from(*entry))?;
            Some(format!(
                "{} ({}) → {} ×{n}",
                e.name,
                e.kind,
                outcome.label()
            ))
        })
        .collect();
    format!("; screening: {}", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explain_shows_what_each_guard_would_be_sent() {
        let policy = Policy::parse(
            br#"{"version":1,"screening":{"guards":[
                {"name":"mod","protocol":"openai_moderation","cluster":"guard","roles":["user","tool"]},
                {"name":"out","protocol":"llama_guard","cluster":"lg","directions":["response"]}]}}"#,
        )
        .unwrap();
        let req = ExplainRequest {
            head: RequestHead {
                method: "POST".into(),
                path: "/v1/chat/completions".into(),
                authority: "llm".into(),
                route_name: None,
                headers: Vec::new(),
            },
            body: Some(
                br#"{"model":"m","messages":[{"role":"system","content":"s"},{"role":"user","content":"u"},{"role":"tool","content":"t"}]}"#
                    .to_vec(),
            ),
            canary_halted: false,
        };
        let out = explain(&policy, &req);
        assert!(
            out.iter().any(|l| l
                == "guard mod (openai_moderation): 1 call(s) POST /v1/moderations to cluster guard \
                    (authority guard, timeout 1000 ms) asking about 2 message(s) [user, tool]; fails closed"),
            "{out:#?}"
        );
        assert!(out.iter().any(|l| l == "guard out: checks outputs only"));
    }

    fn explain_json(policy: &str) -> Vec<String> {
        explain_with(policy, &[])
    }

    fn explain_with(policy: &str, headers: &[(&str, &str)]) -> Vec<String> {
        let policy = Policy::parse(policy.as_bytes()).unwrap();
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
        let req = ExplainRequest {
            head,
            body: None,
            canary_halted: false,
        };
        explain(&policy, &req)
    }

    #[test]
    fn the_breaker_and_the_response_side_come_from_the_exchange() {
        let out = explain_json(
            r#"{"version":1,"failure_mode":{"screening":"open"},
               "screening":{"detectors":{"email":{"action":"redact"}}},
               "routes":[{"name":"r","match":{"prefix":"/v1/"},
               "circuit":{"per":"rule","consecutive_failures":2,"open_s":30,
                          "retry":{"max_retries":2}}}]}"#,
        );
        let has = |line: &str| out.iter().any(|l| l == line);
        assert!(
            has("sets request header: x-envoy-max-retries: 2"),
            "{out:#?}"
        );
        assert!(has(
            "circuit breaker when open: answers 503 circuit_open with retry-after"
        ));
        assert!(has(
            "response 200 text/event-stream: screened event by event as it streams"
        ));
        assert!(has(
            "response 200 gzip-encoded: passed unread: unscreenable (fails open)"
        ));
        assert!(has("response 4xx/5xx: passes unscreened"));
    }

    #[test]
    fn a_rule_without_output_screening_passes_every_response() {
        let out = explain_json(r#"{"version":1}"#);
        assert!(
            out.iter()
                .any(|l| l == "response 200 application/json: passes unscreened"),
            "{out:#?}"
        );
        assert!(!out
            .iter()
            .any(|l| l.starts_with("circuit breaker when open")));
    }

    #[test]
    fn each_choice_names_the_subject_it_was_bucketed_by() {
        let policy = r#"{"version":1,
            "subject":{"sources":[{"header":"x-user-id"}]},
            "ab":{"experiments":[
              {"id":"by-user","arms":[{"name":"a","weight":50},{"name":"b","weight":50}]},
              {"id":"by-team","subject":{"sources":[{"header":"x-team"}]},
               "arms":[{"name":"a","weight":50},{"name":"b","weight":50}]},
              {"id":"by-cookie","subject":{"sources":[{"header":"x-none"}]},"no_subject":"random_sticky",
               "arms":[{"name":"a","weight":50},{"name":"b","weight":50}]}]},
            "canary":{"weight_percent":5,"subject":{"sources":[{"header":"x-none"}]},
                      "no_subject":"random_sticky"}}"#;
        let out = explain_with(
            policy,
            &[
                ("x-user-id", "u-1"),
                ("x-team", "search"),
                ("cookie", "llm-ab-by-cookie=c-9; llm-canary=k-7"),
            ],
        );
        let line = |prefix: &str| {
            out.iter()
                .find(|l| l.starts_with(prefix))
                .cloned()
                .unwrap_or_else(|| panic!("no {prefix} in {out:#?}"))
        };
        assert!(line("experiment by-user").contains(r#"subject "u-1" from header, bucket"#));
        assert!(
            line("experiment by-team").contains(r#"subject "search" from header, bucket"#),
            "the experiment's own subject, not the rule's: {out:#?}"
        );
        assert!(
            line("experiment by-cookie").contains(r#"subject "c-9" from sticky_cookie, bucket"#)
        );
        assert!(line("canary").contains(r#"subject "k-7" from sticky_cookie, position"#));
    }
}
