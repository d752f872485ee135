//! `llm-policy explain`: every decision the filter would take for one request.

use llm_policy_core::ab::bucket;
use llm_policy_core::canary::canary_bucket;
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
        let bucket_note = p
            .subject
            .as_ref()
            .map(|s| format!(", bucket {} of 100", bucket(&exp.id, &s.id)))
            .unwrap_or_default();
        out.push(format!(
            "experiment {}: arm {} ({:?}{bucket_note})",
            exp.id, exp.arms[c.arm].name, c.how
        ));
    }
    if let (Some(t), Some(cfg)) = (&p.track, &p.rule.canary) {
        let share = f64::from(cfg.weight_ppm) / 10_000.0;
        let pos = p
            .subject
            .as_ref()
            .map(|s| format!(", position {} of 1000000", canary_bucket(&s.id)))
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
    match (&req.body, p.read_body) {
        (None, _) => out.push("body: none".to_string()),
        (Some(_), false) => out.push("body: not read (passes through)".to_string()),
        (Some(body), true) => {
            let verdict = if p.over_limit(body.len()) {
                p.judge_problem(llm_policy_core::openai::BodyProblem::TooLarge)
            } else {
                p.judge_body(body)
            };
            out.push(match verdict {
                BodyVerdict::Forward(r, rewritten, report) => format!(
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
    if p.rule.debug_headers {
        out.push(format!(
            "sets response header: x-llm-policy: {}",
            p.debug_header(&policy.revision)
        ));
    }
    out
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
